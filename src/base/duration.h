/*
 * Prometheus durations ("90s", "1h30m", "100ms", "2d", "1w", "1y") and
 * times (Unix seconds or RFC 3339), as the config, the command line and
 * the API write them. Pure functions; nothing here allocates.
 */
#ifndef BASE_DURATION_H
#define BASE_DURATION_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parses s[0..len): units y w d h m s ms, each at most once and in that
 * order, integers only, or a bare "0". Returns 0 and sets *ms, or -1.
 */
int duration_parse(const char *s, size_t len, int64_t *ms);
/* Writes ms the way Prometheus prints durations ("1h30m", "15s", "0s"). */
void duration_format(int64_t ms, char *out, size_t size);
/* Parses Unix seconds (with fraction) or RFC 3339 into ms; -1 if bad. */
int time_parse(const char *s, int64_t *ms);
/* Milliseconds since the epoch, from the real-time clock. */
int64_t time_now_ms(void);
/* The real-time clock in seconds with its full (ns) resolution. */
double time_now_s(void);
/* Seconds from a monotonic clock, for measuring durations and timeouts
 * and for the demo's simulated time. */
double time_mono_s(void);
/* The CPU time the calling thread has used, in seconds: a budget of
 * work that a loaded machine's scheduling does not eat into. */
double time_cpu_s(void);

#endif
