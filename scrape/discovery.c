/*
 * The discovery registry: a list of providers, each static (one fixed
 * group), DNS or file, dispatched by kind. It remembers whether a poll
 * changed any group so the loop rebuilds targets only then. Relabelling
 * and target identity live elsewhere.
 */
#include "scrape/discovery.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "src/base/xalloc.h"

struct provider {
    size_t job;
    enum discovery_kind kind;
    struct sd_group group;      /* DISCOVERY_STATIC */
    struct sd_dns *dns;         /* DISCOVERY_DNS */
    struct sd_file *file;       /* DISCOVERY_FILE */
    struct sd_docker *docker;   /* DISCOVERY_DOCKER */
};

struct discovery {
    struct provider *p;
    size_t n;
    bool changed;
};

struct discovery *
discovery_new(void)
{
    struct discovery *d = xcalloc(1, sizeof(*d));

    d->changed = true;
    return d;
}

void
discovery_free(struct discovery *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->n; i++) {
        if (d->p[i].kind == DISCOVERY_STATIC)
            sd_group_fini(&d->p[i].group);
        sd_dns_free(d->p[i].dns);
        sd_file_free(d->p[i].file);
        sd_docker_free(d->p[i].docker);
    }
    free(d->p);
    free(d);
}

static struct provider *
add(struct discovery *d, size_t job, enum discovery_kind kind)
{
    struct provider *p;

    d->p = xreallocarray(d->p, d->n + 1, sizeof(*d->p));
    p = &d->p[d->n++];
    *p = (struct provider){ .job = job, .kind = kind };
    d->changed = true;
    return p;
}

size_t
discovery_add_static(struct discovery *d, size_t job,
                     const char *const *addresses, size_t n,
                     const struct labels *labels, size_t index)
{
    struct provider *p = add(d, job, DISCOVERY_STATIC);
    char src[32];

    snprintf(src, sizeof(src), "%zu", index);
    sd_group_init(&p->group, src);
    for (size_t i = 0; i < n; i++)
        labels_put(sd_group_add_target(&p->group), "__address__",
                      addresses[i]);
    for (size_t i = 0; labels != NULL && i < labels->n; i++)
        labels_put(&p->group.labels, labels->v[i].name,
                      labels->v[i].value);
    labels_sort(&p->group.labels);
    return d->n - 1;
}

size_t
discovery_add_dns(struct discovery *d, size_t job,
                  const struct sd_dns_config *c)
{
    add(d, job, DISCOVERY_DNS)->dns = sd_dns_new(c);
    return d->n - 1;
}

size_t
discovery_add_file(struct discovery *d, size_t job,
                   const struct sd_file_config *c)
{
    add(d, job, DISCOVERY_FILE)->file = sd_file_new(c);
    return d->n - 1;
}

size_t
discovery_add_docker(struct discovery *d, size_t job,
                     const struct sd_docker_config *c)
{
    add(d, job, DISCOVERY_DOCKER)->docker = sd_docker_new(c);
    return d->n - 1;
}

void
discovery_poll(struct discovery *d, int64_t now_ms)
{
    for (size_t i = 0; i < d->n; i++) {
        struct provider *p = &d->p[i];

        if (p->kind == DISCOVERY_DNS)
            d->changed |= sd_dns_poll(p->dns, now_ms);
        else if (p->kind == DISCOVERY_FILE)
            d->changed |= sd_file_poll(p->file, now_ms);
        else if (p->kind == DISCOVERY_DOCKER)
            d->changed |= sd_docker_poll(p->docker, now_ms);
    }
}

int64_t
discovery_next_due(const struct discovery *d, int64_t now_ms)
{
    int64_t due = INT64_MAX, t;

    for (size_t i = 0; i < d->n; i++) {
        const struct provider *p = &d->p[i];

        if (p->kind == DISCOVERY_STATIC)
            continue;
        if (p->kind == DISCOVERY_DOCKER)
            t = sd_docker_next_due(p->docker, now_ms);
        else
            t = p->kind == DISCOVERY_DNS ? sd_dns_next_due(p->dns, now_ms)
                                         : sd_file_next_due(p->file);
        if (t < due)
            due = t;
    }
    return due;
}

bool
discovery_changed(struct discovery *d)
{
    bool c = d->changed;

    d->changed = false;
    return c;
}

bool
discovery_pending(const struct discovery *d)
{
    for (size_t i = 0; i < d->n; i++)
        if ((d->p[i].kind == DISCOVERY_DNS && sd_dns_pending(d->p[i].dns))
            || (d->p[i].kind == DISCOVERY_DOCKER
                && sd_docker_pending(d->p[i].docker)))
            return true;
    return false;
}

size_t
discovery_count(const struct discovery *d)
{
    return d->n;
}

size_t
discovery_group_count(const struct discovery *d, size_t i)
{
    const struct provider *p = &d->p[i];

    assert(i < d->n);
    switch (p->kind) {
    case DISCOVERY_STATIC:
        return 1;
    case DISCOVERY_DNS:
        return sd_dns_group_count(p->dns);
    case DISCOVERY_FILE:
        return sd_file_group_count(p->file);
    case DISCOVERY_DOCKER:
        return sd_docker_group_count(p->docker);
    }
    return 0;
}

const struct sd_group *
discovery_group(const struct discovery *d, size_t i, size_t g)
{
    const struct provider *p = &d->p[i];

    assert(i < d->n && g < discovery_group_count(d, i));
    switch (p->kind) {
    case DISCOVERY_STATIC:
        return &p->group;
    case DISCOVERY_DNS:
        return sd_dns_group(p->dns, g);
    case DISCOVERY_FILE:
        return sd_file_group(p->file, g);
    case DISCOVERY_DOCKER:
        return sd_docker_group(p->docker, g);
    }
    return NULL;
}

void
discovery_status(const struct discovery *d, size_t i,
                 struct discovery_status *out)
{
    const struct provider *p = &d->p[i];

    assert(i < d->n);
    out->job = p->job;
    out->kind = p->kind;
    out->error = "";
    out->pending = false;
    out->busy = false;
    if (p->kind == DISCOVERY_DNS) {
        out->error = sd_dns_error(p->dns);
        out->pending = sd_dns_pending(p->dns);
        out->busy = sd_dns_running(p->dns);
    } else if (p->kind == DISCOVERY_FILE) {
        out->error = sd_file_error(p->file);
    } else if (p->kind == DISCOVERY_DOCKER) {
        out->error = sd_docker_error(p->docker);
        out->pending = sd_docker_pending(p->docker);
    }
    out->ngroups = discovery_group_count(d, i);
}
