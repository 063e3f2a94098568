/*
 * The dashboard vocabulary: kind, unit and colour names round-trip, every
 * Grafana panel type, unit id and colour maps where the loaders always
 * mapped it, unit typos get a suggestion, and the lists in error messages
 * name exactly what the lookups accept.
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
    const char *is;     /* the table's name for it */
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
expect_units(const struct unit_case *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        enum unit u = UNIT_AUTO;

        assert_int_equal(vocab_unit(want[i].name, &u), 0);
        assert_string_equal(model_unit_name(u), want[i].is);
    }
}

/* Grafana's ids are the names, with a few other spellings. */
static void
test_units(void **state)
{
    static const struct unit_case want[] = {
        { "none", "none" },           { "short", "short" },
        { "bytes", "bytes" },         { "decbytes", "decbytes" },
        { "kbytes", "kbytes" },       { "bps", "bps" },
        { "Bps", "Bps" },             { "binBps", "binBps" },
        { "seconds", "s" },           { "s", "s" },
        { "ms", "ms" },               { "\xc2\xb5s", "\xc2\xb5s" },
        { "us", "\xc2\xb5s" },         { "dtdurations", "dtdurations" },
        { "percentunit", "percentunit" }, { "reqps", "reqps" },
        { "farenheit", "fahrenheit" }, { "celsius", "celsius" },
        { "auto", "auto" },           { "currencyEUR", "currencyEUR" },
        /* Either mu, as Grafana takes them. */
        { "\xce\xbc" "farad", "\xc2\xb5" "farad" },
        { "con\xc2\xb5gm3", "con\xce\xbcgm3" },
    };
    static const char *const custom[] = {
        "suffix: req", "prefix:$", "si:mV", "count:jobs", "currency:CHF",
        "bool:up/down", "time:YYYY-MM",
    };
    enum unit u;

    (void)state;
    expect_units(want, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < sizeof(custom) / sizeof(custom[0]); i++) {
        u = UNIT_AUTO;
        assert_int_equal(vocab_unit(custom[i], &u), 0);
        assert_int_equal(u, UNIT_CUSTOM);
    }
    assert_int_equal(vocab_unit("furlongs", &u), -1);
    assert_int_equal(vocab_unit("Bytes", &u), -1);
    /* UNIT_CUSTOM's row has no name to be found by. */
    assert_int_equal(vocab_unit("custom", &u), -1);
    assert_int_equal(vocab_unit("suffix", &u), -1);
}

/* Every unit of the table is found by its own name. */
static void
test_unit_names_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < model_unit_count(); i++) {
        enum unit u = UNIT_AUTO;

        if (i == UNIT_CUSTOM)
            continue;
        assert_int_equal(vocab_unit(model_unit_name((enum unit)i), &u), 0);
        assert_int_equal(u, (enum unit)i);
    }
}

/* A typo gets a suggestion; something far from every name does not. */
static void
test_unit_suggest(void **state)
{
    (void)state;
    assert_string_equal(vocab_unit_suggest("Bytes"), "bytes");
    assert_string_equal(vocab_unit_suggest("percnt"), "percent");
    assert_string_equal(vocab_unit_suggest("reqs"), "reqps");
    assert_null(vocab_unit_suggest("furlongs per fortnight"));
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
        cmocka_unit_test(test_unit_suggest),
        cmocka_unit_test(test_color_names),
        cmocka_unit_test(test_grafana_colors),
        cmocka_unit_test(test_kind_list),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
