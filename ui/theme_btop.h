/*
 * btop's .theme files, read as themes: the format people already have
 * themes in, so a theme written for btop works unchanged. The file's
 * colours are laid over the built-in dark theme and mapped onto roles
 * (enum theme_role's comments name the key each role follows). Finding
 * a file by name is ui/theme_path.h's job.
 *
 * Ownership: both functions return a theme the caller releases with
 * theme_free. Their arguments are borrowed for the call only.
 */
#ifndef UI_THEME_BTOP_H
#define UI_THEME_BTOP_H

#include <stddef.h>

#include "src/base/diag.h"
#include "ui/theme.h"

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
struct theme *theme_btop_parse(const char *name, const char *text,
                               size_t len, struct diag *d);
/*
 * Reads and parses a .theme file (at most 1 MiB), named after its base
 * name without ".theme". NULL with d set when it cannot be read (no
 * line) or parsed (the line and column in the file).
 */
struct theme *theme_btop_load_file(const char *path, struct diag *d);

#endif
