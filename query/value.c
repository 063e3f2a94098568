/*
 * Query results: only their release and sharing live here, since a
 * result keeps everything in its own arena. Building results is the
 * evaluator's job.
 */
#include "query/value.h"

#include <stdlib.h>

void
qresult_free(struct qresult *r)
{
    struct arena *a;

    if (r == NULL)
        return;
    if (r->refs > 0) {
        r->refs--;
        return;
    }
    /* The result itself sits in its arena, so read the arena first. */
    a = r->arena;
    arena_free(a);
}

struct qresult *
qresult_ref(struct qresult *r)
{
    r->refs++;
    return r;
}
