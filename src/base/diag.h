/*
 * Diagnostics for bad input: where (source name, 1-based line and column,
 * span length) and what (message, optional hint). Library code fills a diag
 * and returns an error value; only src/ prints them. A diag owns no memory.
 */
#ifndef BASE_DIAG_H
#define BASE_DIAG_H

#include <stddef.h>
#include <stdio.h>

#include "src/base/buf.h"

struct diag {
    const char *source;     /* borrowed: file name, "query", a URL; or NULL */
    int line;               /* 1-based; 0 when there is no position */
    int col;                /* 1-based, in bytes */
    int span;               /* bytes to underline, at least 1 when line > 0 */
    char msg[512];
    char hint[256];         /* "" when there is none */
};

/* Clears d (no position, no message). */
void diag_clear(struct diag *d);
/* Sets position and message; returns -1 so callers can `return diag_set(..)`. */
int diag_set(struct diag *d, int line, int col, int span, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Like diag_set, with line and column computed from a byte offset in text. */
int diag_set_at(struct diag *d, const char *text, size_t len, size_t off,
                int span, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Adds a hint line ("did you mean ...?") to a diag already set. */
void diag_hint(struct diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Writes "source:line:col: error: msg", then, when text is given, the
 * offending source line and a caret underline, then the hint. Used for
 * stderr and, into a buf, inside a failing panel.
 */
void diag_format(struct buf *out, const struct diag *d, const char *text,
                 size_t len);
void diag_print(FILE *f, const struct diag *d, const char *text, size_t len);

/*
 * The edit (Levenshtein) distance between two short words, for the
 * did-you-mean hints of unknown keys and names; (size_t)-1 when either is
 * 64 bytes or longer.
 */
size_t diag_distance(const char *a, const char *b);

#endif
