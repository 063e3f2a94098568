/*
 * The log of `promdeck serve`: one logfmt line per event on stderr, as
 * Prometheus writes its log, so the same tools (journalctl, grep, Loki)
 * read both: ts=2026-12-03T10:25:07.527Z caller=cmd_serve.c:120
 * level=info msg="Server is ready to receive web requests."
 * Lines from many threads never interleave.
 */
#ifndef API_LOGFMT_H
#define API_LOGFMT_H

/*
 * Writes one line: level ("info", "warn", "error"), the caller's file and
 * line (__FILE__, __LINE__; the folder is dropped), the message, then
 * key, value pairs ended by a NULL key. Values with spaces, quotes or '='
 * are quoted and escaped; nothing is ever truncated.
 */
void logfmt(const char *level, const char *file, int line, const char *msg,
            ...);

#endif
