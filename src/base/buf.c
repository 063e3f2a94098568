/*
 * Growable buffers with a ceiling. Growth doubles the capacity, so appends
 * are amortised O(1); the ceiling is checked before any allocation. Whole
 * files are read here too, so every loader has the same limits and errors.
 */
#include "src/base/buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/diag.h"
#include "src/base/xalloc.h"

void
buf_init(struct buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void
buf_fini(struct buf *b)
{
    free(b->data);
    buf_init(b, b->max);
}

void
buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
}

/* Makes room for n more bytes plus the terminating NUL. */
static int
buf_grow(struct buf *b, size_t n)
{
    size_t need = b->len + n + 1, cap;

    if (need < b->len || (b->max != 0 && b->len + n > b->max))
        return -1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
    return 0;
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
    if (buf_grow(b, n) < 0)
        return -1;
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int
buf_puts(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

int
buf_putc(struct buf *b, char c)
{
    return buf_append(b, &c, 1);
}

int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || buf_grow(b, (size_t)n) < 0)
        return -1;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

char *
buf_steal(struct buf *b)
{
    char *p = b->data ? b->data : xstrdup("");

    buf_init(b, b->max);
    return p;
}

const char *
buf_str(const struct buf *b)
{
    return b->data ? b->data : "";
}

/*
 * Fills d for a file that could not be read. It sets the fields itself
 * rather than through diag_set, so buf stays below diag (which writes
 * into bufs) with no cycle between the two.
 */
static void
read_error(struct diag *d, const char *path, const char *fmt, ...)
{
    va_list ap;

    if (d == NULL)
        return;
    memset(d, 0, sizeof(*d));
    d->source = path;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
    va_end(ap);
}

int
buf_read_file(struct buf *b, const char *path, size_t max, struct diag *d)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t n;
    int err;

    buf_init(b, max);
    if (f == NULL) {
        read_error(d, path, "cannot open: %s", strerror(errno));
        return -1;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (buf_append(b, chunk, n) != 0)
            break;
    err = ferror(f) ? errno : 0;
    fclose(f);
    if (err == 0 && n == 0)
        return 0;
    buf_fini(b);
    buf_init(b, max);
    if (n > 0)
        read_error(d, path, "larger than %zu bytes", max);
    else
        read_error(d, path, "cannot read: %s", strerror(err));
    return -1;
}
