/*
 * A line-buffered debug log file with millisecond timestamps. It never
 * writes to the terminal.
 */
#include "src/base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static FILE *log_file;

int
log_open(const char *path)
{
    log_close();
    log_file = fopen(path, "a");
    if (log_file == NULL)
        return -1;
    setvbuf(log_file, NULL, _IOLBF, 0);
    return 0;
}

void
log_close(void)
{
    if (log_file != NULL)
        fclose(log_file);
    log_file = NULL;
}

void
log_debug(const char *fmt, ...)
{
    struct timespec ts;
    struct tm tm;
    va_list ap;

    if (log_file == NULL)
        return;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    fprintf(log_file, "%02d:%02d:%02d.%03ld ", tm.tm_hour, tm.tm_min, tm.tm_sec,
            ts.tv_nsec / 1000000);
    va_start(ap, fmt);
    vfprintf(log_file, fmt, ap);
    va_end(ap);
    fputc('\n', log_file);
}
