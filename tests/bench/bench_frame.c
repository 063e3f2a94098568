/*
 * The cost of the built-in overview's frames as history grows. A store
 * is fed as the scale benchmark's target farm feeds promdeck: TARGETS
 * targets scraped every 5 s at their own offsets, each with request
 * counters by code and handler, a latency histogram, an in-flight
 * gauge, memory, goroutines and up, and SYNTHETIC more counters. Each
 * simulated second the scrapes due are appended and the overview (page
 * 0, every panel) is evaluated as the TUI evaluates it each second,
 * through the same dashboard code. Prints the mean and slowest CPU time
 * of a frame per minute of history, and the share of a core that a
 * refresh every second costs: a frame at minute 20 should cost what one
 * at minute 2 does. It asserts nothing about time.
 *
 * With -s SECONDS it measures what a view switch waits for instead: the
 * store is filled with MINUTES of history at INTERVAL (no frames; with
 * RETENTION_MIN below MINUTES, retention drops data as it does after
 * the TUI's first hour), then for SECONDS of wall time it runs the
 * TUI's loop (src/loop.c) against the real clock: scrapes land target
 * by target, a frame is begun each second and evaluated in 8 ms slices,
 * the page shown is drawn (200x50, onto a canvas) when its frame is
 * complete, store_trim runs each pass (with no wait while it leaves
 * work), idle series are dropped and the heap trimmed every 20 s, and
 * a key arrives 300 ms after the last was answered,
 * switching between the overview and the per-target page (Tab,
 * Shift-Tab), which draws the new page at once. Keys are read where the
 * loop reads them: between slices, passes and landed scrapes, and at
 * the evaluator's interrupt hook, which stops the query when a key
 * waits, as the TUI's does (looking no more than once a millisecond).
 * It prints the stretches between two such points by what ran in them
 * (wall time, and CPU time, which the other work on a shared machine
 * leaves out), and how long each key took to be read and drawn.
 *
 * With -i as well, the loop is the TUI's at rest: no key is pressed, the
 * overview refreshes each second, and scrapes land between the slices
 * of a frame (the loop moves transfers along between them), so the
 * store changes between one panel and the next as it does in the TUI.
 * It prints the CPU time of the frames' evaluation, their mean and
 * median.
 *
 * usage: bench_frame [-s SECONDS [-i]] [TARGETS [SYNTHETIC [MINUTES
 *                    [INTERVAL_S [RETENTION_MIN]]]]]  (200 100 20 5 60)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "query/query.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"
#include "src/dash/dash.h"
#include "store/store.h"
#include "tests/bench/bench.h"
#include "ui/canvas.h"
#include "ui/ui.h"
#include "ui/view.h"

#define RANGE       (15 * 60000LL)
#define NOW0        1700000000000LL

static const char *const handlers[] = { "/", "/api/images", "/healthz" };
static const char *const codes[] = { "200", "404", "500" };
static const char *const les[] = { "0.005", "0.01", "0.025", "0.05", "0.1",
                                   "0.25", "0.5", "1", "2.5", "5", "10",
                                   "+Inf" };
#define NH (sizeof(handlers) / sizeof(handlers[0]))
#define NLE (sizeof(les) / sizeof(les[0]))

/* One series of a target: its id and how its value moves per scrape. */
struct ser {
    uint32_t id;
    double v, inc;
    int gauge;
};

struct fleet {
    struct store *st;
    struct ser *s;
    size_t n, per;          /* series, series per target */
    size_t ntargets;
    int64_t interval;       /* ms between two scrapes of a target */
};

/* Makes one series from name and up to three label pairs (sorted by
 * name, as store_series_id wants them). */
static void
add(struct fleet *f, size_t target, const char *name, const char *l1,
    const char *v1, const char *l2, const char *v2, double inc, int gauge)
{
    char inst[32];
    struct label v[6];
    struct labels ls = { v, 0 };
    struct ser *s = &f->s[f->n++];

    snprintf(inst, sizeof(inst), "127.0.0.1:%zu", 20000 + target);
    v[ls.n++] = (struct label){ "__name__", name };
    if (l1 != NULL && strcmp(l1, "instance") < 0)
        v[ls.n++] = (struct label){ l1, v1 };
    v[ls.n++] = (struct label){ "instance", inst };
    v[ls.n++] = (struct label){ "job", "farm" };
    if (l1 != NULL && strcmp(l1, "instance") > 0)
        v[ls.n++] = (struct label){ l1, v1 };
    if (l2 != NULL)
        v[ls.n++] = (struct label){ l2, v2 };
    labels_sort(&ls);
    s->id = store_series_id(f->st, &ls);
    s->v = 0;
    s->inc = inc;
    s->gauge = gauge;
}

static void
make_target(struct fleet *f, size_t t, size_t synthetic)
{
    char id[24];

    for (size_t h = 0; h < NH; h++) {
        for (size_t c = 0; c < 3; c++)
            if (!(h == 2 && c == 1))
                add(f, t, "app_requests_total", "code", codes[c],
                    "handler", handlers[h], c == 0 ? 20 : 1, 0);
        for (size_t b = 0; b < NLE; b++)
            add(f, t, "app_request_duration_seconds_bucket", "handler",
                handlers[h], "le", les[b], (double)(b + 1), 0);
        add(f, t, "app_request_duration_seconds_count", "handler",
            handlers[h], NULL, NULL, 12, 0);
    }
    add(f, t, "app_in_flight_requests", NULL, NULL, NULL, NULL, 3, 1);
    add(f, t, "process_resident_memory_bytes", NULL, NULL, NULL, NULL,
        2e7, 1);
    add(f, t, "go_goroutines", NULL, NULL, NULL, NULL, 8, 1);
    add(f, t, "up", NULL, NULL, NULL, NULL, 1, 1);
    add(f, t, "promhttp_metric_handler_requests_total", "code", "200",
        NULL, NULL, 1, 0);
    for (size_t k = 0; k < synthetic; k++) {
        snprintf(id, sizeof(id), "%05zu", k);
        add(f, t, "app_synthetic_total", "id", id, NULL, NULL, 0.5, 0);
    }
}

/* Appends every scrape due in (from, to]: target t scrapes at its own
 * offset within the interval. */
static bool
scrape_target(struct fleet *f, size_t t, int64_t from, int64_t to)
{
    bool any = false;

    int64_t off = (int64_t)(t * 7919 % (size_t)f->interval);
    int64_t k = (from - off) / f->interval + 1;

    for (int64_t at = k * f->interval + off; at <= to; at += f->interval) {
        struct ser *s = &f->s[t * f->per];

        for (size_t i = 0; i < f->per; i++, s++) {
            s->v = s->gauge ? s->inc * (1 + (double)(at / f->interval % 7)
                                        / 10)
                            : s->v + s->inc;
            store_append(f->st, s->id, at, s->v);
        }
        any = true;
    }
    return any;
}

static void
scrape(struct fleet *f, int64_t from, int64_t to)
{
    for (size_t t = 0; t < f->ntargets; t++)
        scrape_target(f, t, from, to);
}

/* The frame benchmark: the overview evaluated each simulated second. */
static void
frames(struct fleet *f, struct dash *d, int minutes)
{
    int64_t now = NOW0;

    printf("%6s %10s %10s %10s\n", "minute", "mean_ms", "max_ms",
           "core%");
    for (int m = 1; m <= minutes; m++) {
        double sum = 0, max = 0;

        for (int s = 0; s < 60; s++) {
            double t0;

            scrape(f, now, now + 1000);
            now += 1000;
            if (m % 15 == 0 && s == 0)
                store_gc(f->st, now);
            t0 = bench_cpu_s();
            if (dash_evaluate(d, f->st, now, 0) != 0 && m == 1 && s == 0)
                fprintf(stderr, "frame: a query failed\n");
            t0 = bench_cpu_s() - t0;
            sum += t0;
            max = t0 > max ? t0 : max;
        }
        printf("%6d %10.2f %10.2f %10.1f\n", m, sum / 60 * 1000, max * 1000,
               sum / 60 * 100);
        fflush(stdout);
    }
}

/* What ran between two points where the loop reads keys. */
enum stretch {
    U_SCRAPE, U_BEGIN, U_REFOCUS, U_QUERY, U_DRAW0, U_DRAW1, U_GC, U_HEAP,
    U_TRIM, U_IDLE, U_N
};
static const char *const unit_names[U_N] = {
    "a target's scrape landing", "dash_frame_begin", "dash_frame_refocus",
    "evaluation between two key reads", "a draw of the overview",
    "a draw of the per-target page",
    "store_drop_idle", "malloc_trim", "store_trim", "waiting",
};

#define MAX_KEYS 4096
#define MAX_FRAMES 4096
#define KEY_GAP_S 0.3
/* The TUI collects garbage once a minute; here more often, to see it. */
#define GC_EVERY_MS 20000

/* The switch benchmark's loop: its key reads and what ran between. */
struct sim {
    double last;                /* time_mono_s() of the last key read */
    double last_cpu;            /* bench_cpu_s() then */
    double max[U_N];            /* the longest stretch of each unit */
    double max_cpu[U_N], total_cpu[U_N];    /* the CPU time in them */
    size_t count[U_N];
    size_t over[U_N];           /* stretches over 8 ms */
    double total[U_N];
    double key_at;              /* when the next key arrives */
    double waited[MAX_KEYS];    /* each key: from its press to drawn */
    size_t nkeys;
    double frame_cpu[MAX_FRAMES];   /* each frame: its evaluation's CPU */
    size_t nframes;
    double cpu_in_frame;        /* the frame under way's, so far */
    struct canvas *c;           /* the screen, as the TUI draws it */
    struct view_state vs;
    struct view_memo *memo;
};

/* A point where the loop reads keys: what ran since the last is u.
 * True when a key waits. */
static bool
key_read(struct sim *m, enum stretch u)
{
    double t = time_mono_s(), gap = t - m->last;
    double c = bench_cpu_s(), used = c - m->last_cpu;

    m->last = t;
    m->last_cpu = c;
    m->total_cpu[u] += used;
    if (u == U_BEGIN || u == U_QUERY)
        m->cpu_in_frame += used;
    if (used > m->max_cpu[u])
        m->max_cpu[u] = used;
    m->count[u]++;
    m->total[u] += gap;
    if (gap > m->max[u])
        m->max[u] = gap;
    if (gap > 0.008)
        m->over[u]++;
    return t >= m->key_at;
}

/* The evaluator's interrupt hook: the loop's input_waiting, which looks
 * at the terminal no more than once a millisecond. */
static bool
hook(void *ctx)
{
    struct sim *m = ctx;

    if (time_mono_s() - m->last < 0.001)
        return false;
    return key_read(m, U_QUERY);
}

static void
report(struct sim *m)
{
    double *w = m->waited;
    size_t n = m->nkeys;

    qsort(w, n, sizeof(*w), bench_cmp_double);
    printf("stretches between two key reads, by what ran in them "
           "(wall ms, and CPU ms, which the machine's load leaves out):\n");
    printf("  %-34s %7s %6s %7s %6s %6s\n", "", "max", "mean", "cpu_max",
           "mean", ">8ms");
    for (int u = 0; u < U_IDLE; u++) {
        double k = m->count[u] ? (double)m->count[u] : 1;

        printf("  %-34s %7.1f %6.2f %7.1f %6.2f %6zu of %zu\n",
               unit_names[u], m->max[u] * 1000, m->total[u] / k * 1000,
               m->max_cpu[u] * 1000, m->total_cpu[u] / k * 1000,
               m->over[u], m->count[u]);
    }
    if (m->nframes > 0) {
        double sum = 0;

        for (size_t i = 0; i < m->nframes; i++)
            sum += m->frame_cpu[i];
        qsort(m->frame_cpu, m->nframes, sizeof(double), bench_cmp_double);
        printf("evaluation CPU per frame (%zu frames): mean %.2f  "
               "median %.2f  max %.2f ms\n", m->nframes,
               sum / (double)m->nframes * 1000,
               m->frame_cpu[m->nframes / 2] * 1000,
               m->frame_cpu[m->nframes - 1] * 1000);
    }
    if (n == 0)
        return;
    printf("key press to drawn (%zu keys): p50 %.1f  p90 %.1f  "
           "p99 %.1f  max %.1f ms\n", n, w[n / 2] * 1000,
           w[n * 9 / 10] * 1000, w[n * 99 / 100] * 1000, w[n - 1] * 1000);
}

/* dash_shown_fn: every panel is in sight. */
static bool
all_shown(void *ctx, size_t slot)
{
    (void)ctx;
    (void)slot;
    return true;
}

/* The loop's draw: the page shown, only what changed (a new page in
 * full), then every panel is clean. */
static void
draw(struct sim *m, struct dash *d, int page, int64_t now)
{
    struct dashboard *model = dash_model(d);

    m->vs.view = page;
    view_draw_memo(m->c, &m->vs, model, NULL, "", now, m->memo);
    for (size_t pg = 0; pg < model->npages; pg++)
        for (size_t r = 0; r < model->pages[pg].nrows; r++)
            for (size_t i = 0; i < model->pages[pg].rows[r].npanels; i++)
                model->pages[pg].rows[r].panels[i].dirty = false;
    key_read(m, page == 0 ? U_DRAW0 : U_DRAW1);
}

/* A key: it switches page, as Tab and Shift-Tab switch between the
 * overview and the per-target page, and is answered as answer_key does:
 * drawn at once, then the new page's panels are queued; the next key
 * comes KEY_GAP_S after. */
static void
answer(struct sim *m, struct dash *d, int *page, bool *evaluating,
       int64_t now)
{
    *page = !*page;
    draw(m, d, *page, now);
    if (m->nkeys < MAX_KEYS)
        m->waited[m->nkeys++] = time_mono_s() - m->key_at;
    *evaluating = dash_frame_refocus(d, *page, all_shown, NULL) > 0;
    key_read(m, U_REFOCUS);
    m->key_at = time_mono_s() + KEY_GAP_S;
}

/* Lands the scrapes due in (from, to] a target at a time, reading keys
 * between them as the loop does between bodies. */
static void
land(struct sim *m, struct fleet *f, int64_t from, int64_t to)
{
    for (size_t t = 0; t < f->ntargets; t++) {
        if (scrape_target(f, t, from, to))
            key_read(m, U_SCRAPE);
    }
}

/* Scrapes minutes of history from now, as the TUI keeps it (retention
 * applied each minute and trimmed each second); returns the new now. */
static int64_t
fill_history(struct fleet *f, int64_t now, int minutes)
{
    for (int s = 0; s < minutes * 60; s++) {
        scrape(f, now, now + 1000);
        now += 1000;
        if (s % 60 == 59)
            store_drop_idle(f->st, now);
        while (store_trim(f->st, now))
            continue;
    }
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 4 << 20);     /* as the TUI's tune_heap */
    mallopt(M_TRIM_THRESHOLD, 32 << 20);
#endif
    return now;
}

/* What a draw costs as text (--once): every page at 200 cells. */
static void
text_cost(struct fleet *f, struct dash *d, int64_t now)
{
    struct buf out;
    double t0;

    dash_evaluate(d, f->st, now, -1);
    t0 = time_mono_s();
    buf_init(&out, 0);
    ui_render_text(dash_model(d), NULL, 200, GLYPHS_BRAILLE, &out);
    buf_fini(&out);
    printf("every page drawn as text at 200 cells: %.1f ms\n",
           (time_mono_s() - t0) * 1000);
}

/* Each query reads keys at the evaluator's hook, as frame_limits in
 * src/loop.c sets it. */
static void
set_hook(struct dash *d, struct sim *m)
{
    struct qeval_ctl ctl;

    qeval_ctl_init(&ctl);
    ctl.interrupt = hook;
    ctl.interrupt_ctx = m;
    dash_set_limits(d, &ctl);
}

/* The view switch benchmark: the loop of src/loop.c against the clock
 * for seconds, after minutes of history; with at_rest, no keys and
 * scrapes landing between slices. */
static void
views(struct fleet *f, struct dash *d, int minutes, int seconds,
      bool at_rest)
{
    static struct sim m;
    int64_t now = NOW0, start, landed, next_frame = 0, next_gc;
    double t0;
    bool evaluating = false, trim_left = false;
    int page = 0;

    now = fill_history(f, now, minutes);
    set_hook(d, &m);
    if (at_rest)
        printf("at rest: %d minutes of history, %d s of the overview "
               "refreshing, scrapes landing between slices\n", minutes,
               seconds);
    else
        printf("switch: %d minutes of history, %d s of Tab/Shift-Tab "
               "every %.0f ms\n", minutes, seconds, KEY_GAP_S * 1000);
    fflush(stdout);
    m.c = canvas_new(200, 50, false);
    m.memo = view_memo_new();
    t0 = m.last = time_mono_s();
    m.last_cpu = bench_cpu_s();
    m.key_at = at_rest ? 1e300 : t0 + 2;    /* after the first frames */
    start = landed = now;
    next_gc = now + GC_EVERY_MS;
    while (time_mono_s() - t0 < seconds) {
        now = start + (int64_t)((time_mono_s() - t0) * 1000);
        if ((at_rest || !evaluating) && now > landed) {
            land(&m, f, landed, now);
            landed = now;
        }
        if (time_mono_s() >= m.key_at)
            answer(&m, d, &page, &evaluating, now);
        if (!evaluating && now >= next_frame) {
            dash_frame_begin(d, f->st, now, page, NULL, NULL);
            m.cpu_in_frame = 0;
            key_read(&m, U_BEGIN);
            evaluating = true;
            next_frame = now + 1000;
        }
        if (evaluating) {
            evaluating = !dash_frame_step(d, f->st,
                                          time_mono_s() + 0.008);
            key_read(&m, U_QUERY);
            if (!evaluating) {
                if (m.nframes < MAX_FRAMES)
                    m.frame_cpu[m.nframes++] = m.cpu_in_frame;
                draw(&m, d, page, now);
            }
        } else if (!trim_left) {
            usleep(1000);
            key_read(&m, U_IDLE);
        }
        if (now >= next_gc) {
            /* The loop's collect_garbage. */
            store_drop_idle(f->st, now);
            key_read(&m, U_GC);
#ifdef __GLIBC__
            malloc_trim(0);
            key_read(&m, U_HEAP);
#endif
            next_gc = now + GC_EVERY_MS;
        }
        trim_left = store_trim(f->st, now);
        key_read(&m, U_TRIM);
    }
    report(&m);
    view_memo_free(m.memo);
    canvas_free(m.c);
    text_cost(f, d, now);
}

int
main(int argc, char **argv)
{
    int seconds = 0;
    bool at_rest = false;
    size_t ntargets, synthetic;
    int minutes;
    long retention;
    struct fleet f = {0};
    struct dash *d = dash_new_builtin(RANGE);
    struct store_stats ss;

    if (argc > 2 && strcmp(argv[1], "-s") == 0) {
        seconds = (int)strtol(argv[2], NULL, 10);
        argc -= 2;
        argv += 2;
        if (argc > 1 && strcmp(argv[1], "-i") == 0) {
            at_rest = true;
            argc--;
            argv++;
        }
    }
    ntargets = argc > 1 ? strtoul(argv[1], NULL, 10) : 200;
    synthetic = argc > 2 ? strtoul(argv[2], NULL, 10) : 100;
    minutes = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 20;
    f.interval = argc > 4 ? strtol(argv[4], NULL, 10) * 1000 : 5000;
    retention = argc > 5 ? strtol(argv[5], NULL, 10) : 60;
    f.st = store_new(retention * 60000LL, 0);
    store_set_shared(f.st, false);      /* as the TUI reads it */
    f.per = NH * 3 - 1 + NH * (NLE + 1) + 5 + synthetic;
    f.ntargets = ntargets;
    f.s = xcalloc(ntargets * f.per, sizeof(*f.s));
    for (size_t t = 0; t < ntargets; t++)
        make_target(&f, t, synthetic);
    store_get_stats(f.st, &ss);
    printf("frame: %zu targets, %zu series, every %llds; the overview "
           "evaluated each second\n", ntargets, ss.series,
           (long long)f.interval / 1000);
    if (seconds > 0)
        views(&f, d, minutes, seconds, at_rest);
    else
        frames(&f, d, minutes);
    dash_free(d);
    store_free(f.st);
    free(f.s);
    return 0;
}
