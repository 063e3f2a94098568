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

/* A series identity with its own (heap) strings, sorted by name. */
struct ident {
    struct labels ls;
};

/* One series line of a load block, or one expected-result line. */
struct series_def {
    struct ident id;
    struct sample *v;       /* staleness markers kept as the stale NaN */
    size_t n, cap;
    int line;
};

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

/* A cursor over one trimmed line; err is set on the first error. */
struct cur {
    const char *s;
    size_t pos;
    char err[200];
};

static void
ident_fini(struct ident *id)
{
    labels_release(&id->ls);
}

static void
def_fini(struct series_def *sd)
{
    ident_fini(&sd->id);
    free(sd->v);
    memset(sd, 0, sizeof(*sd));
}

static int
cur_fail(struct cur *c, const char *what)
{
    if (c->err[0] == '\0')
        snprintf(c->err, sizeof(c->err), "column %zu: %s", c->pos + 1, what);
    return -1;
}

static bool
is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

static void
skip_blanks(struct cur *c)
{
    while (is_blank(c->s[c->pos]))
        c->pos++;
}

/* ---- series identities ---- */

static bool
name_start(char ch, bool colon)
{
    return isalpha((unsigned char)ch) || ch == '_' || (colon && ch == ':');
}

static bool
name_char(char ch, bool colon)
{
    return name_start(ch, colon) || isdigit((unsigned char)ch);
}

/* name ::= [a-zA-Z_(:)][a-zA-Z0-9_(:)]*; a heap copy, NULL if none. */
static char *
parse_name(struct cur *c, bool colon)
{
    size_t start = c->pos;

    if (!name_start(c->s[c->pos], colon))
        return NULL;
    while (name_char(c->s[c->pos], colon))
        c->pos++;
    return xstrndup(c->s + start, c->pos - start);
}

/* Appends code point cp to b as UTF-8. */
static void
put_utf8(struct buf *b, unsigned long cp)
{
    char u[4];

    if (cp < 0x80) {
        buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        buf_append(b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        buf_append(b, u, 3);
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        buf_append(b, u, 4);
    }
}

/* Reads ndigits digits of base at c into *out; -1 when short. */
static int
escape_digits(struct cur *c, int ndigits, int base, unsigned long *out)
{
    char tmp[9], *end;

    for (int i = 0; i < ndigits; i++)
        if (c->s[c->pos + (size_t)i] == '\0')
            return cur_fail(c, "short escape sequence");
    memcpy(tmp, c->s + c->pos, (size_t)ndigits);
    tmp[ndigits] = '\0';
    *out = strtoul(tmp, &end, base);
    if (*end != '\0')
        return cur_fail(c, "bad digits in escape sequence");
    c->pos += (size_t)ndigits;
    return 0;
}

/* escape ::= '\' ( [abfnrtv\\'"] | x hh | u hhhh | U hhhhhhhh | ooo ) */
static int
parse_escape(struct cur *c, struct buf *b)
{
    static const char from[] = "abfnrtv\\'\"", to[] = "\a\b\f\n\r\t\v\\'\"";
    char ch = c->s[c->pos];
    const char *p = ch ? strchr(from, ch) : NULL;
    unsigned long v;

    if (p != NULL) {
        buf_putc(b, to[p - from]);
        c->pos++;
        return 0;
    }
    if (ch >= '0' && ch <= '7') {
        if (escape_digits(c, 3, 8, &v) < 0 || v > 255)
            return cur_fail(c, "bad octal escape");
        buf_putc(b, (char)v);
        return 0;
    }
    c->pos++;
    if (ch == 'x' && escape_digits(c, 2, 16, &v) == 0) {
        buf_putc(b, (char)v);
        return 0;
    }
    if ((ch == 'u' && escape_digits(c, 4, 16, &v) == 0) ||
        (ch == 'U' && escape_digits(c, 8, 16, &v) == 0)) {
        put_utf8(b, v);
        return 0;
    }
    return cur_fail(c, "unknown escape sequence");
}

/* string ::= '"' chars '"' | "'" chars "'" | '`' raw '`'; heap copy. */
static char *
parse_string(struct cur *c)
{
    char quote = c->s[c->pos], ch;
    struct buf b;

    if (quote != '"' && quote != '\'' && quote != '`') {
        cur_fail(c, "expected a quoted label value");
        return NULL;
    }
    buf_init(&b, 0);
    buf_puts(&b, "");
    for (c->pos++; (ch = c->s[c->pos]) != quote; ) {
        if (ch == '\0') {
            cur_fail(c, "unterminated string");
            buf_fini(&b);
            return NULL;
        }
        c->pos++;
        if (ch == '\\' && quote != '`') {
            if (parse_escape(c, &b) < 0) {
                buf_fini(&b);
                return NULL;
            }
        } else {
            buf_putc(&b, ch);
        }
    }
    c->pos++;
    return buf_steal(&b);
}

/* Adds name=value to id, replacing an earlier value of the same name. */
static void
ident_add(struct ident *id, char *name, char *value)
{
    labels_put(&id->ls, name, value);
    free(name);
    free(value);
}

/* label ::= name blanks? '=' blanks? string */
static int
parse_label(struct cur *c, struct ident *id)
{
    char *name = parse_name(c, false), *value;

    if (name == NULL)
        return cur_fail(c, "expected a label name");
    skip_blanks(c);
    if (c->s[c->pos] != '=') {
        free(name);
        return cur_fail(c, "expected '=' after the label name");
    }
    c->pos++;
    skip_blanks(c);
    value = parse_string(c);
    if (value == NULL) {
        free(name);
        return -1;
    }
    ident_add(id, name, value);
    return 0;
}

/* Drops labels with empty values (they mean "absent") and sorts. */
static void
ident_normalise(struct ident *id)
{
    size_t k = 0;

    for (size_t i = 0; i < id->ls.n; i++) {
        if (id->ls.v[i].value[0] == '\0') {
            free((char *)id->ls.v[i].name);
            free((char *)id->ls.v[i].value);
        } else {
            id->ls.v[k++] = id->ls.v[i];
        }
    }
    id->ls.n = k;
    labels_sort(&id->ls);
}

/* series ::= metric-name? ( '{' ( label ( ',' label )* ','? )? '}' )? */
static int
parse_ident(struct cur *c, struct ident *id)
{
    char *name = parse_name(c, true);

    if (name != NULL)
        ident_add(id, xstrdup(LABEL_METRIC_NAME), name);
    if (c->s[c->pos] == '{') {
        c->pos++;
        for (;;) {
            skip_blanks(c);
            if (c->s[c->pos] == '}')
                break;
            if (parse_label(c, id) < 0)
                return -1;
            skip_blanks(c);
            if (c->s[c->pos] == ',')
                c->pos++;
            else if (c->s[c->pos] != '}')
                return cur_fail(c, "expected ',' or '}' in the label set");
        }
        c->pos++;
    } else if (name == NULL) {
        return cur_fail(c, "expected a metric name or '{'");
    }
    ident_normalise(id);
    return 0;
}

/* ---- value sequences ---- */

/* number ::= [+-]? ( digits? '.'? digits? ([eE] [+-]? digits)? | inf | nan ),
 * without a sign when signed is false. Hex is not a number here. */
static int
parse_number(struct cur *c, bool signed_ok, double *out)
{
    size_t start = c->pos, p = c->pos;
    const char *s = c->s;
    char tmp[64], *end;
    bool digits = false;

    if (signed_ok && (s[p] == '+' || s[p] == '-'))
        p++;
    if (strncasecmp(s + p, "inf", 3) == 0 ||
        strncasecmp(s + p, "nan", 3) == 0) {
        /* No repetition may follow Inf or NaN: "Infx3" is one word. */
        p += 3;
        if (isalnum((unsigned char)s[p]))
            return cur_fail(c, "bad number");
    } else {
        for (; isdigit((unsigned char)s[p]) || s[p] == '.'; p++)
            digits = digits || s[p] != '.';
        if (digits && (s[p] == 'e' || s[p] == 'E')) {
            size_t q = p + 1 + (s[p + 1] == '+' || s[p + 1] == '-');
            if (isdigit((unsigned char)s[q]))
                for (p = q; isdigit((unsigned char)s[p]); p++)
                    ;
        }
        if (!digits)
            return cur_fail(c, "expected a number");
    }
    if (isalnum((unsigned char)s[p]) && s[p] != 'x')
        return cur_fail(c, "bad number");
    if (p - start >= sizeof(tmp))
        return cur_fail(c, "number too long");
    memcpy(tmp, s + start, p - start);
    tmp[p - start] = '\0';
    *out = strtod(tmp, &end);
    if (*end != '\0')
        return cur_fail(c, "bad number");
    c->pos = p;
    return 0;
}

/* Reads 'x' N after a value; N is an unsigned decimal count. */
static int
parse_times(struct cur *c, uint64_t *n)
{
    char *end;

    if (c->s[c->pos] != 'x')
        return cur_fail(c, "expected 'x' and a count");
    c->pos++;
    if (!isdigit((unsigned char)c->s[c->pos]))
        return cur_fail(c, "expected a count after 'x'");
    errno = 0;
    *n = strtoull(c->s + c->pos, &end, 10);
    if (errno == ERANGE || *n > 10000000)
        return cur_fail(c, "repeat count too large");
    c->pos = (size_t)(end - c->s);
    return 0;
}

static void
def_push(struct series_def *sd, int64_t t, double v)
{
    if (sd->n == sd->cap) {
        sd->cap = sd->cap ? sd->cap * 2 : 16;
        sd->v = xreallocarray(sd->v, sd->cap, sizeof(*sd->v));
    }
    sd->v[sd->n].t = t;
    sd->v[sd->n++].v = v;
}

/* item ::= '_' ('x' N)? | 'stale' | V ('x' N)? | V [+-] D 'x' N;
 * *slot is the next slot number and advances past the item. */
static int
parse_item(struct cur *c, struct series_def *sd, int64_t step,
           uint64_t *slot)
{
    double v, d;
    uint64_t n = 0;
    const char *s = c->s + c->pos;

    if (s[0] == '_') {
        /* '_xN' skips N slots, not N+1 as 'VxN' fills. */
        c->pos++;
        if (c->s[c->pos] != 'x') {
            *slot += 1;
            return 0;
        }
        if (parse_times(c, &n) < 0)
            return -1;
        *slot += n;
        return 0;
    }
    if (strncmp(s, "stale", 5) == 0 && !isalnum((unsigned char)s[5])) {
        c->pos += 5;
        def_push(sd, (int64_t)(*slot)++ * step, store_stale_nan());
        return 0;
    }
    if (parse_number(c, true, &v) < 0)
        return -1;
    d = 0;
    if (c->s[c->pos] == '+' || c->s[c->pos] == '-') {
        bool minus = c->s[c->pos++] == '-';
        if (parse_number(c, false, &d) < 0 || parse_times(c, &n) < 0)
            return -1;
        d = minus ? -d : d;
    } else if (c->s[c->pos] == 'x' && parse_times(c, &n) < 0) {
        return -1;
    }
    /* Repeated addition, as the reference does, not v + k * d. */
    for (uint64_t k = 0; k <= n; k++, v += d)
        def_push(sd, (int64_t)(*slot)++ * step, v);
    return 0;
}

/* values ::= item (blanks item)*; step is the load interval in ms. */
static int
parse_values(struct cur *c, struct series_def *sd, int64_t step)
{
    uint64_t slot = 0;

    for (;;) {
        skip_blanks(c);
        if (c->s[c->pos] == '\0')
            return 0;
        if (parse_item(c, sd, step, &slot) < 0)
            return -1;
        if (c->s[c->pos] != '\0' && !is_blank(c->s[c->pos]))
            return cur_fail(c, "expected a blank between values");
    }
}

/* series-line ::= series blanks values */
static int
parse_series_line(const char *line, int lineno, int64_t step,
                  struct series_def *sd, char *err, size_t errlen)
{
    struct cur c = { .s = line };

    memset(sd, 0, sizeof(*sd));
    sd->line = lineno;
    if (parse_ident(&c, &sd->id) < 0 || parse_values(&c, sd, step) < 0) {
        snprintf(err, errlen, "%s", c.err);
        def_fini(sd);
        return -1;
    }
    return 0;
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
    struct series_def *exp;
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
        if (labels_equal(&ev->exp[j].id.ls, ls))
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
        put_labels(out, &ev->exp[j].id.ls);
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
block_add(struct series_def **defs, size_t *n, struct series_def *sd)
{
    for (size_t i = 0; i < *n; i++) {
        if (labels_equal(&(*defs)[i].id.ls, &sd->id.ls)) {
            def_fini(&(*defs)[i]);
            (*defs)[i] = *sd;
            return;
        }
    }
    *defs = xreallocarray(*defs, *n + 1, sizeof(**defs));
    (*defs)[(*n)++] = *sd;
}

/* Appends the block's series to the store; -1 on a refused sample. */
static int
block_store(struct runner *r, struct series_def *defs, size_t n, int *line)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t id = store_series_id(r->st, &defs[i].id.ls);
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
    struct series_def *defs = NULL, sd;
    size_t n = 0, j;
    int64_t step;
    char err[240];
    int bad = 0;

    while (is_blank(*s))
        s++;
    if (take_duration(&s, &step) < 0 || *s != '\0')
        return file_error(r, i, "bad load interval", sc->line[i]);
    for (j = i + 1; j < sc->n && sc->line[j][0] != '\0'; j++) {
        if (parse_series_line(sc->line[j], (int)j + 1, step, &sd, err,
                              sizeof(err)) < 0) {
            bad = (int)j + 1;
            break;
        }
        block_add(&defs, &n, &sd);
    }
    if (bad == 0 && block_store(r, defs, n, &bad) < 0)
        snprintf(err, sizeof(err), "the store refused a sample");
    for (size_t k = 0; k < n; k++)
        def_fini(&defs[k]);
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
    struct series_def sd;

    if (parse_bare_number(line, &ev->scalar)) {
        ev->want_scalar = true;
        return 1;
    }
    if (parse_series_line(line, lineno, 1, &sd, err, errlen) < 0)
        return -1;
    if (sd.n != 1) {
        snprintf(err, errlen, "an expected series needs exactly one value");
        def_fini(&sd);
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
        def_fini(&ev.exp[k]);
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
