/*
 * Test support for evaluator tests: literal samples into a store, and a
 * query run at one instant that must succeed. The expected values stay
 * in the tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tests/support/query.h"

#define MS_PER_S 1000

void
ts_store_add(struct store *st, const char *const *kv, const double *tv,
             size_t n)
{
    struct label l[8];
    struct labels ls = {l, 0};
    uint32_t id;
    size_t i;

    for (i = 0; kv[i] != NULL; i += 2) {
        assert_true(ls.n < 8);
        l[ls.n].name = kv[i];
        l[ls.n++].value = kv[i + 1];
    }
    labels_sort(&ls);
    id = store_series_id(st, &ls);
    for (i = 0; i < n; i++)
        assert_int_equal(store_append(st, id,
                                      (int64_t)(tv[2 * i] * MS_PER_S),
                                      tv[2 * i + 1]), 0);
}

int
ts_store_teardown(void **state)
{
    store_free(*state);
    return 0;
}

struct qresult *
ts_query_run(const struct store *st, const char *text, double t)
{
    struct diag d;
    struct query *q;
    struct qresult *r;

    diag_clear(&d);
    q = qparse_query(text, strlen(text), &d);
    if (q == NULL)
        fail_msg("%s: %s", text, d.msg);
    r = qeval_instant(q, st, (int64_t)(t * MS_PER_S), &d);
    if (r == NULL)
        fail_msg("%s: %s", text, d.msg);
    qparse_free(q);
    return r;
}
