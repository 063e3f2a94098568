/*
 * The intern table: open addressing with linear probing over pointers to
 * counted strings, deleted by backward shifting so no tombstones pile up.
 * Each string is one allocation holding its count, hash and bytes; the
 * table never moves a string, only the pointers to it.
 */
#include "store/intern.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"

struct istr {
    uint32_t refs;
    uint32_t hash;
    char s[];
};

struct intern {
    struct istr **slots;    /* NULL: empty */
    size_t cap;             /* a power of two */
    size_t n;
    size_t bytes;           /* strings only */
};

#define INTERN_MIN_CAP 64

/* FNV-1a, folded to 32 bits; strings here are short. */
static uint32_t
str_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    return (uint32_t)(h ^ (h >> 32));
}

static struct istr *
to_istr(const char *s)
{
    return (struct istr *)(void *)(s - offsetof(struct istr, s));
}

struct intern *
intern_new(void)
{
    struct intern *in = xcalloc(1, sizeof(*in));

    in->cap = INTERN_MIN_CAP;
    in->slots = xcalloc(in->cap, sizeof(in->slots[0]));
    return in;
}

void
intern_free(struct intern *in)
{
    if (in == NULL)
        return;
    for (size_t i = 0; i < in->cap; i++)
        free(in->slots[i]);
    free(in->slots);
    free(in);
}

/* The slot holding s, or the empty slot where it would go. */
static size_t
find_slot(const struct intern *in, const char *s, uint32_t h)
{
    size_t mask = in->cap - 1, i = h & mask;

    while (in->slots[i] != NULL) {
        if (in->slots[i]->hash == h && strcmp(in->slots[i]->s, s) == 0)
            break;
        i = (i + 1) & mask;
    }
    return i;
}

static void
grow(struct intern *in)
{
    struct istr **old = in->slots;
    size_t oldcap = in->cap;

    in->cap *= 2;
    in->slots = xcalloc(in->cap, sizeof(in->slots[0]));
    for (size_t i = 0; i < oldcap; i++) {
        if (old[i] != NULL)
            in->slots[find_slot(in, old[i]->s, old[i]->hash)] = old[i];
    }
    free(old);
}

const char *
intern_get(struct intern *in, const char *s)
{
    uint32_t h = str_hash(s);
    size_t i = find_slot(in, s, h), len;
    struct istr *e = in->slots[i];

    if (e != NULL) {
        e->refs++;
        return e->s;
    }
    if ((in->n + 1) * 2 > in->cap) {
        grow(in);
        i = find_slot(in, s, h);
    }
    len = strlen(s);
    e = xmalloc(sizeof(*e) + len + 1);
    e->refs = 1;
    e->hash = h;
    memcpy(e->s, s, len + 1);
    in->slots[i] = e;
    in->n++;
    in->bytes += sizeof(*e) + len + 1;
    return e->s;
}

const char *
intern_find(const struct intern *in, const char *s)
{
    struct istr *e = in->slots[find_slot(in, s, str_hash(s))];

    return e != NULL ? e->s : NULL;
}

/* Empties slot i and shifts later members of its cluster back. */
static void
remove_slot(struct intern *in, size_t i)
{
    size_t mask = in->cap - 1, j = i;

    in->slots[i] = NULL;
    for (;;) {
        size_t home;

        j = (j + 1) & mask;
        if (in->slots[j] == NULL)
            return;
        home = in->slots[j]->hash & mask;
        /* Move j into the hole unless its home lies in (i, j]. */
        if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
            continue;
        in->slots[i] = in->slots[j];
        in->slots[j] = NULL;
        i = j;
    }
}

void
intern_put(struct intern *in, const char *s)
{
    struct istr *e = to_istr(s);
    size_t i;

    if (--e->refs > 0)
        return;
    i = find_slot(in, s, e->hash);
    remove_slot(in, i);
    in->n--;
    in->bytes -= sizeof(*e) + strlen(s) + 1;
    free(e);
}

size_t
intern_count(const struct intern *in)
{
    return in->n;
}

size_t
intern_bytes(const struct intern *in)
{
    return in->bytes + in->cap * sizeof(in->slots[0]);
}
