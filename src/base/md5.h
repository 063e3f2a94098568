/*
 * MD5 (RFC 1321), for the hashmod relabelling action, which needs the very
 * digest Prometheus computes. Not for anything that needs security: MD5 is
 * broken as a cryptographic hash. Pure, no allocation.
 */
#ifndef BASE_MD5_H
#define BASE_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MD5_DIGEST_LEN 16

/* Ownership: plain value type; the caller embeds it. */
struct md5 {
    uint32_t state[4];
    uint64_t total;             /* bytes fed so far */
    unsigned char block[64];    /* pending partial block */
    size_t used;                /* bytes in block */
};

void md5_init(struct md5 *m);
/* Feeds len bytes of p (borrowed for the call). */
void md5_update(struct md5 *m, const void *p, size_t len);
/* Writes the 16-byte digest; m must be initialised again before reuse. */
void md5_final(struct md5 *m, unsigned char out[MD5_DIGEST_LEN]);
/* One-shot digest of p[0..len). */
void md5_sum(const void *p, size_t len, unsigned char out[MD5_DIGEST_LEN]);

#endif
