/*
 * Copies the scrape pool's per-target status, the dropped targets and
 * discovery's errors into plain rows, so the UI and the snapshot writer
 * need not know the pool or discovery.
 */
#include "src/targets.h"

#include <stdbool.h>
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
    for (size_t i = 0; i < tl->nsets; i++)
        labels_release(&tl->sets[i]);
    free(tl->sets);
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

/* One value as labels_format escapes it, after its opening quote, into
 * v; returns what follows the closing quote, or NULL. */
static const char *
read_value(const char *s, struct buf *v)
{
    buf_reset(v);
    for (; *s != '"'; s++) {
        if (*s == '\0')
            return NULL;
        if (*s == '\\') {
            s++;
            if (*s != '\\' && *s != '"' && *s != 'n')
                return NULL;
            buf_putc(v, *s == 'n' ? '\n' : *s);
        } else {
            buf_putc(v, *s);
        }
    }
    return s + 1;
}

/*
 * The set labels_format wrote as s, {a="x", b="y"} (no __name__), read
 * back into the owned set out: the pool keeps a target's discovered
 * labels only as that text. -1, out left empty, when s is not of that
 * form.
 */
static int
parse_formatted(const char *s, struct labels *out)
{
    struct buf name, v;
    int rc = -1;

    buf_init(&name, 0);
    buf_init(&v, 0);
    if (*s++ == '{') {
        while (*s != '}') {
            const char *eq = strchr(s, '=');

            if (eq == NULL || eq[1] != '"')
                break;
            buf_reset(&name);
            buf_append(&name, s, (size_t)(eq - s));
            if ((s = read_value(eq + 2, &v)) == NULL)
                break;
            labels_put(out, buf_str(&name), buf_str(&v));
            if (s[0] == ',' && s[1] == ' ')
                s += 2;
            else if (*s != '}')
                break;
        }
        rc = s != NULL && *s == '}' && s[1] == '\0' ? 0 : -1;
    }
    buf_fini(&name);
    buf_fini(&v);
    if (rc < 0)
        labels_release(out);
    return rc;
}

/* Row r from st; sets are the row's two label sets, filled here. */
static void
fill_row(struct target_list *tl, struct target_row *r,
         const struct scrape_status *st, struct labels *sets)
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
    labels_dup(&sets[0], st->labels);
    labels_sort(&sets[0]);
    r->label_set = &sets[0];
    if (r->discovered != NULL && parse_formatted(r->discovered,
                                                 &sets[1]) == 0) {
        labels_sort(&sets[1]);
        r->discovered_set = &sets[1];
    }
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

/* NULL as keep stores it. */
static bool
same_text(const char *kept, const char *s)
{
    return strcmp(kept, s != NULL ? s : "") == 0;
}

/* Whether row r shows st's text: all but the scrape's figures. */
static bool
same_row(const struct target_row *r, const struct scrape_status *st,
         struct buf *b)
{
    if (!same_text(r->job, st->job) || !same_text(r->instance, st->instance)
        || !same_text(r->url, st->url)
        || !same_text(r->last_error, st->last_error)
        || (r->discovered == NULL) != (st->discovered == NULL)
        || (r->discovered != NULL && strcmp(r->discovered, st->discovered)))
        return false;
    buf_reset(b);
    labels_format(st->labels, b);
    return strcmp(r->labels, buf_str(b)) == 0;
}

/* Whether everything but the scrapes' figures would fill tl as it is. */
static bool
same_text_as(const struct target_list *tl, const struct scrape_pool *pool,
             const struct config_dropped *dropped, size_t ndropped,
             const struct discovery *disc, const struct config *cfg)
{
    size_t n = scrape_pool_count(pool), nerr = 0;
    size_t count = disc != NULL ? discovery_count(disc) : 0;
    bool same = tl->rows != NULL && tl->view.n == n
                && tl->view.ndropped == ndropped;
    struct buf b;

    buf_init(&b, 0);
    for (size_t i = 0; same && i < n; i++) {
        struct scrape_status st;

        scrape_pool_status(pool, i, &st);
        same = same_row(&tl->rows[i], &st, &b);
    }
    for (size_t i = 0; same && i < ndropped; i++) {
        const struct dropped_row *d = &tl->dropped[i];

        same = strcmp(d->job, dropped[i].job) == 0 &&
               strcmp(d->discovered, dropped[i].discovered) == 0 &&
               strcmp(d->reason, dropped[i].reason) == 0 &&
               d->refused == dropped[i].refused;
    }
    for (size_t i = 0; same && i < count; i++) {
        struct discovery_status st;

        discovery_status(disc, i, &st);
        if (st.error[0] == '\0')
            continue;
        buf_reset(&b);
        buf_printf(&b, "%s: %s", st.job < cfg->njobs ? cfg->jobs[st.job].name
                                                     : "?", st.error);
        same = nerr < tl->view.nerrors &&
               strcmp(tl->errors[nerr++], buf_str(&b)) == 0;
    }
    buf_fini(&b);
    return same && nerr == tl->view.nerrors;
}

/*
 * Refreshes the scrapes' figures of tl, whose text same_text_as found
 * unchanged: the screen refills the list each frame, and rebuilding 200
 * rows' strings and label sets then took a tenth of a frame's time.
 */
static void
refresh_figures(struct target_list *tl, const struct scrape_pool *pool)
{
    tl->up = 0;
    for (size_t i = 0; i < tl->view.n; i++) {
        struct target_row *r = &tl->rows[i];
        struct scrape_status st;

        scrape_pool_status(pool, i, &st);
        r->health = (enum target_health)st.health;
        r->last_scrape_ms = st.last_scrape_ms;
        r->last_duration_s = st.last_duration_s;
        r->samples = st.samples;
        tl->up += r->health == HEALTH_UP;
    }
}

void
targets_fill(struct target_list *tl, const struct scrape_pool *pool,
             const struct config_dropped *dropped, size_t ndropped,
             const struct discovery *disc, const struct config *cfg)
{
    size_t n = scrape_pool_count(pool), nerr;

    if (same_text_as(tl, pool, dropped, ndropped, disc, cfg)) {
        refresh_figures(tl, pool);
        return;
    }
    targets_fini(tl);
    tl->rows = xcalloc(n + 1, sizeof(*tl->rows));
    /* Two sets per row, then one per dropped target. */
    tl->sets = xcalloc(2 * n + ndropped + 1, sizeof(*tl->sets));
    tl->nsets = 2 * n;
    for (size_t i = 0; i < n; i++) {
        struct scrape_status st;

        scrape_pool_status(pool, i, &st);
        fill_row(tl, &tl->rows[i], &st, &tl->sets[2 * i]);
        tl->up += tl->rows[i].health == HEALTH_UP;
    }
    tl->dropped = xcalloc(ndropped + 1, sizeof(*tl->dropped));
    for (size_t i = 0; i < ndropped; i++) {
        struct dropped_row *d = &tl->dropped[i];
        struct labels *set = &tl->sets[tl->nsets];

        d->job = keep(tl, dropped[i].job);
        d->discovered = keep(tl, dropped[i].discovered);
        d->reason = keep(tl, dropped[i].reason);
        d->refused = dropped[i].refused;
        if (parse_formatted(d->discovered, set) == 0) {
            labels_sort(set);
            d->discovered_set = set;
            tl->nsets++;
        }
    }
    fill_errors(tl, disc, cfg, &nerr);
    tl->view = (struct target_view){
        .rows = tl->rows, .n = n, .dropped = tl->dropped,
        .ndropped = ndropped, .errors = (const char *const *)tl->errors,
        .nerrors = nerr,
    };
}

/* The health a server reports, as the pool's. */
static enum target_health
health_of(const char *h)
{
    return strcmp(h, "up") == 0 ? HEALTH_UP : strcmp(h, "down") == 0
           ? HEALTH_DOWN : HEALTH_UNKNOWN;
}

/* Row r from a server's target; sets as in fill_row. */
static void
fill_api_row(struct target_list *tl, struct target_row *r,
             const struct api_target *t, struct labels *sets)
{
    struct buf b;

    buf_init(&b, 0);
    labels_format(&t->labels, &b);
    r->labels = keep(tl, buf_str(&b));
    buf_reset(&b);
    labels_format(&t->discovered, &b);
    r->discovered = keep(tl, buf_str(&b));
    buf_fini(&b);
    r->job = keep(tl, t->job);
    r->instance = keep(tl, t->instance);
    r->url = keep(tl, t->url);
    r->last_error = keep(tl, t->last_error);
    labels_dup(&sets[0], &t->labels);
    labels_dup(&sets[1], &t->discovered);
    r->label_set = &sets[0];
    r->discovered_set = &sets[1];
    r->health = health_of(t->health);
    r->last_scrape_ms = t->last_scrape_ms;
    r->last_duration_s = t->last_duration_s;
}

void
targets_fill_api(struct target_list *tl, const struct api_targets *t,
                 const char *error)
{
    size_t n = t != NULL ? t->nactive : 0;
    struct buf b;

    targets_fini(tl);
    tl->rows = xcalloc(n + 1, sizeof(*tl->rows));
    tl->sets = xcalloc(2 * n + 1, sizeof(*tl->sets));
    tl->nsets = 2 * n;
    for (size_t i = 0; i < n; i++) {
        fill_api_row(tl, &tl->rows[i], &t->active[i], &tl->sets[2 * i]);
        tl->up += tl->rows[i].health == HEALTH_UP;
    }
    n = t != NULL ? t->ndropped : 0;
    tl->dropped = xcalloc(n + 1, sizeof(*tl->dropped));
    buf_init(&b, 0);
    for (size_t i = 0; i < n; i++) {
        const char *job = labels_get(&t->dropped[i].discovered, "job");

        buf_reset(&b);
        labels_format(&t->dropped[i].discovered, &b);
        tl->dropped[i].job = keep(tl, job);
        tl->dropped[i].discovered = keep(tl, buf_str(&b));
        tl->dropped[i].reason = keep(tl, "dropped by the server's "
                                     "relabelling");
    }
    buf_fini(&b);
    tl->errors = xcalloc(2, sizeof(*tl->errors));
    if (error != NULL)
        tl->errors[0] = adopt(tl, xasprintf("/api/v1/targets: %s", error));
    tl->view = (struct target_view){
        .rows = tl->rows, .n = t != NULL ? t->nactive : 0,
        .dropped = tl->dropped, .ndropped = n,
        .errors = (const char *const *)tl->errors,
        .nerrors = error != NULL,
    };
}
