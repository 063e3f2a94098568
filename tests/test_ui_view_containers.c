/*
 * Tests for the containers view drawn on a plain canvas: the header with
 * the sort column marked, CPU as % of a core and of the quota, memory
 * against the limit, rates in bytes per second, a gone container in the
 * stale colour, btop's keys (Left/Right pick the column, r reverses),
 * the `/` filter, the detail panels on Enter, and the message when
 * nothing reports containers.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "ui/canvas.h"
#include "ui/screen.h"
#include "ui/theme.h"
#include "ui/view_containers.h"
#include "tests/support/ui.h"

static double hist[CHIST_COUNT][4] = {
    { 0.1, 0.2, 0.3, 0.25 }, { 1, 2, 3, 4 }, { 1, 1, 1, 1 }, { 0, 0, 0, 0 },
};

static struct container_row rows[3];
static struct container_table table = { .rows = rows, .n = 3,
                                        .present = true };

static void
fill(void)
{
    rows[0] = (struct container_row){
        .id = "/system.slice/docker-aaaa.scope", .name = "web",
        .image = "nginx:1.23", .state = "running", .cpu_cores = 0.25,
        .quota_cores = 0.5, .memory_bytes = 104857600,
        .memory_limit_bytes = 268435456, .rx_bps = 1024, .tx_bps = 2048,
        .read_bps = 0, .write_bps = 512, .restarts = 3, .nhistory = 4,
    };
    rows[1] = (struct container_row){
        .id = "/docker/bbbb", .name = "db", .image = "postgres:15",
        .state = "running", .cpu_cores = 1.5, .quota_cores = 0,
        .memory_bytes = 524288000, .memory_limit_bytes = 0, .rx_bps = 10,
        .tx_bps = 10, .read_bps = 10, .write_bps = 10, .restarts = 0,
        .nhistory = 4,
    };
    rows[2] = (struct container_row){
        .id = "/docker/cccc", .name = "batch", .image = "busybox",
        .state = "exited", .gone = true, .cpu_cores = NAN,
        .memory_bytes = NAN, .rx_bps = NAN, .tx_bps = NAN, .read_bps = NAN,
        .write_bps = NAN, .restarts = 1,
    };
    for (int r = 0; r < 2; r++)
        for (int h = 0; h < CHIST_COUNT; h++)
            rows[r].history[h] = hist[h];
}

static char *
draw(struct containers_state *cs, struct series_filter *f,
     struct canvas **cout)
{
    struct canvas *c = canvas_new(150, 12, true);

    view_draw_containers(c, (struct rect){ 0, 0, 150, 12 }, &table, f, cs);
    char *text = ts_canvas_text(c);
    if (cout)
        *cout = c;
    else
        canvas_free(c);
    return text;
}

static void
test_table(void **state)
{
    (void)state;
    struct containers_state cs = view_containers_initial();
    struct canvas *c;
    char line[512];

    fill();
    char *t = draw(&cs, NULL, &c);
    ts_line(t, 0, line, sizeof line);
    /* Sorted by CPU, busiest first, marked as btop marks it. */
    assert_non_null(strstr(line, "NAME"));
    assert_non_null(strstr(line, "CPU%v"));
    ts_line(t, 1, line, sizeof line);
    assert_non_null(strstr(line, "db"));
    assert_non_null(strstr(line, "150"));       /* 1.5 cores */
    ts_line(t, 2, line, sizeof line);
    assert_non_null(strstr(line, "web"));
    assert_non_null(strstr(line, "25.0"));      /* % of a core */
    assert_non_null(strstr(line, "50.0"));      /* % of its 0.5 quota */
    assert_non_null(strstr(line, "100 MiB"));
    assert_non_null(strstr(line, "39.1"));      /* 100 of 256 MiB */
    assert_non_null(strstr(line, "1 KiB/s"));
    /* The exited one is last (no CPU known) and greyed. */
    ts_line(t, 3, line, sizeof line);
    assert_non_null(strstr(line, "batch"));
    assert_non_null(strstr(line, "exited"));
    const struct cell *cell = canvas_cell(c, 0, 3);
    assert_int_equal(cell->role, ROLE_STALE);
    free(t);
    canvas_free(c);
}

static void
test_keys(void **state)
{
    (void)state;
    struct containers_state cs = view_containers_initial();
    char line[512];

    fill();
    /* Right: MEM; r: ascending. */
    assert_true(view_containers_key(&cs, SCREEN_KEY_RIGHT, 10));
    assert_int_equal(cs.sort, CCOL_MEM);
    assert_true(view_containers_key(&cs, 'r', 10));
    char *t = draw(&cs, NULL, NULL);
    ts_line(t, 0, line, sizeof line);
    assert_non_null(strstr(line, "MEM^"));
    ts_line(t, 1, line, sizeof line);
    assert_non_null(strstr(line, "batch"));     /* unknown sorts lowest */
    ts_line(t, 2, line, sizeof line);
    assert_non_null(strstr(line, "web"));
    free(t);
    /* Left twice from MEM: STATE. */
    view_containers_key(&cs, SCREEN_KEY_LEFT, 10);
    view_containers_key(&cs, SCREEN_KEY_LEFT, 10);
    assert_int_equal(cs.sort, CCOL_STATE);
    assert_false(view_containers_key(&cs, 'x', 10));
}

static void
test_filter_and_detail(void **state)
{
    (void)state;
    struct containers_state cs = view_containers_initial();
    struct series_filter *f = filter_new("image=~nginx.*");
    char line[512];

    fill();
    char *t = draw(&cs, f, NULL);
    ts_line(t, 1, line, sizeof line);
    assert_non_null(strstr(line, "web"));
    ts_line(t, 2, line, sizeof line);
    assert_null(strstr(line, "db"));
    free(t);
    /* Enter: the panels of the selected container. */
    assert_true(view_containers_key(&cs, '\r', 10));
    t = draw(&cs, f, NULL);
    ts_line(t, 0, line, sizeof line);
    assert_non_null(strstr(line, "web  nginx:1.23  running"));
    assert_non_null(strstr(t, "CPU: 25.0% of a core, 50.0% of quota"));
    assert_non_null(strstr(t, "Memory: 100 MiB, 39.1% of limit"));
    assert_non_null(strstr(t, "Network: rx 1 KiB/s, tx 2 KiB/s"));
    free(t);
    assert_true(view_containers_key(&cs, 27, 10));
    assert_false(cs.detail);
    filter_free(f);
}

/* The host header: btop's summary line, then a meter per core. */
static void
test_host_header(void **state)
{
    (void)state;
    struct containers_state cs = view_containers_initial();
    struct canvas *c = canvas_new(150, 16, true);
    char line[512];

    fill();
    table.host = (struct host_summary){
        .present = true, .name = "box", .ncores = 2,
        .core_busy = { 0.5, 0.95 }, .cpu_busy = 0.725,
        .mem_total = 8589934592.0, .mem_used = 2147483648.0,
        .swap_total = 0, .swap_used = 0, .load1 = 0.5, .load5 = 0.25,
        .load15 = 0.125, .net_rx = 1024, .net_tx = 0, .disk_read = 0,
        .disk_write = 1048576, .uptime_s = 2 * 86400 + 3 * 3600 + 60,
    };
    view_draw_containers(c, (struct rect){ 0, 0, 150, 16 }, &table, NULL,
                         &cs);
    char *t = ts_canvas_text(c);
    ts_line(t, 0, line, sizeof line);
    assert_non_null(strstr(line, "box  up 2d 3h  load 0.50 0.25 0.12"));
    assert_non_null(strstr(line, "72.5%"));
    assert_non_null(strstr(line, "2 GiB/8 GiB"));
    assert_non_null(strstr(line, "NET rx 1 KiB/s tx 0 B/s"));
    assert_non_null(strstr(line, "DISK r 0 B/s w 1 MiB/s"));
    ts_line(t, 1, line, sizeof line);
    assert_non_null(strstr(line, "cpu0   ####... 50.0 cpu1   ####### 95.0"));
    /* The 95% core's meter is red. */
    assert_int_equal(canvas_cell(c, 20 + 7, 1)->role, ROLE_CRIT);
    /* Then a rule, then the table's header. */
    ts_line(t, 3, line, sizeof line);
    assert_non_null(strstr(line, "NAME"));
    free(t);
    canvas_free(c);
    table.host = (struct host_summary){ 0 };
}

static void
test_empty(void **state)
{
    (void)state;
    struct containers_state cs = view_containers_initial();
    struct canvas *c = canvas_new(100, 5, true);

    view_draw_containers(c, (struct rect){ 0, 0, 100, 5 }, NULL, NULL, &cs);
    char *t = ts_canvas_text(c);
    assert_non_null(strstr(t, "No containers"));
    free(t);
    canvas_free(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_filter_and_detail),
        cmocka_unit_test(test_host_header),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
