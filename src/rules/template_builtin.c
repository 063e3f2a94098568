/*
 * Go's text/template builtins with Go's answers: comparisons by basic
 * kind (int and float64 never compare), truth, len and index on maps,
 * query results and strings, the fmt printers and the three escapers.
 * Not here: call, which needs Go function values.
 */
#include "src/rules/template_builtin.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/buf.h"
#include "src/rules/template_value.h"

/* Go's basic kinds for comparisons: 1 bool, 2 int, 3 float, 4 string,
 * 0 anything else. */
static int
basic_kind(const struct tval *v)
{
    switch (v->kind) {
    case TV_BOOL: return 1;
    case TV_INT: return 2;
    case TV_FLOAT: return 3;
    case TV_STRING: return 4;
    default: return 0;
    }
}

/* Go's eq for one pair: 1 equal, 0 not, -1 with c->err set. */
static int
equal(struct tfunc_ctx *c, const struct tval *x, const struct tval *y)
{
    int k1 = basic_kind(x), k2 = basic_kind(y);
    bool xnil = x->kind == TV_NIL || x->kind == TV_INVALID;
    bool ynil = y->kind == TV_NIL || y->kind == TV_INVALID;

    /* Go compares only equal basic kinds; nil only equals nil */
    if (k1 != k2) {
        if (!xnil && !ynil)
            return tfunc_fail(c, "incompatible types for comparison");
        return 0;
    }
    switch (k1) {
    case 1: return x->b == y->b;
    case 2: return x->i == y->i;
    case 3: return x->f == y->f;
    case 4: return x->len == y->len && !memcmp(x->s, y->s, x->len);
    default:
        if (xnil || ynil)
            return xnil && ynil;
        return tfunc_fail(c, "non-comparable type %s: %s", tval_type(y),
                   tval_type(y));
    }
}

/* eq a b c...: a equals any of the others. */
static int
fn_eq(struct tfunc_ctx *c, const struct tval *a, size_t n, struct tval *res)
{
    size_t i;
    int e;

    if (n < 2)
        return tfunc_fail(c, "missing argument for comparison");
    for (i = 1; i < n; i++) {
        if ((e = equal(c, &a[0], &a[i])) < 0)
            return -1;
        if (e)
            return tfunc_ret_bool(true, res);
    }
    return tfunc_ret_bool(false, res);
}

/* ne: not eq, for exactly two operands. */
static int
fn_ne(struct tfunc_ctx *c, const struct tval *a, size_t n, struct tval *res)
{
    int e = equal(c, &a[0], &a[1]);

    (void)n;
    return e < 0 ? -1 : tfunc_ret_bool(!e, res);
}

/* Go's lt: 1 when a < b, 0 when not, -1 with c->err set. */
static int
less(struct tfunc_ctx *c, const struct tval *x, const struct tval *y)
{
    int k1 = basic_kind(x), k2 = basic_kind(y);

    /* only numbers and strings have an order; bools do not */
    if (k1 == 0 || k1 == 1 || k2 == 0 || k2 == 1)
        return tfunc_fail(c, "invalid type for comparison");
    if (k1 != k2)
        return tfunc_fail(c, "incompatible types for comparison");
    if (k1 == 2)
        return x->i < y->i;
    if (k1 == 3)
        return x->f < y->f;
    return strcmp(x->s, y->s) < 0;
}

/* Go's lt, le (lt or eq), gt (not le) and ge (not lt), by whether the
 * answer is negated and whether equality counts. */
static int
order(struct tfunc_ctx *c, const struct tval *a, bool negate, bool or_eq,
      struct tval *res)
{
    int l = less(c, &a[0], &a[1]), e = 0;

    if (l < 0)
        return -1;
    if (!l && or_eq && (e = equal(c, &a[0], &a[1])) < 0)
        return -1;
    return tfunc_ret_bool((l || e) != negate, res);
}

/* lt, le, gt, ge: Go's orderings. */
static int
fn_lt(struct tfunc_ctx *c, const struct tval *a, size_t n, struct tval *res)
{
    (void)n;
    return order(c, a, false, false, res);
}

static int
fn_le(struct tfunc_ctx *c, const struct tval *a, size_t n, struct tval *res)
{
    (void)n;
    return order(c, a, false, true, res);
}

static int
fn_gt(struct tfunc_ctx *c, const struct tval *a, size_t n, struct tval *res)
{
    (void)n;
    return order(c, a, true, true, res);
}

static int
fn_ge(struct tfunc_ctx *c, const struct tval *a, size_t n, struct tval *res)
{
    (void)n;
    return order(c, a, true, false, res);
}

/* not: the negated truth of its operand. */
static int
fn_not(struct tfunc_ctx *c, const struct tval *a, size_t n, struct tval *res)
{
    (void)c;
    (void)n;
    return tfunc_ret_bool(!tval_truth(&a[0]), res);
}

/* len: bytes of a string, entries of a map, samples of a result. */
static int
fn_len(struct tfunc_ctx *c, const struct tval *a, size_t n, struct tval *res)
{
    int64_t len;

    (void)n;
    switch (a[0].kind) {
    case TV_STRING: len = (int64_t)a[0].len; break;
    case TV_LABELS: len = (int64_t)a[0].labels->n; break;
    case TV_ARGS: len = (int64_t)a[0].nargs; break;
    case TV_RESULT: len = (int64_t)a[0].n; break;
    case TV_INVALID: case TV_NIL: return tfunc_fail(c, "len of nil pointer");
    default: return tfunc_fail(c, "len of type %s", tval_type(&a[0]));
    }
    *res = (struct tval){.kind = TV_INT, .i = len};
    return 0;
}

/* An int index within 0..cap, as Go's indexArg checks index's and
 * slice's operands; cap itself passes (a slice bound may be it). */
static int
index_arg(struct tfunc_ctx *c, const struct tval *v, size_t cap, int64_t *x)
{
    if (v->kind <= TV_NIL)
        return tfunc_fail(c, "cannot index slice/array with nil");
    if (v->kind != TV_INT)
        return tfunc_fail(c, "cannot index slice/array with type %s",
                          tval_type(v));
    if (v->i < 0 || (uint64_t)v->i > cap)
        return tfunc_fail(c, "index out of range: %lld", (long long)v->i);
    *x = v->i;
    return 0;
}

/* One step of index: item[key]. */
static int
index_one(struct tfunc_ctx *c, struct tval *item, const struct tval *key)
{
    const char *v;

    /* maps take a string key; a missing one gives the zero value */
    if (item->kind == TV_LABELS || item->kind == TV_ARGS) {
        if (key->kind <= TV_NIL)
            return tfunc_fail(c, "value is nil; should be of type string");
        if (key->kind != TV_STRING)
            return tfunc_fail(c, "value has type %s; should be string",
                       tval_type(key));
        if (item->kind == TV_ARGS) {
            size_t i;

            for (i = 0; i < item->nargs; i++) {
                char k[24];

                snprintf(k, sizeof k, "arg%zu", i);
                if (!strcmp(k, key->s)) {
                    *item = item->args[i];
                    return 0;
                }
            }
            *item = (struct tval){.kind = TV_NIL};
            return 0;
        }
        v = labels_get(item->labels, key->s);
        *item = (struct tval){.kind = TV_STRING, .s = v ? v : "",
                              .len = v ? strlen(v) : 0};
        return 0;
    }
    /* a result and a string take an int index; a string's element is
       a byte */
    if (item->kind == TV_RESULT || item->kind == TV_STRING) {
        size_t len = item->kind == TV_RESULT ? item->n : item->len;
        int64_t x = 0;

        if (index_arg(c, key, len, &x) < 0)
            return -1;
        /* one past the end is an error here, unlike for slice */
        if ((uint64_t)x == len)
            return tfunc_fail(c, "index out of range: %lld", (long long)x);
        if (item->kind == TV_STRING)
            *item = (struct tval){.kind = TV_INT,
                                  .i = (unsigned char)item->s[x]};
        else
            *item = (struct tval){.kind = TV_SAMPLE,
                                  .samples = &item->samples[x]};
        return 0;
    }
    if (item->kind <= TV_NIL)
        return tfunc_fail(c, "index of untyped nil");
    return tfunc_fail(c, "can't index item of type %s", tval_type(item));
}

/* index item k1 k2 ...: item[k1][k2]... */
static int
fn_index(struct tfunc_ctx *c, const struct tval *a, size_t n,
         struct tval *res)
{
    struct tval item = a[0];
    size_t i;

    for (i = 1; i < n; i++)
        if (index_one(c, &item, &a[i]) < 0)
            return -1;
    *res = item;
    return 0;
}

/* slice item i j (k): item[i:j:k] of a string or a query result. */
static int
fn_slice(struct tfunc_ctx *c, const struct tval *a, size_t n,
         struct tval *res)
{
    size_t len = a[0].kind == TV_STRING ? a[0].len : a[0].n, i;
    int64_t idx[3] = {0, (int64_t)len, (int64_t)len};

    if (a[0].kind <= TV_NIL)
        return tfunc_fail(c, "slice of untyped nil");
    if (n > 4)
        return tfunc_fail(c, "too many slice indexes: %zu", n - 1);
    if (a[0].kind == TV_STRING && n == 4)
        return tfunc_fail(c, "cannot 3-index slice a string");
    if (a[0].kind != TV_STRING && a[0].kind != TV_RESULT)
        return tfunc_fail(c, "can't slice item of type %s",
                          tval_type(&a[0]));
    for (i = 1; i < n; i++)
        if (index_arg(c, &a[i], len, &idx[i - 1]) < 0)
            return -1;
    /* item[i:j] needs i <= j, item[i:j:k] also j <= k */
    for (i = 0; i < (n == 4 ? 2u : 1u); i++)
        if (idx[i] > idx[i + 1])
            return tfunc_fail(c, "invalid slice index: %lld > %lld",
                              (long long)idx[i], (long long)idx[i + 1]);
    /* a string is copied: values' strings stay NUL-terminated */
    if (a[0].kind == TV_STRING)
        return tfunc_ret_str(c, a[0].s + idx[0], (size_t)(idx[1] - idx[0]),
                             res);
    *res = a[0];
    res->samples = a[0].samples + idx[0];
    res->n = (size_t)(idx[1] - idx[0]);
    return 0;
}

/* print, println and printf: fmt.Sprint, Sprintln and Sprintf. */
static int
fn_print(struct tfunc_ctx *c, const struct tval *a, size_t n,
         struct tval *res)
{
    struct buf b;

    buf_init(&b, 0);
    tval_sprint(&b, a, n);
    return tfunc_ret_buf(c, &b, res);
}

static int
fn_println(struct tfunc_ctx *c, const struct tval *a, size_t n,
           struct tval *res)
{
    struct buf b;

    buf_init(&b, 0);
    tval_sprintln(&b, a, n);
    return tfunc_ret_buf(c, &b, res);
}

static int
fn_printf(struct tfunc_ctx *c, const struct tval *a, size_t n,
          struct tval *res)
{
    struct buf b;

    buf_init(&b, 0);
    tval_sprintf(&b, a[0].s, a + 1, n - 1);
    return tfunc_ret_buf(c, &b, res);
}

/*
 * An escaper: esc over the operands' text, one string as is, else
 * Sprint's. Go's html, js and urlquery builtins all start so.
 */
static int
escape(struct tfunc_ctx *c, const struct tval *a, size_t n, struct tval *res,
       void (*esc)(struct buf *out, const char *s, size_t len))
{
    struct buf in, out;

    buf_init(&in, 0);
    buf_init(&out, 0);
    if (n == 1 && a[0].kind == TV_STRING)
        buf_append(&in, a[0].s, a[0].len);
    else
        tval_sprint(&in, a, n);
    esc(&out, in.data ? in.data : "", in.len);
    buf_fini(&in);
    return tfunc_ret_buf(c, &out, res);
}

/* Go's HTMLEscapeString. */
static void
html_escape(struct buf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '"': buf_puts(out, "&#34;"); break;
        case '\'': buf_puts(out, "&#39;"); break;
        case '&': buf_puts(out, "&amp;"); break;
        case '<': buf_puts(out, "&lt;"); break;
        case '>': buf_puts(out, "&gt;"); break;
        case '\0': buf_puts(out, "\xEF\xBF\xBD"); break;
        default: buf_putc(out, s[i]);
        }
    }
}

/* Go's JSEscapeString (ASCII specials and controls as \uXXXX). */
static void
js_escape(struct buf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (ch == '\\' || ch == '\'' || ch == '"') {
            buf_putc(out, '\\');
            buf_putc(out, (char)ch);
        } else if (ch < ' ' || ch == '<' || ch == '>' || ch == '&'
                   || ch == '=') {
            buf_printf(out, "\\u%04X", ch);
        } else {
            buf_putc(out, (char)ch);
        }
    }
}

/* html, js, urlquery (Go's QueryEscape): escapers of their operands. */
static int
fn_html(struct tfunc_ctx *c, const struct tval *a, size_t n,
        struct tval *res)
{
    return escape(c, a, n, res, html_escape);
}

static int
fn_js(struct tfunc_ctx *c, const struct tval *a, size_t n, struct tval *res)
{
    return escape(c, a, n, res, js_escape);
}

static int
fn_urlquery(struct tfunc_ctx *c, const struct tval *a, size_t n,
            struct tval *res)
{
    return escape(c, a, n, res, tfunc_query_escape);
}


/* Go's builtins, by name. ORDER: sorted by strcmp, for bsearch. */
static const struct tfunc builtins[] = {
    {"and", "vv*", NULL},
    {"eq", "vv*", fn_eq},
    {"ge", "vv", fn_ge},
    {"gt", "vv", fn_gt},
    {"html", "a*", fn_html},
    {"index", "vv*", fn_index},
    {"js", "a*", fn_js},
    {"le", "vv", fn_le},
    {"len", "v", fn_len},
    {"lt", "vv", fn_lt},
    {"ne", "vv", fn_ne},
    {"not", "v", fn_not},
    {"or", "vv*", NULL},
    {"print", "a*", fn_print},
    {"printf", "sa*", fn_printf},
    {"println", "a*", fn_println},
    {"slice", "vv*", fn_slice},
    {"urlquery", "a*", fn_urlquery},
};

/* bsearch's comparison of a name with a table entry. */
static int
cmp_name(const void *key, const void *f)
{
    return strcmp(key, ((const struct tfunc *)f)->name);
}

const struct tfunc *
tbuiltin_find(const char *name)
{
    return bsearch(name, builtins, sizeof builtins / sizeof builtins[0],
                   sizeof builtins[0], cmp_name);
}
