/*
 * libFuzzer harness for btop .theme files: the input is a theme file,
 * parsed from memory (theme_btop_parse). A theme must come with every
 * colour a real colour or the terminal's default, and a refusal must
 * point at a line of the input. It does not touch the terminal.
 */
#include <stdint.h>
#include <stdlib.h>

#include "ui/theme.h"
#include "ui/theme_btop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
valid_color(int32_t c)
{
    return c == THEME_DEFAULT_COLOR || (c >= 0 && c <= 0xffffff);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct theme *t;
    struct diag d;

    diag_clear(&d);
    t = theme_btop_parse("fuzz", (const char *)data, size, &d);
    if (t == NULL) {
        if (d.msg[0] == '\0' || d.line < 1 || (size_t)d.line > size + 1)
            abort();
        return 0;
    }
    for (int i = 0; i < ROLE_COUNT; i++)
        if (!valid_color(t->style[i].fg) || !valid_color(t->style[i].bg))
            abort();
    theme_free(t);
    return 0;
}
