/*
 * A label set as the store keeps it: the interned ids (store/intern.h)
 * of its names and values in order, name, value, name, value, each as a
 * varint (7 bits a byte, the low ones first, the top bit set on every
 * byte but the last). Names and the common values are interned first
 * and take one byte, the thousands of instance or metric names two: a
 * typical set of five pairs takes 12 bytes where pairs of pointers take
 * 80. The bytes of two sets are equal exactly when the sets are, so the
 * store compares and hashes sets as bytes.
 *
 * Ownership: an encoding is the caller's buffer. lset_encode with ref
 * takes a reference to every string, which lset_unref gives back; the
 * strings lset_decode hands out are the intern table's, valid while the
 * set holds its references.
 */
#ifndef STORE_LSET_H
#define STORE_LSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/intern.h"
#include "store/labels.h"

/* The most bytes one id takes. */
#define LSET_ID_MAX 5

/* Bytes the encoding of a set of n pairs takes at most. */
static inline size_t
lset_max(size_t n)
{
    return n * 2 * LSET_ID_MAX;
}

/* Writes id at out; returns the bytes written (1 to LSET_ID_MAX). */
size_t lset_put_id(uint8_t *out, uint32_t id);

/* The id at *p, moving *p past it. */
static inline uint32_t
lset_get_id(const uint8_t **p)
{
    const uint8_t *q = *p;
    uint32_t id = *q & 0x7f;

    for (unsigned shift = 7; *q++ & 0x80; shift += 7)
        id |= (uint32_t)(*q & 0x7f) << shift;
    *p = q;
    return id;
}

/*
 * Encodes ls into out (lset_max(ls->n) bytes of room) and returns its
 * length. With ref, every string is interned and gets a reference;
 * without, nothing changes and 0 is returned when a string is not
 * interned (then no set in the store has it).
 */
size_t lset_encode(struct intern *in, const struct labels *ls, bool ref,
                   uint8_t *out);
/* The length in bytes of the encoding b of n pairs. */
size_t lset_len(const uint8_t *b, size_t n);
/* The n pairs of b into out[0..n), as interned strings. */
void lset_decode(const struct intern *in, const uint8_t *b, size_t n,
                 struct label *out);
/* The value id of the pair whose name id is name; false when none. */
bool lset_find(const uint8_t *b, size_t n, uint32_t name, uint32_t *value);
/* Gives back the references of the n pairs of b (lset_encode's ref). */
void lset_unref(struct intern *in, const uint8_t *b, size_t n);
/* A 32-bit hash of the len bytes of an encoding. */
uint32_t lset_hash(const uint8_t *b, size_t len);

#endif
