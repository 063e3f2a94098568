/*
 * Formatting of diagnostics in the jq/gcc style: a location prefix, the
 * message, the source line and a caret under the span. It never allocates
 * except through the caller's buf.
 */
#include "src/base/diag.h"

#include <stdarg.h>
#include <string.h>

void
diag_clear(struct diag *d)
{
    memset(d, 0, sizeof(*d));
}

/* Sets position and message from a va_list; returns -1. */
static int
diag_vset(struct diag *d, int line, int col, int span, const char *fmt,
          va_list ap)
{
    if (d == NULL)
        return -1;
    d->line = line;
    d->col = col;
    d->span = span > 0 ? span : 1;
    d->hint[0] = '\0';
    vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
    return -1;
}

int
diag_set(struct diag *d, int line, int col, int span, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag_vset(d, line, col, span, fmt, ap);
    va_end(ap);
    return -1;
}

int
diag_set_at(struct diag *d, const char *text, size_t len, size_t off,
            int span, const char *fmt, ...)
{
    va_list ap;
    int line = 1, col = 1;

    for (size_t i = 0; i < off && i < len; i++) {
        if (text[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    va_start(ap, fmt);
    diag_vset(d, line, col, span, fmt, ap);
    va_end(ap);
    return -1;
}

void
diag_hint(struct diag *d, const char *fmt, ...)
{
    va_list ap;

    if (d == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(d->hint, sizeof(d->hint), fmt, ap);
    va_end(ap);
}

/* Finds the start and length of 1-based line `line` in text. */
static const char *
find_line(const char *text, size_t len, int line, size_t *linelen)
{
    const char *p = text, *end = text + len, *nl;

    for (int i = 1; i < line && p < end; i++) {
        nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            return NULL;
        p = nl + 1;
    }
    nl = memchr(p, '\n', (size_t)(end - p));
    *linelen = (size_t)((nl ? nl : end) - p);
    return p;
}

void
diag_format(struct buf *out, const struct diag *d, const char *text,
            size_t len)
{
    const char *ln;
    size_t linelen, col;

    if (d->source != NULL)
        buf_printf(out, "%s:", d->source);
    if (d->line > 0)
        buf_printf(out, "%d:%d:", d->line, d->col);
    buf_printf(out, "%serror: %s\n",
               (d->source != NULL || d->line > 0) ? " " : "", d->msg);
    if (text != NULL && d->line > 0
        && (ln = find_line(text, len, d->line, &linelen)) != NULL) {
        buf_printf(out, "  %.*s\n  ", (int)linelen, ln);
        col = (size_t)(d->col > 0 ? d->col - 1 : 0);
        for (size_t i = 0; i < col && i < linelen; i++)
            buf_putc(out, ln[i] == '\t' ? '\t' : ' ');
        buf_putc(out, '^');
        for (int i = 1; i < d->span && col + (size_t)i < linelen; i++)
            buf_putc(out, '~');
        buf_putc(out, '\n');
    }
    if (d->hint[0] != '\0')
        buf_printf(out, "  hint: %s\n", d->hint);
}

void
diag_print(FILE *f, const struct diag *d, const char *text, size_t len)
{
    struct buf b;

    buf_init(&b, 0);
    diag_format(&b, d, text, len);
    fputs(buf_str(&b), f);
    buf_fini(&b);
}

size_t
diag_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[64], prev, tmp;

    if (la >= 64 || lb >= 64)
        return (size_t)-1;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t best = prev + (a[i - 1] != b[j - 1]);

            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            tmp = row[j];
            row[j] = best;
            prev = tmp;
        }
    }
    return row[lb];
}
