/*
 * promdeck's PromQL answers against a real Prometheus 2.42's: loads
 * tests/data/promql/input.om into the store, runs each expression of
 * queries.txt as the five instant queries and the range query recorded in
 * golden.json (and likewise input_ties.om, ties.txt and golden_ties.json:
 * topk and bottomk over tied values, captured by gen_ties.sh), and
 * compares label sets, order (where the query sorts),
 * timestamps and values (Prometheus's almost-equal rule). One cmocka test
 * per expression; a failure lists every case that differed and how.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "query/ast.h"
#include "query/parse.h"
#include "query/query.h"
#include "src/base/buf.h"
#include "src/base/xalloc.h"
#include "src/base/yaml.h"
#include "src/load.h"
#include "store/labels.h"
#include "store/store.h"
#include "tests/support/fs.h"

#define MAX_EXPRS 128
#define MAX_DIFFS 6

/* One input file, its expressions and their golden answers. */
struct golden {
    const char *input, *queries, *answers;  /* in tests/data/promql */
    struct store *st;
    struct qcache *cache;       /* shared by every range case, never cleared:
                                 * the store does not change */
    struct yaml_node *doc;
    const struct yaml_node *cases;
};

/* One expression and the golden cases recorded for it. */
struct expr_case {
    struct golden *g;
    char *expr;
    const struct yaml_node *cases[8];
    size_t ncases;
};

static struct golden golden = { .input = "input.om",
                                .queries = "queries.txt",
                                .answers = "golden.json" };
static struct golden ties = { .input = "input_ties.om", .queries = "ties.txt",
                              .answers = "golden_ties.json" };
static struct expr_case exprs[MAX_EXPRS];
static size_t nexprs;

/* ---- comparison helpers ---- */

/* Prometheus's almost-equal (FORMAT.md 4.5 of the conformance notes). */
static bool
almost_equal(double e, double a)
{
    const double min_normal = 2.2250738585072014e-308;
    double d;

    if (isnan(e) && isnan(a))
        return true;
    if (e == a)
        return true;
    d = fabs(e - a);
    if (e == 0 || a == 0 || d < min_normal)
        return d < 1e-6 * min_normal;
    return d / (fabs(e) + fabs(a)) < 1e-6;
}

/* A JSON number of seconds (possibly fractional) as milliseconds. */
static int64_t
json_ms(const struct yaml_node *n)
{
    double s = 0;

    if (yaml_get_double(n, &s, NULL) < 0)
        fail_msg("bad time in golden.json at line %d", n ? n->line : 0);
    return (int64_t)llround(s * 1000);
}

/* A sample value as the API writes it: "1.5", "NaN", "+Inf". */
static double
json_value(const struct yaml_node *n)
{
    const char *s = yaml_scalar(n);
    char *end;
    double v;

    if (s == NULL)
        fail_msg("bad value in golden.json at line %d", n ? n->line : 0);
    v = strtod(s, &end);
    if (*end != '\0')
        fail_msg("bad value '%s' in golden.json at line %d", s, n->line);
    return v;
}

/* The "metric" object of a golden series as a sorted label set; the
 * strings stay in the golden tree. The caller frees ls->v. */
static void
json_labels(const struct yaml_node *metric, struct labels *ls)
{
    size_t n = yaml_map_size(metric);

    ls->v = xcalloc(n + 1, sizeof(*ls->v));
    ls->n = n;
    for (size_t i = 0; i < n; i++) {
        ls->v[i].name = yaml_scalar(yaml_map_at(metric, i)->key);
        ls->v[i].value = yaml_scalar(yaml_map_at(metric, i)->value);
    }
    labels_sort(ls);
}

/* Starts one difference line unless enough were written. */
static bool
diff(struct buf *out, int *ndiff, const char *what)
{
    if ((*ndiff)++ >= MAX_DIFFS) {
        if (*ndiff == MAX_DIFFS + 1)
            buf_puts(out, "      ...\n");
        return false;
    }
    buf_printf(out, "      %s", what);
    return true;
}

static void
put_labels(struct buf *out, const struct labels *ls)
{
    if (ls->n == 0)
        buf_puts(out, "{}");
    else
        labels_format(ls, out);
}

/* Finds our series with exactly these labels; -1 when there is none. */
static long
find_series(const struct qresult *r, const struct labels *ls)
{
    for (size_t i = 0; i < r->nseries; i++)
        if (labels_equal(&r->series[i].labels, ls))
            return (long)i;
    return -1;
}

/* Compares one golden series' points with ours (range queries). */
static void
compare_points(const struct yaml_node *values, const struct qseries *s,
               const struct labels *ls, struct buf *out, int *ndiff)
{
    size_t n = yaml_seq_size(values);
    const struct yaml_node *p;
    int64_t t;
    double v;

    if (n != s->npoints && diff(out, ndiff, "")) {
        put_labels(out, ls);
        buf_printf(out, ": expected %zu points, got %zu\n", n, s->npoints);
    }
    for (size_t i = 0; i < n && i < s->npoints; i++) {
        p = yaml_seq_at(values, i);
        t = json_ms(yaml_seq_at(p, 0));
        v = json_value(yaml_seq_at(p, 1));
        if (t == s->points[i].t && almost_equal(v, s->points[i].v))
            continue;
        if (diff(out, ndiff, "")) {
            put_labels(out, ls);
            buf_printf(out, ": point %zu expected %.17g @%lld, got %.17g "
                       "@%lld\n", i, v, (long long)t, s->points[i].v,
                       (long long)s->points[i].t);
        }
        return;
    }
}

/* Compares a golden vector or matrix with ours; ordered checks that the
 * i-th golden series is our i-th. */
static void
compare_series(const struct yaml_node *result, const struct qresult *r,
               bool matrix, bool ordered, struct buf *out, int *ndiff)
{
    size_t n = yaml_seq_size(result);
    bool *seen = xcalloc(r->nseries + 1, sizeof(*seen));
    const struct yaml_node *s;
    struct labels ls;
    long j;

    for (size_t i = 0; i < n; i++) {
        s = yaml_seq_at(result, i);
        json_labels(yaml_get(s, "metric"), &ls);
        j = find_series(r, &ls);
        if (j < 0) {
            if (diff(out, ndiff, "missing ")) {
                put_labels(out, &ls);
                buf_puts(out, "\n");
            }
        } else {
            seen[j] = true;
            if (ordered && (size_t)j != i && diff(out, ndiff, "")) {
                put_labels(out, &ls);
                buf_printf(out, ": expected at position %zu, got %ld\n",
                           i + 1, j + 1);
            }
            if (matrix) {
                compare_points(yaml_get(s, "values"), &r->series[j], &ls,
                               out, ndiff);
            } else if (r->series[j].npoints != 1) {
                if (diff(out, ndiff, "")) {
                    put_labels(out, &ls);
                    buf_printf(out, ": %zu points in an instant vector\n",
                               r->series[j].npoints);
                }
            } else {
                double v = json_value(yaml_seq_at(yaml_get(s, "value"), 1));
                if (!almost_equal(v, r->series[j].points[0].v) &&
                    diff(out, ndiff, "")) {
                    put_labels(out, &ls);
                    buf_printf(out, ": expected %.17g, got %.17g\n", v,
                               r->series[j].points[0].v);
                }
            }
        }
        free(ls.v);
    }
    for (size_t i = 0; i < r->nseries; i++) {
        if (!seen[i] && diff(out, ndiff, "unexpected ")) {
            put_labels(out, &r->series[i].labels);
            buf_puts(out, "\n");
        }
    }
    free(seen);
}

/* The result type golden.json records, as our enum. */
static enum qvalue_type
golden_type(const char *s)
{
    if (strcmp(s, "vector") == 0)
        return QV_VECTOR;
    if (strcmp(s, "matrix") == 0)
        return QV_MATRIX;
    if (strcmp(s, "scalar") == 0)
        return QV_SCALAR;
    if (strcmp(s, "string") == 0)
        return QV_STRING;
    return QV_NONE;
}

/* True when the expression's outermost call orders its output. */
static bool
sorts(const char *expr)
{
    static const char *const fns[] = { "sort(", "sort_desc(", "topk(",
                                       "bottomk(", "topk by", "bottomk by" };

    for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
        if (strncmp(expr, fns[i], strlen(fns[i])) == 0)
            return true;
    return false;
}

/*
 * Whether q is topk or bottomk over anything but a plain selector. Over
 * such an argument Prometheus 2.42's range answer is not determined when
 * values tie: its range evaluation gathers every intermediate matrix
 * from a Go map (rangeEval in promql/engine.go), so the order in which
 * the heap meets tied samples, and with it which tied series it keeps,
 * changes from run to run (gen_ties.sh shows it). Only the values each
 * step keeps are certain. Instant answers, and range answers over a
 * selector (read in the storage's label order), are determined.
 */
static bool
ranked_unordered(const struct query *q)
{
    const struct qnode *n = qparse_unparen(qparse_root(q));

    return n->kind == QN_AGG && (n->op == QT_TOPK || n->op == QT_BOTTOMK)
           && qparse_unparen(n->lhs)->kind != QN_SELECTOR;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    if (isnan(x) || isnan(y))
        return isnan(x) - isnan(y);
    return x < y ? -1 : x > y;
}

/* The values at time t of every series of a golden matrix (vals holds
 * enough); how many. */
static size_t
golden_values_at(const struct yaml_node *result, int64_t t, double *vals)
{
    size_t n = 0;

    for (size_t i = 0; i < yaml_seq_size(result); i++) {
        const struct yaml_node *pts = yaml_get(yaml_seq_at(result, i),
                                               "values");

        for (size_t k = 0; k < yaml_seq_size(pts); k++)
            if (json_ms(yaml_seq_at(yaml_seq_at(pts, k), 0)) == t)
                vals[n++] = json_value(yaml_seq_at(yaml_seq_at(pts, k), 1));
    }
    return n;
}

/* Our values at time t, likewise. */
static size_t
values_at(const struct qresult *r, int64_t t, double *vals)
{
    size_t n = 0;

    for (size_t i = 0; i < r->nseries; i++)
        for (size_t k = 0; k < r->series[i].npoints; k++)
            if (r->series[i].points[k].t == t)
                vals[n++] = r->series[i].points[k].v;
    return n;
}

/* ranked_unordered's range case: per step, the same values kept. */
static void
compare_step_values(const struct yaml_node *c, const struct yaml_node *res,
                    const struct qresult *r, struct buf *out, int *ndiff)
{
    int64_t t0 = json_ms(yaml_get(c, "start")),
            t1 = json_ms(yaml_get(c, "end")),
            step = json_ms(yaml_get(c, "step"));
    size_t cap = yaml_seq_size(res) + r->nseries + 1, ng, nr;
    double *g = xcalloc(cap, sizeof(*g)), *o = xcalloc(cap, sizeof(*o));

    for (int64_t t = t0; t <= t1; t += step) {
        ng = golden_values_at(res, t, g);
        nr = values_at(r, t, o);
        qsort(g, ng, sizeof(*g), cmp_double);
        qsort(o, nr, sizeof(*o), cmp_double);
        for (size_t i = 0; i < ng || i < nr; i++) {
            if (i < ng && i < nr && almost_equal(g[i], o[i]))
                continue;
            if (diff(out, ndiff, ""))
                buf_printf(out, "@%lld: expected %zu values, got %zu, "
                           "the %zu-th differs\n", (long long)t, ng, nr,
                           i + 1);
            break;
        }
    }
    free(g);
    free(o);
}

/* Compares one golden answer with ours; the number of differences. */
static int
compare_result(const struct yaml_node *c, const struct qresult *r,
               const char *expr, const struct query *q, struct buf *out)
{
    const struct yaml_node *data = yaml_get(yaml_get(c, "response"), "data");
    enum qvalue_type want = golden_type(yaml_scalar(yaml_get(data,
                                                             "resultType")));
    const struct yaml_node *result = yaml_get(data, "result");
    int ndiff = 0;
    double v;

    if (r->type != want) {
        buf_printf(out, "      expected result type %s, got %d\n",
                   yaml_scalar(yaml_get(data, "resultType")), r->type);
        return 1;
    }
    if (want == QV_SCALAR) {
        v = json_value(yaml_seq_at(result, 1));
        if (!almost_equal(v, r->scalar)) {
            buf_printf(out, "      expected scalar %.17g, got %.17g\n", v,
                       r->scalar);
            return 1;
        }
        return 0;
    }
    if (want == QV_MATRIX && ranked_unordered(q)) {
        compare_step_values(c, result, r, out, &ndiff);
        return ndiff;
    }
    compare_series(result, r, want == QV_MATRIX,
                   want == QV_VECTOR && sorts(expr), out, &ndiff);
    return ndiff;
}

/*
 * Whether a result read through the frame cache equals the one read from
 * the store: same series, labels, timestamps and value bits.
 */
static bool
same_result(const struct qresult *a, const struct qresult *b)
{
    if (a->nseries != b->nseries)
        return false;
    for (size_t i = 0; i < a->nseries; i++) {
        const struct qseries *x = &a->series[i], *y = &b->series[i];

        if (!labels_equal(&x->labels, &y->labels)
            || x->npoints != y->npoints)
            return false;
        for (size_t k = 0; k < x->npoints; k++)
            if (x->points[k].t != y->points[k].t
                || memcmp(&x->points[k].v, &y->points[k].v,
                          sizeof(double)) != 0)
                return false;
    }
    return true;
}

/* The range case again through the shared cache; 1 if it differs. */
static int
check_cached(const struct golden *g, const struct query *q,
             const struct qresult *plain, int64_t start, int64_t end,
             int64_t step, struct buf *out)
{
    struct diag d;
    struct qresult *r;
    int differs;

    diag_clear(&d);
    r = qeval_range_cached(q, g->st, g->cache, start, end, step, &d);
    differs = r == NULL || !same_result(plain, r);
    if (differs)
        buf_puts(out, "      read through the frame cache, the result "
                 "differs from the store's\n");
    qresult_free(r);
    return differs;
}

/* Runs one golden case; the number of differences, described in out. */
static int
run_case(const struct expr_case *ec, const struct query *q,
         const struct yaml_node *c, struct buf *out)
{
    const char *type = yaml_scalar(yaml_get(c, "type"));
    struct qresult *r;
    struct diag d;
    int n;

    diag_clear(&d);
    if (strcmp(type, "range") == 0) {
        int64_t step = json_ms(yaml_get(c, "step"));
        buf_printf(out, "    range %s..%s step %s:\n",
                   yaml_scalar(yaml_get(c, "start")),
                   yaml_scalar(yaml_get(c, "end")),
                   yaml_scalar(yaml_get(c, "step")));
        r = qeval_range(q, ec->g->st, json_ms(yaml_get(c, "start")),
                        json_ms(yaml_get(c, "end")), step, &d);
    } else {
        buf_printf(out, "    instant at %s:\n",
                   yaml_scalar(yaml_get(c, "time")));
        r = qeval_instant(q, ec->g->st, json_ms(yaml_get(c, "time")), &d);
    }
    if (r == NULL) {
        buf_printf(out, "      evaluation failed: %s\n", d.msg);
        return 1;
    }
    n = compare_result(c, r, ec->expr, q, out);
    if (strcmp(type, "range") == 0)
        n += check_cached(ec->g, q, r, json_ms(yaml_get(c, "start")),
                          json_ms(yaml_get(c, "end")),
                          json_ms(yaml_get(c, "step")), out);
    qresult_free(r);
    return n;
}

/* One cmocka test: all golden cases of one expression. */
static void
test_expr(void **state)
{
    const struct expr_case *ec = *state;
    struct buf out, one;
    struct query *q;
    struct diag d;
    int failed = 0;

    assert_int_equal(ec->ncases, 6);
    diag_clear(&d);
    q = qparse_query(ec->expr, strlen(ec->expr), &d);
    if (q == NULL)
        fail_msg("%s: parse error at column %d: %s", ec->expr, d.col, d.msg);
    buf_init(&out, 0);
    buf_init(&one, 0);
    for (size_t i = 0; i < ec->ncases; i++) {
        buf_reset(&one);
        if (run_case(ec, q, ec->cases[i], &one) > 0) {
            failed++;
            buf_puts(&out, buf_str(&one));
        }
    }
    qparse_free(q);
    buf_fini(&one);
    if (failed > 0) {
        print_error("%s: %d of %zu cases differ from Prometheus 2.42:\n%s",
                    ec->expr, failed, ec->ncases, buf_str(&out));
        buf_fini(&out);
        fail();
    }
    buf_fini(&out);
}

/* ---- setup ---- */

/* Reads g's queries: one expression per line, '#' lines and blanks
 * ignored. */
static void
read_queries(struct golden *g)
{
    char path[512], line[4096];
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "%s/promql/%s", ts_testdata(), g->queries);
    f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    while (fgets(line, sizeof(line), f) != NULL && nexprs < MAX_EXPRS) {
        n = strcspn(line, "\r\n");
        line[n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        exprs[nexprs].g = g;
        exprs[nexprs++].expr = xstrdup(line);
    }
    fclose(f);
}

/* Gives each expression its golden cases (matched by the exact text). */
static void
attach_cases(struct golden *g)
{
    const struct yaml_node *c;
    const char *e;

    for (size_t i = 0; i < yaml_seq_size(g->cases); i++) {
        c = yaml_seq_at(g->cases, i);
        e = yaml_scalar(yaml_get(c, "expr"));
        for (size_t j = 0; e != NULL && j < nexprs; j++) {
            if (exprs[j].g == g && strcmp(exprs[j].expr, e) == 0
                && exprs[j].ncases < 8) {
                exprs[j].cases[exprs[j].ncases++] = c;
                break;
            }
        }
    }
}

/* Loads g's input into a store of its own and its golden answers. */
static int
load_golden(struct golden *g)
{
    char path[512];
    struct diag d;
    size_t nsamples;

    diag_clear(&d);
    g->st = store_new(7LL * 86400 * 1000, 0);
    g->cache = qcache_new(64u << 20);
    snprintf(path, sizeof(path), "%s/promql/%s", ts_testdata(), g->input);
    if (load_file(g->st, path, 1700000000000LL, &nsamples, &d) < 0) {
        fprintf(stderr, "%s:%d: %s\n", path, d.line, d.msg);
        return -1;
    }
    snprintf(path, sizeof(path), "%s/promql/%s", ts_testdata(), g->answers);
    g->doc = yaml_load_file(path, &d);
    if (g->doc == NULL) {
        fprintf(stderr, "%s:%d:%d: %s\n", path, d.line, d.col, d.msg);
        return -1;
    }
    g->cases = yaml_get(g->doc, "cases");
    attach_cases(g);
    return 0;
}

static int
group_setup(void **state)
{
    (void)state;
    return load_golden(&golden) < 0 || load_golden(&ties) < 0 ? -1 : 0;
}

static void
free_golden(struct golden *g)
{
    qcache_free(g->cache);
    store_free(g->st);
    yaml_tree_free(g->doc);
}

static int
group_teardown(void **state)
{
    (void)state;
    free_golden(&golden);
    free_golden(&ties);
    return 0;
}

int
main(void)
{
    struct CMUnitTest *tests;
    int rc;

    read_queries(&golden);
    read_queries(&ties);
    tests = xcalloc(nexprs + 1, sizeof(*tests));
    for (size_t i = 0; i < nexprs; i++) {
        tests[i].name = exprs[i].expr;
        tests[i].test_func = test_expr;
        tests[i].initial_state = &exprs[i];
    }
    rc = _cmocka_run_group_tests("query_golden", tests, nexprs, group_setup,
                                 group_teardown);
    for (size_t i = 0; i < nexprs; i++)
        free(exprs[i].expr);
    free(tests);
    return rc;
}
