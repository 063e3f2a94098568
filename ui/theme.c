/*
 * The semantic roles, the built-in themes (monochrome by attributes
 * only), Grafana colours onto roles, and colour depth: detection and the
 * truecolor -> 256 -> 8 -> mono fallback. It neither talks to the
 * terminal nor reads files: ui/screen.c, theme_btop.c and theme_path.c do.
 */
#include "ui/theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"

/* ORDER theme_role */
static const char *const role_names[] = {
    "default", "title", "border", "axis", "label", "inactive", "hi",
    "series1", "series2", "series3", "series4",
    "series5", "series6", "series7", "series8",
    "good", "warn", "crit", "stale", "selection", "status",
    "tab", "tab_active", "meter_bg",
};
_Static_assert(sizeof role_names / sizeof role_names[0] == ROLE_COUNT,
               "role_names out of step with enum theme_role");

#define D THEME_DEFAULT_COLOR

static const struct theme dark = {
    .name = "default",
    .style = {
        [ROLE_DEFAULT] = { 0xcccccc, D, 0 },
        [ROLE_TITLE] = { 0xeeeeee, D, ATTR_BOLD },
        [ROLE_BORDER] = { 0x556d59, D, 0 },
        [ROLE_AXIS] = { 0x3d3d3d, D, 0 },
        [ROLE_LABEL] = { 0x8a8a8a, D, 0 },
        [ROLE_INACTIVE] = { 0x40403f, D, 0 },
        [ROLE_HI] = { 0xb54040, D, ATTR_BOLD },
        [ROLE_SERIES1] = { 0x77ca9b, D, 0 },
        [ROLE_SERIES2] = { 0x5fafff, D, 0 },
        [ROLE_SERIES3] = { 0xffd75f, D, 0 },
        [ROLE_SERIES4] = { 0xd787d7, D, 0 },
        [ROLE_SERIES5] = { 0xff8700, D, 0 },
        [ROLE_SERIES6] = { 0x5fd7d7, D, 0 },
        [ROLE_SERIES7] = { 0xafd75f, D, 0 },
        [ROLE_SERIES8] = { 0xff5f87, D, 0 },
        [ROLE_GOOD] = { 0x5fd75f, D, 0 },
        [ROLE_WARN] = { 0xffaf00, D, 0 },
        [ROLE_CRIT] = { 0xff3030, D, ATTR_BOLD },
        [ROLE_STALE] = { 0x6c6c6c, D, 0 },
        [ROLE_SELECTION] = { 0xeeeeee, 0x6a2f2f, ATTR_BOLD },
        [ROLE_STATUS] = { 0xcccccc, 0x262626, 0 },
        [ROLE_TAB] = { 0x8a8a8a, D, 0 },
        [ROLE_TAB_ACTIVE] = { 0xffffff, 0x6a2f2f, ATTR_BOLD },
        [ROLE_METER_BG] = { 0x404040, D, 0 },
    },
};

/* Monochrome: every colour is the terminal's; attributes carry meaning. */
static const struct theme mono = {
    .name = "mono",
    .style = {
        [ROLE_DEFAULT] = { D, D, 0 },
        [ROLE_TITLE] = { D, D, ATTR_BOLD },
        [ROLE_BORDER] = { D, D, 0 },
        [ROLE_AXIS] = { D, D, ATTR_DIM },
        [ROLE_LABEL] = { D, D, 0 },
        [ROLE_INACTIVE] = { D, D, ATTR_DIM },
        [ROLE_HI] = { D, D, ATTR_BOLD },
        [ROLE_SERIES1] = { D, D, 0 },
        [ROLE_SERIES2] = { D, D, 0 },
        [ROLE_SERIES3] = { D, D, 0 },
        [ROLE_SERIES4] = { D, D, 0 },
        [ROLE_SERIES5] = { D, D, 0 },
        [ROLE_SERIES6] = { D, D, 0 },
        [ROLE_SERIES7] = { D, D, 0 },
        [ROLE_SERIES8] = { D, D, 0 },
        [ROLE_GOOD] = { D, D, 0 },
        [ROLE_WARN] = { D, D, ATTR_UNDERLINE },
        [ROLE_CRIT] = { D, D, ATTR_BOLD | ATTR_REVERSE },
        [ROLE_STALE] = { D, D, ATTR_DIM },
        [ROLE_SELECTION] = { D, D, ATTR_REVERSE },
        [ROLE_STATUS] = { D, D, ATTR_REVERSE },
        [ROLE_TAB] = { D, D, 0 },
        [ROLE_TAB_ACTIVE] = { D, D, ATTR_REVERSE | ATTR_BOLD },
        [ROLE_METER_BG] = { D, D, ATTR_DIM },
    },
};

#undef D

const char *
theme_role_name(int role)
{
    if (role < 0 || role >= ROLE_COUNT)
        return NULL;
    return role_names[role];
}

int
theme_role_by_name(const char *key)
{
    for (int i = 0; i < ROLE_COUNT; i++)
        if (strcmp(role_names[i], key) == 0)
            return i;
    return -1;
}

int
theme_series_role(size_t n)
{
    return ROLE_SERIES1 + (int)(n % 8);
}

static int
dist2(int r1, int g1, int b1, int r2, int g2, int b2)
{
    return (r1 - r2) * (r1 - r2) + (g1 - g2) * (g1 - g2)
           + (b1 - b2) * (b1 - b2);
}

const struct theme *
theme_default(void)
{
    return &dark;
}

const struct theme *
theme_mono(void)
{
    return &mono;
}

const struct theme *
theme_by_name(const char *name)
{
    if (name == NULL || strcmp(name, "default") == 0)
        return &dark;
    if (strcmp(name, "mono") == 0 || strcmp(name, "monochrome") == 0)
        return &mono;
    return NULL;
}

enum color_depth
theme_detect_depth(const char *no_color, const char *colorterm,
                   bool has_colors, int ncolors, bool direct_rgb)
{
    /* no-color.org: present and not empty disables colour. */
    if ((no_color != NULL && no_color[0] != '\0') || !has_colors)
        return DEPTH_MONO;
    if (colorterm != NULL && direct_rgb
        && (strcmp(colorterm, "truecolor") == 0
            || strcmp(colorterm, "24bit") == 0))
        return DEPTH_TRUECOLOR;
    if (ncolors >= 0x1000000 && direct_rgb)
        return DEPTH_TRUECOLOR;
    if (ncolors >= 256)
        return DEPTH_256;
    if (ncolors >= 8)
        return DEPTH_8;
    return DEPTH_MONO;
}

/* The index of the xterm cube level (0-5) nearest to an 8-bit channel. */
static int
cube_level(int c)
{
    static const int levels[6] = { 0, 95, 135, 175, 215, 255 };
    int best = 0;

    for (int i = 1; i < 6; i++)
        if (abs(levels[i] - c) < abs(levels[best] - c))
            best = i;
    return best;
}

/* The xterm 256-colour index nearest to rgb (0xRRGGBB). */
static int
rgb_to_256(int32_t rgb)
{
    static const int levels[6] = { 0, 95, 135, 175, 215, 255 };
    int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
    int cr = cube_level(r), cg = cube_level(g), cb = cube_level(b);
    int cube = 16 + 36 * cr + 6 * cg + cb;
    int gray_i = (r + g + b) / 3 > 238 ? 23 : ((r + g + b) / 3 - 3) / 10;
    int gray;

    /* The grey ramp (232-255, 8 + 10 i) sometimes lies closer. */
    if (gray_i < 0)
        gray_i = 0;
    gray = 8 + 10 * gray_i;
    if (dist2(r, g, b, gray, gray, gray)
        < dist2(r, g, b, levels[cr], levels[cg], levels[cb]))
        return 232 + gray_i;
    return cube;
}

/* The basic ANSI colour (0-7) nearest to rgb. */
static int
rgb_to_8(int32_t rgb)
{
    int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
    int best = 0, bestd = -1;

    /* ANSI order: black red green yellow blue magenta cyan white. */
    for (int i = 0; i < 8; i++) {
        int d = dist2(r, g, b, (i & 1) ? 205 : 0, (i & 2) ? 205 : 0,
                      (i & 4) ? 205 : 0);
        if (bestd < 0 || d < bestd) {
            best = i;
            bestd = d;
        }
    }
    return best;
}

/* -- copies ---------------------------------------------------------- */

/* A loaded theme keeps its name in the same allocation. */
struct owned_theme {
    struct theme t;
    char name[];
};

struct theme *
theme_copy(const struct theme *from, const char *name)
{
    struct owned_theme *o = xmalloc(sizeof *o + strlen(name) + 1);

    memcpy(o->name, name, strlen(name) + 1);
    memcpy(o->t.style, from->style, sizeof o->t.style);
    o->t.name = o->name;
    return &o->t;
}

void
theme_free(struct theme *t)
{
    /* Built-in themes are static; only loaded ones are freed. */
    if (t == NULL || t == &dark || t == &mono)
        return;
    free(t);
}

int32_t
theme_color_at_depth(int32_t rgb, enum color_depth depth)
{
    if (rgb == THEME_DEFAULT_COLOR)
        return THEME_DEFAULT_COLOR;
    switch (depth) {
    case DEPTH_TRUECOLOR: return rgb;
    case DEPTH_256: return rgb_to_256(rgb);
    case DEPTH_8: return rgb_to_8(rgb);
    default: return THEME_DEFAULT_COLOR;
    }
}

const struct theme *
theme_for_depth(const struct theme *t, enum color_depth depth)
{
    return depth == DEPTH_MONO ? &mono : t;
}
