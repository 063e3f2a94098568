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
 * knows nothing of series; the store links a series' sealed chunks into
 * a list, oldest first, through next, and reaches its head from the
 * series. The header is 32 bytes, since a million series hold three
 * chunks each.
 *
 * Ownership: the caller owns a chunk's memory. A chunk being written
 * has cap bytes of data room: chunk_append says when a sample does not
 * fit, and the store's chunk pool (store/chunkpool.h) gives the chunk a
 * larger block. A full chunk is sealed by copying it into the chunk log
 * (store/chunklog.h). The encoder state that only the newest chunk of a
 * series needs lives outside, in struct chunk_enc.
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
    union {
        struct chunk *next;         /* sealed: the next newer sealed chunk
                                       of the series, or NULL */
        struct chunk **owner;       /* the head: what points at it, kept
                                       up to date by the chunk pool */
    };
    int64_t mint, maxt;             /* first and last timestamp */
    uint8_t n;                      /* samples */
    uint8_t kind;                   /* enum chunk_kind */
    uint16_t cap;                   /* bytes of data */
    uint16_t nbits;                 /* bits of data written */
    uint16_t seg;                   /* chunk log segment once sealed */
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

/* True when another sample could pass the sample or byte cap. */
bool chunk_full(const struct chunk *c);
/*
 * Appends (t, v) to c, which must not be full. False, with c and e as
 * they were, when the sample needs more than c's room: the caller gives
 * c more (chunkpool_grow) and appends again. For the first sample e is
 * reset; t must be after e->t otherwise.
 */
bool chunk_append(struct chunk *c, struct chunk_enc *e, int64_t t,
                  double v);

void chunk_iter_init(struct chunk_iter *it, const struct chunk *c);
/* The next sample into *t and *v; false after the last. */
bool chunk_iter_next(struct chunk_iter *it, int64_t *t, double *v);

#endif
