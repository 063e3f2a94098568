/*
 * The running rule set: rounds at aligned slots of each group's interval
 * (Prometheus's group offset), missed slots skipped, a round spread over
 * several steps at one time, and reloads that keep what Prometheus's
 * rule manager keeps (alerts of rules with the same name and labels in
 * the group with the same file and name), mark the series of gone rules
 * stale and leave everything as it was when a file is broken.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "src/ruleset.h"
#include "store/store.h"
#include "tests/support/fs.h"

#define SEC 1000
#define T0 (1700000000LL * 1000)

struct fixture {
    char dir[256];
    char path[300];
    struct store *st;
    struct ruleset *rs;
    int done;
};

static int
setup(void **state)
{
    static struct fixture f;

    memset(&f, 0, sizeof f);
    assert_int_equal(ts_tmpdir_new(f.dir, sizeof f.dir, "ruleset"), 0);
    snprintf(f.path, sizeof f.path, "%s/r.yml", f.dir);
    f.st = store_new(3600 * SEC, 0);
    f.rs = ruleset_new();
    *state = &f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    ruleset_free(f->rs);
    store_free(f->st);
    ts_tmpdir_remove(f->dir);
    return 0;
}

/* Loads f->path; asserts the result. */
static void
load(struct fixture *f, int64_t now, int want)
{
    const char *files[] = { f->path };
    struct ruleset_source src = { NULL, 0, files, 1, 60 * SEC };
    struct buf err;

    buf_init(&err, 0);
    assert_int_equal(ruleset_load(f->rs, &src, f->st, now, &err, NULL),
                     want);
    assert_true((want == 0) == (err.len == 0));
    buf_fini(&err);
}

static void
on_done(void *ctx, const struct ruleset_group *g)
{
    (void)g;
    ((struct fixture *)ctx)->done++;
}

static uint32_t
up_series(struct store *st, const char *instance)
{
    struct label l[2] = { { LABEL_METRIC_NAME, "up" },
                          { "instance", instance } };
    struct labels ls = { l, 2 };

    return store_series_id(st, &ls);
}

static const struct ruleset_group *
group(const struct fixture *f, size_t i)
{
    const struct ruleset_group *g;

    assert_true(ruleset_groups(f->rs, &g) > i);
    return &g[i];
}

/* The next slot is strictly after now, at offset + k * interval. */
static void
test_slots(void **state)
{
    (void)state;
    assert_int_equal(ruleset_slot_after(125000, 60000, 7000), 127000);
    assert_int_equal(ruleset_slot_after(127000, 60000, 7000), 187000);
    assert_int_equal(ruleset_slot_after(0, 60000, 0), 60000);
    assert_int_equal(ruleset_slot_after(5, 10, 9), 9);
}

/* A group waits for its slot, runs all its rules at the slot's time,
 * then every interval; slots missed are skipped. */
static void
test_schedule(void **state)
{
    struct fixture *f = *state;
    const struct ruleset_group *g;
    int64_t slot;

    ts_write_file(f->path, "groups:\n- name: g\n  interval: 10s\n"
                  "  rules:\n  - record: a\n    expr: vector(1)\n"
                  "  - record: b\n    expr: vector(2)\n");
    load(f, T0, 0);
    g = group(f, 0);
    slot = g->next_ms;
    assert_true(slot > T0 && slot <= T0 + 10 * SEC);
    assert_int_equal((slot - g->offset_ms) % (10 * SEC), 0);
    assert_int_equal(ruleset_next_due(f->rs), slot);
    assert_int_equal(ruleset_run(f->rs, f->st, slot - 1, 1, on_done, f), 0);
    assert_int_equal(ruleset_run(f->rs, f->st, slot + 300, 1, on_done, f),
                     2);
    assert_int_equal(f->done, 1);
    assert_int_equal(g->last_ms, slot);
    assert_int_equal(g->rule_last_ms[1], slot);
    assert_int_equal(g->next_ms, slot + 10 * SEC);
    /* The loop was busy for 35 s: the round is the latest slot. */
    assert_int_equal(ruleset_run(f->rs, f->st, slot + 35 * SEC, 1, on_done,
                                 f), 2);
    assert_int_equal(g->last_ms, slot + 30 * SEC);
    assert_int_equal(g->next_ms, slot + 40 * SEC);
}

/* With no budget one rule runs per call, all at the round's time; the
 * round stays due until it is done. */
static void
test_sliced_round(void **state)
{
    struct fixture *f = *state;
    const struct ruleset_group *g;
    int64_t slot;

    ts_write_file(f->path, "groups:\n- name: g\n  interval: 10s\n"
                  "  rules:\n  - record: a\n    expr: vector(1)\n"
                  "  - record: b\n    expr: a + 1\n"
                  "  - record: c\n    expr: b + 1\n");
    load(f, T0, 0);
    g = group(f, 0);
    slot = g->next_ms;
    assert_int_equal(ruleset_run(f->rs, f->st, slot, 0, on_done, f), 1);
    assert_int_equal(ruleset_next_due(f->rs), slot);
    assert_int_equal(ruleset_run(f->rs, f->st, slot + 400, 0, on_done, f),
                     1);
    assert_int_equal(f->done, 0);
    assert_int_equal(ruleset_run(f->rs, f->st, slot + 900, 0, on_done, f),
                     1);
    assert_int_equal(f->done, 1);
    for (int i = 0; i < 3; i++)
        assert_int_equal(g->rule_last_ms[i], slot);
    /* c read b, which read a, all at the slot: 3. */
    {
        struct label l[1] = { { LABEL_METRIC_NAME, "c" } };
        struct labels ls = { l, 1 };
        struct sample s;

        assert_true(store_last(f->st, store_series_id(f->st, &ls), slot,
                               &s));
        assert_int_equal(s.t, slot);
        assert_true(s.v == 3);
    }
}

static const char alert_rules[] =
    "groups:\n- name: g\n  interval: 10s\n  rules:\n"
    "  - alert: Down\n    expr: up == 0\n    for: 20s\n"
    "    labels: {severity: page}\n"
    "  - record: r\n    expr: vector(1)\n";

/* The alert of a rule that stays keeps its state and active time over
 * a reload; a rule whose labels changed starts afresh. */
static void
test_reload_keeps_state(void **state)
{
    struct fixture *f = *state;
    const struct rule_alert *a;
    int64_t slot;
    uint32_t up = up_series(f->st, "x");

    ts_write_file(f->path, alert_rules);
    load(f, T0, 0);
    slot = group(f, 0)->next_ms;
    for (int k = 0; k < 4; k++) {
        assert_int_equal(store_append(f->st, up, slot + k * 10 * SEC - 500,
                                      0), 0);
        ruleset_run(f->rs, f->st, slot + k * 10 * SEC, 1, NULL, NULL);
    }
    assert_int_equal(rule_group_alerts(group(f, 0)->group, 0, &a), 1);
    assert_int_equal(a->state, ALERT_FIRING);
    assert_int_equal(a->active_at, slot);
    /* A new rule before it and a comment: the Down rule is unchanged. */
    ts_write_file(f->path, "# edited\ngroups:\n- name: g\n  interval: 10s\n"
                  "  rules:\n  - record: new\n    expr: vector(3)\n"
                  "  - alert: Down\n    expr: up == 0\n    for: 20s\n"
                  "    labels: {severity: page}\n");
    load(f, slot + 35 * SEC, 0);
    assert_int_equal(group(f, 0)->next_ms, slot + 40 * SEC);
    assert_int_equal(rule_group_alerts(group(f, 0)->group, 1, &a), 1);
    assert_int_equal(a->state, ALERT_FIRING);
    assert_int_equal(a->active_at, slot);
    assert_int_equal(group(f, 0)->rule_last_ms[1], slot + 30 * SEC);
    /* Other labels: another rule, as Prometheus matches them. */
    ts_write_file(f->path, "groups:\n- name: g\n  interval: 10s\n"
                  "  rules:\n  - alert: Down\n    expr: up == 0\n"
                  "    for: 20s\n    labels: {severity: ticket}\n");
    load(f, slot + 36 * SEC, 0);
    assert_int_equal(rule_group_alerts(group(f, 0)->group, 0, &a), 0);
    assert_int_equal(group(f, 0)->rule_last_ms[0], 0);
}

/* A broken file changes nothing; a group that is renamed is another
 * group, and the series of the old one go stale. */
static void
test_reload_broken_and_gone(void **state)
{
    struct fixture *f = *state;
    const struct rule_alert *a;
    struct label l[1] = { { LABEL_METRIC_NAME, "r" } };
    struct labels ls = { l, 1 };
    struct sample s;
    int64_t slot;
    uint32_t up = up_series(f->st, "x");

    ts_write_file(f->path, alert_rules);
    load(f, T0, 0);
    slot = group(f, 0)->next_ms;
    assert_int_equal(store_append(f->st, up, slot - 500, 0), 0);
    ruleset_run(f->rs, f->st, slot, 1, NULL, NULL);
    ts_write_file(f->path, "groups:\n- name: g\n  rules:\n"
                  "  - alert: Down\n    expr: up ==\n");
    load(f, slot + SEC, -1);
    assert_int_equal(rule_group_alerts(group(f, 0)->group, 0, &a), 1);
    assert_int_equal(a->state, ALERT_PENDING);
    assert_int_equal(ruleset_nrules(f->rs), 2);
    ts_write_file(f->path, "groups:\n- name: h\n  rules:\n"
                  "  - record: other\n    expr: vector(1)\n");
    load(f, slot + 2 * SEC, 0);
    assert_int_equal(ruleset_nrules(f->rs), 1);
    assert_true(store_last(f->st, store_series_id(f->st, &ls),
                           slot + 2 * SEC, &s));
    assert_int_equal(s.t, slot + 2 * SEC);
    assert_true(store_is_stale(s.v));
}

/* Globs are expanded in order; one that matches nothing is a note. */
static void
test_globs(void **state)
{
    struct fixture *f = *state;
    char g1[320], g2[320], p2[320];
    const char *globs[] = { g1, g2 };
    struct ruleset_source src = { globs, 2, NULL, 0, 60 * SEC };
    struct buf err, notes;

    snprintf(g1, sizeof g1, "%s/*.yml", f->dir);
    snprintf(g2, sizeof g2, "%s/none/*.yml", f->dir);
    snprintf(p2, sizeof p2, "%s/a.yml", f->dir);
    ts_write_file(f->path, "groups:\n- name: b\n  rules: []\n");
    ts_write_file(p2, "groups:\n- name: a\n  rules: []\n");
    buf_init(&err, 0);
    buf_init(&notes, 0);
    assert_int_equal(ruleset_load(f->rs, &src, f->st, T0, &err, &notes), 0);
    assert_string_equal(group(f, 0)->def->name, "a");
    assert_string_equal(group(f, 1)->def->name, "b");
    assert_non_null(strstr(buf_str(&notes), "none/*.yml matches no file"));
    /* Every slot of a 1m default interval. */
    assert_int_equal(group(f, 0)->def->interval_ms, 60 * SEC);
    buf_fini(&err);
    buf_fini(&notes);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slots),
        cmocka_unit_test_setup_teardown(test_schedule, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sliced_round, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reload_keeps_state, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_reload_broken_and_gone, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_globs, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
