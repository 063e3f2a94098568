/*
 * The containers view, like btop's process list but one row per
 * container: name, image, state, CPU (% of a core, % of its quota),
 * memory (and % of its limit), network and block I/O rates, restarts and
 * a CPU sparkline; sortable by any column, filtered by the `/` filter,
 * with the selected container's CPU, memory, network and I/O over the
 * time range on Enter. Containers whose series stopped are greyed until
 * they leave the table. It draws from a borrowed container_table and
 * keeps only the view state.
 *
 * Ownership: everything is borrowed for the call; containers_state is a
 * plain value the caller keeps.
 */
#ifndef UI_VIEW_CONTAINERS_H
#define UI_VIEW_CONTAINERS_H

#include <stdbool.h>

#include "ui/canvas.h"
#include "ui/containers_table.h"
#include "ui/filter.h"

struct containers_state {
    int sort;           /* enum container_col */
    bool asc;           /* false: descending, btop's default */
    int sel;            /* selected row, in the shown order */
    int scroll;         /* first row shown */
    bool detail;        /* the selected container's panels */
    char detail_id[256];    /* whose, so a re-sort keeps it */
};

/* The state a fresh view starts in: sorted by CPU, busiest first. */
struct containers_state view_containers_initial(void);

/*
 * Draws the table (or the selected container's panels) into r; t may be
 * NULL (nothing reports containers). f filters rows by their labels
 * name, image, state and id (NULL: all). Clamps cs->sel and cs->scroll.
 */
void view_draw_containers(struct canvas *c, struct rect r,
                          const struct container_table *t,
                          struct series_filter *f,
                          struct containers_state *cs);

/*
 * A key for the view, btop's: Up/Down/PgUp/PgDn/Home/End move, Left and
 * Right pick the sort column, r reverses it, Enter opens the selected
 * container's panels and Esc or Enter closes them. rows is the page
 * height for PgUp/PgDn. True when the key was the view's.
 */
bool view_containers_key(struct containers_state *cs, int key, int rows);

#endif
