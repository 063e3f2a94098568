/*
 * The intern table: open addressing with linear probing over pointers to
 * counted strings, deleted by backward shifting so no tombstones pile up,
 * beside an array from id to string. Each string is one allocation
 * holding its count, hash and bytes; the table never moves a string, only
 * the pointers to it. Freed ids wait on a stack for the next new string,
 * so ids stay as small as the number of strings held.
 */
#include "store/intern.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"

struct istr {
    uint32_t refs;
    uint32_t hash;
    uint32_t id;
    char s[];
};

struct intern {
    struct istr **slots;    /* NULL: empty */
    size_t cap;             /* a power of two */
    size_t n;
    size_t bytes;           /* strings only */
    const char **byid;      /* strings by id; NULL for a free id */
    uint32_t nids, idcap;   /* ids handed out so far, room in byid */
    uint32_t *free_ids;     /* stack of ids to reuse */
    uint32_t nfree, freecap;
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
    free(in->byid);
    free(in->free_ids);
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

/* A free id for e: a reused one, else the next. */
static uint32_t
new_id(struct intern *in, const struct istr *e)
{
    uint32_t id;

    if (in->nfree > 0) {
        id = in->free_ids[--in->nfree];
    } else {
        assert(in->nids < UINT32_MAX);
        if (in->nids == in->idcap) {
            in->idcap = in->idcap ? in->idcap * 2 : INTERN_MIN_CAP;
            in->byid = xreallocarray(in->byid, in->idcap,
                                     sizeof(in->byid[0]));
        }
        id = in->nids++;
    }
    in->byid[id] = e->s;
    return id;
}

uint32_t
intern_ref(struct intern *in, const char *s)
{
    uint32_t h = str_hash(s);
    size_t i = find_slot(in, s, h), len;
    struct istr *e = in->slots[i];

    if (e != NULL) {
        e->refs++;
        return e->id;
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
    e->id = new_id(in, e);
    in->slots[i] = e;
    in->n++;
    in->bytes += sizeof(*e) + len + 1;
    return e->id;
}

bool
intern_find(const struct intern *in, const char *s, uint32_t *id)
{
    struct istr *e = in->slots[find_slot(in, s, str_hash(s))];

    if (e == NULL)
        return false;
    *id = e->id;
    return true;
}

const char *
intern_str(const struct intern *in, uint32_t id)
{
    assert(id < in->nids && in->byid[id] != NULL);
    return in->byid[id];
}

const char *const *
intern_strings(const struct intern *in)
{
    return in->byid;
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
intern_unref(struct intern *in, uint32_t id)
{
    struct istr *e;
    size_t mask = in->cap - 1, i;

    assert(id < in->nids && in->byid[id] != NULL);
    e = (struct istr *)(void *)(in->byid[id] - offsetof(struct istr, s));
    if (--e->refs > 0)
        return;
    /* The string's own slot, found by identity: no compare needed. */
    for (i = e->hash & mask; in->slots[i] != e; i = (i + 1) & mask)
        ;
    remove_slot(in, i);
    in->byid[id] = NULL;
    if (in->nfree == in->freecap) {
        in->freecap = in->freecap ? in->freecap * 2 : INTERN_MIN_CAP;
        in->free_ids = xreallocarray(in->free_ids, in->freecap,
                                     sizeof(in->free_ids[0]));
    }
    in->free_ids[in->nfree++] = id;
    in->n--;
    in->bytes -= sizeof(*e) + strlen(e->s) + 1;
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
    return in->bytes + in->cap * sizeof(in->slots[0])
           + in->idcap * sizeof(in->byid[0])
           + in->freecap * sizeof(in->free_ids[0]);
}
