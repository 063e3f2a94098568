/*
 * Screen benchmark: a golden-signals dashboard (traffic graph by status
 * code, latency, errors stat, memory bars, a 20-row target table) drawn
 * on a 200x50 pseudo-terminal once per simulated second for ten minutes,
 * with a scrape every 15 s. Prints the bytes sent to the terminal (the
 * first full frame apart) and the draw time per frame. Asserts nothing.
 */
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "src/base/arena.h"
#include "src/base/duration.h"
#include "ui/theme.h"
#include "ui/ui.h"

#define FRAMES  600
#define STEP    15000LL
#define RANGE   (15 * 60000LL)
#define T0      1700000000000LL
#define NINST   20

static struct arena *arena;

/* A wave per series, stepping once per scrape, like a live rate. */
static double
wave(int s, int64_t t)
{
    double k = (double)(t / STEP);

    return 50 + 40 * sin(k / 9.0 + s) + 7 * sin(k * 1.7 + 3 * s) + 10 * s;
}

static struct label *
lab(const char *name, const char *value)
{
    struct label *l = arena_calloc(arena, 1, sizeof *l);

    l->name = name;
    l->value = arena_strdup(arena, value);
    return l;
}

/* A matrix of n series over [now - RANGE, now] at STEP, labelled key, as
 * a range query sees it: each point holds the last scrape's value. */
static struct qresult *
matrix(int n, const char *key, int64_t now, int base)
{
    struct qresult *r = arena_calloc(arena, 1, sizeof *r);
    int64_t start = now - RANGE;
    size_t np = (size_t)(RANGE / STEP) + 1;
    char v[32];

    r->type = QV_MATRIX;
    r->t = now;
    r->nseries = (size_t)n;
    r->series = arena_calloc(arena, (size_t)n, sizeof *r->series);
    for (int s = 0; s < n; s++) {
        struct qseries *q = &r->series[s];

        snprintf(v, sizeof v, "%d", base + s);
        q->labels.v = lab(key, v);
        q->labels.n = 1;
        q->npoints = np;
        q->points = arena_calloc(arena, np, sizeof *q->points);
        for (size_t i = 0; i < np; i++) {
            q->points[i].t = start + (int64_t)i * STEP;
            q->points[i].v = wave(s + base, q->points[i].t);
        }
    }
    return r;
}

static struct panel_query queries[7];
static char *join[] = { "instance" };

static struct panel
mkpanel(const char *title, enum panel_kind k, enum unit u, int width,
        struct panel_query *q, size_t nq)
{
    struct panel p = {
        .title = (char *)title, .kind = k, .unit = u, .decimals = -1,
        .min = NAN, .max = NAN, .width = width, .queries = q,
        .nqueries = nq,
    };

    return p;
}

/* Replaces every result, as src/ does after an evaluation. */
static void
evaluate(struct dashboard *d, int64_t now)
{
    arena_free(arena);
    arena = arena_new();
    queries[0].result = matrix(5, "code", now, 200);
    queries[1].result = matrix(3, "quantile", now, 0);
    queries[2].result = matrix(1, "job", now, 0);
    queries[3].result = matrix(1, "job", now, 1);
    queries[4].result = matrix(8, "instance", now, 0);
    queries[5].result = matrix(NINST, "instance", now, 0);
    queries[6].result = matrix(NINST, "instance", now, 0);
    d->now_ms = now;
    for (size_t r = 0; r < d->pages[0].nrows; r++)
        for (size_t p = 0; p < d->pages[0].rows[r].npanels; p++)
            d->pages[0].rows[r].panels[p].dirty = true;
}

/* stdin and stdout onto a 200x50 pty slave; returns the master. */
static int
open_pty(void)
{
    struct winsize ws = { .ws_row = 50, .ws_col = 200 };
    int m = posix_openpt(O_RDWR | O_NOCTTY), s;

    if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
        return -1;
    s = open(ptsname(m), O_RDWR | O_NOCTTY);
    if (s < 0)
        return -1;
    ioctl(s, TIOCSWINSZ, &ws);
    fflush(stdout);
    dup2(s, STDIN_FILENO);
    dup2(s, STDOUT_FILENO);
    fcntl(m, F_SETFL, O_NONBLOCK);
    return m;
}

static atomic_long received;
static atomic_bool stop;

/* Reads the terminal's side all along, so ncurses never blocks on a full
 * pty buffer, and counts the bytes. */
static void *
reader(void *arg)
{
    int m = *(int *)arg;
    struct pollfd pfd = { .fd = m, .events = POLLIN };
    char b[65536];
    ssize_t r;

    while (!atomic_load(&stop)) {
        if (poll(&pfd, 1, 20) <= 0)
            continue;
        while ((r = read(m, b, sizeof b)) > 0)
            atomic_fetch_add(&received, (long)r);
    }
    return NULL;
}

/* The bytes received so far, once the terminal side has gone quiet. */
static long
settle(void)
{
    long n;

    do {
        n = atomic_load(&received);
        usleep(20000);
    } while (atomic_load(&received) != n);
    return n;
}

int
main(void)
{
    struct panel top[2], mid[3], low[1];
    struct row rows[3];
    struct page page = { .title = "golden signals", .rows = rows,
                         .nrows = 3 };
    struct dashboard d = { .title = "bench", .pages = &page, .npages = 1,
                           .range_ms = RANGE, .step_ms = STEP };
    struct ui_options o = { 0 };
    struct diag dg;
    int out = dup(STDOUT_FILENO), m;
    long first, rest;
    double t, draw = 0;
    pthread_t th;
    struct ui *ui;
    FILE *f;

    queries[5].style = COLUMN_VALUE;
    queries[5].column = "req/s";
    queries[6].style = COLUMN_SPARK;
    queries[6].column = "trend";
    for (int i = 0; i < 7; i++)
        queries[i].expr = "bench";
    top[0] = mkpanel("Requests by code", PANEL_GRAPH, UNIT_REQPS, 2,
                     &queries[0], 1);
    top[1] = mkpanel("Latency", PANEL_GRAPH, UNIT_SECONDS, 1, &queries[1], 1);
    mid[0] = mkpanel("Errors", PANEL_STAT, UNIT_PERCENT, 1, &queries[2], 1);
    mid[1] = mkpanel("In flight", PANEL_STAT, UNIT_NONE, 1, &queries[3], 1);
    mid[2] = mkpanel("Memory", PANEL_BARS, UNIT_BYTES, 2, &queries[4], 1);
    low[0] = mkpanel("Targets", PANEL_TABLE, UNIT_REQPS, 1, &queries[5], 2);
    low[0].join = join;
    low[0].njoin = 1;
    rows[0] = (struct row){ .height = 2, .panels = top, .npanels = 2 };
    rows[1] = (struct row){ .height = 1, .panels = mid, .npanels = 3 };
    rows[2] = (struct row){ .height = 2, .panels = low, .npanels = 1 };
    setenv("TERM", "xterm-256color", 1);
    m = open_pty();
    arena = arena_new();
    ui = m >= 0 ? ui_open(&o, &dg) : NULL;
    if (ui == NULL) {
        dup2(out, STDOUT_FILENO);
        printf("bench_ui: no pseudo-terminal or terminal type: skipped\n");
        return 0;
    }
    pthread_create(&th, NULL, reader, &m);
    evaluate(&d, T0);
    ui_draw(ui, &d, NULL, "20/20 targets up");
    first = settle();
    for (int i = 1; i < FRAMES; i++) {
        evaluate(&d, T0 + i * 1000LL);
        t = time_mono_s();
        ui_draw(ui, &d, NULL, "20/20 targets up");
        draw += time_mono_s() - t;
    }
    rest = settle() - first;
    ui_close(ui);
    atomic_store(&stop, true);
    pthread_join(th, NULL);
    dup2(out, STDOUT_FILENO);
    f = stdout;
    fprintf(f, "200x50, 1 s refresh, 15 s scrapes, %d frames\n", FRAMES);
    fprintf(f, "first frame   %8ld bytes\n", first);
    fprintf(f, "per frame     %8.0f bytes (= bytes/s)\n",
            (double)rest / (FRAMES - 1));
    fprintf(f, "draw time     %8.3f ms per frame\n",
            draw * 1000 / (FRAMES - 1));
    arena_free(arena);
    return 0;
}
