/*
 * ui_render_text on a small hand-built dashboard: one page with a stat
 * and a panel kind that has no widget yet, then the targets table; the
 * expected text is worked out from the layout rules (equal weights split
 * 40 cells 20/20, a stat row is 4 + 2 frame lines tall).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/arena.h"
#include "ui/ui.h"

static struct qpoint pts[] = { { 0, 0 }, { 60000, 42 } };
static struct qseries ser = { { NULL, 0 }, pts, 2 };
static struct qresult res = { .type = QV_MATRIX, .series = &ser,
                              .nseries = 1 };

static void
build(struct dashboard *d, struct page *pg, struct row *row,
      struct panel *p, struct panel_query *q)
{
    memset(q, 0, sizeof *q);
    q->expr = "x";
    q->result = &res;
    for (int i = 0; i < 2; i++) {
        memset(&p[i], 0, sizeof p[i]);
        p[i].kind = i == 0 ? PANEL_STAT : PANEL_GAUGE;
        p[i].title = i == 0 ? "Up" : "G";
        p[i].decimals = -1;
        p[i].min = p[i].max = NAN;
        p[i].width = 1;
        p[i].queries = q;
        p[i].nqueries = 1;
    }
    *row = (struct row){ .height = 1, .panels = p, .npanels = 2 };
    *pg = (struct page){ .title = "Main", .rows = row, .nrows = 1 };
    *d = (struct dashboard){ .title = "Demo", .pages = pg, .npages = 1,
                             .range_ms = 3600000, .step_ms = 60000,
                             .now_ms = 1700000000000LL };
}

static void
test_render_text(void **state)
{
    struct dashboard d;
    struct page pg;
    struct row row;
    struct panel p[2];
    struct panel_query q;
    struct target_row t = {
        .job = "node", .instance = "localhost:9100",
        .url = "http://localhost:9100/metrics", .labels = "{}",
        .health = HEALTH_UP, .last_scrape_ms = 1700000000000LL - 3200,
        .last_duration_s = 0.01, .samples = 10, .last_error = "",
    };
    struct buf b;

    (void)state;
    build(&d, &pg, &row, p, &q);
    buf_init(&b, 0);
    ui_render_text(&d, &t, 1, 40, true, &b);
    assert_string_equal(buf_str(&b),
        "Demo | Main | last 1h\n"
        "+ Up --------------++ G ---------------+\n"
        "|        42        ||panel type not    |\n"
        "|                  ||supported yet     |\n"
        "|                 #||(gauge)           |\n"
        "|                _#||                  |\n"
        "+------------------++------------------+\n"
        "\n"
        "Demo | targets | last 1h\n"
        "STATE   JOB  ENDPOINT       LAST SCRAPE\n"
        "up      node localhost:9100 3.2s ago\n");
    buf_fini(&b);
}

static void
test_render_text_utf8_has_no_escapes(void **state)
{
    struct dashboard d;
    struct page pg;
    struct row row;
    struct panel p[2];
    struct panel_query q;
    struct buf b;

    (void)state;
    build(&d, &pg, &row, p, &q);
    buf_init(&b, 0);
    ui_render_text(&d, NULL, 0, 60, false, &b);
    assert_null(strchr(buf_str(&b), '\x1b'));
    /* Box corners and the sparkline's full block are UTF-8. */
    assert_non_null(strstr(buf_str(&b), "\xe2\x94\x8c Up "));
    assert_non_null(strstr(buf_str(&b), "\xe2\x96\x88"));
    assert_non_null(strstr(buf_str(&b), "no targets"));
    buf_fini(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_text),
        cmocka_unit_test(test_render_text_utf8_has_no_escapes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
