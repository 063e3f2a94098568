/*
 * Copies the scrape pool's per-target status into plain rows, so the UI
 * and the snapshot writer need not know the pool.
 */
#include "src/targets.h"

#include <stdlib.h>
#include <string.h>

#include "src/buf.h"
#include "src/xalloc.h"

void
targets_init(struct target_list *tl)
{
    memset(tl, 0, sizeof(*tl));
}

void
targets_fini(struct target_list *tl)
{
    for (size_t i = 0; i < tl->nstrings; i++)
        free(tl->strings[i]);
    free(tl->strings);
    free(tl->rows);
    targets_init(tl);
}

/* Keeps a copy of s for the rows; NULL becomes "". */
static const char *
keep(struct target_list *tl, const char *s, size_t i)
{
    return tl->strings[i] = xstrdup(s != NULL ? s : "");
}

void
targets_fill(struct target_list *tl, const struct scrape_pool *pool)
{
    size_t n = scrape_pool_count(pool);

    targets_fini(tl);
    tl->n = n;
    tl->rows = xcalloc(n, sizeof(*tl->rows));
    tl->strings = xcalloc(n * 6, sizeof(*tl->strings));
    tl->nstrings = n * 6;
    for (size_t i = 0; i < n; i++) {
        struct target_row *r = &tl->rows[i];
        struct scrape_status st;
        struct buf b;

        scrape_pool_status(pool, i, &st);
        buf_init(&b, 0);
        labels_format(st.labels, &b);
        r->job = keep(tl, st.job, i * 6);
        r->instance = keep(tl, st.instance, i * 6 + 1);
        r->url = keep(tl, st.url, i * 6 + 2);
        r->labels = keep(tl, buf_str(&b), i * 6 + 3);
        r->last_error = keep(tl, st.last_error, i * 6 + 4);
        r->discovered = keep(tl, st.discovered, i * 6 + 5);
        buf_fini(&b);
        r->health = (enum target_health)st.health;
        r->last_scrape_ms = st.last_scrape_ms;
        r->last_duration_s = st.last_duration_s;
        r->samples = st.samples;
        tl->up += r->health == HEALTH_UP;
    }
}
