/*
 * logfmt lines on stderr, written with one fputs under the stream's
 * lock so threads do not interleave.
 */
#include "src/api/logfmt.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "src/base/buf.h"
#include "src/base/duration.h"

/* Whether go-logfmt quotes the value: empty, or holding a space, a
 * control character, '=' or '"'. */
static bool
needs_quotes(const char *v)
{
    if (*v == '\0')
        return true;
    for (; *v != '\0'; v++)
        if ((unsigned char)*v <= ' ' || *v == '=' || *v == '"')
            return true;
    return false;
}

/* A value, quoted and escaped when logfmt needs it to be. */
static void
put_value(struct buf *b, const char *v)
{
    if (!needs_quotes(v)) {
        buf_puts(b, v);
        return;
    }
    buf_putc(b, '"');
    for (; *v != '\0'; v++) {
        unsigned char c = (unsigned char)*v;

        if (c == '"' || c == '\\')
            buf_printf(b, "\\%c", c);
        else if (c == '\n')
            buf_puts(b, "\\n");
        else if (c == '\t')
            buf_puts(b, "\\t");
        else if (c == '\r')
            buf_puts(b, "\\r");
        else if (c < ' ')
            buf_printf(b, "\\u%04x", c);
        else
            buf_putc(b, (char)c);
    }
    buf_putc(b, '"');
}

void
logfmt(const char *level, const char *file, int line, const char *msg, ...)
{
    int64_t ms = time_now_ms();
    time_t secs = (time_t)(ms / 1000);
    const char *base = strrchr(file, '/');
    struct tm tm;
    struct buf b;
    va_list ap;
    const char *k;

    gmtime_r(&secs, &tm);
    buf_init(&b, 0);
    buf_printf(&b, "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03dZ caller=%s:%d "
               "level=%s msg=", tm.tm_year + 1900, tm.tm_mon + 1,
               tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
               (int)(ms % 1000), base != NULL ? base + 1 : file, line,
               level);
    put_value(&b, msg);
    va_start(ap, msg);
    while ((k = va_arg(ap, const char *)) != NULL) {
        const char *v = va_arg(ap, const char *);

        buf_printf(&b, " %s=", k);
        put_value(&b, v != NULL ? v : "");
    }
    va_end(ap);
    buf_putc(&b, '\n');
    fputs(buf_str(&b), stderr);
    fflush(stderr);
    buf_fini(&b);
}
