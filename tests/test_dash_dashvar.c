/*
 * Tests for src/dash/dashvar: Grafana's variable queries read from a
 * store (query forms as Grafana's Prometheus source matches them,
 * query_result's text as Grafana's documentation shows it), the regex
 * and sort examples of Grafana's documentation, and the order chained
 * variables are read in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/base/xalloc.h"
#include "src/dash/dashvar.h"
#include "store/store.h"

/* The time of the query_result example in Grafana's documentation. */
#define T_DOC ((int64_t)1521630638000)

static struct store *
doc_store(void)
{
    static const char *const inst[3][2] = {
        { "demo.robustperception.io:9090", "prometheus" },
        { "demo.robustperception.io:9093", "alertmanager" },
        { "demo.robustperception.io:9100", "node" },
    };
    struct store *st = store_new(0, 0);

    for (size_t i = 0; i < 3; i++) {
        struct label l[3] = {
            { "__name__", "up" }, { "instance", inst[i][0] },
            { "job", inst[i][1] },
        };
        struct labels ls = { l, 3 };
        struct label n[2] = { { "__name__", "node_load1" },
                              { "instance", inst[i][0] } };
        struct labels ns = { n, 2 };

        assert_int_equal(store_append(st, store_series_id(st, &ls),
                                      T_DOC - 10000, 1), 0);
        if (i == 2)
            assert_int_equal(store_append(st, store_series_id(st, &ns),
                                          T_DOC - 10000, 0.25), 0);
    }
    return st;
}

/* Parses and runs text at T_DOC; the values, or fails the test. */
static struct dashvar_list
run(struct store *st, const char *text)
{
    struct dashvar_list l = { NULL, 0 };
    struct dashvar_query q;
    char *err = NULL;

    if (dashvar_parse(text, &q, &err) != 0)
        fail_msg("%s: %s", text, err);
    if (dashvar_run(&q, st, T_DOC, NULL, &l, &err) != 0)
        fail_msg("%s: %s", text, err);
    dashvar_query_fini(&q);
    return l;
}

static void
assert_values(struct dashvar_list *l, const char *const *want, size_t n)
{
    assert_int_equal(l->n, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(l->v[i], want[i]);
    dashvar_list_fini(l);
}

static void
test_query_forms(void **state)
{
    static const char *const jobs[] = { "alertmanager", "node",
                                        "prometheus" };
    static const char *const node[] = { "demo.robustperception.io:9100" };
    static const char *const names[] = { "__name__", "instance", "job" };
    static const char *const metrics[] = { "node_load1" };
    static const char *const series[] = {
        "node_load1{instance=\"demo.robustperception.io:9100\"}",
    };
    struct store *st = doc_store();
    struct dashvar_list l;

    (void)state;
    l = run(st, "label_values(job)");
    assert_values(&l, jobs, 3);
    /* The label is the last name: the selector may hold commas. */
    l = run(st, "label_values(up{job=~\"node|x,y\", instance!=\"\"}, "
            "instance)");
    assert_values(&l, node, 1);
    l = run(st, "label_names()");
    assert_values(&l, names, 3);
    l = run(st, "label_names(up)");
    assert_values(&l, names, 3);
    /* A JavaScript regex test: found anywhere in the name. */
    l = run(st, "metrics(load)");
    assert_values(&l, metrics, 1);
    l = run(st, "  node_load1");
    assert_values(&l, series, 1);
    store_free(st);
}

/* Grafana's documentation ("Filter and modify - Prometheus Example"):
 * query_result(up) lists name{labels} value timestamp_ms. */
static void
test_query_result_text(void **state)
{
    static const char *const want[] = {
        "up{instance=\"demo.robustperception.io:9090\",job=\"prometheus\"} "
        "1 1521630638000",
        "up{instance=\"demo.robustperception.io:9093\",job=\"alertmanager\"} "
        "1 1521630638000",
        "up{instance=\"demo.robustperception.io:9100\",job=\"node\"} "
        "1 1521630638000",
    };
    static const char *const scalar[] = { "0.25" };
    struct store *st = doc_store();
    struct dashvar_list l;

    (void)state;
    l = run(st, "query_result(up)");
    assert_values(&l, want, 3);
    l = run(st, "query_result(scalar(node_load1))");
    assert_values(&l, scalar, 1);
    store_free(st);
}

static void
test_parse_errors(void **state)
{
    struct dashvar_query q;
    char *err = NULL;

    (void)state;
    /* An unexpanded reference is a PromQL error with its position. */
    assert_int_equal(dashvar_parse("label_values(up{job=\"a\"} + $x, job)",
                                   &q, &err), -1);
    assert_non_null(strstr(err, "1:"));
    free(err);
    assert_int_equal(dashvar_parse("metrics(()", &q, &err), -1);
    assert_non_null(strstr(err, "invalid regular expression"));
    free(err);
}

static struct dashvar_list
list_of(const char *const *v, size_t n)
{
    struct dashvar_list l = { xcalloc(n, sizeof(char *)), n };

    for (size_t i = 0; i < n; i++)
        l.v[i] = xstrdup(v[i]);
    return l;
}

static void
shape(struct dashvar_list *l, const char *regex, int sort)
{
    char *err = NULL;

    if (dashvar_shape(regex, sort, l, &err) != 0)
        fail_msg("%s: %s", regex != NULL ? regex : "(none)", err);
}

/* The examples of "Filter variables with regex" in Grafana's docs. */
static void
test_regex_examples(void **state)
{
    static const char *const backends[] = { "backend_01", "backend_02",
                                            "backend_03", "backend_04" };
    static const char *const two[] = { "backend_01", "backend_02" };
    static const char *const digits[] = { "01", "02" };
    static const char *const up[] = {
        "up{instance=\"demo.robustperception.io:9090\",job=\"prometheus\"} "
        "1 1521630638000",
        "up{instance=\"demo.robustperception.io:9093\",job=\"alertmanager\"} "
        "1 1521630638000",
    };
    static const char *const hosts[] = { "demo.robustperception.io:9090",
                                         "demo.robustperception.io:9093" };
    static const char *const chips[] = {
        "node_hwmon_chip_names{chip=\"0000:d7:00_0_0000:d8:00_0\","
        "chip_name=\"enp216s0f0np0\"} 1",
        "node_hwmon_chip_names{chip=\"0000:d7:00_0_0000:d8:00_1\","
        "chip_name=\"enp216s0f0np1\"} 1",
    };
    static const char *const chip_values[] = { "0000:d7:00_0_0000:d8:00_0",
                                               "0000:d7:00_0_0000:d8:00_1" };
    struct dashvar_list l;

    (void)state;
    l = list_of(backends, 4);
    shape(&l, "/backend_0[12]$/", 0);
    assert_values(&l, two, 2);
    l = list_of(backends, 4);
    shape(&l, "/.*(01|02)/", 0);
    assert_values(&l, digits, 2);
    l = list_of(up, 2);
    shape(&l, "/.*instance=\"([^\"]*).*/", 0);
    assert_values(&l, hosts, 2);
    /* Named groups with the g flag: the value group wins. */
    l = list_of(chips, 2);
    shape(&l, "/chip_name=\"(?<text>[^\"]+)|chip=\"(?<value>[^\"]+)/g", 0);
    assert_values(&l, chip_values, 2);
    /* Without slashes the regex is anchored at both ends (^re$). */
    l = list_of(backends, 4);
    shape(&l, "backend_0[12]", 0);
    assert_values(&l, two, 2);
    l = list_of(backends, 4);
    shape(&l, "0[12]", 0);
    assert_int_equal(l.n, 0);
    dashvar_list_fini(&l);
}

/* Grafana's sort: 1/2 alphabetical, 3/4 by the first number, 5/6
 * ignoring case, 7/8 natural; even is the ascending order reversed.
 * Values that end up the same are listed once. */
static void
test_sort_and_repeats(void **state)
{
    static const char *const in[] = { "b10", "a9", "B2", "a9", "c" };
    static const char *const alpha[] = { "B2", "a9", "b10", "c" };
    static const char *const alpha_desc[] = { "c", "b10", "a9", "B2" };
    static const char *const num[] = { "c", "B2", "a9", "b10" };
    static const char *const nocase[] = { "a9", "b10", "B2", "c" };
    static const char *const natural[] = { "a9", "B2", "b10", "c" };
    static const char *const *const want[] = { alpha, alpha_desc, num,
                                               nocase, natural };
    static const int sorts[] = { 1, 2, 3, 5, 7 };
    struct dashvar_list l;
    char *err = NULL;

    (void)state;
    for (size_t i = 0; i < 5; i++) {
        l = list_of(in, 5);
        shape(&l, NULL, sorts[i]);
        assert_values(&l, want[i], 4);
    }
    l = list_of(in, 5);
    assert_int_equal(dashvar_shape("/a(/", 0, &l, &err), -1);
    assert_int_equal(l.n, 5);
    free(err);
    assert_int_equal(dashvar_shape("/a/x", 0, &l, &err), -1);
    assert_non_null(strstr(err, "not a valid regular expression"));
    free(err);
    dashvar_list_fini(&l);
}

/* Each variable after those its query or regex names, else file order. */
static void
test_order(void **state)
{
    struct variable v[4] = {
        { .name = "instance",
          .query = "label_values(up{job=\"$job\"}, instance)" },
        { .name = "port", .query = "label_values(up, instance)",
          .regex = "/${instance:regex}:(.*)/" },
        { .name = "job", .query = "label_values(up, job)" },
        { .name = "a", .query = "label_values(x{b=\"$a\"}, a)" },
    };
    size_t order[4];

    (void)state;
    dashvar_order(v, 4, order);
    assert_int_equal(order[0], 2);
    assert_int_equal(order[1], 0);
    assert_int_equal(order[2], 1);
    assert_int_equal(order[3], 3);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_forms),
        cmocka_unit_test(test_query_result_text),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_regex_examples),
        cmocka_unit_test(test_sort_and_repeats),
        cmocka_unit_test(test_order),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
