/*
 * The containers table: one row per container the "cadvisor" collector
 * (or a real cAdvisor) reports, joined by cgroup id from PromQL over the
 * store: name, image, Docker state, CPU in cores against its quota,
 * working-set memory against its limit, network and block I/O rates,
 * restarts, and a CPU history for the row's sparkline. A container whose
 * series stopped is kept for CONTAINERS_LINGER_MS, marked gone, so the
 * screen can grey it before it leaves. It only reads the store; the
 * view, the sort and the snapshot are elsewhere.
 *
 * Ownership: a containers value is embedded by the caller, filled by
 * containers_eval and released with containers_fini; it owns its rows
 * and their strings.
 */
#ifndef DASH_CONTAINERS_H
#define DASH_CONTAINERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* How long a container whose series stopped stays listed: the
 * look-back of last_over_time in the queries. */
#define CONTAINERS_LINGER_MS (5 * 60 * 1000)

/* ORDER ccol: the table's columns, also its sort keys. */
enum container_col {
    CCOL_NAME, CCOL_IMAGE, CCOL_STATE, CCOL_CPU, CCOL_MEM, CCOL_NET_RX,
    CCOL_NET_TX, CCOL_BLK_READ, CCOL_BLK_WRITE, CCOL_RESTARTS, CCOL_COUNT
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
    double *cpu_history;        /* cores, oldest first, NaN for gaps */
    size_t nhistory;
};

struct containers {
    struct container_row *rows;
    size_t n;
    bool present;               /* the store has container series at all
                                   (the root cgroup counts) */
    char error[256];            /* a query that failed, or "" */
};

/*
 * Evaluates the table at now_ms, with a CPU history of nhistory points
 * over the range_ms before it (nhistory 0: none). Replaces what c held.
 * Rows come sorted by name, then id. Returns the row count.
 */
size_t containers_eval(struct containers *c, const struct store *st,
                       int64_t now_ms, int64_t range_ms, size_t nhistory);
void containers_fini(struct containers *c);

/* Sorts the rows by col, descending when desc (names ascending by
 * default read as A first); ties by name. */
void containers_sort(struct containers *c, enum container_col col,
                     bool desc);

/* The column's short title ("CPU%", "MEM", ...); ORDER ccol. */
const char *containers_col_name(enum container_col col);

#endif
