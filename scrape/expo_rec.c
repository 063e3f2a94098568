/*
 * Record-level parsing shared by both formats, and the grammar of text
 * format 0.0.4 records as Prometheus 2.42's lexer (promlex.l) and parser
 * (promparse.go) define it, quirks included. It neither frames the body
 * into records nor delivers samples: expo.c does both.
 */
#include "scrape/expo_rec.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scrape/expo_tok.h"
#include "scrape/expo_type.h"
#include "src/base/utf8.h"
#include "src/base/xalloc.h"

/* ---- helpers shared with expo_om.c --------------------------------- */

static bool
is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool
expo_rec_is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
           || c == ':';
}

bool
expo_rec_is_lname_start(char c)
{
    return expo_rec_is_name_start(c) && c != ':';
}

/* name = [a-zA-Z_:] [a-zA-Z0-9_:]*   (the caller checked the first byte) */
size_t
expo_rec_name(const struct expo_rec *r, size_t i)
{
    i++;
    while (i < r->n && (expo_rec_is_name_start(r->s[i]) || is_digit(r->s[i])))
        i++;
    return i;
}

/* lname = [a-zA-Z_] [a-zA-Z0-9_]*   (the caller checked the first byte) */
size_t
expo_rec_lname(const struct expo_rec *r, size_t i)
{
    i++;
    while (i < r->n
           && (expo_rec_is_lname_start(r->s[i]) || is_digit(r->s[i])))
        i++;
    return i;
}

static size_t
skip_blanks(const struct expo_rec *r, size_t i)
{
    while (i < r->n && is_blank(r->s[i]))
        i++;
    return i;
}

int
expo_rec_fail(struct expo_rec *r, size_t off, const char *fmt, ...)
{
    char msg[sizeof(r->err->msg)];
    va_list ap;
    int line = r->line;
    size_t bol = 0, span;

    /* A record may span lines; the error names the line of off. */
    for (size_t i = 0; i < off && i < r->n; i++) {
        if (r->s[i] == '\n') {
            line++;
            bol = i + 1;
        }
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    span = expo_tok_span(r->s, r->n, off);
    diag_set(r->err, line, (int)(off - bol) + 1, span < 80 ? (int)span : 80,
             "%s", msg);
    return EXPO_REC_ERR;
}

const char *
expo_rec_found(const struct expo_rec *r, size_t i, char *out, size_t outsz)
{
    expo_tok_describe(r->s, r->n, i, out, outsz);
    return out;
}

int
expo_rec_add_label(struct expo_rec *r, size_t name, size_t nn, size_t v,
                   size_t vn)
{
    struct expo_label *l;
    const char *raw = r->s + v;

    if (!utf8_valid(raw, vn))
        return expo_rec_fail(r, v, "expected a UTF-8 label value, found "
                             "invalid bytes");
    if (r->smp.nlabels == r->labels_cap) {
        r->labels_cap = r->labels_cap ? 2 * r->labels_cap : 16;
        r->labels = xreallocarray(r->labels, r->labels_cap,
                                  sizeof(*r->labels));
    }
    l = &r->labels[r->smp.nlabels++];
    l->name = r->s + name;
    l->name_len = nn;
    l->value = raw;
    l->value_len = vn;
    /* Only values with a backslash need a copy; the scratch buffer is
     * large enough for all of them, so earlier pointers stay valid. */
    if (memchr(raw, '\\', vn) != NULL) {
        l->value = r->scratch + r->sc;
        l->value_len = expo_tok_unescape(raw, vn, EXPO_ESC_LABEL,
                                         r->scratch + r->sc);
        r->sc += l->value_len;
    }
    return EXPO_REC_OK;
}

int
expo_rec_float(struct expo_rec *r, size_t a, size_t b, const char *what,
               double *v)
{
    char f[96];
    char *tmp = r->scratch + r->n + 1;

    switch (expo_tok_float(r->s + a, b - a, r->num_locale, tmp, v)) {
    case EXPO_NUM_OK:
        return EXPO_REC_OK;
    case EXPO_NUM_RANGE:
        return expo_rec_fail(r, a, "expected %s within the range of a "
                             "float64, found %s", what,
                             expo_rec_found(r, a, f, sizeof(f)));
    default:
        return expo_rec_fail(r, a, "expected a float as %s, found %s", what,
                             expo_rec_found(r, a, f, sizeof(f)));
    }
}

int
expo_rec_type(struct expo_rec *r, enum expo_format fmt, size_t t, size_t tn)
{
    static const enum expo_type text[] = {
        EXPO_COUNTER, EXPO_GAUGE, EXPO_HISTOGRAM, EXPO_SUMMARY, EXPO_UNTYPED,
    };
    static const enum expo_type om[] = {
        EXPO_COUNTER, EXPO_GAUGE, EXPO_HISTOGRAM, EXPO_GAUGEHISTOGRAM,
        EXPO_SUMMARY, EXPO_INFO, EXPO_STATESET, EXPO_UNKNOWN,
    };
    const enum expo_type *v = fmt == EXPO_TEXT ? text : om;
    size_t count = fmt == EXPO_TEXT ? sizeof(text) / sizeof(text[0])
                                    : sizeof(om) / sizeof(om[0]);
    char f[96];

    for (size_t i = 0; i < count; i++) {
        const char *name = expo_type_name(v[i]);
        if (strlen(name) == tn && memcmp(name, r->s + t, tn) == 0) {
            r->kind = EXPO_REC_TYPE;
            r->type = v[i];
            return EXPO_REC_OK;
        }
    }
    expo_tok_describe(r->s + t, tn, 0, f, sizeof(f));
    return expo_rec_fail(r, t, "expected %s as the metric type, found %s",
                         fmt == EXPO_TEXT
                         ? "counter, gauge, histogram, summary or untyped"
                         : "counter, gauge, histogram, gaugehistogram, "
                           "summary, info, stateset or unknown",
                         tn == 0 ? "nothing" : f);
}

/* ---- text format 0.0.4 --------------------------------------------- */

/*
 * lvalue = '"' { "\" byte | byte-but-quote-or-backslash } '"'
 * In 0.0.4 a raw newline is an ordinary byte of a label value, so a value
 * still open at the end of the record continues on the next line.
 */
static int
text_lvalue(struct expo_rec *r, size_t *ip, size_t name, size_t nn)
{
    size_t i = *ip + 1, a = i;

    while (i < r->n && r->s[i] != '"') {
        if (r->s[i] == '\\' && i + 1 >= r->n)
            return expo_rec_fail(r, i, "expected an escaped character "
                                 "after '\\', found end of line");
        i += r->s[i] == '\\' ? 2 : 1;
    }
    if (i >= r->n) {
        if (!r->final)
            return EXPO_REC_MORE;
        return expo_rec_fail(r, a - 1, "expected '\"' to close the label "
                             "value opened here, found end of input");
    }
    *ip = i + 1;
    return expo_rec_add_label(r, name, nn, a, i - a);
}

/*
 * labels = "{" { lname "=" lvalue [ "," ] } "}"
 * Blanks may separate every token; the comma is optional, so a trailing
 * one and none at all are both accepted, as Prometheus does.
 */
static int
text_labels(struct expo_rec *r, size_t *ip)
{
    size_t i = *ip + 1, name;
    char f[96];
    int rc;

    for (;;) {
        i = skip_blanks(r, i);
        if (i < r->n && r->s[i] == '}') {
            *ip = i + 1;
            return EXPO_REC_OK;
        }
        if (i >= r->n || !expo_rec_is_lname_start(r->s[i]))
            return expo_rec_fail(r, i, "expected label name, found %s",
                                 expo_rec_found(r, i, f, sizeof(f)));
        name = i;
        i = skip_blanks(r, expo_rec_lname(r, i));
        if (i >= r->n || r->s[i] != '=')
            return expo_rec_fail(r, i, "expected '=' after label name, "
                                 "found %s",
                                 expo_rec_found(r, i, f, sizeof(f)));
        i = skip_blanks(r, i + 1);
        if (i >= r->n || r->s[i] != '"')
            return expo_rec_fail(r, i, "expected quoted label value, "
                                 "found %s",
                                 expo_rec_found(r, i, f, sizeof(f)));
        rc = text_lvalue(r, &i, name, expo_rec_lname(r, name) - name);
        if (rc != EXPO_REC_OK)
            return rc;
        i = skip_blanks(r, i);
        if (i < r->n && r->s[i] == ',')
            i++;
    }
}

/* The value token ends at a blank, a brace, a newline or a NUL byte. */
static bool
text_value_stop(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '{' || c == '\0';
}

/* [ blanks timestamp ] blanks end: integer milliseconds, digits only. */
static int
text_timestamp(struct expo_rec *r, size_t i)
{
    size_t a;
    char f[96];

    i = skip_blanks(r, i);
    if (i >= r->n)
        return EXPO_REC_OK;
    if (!is_digit(r->s[i]))
        return expo_rec_fail(r, i, "expected timestamp or end of line, "
                             "found %s", expo_rec_found(r, i, f, sizeof(f)));
    for (a = i; i < r->n && is_digit(r->s[i]); i++)
        ;
    if (expo_tok_int64(r->s + a, i - a, &r->smp.ts) != EXPO_NUM_OK)
        return expo_rec_fail(r, a, "expected a timestamp within the range "
                             "of int64, found %s",
                             expo_rec_found(r, a, f, sizeof(f)));
    r->smp.has_ts = true;
    i = skip_blanks(r, i);
    if (i < r->n)
        return expo_rec_fail(r, i, "expected end of line after timestamp, "
                             "found %s", expo_rec_found(r, i, f, sizeof(f)));
    return EXPO_REC_OK;
}

/*
 * The offset just past the '}' that closes the labels opened at i, read
 * as text_labels reads quoted values (a backslash takes the next byte);
 * 0 when the record ends first. It checks nothing else: the caller's
 * sink vouches for series texts it has seen pass text_labels, which
 * stops at this same brace because it reads the same bytes.
 */
static size_t
labels_close(const struct expo_rec *r, size_t i)
{
    for (i++; i < r->n; i++) {
        if (r->s[i] == '}')
            return i + 1;
        if (r->s[i] != '"')
            continue;
        for (i++; i < r->n && r->s[i] != '"'; i++)
            if (r->s[i] == '\\')
                i++;
        if (i >= r->n)
            return 0;
    }
    return 0;
}

/*
 * The end of the series text at i when it is the one the sink expects
 * (expo_rec.expect), else 0. That text passed every check in an earlier
 * sample, and each check (the name's bytes, the labels' grammar, UTF-8,
 * unique names) reads only bytes inside it, so here they pass again and
 * the scanners would stop at the same place: at the labels' closing
 * brace, or for a bare name where a blank follows it with no '{' after
 * the blanks. Then name is the text up to its first '{', less blanks.
 */
static size_t
text_expected(struct expo_rec *r, size_t i)
{
    size_t len, end, name;
    const char *k = r->expect(r->expect_ctx, &len), *brace;

    if (k == NULL || len == 0 || len > r->n - i
        || memcmp(r->s + i, k, len) != 0)
        return 0;
    end = i + len;
    if (k[len - 1] != '}') {
        if (end < r->n && !is_blank(r->s[end]))
            return 0;       /* the name goes on */
        name = skip_blanks(r, end);
        if (name < r->n && r->s[name] == '{')
            return 0;       /* labels follow */
    }
    brace = memchr(k, '{', len);
    name = brace != NULL ? (size_t)(brace - k) : len;
    while (name > 0 && is_blank(k[name - 1]))
        name--;
    r->smp.name = r->s + i;
    r->smp.name_len = name;
    r->smp.labels_skipped = r->smp.expected = true;
    return end;
}

/* The series text, name [ labels ], from i to *end; the labels only
 * matched for their closing brace with skip_labels (labels_close). */
static int
text_series(struct expo_rec *r, size_t i, size_t *end)
{
    size_t a = i, close;
    int rc;

    i = expo_rec_name(r, i);
    r->smp.name = r->s + a;
    r->smp.name_len = i - a;
    *end = i;
    i = skip_blanks(r, i);
    if (i < r->n && r->s[i] == '{') {
        if (r->skip_labels && (close = labels_close(r, i)) != 0) {
            r->smp.labels_skipped = true;
            i = close;
        } else if ((rc = text_labels(r, &i)) != EXPO_REC_OK) {
            return rc;
        }
        *end = i;
    }
    return EXPO_REC_OK;
}

/* sample = name [ labels ] value [ timestamp ], blanks between tokens */
static int
text_sample(struct expo_rec *r, size_t i)
{
    size_t a, end = 0;
    char f[96];
    int rc;

    if (r->expect != NULL)
        end = text_expected(r, i);
    if (end == 0 && (rc = text_series(r, i, &end)) != EXPO_REC_OK)
        return rc;
    r->series_end = end;
    i = skip_blanks(r, end);
    if (i >= r->n || text_value_stop(r->s[i]))
        return expo_rec_fail(r, i, "expected value after metric, found %s",
                             expo_rec_found(r, i, f, sizeof(f)));
    for (a = i; i < r->n && !text_value_stop(r->s[i]); i++)
        ;
    if (expo_rec_float(r, a, i, "value", &r->smp.value) != EXPO_REC_OK)
        return EXPO_REC_ERR;
    if (text_timestamp(r, i) != EXPO_REC_OK)
        return EXPO_REC_ERR;
    r->kind = EXPO_REC_SAMPLE;
    return EXPO_REC_OK;
}

/*
 * meta = name [ text ], after "HELP" or "TYPE" and blanks. The text is
 * what follows the name minus its first byte (normally the separating
 * blank); a rest of blanks only is empty text. HELP resolves \\ and \n.
 */
static int
text_meta(struct expo_rec *r, size_t kw)
{
    bool help = r->s[kw] == 'H';
    size_t i = skip_blanks(r, kw + 4), name = i, t, tn;
    char f[96];

    if (i >= r->n || !expo_rec_is_name_start(r->s[i]))
        return expo_rec_fail(r, i, "expected metric name after %s, found %s",
                             help ? "HELP" : "TYPE",
                             expo_rec_found(r, i, f, sizeof(f)));
    i = expo_rec_name(r, i);
    if (i < r->n && r->s[i] == '\0')
        return expo_rec_fail(r, i, "expected text or end of line after "
                             "the metric name, found a NUL byte");
    r->family = r->s + name;
    r->family_len = i - name;
    t = skip_blanks(r, i) == r->n || i + 1 >= r->n ? r->n : i + 1;
    tn = r->n - t;
    if (!help)
        return expo_rec_type(r, EXPO_TEXT, t, tn);
    if (!utf8_valid(r->s + t, tn))
        return expo_rec_fail(r, t, "expected UTF-8 help text, found "
                             "invalid bytes");
    r->kind = EXPO_REC_HELP;
    r->text = r->scratch;
    r->text_len = expo_tok_unescape(r->s + t, tn, EXPO_ESC_HELP,
                                    r->scratch);
    return EXPO_REC_OK;
}

/* Whether "HELP" or "TYPE" and a blank start at i. */
static bool
text_keyword(const struct expo_rec *r, size_t i)
{
    return i + 4 < r->n && is_blank(r->s[i + 4])
           && (memcmp(r->s + i, "HELP", 4) == 0
               || memcmp(r->s + i, "TYPE", 4) == 0);
}

/*
 * comment = "#" blanks [ ("HELP" | "TYPE") blanks meta ] ... | "#" text
 * Any other comment is ignored. Prometheus's lexer ends the whole body,
 * without error, at a NUL byte where a comment's text starts, or anywhere
 * in a comment whose '#' is not followed by a blank; so does this parser.
 */
static int
text_comment(struct expo_rec *r, size_t i)
{
    i++;
    if (i < r->n && is_blank(r->s[i])) {
        i = skip_blanks(r, i);
        if (i < r->n && r->s[i] == '\0')
            r->kind = EXPO_REC_END;
        else if (text_keyword(r, i))
            return text_meta(r, i);
        return EXPO_REC_OK;
    }
    if (memchr(r->s + i, '\0', r->n - i) != NULL)
        r->kind = EXPO_REC_END;
    return EXPO_REC_OK;
}

/* text-record = blanks ( end | comment | sample ) */
int
expo_rec_text(struct expo_rec *r)
{
    size_t i = skip_blanks(r, 0);
    char f[96];

    r->kind = EXPO_REC_NONE;
    r->sc = 0;
    memset(&r->smp, 0, sizeof(r->smp));
    if (i == r->n)
        return EXPO_REC_OK;
    if (r->s[i] == '\0') {
        /* Prometheus's lexer reads a NUL here as the end of the body. */
        r->kind = EXPO_REC_END;
        return EXPO_REC_OK;
    }
    if (r->s[i] == '#')
        return text_comment(r, i);
    if (expo_rec_is_name_start(r->s[i]))
        return text_sample(r, i);
    return expo_rec_fail(r, i, "expected metric name or '#', found %s",
                         expo_rec_found(r, i, f, sizeof(f)));
}
