/*
 * Chunk encoding. The first timestamp is the header's mint and takes no
 * data; the first value is written raw in an XOR chunk and as an integer
 * code in an integer one; each later sample as a delta-of-delta
 * timestamp in variable-width buckets and its value as an XOR with the
 * previous one or, in an integer chunk, an integer delta-of-delta in
 * buckets of its own. It does not build an index inside a chunk: chunks
 * are short and read in order.
 */
#include "store/chunk.h"

#include <endian.h>
#include <stdlib.h>
#include <string.h>

/* Largest encoding of one sample: '11111' + 64 bits, then an integer
 * chunk's '111111' + 64 bits, or its escape '110' and an XOR in a new
 * window, '11' + 5 + 6 + 64. */
#define WORST_BITS (5 + 64 + 3 + 2 + 5 + 6 + 64)

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
 * A signed number in variable-width buckets: "0" for zero, else code k
 * of n, a prefix of k + 1 ones and a zero (the last code's prefix is n
 * ones, with no zero), then the number in code k's width. The last width
 * is 64, so every number fits. A width of 0 marks the escape code, which
 * carries no number.
 */
#define BUCKETS_MAX 6

struct buckets {
    unsigned n;
    unsigned width[BUCKETS_MAX];
};

/*
 * dod ::= "0" | "10" int6 | "110" int14 | "1110" int17 | "11110" int20
 *       | "11111" int64
 * Gorilla's buckets with one for jitter in front: a scrape's timestamp is
 * when it started, a few ms off its schedule now and then, and a dod of
 * -32..31 ms takes 8 bits instead of 16 (scrapes of node_exporter every
 * 5 s by a shell loop: 8.8 bits a timestamp instead of 15.6). A first
 * delta costs a bit more, once a chunk.
 */
static const struct buckets ts_dod = { 5, { 6, 14, 17, 20, 64 } };
/*
 * idod ::= "0" | "10" int2 | "110" escape xor | "1110" int6 | "11110" int13
 *        | "111110" int20 | "111111" int64
 * Measured on the farm's counters and on scrapes of node_exporter and
 * Prometheus (tests/bench/results/store-intenc.txt): a counter that grows
 * by a steady rate per scrape, as most do, changes its delta by -1, 0 or
 * 1 where the rate is rounded to integers (-2..1 fits two bits); request
 * counters and histogram buckets by tens; byte gauges by thousands and
 * more, which the escape's XOR often holds in fewer bits, and fractions
 * need the escape, so it comes early.
 */
static const struct buckets int_dod = { 6, { 2, 0, 6, 13, 20, 64 } };
#define INT_ESCAPE 1    /* int_dod's escape code */

/* The code x takes: the first wide enough, the last one at worst. */
static unsigned
bucket_of(const struct buckets *b, int64_t x)
{
    for (unsigned k = 0; k + 1 < b->n; k++) {
        int64_t lim;

        if (b->width[k] == 0)
            continue;   /* the escape */
        lim = (int64_t)1 << (b->width[k] - 1);
        if (x >= -lim && x < lim)
            return k;
    }
    return b->n - 1;
}

/* Bits of code k's prefix. */
static unsigned
prefix_len(const struct buckets *b, unsigned k)
{
    return k + 1 < b->n ? k + 2 : b->n;
}

static size_t
code_bits(const struct buckets *b, int64_t x)
{
    unsigned k;

    if (x == 0)
        return 1;
    k = bucket_of(b, x);
    return prefix_len(b, k) + b->width[k];
}

/* Code k's prefix, as bits. */
static uint64_t
prefix_of(const struct buckets *b, unsigned k)
{
    return low_mask(k + 1) << (prefix_len(b, k) - k - 1);
}

/* Code k's prefix, written. */
static void
put_prefix(struct chunk *c, const struct buckets *b, unsigned k)
{
    put_bits(c, prefix_of(b, k), prefix_len(b, k));
}

/* A code and its number, in one write when they fit in 64 bits (all
 * codes but the widest). */
static void
put_code(struct chunk *c, const struct buckets *b, int64_t x)
{
    unsigned k, len, width;
    uint64_t num;

    if (x == 0) {
        put_bits(c, 0, 1);
        return;
    }
    k = bucket_of(b, x);
    len = prefix_len(b, k);
    width = b->width[k];
    num = (uint64_t)x & low_mask(width);
    if (len + width <= 64) {
        put_bits(c, prefix_of(b, k) << width | num, len + width);
        return;
    }
    put_prefix(c, b, k);
    put_bits(c, num, width);
}

/* The bits an XOR of x takes, mirroring put_xor. */
static size_t
xor_bits(const struct chunk_enc *e, uint64_t x)
{
    unsigned lead, trail;

    if (x == 0)
        return 1;
    lead = (unsigned)__builtin_clzll(x);
    trail = (unsigned)__builtin_ctzll(x);
    if (lead > 31)
        lead = 31;
    if (e->leading != 0xff && lead >= e->leading && trail >= e->trailing)
        return 2 + 64 - e->leading - e->trailing;
    return 2 + 5 + 6 + 64 - lead - trail;
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
    /* '11', the leading zeros in 5 bits and sig in 6 (64 as 0). */
    put_bits(c, 3u << 11 | lead << 6 | (sig & 63), 13);
    put_bits(c, x >> trail, sig);
}

/*
 * Whether the value with these bits is one an integer chunk holds as an
 * integer, into *i: finite, at most 2^53 in magnitude (past that doubles
 * skip integers, and deltas could overflow), and not -0.0, whose sign an
 * integer would lose.
 */
static bool
as_int(uint64_t bits, int64_t *i)
{
    const double lim = 9007199254740992.0;     /* 2^53 */
    double v;

    memcpy(&v, &bits, sizeof(v));
    if (!(v >= -lim && v <= lim) || bits == 0x8000000000000000ULL)
        return false;       /* NaN fails the comparison too */
    *i = (int64_t)v;
    return (double)*i == v;
}

/*
 * How a value after the first is written, worked out once for both the
 * room it needs and the writing: in an XOR chunk an XOR with the value
 * before; in an integer chunk the delta-of-delta of the integers, or the
 * escape and that XOR when either value is not an integer or when the
 * XOR is the shorter (a byte gauge's jump of whole pages often is).
 */
struct value_code {
    bool escape;        /* integer chunks: the escape and an XOR */
    int64_t dod;        /* integer chunks, no escape: the delta-of-delta */
    uint64_t delta;     /* integer chunks: the integer delta from the value
                           before (0 when either is not an integer: after a
                           staleness marker or a fraction the old rate is
                           no guide), the next value's base */
    size_t bits;        /* bits it takes */
};

static void
value_code(const struct chunk *c, const struct chunk_enc *e, uint64_t bits,
           struct value_code *vc)
{
    int64_t v, p;
    size_t code;

    vc->bits = xor_bits(e, bits ^ e->v);
    if (c->kind == CHUNK_XOR)
        return;
    vc->bits += prefix_len(&int_dod, INT_ESCAPE);
    vc->escape = true;
    vc->delta = 0;
    if (!as_int(bits, &v) || !as_int(e->v, &p))
        return;
    /* Unsigned arithmetic, as for timestamps: deltas wrap exactly. */
    vc->delta = (uint64_t)v - (uint64_t)p;
    vc->dod = (int64_t)(vc->delta - e->vdelta);
    code = code_bits(&int_dod, vc->dod);
    if (code <= vc->bits) {
        vc->escape = false;
        vc->bits = code;
    }
}

/* Writes the value as value_code said. */
static void
put_value(struct chunk *c, struct chunk_enc *e, uint64_t bits,
          const struct value_code *vc)
{
    if (c->kind == CHUNK_XOR) {
        put_xor(c, e, bits ^ e->v);
        return;
    }
    if (vc->escape) {
        put_prefix(c, &int_dod, INT_ESCAPE);
        put_xor(c, e, bits ^ e->v);
    } else {
        put_code(c, &int_dod, vc->dod);
    }
    e->vdelta = vc->delta;
}

bool
chunk_append(struct chunk *c, struct chunk_enc *e, int64_t t, double v)
{
    uint64_t bits, delta;
    int64_t i = 0, dod;
    struct value_code vc = { 0 };

    memcpy(&bits, &v, sizeof(bits));
    if (c->n == 0) {
        /* The first value picks the encoding; an integer is written as
         * its delta from 0. */
        bool integer = as_int(bits, &i);

        if (room_bits(c) < (integer ? code_bits(&int_dod, i) : 64))
            return false;
        c->kind = integer ? CHUNK_INT : CHUNK_XOR;
        if (c->kind == CHUNK_INT)
            put_code(c, &int_dod, i);
        else
            put_bits(c, bits, 64);
        e->delta = 0;
        e->vdelta = 0;
        e->leading = 0xff;
        e->trailing = 0;
        c->mint = t;
    } else {
        /* Unsigned arithmetic: deltas wrap exactly and round-trip. */
        delta = (uint64_t)t - (uint64_t)e->t;
        dod = (int64_t)(delta - e->delta);
        value_code(c, e, bits, &vc);
        if (room_bits(c) < code_bits(&ts_dod, dod) + vc.bits)
            return false;
        put_code(c, &ts_dod, dod);
        put_value(c, e, bits, &vc);
        e->delta = delta;
    }
    e->t = t;
    e->v = bits;
    c->maxt = t;
    c->n++;
    return true;
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

/* A code of b into *x (see struct buckets); false for the escape. */
static bool
get_code(struct chunk_iter *it, const struct buckets *b, int64_t *x)
{
    uint64_t w = peek64(it), raw;
    unsigned k, len, width;

    if ((w >> 63) == 0) {
        it->pos += 1;
        *x = 0;
        return true;
    }
    k = ~w == 0 ? 64 : (unsigned)__builtin_clzll(~w);  /* leading ones */
    k = (k < b->n ? k : b->n) - 1;
    len = prefix_len(b, k);
    width = b->width[k];
    if (width == 0) {
        it->pos += len;
        return false;
    }
    if (len + width > 64) {
        it->pos += len;
        raw = get_bits(it, width);
    } else {
        raw = (w << len) >> (64 - width);
        it->pos += len + width;
    }
    if (width < 64 && raw >> (width - 1))      /* sign-extend */
        raw |= ~low_mask(width);
    *x = (int64_t)raw;
    return true;
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

/*
 * The integer delta the next value's delta-of-delta is taken against,
 * as value_code works it out: from prev to cur when both are integers,
 * else 0.
 */
static uint64_t
int_delta(uint64_t prev, uint64_t cur)
{
    int64_t p, v;

    return as_int(prev, &p) && as_int(cur, &v) ? (uint64_t)v - (uint64_t)p
                                               : 0;
}

/* A value after the first, as put_value wrote it. */
static void
get_value(struct chunk_iter *it)
{
    struct chunk_enc *e = &it->st;
    int64_t dod;
    double v;

    if (it->c->kind == CHUNK_INT) {
        uint64_t prev = e->v;

        if (get_code(it, &int_dod, &dod)) {
            /* The previous value is an integer: put_value saw to it. */
            memcpy(&v, &e->v, sizeof(v));
            e->vdelta += (uint64_t)dod;
            v = (double)(int64_t)((uint64_t)(int64_t)v + e->vdelta);
            memcpy(&e->v, &v, sizeof(v));
            return;
        }
        get_xor(it);
        e->vdelta = int_delta(prev, e->v);
        return;
    }
    get_xor(it);
}

bool
chunk_iter_next(struct chunk_iter *it, int64_t *t, double *v)
{
    int64_t x;

    if (it->i >= it->c->n)
        return false;
    if (it->i == 0) {
        it->st.t = it->c->mint;
        if (it->c->kind == CHUNK_INT) {
            double first;

            get_code(it, &int_dod, &x);
            first = (double)x;
            memcpy(&it->st.v, &first, sizeof(first));
        } else {
            it->st.v = get_bits(it, 64);
        }
    } else {
        get_code(it, &ts_dod, &x);
        it->st.delta += (uint64_t)x;
        it->st.t = (int64_t)((uint64_t)it->st.t + it->st.delta);
        get_value(it);
    }
    it->i++;
    *t = it->st.t;
    memcpy(v, &it->st.v, sizeof(*v));
    return true;
}
