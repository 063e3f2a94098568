/*
 * Text panels: the text is read as blocks (headings, list items,
 * paragraphs whose lines join with a space as Markdown joins them) and
 * each block is word-wrapped, one blank line apart from the one before
 * it when the source had one. Inline markup (emphasis, links) is shown
 * as written: a panel is too small to gain from rendering it.
 */
#include "ui/text.h"

#include <string.h>

#include "src/base/buf.h"
#include "ui/theme.h"

enum block_kind { B_PARA, B_HEADING, B_ITEM };

/* The next line of *s (without its newline) in out; false at the end. */
static bool
next_line(const char **s, struct buf *out)
{
    const char *nl;

    if (**s == '\0')
        return false;
    nl = strchr(*s, '\n');
    buf_reset(out);
    buf_append(out, *s, nl != NULL ? (size_t)(nl - *s) : strlen(*s));
    *s = nl != NULL ? nl + 1 : *s + strlen(*s);
    return true;
}

/* What kind of line s is, and where its text starts. */
static enum block_kind
line_kind(const char *s, const char **text)
{
    s += strspn(s, " \t");
    if (s[0] == '#') {
        s += strspn(s, "#");
        *text = s + strspn(s, " \t");
        return B_HEADING;
    }
    if ((s[0] == '-' || s[0] == '*') && (s[1] == ' ' || s[1] == '\t')) {
        *text = s;
        return B_ITEM;
    }
    *text = s;
    return B_PARA;
}

/* Wraps one block at line *y of r (or only counts when c is NULL). */
static void
emit(struct canvas *c, struct rect r, int *y, enum block_kind k,
     const char *text)
{
    struct rect at = { r.x, r.y + *y, r.w, r.h - *y };

    if (c != NULL)
        *y += widget_wrap_attr(c, at, text,
                               k == B_HEADING ? ROLE_TITLE : ROLE_DEFAULT,
                               k == B_HEADING ? ATTR_BOLD : 0);
    else
        *y += widget_wrap_lines(text, r.w);
}

/* Ends the paragraph gathered so far, after a blank line if one came. */
static void
flush(struct canvas *c, struct rect r, int *y, struct buf *para, bool *gap)
{
    if (para->len == 0)
        return;
    *y += *gap && *y > 0;
    emit(c, r, y, B_PARA, buf_str(para));
    buf_reset(para);
    *gap = false;
}

/*
 * Lays out text in r; with c NULL nothing is drawn (r.h is then taken as
 * unbounded). Returns the lines used.
 */
static int
lay_out(struct canvas *c, struct rect r, const char *text)
{
    struct buf line, para;
    const char *s = text, *t;
    int y = 0;
    bool gap = false;

    buf_init(&line, 0);
    buf_init(&para, 0);
    while (next_line(&s, &line) && (c == NULL || y < r.h)) {
        enum block_kind k = line_kind(buf_str(&line), &t);

        if (k != B_PARA || *t == '\0')
            flush(c, r, &y, &para, &gap);
        if (k == B_PARA && *t == '\0') {
            gap = true;
        } else if (k != B_PARA) {
            y += gap && y > 0;
            emit(c, r, &y, k, t);
            gap = false;
        } else {
            if (para.len > 0)
                buf_putc(&para, ' ');
            buf_puts(&para, t);
        }
    }
    flush(c, r, &y, &para, &gap);
    buf_fini(&line);
    buf_fini(&para);
    return y;
}

static void
text_draw(const struct panel *p, const struct widget_ctx *ctx,
          struct canvas *c, struct rect r)
{
    (void)ctx;
    if (p->text != NULL && r.w > 0 && r.h > 0)
        lay_out(c, r, p->text);
}

static void
text_measure(const struct panel *p, int w, int *minw, int *minh,
             int *want_h)
{
    *minw = 8;
    *minh = 1;
    *want_h = p->text != NULL && w > 0
              ? lay_out(NULL, (struct rect){ 0, 0, w, 0 }, p->text) : 1;
    if (*want_h < 1)
        *want_h = 1;
}

const struct widget_class text_class = {
    .measure = text_measure,
    .draw = text_draw,
};
