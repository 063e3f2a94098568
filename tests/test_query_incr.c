/*
 * Incremental range evaluation (query/incr.h) against the full one: every
 * golden expression (tests/data/promql) and every expression of the
 * conformance scripts (tests/data/conformance), evaluated as a dashboard
 * would, over a 15-step grid that slides one or several steps per frame
 * (or not at all) while samples are appended between frames, some series
 * late with their own older timestamps, with and without retention and a
 * byte budget dropping data. Each frame's incremental result must equal
 * a full evaluation of the same grid bit for bit: series, labels, order,
 * timestamps and value bits, or the same error; and the value at the
 * frame's clock, taken as a dashboard takes it (a grid of one step read
 * through the same frame cache, then again with another step, as a
 * panel of another width shares it), must equal the instant query's. Targeted tests cover the
 * fallbacks, errors, sharing and the expressions the data sets lack.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/incr.h"
#include "query/query.h"
#include "src/base/buf.h"
#include "src/base/xalloc.h"
#include "src/load.h"
#include "store/store.h"
#include "tests/support/fs.h"
#include "tests/support/promqltest.h"

#define MIN     60000LL
#define NSTEPS  15          /* points per grid, as a narrow panel */
#define MAXFAIL 12          /* failures described per test */

/* How a data set is replayed into a live store, frame by frame. */
struct variant {
    const char *name;
    int num, den;           /* step = interval * num / den */
    int phase;              /* grid phase: step * phase / 3 past the
                               first sample's time */
    bool retention;         /* keep the range and 3 steps, gc each frame */
    bool budget;            /* a byte budget that drops chunks */
    bool cache;             /* read through a frame cache */
};

/* Steps on the samples' own times put them on the windows' edges. */
static const struct variant variants[] = {
    { "aligned", 1, 1, 0, false, false, true },
    { "retention", 1, 1, 0, true, false, true },
    { "budget", 1, 1, 0, false, true, true },
    { "odd step", 2, 3, 1, true, false, false },
};

#define NVARIANTS (sizeof(variants) / sizeof(variants[0]))

/* What a group of replays compared. */
struct tally {
    size_t exprs, skipped, frames, partial, steps, evaluated, drops;
    size_t at_now;          /* values at now compared */
    int failed;
    struct buf out;
};

/* ---- comparing two results ---- */

/* The first difference of a and b (each a result or an error), into
 * out; false when they are the same. */
static bool
differs(const struct qresult *a, const struct diag *da,
        const struct qresult *b, const struct diag *db, struct buf *out)
{
    if (a == NULL || b == NULL) {
        if (a == NULL && b == NULL && strcmp(da->msg, db->msg) == 0 &&
            da->line == db->line && da->col == db->col)
            return false;
        buf_printf(out, "incremental %s, full %s", a ? "ok" : da->msg,
                   b ? "ok" : db->msg);
        return true;
    }
    if (a->type != b->type || a->t != b->t || a->nseries != b->nseries) {
        buf_printf(out, "%zu series, full %zu", a->nseries, b->nseries);
        return true;
    }
    for (size_t i = 0; i < a->nseries; i++) {
        const struct qseries *x = &a->series[i], *y = &b->series[i];

        if (!labels_equal(&x->labels, &y->labels) ||
            x->npoints != y->npoints) {
            buf_puts(out, "series ");
            labels_format(&y->labels, out);
            buf_printf(out, ": %zu points, full %zu", x->npoints,
                       y->npoints);
            return true;
        }
        for (size_t k = 0; k < x->npoints; k++) {
            if (x->points[k].t != y->points[k].t ||
                memcmp(&x->points[k].v, &y->points[k].v,
                       sizeof(double)) != 0) {
                buf_puts(out, "series ");
                labels_format(&y->labels, out);
                buf_printf(out, " point %zu: %.17g @%lld, full %.17g @%lld",
                           k, x->points[k].v, (long long)x->points[k].t,
                           y->points[k].v, (long long)y->points[k].t);
                return true;
            }
        }
    }
    return false;
}

/* ---- replaying a data set ---- */

/* A data set: series with their samples, and the load interval. */
struct src {
    const struct ptest_series *series;
    size_t n;
    int64_t interval, tmin, tmax;
};

static void
src_span(struct src *s)
{
    s->tmin = INT64_MAX;
    s->tmax = INT64_MIN;
    for (size_t i = 0; i < s->n; i++) {
        if (s->series[i].n == 0)
            continue;
        if (s->series[i].s[0].t < s->tmin)
            s->tmin = s->series[i].s[0].t;
        if (s->series[i].s[s->series[i].n - 1].t > s->tmax)
            s->tmax = s->series[i].s[s->series[i].n - 1].t;
    }
    if (s->tmin > s->tmax)
        s->tmin = s->tmax = 0;
}

/* The live store a replay feeds, and where each series stands. */
struct live {
    struct store *st;
    size_t *pos;
    uint64_t version;
};

/*
 * Appends every sample up to now; every third series runs late by lag,
 * as a target whose own timestamps lag the others'. A series is looked
 * up (or made) when it has samples to append, as a scrape does: gc may
 * have dropped it, and its id been reused.
 */
static void
feed(struct live *l, const struct src *src, int64_t now, int64_t lag)
{
    for (size_t i = 0; i < src->n; i++) {
        const struct ptest_series *s = &src->series[i];
        int64_t upto = i % 3 == 1 ? now - lag : now;
        uint32_t id;

        if (l->pos[i] >= s->n || s->s[l->pos[i]].t > upto)
            continue;
        id = store_series_id(l->st, &s->ls);
        for (; l->pos[i] < s->n && s->s[l->pos[i]].t <= upto; l->pos[i]++)
            if (store_append(l->st, id, s->s[l->pos[i]].t,
                             s->s[l->pos[i]].v) < 0)
                fail_msg("the store refused a sample");
    }
}

/* How far the next frame's clock moves: mostly a step, sometimes none, a
 * part of one, a few, or past the whole range. */
static int64_t
advance(unsigned *seed, int64_t step, int64_t scale)
{
    static const int64_t thirds[16] = { 0, 1, 1, 3, 3, 3, 3, 3, 3, 6, 6, 6,
                                        9, 9, 21, 51 };

    *seed = *seed * 1103515245u + 12345u;
    return thirds[(*seed >> 16) % 16] * step / 3 * scale;
}

/* The grid of a frame: NSTEPS steps ending at or before now, on the
 * multiples of step shifted by phase. */
static void
grid(int64_t now, int64_t step, int64_t phase, int64_t *start,
     int64_t *end)
{
    int64_t k = (now - phase) / step;

    if ((now - phase) % step < 0)
        k--;
    *end = k * step + phase;
    *start = *end - (NSTEPS - 1) * step;
}

static void
note_failure(struct tally *t, const char *expr, const struct variant *v,
             int64_t start, int64_t end, const char *what)
{
    if (t->failed++ < MAXFAIL)
        buf_printf(&t->out, "  %s [%s] grid %lld..%lld: %s\n", expr, v->name,
                   (long long)start, (long long)end, what);
}

/* Has the store dropped anything since the last frame? Counted, to show
 * that the retention and budget variants exercise drops. */
static void
count_drops(struct live *l, struct tally *t)
{
    struct store_changes c;

    if (store_changes_since(l->st, l->version, &c) &&
        c.max_dropped != INT64_MIN)
        t->drops++;
    l->version = store_version(l->st);
}

/* The series of an instant result, or the points of a one-step grid,
 * as (labels, value) sorted by labels. */
struct at_value {
    struct labels ls;
    double v;
};

static int
cmp_at(const void *a, const void *b)
{
    return labels_cmp(&((const struct at_value *)a)->ls,
                      &((const struct at_value *)b)->ls);
}

static size_t
at_values(const struct qresult *r, struct at_value **out)
{
    size_t n = 0;

    *out = xcalloc(r->nseries + 1, sizeof(**out));
    if (r->type == QV_SCALAR) {
        (*out)[n++].v = r->scalar;
        return n;
    }
    for (size_t i = 0; i < r->nseries; i++)
        if (r->series[i].npoints > 0)
            (*out)[n++] = (struct at_value){ r->series[i].labels,
                                             r->series[i].points[0].v };
    qsort(*out, n, sizeof(**out), cmp_at);
    return n;
}

/*
 * The value at now as a dashboard takes it: a grid of one step at now
 * (qeval_frame_at, or with step > 0 a range evaluation of one step),
 * read through the frame cache the grid was read through, against the
 * instant query at now: the same series, labels and value bits, or the
 * same error.
 */
static void
at_now(struct qcache *cache, const struct query *q, const struct store *st,
       int64_t now, int64_t step, struct tally *t, const char *expr,
       const struct variant *v)
{
    struct diag da, db;
    struct qresult *a = step > 0
                        ? qeval_range_cached(q, st, cache, now, now, step,
                                             &da)
                        : qeval_frame_at(q, st, cache, now, NULL, &da);
    struct qresult *b = qeval_instant(q, st, now, &db);
    struct at_value *x = NULL, *y = NULL;
    size_t nx = 0, ny = 0;
    char what[1200] = "";

    if (a == NULL || b == NULL) {
        if (!(a == NULL && b == NULL && strcmp(da.msg, db.msg) == 0))
            snprintf(what, sizeof(what), "at now: one step %s, instant %s",
                     a ? "ok" : da.msg, b ? "ok" : db.msg);
    } else {
        nx = at_values(a, &x);
        ny = at_values(b, &y);
        if (nx != ny)
            snprintf(what, sizeof(what), "at now: %zu series, instant %zu",
                     nx, ny);
        for (size_t i = 0; i < nx && i < ny && what[0] == '\0'; i++)
            if (!labels_equal(&x[i].ls, &y[i].ls) ||
                memcmp(&x[i].v, &y[i].v, sizeof(double)) != 0)
                snprintf(what, sizeof(what), "at now: series %zu: %.17g,"
                         " instant %.17g", i, x[i].v, y[i].v);
    }
    if (what[0] != '\0')
        note_failure(t, expr, v, now, now, what);
    t->at_now++;
    free(x);
    free(y);
    qresult_free(a);
    qresult_free(b);
}

/* One frame: incremental and full over the same grid, compared. */
static void
frame(struct qincr *inc, struct qcache *cache, const struct query *q,
      const struct store *st, int64_t start, int64_t end, int64_t step,
      struct tally *t, const char *expr, const struct variant *v)
{
    struct qresult *a, *b;
    struct qincr_stats s;
    struct diag da, db;
    struct buf what;

    diag_clear(&da);
    diag_clear(&db);
    if (cache != NULL)
        qcache_frame(cache, st);
    a = qincr_range(inc, q, st, cache, start, end, step, NULL, &da);
    b = qeval_range(q, st, start, end, step, &db);
    buf_init(&what, 0);
    if (differs(a, &da, b, &db, &what))
        note_failure(t, expr, v, start, end, buf_str(&what));
    buf_fini(&what);
    qincr_last(inc, &s);
    t->frames++;
    t->partial += !s.full;
    t->steps += s.steps;
    t->evaluated += s.evaluated;
    qresult_free(a);
    qresult_free(b);
}

/* A byte budget that makes the store drop its oldest chunks once about
 * half of src is in: an empty store's bytes and half of a full one's. */
static size_t
budget_for(const struct src *src)
{
    struct store *st = store_new(0, 0);
    struct store_stats empty, full;
    struct live l = { st, xcalloc(src->n + 1, sizeof(size_t)), 0 };

    store_get_stats(st, &empty);
    feed(&l, src, INT64_MAX / 2, 0);
    store_get_stats(st, &full);
    free(l.pos);
    store_free(st);
    return empty.bytes + (full.bytes - empty.bytes) / 2;
}

/* Replays src into a fresh store under variant v, comparing expr's
 * incremental and full results at every frame. */
static void
replay(const struct src *src, const char *expr, const struct variant *v,
       struct tally *t)
{
    struct diag d;
    struct query *q = qparse_query(expr, strlen(expr), &d);
    int64_t step = src->interval * v->num / v->den, now, last, start, end;
    int64_t range = (NSTEPS - 1) * step, scale, phase;
    struct live l = {0};
    struct qincr *inc;
    struct qcache *cache;
    unsigned seed = 5381;

    if (q == NULL || (qparse_type(q) != QV_SCALAR &&
                      qparse_type(q) != QV_VECTOR)) {
        t->skipped++;
        qparse_free(q);
        return;
    }
    for (const char *c = expr; *c != '\0'; c++)
        seed = seed * 33 + (unsigned char)*c;
    seed += (unsigned)(v - variants);
    t->exprs++;
    step = step > 0 ? step : 1;
    scale = (src->tmax - src->tmin) / step / 120 + 1;
    /* Phase 0 puts steps on the data's sample times. */
    phase = src->tmin % step;
    l.st = store_new(v->retention ? range + 3 * step : 0,
                     v->budget ? budget_for(src) : 0);
    l.pos = xcalloc(src->n + 1, sizeof(*l.pos));
    inc = qincr_new();
    cache = v->cache ? qcache_new(16u << 20) : NULL;
    last = src->tmax + range + 3 * step;
    for (now = src->tmin - 2 * step; now <= last;
         now += advance(&seed, step, scale)) {
        feed(&l, src, now, 5 * step / 2);
        if (v->retention || v->budget) {
            store_gc(l.st, now);
            store_trim(l.st, now);
        }
        count_drops(&l, t);
        grid(now, step, phase + step * v->phase / 3, &start, &end);
        frame(inc, cache, q, l.st, start, end, step, t, expr, v);
        if (now != end) {
            at_now(cache, q, l.st, now, 0, t, expr, v);
            /* A range evaluation of one step at now, of any step,
             * takes what the first one kept. */
            at_now(cache, q, l.st, now, 3 * step + 1, t, expr, v);
        }
        if (t->frames % 7 == 0)
            now++;      /* a clock between steps too */
    }
    qcache_free(cache);
    qincr_free(inc);
    free(l.pos);
    store_free(l.st);
    qparse_free(q);
}

static void
replay_all(const struct src *src, char *const *exprs, size_t n,
           struct tally *t)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < NVARIANTS; k++)
            replay(src, exprs[i], &variants[k], t);
}

/* Fails the test with the differences found, else reports the counts. */
static void
finish(struct tally *t, const char *what)
{
    print_message("%s: %zu expressions x %zu variants, %zu frames compared "
                  "(%zu skipped as no range query); %zu frames partial, "
                  "%zu of %zu steps evaluated; %zu frames after drops; "
                  "%zu values at now\n",
                  what, t->exprs / NVARIANTS, NVARIANTS,
                  t->frames, t->skipped / NVARIANTS, t->partial, t->evaluated,
                  t->steps, t->drops, t->at_now);
    if (t->failed > 0) {
        print_error("%d frames differ from the full evaluation:\n%s",
                    t->failed, buf_str(&t->out));
        buf_fini(&t->out);
        fail();
    }
    buf_fini(&t->out);
    /* The comparison means little if nothing was incremental. */
    assert_true(t->partial * 2 > t->frames);
    assert_true(t->evaluated * 2 < t->steps);
}

/* ---- the golden data set ---- */

/* Every series of st with all its samples, as a data set. */
static size_t
series_of(const struct store *st, struct ptest_series **out)
{
    uint32_t *ids = NULL;
    size_t n = store_select(st, NULL, 0, &ids), cap = 0;
    struct labels ls = { NULL, 0 };

    *out = xcalloc(n + 1, sizeof(**out));
    for (size_t i = 0; i < n; i++) {
        ls.n = store_series_labels(st, ids[i], &ls.v, &cap, 0);
        labels_dup(&(*out)[i].ls, &ls);
        (*out)[i].n = store_read(st, ids[i], INT64_MIN, INT64_MAX,
                                 &(*out)[i].s, &(*out)[i].cap);
    }
    free(ls.v);
    free(ids);
    return n;
}

/* Reads queries.txt: one expression per line, '#' lines and blanks
 * skipped. */
static size_t
golden_exprs(char ***out)
{
    char path[512], line[4096];
    FILE *f;
    size_t n = 0, len;

    snprintf(path, sizeof(path), "%s/promql/queries.txt", ts_testdata());
    f = fopen(path, "r");
    assert_non_null(f);
    *out = NULL;
    while (fgets(line, sizeof(line), f) != NULL) {
        len = strcspn(line, "\r\n");
        line[len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        *out = xreallocarray(*out, n + 1, sizeof(**out));
        (*out)[n++] = xstrdup(line);
    }
    fclose(f);
    return n;
}

/* Expressions the data sets lack: negative offsets, offset subqueries,
 * nested subqueries, @, constants and the time itself. */
static char *extra[] = {
    "app_in_flight_requests offset -5m",
    "rate(app_requests_total[2m] offset -3m)",
    "max_over_time(rate(app_requests_total[1m])[5m:30s] offset 2m)",
    "max_over_time(rate(app_requests_total[1m])[5m:30s] offset -2m)",
    "avg_over_time(max_over_time(go_goroutines[2m])[10m:1m])[15m:2m]",
    "sum_over_time(avg_over_time(max_over_time(go_goroutines[2m])"
    "[10m:1m])[15m:2m])",
    "timestamp(app_in_flight_requests offset -1m)",
    "absent(app_in_flight_requests{instance=\"c:80\"} offset -2m)",
    "go_goroutines @ end()",
    "rate(app_requests_total[5m] @ start())",
    "time()",
    "vector(1) + 2",
    "1 + 2",
    "scalar(sum(go_goroutines)) * time()",
    "count(go_goroutines offset 10m) + count(go_goroutines offset -10m)",
    "last_over_time(app_in_flight_requests[30s])",
    "label_replace(rate(app_requests_total[1m]), \"x\", \"$1\", "
    "\"instance\", \"(.):.*\")",
};

static void
test_golden(void **state)
{
    struct store *st = store_new(0, 0);
    struct ptest_series *series;
    struct tally t = {0};
    struct src src;
    char path[512], **exprs;
    size_t nexprs = golden_exprs(&exprs);
    struct diag d;

    (void)state;
    snprintf(path, sizeof(path), "%s/promql/input.om", ts_testdata());
    diag_clear(&d);
    assert_int_equal(load_file(st, path, 1700000000000LL, NULL, &d), 0);
    src.n = series_of(st, &series);
    src.series = series;
    src.interval = MIN;
    src_span(&src);
    buf_init(&t.out, 0);
    replay_all(&src, exprs, nexprs, &t);
    replay_all(&src, extra, sizeof(extra) / sizeof(extra[0]), &t);
    for (size_t i = 0; i < src.n; i++) {
        labels_release(&series[i].ls);
        free(series[i].s);
    }
    free(series);
    for (size_t i = 0; i < nexprs; i++)
        free(exprs[i]);
    free(exprs);
    store_free(st);
    finish(&t, "golden");
}

/* ---- the conformance scripts ---- */

static void
test_conformance(void **state)
{
    static const char *const files[] = {
        "aggregators", "collision", "functions", "literals", "operators",
        "selectors", "staleness",
    };
    struct tally t = {0};
    struct ptest_set *sets;
    char path[512], err[300];
    long nsets;

    (void)state;
    buf_init(&t.out, 0);
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        snprintf(path, sizeof(path), "%s/conformance/%s.test",
                 ts_testdata(), files[f]);
        nsets = ptest_read(path, &sets, err, sizeof(err));
        if (nsets < 0)
            fail_msg("%s", err);
        for (long i = 0; i < nsets; i++) {
            struct src src = { sets[i].series, sets[i].nseries,
                               sets[i].interval, 0, 0 };

            src_span(&src);
            if (src.interval <= 0)
                src.interval = MIN;
            replay_all(&src, sets[i].exprs, sets[i].nexprs, &t);
        }
        ptest_free(sets, (size_t)nsets);
    }
    finish(&t, "conformance");
}

/* ---- targeted cases ---- */

/* m{i="a"} every 15 s over [from, to] minutes, value the time in s. */
static void
add_series(struct store *st, const char *inst, int from, int to)
{
    struct label v[2] = { { "__name__", "m" }, { "i", inst } };
    struct labels ls = { v, 2 };
    uint32_t id = store_series_id(st, &ls);

    for (int64_t t = from * MIN; t <= to * MIN; t += 15000)
        assert_int_equal(store_append(st, id, t, (double)t / 1000), 0);
}

static struct query *
parse(const char *text)
{
    struct diag d;
    struct query *q = qparse_query(text, strlen(text), &d);

    assert_non_null(q);
    return q;
}

/* Refreshes inc over [start, end] (minutes) and checks the result
 * against the full evaluation; returns what the refresh did. */
static struct qincr_stats
refresh(struct qincr *inc, const struct query *q, const struct store *st,
        int64_t start, int64_t end, int64_t step, struct qresult **out)
{
    struct qresult *b;
    struct qincr_stats s;
    struct diag da, db;
    struct buf what;

    diag_clear(&da);
    diag_clear(&db);
    *out = qincr_range(inc, q, st, NULL, start * MIN, end * MIN, step, NULL,
                      &da);
    b = qeval_range(q, st, start * MIN, end * MIN, step, &db);
    buf_init(&what, 0);
    if (differs(*out, &da, b, &db, &what))
        fail_msg("%s over %lld..%lld m: %s", qparse_text(q),
                 (long long)start, (long long)end, buf_str(&what));
    buf_fini(&what);
    qresult_free(b);
    qincr_last(inc, &s);
    return s;
}

/* An unchanged grid and store give back the kept result itself; a
 * moved grid evaluates only its new steps; results outlive the state. */
static void
test_kept_and_shared(void **state)
{
    struct store *st = store_new(0, 0);
    struct query *q = parse("rate(m[5m])");
    struct qincr *inc = qincr_new();
    struct qresult *r1, *r2, *r3;
    struct qincr_stats s;

    (void)state;
    add_series(st, "a", 0, 30);
    s = refresh(inc, q, st, 10, 24, MIN, &r1);
    assert_true(s.full);
    assert_int_equal(s.steps, 15);
    s = refresh(inc, q, st, 10, 24, MIN, &r2);
    assert_false(s.full);
    assert_int_equal(s.evaluated, 0);
    assert_ptr_equal(r1, r2);
    /* A sample after the grid's end reaches no step. */
    add_series(st, "b", 31, 31);
    s = refresh(inc, q, st, 10, 24, MIN, &r3);
    assert_ptr_equal(r1, r3);
    qresult_free(r2);
    qresult_free(r3);
    s = refresh(inc, q, st, 11, 25, MIN, &r2);
    assert_false(s.full);
    assert_int_equal(s.evaluated, 1);
    assert_ptr_not_equal(r1, r2);
    /* A clock set back: the grid's first two steps are new. */
    s = refresh(inc, q, st, 9, 23, MIN, &r3);
    assert_false(s.full);
    assert_int_equal(s.evaluated, 2);
    qresult_free(r3);
    s = refresh(inc, q, st, 11, 25, MIN, &r3);
    assert_int_equal(s.evaluated, 2);
    qresult_free(r3);
    /* Either owner may let go first. */
    qresult_free(r1);
    qincr_free(inc);
    assert_int_equal(r2->nseries, 1);
    assert_int_equal(r2->series[0].npoints, 15);
    qresult_free(r2);
    qparse_free(q);
    store_free(st);
}

/* Refreshes and checks whether the whole grid was evaluated; returns
 * whether the refresh failed (as the full evaluation did). */
static bool
expect_full(struct qincr *inc, const struct query *q, const struct store *st,
            int64_t start, int64_t end, int64_t step, bool want)
{
    struct qresult *r;

    assert_int_equal(refresh(inc, q, st, start, end, step, &r).full, want);
    qresult_free(r);
    return r == NULL;
}

/* What makes a refresh evaluate the whole grid. */
static void
test_fallbacks(void **state)
{
    struct store *st = store_new(0, 0), *other = store_new(0, 0);
    struct query *q = parse("sum(m)"), *same = parse("sum(m)");
    struct query *changed = parse("max(m)"), *at = parse("sum(m @ 600)");
    struct qincr *inc = qincr_new();
    struct qresult *r;

    (void)state;
    add_series(st, "a", 0, 30);
    add_series(other, "a", 0, 30);
    expect_full(inc, q, st, 0, 14, MIN, true);          /* the first */
    expect_full(inc, q, st, 1, 15, MIN, false);
    expect_full(inc, same, st, 2, 16, MIN, false);      /* same text */
    expect_full(inc, changed, st, 3, 17, MIN, true);
    expect_full(inc, changed, st, 3, 31, 2 * MIN, true);    /* step */
    expect_full(inc, changed, st, 5, 33, 2 * MIN, false);
    expect_full(inc, changed, other, 7, 35, 2 * MIN, true); /* store */
    expect_full(inc, at, other, 7, 35, 2 * MIN, true);      /* @ */
    expect_full(inc, at, other, 9, 37, 2 * MIN, true);
    expect_full(inc, q, st, 0, 14, MIN, true);
    /* A start off the kept grid's multiples of the step. */
    r = qincr_range(inc, q, st, NULL, 30000, 14 * MIN + 30000, MIN, NULL,
                    NULL);
    assert_non_null(r);
    qresult_free(r);
    expect_full(inc, q, st, 0, 14, MIN, true);
    expect_full(inc, q, st, 0, 14, MIN, false);
    store_clear(st);
    add_series(st, "a", 0, 30);
    expect_full(inc, q, st, 0, 14, MIN, true);      /* the store forgot */
    /* More changes than the store remembers: 8,700 new times. */
    add_series(st, "b", 31, 2200);
    expect_full(inc, q, st, 0, 14, MIN, true);
    expect_full(inc, q, st, 0, 14, MIN, false);
    /* Bad grids fail as the full evaluation does. */
    assert_true(expect_full(inc, q, st, 14, 0, MIN, true));
    assert_true(expect_full(inc, q, st, 0, 14 * 11000, MIN, true));
    qincr_free(inc);
    qparse_free(q);
    qparse_free(same);
    qparse_free(changed);
    qparse_free(at);
    store_free(st);
    store_free(other);
}

/* New data that makes the new steps fail: the error is the full
 * evaluation's, and the next refresh starts afresh. */
static void
test_error_in_new_steps(void **state)
{
    struct store *st = store_new(0, 0);
    struct query *q = parse("label_replace(m, \"i\", \"x\", \"\", \"\")");
    struct qincr *inc = qincr_new();

    (void)state;
    add_series(st, "a", 0, 10);
    expect_full(inc, q, st, 0, 14, MIN, true);
    /* b collides with a where both have points: from 12 m to 15 m. */
    add_series(st, "b", 12, 20);
    assert_true(expect_full(inc, q, st, 1, 15, MIN, true));
    assert_true(expect_full(inc, q, st, 2, 16, MIN, true));
    /* Past the collision the query works again. */
    expect_full(inc, q, st, 16, 30, MIN, true);
    expect_full(inc, q, st, 17, 31, MIN, false);
    qincr_free(inc);
    qparse_free(q);
    store_free(st);
}

/* The least max_samples the full evaluation of q over [start, end]
 * (minutes, one a step) passes with. */
static int64_t
least_budget(const struct query *q, const struct store *st, int start,
             int end)
{
    struct qeval_ctl ctl;
    struct qresult *r;
    struct diag d;

    for (int64_t need = 1; need < 1000; need++) {
        qeval_ctl_init(&ctl);
        ctl.max_samples = need;
        r = qeval_range_ctl(q, st, NULL, start * MIN, end * MIN, MIN, &ctl,
                            &d);
        if (r != NULL) {
            qresult_free(r);
            return need;
        }
        assert_int_equal(ctl.stopped, QEVAL_TOO_MANY_SAMPLES);
    }
    fail_msg("%s needs 1000 samples or more", qparse_text(q));
    return 0;
}

/* Refreshes inc within ctl over [start, end] (minutes); returns whether
 * it failed, with its message in msg, and what it did in *s. */
static bool
refresh_within(struct qincr *inc, const struct query *q,
               const struct store *st, int start, int end,
               struct qeval_ctl *ctl, struct qincr_stats *s, char *msg,
               size_t size)
{
    struct qresult *r;
    struct diag d;

    diag_clear(&d);
    r = qincr_range(inc, q, st, NULL, start * MIN, end * MIN, MIN, ctl, &d);
    qincr_last(inc, s);
    snprintf(msg, size, "%s", r == NULL ? d.msg : "");
    qresult_free(r);
    return r == NULL;
}

/*
 * A refresh within a budget: the budget the full evaluation of a grid
 * needs carries the refreshes of the grid as it slides; a series that
 * takes the grid past it fails the refresh with Prometheus's error, as it
 * fails the full evaluation, and no full evaluation follows; a raised
 * flag stops a refresh the same way.
 */
static void
test_budget(void **state)
{
    static const char too_many[] = "query processing would load too many "
                                   "samples into memory in query execution";
    struct store *st = store_new(0, 0);
    struct query *q = parse("m");
    struct qincr *inc = qincr_new();
    static volatile sig_atomic_t flag;
    struct qincr_stats s;
    struct qeval_ctl ctl;
    int64_t need;
    char msg[sizeof(((struct diag *)0)->msg)];

    (void)state;
    add_series(st, "a", 0, 30);
    need = least_budget(q, st, 0, 14);
    qeval_ctl_init(&ctl);
    ctl.max_samples = need;
    assert_false(refresh_within(inc, q, st, 0, 14, &ctl, &s, msg,
                                sizeof(msg)));
    assert_true(s.full);
    assert_false(refresh_within(inc, q, st, 1, 15, &ctl, &s, msg,
                                sizeof(msg)));
    assert_false(s.full);
    assert_int_equal(s.evaluated, 1);
    /* A second series at 16 m: one point more than the grid had. */
    add_series(st, "b", 16, 16);
    assert_true(least_budget(q, st, 2, 16) > need);
    assert_true(refresh_within(inc, q, st, 2, 16, &ctl, &s, msg,
                               sizeof(msg)));
    assert_int_equal(ctl.stopped, QEVAL_TOO_MANY_SAMPLES);
    assert_string_equal(msg, too_many);
    assert_false(s.full);
    /* With room again, a full evaluation (nothing was kept), then a
     * refresh that a signal stops: the flag's error, no full one. */
    ctl.max_samples = need + 1;
    assert_false(refresh_within(inc, q, st, 2, 16, &ctl, &s, msg,
                                sizeof(msg)));
    assert_true(s.full);
    ctl.cancel = &flag;
    flag = SIGTERM;
    assert_true(refresh_within(inc, q, st, 3, 17, &ctl, &s, msg,
                               sizeof(msg)));
    assert_int_equal(ctl.stopped, QEVAL_CANCELED);
    assert_string_equal(msg, "query was canceled in expression evaluation");
    assert_false(s.full);
    qincr_free(inc);
    qparse_free(q);
    store_free(st);
}

/* An interrupt hook that always says something more urgent waits. */
static bool
always(void *ctx)
{
    (*(int *)ctx)++;
    return true;
}

/*
 * An interrupted refresh (a key waiting in the dashboard) fails with
 * QEVAL_INTERRUPTED but, unlike the budget and the flag, keeps the state:
 * asked again, only the same new steps are evaluated, and the result is
 * the full evaluation's.
 */
static void
test_interrupted(void **state)
{
    struct store *st = store_new(0, 0);
    struct query *q = parse("sum(rate(m[5m]))");
    struct qincr *inc = qincr_new();
    struct qincr_stats s;
    struct qeval_ctl ctl;
    struct qresult *r;
    int asked = 0;
    char msg[sizeof(((struct diag *)0)->msg)];

    (void)state;
    /* 300 series: a few steps are thousands of samples of work, so the
     * evaluator reaches the points where it asks. */
    for (int i = 0; i < 300; i++) {
        char inst[16];

        snprintf(inst, sizeof(inst), "s%d", i);
        add_series(st, inst, 0, 60);
    }
    qeval_ctl_init(&ctl);
    assert_false(refresh_within(inc, q, st, 10, 24, &ctl, &s, msg,
                                sizeof(msg)));
    assert_true(s.full);
    ctl.interrupt = always;
    ctl.interrupt_ctx = &asked;
    assert_true(refresh_within(inc, q, st, 15, 29, &ctl, &s, msg,
                               sizeof(msg)));
    assert_int_equal(ctl.stopped, QEVAL_INTERRUPTED);
    assert_true(asked > 0);
    assert_string_equal(msg, "query was interrupted");
    s = refresh(inc, q, st, 15, 29, MIN, &r);
    assert_false(s.full);
    assert_int_equal(s.evaluated, 5);
    qresult_free(r);
    qincr_free(inc);
    qparse_free(q);
    store_free(st);
}

/* A kept selection is in label order, and each series' labels without
 * the metric name, and their hash, are those labels'. */
static void
check_selection(const struct qcache_series *sel, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct labels *ls = &sel[i].ls;
        size_t k = 0;

        if (i > 0 && labels_cmp(&sel[i - 1].ls, ls) >= 0)
            fail_msg("series %zu out of order", i);
        assert_int_equal(sel[i].noname.n, ls->n - 1);
        for (size_t j = 0; j < ls->n; j++) {
            if (strcmp(ls->v[j].name, LABEL_METRIC_NAME) == 0)
                continue;
            assert_string_equal(sel[i].noname.v[k].name, ls->v[j].name);
            assert_string_equal(sel[i].noname.v[k++].value, ls->v[j].value);
        }
        assert_true(sel[i].noname_hash == labels_hash(&sel[i].noname));
    }
}

/*
 * A selection built in the frame cache, interrupted at every safe point:
 * each time the query is asked again the build goes on from where it
 * stopped (with every look interrupting, a build begun afresh each time
 * would never end), and the query then gives exactly what it gives
 * uninterrupted without a cache, which selects and sorts in one go.
 * Series are made out of label order, some with a label that sorts
 * before the metric name, so the sort and the labels without the name
 * both have work to do.
 */
static void
test_selection_resumed(void **state)
{
    static const char *const exprs[] = {
        "m", "sum by (g) (rate(m[5m]))", "rate(m[5m])",
    };
    struct store *st = store_new(0, 0);
    struct qcache *cache = qcache_new(64u << 20);
    struct query *sel = parse(exprs[0]);
    struct qeval_ctl ctl;
    struct diag da, db;
    struct buf what;
    int asked = 0, tries = 0;
    bool distinct = false;
    size_t n;

    (void)state;
    for (int k = 0; k < 3000; k++) {
        char inst[16], g[8];
        struct label v[4] = { { "A", "x" }, { "__name__", "m" },
                              { "g", g }, { "i", inst } };
        struct labels ls = { k % 7 == 0 ? v : v + 1, k % 7 == 0 ? 4 : 3 };
        uint32_t id;

        snprintf(inst, sizeof(inst), "%05d", k * 7919 % 3000);
        snprintf(g, sizeof(g), "%d", k % 5);
        id = store_series_id(st, &ls);
        for (int64_t t = 0; t <= 20 * MIN; t += 15000)
            assert_int_equal(store_append(st, id, t, (double)t * 0.1 * k),
                             0);
    }
    qeval_ctl_init(&ctl);
    ctl.interrupt = always;
    ctl.interrupt_ctx = &asked;
    /* Asked again and again, as the dashboard's slices ask. */
    while (qcache_selection(cache, st, "m", 1, &n, &distinct) == NULL) {
        struct qresult *r;

        assert_true(++tries < 1000);
        diag_clear(&da);
        r = qeval_range_ctl(sel, st, cache, 10 * MIN,
                            20 * MIN, MIN, &ctl, &da);
        assert_null(r);
        assert_int_equal(ctl.stopped, QEVAL_INTERRUPTED);
    }
    assert_int_equal(n, 3000);
    assert_true(tries > 10);
    /* Each series has its own instance, so none clash without "m". */
    assert_true(distinct);
    check_selection(qcache_selection(cache, st, "m", 1, &n, &distinct), n);
    buf_init(&what, 0);
    for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
        struct query *q = parse(exprs[i]);
        struct qresult *a, *b;

        diag_clear(&da);
        diag_clear(&db);
        a = qeval_range_ctl(q, st, cache, 10 * MIN, 20 * MIN, MIN, NULL,
                            &da);
        b = qeval_range(q, st, 10 * MIN, 20 * MIN, MIN, &db);
        if (differs(a, &da, b, &db, &what))
            fail_msg("%s: %s", exprs[i], buf_str(&what));
        qresult_free(a);
        qresult_free(b);
        qparse_free(q);
    }
    buf_fini(&what);
    qparse_free(sel);
    qcache_free(cache);
    store_free(st);
}

/* A retention drop and new steps in one refresh: the steps at both ends
 * are evaluated, the middle is kept. */
static void
test_drop_and_new_steps(void **state)
{
    struct store *st = store_new(40 * MIN, 0);
    struct query *q = parse("max_over_time(m[10m])");
    struct qincr *inc = qincr_new();
    struct qresult *r;
    struct qincr_stats s;

    (void)state;
    /* 120 samples (30 m) fill a chunk; it goes once 40 m old. */
    add_series(st, "a", 0, 60);
    expect_full(inc, q, st, 30, 58, 2 * MIN, true);
    add_series(st, "b", 61, 72);
    store_gc(st, 71 * MIN);
    store_trim(st, 71 * MIN);
    s = refresh(inc, q, st, 32, 60, 2 * MIN, &r);
    assert_false(s.full);
    assert_true(s.evaluated > 1 && s.evaluated < s.steps);
    qresult_free(r);
    qincr_free(inc);
    qparse_free(q);
    store_free(st);
}

/* The one value of a result of one series (or a scalar). */
static double
only_value(const struct qresult *r)
{
    assert_non_null(r);
    if (r->type == QV_SCALAR)
        return r->scalar;
    assert_int_equal(r->nseries, 1);
    assert_int_equal(r->series[0].npoints, 1);
    return r->series[0].points[0].v;
}

/* Evaluates text at t (ms): as a panel's value at now through cache
 * (frame), as a range of one step through it, or as the instant
 * query; returns its one value. */
enum how { FRAME_AT, RANGE_ONE, INSTANT };

static double
value_at(const char *text, const struct store *st, struct qcache *cache,
         int64_t t, enum how how)
{
    struct query *q = parse(text);
    struct qresult *r;
    struct diag d;
    double v;

    if (how == FRAME_AT)
        r = qeval_frame_at(q, st, cache, t, NULL, &d);
    else if (how == RANGE_ONE)
        r = qeval_range_cached(q, st, cache, t, t, MIN, &d);
    else
        r = qeval_instant(q, st, t, &d);
    v = only_value(r);
    qresult_free(r);
    qparse_free(q);
    return v;
}

/*
 * A scrape lands between two panels' values at now in one frame: the
 * second panel's takes the aggregation the first computed, as if it had
 * been evaluated just before the scrape; a range evaluation does not,
 * and the next frame sees the scrape.
 */
static void
test_frame_at_shares(void **state)
{
    struct store *st = store_new(0, 0);
    struct qcache *cache = qcache_new(1u << 20);
    int64_t now = 31 * MIN;

    (void)state;
    add_series(st, "a", 0, 30);
    qcache_frame(cache, st);
    /* a's newest sample: 1800 at 30 m. */
    assert_true(value_at("sum(m)", st, cache, now, FRAME_AT) == 1800);
    /* The scrape: b with 1860 at 31 m. */
    add_series(st, "b", 31, 31);
    assert_true(value_at("sum(m) * 2", st, cache, now, INSTANT) == 7320);
    assert_true(value_at("sum(m) * 2", st, cache, now, FRAME_AT) == 3600);
    assert_true(value_at("sum(m) * 2", st, cache, now, RANGE_ONE) == 7320);
    /* Once a result of the store's version is kept, it is the newest. */
    assert_true(value_at("sum(m) * 2", st, cache, now, FRAME_AT) == 7320);
    /* Another time is another result. */
    assert_true(value_at("sum(m)", st, cache, now + 1, FRAME_AT) == 3660);
    add_series(st, "c", 31, 31);
    qcache_frame(cache, st);
    assert_true(value_at("sum(m)", st, cache, now, FRAME_AT) == 5520);
    qcache_free(cache);
    store_free(st);
}

/*
 * The incremental evaluator's parts never take a result computed at an
 * older version: a value at now kept before a late sample landed is not
 * the new step's, which holds the sample (as the full evaluation does)
 * and keeps holding it in later refreshes.
 */
static void
test_parts_never_take_older(void **state)
{
    struct store *st = store_new(0, 0);
    struct qcache *cache = qcache_new(1u << 20);
    struct query *q = parse("sum(m)");
    struct qincr *inc = qincr_new();
    struct qresult *r, *full;
    struct qincr_stats s;
    struct diag d;
    struct buf what;

    (void)state;
    add_series(st, "a", 0, 30);
    qcache_frame(cache, st);
    r = qincr_range(inc, q, st, cache, 17 * MIN, 30 * MIN, MIN, NULL, &d);
    qresult_free(r);
    qcache_frame(cache, st);
    /* A panel's value at 31 m, before the scrape of b lands. */
    assert_true(value_at("sum(m)", st, cache, 31 * MIN, FRAME_AT) == 1800);
    add_series(st, "b", 31, 31);
    buf_init(&what, 0);
    for (int end = 31; end <= 32; end++) {
        /* The grid's new step, 31 m, is a part of one step at 31 m. */
        r = qincr_range(inc, q, st, cache, (end - 13) * MIN, end * MIN,
                        MIN, NULL, &d);
        qincr_last(inc, &s);
        assert_false(s.full);
        assert_int_equal(s.evaluated, 1);
        full = qeval_range(q, st, (end - 13) * MIN, end * MIN, MIN, &d);
        if (differs(r, &d, full, &d, &what))
            fail_msg("grid ending at %d m: %s", end, buf_str(&what));
        /* The step at 31 m: a's 1800 and b's 1860. */
        assert_true(r->series[0].points[r->series[0].npoints - 1
                                        - (size_t)(end - 31)].v == 3660);
        qresult_free(r);
        qresult_free(full);
        qcache_frame(cache, st);
    }
    buf_fini(&what);
    qincr_free(inc);
    qparse_free(q);
    qcache_free(cache);
    store_free(st);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kept_and_shared),
        cmocka_unit_test(test_fallbacks),
        cmocka_unit_test(test_error_in_new_steps),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_interrupted),
        cmocka_unit_test(test_selection_resumed),
        cmocka_unit_test(test_drop_and_new_steps),
        cmocka_unit_test(test_frame_at_shares),
        cmocka_unit_test(test_parts_never_take_older),
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_conformance),
    };

    return cmocka_run_group_tests_name("query_incr", tests, NULL, NULL);
}
