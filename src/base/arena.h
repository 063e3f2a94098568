/*
 * A bump allocator: many small allocations, one free. The query AST lives in
 * the compiled query's arena and each evaluation puts its temporaries in its
 * own, so evaluator code has no per-node free. Not thread-safe.
 */
#ifndef BASE_ARENA_H
#define BASE_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
/* Frees every block the arena handed out. arena_free(NULL) does nothing. */
void arena_free(struct arena *a);
/* Frees everything allocated so far but keeps the first block for reuse. */
void arena_reset(struct arena *a);
/* Memory aligned for any type, valid until arena_free or arena_reset. */
void *arena_alloc(struct arena *a, size_t size);
void *arena_calloc(struct arena *a, size_t nmemb, size_t size);
/* Grows an array allocated from this arena, copying old_size bytes. */
void *arena_realloc(struct arena *a, void *p, size_t old_size,
                    size_t new_size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Bytes handed out since creation or the last reset. */
size_t arena_used(const struct arena *a);

#endif
