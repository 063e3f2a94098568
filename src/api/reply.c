/*
 * The API's envelope and error mapping (web/api/v1/api.go's respond and
 * respondError, in our words).
 */
#include "src/api/reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "src/api/apijson.h"
#include "src/base/xalloc.h"

void
reply_data(struct http_response *rs, const char *data)
{
    rs->status = 200;
    rs->content_type = "application/json";
    buf_reset(&rs->body);
    buf_puts(&rs->body, "{\"status\":\"success\",\"data\":");
    buf_puts(&rs->body, data);
    buf_putc(&rs->body, '}');
}

static int
status_of(const char *type)
{
    static const struct {
        const char *type;
        int status;
    } map[] = {
        { "bad_data", 400 }, { "execution", 422 }, { "canceled", 503 },
        { "timeout", 503 }, { "internal", 500 }, { "not_found", 404 },
        { "unavailable", 503 },
    };

    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(map[i].type, type) == 0)
            return map[i].status;
    return 500;
}

void
reply_error(struct http_response *rs, const char *type, const char *fmt, ...)
{
    va_list ap;
    struct buf msg;

    buf_init(&msg, 0);
    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    rs->status = status_of(type);
    rs->content_type = "application/json";
    buf_reset(&rs->body);
    api_json_error(&rs->body, type, buf_str(&msg));
    buf_fini(&msg);
}

void
reply_text(struct http_response *rs, int status, const char *text)
{
    rs->status = status;
    rs->content_type = "text/plain; charset=utf-8";
    buf_reset(&rs->body);
    buf_puts(&rs->body, text);
}

bool
reply_time_param(struct http_response *rs, const struct api_params *p,
                 const char *name, int64_t dflt, int64_t *ms)
{
    const char *v = api_params_get(p, name);
    char err[256];

    if (v == NULL || *v == '\0') {
        *ms = dflt;
        return true;
    }
    if (api_parse_time(v, ms, err, sizeof(err)) == 0)
        return true;
    reply_error(rs, "bad_data", "invalid parameter \"%s\": Invalid time "
                "value for '%s': %s", name, name, err);
    return false;
}
