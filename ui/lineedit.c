/*
 * The line editor: a growable UTF-8 line and a cursor that only ever
 * rests between code points. Keys arrive as the screen reads them (code
 * points, control codes, SCREEN_KEY_*); the editor takes the ones a
 * shell's line editor would and leaves every other key to its caller.
 */
#include "ui/lineedit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/buf.h"
#include "src/base/utf8.h"
#include "src/base/xalloc.h"
#include "ui/screen.h"

/* Control codes of the editing keys. */
enum {
    CTRL_A = 0x01, CTRL_D = 0x04, CTRL_E = 0x05, CTRL_H = 0x08,
    CTRL_K = 0x0b, CTRL_U = 0x15, CTRL_W = 0x17, DEL = 0x7f,
};

/* Invariants: text holds len bytes of UTF-8 plus a NUL in cap bytes;
 * cur <= len on a code point boundary. */
struct lineedit {
    char *text;
    size_t len, cap, cur;
};

static bool
is_cont(char c)
{
    return ((unsigned char)c & 0xc0) == 0x80;
}

struct lineedit *
lineedit_new(void)
{
    struct lineedit *le = xcalloc(1, sizeof *le);

    lineedit_set(le, "");
    return le;
}

void
lineedit_free(struct lineedit *le)
{
    if (le == NULL)
        return;
    free(le->text);
    free(le);
}

const char *
lineedit_text(const struct lineedit *le)
{
    return le->text;
}

size_t
lineedit_len(const struct lineedit *le)
{
    return le->len;
}

size_t
lineedit_cursor(const struct lineedit *le)
{
    return le->cur;
}

void
lineedit_set(struct lineedit *le, const char *s)
{
    size_t n = strlen(s);

    if (n + 1 > le->cap) {
        le->cap = n + 64;
        le->text = xrealloc(le->text, le->cap);
    }
    memcpy(le->text, s, n + 1);
    le->len = n;
    le->cur = n;
}

void
lineedit_splice(struct lineedit *le, size_t a, size_t b, const char *s)
{
    size_t n = strlen(s), newlen = le->len - (b - a) + n;

    if (newlen + 1 > le->cap) {
        le->cap = newlen + 64;
        le->text = xrealloc(le->text, le->cap);
    }
    memmove(le->text + a + n, le->text + b, le->len - b + 1);
    memcpy(le->text + a, s, n);
    le->len = newlen;
    le->cur = a + n;
}

int
lineedit_cells(const char *s, size_t n)
{
    int w = 0;

    for (size_t i = 0; i < n && s[i] != '\0'; i++)
        w += !is_cont(s[i]);
    return w;
}

static size_t
prev_cp(const struct lineedit *le, size_t i)
{
    while (i > 0 && is_cont(le->text[--i]))
        ;
    return i;
}

static size_t
next_cp(const struct lineedit *le, size_t i)
{
    if (i < le->len)
        i++;
    while (i < le->len && is_cont(le->text[i]))
        i++;
    return i;
}

/* Ctrl-W: the start of the blank-separated word before the cursor. */
static size_t
word_back(const struct lineedit *le)
{
    size_t i = le->cur;

    while (i > 0 && le->text[i - 1] == ' ')
        i--;
    while (i > 0 && le->text[i - 1] != ' ')
        i--;
    return i;
}

/* Keys the terminal delivers as characters but that must not be typed:
 * controls, C1 controls, surrogates and SCREEN_KEY_* past Unicode. */
static bool
printable(int key)
{
    return key >= 0x20 && key != DEL && !(key >= 0x80 && key < 0xa0)
           && !(key >= 0xd800 && key < 0xe000) && key < 0x110000;
}

static void
insert_cp(struct lineedit *le, uint32_t cp)
{
    struct buf b;

    buf_init(&b, 0);
    utf8_put(cp, &b);
    lineedit_splice(le, le->cur, le->cur, buf_str(&b));
    buf_fini(&b);
}

bool
lineedit_key(struct lineedit *le, int key)
{
    size_t cur = le->cur, len = le->len;

    if (printable(key)) {
        insert_cp(le, (uint32_t)key);
        return true;
    }
    switch (key) {
    case SCREEN_KEY_LEFT: le->cur = prev_cp(le, cur); break;
    case SCREEN_KEY_RIGHT: le->cur = next_cp(le, cur); break;
    case SCREEN_KEY_HOME: case CTRL_A: le->cur = 0; break;
    case SCREEN_KEY_END: case CTRL_E: le->cur = len; break;
    case DEL: case CTRL_H: lineedit_splice(le, prev_cp(le, cur), cur, "");
        break;
    case SCREEN_KEY_DELETE: case CTRL_D:
        lineedit_splice(le, cur, next_cp(le, cur), "");
        le->cur = cur;
        break;
    case CTRL_K: lineedit_splice(le, cur, len, ""); break;
    case CTRL_U: lineedit_splice(le, 0, cur, ""); break;
    case CTRL_W: lineedit_splice(le, word_back(le), cur, ""); break;
    default: return false;
    }
    return le->cur != cur || le->len != len;
}

size_t
lineedit_view(const struct lineedit *le, int w, int *cell)
{
    size_t from = 0;
    int before = lineedit_cells(le->text, le->cur);

    /* Drop code points from the left until the cursor fits. */
    for (; before > w - 1; before--)
        from = next_cp(le, from);
    *cell = before;
    return from;
}
