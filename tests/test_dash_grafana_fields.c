/*
 * Grafana's field settings and per-series overrides as the importer reads
 * them: the chapter-9 dashboards of "Learn Docker in a Month of Lunches"
 * (Grafana 6.4: units short and none, empty series overrides), and two
 * small dashboards in tests/data/grafana written the way Grafana 10 and
 * Grafana 6 save a network panel (field overrides by regex, refId, name,
 * names and type; series overrides, alias colours and a second y axis).
 * Then one of them drawn, to see the overrides on screen.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/base/regex.h"
#include "src/dash/dashmodel.h"
#include "src/dash/grafana.h"
#include "src/dash/vocab.h"
#include "tests/support/fs.h"
#include "tests/support/ui.h"
#include "ui/graph.h"
#include "ui/theme.h"

struct fixture {
    struct dashboard m;
    struct grafana_notes notes;
    struct diag d;
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    *state = f;
    setenv("TZ", "UTC", 1);
    return f == NULL || ts_arena_setup(NULL) != 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    dashmodel_fini(&f->m);
    grafana_notes_fini(&f->notes);
    free(f);
    return ts_arena_teardown(NULL);
}

static int
load(struct fixture *f, const char *name)
{
    char path[512];
    int rc;

    snprintf(path, sizeof(path), "%s/%s", ts_testdata(), name);
    rc = grafana_load(path, &f->m, &f->notes, &f->d);
    for (size_t i = 0; i < f->notes.n; i++)
        print_message("note: %s\n", f->notes.v[i]);
    return rc;
}

static bool
has_note(const struct fixture *f, const char *text)
{
    for (size_t i = 0; i < f->notes.n; i++)
        if (strstr(f->notes.v[i], text) != NULL)
            return true;
    return false;
}

static const char *
unit_name(enum unit u)
{
    return model_unit_name(u);
}

/* No series overrides in either file: none read, no note about them. */
static void
test_ch09(void **state)
{
    static const char *const files[] = {
        "diamol-ch09/exercises-grafana-dashboard.json",
        "diamol-ch09/lab-grafana-dashboard.json",
    };
    struct fixture *f = *state;

    for (size_t k = 0; k < 2; k++) {
        const struct page *pg;

        assert_int_equal(load(f, files[k]), 0);
        pg = &f->m.pages[0];
        for (size_t r = 0; r < pg->nrows; r++)
            for (size_t i = 0; i < pg->rows[r].npanels; i++) {
                const struct panel *p = &pg->rows[r].panels[i];

                assert_int_equal(p->noverrides, 0);
                assert_null(p->display_name);
                assert_false(p->stack);
                if (p->kind == PANEL_GRAPH)
                    assert_int_equal(p->unit, UNIT_SHORT);
            }
        assert_false(has_note(f, "override"));
        assert_false(has_note(f, "unit"));
        dashmodel_fini(&f->m);
        grafana_notes_fini(&f->notes);
    }
}

static void
test_timeseries_traffic(void **state)
{
    struct fixture *f = *state;
    const struct panel *p;
    const struct series_override *o;

    assert_int_equal(load(f, "grafana/network-timeseries.json"), 0);
    p = &f->m.pages[0].rows[0].panels[0];
    assert_string_equal(p->title, "Traffic");
    assert_string_equal(unit_name(p->unit), "bps");
    assert_string_equal(p->display_name,
                        "${__field.labels.device} ${__field.labels.direction}");
    assert_false(p->stack);
    assert_string_equal(p->queries[1].ref_id, "B");
    /* byValue is left out: three overrides remain, in file order. */
    assert_int_equal(p->noverrides, 3);
    o = &p->overrides[0];
    assert_int_equal(o->match, MATCH_REGEX);
    assert_true(regex_match(o->re, "eth0 transmit", 13));
    assert_false(regex_match(o->re, "eth0 receive", 12));
    assert_int_equal(o->set, OVR_NEGATIVE);
    assert_true(o->negative);
    o = &p->overrides[1];
    assert_int_equal(o->match, MATCH_QUERY);
    assert_string_equal(o->pattern, "B");
    assert_int_equal(o->set, OVR_AXIS | OVR_UNIT | OVR_NAME | OVR_COLOR);
    assert_true(o->right);
    assert_string_equal(unit_name(o->unit), "pps");
    assert_string_equal(o->display_name, "drops ${__field.labels.device}");
    assert_int_equal(o->role, ROLE_CRIT);
    o = &p->overrides[2];
    assert_int_equal(o->match, MATCH_NAME);
    assert_string_equal(o->pattern, "lo receive");
    assert_int_equal(o->hide, HIDE_GRAPH);
    /* What is not applied: one note per panel, and the matcher's. */
    assert_true(has_note(f, "panel 'Traffic': overrides not applied: "
                         "custom.fillOpacity, links"));
    assert_true(has_note(f, "panel 'Traffic': overrides matching byValue "
                         "are not applied"));
    assert_false(has_note(f, "per-series overrides"));
}

static void
test_timeseries_cpu_and_stat(void **state)
{
    struct fixture *f = *state;
    const struct panel *p;
    const struct series_override *o;

    assert_int_equal(load(f, "grafana/network-timeseries.json"), 0);
    p = &f->m.pages[0].rows[0].panels[1];
    assert_true(p->stack && p->stack_percent);
    assert_int_equal(p->decimals, 1);
    assert_int_equal(p->noverrides, 3);
    o = &p->overrides[0];
    assert_int_equal(o->match, MATCH_NAMES);
    assert_true(o->exclude);
    assert_int_equal(o->nnames, 2);
    assert_string_equal(o->names[1], "system");
    assert_int_equal(o->hide, HIDE_GRAPH);
    o = &p->overrides[1];
    assert_int_equal(o->set, OVR_STACK);
    assert_int_equal(o->stack, STACK_NONE);
    o = &p->overrides[2];
    assert_int_equal(o->match, MATCH_REGEX);
    assert_true(regex_match(o->re, "irq", 3));
    assert_int_equal(o->nnames, 1);
    assert_string_equal(o->names[0], "steal");
    assert_int_equal(o->hide, HIDE_LEGEND);
    assert_true(has_note(f, "panel 'CPU by mode': overrides not applied: "
                         "color by value"));
    /* byType "number" is every series; the stat keeps its thresholds
     * mode in its defaults without a note. */
    p = &f->m.pages[0].rows[1].panels[0];
    assert_string_equal(unit_name(p->unit), "dtdurations");
    assert_int_equal(p->noverrides, 1);
    o = &p->overrides[0];
    assert_int_equal(o->match, MATCH_ALL);
    assert_int_equal(o->role, ROLE_SERIES4);
    assert_int_equal(o->decimals, 1);
    assert_false(has_note(f, "panel 'Uptime'"));
}

static void
test_old_graph(void **state)
{
    struct fixture *f = *state;
    const struct panel *p;
    const struct series_override *o;

    assert_int_equal(load(f, "grafana/network-graph.json"), 0);
    p = &f->m.pages[0].rows[0].panels[0];
    assert_string_equal(unit_name(p->unit), "bps");
    /* Alias colours first, then the series overrides. */
    assert_int_equal(p->noverrides, 5);
    o = &p->overrides[0];
    assert_int_equal(o->match, MATCH_NAME);
    assert_string_equal(o->pattern, "eth0 receive");
    assert_int_equal(o->role, ROLE_GOOD);
    assert_int_equal(p->overrides[1].role, ROLE_SERIES2);   /* dark-blue */
    o = &p->overrides[2];
    assert_int_equal(o->match, MATCH_REGEX);
    assert_true(regex_match(o->re, "eth0 transmit", 13));
    assert_false(regex_match(o->re, "eth0 transmit errors", 20));
    assert_true(o->negative);
    o = &p->overrides[3];
    assert_string_equal(o->pattern, "errors");
    assert_true(o->right);
    assert_string_equal(unit_name(o->unit), "pps");
    assert_true(o->set & OVR_MIN);
    assert_true(o->min == 0);
    assert_false(o->set & OVR_MAX);
    assert_int_equal(o->role, ROLE_CRIT);
    o = &p->overrides[4];
    assert_int_equal(o->hide, HIDE_LEGEND);
    assert_int_equal(o->stack, STACK_NORMAL);
    assert_string_equal(o->stack_group, "B");
    assert_true(has_note(f, "panel 'Traffic': overrides not applied: "
                         "linewidth, fill"));
}

/* A panel with no unit is Grafana's "none": the plain number, not
 * promdeck's compact form; an id Grafana does not know follows the
 * number, with a note. */
static void
test_no_unit_and_unknown_unit(void **state)
{
    static const char json[] =
        "{\"panels\": ["
        " {\"type\": \"timeseries\", \"title\": \"Plain\","
        "  \"targets\": [{\"expr\": \"up\"}]},"
        " {\"type\": \"stat\", \"title\": \"Odd\","
        "  \"fieldConfig\": {\"defaults\": {\"unit\": \"widgets\"}},"
        "  \"targets\": [{\"expr\": \"up\"}]}]}";
    struct fixture *f = *state;
    const struct panel *p;

    assert_int_equal(grafana_load_buf("t.json", json, strlen(json), &f->m,
                                      &f->notes, &f->d), 0);
    p = &f->m.pages[0].rows[0].panels[0];
    assert_int_equal(p->unit, UNIT_NONE);
    p = &f->m.pages[0].rows[0].panels[1];
    assert_int_equal(p->unit, UNIT_CUSTOM);
    assert_string_equal(p->unit_text, "widgets");
    assert_true(has_note(f, "panel 'Odd': unit 'widgets' is not one of "
                         "Grafana's; shown after the number"));
}

/* A series of the old graph's queries, named by its legend. */
static struct qresult *
device(const char *dev, double v)
{
    struct qresult *r = ts_qresult(QV_MATRIX, 1);
    struct qseries *s = &r->series[0];

    ts_qseries_alloc(s, 1, 2);
    s->labels.v[0].name = "device";
    s->labels.v[0].value = dev;
    s->points[0] = (struct qpoint){ 0, v };
    s->points[1] = (struct qpoint){ 3600000, v };
    return r;
}

/* The old graph drawn: transmit below zero in b/s, errors on the right
 * in p/s from 0 (its axis' min), names from the legends, colours from the
 * file: receive green, transmit dark blue, errors red. */
static void
test_old_graph_drawn(void **state)
{
    struct fixture *f = *state;
    struct panel *p;
    struct widget_ctx ctx = { 0, 3600000, 0 };
    struct canvas *c = canvas_new(48, 9, true);
    char *s;

    assert_int_equal(load(f, "grafana/network-graph.json"), 0);
    p = &f->m.pages[0].rows[0].panels[0];
    p->queries[0].result = device("eth0", 8e6);
    p->queries[1].result = device("eth0", 4e6);
    p->queries[2].result = ts_qresult(QV_SCALAR, 0);
    p->queries[2].result->scalar = 3;
    p->queries[2].result->t = 3600000;
    s = ts_draw_on(c, graph_class.draw, p, &ctx);
    assert_string_equal(s,
        " 8 Mb/s+''''''''''''''''''''''''''''''''+3 p/s\n"
        "       |                                |\n"
        " 2 Mb/s+                                +1.5 p/s\n"
        "       |                                |\n"
        "-4 Mb/s+................................+0 p/s\n"
        "        00:00         00:30        01:00\n"
        "* eth0 receive                            8 Mb/s\n"
        "* eth0 transmit                           4 Mb/s\n"
        "* errors (right)                           3 p/s\n");
    assert_int_equal(canvas_cell(c, 0, 6)->role, ROLE_GOOD);
    assert_int_equal(canvas_cell(c, 0, 7)->role, ROLE_SERIES2);
    assert_int_equal(canvas_cell(c, 0, 8)->role, ROLE_CRIT);
    assert_int_equal(canvas_cell(c, 10, 4)->role, ROLE_SERIES2);
    /* errors, a scalar, is one point: at the right end. */
    assert_int_equal(canvas_cell(c, 10, 0)->role, ROLE_GOOD);
    assert_int_equal(canvas_cell(c, 39, 0)->role, ROLE_CRIT);
    free(s);
    /* The query results are the arena's, not the model's. */
    for (size_t i = 0; i < 3; i++)
        p->queries[i].result = NULL;
    canvas_free(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ch09, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeseries_traffic, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_timeseries_cpu_and_stat, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_old_graph, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_unit_and_unknown_unit, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_old_graph_drawn, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
