/*
 * String interning with reference counts: each distinct label name or
 * value is held once and named by a small id, dense from 0, so a label
 * set is stored as ids (store/lset.h) and the series index compares
 * strings by id, or by pointer. A string is freed when its last
 * reference is put back; its id then goes to the next new string. Not
 * thread-safe.
 *
 * Ownership: the table owns every interned string. intern_ref hands out
 * a reference that the caller returns with intern_unref; the id and the
 * string's pointer (intern_str) stay valid until then. intern_find
 * borrows (no reference is taken).
 */
#ifndef STORE_INTERN_H
#define STORE_INTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct intern;

struct intern *intern_new(void);
/* Frees the table and every string, whatever their counts. */
void intern_free(struct intern *in);
/* The id of s with one more reference (created at 1). */
uint32_t intern_ref(struct intern *in, const char *s);
/* The id of s into *id, without a reference; false when s is not
 * interned. */
bool intern_find(const struct intern *in, const char *s, uint32_t *id);
/* The string of id, which must hold a reference. */
const char *intern_str(const struct intern *in, uint32_t id);
/* Every string by id (NULL for an id not in use), for decoding many at
 * once; valid until the next intern_ref or intern_unref. */
const char *const *intern_strings(const struct intern *in);
/* Drops one reference to id (from intern_ref). */
void intern_unref(struct intern *in, uint32_t id);
/* Distinct strings held. */
size_t intern_count(const struct intern *in);
/* Bytes held for the strings, the table and the ids. */
size_t intern_bytes(const struct intern *in);

#endif
