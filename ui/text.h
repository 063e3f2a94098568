/*
 * Text panels: panel->text as Markdown-ish prose, word-wrapped to the
 * panel: `#` headings in bold, blank lines between paragraphs, `-` and
 * `*` list items on lines of their own. No queries are needed.
 *
 * Ownership: the class is static; draws borrow their arguments.
 */
#ifndef UI_TEXT_H
#define UI_TEXT_H

#include "ui/widget.h"

extern const struct widget_class text_class;

#endif
