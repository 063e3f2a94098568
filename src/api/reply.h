/*
 * Answers in the API's envelope, shared by the endpoints: success with a
 * data document, an error with Prometheus's errorType and the HTTP status
 * it maps to (bad_data 400, execution 422, canceled and timeout 503,
 * internal 500, not_found 404), and the time parameters every endpoint
 * reads the same way.
 */
#ifndef API_REPLY_H
#define API_REPLY_H

#include <stdbool.h>
#include <stdint.h>

#include "src/api/http.h"

/* {"status":"success","data":DATA}; data is JSON text. */
void reply_data(struct http_response *rs, const char *data);
/* An error body; the status follows type. */
void reply_error(struct http_response *rs, const char *type,
                 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A plain-text answer (404, 405, /-/healthy...). */
void reply_text(struct http_response *rs, int status, const char *text);

/*
 * The optional time parameter name ("start", "end", "time") into *ms, or
 * dflt when absent or empty, as Prometheus's parseTimeParam. False after
 * replying 400 ("invalid parameter \"start\": Invalid time value for
 * 'start': cannot parse ...").
 */
bool reply_time_param(struct http_response *rs, const struct api_params *p,
                      const char *name, int64_t dflt, int64_t *ms);

#endif
