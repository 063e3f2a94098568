/*
 * The dashboard vocabulary: kind, unit and colour names round-trip, every
 * Grafana panel type, unit id and colour maps where the loaders always
 * mapped it, and the lists in error messages name exactly what the
 * lookups accept.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/base/buf.h"
#include "src/dash/vocab.h"
#include "ui/theme.h"

struct unit_case {
    const char *name;
    enum unit unit;
    double scale;
};

static void
test_kind_names_round_trip(void **state)
{
    enum panel_kind k;

    (void)state;
    for (int i = 0; i < PANEL_KIND_COUNT; i++) {
        assert_int_equal(vocab_kind_by_name(
            vocab_kind_name((enum panel_kind)i), &k), 0);
        assert_int_equal(k, i);
    }
    assert_string_equal(vocab_kind_name(PANEL_HEATMAP), "heatmap");
    assert_string_equal(vocab_kind_name(PANEL_KIND_COUNT), "unknown");
    assert_int_equal(vocab_kind_by_name("pie", &k), -1);
    assert_int_equal(vocab_kind_by_name("Graph", &k), -1);
    /* Grafana's aliases are not dashboard-file names. */
    assert_int_equal(vocab_kind_by_name("timeseries", &k), -1);
}

static void
test_grafana_kinds(void **state)
{
    static const struct {
        const char *type;
        enum panel_kind kind;
    } want[] = {
        { "graph", PANEL_GRAPH },      { "timeseries", PANEL_GRAPH },
        { "stat", PANEL_STAT },        { "singlestat", PANEL_STAT },
        { "gauge", PANEL_GAUGE },      { "bargauge", PANEL_BARS },
        { "barchart", PANEL_BARS },    { "table", PANEL_TABLE },
        { "table-old", PANEL_TABLE },  { "heatmap", PANEL_HEATMAP },
        { "text", PANEL_TEXT },
    };
    static const char *const none[] = {
        "sparkline", "bars", "piechart", "row", "logs", "", "Graph",
    };
    enum panel_kind k;

    (void)state;
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        k = PANEL_KIND_COUNT;
        assert_int_equal(vocab_grafana_kind(want[i].type, &k), 0);
        assert_int_equal(k, want[i].kind);
    }
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
        assert_int_equal(vocab_grafana_kind(none[i], &k), -1);
}

static void
expect_units(int (*lookup)(const char *, enum unit *, double *),
             const struct unit_case *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        enum unit u = UNIT_COUNT;
        double scale = 0;

        assert_int_equal(lookup(want[i].name, &u, &scale), 0);
        assert_int_equal(u, want[i].unit);
        assert_true(fabs(scale - want[i].scale) <= 1e-12 * want[i].scale);
    }
}

static void
test_units(void **state)
{
    static const struct unit_case want[] = {
        { "none", UNIT_NONE, 1 },          { "short", UNIT_NONE, 1 },
        { "bytes", UNIT_BYTES, 1 },        { "decbytes", UNIT_BYTES, 1 },
        { "kbytes", UNIT_BYTES, 1024 },    { "deckbytes", UNIT_BYTES, 1e3 },
        { "mbytes", UNIT_BYTES, 1048576 }, { "decmbytes", UNIT_BYTES, 1e6 },
        { "gbytes", UNIT_BYTES, 1073741824.0 },
        { "decgbytes", UNIT_BYTES, 1e9 },
        { "seconds", UNIT_SECONDS, 1 },    { "s", UNIT_SECONDS, 1 },
        { "ms", UNIT_SECONDS, 0.001 },     { "µs", UNIT_SECONDS, 1e-6 },
        { "us", UNIT_SECONDS, 1e-6 },      { "ns", UNIT_SECONDS, 1e-9 },
        { "m", UNIT_SECONDS, 60 },         { "h", UNIT_SECONDS, 3600 },
        { "d", UNIT_SECONDS, 86400 },      { "percent", UNIT_PERCENT, 1 },
        { "percentunit", UNIT_PERCENTUNIT, 1 },
        { "reqps", UNIT_REQPS, 1 },        { "ops", UNIT_OPS, 1 },
        { "opm", UNIT_OPS, 1.0 / 60 },     { "iops", UNIT_OPS, 1 },
        { "rps", UNIT_OPS, 1 },            { "wps", UNIT_OPS, 1 },
        { "rpm", UNIT_OPS, 1.0 / 60 },     { "wpm", UNIT_OPS, 1.0 / 60 },
    };
    enum unit u;
    double scale;

    (void)state;
    expect_units(vocab_unit, want, sizeof(want) / sizeof(want[0]));
    assert_int_equal(vocab_unit("furlongs", &u, &scale), -1);
    assert_int_equal(vocab_unit("Bytes", &u, &scale), -1);
    /* Approximate units are Grafana's alone: not a dashboard-file unit. */
    assert_int_equal(vocab_unit("Bps", &u, &scale), -1);
}

static void
test_unit_names_round_trip(void **state)
{
    struct buf list;

    (void)state;
    for (int i = 0; i < UNIT_COUNT; i++) {
        enum unit u = UNIT_COUNT;
        double scale = 0;

        assert_int_equal(vocab_unit(model_unit_name((enum unit)i), &u,
                                    &scale), 0);
        assert_int_equal(u, i);
        assert_true(scale == 1);
    }
    buf_init(&list, 0);
    vocab_list_units(&list, "and");
    assert_string_equal(buf_str(&list), "none, bytes, seconds, percent, "
                        "percentunit, reqps and ops");
    buf_fini(&list);
}

static void
test_grafana_near_units(void **state)
{
    static const struct unit_case want[] = {
        { "Bps", UNIT_BYTES, 1 },          { "binBps", UNIT_BYTES, 1 },
        { "KBs", UNIT_BYTES, 1e3 },        { "MBs", UNIT_BYTES, 1e6 },
        { "GBs", UNIT_BYTES, 1e9 },        { "KiBs", UNIT_BYTES, 1024 },
        { "MiBs", UNIT_BYTES, 1048576 },   { "bps", UNIT_BYTES, 0.125 },
        { "binbps", UNIT_BYTES, 0.125 },   { "bits", UNIT_BYTES, 0.125 },
        { "decbits", UNIT_BYTES, 0.125 },  { "pps", UNIT_OPS, 1 },
        { "dtdurations", UNIT_SECONDS, 1 },
        { "dtdurationms", UNIT_SECONDS, 1e-3 },
        { "clocks", UNIT_SECONDS, 1 },     { "cps", UNIT_OPS, 1 },
        { "hertz", UNIT_OPS, 1 },          { "mps", UNIT_OPS, 1 },
    };
    enum unit u;
    double scale;

    (void)state;
    expect_units(vocab_grafana_unit_near, want,
                 sizeof(want) / sizeof(want[0]));
    /* Exact units are not approximations, and unknown ids are neither. */
    assert_int_equal(vocab_grafana_unit_near("bytes", &u, &scale), -1);
    assert_int_equal(vocab_grafana_unit_near("lengthm", &u, &scale), -1);
}

static void
test_color_names(void **state)
{
    static const struct {
        const char *name;
        int role;
    } want[] = {
        { "good", ROLE_GOOD },     { "ok", ROLE_GOOD },
        { "green", ROLE_GOOD },    { "warn", ROLE_WARN },
        { "warning", ROLE_WARN },  { "yellow", ROLE_WARN },
        { "orange", ROLE_WARN },   { "crit", ROLE_CRIT },
        { "critical", ROLE_CRIT }, { "bad", ROLE_CRIT },
        { "red", ROLE_CRIT },
    };
    struct buf list;

    (void)state;
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        assert_int_equal(vocab_color_role(want[i].name), want[i].role);
    assert_int_equal(vocab_color_role("blue"), -1);
    assert_int_equal(vocab_color_role("series1"), -1);
    assert_int_equal(vocab_color_role("Red"), -1);
    buf_init(&list, 0);
    vocab_list_colors(&list, "or");
    assert_string_equal(buf_str(&list), "good, ok, green, warn, warning, "
                        "yellow, orange, crit, critical, bad or red");
    buf_fini(&list);
}

static void
test_grafana_colors(void **state)
{
    static const struct {
        const char *color;
        int role;
    } want[] = {
        { "green", ROLE_GOOD },             { "dark-green", ROLE_GOOD },
        { "semi-dark-yellow", ROLE_WARN },  { "orange", ROLE_WARN },
        { "light-orange", ROLE_WARN },      { "red", ROLE_CRIT },
        { "dark-red", ROLE_CRIT },          { "#FF0000", ROLE_CRIT },
        { "#f00", ROLE_CRIT },              { "#d44a3a", ROLE_CRIT },
        { "#EAB839", ROLE_WARN },           { "#299c46", ROLE_GOOD },
        { "rgba(50, 172, 45, 0.97)", ROLE_GOOD },
        { "rgba(237, 129, 40, 0.89)", ROLE_WARN },
        { "rgb(245, 54, 54)", ROLE_CRIT },
        /* Both words: the worse status wins. */
        { "red-orange", ROLE_CRIT },        { "green-yellow", ROLE_WARN },
        /* No status meaning: blues, purples, greys. */
        { "blue", -1 },                     { "purple", -1 },
        { "#1F60C4", -1 },                  { "#8F3BB8", -1 },
        { "#808080", -1 },                  { "#7a7f80", -1 },
        { "transparent", -1 },              { "", -1 },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        assert_int_equal(vocab_grafana_color(want[i].color), want[i].role);
    assert_int_equal(vocab_grafana_color_mode("ok"), ROLE_GOOD);
    assert_int_equal(vocab_grafana_color_mode("warning"), ROLE_WARN);
    assert_int_equal(vocab_grafana_color_mode("critical"), ROLE_CRIT);
    assert_int_equal(vocab_grafana_color_mode("custom"), ROLE_CRIT);
    assert_int_equal(vocab_grafana_color_mode(NULL), ROLE_CRIT);
}

static void
test_kind_list(void **state)
{
    struct buf list;

    (void)state;
    buf_init(&list, 0);
    vocab_list_kinds(&list, "or");
    assert_string_equal(buf_str(&list), "graph, sparkline, bars, table, "
                        "stat, gauge, heatmap or text");
    buf_fini(&list);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_names_round_trip),
        cmocka_unit_test(test_grafana_kinds),
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_unit_names_round_trip),
        cmocka_unit_test(test_grafana_near_units),
        cmocka_unit_test(test_color_names),
        cmocka_unit_test(test_grafana_colors),
        cmocka_unit_test(test_kind_list),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
