/*
 * The store: series by id in blocks of 4,096, a hash table from label
 * set to id, postings, and per series a list of chunks (sealed ones
 * in the chunk log, then the head in the chunk pool). It parses and prints
 * nothing. It runs past 600 lines: selection and retention both need the
 * series layout, which no other file should see.
 */
#include "store/store.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"
#include "store/chunk.h"
#include "store/chunklog.h"
#include "store/chunkpool.h"
#include "store/intern.h"
#include "store/lset.h"
#include "store/postings.h"
#include "store/slab.h"

#define NO_ID      UINT32_MAX
#define NO_TIME    INT64_MIN
/* struct series' bits: the head's XOR window (leading zeros in 0-4,
 * trailing in 5-10, WINDOW when it is set), then the series' state. */
#define LEAD_MASK  0x1fu
#define TRAIL_SHIFT 5
#define TRAIL_MASK 0x3fu
#define WINDOW     (1u << 11)
#define HAS_SAMPLE (1u << 12)
#define DEAD       (1u << 13)
#define IDLE       (1u << 14)   /* on the idle list */
/* Series are held in blocks of this many (a power of two), so the index
 * grows by a block at a time instead of doubling an array. */
#define BLOCK_BITS 12
#define BLOCK      (1u << BLOCK_BITS)
/* Ids share a last-append version in runs of this many: a target's
 * series are made together at its first scrape, so a run is mostly one
 * target's, and the table is 32 KiB at a million series. */
#define TOUCH_BITS 8
/* Entries in each change history (a power of two): see struct hist.
 * Samples of one scrape share a timestamp and take one entry, so this
 * reaches back some 8,000 scrapes: over a minute at 1,000 targets every
 * 10 s, so a page shown again after that long is still refreshed by
 * its new steps only. */
#define HIST_CAP   8192

/*
 * A history of changes by store version, for store_changes_since: the
 * suffix minima of a key (a timestamp, or ~timestamp for maxima). The
 * entries, in a ring, ascend in version and strictly in key; the first
 * entry with a version above v holds the smallest key recorded after v,
 * since a key is forgotten only once a later, smaller one stands for
 * it. Only when the ring is full is the oldest entry forgotten, and with
 * it every version below its own (floor).
 */
struct hist_entry {
    uint64_t v;
    int64_t k;
};

struct hist {
    struct hist_entry e[HIST_CAP];
    uint32_t head, n;
    uint64_t floor;             /* versions below this are forgotten */
};

/*
 * 72 bytes, as a million of them are held: the head chunk's encoder
 * state (struct chunk_enc) is kept here packed, enc and the window bits
 * of flags (the integer delta of integer chunks took it past 64 bytes:
 * 8 MB at a million series, against the hundreds of MB they save), and
 * the label set is a 4-byte slab handle of its encoding (store/lset.h),
 * whose hash the table computes again when it needs it rather than keep
 * it. A free slot has lab == SLAB_NONE.
 */
struct series {
    struct chunk *first;        /* oldest sealed chunk, or NULL */
    struct chunk *last;         /* head chunk, or NULL (see first_chunk) */
    int64_t oldest;             /* first->maxt when first is not NULL */
    int64_t seen;               /* when created, by the store's clock */
    struct {
        int64_t t;              /* the newest sample */
        uint64_t v;
        uint64_t delta;         /* the last timestamp delta */
        uint64_t vdelta;        /* the last integer delta */
    } enc;
    uint32_t lab;               /* the label set's encoding: pairs of
                                   string ids sorted by name, a handle
                                   in the label slab */
    uint16_t nl;                /* its pairs */
    uint16_t flags;             /* window and state bits (see above) */
};

_Static_assert(sizeof(struct series) == 72, "a series takes 72 bytes");

struct store {
    int64_t retention;          /* <= 0: no time limit */
    size_t max_bytes;           /* 0: no budget */
    struct series **blocks;     /* BLOCK slots each; slots [0, nslots)
                                   are in use or free */
    uint64_t *live;             /* bit per slot: holds a series */
    uint64_t *touched;          /* per run of 1 << TOUCH_BITS slots: the
                                   version of its last append */
    uint32_t nslots, nblocks;
    uint32_t *free_ids;         /* stack of ids to reuse */
    size_t nfree, freecap;
    uint32_t *table;            /* hash table of ids, NO_ID when empty */
    size_t tcap, nlive;
    struct intern *strs;
    struct postings *post;
    struct chunklog *log;       /* sealed chunks */
    struct chunkpool *heads;    /* head chunks */
    struct slab *labels;        /* every series' encoded label set */
    size_t nsamples, nchunks;
    int64_t clock;              /* newest sample or gc time, or NO_TIME */
    int64_t tmin;               /* oldest sample appended, or INT64_MAX */
    int64_t trim_at;            /* when store_trim last counted the
                                   slots due, or NO_TIME */
    uint64_t trim_owed;         /* slots due that it has not visited */
    uint32_t trim_next;         /* the slot store_trim visits next */
    uint32_t *idle;             /* series that may have expired by the
                                   next store_drop_idle (store_trim) */
    size_t nidle, idlecap;
    uint64_t version;           /* appends and chunk drops so far */
    uint64_t series_gen;        /* series created, gc and clear runs */
    struct hist added;          /* timestamps appended, by version */
    struct hist dropped;        /* ~maxt of dropped chunks, by version */
    /* Readers and the writer (store.h); pointers, so a const store can
     * lock them. */
    pthread_rwlock_t *data;     /* each read call; the writer's batches */
    pthread_rwlock_t *pin;      /* readers' whole use; gc and clear */
    bool shared;                /* read calls take data (store_set_shared) */
};

#define TABLE_MIN 1024

/* --- the change history ------------------------------------------------- */

/* Records key k at version v, in O(1) amortised: one compare when the
 * key repeats, as it does for every sample of one scrape. */
static void
hist_push(struct hist *h, uint64_t v, int64_t k)
{
    /* An entry with a key >= k says nothing that k does not say. */
    while (h->n > 0 && h->e[(h->head + h->n - 1) % HIST_CAP].k >= k)
        h->n--;
    if (h->n == HIST_CAP) {
        h->floor = h->e[h->head].v;
        h->head = (h->head + 1) % HIST_CAP;
        h->n--;
    }
    h->e[(h->head + h->n) % HIST_CAP] = (struct hist_entry){ v, k };
    h->n++;
}

/* The smallest key recorded after version v into *k (INT64_MAX when
 * none); false when the history no longer reaches back to v. */
static bool
hist_since(const struct hist *h, uint64_t v, int64_t *k)
{
    uint32_t lo = 0, hi = h->n;

    if (v < h->floor)
        return false;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;

        if (h->e[(h->head + mid) % HIST_CAP].v <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    *k = lo < h->n ? h->e[(h->head + lo) % HIST_CAP].k : INT64_MAX;
    return true;
}

/* After store_clear: nothing before this version can be answered. */
static void
hist_forget(struct store *s)
{
    s->version++;
    s->added.head = s->added.n = 0;
    s->dropped.head = s->dropped.n = 0;
    s->added.floor = s->dropped.floor = s->version;
}

static uint64_t
version_unlocked(const struct store *s)
{
    return s->version;
}

static bool
changes_unlocked(const struct store *s, uint64_t version,
                 struct store_changes *out)
{
    int64_t k;

    if (version > s->version || !hist_since(&s->added, version, &k))
        return false;
    out->min_added = k;
    if (!hist_since(&s->dropped, version, &k))
        return false;
    /* Keys of drops are ~maxt: the smallest key is the newest time. */
    out->max_dropped = k == INT64_MAX ? INT64_MIN : ~k;
    return true;
}

/* Slot id, in use or free. */
static inline struct series *
series_at(const struct store *s, uint32_t id)
{
    return &s->blocks[id >> BLOCK_BITS][id & (BLOCK - 1)];
}

static struct series *
get_series(const struct store *s, uint32_t id)
{
    assert(id < s->nslots && series_at(s, id)->lab != SLAB_NONE);
    return series_at(s, id);
}

/* The head chunk's encoder state, unpacked from the series. */
static void
enc_load(const struct series *sr, struct chunk_enc *e)
{
    e->t = sr->enc.t;
    e->v = sr->enc.v;
    e->delta = sr->enc.delta;
    e->vdelta = sr->enc.vdelta;
    e->leading = (sr->flags & WINDOW) ? (uint8_t)(sr->flags & LEAD_MASK)
                                      : 0xff;
    e->trailing = (uint8_t)((sr->flags >> TRAIL_SHIFT) & TRAIL_MASK);
}

static void
enc_save(struct series *sr, const struct chunk_enc *e)
{
    uint16_t keep = sr->flags & (HAS_SAMPLE | DEAD);

    sr->enc.t = e->t;
    sr->enc.v = e->v;
    sr->enc.delta = e->delta;
    sr->enc.vdelta = e->vdelta;
    /* The encoder keeps leading <= 31 and trailing <= 63. */
    sr->flags = keep;
    if (e->leading != 0xff)
        sr->flags |= (uint16_t)(WINDOW | (e->leading & LEAD_MASK)
                                | (e->trailing & TRAIL_MASK) << TRAIL_SHIFT);
}

/*
 * A writer-preferring rwlock: under a steady stream of readers a waiting
 * writer goes first, so readers cannot starve it and push scrapes off
 * their schedule.
 */
static pthread_rwlock_t *
lock_new(void)
{
    pthread_rwlock_t *l = xmalloc(sizeof(*l));
    pthread_rwlockattr_t a;

    pthread_rwlockattr_init(&a);
    pthread_rwlockattr_setkind_np(&a,
        PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    if (pthread_rwlock_init(l, &a) != 0)
        xalloc_fatal("cannot create the store's lock", sizeof(*l));
    pthread_rwlockattr_destroy(&a);
    return l;
}

struct store *
store_new(int64_t retention_ms, size_t max_bytes)
{
    struct store *s = xcalloc(1, sizeof(*s));

    s->retention = retention_ms;
    s->max_bytes = max_bytes;
    s->tcap = TABLE_MIN;
    s->table = xmalloc(s->tcap * sizeof(s->table[0]));
    memset(s->table, 0xff, s->tcap * sizeof(s->table[0]));
    s->strs = intern_new();
    s->post = postings_new();
    s->log = chunklog_new();
    s->heads = chunkpool_new();
    s->labels = slab_new();
    s->clock = s->trim_at = NO_TIME;
    s->tmin = INT64_MAX;
    s->data = lock_new();
    s->pin = lock_new();
    s->shared = true;
    return s;
}

void
store_clear(struct store *s)
{
    /* Heads go with their pool, sealed chunks with the log, label sets
     * with the slab. */
    chunkpool_free(s->heads);
    s->heads = chunkpool_new();
    chunklog_free(s->log);
    s->log = chunklog_new();
    slab_free(s->labels);
    s->labels = slab_new();
    for (uint32_t b = 0; b < s->nblocks; b++)
        free(s->blocks[b]);
    free(s->blocks);
    free(s->live);
    free(s->touched);
    s->blocks = NULL;
    s->live = NULL;
    s->touched = NULL;
    s->nblocks = 0;
    memset(s->table, 0xff, s->tcap * sizeof(s->table[0]));
    intern_free(s->strs);
    s->strs = intern_new();
    postings_clear(s->post);
    s->nslots = 0;
    s->nfree = 0;
    s->nlive = 0;
    s->nsamples = s->nchunks = 0;
    s->clock = s->trim_at = NO_TIME;
    s->tmin = INT64_MAX;
    s->trim_owed = 0;
    s->nidle = 0;
    s->series_gen++;
    hist_forget(s);
}

void
store_free(struct store *s)
{
    if (s == NULL)
        return;
    store_clear(s);
    intern_free(s->strs);
    postings_free(s->post);
    chunklog_free(s->log);
    chunkpool_free(s->heads);
    slab_free(s->labels);
    free(s->free_ids);
    free(s->idle);
    free(s->table);
    pthread_rwlock_destroy(s->data);
    pthread_rwlock_destroy(s->pin);
    free(s->data);
    free(s->pin);
    free(s);
}

/* --- the label-set table ------------------------------------------------ */

/* The encoding of the series' labels, in the label slab. */
static const uint8_t *
series_lset(const struct store *s, const struct series *sr)
{
    return slab_at(s->labels, sr->lab);
}

/* The table's hash of a series: that of its encoding's bytes. */
static uint32_t
series_hash(const struct store *s, const struct series *sr)
{
    const uint8_t *b = series_lset(s, sr);

    return lset_hash(b, lset_len(b, sr->nl));
}

/*
 * The slot holding the series whose labels encode as b[0..len) with n
 * pairs and hash h, or the empty one for it. Encodings are equal exactly
 * when the sets are, so a set is compared as bytes; its length first, so
 * the compare stays within both.
 */
static size_t
table_slot(const struct store *s, const uint8_t *b, size_t len, size_t n,
           uint32_t h)
{
    size_t mask = s->tcap - 1, i = h & mask;

    for (; s->table[i] != NO_ID; i = (i + 1) & mask) {
        const struct series *sr = series_at(s, s->table[i]);
        const uint8_t *have;

        if (sr->nl != n)
            continue;
        have = series_lset(s, sr);
        if (lset_len(have, n) == len && memcmp(have, b, len) == 0)
            break;
    }
    return i;
}

static void
table_grow(struct store *s)
{
    uint32_t *old = s->table;
    size_t oldcap = s->tcap, mask;

    s->tcap *= 2;
    mask = s->tcap - 1;
    s->table = xmalloc(s->tcap * sizeof(s->table[0]));
    memset(s->table, 0xff, s->tcap * sizeof(s->table[0]));
    for (size_t i = 0; i < oldcap; i++) {
        size_t j;

        if (old[i] == NO_ID)
            continue;
        j = series_hash(s, series_at(s, old[i])) & mask;
        while (s->table[j] != NO_ID)
            j = (j + 1) & mask;
        s->table[j] = old[i];
    }
    free(old);
}

/* Takes id out of the table, shifting its cluster back over the hole. */
static void
table_remove(struct store *s, uint32_t id)
{
    size_t mask = s->tcap - 1, i, j;

    i = series_hash(s, series_at(s, id)) & mask;
    while (s->table[i] != id)
        i = (i + 1) & mask;
    s->table[i] = NO_ID;
    for (j = (i + 1) & mask; s->table[j] != NO_ID; j = (j + 1) & mask) {
        size_t home = series_hash(s, series_at(s, s->table[j])) & mask;

        /* j stays when its home lies cyclically in (i, j]. */
        if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
            continue;
        s->table[i] = s->table[j];
        s->table[j] = NO_ID;
        i = j;
    }
}

/*
 * A set's encoding is built in a buffer on the stack when it fits, as
 * nearly all do; larger ones take a malloc'd buffer.
 */
#define LSET_STACK 256

struct enc_buf {
    uint8_t small[LSET_STACK];
    uint8_t *b;
};

static uint8_t *
enc_buf_get(struct enc_buf *e, size_t n)
{
    e->b = lset_max(n) <= sizeof(e->small) ? e->small
                                           : xmalloc(lset_max(n));
    return e->b;
}

static void
enc_buf_done(struct enc_buf *e)
{
    if (e->b != e->small)
        free(e->b);
}

/*
 * Looks ls up without changing anything (readers call this too): the
 * slot of its series, or NO_ID in *id when there is none.
 */
static void
lookup(const struct store *s, const struct labels *ls, uint32_t *id)
{
    struct enc_buf e;
    uint8_t *b = enc_buf_get(&e, ls->n);
    /* Without a reference: a string not interned is in no set. */
    size_t len = lset_encode(s->strs, ls, false, b);

    *id = NO_ID;
    if (len > 0)
        *id = s->table[table_slot(s, b, len, ls->n, lset_hash(b, len))];
    enc_buf_done(&e);
}

/* --- series ------------------------------------------------------------- */

static uint32_t
alloc_id(struct store *s)
{
    if (s->nfree > 0)
        return s->free_ids[--s->nfree];
    assert(s->nslots < NO_ID - BLOCK);
    if (s->nslots == s->nblocks * BLOCK) {
        /* A block more, its words of the live bitmap and its runs. */
        s->blocks = xreallocarray(s->blocks, s->nblocks + 1,
                                  sizeof(s->blocks[0]));
        s->blocks[s->nblocks] = xcalloc(BLOCK, sizeof(struct series));
        s->live = xreallocarray(s->live, (s->nblocks + 1) * (BLOCK / 64),
                                sizeof(s->live[0]));
        memset(s->live + s->nblocks * (BLOCK / 64), 0,
               BLOCK / 64 * sizeof(s->live[0]));
        s->touched = xreallocarray(s->touched, (s->nblocks + 1)
                                   * (BLOCK >> TOUCH_BITS),
                                   sizeof(s->touched[0]));
        memset(s->touched + s->nblocks * (BLOCK >> TOUCH_BITS), 0,
               (BLOCK >> TOUCH_BITS) * sizeof(s->touched[0]));
        s->nblocks++;
    }
    return s->nslots++;
}

/* Files series id under each of its pairs in the postings. */
static void
post_series(struct store *s, const uint8_t *b, size_t n, uint32_t id)
{
    for (size_t i = 0; i < n; i++) {
        const char *name = intern_str(s->strs, lset_get_id(&b));

        postings_add(s->post, name, intern_str(s->strs, lset_get_id(&b)),
                     id);
    }
}

/* A new series for ls, which no series has. */
static uint32_t
create(struct store *s, const struct labels *ls)
{
    struct enc_buf e;
    uint8_t *b = enc_buf_get(&e, ls->n);
    struct series *sr;
    size_t len;
    uint32_t id, h;

    assert(ls->n > 0 && ls->n <= UINT16_MAX);
    for (size_t i = 0; i < ls->n; i++) {
        assert(i == 0 || strcmp(ls->v[i - 1].name, ls->v[i].name) < 0);
        assert(ls->v[i].value[0] != '\0');
    }
    len = lset_encode(s->strs, ls, true, b);
    h = lset_hash(b, len);
    if ((s->nlive + 1) * 2 > s->tcap)
        table_grow(s);
    id = alloc_id(s);
    sr = series_at(s, id);
    memset(sr, 0, sizeof(*sr));
    sr->nl = (uint16_t)ls->n;
    sr->lab = slab_get(s->labels, len);
    memcpy(slab_at(s->labels, sr->lab), b, len);
    sr->seen = s->clock;
    post_series(s, b, ls->n, id);
    s->table[table_slot(s, b, len, ls->n, h)] = id;
    s->live[id / 64] |= 1ULL << (id % 64);
    s->nlive++;
    s->series_gen++;
    enc_buf_done(&e);
    return id;
}

uint32_t
store_series_id(struct store *s, const struct labels *ls)
{
    uint32_t id;

    lookup(s, ls, &id);
    return id != NO_ID ? id : create(s, ls);
}

static bool
find_unlocked(const struct store *s, const struct labels *ls,
              uint32_t *id)
{
    uint32_t found;

    lookup(s, ls, &found);
    if (found == NO_ID)
        return false;
    *id = found;
    return true;
}

static size_t
labels_unlocked(const struct store *s, uint32_t id, struct label **buf,
                size_t *cap, size_t len)
{
    const struct series *sr = get_series(s, id);

    if (len + sr->nl > *cap) {
        /* Doubling: a selection appends set after set. */
        *cap = (len + sr->nl) * 2;
        *buf = xreallocarray(*buf, *cap, sizeof(**buf));
    }
    lset_decode(s->strs, series_lset(s, sr), sr->nl, *buf + len);
    return sr->nl;
}

/* --- samples ------------------------------------------------------------ */

/*
 * A series' chunks: its sealed ones from first, oldest first, linked
 * through next, then its head, last. No chunk links to the head: the
 * chunk pool moves heads, and points last at it wherever it goes. A
 * series with a sealed chunk always has a head.
 */
static const struct chunk *
first_chunk(const struct series *sr)
{
    return sr->first != NULL ? sr->first : sr->last;
}

static const struct chunk *
next_chunk(const struct series *sr, const struct chunk *c)
{
    if (c == sr->last)
        return NULL;
    return c->next != NULL ? c->next : sr->last;
}

/*
 * Seals a full head into the chunk log, after the series' sealed chunks,
 * and starts a fresh one. The new head starts small and grows in the
 * chunk pool: starting it at the size its predecessor ended at, or half
 * that, saves the moves but holds more (in the farm benchmark at 200
 * targets, heads took 258 or 167 bytes a series instead of 141, and the
 * process 231 or 209 MB instead of 204).
 */
static struct chunk *
new_head(struct store *s, struct series *sr, uint32_t id)
{
    struct chunk *c = sr->last;

    if (c != NULL) {
        struct chunk *copy = chunklog_add(s->log, c, CHUNKLOG_SEALED),
                     *p = sr->first;

        if (p == NULL) {
            sr->first = copy;
            sr->oldest = copy->maxt;
        } else {
            /* Sealed chunks are few per series: finding the newest is
             * cheap, once a chunk. */
            while (p->next != NULL)
                p = p->next;
            p->next = copy;
        }
        chunkpool_put(s->heads, id, c);
    }
    s->nchunks++;
    return chunkpool_get(s->heads, id, &sr->last);
}

/*
 * Whether the head is to be sealed before the next sample: when full, or
 * for a series' first head, at a point between an eighth of
 * CHUNK_MAX_SAMPLES and all of them picked by its id. Series created
 * together (all of them at start, or a new target's) would otherwise
 * seal in the same minute ever after, and a million heads sealed at once
 * leave their pool pages empty while the log grows by as much.
 */
static bool
head_due(const struct series *sr, uint32_t id)
{
    const struct chunk *c = sr->last;
    uint32_t low = CHUNK_MAX_SAMPLES / 8;

    if (c == NULL || chunk_full(c))
        return true;
    if (sr->first != NULL)
        return false;
    /* Fibonacci hashing spreads consecutive ids over the range. */
    return c->n >= low + ((id * 2654435769u) >> 16)
                         % (CHUNK_MAX_SAMPLES - low);
}

int
store_append(struct store *s, uint32_t id, int64_t t, double v)
{
    struct series *sr = get_series(s, id);
    struct chunk *c = sr->last;
    struct chunk_enc e;

    if (sr->flags & HAS_SAMPLE) {
        uint64_t bits;

        memcpy(&bits, &v, sizeof(bits));
        if (t < sr->enc.t)
            return -1;
        if (t == sr->enc.t)
            return bits == sr->enc.v ? 0 : -1;
    }
    if (head_due(sr, id))
        c = new_head(s, sr, id);
    enc_load(sr, &e);
    while (!chunk_append(c, &e, t, v))
        c = chunkpool_grow(s->heads, id, c);
    enc_save(sr, &e);
    sr->flags |= HAS_SAMPLE;
    s->nsamples++;
    hist_push(&s->added, ++s->version, t);
    s->touched[id >> TOUCH_BITS] = s->version;
    if (t > s->clock)
        s->clock = t;
    if (t < s->tmin)
        s->tmin = t;
    return 0;
}

/*
 * A scrape appends to a thousand series, and each append waited first
 * for its series' slot, then for its head chunk's header, then for the
 * chunk's tail (chunk_full and put_bits led the profile at 200 targets,
 * when heads lay all over the heap; they lie in id order in the chunk
 * pool now, but a scrape's series need not be in id order). Loading them
 * a few appends ahead lets those waits overlap. Only the writer's thread
 * calls this, so the chunk it reads cannot move under it.
 */
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH_WRITE(p) __builtin_prefetch((p), 1, 3)
#else
#define PREFETCH_WRITE(p) ((void)(p))
#endif

void
store_prefetch(const struct store *s, uint32_t id, int step)
{
    const struct series *sr;
    const struct chunk *c;

    if (id >= s->nslots)
        return;
    sr = series_at(s, id);
    if (step == 0) {
        PREFETCH_WRITE(sr);
        return;
    }
    if (sr->lab == SLAB_NONE || (c = sr->last) == NULL)
        return;
    if (step == 1)
        PREFETCH_WRITE(c);
    else
        PREFETCH_WRITE(c->data + c->nbits / 8);
}

/* Makes room for n more samples in *buf past len. */
static void
reserve(struct sample **buf, size_t *cap, size_t len, size_t n)
{
    size_t want = *cap ? *cap : 64;

    if (len + n <= *cap)
        return;
    while (want < len + n)
        want *= 2;
    *buf = xreallocarray(*buf, want, sizeof(**buf));
    *cap = want;
}

static size_t
read_unlocked(const struct store *s, uint32_t id, int64_t mint,
              int64_t maxt, struct sample **buf, size_t *cap)
{
    const struct series *sr = get_series(s, id);
    const struct chunk *c = first_chunk(sr);
    size_t n = 0;

    if (mint > maxt)
        return 0;
    /* Only the chunks that overlap [mint, maxt] are decoded. */
    for (; c != NULL && c->mint <= maxt; c = next_chunk(sr, c)) {
        struct chunk_iter it;
        int64_t t;
        double v;

        if (c->maxt < mint)
            continue;
        reserve(buf, cap, n, c->n);
        chunk_iter_init(&it, c);
        while (chunk_iter_next(&it, &t, &v) && t <= maxt) {
            if (t >= mint)
                (*buf)[n++] = (struct sample){ t, v };
        }
    }
    return n;
}

/*
 * Reading on from a cursor. The chunk it stopped in is found again by
 * its mint, since a head chunk moves when it grows and when it is
 * sealed; its bits up to the cursor never change, so the decoder
 * resumes there and decodes only the samples appended since.
 */
static size_t
read_on_unlocked(const struct store *s, uint32_t id,
                 struct store_cursor *cur, int64_t mint,
                 struct sample **buf, size_t *cap, size_t len)
{
    const struct series *sr;
    const struct chunk *c;
    int64_t from = mint, t;
    size_t n = len;
    double v;

    /* Nothing appended to id's run of slots since: nothing new, without
     * touching its slot (a cache miss, where the run's version is not:
     * most of a dashboard's series have nothing new at each read). */
    assert(id < s->nslots);
    if (cur->started && s->touched[id >> TOUCH_BITS] <= cur->version) {
        cur->version = s->version;
        return 0;
    }
    sr = get_series(s, id);
    c = first_chunk(sr);
    cur->version = s->version;
    if (cur->started) {
        /* Nothing new: the common case, without touching a chunk. */
        if (!(sr->flags & HAS_SAMPLE) || sr->enc.t <= cur->last)
            return 0;
        if (cur->last >= from)
            from = cur->last + 1;
        /* Stopped in the head: start there, not at the oldest chunk
         * (sealed ones lie elsewhere, and each would be a cache miss). */
        if (sr->last != NULL && sr->last->mint == cur->chunk)
            c = sr->last;
    }
    for (; c != NULL; c = next_chunk(sr, c)) {
        struct chunk_iter it;

        if (c->maxt < from)
            continue;
        if (cur->started && c->mint == cur->chunk) {
            it = cur->it;
            it.c = c;
        } else {
            chunk_iter_init(&it, c);
        }
        reserve(buf, cap, n, c->n - it.i);
        while (chunk_iter_next(&it, &t, &v)) {
            if (t >= from)
                (*buf)[n++] = (struct sample){ t, v };
        }
        cur->started = true;
        cur->last = c->maxt;
        cur->chunk = c->mint;
        cur->it = it;
        cur->it.c = NULL;
    }
    return n - len;
}

static bool
last_unlocked(const struct store *s, uint32_t id, int64_t maxt,
              struct sample *out)
{
    const struct series *sr = get_series(s, id);
    const struct chunk *c = first_chunk(sr), *n;
    struct chunk_iter it;
    bool found = false;
    int64_t t;
    double v;

    if (c == NULL || c->mint > maxt)
        return false;
    if (sr->last->maxt <= maxt) {
        /* The common case: the newest sample, without decoding. */
        out->t = sr->enc.t;
        memcpy(&out->v, &sr->enc.v, sizeof(out->v));
        return true;
    }
    /* The newest chunk starting at or before maxt holds the answer. */
    while ((n = next_chunk(sr, c)) != NULL && n->mint <= maxt)
        c = n;
    chunk_iter_init(&it, c);
    while (chunk_iter_next(&it, &t, &v) && t <= maxt) {
        *out = (struct sample){ t, v };
        found = true;
    }
    return found;
}

/* --- selection ---------------------------------------------------------- */

/* Candidate ids, ascending; all == true stands for every live series. */
struct cand {
    uint32_t *ids;
    size_t n;
    bool all;
};

/*
 * A series without the label counts as having it empty, as in PromQL.
 * Equality compares label strings: one encoding, one string; a regex
 * sees the bytes a value stands for, a NUL byte rather than C0 80.
 */
static bool
match_value(const struct store_matcher *m, const char *v)
{
    switch (m->op) {
    case STORE_EQ:
        return strcmp(v, m->value) == 0;
    case STORE_NEQ:
        return strcmp(v, m->value) != 0;
    case STORE_RE:
        return labels_regex_match(m->re, v);
    case STORE_NRE:
        return !labels_regex_match(m->re, v);
    }
    return false;
}

/* The interned copy of str and its id, or NULL when no set has it. */
static const char *
interned(const struct store *s, const char *str, uint32_t *id)
{
    return intern_find(s->strs, str, id) ? intern_str(s->strs, *id) : NULL;
}

/* The series' value for the name of that id, "" when it has none. */
static const char *
series_value(const struct store *s, const struct series *sr, uint32_t name)
{
    uint32_t value;

    if (!lset_find(series_lset(s, sr), sr->nl, name, &value))
        return "";
    return intern_str(s->strs, value);
}

struct visit {
    const struct store_matcher *m;
    bool want;
    uint64_t *bits;
};

/* Sets the bits of the series whose value v has match(v) == want. */
static void
visit_value(const char *value, const uint32_t *ids, size_t n, void *ctx)
{
    struct visit *x = ctx;

    if (match_value(x->m, value) != x->want)
        return;
    for (size_t i = 0; i < n; i++)
        x->bits[ids[i] / 64] |= 1ULL << (ids[i] % 64);
}

/* Every live id whose bit in bits equals want (bits NULL: every one). */
static void
from_bitmap(const struct store *s, const uint64_t *bits, bool want,
            struct cand *c)
{
    size_t words = ((size_t)s->nslots + 63) / 64;

    c->ids = xreallocarray(NULL, s->nlive ? s->nlive : 1, sizeof(*c->ids));
    c->n = 0;
    c->all = false;
    for (size_t w = 0; w < words; w++) {
        uint64_t word = s->live[w];

        if (bits != NULL)
            word &= want ? bits[w] : ~bits[w];
        for (; word != 0; word &= word - 1)
            c->ids[c->n++] = (uint32_t)(w * 64 + __builtin_ctzll(word));
    }
}

/*
 * Narrows c by a matcher on a label that some series carry. Few candidates
 * are checked one by one; otherwise the label's values are scanned (far
 * fewer than series) into a bitmap of the series to keep or to drop.
 */
static void
apply_scan(const struct store *s, const struct store_matcher *m,
           const char *name, uint32_t name_id, bool empty_ok,
           struct cand *c)
{
    struct visit x = { m, !empty_ok, NULL };
    size_t k = 0;

    if (!c->all && c->n <= postings_nvalues(s->post, name)) {
        for (size_t i = 0; i < c->n; i++) {
            const struct series *sr = series_at(s, c->ids[i]);

            if (match_value(m, series_value(s, sr, name_id)))
                c->ids[k++] = c->ids[i];
        }
        c->n = k;
        return;
    }
    x.bits = xcalloc(((size_t)s->nslots + 63) / 64, sizeof(uint64_t));
    postings_each_value(s->post, name, visit_value, &x);
    if (c->all) {
        from_bitmap(s, x.bits, x.want, c);
    } else {
        for (size_t i = 0; i < c->n; i++) {
            uint32_t id = c->ids[i];
            bool set = (x.bits[id / 64] >> (id % 64)) & 1;

            if (set == x.want)
                c->ids[k++] = id;
        }
        c->n = k;
    }
    free(x.bits);
}

/* Narrows c by m; false when nothing can match any more. */
static bool
apply(const struct store *s, const struct store_matcher *m, struct cand *c)
{
    uint32_t name_id, value_id;
    const char *name = interned(s, m->name, &name_id), *value;
    bool empty_ok = match_value(m, "");
    const uint32_t *list;
    size_t n;

    assert(m->op == STORE_EQ || m->op == STORE_NEQ || m->re != NULL);
    if (name == NULL || postings_nvalues(s->post, name) == 0)
        return empty_ok;        /* no series has the label at all */
    if (m->op != STORE_EQ || empty_ok) {
        apply_scan(s, m, name, name_id, empty_ok, c);
        return c->n > 0;
    }
    value = interned(s, m->value, &value_id);
    list = value != NULL ? postings_get(s->post, name, value, &n) : NULL;
    if (list == NULL)
        return false;
    if (c->all) {
        c->ids = xreallocarray(NULL, n, sizeof(*c->ids));
        memcpy(c->ids, list, n * sizeof(*c->ids));
        c->n = n;
        c->all = false;
    } else {
        c->n = postings_intersect(c->ids, c->n, list, n);
    }
    return c->n > 0;
}

/*
 * The order matchers are applied in: equality on a present value first
 * (smallest postings first), then other matchers that need the label,
 * then those that also accept its absence.
 */
static size_t
matcher_rank(const struct store *s, const struct store_matcher *m)
{
    const char *name, *value;
    uint32_t id;
    size_t n = 0;

    if (match_value(m, ""))
        return SIZE_MAX;
    if (m->op != STORE_EQ)
        return SIZE_MAX - 1;
    name = interned(s, m->name, &id);
    value = interned(s, m->value, &id);
    if (name != NULL && value != NULL)
        postings_get(s->post, name, value, &n);
    return n;
}

static size_t
select_unlocked(const struct store *s, const struct store_matcher *m,
                size_t n, uint32_t **ids)
{
    struct cand c = { NULL, 0, true };
    size_t *rank = xreallocarray(NULL, n ? n : 1, sizeof(*rank));
    size_t *order = xreallocarray(NULL, n ? n : 1, sizeof(*order));
    bool ok = true;

    /* Insertion sort by rank: there are only a few matchers. */
    for (size_t i = 0; i < n; i++) {
        size_t j = i, r = matcher_rank(s, &m[i]);

        for (; j > 0 && rank[j - 1] > r; j--) {
            rank[j] = rank[j - 1];
            order[j] = order[j - 1];
        }
        rank[j] = r;
        order[j] = i;
    }
    for (size_t i = 0; i < n && ok; i++)
        ok = apply(s, &m[order[i]], &c);
    free(rank);
    free(order);
    if (ok && c.all)
        from_bitmap(s, NULL, true, &c);
    if (!ok || c.n == 0) {
        free(c.ids);
        c.ids = NULL;
        c.n = 0;
    }
    *ids = c.ids;
    return c.n;
}

/* Names and values in Go's order of what they stand for. */
static int
cmp_str(const void *a, const void *b)
{
    return labels_strcmp(*(const char *const *)a, *(const char *const *)b);
}

static size_t
names_unlocked(const struct store *s, const char ***out)
{
    size_t n = postings_names(s->post, out);

    if (n > 1)
        qsort(*out, n, sizeof(**out), cmp_str);
    return n;
}

struct collect {
    const char **v;
    size_t n;
};

static void
collect_value(const char *value, const uint32_t *ids, size_t n, void *ctx)
{
    struct collect *c = ctx;

    (void)ids;
    (void)n;
    c->v[c->n++] = value;
}

static size_t
values_unlocked(const struct store *s, const char *name,
                const char ***out)
{
    uint32_t id;
    const char *iname = interned(s, name, &id);
    size_t n = iname != NULL ? postings_nvalues(s->post, iname) : 0;
    struct collect c = { NULL, 0 };

    *out = NULL;
    if (n == 0)
        return 0;
    c.v = xreallocarray(NULL, n, sizeof(*c.v));
    postings_each_value(s->post, iname, collect_value, &c);
    qsort(c.v, c.n, sizeof(*c.v), cmp_str);
    *out = c.v;
    return c.n;
}

/* --- retention ---------------------------------------------------------- */

/*
 * The newest time in the series' oldest chunk, read from the series alone
 * (a gc pass over a million series must not touch a million chunks).
 */
static int64_t
oldest_maxt(const struct series *sr)
{
    return sr->first == NULL ? sr->enc.t : sr->oldest;
}

/* Drops the oldest chunk of sr, series id, which has one. */
static void
drop_oldest(struct store *s, struct series *sr, uint32_t id)
{
    struct chunk *c = sr->first != NULL ? sr->first : sr->last;

    hist_push(&s->dropped, ++s->version, ~c->maxt);
    s->nsamples -= c->n;
    s->nchunks--;
    if (c == sr->last) {
        /* The head, alone in the series: it lives in the pool. */
        chunkpool_put(s->heads, id, c);
        sr->last = NULL;
    } else {
        sr->first = c->next;
        if (sr->first != NULL)
            sr->oldest = sr->first->maxt;
        chunklog_release(s->log, c);
    }
}

/*
 * The oldest chunk, encoded again without its samples before cutoff.
 * Retention drops a sealed chunk only once its newest sample leaves the
 * window, so a series would hold up to a chunk's span past it (at 10 s
 * a chunk spans 20 minutes: 80 minutes held for a 60-minute window).
 * Once the expired part spans a quarter of the retention the chunk is
 * encoded again without it, so what is held past the window stays under
 * that plus the time store_trim takes to come round to the series: a
 * round, or longer only while there is more to encode than its calls
 * may do, and the loops that call it come back at once while it says
 * work is left. The samples kept are the same, bit for bit; the drop is
 * recorded as a dropped chunk's is, so readers that keep samples or
 * cursors (store_changes_since) read again.
 *
 * A quarter, as a chunk spanning up to half the retention is then
 * encoded again once before it goes; at an eighth a 20-minute chunk of
 * an hour's retention was encoded twice, at 7.5 and 15 minutes. At a
 * million series (bench_store loop) that halved the CPU the walk takes
 * and held 5% more samples for the same RSS: the copies, which leave
 * holes in the chunk log (store/chunklog.h), are half as many.
 */
#define TRIM_PART 4
/* store_trim comes round to every series in this long. */
#define TRIM_ROUND_MS (60 * 1000)
/*
 * The most work one call of store_trim does, counted in visits to a
 * slot with nothing to do; dropping a chunk counts COST_DROP visits and
 * encoding one again COST_ENCODE. A call stops once it has done that
 * much and leaves the rest of its share of slots to the next one. At a
 * million series a call that does it all takes about 0.4 ms of CPU
 * (bench_store loop: the longest 3.9 ms), where calls that visited
 * their whole share took up to 14.5 ms when many series fell due
 * together.
 */
#define TRIM_WORK   4096
#define COST_DROP   4
#define COST_ENCODE 64
/*
 * Whether the oldest chunk is due to be encoded again (see below): the
 * walk has dropped the chunks wholly out of the window first. Until the
 * store holds a sample that old, no chunk can be, and the walk skips
 * loading a million sealed chunks' headers once a round to learn it.
 */
static bool
trim_due(const struct store *s, const struct series *sr, int64_t cutoff)
{
    int64_t due = cutoff - s->retention / TRIM_PART;

    return s->tmin < due && sr->first != NULL
           && oldest_maxt(sr) >= cutoff && sr->first->mint < due;
}

static void
trim_oldest(struct store *s, struct series *sr, int64_t cutoff)
{
    struct chunk *c = sr->first, *tmp, *copy;
    struct chunk_iter it;
    struct chunk_enc e = { .leading = 0xff };
    int64_t t, gone = NO_TIME;
    size_t n = 0;
    double v;

    tmp = xcalloc(1, sizeof(*tmp) + CHUNK_MAX_BYTES);
    tmp->cap = CHUNK_MAX_BYTES;
    chunk_iter_init(&it, c);
    while (chunk_iter_next(&it, &t, &v)) {
        if (t < cutoff) {
            gone = t;
            n++;
        } else if (chunk_full(tmp) || !chunk_append(tmp, &e, t, v)) {
            /* A fresh XOR window may cost more bits; keep the old. */
            free(tmp);
            return;
        }
    }
    /* c->maxt >= cutoff, or retention would have dropped it whole. */
    assert(tmp->n > 0 && n > 0);
    copy = chunklog_add(s->log, tmp, CHUNKLOG_TRIMMED);
    free(tmp);
    copy->next = c->next;
    sr->first = copy;
    chunklog_release(s->log, c);
    s->nsamples -= n;
    hist_push(&s->dropped, ++s->version, ~gone);
}

static bool
is_dead(uint32_t id, void *ctx)
{
    const struct store *s = ctx;

    return (series_at(s, id)->flags & DEAD) != 0;
}

/*
 * Drops the series in dead[0..n): their postings first, in one sweep per
 * touched list, then their table entries, chunks and strings. Their ids
 * go on the free list.
 */
static void
drop_series(struct store *s, const uint32_t *dead, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct series *sr = series_at(s, dead[i]);

        const uint8_t *b = series_lset(s, sr);

        sr->flags |= DEAD;
        for (uint16_t j = 0; j < sr->nl; j++) {
            const char *name = intern_str(s->strs, lset_get_id(&b));

            postings_mark(s->post, name,
                          intern_str(s->strs, lset_get_id(&b)));
        }
    }
    postings_sweep(s->post, is_dead, s);
    if (s->nfree + n > s->freecap) {
        s->freecap = (s->nfree + n) * 2;
        s->free_ids = xreallocarray(s->free_ids, s->freecap,
                                    sizeof(s->free_ids[0]));
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t id = dead[i];
        struct series *sr = series_at(s, id);
        const uint8_t *b;
        size_t len;

        table_remove(s, id);
        while (sr->last != NULL)
            drop_oldest(s, sr, id);
        b = series_lset(s, sr);
        len = lset_len(b, sr->nl);
        lset_unref(s->strs, b, sr->nl);
        slab_put(s->labels, sr->lab, len);
        memset(sr, 0, sizeof(*sr));
        s->live[id / 64] &= ~(1ULL << (id % 64));
        s->nlive--;
        s->free_ids[s->nfree++] = id;
    }
}

/* Bytes in use, part by part: chunks, index and strings. */
static void
store_parts(const struct store *s, struct store_stats *st)
{
    size_t slots = (size_t)s->nblocks * BLOCK;

    st->series_bytes = slots * sizeof(struct series)
                       + s->nblocks * sizeof(s->blocks[0]);
    st->label_bytes = slab_held(s->labels);
    st->string_bytes = intern_bytes(s->strs);
    st->postings_bytes = postings_bytes(s->post);
    st->table_bytes = sizeof(*s) + slots / 8
                      + (slots >> TOUCH_BITS) * sizeof(s->touched[0])
                      + s->freecap * sizeof(s->free_ids[0])
                      + s->idlecap * sizeof(s->idle[0])
                      + s->tcap * sizeof(s->table[0]);
    st->head_bytes = chunkpool_used(s->heads);
    st->sealed_bytes = chunklog_used(s->log);
}

static size_t
store_bytes(const struct store *s)
{
    struct store_stats st;

    store_parts(s, &st);
    return st.series_bytes + st.label_bytes + st.string_bytes
           + st.postings_bytes + st.table_bytes + st.head_bytes
           + st.sealed_bytes;
}

/* A min-heap entry: a series and the newest time in its oldest chunk. */
struct oldest {
    int64_t t;
    uint32_t id;
};

static void
heap_push(struct oldest *h, size_t *n, struct oldest e)
{
    size_t i = (*n)++;

    for (; i > 0 && h[(i - 1) / 2].t > e.t; i = (i - 1) / 2)
        h[i] = h[(i - 1) / 2];
    h[i] = e;
}

static struct oldest
heap_pop(struct oldest *h, size_t *n)
{
    struct oldest top = h[0], e = h[--*n];
    size_t i = 0, k;

    while ((k = 2 * i + 1) < *n) {
        if (k + 1 < *n && h[k + 1].t < h[k].t)
            k++;
        if (h[k].t >= e.t)
            break;
        h[i] = h[k];
        i = k;
    }
    h[i] = e;
    return top;
}

/* Drops the oldest chunks across all series until under the budget. */
static void
enforce_budget(struct store *s)
{
    size_t total = store_bytes(s), n = 0;
    struct oldest *h;

    if (s->max_bytes == 0 || total <= s->max_bytes)
        return;
    h = xreallocarray(NULL, s->nlive ? s->nlive : 1, sizeof(*h));
    for (uint32_t id = 0; id < s->nslots; id++) {
        if (series_at(s, id)->last != NULL)
            heap_push(h, &n, (struct oldest){ oldest_maxt(series_at(s, id)),
                                              id });
    }
    while (n > 0 && store_bytes(s) > s->max_bytes) {
        struct oldest e = heap_pop(h, &n);
        struct series *sr = series_at(s, e.id);

        drop_oldest(s, sr, e.id);
        if (sr->last != NULL)
            heap_push(h, &n, (struct oldest){ oldest_maxt(sr), e.id });
    }
    free(h);
}

/* now_ms - retention, or NO_TIME when nothing is out of the window. */
static int64_t
retention_cutoff(const struct store *s, int64_t now_ms)
{
    if (s->retention <= 0 || now_ms <= NO_TIME + s->retention)
        return NO_TIME;
    return now_ms - s->retention;
}

/* The newest of sr's creation and its newest sample. */
static int64_t
last_active(struct series *sr, int64_t now_ms)
{
    int64_t active;

    /*
     * A series created before the store's clock started (no sample and no
     * gc yet) and still without samples counts as created now.
     */
    if (sr->seen == NO_TIME && !(sr->flags & HAS_SAMPLE))
        sr->seen = now_ms;
    active = sr->seen;
    if ((sr->flags & HAS_SAMPLE) && sr->enc.t > active)
        active = sr->enc.t;
    return active;
}

/* Drops the chunks of sr, series id, that lie wholly before cutoff;
 * returns how many. */
static unsigned
drop_expired(struct store *s, struct series *sr, uint32_t id,
             int64_t cutoff)
{
    unsigned n = 0;

    for (; sr->last != NULL && oldest_maxt(sr) < cutoff; n++)
        drop_oldest(s, sr, id);
    return n;
}

/*
 * How far ahead of the window store_trim looks for idle series: those
 * that will have had no sample for a whole retention this much later
 * go on the idle list, so that store_drop_idle, checking only the list,
 * finds every series the one-shot store_gc would, as long as the walk
 * comes round within this time. Under a short retention it looks half
 * a retention ahead: a series created after the walk passed its slot
 * cannot have expired before the walk comes back.
 */
static int64_t
idle_ahead(const struct store *s)
{
    int64_t ahead = 2 * TRIM_ROUND_MS;

    return ahead < s->retention / 2 ? ahead : s->retention / 2;
}

/* Puts sr, series id, on the idle list, unless it is there. */
static void
idle_add(struct store *s, struct series *sr, uint32_t id)
{
    if (sr->flags & IDLE)
        return;
    if (s->nidle == s->idlecap) {
        s->idlecap = s->idlecap ? s->idlecap * 2 : 64;
        s->idle = xreallocarray(s->idle, s->idlecap, sizeof(s->idle[0]));
    }
    s->idle[s->nidle++] = id;
    sr->flags |= IDLE;
}

/* Takes the series that are no longer (dropped) off the idle list. */
static void
idle_forget_dropped(struct store *s)
{
    size_t k = 0;

    for (size_t i = 0; i < s->nidle; i++) {
        if (series_at(s, s->idle[i])->flags & IDLE)
            s->idle[k++] = s->idle[i];
    }
    s->nidle = k;
}

void
store_gc(struct store *s, int64_t now_ms)
{
    int64_t cutoff = retention_cutoff(s, now_ms);
    uint32_t *dead = NULL;
    size_t ndead = 0;

    /* Labels are borrowed until a gc (store.h): selections go too. */
    s->series_gen++;
    if (now_ms > s->clock)
        s->clock = now_ms;
    for (uint32_t id = 0; id < s->nslots && cutoff != NO_TIME; id++) {
        struct series *sr = series_at(s, id);

        if (sr->lab == SLAB_NONE)
            continue;
        drop_expired(s, sr, id, cutoff);
        if (last_active(sr, now_ms) >= cutoff)
            continue;
        if (ndead == 0)
            dead = xreallocarray(NULL, s->nlive, sizeof(*dead));
        dead[ndead++] = id;
    }
    if (ndead > 0) {
        drop_series(s, dead, ndead);
        idle_forget_dropped(s);
    }
    free(dead);
    postings_trim(s->post);
    enforce_budget(s);
}

void
store_drop_idle(struct store *s, int64_t now_ms)
{
    int64_t cutoff = retention_cutoff(s, now_ms);
    uint32_t *dead = NULL;
    size_t ndead = 0, k = 0;

    if (now_ms > s->clock)
        s->clock = now_ms;
    for (size_t i = 0; i < s->nidle && cutoff != NO_TIME; i++) {
        uint32_t id = s->idle[i];
        struct series *sr = series_at(s, id);
        int64_t active = last_active(sr, now_ms);

        if (active >= cutoff + idle_ahead(s)) {
            sr->flags &= ~IDLE;         /* it came back */
        } else if (active >= cutoff) {
            s->idle[k++] = id;          /* not yet */
        } else {
            if (ndead == 0)
                dead = xreallocarray(NULL, s->nidle, sizeof(*dead));
            sr->flags &= ~IDLE;
            dead[ndead++] = id;
        }
    }
    if (cutoff != NO_TIME)
        s->nidle = k;
    if (ndead > 0) {
        /* Labels are borrowed until then (store.h). */
        s->series_gen++;
        drop_series(s, dead, ndead);
    }
    free(dead);
    postings_trim(s->post);
    enforce_budget(s);
}

/*
 * The walk's visit to one slot: the chunks out of the window go, the
 * oldest one is encoded again if due, and a series about to expire goes
 * on the idle list. Returns the work it took, in TRIM_WORK's units.
 */
static unsigned
walk_slot(struct store *s, uint32_t id, int64_t now_ms, int64_t cutoff)
{
    struct series *sr = series_at(s, id);
    unsigned work = 1;

    if (sr->lab == SLAB_NONE)
        return work;
    work += COST_DROP * drop_expired(s, sr, id, cutoff);
    if (trim_due(s, sr, cutoff)) {
        trim_oldest(s, sr, cutoff);
        work += COST_ENCODE;
    }
    if (last_active(sr, now_ms) < cutoff + idle_ahead(s))
        idle_add(s, sr, id);
    return work;
}

bool
store_trim(struct store *s, int64_t now_ms)
{
    int64_t cutoff = retention_cutoff(s, now_ms);
    uint64_t round = s->nslots;
    unsigned work = 0;

    if (cutoff == NO_TIME)
        return false;
    if (s->trim_at == NO_TIME || now_ms - s->trim_at >= TRIM_ROUND_MS) {
        s->trim_owed = round;
        s->trim_at = now_ms;
    } else if (now_ms > s->trim_at) {
        uint64_t due = round * (uint64_t)(now_ms - s->trim_at)
                       / TRIM_ROUND_MS;

        /* Less than a slot's time adds up to one on a later call. */
        if (due > 0) {
            s->trim_owed = s->trim_owed + due < round ? s->trim_owed + due
                                                      : round;
            s->trim_at = now_ms;
        }
    }
    while (s->trim_owed > 0 && work < TRIM_WORK) {
        if (s->trim_next >= s->nslots)
            s->trim_next = 0;
        work += walk_slot(s, s->trim_next++, now_ms, cutoff);
        s->trim_owed--;
    }
    return s->trim_owed > 0;
}

static void
stats_unlocked(const struct store *s, struct store_stats *st)
{
    st->series = s->nlive;
    st->samples = s->nsamples;
    st->chunks = s->nchunks;
    store_parts(s, st);
    st->bytes = store_bytes(s);
    st->spare = chunklog_held(s->log) - chunklog_used(s->log)
                + chunkpool_held(s->heads) - chunkpool_used(s->heads);
    st->strings = intern_count(s->strs);
}

/* --- readers and the writer --------------------------------------------- */

/*
 * Each read function takes the data lock for its own call only, so a
 * reader on another thread never holds up the writer for longer than
 * one call, and the writer's batch of appends holds a reader up for that
 * batch only. Without other threads each lock is uncontended, a few
 * atomic operations, but a frame reads each series more than once: a
 * store that is not shared (store_set_shared) skips them.
 */
static void
rd_enter(const struct store *s)
{
    if (s->shared)
        pthread_rwlock_rdlock(s->data);
}

static void
rd_leave(const struct store *s)
{
    if (s->shared)
        pthread_rwlock_unlock(s->data);
}

void
store_set_shared(struct store *s, bool shared)
{
    s->shared = shared;
}

bool
store_series_find(const struct store *s, const struct labels *ls,
                  uint32_t *id)
{
    bool found;

    rd_enter(s);
    found = find_unlocked(s, ls, id);
    rd_leave(s);
    return found;
}

size_t
store_series_labels(const struct store *s, uint32_t id, struct label **buf,
                    size_t *cap, size_t len)
{
    size_t n;

    rd_enter(s);
    n = labels_unlocked(s, id, buf, cap, len);
    rd_leave(s);
    return n;
}

size_t
store_read(const struct store *s, uint32_t id, int64_t mint, int64_t maxt,
           struct sample **buf, size_t *cap)
{
    size_t n;

    rd_enter(s);
    n = read_unlocked(s, id, mint, maxt, buf, cap);
    rd_leave(s);
    return n;
}

size_t
store_read_on(const struct store *s, uint32_t id, struct store_cursor *cur,
              int64_t mint, struct sample **buf, size_t *cap, size_t len)
{
    size_t n;

    rd_enter(s);
    n = read_on_unlocked(s, id, cur, mint, buf, cap, len);
    rd_leave(s);
    return n;
}

bool
store_last(const struct store *s, uint32_t id, int64_t maxt,
           struct sample *out)
{
    bool found;

    rd_enter(s);
    found = last_unlocked(s, id, maxt, out);
    rd_leave(s);
    return found;
}

size_t
store_select(const struct store *s, const struct store_matcher *m,
             size_t n, uint32_t **ids)
{
    size_t k;

    rd_enter(s);
    k = select_unlocked(s, m, n, ids);
    rd_leave(s);
    return k;
}

size_t
store_label_names(const struct store *s, const char ***out)
{
    size_t n;

    rd_enter(s);
    n = names_unlocked(s, out);
    rd_leave(s);
    return n;
}

size_t
store_label_values(const struct store *s, const char *name,
                   const char ***out)
{
    size_t n;

    rd_enter(s);
    n = values_unlocked(s, name, out);
    rd_leave(s);
    return n;
}

void
store_get_stats(const struct store *s, struct store_stats *st)
{
    rd_enter(s);
    stats_unlocked(s, st);
    rd_leave(s);
}

uint64_t
store_version(const struct store *s)
{
    uint64_t v;

    rd_enter(s);
    v = version_unlocked(s);
    rd_leave(s);
    return v;
}

uint64_t
store_series_gen(const struct store *s)
{
    uint64_t g;

    rd_enter(s);
    g = s->series_gen;
    rd_leave(s);
    return g;
}

bool
store_changes_since(const struct store *s, uint64_t version,
                    struct store_changes *out)
{
    bool known;

    rd_enter(s);
    known = changes_unlocked(s, version, out);
    rd_leave(s);
    return known;
}

void
store_read_lock(const struct store *s)
{
    pthread_rwlock_rdlock(s->pin);
}

void
store_read_unlock(const struct store *s)
{
    pthread_rwlock_unlock(s->pin);
}

void
store_write_lock(struct store *s)
{
    pthread_rwlock_wrlock(s->data);
}

void
store_write_unlock(struct store *s)
{
    pthread_rwlock_unlock(s->data);
}

bool
store_trim_lock(struct store *s, bool wait)
{
    if (wait)
        pthread_rwlock_wrlock(s->pin);
    else if (pthread_rwlock_trywrlock(s->pin) != 0)
        return false;
    pthread_rwlock_wrlock(s->data);
    return true;
}

void
store_trim_unlock(struct store *s)
{
    pthread_rwlock_unlock(s->data);
    pthread_rwlock_unlock(s->pin);
}
