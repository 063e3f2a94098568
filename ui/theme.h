/*
 * Themes: a fixed set of semantic roles (axis, series 1-8, warn, crit,
 * selection, ...) mapped to colours and attributes. Widgets name roles,
 * never colours; the screen turns roles into colour pairs for the depth
 * the terminal offers, with the fallbacks here. Theme files are btop's
 * .theme format (ui/theme_btop.h), found by name along a search path
 * (ui/theme_path.h).
 *
 * Ownership: the built-in themes are static constant tables. theme_copy
 * (and the loaders of the two headers above) return a theme the caller
 * releases with theme_free, which ignores the built-in ones.
 */
#ifndef UI_THEME_H
#define UI_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * ORDER theme_role: keep in step with role_names in ui/theme.c. The
 * comment after each role names the btop .theme key it maps onto.
 */
enum theme_role {
    ROLE_DEFAULT,       /* main_fg on main_bg */
    ROLE_TITLE,         /* title */
    ROLE_BORDER,        /* div_line, else cpu_box */
    ROLE_AXIS,          /* div_line, else cpu_box */
    ROLE_LABEL,         /* graph_text */
    ROLE_INACTIVE,      /* inactive_fg */
    ROLE_HI,            /* hi_fg */
    ROLE_SERIES1,       /* series: see theme_btop_parse */
    ROLE_SERIES2,
    ROLE_SERIES3,
    ROLE_SERIES4,
    ROLE_SERIES5,
    ROLE_SERIES6,
    ROLE_SERIES7,
    ROLE_SERIES8,
    ROLE_GOOD,          /* cpu_start, free_start, free_end: a green */
    ROLE_WARN,          /* temp_mid, cpu_mid, used_mid: a yellow */
    ROLE_CRIT,          /* temp_end, cpu_end, used_end: a red */
    ROLE_STALE,         /* inactive_fg */
    ROLE_SELECTION,     /* selected_fg on selected_bg */
    ROLE_STATUS,        /* status bar: main_fg on meter_bg */
    ROLE_TAB,           /* graph_text */
    ROLE_TAB_ACTIVE,    /* hi_fg on selected_bg */
    ROLE_METER_BG,      /* meter_bg */
    ROLE_COUNT
};

/* Cell attributes, combined as bits. */
enum {
    ATTR_BOLD = 1,
    ATTR_REVERSE = 2,
    ATTR_DIM = 4,
    ATTR_UNDERLINE = 8,
};

/* No colour: use the terminal's own default foreground or background. */
#define THEME_DEFAULT_COLOR (-1)

/* One role's look: 24-bit RGB colours (or THEME_DEFAULT_COLOR), attrs. */
struct theme_style {
    int32_t fg;
    int32_t bg;
    int attr;
};

struct theme {
    const char *name;
    struct theme_style style[ROLE_COUNT];
};

/* Colour depth, from richest to none. */
enum color_depth { DEPTH_MONO, DEPTH_8, DEPTH_256, DEPTH_TRUECOLOR };

/* The role's key name ("series3", "crit", ...), or NULL when out of range. */
const char *theme_role_name(int role);
/* The role named key, or -1 when there is none. */
int theme_role_by_name(const char *key);
/* The n-th series colour role (n counts from 0 and wraps after 8). */
int theme_series_role(size_t n);
/* The built-in themes: "default" (dark) and "mono". */
const struct theme *theme_default(void);
const struct theme *theme_mono(void);
/* A built-in theme by name ("default", "mono" or "monochrome"; NULL is
 * the default), or NULL when unknown. */
const struct theme *theme_by_name(const char *name);
/*
 * The depth to use, from the environment and what terminfo says: NO_COLOR
 * (set and non-empty) or !has_colors gives DEPTH_MONO; COLORTERM of
 * truecolor or 24bit with a direct-colour terminal gives DEPTH_TRUECOLOR;
 * otherwise the number of colours decides.
 */
enum color_depth theme_detect_depth(const char *no_color,
                                    const char *colorterm, bool has_colors,
                                    int ncolors, bool direct_rgb);

/*
 * A copy of from's styles called name (copied too), for a theme to
 * change or keep: the built-ins, a file laid over the dark theme.
 */
struct theme *theme_copy(const struct theme *from, const char *name);
/* Frees a theme from theme_copy, theme_btop_parse, theme_btop_load_file
 * or theme_resolve; NULL and the built-ins are ignored. */
void theme_free(struct theme *t);
/* rgb as a terminal of that depth names it: rgb itself, the nearest
 * xterm 256-colour index, the nearest basic ANSI colour (0-7), or
 * THEME_DEFAULT_COLOR in monochrome (and for it). */
int32_t theme_color_at_depth(int32_t rgb, enum color_depth depth);
/* The theme to draw with at depth: t, or the monochrome theme when there
 * is no colour (NO_COLOR, a monochrome terminal). */
const struct theme *theme_for_depth(const struct theme *t,
                                    enum color_depth depth);

#endif
