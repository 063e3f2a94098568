/*
 * The dashboard's read cache. Series: a dense array of entries, each the
 * samples of one series from the oldest time read to the newest the
 * store held when it was last read, and an open-addressing index from
 * series id to entry, rebuilt when a frame lets entries go. A read syncs
 * its entry with the store first (decoding on from the entry's cursor),
 * then is a binary search and a copy; a read older than the entry holds
 * decodes the series again from there. The store decodes into one
 * scratch buffer (it makes room for a whole chunk), and an entry keeps
 * room for about what it holds, as its reads come and go by a sample or
 * two per refresh. Selections: a short list by
 * selector text, each valid for one series generation of the store,
 * each with the few ways aggregations group its series; one may be
 * under way, built step by step across the query's slices (its labels,
 * then a merge sort two runs at a time), so that a key waits only for a
 * step.
 * Results: a short list of node results, each copied whole (label
 * strings too, as they may live in another query) into one arena, each
 * valid for one store version (for a frame-only evaluation, for the
 * frame), all forgotten each frame.
 */
#include "query/cache.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "query/eval.h"
#include "query/evalmat.h"
#include "src/base/xalloc.h"

/* Frames a series stays cached without being read: a key restarts a
 * frame, and the series the restarted one had read are still wanted. */
#define KEEP_FRAMES 2

struct entry {
    uint32_t id;
    uint32_t used;              /* the frame that last read it */
    int64_t mint;               /* it holds every sample in [mint, ...] */
    int64_t newest;             /* the time of its newest sample */
    int64_t asked, asked_before;/* the oldest time read this frame and
                                   the frame before (INT64_MAX: none) */
    uint64_t version;           /* the store's, when last synced */
    struct store_cursor cur;    /* where the store reads on */
    struct sample *s;           /* [0, n) held, room for cap */
    size_t n, cap;
};

/* A node's result over one grid of one query range. */
struct kept {
    const char *text;       /* the node's text */
    size_t len;
    uint64_t version;       /* the store's, when it was computed */
    struct qsteps ts;
    int64_t qstart, qend;   /* what start() and end() mean */
    struct qser *s;
    size_t n;
};

/* How an aggregation groups a selection (qcache_groups). */
struct kept_groups {
    char *key;
    size_t keylen;
    uint32_t *group;
    size_t n;
    struct labels *labels;
    size_t ngroups;
    struct label *pairs;        /* the groups' pairs, in one block */
    size_t npairs;
};

/*
 * A selection under way (cache.h). Its steps, in order: the series'
 * labels, appended to one block of pairs (their places in it are
 * offsets until the block stops growing), each with the hash of its
 * labels without the metric name; then the pointers into the block;
 * then a bottom-up merge sort of the series by labels, a merge of two
 * runs at a time; then the sorted copy that is kept.
 */
struct qcache_build {
    uint32_t *ids;              /* the series chosen, NULL before */
    size_t n;
    size_t built;               /* series whose labels are read */
    struct qcache_series *s;    /* in id order */
    size_t *off;                /* each one's first pair in pairs */
    struct label *pairs;
    size_t npairs, cap;
    size_t extra;               /* pairs of noname sets not a tail */
    struct label *scratch;      /* one set without its metric name */
    size_t scratchcap;
    uint32_t *order, *tmp;      /* the sort's; NULL before it */
    size_t width, at;           /* runs of width are sorted; merging at */
};

/* A selector's series, while the store's series generation stands. */
struct kept_sel {
    char *text;
    size_t len;
    uint64_t gen;
    uint32_t used;              /* the frame that last asked for it */
    struct qcache_series *s;
    size_t n;
    bool distinct;              /* no two noname sets are equal */
    struct kept_groups *by;     /* a page groups it a few ways */
    size_t nby;
    struct label *names;        /* the label pairs, in one block */
    size_t nnames;
    struct qcache_build *b;     /* not NULL while it is being built */
};

struct qcache {
    const struct store *st;     /* the store entries were read from */
    uint64_t version;           /* its version when last checked */
    struct entry *e;            /* dense, [0, n) */
    size_t n, cap;
    uint32_t *index;            /* entry + 1 by id hash; 0: empty */
    size_t nindex;
    size_t next;                /* the entry after the last one read */
    uint32_t frame;
    size_t bytes, max_bytes;    /* sample room, selections and kept
                                   results */
    struct sample *scratch;     /* what the store decodes, before it is
                                   copied into its entry */
    size_t scratchcap;
    size_t decoded;             /* by the last read */
    /* What the store changed since version since_of, as it said at
     * version since_at (dropped_under); since_at 0: not asked. */
    uint64_t since_of, since_at;
    bool since_known;
    struct store_changes since;
    struct arena *results;      /* every kept result */
    struct kept *kept;
    size_t nkept, capkept;
    struct kept_sel *sel;       /* selections; a page has tens */
    size_t nsel, capsel;
};

struct qcache *
qcache_new(size_t max_bytes)
{
    struct qcache *c = xcalloc(1, sizeof(*c));

    c->max_bytes = max_bytes;
    c->results = arena_new();
    return c;
}

static void
forget_results(struct qcache *c)
{
    c->bytes -= arena_used(c->results);
    arena_reset(c->results);
    c->nkept = 0;
}

static void
drop_groups(struct qcache *c, struct kept_groups *g)
{
    c->bytes -= g->keylen + g->n * sizeof(*g->group) +
                g->ngroups * sizeof(*g->labels) +
                g->npairs * sizeof(*g->pairs);
    free(g->key);
    free(g->group);
    free(g->labels);
    free(g->pairs);
}

static void
free_build(struct qcache_build *b)
{
    if (b == NULL)
        return;
    free(b->ids);
    free(b->s);
    free(b->off);
    free(b->pairs);
    free(b->scratch);
    free(b->order);
    free(b->tmp);
    free(b);
}

static void
drop_selection(struct qcache *c, struct kept_sel *k)
{
    for (size_t i = 0; i < k->nby; i++)
        drop_groups(c, &k->by[i]);
    free(k->by);
    c->bytes -= k->len + k->n * sizeof(*k->s) +
                k->nnames * sizeof(*k->names);
    free(k->text);
    free(k->s);
    free(k->names);
    free_build(k->b);
}

static void
clear_selections(struct qcache *c)
{
    for (size_t i = 0; i < c->nsel; i++)
        drop_selection(c, &c->sel[i]);
    c->nsel = 0;
}

/* Forgets every series (results stay: an evaluation may hold their
 * points, and their version tells when they are stale). */
static void
clear_series(struct qcache *c)
{
    for (size_t i = 0; i < c->n; i++) {
        c->bytes -= c->e[i].cap * sizeof(*c->e[i].s);
        free(c->e[i].s);
    }
    c->n = 0;
    if (c->index != NULL)
        memset(c->index, 0, c->nindex * sizeof(*c->index));
}

void
qcache_clear(struct qcache *c)
{
    clear_series(c);
    forget_results(c);
    clear_selections(c);
    c->st = NULL;
}

void
qcache_free(struct qcache *c)
{
    if (c == NULL)
        return;
    qcache_clear(c);
    arena_free(c->results);
    free(c->e);
    free(c->index);
    free(c->kept);
    free(c->sel);
    free(c->scratch);
    free(c);
}

static size_t
hash_slot(const struct qcache *c, uint32_t id)
{
    return (id * 2654435761u) & (c->nindex - 1);
}

/* The entry of id, or NULL. */
static struct entry *
find(const struct qcache *c, uint32_t id)
{
    size_t i;

    if (c->nindex == 0)
        return NULL;
    for (i = hash_slot(c, id); c->index[i] != 0;
         i = (i + 1) & (c->nindex - 1))
        if (c->e[c->index[i] - 1].id == id)
            return &c->e[c->index[i] - 1];
    return NULL;
}

/*
 * The entry of id, or NULL. A selection reads its series in the same
 * order each time, the order their entries were made in (and a subset,
 * such as the 5xx of all requests, reads a run of them), so the entry
 * after the last one read is tried before the index: at a million
 * series the index's slots are cache misses, the next entry mostly is
 * not.
 */
static struct entry *
lookup(const struct qcache *c, uint32_t id)
{
    if (c->next < c->n && c->e[c->next].id == id)
        return &c->e[c->next];
    return find(c, id);
}

static void
index_put(struct qcache *c, size_t k)
{
    size_t i = hash_slot(c, c->e[k].id);

    while (c->index[i] != 0)
        i = (i + 1) & (c->nindex - 1);
    c->index[i] = (uint32_t)k + 1;
}

/* Rebuilds the index over [0, n), at most half full, and at least an
 * eighth once it shrank that far (a page left for one with fewer series). */
static void
reindex(struct qcache *c)
{
    size_t want = 64;

    while (want < 2 * (c->n + 1))
        want *= 2;
    if (want > c->nindex || want < c->nindex / 4) {
        free(c->index);
        c->index = xcalloc(want, sizeof(*c->index));
        c->nindex = want;
    } else {
        memset(c->index, 0, c->nindex * sizeof(*c->index));
    }
    for (size_t k = 0; k < c->n; k++)
        index_put(c, k);
}

/* Empties e (its room stays): its next read decodes the series from
 * e->mint again. */
static void
reset(struct entry *e)
{
    e->n = 0;
    e->version = 0;
    memset(&e->cur, 0, sizeof(e->cur));
}

/*
 * Notes st's version now; another store makes everything go. What the
 * store dropped since an entry was read is looked at when the entry is
 * read again (dropped_under), not here: scrapes land between the slices
 * of a frame, so the version moves many times a frame, and going over
 * every entry each time (tens of thousands at a million series) took
 * milliseconds with no safe point, while a key waited.
 */
static void
check(struct qcache *c, const struct store *st)
{
    uint64_t version = store_version(st);

    if (c->st == st && version == c->version)
        return;
    if (c->st != st) {
        clear_series(c);
        clear_selections(c);
        c->since_at = 0;
    }
    c->st = st;
    c->version = version;
}

/*
 * Whether a drop since e was last read may have touched it. A dropped
 * chunk holds samples no newer than changes.max_dropped, and a dropped
 * series all its samples, so an entry whose window starts after that
 * time is untouched by any drop, and its id cannot have been reused;
 * when the store can no longer say, it may have been. The entries read
 * one after another were mostly read together last time too, at one
 * version: the store is asked once per such run.
 */
static bool
dropped_under(struct qcache *c, const struct store *st,
              const struct entry *e)
{
    if (e->version != c->since_of || c->since_at != c->version) {
        c->since_of = e->version;
        c->since_at = c->version;
        c->since_known = store_changes_since(st, e->version, &c->since);
    }
    return !c->since_known || (c->since.max_dropped != INT64_MIN &&
                               e->mint <= c->since.max_dropped);
}

/* The index of the first sample with t >= mint. */
static size_t
lower_bound(const struct sample *s, size_t n, int64_t mint)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (s[mid].t < mint)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/*
 * lower_bound for the newest samples: the search runs back from the end
 * with a stride that doubles, then searches the last stride's span in
 * halves. A frame reads the newest seconds or minutes of each entry, so
 * this touches the cache lines the caller copies next, where a search
 * from the middle took a cache miss at each step on lines nobody reads
 * (at a million series those misses were a tenth of promdeck's CPU).
 */
static size_t
lower_bound_back(const struct sample *s, size_t n, int64_t mint)
{
    size_t lo = n, hi = n, stride = 1;

    /* s[hi..n) are all at or after mint; once s[lo] is not, the first
     * that is lies in (lo, hi]. */
    while (lo > 0) {
        lo = lo > stride ? lo - stride : 0;
        if (s[lo].t < mint)
            break;
        hi = lo;
        stride *= 2;
    }
    return lo + lower_bound(s + lo, hi - lo, mint);
}

/*
 * The room an entry of n samples gets. A dashboard's panels read the
 * newest minutes of tens of thousands of series (44 per target of the
 * built-in overview), so most entries hold a few samples: room for a
 * fixed 64 (a kilobyte) would be most of the cache. Once a page shows,
 * each refresh appends about as many samples as its trim drops, so a
 * quarter more than n keeps reallocs rare.
 */
static size_t
room_for(size_t n)
{
    return n + n / 4 + 4;
}

/* Gives e room for exactly cap samples (cap >= e->n), counted in bytes. */
static void
set_cap(struct qcache *c, struct entry *e, size_t cap)
{
    c->bytes -= e->cap * sizeof(*e->s);
    e->s = xreallocarray(e->s, cap, sizeof(*e->s));
    e->cap = cap;
    c->bytes += cap * sizeof(*e->s);
}

/* Drops e's samples older than t. */
static void
trim(struct qcache *c, struct entry *e, int64_t t)
{
    size_t k = lower_bound(e->s, e->n, t);

    if (k > 0) {
        memmove(e->s, e->s + k, (e->n - k) * sizeof(*e->s));
        e->n -= k;
    }
    /* A page's first frame reads its whole range, later ones the
     * newest steps: give back what that first read took. */
    if (e->cap > 2 * room_for(e->n))
        set_cap(c, e, room_for(e->n));
    e->mint = t;
}

/*
 * Whether to drop e's samples older than keep now. Each frame moves a
 * panel's windows on by a second, so trimming whenever keep moved would
 * touch every entry's samples every frame, at a million series a cache
 * miss each, to drop a sample now and then. An entry is trimmed once the
 * time it holds before keep is at least what it holds from keep on: it
 * holds at most about twice its windows, and a page left for a shorter
 * range gives its old samples back at once.
 */
static bool
worth_trimming(const struct entry *e, int64_t keep)
{
    return e->n == 0 || keep - e->mint >= e->newest - keep;
}

/*
 * Keeps the entries read in the last KEEP_FRAMES frames, each from the
 * oldest time read in those; the rest go, and so do the results.
 */
void
qcache_frame(struct qcache *c, const struct store *st)
{
    size_t k = 0;

    check(c, st);
    forget_results(c);
    c->frame++;
    for (size_t i = 0; i < c->n; i++) {
        struct entry *e = &c->e[i];
        int64_t keep = e->asked < e->asked_before ? e->asked
                                                  : e->asked_before;

        if (c->frame - e->used > KEEP_FRAMES) {
            c->bytes -= e->cap * sizeof(*e->s);
            free(e->s);
            continue;
        }
        if (keep != INT64_MAX && keep > e->mint && worth_trimming(e, keep))
            trim(c, e, keep);
        e->asked_before = e->asked;
        e->asked = INT64_MAX;
        c->e[k++] = *e;
    }
    if (k != c->n) {
        c->n = k;
        reindex(c);
    }
    if (c->cap > 64 && c->n < c->cap / 4) {
        c->cap = c->n * 2 > 64 ? c->n * 2 : 64;
        c->e = xreallocarray(c->e, c->cap, sizeof(*c->e));
    }
    /* Selections: the same, and those the store moved past. */
    k = 0;
    for (size_t i = 0; i < c->nsel; i++) {
        if (c->frame - c->sel[i].used > KEEP_FRAMES ||
            c->sel[i].gen != store_series_gen(st))
            drop_selection(c, &c->sel[i]);
        else
            c->sel[k++] = c->sel[i];
    }
    c->nsel = k;
}

/* The selection kept for text in st's series generation now, or NULL. */
static struct kept_sel *
find_selection(struct qcache *c, const struct store *st, const char *text,
               size_t len)
{
    uint64_t gen = store_series_gen(st);

    check(c, st);
    for (size_t i = 0; i < c->nsel; i++) {
        struct kept_sel *k = &c->sel[i];

        if (k->b == NULL && k->gen == gen && k->len == len &&
            memcmp(k->text, text, len) == 0)
            return k;
    }
    return NULL;
}

const struct qcache_series *
qcache_selection(struct qcache *c, const struct store *st, const char *text,
                 size_t len, size_t *n, bool *distinct)
{
    struct kept_sel *k = find_selection(c, st, text, len);

    if (k == NULL)
        return NULL;
    k->used = c->frame;
    *n = k->n;
    *distinct = k->distinct;
    return k->s;
}

/* Copies in's pairs to *at, moving *at past them. */
static void
copy_pairs(struct labels *in, struct label **at)
{
    if (in->n > 0)
        memcpy(*at, in->v, in->n * sizeof(**at));
    in->v = *at;
    *at += in->n;
}

/*
 * Whether no two of s[0..n)'s noname sets are equal, told by their
 * hashes in an open-addressed table of twice n slots (a hash with its
 * low bit set, so 0 marks a free slot): one pass, without a sort, as it
 * runs in one piece when a build ends. Two sets whose hashes collide
 * count as equal, which only costs a folded aggregation its fold.
 */
static bool
hashes_distinct(const struct qcache_series *s, size_t n)
{
    size_t size = 16, mask;
    uint64_t *slot;
    bool distinct = true;

    while (size < 2 * n)
        size *= 2;
    mask = size - 1;
    slot = xcalloc(size, sizeof(*slot));
    for (size_t i = 0; i < n && distinct; i++) {
        uint64_t h = s[i].noname_hash | 1;
        size_t j = (size_t)(h >> 1) & mask;

        while (slot[j] != 0 && slot[j] != h)
            j = (j + 1) & mask;
        distinct = slot[j] == 0;
        slot[j] = h;
    }
    free(slot);
    return distinct;
}

/* A new entry in the list of selections for text, empty. */
static struct kept_sel *
new_selection(struct qcache *c, const struct store *st, const char *text,
              size_t len)
{
    struct kept_sel *k;

    if (c->nsel == c->capsel) {
        c->capsel = c->capsel ? c->capsel * 2 : 16;
        c->sel = xreallocarray(c->sel, c->capsel, sizeof(*c->sel));
    }
    k = &c->sel[c->nsel++];
    memset(k, 0, sizeof(*k));
    k->text = xmalloc(len + 1);
    memcpy(k->text, text, len);
    k->text[len] = '\0';
    k->len = len;
    k->gen = store_series_gen(st);
    k->used = c->frame;
    c->bytes += len;
    return k;
}

/* The kept selection b belongs to (a page has tens: a list does). */
static struct kept_sel *
build_owner(struct qcache *c, const struct qcache_build *b)
{
    for (size_t i = 0; i < c->nsel; i++)
        if (c->sel[i].b == b)
            return &c->sel[i];
    return NULL;
}

struct qcache_build *
qcache_build_get(struct qcache *c, const struct store *st, const char *text,
                 size_t len)
{
    uint64_t gen = store_series_gen(st);
    struct kept_sel *k;

    check(c, st);
    for (size_t i = 0; i < c->nsel; i++) {
        k = &c->sel[i];
        if (k->b == NULL || k->len != len || memcmp(k->text, text, len))
            continue;
        if (k->gen == gen) {
            k->used = c->frame;
            return k->b;
        }
        /* Of a generation gone: its labels may be too. */
        drop_selection(c, k);
        c->sel[i] = c->sel[--c->nsel];
        break;
    }
    if (c->bytes >= c->max_bytes)
        return NULL;
    k = new_selection(c, st, text, len);
    k->b = xcalloc(1, sizeof(*k->b));
    return k->b;
}

bool
qcache_build_wants_ids(const struct qcache_build *b)
{
    return b->ids == NULL;
}

void
qcache_build_take_ids(struct qcache_build *b, uint32_t *ids, size_t n)
{
    b->ids = ids != NULL ? ids : xmalloc(sizeof(*ids));
    b->n = n;
    b->s = xreallocarray(NULL, n ? n : 1, sizeof(*b->s));
    b->off = xreallocarray(NULL, n ? n : 1, sizeof(*b->off));
}

/*
 * The labels of series i without the metric name: their count and hash
 * (where they lie is known once the block stops growing). The name
 * sorts first in nearly every set, so they are its tail; otherwise they
 * are copied after the block in the end (b->extra).
 */
static void
without_name(struct qcache_build *b, size_t i)
{
    struct qcache_series *x = &b->s[i];
    struct labels ls = { b->pairs + b->off[i], x->ls.n };
    size_t k = 0;

    if (ls.n == 0 || strcmp(ls.v[0].name, LABEL_METRIC_NAME) == 0) {
        x->noname = (struct labels){ ls.n ? ls.v + 1 : ls.v,
                                     ls.n ? ls.n - 1 : 0 };
        x->noname_hash = labels_hash(&x->noname);
        return;
    }
    if (b->scratchcap < ls.n) {
        b->scratchcap = ls.n;
        b->scratch = xreallocarray(b->scratch, ls.n, sizeof(*b->scratch));
    }
    for (size_t j = 0; j < ls.n; j++)
        if (strcmp(ls.v[j].name, LABEL_METRIC_NAME) != 0)
            b->scratch[k++] = ls.v[j];
    x->noname = (struct labels){ b->scratch, k };
    x->noname_hash = labels_hash(&x->noname);
    b->extra += k;
}

/* The next series' labels, a batch at a time; -1 when work stops it. */
static int
build_labels(struct qcache_build *b, const struct store *st,
             qcache_work_fn work, void *ctx)
{
    while (b->built < b->n) {
        size_t end = b->built + 256 < b->n ? b->built + 256 : b->n;
        size_t pairs = b->npairs;

        for (; b->built < end; b->built++) {
            size_t i = b->built;

            b->s[i].id = b->ids[i];
            b->off[i] = b->npairs;
            b->s[i].ls.n = store_series_labels(st, b->ids[i], &b->pairs,
                                               &b->cap, b->npairs);
            b->npairs += b->s[i].ls.n;
            without_name(b, i);
        }
        if (work(ctx, 256 + b->npairs - pairs) < 0)
            return -1;
    }
    return 0;
}

/* The block stopped growing: the labels point into it, the noname sets
 * that are no tail into its end; then the sort can begin. */
static void
build_pointers(struct qcache_build *b)
{
    size_t at = b->npairs;

    b->pairs = xreallocarray(b->pairs, b->npairs + b->extra + 1,
                             sizeof(*b->pairs));
    for (size_t i = 0; i < b->n; i++) {
        struct qcache_series *x = &b->s[i];

        x->ls.v = b->pairs + b->off[i];
        if (x->ls.n == 0 ||
            strcmp(x->ls.v[0].name, LABEL_METRIC_NAME) == 0) {
            x->noname.v = x->ls.v + (x->ls.n - x->noname.n);
            continue;
        }
        x->noname.v = b->pairs + at;
        for (size_t j = 0; j < x->ls.n; j++)
            if (strcmp(x->ls.v[j].name, LABEL_METRIC_NAME) != 0)
                b->pairs[at++] = x->ls.v[j];
    }
    free(b->off);
    b->off = NULL;
    b->order = xreallocarray(NULL, b->n ? b->n : 1, sizeof(*b->order));
    b->tmp = xreallocarray(NULL, b->n ? b->n : 1, sizeof(*b->tmp));
    for (size_t i = 0; i < b->n; i++)
        b->order[i] = (uint32_t)i;
    b->width = 1;
    b->at = 0;
}

/* Merges the runs order[lo, mid) and order[mid, hi) into tmp[lo, hi). */
static void
merge_runs(struct qcache_build *b, size_t lo, size_t mid, size_t hi)
{
    size_t i = lo, j = mid, k = lo;

    while (i < mid && j < hi) {
        if (labels_cmp(&b->s[b->order[j]].ls, &b->s[b->order[i]].ls) < 0)
            b->tmp[k++] = b->order[j++];
        else
            b->tmp[k++] = b->order[i++];
    }
    while (i < mid)
        b->tmp[k++] = b->order[i++];
    while (j < hi)
        b->tmp[k++] = b->order[j++];
}

/* The sort, two runs at a time; -1 when work stops it. Each pass
 * merges runs of width into runs of twice that in tmp, then swaps. */
static int
build_sort(struct qcache_build *b, qcache_work_fn work, void *ctx)
{
    while (b->width < b->n) {
        size_t lo = b->at, w = b->width;
        size_t mid = lo + w < b->n ? lo + w : b->n;
        size_t hi = mid + w < b->n ? mid + w : b->n;
        uint32_t *t;

        merge_runs(b, lo, mid, hi);
        b->at = hi;
        if (b->at >= b->n) {
            t = b->order;
            b->order = b->tmp;
            b->tmp = t;
            b->width *= 2;
            b->at = 0;
        }
        if (work(ctx, hi - lo) < 0)
            return -1;
    }
    return 0;
}

const struct qcache_series *
qcache_build_run(struct qcache *c, struct qcache_build *b,
                 const struct store *st, qcache_work_fn work, void *ctx,
                 size_t *n, bool *distinct)
{
    struct kept_sel *k = build_owner(c, b);

    assert(k != NULL);
    if (build_labels(b, st, work, ctx) < 0)
        return NULL;
    if (b->order == NULL)
        build_pointers(b);
    if (build_sort(b, work, ctx) < 0)
        return NULL;
    /* Done: the series in their order, kept as a finished selection. */
    k->s = xreallocarray(NULL, b->n ? b->n : 1, sizeof(*k->s));
    for (size_t i = 0; i < b->n; i++)
        k->s[i] = b->s[b->order[i]];
    k->n = b->n;
    k->distinct = hashes_distinct(k->s, k->n);
    k->names = b->pairs;
    k->nnames = b->npairs + b->extra;
    b->pairs = NULL;
    free_build(b);
    k->b = NULL;
    c->bytes += k->n * sizeof(*k->s) + k->nnames * sizeof(*k->names);
    *n = k->n;
    *distinct = k->distinct;
    return k->s;
}

/* The groups kept for key in k, or NULL. */
static struct kept_groups *
find_groups(struct kept_sel *k, const char *key, size_t keylen)
{
    for (size_t i = 0; i < k->nby; i++)
        if (k->by[i].keylen == keylen &&
            memcmp(k->by[i].key, key, keylen) == 0)
            return &k->by[i];
    return NULL;
}

bool
qcache_groups(struct qcache *c, const struct store *st, const char *text,
              size_t len, const char *key, size_t keylen,
              struct qcache_groups *out)
{
    struct kept_sel *k = find_selection(c, st, text, len);
    struct kept_groups *g = k != NULL ? find_groups(k, key, keylen) : NULL;

    if (g == NULL)
        return false;
    out->group = g->group;
    out->n = g->n;
    out->labels = g->labels;
    out->ngroups = g->ngroups;
    return true;
}

void
qcache_keep_groups(struct qcache *c, const struct store *st,
                   const char *text, size_t len, const char *key,
                   size_t keylen, const struct qcache_groups *in)
{
    struct kept_sel *k = find_selection(c, st, text, len);
    struct kept_groups g, *old;
    struct label *at;

    if (k == NULL || c->bytes >= c->max_bytes)
        return;
    /* Made whole before the old goes: in may point into it. */
    g.key = xmalloc(keylen ? keylen : 1);
    memcpy(g.key, key, keylen);
    g.keylen = keylen;
    g.n = in->n;
    g.group = xreallocarray(NULL, in->n ? in->n : 1, sizeof(*g.group));
    if (in->n > 0)
        memcpy(g.group, in->group, in->n * sizeof(*g.group));
    g.ngroups = in->ngroups;
    g.labels = xreallocarray(NULL, in->ngroups ? in->ngroups : 1,
                             sizeof(*g.labels));
    g.npairs = 0;
    for (size_t i = 0; i < in->ngroups; i++)
        g.npairs += in->labels[i].n;
    g.pairs = xreallocarray(NULL, g.npairs ? g.npairs : 1, sizeof(*g.pairs));
    at = g.pairs;
    for (size_t i = 0; i < in->ngroups; i++) {
        g.labels[i] = in->labels[i];
        copy_pairs(&g.labels[i], &at);
    }
    if ((old = find_groups(k, key, keylen)) != NULL) {
        drop_groups(c, old);
    } else {
        k->by = xreallocarray(k->by, k->nby + 1, sizeof(*k->by));
        old = &k->by[k->nby++];
    }
    *old = g;
    c->bytes += keylen + g.n * sizeof(*g.group) +
                g.ngroups * sizeof(*g.labels) + g.npairs * sizeof(*g.pairs);
}

/* A new entry for id reading from mint; NULL when the cache is full. */
static struct entry *
add(struct qcache *c, uint32_t id, int64_t mint)
{
    struct entry *e;

    if (c->bytes >= c->max_bytes)
        return NULL;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->e = xreallocarray(c->e, c->cap, sizeof(*c->e));
    }
    e = &c->e[c->n++];
    memset(e, 0, sizeof(*e));
    e->id = id;
    e->mint = mint;
    e->asked = e->asked_before = INT64_MAX;
    if (2 * (c->n + 1) > c->nindex)
        reindex(c);
    else
        index_put(c, c->n - 1);
    return e;
}

size_t
qcache_read(struct qcache *c, const struct store *st, uint32_t id,
            int64_t mint, int64_t maxt, struct sample **buf, size_t *cap)
{
    struct entry *e;
    size_t lo, hi, got;

    c->decoded = 0;
    if (mint > maxt)
        return 0;
    check(c, st);
    e = lookup(c, id);
    if (e == NULL && (e = add(c, id, mint)) == NULL)
        return c->decoded = store_read(st, id, mint, maxt, buf, cap);
    c->next = (size_t)(e - c->e) + 1;
    if (mint < e->mint) {
        /* Older than it holds: decode the series from there again. */
        reset(e);
        e->mint = mint;
    }
    /* An entry emptied (version 0) has nothing a drop could touch. */
    if (e->version != c->version && e->version != 0 &&
        dropped_under(c, st, e))
        reset(e);
    if (e->version != c->version) {
        /* The store makes room for a whole chunk: decode into the
         * scratch buffer and keep only what came. */
        got = store_read_on(st, id, &e->cur, e->mint, &c->scratch,
                            &c->scratchcap, 0);
        c->decoded = got;
        if (e->n + got > e->cap)
            set_cap(c, e, room_for(e->n + got));
        if (got > 0) {
            memcpy(e->s + e->n, c->scratch, got * sizeof(*e->s));
            e->newest = c->scratch[got - 1].t;
        }
        e->n += got;
        e->version = c->version;
    }
    e->used = c->frame;
    if (mint < e->asked)
        e->asked = mint;
    hi = maxt >= e->newest ? e->n : lower_bound_back(e->s, e->n, maxt + 1);
    lo = lower_bound_back(e->s, hi, mint);
    if (*cap < hi - lo + 1) {
        *cap = hi - lo + 1;
        *buf = xreallocarray(*buf, *cap, sizeof(**buf));
    }
    if (hi > lo)
        memcpy(*buf, e->s + lo, (hi - lo) * sizeof(**buf));
    /* The next read is most often of the next entry: its newest samples
     * start loading now, and the cache miss overlaps this series'
     * evaluation instead of stalling the next search. */
    if (c->next < c->n && c->e[c->next].n > 0)
        __builtin_prefetch(c->e[c->next].s + c->e[c->next].n - 1);
    return hi - lo;
}

size_t
qcache_decoded(const struct qcache *c)
{
    return c->decoded;
}

/*
 * A dashboard has tens of aggregations at most: a list does. A grid of
 * one step is its start alone (no node reads the step but to place
 * steps after the first), so the value at now of panels of different
 * widths, whose grids differ only in the step, share their results.
 * A frame-only evaluation takes a result of any version (they are all of
 * this frame), the newest first; any other only one of the store's
 * version now.
 */
static struct kept *
find_result(struct qcache *c, const char *text, size_t len,
            const struct qev *ev, const struct qsteps *ts)
{
    size_t i;
    struct kept *k;

    check(c, ev->st);
    for (i = c->nkept; i-- > 0;) {
        k = &c->kept[i];
        if ((k->version == c->version || ev->frame_only) && k->len == len &&
            k->ts.start == ts->start && k->ts.n == ts->n &&
            (k->ts.step == ts->step || ts->n == 1) &&
            k->ts.end == ts->end &&
            k->qstart == ev->qstart && k->qend == ev->qend &&
            memcmp(k->text, text, len) == 0)
            return k;
    }
    return NULL;
}

bool
qcache_result(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
              struct qmat *out)
{
    const char *text = ev->text + n->off;
    struct kept *k = find_result(ev->cache, text, n->len, ev, ts);

    if (k == NULL)
        return false;
    /* The series array is the caller's to sort; the points stay the
     * cache's (a push past their end copies them into the arena). */
    memset(out, 0, sizeof(*out));
    out->n = out->cap = k->n;
    out->s = arena_alloc(ev->a, (k->n ? k->n : 1) * sizeof(*out->s));
    if (k->n > 0)
        memcpy(out->s, k->s, k->n * sizeof(*out->s));
    return true;
}

void
qcache_keep(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
            const struct qmat *m)
{
    struct qcache *c = ev->cache;
    struct arena *a = c->results;
    const char *text = ev->text + n->off;
    size_t i, before = arena_used(a);
    struct kept *k;

    if (c->bytes >= c->max_bytes)
        return;
    if (c->nkept == c->capkept) {
        c->capkept = c->capkept ? c->capkept * 2 : 16;
        c->kept = xreallocarray(c->kept, c->capkept, sizeof(*c->kept));
    }
    k = &c->kept[c->nkept++];
    check(c, ev->st);
    k->version = c->version;
    k->text = arena_strndup(a, text, n->len);
    k->len = n->len;
    k->ts = *ts;
    k->qstart = ev->qstart;
    k->qend = ev->qend;
    k->n = m->n;
    k->s = arena_alloc(a, (m->n ? m->n : 1) * sizeof(*k->s));
    for (i = 0; i < m->n; i++) {
        k->s[i] = m->s[i];
        qlabels_copy(a, &m->s[i].ls, &k->s[i].ls);
        k->s[i].cap = m->s[i].n;
        k->s[i].heap = 0;       /* the cache's points are never freed */
        k->s[i].pts = arena_alloc(a, (m->s[i].n ? m->s[i].n : 1) *
                                  sizeof(*k->s[i].pts));
        if (m->s[i].n > 0)
            memcpy(k->s[i].pts, m->s[i].pts,
                   m->s[i].n * sizeof(*k->s[i].pts));
    }
    c->bytes += arena_used(a) - before;
}
