/*
 * The expanding notation of Prometheus's test scripts and promtool's unit
 * tests: a series ("up{job=\"a\"}") followed by values ("1+2x3 _ stale
 * 5x2"), expanded into samples one step apart from time 0. Pure: it reads
 * a string and touches no store.
 */
#include "src/rules/notation.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "src/base/buf.h"
#include "src/base/xalloc.h"

/* A series identity with its own (heap) strings, sorted by name. */
struct ident {
    struct labels ls;
};

/* A cursor over one trimmed line; err is set on the first error. */
struct cur {
    const char *s;
    size_t pos;
    char err[200];
};

void
notation_series_fini(struct notation_series *sd)
{
    labels_release(&sd->ls);
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

/* Prometheus's words for a stray character in a label set. */
static int
brace_fail(struct cur *c)
{
    char what[48];

    snprintf(what, sizeof(what), "unexpected character inside braces: '%c'",
             c->s[c->pos]);
    return cur_fail(c, what);
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
            else if (c->s[c->pos] == '\0')
                return cur_fail(c, "unexpected end of input inside braces");
            else if (c->s[c->pos] != '}')
                return brace_fail(c);
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
def_push(struct notation_series *sd, int64_t t, double v)
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
parse_item(struct cur *c, struct notation_series *sd, int64_t step,
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
parse_values(struct cur *c, struct notation_series *sd, int64_t step)
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
int
notation_parse_line(const char *line, int lineno, int64_t step,
                    struct notation_series *sd, char *err, size_t errlen)
{
    struct cur c = { .s = line };
    struct ident id = { { NULL, 0 } };
    int rc;

    memset(sd, 0, sizeof(*sd));
    sd->line = lineno;
    rc = parse_ident(&c, &id);
    sd->ls = id.ls;
    if (rc < 0 || parse_values(&c, sd, step) < 0) {
        snprintf(err, errlen, "%s", c.err);
        notation_series_fini(sd);
        return -1;
    }
    return 0;
}
