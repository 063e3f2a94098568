/*
 * btop .theme files: one theme[key]="colour" entry a line, parsed into
 * the keys btop defines, then mapped onto promdeck's roles over the
 * built-in dark theme. Colours without a key of their own (good, warn,
 * crit, the series) are chosen by hue. It neither searches for files
 * nor talks to the terminal.
 */
#include "ui/theme_btop.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/buf.h"
#include "src/base/hex.h"
#include "src/base/xalloc.h"

/* ORDER btop_key: keep in step with btop_keys. */
enum btop_key {
    K_MAIN_BG, K_MAIN_FG, K_TITLE, K_HI_FG, K_SELECTED_BG, K_SELECTED_FG,
    K_INACTIVE_FG, K_GRAPH_TEXT, K_METER_BG, K_PROC_MISC,
    K_CPU_BOX, K_MEM_BOX, K_NET_BOX, K_PROC_BOX, K_DIV_LINE,
    K_TEMP_START, K_TEMP_MID, K_TEMP_END,
    K_CPU_START, K_CPU_MID, K_CPU_END,
    K_FREE_START, K_FREE_MID, K_FREE_END,
    K_CACHED_START, K_CACHED_MID, K_CACHED_END,
    K_AVAILABLE_START, K_AVAILABLE_MID, K_AVAILABLE_END,
    K_USED_START, K_USED_MID, K_USED_END,
    K_DOWNLOAD_START, K_DOWNLOAD_MID, K_DOWNLOAD_END,
    K_UPLOAD_START, K_UPLOAD_MID, K_UPLOAD_END,
    K_PROCESS_START, K_PROCESS_MID, K_PROCESS_END,
    K_COUNT
};

/* ORDER btop_key */
static const char *const btop_keys[] = {
    "main_bg", "main_fg", "title", "hi_fg", "selected_bg", "selected_fg",
    "inactive_fg", "graph_text", "meter_bg", "proc_misc",
    "cpu_box", "mem_box", "net_box", "proc_box", "div_line",
    "temp_start", "temp_mid", "temp_end",
    "cpu_start", "cpu_mid", "cpu_end",
    "free_start", "free_mid", "free_end",
    "cached_start", "cached_mid", "cached_end",
    "available_start", "available_mid", "available_end",
    "used_start", "used_mid", "used_end",
    "download_start", "download_mid", "download_end",
    "upload_start", "upload_mid", "upload_end",
    "process_start", "process_mid", "process_end",
};
_Static_assert(sizeof btop_keys / sizeof btop_keys[0] == K_COUNT,
               "btop_keys out of step with enum btop_key");

/* The keys a file set, and to what (THEME_DEFAULT_COLOR for ""). */
struct btop_vals {
    bool set[K_COUNT];
    int32_t rgb[K_COUNT];
};

/*
 * color = "" | "#" hex6 | "#" hex2 | dec " " dec " " dec
 * hex2 is a grey (btop's "#BW"); each dec is 0-255.
 */
static bool
parse_color(const char *s, size_t n, int32_t *rgb)
{
    long c[3];
    int k = 0;
    size_t i = 0;

    if (n == 0) {
        *rgb = THEME_DEFAULT_COLOR;
        return true;
    }
    if (s[0] == '#' && (n == 7 || n == 3)) {
        int32_t v = 0;

        for (i = 1; i < n; i++) {
            if (hex_digit((unsigned char)s[i]) < 0)
                return false;
            v = v << 4 | hex_digit((unsigned char)s[i]);
        }
        *rgb = n == 7 ? v : v << 16 | v << 8 | v;
        return true;
    }
    while (i < n && k < 3) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        /* Stops at the first digit past 255, so no number overflows. */
        for (c[k] = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            if ((c[k] = c[k] * 10 + (s[i] - '0')) > 255)
                return false;
        k++;
        if (i < n && s[i++] != ' ')
            return false;
    }
    if (k != 3 || i != n)
        return false;
    *rgb = (int32_t)(c[0] << 16 | c[1] << 8 | c[2]);
    return true;
}

static int
btop_key_index(const char *s, size_t n)
{
    for (int i = 0; i < K_COUNT; i++)
        if (strlen(btop_keys[i]) == n && strncmp(btop_keys[i], s, n) == 0)
            return i;
    return -1;
}

/*
 * entry = "theme[" key "]" "=" ( '"' color '"' | color )
 * Blanks may surround the entry; key names outside btop_keys are
 * skipped, as btop skips them. Returns -1 with d set on a bad entry.
 */
static int
parse_entry(const char *l, size_t n, int line, struct btop_vals *v,
            struct diag *d)
{
    size_t i = 0, k, vs, ve;
    int32_t rgb;
    int key;

    while (i < n && (l[i] == ' ' || l[i] == '\t'))
        i++;
    while (n > i && (l[n - 1] == ' ' || l[n - 1] == '\t' || l[n - 1] == '\r'))
        n--;
    if (n - i < 6 || strncmp(l + i, "theme[", 6) != 0)
        return diag_set(d, line, (int)i + 1, (int)(n - i),
                        "expected theme[key]=\"colour\" or a # comment");
    for (k = i + 6; k < n && l[k] != ']'; k++)
        ;
    if (k == n || k + 1 >= n || l[k + 1] != '=')
        return diag_set(d, line, (int)k + 1, 1,
                        "expected ']=' after the key name");
    vs = k + 2;
    ve = n;
    if (vs < n && l[vs] == '"') {
        const char *q = memchr(l + vs + 1, '"', n - vs - 1);
        size_t j;

        if (q == NULL)
            return diag_set(d, line, (int)vs + 1, (int)(n - vs),
                            "unterminated quoted colour");
        ve = (size_t)(q - l);
        vs++;
        /* After the quotes only a comment may follow, as in some of the
         * themes btop ships: theme[cpu_mid]="#F8F8F2" #b05475" */
        for (j = ve + 1; j < n && (l[j] == ' ' || l[j] == '\t'); j++)
            ;
        if (j < n && l[j] != '#')
            return diag_set(d, line, (int)j + 1, (int)(n - j),
                            "unexpected text after the colour");
    }
    if (!parse_color(l + vs, ve - vs, &rgb))
        return diag_set(d, line, (int)vs + 1, (int)(ve - vs),
                        "expected a colour: \"#RRGGBB\", \"#GG\", "
                        "\"R G B\" (0-255) or \"\"");
    key = btop_key_index(l + i + 6, k - i - 6);
    if (key >= 0) {
        v->set[key] = true;
        v->rgb[key] = rgb;
    }
    return 0;
}

/* Hue in degrees (0-360) and saturation (0-1) of rgb, HSV-style. */
static double
hue_of(int32_t rgb, double *sat)
{
    double r = ((rgb >> 16) & 0xff) / 255.0, g = ((rgb >> 8) & 0xff) / 255.0;
    double b = (rgb & 0xff) / 255.0, h;
    double mx = fmax(r, fmax(g, b)), mn = fmin(r, fmin(g, b)), c = mx - mn;

    *sat = mx > 0 ? c / mx : 0;
    if (c == 0)
        return 0;
    if (mx == r)
        h = fmod((g - b) / c, 6.0);
    else if (mx == g)
        h = (b - r) / c + 2;
    else
        h = (r - g) / c + 4;
    h *= 60;
    return h < 0 ? h + 360 : h;
}

/* How far rgb's hue lies from target, or 999 for greys and dark colours
 * that carry no hue worth the name. */
static double
hue_dist(int32_t rgb, double target)
{
    double sat, h, dd;
    int mx = (rgb >> 16) & 0xff;

    if (rgb == THEME_DEFAULT_COLOR)
        return 999;
    if (((rgb >> 8) & 0xff) > mx)
        mx = (rgb >> 8) & 0xff;
    if ((rgb & 0xff) > mx)
        mx = rgb & 0xff;
    h = hue_of(rgb, &sat);
    if (sat < 0.3 || mx < 0x60)
        return 999;
    dd = fabs(h - target);
    return dd > 180 ? 360 - dd : dd;
}

/*
 * The colour for a role that means something (good, warn, crit): the
 * first preferred key whose hue lies within 30 degrees of target, else
 * the colour key nearest that hue within 30 degrees, else keep (the
 * built-in colour) when the file has any saturated colour at all, else
 * the first preferred key set (a grey), else keep.
 */
static int32_t
pick_hue(const struct btop_vals *v, const int *pref, size_t npref,
         double target, int32_t keep)
{
    double best = 30.0;
    int32_t found = keep;
    bool have = false;

    for (size_t i = 0; i < npref; i++)
        if (v->set[pref[i]] && hue_dist(v->rgb[pref[i]], target) <= 30.0)
            return v->rgb[pref[i]];
    for (int k = K_PROC_MISC; k < K_COUNT; k++) {
        double dd = v->set[k] ? hue_dist(v->rgb[k], target) : 999;

        if (dd <= best) {
            best = dd;
            found = v->rgb[k];
            have = true;
        }
    }
    if (have)
        return found;
    /* A theme with colours but none of this hue keeps the built-in one,
     * so a warning still looks like one; a grey theme stays grey. */
    for (int k = 0; k < K_COUNT; k++)
        if (v->set[k] && hue_dist(v->rgb[k], 0) < 999)
            return keep;
    for (size_t i = 0; i < npref; i++)
        if (v->set[pref[i]])
            return v->rgb[pref[i]];
    return keep;
}

/* The squared distance between two colours in RGB space. */
static int
dist2(int r1, int g1, int b1, int r2, int g2, int b2)
{
    return (r1 - r2) * (r1 - r2) + (g1 - g2) * (g1 - g2)
           + (b1 - b2) * (b1 - b2);
}

/* Whether rgb lies within a small distance of any of the n colours. */
static bool
near_any(int32_t rgb, const int32_t *c, size_t n)
{
    int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;

    for (size_t i = 0; i < n; i++)
        if (c[i] != THEME_DEFAULT_COLOR
            && dist2(r, g, b, (c[i] >> 16) & 0xff, (c[i] >> 8) & 0xff,
                     c[i] & 0xff) < 48 * 48)
            return true;
    return false;
}

/*
 * Series colours: the first eight distinct colours among the brightest
 * ends of btop's gradients, then its box colours, skipping any too close
 * to the background or to one already taken; fewer than eight repeat.
 */
static void
map_series(struct theme *t, const struct btop_vals *v)
{
    static const int keys[] = {
        K_CPU_START, K_DOWNLOAD_END, K_UPLOAD_END, K_CACHED_END,
        K_USED_END, K_FREE_END, K_AVAILABLE_END, K_PROCESS_END,
        K_TEMP_START, K_TEMP_END, K_CPU_MID, K_CPU_END, K_MEM_BOX,
        K_NET_BOX, K_PROC_BOX, K_CPU_BOX, K_PROC_MISC, K_HI_FG,
    };
    int32_t got[9];
    size_t n = 0;

    got[0] = v->set[K_MAIN_BG] ? v->rgb[K_MAIN_BG] : THEME_DEFAULT_COLOR;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0] && n < 8; i++) {
        int32_t c = v->rgb[keys[i]];

        if (v->set[keys[i]] && c != THEME_DEFAULT_COLOR
            && !near_any(c, got, n + 1))
            got[++n] = c;
    }
    /* None usable: keys set to "" mean the terminal's colour; a file
     * that sets none of them keeps the built-in series colours. */
    for (size_t i = 0; n == 0 && i < sizeof keys / sizeof keys[0]; i++) {
        if (v->set[keys[i]]) {
            got[1] = THEME_DEFAULT_COLOR;
            n = 1;
        }
    }
    for (int s = 0; s < 8 && n > 0; s++)
        t->style[ROLE_SERIES1 + s].fg = got[1 + (size_t)s % n];
}

/* Roles that follow one btop key (or a second when the first is unset)
 * for the foreground, and optionally one for the background. */
static const struct {
    int role, fg, fg2, bg;
} plain_map[] = {
    { ROLE_DEFAULT, K_MAIN_FG, -1, K_MAIN_BG },
    { ROLE_TITLE, K_TITLE, K_MAIN_FG, -1 },
    { ROLE_BORDER, K_DIV_LINE, K_CPU_BOX, -1 },
    { ROLE_AXIS, K_DIV_LINE, K_CPU_BOX, -1 },
    { ROLE_LABEL, K_GRAPH_TEXT, K_MAIN_FG, -1 },
    { ROLE_INACTIVE, K_INACTIVE_FG, -1, -1 },
    { ROLE_HI, K_HI_FG, -1, -1 },
    { ROLE_STALE, K_INACTIVE_FG, -1, -1 },
    { ROLE_SELECTION, K_SELECTED_FG, -1, K_SELECTED_BG },
    { ROLE_STATUS, K_MAIN_FG, -1, K_METER_BG },
    { ROLE_TAB, K_GRAPH_TEXT, K_MAIN_FG, -1 },
    { ROLE_TAB_ACTIVE, K_HI_FG, -1, K_SELECTED_BG },
    { ROLE_METER_BG, K_METER_BG, -1, -1 },
};

/* Lays the file's colours over the built-in dark theme. */
static void
map_theme(struct theme *t, const struct btop_vals *v)
{
    static const int good[] = { K_CPU_START, K_FREE_START, K_FREE_END };
    static const int warn[] = { K_TEMP_MID, K_CPU_MID, K_USED_MID };
    static const int crit[] = { K_TEMP_END, K_CPU_END, K_USED_END };
    struct theme_style *st = t->style;

    for (size_t i = 0; i < sizeof plain_map / sizeof plain_map[0]; i++) {
        struct theme_style *s = &st[plain_map[i].role];
        int fg = plain_map[i].fg, fg2 = plain_map[i].fg2;
        int bg = plain_map[i].bg;

        if (v->set[fg])
            s->fg = v->rgb[fg];
        else if (fg2 >= 0 && v->set[fg2])
            s->fg = v->rgb[fg2];
        if (bg >= 0 && v->set[bg])
            s->bg = v->rgb[bg];
    }
    st[ROLE_GOOD].fg = pick_hue(v, good, 3, 120, st[ROLE_GOOD].fg);
    st[ROLE_WARN].fg = pick_hue(v, warn, 3, 45, st[ROLE_WARN].fg);
    st[ROLE_CRIT].fg = pick_hue(v, crit, 3, 0, st[ROLE_CRIT].fg);
    map_series(t, v);
    /* A theme with its own background paints every cell with it. */
    for (int r = 0; r < ROLE_COUNT; r++)
        if (st[r].bg == THEME_DEFAULT_COLOR)
            st[r].bg = st[ROLE_DEFAULT].bg;
}

struct theme *
theme_btop_parse(const char *name, const char *text, size_t len,
                 struct diag *d)
{
    struct btop_vals v;
    struct theme *t;
    size_t pos = 0;
    int line = 0;

    memset(&v, 0, sizeof v);
    while (pos < len) {
        const char *l = text + pos, *nl = memchr(l, '\n', len - pos);
        size_t n = nl != NULL ? (size_t)(nl - l) : len - pos, i = 0;

        pos += n + 1;
        line++;
        while (i < n && (l[i] == ' ' || l[i] == '\t' || l[i] == '\r'))
            i++;
        if (i == n || l[i] == '#')
            continue;
        if (parse_entry(l, n, line, &v, d) < 0)
            return NULL;
    }
    t = theme_copy(theme_default(), name);
    map_theme(t, &v);
    return t;
}

struct theme *
theme_btop_load_file(const char *path, struct diag *d)
{
    struct buf b;
    const char *base = strrchr(path, '/');
    struct theme *t = NULL;
    char *name;

    /* A theme is a few kilobytes; a megabyte is certainly not one. */
    if (buf_read_file(&b, path, 1 << 20, d) != 0) {
        diag_set(d, 0, 0, 0, "cannot read theme file '%s': %s", path,
                 d->msg);
    } else {
        name = xstrdup(base != NULL ? base + 1 : path);
        if (strlen(name) > 6 && strcmp(name + strlen(name) - 6, ".theme") == 0)
            name[strlen(name) - 6] = '\0';
        t = theme_btop_parse(name, buf_str(&b), b.len, d);
        free(name);
    }
    buf_fini(&b);
    return t;
}

