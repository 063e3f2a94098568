/*
 * Compressed chunks of (timestamp ms, float64) samples: delta-of-delta
 * timestamps, and values in one of two encodings picked by the chunk's
 * first value. An XOR chunk stores them the way Gorilla and Prometheus's
 * XOR chunks do, each XOR'd with the one before in a leading/trailing-zero
 * window. An integer chunk, for series whose first value is an integer
 * (counters, histogram buckets, byte gauges), stores each integer value
 * as the delta-of-delta of the integers, as the timestamps are, and any
 * other value (a fraction, NaN, a staleness marker, an infinity, -0.0, an
 * integer past 2^53) as an escape code and its XOR with the value before.
 * Values round-trip bit for bit in both (NaN payloads included). A chunk
 * knows nothing of series; the store links chunks into a per-series list,
 * oldest first, through next. The header is 32 bytes, since a million
 * series hold three chunks each.
 *
 * Ownership: a chunk being written lives in a chunk pool
 * (store/chunkpool.h): the caller holds one from chunk_new until it gives
 * it back with chunkpool_put. chunk_append may move it to a larger block
 * of the pool (like realloc) and gives the old one back itself: the
 * caller relinks the returned pointer. A full chunk is sealed by copying
 * it into the chunk log (store/chunklog.h). The encoder state that only
 * the newest chunk of a series needs lives outside, in struct chunk_enc.
 */
#ifndef STORE_CHUNK_H
#define STORE_CHUNK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A chunk is sealed at this many samples or when its bytes run out. */
#define CHUNK_MAX_SAMPLES 120
#define CHUNK_MAX_BYTES   1024

/* How a chunk's values are encoded, fixed by its first sample. */
enum chunk_kind {
    CHUNK_XOR,          /* XOR with the previous value's bits */
    CHUNK_INT,          /* delta-of-delta of integers, escapes XOR'd */
};

struct chunk {
    struct chunk *next;             /* the next newer chunk of the series */
    int64_t mint, maxt;             /* first and last timestamp */
    uint8_t n;                      /* samples */
    uint8_t kind;                   /* enum chunk_kind */
    uint16_t cap;                   /* bytes of data */
    uint16_t nbits;                 /* bits of data written */
    uint16_t seg;                   /* chunk log segment once sealed,
                                       else its chunk pool page */
    unsigned char data[];
};

/* What the encoder remembers between two appends to the same chunk. */
struct chunk_enc {
    int64_t t;          /* last timestamp */
    uint64_t v;         /* last value's bits */
    uint64_t delta;     /* last timestamp delta (mod 2^64) */
    uint64_t vdelta;    /* integer chunks: the last integer delta (mod
                           2^64), 0 when either value was not an integer */
    uint8_t leading;    /* XOR window; 0xff: none yet */
    uint8_t trailing;
};

/* Reads a chunk sample by sample, oldest first. */
struct chunk_iter {
    const struct chunk *c;
    uint32_t pos;       /* bit position */
    uint16_t i;         /* samples read */
    struct chunk_enc st;
};

_Static_assert(CHUNK_MAX_SAMPLES <= UINT8_MAX, "n counts a chunk's samples");

struct chunkpool;

/* An empty chunk from p with room for a few samples; it grows in p as
 * they come. */
struct chunk *chunk_new(struct chunkpool *p);
/* True when another sample could pass the sample or byte cap. */
bool chunk_full(const struct chunk *c);
/*
 * Appends (t, v) to c, which must not be full and is from p, and returns
 * c or its copy in a larger block of p (c's block then goes back to p).
 * For the first sample e is reset; t must be after e->t otherwise.
 */
struct chunk *chunk_append(struct chunkpool *p, struct chunk *c,
                           struct chunk_enc *e, int64_t t, double v);
/* Bytes the chunk occupies (header and data area). */
size_t chunk_size(const struct chunk *c);

void chunk_iter_init(struct chunk_iter *it, const struct chunk *c);
/* The next sample into *t and *v; false after the last. */
bool chunk_iter_next(struct chunk_iter *it, int64_t *t, double *v);

#endif
