/*
 * A line-buffered debug log file with millisecond timestamps. It never
 * writes to the terminal.
 */
#include "src/base/log.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "src/base/duration.h"

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
    int64_t ms;
    time_t secs;
    struct tm tm;
    va_list ap;

    if (log_file == NULL)
        return;
    ms = time_now_ms();
    secs = (time_t)(ms / 1000);
    gmtime_r(&secs, &tm);
    fprintf(log_file, "%02d:%02d:%02d.%03d ", tm.tm_hour, tm.tm_min, tm.tm_sec,
            (int)(ms % 1000));
    va_start(ap, fmt);
    vfprintf(log_file, fmt, ap);
    va_end(ap);
    fputc('\n', log_file);
}
