/*
 * The series filter typed at `/`: label matchers with PromQL's meaning
 * (a missing label is "", regexes are fully anchored), else a substring
 * of the label set as Prometheus prints it; and a panel copy holding
 * only the series that pass.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/base/xalloc.h"
#include "ui/filter.h"

static struct label api[] = { { "__name__", "up" }, { "job", "api" } };
static struct label web[] = { { "__name__", "up" }, { "job", "web" } };
static struct label bare[] = { { "__name__", "up" } };
static const struct labels a = { api, 2 }, w = { web, 2 }, b = { bare, 1 };

static bool
passes(const char *text, const struct labels *ls)
{
    struct series_filter *f = filter_new(text);
    bool r = filter_match(f, ls);

    filter_free(f);
    return r;
}

static void
test_matchers(void **state)
{
    (void)state;
    assert_true(passes("job=api", &a));
    assert_false(passes("job=api", &w));
    assert_true(passes("job = \"api\"", &a));
    assert_true(passes("job!=api", &w));
    assert_true(passes("job!=api", &b));
    /* Anchored: "ap" does not match "api", "ap.*" does. */
    assert_false(passes("job=~ap", &a));
    assert_true(passes("job=~ap.*", &a));
    assert_true(passes("job=~api|web", &w));
    assert_true(passes("job!~api", &w));
    assert_false(passes("job!~api", &a));
    /* A missing label is the empty string, as in PromQL. */
    assert_true(passes("job=", &b));
    assert_true(passes("job=~", &b));
}

static void
test_substring_and_empty(void **state)
{
    (void)state;
    /* Not a matcher: a substring of up{job="api"}. */
    assert_true(passes("api", &a));
    assert_true(passes("up{job=\"w", &w));
    assert_false(passes("api", &w));
    /* A regex that does not compile searches for the text itself. */
    assert_false(passes("job=~(", &a));
    /* Empty text: no filter at all. */
    assert_null(filter_new(""));
    assert_null(filter_new("   "));
    assert_true(filter_match(NULL, &w));
}

static void
test_panel_copy(void **state)
{
    struct qpoint pt = { 0, 1 };
    struct qseries se[3] = { { a, &pt, 1 }, { w, &pt, 1 }, { b, &pt, 1 } };
    struct qresult r = { .type = QV_VECTOR, .series = se, .nseries = 3 };
    struct qresult sc = { .type = QV_SCALAR, .scalar = 2 };
    struct panel_query q[3] = { { .expr = "up", .result = &r },
                                { .expr = "2", .result = &sc },
                                { .expr = "x" } };
    struct panel p = { .title = "P", .queries = q, .nqueries = 3,
                       .min = NAN, .max = NAN };
    struct series_filter *f = filter_new("job=~api|web");
    struct panel out;

    (void)state;
    filter_panel(f, &p, &out);
    assert_string_equal(out.title, "P");
    assert_int_equal(out.nqueries, 3);
    assert_int_equal(out.queries[0].result->nseries, 2);
    assert_string_equal(out.queries[0].result->series[1].labels.v[1].value,
                        "web");
    /* Scalars pass; a query without a result stays without one. */
    assert_int_equal(out.queries[1].result->type, QV_SCALAR);
    assert_null(out.queries[2].result);
    /* The original is untouched. */
    assert_int_equal(r.nseries, 3);
    filter_panel_fini(&out);
    filter_free(f);
}

/*
 * A pattern Go accepts on a value that takes pcre2's DFA seconds (RE2
 * says no match: there is no b or z): the panel's budget stops the
 * match, the series passes rather than vanish, and the filter says so.
 * The series before it, decided, is filtered as usual.
 */
static void
test_undecided_passes_with_a_note(void **state)
{
    char *slow = xmalloc(3002);
    struct label sl[] = { { "__name__", "up" }, { "job", slow } };
    struct labels s = { sl, 2 };
    struct qpoint pt = { 0, 1 };
    struct qseries se[2] = { { a, &pt, 1 }, { s, &pt, 1 } };
    struct qresult r = { .type = QV_VECTOR, .series = se, .nseries = 2 };
    struct panel_query q[1] = { { .expr = "up", .result = &r } };
    struct panel p = { .title = "P", .queries = q, .nqueries = 1,
                       .min = NAN, .max = NAN };
    struct series_filter *f = filter_new("job=~(?:a{0,1000}a{0,1000})*b|z");
    struct panel out;

    (void)state;
    memset(slow, 'a', 3000);
    memcpy(slow + 3000, "c", 2);
    assert_null(filter_note(f));
    filter_panel(f, &p, &out);
    assert_int_equal(out.queries[0].result->nseries, 1);
    assert_ptr_equal(out.queries[0].result->series[0].labels.v[1].value,
                     slow);
    assert_string_equal(filter_note(f), "regex undecided for some series "
                        "(too complex or too slow): shown unfiltered");
    filter_panel_fini(&out);
    filter_free(f);
    free(slow);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matchers),
        cmocka_unit_test(test_substring_and_empty),
        cmocka_unit_test(test_panel_copy),
        cmocka_unit_test(test_undecided_passes_with_a_note),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
