/*
 * The exposition-format parser's driver: it frames a streamed body into
 * records (lines, or in text 0.0.4 several lines when a label value holds
 * a raw newline), hands each to its format's grammar (expo_rec.c for text,
 * expo_om.c for OpenMetrics), collects metadata per family and delivers
 * samples. It does not store, relabel or judge samples beyond the format.
 */
#include "scrape/expo.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scrape/expo_om.h"
#include "scrape/expo_rec.h"
#include "scrape/expo_tok.h"
#include "src/base/buf.h"
#include "src/base/xalloc.h"

enum expo_state {
    ST_OPEN,        /* accepting records */
    ST_DONE,        /* the body ended early or was finished; input ignored */
    ST_AFTER_EOF,   /* OpenMetrics "# EOF" seen; nothing may follow */
    ST_FAILED       /* an error was reported; err repeats it */
};

/* The metadata of one family, collected until something else arrives. */
struct meta_acc {
    bool open;
    struct buf family, help, unit;
    bool has_type, has_help, has_unit;
    enum expo_type type;
};

/*
 * Invariants: pend holds the start of at most one unfinished record (at
 * most max_line + 1 bytes: a record and the newline it continues past),
 * pend_nl counts the newlines inside it, and line is the number of the
 * line where it starts. scratch holds 2 * n + 2 bytes for a record of n.
 * rec is reused from record to record, not cleared (see record()).
 */
struct expo {
    enum expo_format fmt;
    struct expo_sink sink;
    size_t max_line;
    enum expo_state state;
    struct buf pend;
    int line;
    int pend_nl;
    size_t count;
    struct diag err;
    char *scratch;
    size_t scratch_cap;
    struct expo_rec rec;        /* owns its labels array */
    struct meta_acc meta;
    locale_t c_num;
};

/* ---- Content-Type ------------------------------------------------- */

static const char *
skip_ws(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* An RFC 2045 token byte: printable ASCII but for the tspecials. */
static bool
is_token(char c)
{
    return c > ' ' && c < 0x7f && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

/*
 * params = { ";" [ token "=" ( token | quoted-string ) ] }
 * Go's mime.ParseMediaType refuses a malformed parameter list, and then
 * Prometheus falls back to the text parser; this check follows it.
 */
static bool
params_valid(const char *s)
{
    for (;;) {
        s = skip_ws(s);
        if (*s == '\0')
            return true;
        if (*s != ';')
            return false;
        s = skip_ws(s + 1);
        if (*s == '\0')
            return true;        /* a trailing ';' is allowed */
        if (!is_token(*s))
            return false;
        while (is_token(*s))
            s++;
        s = skip_ws(s);
        if (*s != '=')
            return false;
        s = skip_ws(s + 1);
        if (*s == '"') {
            for (s++; *s != '\0' && *s != '"'; s++)
                if (*s == '\\' && s[1] != '\0')
                    s++;
            if (*s++ != '"')
                return false;
        } else if (is_token(*s)) {
            while (is_token(*s))
                s++;
        } else {
            return false;
        }
    }
}

enum expo_format
expo_format_for(const char *content_type)
{
    static const char om[] = "application/openmetrics-text";
    size_t n = sizeof(om) - 1;
    const char *s;

    if (content_type == NULL)
        return EXPO_TEXT;
    s = skip_ws(content_type);
    /* Media types compare without case; parameters follow a ';'. */
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != om[i])
            return EXPO_TEXT;
    }
    return params_valid(s + n) ? EXPO_OPENMETRICS : EXPO_TEXT;
}

/* ---- metadata ------------------------------------------------------ */

static void
meta_flush(struct expo *p)
{
    struct meta_acc *m = &p->meta;
    struct expo_meta em;

    if (!m->open)
        return;
    m->open = false;
    if (p->sink.meta == NULL)
        return;
    em.family = buf_str(&m->family);
    em.family_len = m->family.len;
    em.type = m->type;
    em.has_type = m->has_type;
    em.help = m->has_help ? buf_str(&m->help) : NULL;
    em.help_len = m->has_help ? m->help.len : 0;
    em.unit = m->has_unit ? buf_str(&m->unit) : NULL;
    em.unit_len = m->has_unit ? m->unit.len : 0;
    p->sink.meta(p->sink.ctx, &em);
}

/*
 * Folds a HELP, TYPE or UNIT record into the family's metadata. A line
 * about another family completes the one collected so far; a repeated
 * line overrides the earlier one, as Prometheus's metadata cache does.
 */
static void
meta_record(struct expo *p, const struct expo_rec *r)
{
    struct meta_acc *m = &p->meta;

    if (m->open && (m->family.len != r->family_len
                    || memcmp(m->family.data, r->family, r->family_len)))
        meta_flush(p);
    if (!m->open) {
        buf_reset(&m->family);
        buf_append(&m->family, r->family, r->family_len);
        m->type = p->fmt == EXPO_TEXT ? EXPO_UNTYPED : EXPO_UNKNOWN;
        m->has_type = m->has_help = m->has_unit = false;
        m->open = true;
    }
    if (r->kind == EXPO_REC_TYPE) {
        m->type = r->type;
        m->has_type = true;
    } else if (r->kind == EXPO_REC_HELP) {
        buf_reset(&m->help);
        buf_append(&m->help, r->text, r->text_len);
        m->has_help = true;
    } else {
        buf_reset(&m->unit);
        buf_append(&m->unit, r->text, r->text_len);
        m->has_unit = true;
    }
}

/* ---- samples ------------------------------------------------------- */

static int
label_cmp(const void *a, const void *b)
{
    const struct expo_label *x = a, *y = b;
    size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
    int c = memcmp(x->name, y->name, n);

    if (c != 0)
        return c;
    return x->name_len < y->name_len ? -1 : x->name_len > y->name_len;
}

/*
 * A repeated label name (the metric name counts as "__name__"), or NULL.
 * Prometheus refuses such a sample when it appends it, which fails the
 * scrape; promdeck refuses it here. *sorted receives a copy to free.
 */
static const struct expo_label *
label_dup(const struct expo_rec *r, struct expo_label **sorted)
{
    static const struct expo_label name = { "__name__", 8, "", 0 };
    const struct expo_label *l = r->labels;
    size_t n = r->smp.nlabels;
    struct expo_label *v;

    for (size_t i = 0; i < n; i++)
        if (label_cmp(&l[i], &name) == 0)
            return &l[i];
    if (n <= 32) {
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++)
                if (label_cmp(&l[i], &l[j]) == 0)
                    return &l[j];
        return NULL;
    }
    /* Many labels: sort a copy so a hostile line cannot cost n^2. */
    v = *sorted = xreallocarray(NULL, n, sizeof(*v));
    memcpy(v, l, n * sizeof(*v));
    qsort(v, n, sizeof(*v), label_cmp);
    for (size_t i = 1; i < n; i++)
        if (label_cmp(&v[i - 1], &v[i]) == 0)
            return &v[i];
    return NULL;
}

/* Checks the label set, hands the sample to the sink and counts it. The
 * series key runs from the name to the end of the labels. */
static int
deliver(struct expo *p, struct expo_rec *r)
{
    struct expo_sample *smp = &r->smp;
    struct expo_label *sorted = NULL;
    const struct expo_label *dup = NULL;
    int rc = 0;

    /* The first sample of a family completes the family's metadata for
     * the sink, which a line failing in its labels must not do: such a
     * sample is parsed in full (once per family). */
    if (smp->labels_skipped && p->meta.open)
        return EXPO_SINK_NEED_LABELS;
    if (!smp->labels_skipped)
        dup = label_dup(r, &sorted);
    if (dup != NULL) {
        rc = expo_rec_fail(r, (size_t)(dup->name - r->s), "expected unique "
                           "label names, found \"%.*s\" twice",
                           (int)dup->name_len, dup->name);
        free(sorted);
        return rc;
    }
    free(sorted);
    meta_flush(p);
    smp->series = smp->name;
    smp->series_len = (size_t)(r->s + r->series_end - smp->name);
    while (smp->series_len > 0 && (smp->series[smp->series_len - 1] == ' '
                                   || smp->series[smp->series_len - 1] == '\t'))
        smp->series_len--;
    smp->labels = r->labels;
    smp->line = r->line;
    if (p->sink.sample != NULL)
        rc = p->sink.sample(p->sink.ctx, smp);
    if (rc == EXPO_SINK_NEED_LABELS && smp->labels_skipped)
        return rc;
    if (rc != 0)
        return expo_rec_fail(r, (size_t)(smp->name - r->s),
                             "the sample sink stopped the parse");
    p->count++;
    return EXPO_REC_OK;
}

/* ---- framing ------------------------------------------------------- */

/*
 * The text record r again with its labels parsed and checked: its series
 * text is new to the sink, or it failed after the labels it skipped (a
 * bad value), and then its first error is the one the labels may hold.
 */
static int
parse_in_full(struct expo_rec *r)
{
    r->skip_labels = false;
    r->expect = NULL;
    return expo_rec_text(r);
}

/*
 * Parses one record s[0..n) and acts on it. Returns EXPO_REC_MORE when a
 * text label value runs on past the newline that ended the record.
 */
static int
record(struct expo *p, const char *s, size_t n, bool final)
{
    struct expo_rec *r = &p->rec;
    int rc;

    if (p->scratch_cap < 2 * n + 2) {
        p->scratch_cap = 2 * n + 2;
        p->scratch = xrealloc(p->scratch, p->scratch_cap);
    }
    /* The record is not cleared: the grammar sets kind, sc and smp for
     * every record, and the rest as kind says, so only the caller's
     * fields are set here. (Clearing its 300 bytes cost more than the
     * rest of a known sample line's parse, under perf.) */
    r->s = s;
    r->n = n;
    r->final = final;
    r->line = p->line;
    r->scratch = p->scratch;
    r->skip_labels = p->sink.skip_labels;
    r->expect = r->skip_labels ? p->sink.expect : NULL;
    rc = p->fmt == EXPO_TEXT ? expo_rec_text(r) : expo_om_record(r);
    if (rc == EXPO_REC_ERR && r->smp.labels_skipped)
        rc = parse_in_full(r);
    if (rc == EXPO_REC_OK && r->kind == EXPO_REC_SAMPLE) {
        rc = deliver(p, r);
        if (rc == EXPO_SINK_NEED_LABELS) {
            rc = parse_in_full(r);
            if (rc == EXPO_REC_OK && r->kind == EXPO_REC_SAMPLE)
                rc = deliver(p, r);
        }
    }
    if (rc == EXPO_REC_ERR)
        p->state = ST_FAILED;
    if (rc != EXPO_REC_OK)
        return rc;
    if (r->kind == EXPO_REC_HELP || r->kind == EXPO_REC_TYPE
        || r->kind == EXPO_REC_UNIT)
        meta_record(p, r);
    else if (r->kind == EXPO_REC_END)
        p->state = ST_DONE;
    else if (r->kind == EXPO_REC_EOF)
        p->state = ST_AFTER_EOF;
    return EXPO_REC_OK;
}

static int
fail_too_long(struct expo *p)
{
    diag_set(&p->err, p->line + p->pend_nl, 1, 1, "expected a line of at "
             "most %zu bytes, found a longer one", p->max_line);
    p->state = ST_FAILED;
    return -1;
}

/* Appends to the unfinished record, within the line ceiling. */
static int
pend_add(struct expo *p, const char *s, size_t n)
{
    if (buf_append(&p->pend, s, n) < 0)
        return fail_too_long(p);
    return 0;
}

/*
 * Completes the record that ends with the newline after data[0..k): from
 * the chunk itself when nothing is pending, else from the pending buffer.
 */
static int
complete_line(struct expo *p, const char *data, size_t k)
{
    const char *s = data;
    size_t n = k;
    int rc;

    if (p->pend.len > 0) {
        if (pend_add(p, data, k) < 0)
            return -1;
        s = p->pend.data;
        n = p->pend.len;
    }
    if (p->max_line != 0 && n > p->max_line)
        return fail_too_long(p);
    rc = record(p, s, n, false);
    if (rc == EXPO_REC_MORE) {
        if ((p->pend.len == 0 && pend_add(p, data, k) < 0)
            || pend_add(p, "\n", 1) < 0)
            return -1;
        p->pend_nl++;
        return 0;
    }
    p->line += p->pend_nl + 1;
    p->pend_nl = 0;
    buf_reset(&p->pend);
    return rc == EXPO_REC_OK ? 0 : -1;
}

/* Copies the stored error into the caller's diag, keeping its source. */
static int
report(const struct expo *p, struct diag *d)
{
    if (d != NULL) {
        d->line = p->err.line;
        d->col = p->err.col;
        d->span = p->err.span;
        memcpy(d->msg, p->err.msg, sizeof(d->msg));
        memcpy(d->hint, p->err.hint, sizeof(d->hint));
    }
    return -1;
}

/* Anything after OpenMetrics' "# EOF" line is an error on its line. */
static int
fail_after_eof(struct expo *p, const char *data, size_t len)
{
    char f[96];

    expo_tok_describe(data, len, 0, f, sizeof(f));
    diag_set(&p->err, p->line, 1, 1, "expected end of input after "
             "\"# EOF\", found %s", f);
    p->state = ST_FAILED;
    return -1;
}

struct expo *
expo_new(enum expo_format fmt, const struct expo_sink *sink, size_t max_line)
{
    struct expo *p = xcalloc(1, sizeof(*p));

    p->fmt = fmt;
    p->sink = *sink;
    p->max_line = max_line;
    p->state = ST_OPEN;
    p->line = 1;
    /* Room for a record plus the newline it may continue past; a
     * ceiling of 0 (none) stays 0. */
    buf_init(&p->pend, max_line == 0 || max_line == SIZE_MAX
                       ? 0 : max_line + 1);
    buf_init(&p->meta.family, 0);
    buf_init(&p->meta.help, 0);
    buf_init(&p->meta.unit, 0);
    diag_clear(&p->err);
    /* strtod must read '.' whatever locale the program runs in; newlocale
     * fails only without memory, and then the global locale serves. */
    p->c_num = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (p->c_num == (locale_t)0)
        p->c_num = LC_GLOBAL_LOCALE;
    p->rec.num_locale = p->c_num;
    p->rec.err = &p->err;
    p->rec.expect_ctx = p->sink.ctx;
    return p;
}

void
expo_free(struct expo *p)
{
    if (p == NULL)
        return;
    buf_fini(&p->pend);
    buf_fini(&p->meta.family);
    buf_fini(&p->meta.help);
    buf_fini(&p->meta.unit);
    free(p->scratch);
    free(p->rec.labels);
    if (p->c_num != LC_GLOBAL_LOCALE)
        freelocale(p->c_num);
    free(p);
}

int
expo_feed(struct expo *p, const char *data, size_t len, struct diag *d)
{
    while (len > 0 && p->state != ST_DONE) {
        const char *nl;
        size_t k;

        if (p->state == ST_FAILED)
            return report(p, d);
        if (p->state == ST_AFTER_EOF) {
            fail_after_eof(p, data, len);
            return report(p, d);
        }
        nl = memchr(data, '\n', len);
        if (nl == NULL)
            return pend_add(p, data, len) < 0 ? report(p, d) : 0;
        k = (size_t)(nl - data);
        if (complete_line(p, data, k) < 0)
            return report(p, d);
        data += k + 1;
        len -= k + 1;
    }
    return p->state == ST_FAILED ? report(p, d) : 0;
}

/* The OpenMetrics body must end with "# EOF" (its newline optional). */
static int
finish_om(struct expo *p)
{
    char f[96];

    if (p->state == ST_AFTER_EOF)
        return 0;
    if (p->pend.len == 5 && memcmp(p->pend.data, "# EOF", 5) == 0)
        return 0;
    expo_tok_describe(p->pend.data, p->pend.len, 0, f, sizeof(f));
    diag_set(&p->err, p->line + p->pend_nl, 1, 1, "expected \"# EOF\" as "
             "the last line, found %s", p->pend.len > 0 ? f
                                                         : "end of input");
    p->state = ST_FAILED;
    return -1;
}

int
expo_finish(struct expo *p, struct diag *d)
{
    int rc = 0;

    if (p->state == ST_FAILED)
        return report(p, d);
    if (p->state != ST_DONE) {
        /* Text: a last line without newline counts, as Prometheus appends
         * one to every body. A label value still open is an error. */
        if (p->fmt == EXPO_OPENMETRICS)
            rc = finish_om(p);
        else if (p->pend.len > 0)
            rc = record(p, p->pend.data, p->pend.len, true);
        if (rc != 0)
            return report(p, d);
    }
    meta_flush(p);
    buf_reset(&p->pend);
    p->state = ST_DONE;
    return 0;
}

size_t
expo_count(const struct expo *p)
{
    return p->count;
}
