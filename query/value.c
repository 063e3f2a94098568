/*
 * Query results: only their release lives here, since a result keeps
 * everything in its own arena. Building results is the evaluator's job.
 */
#include "query/value.h"

#include <stdlib.h>

void
qresult_free(struct qresult *r)
{
    struct arena *a;

    if (r == NULL)
        return;
    /* The result itself sits in its arena, so read the arena first. */
    a = r->arena;
    arena_free(a);
}
