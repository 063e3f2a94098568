/*
 * The series filter typed at the `/` prompt: `label=value`,
 * `label!=value`, `label=~regex`, `label!~regex` (fully anchored, as
 * PromQL's matchers), or else a substring of the formatted label set
 * (`name{a="b", ...}`). The draw applies it to every panel's results.
 *
 * Ownership: filter_new's result belongs to the caller (filter_free).
 * filter_panel's output borrows the panel's strings and series and owns
 * only its arrays, released by filter_panel_fini.
 */
#ifndef UI_FILTER_H
#define UI_FILTER_H

#include <stdbool.h>

#include "store/labels.h"
#include "ui/model.h"

struct series_filter;

/* A filter for text; NULL for an empty text (nothing is filtered). A
 * regex that does not compile makes the whole text a substring filter. */
struct series_filter *filter_new(const char *text);
void filter_free(struct series_filter *f);
/*
 * Whether a series with labels ls passes; a NULL filter passes all. A
 * series whose regex match could not be decided passes, and filter_note
 * says so from then on.
 */
bool filter_match(struct series_filter *f, const struct labels *ls);
/* What the filter line should add: NULL, or why some series passed
 * undecided. */
const char *filter_note(const struct series_filter *f);
/*
 * Fills out with a copy of p whose query results hold only the series
 * that pass (scalars and strings always pass), spending at most about
 * 100 ms of CPU time on regex matches (the rest pass undecided).
 * Release with filter_panel_fini.
 */
void filter_panel(struct series_filter *f, const struct panel *p,
                  struct panel *out);
void filter_panel_fini(struct panel *out);

#endif
