/*
 * file_sd_configs: target groups read from JSON and YAML files named by
 * paths and globs (a "*" in the last path element), re-read when a
 * file's mtime, size or inode changes (checked at most once a second) and
 * every refresh interval, as Prometheus's file discovery does. A file
 * with a bad edit keeps its previous groups and reports the error. It
 * never blocks on anything but local file reads, and never relabels.
 *
 * Ownership: sd_file_new copies the config; the caller releases the
 * provider with sd_file_free. Groups and the error string returned stay
 * valid until the next sd_file_poll or sd_file_free.
 */
#ifndef SCRAPE_SD_FILE_H
#define SCRAPE_SD_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scrape/sd_group.h"

/* Prometheus's default refresh_interval for file_sd_configs. */
#define SD_FILE_DEFAULT_REFRESH_MS (5 * 60 * 1000)

struct sd_file_config {
    const char *const *files;   /* paths or globs, checked by the config */
    size_t nfiles;
    int64_t refresh_ms;         /* > 0 */
};

struct sd_file;

struct sd_file *sd_file_new(const struct sd_file_config *c);
void sd_file_free(struct sd_file *f);
/*
 * Checks the files when a second has passed since the last check (all of
 * them are re-read when the refresh interval has passed) and reloads the
 * changed ones. Returns true when the groups changed.
 */
bool sd_file_poll(struct sd_file *f, int64_t now_ms);
/* When sd_file_poll next has work to do. */
int64_t sd_file_next_due(const struct sd_file *f);
/* The groups of every file, in path order; source "path:index". */
size_t sd_file_group_count(const struct sd_file *f);
const struct sd_group *sd_file_group(const struct sd_file *f, size_t i);
/* The errors of the last read of each file ("path:line:col: message",
 * joined by "; "), or "" when every file read cleanly. */
const char *sd_file_error(const struct sd_file *f);

#endif
