/*
 * Tables: rows joined on a label across queries, blank cells where a
 * query has no series for the key, up/down health colours, values in the
 * query's unit, top N by the first value column, sparkline columns, and
 * display names, units and colours from overrides, the height measure
 * asks for against the rows draw shows, and two keys of one hash.
 */
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/labels.h"
#include "tests/support/ui.h"
#include "ui/table.h"
#include "ui/theme.h"

/* A vector of series with instance=inst[i], value v[i] (npts points
 * 0, 1, ..., v[i] spread evenly when npts > 1). */
static struct qresult *
vector(const char *const *inst, const double *v, size_t n, size_t npts)
{
    struct qresult *r = ts_qresult(QV_MATRIX, n);

    for (size_t i = 0; i < n; i++) {
        struct qseries *s = &r->series[i];

        ts_qseries_alloc(s, 2, npts);
        s->labels.v[0].name = "instance";
        s->labels.v[0].value = inst[i];
        s->labels.v[1].name = "job";
        s->labels.v[1].value = "node";
        for (size_t k = 0; k < npts; k++) {
            s->points[k].t = (int64_t)k * 1000;
            s->points[k].v = npts > 1 ? v[i] * (double)k / (double)(npts - 1)
                                      : v[i];
        }
    }
    return r;
}

static char *join[] = { "instance" };
static const char *const ab[] = { "b", "a" };
static const double up[] = { 0, 1 };
static const char *const ac[] = { "a", "c" };
static const double mem[] = { 1536, 2048 };

static struct panel
table_panel(struct panel_query *q, size_t nq)
{
    struct panel p = {
        .title = "t", .kind = PANEL_TABLE, .decimals = -1, .min = NAN,
        .max = NAN, .width = 1, .queries = q, .nqueries = nq,
        .join = join, .njoin = 1,
    };

    return p;
}

static void
test_join_and_blanks(void **state)
{
    struct panel_query q[] = {
        { .expr = "up", .style = COLUMN_HEALTH,
          .result = vector(ab, up, 2, 1) },
        { .expr = "node_memory", .column = "mem", .unit = UNIT_BYTES,
          .style = COLUMN_VALUE, .result = vector(ac, mem, 2, 1) },
    };
    struct panel p = table_panel(q, 2);
    struct canvas *c = canvas_new(30, 5, false);
    char *s;

    (void)state;
    /* Key column 8 wide ("instance"), health 4 ("down"), mem 8
     * ("1.50 KiB"), two spaces apart; rows sorted a, b, c. */
    s = ts_draw_on(c, table_class.draw, &p, NULL);
    assert_string_equal(s,
        "instance    up       mem\n"
        "a           up  1.50 KiB\n"
        "b         down\n"
        "c                  2 KiB\n"
        "\n");
    assert_int_equal(canvas_cell(c, 12, 1)->role, ROLE_GOOD);
    assert_int_equal(canvas_cell(c, 10, 2)->role, ROLE_CRIT);
    assert_int_equal(canvas_cell(c, 0, 0)->role, ROLE_TITLE);
    free(s);
    canvas_free(c);
}

static void
test_widths_from_rows_in_sight(void **state)
{
    static const char *const along[] = { "a", "c-long-instance-name" };
    struct panel_query q[] = {
        { .expr = "up", .style = COLUMN_HEALTH,
          .result = vector(ab, up, 2, 1) },
        { .expr = "node_memory", .column = "mem", .unit = UNIT_BYTES,
          .style = COLUMN_VALUE, .result = vector(along, mem, 2, 1) },
    };
    struct panel p = table_panel(q, 2);
    char *s;

    (void)state;
    /* Rows a, b, c-long-instance-name; only a fits above the "+2 more
     * rows" line, so the key column is as wide as "instance", not as
     * the hidden row's 20-character key (cut to 30 / 2 = 15 before). */
    s = ts_draw(table_class.draw, &p, NULL, 30, 3, false);
    assert_string_equal(s,
        "instance    up       mem\n"
        "a           up  1.50 KiB\n"
        "+2 more rows\n");
    free(s);
}

static void
test_topn_by_value(void **state)
{
    struct panel_query q[] = {
        { .expr = "up", .style = COLUMN_HEALTH,
          .result = vector(ab, up, 2, 1) },
        { .expr = "node_memory", .column = "mem", .unit = UNIT_BYTES,
          .style = COLUMN_VALUE, .result = vector(ac, mem, 2, 1) },
    };
    struct panel p = table_panel(q, 2);
    char *s;

    (void)state;
    /* Top 1 by mem: c (2 KiB) beats a (1.50 KiB); b has no mem. The
     * columns fit the one row shown: "up" and "2 KiB" wide. */
    p.topn = 1;
    s = ts_draw(table_class.draw, &p, NULL, 30, 3, false);
    assert_string_equal(s,
        "instance  up    mem\n"
        "c             2 KiB\n"
        "\n");
    free(s);
}

static void
test_spark_column_and_overflow(void **state)
{
    const char *const three[] = { "x", "y", "z" };
    const double top[] = { 7, 7, 7 };
    struct panel_query q[] = {
        { .expr = "rate", .column = "trend", .style = COLUMN_SPARK,
          .result = vector(three, top, 3, 8) },
    };
    struct panel p = table_panel(q, 1);
    char *s;

    (void)state;
    /* Points 0..7 give levels 1..8 ('_' '_' '.' '.' '-' '-' '\'' '#'),
     * right-aligned in the 10 columns left after "instance" and its gap
     * (20 - 10 - 2 = 8 wide: the 8 points exactly). Only one row fits
     * above the "+2 more rows" line. */
    s = ts_draw(table_class.draw, &p, NULL, 20, 3, true);
    assert_string_equal(s,
        "instance  trend\n"
        "x         __..--'#\n"
        "+2 more rows\n");
    free(s);
}

/* Where row "key" starts in s (after a newline), or NULL. */
static const char *
row_of(const char *s, const char *key)
{
    char want[16];

    snprintf(want, sizeof want, "\n%s ", key);
    return strstr(s, want);
}

static void
test_sort_by_value(void **state)
{
    static const char *const abc[] = { "a", "b", "c" };
    static const double v[] = { 20, 10, 30 };
    struct panel_query q[] = {
        { .expr = "x", .column = "v", .style = COLUMN_VALUE,
          .result = vector(abc, v, 3, 1) },
    };
    struct panel p = table_panel(q, 1);
    char *s;

    (void)state;
    /* Without a sort the rows go by key: a, b, c. Descending by the
     * value column: c (30), a (20), b (10); ascending the reverse. */
    s = ts_draw(table_class.draw, &p, NULL, 30, 5, true);
    assert_non_null(row_of(s, "a"));
    assert_non_null(row_of(s, "b"));
    assert_non_null(row_of(s, "c"));
    assert_true(row_of(s, "a") < row_of(s, "b"));
    assert_true(row_of(s, "b") < row_of(s, "c"));
    free(s);
    p.sort = SORT_DESC;
    s = ts_draw(table_class.draw, &p, NULL, 30, 5, true);
    assert_true(row_of(s, "c") < row_of(s, "a"));
    assert_true(row_of(s, "a") < row_of(s, "b"));
    free(s);
    p.sort = SORT_ASC;
    s = ts_draw(table_class.draw, &p, NULL, 30, 5, true);
    assert_true(row_of(s, "b") < row_of(s, "a"));
    assert_true(row_of(s, "a") < row_of(s, "c"));
    free(s);
}

/* Without join labels the rows are keyed by display names; an override's
 * unit and colour apply to its cells. */
static void
test_overrides(void **state)
{
    struct series_override o[] = {
        { .match = MATCH_ALL, .set = OVR_NAME,
          .display_name = "host ${__field.labels.instance}" },
        { .match = MATCH_NAME, .pattern = "c", .set = OVR_UNIT | OVR_COLOR,
          .unit = UNIT_NONE, .role = ROLE_CRIT },
    };
    struct panel_query q = { .expr = "node_memory", .column = "mem",
                             .legend = "{{instance}}", .unit = UNIT_BYTES,
                             .result = vector(ac, mem, 2, 1) };
    struct panel p = table_panel(&q, 1);
    struct canvas *c = canvas_new(24, 3, false);
    char *s;

    (void)state;
    p.njoin = 0;
    p.overrides = o;
    p.noverrides = 2;
    s = ts_draw_on(c, table_class.draw, &p, NULL);
    assert_string_equal(s,
        "series       mem\n"
        "host a  1.50 KiB\n"
        "host c      2048\n");
    assert_int_equal(canvas_cell(c, 15, 2)->role, ROLE_CRIT);
    assert_int_equal(canvas_cell(c, 15, 1)->role, ROLE_DEFAULT);
    free(s);
    canvas_free(c);
}

/* A cell whose series is NaN throughout says so. */
static void
test_all_nan_cell(void **state)
{
    static const double nan1[] = { NAN, 5 };
    struct panel_query q = { .expr = "x", .column = "x",
                             .result = vector(ac, nan1, 2, 1) };
    struct panel p = table_panel(&q, 1);
    struct canvas *c = canvas_new(20, 3, false);
    char *s;

    (void)state;
    s = ts_draw_on(c, table_class.draw, &p, NULL);
    assert_string_equal(s,
        "instance        x\n"
        "a         no data\n"
        "c               5\n");
    assert_int_equal(canvas_cell(c, 10, 1)->role, ROLE_INACTIVE);
    free(s);
    canvas_free(c);
}

/* Series come in any order and a query may have several for one key:
 * rows are sorted by key, the first series of a query for a key fills
 * its cell, and each key makes one row however many queries have it. */
static void
test_first_series_per_key(void **state)
{
    static const char *const bab[] = { "b", "a", "b" };
    static const double ups[] = { 1, 1, 0 };
    static const char *const caa[] = { "c", "a", "a" };
    static const double mems[] = { 2048, 1536, 1024 };
    struct panel_query q[] = {
        { .expr = "up", .style = COLUMN_HEALTH,
          .result = vector(bab, ups, 3, 1) },
        { .expr = "node_memory", .column = "mem", .unit = UNIT_BYTES,
          .style = COLUMN_VALUE, .result = vector(caa, mems, 3, 1) },
    };
    struct panel p = table_panel(q, 2);
    int minw, minh, want_h;
    char *s;

    (void)state;
    table_class.measure(&p, 30, &minw, &minh, &want_h);
    assert_int_equal(want_h, 1 + 3);
    s = ts_draw(table_class.draw, &p, NULL, 30, 5, false);
    assert_string_equal(s,
        "instance  up       mem\n"
        "a         up  1.50 KiB\n"
        "b         up\n"
        "c                2 KiB\n"
        "\n");
    free(s);
}

/*
 * The height measure asks for is the one that shows every row: up has
 * instances d, b, a and b again (its first b fills the cell), mem has c,
 * a and a series without an instance, which keys the row "" (first in
 * key order). That is five rows, so measure wants a header and five
 * lines; at that height no row is cut, at four lines two rows fit above
 * "+3 more rows". A top 2 by mem (c, then a) wants three lines.
 */
static void
test_measure_agrees_with_draw(void **state)
{
    static const char *const dbab[] = { "d", "b", "a", "b" };
    static const double ups[] = { 1, 1, 0, 0 };
    static const char *const cax[] = { "c", "a", "x" };
    static const double mems[] = { 2048, 1536, 1024 };
    struct panel_query q[] = {
        { .expr = "up", .style = COLUMN_HEALTH,
          .result = vector(dbab, ups, 4, 1) },
        { .expr = "node_memory", .column = "mem", .unit = UNIT_BYTES,
          .style = COLUMN_VALUE, .result = vector(cax, mems, 3, 1) },
    };
    struct panel p = table_panel(q, 2);
    struct qseries *nokey = &q[1].result->series[2];
    int minw, minh, want_h;
    char *s;

    (void)state;
    nokey->labels.v[0] = (struct label){ "job", "node" };
    nokey->labels.n = 1;
    table_class.measure(&p, 30, &minw, &minh, &want_h);
    assert_int_equal(want_h, 1 + 5);
    s = ts_draw(table_class.draw, &p, NULL, 30, want_h, false);
    assert_string_equal(s,
        "instance    up       mem\n"
        "                   1 KiB\n"
        "a         down  1.50 KiB\n"
        "b           up\n"
        "c                  2 KiB\n"
        "d           up\n");
    free(s);
    s = ts_draw(table_class.draw, &p, NULL, 30, 4, false);
    assert_string_equal(s,
        "instance    up       mem\n"
        "                   1 KiB\n"
        "a         down  1.50 KiB\n"
        "+3 more rows\n");
    free(s);

    p.topn = 2;
    table_class.measure(&p, 30, &minw, &minh, &want_h);
    assert_int_equal(want_h, 1 + 2);
    s = ts_draw(table_class.draw, &p, NULL, 30, want_h, false);
    assert_string_equal(s,
        "instance    up       mem\n"
        "c                  2 KiB\n"
        "a         down  1.50 KiB\n");
    free(s);
}

/* Makes s a one-point series labelled ls[0..n), of value v. */
static void
labelled(struct qseries *s, const struct label *ls, size_t n, double v)
{
    ts_qseries_alloc(s, n, 1);
    for (size_t i = 0; i < n; i++)
        s->labels.v[i] = ls[i];
    s->points[0] = (struct qpoint){ 0, v };
}

/*
 * Two different keys with one hash. The table groups its entries by the
 * hash of their key, which is labels_hash of the join label values under
 * empty names (keys_of in ui/table.c), and labels_hash ends every string
 * with the byte 0xff. So instance="a\xff\xffb" without a job and
 * instance="a", job="b\xff\xff" hash the same bytes: 0xff a 0xff 0xff b
 * 0xff 0xff 0xff. They must still make two rows, in key order ("a"
 * first), each with its own cells; a second up series of the first key
 * does not fill its cell. On the ASCII canvas each 0xff byte, not UTF-8,
 * shows as '?'.
 */
static void
test_keys_of_one_hash(void **state)
{
    static char *join2[] = { "instance", "job" };
    static const struct label ka[] = { { "instance", "a\xff\xff" "b" } };
    static const struct label kb[] = { { "instance", "a" },
                                       { "job", "b\xff\xff" } };
    struct label ha[] = { { "", "a\xff\xff" "b" }, { "", "" } };
    struct label hb[] = { { "", "a" }, { "", "b\xff\xff" } };
    struct panel_query q[] = {
        { .expr = "up", .style = COLUMN_HEALTH,
          .result = ts_qresult(QV_VECTOR, 3) },
        { .expr = "node_memory", .column = "mem", .unit = UNIT_BYTES,
          .style = COLUMN_VALUE, .result = ts_qresult(QV_VECTOR, 2) },
    };
    struct panel p = table_panel(q, 2);
    struct canvas *c = canvas_new(26, 3, true);
    char *s;

    (void)state;
    assert_true(labels_hash(&(struct labels){ ha, 2 })
                == labels_hash(&(struct labels){ hb, 2 }));
    p.join = join2;
    p.njoin = 2;
    labelled(&q[0].result->series[0], ka, 1, 1);
    labelled(&q[0].result->series[1], kb, 2, 0);
    labelled(&q[0].result->series[2], ka, 1, 0);
    labelled(&q[1].result->series[0], kb, 2, 1024);
    labelled(&q[1].result->series[1], ka, 1, 2048);
    /* Columns: instance 8, job 3, up 4 ("down"), mem 5, two apart. */
    s = ts_draw_on(c, table_class.draw, &p, NULL);
    assert_string_equal(s,
        "instance  job    up    mem\n"
        "a         b??  down  1 KiB\n"
        "a??b             up  2 KiB\n");
    assert_int_equal(canvas_cell(c, 15, 1)->role, ROLE_CRIT);
    assert_int_equal(canvas_cell(c, 17, 2)->role, ROLE_GOOD);
    free(s);
    canvas_free(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sort_by_value, ts_arena_setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_first_series_per_key,
                                        ts_arena_setup, ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_join_and_blanks, ts_arena_setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_widths_from_rows_in_sight,
                                        ts_arena_setup, ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_topn_by_value, ts_arena_setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_spark_column_and_overflow,
                                        ts_arena_setup, ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_all_nan_cell, ts_arena_setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_overrides, ts_arena_setup,
                                        ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_measure_agrees_with_draw,
                                        ts_arena_setup, ts_arena_teardown),
        cmocka_unit_test_setup_teardown(test_keys_of_one_hash,
                                        ts_arena_setup, ts_arena_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
