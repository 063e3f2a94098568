/*
 * OpenMetrics 1.0 records, following Prometheus 2.42's scraper in what it
 * accepts and rejects. Every separator is exactly one space. Timestamps
 * are seconds as floats and become milliseconds the way Go converts them;
 * exemplars are validated and then dropped, since promdeck keeps none.
 * A "_created" line is an ordinary sample, as Prometheus 2.42 stores it.
 */
#include "scrape/expo_om.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "scrape/expo_tok.h"
#include "src/base/utf8.h"

/* The value, timestamp and exemplar tokens end at a space or a NUL. */
static size_t
om_token(const struct expo_rec *r, size_t i)
{
    while (i < r->n && r->s[i] != ' ' && r->s[i] != '\0')
        i++;
    return i;
}

/*
 * lvalue = '"' { "\" byte | byte-but-quote-or-backslash } '"'
 * Prometheus skips NUL bytes inside sample label values but not inside
 * exemplar ones; keep says which of the two this is.
 */
static int
om_lvalue(struct expo_rec *r, size_t *ip, size_t name, size_t nn, bool keep)
{
    size_t i = *ip + 1, a = i;

    while (i < r->n && r->s[i] != '"')
        i += r->s[i] == '\\' ? 2 : 1;
    if (i >= r->n)
        return expo_rec_fail(r, a - 1, "expected '\"' to close the label "
                             "value opened here, found end of line");
    if (!keep && memchr(r->s + a, '\0', i - a) != NULL)
        return expo_rec_fail(r, a, "expected an exemplar label value "
                             "without NUL bytes, found one");
    *ip = i + 1;
    if (keep)
        return expo_rec_add_label(r, name, nn, a, i - a);
    if (!utf8_valid(r->s + a, i - a))
        return expo_rec_fail(r, a, "expected a UTF-8 label value, found "
                             "invalid bytes");
    return EXPO_REC_OK;
}

/* labels = "{" [ lname "=" lvalue { "," lname "=" lvalue } ] "}" */
static int
om_labels(struct expo_rec *r, size_t *ip, bool keep)
{
    size_t i = *ip + 1, name;
    char f[96];
    int rc;

    if (i < r->n && r->s[i] == '}') {
        *ip = i + 1;
        return EXPO_REC_OK;
    }
    for (;;) {
        if (i >= r->n || !expo_rec_is_lname_start(r->s[i]))
            return expo_rec_fail(r, i, "expected label name, found %s",
                                 expo_rec_found(r, i, f, sizeof(f)));
        name = i;
        i = expo_rec_lname(r, i);
        if (i >= r->n || r->s[i] != '=')
            return expo_rec_fail(r, i, "expected '=' after label name, "
                                 "found %s",
                                 expo_rec_found(r, i, f, sizeof(f)));
        if (++i >= r->n || r->s[i] != '"')
            return expo_rec_fail(r, i, "expected quoted label value, "
                                 "found %s",
                                 expo_rec_found(r, i, f, sizeof(f)));
        rc = om_lvalue(r, &i, name, expo_rec_lname(r, name) - name, keep);
        if (rc != EXPO_REC_OK)
            return rc;
        if (i < r->n && r->s[i] == '}') {
            *ip = i + 1;
            return EXPO_REC_OK;
        }
        if (i >= r->n || r->s[i] != ',')
            return expo_rec_fail(r, i, "expected ',' or '}' after label "
                                 "value, found %s",
                                 expo_rec_found(r, i, f, sizeof(f)));
        i++;
    }
}

/* Seconds to milliseconds as Go's int64(ts * 1000) does on amd64: the
 * fraction is cut off and an out-of-range product becomes INT64_MIN. */
static int64_t
om_ms(double sec)
{
    double ms = sec * 1000.0;

    if (!(ms >= -9223372036854775808.0 && ms < 9223372036854775808.0))
        return INT64_MIN;
    return (int64_t)ms;
}

/* " " token, parsed as a finite float (a timestamp in seconds). */
static int
om_timestamp(struct expo_rec *r, size_t *ip, const char *what, int64_t *ms)
{
    size_t a = *ip + 1, b = om_token(r, a);
    char f[96];
    double sec;

    if (a >= r->n || b == a)
        return expo_rec_fail(r, a, "expected %s, found %s", what,
                             expo_rec_found(r, a, f, sizeof(f)));
    if (expo_rec_float(r, a, b, what, &sec) != EXPO_REC_OK)
        return EXPO_REC_ERR;
    if (isnan(sec) || isinf(sec))
        return expo_rec_fail(r, a, "expected a finite %s, found %s", what,
                             expo_rec_found(r, a, f, sizeof(f)));
    *ms = om_ms(sec);
    *ip = b;
    return EXPO_REC_OK;
}

/* Whether " # {" starts at i: an exemplar follows. */
static bool
om_exemplar_at(const struct expo_rec *r, size_t i)
{
    return r->n - i >= 4 && memcmp(r->s + i, " # {", 4) == 0;
}

/*
 * exemplar = " # " labels " " value [ " " timestamp ]
 * Only counters' _total and histograms' _bucket samples may carry one.
 */
static int
om_exemplar(struct expo_rec *r, size_t i)
{
    const char *nm = r->smp.name;
    size_t nn = r->smp.name_len, a;
    char f[96];
    double v;
    int64_t ts;

    if (!(nn >= 6 && memcmp(nm + nn - 6, "_total", 6) == 0)
        && !(nn >= 7 && memcmp(nm + nn - 7, "_bucket", 7) == 0))
        return expo_rec_fail(r, i + 1, "expected an exemplar only on a "
                             "_total or _bucket sample, found one on "
                             "\"%.*s\"", (int)nn, nm);
    i += 3;
    if (om_labels(r, &i, false) != EXPO_REC_OK)
        return EXPO_REC_ERR;
    a = i + 1;
    if (i >= r->n || r->s[i] != ' ' || om_token(r, a) == a)
        return expo_rec_fail(r, i, "expected ' ' and the exemplar value, "
                             "found %s", expo_rec_found(r, i, f, sizeof(f)));
    if (expo_rec_float(r, a, om_token(r, a), "exemplar value", &v))
        return EXPO_REC_ERR;
    i = om_token(r, a);
    if (i < r->n && r->s[i] == ' '
        && om_timestamp(r, &i, "exemplar timestamp", &ts) != EXPO_REC_OK)
        return EXPO_REC_ERR;
    if (i < r->n)
        return expo_rec_fail(r, i, "expected end of line after the "
                             "exemplar, found %s",
                             expo_rec_found(r, i, f, sizeof(f)));
    return EXPO_REC_OK;
}

/* sample = name [ labels ] " " value [ " " timestamp ] [ exemplar ] */
static int
om_sample(struct expo_rec *r)
{
    size_t i = expo_rec_name(r, 0), a;
    char f[96];

    r->smp.name = r->s;
    r->smp.name_len = r->series_end = i;
    if (i < r->n && r->s[i] == '{') {
        if (om_labels(r, &i, true) != EXPO_REC_OK)
            return EXPO_REC_ERR;
        r->series_end = i;
    }
    a = i + 1;
    if (i >= r->n || r->s[i] != ' ' || om_token(r, a) == a)
        return expo_rec_fail(r, i, "expected ' ' and a value after the "
                             "metric, found %s",
                             expo_rec_found(r, i, f, sizeof(f)));
    i = om_token(r, a);
    if (expo_rec_float(r, a, i, "value", &r->smp.value) != EXPO_REC_OK)
        return EXPO_REC_ERR;
    if (i < r->n && !om_exemplar_at(r, i)) {
        if (r->s[i] != ' ')
            return expo_rec_fail(r, i, "expected timestamp, exemplar or "
                                 "end of line, found %s",
                                 expo_rec_found(r, i, f, sizeof(f)));
        if (om_timestamp(r, &i, "timestamp", &r->smp.ts) != EXPO_REC_OK)
            return EXPO_REC_ERR;
        r->smp.has_ts = true;
    }
    if (i < r->n && !om_exemplar_at(r, i))
        return expo_rec_fail(r, i, "expected exemplar or end of line, "
                             "found %s", expo_rec_found(r, i, f, sizeof(f)));
    if (i < r->n && om_exemplar(r, i) != EXPO_REC_OK)
        return EXPO_REC_ERR;
    r->kind = EXPO_REC_SAMPLE;
    return EXPO_REC_OK;
}

/* UNIT's text must be empty or end the metric name after a '_'. */
static int
om_unit(struct expo_rec *r, size_t t, size_t tn)
{
    const char *m = r->family;
    size_t mn = r->family_len;

    if (tn > 0 && (mn < tn + 1 || memcmp(m + mn - tn, r->s + t, tn) != 0
                   || m[mn - tn - 1] != '_'))
        return expo_rec_fail(r, t, "expected a unit that ends the metric "
                             "name after '_', found \"%.*s\" for \"%.*s\"",
                             (int)tn, r->s + t, (int)mn, m);
    r->kind = EXPO_REC_UNIT;
    r->text = r->s + t;
    r->text_len = tn;
    return EXPO_REC_OK;
}

/* meta = ( "HELP" | "TYPE" | "UNIT" ) " " name " " text */
static int
om_meta(struct expo_rec *r, const char *kw)
{
    size_t i = 7, t, tn;
    char f[96];

    if (i >= r->n || !expo_rec_is_name_start(r->s[i]))
        return expo_rec_fail(r, i, "expected metric name after %s, found %s",
                             kw, expo_rec_found(r, i, f, sizeof(f)));
    i = expo_rec_name(r, i);
    r->family = r->s + 7;
    r->family_len = i - 7;
    if (i >= r->n || r->s[i] != ' ')
        return expo_rec_fail(r, i, "expected ' ' and text after the metric "
                             "name in %s, found %s", kw,
                             expo_rec_found(r, i, f, sizeof(f)));
    t = i + 1;
    tn = r->n - t;
    if (kw[0] == 'T')
        return expo_rec_type(r, EXPO_OPENMETRICS, t, tn);
    if (kw[0] == 'U')
        return om_unit(r, t, tn);
    if (!utf8_valid(r->s + t, tn))
        return expo_rec_fail(r, t, "expected UTF-8 help text, found "
                             "invalid bytes");
    /* OpenMetrics HELP uses the label value escapes, \" included. */
    r->kind = EXPO_REC_HELP;
    r->text = r->scratch;
    r->text_len = expo_tok_unescape(r->s + t, tn, EXPO_ESC_LABEL,
                                    r->scratch);
    return EXPO_REC_OK;
}

/* comment = "# " ( "HELP " | "TYPE " | "UNIT " ) meta | "# EOF" */
static int
om_comment(struct expo_rec *r)
{
    static const char *const kws[] = { "HELP", "TYPE", "UNIT" };
    char f[96];

    if (r->n < 2 || r->s[1] != ' ')
        return expo_rec_fail(r, 1, "expected ' ' after '#', found %s",
                             expo_rec_found(r, 1, f, sizeof(f)));
    if (r->n >= 5 && memcmp(r->s + 2, "EOF", 3) == 0) {
        if (r->n > 5)
            return expo_rec_fail(r, 5, "expected end of input after "
                                 "\"# EOF\", found %s",
                                 expo_rec_found(r, 5, f, sizeof(f)));
        r->kind = EXPO_REC_EOF;
        return EXPO_REC_OK;
    }
    for (size_t k = 0; k < sizeof(kws) / sizeof(kws[0]); k++)
        if (r->n >= 7 && memcmp(r->s + 2, kws[k], 4) == 0
            && r->s[6] == ' ')
            return om_meta(r, kws[k]);
    return expo_rec_fail(r, 2, "expected HELP, TYPE, UNIT or EOF after "
                         "\"# \", found %s",
                         expo_rec_found(r, 2, f, sizeof(f)));
}

/* om-record = comment | sample; no blank lines, no leading blanks */
int
expo_om_record(struct expo_rec *r)
{
    char f[96];

    r->kind = EXPO_REC_NONE;
    r->sc = 0;
    memset(&r->smp, 0, sizeof(r->smp));
    if (r->n > 0 && r->s[0] == '#')
        return om_comment(r);
    if (r->n > 0 && expo_rec_is_name_start(r->s[0]))
        return om_sample(r);
    return expo_rec_fail(r, 0, "expected metric name or '#', found %s",
                         r->n == 0 ? "an empty line"
                                   : expo_rec_found(r, 0, f, sizeof(f)));
}
