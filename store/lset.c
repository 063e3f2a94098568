/*
 * Encoding label sets as varints of string ids, and reading them back.
 * Sets are short (a handful of pairs), so everything here is one linear
 * pass; nothing allocates.
 */
#include "store/lset.h"

size_t
lset_put_id(uint8_t *out, uint32_t id)
{
    size_t n = 0;

    while (id >= 0x80) {
        out[n++] = (uint8_t)(id | 0x80);
        id >>= 7;
    }
    out[n++] = (uint8_t)id;
    return n;
}

/* The id of s into *id; with ref, interned with a reference. */
static bool
id_of(struct intern *in, const char *s, bool ref, uint32_t *id)
{
    if (ref) {
        *id = intern_ref(in, s);
        return true;
    }
    return intern_find(in, s, id);
}

size_t
lset_encode(struct intern *in, const struct labels *ls, bool ref,
            uint8_t *out)
{
    size_t len = 0;
    uint32_t name, value;

    for (size_t i = 0; i < ls->n; i++) {
        if (!id_of(in, ls->v[i].name, ref, &name)
            || !id_of(in, ls->v[i].value, ref, &value))
            return 0;
        len += lset_put_id(out + len, name);
        len += lset_put_id(out + len, value);
    }
    return len;
}

size_t
lset_len(const uint8_t *b, size_t n)
{
    const uint8_t *p = b;

    for (size_t i = 0; i < 2 * n; i++)
        (void)lset_get_id(&p);
    return (size_t)(p - b);
}

void
lset_decode(const struct intern *in, const uint8_t *b, size_t n,
            struct label *out)
{
    const char *const *str = intern_strings(in);

    for (size_t i = 0; i < n; i++) {
        out[i].name = str[lset_get_id(&b)];
        out[i].value = str[lset_get_id(&b)];
    }
}

bool
lset_find(const uint8_t *b, size_t n, uint32_t name, uint32_t *value)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t k = lset_get_id(&b), v = lset_get_id(&b);

        if (k == name) {
            *value = v;
            return true;
        }
    }
    return false;
}

void
lset_unref(struct intern *in, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < 2 * n; i++)
        intern_unref(in, lset_get_id(&b));
}

/* FNV-1a over the bytes, with a final avalanche so that the low bits
 * index a hash table well. */
uint32_t
lset_hash(const uint8_t *b, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (size_t i = 0; i < len; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return (uint32_t)h;
}
