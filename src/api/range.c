/*
 * A dashboard query kept up to date on a server with as little traffic
 * as the aligned grid allows: kept points + the new tail, merged by
 * label set into a fresh matrix each refresh (results are shared with
 * the panels, so none is changed in place). It does not decide when to
 * refresh; the dashboard does.
 */
#include "src/api/range.h"

#include <stdlib.h>
#include <string.h>

#include "src/api/decode.h"
#include "src/base/xalloc.h"

struct api_range {
    struct api_client *c;
    struct qresult *kept;       /* the grid's matrix, sorted by labels */
    char *expr;                 /* what kept holds */
    int64_t step, kept_end, last_full;

    /* The refresh in flight. */
    struct api_req *rq_range, *rq_at;
    int waiting;                /* answers still due */
    bool full;
    int64_t start, from, end, now;
    struct qresult *got_range, *got_at;
    char *error;
    api_range_fn done;
    void *ctx;
    int64_t last_steps;
};

struct api_range *
api_range_new(struct api_client *c)
{
    struct api_range *r = xcalloc(1, sizeof(*r));

    r->c = c;
    return r;
}

void
api_range_reset(struct api_range *r)
{
    qresult_free(r->kept);
    r->kept = NULL;
    free(r->expr);
    r->expr = NULL;
}

void
api_range_free(struct api_range *r)
{
    if (r == NULL)
        return;
    api_client_cancel(r->rq_range);
    api_client_cancel(r->rq_at);
    qresult_free(r->got_range);
    qresult_free(r->got_at);
    free(r->error);
    api_range_reset(r);
    free(r);
}

bool
api_range_busy(const struct api_range *r)
{
    return r->waiting > 0;
}

int64_t
api_range_last_steps(const struct api_range *r)
{
    return r->last_steps;
}

static int
cmp_series(const void *a, const void *b)
{
    return labels_cmp(&((const struct qseries *)a)->labels,
                      &((const struct qseries *)b)->labels);
}

/* A copy of ls in a. */
static struct labels
copy_labels(struct arena *a, const struct labels *ls)
{
    struct labels out = { arena_calloc(a, ls->n + 1, sizeof(*out.v)), ls->n };

    for (size_t i = 0; i < ls->n; i++) {
        out.v[i].name = arena_strdup(a, ls->v[i].name);
        out.v[i].value = arena_strdup(a, ls->v[i].value);
    }
    return out;
}

/* Appends to s (in a) the points of from with start <= t < before. */
static void
add_points(struct arena *a, struct qseries *s, const struct qseries *from,
           int64_t start, int64_t before)
{
    size_t n = 0;

    if (from == NULL)
        return;
    for (size_t i = 0; i < from->npoints; i++)
        n += from->points[i].t >= start && from->points[i].t < before;
    if (n == 0)
        return;
    s->points = arena_realloc(a, s->points, s->npoints * sizeof(*s->points),
                              (s->npoints + n + 1) * sizeof(*s->points));
    for (size_t i = 0; i < from->npoints; i++)
        if (from->points[i].t >= start && from->points[i].t < before)
            s->points[s->npoints++] = from->points[i];
}

/*
 * The grid's matrix: kept's points in [start, from) and then tail's
 * (all at from or later), series matched by label set; a series with no
 * point left goes. Both inputs sorted by labels.
 */
static struct qresult *
merge(const struct qresult *kept, const struct qresult *tail, int64_t start,
      int64_t from, int64_t end)
{
    struct arena *a = arena_new();
    struct qresult *m = arena_calloc(a, 1, sizeof(*m));
    size_t nk = kept != NULL ? kept->nseries : 0, i = 0, j = 0;

    m->type = QV_MATRIX;
    m->t = end;
    m->arena = a;
    m->series = arena_calloc(a, nk + tail->nseries + 1, sizeof(*m->series));
    while (i < nk || j < tail->nseries) {
        const struct qseries *k = i < nk ? &kept->series[i] : NULL;
        const struct qseries *t = j < tail->nseries ? &tail->series[j]
                                                    : NULL;
        int c = k == NULL ? 1 : t == NULL ? -1
                : labels_cmp(&k->labels, &t->labels);
        struct qseries *s = &m->series[m->nseries];

        memset(s, 0, sizeof(*s));
        s->labels = copy_labels(a, c <= 0 ? &k->labels : &t->labels);
        add_points(a, s, c <= 0 ? k : NULL, start, from);
        add_points(a, s, c >= 0 ? t : NULL, from, INT64_MAX);
        i += c <= 0;
        j += c >= 0;
        m->nseries += s->npoints > 0;
    }
    return m;
}

/* Both answers are in: merge, hand over, get ready for the next. */
static void
finish(struct api_range *r)
{
    struct qresult *range = NULL, *at = r->got_at;
    char *error = r->error;

    r->got_at = NULL;
    r->error = NULL;
    if (error == NULL) {
        if (r->got_range->nseries > 1)
            qsort(r->got_range->series, r->got_range->nseries,
                  sizeof(*r->got_range->series), cmp_series);
        range = merge(r->full ? NULL : r->kept, r->got_range, r->start,
                      r->from, r->end);
        qresult_free(r->kept);
        r->kept = qresult_ref(range);
        r->kept_end = r->end;
        if (r->full)
            r->last_full = r->now;
    } else {
        qresult_free(at);
        at = NULL;
    }
    qresult_free(r->got_range);
    r->got_range = NULL;
    r->done(r->ctx, range, at, error);
    free(error);
}

/* One answer: keeps its result, or the first error. */
static void
on_answer(struct api_range *r, const struct api_reply *rep,
          struct qresult **slot, bool want_matrix)
{
    char *err = NULL;

    if (rep->error != NULL) {
        err = xstrdup(rep->error);
    } else if (api_decode_result(rep->data, slot, &err) == 0 && want_matrix
               && (*slot)->type != QV_MATRIX) {
        err = xstrdup("the server's query_range answer is not a matrix");
    }
    if (err != NULL && r->error == NULL)
        r->error = err;
    else
        free(err);
    if (--r->waiting == 0)
        finish(r);
}

static void
on_range(void *ctx, const struct api_reply *rep)
{
    struct api_range *r = ctx;

    r->rq_range = NULL;
    on_answer(r, rep, &r->got_range, true);
}

static void
on_at(void *ctx, const struct api_reply *rep)
{
    struct api_range *r = ctx;

    r->rq_at = NULL;
    on_answer(r, rep, &r->got_at, false);
}

/* Whether the kept points can serve this refresh (else all is asked). */
static bool
can_keep(const struct api_range *r, const char *expr, int64_t start,
         int64_t end, int64_t step, int64_t now)
{
    return r->kept != NULL && r->expr != NULL && strcmp(r->expr, expr) == 0
           && r->step == step && r->kept_end <= end && r->kept_end >= start
           && now - r->last_full < API_RANGE_FULL_MS;
}

bool
api_range_refresh(struct api_range *r, const char *expr, int64_t start,
                  int64_t end, int64_t step, int64_t now, bool full,
                  api_range_fn done, void *ctx)
{
    struct buf form;
    struct api_req *rq;

    if (r->waiting > 0)
        return false;
    r->full = full || !can_keep(r, expr, start, end, step, now);
    if (r->full) {
        api_range_reset(r);
        r->expr = xstrdup(expr);
        r->step = step;
    }
    r->start = start;
    r->end = end;
    r->now = now;
    /* The last kept step is asked again: when it was evaluated, samples
     * scraped just before it may not have been in the server yet. */
    r->from = r->full ? start : r->kept_end;
    r->last_steps = (end - r->from) / step + 1;
    r->done = done;
    r->ctx = ctx;
    r->waiting = now != end ? 2 : 1;
    buf_init(&form, 0);
    api_client_form(&form, "query", expr);
    api_client_form_time(&form, "start", r->from);
    api_client_form_time(&form, "end", end);
    api_client_form_time(&form, "step", step);
    rq = api_client_request(r->c, "/api/v1/query_range", buf_str(&form),
                            on_range, r);
    if (rq != NULL)
        r->rq_range = rq;
    if (now != end) {
        buf_reset(&form);
        api_client_form(&form, "query", expr);
        api_client_form_time(&form, "time", now);
        rq = api_client_request(r->c, "/api/v1/query", buf_str(&form),
                                on_at, r);
        if (rq != NULL)
            r->rq_at = rq;
    }
    buf_fini(&form);
    return true;
}
