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
    labels_release(&g->labels);
    for (size_t i = 0; i < g->ntargets; i++)
        labels_release(&g->targets[i]);
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
