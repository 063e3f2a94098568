/*
 * MD5 as RFC 1321 specifies it: 64-byte blocks, four rounds of sixteen
 * steps, little-endian words and length, written from the RFC's text.
 * The sine-derived constants of section 3.4 are listed, not computed, so
 * no floating point is involved.
 */
#include "src/base/md5.h"

#include <string.h>

/* T[i] = floor(2^32 * |sin(i + 1)|), RFC 1321 section 3.4. */
static const uint32_t md5_t[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
    0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
    0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
    0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
    0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
    0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
    0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
    0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
    0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* Left-rotation amounts, four per round. */
static const unsigned md5_s[4][4] = {
    { 7, 12, 17, 22 }, { 5, 9, 14, 20 }, { 4, 11, 16, 23 }, { 6, 10, 15, 21 },
};

static uint32_t
rotl(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32 - n));
}

/* Processes one 64-byte block into the state. */
static void
md5_block(uint32_t st[4], const unsigned char *p)
{
    uint32_t x[16], a = st[0], b = st[1], c = st[2], d = st[3];

    for (int i = 0; i < 16; i++)
        x[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8
               | (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
    for (int i = 0; i < 64; i++) {
        uint32_t f, tmp;
        int k, round = i / 16;

        /* The round's function and message word order (RFC 3.4). */
        switch (round) {
        case 0: f = (b & c) | (~b & d); k = i; break;
        case 1: f = (b & d) | (c & ~d); k = (5 * i + 1) % 16; break;
        case 2: f = b ^ c ^ d; k = (3 * i + 5) % 16; break;
        default: f = c ^ (b | ~d); k = (7 * i) % 16; break;
        }
        tmp = d;
        d = c;
        c = b;
        b = b + rotl(a + f + x[k] + md5_t[i], md5_s[round][i % 4]);
        a = tmp;
    }
    st[0] += a;
    st[1] += b;
    st[2] += c;
    st[3] += d;
}

void
md5_init(struct md5 *m)
{
    m->state[0] = 0x67452301;
    m->state[1] = 0xefcdab89;
    m->state[2] = 0x98badcfe;
    m->state[3] = 0x10325476;
    m->total = 0;
    m->used = 0;
}

void
md5_update(struct md5 *m, const void *p, size_t len)
{
    const unsigned char *in = p;

    m->total += len;
    if (m->used > 0) {
        size_t take = 64 - m->used < len ? 64 - m->used : len;

        memcpy(m->block + m->used, in, take);
        m->used += take;
        in += take;
        len -= take;
        if (m->used < 64)
            return;
        md5_block(m->state, m->block);
        m->used = 0;
    }
    for (; len >= 64; in += 64, len -= 64)
        md5_block(m->state, in);
    memcpy(m->block, in, len);
    m->used = len;
}

void
md5_final(struct md5 *m, unsigned char out[MD5_DIGEST_LEN])
{
    /* Padding: one 1 bit, zeros up to 56 mod 64, then the bit length. */
    static const unsigned char pad[64] = { 0x80 };
    uint64_t bits = m->total * 8;
    unsigned char len[8];
    size_t padlen = m->used < 56 ? 56 - m->used : 120 - m->used;

    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(bits >> (8 * i));
    md5_update(m, pad, padlen);
    md5_update(m, len, 8);
    for (int i = 0; i < 4; i++) {
        out[4 * i] = (unsigned char)m->state[i];
        out[4 * i + 1] = (unsigned char)(m->state[i] >> 8);
        out[4 * i + 2] = (unsigned char)(m->state[i] >> 16);
        out[4 * i + 3] = (unsigned char)(m->state[i] >> 24);
    }
}

void
md5_sum(const void *p, size_t len, unsigned char out[MD5_DIGEST_LEN])
{
    struct md5 m;

    md5_init(&m);
    md5_update(&m, p, len);
    md5_final(&m, out);
}
