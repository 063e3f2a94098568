/*
 * The event loop. Everything happens on one thread: libcurl's multi
 * interface moves every transfer along without blocking, so a slow target
 * never holds up the screen, and the screen is redrawn at most once per
 * refresh period, from results evaluated just before.
 */
#include "src/loop.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "query/query.h"
#include "src/base/duration.h"
#include "src/base/log.h"
#include "src/base/xalloc.h"
#include "src/alerting.h"
#include "src/dash/containers.h"
#include "src/dash/snapshot.h"
#include "src/source.h"
#include "src/startup.h"
#include "ui/screen.h"

/* Longest single wait, so signals and resizes are seen promptly. */
#define MAX_WAIT_MS 250
/* How often the store drops the series that store_trim found idle and
 * the heap gives pages back. */
#define GC_EVERY_MS (60 * 1000)
/* How often a server's targets are asked for (--source, attach). */
#define TARGETS_EVERY_MS 5000
/* The longest a slice of evaluation runs before keys are read again
 * (a query that takes longer finishes first). */
#define SLICE_MS 8
/* Scrape bodies land for at least this long in a pass before a key that
 * waits stops them; the rest land in the next pass. */
#define LAND_SLICE_MS 4
/* How often label_values() template variables are looked up again. */
#define VARIABLES_EVERY_MS 5000
/* The longest slice of rule evaluation between two looks at the keys:
 * a long group goes on in the next pass, at its own evaluation time. */
#define RULES_SLICE_S 0.010
/* Points of each container history: about a sparkline's width. */
#define CONTAINER_HISTORY 60
/* How long --once waits for the first DNS answers. */
#define DISCOVERY_WAIT_MS 5000
/* Collection says what it waits for once it has taken this long, then
 * again every WAIT_NOTE_EVERY_MS. */
#define WAIT_NOTE_FIRST_MS 2000
#define WAIT_NOTE_EVERY_MS 5000

static volatile sig_atomic_t quit_requested, reload_requested;

/* The signal's number, so that a stopped query can exit with 128 + it. */
static void
on_quit(int sig)
{
    quit_requested = sig;
}

const volatile sig_atomic_t *
loop_quit_flag(void)
{
    return &quit_requested;
}

/* Each query's budget; SIGINT and SIGTERM stop an evaluation midway. */
static void
query_limits(const struct loop *l, struct qeval_ctl *ctl)
{
    qeval_ctl_init(ctl);
    ctl->max_samples = l->cli->query_max_samples;
    ctl->timeout_ms = l->cli->query_timeout_ms;
    ctl->cancel = &quit_requested;
}

static void
on_hup(int sig)
{
    (void)sig;
    reload_requested = 1;
}

/*
 * A crash: put the terminal back, then die of the same signal. It runs
 * on its own stack (SA_ONSTACK), so it still runs when the crash is the
 * main stack overflowing, and calls only async-signal-safe functions:
 * the process may have stopped anywhere, inside malloc or curses. On
 * entry the kernel has reset the action to the default and left the
 * signal unblocked (SA_RESETHAND | SA_NODEFER), so raise ends the process
 * here, with the exit status and core of the original signal.
 */
static void
on_fatal(int sig)
{
    screen_crash_restore();
    raise(sig);
}

/* The fatal handler's stack. 64 KiB is several times what the kernel
 * needs for a signal frame with the widest vector state. */
static _Alignas(16) char fatal_stack[64 * 1024];

void
loop_install_signals(void)
{
    static const int fatal[] = {
        SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGQUIT, SIGSYS,
    };
    stack_t ss = { .ss_sp = fatal_stack, .ss_size = sizeof(fatal_stack) };
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
    /* Without the alternate stack the handler still runs for any crash
     * but an overflow, so a failure here is not fatal. */
    sigaltstack(&ss, NULL);
    sa.sa_handler = on_fatal;
    sa.sa_flags = SA_ONSTACK | SA_RESETHAND | SA_NODEFER;
    for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
        sigaction(fatal[i], &sa, NULL);
}

/*
 * Rules scheduling. Each group's rounds fall on aligned slots of its
 * interval (src/ruleset.c); the loop runs what is due for at most
 * RULES_SLICE_S per pass, so keys are read between slices of a long
 * round.
 */

/* When the next rule is due (INT64_MAX: no rules). */
static int64_t
rules_next_due(const struct loop *l)
{
    return l->rules != NULL ? ruleset_next_due(l->rules) : INT64_MAX;
}

/*
 * After each whole round of a group: the one place its alerts are handed
 * on, to the Alertmanager notifier when alerting.alertmanagers names one
 * (it picks the alerts that are due and queues them).
 */
static void
hand_on_alerts(void *ctx, const struct ruleset_group *g)
{
    struct loop *l = ctx;

    log_debug("%s: %s/%s at %lld took %.6fs", __func__, g->file,
              g->def->name, (long long)g->last_ms, g->last_seconds);
    if (l->notifier != NULL)
        notifier_send(l->notifier, g->group, g->last_ms);
}

/* What alert templates see of the config (its external labels), and
 * each rule query's budget: --query.max-samples, --query.timeout and
 * SIGINT/SIGTERM, as for every other query. */
static void
set_rule_opts(struct loop *l)
{
    const struct ruleset_group *g;
    size_t n = l->rules != NULL ? ruleset_groups(l->rules, &g) : 0;
    struct qeval_ctl ctl;
    struct rule_group_opts o = { &l->cfg->external_labels, NULL, &ctl };

    query_limits(l, &ctl);
    for (size_t i = 0; i < n; i++)
        rule_group_set_opts(g[i].group, &o);
}

/* The notifier follows the running config (it borrows its alerting
 * section) and keeps its queue; its requests run on the pool's
 * fetcher, moved along by the same wait and pump as the scrapes. */
static void
apply_notifier(struct loop *l)
{
    l->notifier = alerting_notifier_apply(l->notifier, l->cfg,
                                          scrape_pool_fetch(l->pool), NULL);
}

/* Evaluates the rules that are due, one slice; true when any ran. */
static bool
run_rules(struct loop *l, int64_t now)
{
    if (l->rules == NULL || ruleset_next_due(l->rules) > now)
        return false;
    return ruleset_run(l->rules, l->store, now, RULES_SLICE_S,
                       hand_on_alerts, l) > 0;
}

/* Milliseconds to wait: until the next scrape, discovery step, rule
 * evaluation or frame (at most 250). */
static int
wait_time(const struct loop *l, int64_t now, int64_t next_frame)
{
    int64_t due = scrape_pool_next_due(l->pool);
    int64_t sd = discovery_next_due(l->disc, now);
    int64_t rd = rules_next_due(l);
    int64_t nd = l->notifier != NULL ? notifier_next_due(l->notifier, now)
                                     : INT64_MAX;

    if (nd < rd)
        rd = nd;
    if (next_frame < due)
        due = next_frame;
    if (sd < due)
        due = sd;
    if (rd < due)
        due = rd;
    due -= now;
    return due < 0 ? 0 : due > MAX_WAIT_MS ? MAX_WAIT_MS : (int)due;
}

void
loop_rules_start(struct loop *l)
{
    set_rule_opts(l);
    apply_notifier(l);
}

bool
loop_rules_step(struct loop *l, int64_t now)
{
    bool ran = run_rules(l, now);

    if (l->notifier != NULL)
        notifier_tick(l->notifier, now);
    return ran;
}

int64_t
loop_rules_next_due(const struct loop *l, int64_t now)
{
    int64_t rd = rules_next_due(l);
    int64_t nd = l->notifier != NULL ? notifier_next_due(l->notifier, now)
                                     : INT64_MAX;

    return nd < rd ? nd : rd;
}

void
loop_rules_stop(struct loop *l)
{
    notifier_free(l->notifier);
    l->notifier = NULL;
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

/* Keeps why a reload failed (the first reason, when both files are
 * bad), for the status line until one succeeds. */
static void
reload_failed(struct loop *l, const struct diag *d)
{
    if (l->reload_error != NULL)
        return;
    if (d->line > 0)
        l->reload_error = xasprintf("reload failed: %s:%d:%d: %s",
                                    d->source, d->line, d->col, d->msg);
    else
        l->reload_error = xasprintf("reload failed: %s: %s", d->source,
                                    d->msg);
    log_debug("%s: %s", __func__, l->reload_error);
}

/* The errors' text on one line for the status bar: every run of
 * newlines and indentation becomes one space. */
static void
one_line(const char *text, char *out, size_t size)
{
    size_t n = 0;

    for (; *text != '\0' && n + 1 < size; text++) {
        char ch = *text == '\n' ? ' ' : *text;

        if (ch == ' ' && (n == 0 || out[n - 1] == ' '))
            continue;
        out[n++] = ch;
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
}

/*
 * Re-reads the rule files (rule_files of the running config, --rules):
 * good ones replace the running rules, keeping the state of unchanged
 * ones; a bad one keeps the running rules and the status line says why.
 */
static void
reload_rules(struct loop *l, int64_t now)
{
    struct ruleset_source src;
    struct buf errors;
    struct diag d;

    if (l->rules == NULL)
        return;
    startup_rule_source(l->cli, l->cfg, &src);
    buf_init(&errors, 0);
    if (ruleset_load(l->rules, &src, l->store, now, &errors, NULL) < 0) {
        diag_clear(&d);
        one_line(buf_str(&errors), d.msg, sizeof d.msg);
        d.source = "rules";
        reload_failed(l, &d);
    }
    buf_fini(&errors);
}

/*
 * Re-reads the --config file. A good one replaces the running config:
 * targets that remain keep their history, new ones start, gone ones get
 * staleness markers. A bad one changes nothing.
 */
static void
reload_config(struct loop *l, int64_t now)
{
    struct diag errs[1], warns[20];
    size_t nerr = 0, nwarn = 0;
    struct config fresh, old;
    struct discovery *disc;

    if (config_load(&fresh, l->cli->config, errs, 1, &nerr, warns, 20,
                    &nwarn) < 0) {
        errs[0].source = l->cli->config;
        reload_failed(l, &errs[0]);
        config_fini(&fresh);
        return;
    }
    disc = config_discovery_new(&fresh);
    discovery_free(l->disc);
    l->disc = disc;
    old = *l->cfg;
    *l->cfg = fresh;
    /* The pool borrows the config's relabel rules, the notifier its
     * alerting section: both move to the new one before the old goes. */
    sync_targets(l, now);
    if (l->ui != NULL || l->cli->command == CLI_SERVE)
        apply_notifier(l);
    config_fini(&old);
    log_debug("%s: %s reloaded, %zu jobs", __func__, l->cli->config,
              l->cfg->njobs);
}

/* dash_width_fn on the screen: as the panels are drawn. */
static int
screen_width(void *ctx, int page, size_t slot)
{
    const struct loop *l = ctx;

    return ui_panel_width(l->ui, dash_model(l->dash), page, slot);
}

/* dash_width_fn for --once: as the text snapshot lays them out. */
static int
text_width(void *ctx, int page, size_t slot)
{
    const struct loop *l = ctx;

    return ui_text_panel_width(dash_model(l->dash), page, slot,
                               l->cli->width);
}

/*
 * Each panel's step follows its width, and never goes below the
 * shortest scrape interval: the server's (dash_set_remote), else that
 * of the config's jobs.
 */
static void
set_dash_steps(struct loop *l)
{
    int64_t shortest = 0;

    if (l->dash == NULL)        /* promdeck serve: no dashboard */
        return;
    dash_set_width_fn(l->dash, l->ui != NULL ? screen_width : text_width, l);
    if (l->source != NULL)
        return;
    for (size_t i = 0; l->cfg != NULL && i < l->cfg->njobs; i++)
        if (l->cfg->jobs[i].interval_ms > 0
            && (shortest == 0 || l->cfg->jobs[i].interval_ms < shortest))
            shortest = l->cfg->jobs[i].interval_ms;
    if (shortest != dash_min_step(l->dash))
        dash_set_scrape_interval(l->dash, shortest);
}

/*
 * Re-reads the -d dashboard files. Good ones replace the dashboard (the
 * view keeps its page and focus where they still exist; variables start
 * from their defaults); a bad one keeps the old dashboard.
 */
static void
reload_dashboards(struct loop *l)
{
    struct diag err;
    struct dash *d = startup_reload_dashboard(l->cli, &err);

    if (d == NULL) {
        reload_failed(l, &err);
        return;
    }
    dash_free(l->dash);
    l->dash = d;
    if (l->source != NULL)
        dash_set_remote(d, l->source->client, l->source->min_step_ms);
    l->next_variables = 0;
    log_debug("%s: %d dashboard files reloaded", __func__, l->cli->ndash);
}

/*
 * SIGHUP or Ctrl-R: the --config file, the rule files and the -d files
 * are read again.
 * Whatever is bad changes nothing, and why is shown in the status line
 * until a reload succeeds.
 */
static void
reload(struct loop *l, int64_t now)
{
    reload_requested = 0;
    free(l->reload_error);
    l->reload_error = NULL;
    if (l->cli->config != NULL)
        reload_config(l, now);
    /* A config that failed keeps its rule_files: the rules stay too. */
    if (l->reload_error == NULL)
        reload_rules(l, now);
    set_rule_opts(l);
    if (l->cli->ndash > 0)
        reload_dashboards(l);
    set_dash_steps(l);
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
    struct notifier_status ns;
    size_t used;

    const char *banner = l->source != NULL
                         ? source_banner(l->source, l->cli->attach) : NULL;

    store_get_stats(l->store, &st);
    if (banner != NULL) {
        snprintf(out, size, "%s", banner);
        return;
    }
    if (l->reload_error != NULL) {
        snprintf(out, size, "%s", l->reload_error);
        return;
    }
    if (l->source != NULL) {
        snprintf(out, size, "%s · %zu/%zu targets up",
                 api_client_url(l->source->client), l->targets.up,
                 l->targets.view.n);
        return;
    }
    snprintf(out, size, "%zu/%zu targets up · %zu series · %zu samples",
             l->targets.up, l->targets.view.n, st.series, st.samples);
    used = strlen(out);
    /* Alertmanager trouble after a " · " (4 bytes), when there is any */
    if (l->notifier != NULL && used + 8 < size) {
        notifier_status(l->notifier, &ns);
        alerting_status_text(&ns, out + used + 4, size - used - 4);
        if (out[used + 4] != '\0')
            memcpy(out + used, " · ", 4);
        else
            out[used] = '\0';
    }
}

/*
 * A server's targets as the view shows them, when an answer came; they
 * also say its shortest scrape interval, which bounds the dashboard's
 * step. They are asked for again every TARGETS_EVERY_MS.
 */
static void
fill_remote_targets(struct loop *l, int64_t now)
{
    struct source *s = l->source;

    if (now >= l->next_targets) {
        source_poll_targets(s);
        l->next_targets = now + TARGETS_EVERY_MS;
    }
    if (!s->targets_new)
        return;
    s->targets_new = false;
    targets_fill_api(&l->targets, s->have_targets ? &s->targets : NULL,
                     s->targets_error);
    /* (--once has its step from start-up and keeps it.) A new scrape
     * interval is a new step, and the refresh period remote_due took
     * from the old one (a minute, the global default, while a server
     * just started has no targets yet) no longer holds: the panels are
     * asked again at once rather than showing the old answer until
     * then. */
    if (l->ui != NULL && dash_min_step(l->dash) != s->min_step_ms) {
        dash_set_remote(l->dash, s->client, s->min_step_ms);
        l->next_remote = now;
    }
}

static void
fill_targets(struct loop *l)
{
    if (l->source != NULL) {
        fill_remote_targets(l, time_now_ms());
        return;
    }
    targets_fill(&l->targets, l->pool, l->dropped, l->ndropped, l->disc,
                 l->cfg);
}

/*
 * The alerts and rules views' rows: from the rule files, or on a server
 * from its rules and alerts APIs, asked for again every few seconds
 * (a server without them, or failing, is the views' note).
 */
static void
fill_rules(struct loop *l)
{
    struct source *s = l->source;

    if (s == NULL) {
        rule_list_fill(&l->rulelist, l->rules);
        return;
    }
    source_poll_rule_views(s, time_now_ms());
    rule_list_fill_remote(&l->rulelist, s->have_rules ? &s->rules : NULL,
                          s->have_alerts ? &s->alerts : NULL,
                          s->rules_error);
}

/* Draws the screen from the last complete results. */
static void
draw(struct loop *l)
{
    char status[160];

    /* The rows borrow from the rules, which may have moved on since. */
    fill_rules(l);
    ui_set_rules(l->ui, &l->rulelist.view);
    if (l->source != NULL)     /* answers come between evaluations */
        fill_remote_targets(l, time_now_ms());
    format_status(l, status, sizeof(status));
    ui_draw(l->ui, dash_model(l->dash), &l->targets.view, status);
    mark_clean(dash_model(l->dash));
}

/* What run_live keeps between passes, beyond the loop itself. */
struct live {
    struct loop *l;
    bool changed;               /* data came in since the last frame */
    bool evaluating;            /* a frame is being evaluated in slices */
    int drawn_page;             /* the page of the last draw, -1 none */
    int64_t frame_now;          /* the clock of the last frame begun */
    int64_t next_frame;         /* when the next frame is due */
    double input_checked;       /* time_mono_s() of the last look */
    double land_began;          /* time_mono_s() when bodies began to land */
};

/*
 * The frame's interrupt hook (struct qeval_ctl): a panel's query stops
 * when a key or a resize waits, so that they never wait behind one long
 * query (a page first shown at a million series); the frame asks the
 * query again in its next slice, and its incremental state keeps what
 * was done. The evaluator calls in every few thousand samples of work;
 * the terminal is looked at no more than once a millisecond.
 */
static bool
input_waiting(void *ctx)
{
    struct live *v = ctx;
    double t = time_mono_s();

    if (t - v->input_checked < 0.001)
        return false;
    v->input_checked = t;
    return ui_input_waiting(v->l->ui);
}

/*
 * The pump's stop hook (scrape_pool_pump_until): scrape bodies that came
 * in together, after a frame, land for LAND_SLICE_MS, then stop as soon
 * as a key waits, so that the key is answered between two bodies rather
 * than after all of them. The rest land in the next pass, in order, each
 * at its own scrape's time.
 */
static bool
key_before_bodies(void *ctx)
{
    struct live *v = ctx;

    if (time_mono_s() - v->land_began < LAND_SLICE_MS / 1000.0)
        return false;
    return input_waiting(v);
}

/* dash_shown_fn: the panels of the last draw, when it was of the page
 * being evaluated; before the page is first drawn, every one. */
static bool
in_sight(void *ctx, size_t slot)
{
    const struct live *v = ctx;

    if (v->drawn_page != ui_current_page(v->l->ui))
        return true;
    return ui_in_sight(v->l->ui, slot);
}

/* Each panel query's budget, stopped by SIGINT/SIGTERM or, so that it
 * never makes them wait, by a key or a resize (input_waiting). */
static void
frame_limits(struct live *v)
{
    struct qeval_ctl ctl;

    query_limits(v->l, &ctl);
    ctl.interrupt = input_waiting;
    ctl.interrupt_ctx = v;
    dash_set_limits(v->l->dash, &ctl);
}

/* Step 4a, each refresh period: the new target states and containers,
 * then the page shown is evaluated at now (its panels in sight); the
 * other views are drawn at once. */
static void
begin_frame(struct live *v, int64_t now)
{
    struct loop *l = v->l;
    int page = ui_current_page(l->ui);

    fill_targets(l);
    containers_eval(&l->containers, l->store, now,
                    dash_model(l->dash)->range_ms, CONTAINER_HISTORY);
    ui_set_containers(l->ui, &l->containers);
    if (page < 0) {
        rule_list_mark_panels(&l->rulelist, dash_model(l->dash), page,
                              l->store, now);
        draw(l);
        return;
    }
    frame_limits(v);
    if (now >= l->next_variables) {
        dash_refresh_variables(l->dash, l->store);
        l->next_variables = now + VARIABLES_EVERY_MS;
    }
    dash_frame_begin(l->dash, l->store, now, page, in_sight, v);
    v->evaluating = true;
    v->frame_now = now;
}

/* Step 4b: one slice of the frame; the screen is drawn once it is
 * complete, from its results. */
static void
step_frame(struct live *v)
{
    struct loop *l = v->l;

    if (!dash_frame_step(l->dash, l->store,
                         time_mono_s() + SLICE_MS / 1000.0))
        return;
    v->evaluating = false;
    rule_list_mark_panels(&l->rulelist, dash_model(l->dash),
                          ui_current_page(l->ui), l->store, v->frame_now);
    draw(l);
    v->drawn_page = ui_current_page(l->ui);
}

/*
 * A key changed the screen: it is drawn at once from the results there
 * are (a page not evaluated yet says "loading" in its panels), and
 * nothing is evaluated before that. Then the frame follows the screen:
 * the panels that came into sight (another page, a scroll, a zoom) are
 * queued at the clock of the last frame, so they show the moment the
 * others show and those evaluated for it already are not evaluated
 * again; the slices that follow fill them, reading keys in between.
 * Targets, containers and variables wait for the next refresh.
 */
static void
answer_key(struct live *v)
{
    struct loop *l = v->l;
    int page = ui_current_page(l->ui);

    draw(l);
    v->drawn_page = page;
    if (ui_paused(l->ui))
        return;
    frame_limits(v);
    v->evaluating = dash_frame_refocus(l->dash, page, in_sight, v) > 0;
}

/*
 * The explore prompt's Enter: a vector or scalar expression is evaluated
 * as a range query over the dashboard's range (so it can be graphed),
 * anything else at the current time.
 */
static void
run_explore(struct loop *l, int64_t now)
{
    const char *expr = ui_explore_expr(l->ui);
    const struct dashboard *m = dash_model(l->dash);
    struct qresult *r = NULL;
    struct qeval_ctl ctl;
    struct query *q;
    struct diag d;
    /* Its graph is as wide as the screen: Grafana's step for that. */
    int64_t step = dash_step_for(l->dash, ui_explore_width(l->ui));

    if (l->source != NULL) {
        source_explore(l->source, expr, now, m->range_ms, step);
        return;
    }
    diag_clear(&d);
    query_limits(l, &ctl);
    if ((q = qparse_query(expr, strlen(expr), &d)) != NULL) {
        enum qvalue_type t = qparse_type(q);

        if (t == QV_VECTOR || t == QV_SCALAR)
            r = qeval_range_ctl(q, l->store, NULL, now - m->range_ms, now,
                                step, &ctl, &d);
        else
            r = qeval_instant_ctl(q, l->store, now, &ctl, &d);
        qparse_free(q);
    }
    ui_explore_result(l->ui, r, r == NULL ? &d : NULL);
}

/* Explore's Tab: label names, metric names or a label's values, from the
 * store's index. */
static size_t
complete_from_store(void *ctx, const char *label, const char ***out)
{
    const struct store *st = ctx;

    return label == NULL ? store_label_names(st, out)
                         : store_label_values(st, label, out);
}

/*
 * Whether the terminal hung up (an SSH connection dropped, the window
 * closed). The hangup also sends SIGHUP, which means reload here, so the
 * input fd is what tells: after a hangup it reports POLLHUP or an error,
 * and promdeck must end rather than spin on a dead terminal.
 */
static bool
terminal_gone(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };

    return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

/* The range or a template variable changed: the queries change too. */
static void
apply_view_change(struct loop *l, unsigned act)
{
    size_t var, value;

    if (act & UI_RANGE)
        dash_set_range(l->dash, ui_range_ms(l->ui));
    if ((act & UI_VARIABLE) && ui_variable_choice(l->ui, &var, &value))
        dash_set_variable(l->dash, var, value);
}

/*
 * Whether a server's data is due again: every --refresh, but not more
 * often than its scrape_interval, since nothing new can have arrived
 * sooner; while it cannot be reached, every --refresh, so it is back on
 * screen soon after it is back.
 */
static bool
remote_due(struct loop *l, int64_t now)
{
    int64_t every = l->cli->refresh_ms;

    if (l->source == NULL || now < l->next_remote)
        return false;
    if (l->source->min_step_ms > every
        && api_client_down(l->source->client) == NULL)
        every = l->source->min_step_ms;
    l->next_remote = now + every;
    return true;
}

/*
 * Once a minute: the store drops the series that have had no sample for
 * a whole retention (store_trim, a slice on every pass, drops the
 * chunks), and the heap gives back the pages that frees left empty.
 * glibc keeps them otherwise: a frame that decoded whole ranges (a page
 * shown again, a changed range) frees tens of megabytes in pieces too
 * small to be mapped on their own, and they would stay resident for
 * good.
 */
static void
collect_garbage(struct loop *l, int64_t now)
{
    store_drop_idle(l->store, now);
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

/* Reload, range and variable changes, explore's Enter; true when the
 * data to show changed. */
static bool
handle_action(struct loop *l, unsigned act, int64_t now)
{
    bool changed = false;

    if ((act & UI_RELOAD) || reload_requested) {
        reload(l, now);
        changed = true;
    }
    if (act & (UI_RANGE | UI_VARIABLE))
        apply_view_change(l, act);
    if (act & UI_EXPLORE)
        run_explore(l, now);
    return changed;
}

/*
 * Step 1, between frames only: scrapes land then, so a frame's panels
 * read one store and share what they decode (transfers wait no longer
 * than when a frame was evaluated in one go). A key that waits stops
 * them after LAND_SLICE_MS (key_before_bodies).
 */
static void
move_transfers(struct live *v, int64_t now)
{
    if (v->evaluating)
        return;
    v->land_began = time_mono_s();
    v->changed |= scrape_pool_pump_until(v->l->pool, now, key_before_bodies,
                                         v) > 0;
    v->changed |= sync_targets(v->l, now);
    /* A Tab that waited for a server's names took them: shown now,
     * without another key. */
    if (v->l->source != NULL && v->l->source->names_redraw) {
        v->l->source->names_redraw = false;
        draw(v->l);
    }
}

/* Step 4: a frame is begun each refresh period when data came in (else
 * the targets are read again and the screen drawn), and evaluated a
 * slice per pass. */
static void
evaluate(struct live *v, int64_t now)
{
    if (!v->evaluating && now >= v->next_frame) {
        if (v->changed && !ui_paused(v->l->ui)) {
            begin_frame(v, now);
        } else {
            /* Discovery's errors come without any data. */
            if (!ui_paused(v->l->ui))
                fill_targets(v->l);
            draw(v->l);
        }
        v->changed = false;
        v->next_frame = now + v->l->cli->refresh_ms;
    }
    if (v->evaluating)
        step_frame(v);
}

/* explore's hint line on the local scrapes' metadata (ctx: the pool's
 * registry). */
static bool
describe_local(void *ctx, const char *metric, struct explore_hint *out)
{
    return meta_reg_find(ctx, metric, out->type, sizeof(out->type),
                         out->help, sizeof(out->help));
}

/*
 * The heap of a running TUI: each frame's evaluations allocate and free
 * a few megabytes of arena blocks. glibc gives the top of the heap back
 * to the kernel whenever that much lies free, and raises its mmap
 * threshold by itself, so each frame faulted in and zeroed fresh pages
 * again (a tenth of the process's time, under perf). Fixed thresholds
 * keep those pages for the next frame; collect_garbage still gives
 * free memory back once a minute.
 */
static void
tune_heap(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 32 << 20);
#endif
}

/*
 * One pass: wait (not at all while a frame is being evaluated or the
 * store has trimming left, so that keys are read between their slices),
 * move transfers along (between frames), read keys and answer them at
 * once, start due scrapes, then evaluate.
 */
static int
run_live(struct loop *l)
{
    int64_t now = time_now_ms(), next_gc = now;
    bool trim_left = false;
    struct explore_completer completer = {
        .ctx = l->store, .complete = complete_from_store,
        .describe_ctx = scrape_pool_meta(l->pool),
        .describe = describe_local,
    };
    struct live v = { l, true, false, -1, now, now, 0, 0 };

    if (l->source != NULL) {
        completer = (struct explore_completer){
            .ctx = l->source, .complete = source_complete,
            .pending = source_names_pending,
            .describe_ctx = l->source, .describe = source_describe,
        };
        l->source->ui = l->ui;
        source_prefetch_names(l->source);
    }
    ui_set_completer(l->ui, &completer);
    tune_heap();
    /* promdeck with no arguments: this host and its containers first. */
    if (l->cli->collector && l->cli->ndash == 0)
        ui_show_containers(l->ui, dash_model(l->dash));
    set_rule_opts(l);
    apply_notifier(l);
    while (!quit_requested) {
        bool key = false;
        unsigned act;

        scrape_pool_wait(l->pool, ui_input_fd(l->ui),
                         v.evaluating || trim_left ? 0
                         : wait_time(l, now, v.next_frame), &key);
        if (key && terminal_gone(ui_input_fd(l->ui)))
            break;
        now = time_now_ms();
        move_transfers(&v, now);                            /* 1 */
        act = ui_handle_input(l->ui, dash_model(l->dash), l->targets.view.n,
                              key);
        if (act & UI_QUIT)                                  /* 2 */
            break;
        v.changed |= handle_action(l, act, now);
        if (act != UI_NONE)
            answer_key(&v);
        scrape_pool_start_due(l->pool, now);                /* 3 */
        /* Rules write to the store too: between frames, as scrapes. */
        if (!v.evaluating && run_rules(l, now))
            v.changed = true;
        if (l->notifier != NULL)
            notifier_tick(l->notifier, now);
        /* A server's data moves on without scrapes here. */
        v.changed |= remote_due(l, now);
        evaluate(&v, now);                                  /* 4 */
        if (now >= next_gc) {
            collect_garbage(l, now);
            next_gc = now + GC_EVERY_MS;
        }
        /* A slice on every pass; while it leaves work, no wait. */
        trim_left = store_trim(l->store, now);
    }
    notifier_free(l->notifier);
    l->notifier = NULL;
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

/* A duration rounded up to whole seconds, as Prometheus prints one. */
static void
format_secs(int64_t ms, char *out, size_t size)
{
    duration_format(ms <= 0 ? 0 : (ms + 999) / 1000 * 1000, out, size);
}

/*
 * One line on stderr (never stdout, which --once and query keep for
 * their output) saying what collection still waits for and for how long
 * at most: discovery, targets never scraped, or targets waiting for the
 * second scrape rates need, which with a long scrape_interval is what
 * takes the time.
 */
static void
note_waiting(const struct loop *l, int64_t now, int64_t deadline,
             bool discovering)
{
    size_t n = scrape_pool_count(l->pool), none = 0, one = 0;
    char left[32], next[32];

    format_secs(deadline - now, left, sizeof left);
    if (discovering) {
        fprintf(stderr, "promdeck: waiting for service discovery, up to "
                "%s more\n", left);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        struct scrape_status st;

        scrape_pool_status(l->pool, i, &st);
        none += st.scrapes == 0;
        one += st.scrapes == 1;
    }
    format_secs(scrape_pool_next_due(l->pool) - now, next, sizeof next);
    if (none > 0 && one > 0)
        fprintf(stderr, "promdeck: waiting for %zu of %zu targets (%zu not "
                "scraped yet, %zu for the second scrape rates need), up "
                "to %s more\n", none + one, n, none, one, left);
    else if (none > 0)
        fprintf(stderr, "promdeck: waiting for %zu of %zu targets (first "
                "scrape), up to %s more\n", none, n, left);
    else
        fprintf(stderr, "promdeck: waiting for %zu of %zu targets (second "
                "scrape for rates, next in %s), up to %s more\n", one, n,
                next, left);
}

/* Says what collection waits for when it is time to (see above); true
 * once anything was said. */
static bool
maybe_note(const struct loop *l, int64_t now, int64_t deadline,
           bool discovering, int64_t *next_note)
{
    if (now < *next_note)
        return false;
    note_waiting(l, now, deadline, discovering);
    *next_note = now + WAIT_NOTE_EVERY_MS;
    return true;
}

/* The last word when --timeout ends collection early. */
static void
give_up_note(const struct loop *l)
{
    char t[32];

    format_secs(l->cli->timeout_ms, t, sizeof t);
    fprintf(stderr, "promdeck: stopped waiting after %s (--timeout); "
            "panels may lack data\n", t);
}

bool
loop_collect(struct loop *l)
{
    int64_t now = time_now_ms(), deadline = now + l->cli->timeout_ms;
    int64_t sd_deadline = now + DISCOVERY_WAIT_MS;
    int64_t next_note = now + WAIT_NOTE_FIRST_MS;
    bool noted = false;

    sync_targets(l, now);
    while (!quit_requested && discovery_pending(l->disc)
           && now < sd_deadline) {
        scrape_pool_wait(l->pool, -1, 100, NULL);
        now = time_now_ms();
        sync_targets(l, now);
        noted |= maybe_note(l, now, sd_deadline, true, &next_note);
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
        noted |= maybe_note(l, now, deadline, false, &next_note);
    }
    if (noted && !quit_requested && !all_scraped_twice(l->pool))
        give_up_note(l);
    return !quit_requested;
}

static size_t
dash_pending_cb(const void *ctx)
{
    return dash_pending(ctx);
}

static size_t
api_pending_cb(const void *ctx)
{
    return api_client_pending(ctx);
}

/*
 * --once on a server: the variables (a chain of requests), then every
 * query and the targets, waiting at most --timeout in all; a query still
 * unanswered then counts as failed.
 */
static size_t
evaluate_remote(struct loop *l)
{
    struct fetch *f = scrape_pool_fetch(l->pool);
    int64_t deadline = time_now_ms() + l->cli->timeout_ms;

    dash_refresh_variables(l->dash, l->store);
    source_wait(f, deadline, dash_pending_cb, l->dash);
    dash_evaluate(l->dash, l->store, time_now_ms(), -1);
    source_poll_targets(l->source);
    source_poll_rule_views(l->source, time_now_ms());
    if (!source_wait(f, deadline, api_pending_cb, l->source->client))
        fprintf(stderr, "promdeck: %s did not answer every request "
                "within --timeout\n", api_client_url(l->source->client));
    else if (source_banner(l->source, l->cli->attach) != NULL)
        fprintf(stderr, "promdeck: %s\n", source_banner(l->source,
                                                         l->cli->attach));
    return dash_failed(l->dash) + dash_pending(l->dash);
}

/*
 * With this host's collector as the source, the node target's summary
 * for the JSON snapshot; NULL otherwise (or when it has no target).
 */
static const struct snapshot_host *
host_summary(const struct loop *l, struct snapshot_host *h, int64_t now)
{
    if (!l->cli->collector)
        return NULL;
    for (size_t i = 0; i < l->targets.view.n; i++)
        if (strcmp(l->targets.rows[i].job, "node") == 0) {
            snapshot_host_fill(h, l->store, l->targets.rows[i].instance,
                               now);
            return h;
        }
    return NULL;
}

static int
run_once(struct loop *l)
{
    struct snapshot_host host;
    struct snapshot_more more;
    size_t failed;
    int64_t now;
    struct buf out;
    struct qeval_ctl ctl;

    now = time_now_ms();
    if (l->source != NULL) {
        failed = evaluate_remote(l);
        fill_rules(l);     /* the server's, as they just came */
    } else {
        if (!loop_collect(l))
            return 1;
        now = time_now_ms();
        set_rule_opts(l);
        if (l->rules != NULL)
            ruleset_eval_all(l->rules, l->store, now);
        rule_list_fill(&l->rulelist, l->rules);
        query_limits(l, &ctl);
        dash_set_limits(l->dash, &ctl);
        dash_refresh_variables(l->dash, l->store);
        failed = dash_evaluate(l->dash, l->store, now, -1);
    }
    if (quit_requested)
        return 128 + quit_requested;
    fill_targets(l);
    log_debug("%s: %zu queries failed, %zu/%zu targets up", __func__,
              failed, l->targets.up, l->targets.view.n);
    buf_init(&out, 0);
    if (l->cli->output == CLI_JSON) {
        /* Containers come along when a cAdvisor-style source is there. */
        struct container_table c = { 0 };

        containers_eval(&c, l->store, now, 0, 0);
        more.rules = &l->rulelist.view;
        more.host = host_summary(l, &host, now);
        more.containers = c.present ? &c : NULL;
        snapshot_json(dash_model(l->dash), l->targets.rows,
                      l->targets.view.n, &more, &out);
        containers_fini(&c);
    } else {
        ui_render_text(dash_model(l->dash), &l->targets.view, l->cli->width,
                       l->cli->glyphs, &out);
        snapshot_alerts_text(&l->rulelist.view, now, &out);
    }
    fputs(buf_str(&out), stdout);
    buf_fini(&out);
    if (l->source != NULL)
        return failed > 0 || api_client_down(l->source->client) ? 1 : 0;
    return (l->targets.up == 0 || failed > 0) ? 1 : 0;
}

int
loop_run(struct loop *l)
{
    int rc;

    targets_init(&l->targets);
    rule_list_init(&l->rulelist);
    set_dash_steps(l);
    rc = l->ui != NULL ? run_live(l) : run_once(l);
    rule_list_fini(&l->rulelist);
    targets_fini(&l->targets);
    containers_fini(&l->containers);
    config_dropped_free(l->dropped, l->ndropped);
    l->dropped = NULL;
    l->ndropped = 0;
    free(l->reload_error);
    l->reload_error = NULL;
    return rc;
}

/* --- for a loop without a screen (promdeck serve) ----------------------- */

bool
loop_quit_requested(void)
{
    return quit_requested != 0;
}

bool
loop_reload_requested(void)
{
    return reload_requested != 0;
}

bool
loop_sync_targets(struct loop *l, int64_t now)
{
    return sync_targets(l, now);
}

void
loop_reload(struct loop *l, int64_t now)
{
    reload(l, now);
}
