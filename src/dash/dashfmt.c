/*
 * Grafana's variable format options, one small writer each, after
 * Grafana's documentation ("Advanced variable format options") and the
 * Prometheus data source's default interpolation. A single selection of
 * a plain variable is a string; a multi-value selection or All is a list,
 * which is what changes json, lucene and regex. It does not look
 * variables up; src/dash/dashmodel.c does.
 */
#include "src/dash/dashfmt.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/json.h"

/* Writes s for a PromQL double-quoted string: \ and " escaped. */
static void
put_string_escaped(struct buf *b, const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '\\' || *s == '"')
            buf_putc(b, '\\');
        buf_putc(b, *s);
    }
}

/* Writes s as a regex literal inside a PromQL double-quoted string: each
 * metacharacter gets a backslash, and each backslash is itself escaped
 * for the string (a backslash in s becomes four). */
static void
put_prom_regex(struct buf *b, const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '\\')
            buf_puts(b, "\\\\\\\\");
        else if (strchr(".+*?()|[]{}^$", *s) != NULL)
            buf_puts(b, "\\\\");
        else if (*s == '"')
            buf_putc(b, '\\');
        if (*s != '\\')
            buf_putc(b, *s);
    }
}

/* Grafana's regexEscape: one backslash before each metacharacter. */
static void
put_regex(struct buf *b, const char *s)
{
    for (; *s != '\0'; s++) {
        if (strchr("\\^$*+?.()|[]{}/", *s) != NULL)
            buf_putc(b, '\\');
        buf_putc(b, *s);
    }
}

/* Whether JavaScript's +s is a number (then lucene leaves s alone). */
static bool
js_numeric(const char *s)
{
    char *end;

    while (isspace((unsigned char)*s))
        s++;
    if (*s == '\0')
        return true;
    strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    return end != s && *end == '\0' && !isalpha((unsigned char)*s);
}

static void
put_lucene(struct buf *b, const char *s)
{
    if (js_numeric(s)) {
        buf_puts(b, s);
        return;
    }
    for (; *s != '\0'; s++) {
        if (strchr("!*+-=<>&|()[]{}^~?:\\/\"", *s) != NULL
            || isspace((unsigned char)*s))
            buf_putc(b, '\\');
        buf_putc(b, *s);
    }
}

/* encodeURIComponent, also encoding ! ' ( ) and *, as Grafana's strict
 * version does: only letters, digits and - _ . ~ stay. */
static void
put_percent(struct buf *b, const char *s)
{
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;

        if (isalnum(c) || strchr("-_.~", c) != NULL)
            buf_putc(b, (char)c);
        else
            buf_printf(b, "%%%02X", c);
    }
}

static void
put_html(struct buf *b, const char *s)
{
    for (; *s != '\0'; s++) {
        switch (*s) {
        case '&': buf_puts(b, "&amp;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        case '\'': buf_puts(b, "&#39;"); break;
        default: buf_putc(b, *s); break;
        }
    }
}

/* Each value quoted with q, q escaped as esc, joined by commas. */
static void
put_quoted(struct buf *b, const struct dashfmt_value *val, char q,
           const char *esc)
{
    for (size_t i = 0; i < val->n; i++) {
        if (i > 0)
            buf_putc(b, ',');
        buf_putc(b, q);
        for (const char *s = val->v[i]; *s != '\0'; s++) {
            if (*s == q)
                buf_puts(b, esc);
            else
                buf_putc(b, *s);
        }
        buf_putc(b, q);
    }
}

/* The values joined by sep, each through put (NULL: as they are). */
static void
put_joined(struct buf *b, const struct dashfmt_value *val, const char *sep,
           void (*put)(struct buf *, const char *))
{
    for (size_t i = 0; i < val->n; i++) {
        if (i > 0)
            buf_puts(b, sep);
        if (put != NULL)
            put(b, val->v[i]);
        else
            buf_puts(b, val->v[i]);
    }
}

/* No format: what Grafana's Prometheus data source writes. */
static void
fmt_default(struct buf *b, const struct dashfmt_value *val)
{
    if (!val->regex) {
        put_string_escaped(b, val->n > 0 ? val->v[0] : "");
    } else if (val->n == 0) {
        buf_puts(b, ".*");
    } else if (val->n == 1) {
        put_prom_regex(b, val->v[0]);
    } else {
        buf_putc(b, '(');
        put_joined(b, val, "|", put_prom_regex);
        buf_putc(b, ')');
    }
}

static void
fmt_regex(struct buf *b, const struct dashfmt_value *val)
{
    if (val->list && val->n != 1) {
        buf_putc(b, '(');
        put_joined(b, val, "|", put_regex);
        buf_putc(b, ')');
    } else {
        put_joined(b, val, "", put_regex);
    }
}

static void
fmt_json(struct buf *b, const struct dashfmt_value *val)
{
    if (!val->list) {
        json_string(b, val->n > 0 ? val->v[0] : "");
        return;
    }
    buf_putc(b, '[');
    for (size_t i = 0; i < val->n; i++) {
        if (i > 0)
            buf_putc(b, ',');
        json_string(b, val->v[i]);
    }
    buf_putc(b, ']');
}

static void
fmt_lucene(struct buf *b, const struct dashfmt_value *val)
{
    if (!val->list) {
        put_lucene(b, val->n > 0 ? val->v[0] : "");
    } else if (val->n == 0) {
        buf_puts(b, "__empty__");
    } else {
        buf_putc(b, '(');
        for (size_t i = 0; i < val->n; i++) {
            buf_puts(b, i > 0 ? " OR \"" : "\"");
            put_lucene(b, val->v[i]);
            buf_putc(b, '"');
        }
        buf_putc(b, ')');
    }
}

/* The values joined by commas, then URL-encoded, as Grafana's
 * documentation shows it (foo()bar BAZ and test2: foo%28%29bar%20BAZ
 * %2Ctest2). */
static void
fmt_percent(struct buf *b, const struct dashfmt_value *val)
{
    struct buf t;

    buf_init(&t, 0);
    put_joined(&t, val, ",", NULL);
    put_percent(b, buf_str(&t));
    buf_fini(&t);
}

static void
fmt_distributed(struct buf *b, const struct dashfmt_value *val)
{
    for (size_t i = 0; i < val->n; i++) {
        if (i > 0)
            buf_printf(b, ",%s=", val->name);
        buf_puts(b, val->v[i]);
    }
}

static void
fmt_queryparam(struct buf *b, const struct dashfmt_value *val)
{
    for (size_t i = 0; i < val->n; i++) {
        if (i > 0)
            buf_putc(b, '&');
        buf_printf(b, "var-%s=", val->name);
        put_percent(b, val->v[i]);
    }
}

static void
fmt_glob(struct buf *b, const struct dashfmt_value *val)
{
    if (val->list && val->n > 1) {
        buf_putc(b, '{');
        put_joined(b, val, ",", NULL);
        buf_putc(b, '}');
    } else {
        put_joined(b, val, ",", NULL);
    }
}

static bool
is_fmt(const char *fmt, size_t len, const char *name)
{
    return strlen(name) == len && memcmp(fmt, name, len) == 0;
}

void
dashfmt_write(struct buf *out, const struct dashfmt_value *val,
              const char *fmt, size_t len)
{
    if (len == 0)
        fmt_default(out, val);
    else if (is_fmt(fmt, len, "regex"))
        fmt_regex(out, val);
    else if (is_fmt(fmt, len, "pipe"))
        put_joined(out, val, "|", NULL);
    else if (is_fmt(fmt, len, "csv") || is_fmt(fmt, len, "raw"))
        put_joined(out, val, ",", NULL);
    else if (is_fmt(fmt, len, "json"))
        fmt_json(out, val);
    else if (is_fmt(fmt, len, "text") && val->all)
        buf_puts(out, "All");
    else if (is_fmt(fmt, len, "text"))
        put_joined(out, val, " + ", NULL);
    else if (is_fmt(fmt, len, "doublequote"))
        put_quoted(out, val, '"', "\\\"");
    else if (is_fmt(fmt, len, "singlequote"))
        put_quoted(out, val, '\'', "\\'");
    else if (is_fmt(fmt, len, "sqlstring"))
        put_quoted(out, val, '\'', "''");
    else if (is_fmt(fmt, len, "lucene"))
        fmt_lucene(out, val);
    else if (is_fmt(fmt, len, "percentencode"))
        fmt_percent(out, val);
    else if (is_fmt(fmt, len, "distributed"))
        fmt_distributed(out, val);
    else if (is_fmt(fmt, len, "queryparam"))
        fmt_queryparam(out, val);
    else if (is_fmt(fmt, len, "html"))
        put_joined(out, val, ", ", put_html);
    else
        fmt_glob(out, val);
}
