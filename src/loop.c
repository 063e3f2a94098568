/*
 * The event loop. Everything happens on one thread: libcurl's multi
 * interface moves every transfer along without blocking, so a slow target
 * never holds up the screen, and the screen is redrawn at most once per
 * refresh period, from results evaluated just before.
 */
#include "src/loop.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "query/query.h"
#include "src/duration.h"
#include "src/log.h"
#include "src/snapshot.h"
#include "src/xalloc.h"

/* Longest single wait, so signals and resizes are seen promptly. */
#define MAX_WAIT_MS 250
/* How often old chunks are trimmed from the store. */
#define GC_EVERY_MS (60 * 1000)
/* How long --once waits for the first DNS answers. */
#define DISCOVERY_WAIT_MS 5000

static volatile sig_atomic_t quit_requested, reload_requested;

static void
on_quit(int sig)
{
    (void)sig;
    quit_requested = 1;
}

static void
on_hup(int sig)
{
    (void)sig;
    reload_requested = 1;
}

/* A crash: put the terminal back, then die of the same signal. */
static void
on_fatal(int sig)
{
    ui_restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
}

void
loop_install_signals(void)
{
    static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_quit;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = on_hup;
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_handler = on_fatal;
    sa.sa_flags = SA_RESETHAND;
    for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
        sigaction(fatal[i], &sa, NULL);
}

/* Milliseconds to wait: until the next scrape, discovery step or frame
 * (at most 250). */
static int
wait_time(const struct loop *l, int64_t now, int64_t next_frame)
{
    int64_t due = scrape_pool_next_due(l->pool);
    int64_t sd = discovery_next_due(l->disc, now);

    if (next_frame < due)
        due = next_frame;
    if (sd < due)
        due = sd;
    due -= now;
    return due < 0 ? 0 : due > MAX_WAIT_MS ? MAX_WAIT_MS : (int)due;
}

/* Moves discovery along; when it found a change, the pool gets the new
 * target list (targets that remain keep their history). */
static bool
sync_targets(struct loop *l, int64_t now)
{
    struct scrape_target_def *defs;
    size_t n;

    discovery_poll(l->disc, now);
    if (!discovery_changed(l->disc))
        return false;
    config_dropped_free(l->dropped, l->ndropped);
    n = config_targets_build(l->cfg, l->disc, &defs, &l->dropped,
                             &l->ndropped);
    scrape_pool_set_targets(l->pool, defs, n, now);
    config_target_defs_free(defs, n);
    log_debug("%s: %zu targets, %zu dropped", __func__, n, l->ndropped);
    return true;
}

/*
 * Re-reads the --config file. A good one replaces the running config:
 * targets that remain keep their history, new ones start, gone ones get
 * staleness markers. A bad one changes nothing, and why is shown in the
 * status line until a reload succeeds.
 */
static void
reload_config(struct loop *l, int64_t now)
{
    struct diag errs[1], warns[20];
    size_t nerr = 0, nwarn = 0;
    struct config fresh, old;
    struct discovery *disc;

    reload_requested = 0;
    if (l->cli->config == NULL)
        return;
    free(l->reload_error);
    l->reload_error = NULL;
    if (config_load(&fresh, l->cli->config, errs, 1, &nerr, warns, 20,
                    &nwarn) < 0) {
        l->reload_error = xasprintf("reload failed: %s:%d:%d: %s",
                                    l->cli->config, errs[0].line,
                                    errs[0].col, errs[0].msg);
        config_fini(&fresh);
        log_debug("%s: %s", __func__, l->reload_error);
        return;
    }
    disc = config_discovery_new(&fresh);
    discovery_free(l->disc);
    l->disc = disc;
    old = *l->cfg;
    *l->cfg = fresh;
    /* The pool borrows the config's relabel rules: give it the new
     * targets before the old config goes. */
    sync_targets(l, now);
    config_fini(&old);
    log_debug("%s: %s reloaded, %zu jobs", __func__, l->cli->config,
              l->cfg->njobs);
}

/* After a frame, every panel is clean until its results change. */
static void
mark_clean(struct dashboard *m)
{
    for (size_t pg = 0; pg < m->npages; pg++)
        for (size_t r = 0; r < m->pages[pg].nrows; r++)
            for (size_t i = 0; i < m->pages[pg].rows[r].npanels; i++)
                m->pages[pg].rows[r].panels[i].dirty = false;
}

/* The status bar: targets up, series held, whether paused. */
static void
format_status(const struct loop *l, char *out, size_t size)
{
    struct store_stats st;

    store_get_stats(l->store, &st);
    if (l->reload_error != NULL)
        snprintf(out, size, "%s", l->reload_error);
    else
        snprintf(out, size, "%zu/%zu targets up · %zu series · %zu samples",
                 l->targets.up, l->targets.n, st.series, st.samples);
}

/* What the targets view shows beyond the rows, built for one frame. */
struct view_extras {
    struct dropped_row *dropped;
    char **errors;
    size_t nerrors;
};

/* The target view: the rows, the targets relabelling dropped and every
 * discovery error as "job: error". Free x with view_extras_free. */
static void
target_view_build(const struct loop *l, struct target_view *tv,
                  struct view_extras *x)
{
    size_t nd = discovery_count(l->disc);

    x->dropped = xcalloc(l->ndropped + 1, sizeof(*x->dropped));
    for (size_t i = 0; i < l->ndropped; i++)
        x->dropped[i] = (struct dropped_row){ l->dropped[i].job,
                                              l->dropped[i].discovered,
                                              l->dropped[i].reason };
    x->errors = xcalloc(nd + 1, sizeof(*x->errors));
    x->nerrors = 0;
    for (size_t i = 0; i < nd; i++) {
        struct discovery_status st;

        discovery_status(l->disc, i, &st);
        if (st.error != NULL && st.error[0] != '\0' && st.job < l->cfg->njobs)
            x->errors[x->nerrors++] = xasprintf("%s: %s",
                                                l->cfg->jobs[st.job].name,
                                                st.error);
    }
    *tv = (struct target_view){ l->targets.rows, l->targets.n, x->dropped,
                                l->ndropped,
                                (const char *const *)x->errors,
                                x->nerrors };
}

static void
view_extras_free(struct view_extras *x)
{
    for (size_t i = 0; i < x->nerrors; i++)
        free(x->errors[i]);
    free(x->errors);
    free(x->dropped);
}

/* Step 4: evaluate the visible page if its data moved on, then draw. */
static void
draw_frame(struct loop *l, int64_t now, bool data_changed)
{
    char status[160];
    struct target_view tv;
    struct view_extras x;

    if (data_changed && !ui_paused(l->ui)) {
        int page = ui_current_page(l->ui);

        if (page >= 0)
            dash_evaluate(l->dash, l->store, now, page);
        targets_fill(&l->targets, l->pool);
    }
    format_status(l, status, sizeof(status));
    /* After targets_fill, which may have moved the rows. */
    target_view_build(l, &tv, &x);
    ui_draw(l->ui, dash_model(l->dash), &tv, status);
    view_extras_free(&x);
    mark_clean(dash_model(l->dash));
}

/* Explore's Tab completion: label names, or the values of one label
 * ("__name__": metric names), from the store. The strings stay valid
 * until store_gc, which runs at most once a minute. */
static size_t
complete_from_store(void *ctx, const char *label, const char ***out)
{
    const struct store *st = ctx;

    if (label == NULL)
        return store_label_names(st, out);
    return store_label_values(st, label, out);
}

/* Enter in the explore view: the expression over the dashboard's range,
 * answered with its result or its diag (position inside the text). */
static void
run_explore(struct loop *l, int64_t now)
{
    const struct dashboard *m = dash_model(l->dash);
    const char *expr = ui_explore_expr(l->ui);
    struct qresult *res = NULL;
    struct query *q;
    struct diag d;

    diag_clear(&d);
    q = qparse_query(expr, strlen(expr), &d);
    if (q != NULL)
        res = qeval_range(q, l->store, now - m->range_ms, now,
                          m->step_ms, &d);
    ui_explore_result(l->ui, res, res == NULL ? &d : NULL);
    qparse_free(q);
}

/* The choices input hands back: range, variable, explore expression. */
static void
apply_choices(struct loop *l, unsigned act, int64_t now)
{
    size_t var, value;

    if (act & UI_RANGE)
        dash_set_range(l->dash, ui_range_ms(l->ui));
    if ((act & UI_VARIABLE) && ui_variable_choice(l->ui, &var, &value))
        dash_set_variable(l->dash, var, value);
    if (act & UI_EXPLORE)
        run_explore(l, now);
}

static int
run_live(struct loop *l)
{
    int64_t now = time_now_ms(), next_frame = now, next_gc = now;
    bool changed = true;
    struct explore_completer comp = { l->store, complete_from_store };

    ui_set_completer(l->ui, &comp);
    while (!quit_requested) {
        bool key = false;
        unsigned act;

        scrape_pool_wait(l->pool, ui_input_fd(l->ui),
                         wait_time(l, now, next_frame), &key);
        now = time_now_ms();
        if (scrape_pool_pump(l->pool, now) > 0)            /* 1 */
            changed = true;
        if (sync_targets(l, now))
            changed = true;
        act = ui_handle_input(l->ui, dash_model(l->dash), l->targets.n);
        if (act & UI_QUIT)                                  /* 2 */
            break;
        if ((act & UI_RELOAD) || reload_requested)
            reload_config(l, now);
        apply_choices(l, act, now);
        scrape_pool_start_due(l->pool, now);                /* 3 */
        if (now >= next_frame || act != UI_NONE) {          /* 4 */
            draw_frame(l, now, changed || act != UI_NONE);
            changed = false;
            next_frame = now + l->cli->refresh_ms;
        }
        if (now >= next_gc) {
            store_gc(l->store, now);
            next_gc = now + GC_EVERY_MS;
        }
    }
    return 0;
}

/* True once every target has finished two scrapes (so rates exist). */
static bool
all_scraped_twice(const struct scrape_pool *pool)
{
    for (size_t i = 0; i < scrape_pool_count(pool); i++) {
        struct scrape_status st;

        scrape_pool_status(pool, i, &st);
        if (st.scrapes < 2)
            return false;
    }
    return true;
}

bool
loop_collect(struct loop *l)
{
    int64_t now = time_now_ms(), deadline = now + l->cli->timeout_ms;
    int64_t sd_deadline = now + DISCOVERY_WAIT_MS;

    sync_targets(l, now);
    while (!quit_requested && discovery_pending(l->disc)
           && now < sd_deadline) {
        scrape_pool_wait(l->pool, -1, 100, NULL);
        now = time_now_ms();
        sync_targets(l, now);
    }
    while (!quit_requested && now < deadline
           && !all_scraped_twice(l->pool)) {
        int64_t wait = scrape_pool_next_due(l->pool) - now;

        if (wait > deadline - now)
            wait = deadline - now;
        scrape_pool_wait(l->pool, -1, wait < 0 ? 0 : wait > MAX_WAIT_MS
                         ? MAX_WAIT_MS : (int)wait, NULL);
        now = time_now_ms();
        scrape_pool_pump(l->pool, now);
        sync_targets(l, now);
        scrape_pool_start_due(l->pool, now);
    }
    return !quit_requested;
}

static int
run_once(struct loop *l)
{
    size_t failed;
    struct buf out;
    struct target_view tv;
    struct view_extras x;

    if (!loop_collect(l))
        return 1;
    failed = dash_evaluate(l->dash, l->store, time_now_ms(), -1);
    targets_fill(&l->targets, l->pool);
    target_view_build(l, &tv, &x);
    log_debug("%s: %zu queries failed, %zu/%zu targets up", __func__,
              failed, l->targets.up, l->targets.n);
    buf_init(&out, 0);
    if (l->cli->output == CLI_JSON)
        snapshot_json(dash_model(l->dash), l->targets.rows, l->targets.n,
                      &out);
    else
        ui_render_text(dash_model(l->dash), &tv, l->cli->width,
                       l->cli->ascii ? GLYPHS_ASCII : GLYPHS_BRAILLE, &out);
    fputs(buf_str(&out), stdout);
    buf_fini(&out);
    view_extras_free(&x);
    return (l->targets.up == 0 || failed > 0) ? 1 : 0;
}

int
loop_run(struct loop *l)
{
    int rc;

    targets_init(&l->targets);
    rc = l->ui != NULL ? run_live(l) : run_once(l);
    targets_fini(&l->targets);
    config_dropped_free(l->dropped, l->ndropped);
    l->dropped = NULL;
    l->ndropped = 0;
    free(l->reload_error);
    l->reload_error = NULL;
    return rc;
}
