/*
 * Target building: each discovered label set goes through
 * relabel_target_labels with its job's settings, and the result becomes a
 * scrape_target_def (or a dropped entry). Identity, scheduling and
 * history stay with the pool, which keeps the targets that remain.
 */
#include "src/config/config_targets.h"

#include <stdlib.h>
#include <string.h>

#include "scrape/relabel_target.h"
#include "src/base/buf.h"
#include "src/base/xalloc.h"
#include "src/config/config.h"

/* Growing outputs of one build. */
struct out {
    struct scrape_target_def *defs;
    size_t n, cap;
    struct config_dropped *dropped;
    size_t ndropped, capdropped;
    bool want_dropped;
};

struct discovery *
config_discovery_new(const struct config *cfg)
{
    struct discovery *d = discovery_new();

    for (size_t i = 0; i < cfg->njobs; i++) {
        const struct config_job *j = &cfg->jobs[i];

        for (size_t s = 0; s < j->nstatics; s++)
            discovery_add_static(d, i,
                                 (const char *const *)j->statics[s].targets,
                                 j->statics[s].ntargets,
                                 &j->statics[s].labels, s);
        for (size_t s = 0; s < j->sd.ndns; s++) {
            struct sd_dns_config c = config_sd_dns_view(&j->sd.dns[s]);

            discovery_add_dns(d, i, &c);
        }
        for (size_t s = 0; s < j->sd.nfile; s++) {
            struct sd_file_config c = config_sd_file_view(&j->sd.file[s]);

            discovery_add_file(d, i, &c);
        }
        for (size_t s = 0; s < j->sd.ndocker; s++) {
            struct sd_docker_config c =
                config_sd_docker_view(&j->sd.docker[s]);

            discovery_add_docker(d, i, &c);
        }
    }
    return d;
}

static void
rt_config(const struct config_job *j, struct relabel_target_config *rc)
{
    memset(rc, 0, sizeof(*rc));
    rc->job = j->name;
    rc->interval_ms = j->interval_ms;
    rc->timeout_ms = j->timeout_ms;
    rc->metrics_path = j->metrics_path;
    rc->scheme = j->scheme;
    rc->params = j->params;
    rc->nparams = j->nparams;
    rc->rules = j->relabel;
}

/* A target's labels as text for the targets view; a password in
 * __address__ shows as <secret>. */
static char *
format_labels(const struct labels *ls)
{
    const char *addr = labels_get(ls, "__address__");
    struct labels shown = *ls;
    char *masked = NULL;
    struct buf b;

    if (addr != NULL && strchr(addr, '@') != NULL) {
        masked = relabel_target_shown_address(addr);
        shown.v = xreallocarray(NULL, ls->n, sizeof(*shown.v));
        for (size_t i = 0; i < ls->n; i++) {
            shown.v[i] = ls->v[i];
            if (strcmp(ls->v[i].name, "__address__") == 0)
                shown.v[i].value = masked;
        }
    }
    buf_init(&b, 0);
    labels_format(&shown, &b);
    if (masked != NULL) {
        free(shown.v);
        free(masked);
    }
    return buf_steal(&b);
}

/* True when defs[from..n) already holds a target with d's URL parts and
 * labels: Prometheus keeps one of each within a scrape pool. */
static bool
seen_before(const struct out *o, size_t from,
            const struct scrape_target_def *d)
{
    for (size_t i = from; i < o->n; i++) {
        const struct scrape_target_def *e = &o->defs[i];

        if (strcmp(e->address, d->address) == 0 &&
            strcmp(e->scheme, d->scheme) == 0 &&
            strcmp(e->metrics_path, d->metrics_path) == 0 &&
            strcmp(e->params, d->params) == 0 &&
            labels_equal(&e->labels, &d->labels))
            return true;
    }
    return false;
}

static void
def_fini(struct scrape_target_def *d)
{
    free((char *)d->job);
    free((char *)d->scheme);
    free((char *)d->address);
    free((char *)d->metrics_path);
    free((char *)d->params);
    free((char *)d->discovered);
    free((char *)d->forced_error);
    labels_release(&d->labels);
}

/*
 * A job with more targets than its target_limit after relabelling is not
 * scraped: every target of it fails with Prometheus's error instead.
 */
static void
apply_target_limit(struct out *o, const struct config_job *j, size_t from)
{
    size_t n = o->n - from;

    if (j->target_limit == 0 || n <= j->target_limit)
        return;
    for (size_t i = from; i < o->n; i++)
        o->defs[i].forced_error = xasprintf(
            "target_limit exceeded (number of targets: %zu, limit: %zu)",
            n, j->target_limit);
}

/* An active target's definition, appended unless the job has it already. */
static void
add_def(struct out *o, size_t from, const struct config_job *j,
        const struct relabel_target *rt)
{
    struct scrape_target_def d;
    const char *job;

    memset(&d, 0, sizeof(d));
    d.scheme = xstrdup(relabel_target_scheme(rt));
    d.address = xstrdup(relabel_target_address(rt));
    d.metrics_path = xstrdup(relabel_target_path(rt));
    d.params = xstrdup(relabel_target_query(rt));
    labels_dup(&d.labels, relabel_target_public(rt));
    if (seen_before(o, from, &d)) {
        def_fini(&d);
        return;
    }
    job = labels_get(&d.labels, "job");
    d.job = xstrdup(job != NULL ? job : j->name);
    d.discovered = format_labels(relabel_target_discovered(rt));
    d.interval_ms = relabel_target_interval_ms(rt);
    d.timeout_ms = relabel_target_timeout_ms(rt);
    d.body_size_limit = j->body_size_limit;
    d.metric_relabel = j->metric_relabel;
    d.honor_labels = j->honor_labels;
    d.http = &j->http;
    d.ignore_timestamps = !j->honor_timestamps;
    d.sample_limit = j->sample_limit;
    d.label_limit = j->label_limit;
    d.label_name_length_limit = j->label_name_length_limit;
    d.label_value_length_limit = j->label_value_length_limit;
    d.builtin = j->builtin;
    if (o->n == o->cap) {
        o->cap = o->cap != 0 ? o->cap * 2 : 16;
        o->defs = xreallocarray(o->defs, o->cap, sizeof(*o->defs));
    }
    o->defs[o->n++] = d;
}

static void
add_dropped(struct out *o, const struct config_job *j, const char *disc,
            char *reason)
{
    struct config_dropped *x;

    if (o->ndropped == o->capdropped) {
        o->capdropped = o->capdropped != 0 ? o->capdropped * 2 : 16;
        o->dropped = xreallocarray(o->dropped, o->capdropped,
                                   sizeof(*o->dropped));
    }
    x = &o->dropped[o->ndropped++];
    x->job = xstrdup(j->name);
    x->discovered = xstrdup(disc);
    x->reason = reason;
    x->refused = false;
}

/* The discovered set of a refused target (the group's labels under the
 * target's), since relabelling reports nothing for it. */
static char *
format_merged(const struct labels *target, const struct labels *group)
{
    struct labels m = { 0 };
    char *s;

    for (size_t i = 0; i < group->n; i++)
        labels_put(&m, group->v[i].name, group->v[i].value);
    for (size_t i = 0; i < target->n; i++)
        labels_put(&m, target->v[i].name, target->v[i].value);
    labels_sort(&m);
    s = format_labels(&m);
    labels_release(&m);
    return s;
}

/* One discovered target through its job's relabelling. */
static void
build_one(struct out *o, size_t from, const struct config_job *j,
          struct relabel_target *rt, const struct labels *target,
          const struct sd_group *g)
{
    struct relabel_target_config rc;
    enum relabel_target_state st;
    struct diag d;
    char *disc;
    size_t rule;

    rt_config(j, &rc);
    diag_clear(&d);
    st = relabel_target_labels(rt, &rc, target, &g->labels, &d);
    if (st == RELABEL_TARGET_ACTIVE) {
        add_def(o, from, j, rt);
        return;
    }
    if (!o->want_dropped)
        return;
    if (st == RELABEL_TARGET_FAILED) {
        disc = format_merged(target, &g->labels);
        add_dropped(o, j, disc, xstrdup(d.msg));
        o->dropped[o->ndropped - 1].refused = true;
        free(disc);
        return;
    }
    rule = relabel_target_dropped_by(rt);
    disc = format_labels(relabel_target_discovered(rt));
    add_dropped(o, j, disc, xasprintf("dropped by relabel rule %zu (%s)",
                                      rule + 1, relabel_action_name(
                                          relabel_rules_action(j->relabel,
                                                               rule))));
    free(disc);
}

/*
 * Providers come job by job (config_discovery_new adds them so), which
 * lets duplicates be looked for among the current job's targets only.
 */
size_t
config_targets_build(const struct config *cfg, const struct discovery *d,
                     struct scrape_target_def **defs,
                     struct config_dropped **dropped, size_t *ndropped)
{
    struct out o = { .want_dropped = dropped != NULL };
    struct relabel_target *rt = relabel_target_new();
    size_t job = (size_t)-1, from = 0;

    for (size_t p = 0; p < discovery_count(d); p++) {
        struct discovery_status st;
        const struct config_job *j;

        discovery_status(d, p, &st);
        if (st.job >= cfg->njobs)
            continue;
        if (st.job != job && job != (size_t)-1)
            apply_target_limit(&o, &cfg->jobs[job], from);
        j = &cfg->jobs[st.job];
        if (st.job != job) {
            job = st.job;
            from = o.n;
        }
        for (size_t g = 0; g < discovery_group_count(d, p); g++) {
            const struct sd_group *grp = discovery_group(d, p, g);

            for (size_t t = 0; t < grp->ntargets; t++)
                build_one(&o, from, j, rt, &grp->targets[t], grp);
        }
    }
    if (job != (size_t)-1)
        apply_target_limit(&o, &cfg->jobs[job], from);
    relabel_target_free(rt);
    *defs = o.defs;
    if (dropped != NULL) {
        *dropped = o.dropped;
        *ndropped = o.ndropped;
    }
    return o.n;
}

void
config_target_defs_free(struct scrape_target_def *defs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        def_fini(&defs[i]);
    free(defs);
}

void
config_dropped_free(struct config_dropped *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].job);
        free(v[i].discovered);
        free(v[i].reason);
    }
    free(v);
}
