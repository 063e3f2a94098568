/*
 * Request parameters: form decoding and Prometheus's time and duration
 * parameters. Errors carry Prometheus's own wording, because clients
 * (and people comparing the two servers) read those texts.
 */
#include "src/api/params.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/buf.h"
#include "src/base/duration.h"
#include "src/base/url.h"
#include "src/base/xalloc.h"

void
api_params_init(struct api_params *p)
{
    memset(p, 0, sizeof(*p));
}

void
api_params_fini(struct api_params *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].key);
        free(p->v[i].value);
    }
    free(p->v);
    memset(p, 0, sizeof(*p));
}

void
api_params_add(struct api_params *p, const char *key, size_t klen,
               const char *value, size_t vlen)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 8;
        p->v = xreallocarray(p->v, p->cap, sizeof(*p->v));
    }
    p->v[p->n].key = xstrndup(key, klen);
    p->v[p->n].value = xstrndup(value, vlen);
    p->n++;
}

/* form = pair *("&" pair); pair = key ["=" value]; empty pairs skipped */
int
api_params_parse_form(struct api_params *p, const char *s, size_t len)
{
    struct buf k, v;
    size_t i = 0;
    int rc = 0;

    buf_init(&k, 0);
    buf_init(&v, 0);
    while (i < len && rc == 0) {
        const char *amp = memchr(s + i, '&', len - i);
        size_t end = amp != NULL ? (size_t)(amp - s) : len;
        const char *eq = memchr(s + i, '=', end - i);
        size_t kend = eq != NULL ? (size_t)(eq - s) : end;

        if (end > i) {
            buf_reset(&k);
            buf_reset(&v);
            if (url_unescape(s + i, kend - i, true, &k) < 0
                || url_unescape(s + kend + (eq != NULL),
                                end - kend - (eq != NULL), true, &v) < 0)
                rc = -1;
            else
                api_params_add(p, buf_str(&k), k.len, buf_str(&v), v.len);
        }
        i = end + 1;
    }
    buf_fini(&k);
    buf_fini(&v);
    return rc;
}

const char *
api_params_get(const struct api_params *p, const char *key)
{
    return api_params_nth(p, key, 0);
}

size_t
api_params_count(const struct api_params *p, const char *key)
{
    size_t n = 0;

    for (size_t i = 0; i < p->n; i++)
        n += strcmp(p->v[i].key, key) == 0;
    return n;
}

const char *
api_params_nth(const struct api_params *p, const char *key, size_t nth)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i].key, key) == 0 && nth-- == 0)
            return p->v[i].value;
    return NULL;
}

/* A decimal number the way Go's strconv.ParseFloat takes one; false for
 * anything else (so "1m" falls through to the duration syntax). */
static bool
parse_number(const char *s, double *out)
{
    char *end;

    if (*s == '\0' || *s == ' ' || *s == '\t' || *s == '\n')
        return false;
    errno = 0;
    *out = strtod(s, &end);
    return *end == '\0' && !(errno == ERANGE && isinf(*out));
}

int
api_parse_time(const char *s, int64_t *ms, char *err, size_t errsz)
{
    double v;

    if (parse_number(s, &v) && isfinite(v) && fabs(v) < 9.2e15) {
        /* Whole seconds, then the fraction rounded to the millisecond,
         * as Prometheus splits the float. */
        double whole = trunc(v);

        *ms = (int64_t)whole * 1000 + (int64_t)llround((v - whole) * 1000);
        return 0;
    }
    if ((strchr(s, 'T') != NULL || strchr(s, 't') != NULL)
        && time_parse(s, ms) == 0)
        return 0;
    snprintf(err, errsz, "cannot parse \"%s\" to a valid timestamp", s);
    return -1;
}

int
api_parse_duration(const char *s, int64_t *ms, char *err, size_t errsz)
{
    double v;

    if (parse_number(s, &v)) {
        if (!(fabs(v) * 1e9 < 9.2233720368547758e18)) {
            snprintf(err, errsz, "cannot parse \"%s\" to a valid duration. "
                     "It overflows int64", s);
            return -1;
        }
        *ms = (int64_t)(v * 1000);
        return 0;
    }
    if (duration_parse(s, strlen(s), ms) == 0)
        return 0;
    snprintf(err, errsz, "cannot parse \"%s\" to a valid duration", s);
    return -1;
}

bool
api_label_name_valid(const char *s)
{
    if (*s == '\0' || (*s >= '0' && *s <= '9'))
        return false;
    for (; *s != '\0'; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')
              || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}
