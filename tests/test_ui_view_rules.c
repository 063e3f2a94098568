/*
 * The alerts and rules views, the title bar's counts and a panel's
 * alert band, drawn on plain ASCII canvases and compared line by line:
 * states in their colours (firing crit, pending warn, inactive good),
 * the state filter, wrapping, scrolling, the empty cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/support/ui.h"
#include "ui/theme.h"
#include "ui/view.h"
#include "ui/view_rules.h"

#define NOW (1700000000LL * 1000)

static struct label down_l[] = {
    { "alertname", "ContainerDown" }, { "instance", "web-1:80" },
    { "job", "web" }, { "severity", "critical" },
};
static struct label down_a[] = { { "summary", "Container web-1:80 is down" } };
static struct label cpu_l[] = {
    { "alertname", "HighCPU" }, { "instance", "db:9100" },
};
static struct alert_row down_alerts[] = {
    { ALERT_ROW_FIRING, &(struct labels){ down_l, 4 },
      &(struct labels){ down_a, 1 }, NOW - 125000, NOW - 65000, 0 },
};
static struct alert_row cpu_alerts[] = {
    { ALERT_ROW_PENDING, &(struct labels){ cpu_l, 2 },
      &(struct labels){ NULL, 0 }, NOW - 30000, 0, 0.93 },
};
static struct labels none = { NULL, 0 };
static struct label sev[] = { { "severity", "page" } };
static struct rule_row rules[] = {
    { "ContainerDown", "up == 0", true, 60000, 300000,
      &(struct labels){ sev, 1 },
      &none,
      ALERT_ROW_FIRING, RULE_HEALTH_OK, NULL, NOW - 4000, 0.0012,
      down_alerts, 1 },
    { "HighCPU", "rate(cpu[5m]) > 0.8", true, 300000, 0, &none, &none,
      ALERT_ROW_PENDING, RULE_HEALTH_OK, NULL, NOW - 4000, 0.0004,
      cpu_alerts, 1 },
    { "Quiet", "absent(up)", true, 0, 0, &none, &none, ALERT_ROW_INACTIVE,
      RULE_HEALTH_OK, NULL, NOW - 4000, 0.0001, NULL, 0 },
    { "job:up:sum", "sum by (job) (up)", false, 0, 0, &none, &none,
      ALERT_ROW_INACTIVE, RULE_HEALTH_ERR, "many-to-many matching",
      NOW - 4000, 0.0002, NULL, 0 },
};
static struct rule_group_row groups[] = {
    { "containers", "rules/c.yml", 15000, NOW - 4000, 0.0019, rules, 4 },
};
static struct rule_view rv = { groups, 1, 4, 1, 1, NULL, 0, false, NULL };

static char *
draw_alerts(struct rules_state *rs, int w, int h)
{
    struct canvas *c = canvas_new(w, h, true);
    char *s;

    view_draw_alerts(c, (struct rect){ 0, 0, w, h }, &rv, rs, NOW);
    s = ts_canvas_text(c);
    /* ContainerDown's name in crit, HighCPU's in warn, Quiet's good. */
    if (rs->alerts_scroll == 0 && rs->hide == 0) {
        assert_int_equal(canvas_cell(c, 4, 3)->role, ROLE_CRIT);
        assert_int_equal(canvas_cell(c, 4, 9)->role, ROLE_WARN);
        assert_int_equal(canvas_cell(c, 4, 12)->role, ROLE_GOOD);
    }
    canvas_free(c);
    return s;
}

static void
test_alerts_view(void **state)
{
    struct rules_state rs = { 0 };
    char *s = draw_alerts(&rs, 80, 16);
    static const char *const want[] = {
        " [x] firing 1   [x] pending 1   [x] inactive   F P I: show or hide",
        "",
        "containers  rules/c.yml",
        "  * ContainerDown  firing (1 active)",
        "    STATE    ACTIVE SINCE  VALUE       LABELS",
        "    firing   2m ago        0           instance=\"web-1:80\", "
        "job=\"web\",",
        "                                       severity=\"critical\"",
        "             condition cleared 1m ago, kept firing by "
        "keep_firing_for",
        "             summary: Container web-1:80 is down",
        "  * HighCPU  pending (1 active)",
        "    STATE    ACTIVE SINCE  VALUE       LABELS",
        "    pending  30.0s ago     0.93        instance=\"db:9100\"",
        "  * Quiet  inactive",
        "",
    };
    char l[128];

    (void)state;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        ts_line(s, (int)i, l, sizeof l);
        assert_string_equal(l, want[i]);
    }
    free(s);
}

/* P hides pending rules; only the firing one and the inactive one stay.
 * With everything hidden a note says so. */
static void
test_alerts_filter(void **state)
{
    struct rules_state rs = { .hide = HIDE_PENDING | HIDE_INACTIVE };
    char *s = draw_alerts(&rs, 80, 12), l[128];

    (void)state;
    assert_null(strstr(s, "HighCPU"));
    assert_null(strstr(s, "Quiet"));
    assert_non_null(strstr(s, "ContainerDown"));
    ts_line(s, 0, l, sizeof l);
    assert_string_equal(l, " [x] firing 1   [ ] pending 1   [ ] inactive"
                           "   F P I: show or hide");
    free(s);
    rs.hide |= HIDE_FIRING;
    s = draw_alerts(&rs, 80, 4);
    ts_line(s, 2, l, sizeof l);
    assert_string_equal(l, "no alerting rules in the states shown");
    free(s);
}

/* Scrolling moves the content under the fixed filter line, and stops
 * at the last page. */
static void
test_alerts_scroll(void **state)
{
    struct rules_state rs = { .alerts_scroll = 2 };
    char *s = draw_alerts(&rs, 80, 5), l[128];

    (void)state;
    ts_line(s, 2, l, sizeof l);
    assert_string_equal(l, "    STATE    ACTIVE SINCE  VALUE       LABELS");
    free(s);
    rs.alerts_scroll = 100;
    s = draw_alerts(&rs, 80, 5);
    /* 11 lines of content, 3 in sight: the last three. */
    assert_int_equal(rs.alerts_scroll, 8);
    ts_line(s, 4, l, sizeof l);
    assert_string_equal(l, "  * Quiet  inactive");
    free(s);
}

static void
test_rules_view(void **state)
{
    struct canvas *c = canvas_new(80, 15, false);
    struct rules_state rs = { 0 };
    char *s, l[128];
    static const char *const want[] = {
        "  RULE                                          HEALTH   LAST EVAL"
        "   DURATION",
        "containers  rules/c.yml  every 15 s  last evaluation 4.0s ago, "
        "took 1.90 ms",
        "  alert: ContainerDown                          ok       4.0s ago"
        "    1.20 ms",
        "    up == 0  for 1m  keep firing 5m",
        "    labels: {severity=\"page\"}",
        "  alert: HighCPU                                ok       4.0s ago"
        "    400 µs",
        "    rate(cpu[5m]) > 0.8  for 5m",
        "  alert: Quiet                                  ok       4.0s ago"
        "    100 µs",
        "    absent(up)",
        "  record: job:up:sum                            err      4.0s ago"
        "    200 µs",
        "    sum by (job) (up)",
        "    error: many-to-many matching",
        "",
    };

    (void)state;
    view_draw_rules(c, (struct rect){ 0, 0, 80, 15 }, &rv, &rs, NOW);
    s = ts_canvas_text(c);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        ts_line(s, (int)i, l, sizeof l);
        assert_string_equal(l, want[i]);
    }
    /* Health in colour: ok good, err crit; the error in crit. */
    assert_int_equal(canvas_cell(c, 48, 2)->role, ROLE_GOOD);
    assert_int_equal(canvas_cell(c, 48, 9)->role, ROLE_CRIT);
    assert_int_equal(canvas_cell(c, 4, 11)->role, ROLE_CRIT);
    free(s);
    canvas_free(c);
}

/* No rules: both views say how to load some, the title has no counts. */
static void
test_no_rules(void **state)
{
    struct canvas *c = canvas_new(60, 6, true);
    struct rules_state rs = { 0 };
    struct rule_view empty = { 0 };
    char *s, l[128];

    (void)state;
    view_draw_rules(c, (struct rect){ 0, 0, 60, 6 }, &empty, &rs, NOW);
    s = ts_canvas_text(c);
    ts_line(s, 1, l, sizeof l);
    assert_string_equal(l, "no rules loaded (--rules FILE, or rule_files in "
                           "the --config");
    free(s);
    assert_int_equal(view_rules_counts_width(&empty), 0);
    assert_int_equal(view_rules_counts_width(NULL), 0);
    canvas_free(c);
}

/*
 * A server's rules: its note (no rules API, or its error) in crit in
 * both views instead of the local hint; with groups, the note above
 * them; an empty answer says the server has none; counts from its
 * alerts even without groups.
 */
static void
test_remote_note(void **state)
{
    struct canvas *c = canvas_new(60, 8, true);
    struct rules_state rs = { 0 };
    struct rule_view nothing = { .remote = true, .note = "this server has "
                                 "no /api/v1/rules (HTTP 404)" };
    struct rule_view no_groups = { .remote = true };
    struct rule_view both = rv;
    char *s, l[128];

    (void)state;
    view_draw_alerts(c, (struct rect){ 0, 0, 60, 8 }, &nothing, &rs, NOW);
    s = ts_canvas_text(c);
    ts_line(s, 2, l, sizeof l);
    assert_string_equal(l, "this server has no /api/v1/rules (HTTP 404)");
    assert_int_equal(canvas_cell(c, 0, 2)->role, ROLE_CRIT);
    assert_null(strstr(s, "no rules loaded"));
    free(s);
    canvas_clear(c);
    view_draw_rules(c, (struct rect){ 0, 0, 60, 8 }, &nothing, &rs, NOW);
    s = ts_canvas_text(c);
    ts_line(s, 1, l, sizeof l);
    assert_string_equal(l, "this server has no /api/v1/rules (HTTP 404)");
    free(s);
    canvas_clear(c);
    view_draw_rules(c, (struct rect){ 0, 0, 60, 8 }, &no_groups, &rs, NOW);
    s = ts_canvas_text(c);
    ts_line(s, 1, l, sizeof l);
    assert_string_equal(l, "the server has no rule groups");
    free(s);
    canvas_clear(c);
    both.remote = true;
    both.note = "HTTP 503: unavailable";
    view_draw_rules(c, (struct rect){ 0, 0, 60, 8 }, &both, &rs, NOW);
    s = ts_canvas_text(c);
    ts_line(s, 1, l, sizeof l);
    assert_string_equal(l, "HTTP 503: unavailable");
    ts_line(s, 3, l, sizeof l);
    assert_non_null(strstr(l, rv.groups[0].name));
    free(s);
    nothing.firing = 2;
    assert_true(view_rules_counts_width(&nothing) > 0);
    assert_int_equal(view_rules_counts_width(&no_groups), 0);
    canvas_free(c);
}

/* The title bar shows the counts; firing in crit, pending in warn. */
static void
test_title_counts(void **state)
{
    static struct page pages[1] = { { .title = "Overview" } };
    struct dashboard d = { .title = "D", .pages = pages, .npages = 1,
                           .range_ms = 3600000 };
    struct canvas *c = canvas_new(100, 10, true);
    struct view_state vs = { .rules = &rv, .view = 2 };
    char *s, l[128], *at;

    (void)state;
    view_draw(c, &vs, &d, NULL, NULL, NOW);
    s = ts_canvas_text(c);
    ts_line(s, 0, l, sizeof l);
    /* The counts end two cells before the range, tabs stop short of
     * them. */
    assert_string_equal(l, " D   1 Overview   2 targets   3 alerts   "
                           "4 rules                       1 firing  "
                           "1 pending  last 1h");
    at = strstr(l, "1 firing");
    assert_int_equal(canvas_cell(c, (int)(at - l), 0)->role, ROLE_CRIT);
    assert_int_equal(canvas_cell(c, (int)(at - l) + 10, 0)->role,
                     ROLE_WARN);
    /* View 2 is the alerts view. */
    ts_line(s, 1, l, sizeof l);
    assert_non_null(strstr(l, "[x] firing 1"));
    free(s);
    canvas_free(c);
}

/* When the counts would hide tabs, the status bar shows them instead. */
static void
test_counts_in_status_bar(void **state)
{
    static struct page pages[2] = { { .title = "Overview" },
                                    { .title = "Containers" } };
    struct dashboard d = { .title = "Golden signals", .pages = pages,
                           .npages = 2, .range_ms = 900000 };
    struct canvas *c = canvas_new(80, 10, true);
    struct view_state vs = { .rules = &rv, .view = 2 };
    char *s, l[128];

    (void)state;
    view_draw(c, &vs, &d, NULL, NULL, NOW);
    s = ts_canvas_text(c);
    ts_line(s, 0, l, sizeof l);
    assert_string_equal(l, " Golden signals   1 Overview   2 Containers   "
                           "3 targets   4 alerts     last 15m");
    ts_line(s, 9, l, sizeof l);
    assert_string_equal(l, " 1 firing  1 pending                "
                           "q quit  tab view  / filter  p pause  ? help");
    assert_int_equal(canvas_cell(c, 1, 9)->role, ROLE_CRIT);
    free(s);
    canvas_free(c);
}

/* A narrow terminal: the labels go under the alert's line, and the
 * counts keep their place in the status bar over the keys. */
static void
test_narrow(void **state)
{
    static struct page pages[1] = { { .title = "Overview" } };
    struct dashboard d = { .title = "Golden signals", .pages = pages,
                           .npages = 1, .range_ms = 900000 };
    struct canvas *c = canvas_new(50, 12, true);
    struct view_state vs = { .rules = &rv, .view = 2 };
    char *s, l[128];

    (void)state;
    view_draw(c, &vs, &d, NULL, "8/8 up", NOW);
    s = ts_canvas_text(c);
    ts_line(s, 6, l, sizeof l);
    assert_string_equal(l, "    firing   2m ago        0");
    ts_line(s, 7, l, sizeof l);
    assert_string_equal(l, "             instance=\"web-1:80\", job=\"web\",");
    /* The status fits the title bar; the keys give way to the counts. */
    ts_line(s, 0, l, sizeof l);
    assert_non_null(strstr(l, "8/8 up  last 15m"));
    ts_line(s, 11, l, sizeof l);
    assert_string_equal(l, " 1 firing  1 pending");
    free(s);
    canvas_free(c);
}

/* A panel marked firing for the last third of the range: the band
 * covers the last third of its bottom edge, with "firing" at its end. */
static void
test_alert_band(void **state)
{
    static struct panel p = { .title = "Up", .kind = PANEL_TEXT,
                              .text = "x", .width = 1 };
    static struct row row = { .height = 1, .panels = &p, .npanels = 1 };
    static struct page pg = { .title = "P", .rows = &row, .nrows = 1 };
    struct dashboard d = { .title = "D", .pages = &pg, .npages = 1,
                           .range_ms = 3000000, .step_ms = 10000,
                           .now_ms = NOW };
    int64_t spans[2] = { NOW - 1000000, NOW };
    struct panel_alert_marks m = { &p, spans, 1 };
    struct rule_view marked = { groups, 1, 4, 1, 0, &m, 1, false, NULL };
    struct canvas *c = canvas_new(62, 12, true);
    struct view_state vs = { .rules = &marked, .view = 0 };
    char *s, l[128];
    int hashes = 0;

    (void)state;
    view_draw(c, &vs, &d, NULL, NULL, NOW);
    s = ts_canvas_text(c);
    ts_line(s, 10, l, sizeof l);
    /* 60 inner columns of 50 s over 50 minutes: the last 20 (1000 s,
     * x 41-60) marked, "firing" written over part of them; the rest is
     * the focused frame's heavy edge. */
    assert_string_equal(l, "#========================================"
                           "########### firing ##");
    for (int x = 1; x < 61; x++)
        hashes += l[x] == '#';
    assert_int_equal(hashes, 12);
    assert_int_equal(canvas_cell(c, 41, 10)->role, ROLE_CRIT);
    assert_int_equal(canvas_cell(c, 40, 10)->role, ROLE_HI);
    free(s);
    canvas_free(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alerts_view),
        cmocka_unit_test(test_alerts_filter),
        cmocka_unit_test(test_alerts_scroll),
        cmocka_unit_test(test_rules_view),
        cmocka_unit_test(test_no_rules),
        cmocka_unit_test(test_remote_note),
        cmocka_unit_test(test_title_counts),
        cmocka_unit_test(test_counts_in_status_bar),
        cmocka_unit_test(test_narrow),
        cmocka_unit_test(test_alert_band),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
