/*
 * Containers: a header naming the columns (the sort column marked, as
 * btop marks it), then a row per container. Fixed columns for the
 * numbers, the name and image share what is left with the sparkline.
 * CPU is shown as btop shows a process, in percent of one core, and
 * against the quota when there is one; memory against the limit. A row
 * whose series stopped is drawn in the stale colour. The detail shows
 * four sparkline panels over the range. Nothing here evaluates: the
 * table comes filled from src/.
 */
#include "ui/view_containers.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"
#include "ui/format.h"
#include "ui/screen.h"
#include "ui/sparkline.h"
#include "ui/theme.h"

/* Column widths; name and image take a share of what is left. */
enum { W_STATE = 9, W_PCT = 6, W_QUOTA = 6, W_MEM = 9, W_RATE = 11,
       W_RESTARTS = 4, W_SPARK_MIN = 8 };

struct containers_state
view_containers_initial(void)
{
    return (struct containers_state){ .sort = CCOL_CPU, .sel = 0 };
}

/* The rows that pass the filter, in the sort's order; the count. */
static size_t
shown_rows(const struct container_table *t,
           struct series_filter *f,
           const struct containers_state *cs, size_t *order)
{
    size_t n = 0;

    containers_order(t, (enum container_col)cs->sort, !cs->asc, order);
    for (size_t i = 0; i < t->n; i++) {
        const struct container_row *r = &t->rows[order[i]];
        struct label l[4] = {
            { "id", r->id }, { "image", r->image }, { "name", r->name },
            { "state", r->state },
        };
        struct labels ls = { l, 4 };
        if (f == NULL || filter_match(f, &ls))
            order[n++] = order[i];
    }
    return n;
}

static void
fmt_pct(double v, char *out, size_t n)
{
    if (isnan(v))
        snprintf(out, n, "-");
    else
        snprintf(out, n, v >= 99.95 ? "%.0f" : "%.1f", v);
}

static void
fmt_bytes(double v, bool rate, char *out, size_t n)
{
    char num[24];

    if (isnan(v)) {
        snprintf(out, n, "-");
        return;
    }
    format_value(v, UNIT_BYTES, -1, num, sizeof num);
    format_trim_zeros(num);
    snprintf(out, n, "%.23s%s", num, rate ? "/s" : "");
}

/* The widths of the name and image columns, and the sparkline's. */
static void
flexible(int w, int *wname, int *wimage, int *wspark)
{
    int fixed = W_STATE + W_PCT + W_QUOTA + W_MEM + W_PCT + 4 * W_RATE
              + W_RESTARTS + 11;
    int rest = w - fixed;

    *wspark = rest > 3 * W_SPARK_MIN ? rest / 4 : 0;
    rest -= *wspark;
    *wname = rest > 0 ? rest / 2 : 0;
    *wimage = rest > 0 ? rest - *wname : 0;
}

struct cells {
    char name[256], image[256], state[32], cpu[16], quota[16], mem[32],
         memp[16], rx[32], tx[32], rd[32], wr[32], restarts[16];
};

static void
row_cells(const struct container_row *r, struct cells *k)
{
    const char *slash = strrchr(r->id, '/');

    /* Without Docker, the short cgroup id stands in for a name. */
    snprintf(k->name, sizeof k->name, "%s", r->name[0] ? r->name
             : slash && slash[1] ? slash + 1 : r->id);
    snprintf(k->image, sizeof k->image, "%s", r->image);
    snprintf(k->state, sizeof k->state, "%s", r->state[0] ? r->state
             : r->gone ? "gone" : "running");
    fmt_pct(r->cpu_cores * 100, k->cpu, sizeof k->cpu);
    if (r->quota_cores > 0)
        fmt_pct(r->cpu_cores / r->quota_cores * 100, k->quota,
                sizeof k->quota);
    else
        snprintf(k->quota, sizeof k->quota, "-");
    fmt_bytes(r->memory_bytes, false, k->mem, sizeof k->mem);
    if (r->memory_limit_bytes > 0)
        fmt_pct(r->memory_bytes / r->memory_limit_bytes * 100, k->memp,
                sizeof k->memp);
    else
        snprintf(k->memp, sizeof k->memp, "-");
    fmt_bytes(r->rx_bps, true, k->rx, sizeof k->rx);
    fmt_bytes(r->tx_bps, true, k->tx, sizeof k->tx);
    fmt_bytes(r->read_bps, true, k->rd, sizeof k->rd);
    fmt_bytes(r->write_bps, true, k->wr, sizeof k->wr);
    if (isnan(r->restarts))
        snprintf(k->restarts, sizeof k->restarts, "-");
    else
        snprintf(k->restarts, sizeof k->restarts, "%.0f", r->restarts);
}

/* The colour a share of a quota or limit gets, as btop shades its
 * meters; no share (no quota, no limit) is plain. */
static int
share_role(double part, double whole)
{
    double pct = whole > 0 ? part / whole * 100 : NAN;

    return isnan(pct) ? ROLE_DEFAULT : pct >= 90 ? ROLE_CRIT
         : pct >= 70 ? ROLE_WARN : ROLE_DEFAULT;
}

/* The top of a sparkline's scale: hi when given, else the history's
 * largest value, so an idle container's zeros sit on the floor rather
 * than mid-height as a flat series would. */
static double
scale_top(const double *v, size_t n, double hi)
{
    double top = 0;

    if (!isnan(hi))
        return hi;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]) && v[i] > top)
            top = v[i];
    return top > 0 ? top : 1;
}

/* One line of the table: the header (r NULL) or a row. */
static void
draw_line(struct canvas *c, int x0, int y, int w,
          const struct cells *k, const struct container_row *r,
          const struct containers_state *cs, bool selected)
{
    int wname, wimage, wspark, x = x0;
    int base = r == NULL ? ROLE_LABEL : selected ? ROLE_SELECTION
             : r->gone ? ROLE_STALE : ROLE_DEFAULT;
    int attr = r == NULL ? ATTR_BOLD : 0;

    flexible(w, &wname, &wimage, &wspark);
    if (selected)
        canvas_fill(c, (struct rect){ x0, y, w, 1 }, ' ', base, 0);
    const struct {
        const char *text;
        int width, col;
        bool right;
    } cols[] = {
        { k->name, wname, CCOL_NAME, false },
        { k->image, wimage, CCOL_IMAGE, false },
        { k->state, W_STATE, CCOL_STATE, false },
        { k->cpu, W_PCT, CCOL_CPU, true },
        { k->quota, W_QUOTA, -1, true },
        { k->mem, W_MEM, CCOL_MEM, true },
        { k->memp, W_PCT, -1, true },
        { k->rx, W_RATE, CCOL_NET_RX, true },
        { k->tx, W_RATE, CCOL_NET_TX, true },
        { k->rd, W_RATE, CCOL_BLK_READ, true },
        { k->wr, W_RATE, CCOL_BLK_WRITE, true },
        { k->restarts, W_RESTARTS, CCOL_RESTARTS, true },
    };
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) {
        int role = base, a = attr;
        if (r == NULL && cols[i].col == cs->sort) {
            role = ROLE_HI;
            a = ATTR_BOLD;
        } else if (r != NULL && !r->gone && !selected && cols[i].col == -1) {
            role = cols[i].text == k->quota
                 ? share_role(r->cpu_cores, r->quota_cores)
                 : share_role(r->memory_bytes, r->memory_limit_bytes);
        }
        if (cols[i].width > 0 && cols[i].right)
            canvas_text_right(c, x, y, cols[i].width, cols[i].text, role, a);
        else if (cols[i].width > 0)
            canvas_text(c, x, y, cols[i].width, cols[i].text, role, a);
        x += cols[i].width + (cols[i].width > 0);
    }
    if (r != NULL && wspark > 0 && r->nhistory > 0) {
        struct qpoint *pts = xcalloc(r->nhistory, sizeof *pts);
        for (size_t i = 0; i < r->nhistory; i++)
            pts[i] = (struct qpoint){ (int64_t)i, r->history[CHIST_CPU][i] };
        struct qseries s = { .points = pts, .npoints = r->nhistory };
        spark_draw(c, (struct rect){ x, y, wspark, 1 }, &s,
                   r->gone ? ROLE_STALE : ROLE_SERIES1, 0,
                   scale_top(r->history[CHIST_CPU], r->nhistory, NAN));
        free(pts);
    } else if (r == NULL && wspark > 0) {
        canvas_text(c, x, y, wspark, "CPU", ROLE_LABEL, ATTR_BOLD);
    }
}

static void
header_cells(const struct containers_state *cs, struct cells *k)
{
    const char *arrow = cs->asc ? "^" : "v";

    memset(k, 0, sizeof *k);
    snprintf(k->name, sizeof k->name, "NAME");
    snprintf(k->image, sizeof k->image, "IMAGE");
    snprintf(k->state, sizeof k->state, "STATE");
    snprintf(k->cpu, sizeof k->cpu, "CPU%%");
    snprintf(k->quota, sizeof k->quota, "%%QUOTA");
    snprintf(k->mem, sizeof k->mem, "MEM");
    snprintf(k->memp, sizeof k->memp, "%%LIMIT");
    snprintf(k->rx, sizeof k->rx, "NET RX");
    snprintf(k->tx, sizeof k->tx, "NET TX");
    snprintf(k->rd, sizeof k->rd, "BLK R");
    snprintf(k->wr, sizeof k->wr, "BLK W");
    snprintf(k->restarts, sizeof k->restarts, "RST");
    /* The sort column carries the direction, as btop's does. */
    char *slots[CCOL_COUNT] = { k->name, k->image, k->state, k->cpu, k->mem,
                                k->rx, k->tx, k->rd, k->wr, k->restarts };
    char *s = slots[cs->sort];
    size_t len = strlen(s);
    if (len + 2 < 16)
        snprintf(s + len, 16 - len, "%s", arrow);
}

/* One detail panel: a titled box with a sparkline of history h. */
static void
detail_panel(struct canvas *c, struct rect r,
             const struct container_row *row,
             enum container_hist h, const char *title,
             const char *now, double hi)
{
    char head[128];

    canvas_box(c, r, ROLE_BORDER);
    snprintf(head, sizeof head, " %s: %s ", title, now);
    canvas_text(c, r.x + 2, r.y, r.w - 4, head, ROLE_TITLE, ATTR_BOLD);
    if (r.w < 3 || r.h < 3 || row->nhistory == 0)
        return;
    struct qpoint *pts = xcalloc(row->nhistory, sizeof *pts);
    for (size_t i = 0; i < row->nhistory; i++)
        pts[i] = (struct qpoint){ (int64_t)i, row->history[h][i] };
    struct qseries s = { .points = pts, .npoints = row->nhistory };
    spark_draw(c, (struct rect){ r.x + 1, r.y + 1, r.w - 2, r.h - 2 }, &s,
               ROLE_SERIES1 + (int)h, 0,
               scale_top(row->history[h], row->nhistory, hi));
    free(pts);
}

static void
draw_detail(struct canvas *c, struct rect r,
            const struct container_row *row)
{
    struct cells k;
    char line[1200], now[160];
    int half = r.w / 2, ph = (r.h - 1) / 2;

    row_cells(row, &k);
    snprintf(line, sizeof line, "%.255s  %.255s  %.31s  %.500s  (Esc: back)",
             k.name, k.image[0] ? k.image : "-", k.state, row->id);
    canvas_text(c, r.x, r.y, r.w, line, ROLE_HI, ATTR_BOLD);
    if (ph < 3)
        return;
    snprintf(now, sizeof now, "%s%% of a core, %s%% of quota", k.cpu,
             k.quota);
    detail_panel(c, (struct rect){ r.x, r.y + 1, half, ph }, row,
                 CHIST_CPU, "CPU", now,
                 row->quota_cores > 0 ? row->quota_cores : NAN);
    snprintf(now, sizeof now, "%s, %s%% of limit", k.mem, k.memp);
    detail_panel(c, (struct rect){ r.x + half, r.y + 1, r.w - half, ph },
                 row, CHIST_MEM, "Memory", now,
                 row->memory_limit_bytes > 0 ? row->memory_limit_bytes
                                             : NAN);
    snprintf(now, sizeof now, "rx %s, tx %s", k.rx, k.tx);
    detail_panel(c, (struct rect){ r.x, r.y + 1 + ph, half, r.h - 1 - ph },
                 row, CHIST_NET, "Network", now, NAN);
    snprintf(now, sizeof now, "read %s, write %s", k.rd, k.wr);
    detail_panel(c, (struct rect){ r.x + half, r.y + 1 + ph, r.w - half,
                                   r.h - 1 - ph }, row, CHIST_IO,
                 "Block I/O", now, NAN);
}

static void
clamp(struct containers_state *cs, int n, int rows)
{
    cs->sel = cs->sel >= n ? n - 1 : cs->sel;
    cs->sel = cs->sel < 0 ? 0 : cs->sel;
    if (cs->sel < cs->scroll)
        cs->scroll = cs->sel;
    if (rows > 0 && cs->sel >= cs->scroll + rows)
        cs->scroll = cs->sel - rows + 1;
    if (cs->scroll > n - rows)
        cs->scroll = n - rows;
    cs->scroll = cs->scroll < 0 ? 0 : cs->scroll;
}

/* A btop meter: w cells, filled to share (0..1), coloured by it. */
static void
meter(struct canvas *c, int x, int y, int w, double share)
{
    int fill = isnan(share) ? 0 : (int)lround(share * w);
    int role = isnan(share) ? ROLE_STALE : share >= 0.9 ? ROLE_CRIT
             : share >= 0.7 ? ROLE_WARN : ROLE_GOOD;
    /* btop's squares; the empty part dotted, so it reads without
     * colour too. */
    uint32_t full = canvas_ascii(c) ? '#' : 0x25A0;
    uint32_t empty = canvas_ascii(c) ? '.' : 0x00B7;

    fill = fill < 0 ? 0 : fill > w ? w : fill;
    for (int i = 0; i < w; i++)
        canvas_put(c, x + i, y, i < fill ? full : empty,
                   i < fill ? role : ROLE_METER_BG, 0);
}

static void
fmt_uptime(double s, char *out, size_t n)
{
    long m = isnan(s) || s < 0 ? -1 : (long)(s / 60);

    if (m < 0)
        snprintf(out, n, "-");
    else if (m >= 1440)
        snprintf(out, n, "%ldd %ldh", m / 1440, m / 60 % 24);
    else
        snprintf(out, n, "%ldh %ldm", m / 60, m % 60);
}

/* Text then advance x; false when the line is full. */
static bool
put_text(struct canvas *c, int *x, int y, int end,
         const char *s, int role, int attr)
{
    if (*x >= end)
        return false;
    *x += canvas_text(c, *x, y, end - *x, s, role, attr) + 1;
    return true;
}

/* The host's summary line, btop's figures in one row. */
static void
host_line(struct canvas *c, struct rect r,
          const struct host_summary *h)
{
    char a[48], b[48], text[320];
    int x = r.x, end = r.x + r.w, y = r.y;

    fmt_uptime(h->uptime_s, a, sizeof a);
    snprintf(text, sizeof text, "%.127s  up %.47s  load %.2f %.2f %.2f",
             h->name[0] ? h->name : "host", a, h->load1, h->load5,
             h->load15);
    put_text(c, &x, y, end, text, ROLE_HI, ATTR_BOLD);
    if (put_text(c, &x, y, end, " CPU", ROLE_LABEL, ATTR_BOLD)
        && x + 10 < end) {
        meter(c, x, y, 10, h->cpu_busy);
        x += 11;
        fmt_pct(h->cpu_busy * 100, a, sizeof a);
        snprintf(text, sizeof text, "%s%%", a);
        put_text(c, &x, y, end, text, ROLE_DEFAULT, 0);
    }
    if (put_text(c, &x, y, end, " MEM", ROLE_LABEL, ATTR_BOLD)
        && x + 10 < end) {
        meter(c, x, y, 10, h->mem_total > 0 ? h->mem_used / h->mem_total
                                            : NAN);
        x += 11;
        fmt_bytes(h->mem_used, false, a, sizeof a);
        fmt_bytes(h->mem_total, false, b, sizeof b);
        snprintf(text, sizeof text, "%s/%s", a, b);
        put_text(c, &x, y, end, text, ROLE_DEFAULT, 0);
    }
    fmt_bytes(h->swap_used, false, a, sizeof a);
    fmt_bytes(h->swap_total, false, b, sizeof b);
    snprintf(text, sizeof text, " SWAP %s/%s", a, b);
    put_text(c, &x, y, end, text, ROLE_DEFAULT, 0);
    fmt_bytes(h->net_rx, true, a, sizeof a);
    fmt_bytes(h->net_tx, true, b, sizeof b);
    snprintf(text, sizeof text, " NET rx %s tx %s", a, b);
    put_text(c, &x, y, end, text, ROLE_DEFAULT, 0);
    fmt_bytes(h->disk_read, true, a, sizeof a);
    fmt_bytes(h->disk_write, true, b, sizeof b);
    snprintf(text, sizeof text, " DISK r %s w %s", a, b);
    put_text(c, &x, y, end, text, ROLE_DEFAULT, 0);
}

/* Per-core meters, as many to a line as fit, on up to `lines` lines;
 * the lines used. */
static int
core_lines(struct canvas *c, struct rect r,
           const struct host_summary *h, int lines)
{
    enum { CELL = 20 };     /* "cpu127 ####### 99.5 " */
    int per = r.w / CELL > 0 ? r.w / CELL : 1;
    int used = 0;

    for (int i = 0; i < h->ncores && used < lines; i += per, used++)
        for (int k = 0; k < per && i + k < h->ncores; k++) {
            char name[16], pct[16];
            int x = r.x + k * CELL, y = r.y + used;
            snprintf(name, sizeof name, "cpu%d", i + k);
            canvas_text(c, x, y, 6, name, ROLE_LABEL, 0);
            meter(c, x + 7, y, 7, h->core_busy[i + k]);
            fmt_pct(h->core_busy[i + k] * 100, pct, sizeof pct);
            canvas_text_right(c, x + 15, y, 4, pct, ROLE_DEFAULT, 0);
        }
    return used;
}

/* The host header over the table; the lines it took. */
static int
draw_host(struct canvas *c, struct rect r,
          const struct host_summary *h)
{
    int max = r.h / 3 > 1 ? r.h / 3 : 1;

    if (!h->present || r.h < 6)
        return 0;
    host_line(c, (struct rect){ r.x, r.y, r.w, 1 }, h);
    int n = 1 + core_lines(c, (struct rect){ r.x, r.y + 1, r.w, max - 1 },
                           h, max - 1 < 4 ? max - 1 : 4);
    canvas_fill(c, (struct rect){ r.x, r.y + n, r.w, 1 },
                canvas_ascii(c) ? '-' : 0x2500, ROLE_BORDER, 0);
    return n + 1;
}

static void
draw_empty(struct canvas *c, struct rect r,
           const struct container_table *t)
{
    const char *msg = t == NULL || !t->present
        ? "No containers: nothing here reports cAdvisor's series "
          "(container_last_seen). The built-in collector or a scraped "
          "cAdvisor does."
        : t->error[0] ? t->error : "No containers are running.";

    canvas_text(c, r.x + 1, r.y + 1, r.w - 2, msg, ROLE_INACTIVE, 0);
}

void
view_draw_containers(struct canvas *c, struct rect r,
                     const struct container_table *t,
                     struct series_filter *f,
                     struct containers_state *cs)
{
    struct cells k;

    canvas_fill(c, r, ' ', ROLE_DEFAULT, 0);
    if (t != NULL && !cs->detail) {
        int top = draw_host(c, r, &t->host);
        r.y += top;
        r.h -= top;
    }
    if (t == NULL || t->n == 0 || r.h < 2) {
        draw_empty(c, r, t);
        return;
    }
    size_t *order = xcalloc(t->n, sizeof *order);
    int n = (int)shown_rows(t, f, cs, order);
    if (cs->detail) {
        /* The container followed by id, wherever the sort moved it. */
        for (int i = 0; i < n; i++)
            if (strcmp(t->rows[order[i]].id, cs->detail_id) == 0)
                cs->sel = i;
    }
    clamp(cs, n, r.h - 1);
    if (cs->detail && n > 0) {
        const struct container_row *row = &t->rows[order[cs->sel]];
        snprintf(cs->detail_id, sizeof cs->detail_id, "%s", row->id);
        draw_detail(c, r, row);
        free(order);
        return;
    }
    cs->detail = false;
    header_cells(cs, &k);
    draw_line(c, r.x, r.y, r.w, &k, NULL, cs, false);
    for (int i = cs->scroll; i < n && i - cs->scroll < r.h - 1; i++) {
        const struct container_row *row = &t->rows[order[i]];
        row_cells(row, &k);
        draw_line(c, r.x, r.y + 1 + i - cs->scroll, r.w, &k, row, cs,
                  i == cs->sel);
    }
    if (n == 0)
        canvas_text(c, r.x + 1, r.y + 2, r.w - 2, "No container matches "
                    "the filter.", ROLE_INACTIVE, 0);
    free(order);
}

bool
view_containers_key(struct containers_state *cs, int key, int rows)
{
    int page = rows > 1 ? rows - 1 : 1;

    if (cs->detail) {
        if (key == 27 || key == '\r' || key == '\n' || key == 'q') {
            cs->detail = false;
            return true;
        }
        return false;
    }
    switch (key) {
    case SCREEN_KEY_UP: case 'k': cs->sel--; break;
    case SCREEN_KEY_DOWN: case 'j': cs->sel++; break;
    case SCREEN_KEY_PGUP: cs->sel -= page; break;
    case SCREEN_KEY_PGDN: cs->sel += page; break;
    case SCREEN_KEY_HOME: cs->sel = 0; break;
    case SCREEN_KEY_END: cs->sel = 1 << 30; break;
    case SCREEN_KEY_LEFT:
        cs->sort = (cs->sort + CCOL_COUNT - 1) % CCOL_COUNT;
        break;
    case SCREEN_KEY_RIGHT: cs->sort = (cs->sort + 1) % CCOL_COUNT; break;
    case 'r': cs->asc = !cs->asc; break;
    case '\r': case '\n':
        cs->detail = true;
        cs->detail_id[0] = '\0';
        break;
    default: return false;
    }
    if (cs->sel < 0)
        cs->sel = 0;
    return true;
}
