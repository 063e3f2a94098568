/*
 * Token-level helpers shared by the two exposition grammars (expo_rec.c,
 * expo_om.c) and their driver expo.c: numbers with Go's strconv syntax,
 * UTF-8 validation, escape resolution and the "found ..." part of error
 * messages. They work on (pointer, length) slices that need not be
 * NUL-terminated and never read past them.
 *
 * Internal to scrape/: not part of the scrape API; other folders include
 * scrape/expo.h (tests may include this header).
 *
 * Ownership: every slice is borrowed for the call; output buffers belong
 * to the caller and must be as large as each function says.
 */
#ifndef SCRAPE_EXPO_TOK_H
#define SCRAPE_EXPO_TOK_H

#include <locale.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum expo_tok_num { EXPO_NUM_OK, EXPO_NUM_SYNTAX, EXPO_NUM_RANGE };

/* Which escapes a quoted string resolves. */
enum expo_esc {
    EXPO_ESC_LABEL,     /* \\ \" \n: label values, OpenMetrics HELP */
    EXPO_ESC_HELP       /* \\ \n: HELP in text format 0.0.4 */
};

/*
 * Parses s[0..n) as Go's strconv.ParseFloat does after Prometheus refused
 * 'p', 'P' and '_': decimal with optional sign, point and exponent, or
 * inf/infinity (signed or not) and nan in any case. Hex floats and other
 * C-only forms are syntax errors; a finite number too large for a double
 * is a range error, one too small becomes 0 or a subnormal. tmp must hold
 * n + 1 bytes; loc is a C numeric locale so the host locale cannot change
 * the decimal point.
 */
enum expo_tok_num expo_tok_float(const char *s, size_t n, locale_t loc,
                                 char *tmp, double *out);
/* Parses s[0..n) as unsigned decimal digits into an int64 (range error). */
enum expo_tok_num expo_tok_int64(const char *s, size_t n, int64_t *out);
/*
 * Resolves the escapes of s[0..n) into out (at least n bytes) and returns
 * the length written. Any other backslash sequence is kept as it is, as
 * Prometheus 2.42 does.
 */
size_t expo_tok_unescape(const char *s, size_t n, enum expo_esc esc,
                         char *out);
/* The length of the token at s[i] (at least 1), for a caret underline. */
size_t expo_tok_span(const char *s, size_t n, size_t i);
/*
 * Writes what is found at s[i] for an error message into out (size outsz,
 * NUL-terminated): the token there, quoted with C escapes and shortened,
 * or "end of line" when i >= n.
 */
void expo_tok_describe(const char *s, size_t n, size_t i, char *out,
                       size_t outsz);

#endif
