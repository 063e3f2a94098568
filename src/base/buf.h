/*
 * A growable byte buffer with a hard ceiling. Buffers fed by the network
 * set a max at init; growing past it fails with -1 instead of allocating,
 * which callers report as an ordinary error. The data is always kept
 * NUL-terminated so it can be used as a C string.
 */
#ifndef BASE_BUF_H
#define BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct diag;

struct buf {
    char *data;     /* NUL-terminated once anything was added; may be NULL */
    size_t len;
    size_t cap;
    size_t max;     /* 0 means no ceiling */
};

/* Embeds an empty buffer; max is the ceiling in bytes, 0 for none. */
void buf_init(struct buf *b, size_t max);
/* Releases the memory; the buffer may be reused after buf_init. */
void buf_fini(struct buf *b);
/* Empties the buffer and keeps its memory. */
void buf_reset(struct buf *b);
/* Appends n bytes; -1 (nothing appended) if that would pass max. */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Hands the bytes to the caller (to free) and leaves the buffer empty. */
char *buf_steal(struct buf *b);
/* The contents as a C string, "" when empty; valid until the next change. */
const char *buf_str(const struct buf *b);
/*
 * Embeds a buffer with ceiling max (0 for none) and reads the whole file at
 * path into it. Returns 0, or -1 with b empty (buf_fini is still safe) and,
 * when d is not NULL, d's source set to path and a message: "cannot open:
 * ...", "cannot read: ..." or "larger than N bytes".
 */
int buf_read_file(struct buf *b, const char *path, size_t max,
                  struct diag *d);

#endif
