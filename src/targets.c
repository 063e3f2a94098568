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

/* Frees what one row owns and leaves it empty. */
static void
own_clear(struct target_own *o)
{
    free(o->job);
    free(o->instance);
    free(o->url);
    free(o->labels);
    free(o->last_error);
    free(o->discovered);
    labels_release(&o->set);
    labels_release(&o->discovered_set);
    memset(o, 0, sizeof(*o));
}

/* Frees the dropped rows, the errors and the strings they point to. */
static void
extras_clear(struct target_list *tl)
{
    for (size_t i = 0; i < tl->nstrings; i++)
        free(tl->strings[i]);
    free(tl->strings);
    for (size_t i = 0; i < tl->ndropped_sets; i++)
        labels_release(&tl->dropped_sets[i]);
    free(tl->dropped_sets);
    free(tl->dropped);
    free(tl->errors);
    tl->strings = NULL;
    tl->nstrings = 0;
    tl->dropped_sets = NULL;
    tl->ndropped_sets = 0;
    tl->dropped = NULL;
    tl->errors = NULL;
}

/* Makes room for exactly n rows: rows past n are freed, new ones empty.
 * The arrays may move, so the rows point into own[] again afterwards. */
static void
rows_resize(struct target_list *tl, size_t n)
{
    size_t had = tl->view.n;

    for (size_t i = n; i < had; i++)
        own_clear(&tl->own[i]);
    tl->rows = xreallocarray(tl->rows, n + 1, sizeof(*tl->rows));
    tl->own = xreallocarray(tl->own, n + 1, sizeof(*tl->own));
    if (n > had) {
        memset(&tl->rows[had], 0, (n - had) * sizeof(*tl->rows));
        memset(&tl->own[had], 0, (n - had) * sizeof(*tl->own));
    }
    tl->view.n = n;
}

void
targets_init(struct target_list *tl)
{
    memset(tl, 0, sizeof(*tl));
}

void
targets_fini(struct target_list *tl)
{
    rows_resize(tl, 0);
    free(tl->rows);
    free(tl->own);
    extras_clear(tl);
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

/* Keeps a copy of s for the dropped rows and errors; NULL becomes "". */
static char *
keep(struct target_list *tl, const char *s)
{
    return adopt(tl, xstrdup(s != NULL ? s : ""));
}

/* A copy of s for a row; NULL becomes "". */
static char *
dup_or_empty(const char *s)
{
    return xstrdup(s != NULL ? s : "");
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

/* Points row r at what o holds. */
static void
point_row(struct target_row *r, const struct target_own *o)
{
    r->job = o->job;
    r->instance = o->instance;
    r->url = o->url;
    r->labels = o->labels;
    r->last_error = o->last_error;
    r->discovered = o->discovered;
    r->label_set = &o->set;
    r->discovered_set = o->discovered_set.n > 0 ? &o->discovered_set
                                                : NULL;
}

/* Whether o was filled from the target st describes now. The pool's
 * label sets are sorted, as o's is. */
static bool
same_target(const struct target_own *o, const struct scrape_status *st)
{
    if (o->job == NULL)
        return false;
    if ((o->discovered == NULL) != (st->discovered == NULL)
        || (o->discovered != NULL
            && strcmp(o->discovered, st->discovered) != 0))
        return false;
    return strcmp(o->job, st->job != NULL ? st->job : "") == 0
           && strcmp(o->instance, st->instance != NULL ? st->instance
                                                       : "") == 0
           && strcmp(o->url, st->url != NULL ? st->url : "") == 0
           && labels_equal(&o->set, st->labels);
}

/* What changes from scrape to scrape: health, times, samples, error. */
static void
take_state(struct target_row *r, struct target_own *o,
           const struct scrape_status *st)
{
    const char *err = st->last_error != NULL ? st->last_error : "";

    if (o->last_error == NULL || strcmp(o->last_error, err) != 0) {
        free(o->last_error);
        o->last_error = xstrdup(err);
    }
    r->health = (enum target_health)st->health;
    r->last_scrape_ms = st->last_scrape_ms;
    r->last_duration_s = st->last_duration_s;
    r->samples = st->samples;
}

/* o from the target st, afresh. */
static void
fill_own(struct target_own *o, const struct scrape_status *st)
{
    struct buf b;

    own_clear(o);
    buf_init(&b, 0);
    labels_format(st->labels, &b);
    o->job = dup_or_empty(st->job);
    o->instance = dup_or_empty(st->instance);
    o->url = dup_or_empty(st->url);
    o->labels = xstrdup(buf_str(&b));
    o->discovered = st->discovered != NULL ? xstrdup(st->discovered)
                                           : NULL;
    buf_fini(&b);
    labels_dup(&o->set, st->labels);
    labels_sort(&o->set);
    if (o->discovered != NULL
        && parse_formatted(o->discovered, &o->discovered_set) == 0)
        labels_sort(&o->discovered_set);
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

    rows_resize(tl, n);
    tl->up = 0;
    for (size_t i = 0; i < n; i++) {
        struct scrape_status st;

        scrape_pool_status(pool, i, &st);
        if (!same_target(&tl->own[i], &st))
            fill_own(&tl->own[i], &st);
        take_state(&tl->rows[i], &tl->own[i], &st);
        point_row(&tl->rows[i], &tl->own[i]);
        tl->up += tl->rows[i].health == HEALTH_UP;
    }
    extras_clear(tl);
    tl->dropped = xcalloc(ndropped + 1, sizeof(*tl->dropped));
    tl->dropped_sets = xcalloc(ndropped + 1, sizeof(*tl->dropped_sets));
    for (size_t i = 0; i < ndropped; i++) {
        struct dropped_row *d = &tl->dropped[i];
        struct labels *set = &tl->dropped_sets[tl->ndropped_sets];

        d->job = keep(tl, dropped[i].job);
        d->discovered = keep(tl, dropped[i].discovered);
        d->reason = keep(tl, dropped[i].reason);
        d->refused = dropped[i].refused;
        if (parse_formatted(d->discovered, set) == 0) {
            labels_sort(set);
            d->discovered_set = set;
            tl->ndropped_sets++;
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

/* Row r from a server's target, into o. */
static void
fill_api_row(struct target_row *r, struct target_own *o,
             const struct api_target *t)
{
    struct buf b;

    own_clear(o);
    buf_init(&b, 0);
    labels_format(&t->labels, &b);
    o->labels = xstrdup(buf_str(&b));
    buf_reset(&b);
    labels_format(&t->discovered, &b);
    o->discovered = xstrdup(buf_str(&b));
    buf_fini(&b);
    o->job = dup_or_empty(t->job);
    o->instance = dup_or_empty(t->instance);
    o->url = dup_or_empty(t->url);
    o->last_error = dup_or_empty(t->last_error);
    labels_dup(&o->set, &t->labels);
    labels_dup(&o->discovered_set, &t->discovered);
    point_row(r, o);
    r->discovered_set = &o->discovered_set;
    r->health = health_of(t->health);
    r->last_scrape_ms = t->last_scrape_ms;
    r->last_duration_s = t->last_duration_s;
    r->samples = 0;
}

void
targets_fill_api(struct target_list *tl, const struct api_targets *t,
                 const char *error)
{
    size_t n = t != NULL ? t->nactive : 0;
    struct buf b;

    rows_resize(tl, n);
    tl->up = 0;
    for (size_t i = 0; i < n; i++) {
        fill_api_row(&tl->rows[i], &tl->own[i], &t->active[i]);
        tl->up += tl->rows[i].health == HEALTH_UP;
    }
    extras_clear(tl);
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
