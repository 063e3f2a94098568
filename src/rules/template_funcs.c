/*
 * The function map of rule templates: Prometheus's functions (query and
 * the sample helpers, string and host helpers, links, the external URL)
 * here, with the humanize family, the regex functions and Go's builtins
 * in their own files. Each returns Go's text for the same input, errors
 * included. Not here: html/template's tmpl, which text templates lack.
 */
#include "src/rules/template_funcs.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/value.h"
#include "src/rules/template_builtin.h"
#include "src/rules/template_humanize.h"
#include "src/rules/template_regex.h"

int
tfunc_fail(struct tfunc_ctx *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
    return -1;
}

int
tfunc_ret_buf(struct tfunc_ctx *c, struct buf *b, struct tval *res)
{
    res->kind = TV_STRING;
    res->len = b->len;
    res->s = arena_strndup(c->a, buf_str(b), b->len);
    buf_fini(b);
    return 0;
}

int
tfunc_ret_str(struct tfunc_ctx *c, const char *s, size_t len,
              struct tval *res)
{
    res->kind = TV_STRING;
    res->len = len;
    res->s = arena_strndup(c->a, s, len);
    return 0;
}

int
tfunc_ret_bool(bool b, struct tval *res)
{
    *res = (struct tval){.kind = TV_BOOL, .b = b};
    return 0;
}

/* title: strings.Title, an upper-case letter after each separator (only
 * ASCII letters change case, here and in toUpper/toLower). */
static int
fn_title(struct tfunc_ctx *c, const struct tval *a, size_t n,
         struct tval *res)
{
    char *s = arena_strndup(c->a, a[0].s, a[0].len);
    unsigned char prev = ' ';
    size_t i;

    (void)n;
    for (i = 0; i < a[0].len; i++) {
        unsigned char ch = (unsigned char)s[i];
        /* Go's separators: ASCII other than letters, digits and '_' */
        bool sep = prev < 0x80 && !isalnum(prev) && prev != '_';

        if (sep)
            s[i] = (char)toupper(ch);
        if (!(ch & 0x80) || (ch & 0xC0) == 0xC0)
            prev = ch;
    }
    *res = (struct tval){.kind = TV_STRING, .s = s, .len = a[0].len};
    return 0;
}

/* toUpper and toLower (strings.ToUpper/ToLower on ASCII). */
static int
fn_case(struct tfunc_ctx *c, const struct tval *a, bool upper,
        struct tval *res)
{
    char *s = arena_strndup(c->a, a[0].s, a[0].len);
    size_t i;

    for (i = 0; i < a[0].len; i++)
        if (!(s[i] & 0x80))
            s[i] = (char)(upper ? toupper((unsigned char)s[i])
                                : tolower((unsigned char)s[i]));
    *res = (struct tval){.kind = TV_STRING, .s = s, .len = a[0].len};
    return 0;
}

/* toUpper: strings.ToUpper. */
static int
fn_to_upper(struct tfunc_ctx *c, const struct tval *a, size_t n,
            struct tval *res)
{
    (void)n;
    return fn_case(c, a, true, res);
}

/* toLower: strings.ToLower. */
static int
fn_to_lower(struct tfunc_ctx *c, const struct tval *a, size_t n,
            struct tval *res)
{
    (void)n;
    return fn_case(c, a, false, res);
}

/* Go's net.SplitHostPort: false when hp is no host:port. */
static bool
split_host_port(const char *hp, size_t len, const char **host,
                size_t *hlen, const char **port)
{
    const char *colon = memrchr(hp, ':', len), *end;
    size_t j = 0, k = 0;

    if (!colon)
        return false;
    if (hp[0] == '[') {
        end = memchr(hp, ']', len);
        if (!end || end + 1 != colon)
            return false;
        *host = hp + 1;
        *hlen = (size_t)(end - hp - 1);
        j = 1;
        k = (size_t)(end - hp) + 1;
    } else {
        *host = hp;
        *hlen = (size_t)(colon - hp);
        if (memchr(hp, ':', *hlen))
            return false;
    }
    if (memchr(hp + j, '[', len - j) || memchr(hp + k, ']', len - k))
        return false;
    *port = colon + 1;
    return true;
}

/* stripPort: the host of host:port, the text itself when it is not
 * one (a bare IPv6 address included). */
static int
fn_strip_port(struct tfunc_ctx *c, const struct tval *a, size_t n,
              struct tval *res)
{
    const char *host, *port;
    size_t hlen;

    (void)n;
    if (!split_host_port(a[0].s, a[0].len, &host, &hlen, &port))
        return tfunc_ret_str(c, a[0].s, a[0].len, res);
    return tfunc_ret_str(c, host, hlen, res);
}

/* stripDomain: the host's first label, the port kept; IPs unchanged. */
static int
fn_strip_domain(struct tfunc_ctx *c, const struct tval *a, size_t n,
                struct tval *res)
{
    const char *host = a[0].s, *port = NULL;
    size_t hlen = a[0].len;
    unsigned char ip[16];
    char *h;
    struct buf b;

    (void)n;
    if (!split_host_port(a[0].s, a[0].len, &host, &hlen, &port)) {
        host = a[0].s;
        hlen = a[0].len;
        port = NULL;
    }
    h = arena_strndup(c->a, host, hlen);
    if (inet_pton(AF_INET, h, ip) == 1 || inet_pton(AF_INET6, h, ip) == 1)
        return tfunc_ret_str(c, a[0].s, a[0].len, res);
    h[strcspn(h, ".")] = '\0';
    buf_init(&b, 0);
    if (port && *port) {
        buf_printf(&b, strchr(h, ':') ? "[%s]:%s" : "%s:%s", h, port);
        return tfunc_ret_buf(c, &b, res);
    }
    buf_puts(&b, h);
    return tfunc_ret_buf(c, &b, res);
}

void
tfunc_query_escape(struct buf *b, const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~')
            buf_putc(b, (char)ch);
        else if (ch == ' ')
            buf_putc(b, '+');
        else
            buf_printf(b, "%%%02X", ch);
    }
}

/* The expression browser's link for expr on tab 0 (graph) or 1 (table),
 * relative, as Prometheus's strutil builds it. */
static int
fn_link(struct tfunc_ctx *c, const struct tval *a, int tab,
        struct tval *res)
{
    struct buf b;

    buf_init(&b, 0);
    buf_puts(&b, "/graph?g0.expr=");
    tfunc_query_escape(&b, a[0].s, a[0].len);
    buf_printf(&b, "&g0.tab=%d", tab);
    return tfunc_ret_buf(c, &b, res);
}

/* graphLink: the graph tab's link. */
static int
fn_graph_link(struct tfunc_ctx *c, const struct tval *a, size_t n,
              struct tval *res)
{
    (void)n;
    return fn_link(c, a, 0, res);
}

/* tableLink: the table tab's link. */
static int
fn_table_link(struct tfunc_ctx *c, const struct tval *a, size_t n,
              struct tval *res)
{
    (void)n;
    return fn_link(c, a, 1, res);
}

/* safeHtml: html/template's HTML type, which text templates print as
 * the plain string. */
static int
fn_safe_html(struct tfunc_ctx *c, const struct tval *a, size_t n,
             struct tval *res)
{
    (void)c;
    (void)n;
    *res = a[0];
    return 0;
}

/* query: runs expr at the rule's time; its vector (or scalar, as one
 * sample without labels) copied into the run's arena. */
static int
fn_query(struct tfunc_ctx *c, const struct tval *a, size_t n,
         struct tval *res)
{
    const struct tmpl_data *data = c->data;
    struct qresult *q;
    struct tsample *out;
    struct diag d;
    size_t i, j, count;

    (void)n;
    if (!data->query)
        return tfunc_fail(c, "no query function available");
    diag_clear(&d);
    if ((q = data->query(data->query_ctx, a[0].s, &d)) == NULL)
        return tfunc_fail(c, "%s", d.msg[0] ? d.msg : "query failed");
    if (q->type != QV_VECTOR && q->type != QV_SCALAR) {
        qresult_free(q);
        return tfunc_fail(c, "rule result is not a vector or scalar");
    }
    count = q->type == QV_SCALAR ? 1 : q->nseries;
    out = arena_calloc(c->a, count ? count : 1, sizeof *out);
    for (i = 0; q->type == QV_VECTOR && i < count; i++) {
        const struct qseries *s = &q->series[i];

        out[i].value = s->npoints ? s->points[s->npoints - 1].v : NAN;
        out[i].labels.n = s->labels.n;
        out[i].labels.v = arena_calloc(c->a, s->labels.n + 1,
                                       sizeof *out[i].labels.v);
        for (j = 0; j < s->labels.n; j++) {
            out[i].labels.v[j].name = arena_strdup(c->a,
                                                   s->labels.v[j].name);
            out[i].labels.v[j].value = arena_strdup(c->a,
                                                    s->labels.v[j].value);
        }
    }
    if (q->type == QV_SCALAR)
        out[0].value = q->scalar;
    qresult_free(q);
    *res = (struct tval){.kind = TV_RESULT, .samples = out, .n = count};
    return 0;
}

/* first: a result's first sample; an empty result is an error. */
static int
fn_first(struct tfunc_ctx *c, const struct tval *a, size_t n,
         struct tval *res)
{
    (void)n;
    if (a[0].n == 0)
        return tfunc_fail(c, "first() called on vector with no elements");
    *res = (struct tval){.kind = TV_SAMPLE, .samples = a[0].samples};
    return 0;
}

/* A nil *sample's field read is a Go runtime panic, reported so. */
static int
nil_sample(struct tfunc_ctx *c)
{
    return tfunc_fail(c, "runtime error: invalid memory address or nil pointer "
               "dereference");
}

/* label: one label of a sample, "" when it has none. */
static int
fn_label(struct tfunc_ctx *c, const struct tval *a, size_t n,
         struct tval *res)
{
    const char *v;

    (void)n;
    if (!a[1].samples)
        return nil_sample(c);
    v = labels_get(&a[1].samples->labels, a[0].s);
    return tfunc_ret_str(c, v ? v : "", v ? strlen(v) : 0, res);
}

/* value: a sample's value. */
static int
fn_value(struct tfunc_ctx *c, const struct tval *a, size_t n,
         struct tval *res)
{
    (void)n;
    if (!a[0].samples)
        return nil_sample(c);
    *res = (struct tval){.kind = TV_FLOAT, .f = a[0].samples->value};
    return 0;
}

/* strvalue: the __value__ label, for string results of old. */
static int
fn_strvalue(struct tfunc_ctx *c, const struct tval *a, size_t n,
            struct tval *res)
{
    const char *v;

    (void)n;
    if (!a[0].samples)
        return nil_sample(c);
    v = labels_get(&a[0].samples->labels, "__value__");
    return tfunc_ret_str(c, v ? v : "", v ? strlen(v) : 0, res);
}

/* sortByLabel: a stable sort by one label's value ("" when missing). */
static int
fn_sort_by_label(struct tfunc_ctx *c, const struct tval *a, size_t n,
                 struct tval *res)
{
    struct tsample *s = arena_calloc(c->a, a[1].n + 1, sizeof *s), t;
    const char *x, *y;
    size_t i, j;

    (void)n;
    memcpy(s, a[1].samples, a[1].n * sizeof *s);
    for (i = 1; i < a[1].n; i++)
        for (j = i; j > 0; j--) {
            x = labels_get(&s[j - 1].labels, a[0].s);
            y = labels_get(&s[j].labels, a[0].s);
            if (strcmp(x ? x : "", y ? y : "") <= 0)
                break;
            t = s[j];
            s[j] = s[j - 1];
            s[j - 1] = t;
        }
    *res = (struct tval){.kind = TV_RESULT, .samples = s, .n = a[1].n};
    return 0;
}

/* args: its operands as a map arg0, arg1, ... */
static int
fn_args(struct tfunc_ctx *c, const struct tval *a, size_t n,
        struct tval *res)
{
    struct tval *v = arena_calloc(c->a, n + 1, sizeof *v);

    memcpy(v, a, n * sizeof *v);
    *res = (struct tval){.kind = TV_ARGS, .args = v, .nargs = n};
    return 0;
}

/* The external URL and its path (URL.Path: unescaped, no query). */
static int
fn_external_url(struct tfunc_ctx *c, const struct tval *a, size_t n,
                struct tval *res)
{
    const char *u = c->data->external_url ? c->data->external_url : "";

    (void)a;
    (void)n;
    return tfunc_ret_str(c, u, strlen(u), res);
}

/* pathPrefix: the path of the external URL, "" when it has none. */
static int
fn_path_prefix(struct tfunc_ctx *c, const struct tval *a, size_t n,
               struct tval *res)
{
    const char *u = c->data->external_url ? c->data->external_url : "";
    const char *p = strstr(u, "://");

    (void)a;
    (void)n;
    p = p ? p + 3 + strcspn(p + 3, "/?#") : u;
    return tfunc_ret_str(c, p, strcspn(p, "?#"), res);
}

/* Prometheus's function map, by name. ORDER: sorted by strcmp, for
 * bsearch. */
static const struct tfunc funcs[] = {
    {"args", "a*", fn_args},
    {"externalURL", "", fn_external_url},
    {"first", "Q", fn_first},
    {"graphLink", "s", fn_graph_link},
    {"humanize", "a", tfunc_humanize},
    {"humanize1024", "a", tfunc_humanize1024},
    {"humanizeDuration", "a", tfunc_humanize_duration},
    {"humanizePercentage", "a", tfunc_humanize_percentage},
    {"humanizeTimestamp", "a", tfunc_humanize_timestamp},
    {"label", "sS", fn_label},
    {"match", "ss", tfunc_match},
    {"parseDuration", "s", tfunc_parse_duration},
    {"pathPrefix", "", fn_path_prefix},
    {"query", "s", fn_query},
    {"reReplaceAll", "sss", tfunc_re_replace_all},
    {"safeHtml", "s", fn_safe_html},
    {"sortByLabel", "sQ", fn_sort_by_label},
    {"stripDomain", "s", fn_strip_domain},
    {"stripPort", "s", fn_strip_port},
    {"strvalue", "S", fn_strvalue},
    {"tableLink", "s", fn_table_link},
    {"title", "s", fn_title},
    {"toLower", "s", fn_to_lower},
    {"toTime", "a", tfunc_to_time},
    {"toUpper", "s", fn_to_upper},
    {"value", "S", fn_value},
};

/* bsearch's comparison of a name with a table entry. */
static int
cmp_name(const void *key, const void *f)
{
    return strcmp(key, ((const struct tfunc *)f)->name);
}

const struct tfunc *
tfunc_find(const char *name)
{
    const struct tfunc *f = bsearch(name, funcs, sizeof funcs / sizeof
                                    funcs[0], sizeof funcs[0], cmp_name);

    return f ? f : tbuiltin_find(name);
}

bool
tfunc_known(const char *name)
{
    return tfunc_find(name) != NULL;
}

const char *
tfunc_param_type(char p)
{
    switch (p) {
    case 's': return "string";
    case 'f': return "float64";
    case 'i': return "int";
    case 'S': return "*template.sample";
    case 'Q': return "template.queryResult";
    case 'v': return "reflect.Value";
    default: return "interface {}";
    }
}
