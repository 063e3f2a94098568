/*
 * Copies the scrape pool's per-target status, the dropped targets and
 * discovery's errors into plain rows, so the UI and the snapshot writer
 * need not know the pool or discovery.
 */
#include "src/targets.h"

#include <stdlib.h>
#include <string.h>

#include "src/base/buf.h"
#include "src/base/xalloc.h"

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
    free(tl->dropped);
    free(tl->errors);
    targets_init(tl);
}

/* Takes the heap string s into the list, to be freed with it. */
static char *
adopt(struct target_list *tl, char *s)
{
    tl->strings = xreallocarray(tl->strings, tl->nstrings + 1,
                                sizeof(*tl->strings));
    return tl->strings[tl->nstrings++] = s;
}

/* Keeps a copy of s for the rows; NULL becomes "". */
static char *
keep(struct target_list *tl, const char *s)
{
    return adopt(tl, xstrdup(s != NULL ? s : ""));
}

static void
fill_row(struct target_list *tl, struct target_row *r,
         const struct scrape_status *st)
{
    struct buf b;

    buf_init(&b, 0);
    labels_format(st->labels, &b);
    r->job = keep(tl, st->job);
    r->instance = keep(tl, st->instance);
    r->url = keep(tl, st->url);
    r->labels = keep(tl, buf_str(&b));
    r->last_error = keep(tl, st->last_error);
    r->discovered = st->discovered != NULL ? keep(tl, st->discovered)
                                           : NULL;
    buf_fini(&b);
    r->health = (enum target_health)st->health;
    r->last_scrape_ms = st->last_scrape_ms;
    r->last_duration_s = st->last_duration_s;
    r->samples = st->samples;
}

/* "job: error" for every discovery provider whose last refresh failed. */
static void
fill_errors(struct target_list *tl, const struct discovery *disc,
            const struct config *cfg, size_t *n)
{
    size_t count = disc != NULL ? discovery_count(disc) : 0;

    tl->errors = xcalloc(count + 1, sizeof(*tl->errors));
    *n = 0;
    for (size_t i = 0; i < count; i++) {
        struct discovery_status st;

        discovery_status(disc, i, &st);
        if (st.error[0] == '\0')
            continue;
        tl->errors[(*n)++] = adopt(tl, xasprintf(
            "%s: %s", st.job < cfg->njobs ? cfg->jobs[st.job].name : "?",
            st.error));
    }
}

void
targets_fill(struct target_list *tl, const struct scrape_pool *pool,
             const struct config_dropped *dropped, size_t ndropped,
             const struct discovery *disc, const struct config *cfg)
{
    size_t n = scrape_pool_count(pool), nerr;

    targets_fini(tl);
    tl->rows = xcalloc(n + 1, sizeof(*tl->rows));
    for (size_t i = 0; i < n; i++) {
        struct scrape_status st;

        scrape_pool_status(pool, i, &st);
        fill_row(tl, &tl->rows[i], &st);
        tl->up += tl->rows[i].health == HEALTH_UP;
    }
    tl->dropped = xcalloc(ndropped + 1, sizeof(*tl->dropped));
    for (size_t i = 0; i < ndropped; i++) {
        tl->dropped[i].job = keep(tl, dropped[i].job);
        tl->dropped[i].discovered = keep(tl, dropped[i].discovered);
        tl->dropped[i].reason = keep(tl, dropped[i].reason);
    }
    fill_errors(tl, disc, cfg, &nerr);
    tl->view = (struct target_view){
        .rows = tl->rows, .n = n, .dropped = tl->dropped,
        .ndropped = ndropped, .errors = (const char *const *)tl->errors,
        .nerrors = nerr,
    };
}
