/*
 * XOR chunk encoding. The first sample is written raw (64-bit timestamp,
 * 64-bit value); each later one as a delta-of-delta timestamp in a
 * variable-width bucket and its value XOR'd with the previous one. It does
 * not build an index inside a chunk: chunks are short and read in order.
 */
#include "store/chunk.h"

#include <assert.h>
#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "store/chunkpool.h"

/* Largest encoding of one sample: '1111' + 64 bits, '11' + 5 + 6 + 64. */
#define WORST_BITS (4 + 64 + 2 + 5 + 6 + 64)
#define FIRST_CAP  32

/* Bucket widths for delta-of-delta timestamps, after their prefixes. */
static const unsigned dod_width[] = { 14, 17, 20 };

static uint64_t
low_mask(unsigned n)
{
    return n >= 64 ? ~0ULL : (1ULL << n) - 1;
}

/* Writes the low n bits of v, most significant first, byte by byte:
 * near the end of the data area. */
static void
put_bits_slow(struct chunk *c, uint64_t v, unsigned n)
{
    while (n > 0) {
        unsigned used = c->nbits & 7, room = 8 - used;
        unsigned take = n < room ? n : room;
        uint64_t bits = (v >> (n - take)) & low_mask(take);

        c->data[c->nbits >> 3] |= (unsigned char)(bits << (room - take));
        c->nbits += take;
        n -= take;
    }
}

/*
 * Writes the low n bits (0..64) of v, most significant first. Every
 * sample of every scrape comes through here, so where nine bytes are
 * left it ORs the bits into one big-endian 64-bit word (plus a ninth
 * byte when they straddle it), as get_bits reads them. The bits past
 * nbits are zero, which is what makes an OR a write.
 */
static void
put_bits(struct chunk *c, uint64_t v, unsigned n)
{
    size_t byte = c->nbits >> 3;
    unsigned used = c->nbits & 7;
    uint64_t w;

    if (n == 0)
        return;
    if (byte + 9 > c->cap) {
        put_bits_slow(c, v, n);
        return;
    }
    v &= low_mask(n);
    memcpy(&w, c->data + byte, sizeof(w));
    w = be64toh(w);
    if (used + n <= 64) {
        w |= v << (64 - used - n);
    } else {
        unsigned rest = used + n - 64;      /* 1..7 bits to byte 8 */

        w |= v >> rest;
        c->data[byte + 8] |= (unsigned char)(v << (8 - rest));
    }
    w = htobe64(w);
    memcpy(c->data + byte, &w, sizeof(w));
    c->nbits += n;
}

/* Reads n bits (0..64) bit by bit; used near the end of the data. */
static uint64_t
get_bits_slow(struct chunk_iter *it, unsigned n)
{
    uint64_t v = 0;

    while (n > 0) {
        unsigned used = it->pos & 7, room = 8 - used;
        unsigned take = n < room ? n : room;
        unsigned byte = it->c->data[it->pos >> 3];

        v = (v << take) | ((byte >> (room - take)) & low_mask(take));
        it->pos += take;
        n -= take;
    }
    return v;
}

/*
 * Reads the next n bits (0..64), most significant first. Decoding is the
 * hot path of every query, so where nine bytes are left it takes the
 * bits out of one big-endian 64-bit load (plus a ninth byte when they
 * straddle it) instead of byte by byte.
 */
static uint64_t
get_bits(struct chunk_iter *it, unsigned n)
{
    size_t byte = it->pos >> 3;
    unsigned off = it->pos & 7;
    uint64_t w;

    if (n == 0)
        return 0;
    if (byte + 9 > it->c->cap)
        return get_bits_slow(it, n);
    memcpy(&w, it->c->data + byte, sizeof(w));
    w = be64toh(w) << off;
    if (off + n > 64)
        w |= (uint64_t)it->c->data[byte + 8] >> (8 - off);
    it->pos += n;
    return w >> (64 - n);
}

struct chunk *
chunk_new(struct chunkpool *p)
{
    return chunkpool_get(p, FIRST_CAP);
}

static size_t
room_bits(const struct chunk *c)
{
    return (size_t)c->cap * 8 - c->nbits;
}

bool
chunk_full(const struct chunk *c)
{
    return c->n >= CHUNK_MAX_SAMPLES
           || (c->cap >= CHUNK_MAX_BYTES && room_bits(c) < WORST_BITS);
}

/*
 * Moves c to a block of the pool with a quarter more data (up to the
 * byte cap) and gives its old block back; the new block's rest is zero.
 */
static struct chunk *
grow(struct chunkpool *p, struct chunk *c)
{
    size_t cap = (size_t)c->cap + c->cap / 4;
    struct chunk *n;
    uint16_t ncap, seg;

    assert(c->cap < CHUNK_MAX_BYTES);   /* chunk_full keeps room there */
    n = chunkpool_get(p, cap < CHUNK_MAX_BYTES ? cap : CHUNK_MAX_BYTES);
    ncap = n->cap;
    seg = n->seg;
    memcpy(n, c, sizeof(*c) + c->cap);
    n->cap = ncap;
    n->seg = seg;
    chunkpool_put(p, c);
    return n;
}

/* Delta-of-delta: '0', or a prefix of n ones and a zero, then the bits. */
static void
put_dod(struct chunk *c, int64_t dod)
{
    if (dod == 0) {
        put_bits(c, 0, 1);
        return;
    }
    for (unsigned k = 0; k < 3; k++) {
        int64_t lim = (int64_t)1 << (dod_width[k] - 1);

        if (dod >= -lim && dod < lim) {
            /* k+1 ones then a zero: 10, 110, 1110. */
            put_bits(c, (low_mask(k + 1) << 1), k + 2);
            put_bits(c, (uint64_t)dod & low_mask(dod_width[k]),
                     dod_width[k]);
            return;
        }
    }
    put_bits(c, 0xf, 4);
    put_bits(c, (uint64_t)dod, 64);
}

/* The XOR of a value with the previous one, reusing the window if it fits. */
static void
put_xor(struct chunk *c, struct chunk_enc *e, uint64_t x)
{
    unsigned lead, trail, sig;

    if (x == 0) {
        put_bits(c, 0, 1);
        return;
    }
    lead = (unsigned)__builtin_clzll(x);
    trail = (unsigned)__builtin_ctzll(x);
    if (lead > 31)
        lead = 31;      /* five bits hold it */
    if (e->leading != 0xff && lead >= e->leading && trail >= e->trailing) {
        put_bits(c, 2, 2);
        put_bits(c, x >> e->trailing, 64 - e->leading - e->trailing);
        return;
    }
    e->leading = (uint8_t)lead;
    e->trailing = (uint8_t)trail;
    sig = 64 - lead - trail;
    put_bits(c, 3, 2);
    put_bits(c, lead, 5);
    put_bits(c, sig & 63, 6);   /* 64 is written as 0 */
    put_bits(c, x >> trail, sig);
}

/* The bits the next sample takes, mirroring put_dod and put_xor. */
static size_t
need_bits(const struct chunk *c, const struct chunk_enc *e, int64_t t,
          uint64_t bits)
{
    int64_t dod;
    uint64_t x = bits ^ e->v;
    size_t n = 4 + 64;
    unsigned lead, trail;

    if (c->n == 0)
        return 128;
    dod = (int64_t)((uint64_t)t - (uint64_t)e->t - e->delta);
    for (unsigned k = 3; k-- > 0;) {
        int64_t lim = (int64_t)1 << (dod_width[k] - 1);

        if (dod >= -lim && dod < lim)
            n = k + 2 + dod_width[k];
    }
    if (dod == 0)
        n = 1;
    if (x == 0)
        return n + 1;
    lead = (unsigned)__builtin_clzll(x);
    trail = (unsigned)__builtin_ctzll(x);
    if (lead > 31)
        lead = 31;
    if (e->leading != 0xff && lead >= e->leading && trail >= e->trailing)
        return n + 2 + 64 - e->leading - e->trailing;
    return n + 2 + 5 + 6 + 64 - lead - trail;
}

struct chunk *
chunk_append(struct chunkpool *p, struct chunk *c, struct chunk_enc *e,
             int64_t t, double v)
{
    uint64_t bits, delta;

    memcpy(&bits, &v, sizeof(bits));
    while (room_bits(c) < need_bits(c, e, t, bits))
        c = grow(p, c);
    if (c->n == 0) {
        put_bits(c, (uint64_t)t, 64);
        put_bits(c, bits, 64);
        e->delta = 0;
        e->leading = 0xff;
        e->trailing = 0;
        c->mint = t;
    } else {
        /* Unsigned arithmetic: deltas wrap exactly and round-trip. */
        delta = (uint64_t)t - (uint64_t)e->t;
        put_dod(c, (int64_t)(delta - e->delta));
        put_xor(c, e, bits ^ e->v);
        e->delta = delta;
    }
    e->t = t;
    e->v = bits;
    c->maxt = t;
    c->n++;
    return c;
}

size_t
chunk_size(const struct chunk *c)
{
    return sizeof(*c) + c->cap;
}

void
chunk_iter_init(struct chunk_iter *it, const struct chunk *c)
{
    memset(it, 0, sizeof(*it));
    it->c = c;
}

/* peek64 near the end of the data, where a 64-bit load would overrun. */
static uint64_t
peek_tail(const struct chunk_iter *it)
{
    size_t left = (size_t)it->c->cap * 8 - it->pos;
    struct chunk_iter tmp = *it;

    if (left == 0)
        return 0;
    left = left < 64 ? left : 64;
    return get_bits_slow(&tmp, (unsigned)left) << (64 - left);
}

/*
 * The next 64 bits without consuming them, most significant first; past
 * the end of the data they read as zero. Decoding looks at a field's
 * control bits and payload in one go instead of a read per bit. (The
 * iterator is only copied on the slow path: copying a struct just
 * written costs more than the decoding around it.)
 */
static inline uint64_t
peek64(const struct chunk_iter *it)
{
    size_t byte = it->pos >> 3;
    unsigned off = it->pos & 7;
    uint64_t w;

    if (byte + 9 > it->c->cap)
        return peek_tail(it);
    memcpy(&w, it->c->data + byte, sizeof(w));
    w = be64toh(w) << off;
    if (off != 0)
        w |= (uint64_t)it->c->data[byte + 8] >> (8 - off);
    return w;
}

/* dod ::= "0" | "10" int14 | "110" int17 | "1110" int20 | "1111" int64 */
static int64_t
get_dod(struct chunk_iter *it)
{
    uint64_t w = peek64(it), raw;
    unsigned k, width;

    if ((w >> 63) == 0) {
        it->pos += 1;
        return 0;
    }
    k = ~w == 0 ? 64 : (unsigned)__builtin_clzll(~w);  /* leading ones */
    if (k >= 4) {
        it->pos += 4;
        return (int64_t)get_bits(it, 64);
    }
    width = dod_width[k - 1];
    raw = (w << (k + 1)) >> (64 - width);
    it->pos += k + 1 + width;
    if (raw >> (width - 1))                 /* sign-extend */
        raw |= ~low_mask(width);
    return (int64_t)raw;
}

/* xor ::= "0" | "10" bits(window) | "11" uint5 uint6 bits(new window) */
static void
get_xor(struct chunk_iter *it)
{
    struct chunk_enc *e = &it->st;
    uint64_t w = peek64(it);
    unsigned sig;

    if ((w >> 63) == 0) {
        it->pos += 1;
        return;
    }
    if (((w >> 62) & 1) == 1) {
        e->leading = (uint8_t)((w >> 57) & 0x1f);
        sig = (unsigned)((w >> 51) & 0x3f);
        if (sig == 0)
            sig = 64;
        e->trailing = (uint8_t)(64 - e->leading - sig);
        it->pos += 13;
    } else {
        it->pos += 2;
    }
    sig = 64 - e->leading - e->trailing;
    e->v ^= get_bits(it, sig) << e->trailing;
}

bool
chunk_iter_next(struct chunk_iter *it, int64_t *t, double *v)
{
    if (it->i >= it->c->n)
        return false;
    if (it->i == 0) {
        it->st.t = (int64_t)get_bits(it, 64);
        it->st.v = get_bits(it, 64);
    } else {
        it->st.delta += (uint64_t)get_dod(it);
        it->st.t = (int64_t)((uint64_t)it->st.t + it->st.delta);
        get_xor(it);
    }
    it->i++;
    *t = it->st.t;
    memcpy(v, &it->st.v, sizeof(*v));
    return true;
}
