/*
 * The debug log. While the screen is active nothing may write to stdout or
 * stderr, so -v sends messages to a file instead. With no file open every
 * call is a cheap no-op.
 */
#ifndef BASE_LOG_H
#define BASE_LOG_H

/* Opens (appends to) path; -1 when it cannot be opened. */
int log_open(const char *path);
void log_close(void);
/* Writes one timestamped line; callers start it with "%s: ", __func__. */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
