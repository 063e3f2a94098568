/*
 * The built-in collectors: sources that read the kernel's files and write
 * one scrape's worth of Prometheus text exposition (0.0.4), scraped on the
 * same schedule as any target. This header is only the contract between a
 * collector and the scrape plumbing; it does no I/O itself.
 *
 * Ownership: open returns a state the collector owns until close; root is
 * borrowed for the call (a collector copies what it keeps). collect
 * appends to out, which the caller owns.
 */
#ifndef COLLECT_COLLECT_H
#define COLLECT_COLLECT_H

#include <stddef.h>

#include "src/base/buf.h"

struct collector_ops {
    const char *job;            /* the job name: "node", "cadvisor" */
    /* root: the folder under which /proc, /sys and /sys/fs/cgroup are
     * read ("" for the live system). NULL with err filled on failure. */
    void *(*open)(const char *root, char *err, size_t errsz);
    /* One scrape into out; -1 with err filled fails the scrape like a
     * failed HTTP scrape. */
    int (*collect)(void *state, struct buf *out, char *err, size_t errsz);
    void (*close)(void *state);
};

#endif
