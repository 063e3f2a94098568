/*
 * Tests for src/yaml: YAML and JSON into a tree, positions of nodes and of
 * parse errors, typed getters and Prometheus durations. Expected positions
 * are counted by hand from the inputs; messages are libyaml's own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "src/base/yaml.h"
#include "tests/support/fs.h"

struct fixture {
    struct yaml_node *root;
    struct diag d;
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    *state = f;
    return f == NULL;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    yaml_tree_free(f->root);
    free(f);
    return 0;
}

static struct yaml_node *
load(struct fixture *f, const char *text)
{
    yaml_tree_free(f->root);
    diag_clear(&f->d);
    f->root = yaml_load_buf("t.yml", text, strlen(text), &f->d);
    return f->root;
}

static void
test_block_positions(void **state)
{
    struct fixture *f = *state;
    const char *text =
        "global:\n"
        "  scrape_interval: 15s\n"
        "list:\n"
        "  - one\n"
        "  - 'two'\n";
    const struct yaml_node *g, *v, *l;
    const struct yaml_pair *p;

    assert_non_null(load(f, text));
    assert_true(yaml_is_map(f->root));
    assert_int_equal(yaml_map_size(f->root), 2);
    p = yaml_map_at(f->root, 0);
    assert_string_equal(yaml_scalar(p->key), "global");
    assert_int_equal(p->key->line, 1);
    assert_int_equal(p->key->col, 1);
    g = yaml_get(f->root, "global");
    assert_int_equal(g->line, 2);
    assert_int_equal(g->col, 3);
    v = yaml_get(g, "scrape_interval");
    assert_string_equal(yaml_scalar(v), "15s");
    assert_int_equal(v->line, 2);
    assert_int_equal(v->col, 20);
    assert_string_equal(yaml_scalar(yaml_map_at(f->root, 1)->key), "list");
    l = yaml_get(f->root, "list");
    assert_int_equal(yaml_seq_size(l), 2);
    assert_int_equal(yaml_seq_at(l, 1)->line, 5);
    assert_int_equal(yaml_seq_at(l, 1)->col, 5);
    assert_false(yaml_seq_at(l, 0)->u.scalar.quoted);
    assert_true(yaml_seq_at(l, 1)->u.scalar.quoted);
    assert_int_equal(yaml_seq_at(l, 1)->u.scalar.style, YAML_STYLE_SINGLE);
    assert_null(yaml_get(f->root, "missing"));
    assert_null(yaml_seq_at(l, 2));
}

static void
test_json_numbers_and_strings(void **state)
{
    struct fixture *f = *state;
    const char *text = "{\"a\": 10, \"b\": \"10\",\n \"c\": [1.50, null, "
                       "-0e0, true]}";
    const struct yaml_node *a, *b, *c;
    int64_t i;

    assert_non_null(load(f, text));
    a = yaml_get(f->root, "a");
    b = yaml_get(f->root, "b");
    c = yaml_get(f->root, "c");
    assert_string_equal(yaml_scalar(a), "10");
    assert_false(a->u.scalar.quoted);
    assert_string_equal(yaml_scalar(b), "10");
    assert_true(b->u.scalar.quoted);
    assert_int_equal(yaml_get_int(a, &i, &f->d), 0);
    assert_int_equal(i, 10);
    assert_int_equal(yaml_get_int(b, &i, &f->d), -1);
    assert_int_equal(f->d.line, 1);
    assert_int_equal(f->d.col, 16);
    assert_string_equal(f->d.source, "t.yml");
    assert_non_null(strstr(f->d.msg, "expected an integer"));
    /* Numbers keep the text as written, not a reformatted value. */
    assert_string_equal(yaml_scalar(yaml_seq_at(c, 0)), "1.50");
    assert_string_equal(yaml_scalar(yaml_seq_at(c, 2)), "-0e0");
    assert_true(yaml_is_null(yaml_seq_at(c, 1)));
    assert_int_equal(c->line, 2);
    assert_int_equal(c->col, 7);
    assert_int_equal(yaml_seq_at(c, 3)->line, 2);
    assert_int_equal(yaml_seq_at(c, 3)->col, 26);
}

static void
test_utf8_columns_are_bytes(void **state)
{
    struct fixture *f = *state;
    const struct yaml_node *v;

    /* "é" is two bytes: the value starts at byte column 7. */
    assert_non_null(load(f, "\"é\": x\n"));
    v = yaml_get(f->root, "é");
    assert_string_equal(yaml_scalar(v), "x");
    assert_int_equal(v->col, 7);
}

/* Columns along one long line, as a minified JSON document has them,
 * with multi-byte characters between the nodes, then on the next line;
 * and the column of an error that points back along the line. */
static void
test_columns_along_one_line(void **state)
{
    struct fixture *f = *state;
    static const int cols[] = { 2, 8, 11, 15, 21 };
    const struct yaml_node *s;

    assert_non_null(load(f, "[\"é\", 1, 22, \"ü\", 333,\n  \"ß\", 4]\n"));
    for (size_t i = 0; i < 5; i++) {
        s = yaml_seq_at(f->root, i);
        assert_int_equal(s->line, 1);
        assert_int_equal(s->col, cols[i]);
    }
    assert_int_equal(yaml_seq_at(f->root, 5)->line, 2);
    assert_int_equal(yaml_seq_at(f->root, 5)->col, 3);
    assert_int_equal(yaml_seq_at(f->root, 6)->col, 9);
    assert_null(load(f, "{\"é\": [1, 22, 333}\n"));
    assert_int_equal(f->d.line, 1);
    assert_int_equal(f->d.col, 19);
}

static void
test_parse_error_position(void **state)
{
    struct fixture *f = *state;

    assert_null(load(f, "a: 1\nb: c: d\n"));
    assert_string_equal(f->d.source, "t.yml");
    assert_int_equal(f->d.line, 2);
    assert_int_equal(f->d.col, 5);
    assert_string_equal(f->d.msg,
                        "mapping values are not allowed in this context");
    assert_null(load(f, "a:\n\tb: 1\n"));
    assert_int_equal(f->d.line, 2);
    assert_int_equal(f->d.col, 1);
    assert_non_null(strstr(f->d.msg, "cannot start any token"));
    assert_null(load(f, "{\"a\": [1, 2}\n"));
    assert_int_equal(f->d.line, 1);
    assert_int_equal(f->d.col, 12);
}

static void
test_duplicate_key(void **state)
{
    struct fixture *f = *state;

    assert_null(load(f, "job: a\nport: 1\njob: b\n"));
    assert_int_equal(f->d.line, 3);
    assert_int_equal(f->d.col, 1);
    assert_string_equal(f->d.msg, "duplicate key 'job'");
    assert_string_equal(f->d.hint, "first set at line 1, column 1");
}

static void
test_documents(void **state)
{
    struct fixture *f = *state;

    assert_non_null(load(f, ""));
    assert_true(yaml_is_null(f->root));
    assert_non_null(load(f, "# only a comment\n"));
    assert_true(yaml_is_null(f->root));
    assert_non_null(load(f, "---\na: 1\n...\n"));
    assert_true(yaml_is_map(f->root));
    assert_null(load(f, "a: 1\n---\nb: 2\n"));
    assert_int_equal(f->d.line, 2);
    assert_non_null(strstr(f->d.msg, "second"));
}

static void
test_aliases(void **state)
{
    struct fixture *f = *state;
    const struct yaml_node *b;
    int64_t i;

    assert_non_null(load(f, "a: &x {k: 1, l: [2]}\nb: *x\nc: *x\n"));
    b = yaml_get(f->root, "b");
    assert_true(yaml_is_map(b));
    assert_int_equal(yaml_get_int(yaml_get(b, "k"), &i, &f->d), 0);
    assert_int_equal(i, 1);
    assert_int_equal(yaml_seq_size(yaml_get(yaml_get(f->root, "c"), "l")), 1);
    assert_null(load(f, "a: *nope\n"));
    assert_int_equal(f->d.line, 1);
    assert_int_equal(f->d.col, 4);
    assert_string_equal(f->d.msg, "unknown anchor 'nope'");
}

static void
test_alias_bomb_is_refused(void **state)
{
    struct fixture *f = *state;
    const char *text =
        "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        "g: &g [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]\n";

    assert_null(load(f, text));
    assert_non_null(strstr(f->d.msg, "too many nodes"));
}

static void
test_typed_getters(void **state)
{
    struct fixture *f = *state;
    const char *text = "i: -42\nh: 0x1F\ne: 1e3\nd: 2.5\ninf: -.inf\n"
                       "nan: .NaN\nt: true\nn: no\nq: 'yes'\ns: hello\n"
                       "m: {}\nbig: 9223372036854775808\n";
    int64_t i;
    double x;
    bool b;
    const char *s;

    assert_non_null(load(f, text));
    assert_int_equal(yaml_get_int(yaml_get(f->root, "i"), &i, &f->d), 0);
    assert_int_equal(i, -42);
    assert_int_equal(yaml_get_int(yaml_get(f->root, "h"), &i, &f->d), 0);
    assert_int_equal(i, 31);
    assert_int_equal(yaml_get_int(yaml_get(f->root, "e"), &i, &f->d), 0);
    assert_int_equal(i, 1000);
    assert_int_equal(yaml_get_int(yaml_get(f->root, "d"), &i, &f->d), -1);
    assert_int_equal(yaml_get_int(yaml_get(f->root, "big"), &i, &f->d), -1);
    assert_int_equal(yaml_get_double(yaml_get(f->root, "d"), &x, &f->d), 0);
    assert_true(x == 2.5);
    assert_int_equal(yaml_get_double(yaml_get(f->root, "inf"), &x, &f->d), 0);
    assert_true(isinf(x) && x < 0);
    assert_int_equal(yaml_get_double(yaml_get(f->root, "nan"), &x, &f->d), 0);
    assert_true(isnan(x));
    assert_int_equal(yaml_get_bool(yaml_get(f->root, "t"), &b, &f->d), 0);
    assert_true(b);
    assert_int_equal(yaml_get_bool(yaml_get(f->root, "n"), &b, &f->d), 0);
    assert_false(b);
    assert_int_equal(yaml_get_bool(yaml_get(f->root, "q"), &b, &f->d), -1);
    assert_int_equal(f->d.line, 9);
    assert_int_equal(f->d.col, 4);
    assert_int_equal(yaml_get_string(yaml_get(f->root, "s"), &s, &f->d), 0);
    assert_string_equal(s, "hello");
    assert_int_equal(yaml_get_double(yaml_get(f->root, "s"), &x, &f->d), -1);
    assert_int_equal(yaml_get_string(yaml_get(f->root, "m"), &s, &f->d), -1);
    assert_int_equal(f->d.line, 11);
    assert_int_equal(f->d.col, 4);
    assert_string_equal(f->d.msg, "expected a string, found mapping");
    assert_int_equal(yaml_get_int(NULL, &i, &f->d), -1);
}

/* Loads d: "<s>" and reads it as a duration. */
static int
duration_of(struct fixture *f, const char *s, int64_t *ms)
{
    char doc[128];

    snprintf(doc, sizeof(doc), "d: \"%s\"\n", s);
    assert_non_null(load(f, doc));
    return yaml_get_duration(yaml_get(f->root, "d"), ms, &f->d);
}

static void
test_durations(void **state)
{
    static const struct {
        const char *s;
        int64_t ms;
    } good[] = {
        { "0", 0 }, { "10s", 10000 }, { "1m30s", 90000 }, { "5m", 300000 },
        { "1h", 3600000 }, { "2d", 172800000 }, { "1w", 604800000 },
        { "1y", 31536000000LL }, { "100ms", 100 }, { "0s", 0 },
        { "1h2m3s4ms", 3723004 }, { "292y", 9208512000000LL },
        { "007m", 420000 },
    };
    static const char *const bad[] = {
        "", "1", "s", "1h1h", "1m1h", "1.5h", "-1s", "1S", "1s ", " 1s",
        "1ms1s", "293y", "1x", "99999999999999999999s", "1m1",
    };
    struct fixture *f = *state;
    int64_t ms;

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        ms = -1;
        if (duration_of(f, good[i].s, &ms) != 0)
            fail_msg("'%s' was refused: %s", good[i].s, f->d.msg);
        assert_int_equal(ms, good[i].ms);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (duration_of(f, bad[i], &ms) == 0)
            fail_msg("'%s' was accepted as a duration", bad[i]);
        assert_int_equal(f->d.line, 1);
        assert_int_equal(f->d.col, 4);
    }
    duration_of(f, "", &ms);
    assert_non_null(strstr(f->d.msg, "empty duration string"));
    duration_of(f, "293y", &ms);
    assert_non_null(strstr(f->d.msg, "duration out of range"));
}

static void
test_duration_getter(void **state)
{
    struct fixture *f = *state;
    int64_t ms;

    assert_non_null(load(f, "a: 1m\nb: \"30s\"\nc: 10\n"));
    assert_int_equal(yaml_get_duration(yaml_get(f->root, "a"), &ms, &f->d),
                     0);
    assert_int_equal(ms, 60000);
    assert_int_equal(yaml_get_duration(yaml_get(f->root, "b"), &ms, &f->d),
                     0);
    assert_int_equal(ms, 30000);
    assert_int_equal(yaml_get_duration(yaml_get(f->root, "c"), &ms, &f->d),
                     -1);
    assert_int_equal(f->d.line, 3);
    assert_int_equal(f->d.col, 4);
    assert_non_null(strstr(f->d.msg, "not a valid duration string"));
}

static void
test_load_file(void **state)
{
    struct fixture *f = *state;
    char path[512];
    const struct yaml_node *sc, *job;
    int64_t ms;

    snprintf(path, sizeof(path), "%s/diamol-ch09/"
             "exercises-prometheus-prometheus.yml", ts_testdata());
    f->root = yaml_load_file(path, &f->d);
    assert_non_null(f->root);
    assert_int_equal(yaml_get_duration(yaml_get(yaml_get(f->root, "global"),
                                                 "scrape_interval"),
                                       &ms, &f->d), 0);
    assert_int_equal(ms, 10000);
    sc = yaml_get(f->root, "scrape_configs");
    assert_true(yaml_seq_size(sc) >= 4);
    job = yaml_get(yaml_seq_at(sc, 1), "job_name");
    assert_string_equal(yaml_scalar(job), "iotd-api");
    assert_true(job->u.scalar.quoted);
    assert_int_equal(job->line, 10);
    assert_int_equal(job->col, 15);
    assert_null(yaml_load_file("no/such/file.yml", &f->d));
    assert_string_equal(f->d.source, "no/such/file.yml");
    assert_non_null(strstr(f->d.msg, "cannot open"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_block_positions, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_json_numbers_and_strings, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_utf8_columns_are_bytes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_columns_along_one_line, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_parse_error_position, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_documents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_aliases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alias_bomb_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_typed_getters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_durations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duration_getter, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_load_file, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
