/*
 * One gzip member from one buffer: deflate with zlib's gzip wrapper
 * (windowBits 15 + 16) at zlib's default level (6, the trade Go's gzip
 * writer makes for promhttp), into space sized by deflateBound, so it
 * runs in a single call.
 */
#include "src/api/gzip.h"

#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

#include "src/base/xalloc.h"

int
gzip_compress(const char *in, size_t n, struct buf *out)
{
    z_stream z = { 0 };
    size_t bound;
    Bytef *tmp;
    int rc;

    if (n > (size_t)UINT32_MAX / 2
        || deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                        Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    bound = deflateBound(&z, (uLong)n);
    tmp = xmalloc(bound);
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)n;
    z.next_out = tmp;
    z.avail_out = (uInt)bound;
    rc = deflate(&z, Z_FINISH);
    deflateEnd(&z);
    if (rc != Z_STREAM_END
        || buf_append(out, tmp, bound - z.avail_out) != 0) {
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}
