/*
 * The demo's shared simulation: the generator repeats for a seed and
 * stays in range, a smooth rate yields whole events that add up, and
 * the traffic and error curves stay where the demo's panels expect them.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "src/demo/demo_sim.h"

static void
test_generator_repeats_per_seed(void **state)
{
    uint64_t a = 42, b = 42, c = 43;
    int differ = 0;

    (void)state;
    for (int i = 0; i < 100; i++) {
        uint64_t x = demo_rng(&a);

        assert_true(x == demo_rng(&b));
        differ += x != demo_rng(&c);
    }
    assert_true(differ > 90);
}

static void
test_draws_in_range(void **state)
{
    uint64_t s = 7;
    double sum = 0, sq = 0;
    const int n = 20000;

    (void)state;
    for (int i = 0; i < n; i++) {
        double u = demo_rng_unit(&s);

        assert_true(u >= 0 && u < 1);
    }
    for (int i = 0; i < n; i++) {
        double z = demo_rng_normal(&s);

        assert_true(isfinite(z));
        sum += z;
        sq += z * z;
    }
    /* Mean near 0 and deviation near 1, well inside chance. */
    assert_true(fabs(sum / n) < 0.05);
    assert_true(fabs(sqrt(sq / n) - 1) < 0.05);
}

/* A quarter of an event a tick for 10 ticks is 2 whole events, and the
 * half left over counts towards the next. */
static void
test_take_keeps_the_fraction(void **state)
{
    double acc = 0;
    unsigned total = 0;

    (void)state;
    for (int i = 0; i < 10; i++)
        total += demo_take(&acc, 0.25);
    assert_int_equal(total, 2);
    assert_true(acc == 0.5);
    assert_int_equal(demo_take(&acc, 2.5), 3);
    assert_true(acc == 0);
    /* A negative expectation takes nothing and keeps the fraction. */
    acc = 0.5;
    assert_int_equal(demo_take(&acc, -4), 0);
    assert_true(acc == 0.5);
}

static void
test_curves(void **state)
{
    int bursts = 0;

    (void)state;
    for (double t = 0; t < 3600; t += 1) {
        double tr = demo_traffic(t), er = demo_error_ratio(t, 1);

        assert_true(tr > 0 && tr < 11);
        assert_true(er >= 0 && er < 0.3);
        bursts += er > 0.1;
    }
    /* Failures come in bursts now and then, not all the time. */
    assert_true(bursts > 0 && bursts < 600);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generator_repeats_per_seed),
        cmocka_unit_test(test_draws_in_range),
        cmocka_unit_test(test_take_keeps_the_fraction),
        cmocka_unit_test(test_curves),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
