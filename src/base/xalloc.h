/*
 * Allocation that never returns NULL. Running out of memory is fatal: the
 * registered hook runs first (the screen uses it to restore the terminal),
 * then the process aborts. Callers therefore never check for NULL.
 */
#ifndef BASE_XALLOC_H
#define BASE_XALLOC_H

#include <stddef.h>

/* Called once, before abort, when an allocation fails. NULL clears it. */
void xalloc_set_fatal_hook(void (*hook)(void));

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
/* Grows or shrinks p; xrealloc(NULL, n) is xmalloc(n). */
void *xrealloc(void *p, size_t size);
/* xreallocarray checks nmemb * size for overflow, which is fatal too. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* A heap string formatted like printf; the caller frees it. */
char *xasprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif
