/*
 * Series looks: how the panel's defaults and its overrides, applied in
 * order, name, colour, place and write one series; every matcher
 * (name, regex, query, names included or excluded, all), later overrides
 * winning, matching on the name before any rename; and the legend drawn
 * from looks.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/base/regex.h"
#include "tests/support/ui.h"
#include "ui/format.h"
#include "ui/theme.h"
#include "ui/widget.h"

static struct label rx_labels[] = {
    { "device", "eth0" }, { "direction", "rx" },
};
static const struct qseries rx = { { rx_labels, 2 }, NULL, 0 };

static struct panel
panel_of(struct panel_query *q, struct series_override *o, size_t n)
{
    struct panel p = {
        .title = "net", .kind = PANEL_GRAPH, .unit = UNIT_BYTES,
        .decimals = -1, .min = NAN, .max = NAN, .width = 1, .queries = q,
        .nqueries = 1, .overrides = o, .noverrides = n,
    };

    return p;
}

/* Without overrides: the legend, the given colour, the panel's unit. */
static void
test_defaults(void **state)
{
    struct panel_query q = { .expr = "x",
                             .legend = "{{device}} {{direction}}" };
    struct panel p = panel_of(&q, NULL, 0);
    struct widget_look l;
    char out[FORMAT_VALUE_MAX];

    (void)state;
    p.stack = true;
    widget_look_of(&p, &q, &rx, ROLE_SERIES3, &l);
    assert_string_equal(buf_str(&l.name), "eth0 rx");
    assert_int_equal(l.role, ROLE_SERIES3);
    assert_false(l.colored);
    assert_int_equal(l.unit, UNIT_BYTES);
    assert_int_equal(l.stack, STACK_NORMAL);
    assert_string_equal(l.stack_group, "A");
    assert_false(l.right || l.negative || l.hide);
    widget_look_format(&l, 1536, out, sizeof out);
    assert_string_equal(out, "1.50 KiB");
    widget_look_fini(&l);
    /* The panel's display name, over the legend. */
    p.display_name = "${__field.labels.direction} of ${__series.name}";
    widget_look_of(&p, &q, &rx, ROLE_SERIES3, &l);
    assert_string_equal(buf_str(&l.name), "rx of eth0 rx");
    widget_look_fini(&l);
}

/* Each matcher picks the series it should and no other. */
static void
test_matchers(void **state)
{
    struct diag d;
    struct series_override o = { .set = OVR_NEGATIVE, .negative = true };
    struct panel_query q = { .expr = "x", .legend = "{{direction}}",
                             .ref_id = "B" };
    struct panel p = panel_of(&q, &o, 1);
    char *names[] = { "tx", "rx" };
    struct widget_look l;
    static const struct {
        enum series_match m;
        const char *pattern;
        bool exclude;
        bool want;
    } cases[] = {
        { MATCH_NAME, "rx", false, true },
        { MATCH_NAME, "tx", false, false },
        { MATCH_QUERY, "B", false, true },
        { MATCH_QUERY, "A", false, false },
        { MATCH_NAMES, NULL, false, true },
        { MATCH_NAMES, NULL, true, false },
        { MATCH_ALL, NULL, false, true },
    };

    (void)state;
    o.names = names;
    o.nnames = 2;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        o.match = cases[i].m;
        o.pattern = (char *)cases[i].pattern;
        o.exclude = cases[i].exclude;
        widget_look_of(&p, &q, &rx, ROLE_SERIES1, &l);
        assert_int_equal(l.negative, cases[i].want);
        widget_look_fini(&l);
    }
    /* A regex is matched against the whole display name. */
    o.match = MATCH_REGEX;
    o.nnames = 0;
    o.re = regex_new("r.", &d);
    widget_look_of(&p, &q, &rx, ROLE_SERIES1, &l);
    assert_true(l.negative);
    widget_look_fini(&l);
    regex_free(o.re);
    o.re = regex_new("r", &d);
    widget_look_of(&p, &q, &rx, ROLE_SERIES1, &l);
    assert_false(l.negative);
    widget_look_fini(&l);
    /* ... or the name is one of its names (byRegexpOrNames). */
    o.nnames = 2;
    widget_look_of(&p, &q, &rx, ROLE_SERIES1, &l);
    assert_true(l.negative);
    widget_look_fini(&l);
    regex_free(o.re);
}

static bool
always_stop(void *ctx)
{
    (void)ctx;
    return true;
}

/*
 * A regex override whose match could not be decided leaves the series
 * as it was and the panel says so. No pattern in Go's syntax was found
 * that makes a full match undecided on its own (the DFA takes linear
 * time within its workspace), so the match is stopped through the
 * regex's stop hook, as a deadline would stop it.
 */
static void
test_undecided_override(void **state)
{
    struct diag d;
    struct series_override o = { .set = OVR_NEGATIVE, .negative = true,
                                 .match = MATCH_REGEX, .pattern = "r(x|y)" };
    struct panel_query q = { .expr = "x", .legend = "{{direction}}" };
    struct panel p = panel_of(&q, &o, 1);
    struct widget_look l;
    struct buf b;

    (void)state;
    buf_init(&b, 0);
    o.re = regex_new(o.pattern, &d);
    assert_int_equal(widget_override_notes(&p, &b), 0);
    regex_set_stop(o.re, always_stop, NULL);
    widget_look_of(&p, &q, &rx, ROLE_SERIES1, &l);
    assert_false(l.negative);
    widget_look_fini(&l);
    buf_puts(&b, "error: x");
    assert_int_equal(widget_override_notes(&p, &b), 1);
    assert_string_equal(buf_str(&b), "error: x\noverride 1: regex r(x|y) "
                        "undecided for some series (too complex for them)");
    buf_fini(&b);
    regex_free(o.re);
}

/* Overrides apply in order; all of them match the name from before the
 * first rename; each sets only what it says. */
static void
test_order_and_rename(void **state)
{
    struct series_override o[] = {
        { .match = MATCH_NAME, .pattern = "rx", .set = OVR_NAME | OVR_COLOR,
          .display_name = "in ${__field.labels.device}", .role = ROLE_GOOD },
        { .match = MATCH_NAME, .pattern = "rx", .set = OVR_COLOR
          | OVR_UNIT | OVR_DECIMALS | OVR_AXIS | OVR_STACK | OVR_HIDE,
          .role = ROLE_CRIT, .unit = UNIT_CUSTOM, .unit_text = "suffix:pkt",
          .decimals = 1, .right = true, .stack = STACK_PERCENT,
          .stack_group = "net", .hide = HIDE_LEGEND },
        { .match = MATCH_NAME, .pattern = "in eth0", .set = OVR_NEGATIVE,
          .negative = true },
    };
    struct panel_query q = { .expr = "x", .legend = "{{direction}}" };
    struct panel p = panel_of(&q, o, 3);
    struct widget_look l;
    char out[FORMAT_VALUE_MAX];

    (void)state;
    p.thresholds = (struct threshold[]){ { 0, ROLE_WARN } };
    p.nthresholds = 1;
    widget_look_of(&p, &q, &rx, ROLE_SERIES1, &l);
    assert_string_equal(buf_str(&l.name), "in eth0");
    assert_int_equal(l.role, ROLE_CRIT);
    assert_true(l.colored);
    assert_true(l.right);
    assert_false(l.negative);   /* "in eth0" is not the name it had */
    assert_int_equal(l.stack, STACK_PERCENT);
    assert_string_equal(l.stack_group, "net");
    assert_int_equal(l.hide, HIDE_LEGEND);
    widget_look_format(&l, 12, out, sizeof out);
    assert_string_equal(out, "12.0 pkt");
    /* A chosen colour beats the thresholds; else they decide. */
    assert_int_equal(widget_look_role(&p, &l, 5), ROLE_CRIT);
    l.colored = false;
    assert_int_equal(widget_look_role(&p, &l, 5), ROLE_WARN);
    widget_look_fini(&l);
}

/* The legend lists looks: colour, name, "(right)", stats in the unit. */
static void
test_legend(void **state)
{
    struct qpoint pts[] = { { 0, 1024 }, { 1000, 2048 } };
    struct qseries s = { { rx_labels, 2 }, pts, 2 };
    struct qpoint nan_pts[] = { { 0, NAN } };
    struct qseries t = { { rx_labels, 2 }, nan_pts, 1 };
    struct panel_query q = { .expr = "x", .legend = "{{direction}}" };
    struct panel p = panel_of(&q, NULL, 0);
    struct widget_look a, b;
    struct widget_legend_item items[2] = { { &s, &a }, { &t, &b } };
    struct canvas *c = canvas_new(40, 2, true);
    char *text;

    (void)state;
    widget_look_of(&p, &q, &s, ROLE_SERIES1, &a);
    widget_look_of(&p, &q, &t, ROLE_SERIES2, &b);
    a.right = true;
    assert_int_equal(widget_legend_lines(items, 2), 2);
    widget_legend_draw(items, 2, c, (struct rect){ 0, 0, 40, 2 });
    text = ts_canvas_text(c);
    assert_string_equal(text,
        "* rx (right)                       2 KiB\n"
        "* rx                             no data\n");
    assert_int_equal(canvas_cell(c, 0, 1)->role, ROLE_SERIES2);
    free(text);
    b.hide = HIDE_LEGEND;
    assert_int_equal(widget_legend_lines(items, 2), 1);
    widget_look_fini(&a);
    widget_look_fini(&b);
    canvas_free(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_matchers),
        cmocka_unit_test(test_undecided_override),
        cmocka_unit_test(test_order_and_rename),
        cmocka_unit_test(test_legend),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
