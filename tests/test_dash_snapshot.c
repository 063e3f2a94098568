/*
 * The numbers of the --once JSON snapshot: times as Prometheus's API
 * writes them (util/jsonutil.MarshalTimestamp: seconds, a three-digit
 * fraction when not whole), values as the shortest decimal that reads
 * back to the same double. Every number written is read back with strtod
 * and compared bit for bit with what went in.
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

#include "query/value.h"
#include "src/base/buf.h"
#include "src/dash/snapshot.h"
#include "store/labels.h"
#include "ui/model.h"

/* The JSON of one graph panel over one series of points, and a target. */
static void
snapshot(const struct qpoint *pts, size_t n, int64_t now, struct buf *out)
{
    struct label lv[] = { { "__name__", "m" }, { "a", "x\xc0\x80y" } };
    struct qseries s = { { lv, 2 }, (struct qpoint *)pts, n };
    struct qresult r = { .type = QV_MATRIX, .t = now, .series = &s,
                         .nseries = 1 };
    struct panel_query q = { .expr = "m", .result = &r };
    struct panel p = { .title = "P", .kind = PANEL_GRAPH, .queries = &q,
                       .nqueries = 1, .width = 1, .step_ms = 1500 };
    struct row rw = { .panels = &p, .npanels = 1, .height = 1 };
    struct page pg = { .title = "pg", .rows = &rw, .nrows = 1 };
    struct dashboard d = { .title = "D", .pages = &pg, .npages = 1,
                           .now_ms = now };
    struct target_row t = { .job = "j", .instance = "i", .url = "u",
                            .health = HEALTH_UP, .last_error = "",
                            .last_duration_s = 0.0123456789 };

    snapshot_json(&d, &t, 1, NULL, out);
}

/* The number right after key in s, read back; *text gets its text. */
static double
number_after(const char *s, const char *key, char *text, size_t cap)
{
    const char *p = strstr(s, key);
    char *end;
    double v;

    assert_non_null(p);
    p += strlen(key);
    v = strtod(p, &end);
    assert_true(end > p && (size_t)(end - p) < cap);
    memcpy(text, p, (size_t)(end - p));
    text[end - p] = '\0';
    return v;
}

static void
test_times_and_values_exact(void **state)
{
    static const struct qpoint pts[] = {
        { 1796233220500, 0.1 },
        { 1796233221000, 1e21 },
        { 1796233221001, 5e-324 },
        { 1796233222000, 123456789.123 },
    };
    struct buf b;
    const char *s, *p;
    char text[64], *end;
    double v;

    (void)state;
    buf_init(&b, 0);
    snapshot(pts, 4, 1796233222000, &b);
    s = buf_str(&b);
    assert_non_null(strstr(s, "{\"time\":1796233222,"));
    /* The panel's step, in seconds as the times are. */
    assert_non_null(strstr(s, "\"type\":\"graph\",\"step\":1.500,"));
    assert_non_null(strstr(s, "\"points\":[[1796233220.500,0.1],"
                              "[1796233221,1e+21],"
                              "[1796233221.001,5e-324],"
                              "[1796233222,123456789.123]]"));
    /* The newest point is at the snapshot's time: it is the value. */
    v = number_after(s, "\"value\":", text, sizeof(text));
    assert_string_equal(text, "123456789.123");
    assert_memory_equal(&v, &pts[3].v, sizeof(v));
    /* Point by point: [t,v], read back. */
    p = strstr(s, "\"points\":[") + strlen("\"points\":[");
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(*p, '[');
        v = strtod(p + 1, &end);
        assert_int_equal((int64_t)llround(v * 1000), pts[i].t);
        assert_int_equal(*end, ',');
        v = strtod(end + 1, &end);
        assert_int_equal(*end, ']');
        assert_memory_equal(&v, &pts[i].v, sizeof(v));
        p = end + 2;
    }
    v = number_after(s, "\"last_scrape_duration_seconds\":", text,
                     sizeof(text));
    assert_string_equal(text, "0.0123456789");
    buf_fini(&b);
}

/* NaN and infinities have no JSON number: null. A stored NUL byte in a
 * label value comes out as \u0000. */
static void
test_null_and_nul(void **state)
{
    static const struct qpoint pts[] = {
        { 1000, NAN }, { 2000, INFINITY },
    };
    struct buf b;

    (void)state;
    buf_init(&b, 0);
    snapshot(pts, 2, 2000, &b);
    assert_non_null(strstr(buf_str(&b), "\"value\":null,\"points\":[[1,null],"
                                        "[2,null]]"));
    assert_non_null(strstr(buf_str(&b), "\"a\":\"x\\u0000y\""));
    buf_fini(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_times_and_values_exact),
        cmocka_unit_test(test_null_and_nul),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
