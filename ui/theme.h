/*
 * Themes: a fixed set of semantic roles (axis, series 1-8, warn, crit,
 * selection, ...) mapped to colours and attributes. Widgets name roles,
 * never colours; the screen turns roles into colour pairs for the depth
 * the terminal offers. Theme files are btop's .theme format, so a theme
 * written for btop works unchanged (see theme_parse for the mapping).
 *
 * Ownership: the built-in themes are static constant tables. theme_parse,
 * theme_load_file and theme_resolve return a theme the caller releases
 * with theme_free, which ignores the built-in ones.
 */
#ifndef UI_THEME_H
#define UI_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/base/diag.h"

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
    ROLE_SERIES1,       /* series: see theme_parse */
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
/*
 * The role nearest a Grafana threshold colour: a palette name ("green",
 * "dark-red", "semi-dark-orange", ...), "#rrggbb" or "rgb(a)(r, g, b...)".
 * Greens map to good, yellows and oranges to warn, reds to crit, blues
 * and purples to series colours; -1 when the text is not a colour.
 */
int theme_role_by_color(const char *color);
/* The n-th series colour role (n counts from 0 and wraps after 8). */
int theme_series_role(size_t n);
/* The built-in themes: "default" (dark) and "mono". */
const struct theme *theme_default(void);
const struct theme *theme_mono(void);
/* A built-in theme by name, or NULL when unknown. */
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
 * Parses a btop .theme file's text (len bytes) into a theme called name:
 *
 *   # comment
 *   theme[key]="#RRGGBB"      also "#GG" (a grey), "R G B" in decimal,
 *   theme[key]=""             or "": the terminal's own colour
 *
 * A quoted colour may be followed by a # comment. Keys btop does not
 * know, or promdeck does not use, are ignored as btop ignores them; a
 * line that is neither blank, a comment nor an entry, or a colour that
 * does not parse, is an error (NULL, d set with its line and column).
 * Keys the file leaves out keep the built-in dark colours. The mapping
 * onto roles is the one in enum theme_role's comments, and:
 * - good, warn and crit take the first listed key whose hue is green,
 *   yellow/orange or red (within 30 degrees), else the nearest such hue
 *   among all the file's colours, else the built-in colour; a theme
 *   without any saturated colour takes the first listed key set instead,
 *   so a grey theme stays grey;
 * - series 1-8 take the first eight distinct colours among cpu_start,
 *   the *_end keys of download, upload, cached, used, free, available and
 *   process, temp_start, temp_end, cpu_mid, cpu_end, the box colours,
 *   proc_misc and hi_fg (repeating when there are fewer);
 * - when main_bg is set, every role without a background of its own is
 *   drawn on it.
 */
struct theme *theme_parse(const char *name, const char *text, size_t len,
                          struct diag *d);
/* Reads and parses a .theme file, named after its base name without
 * ".theme". NULL with d set when it cannot be read or parsed. */
struct theme *theme_load_file(const char *path, struct diag *d);
/*
 * What -t NAME|FILE names: NULL, "default" or "mono" a copy of a
 * built-in; an argument with a '/' or ending in ".theme" a file; any
 * other NAME the file NAME.theme in the first of theme_search_dirs that
 * has it. NULL with d set (source = arg for errors inside a file) when
 * there is no such theme or its file is bad.
 */
struct theme *theme_resolve(const char *arg, struct diag *d);
/*
 * Fills dirs (up to max malloc'd strings the caller frees) with where
 * theme names are looked for, in order: $XDG_CONFIG_HOME/promdeck/themes
 * (~/.config when unset), themes/ beside the executable, its
 * ../share/promdeck/themes, /usr/local/share/promdeck/themes, then btop's
 * $XDG_CONFIG_HOME/btop/themes, /usr/local/share/btop/themes and
 * /usr/share/btop/themes. Returns how many it filled.
 */
size_t theme_search_dirs(char **dirs, size_t max);
/* Frees a theme returned above; NULL and the built-ins are ignored. */
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
