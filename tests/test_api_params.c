/*
 * Request parameters as Prometheus's API reads them: form decoding
 * (Go's ParseQuery: '+' is a space, %XX a byte, bad escapes refused,
 * repeated keys kept in order), and the time and duration parameters
 * with Prometheus's own error texts (web/api/v1/api.go).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "src/api/params.h"

static void
test_form_decoding(void **state)
{
    struct api_params p;
    const char *form = "query=sum(rate(x%5B5m%5D))+by+(job)&match[]=a"
                       "&match%5B%5D=b&empty=&flag&&time=1.5";

    (void)state;
    api_params_init(&p);
    assert_int_equal(api_params_parse_form(&p, form, strlen(form)), 0);
    assert_string_equal(api_params_get(&p, "query"),
                        "sum(rate(x[5m])) by (job)");
    assert_int_equal(api_params_count(&p, "match[]"), 2);
    assert_string_equal(api_params_nth(&p, "match[]", 0), "a");
    assert_string_equal(api_params_nth(&p, "match[]", 1), "b");
    assert_null(api_params_nth(&p, "match[]", 2));
    assert_string_equal(api_params_get(&p, "empty"), "");
    assert_string_equal(api_params_get(&p, "flag"), "");
    assert_string_equal(api_params_get(&p, "time"), "1.5");
    assert_null(api_params_get(&p, "nothing"));
    api_params_fini(&p);
}

/* Body first, then the URL: the first value is the body's (FormValue). */
static void
test_body_before_url(void **state)
{
    struct api_params p;

    (void)state;
    api_params_init(&p);
    assert_int_equal(api_params_parse_form(&p, "query=up", 8), 0);
    assert_int_equal(api_params_parse_form(&p, "query=down", 10), 0);
    assert_string_equal(api_params_get(&p, "query"), "up");
    api_params_fini(&p);
}

static void
test_bad_escapes(void **state)
{
    static const char *const bad[] = { "q=%", "q=%4", "q=%zz", "%g=1" };
    struct api_params p;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        api_params_init(&p);
        assert_int_equal(api_params_parse_form(&p, bad[i], strlen(bad[i])),
                         -1);
        api_params_fini(&p);
    }
    /* A NUL byte decodes like any other (the length is kept). */
    api_params_init(&p);
    assert_int_equal(api_params_parse_form(&p, "q=%41%42", 8), 0);
    assert_string_equal(api_params_get(&p, "q"), "AB");
    api_params_fini(&p);
}

static void
test_times(void **state)
{
    char err[128];
    int64_t ms;

    (void)state;
    assert_int_equal(api_parse_time("1700000000", &ms, err, sizeof(err)), 0);
    assert_int_equal(ms, 1700000000000LL);
    /* The fraction is rounded to the millisecond, as Prometheus does. */
    assert_int_equal(api_parse_time("1700000000.1234", &ms, err,
                                    sizeof(err)), 0);
    assert_int_equal(ms, 1700000000123LL);
    assert_int_equal(api_parse_time("-1.5", &ms, err, sizeof(err)), 0);
    assert_int_equal(ms, -1500);
    assert_int_equal(api_parse_time("2023-11-14T22:13:20Z", &ms, err,
                                    sizeof(err)), 0);
    assert_int_equal(ms, 1700000000000LL);
    assert_int_equal(api_parse_time("abc", &ms, err, sizeof(err)), -1);
    assert_string_equal(err, "cannot parse \"abc\" to a valid timestamp");
    assert_int_equal(api_parse_time("", &ms, err, sizeof(err)), -1);
    assert_string_equal(err, "cannot parse \"\" to a valid timestamp");
}

static void
test_durations(void **state)
{
    char err[128];
    int64_t ms;

    (void)state;
    assert_int_equal(api_parse_duration("15", &ms, err, sizeof(err)), 0);
    assert_int_equal(ms, 15000);
    assert_int_equal(api_parse_duration("0.5", &ms, err, sizeof(err)), 0);
    assert_int_equal(ms, 500);
    assert_int_equal(api_parse_duration("1m30s", &ms, err, sizeof(err)), 0);
    assert_int_equal(ms, 90000);
    assert_int_equal(api_parse_duration("x", &ms, err, sizeof(err)), -1);
    assert_string_equal(err, "cannot parse \"x\" to a valid duration");
    assert_int_equal(api_parse_duration("1e10", &ms, err, sizeof(err)), -1);
    assert_string_equal(err, "cannot parse \"1e10\" to a valid duration. "
                        "It overflows int64");
}

static void
test_label_names(void **state)
{
    (void)state;
    assert_true(api_label_name_valid("job"));
    assert_true(api_label_name_valid("__name__"));
    assert_true(api_label_name_valid("_a1"));
    assert_false(api_label_name_valid("1bad"));
    assert_false(api_label_name_valid(""));
    assert_false(api_label_name_valid("a-b"));
    assert_false(api_label_name_valid("a:b"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form_decoding),
        cmocka_unit_test(test_body_before_url),
        cmocka_unit_test(test_bad_escapes),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_label_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
