/*
 * The exposition-format parser: Prometheus text 0.0.4 and OpenMetrics 1.0.
 * It is pure and streaming: bytes go in chunk by chunk as they arrive (a
 * line may straddle chunks) and every sample goes out through a sink
 * callback. It does no I/O and keeps at most one line in memory.
 *
 * Ownership: strings in the structs handed to the sink are borrowed for
 * the length of the callback only.
 */
#ifndef SCRAPE_EXPO_H
#define SCRAPE_EXPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scrape/expo_type.h"
#include "src/base/diag.h"

struct expo;

enum expo_format { EXPO_TEXT, EXPO_OPENMETRICS };

struct expo_label {
    const char *name;
    size_t name_len;
    const char *value;      /* escapes already resolved */
    size_t value_len;
};

struct expo_sample {
    const char *series;     /* the raw "name{labels}" text, a cache key */
    size_t series_len;
    const char *name;
    size_t name_len;
    const struct expo_label *labels;
    size_t nlabels;
    double value;
    bool has_ts;
    int64_t ts;             /* ms */
    int line;               /* 1-based */
    /* Set only for a sink with skip_labels: the labels were not parsed
     * (labels NULL, nlabels 0); series, name, value and ts were. */
    bool labels_skipped;
    /* Set only for a sink with expect, with labels_skipped: series is
     * the very text expect returned for this sample. */
    bool expected;
};

/* What a skip_labels sink returns for a sample with labels_skipped whose
 * series text it does not know: the parser then checks the labels and
 * hands the sample over again with them. */
#define EXPO_SINK_NEED_LABELS 2

struct expo_meta {
    const char *family;     /* the name in the # TYPE/HELP/UNIT line */
    size_t family_len;
    enum expo_type type;    /* the format's default without a TYPE line */
    bool has_type;          /* whether a TYPE line gave it */
    const char *help;       /* NULL when not given; unescaped */
    size_t help_len;
    const char *unit;       /* NULL when not given */
    size_t unit_len;
};

struct expo_sink {
    void *ctx;
    /* Called for every sample; a non-zero return stops the parse. */
    int (*sample)(void *ctx, const struct expo_sample *s);
    /* Called when a family's metadata is complete; may be NULL. */
    void (*meta)(void *ctx, const struct expo_meta *m);
    /*
     * Text format only: a sample line with labels is first handed over
     * with its labels unchecked and unparsed (labels_skipped), its
     * series text found by matching the braces and quotes. A sink that
     * knows that exact text from an earlier sample which passed every
     * check takes it (the same bytes pass the same checks again: this
     * is Prometheus's scrape cache); else it returns
     * EXPO_SINK_NEED_LABELS and gets the sample again, checked.
     */
    bool skip_labels;
    /*
     * Text format with skip_labels, may be NULL: the series text the
     * sink expects the next sample to have (into *len), or NULL for no
     * guess. A body lists its series in the same order scrape after
     * scrape, so a sink that remembers that order nearly always knows.
     * The text must be one that passed every check in an earlier
     * sample. A sample line that starts with it, where the series text
     * ends there too, is handed over with labels_skipped and expected
     * set, its name and labels found by that one comparison instead of
     * scanned. The text is read before the sample callback, not after.
     */
    const char *(*expect)(void *ctx, size_t *len);
};

/* The format for a Content-Type header value (NULL or unknown: text). */
enum expo_format expo_format_for(const char *content_type);

/* A parser for one body; lines longer than max_line bytes are an error. */
struct expo *expo_new(enum expo_format fmt, const struct expo_sink *sink,
                      size_t max_line);
void expo_free(struct expo *p);
/*
 * Feeds the next len bytes of the body. Returns 0, or -1 with d set (line
 * number and message) on the first bad line or when the sink said stop;
 * after -1 the parser accepts nothing more.
 */
int expo_feed(struct expo *p, const char *data, size_t len, struct diag *d);
/* Ends the body (a final line without newline, OpenMetrics' # EOF). */
int expo_finish(struct expo *p, struct diag *d);
/* Sample lines parsed so far, bad or stopped ones not counted. */
size_t expo_count(const struct expo *p);

#endif
