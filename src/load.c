/*
 * Loads an exposition file into the store: picks the format, feeds the
 * streaming parser 64 KiB at a time and turns each sample into a sorted
 * label set, a series id and an append. It keeps no samples itself and
 * does nothing a scrape would add (no up, no staleness markers).
 */
#include "src/load.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrape/expo.h"
#include "src/base/buf.h"
#include "src/base/xalloc.h"
#include "store/labels.h"

#define CHUNK (64 * 1024)
/* Longest line accepted: a sample with very many labels, not a body. */
#define MAX_LINE (1024 * 1024)
/* How much of the file's end is read to look for "# EOF". */
#define TAIL 4096

struct load_ctx {
    struct store *st;
    int64_t default_ts;
    size_t stored;
    struct buf strings;     /* NUL-separated names and values of a sample */
    struct label *lv;       /* the sample's label set, pointing into it */
    size_t *off;            /* name and value offsets in strings, per label */
    size_t lcap;
    struct buf last_key;    /* raw series text of the previous sample */
    uint32_t last_id;
    bool have_last;
    struct diag err;        /* why the sink stopped the parse */
};

static bool
has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The file offset just past a final "# EOF" line (its newline included),
 * or -1 when the last non-empty line is something else. Blank lines after
 * "# EOF", which editors and shells leave, are thereby never fed to the
 * parser, which would refuse them as OpenMetrics does. */
static long
eof_end(FILE *f)
{
    char tail[TAIL + 1];
    size_t n;
    long size, start;

    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0)
        return -1;
    start = size > TAIL ? size - TAIL : 0;
    if (fseek(f, start, SEEK_SET) != 0)
        return -1;
    n = fread(tail, 1, TAIL, f);
    rewind(f);
    while (n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == '\r' ||
                     tail[n - 1] == ' ' || tail[n - 1] == '\t'))
        n--;
    tail[n] = '\0';
    if (n < 5 || strcmp(tail + n - 5, "# EOF") != 0 ||
        (n > 5 && tail[n - 6] != '\n'))
        return -1;
    return start + (long)n + (start + (long)n < size);
}

/* OpenMetrics by name or by a final "# EOF"; *limit is how many bytes to
 * feed (-1: all). */
static enum expo_format
pick_format(const char *path, FILE *f, long *limit)
{
    *limit = eof_end(f);
    if (*limit >= 0 || has_suffix(path, ".om") ||
        has_suffix(path, ".openmetrics"))
        return EXPO_OPENMETRICS;
    return EXPO_TEXT;
}

/* Copies a name=value pair into the scratch buffer as two C strings.
 * Only offsets are kept until the buffer has stopped growing. */
static void
add_label(struct load_ctx *c, size_t *n, const char *name, size_t nlen,
          const char *value, size_t vlen)
{
    if (vlen == 0)
        return;
    if (*n == c->lcap) {
        c->lcap = c->lcap ? c->lcap * 2 : 16;
        c->lv = xreallocarray(c->lv, c->lcap, sizeof(*c->lv));
        c->off = xreallocarray(c->off, c->lcap, 2 * sizeof(*c->off));
    }
    c->off[2 * *n] = c->strings.len;
    buf_append(&c->strings, name, nlen);
    buf_putc(&c->strings, '\0');
    c->off[2 * *n + 1] = c->strings.len;
    labels_nul_encode(value, vlen, &c->strings);    /* NUL as C0 80 */
    buf_putc(&c->strings, '\0');
    (*n)++;
}

/* Builds the sample's sorted label set, __name__ included; -1 when a
 * label name repeats. */
static int
build_labels(struct load_ctx *c, const struct expo_sample *s,
             struct labels *ls)
{
    size_t n = 0;

    buf_reset(&c->strings);
    add_label(c, &n, LABEL_METRIC_NAME, strlen(LABEL_METRIC_NAME), s->name,
              s->name_len);
    for (size_t i = 0; i < s->nlabels; i++)
        add_label(c, &n, s->labels[i].name, s->labels[i].name_len,
                  s->labels[i].value, s->labels[i].value_len);
    for (size_t i = 0; i < n; i++) {
        c->lv[i].name = c->strings.data + c->off[2 * i];
        c->lv[i].value = c->strings.data + c->off[2 * i + 1];
    }
    ls->v = c->lv;
    ls->n = n;
    labels_sort(ls);
    for (size_t i = 1; i < n; i++)
        if (strcmp(ls->v[i - 1].name, ls->v[i].name) == 0)
            return diag_set(&c->err, s->line, 1, 1,
                            "label '%s' appears twice", ls->v[i].name);
    return 0;
}

/* The series id of a sample; the previous sample's id when its raw series
 * text is the same, as in files grouped by series. */
static int
series_of(struct load_ctx *c, const struct expo_sample *s, uint32_t *id)
{
    struct labels ls;

    if (c->have_last && c->last_key.len == s->series_len &&
        memcmp(c->last_key.data, s->series, s->series_len) == 0) {
        *id = c->last_id;
        return 0;
    }
    if (build_labels(c, s, &ls) < 0)
        return -1;
    *id = c->last_id = store_series_id(c->st, &ls);
    buf_reset(&c->last_key);
    buf_append(&c->last_key, s->series, s->series_len);
    c->have_last = true;
    return 0;
}

/* The parser's sink: one sample into the store. */
static int
on_sample(void *ctx, const struct expo_sample *s)
{
    struct load_ctx *c = ctx;
    int64_t t = s->has_ts ? s->ts : c->default_ts;
    uint32_t id;

    if (series_of(c, s, &id) < 0)
        return -1;
    if (store_append(c->st, id, t, s->value) < 0) {
        diag_set(&c->err, s->line, 1, (int)s->series_len,
                 "sample for %.*s at %lld ms is not newer than the "
                 "series' last one", (int)s->series_len, s->series,
                 (long long)t);
        return -1;
    }
    c->stored++;
    return 0;
}

/* Feeds the whole file to the parser; -1 with d set on any error. */
static int
feed_file(struct expo *p, FILE *f, long limit, struct load_ctx *c,
          struct diag *d)
{
    char *chunk = xmalloc(CHUNK);
    size_t n, want;
    int rc = 0;

    for (;;) {
        want = limit >= 0 && (unsigned long)limit < CHUNK ?
            (size_t)limit : CHUNK;
        if (rc != 0 || want == 0 || (n = fread(chunk, 1, want, f)) == 0)
            break;
        if (limit >= 0)
            limit -= (long)n;
        rc = expo_feed(p, chunk, n, d);
    }
    if (rc == 0 && ferror(f))
        rc = diag_set(d, 0, 0, 0, "read error: %s", strerror(errno));
    if (rc == 0)
        rc = expo_finish(p, d);
    if (rc < 0 && c->err.msg[0] != '\0') {
        /* The sink stopped the parse: its reason is the real error. */
        *d = c->err;
    }
    free(chunk);
    return rc;
}

int
load_file(struct store *st, const char *path, int64_t default_ts_ms,
          size_t *nsamples, struct diag *d)
{
    struct load_ctx c;
    struct expo_sink sink;
    struct expo *p;
    struct diag scratch;
    long limit;
    FILE *f;
    int rc;

    if (d == NULL)
        d = &scratch;
    if (nsamples != NULL)
        *nsamples = 0;
    if ((f = fopen(path, "rb")) == NULL) {
        rc = diag_set(d, 0, 0, 0, "cannot open: %s", strerror(errno));
        d->source = path;
        return rc;
    }
    memset(&c, 0, sizeof(c));
    c.st = st;
    c.default_ts = default_ts_ms;
    buf_init(&c.strings, 0);
    buf_init(&c.last_key, 0);
    sink.ctx = &c;
    sink.sample = on_sample;
    sink.meta = NULL;
    sink.skip_labels = false;       /* on_sample reads every label */
    p = expo_new(pick_format(path, f, &limit), &sink, MAX_LINE);
    rc = feed_file(p, f, limit, &c, d);
    expo_free(p);
    fclose(f);
    buf_fini(&c.strings);
    buf_fini(&c.last_key);
    free(c.lv);
    free(c.off);
    if (rc < 0)
        d->source = path;
    if (nsamples != NULL)
        *nsamples = c.stored;
    return rc;
}
