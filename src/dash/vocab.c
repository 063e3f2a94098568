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
#include <strings.h>

#include "ui/theme.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Other names for units: promdeck's older spelling of seconds, an ASCII
 * micro, and Grafana's own alias for a misspelt id. */
static const struct {
    const char *name;
    const char *means;
} unit_aliases[] = {
    { "seconds", "s" }, { "us", "\xc2\xb5s" }, { "farenheit", "fahrenheit" },
};

/* The custom unit forms Grafana reads as "kind:text". */
static const char *const custom_units[] = {
    "prefix:", "suffix:", "si:", "count:", "currency:", "bool:", "time:",
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

/* name with each micro sign (U+00B5) as a Greek mu (U+03BC) and each
 * Greek mu as a micro sign, as Grafana takes either in an id. */
static bool
swap_mu(const char *name, char *out, size_t n)
{
    size_t j = 0;
    bool any = false;

    for (const char *p = name; *p != '\0' && j + 3 < n; p++) {
        if ((p[0] == '\xc2' && p[1] == '\xb5')
            || (p[0] == '\xce' && p[1] == '\xbc')) {
            out[j++] = p[0] == '\xc2' ? '\xce' : '\xc2';
            out[j++] = p[0] == '\xc2' ? '\xbc' : '\xb5';
            p++;
            any = true;
            continue;
        }
        out[j++] = *p;
    }
    out[j] = '\0';
    return any;
}

int
vocab_unit(const char *name, enum unit *u)
{
    char other[128];

    if (model_unit_by_name(name, u) == 0)
        return 0;
    for (size_t i = 0; i < COUNT(unit_aliases); i++)
        if (strcmp(unit_aliases[i].name, name) == 0)
            return model_unit_by_name(unit_aliases[i].means, u);
    for (size_t i = 0; i < COUNT(custom_units); i++)
        if (strncmp(custom_units[i], name, strlen(custom_units[i])) == 0) {
            *u = UNIT_CUSTOM;
            return 0;
        }
    if (swap_mu(name, other, sizeof other))
        return model_unit_by_name(other, u);
    return -1;
}

const char *
vocab_unit_suggest(const char *name)
{
    const char *best = NULL;
    size_t bd = 3;      /* a suggestion is at most two edits away */

    for (size_t i = 0; i < model_unit_count(); i++) {
        const char *cand = model_unit_name((enum unit)i);
        size_t d = strcasecmp(cand, name) == 0 ? 0
                                               : diag_distance(cand, name);

        if (i != UNIT_CUSTOM && d < bd) {
            bd = d;
            best = cand;
        }
    }
    return best;
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

/* Grafana's named colours, as its default palette draws them (each word
 * also names the dark-, semi-dark-, light- and super-light- shades). */
static const struct {
    const char *word;
    const char *rgb;
} grafana_named[] = {
    { "red", "#F2495C" },    { "orange", "#FF9830" },
    { "yellow", "#FADE2A" }, { "green", "#73BF69" },
    { "blue", "#5794F2" },   { "purple", "#B877D9" },
};

/* The roles a series colour can take, searched by hue. */
static const int series_color_roles[] = {
    ROLE_SERIES1, ROLE_SERIES2, ROLE_SERIES3, ROLE_SERIES4, ROLE_SERIES5,
    ROLE_SERIES6, ROLE_SERIES7, ROLE_SERIES8, ROLE_GOOD, ROLE_WARN,
    ROLE_CRIT,
};

int
vocab_grafana_series_color(const char *color)
{
    const struct theme *t = theme_default();
    double hue, best = 1e9;
    int sat, role = -1;
    char rgb[8];

    for (size_t i = 0; i < COUNT(grafana_named); i++)
        if (strstr(color, grafana_named[i].word) != NULL)
            color = grafana_named[i].rgb;
    if (!color_hue(color, &hue, &sat) || sat < MIN_SATURATION)
        return -1;
    for (size_t i = 0; i < COUNT(series_color_roles); i++) {
        int32_t fg = t->style[series_color_roles[i]].fg;
        double h, d;
        int s;

        snprintf(rgb, sizeof rgb, "#%06x", (unsigned)fg & 0xffffff);
        if (fg < 0 || !color_hue(rgb, &h, &s))
            continue;
        d = fabs(h - hue);
        d = d > 180 ? 360 - d : d;
        if (d < best) {
            best = d;
            role = series_color_roles[i];
        }
    }
    return role;
}

int
vocab_series_color(const char *name)
{
    int role = theme_role_by_name(name);

    if (role >= ROLE_SERIES1 && role <= ROLE_SERIES8)
        return role;
    role = vocab_color_role(name);
    return role >= 0 ? role : vocab_grafana_series_color(name);
}

bool
vocab_series_regex(const char *text, struct buf *out)
{
    const char *end = strrchr(text, '/');

    if (text[0] != '/' || end == NULL || end == text
        || strspn(end + 1, "gimsy") != strlen(end + 1))
        return false;
    buf_puts(out, "(?");
    for (const char *p = end + 1; *p != '\0'; p++)
        if (strchr("ims", *p) != NULL)
            buf_putc(out, *p);
    buf_printf(out, ":.*(?:%.*s).*)", (int)(end - text - 1), text + 1);
    return true;
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
