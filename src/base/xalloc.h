/*
 * Allocation that never returns NULL. Running out of memory is fatal: the
 * registered hook runs first (the screen uses it to restore the terminal),
 * then the process aborts. Callers therefore never check for NULL.
 *
 * Ownership: every pointer returned here belongs to the caller, who
 * releases it with free(). The hook is a plain function pointer, kept
 * until it is replaced.
 */
#ifndef BASE_XALLOC_H
#define BASE_XALLOC_H

#include <stddef.h>
#include <stdnoreturn.h>

/* Called once, before abort, when an allocation fails. NULL clears it. */
void xalloc_set_fatal_hook(void (*hook)(void));
/*
 * Ends the process after a failure it cannot go on from: memory or a
 * library's resources ran out. It runs the fatal hook (once: the hook is
 * cleared first, in case it fails too), writes one line to stderr and
 * aborts. why NULL prints "promdeck: out of memory (wanted SIZE bytes)";
 * otherwise "promdeck: WHY", followed by " (wanted SIZE bytes)" when
 * size is not 0. Code that allocates outside the x* family (a library
 * handle, an arena block) calls this instead of abort().
 */
noreturn void xalloc_fatal(const char *why, size_t size);

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
