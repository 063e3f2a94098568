/*
 * The targets document: entries kept sorted by scrape pool (stable, so
 * a pool's targets stay in the order the loop gave them), then filtered
 * per request by state and scrapePool as web/api/v1/api.go's targets
 * handler does.
 */
#include "src/api/api_targets.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "src/api/reply.h"
#include "src/base/buf.h"
#include "src/base/xalloc.h"

struct entry {
    char *pool, *json;
    bool dropped;
    size_t order;               /* as given: keeps the sort stable */
};

struct api_targets_doc {
    struct entry *v;
    size_t n;
};

static int
cmp_entry(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    int c = strcmp(x->pool, y->pool);

    if (c != 0)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

struct api_targets_doc *
api_targets_doc_new(const struct api_target_doc *v, size_t n)
{
    struct api_targets_doc *d = xcalloc(1, sizeof(*d));

    d->v = xcalloc(n + 1, sizeof(*d->v));
    for (size_t i = 0; i < n; i++)
        d->v[i] = (struct entry){ xstrdup(v[i].pool), xstrdup(v[i].json),
                                  v[i].dropped, i };
    d->n = n;
    qsort(d->v, n, sizeof(*d->v), cmp_entry);
    return d;
}

void
api_targets_doc_free(struct api_targets_doc *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].pool);
        free(d->v[i].json);
    }
    free(d->v);
    free(d);
}

/* The entries of one list that pass scrapePool, as a JSON array. */
static void
put_list(struct buf *b, const struct api_targets_doc *d, bool dropped,
         const char *pool)
{
    size_t k = 0;

    buf_putc(b, '[');
    for (size_t i = 0; d != NULL && i < d->n; i++) {
        const struct entry *e = &d->v[i];

        if (e->dropped != dropped || (pool != NULL && *pool != '\0'
                                      && strcmp(pool, e->pool) != 0))
            continue;
        if (k++ > 0)
            buf_putc(b, ',');
        buf_puts(b, e->json);
    }
    buf_putc(b, ']');
}

void
api_targets_reply(const struct api_targets_doc *d, const struct api_params *p,
                  struct http_response *rs)
{
    const char *state = api_params_get(p, "state");
    const char *pool = api_params_get(p, "scrapePool");
    char lower[16] = "";
    bool active, dropped;
    struct buf b;

    /* strings.ToLower; a longer word is none of the three anyway. */
    if (state != NULL && strlen(state) < sizeof(lower))
        for (size_t i = 0; state[i] != '\0'; i++)
            lower[i] = (char)tolower((unsigned char)state[i]);
    else if (state != NULL)
        strncpy(lower, "-", sizeof(lower));
    active = lower[0] == '\0' || strcmp(lower, "any") == 0
             || strcmp(lower, "active") == 0;
    dropped = lower[0] == '\0' || strcmp(lower, "any") == 0
              || strcmp(lower, "dropped") == 0;
    buf_init(&b, 0);
    buf_puts(&b, "{\"activeTargets\":");
    if (active)
        put_list(&b, d, false, pool);
    else
        buf_puts(&b, "[]");
    buf_puts(&b, ",\"droppedTargets\":");
    if (dropped)
        put_list(&b, d, true, pool);
    else
        buf_puts(&b, "[]");
    buf_putc(&b, '}');
    reply_data(rs, buf_str(&b));
    buf_fini(&b);
}
