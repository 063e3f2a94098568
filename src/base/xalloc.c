/*
 * The x* allocation family: malloc and friends that abort on failure after
 * giving the screen a chance to restore the terminal, and the one fatal
 * exit every other resource failure shares. Nothing here frees memory on
 * the caller's behalf, and nothing tries to recover.
 */
#include "src/base/xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void (*fatal_hook)(void);

void
xalloc_set_fatal_hook(void (*hook)(void))
{
    fatal_hook = hook;
}

void
xalloc_fatal(const char *why, size_t size)
{
    void (*hook)(void) = fatal_hook;

    /* A hook that fails in turn must not loop back into itself. */
    fatal_hook = NULL;
    if (hook != NULL)
        hook();
    if (why == NULL)
        fprintf(stderr, "promdeck: out of memory (wanted %zu bytes)\n",
                size);
    else if (size != 0)
        fprintf(stderr, "promdeck: %s (wanted %zu bytes)\n", why, size);
    else
        fprintf(stderr, "promdeck: %s\n", why);
    abort();
}

void *
xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);

    if (p == NULL)
        xalloc_fatal(NULL, size);
    return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

    if (p == NULL)
        xalloc_fatal(NULL, nmemb * size);
    return p;
}

void *
xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);

    if (q == NULL)
        xalloc_fatal(NULL, size);
    return q;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
    if (size != 0 && nmemb > SIZE_MAX / size)
        xalloc_fatal(NULL, SIZE_MAX);
    return xrealloc(p, nmemb * size);
}

char *
xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
xasprintf(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        xalloc_fatal(NULL, 0);
    p = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
