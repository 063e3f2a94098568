/*
 * Column names and the sort of the containers table. The sort orders
 * indices (the table is borrowed from src/ and left as it is) with an
 * insertion sort: a host's few hundred containers take well under a
 * millisecond, and it needs no context pointer qsort cannot pass.
 */
#include "ui/containers_table.h"

#include <math.h>
#include <string.h>

/* ORDER ccol */
static const char *const col_names[] = {
    "NAME", "IMAGE", "STATE", "CPU%", "MEM", "NET RX", "NET TX", "BLK R",
    "BLK W", "RESTARTS"
};
_Static_assert(sizeof col_names / sizeof *col_names == CCOL_COUNT,
               "a name per column");

const char *
containers_col_name(enum container_col col)
{
    return (unsigned)col < CCOL_COUNT ? col_names[col] : "";
}

static double
number(const struct container_row *r, enum container_col col)
{
    double v;

    switch (col) {
    case CCOL_CPU: v = r->cpu_cores; break;
    case CCOL_MEM: v = r->memory_bytes; break;
    case CCOL_NET_RX: v = r->rx_bps; break;
    case CCOL_NET_TX: v = r->tx_bps; break;
    case CCOL_BLK_READ: v = r->read_bps; break;
    case CCOL_BLK_WRITE: v = r->write_bps; break;
    default: v = r->restarts; break;
    }
    return isnan(v) ? -INFINITY : v;
}

/* A row's name for sorting: its cgroup id when it has no name. */
static const char *
sort_name(const struct container_row *r)
{
    return r->name[0] ? r->name : r->id;
}

static int
compare(const struct container_row *x,
        const struct container_row *y, enum container_col col,
        bool desc)
{
    int c = 0;

    if (col == CCOL_IMAGE) {
        c = strcmp(x->image, y->image);
    } else if (col == CCOL_STATE) {
        c = strcmp(x->state, y->state);
    } else if (col != CCOL_NAME) {
        double u = number(x, col), v = number(y, col);
        c = u < v ? -1 : u > v ? 1 : 0;
    }
    if (c == 0) {
        c = strcmp(sort_name(x), sort_name(y));
        if (c == 0)
            c = strcmp(x->id, y->id);
        /* Ties read A to Z whatever the direction, except on the name
         * column itself. */
        if (col != CCOL_NAME)
            return c;
    }
    return desc ? -c : c;
}

void
containers_order(const struct container_table *t,
                 enum container_col col, bool desc, size_t *order)
{
    for (size_t i = 0; i < t->n; i++) {
        size_t k = i;
        while (k > 0 && compare(&t->rows[order[k - 1]], &t->rows[i], col,
                                desc) > 0) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
}
