/*
 * libFuzzer harness for the exposition parser. The first byte picks the
 * format and a chunk size; the body is parsed whole and in chunks, and
 * both must give the same samples, verdict, bad line and count. make fuzz
 * builds it with clang against the library and replays its seeds (the
 * captures in tests/data/exposition); make fuzz-run fuzzes it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scrape/expo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An FNV-1a digest of everything the sink is given. */
struct digest {
    uint64_t h;
    size_t n;
};

static void
mix(struct digest *g, const void *p, size_t n)
{
    const unsigned char *b = p;

    for (size_t i = 0; i < n; i++)
        g->h = (g->h ^ b[i]) * 1099511628211ULL;
}

static int
on_sample(void *ctx, const struct expo_sample *s)
{
    struct digest *g = ctx;

    mix(g, s->series, s->series_len);
    mix(g, s->name, s->name_len);
    for (size_t i = 0; i < s->nlabels; i++) {
        mix(g, s->labels[i].name, s->labels[i].name_len);
        mix(g, s->labels[i].value, s->labels[i].value_len);
    }
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
parse(enum expo_format fmt, const char *b, size_t n, size_t chunk)
{
    struct result r = { { 14695981039346656037ULL, 0 }, 0, 0, 0 };
    struct expo_sink sink = { &r.g, on_sample, on_meta, false };
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
    struct result a, b;
    size_t chunk;

    if (size < 1)
        return 0;
    fmt = data[0] & 1 ? EXPO_OPENMETRICS : EXPO_TEXT;
    chunk = 1 + (data[0] >> 1) % 17;
    a = parse(fmt, (const char *)data + 1, size - 1, size);
    b = parse(fmt, (const char *)data + 1, size - 1, chunk);
    if (a.rc != b.rc || a.line != b.line || a.count != b.count
        || a.g.h != b.g.h || a.g.n != b.g.n || a.count != a.g.n)
        abort();
    return 0;
}
