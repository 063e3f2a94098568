/*
 * Test support for files: where the test data lives, temporary
 * directories under /tmp, and writing or reading a whole small file. It
 * does not clean up behind a test that never calls ts_tmpdir_remove.
 *
 * Ownership: ts_testdata's string is the environment's or static;
 * ts_read_file's result is the caller's (free).
 */
#ifndef TESTS_SUPPORT_FS_H
#define TESTS_SUPPORT_FS_H

#include <stddef.h>

/* $TESTDATA, or "tests/data" when it is unset or empty (tests run from
 * the repo root). */
const char *ts_testdata(void);

/* Creates a fresh directory /tmp/promdeck-<tag>-XXXXXX and writes its
 * path to dir (size bytes). Returns 0, or -1 when it cannot. */
int ts_tmpdir_new(char *dir, size_t size, const char *tag);

/* Removes dir and everything under it (rm -rf). Returns 0, or -1 when
 * the removal fails. */
int ts_tmpdir_remove(const char *dir);

/* Writes text to path, replacing it; failing to open it fails the test. */
void ts_write_file(const char *path, const char *text);

/* The whole file at path as a NUL-terminated malloc'd string; failing
 * to open it fails the test. */
char *ts_read_file(const char *path);

#endif
