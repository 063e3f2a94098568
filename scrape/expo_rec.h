/*
 * One record of an exposition body (a line, or in text 0.0.4 several
 * lines when a label value holds a raw newline) and the grammar of text
 * format 0.0.4 records. The OpenMetrics grammar (expo_om.h) shares the
 * helpers declared here; expo.c frames the body and delivers the results.
 *
 * Internal to scrape/: not part of the scrape API; other folders include
 * scrape/expo.h (tests may include this header).
 *
 * Ownership: the record's bytes, scratch and diag belong to the caller;
 * the label array is the caller's too and these functions may grow it.
 * Everything a parsed record points to lives in s or scratch.
 */
#ifndef SCRAPE_EXPO_REC_H
#define SCRAPE_EXPO_REC_H

#include <locale.h>
#include <stdbool.h>
#include <stddef.h>

#include "scrape/expo.h"
#include "src/base/diag.h"

/* What a grammar returns: done, failed (diag set), or "the record goes
 * on after the next newline" (text format, inside a label value). */
enum { EXPO_REC_ERR = -1, EXPO_REC_OK = 0, EXPO_REC_MORE = 1 };

enum expo_rec_kind {
    EXPO_REC_NONE,      /* blank line or comment */
    EXPO_REC_SAMPLE,
    EXPO_REC_HELP,
    EXPO_REC_TYPE,
    EXPO_REC_UNIT,
    EXPO_REC_EOF,       /* OpenMetrics "# EOF" */
    EXPO_REC_END        /* a NUL byte ends the text body here, silently */
};

struct expo_rec {
    /* Set by the caller. */
    const char *s;              /* the record, without its final newline */
    size_t n;
    bool final;                 /* nothing follows (text format) */
    int line;                   /* number of the record's first line */
    locale_t num_locale;        /* C numeric locale for strtod_l */
    char *scratch;              /* at least 2 * n + 2 bytes */
    struct expo_label *labels;  /* grown with xreallocarray as needed */
    size_t labels_cap;
    struct diag *err;
    bool skip_labels;           /* text: leave the labels unparsed */
    /* Text with skip_labels: the sink's guess at the next series text
     * (struct expo_sink's expect, called with expect_ctx), or NULL. */
    const char *(*expect)(void *ctx, size_t *len);
    void *expect_ctx;
    /* Set by the grammar: kind, sc and smp for every record (the
     * caller reuses a record without clearing it), the rest as kind
     * says. */
    enum expo_rec_kind kind;
    size_t sc;                  /* scratch bytes used by label values */
    struct expo_sample smp;     /* EXPO_REC_SAMPLE; labels in labels */
    size_t series_end;          /* offset where the series key ends */
    const char *family;         /* HELP, TYPE, UNIT: the metric name */
    size_t family_len;
    const char *text;           /* HELP (unescaped), UNIT */
    size_t text_len;
    enum expo_type type;        /* TYPE */
};

/*
 * text-record = blanks ( end | comment | sample ), Prometheus 2.42 rules.
 * With skip_labels, a sample's labels are only matched for their closing
 * brace (smp.labels_skipped); where that brace is not found they are
 * parsed as usual. With expect too, a sample that starts with the
 * expected series text is not scanned up to its value at all
 * (smp.expected).
 */
int expo_rec_text(struct expo_rec *r);

/*
 * Fails the record at byte off: sets the diag's line (counted from the
 * record's first line), column and message; returns EXPO_REC_ERR.
 */
int expo_rec_fail(struct expo_rec *r, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* What is at byte i, for "expected X, found Y"; out has outsz bytes. */
const char *expo_rec_found(const struct expo_rec *r, size_t i, char *out,
                           size_t outsz);
/* Scanners: each returns the offset after what it matched. */
size_t expo_rec_name(const struct expo_rec *r, size_t i);
size_t expo_rec_lname(const struct expo_rec *r, size_t i);
bool expo_rec_is_name_start(char c);
bool expo_rec_is_lname_start(char c);
/* Appends the label whose raw value is s[v..v+vn); checks UTF-8. */
int expo_rec_add_label(struct expo_rec *r, size_t name, size_t nn,
                       size_t v, size_t vn);
/* Parses the float s[a..b) ("what" names it in the error message). */
int expo_rec_float(struct expo_rec *r, size_t a, size_t b,
                   const char *what, double *v);
/* Sets kind TYPE and type from the text s[t..t+tn), or fails. */
int expo_rec_type(struct expo_rec *r, enum expo_format fmt, size_t t,
                  size_t tn);

#endif
