/*
 * Targets: fixed columns for the short fields, the labels and the last
 * error share what is left (the error gets more, being what people look
 * for). Rows scroll; nothing is sorted here, src/ gives the order.
 */
#include "ui/view_targets.h"

#include <stdio.h>

#include "ui/format.h"
#include "ui/theme.h"

enum { C_HEALTH, C_JOB, C_INST, C_LAST, C_DUR, C_SAMPLES, C_LABELS, C_ERR,
       C_COUNT };

static const char *const heads[C_COUNT] = {
    "STATE", "JOB", "ENDPOINT", "LAST SCRAPE", "DURATION", "SAMPLES",
    "LABELS", "ERROR",
};

static const char *
str_or(const char *s, const char *dflt)
{
    return s != NULL && s[0] != '\0' ? s : dflt;
}

static int
widest(const struct target_row *t, size_t nt, int col, int dflt, int cap)
{
    int w = dflt;

    for (size_t i = 0; i < nt; i++) {
        const char *s = col == C_JOB ? str_or(t[i].job, "")
                        : str_or(t[i].instance, str_or(t[i].url, ""));
        int n = canvas_text_width(s);

        w = n > w ? n : w;
    }
    return w < cap ? w : cap;
}

static void
widths(const struct target_row *t, size_t nt, int w, int *cw)
{
    int rest;

    cw[C_HEALTH] = 7;
    cw[C_JOB] = widest(t, nt, C_JOB, 3, 16);
    cw[C_INST] = widest(t, nt, C_INST, 8, 32);
    cw[C_LAST] = 11;
    cw[C_DUR] = 9;
    cw[C_SAMPLES] = 8;
    rest = w;
    for (int i = 0; i < C_LABELS; i++)
        rest -= cw[i] + 1;
    cw[C_LABELS] = rest > 0 ? rest * 2 / 5 : 0;
    cw[C_ERR] = rest > 0 ? rest - cw[C_LABELS] - 1 : 0;
}

static void
health_text(enum target_health h, const char **s, int *role)
{
    *s = h == HEALTH_UP ? "up" : h == HEALTH_DOWN ? "down" : "unknown";
    *role = h == HEALTH_UP ? ROLE_GOOD : h == HEALTH_DOWN ? ROLE_CRIT
                                                          : ROLE_STALE;
}

static void
draw_target(struct canvas *c, const struct target_row *tr, const int *cw,
            struct rect r, int64_t now_ms)
{
    char last[32], dur[FORMAT_VALUE_MAX], samples[32];
    const char *cells[C_COUNT];
    int role, x = r.x;

    health_text(tr->health, &cells[C_HEALTH], &role);
    format_ago(now_ms, tr->last_scrape_ms, last, sizeof last);
    if (tr->last_scrape_ms == 0)
        snprintf(dur, sizeof dur, "-");
    else
        format_duration(tr->last_duration_s, dur, sizeof dur);
    snprintf(samples, sizeof samples, "%zu", tr->samples);
    cells[C_JOB] = str_or(tr->job, "");
    cells[C_INST] = str_or(tr->instance, str_or(tr->url, ""));
    cells[C_LAST] = last;
    cells[C_DUR] = dur;
    cells[C_SAMPLES] = samples;
    cells[C_LABELS] = str_or(tr->labels, "");
    cells[C_ERR] = str_or(tr->last_error, "");
    for (int i = 0; i < C_COUNT && x < r.x + r.w; i++) {
        int w = x + cw[i] > r.x + r.w ? r.x + r.w - x : cw[i];
        int rl = i == C_HEALTH ? role : i == C_ERR ? ROLE_CRIT
                 : i == C_LABELS ? ROLE_LABEL : ROLE_DEFAULT;

        if (i == C_DUR || i == C_SAMPLES)
            canvas_text_right(c, x, r.y, w, cells[i], rl, 0);
        else
            canvas_text(c, x, r.y, w, cells[i], rl,
                        i == C_HEALTH ? ATTR_BOLD : 0);
        x += cw[i] + 1;
    }
}

void
view_draw_targets(struct canvas *c, struct rect r,
                  const struct target_row *t, size_t nt, int *scroll,
                  int64_t now_ms)
{
    int cw[C_COUNT], x = r.x, rows = r.h - 1, maxs;

    if (r.h <= 0 || r.w <= 0)
        return;
    widths(t, nt, r.w, cw);
    for (int i = 0; i < C_COUNT && x < r.x + r.w; i++) {
        int w = x + cw[i] > r.x + r.w ? r.x + r.w - x : cw[i];

        if (i == C_DUR || i == C_SAMPLES)
            canvas_text_right(c, x, r.y, w, heads[i], ROLE_TITLE, ATTR_BOLD);
        else
            canvas_text(c, x, r.y, w, heads[i], ROLE_TITLE, ATTR_BOLD);
        x += cw[i] + 1;
    }
    if (nt == 0 && r.h > 1)
        canvas_text(c, r.x, r.y + 1, r.w, "no targets", ROLE_INACTIVE, 0);
    maxs = (int)nt - rows > 0 ? (int)nt - rows : 0;
    *scroll = *scroll < 0 ? 0 : *scroll > maxs ? maxs : *scroll;
    for (int i = 0; i < rows && (size_t)(*scroll + i) < nt; i++)
        draw_target(c, &t[*scroll + i], cw,
                    (struct rect){ r.x, r.y + 1 + i, r.w, 1 }, now_ms);
}

int
view_targets_height(size_t nt)
{
    return 1 + (nt > 0 ? (int)nt : 1);
}
