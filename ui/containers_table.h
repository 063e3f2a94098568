/*
 * The containers table as the screen and the snapshot take it: plain
 * rows, one per container, filled by src/dash/containers.c from PromQL
 * and drawn by ui/view_containers.c. No behaviour here but the column
 * names and the sort.
 *
 * Ownership: the table owns its rows and their strings (see
 * containers_fini in src/dash/containers.h).
 */
#ifndef UI_CONTAINERS_TABLE_H
#define UI_CONTAINERS_TABLE_H

#include <stdbool.h>
#include <stddef.h>

/* ORDER ccol: the table's columns, also its sort keys. */
enum container_col {
    CCOL_NAME, CCOL_IMAGE, CCOL_STATE, CCOL_CPU, CCOL_MEM, CCOL_NET_RX,
    CCOL_NET_TX, CCOL_BLK_READ, CCOL_BLK_WRITE, CCOL_RESTARTS, CCOL_COUNT
};

/* The histories each row keeps over the time range shown. */
enum container_hist {
    CHIST_CPU,      /* cores */
    CHIST_MEM,      /* working-set bytes */
    CHIST_NET,      /* received + sent, bytes/s */
    CHIST_IO,       /* read + written, bytes/s */
    CHIST_COUNT
};

struct container_row {
    char *id;                   /* the cgroup path, the row's key */
    char *name, *image, *state; /* "" when not known */
    bool gone;                  /* its series stopped: exited, removed */
    double cpu_cores;           /* NaN when not known (one scrape yet) */
    double quota_cores;         /* 0: no quota */
    double memory_bytes, memory_limit_bytes;   /* limit 0: none */
    double rx_bps, tx_bps, read_bps, write_bps;
    double restarts;            /* NaN when Docker did not say */
    double *history[CHIST_COUNT];   /* oldest first, NaN for gaps */
    size_t nhistory;
};

/* The host above the table, as btop heads its process list; from
 * node_exporter's series. NaN for what is not known. */
#define HOST_MAX_CORES 256

struct host_summary {
    bool present;               /* node_exporter-style series are there */
    char name[128];             /* node_uname_info's nodename, or "" */
    int ncores;                 /* cores known (at most HOST_MAX_CORES) */
    double core_busy[HOST_MAX_CORES];   /* 0..1, by cpu number order */
    double cpu_busy;            /* 0..1, all cores */
    double mem_total, mem_used, swap_total, swap_used;  /* bytes */
    double load1, load5, load15;
    double net_rx, net_tx, disk_read, disk_write;       /* bytes/s */
    double uptime_s;
};

struct container_table {
    struct host_summary host;
    struct container_row *rows;
    size_t n;
    bool present;               /* the store has container series at all
                                   (the root cgroup counts) */
    char error[256];            /* a query that failed, or "" */
};

/* The column's short title ("CPU%", "MEM", ...). */
const char *containers_col_name(enum container_col col);

/*
 * Writes into order (n entries) the rows' indices sorted by col,
 * descending when desc; ties and the name column go by name, then id.
 * Unknown numbers (NaN) sort below every known one.
 */
void containers_order(const struct container_table *t,
                      enum container_col col, bool desc, size_t *order);

#endif
