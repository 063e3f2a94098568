/*
 * The target list the screen refills each frame: a list refilled in
 * place (which keeps its rows' text when the pool's is unchanged) reads
 * the same as one filled from nothing, after target changes, dropped
 * targets coming and going, and scrapes that change health and errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "scrape/pool.h"
#include "src/base/buf.h"
#include "src/base/duration.h"
#include "src/targets.h"
#include "store/labels.h"
#include "store/store.h"
#include "tests/support/http.h"

#define N 3

static void
check_set(const struct labels *a, const struct labels *b)
{
    struct buf x, y;

    assert_true((a == NULL) == (b == NULL));
    if (a == NULL)
        return;
    buf_init(&x, 0);
    buf_init(&y, 0);
    labels_format(a, &x);
    labels_format(b, &y);
    assert_string_equal(buf_str(&x), buf_str(&y));
    buf_fini(&x);
    buf_fini(&y);
}

/* kept, refilled in place, against a list filled from nothing. */
static void
check_same(struct target_list *kept, const struct scrape_pool *pool,
           const struct config_dropped *dropped, size_t ndropped)
{
    struct target_list fresh;

    targets_fill(kept, pool, dropped, ndropped, NULL, NULL);
    targets_init(&fresh);
    targets_fill(&fresh, pool, dropped, ndropped, NULL, NULL);
    assert_int_equal(kept->view.n, fresh.view.n);
    assert_int_equal(kept->up, fresh.up);
    for (size_t i = 0; i < fresh.view.n; i++) {
        const struct target_row *a = &kept->rows[i], *b = &fresh.rows[i];

        assert_string_equal(a->job, b->job);
        assert_string_equal(a->instance, b->instance);
        assert_string_equal(a->url, b->url);
        assert_string_equal(a->labels, b->labels);
        assert_string_equal(a->last_error, b->last_error);
        assert_true((a->discovered == NULL) == (b->discovered == NULL));
        if (a->discovered != NULL)
            assert_string_equal(a->discovered, b->discovered);
        assert_int_equal(a->health, b->health);
        assert_int_equal(a->last_scrape_ms, b->last_scrape_ms);
        assert_true(a->last_duration_s == b->last_duration_s);
        assert_int_equal(a->samples, b->samples);
        check_set(a->label_set, b->label_set);
        check_set(a->discovered_set, b->discovered_set);
    }
    assert_int_equal(kept->view.ndropped, fresh.view.ndropped);
    for (size_t i = 0; i < fresh.view.ndropped; i++) {
        assert_string_equal(kept->dropped[i].job, fresh.dropped[i].job);
        assert_string_equal(kept->dropped[i].reason,
                            fresh.dropped[i].reason);
        assert_string_equal(kept->dropped[i].discovered,
                            fresh.dropped[i].discovered);
        check_set(kept->dropped[i].discovered_set,
                  fresh.dropped[i].discovered_set);
    }
    targets_fini(&fresh);
}

static void
test_refill(void **state)
{
    struct store *st = store_new(3600000, 0);
    struct scrape_pool *pool = scrape_pool_new(st);
    struct target_list kept;
    struct scrape_target_def d[N];
    struct label lab[N][3];
    char addr[N][32], inst[N][32];
    struct config_dropped drop[1] = {
        { "web", "{__address__=\"x:1\"}", "dropped by relabel rule 1 "
          "(drop)", false },
    };
    int port, lfd = ts_http_listen(&port);
    int64_t t0 = time_now_ms(), give_up;

    (void)state;
    close(lfd);     /* nothing listens: every scrape is refused at once */
    memset(d, 0, sizeof(d));
    for (size_t i = 0; i < N; i++) {
        snprintf(addr[i], sizeof(addr[i]), "127.0.0.1:%d", port);
        snprintf(inst[i], sizeof(inst[i]), "target-%zu", i);
        lab[i][0] = (struct label){ "instance", inst[i] };
        lab[i][1] = (struct label){ "job", "web" };
        lab[i][2] = (struct label){ "zone", "a" };
        d[i] = (struct scrape_target_def){
            .job = "web", .scheme = "http", .address = addr[i],
            .metrics_path = "/metrics", .labels = { lab[i], 3 },
            .interval_ms = 60000, .timeout_ms = 1000,
            .discovered = i == 1 ? "{__address__=\"a\"}" : NULL,
        };
    }
    targets_init(&kept);
    scrape_pool_set_targets(pool, d, N, t0);
    check_same(&kept, pool, NULL, 0);
    check_same(&kept, pool, NULL, 0);
    /* A target's labels change, then a dropped target comes and goes. */
    lab[2][2].value = "b";
    scrape_pool_set_targets(pool, d, N, t0);
    check_same(&kept, pool, NULL, 0);
    check_same(&kept, pool, drop, 1);
    check_same(&kept, pool, drop, 1);
    check_same(&kept, pool, NULL, 0);
    /* Refused scrapes: health and errors move. */
    scrape_pool_start_all(pool, t0);
    give_up = time_now_ms() + 10000;
    while (scrape_pool_running(pool) > 0 && time_now_ms() < give_up) {
        scrape_pool_wait(pool, -1, 50, NULL);
        scrape_pool_pump(pool, time_now_ms());
        check_same(&kept, pool, NULL, 0);
    }
    assert_int_equal(scrape_pool_running(pool), 0);
    check_same(&kept, pool, NULL, 0);
    assert_int_equal(kept.up, 0);
    assert_true(kept.rows[0].last_error[0] != '\0');
    /* Fewer targets. */
    scrape_pool_set_targets(pool, d, N - 1, time_now_ms());
    check_same(&kept, pool, NULL, 0);
    targets_fini(&kept);
    scrape_pool_free(pool);
    store_free(st);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refill),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
