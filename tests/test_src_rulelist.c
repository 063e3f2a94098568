/*
 * The rows the alerts and rules views read, filled from a running rule
 * set (states, counts, health, resolved alerts left out), and the alert
 * bands: when a firing ALERTS series carried every label of a panel's
 * series, worked out by hand on a timeline where up{job="a"} is 0 for
 * ten scrapes and then 1 again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "query/query.h"
#include "src/base/yaml.h"
#include "src/rulelist.h"
#include "tests/support/fs.h"

#define SEC 1000LL
#define T0 (1700000000LL * 1000)

static const char rules[] =
    "groups:\n- name: g\n  interval: 15s\n  rules:\n"
    "  - alert: Down\n    expr: up == 0\n    labels: {severity: page}\n"
    "    annotations: {summary: down}\n"
    "  - alert: Slow\n    expr: up > 5\n"
    "  - record: bad\n    expr: up * 0\n    labels: {job: same, "
    "instance: same}\n";

struct fixture {
    char dir[256];
    struct store *st;
    struct ruleset *rs;
    struct rule_list rl;
};

static uint32_t
up(struct store *st, const char *job, const char *inst)
{
    struct label l[3] = { { LABEL_METRIC_NAME, "up" }, { "instance", inst },
                          { "job", job } };
    struct labels ls = { l, 3 };

    return store_series_id(st, &ls);
}

/* up{job="a"} is 0 at T0 .. T0+135s and 1 after; up{job="b"} is 1;
 * the group runs every 15 s from T0+15s to T0+15s*rounds. */
static int
setup(void **state)
{
    static struct fixture f;
    char path[300];
    const char *files[] = { path };
    struct ruleset_source src = { NULL, 0, files, 1, 60 * SEC };
    struct buf err;
    uint32_t a, b;

    memset(&f, 0, sizeof f);
    assert_int_equal(ts_tmpdir_new(f.dir, sizeof f.dir, "rulelist"), 0);
    snprintf(path, sizeof path, "%s/r.yml", f.dir);
    ts_write_file(path, rules);
    f.st = store_new(3600 * SEC, 0);
    f.rs = ruleset_new();
    buf_init(&err, 0);
    assert_int_equal(ruleset_load(f.rs, &src, f.st, T0, &err, NULL), 0);
    buf_fini(&err);
    a = up(f.st, "a", "x");
    b = up(f.st, "b", "y");
    for (int k = 0; k <= 20; k++) {
        assert_int_equal(store_append(f.st, a, T0 + k * 15 * SEC,
                                      k <= 9 ? 0 : 1), 0);
        assert_int_equal(store_append(f.st, b, T0 + k * 15 * SEC, 1), 0);
    }
    rule_list_init(&f.rl);
    *state = &f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    rule_list_fini(&f->rl);
    ruleset_free(f->rs);
    store_free(f->st);
    ts_tmpdir_remove(f->dir);
    return 0;
}

static void
rounds(struct fixture *f, int from, int to)
{
    for (int j = from; j <= to; j++)
        ruleset_eval_all(f->rs, f->st, T0 + j * 15 * SEC);
}

/* While up{job="a"} is 0, Down fires (no for); Slow is inactive; the
 * recording rule fails on its duplicate label sets. */
static void
test_rows(void **state)
{
    struct fixture *f = *state;
    const struct rule_group_row *g;
    const struct alert_row *al;

    rounds(f, 1, 5);
    rule_list_fill(&f->rl, f->rs);
    assert_int_equal(f->rl.view.ngroups, 1);
    assert_int_equal(f->rl.view.nrules, 3);
    assert_int_equal(f->rl.view.firing, 1);
    assert_int_equal(f->rl.view.pending, 0);
    g = &f->rl.view.groups[0];
    assert_string_equal(g->name, "g");
    assert_int_equal(g->interval_ms, 15 * SEC);
    assert_int_equal(g->last_eval_ms, T0 + 75 * SEC);
    assert_string_equal(g->rules[0].name, "Down");
    assert_true(g->rules[0].alerting);
    assert_int_equal(g->rules[0].state, ALERT_ROW_FIRING);
    assert_int_equal(g->rules[0].health, RULE_HEALTH_OK);
    assert_int_equal(g->rules[0].nalerts, 1);
    al = &g->rules[0].alerts[0];
    assert_int_equal(al->active_at_ms, T0 + 15 * SEC);
    assert_string_equal(labels_get(al->labels, "job"), "a");
    assert_string_equal(labels_get(al->labels, "severity"), "page");
    assert_string_equal(labels_get(al->annotations, "summary"), "down");
    assert_int_equal(g->rules[1].state, ALERT_ROW_INACTIVE);
    assert_int_equal(g->rules[1].nalerts, 0);
    assert_false(g->rules[2].alerting);
    assert_int_equal(g->rules[2].health, RULE_HEALTH_ERR);
    assert_non_null(strstr(g->rules[2].last_error, "same labelset"));
    /* Once up{job="a"} is back, Down resolves: a resolved alert is kept
     * for 15 minutes but not shown, as on Prometheus's Alerts page. */
    rounds(f, 6, 12);
    rule_list_fill(&f->rl, f->rs);
    assert_int_equal(f->rl.view.firing, 0);
    assert_int_equal(f->rl.view.groups[0].rules[0].nalerts, 0);
    assert_int_equal(f->rl.view.groups[0].rules[0].state,
                     ALERT_ROW_INACTIVE);
}

/* A panel built from one series' labels, with the result of expr over
 * the dashboard's range. */
static void
panel_of(struct panel *p, struct panel_query *q, const char *expr,
         const struct dashboard *d, const struct store *st)
{
    struct diag err;
    struct query *cq = qparse_query(expr, strlen(expr), &err);

    assert_non_null(cq);
    memset(p, 0, sizeof *p);
    memset(q, 0, sizeof *q);
    q->result = qeval_range(cq, st, d->now_ms - d->range_ms, d->now_ms,
                            d->step_ms, &err);
    assert_non_null(q->result);
    qparse_free(cq);
    p->queries = q;
    p->nqueries = 1;
}

/*
 * Down fired at the rounds T0+15s .. T0+135s and was resolved at
 * T0+150s (its ALERTS series marked stale): a panel on job="a" is marked
 * over exactly that span; one on job="b", one without labels and one on
 * job="a" with a code label the alert lacks are not.
 */
static void
test_marks(void **state)
{
    struct fixture *f = *state;
    struct panel p[4];
    struct panel_query q[4];
    struct row row = { .panels = p, .npanels = 4 };
    struct page pg = { .rows = &row, .nrows = 1 };
    struct dashboard d = { .pages = &pg, .npages = 1, .range_ms = 600 * SEC,
                           .step_ms = 15 * SEC, .now_ms = T0 + 300 * SEC };
    const struct panel_alert_marks *m;

    rounds(f, 1, 20);
    panel_of(&p[0], &q[0], "sum by (job) (up)", &d, f->st);
    panel_of(&p[1], &q[1], "up{job=\"b\"}", &d, f->st);
    panel_of(&p[2], &q[2], "sum(up)", &d, f->st);
    panel_of(&p[3], &q[3], "label_replace(up{job=\"a\"}, \"code\", \"500\", "
             "\"\", \"\")", &d, f->st);
    rule_list_mark_panels(&f->rl, &d, 0, f->st, d.now_ms);
    assert_int_equal(f->rl.view.nmarks, 1);
    m = &f->rl.view.marks[0];
    assert_ptr_equal(m->panel, &p[0]);
    assert_int_equal(m->nspans, 1);
    assert_int_equal(m->spans[0], T0 + 15 * SEC);
    assert_int_equal(m->spans[1], T0 + 135 * SEC);
    /* No page, no marks. */
    rule_list_mark_panels(&f->rl, &d, -1, f->st, d.now_ms);
    assert_int_equal(f->rl.view.nmarks, 0);
    for (int i = 0; i < 4; i++)
        qresult_free(q[i].result);
}

/* The answer of the Debian Prometheus 2.42 to /api/v1/rules for a group
 * with a recording rule and two alerting rules, one of them firing. */
static const char prom_rules[] =
    "{\"status\":\"success\",\"data\":{\"groups\":[{\"name\":\"cmp\",\"file\""
    ":\"rules.yml\",\"rules\":[{\"name\":\"job:up:sum\",\"query\":\"sum by (j"
    "ob) (up)\",\"health\":\"ok\",\"evaluationTime\":0.000224278,\"lastEvalua"
    "tion\":\"2026-12-03T13:18:29.61410635Z\",\"type\":\"recording\"},{\"stat"
    "e\":\"firing\",\"name\":\"Up\",\"query\":\"up == 1\",\"duration\":2,\"ke"
    "epFiringFor\":0,\"labels\":{\"severity\":\"page\"},\"annotations\":{\"su"
    "mmary\":\"up on {{ $labels.instance }} is {{ $value }}\"},\"alerts\":[{"
    "\"labels\":{\"alertname\":\"Up\",\"instance\":\"127.0.0.1:19391\",\"job"
    "\":\"self\",\"severity\":\"page\"},\"annotations\":{\"summary\":\"up on "
    "127.0.0.1:19391 is 1\"},\"state\":\"firing\",\"activeAt\":\"2026-12-03T1"
    "3:18:26.607088833Z\",\"value\":\"1e+00\"}],\"health\":\"ok\",\"evaluatio"
    "nTime\":0.000195908,\"lastEvaluation\":\"2026-12-03T13:18:29.614333256Z"
    "\",\"type\":\"alerting\"},{\"state\":\"inactive\",\"name\":\"Never\",\"q"
    "uery\":\"up == 5\",\"duration\":0,\"keepFiringFor\":0,\"labels\":{},\"an"
    "notations\":{},\"alerts\":[],\"health\":\"ok\",\"evaluationTime\":0.0000"
    "47835,\"lastEvaluation\":\"2026-12-03T13:18:29.614536608Z\",\"type\":\"a"
    "lerting\"}],\"interval\":1,\"limit\":0,\"evaluationTime\":0.000593978,\""
    "lastEvaluation\":\"2026-12-03T13:18:29.614094904Z\"}]}}";

/*
 * A server's rules: rows as from a local rule set, with the server's
 * health, times and alerts; /api/v1/alerts's counts win; a note is
 * carried to the views.
 */
static void
test_remote(void **state)
{
    struct fixture *f = *state;
    struct api_groups g;
    struct api_alerts none = { NULL, 0, NULL };
    struct yaml_node *root;
    char *err = NULL;
    struct diag d;
    const struct rule_group_row *gr;

    root = yaml_load_buf("rules", prom_rules, strlen(prom_rules), &d);
    assert_non_null(root);
    assert_int_equal(api_decode_rules(yaml_get(root, "data"), &g, &err), 0);
    rule_list_fill_remote(&f->rl, &g, NULL, NULL);
    assert_true(f->rl.view.remote);
    assert_null(f->rl.view.note);
    assert_int_equal(f->rl.view.ngroups, 1);
    gr = &f->rl.view.groups[0];
    assert_string_equal(gr->name, "cmp");
    assert_string_equal(gr->file, "rules.yml");
    assert_int_equal(gr->interval_ms, 1000);
    assert_int_equal(gr->last_eval_ms, 1796303909614LL);
    assert_int_equal(gr->nrules, 3);
    assert_false(gr->rules[0].alerting);
    assert_string_equal(gr->rules[0].expr, "sum by (job) (up)");
    assert_int_equal(gr->rules[0].health, RULE_HEALTH_OK);
    assert_true(gr->rules[1].alerting);
    assert_int_equal(gr->rules[1].for_ms, 2000);
    assert_int_equal(gr->rules[1].keep_firing_for_ms, 0);
    assert_int_equal(gr->rules[1].alerts[0].keep_firing_since_ms, 0);
    assert_int_equal(gr->rules[1].state, ALERT_ROW_FIRING);
    assert_int_equal(gr->rules[1].nalerts, 1);
    assert_string_equal(labels_get(gr->rules[1].alerts[0].annotations,
                                   "summary"), "up on 127.0.0.1:19391 is 1");
    assert_true(gr->rules[1].alerts[0].value == 1);
    assert_int_equal(gr->rules[2].state, ALERT_ROW_INACTIVE);
    assert_int_equal(f->rl.view.firing, 1);
    assert_int_equal(f->rl.view.pending, 0);
    /* /api/v1/alerts answered with none: its count wins. */
    rule_list_fill_remote(&f->rl, &g, &none, "HTTP 503");
    assert_int_equal(f->rl.view.firing, 0);
    assert_string_equal(f->rl.view.note, "HTTP 503");
    /* No answer yet, a note: no groups. */
    rule_list_fill_remote(&f->rl, NULL, NULL, "this server has no "
                          "/api/v1/rules (HTTP 404)");
    assert_int_equal(f->rl.view.ngroups, 0);
    assert_non_null(f->rl.view.note);
    rule_list_fill(&f->rl, NULL);
    assert_false(f->rl.view.remote);
    assert_null(f->rl.view.note);
    api_groups_fini(&g);
    yaml_tree_free(root);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_marks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remote, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
