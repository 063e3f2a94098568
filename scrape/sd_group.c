/*
 * Target groups: construction, comparison and release. Discovery
 * providers fill them; the config layer reads them through relabelling.
 * Nothing here knows where a group came from.
 */
#include "scrape/sd_group.h"

#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"

void
sd_group_init(struct sd_group *g, const char *source)
{
    memset(g, 0, sizeof(*g));
    g->source = xstrdup(source);
}

void
sd_group_fini(struct sd_group *g)
{
    free(g->source);
    sd_labels_free(&g->labels);
    for (size_t i = 0; i < g->ntargets; i++)
        sd_labels_free(&g->targets[i]);
    free(g->targets);
    memset(g, 0, sizeof(*g));
}

struct labels *
sd_group_add_target(struct sd_group *g)
{
    struct labels *t;

    g->targets = xreallocarray(g->targets, g->ntargets + 1,
                               sizeof(*g->targets));
    t = &g->targets[g->ntargets++];
    t->v = NULL;
    t->n = 0;
    return t;
}

bool
sd_group_equal(const struct sd_group *a, const struct sd_group *b)
{
    if (strcmp(a->source, b->source) != 0 || a->ntargets != b->ntargets ||
        !labels_equal(&a->labels, &b->labels))
        return false;
    for (size_t i = 0; i < a->ntargets; i++)
        if (!labels_equal(&a->targets[i], &b->targets[i]))
            return false;
    return true;
}

void
sd_group_move(struct sd_group *dst, struct sd_group *src)
{
    sd_group_fini(dst);
    *dst = *src;
    memset(src, 0, sizeof(*src));
}

void
sd_labels_add(struct labels *ls, const char *name, const char *value)
{
    for (size_t i = 0; i < ls->n; i++)
        if (strcmp(ls->v[i].name, name) == 0) {
            free((char *)ls->v[i].value);
            ls->v[i].value = xstrdup(value);
            return;
        }
    ls->v = xreallocarray(ls->v, ls->n + 1, sizeof(*ls->v));
    ls->v[ls->n].name = xstrdup(name);
    ls->v[ls->n++].value = xstrdup(value);
}

void
sd_labels_free(struct labels *ls)
{
    for (size_t i = 0; i < ls->n; i++) {
        free((char *)ls->v[i].name);
        free((char *)ls->v[i].value);
    }
    free(ls->v);
    ls->v = NULL;
    ls->n = 0;
}

void
sd_labels_copy(struct labels *dst, const struct labels *src)
{
    dst->v = xcalloc(src->n + 1, sizeof(*dst->v));
    dst->n = src->n;
    for (size_t i = 0; i < src->n; i++) {
        dst->v[i].name = xstrdup(src->v[i].name);
        dst->v[i].value = xstrdup(src->v[i].value);
    }
}
