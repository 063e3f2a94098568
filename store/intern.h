/*
 * String interning with reference counts: each distinct label name or
 * value is held once, and its pointer identifies it, so the series index
 * compares strings by pointer. A string is freed when its last reference
 * is put back. Not thread-safe.
 *
 * Ownership: the table owns every interned string. intern_get hands out a
 * reference that the caller returns with intern_put; the pointer stays
 * valid until then. intern_find borrows (no reference is taken).
 */
#ifndef STORE_INTERN_H
#define STORE_INTERN_H

#include <stddef.h>

struct intern;

struct intern *intern_new(void);
/* Frees the table and every string, whatever their counts. */
void intern_free(struct intern *in);
/* The interned copy of s with one more reference (created at 1). */
const char *intern_get(struct intern *in, const char *s);
/* The interned copy of s, or NULL when s is not interned; no reference. */
const char *intern_find(const struct intern *in, const char *s);
/* Drops one reference to s (a pointer intern_get returned). */
void intern_put(struct intern *in, const char *s);
/* Distinct strings held. */
size_t intern_count(const struct intern *in);
/* Bytes held for the strings and the table. */
size_t intern_bytes(const struct intern *in);

#endif
