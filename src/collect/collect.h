/*
 * Built-in sources: collectors that read this host's kernel files and
 * write one scrape's worth of Prometheus text exposition (0.0.4), which
 * the scrape pool then parses, relabels and commits exactly like the
 * body of an HTTP scrape (see struct scrape_builtin in scrape/pool.h).
 * This module holds the contract, the table of collectors and the small
 * helpers they share: reading a file under the root, writing a family's
 * HELP/TYPE and a sample. It starts nothing by itself and never prints.
 *
 * Ownership: a collector's state belongs to whoever opened it and is
 * released with its close. A collect_set owns the states it opened and
 * the scrape_builtin records that point at them; both stay valid until
 * collect_set_free, so the pool that borrows them must be freed first.
 */
#ifndef COLLECT_COLLECT_H
#define COLLECT_COLLECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scrape/pool.h"
#include "src/base/buf.h"

/*
 * One collector. root is the filesystem root /proc and /sys are read
 * under: "" for the live host, a fixture folder in the tests. open
 * returns the state, or NULL with a message in err when the collector
 * cannot run here at all. collect appends one scrape's exposition text
 * to out and returns 0; a part that failed (a file that vanished or is
 * unreadable) leaves a note in err while the rest is still written. It
 * returns -1, with the reason in err, when nothing could be collected:
 * that scrape then fails like a failed HTTP scrape (up 0, the error in
 * the targets view). close(NULL) does nothing.
 */
struct collector_ops {
    const char *job;
    void *(*open)(const char *root, char *err, size_t errsz);
    int (*collect)(void *state, struct buf *out, char *err, size_t errsz);
    void (*close)(void *state);
    /* Optional: scrape_builtin.poll (scrape/pool.h); NULL for none. */
    bool (*poll)(void *state, int64_t now_ms);
};

/* The built-in collectors, NULL-ended, in the order their jobs appear. */
extern const struct collector_ops *const collect_builtins[];

/* The collectors of collect_builtins opened on one root. */
struct collect_set;

/* Opens every built-in collector on root; one that cannot run keeps its
 * reason (collect_set_error) and has no builtin. */
struct collect_set *collect_set_open(const char *root);
void collect_set_free(struct collect_set *s);
size_t collect_set_count(const struct collect_set *s);
/* Collector i's job name. */
const char *collect_set_job(const struct collect_set *s, size_t i);
/* Collector i as the pool's built-in source, or NULL if it did not open;
 * valid until collect_set_free. */
const struct scrape_builtin *collect_set_builtin(const struct collect_set *s,
                                                 size_t i);
/* Why collector i did not open ("" when it did). */
const char *collect_set_error(const struct collect_set *s, size_t i);

/*
 * This host's name as root sees it (its proc/sys/kernel/hostname, else
 * gethostname), into out (size bytes, NUL-terminated); "localhost" when
 * neither answers.
 */
void collect_hostname(const char *root, char *out, size_t size);

/*
 * Reads root + path whole into b (emptied first; its memory is reused
 * across calls). Returns 0, or -1 with errno set (ENOENT for a file
 * that is not there) and "PATH: reason" in err.
 */
int collect_read(const char *root, const char *path, struct buf *b,
                 char *err, size_t errsz);

/*
 * Splits the line at *p (up to '\n' or the end of the text) into at most
 * max whitespace-separated fields, in place (NULs written; a longer line
 * leaves the rest in its last field), and moves *p past it. Returns the
 * number of fields, or -1 at the end of the text.
 */
int collect_fields(char **p, char **f, int max);
/* s as a number (a decimal integer or float, all of it); -1 if not. */
int collect_number(const char *s, double *v);

/* "# HELP name help" and "# TYPE name type" ("gauge", "counter"). */
void collect_family(struct buf *out, const char *name, const char *help,
                    const char *type);
/*
 * One sample line: name, then the labels of lv (name, value, name,
 * value, ..., NULL; values escaped as the format wants), then v.
 */
void collect_sample(struct buf *out, const char *name,
                    const char *const *lv, double v);
/* Appends "what: reason" to a note, "; "-separated. */
void collect_note(char *err, size_t errsz, const char *what,
                  const char *reason);

#endif
