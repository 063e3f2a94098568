/*
 * libFuzzer harness for the exposition parser. The first byte picks the
 * format and a chunk size; the body is parsed whole and in chunks, and
 * both must give the same samples, verdict, bad line and count; so must
 * a parse with skip_labels whose sink knows the series texts (and their
 * labels' digest) the whole parse delivered, and expects them in their
 * order, as the scrape cache does on the next scrape. make fuzz
 * builds it with clang against the library and replays its seeds (the
 * captures in tests/data/exposition); make fuzz-run fuzzes it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scrape/expo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An FNV-1a digest of everything the sink is given. */

/* Series texts a whole parse delivered, each with its labels' digest
 * (the first few hundred: a body that long says nothing more). */
#define MEMO_MAX 256

struct memo {
    struct {
        char *key;
        size_t len;
        uint64_t labels;
    } v[MEMO_MAX];
    size_t n;
    size_t next;            /* the text expect offers */
    bool learn;             /* record; else a skip_labels parse asks */
};

struct digest {
    uint64_t h;
    size_t n;
    struct memo *memo;
};

static void
mix(struct digest *g, const void *p, size_t n)
{
    const unsigned char *b = p;

    for (size_t i = 0; i < n; i++)
        g->h = (g->h ^ b[i]) * 1099511628211ULL;
}

static uint64_t
labels_digest(const struct expo_sample *s)
{
    struct digest d = { 14695981039346656037ULL, 0, NULL };

    for (size_t i = 0; i < s->nlabels; i++) {
        mix(&d, s->labels[i].name, s->labels[i].name_len);
        mix(&d, s->labels[i].value, s->labels[i].value_len);
    }
    return d.h;
}

static const uint64_t *
memo_find(struct memo *m, const char *key, size_t len)
{
    for (size_t i = 0; i < m->n; i++) {
        if (m->v[i].len == len && memcmp(m->v[i].key, key, len) == 0) {
            m->next = i + 1;
            return &m->v[i].labels;
        }
    }
    return NULL;
}

/* The sink's expect: the text after the last one found, as the scrape
 * cache offers it. */
static const char *
memo_expect(void *ctx, size_t *len)
{
    struct digest *g = ctx;
    struct memo *m = g->memo;

    if (m->next >= m->n)
        return NULL;
    *len = m->v[m->next].len;
    return m->v[m->next].key;
}

static int
on_sample(void *ctx, const struct expo_sample *s)
{
    struct digest *g = ctx;
    struct memo *m = g->memo;
    uint64_t labels;

    /* An expected sample carries the very text offered. */
    if (s->expected && (!s->labels_skipped || m->next >= m->n
                        || m->v[m->next].len != s->series_len
                        || memcmp(m->v[m->next].key, s->series,
                                  s->series_len) != 0))
        abort();
    if (s->labels_skipped) {
        const uint64_t *known = memo_find(m, s->series, s->series_len);

        if (known == NULL)
            return EXPO_SINK_NEED_LABELS;
        labels = *known;
    } else {
        labels = labels_digest(s);
        if (m != NULL && m->learn && m->n < MEMO_MAX &&
            memo_find(m, s->series, s->series_len) == NULL) {
            m->v[m->n].key = malloc(s->series_len + 1);
            memcpy(m->v[m->n].key, s->series, s->series_len);
            m->v[m->n].len = s->series_len;
            m->v[m->n++].labels = labels;
        }
    }
    mix(g, s->series, s->series_len);
    mix(g, s->name, s->name_len);
    mix(g, &labels, sizeof(labels));
    if (s->value == s->value)
        mix(g, &s->value, sizeof(s->value));
    mix(g, &s->has_ts, sizeof(s->has_ts));
    mix(g, &s->ts, sizeof(s->ts));
    mix(g, &s->line, sizeof(s->line));
    g->n++;
    return 0;
}

static void
on_meta(void *ctx, const struct expo_meta *m)
{
    struct digest *g = ctx;

    mix(g, m->family, m->family_len);
    mix(g, &m->type, sizeof(m->type));
    if (m->help != NULL)
        mix(g, m->help, m->help_len);
    if (m->unit != NULL)
        mix(g, m->unit, m->unit_len);
}

struct result {
    struct digest g;
    int rc;
    int line;
    size_t count;
};

static struct result
parse(enum expo_format fmt, const char *b, size_t n, size_t chunk,
      struct memo *memo)
{
    struct result r = { { 14695981039346656037ULL, 0, memo }, 0, 0, 0 };
    bool ask = memo != NULL && !memo->learn;
    struct expo_sink sink = { &r.g, on_sample, on_meta, ask,
                              ask ? memo_expect : NULL };
    struct expo *p = expo_new(fmt, &sink, 256);
    struct diag d;
    size_t off = 0;

    diag_clear(&d);
    while (off < n && r.rc == 0) {
        size_t k = n - off < chunk ? n - off : chunk;
        r.rc = expo_feed(p, b + off, k, &d);
        off += k;
    }
    if (r.rc == 0)
        r.rc = expo_finish(p, &d);
    r.line = r.rc != 0 ? d.line : 0;
    r.count = expo_count(p);
    expo_free(p);
    return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum expo_format fmt;
    struct result a, b, c;
    struct memo *memo;
    size_t chunk;

    if (size < 1)
        return 0;
    memo = calloc(1, sizeof(*memo));
    fmt = data[0] & 1 ? EXPO_OPENMETRICS : EXPO_TEXT;
    chunk = 1 + (data[0] >> 1) % 17;
    memo->learn = true;
    a = parse(fmt, (const char *)data + 1, size - 1, size, memo);
    b = parse(fmt, (const char *)data + 1, size - 1, chunk, NULL);
    memo->learn = false;
    memo->next = 0;
    c = parse(fmt, (const char *)data + 1, size - 1, chunk, memo);
    if (a.rc != b.rc || a.line != b.line || a.count != b.count
        || a.g.h != b.g.h || a.g.n != b.g.n || a.count != a.g.n
        || a.rc != c.rc || a.line != c.line || a.count != c.count
        || a.g.h != c.g.h || a.g.n != c.g.n)
        abort();
    for (size_t i = 0; i < memo->n; i++)
        free(memo->v[i].key);
    free(memo);
    return 0;
}
