/*
 * The demo's exposition text: floats spelled as each client library
 * spells them, sample and family lines, and histograms counted per bucket
 * and written cumulatively.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "src/base/buf.h"
#include "src/demo/demo_expo.h"

/* What the real client libraries print (see tests/data/exposition). */
static void
test_number_spelling(void **state)
{
    static const struct {
        double v;
        enum demo_numfmt f;
        const char *s;
    } cases[] = {
        {1.486848e7, DEMO_NUM_GO, "1.486848e+07"},
        {720896, DEMO_NUM_GO, "720896"},
        {1.7000001145572937e9, DEMO_NUM_GO, "1.7000001145572937e+09"},
        {18446744073709551615.0, DEMO_NUM_GO, "1.8446744073709552e+19"},
        {3.1457e-05, DEMO_NUM_GO, "3.1457e-05"},
        {0.001283917, DEMO_NUM_GO, "0.001283917"},
        {4.71, DEMO_NUM_GO, "4.71"},
        {0, DEMO_NUM_GO, "0"},
        {2.5165824e7, DEMO_NUM_JAVA, "2.5165824E7"},
        {4194304, DEMO_NUM_JAVA, "4194304.0"},
        {0.001816429, DEMO_NUM_JAVA, "0.001816429"},
        {1.699999871215e9, DEMO_NUM_JAVA, "1.699999871215E9"},
        {-1, DEMO_NUM_JAVA, "-1.0"},
        {30, DEMO_NUM_JAVA, "30.0"},
        {0.0012345679012345679, DEMO_NUM_JAVA, "0.0012345679012345679"},
        {7.729409641485069e-4, DEMO_NUM_JAVA, "7.729409641485069E-4"},
        {0, DEMO_NUM_JAVA, "0.0"},
        {72581120, DEMO_NUM_JS, "72581120"},
        {0.0101656311292517, DEMO_NUM_JS, "0.0101656311292517"},
        {0.000151330583979473, DEMO_NUM_JS, "0.000151330583979473"},
        {1795263795, DEMO_NUM_JS, "1795263795"},
        {INFINITY, DEMO_NUM_JS, "+Inf"},
    };
    struct buf b;

    (void)state;
    buf_init(&b, 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf_reset(&b);
        demo_num(&b, cases[i].v, cases[i].f);
        assert_string_equal(buf_str(&b), cases[i].s);
    }
    buf_fini(&b);
}

static void
test_sample_and_family_lines(void **state)
{
    struct buf b;

    (void)state;
    buf_init(&b, 0);
    demo_family(&b, "up", "gauge", "1 when up.");
    demo_sample(&b, "up", NULL, 1, DEMO_NUM_GO);
    demo_sample(&b, "up", "", 0, DEMO_NUM_JAVA);
    demo_sample(&b, "req_total", "code=\"200\",", 3e7, DEMO_NUM_JAVA);
    demo_sample(&b, "x", "a=\"b\"", NAN, DEMO_NUM_JS);
    assert_string_equal(buf_str(&b),
                        "# HELP up 1 when up.\n# TYPE up gauge\n"
                        "up 1\n"
                        "up 0.0\n"
                        "req_total{code=\"200\",} 3.0E7\n"
                        "x{a=\"b\"} NaN\n");
    buf_fini(&b);
}

/* Bounds are upper and inclusive; the +Inf bucket holds everything. */
static void
test_histogram(void **state)
{
    static const double le[] = { 0.1, 1, 10 };
    struct demo_hist h;

    (void)state;
    demo_hist_init(&h, le, 3);
    assert_int_equal(demo_hist_cum(&h, 0), 0);
    assert_int_equal(demo_hist_cum(&h, 3), 0);
    demo_hist_observe(&h, 0.05);
    demo_hist_observe(&h, 0.1);
    demo_hist_observe(&h, 0.5);
    demo_hist_observe(&h, 10);
    demo_hist_observe(&h, 99);
    assert_int_equal(h.count, 5);
    assert_true(fabs(h.sum - 109.65) < 1e-9);
    assert_int_equal(demo_hist_cum(&h, 0), 2);
    assert_int_equal(demo_hist_cum(&h, 1), 3);
    assert_int_equal(demo_hist_cum(&h, 2), 4);
    assert_int_equal(demo_hist_cum(&h, 3), 5);
    assert_int_equal(demo_hist_cum(&h, 7), 5);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_spelling),
        cmocka_unit_test(test_sample_and_family_lines),
        cmocka_unit_test(test_histogram),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
