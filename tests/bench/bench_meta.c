/*
 * Metadata benchmark: 1,000 targets each exposing node_exporter 1.5's
 * families (tests/data/exposition/node_exporter-1.5.0.prom), through the
 * registry as scrape/pool.c feeds it. Prints the memory the registry
 * holds per target (its own count and the heap's), against what
 * Prometheus 2.42 counts for the same targets in its own gauge
 * prometheus_target_metadata_cache_bytes (help + unit + type bytes per
 * entry, a lower bound of its memory: no map, entry or name), and the
 * time an unchanged scrape spends on metadata per family. Then the case
 * that defeats sharing: every target's HELP of one family differs.
 * Asserts nothing about time.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrape/expo.h"
#include "scrape/meta.h"
#include "src/base/buf.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"
#include "store/labels.h"

#define TARGETS 1000
#define SCRAPES 5

/* One family's metadata as the parser gave it, copied. */
struct rec {
    struct expo_meta m;
    char *family, *help, *unit;
};

struct recs {
    struct rec *v;
    size_t n;
};

static size_t
heap_used(void)
{
    return mallinfo2().uordblks;
}

static char *
copy(const char *s, size_t n)
{
    return s != NULL ? xstrndup(s, n) : NULL;
}

static void
on_meta(void *ctx, const struct expo_meta *m)
{
    struct recs *r = ctx;
    struct rec *x;

    r->v = xreallocarray(r->v, r->n + 1, sizeof(*r->v));
    x = &r->v[r->n++];
    x->m = *m;
    x->family = copy(m->family, m->family_len);
    x->help = copy(m->help, m->help_len);
    x->unit = copy(m->unit, m->unit_len);
    x->m.family = x->family;
    x->m.help = x->help;
    x->m.unit = x->unit;
}

/* One scrape's metadata: the records, as the parser hands them over. */
static void
scrape(struct meta_target *t, const struct recs *r, bool flush)
{
    meta_scrape_begin(t);
    for (size_t i = 0; i < r->n; i++)
        meta_scrape_record(t, &r->v[i].m);
    meta_scrape_end(t, flush);
}

/* What Prometheus's prometheus_target_metadata_cache_bytes counts for
 * one target: len(help) + len(unit) + len(type) of each entry. */
static size_t
prom_count(const struct recs *r)
{
    size_t n = 0;

    for (size_t i = 0; i < r->n; i++)
        n += r->v[i].m.help_len + r->v[i].m.unit_len
             + strlen(meta_type_name(r->v[i].m.type));
    return n;
}

static void
run(const char *what, const struct recs *r, const char *vary)
{
    struct meta_reg *reg = meta_reg_new();
    struct meta_target **t = xcalloc(TARGETS, sizeof(*t));
    size_t heap0 = heap_used(), bytes, heap;
    double t0, secs;
    struct recs mine = *r;
    struct rec *own = xcalloc(r->n, sizeof(*own));

    for (int i = 0; i < TARGETS; i++) {
        struct labels ls = { 0 };
        char inst[32];

        snprintf(inst, sizeof(inst), "10.0.%d.%d:9100", i / 250, i % 250);
        labels_put(&ls, "job", "node");
        labels_put(&ls, "instance", inst);
        t[i] = meta_target_new(reg, &ls);
        labels_release(&ls);
        memcpy(own, r->v, r->n * sizeof(*own));
        mine.v = own;
        for (size_t k = 0; vary != NULL && k < r->n; k++)
            if (strcmp(own[k].family, vary) == 0) {
                own[k].m.help = own[k].help = xasprintf("%s (%s)",
                                                         r->v[k].help, inst);
                own[k].m.help_len = strlen(own[k].help);
            }
        scrape(t[i], &mine, true);
        for (size_t k = 0; vary != NULL && k < r->n; k++)
            if (own[k].help != r->v[k].help)
                free(own[k].help);
    }
    bytes = meta_reg_bytes(reg);
    heap = heap_used() - heap0;
    printf("%s: %d targets x %zu families: %zu bytes per target "
           "(heap: %zu); Prometheus counts %zu per target: ratio %.3f\n",
           what, TARGETS, r->n, bytes / TARGETS, heap / TARGETS,
           prom_count(r), (double)bytes / TARGETS / (double)prom_count(r));
    t0 = time_mono_s();
    for (int s = 0; s < SCRAPES && vary == NULL; s++)
        for (int i = 0; i < TARGETS; i++)
            scrape(t[i], r, true);
    secs = time_mono_s() - t0;
    if (vary == NULL)
        printf("%s: an unchanged scrape: %.1f ns per family\n", what,
               secs * 1e9 / SCRAPES / TARGETS / (double)r->n);
    for (int i = 0; i < TARGETS; i++)
        meta_target_free(t[i]);
    meta_reg_free(reg);
    free(t);
    free(own);
}

int
main(void)
{
    const char *dir = getenv("TESTDATA");
    char *path = xasprintf("%s/exposition/node_exporter-1.5.0.prom",
                           dir != NULL ? dir : "tests/data");
    struct recs r = { NULL, 0 };
    struct expo_sink sink = { .ctx = &r, .meta = on_meta };
    struct expo *p = expo_new(EXPO_TEXT, &sink, 1 << 20);
    struct buf body;
    struct diag d;

    buf_init(&body, 0);
    diag_clear(&d);
    if (buf_read_file(&body, path, 64 << 20, &d) < 0) {
        fprintf(stderr, "bench_meta: %s: %s\n", path, d.msg);
        return 1;
    }
    expo_feed(p, body.data, body.len, &d);
    expo_finish(p, &d);
    expo_free(p);
    run("same exporter everywhere", &r, NULL);
    run("one HELP differs per target", &r, "node_uname_info");
    for (size_t i = 0; i < r.n; i++) {
        free(r.v[i].family);
        free(r.v[i].help);
        free(r.v[i].unit);
    }
    free(r.v);
    buf_fini(&body);
    free(path);
    return 0;
}
