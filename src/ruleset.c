/*
 * The running rule set: loads the rule files (globs expanded on every
 * load, so a reload sees new files), schedules each group's rounds at
 * aligned times and evaluates them a rule at a time within a budget, and
 * carries state over a reload the way Prometheus's rule manager does
 * (group key file;name, then CopyState's match of rules by name and
 * labels). Evaluation itself is src/rules/group.c's; templates and
 * notification are not done here.
 */
#include "src/ruleset.h"

#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/duration.h"
#include "src/base/xalloc.h"

#define MAX_ERRS 20

struct ruleset {
    struct rulefile **files;    /* loaded files, parallel to paths */
    char **paths;
    size_t nfiles;
    struct ruleset_group *groups;
    size_t ngroups;
};

struct ruleset *
ruleset_new(void)
{
    return xcalloc(1, sizeof(struct ruleset));
}

static void
group_fini(struct ruleset_group *g)
{
    rule_group_free(g->group);
    free(g->file);
    free(g->rule_last_ms);
    free(g->rule_seconds);
}

/* Frees what a set holds and leaves it empty. */
static void
clear(struct ruleset *rs)
{
    for (size_t i = 0; i < rs->ngroups; i++)
        group_fini(&rs->groups[i]);
    free(rs->groups);
    for (size_t i = 0; i < rs->nfiles; i++) {
        rulefile_free(rs->files[i]);
        free(rs->paths[i]);
    }
    free(rs->files);
    free(rs->paths);
    memset(rs, 0, sizeof(*rs));
}

void
ruleset_free(struct ruleset *rs)
{
    if (rs == NULL)
        return;
    clear(rs);
    free(rs);
}

int64_t
ruleset_slot_after(int64_t now, int64_t interval_ms, int64_t offset_ms)
{
    int64_t base = now - offset_ms;
    int64_t k = base >= 0 ? base / interval_ms
                          : -((-base + interval_ms - 1) / interval_ms);

    return (k + 1) * interval_ms + offset_ms;
}

/* The group's offset in its interval, from a hash of its file and name,
 * as Prometheus derives it from the labels {file, name}. */
static int64_t
group_offset(const char *file, const char *name, int64_t interval_ms)
{
    struct label lv[2] = { { "file", file }, { "name", name } };
    struct labels ls = { lv, 2 };

    return (int64_t)(labels_hash(&ls) % (uint64_t)interval_ms);
}

/* Adds path unless it is there already (a file named twice, or by two
 * globs, is loaded once). */
static void
add_path(char ***paths, size_t *n, const char *path)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*paths)[i], path) == 0)
            return;
    *paths = xreallocarray(*paths, *n + 1, sizeof(char *));
    (*paths)[(*n)++] = xstrdup(path);
}

/* Every file of src, globs expanded in their sorted order. */
static size_t
expand(const struct ruleset_source *src, char ***paths, struct buf *notes)
{
    size_t n = 0;

    *paths = NULL;
    for (size_t i = 0; i < src->nglobs; i++) {
        glob_t g;
        int rc = glob(src->globs[i], 0, NULL, &g);

        if (rc == 0)
            for (size_t k = 0; k < g.gl_pathc; k++)
                add_path(paths, &n, g.gl_pathv[k]);
        else if (notes != NULL)
            buf_printf(notes, "rule_files: %s matches no file\n",
                       src->globs[i]);
        if (rc == 0 || rc == GLOB_NOMATCH)
            globfree(&g);
    }
    for (size_t i = 0; i < src->nfiles; i++)
        add_path(paths, &n, src->files[i]);
    return n;
}

/* Loads every path; NULL (all freed) with the errors in errors if any
 * file is bad. */
static struct rulefile **
load_files(char **paths, size_t n, int64_t interval_ms, struct buf *errors)
{
    struct rulefile **files = xcalloc(n + 1, sizeof(*files));
    struct rulefile_err *errs = xcalloc(MAX_ERRS, sizeof(*errs));
    bool bad = false;

    for (size_t i = 0; i < n; i++) {
        size_t nerrs = 0;

        files[i] = rulefile_load(paths[i], interval_ms, errs, MAX_ERRS,
                                 &nerrs);
        if (files[i] == NULL) {
            rulefile_errors_text(paths[i], errs, nerrs, errors);
            bad = true;
        }
    }
    free(errs);
    if (!bad)
        return files;
    for (size_t i = 0; i < n; i++)
        rulefile_free(files[i]);
    free(files);
    return NULL;
}

static bool
same_rule(const struct rule_def *a, const struct rule_def *b)
{
    return strcmp(a->name, b->name) == 0 && labels_equal(&a->labels,
                                                         &b->labels);
}

/*
 * CopyState: each rule of g takes the state of the first rule of old
 * with its name and labels that no earlier rule took; rules of old that
 * none took have their series marked stale.
 */
static void
copy_state(struct ruleset_group *g, struct ruleset_group *old,
           struct store *st, int64_t now)
{
    size_t n = old->def->nrules;
    bool *taken = xcalloc(n + 1, sizeof(*taken));

    for (size_t i = 0; i < g->def->nrules; i++)
        for (size_t j = 0; j < n; j++) {
            if (taken[j] || !same_rule(&g->def->rules[i],
                                       &old->def->rules[j]))
                continue;
            taken[j] = true;
            rule_group_move_state(g->group, i, old->group, j);
            g->rule_last_ms[i] = old->rule_last_ms[j];
            g->rule_seconds[i] = old->rule_seconds[j];
            break;
        }
    for (size_t j = 0; j < n; j++)
        if (!taken[j])
            rule_group_mark_stale(old->group, j, st, now);
    free(taken);
    g->last_ms = old->last_ms;
    g->last_seconds = old->last_seconds;
    /* The same slots go on; a round cut by the reload is not resumed. */
    if (g->def->interval_ms == old->def->interval_ms && old->cursor == 0)
        g->next_ms = old->next_ms;
}

/* The running group with g's file and name, not yet carried over. */
static struct ruleset_group *
find_old(struct ruleset *rs, const struct ruleset_group *g, bool *carried)
{
    for (size_t i = 0; i < rs->ngroups; i++)
        if (!carried[i] && strcmp(rs->groups[i].file, g->file) == 0
            && strcmp(rs->groups[i].def->name, g->def->name) == 0) {
            carried[i] = true;
            return &rs->groups[i];
        }
    return NULL;
}

/* Fresh groups for every group of the files, in order. */
static struct ruleset_group *
make_groups(struct rulefile **files, char **paths, size_t nfiles,
            int64_t now, size_t *ngroups)
{
    struct ruleset_group *gs;
    size_t n = 0;

    for (size_t f = 0; f < nfiles; f++)
        n += files[f]->ngroups;
    gs = xcalloc(n + 1, sizeof(*gs));
    n = 0;
    for (size_t f = 0; f < nfiles; f++)
        for (size_t k = 0; k < files[f]->ngroups; k++) {
            struct ruleset_group *g = &gs[n++];
            const struct rule_group_def *def = &files[f]->groups[k];

            g->file = xstrdup(paths[f]);
            g->def = def;
            g->group = rule_group_new(def);
            g->offset_ms = group_offset(paths[f], def->name,
                                        def->interval_ms);
            g->next_ms = ruleset_slot_after(now, def->interval_ms,
                                            g->offset_ms);
            g->rule_last_ms = xcalloc(def->nrules + 1, sizeof(int64_t));
            g->rule_seconds = xcalloc(def->nrules + 1, sizeof(double));
        }
    *ngroups = n;
    return gs;
}

int
ruleset_load(struct ruleset *rs, const struct ruleset_source *src,
             struct store *st, int64_t now, struct buf *errors,
             struct buf *notes)
{
    struct ruleset fresh = { 0 };
    bool *carried;

    fresh.nfiles = expand(src, &fresh.paths, notes);
    fresh.files = load_files(fresh.paths, fresh.nfiles, src->interval_ms,
                             errors);
    if (fresh.files == NULL) {
        for (size_t i = 0; i < fresh.nfiles; i++)
            free(fresh.paths[i]);
        free(fresh.paths);
        return -1;
    }
    fresh.groups = make_groups(fresh.files, fresh.paths, fresh.nfiles, now,
                               &fresh.ngroups);
    carried = xcalloc(rs->ngroups + 1, sizeof(*carried));
    for (size_t i = 0; i < fresh.ngroups; i++) {
        struct ruleset_group *old = find_old(rs, &fresh.groups[i], carried);

        if (old != NULL)
            copy_state(&fresh.groups[i], old, st, now);
    }
    /* Groups that are gone leave no series behind. */
    for (size_t i = 0; i < rs->ngroups; i++)
        for (size_t j = 0; !carried[i] && j < rs->groups[i].def->nrules;
             j++)
            rule_group_mark_stale(rs->groups[i].group, j, st, now);
    free(carried);
    clear(rs);
    *rs = fresh;
    return 0;
}

size_t
ruleset_groups(const struct ruleset *rs, const struct ruleset_group **out)
{
    *out = rs->groups;
    return rs->ngroups;
}

size_t
ruleset_nrules(const struct ruleset *rs)
{
    size_t n = 0;

    for (size_t i = 0; i < rs->ngroups; i++)
        n += rs->groups[i].def->nrules;
    return n;
}

int64_t
ruleset_next_due(const struct ruleset *rs)
{
    int64_t due = INT64_MAX;

    for (size_t i = 0; i < rs->ngroups; i++) {
        const struct ruleset_group *g = &rs->groups[i];
        int64_t t = g->round_ms != 0 ? g->round_ms : g->next_ms;

        due = t < due ? t : due;
    }
    return due;
}

/* Starts a round at the latest slot not after now: slots missed while
 * the loop was busy are skipped, as Prometheus skips missed rounds. */
static void
begin_round(struct ruleset_group *g, int64_t now)
{
    int64_t iv = g->def->interval_ms;

    g->round_ms = g->next_ms + (now - g->next_ms) / iv * iv;
    g->round_seconds = 0;
    g->cursor = 0;
}

/* Evaluates the next rule of g's round; true when the round is done. */
static bool
step(struct ruleset_group *g, struct store *st)
{
    double t0;

    if (g->cursor < g->def->nrules) {
        t0 = time_mono_s();
        rule_group_eval_rule(g->group, st, g->round_ms, g->cursor);
        g->rule_seconds[g->cursor] = time_mono_s() - t0;
        g->rule_last_ms[g->cursor] = g->round_ms;
        g->round_seconds += g->rule_seconds[g->cursor];
        g->cursor++;
    }
    if (g->cursor < g->def->nrules)
        return false;
    g->last_ms = g->round_ms;
    g->last_seconds = g->round_seconds;
    g->next_ms = g->round_ms + g->def->interval_ms;
    g->round_ms = 0;
    g->cursor = 0;
    return true;
}

size_t
ruleset_run(struct ruleset *rs, struct store *st, int64_t now,
            double budget_s, ruleset_done_fn done, void *ctx)
{
    double start = time_mono_s();
    size_t evaluated = 0;

    for (size_t i = 0; i < rs->ngroups; i++) {
        struct ruleset_group *g = &rs->groups[i];

        if (g->round_ms == 0 && g->next_ms > now)
            continue;
        if (g->round_ms == 0)
            begin_round(g, now);
        for (;;) {
            bool finished = step(g, st);

            evaluated++;
            if (finished && done != NULL)
                done(ctx, g);
            if (finished)
                break;
            if (time_mono_s() - start >= budget_s)
                return evaluated;
        }
        if (time_mono_s() - start >= budget_s)
            return evaluated;
    }
    return evaluated;
}

void
ruleset_eval_all(struct ruleset *rs, struct store *st, int64_t t)
{
    for (size_t i = 0; i < rs->ngroups; i++) {
        struct ruleset_group *g = &rs->groups[i];

        g->round_ms = t;
        g->round_seconds = 0;
        g->cursor = 0;
        while (!step(g, st))
            ;
    }
}
