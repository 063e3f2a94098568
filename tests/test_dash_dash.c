/*
 * Tests for src/dash: template variables in a running dashboard (titles
 * and queries expanded before compiling, recompiled when a variable
 * changes, label_values variables read from a real store), errors placed
 * in the query as written, and the built-in dashboard compiling cleanly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "src/base/duration.h"
#include "src/dash/dash.h"
#include "src/dash/dashfile.h"
#include "src/dash/vocab.h"
#include "store/store.h"

struct fixture {
    struct store *st;
    struct dash *d;
    int64_t now;
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    *state = f;
    if (f == NULL)
        return -1;
    f->st = store_new(3600 * 1000, 0);
    f->now = time_now_ms();
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    dash_free(f->d);
    store_free(f->st);
    free(f);
    return 0;
}

/* Adds up{instance, job} = 1 a minute ago and now. */
static void
add_up(struct fixture *f, const char *instance, const char *job)
{
    struct label l[3] = {
        { "__name__", "up" }, { "instance", instance }, { "job", job },
    };
    struct labels ls = { l, 3 };
    uint32_t id = store_series_id(f->st, &ls);

    assert_int_equal(store_append(f->st, id, f->now - 60000, 1), 0);
    assert_int_equal(store_append(f->st, id, f->now - 1000, 1), 0);
}

static struct dash *
adopt(const char *yaml)
{
    struct dashboard m;
    struct diag errs[8];
    size_t n;

    if (dashfile_load_buf("t.yaml", yaml, strlen(yaml), &m, errs, 8, &n))
        fail_msg("%d:%d: %s", errs[0].line, errs[0].col, errs[0].msg);
    return dash_adopt(&m);
}

static const char vars_doc[] =
    "range: 10m\n"
    "variables:\n"
    "  - {name: job, query: 'label_values(job)', default: node}\n"
    "  - name: instance\n"
    "    query: label_values(up{job=\"$job\"}, instance)\n"
    "    all: true\n"
    "  - {name: w, values: [1m, 5m], default: 5m}\n"
    "rows:\n"
    "  - panels:\n"
    "      - title: Up on $job\n"
    "        expr: 'up{job=\"$job\",instance=~\"$instance\"}'\n"
    "      - title: '[[w]] rate'\n"
    "        expr: rate(x[$w])\n";

static void
test_expand_and_switch(void **state)
{
    struct fixture *f = *state;
    struct dashboard *m;
    struct panel *p;

    f->d = adopt(vars_doc);
    m = dash_model(f->d);
    p = m->pages[0].rows[0].panels;
    /* Before the store is read: job is its default, instance All of
     * nothing. */
    assert_string_equal(p[0].title, "Up on node");
    assert_string_equal(p[0].queries[0].expr,
                        "up{job=\"node\",instance=~\".*\"}");
    assert_null(p[0].queries[0].error);
    assert_string_equal(p[1].title, "5m rate");
    assert_string_equal(p[1].queries[0].expr, "rate(x[5m])");

    assert_int_equal(dash_set_variable(f->d, 2, 0), 0);
    assert_string_equal(p[1].title, "1m rate");
    assert_string_equal(p[1].queries[0].expr, "rate(x[1m])");
    assert_true(p[1].dirty);
    /* Out of range: no such variable, no such value, All not offered. */
    assert_int_equal(dash_set_variable(f->d, 3, 0), -1);
    assert_int_equal(dash_set_variable(f->d, 2, 3), -1);
    assert_int_equal(dash_set_variable(f->d, 2, 2), -1);
    assert_string_equal(p[1].queries[0].expr, "rate(x[1m])");
}

static void
test_refresh_from_store(void **state)
{
    struct fixture *f = *state;
    struct dashboard *m;
    struct panel *p;
    struct variable *v;

    add_up(f, "h1:9100", "node");
    add_up(f, "h2:9100", "node");
    add_up(f, "c1:8080", "cadvisor");
    f->d = adopt(vars_doc);
    m = dash_model(f->d);
    p = m->pages[0].rows[0].panels;
    v = m->variables;

    assert_int_equal(dash_refresh_variables(f->d, f->st), 2);
    assert_int_equal(v[0].nvalues, 2);
    assert_string_equal(v[0].values[0], "cadvisor");
    assert_string_equal(v[0].values[1], "node");
    assert_int_equal(v[0].current, 1);                  /* still node */
    assert_int_equal(v[1].nvalues, 2);
    assert_string_equal(v[1].values[0], "h1:9100");
    assert_string_equal(v[1].values[1], "h2:9100");
    assert_int_equal(v[1].current, 2);                  /* All */
    assert_string_equal(p[0].queries[0].expr,
                        "up{job=\"node\",instance=~\"(h1:9100|h2:9100)\"}");
    /* Nothing changed: nothing to recompile. */
    assert_int_equal(dash_refresh_variables(f->d, f->st), 0);

    /* Another job: instance follows on the next refresh. */
    assert_int_equal(dash_set_variable(f->d, 0, 0), 0);
    assert_string_equal(p[0].title, "Up on cadvisor");
    assert_int_equal(dash_refresh_variables(f->d, f->st), 1);
    assert_int_equal(v[1].nvalues, 1);
    assert_string_equal(v[1].values[0], "c1:8080");
    assert_string_equal(p[0].queries[0].expr,
                        "up{job=\"cadvisor\",instance=~\"(c1:8080)\"}");

    /* The expanded query runs against the store. */
    assert_int_equal(dash_evaluate(f->d, f->st, f->now, -1), 0);
    assert_non_null(p[0].queries[0].result);
    assert_int_equal(p[0].queries[0].result->nseries, 1);
}

static void
test_error_in_query_as_written(void **state)
{
    struct fixture *f = *state;
    struct dashboard m;
    struct diag errs[4];
    size_t n;
    const struct panel_query *q;
    static const char doc[] =
        "variables: [{name: w, values: [15m]}]\n"
        "rows: [{panels: [{expr: 'rate(x[5m])'}]}]\n";

    assert_int_equal(dashfile_load_buf("t.yaml", doc, strlen(doc), &m, errs,
                                       4, &n), 0);
    /* A query that only breaks once expanded, as a file could not say. */
    free(m.pages[0].rows[0].panels[0].queries[0].expr);
    m.pages[0].rows[0].panels[0].queries[0].expr = strdup("rate(x[$w]");
    f->d = dash_adopt(&m);
    q = &dash_model(f->d)->pages[0].rows[0].panels[0].queries[0];
    assert_string_equal(q->expr, "rate(x[15m]");
    assert_non_null(q->error);
    /* Column 12 of the expansion is column 11 of the text as written. */
    assert_string_equal(q->error, "1:11: expected ',' or ')' in function "
                        "call, found end of input");
    assert_int_equal(dash_evaluate(f->d, f->st, f->now, -1), 1);
}

static void
test_builtin_compiles(void **state)
{
    struct fixture *f = *state;
    struct dashboard *m;
    size_t queries = 0;

    f->d = dash_new_builtin(3600 * 1000);
    m = dash_model(f->d);
    assert_string_equal(m->title, "Golden signals");
    assert_int_equal(m->step_ms, 18000);
    for (size_t pg = 0; pg < m->npages; pg++)
        for (size_t r = 0; r < m->pages[pg].nrows; r++)
            for (size_t i = 0; i < m->pages[pg].rows[r].npanels; i++) {
                struct panel *p = &m->pages[pg].rows[r].panels[i];

                assert_non_null(p->title);
                for (size_t q = 0; q < p->nqueries; q++, queries++)
                    assert_null(p->queries[q].error);
            }
    assert_int_equal(queries, 20);
    assert_int_equal(dash_evaluate(f->d, f->st, f->now, -1), 0);
    assert_string_equal(vocab_kind_name(PANEL_TABLE), "table");
    dash_set_range(f->d, 6 * 3600 * 1000);
    assert_int_equal(m->step_ms, 108000);
    assert_string_equal(m->pages[0].rows[0].panels[0].title, "Traffic");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_expand_and_switch, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_refresh_from_store, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_error_in_query_as_written,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_builtin_compiles, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
