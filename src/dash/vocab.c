/*
 * One vocabulary for both dashboard loaders. promdeck's own names for
 * kinds and units come from ui/model.c and the status colours' own names
 * from the theme's role names; this file adds only the other spellings
 * (aliases, Grafana's ids) and what each stands for. It parses nothing
 * but a Grafana colour string.
 */
#include "src/dash/vocab.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ui/theme.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Other names for a unit, each with the factor into it. */
struct unit_alias {
    const char *name;
    enum unit unit;
    double scale;
};

/* Grafana's ids for promdeck's units (promdeck's own names are
 * model_unit_name's), valid in dashboard files too. */
static const struct unit_alias unit_aliases[] = {
    { "short", UNIT_NONE, 1 },
    { "decbytes", UNIT_BYTES, 1 },
    { "kbytes", UNIT_BYTES, 1024.0 },     { "deckbytes", UNIT_BYTES, 1e3 },
    { "mbytes", UNIT_BYTES, 1048576.0 },  { "decmbytes", UNIT_BYTES, 1e6 },
    { "gbytes", UNIT_BYTES, 1073741824.0 }, { "decgbytes", UNIT_BYTES, 1e9 },
    { "s", UNIT_SECONDS, 1 },
    { "ms", UNIT_SECONDS, 1e-3 },         { "µs", UNIT_SECONDS, 1e-6 },
    { "us", UNIT_SECONDS, 1e-6 },         { "ns", UNIT_SECONDS, 1e-9 },
    { "m", UNIT_SECONDS, 60 },            { "h", UNIT_SECONDS, 3600 },
    { "d", UNIT_SECONDS, 86400 },
    { "opm", UNIT_OPS, 1.0 / 60 },        { "iops", UNIT_OPS, 1 },
    { "rps", UNIT_OPS, 1 },               { "wps", UNIT_OPS, 1 },
    { "rpm", UNIT_OPS, 1.0 / 60 },        { "wpm", UNIT_OPS, 1.0 / 60 },
};

/* Grafana units promdeck shows only approximately: the rate or the
 * kind of quantity is lost, the scale is kept. */
static const struct unit_alias grafana_near_units[] = {
    { "Bps", UNIT_BYTES, 1 },         { "binBps", UNIT_BYTES, 1 },
    { "KBs", UNIT_BYTES, 1e3 },       { "MBs", UNIT_BYTES, 1e6 },
    { "GBs", UNIT_BYTES, 1e9 },       { "KiBs", UNIT_BYTES, 1024.0 },
    { "MiBs", UNIT_BYTES, 1048576.0 }, { "bps", UNIT_BYTES, 0.125 },
    { "binbps", UNIT_BYTES, 0.125 },  { "bits", UNIT_BYTES, 0.125 },
    { "decbits", UNIT_BYTES, 0.125 }, { "pps", UNIT_OPS, 1 },
    { "dtdurations", UNIT_SECONDS, 1 }, { "dtdurationms", UNIT_SECONDS, 1e-3 },
    { "clocks", UNIT_SECONDS, 1 },    { "cps", UNIT_OPS, 1 },
    { "hertz", UNIT_OPS, 1 },         { "mps", UNIT_OPS, 1 },
};

/* Kinds that Grafana names as promdeck does (it has no sparkline or
 * bars panel type). */
static const unsigned grafana_same_kinds =
    1u << PANEL_GRAPH | 1u << PANEL_STAT | 1u << PANEL_GAUGE
    | 1u << PANEL_TABLE | 1u << PANEL_HEATMAP | 1u << PANEL_TEXT;

/* Grafana's other panel types and the kind that shows them. */
static const struct {
    const char *type;
    enum panel_kind kind;
} grafana_kinds[] = {
    { "timeseries", PANEL_GRAPH },  { "singlestat", PANEL_STAT },
    { "bargauge", PANEL_BARS },     { "barchart", PANEL_BARS },
    { "table-old", PANEL_TABLE },
};

/* The roles a threshold can name; their own names are the theme's. */
static const int status_roles[] = { ROLE_GOOD, ROLE_WARN, ROLE_CRIT };

/*
 * Other names for the status roles, in the order messages list them
 * (after each role's own name). hue marks the colour words a Grafana
 * colour name is searched for; from the end of the table, so "red" is
 * found before "orange" and the worse status wins.
 */
static const struct {
    const char *name;
    int role;
    bool hue;
} color_aliases[] = {
    { "ok", ROLE_GOOD, false },       { "green", ROLE_GOOD, true },
    { "warning", ROLE_WARN, false },  { "yellow", ROLE_WARN, true },
    { "orange", ROLE_WARN, true },    { "critical", ROLE_CRIT, false },
    { "bad", ROLE_CRIT, false },      { "red", ROLE_CRIT, true },
};

/* A Grafana colour must vary this much across R, G, B to have a hue. */
#define MIN_SATURATION 48

const char *
vocab_kind_name(enum panel_kind k)
{
    const char *name = model_kind_name(k);

    return name != NULL ? name : "unknown";
}

int
vocab_kind_by_name(const char *name, enum panel_kind *k)
{
    for (int i = 0; i < PANEL_KIND_COUNT; i++)
        if (strcmp(model_kind_name((enum panel_kind)i), name) == 0) {
            *k = (enum panel_kind)i;
            return 0;
        }
    return -1;
}

int
vocab_grafana_kind(const char *type, enum panel_kind *k)
{
    enum panel_kind same;

    if (vocab_kind_by_name(type, &same) == 0
        && (grafana_same_kinds & 1u << same)) {
        *k = same;
        return 0;
    }
    for (size_t i = 0; i < COUNT(grafana_kinds); i++)
        if (strcmp(grafana_kinds[i].type, type) == 0) {
            *k = grafana_kinds[i].kind;
            return 0;
        }
    return -1;
}

/* Looks name up in one alias table. */
static int
find_unit(const struct unit_alias *t, size_t n, const char *name,
          enum unit *u, double *scale)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0) {
            *u = t[i].unit;
            *scale = t[i].scale;
            return 0;
        }
    return -1;
}

int
vocab_unit(const char *name, enum unit *u, double *scale)
{
    for (int i = 0; i < UNIT_COUNT; i++)
        if (strcmp(model_unit_name((enum unit)i), name) == 0) {
            *u = (enum unit)i;
            *scale = 1;
            return 0;
        }
    return find_unit(unit_aliases, COUNT(unit_aliases), name, u, scale);
}

int
vocab_grafana_unit_near(const char *name, enum unit *u, double *scale)
{
    return find_unit(grafana_near_units, COUNT(grafana_near_units), name, u,
                     scale);
}

int
vocab_color_role(const char *name)
{
    for (size_t i = 0; i < COUNT(status_roles); i++)
        if (strcmp(theme_role_name(status_roles[i]), name) == 0)
            return status_roles[i];
    for (size_t i = 0; i < COUNT(color_aliases); i++)
        if (strcmp(color_aliases[i].name, name) == 0)
            return color_aliases[i].role;
    return -1;
}

/* Hue (0-360), and saturation as max - min, of "#rgb", "#rrggbb" or
 * "rgb(a)(r, g, b, ...)"; false when s is none of these. */
static bool
color_hue(const char *s, double *hue, int *sat)
{
    unsigned r, g, b;
    int mx, mn;

    if (sscanf(s, "#%2x%2x%2x", &r, &g, &b) == 3 && strlen(s) == 7)
        ;
    else if (sscanf(s, "#%1x%1x%1x", &r, &g, &b) == 3 && strlen(s) == 4)
        r *= 17, g *= 17, b *= 17;
    else if (sscanf(s, "rgba(%u , %u , %u", &r, &g, &b) != 3
             && sscanf(s, "rgb(%u , %u , %u", &r, &g, &b) != 3)
        return false;
    mx = (int)(r > g ? (r > b ? r : b) : (g > b ? g : b));
    mn = (int)(r < g ? (r < b ? r : b) : (g < b ? g : b));
    *sat = mx - mn;
    if (mx == mn)
        *hue = 0;
    else if (mx == (int)r)
        *hue = fmod(60.0 * ((double)g - b) / (mx - mn) + 360, 360);
    else if (mx == (int)g)
        *hue = 60.0 * ((double)b - r) / (mx - mn) + 120;
    else
        *hue = 60.0 * ((double)r - g) / (mx - mn) + 240;
    return true;
}

int
vocab_grafana_color(const char *color)
{
    double hue;
    int sat;

    for (size_t i = COUNT(color_aliases); i-- > 0;)
        if (color_aliases[i].hue && strstr(color, color_aliases[i].name))
            return color_aliases[i].role;
    if (!color_hue(color, &hue, &sat) || sat < MIN_SATURATION)
        return -1;
    /* Reds wrap around 0; yellows and oranges warn; greens are good. */
    if (hue < 20 || hue >= 330)
        return ROLE_CRIT;
    if (hue < 70)
        return ROLE_WARN;
    if (hue < 170)
        return ROLE_GOOD;
    return -1;
}

int
vocab_grafana_color_mode(const char *mode)
{
    if (mode != NULL && strcmp(mode, "warning") == 0)
        return ROLE_WARN;
    if (mode != NULL && strcmp(mode, "ok") == 0)
        return ROLE_GOOD;
    return ROLE_CRIT;
}

/* Appends name as item i of n: ", " between, " last " before the end. */
static void
put_item(struct buf *out, size_t i, size_t n, const char *last,
         const char *name)
{
    if (i > 0 && i + 1 == n)
        buf_printf(out, " %s ", last);
    else if (i > 0)
        buf_puts(out, ", ");
    buf_puts(out, name);
}

void
vocab_list_kinds(struct buf *out, const char *last)
{
    for (int i = 0; i < PANEL_KIND_COUNT; i++)
        put_item(out, (size_t)i, PANEL_KIND_COUNT, last,
                 model_kind_name((enum panel_kind)i));
}

void
vocab_list_units(struct buf *out, const char *last)
{
    for (int i = 0; i < UNIT_COUNT; i++)
        put_item(out, (size_t)i, UNIT_COUNT, last,
                 model_unit_name((enum unit)i));
}

void
vocab_list_colors(struct buf *out, const char *last)
{
    size_t n = COUNT(status_roles) + COUNT(color_aliases), k = 0;

    /* Each role's own name, then its other names. */
    for (size_t r = 0; r < COUNT(status_roles); r++) {
        put_item(out, k++, n, last, theme_role_name(status_roles[r]));
        for (size_t i = 0; i < COUNT(color_aliases); i++)
            if (color_aliases[i].role == status_roles[r])
                put_item(out, k++, n, last, color_aliases[i].name);
    }
}
