/*
 * promql-conformance: runs Prometheus 2.42's PromQL test scripts (load,
 * clear, eval, eval_ordered, eval_fail) against promdeck's store and query
 * engine and counts passed, failed and skipped evals. It reads the 2.42
 * format only (no `eval range`, no native histograms). Options add the
 * reference harness's extra checks: --range-check its range-mode re-check,
 * --at-variants its @-pinned variants. eval_fail is strict, as in the
 * reference: the expression must parse and then fail to evaluate. A file
 * error (bad series line, unknown command) counts as one failure and ends
 * that file. It is one file of over 1000 lines on purpose: the build makes
 * the tool from this file alone, and its sections (series identities,
 * value sequences, comparison, variants, scripts) are only used here.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/ast.h"
#include "query/parse.h"
#include "query/query.h"
#include "query/value.h"
#include "src/base/buf.h"
#include "src/base/diag.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"
#include "src/rules/notation.h"
#include "store/labels.h"
#include "store/store.h"

/* History kept by the store: far more than any script spans. */
#define RETENTION_MS (100LL * 365 * 86400 * 1000)
/* Differences printed per failing eval before "...". */
#define MAX_DIFFS 8

/*
 * Features the engine may report as not implemented yet. An eval is
 * skipped only when the engine's own parse or evaluation error says the
 * feature is unsupported (see unsupported_phrases) and names one of these.
 * Any other error, and every wrong answer, is a failure.
 */
static const char *const unsupported_names[] = {
    "holt_winters", "count_values", "quantile_over_time", "predict_linear",
    "stddev_over_time", "stdvar_over_time", "subquer", "@ modifier",
};
static const char *const unsupported_phrases[] = {
    "unknown function", "not supported", "unsupported", "not implemented",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- parsed script pieces ---- */

struct counts {
    int pass, fail, skip;
};

struct runner {
    struct store *st;
    bool range_check;
    bool at_variants;
    const char *file;
    struct counts file_n, total;
};

static bool
is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

/* ---- numbers and output ---- */

/* A whole line as Go's parseNumber reads it: an integer in any base
 * prefix, else a float (Inf, NaN in any case). */
static bool
parse_bare_number(const char *s, double *out)
{
    char *end;
    long long i;

    if (*s == '\0')
        return false;
    errno = 0;
    i = strtoll(s, &end, 0);
    if (*end == '\0' && errno == 0) {
        *out = (double)i;
        return true;
    }
    *out = strtod(s, &end);
    return *end == '\0' && !isspace((unsigned char)*s);
}

/* Prometheus's almost-equal: NaN equals NaN, exact zeros, else a relative
 * tolerance of 1e-6 against the sum of magnitudes. */
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

/* Whole numbers as integers, else the shortest %g form that reads back
 * as the same double. */
static void
put_value(struct buf *b, double v)
{
    char tmp[40];

    if (store_is_stale(v)) {
        buf_puts(b, "stale");
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        buf_printf(b, "%.0f", v);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
        if (isnan(v) || strtod(tmp, NULL) == v)
            break;
    }
    buf_puts(b, tmp);
}

static void
put_labels(struct buf *b, const struct labels *ls)
{
    if (ls->n == 0)
        buf_puts(b, "{}");
    else
        labels_format(ls, b);
}

/* ---- evals ---- */

struct eval {
    int line;
    bool ordered, fail;
    int64_t t;
    const char *header;     /* the whole header line, for messages */
    const char *expr;
    bool want_scalar;
    double scalar;
    struct notation_series *exp;
    size_t nexp;
};

/* One sample of a result, borrowed from it. */
struct got {
    const struct labels *ls;
    double v;
};

/* Starts a difference line, unless MAX_DIFFS were already written. */
static bool
diff_line(struct buf *out, int *ndiff)
{
    if ((*ndiff)++ >= MAX_DIFFS) {
        if (*ndiff == MAX_DIFFS + 1)
            buf_puts(out, "    ...\n");
        return false;
    }
    buf_puts(out, "    ");
    return true;
}

/* Looks up which expected line has exactly these labels, or -1. */
static long
find_expected(const struct eval *ev, const struct labels *ls)
{
    for (size_t j = 0; j < ev->nexp; j++)
        if (labels_equal(&ev->exp[j].ls, ls))
            return (long)j;
    return -1;
}

/* Compares one result sample against the expected lines. */
static void
check_sample(const struct eval *ev, const struct got *g, size_t pos,
             bool ordered, bool *seen, struct buf *out, int *ndiff)
{
    long j = find_expected(ev, g->ls);
    double e;

    if (j < 0) {
        if (diff_line(out, ndiff)) {
            buf_puts(out, "unexpected metric ");
            put_labels(out, g->ls);
            buf_puts(out, " with value ");
            put_value(out, g->v);
            buf_puts(out, "\n");
        }
        return;
    }
    seen[j] = true;
    e = ev->exp[j].v[0].v;
    if (ordered && (size_t)j != pos && diff_line(out, ndiff)) {
        put_labels(out, g->ls);
        buf_printf(out, ": expected at position %ld, found at %zu\n", j + 1,
                   pos + 1);
    }
    if (!almost_equal(e, g->v) && diff_line(out, ndiff)) {
        put_labels(out, g->ls);
        buf_puts(out, ": expected ");
        put_value(out, e);
        buf_puts(out, ", got ");
        put_value(out, g->v);
        buf_puts(out, "\n");
    }
}

/* Compares a vector result with the expected lines; the number of
 * differences found, each described in out. */
static int
compare_vector(const struct eval *ev, const struct got *got, size_t n,
               bool ordered, struct buf *out)
{
    bool *seen = xcalloc(ev->nexp + 1, sizeof(*seen));
    int ndiff = 0;

    for (size_t i = 0; i < n; i++)
        check_sample(ev, &got[i], i, ordered, seen, out, &ndiff);
    for (size_t j = 0; j < ev->nexp; j++) {
        if (seen[j] || !diff_line(out, &ndiff))
            continue;
        buf_puts(out, "expected metric ");
        put_labels(out, &ev->exp[j].ls);
        buf_puts(out, " with value ");
        put_value(out, ev->exp[j].v[0].v);
        buf_puts(out, " not found\n");
    }
    free(seen);
    return ndiff;
}

static int
compare_scalar(const struct eval *ev, double v, struct buf *out)
{
    if (almost_equal(ev->scalar, v))
        return 0;
    buf_puts(out, "    expected scalar ");
    put_value(out, ev->scalar);
    buf_puts(out, ", got ");
    put_value(out, v);
    buf_puts(out, "\n");
    return 1;
}

static const char *
type_name(enum qvalue_type t)
{
    switch (t) {
    case QV_SCALAR:
        return "scalar";
    case QV_VECTOR:
        return "instant vector";
    case QV_MATRIX:
        return "range vector";
    case QV_STRING:
        return "string";
    default:
        return "nothing";
    }
}

/* Checks an instant query's result against the expectation. */
static int
compare_instant(const struct eval *ev, struct qresult *res, struct buf *out)
{
    struct got *got;
    int ndiff;

    if (ev->want_scalar && res->type == QV_SCALAR)
        return compare_scalar(ev, res->scalar, out);
    if (ev->want_scalar || res->type != QV_VECTOR) {
        buf_printf(out, "    expected %s, got %s\n",
                   ev->want_scalar ? "a scalar" : "an instant vector",
                   type_name(res->type));
        return 1;
    }
    got = xcalloc(res->nseries + 1, sizeof(*got));
    for (size_t i = 0; i < res->nseries; i++) {
        if (res->series[i].npoints != 1) {
            free(got);
            buf_printf(out, "    instant vector series %zu has %zu points\n",
                       i, res->series[i].npoints);
            return 1;
        }
        got[i].ls = &res->series[i].labels;
        got[i].v = res->series[i].points[0].v;
    }
    ndiff = compare_vector(ev, got, res->nseries, ev->ordered, out);
    free(got);
    return ndiff;
}

/* The range-mode re-check: the points at T of a range query from T-1m to
 * T+1m, step 1m, must match the same expectation (order not checked). */
static int
compare_range(const struct eval *ev, struct qresult *m, int64_t t,
              struct buf *out)
{
    struct got *got = xcalloc(m->nseries + 1, sizeof(*got));
    size_t n = 0;
    int ndiff;

    for (size_t i = 0; i < m->nseries; i++) {
        for (size_t k = 0; k < m->series[i].npoints; k++) {
            if (m->series[i].points[k].t != t)
                continue;
            got[n].ls = &m->series[i].labels;
            got[n++].v = m->series[i].points[k].v;
            break;
        }
    }
    if (ev->want_scalar) {
        if (n == 1) {
            ndiff = compare_scalar(ev, got[0].v, out);
        } else {
            buf_printf(out, "    expected one scalar point at T, got %zu\n",
                       n);
            ndiff = 1;
        }
    } else {
        ndiff = compare_vector(ev, got, n, false, out);
    }
    free(got);
    if (ndiff > 0)
        buf_puts(out, "    (in the range-mode re-check)\n");
    return ndiff;
}

/* The unsupported feature an error message names, or NULL: both a phrase
 * saying "unsupported" and a listed name must occur in it. */
static const char *
unsupported_feature(const char *msg)
{
    bool said = false;

    for (size_t i = 0; i < NELEM(unsupported_phrases); i++)
        said = said || strstr(msg, unsupported_phrases[i]) != NULL;
    if (!said)
        return NULL;
    for (size_t i = 0; i < NELEM(unsupported_names); i++)
        if (strstr(msg, unsupported_names[i]) != NULL)
            return unsupported_names[i];
    return NULL;
}

enum verdict { PASS, FAIL, SKIP };

/* Records the verdict of one eval and prints failures and skips. */
static void
report(struct runner *r, const struct eval *ev, enum verdict v,
       const char *why)
{
    if (v == PASS) {
        r->file_n.pass++;
        return;
    }
    if (v == SKIP) {
        r->file_n.skip++;
        printf("%s:%d: SKIP %s\n    %s\n", r->file, ev->line, ev->expr, why);
        return;
    }
    r->file_n.fail++;
    printf("%s:%d: FAIL %s\n%s", r->file, ev->line, ev->header, why);
}

/* An error from the engine: right for eval_fail when evaluating, a skip
 * for a listed unsupported feature, else a failure. */
static enum verdict
engine_error(const struct eval *ev, const char *stage, const struct diag *d,
             struct buf *out)
{
    const char *feature = unsupported_feature(d->msg);

    if (ev->fail && strcmp(stage, "evaluation") == 0)
        return PASS;
    if (feature != NULL) {
        buf_printf(out, "unsupported: %s (%s)", feature, d->msg);
        return SKIP;
    }
    buf_printf(out, "    %s error%s", stage,
               ev->fail ? " (expected it to parse, then fail)" : "");
    if (d->line > 0)
        buf_printf(out, " at column %d", d->col);
    buf_printf(out, ": %s\n", d->msg);
    return FAIL;
}

/* Runs the range-mode re-check at t of an eval that passed there. */
static enum verdict
range_check(struct runner *r, const struct eval *ev, const struct query *q,
            int64_t t, struct buf *out)
{
    struct diag d;
    struct qresult *m;
    enum verdict v = PASS;

    diag_clear(&d);
    m = qeval_range(q, r->st, t - 60000, t + 60000, 60000, &d);
    if (m == NULL) {
        buf_printf(out, "    range-mode re-check failed: %s\n", d.msg);
        return FAIL;
    }
    if (!ev->ordered && compare_range(ev, m, t, out) > 0)
        v = FAIL;
    qresult_free(m);
    return v;
}

/* Evaluates q at t and checks the result (or the failure) against ev. */
static enum verdict
check_at(struct runner *r, const struct eval *ev, const struct query *q,
         int64_t t, struct buf *out)
{
    struct diag d;
    struct qresult *res;
    enum verdict v = PASS;

    diag_clear(&d);
    d.source = r->file;
    res = qeval_instant(q, r->st, t, &d);
    if (res == NULL)
        return engine_error(ev, "evaluation", &d, out);
    if (ev->fail) {
        buf_puts(out, "    expected the evaluation to fail, it did not\n");
        v = FAIL;
    } else if (compare_instant(ev, res, out) > 0) {
        v = FAIL;
    } else if (r->range_check) {
        v = range_check(r, ev, q, t, out);
    }
    qresult_free(res);
    return v;
}

/* ---- @-pinned variants ---- */

/* Functions whose result depends on the evaluation time itself: the
 * reference makes no @-pinned variants of expressions calling them. */
static const char *const at_unsafe[] = {
    "time", "timestamp", "predict_linear", "year", "month", "day_of_month",
    "day_of_week", "day_of_year", "days_in_month", "hour", "minute",
};

/* Where " @ T" goes: after each selector and subquery without an @. */
struct pins {
    size_t pos[64];
    size_t n;
    bool unsafe;
    bool overflow;
};

static void
add_pin(struct pins *p, size_t pos)
{
    if (p->n == NELEM(p->pos)) {
        p->overflow = true;
        return;
    }
    p->pos[p->n++] = pos;
}

/* Collects the pins of n's tree. A subquery is pinned as a whole and its
 * inside left alone, as the reference does (and, like it, calls inside a
 * subquery do not make the expression unsafe). */
static void
collect_pins(const struct qnode *n, struct pins *p)
{
    if (n == NULL)
        return;
    if (n->kind == QN_SELECTOR || n->kind == QN_SUBQUERY) {
        if (n->at == QAT_NONE)
            add_pin(p, n->off + n->len);
        return;
    }
    if (n->kind == QN_CALL) {
        for (size_t i = 0; i < NELEM(at_unsafe); i++)
            p->unsafe = p->unsafe || strcmp(n->fn->name, at_unsafe[i]) == 0;
    }
    for (size_t i = 0; i < n->nargs; i++)
        collect_pins(n->args[i], p);
    collect_pins(n->param, p);
    collect_pins(n->lhs, p);
    collect_pins(n->rhs, p);
}

static int
cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;

    return x < y ? -1 : x > y;
}

/* The expression with " @ <t in seconds>" after every pin; NULL when the
 * reference would make no variants of it. The caller frees it. */
static char *
pinned_expr(const struct query *q, const char *expr, int64_t t)
{
    struct pins p;
    struct buf b;
    size_t from = 0;

    memset(&p, 0, sizeof(p));
    collect_pins(qparse_root(q), &p);
    if (p.unsafe || p.overflow)
        return NULL;
    qsort(p.pos, p.n, sizeof(p.pos[0]), cmp_size);
    buf_init(&b, 0);
    for (size_t i = 0; i < p.n; i++) {
        buf_append(&b, expr + from, p.pos[i] - from);
        buf_printf(&b, " @ %.3f", (double)t / 1000);
        from = p.pos[i];
    }
    buf_puts(&b, expr + from);
    return buf_steal(&b);
}

/* The reference's extra check: the @-pinned expression, evaluated at
 * -10T, 0, T/5, T and 10T (or -1s, 0, 1s when T is 0), must give the
 * same expected result, or fail for eval_fail. */
static enum verdict
at_variants(struct runner *r, const struct eval *ev, const struct query *q,
            struct buf *out)
{
    int64_t t = ev->t, at[5] = { -10 * t, 0, t / 5, t, 10 * t };
    size_t nat = 5;
    char *text = pinned_expr(q, ev->expr, t);
    struct query *pq;
    struct diag d;
    enum verdict v = PASS;

    if (text == NULL)
        return PASS;
    if (t == 0) {
        at[0] = -1000, at[1] = 0, at[2] = 1000;
        nat = 3;
    }
    diag_clear(&d);
    pq = qparse_query(text, strlen(text), &d);
    if (pq == NULL) {
        buf_printf(out, "    @-pinned variant '%s' does not parse: %s\n",
                   text, d.msg);
        free(text);
        return FAIL;
    }
    for (size_t i = 0; i < nat && v == PASS; i++) {
        v = check_at(r, ev, pq, at[i], out);
        if (v != PASS)
            buf_printf(out, "    (in the @-pinned variant '%s' evaluated "
                       "at %lld ms)\n", text, (long long)at[i]);
    }
    qparse_free(pq);
    free(text);
    return v;
}

static void
run_eval(struct runner *r, const struct eval *ev)
{
    struct diag d;
    struct query *q;
    struct buf out;
    enum verdict v;

    buf_init(&out, 0);
    diag_clear(&d);
    d.source = r->file;
    q = qparse_query(ev->expr, strlen(ev->expr), &d);
    if (q == NULL) {
        v = engine_error(ev, "parse", &d, &out);
    } else {
        v = check_at(r, ev, q, ev->t, &out);
        if (v == PASS && r->at_variants)
            v = at_variants(r, ev, q, &out);
    }
    report(r, ev, v, buf_str(&out));
    qparse_free(q);
    buf_fini(&out);
}

/* ---- scripts ---- */

/* A script split into trimmed lines; comment lines become empty. */
struct script {
    char *text;
    char **line;
    size_t n;
};

static char *
trim(char *s)
{
    size_t n;

    while (is_blank(*s))
        s++;
    n = strlen(s);
    while (n > 0 && is_blank(s[n - 1]))
        s[--n] = '\0';
    if (*s == '#')
        *s = '\0';
    return s;
}

static int
script_read(const char *path, struct script *sc)
{
    FILE *f = fopen(path, "rb");
    struct buf b;
    char chunk[65536], *p, *nl;
    size_t n;

    memset(sc, 0, sizeof(*sc));
    if (f == NULL)
        return -1;
    buf_init(&b, 0);
    buf_puts(&b, "");
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    sc->text = buf_steal(&b);
    for (p = sc->text; p != NULL; p = nl) {
        nl = strchr(p, '\n');
        if (nl != NULL)
            *nl++ = '\0';
        sc->line = xreallocarray(sc->line, sc->n + 1, sizeof(*sc->line));
        sc->line[sc->n++] = trim(p);
    }
    return 0;
}

static void
script_free(struct script *sc)
{
    free(sc->text);
    free(sc->line);
}

/* A file-level error: the rest of the file is not run. */
static size_t
file_error(struct runner *r, size_t i, const char *msg, const char *detail)
{
    printf("%s:%zu: FAIL %s%s%s\n", r->file, i + 1, msg,
           detail[0] ? ": " : "", detail);
    r->file_n.fail++;
    return SIZE_MAX;
}

/* The first word of a line, copied into w. */
static void
first_word(const char *s, char *w, size_t wlen)
{
    size_t n = 0;

    while (s[n] != '\0' && !is_blank(s[n]))
        n++;
    snprintf(w, wlen, "%.*s", (int)n, s);
}

/* Parses the duration word at *s and moves *s past it and blanks. */
static int
take_duration(const char **s, int64_t *ms)
{
    const char *p = *s;
    size_t n = 0;

    while (p[n] != '\0' && !is_blank(p[n]))
        n++;
    if (duration_parse(p, n, ms) < 0)
        return -1;
    p += n;
    while (is_blank(*p))
        p++;
    *s = p;
    return 0;
}

/* Adds sd to the block, replacing a line with the same identity. */
static void
block_add(struct notation_series **defs, size_t *n, struct notation_series *sd)
{
    for (size_t i = 0; i < *n; i++) {
        if (labels_equal(&(*defs)[i].ls, &sd->ls)) {
            notation_series_fini(&(*defs)[i]);
            (*defs)[i] = *sd;
            return;
        }
    }
    *defs = xreallocarray(*defs, *n + 1, sizeof(**defs));
    (*defs)[(*n)++] = *sd;
}

/* Appends the block's series to the store; -1 on a refused sample. */
static int
block_store(struct runner *r, struct notation_series *defs, size_t n, int *line)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t id = store_series_id(r->st, &defs[i].ls);
        for (size_t k = 0; k < defs[i].n; k++) {
            if (store_append(r->st, id, defs[i].v[k].t, defs[i].v[k].v) < 0) {
                *line = defs[i].line;
                return -1;
            }
        }
    }
    return 0;
}

/* load-block ::= 'load' duration NL (series-line NL)* (empty | EOF) */
static size_t
run_load(struct runner *r, const struct script *sc, size_t i)
{
    const char *s = sc->line[i] + 4;
    struct notation_series *defs = NULL, sd;
    size_t n = 0, j;
    int64_t step;
    char err[240];
    int bad = 0;

    while (is_blank(*s))
        s++;
    if (take_duration(&s, &step) < 0 || *s != '\0')
        return file_error(r, i, "bad load interval", sc->line[i]);
    for (j = i + 1; j < sc->n && sc->line[j][0] != '\0'; j++) {
        if (notation_parse_line(sc->line[j], (int)j + 1, step, &sd, err,
                              sizeof(err)) < 0) {
            bad = (int)j + 1;
            break;
        }
        block_add(&defs, &n, &sd);
    }
    if (bad == 0 && block_store(r, defs, n, &bad) < 0)
        snprintf(err, sizeof(err), "the store refused a sample");
    for (size_t k = 0; k < n; k++)
        notation_series_fini(&defs[k]);
    free(defs);
    if (bad != 0)
        return file_error(r, (size_t)bad - 1, "bad series line", err);
    return j;
}

/* eval-header ::= 'eval' ('_fail' | '_ordered')? 'instant' 'at' duration
 *                 expression */
static int
parse_eval_header(const char *line, const char *word, struct eval *ev)
{
    const char *s = line + strlen(word);
    static const char *const kw[] = { "instant", "at" };

    ev->fail = strcmp(word, "eval_fail") == 0;
    ev->ordered = strcmp(word, "eval_ordered") == 0;
    for (size_t k = 0; k < NELEM(kw); k++) {
        if (!is_blank(*s))
            return -1;
        while (is_blank(*s))
            s++;
        if (strncmp(s, kw[k], strlen(kw[k])) != 0)
            return -1;
        s += strlen(kw[k]);
    }
    if (!is_blank(*s))
        return -1;
    while (is_blank(*s))
        s++;
    if (take_duration(&s, &ev->t) < 0 || *s == '\0')
        return -1;
    ev->header = line;
    ev->expr = s;
    return 0;
}

/* One expected-result line: a bare number (ends the block) or a series
 * with exactly one value. 1 when the block ends here, 0, or -1. */
static int
parse_expect_line(struct eval *ev, const char *line, int lineno, char *err,
                  size_t errlen)
{
    struct notation_series sd;

    if (parse_bare_number(line, &ev->scalar)) {
        ev->want_scalar = true;
        return 1;
    }
    if (notation_parse_line(line, lineno, 1, &sd, err, errlen) < 0)
        return -1;
    if (sd.n != 1) {
        snprintf(err, errlen, "an expected series needs exactly one value");
        notation_series_fini(&sd);
        return -1;
    }
    ev->exp = xreallocarray(ev->exp, ev->nexp + 1, sizeof(*ev->exp));
    ev->exp[ev->nexp++] = sd;
    return 0;
}

/* eval-block ::= eval-header NL (expected-line NL)* (empty | EOF) */
static size_t
run_eval_block(struct runner *r, const struct script *sc, size_t i,
               const char *word)
{
    struct eval ev;
    char err[240];
    size_t j;
    int rc = 0;

    memset(&ev, 0, sizeof(ev));
    ev.line = (int)i + 1;
    if (parse_eval_header(sc->line[i], word, &ev) < 0)
        return file_error(r, i, "bad eval line", sc->line[i]);
    for (j = i + 1; j < sc->n && sc->line[j][0] != '\0' && rc == 0; j++)
        rc = parse_expect_line(&ev, sc->line[j], (int)j + 1, err,
                               sizeof(err));
    if (rc >= 0 && ev.want_scalar && ev.nexp > 0) {
        snprintf(err, sizeof(err), "a scalar expectation cannot follow "
                 "series lines");
        rc = -1;
    }
    if (rc >= 0)
        run_eval(r, &ev);
    for (size_t k = 0; k < ev.nexp; k++)
        notation_series_fini(&ev.exp[k]);
    free(ev.exp);
    if (rc < 0)
        return file_error(r, j - 1, "bad expected result", err);
    return j;
}

/* Runs one command starting at line i; the next line to look at, or
 * SIZE_MAX when the file cannot go on. */
static size_t
run_command(struct runner *r, const struct script *sc, size_t i)
{
    char word[32];

    first_word(sc->line[i], word, sizeof(word));
    if (strcmp(word, "load") == 0)
        return run_load(r, sc, i);
    if (strcmp(word, "clear") == 0) {
        store_clear(r->st);
        return i + 1;
    }
    if (strcmp(word, "eval") == 0 || strcmp(word, "eval_fail") == 0 ||
        strcmp(word, "eval_ordered") == 0)
        return run_eval_block(r, sc, i, word);
    return file_error(r, i, "unknown command", word);
}

static void
run_file(struct runner *r, const char *path)
{
    struct script sc;

    memset(&r->file_n, 0, sizeof(r->file_n));
    r->file = path;
    if (script_read(path, &sc) < 0) {
        printf("%s: FAIL cannot read: %s\n", path, strerror(errno));
        r->file_n.fail++;
    } else {
        r->st = store_new(RETENTION_MS, 0);
        for (size_t i = 0; i < sc.n;) {
            if (sc.line[i][0] == '\0')
                i++;
            else
                i = run_command(r, &sc, i);
        }
        store_free(r->st);
        r->st = NULL;
        script_free(&sc);
    }
    printf("%s: %d passed, %d failed, %d skipped\n", path, r->file_n.pass,
           r->file_n.fail, r->file_n.skip);
    r->total.pass += r->file_n.pass;
    r->total.fail += r->file_n.fail;
    r->total.skip += r->file_n.skip;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every *.test file of a directory, in byte order of their names. */
static int
run_dir(struct runner *r, const char *dir, DIR *dp)
{
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, len;

    while ((de = readdir(dp)) != NULL) {
        len = strlen(de->d_name);
        if (len <= 5 || strcmp(de->d_name + len - 5, ".test") != 0)
            continue;
        names = xreallocarray(names, n + 1, sizeof(*names));
        names[n++] = xasprintf("%s/%s", dir, de->d_name);
    }
    closedir(dp);
    if (n > 0)
        qsort(names, n, sizeof(*names), cmp_str);
    for (size_t i = 0; i < n; i++) {
        run_file(r, names[i]);
        free(names[i]);
    }
    free(names);
    return n > 0 ? 0 : -1;
}

static void
usage(FILE *f)
{
    fprintf(f, "usage: promql-conformance [--range-check] [--at-variants] "
            "FILE|DIR...\n"
            "Runs Prometheus 2.42 PromQL test scripts (*.test) against "
            "promdeck's engine.\n"
            "  --range-check  also compare a range query's points at T\n"
            "  --at-variants  also run the @-pinned variants at other "
            "times\n");
}

int
main(int argc, char **argv)
{
    struct runner r;
    int nargs = 0;
    DIR *dp;

    memset(&r, 0, sizeof(r));
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--range-check") == 0) {
            r.range_check = true;
        } else if (strcmp(argv[i], "--at-variants") == 0) {
            r.at_variants = true;
        } else if (strcmp(argv[i], "-h") == 0 ||
                   strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-') {
            usage(stderr);
            return 2;
        }
    }
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            continue;
        nargs++;
        if ((dp = opendir(argv[i])) == NULL)
            run_file(&r, argv[i]);
        else if (run_dir(&r, argv[i], dp) < 0) {
            printf("%s: FAIL no *.test files\n", argv[i]);
            r.total.fail++;
        }
    }
    if (nargs == 0) {
        usage(stderr);
        return 2;
    }
    printf("%d passed, %d failed, %d skipped\n", r.total.pass,
           r.total.fail, r.total.skip);
    return r.total.fail > 0 ? 1 : 0;
}
