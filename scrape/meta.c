/*
 * The metadata registry: interned strings, interned entry sets, and per
 * target the set it shows plus what the 10-scrape grace needs. A set
 * lists first the families the target's last scrape gave, in body order,
 * then the ones still in their grace ("gone"), whose last scrape numbers
 * the target keeps apart. A scrape walks the set with a cursor while its
 * families come in the same order with the same fields; the first
 * difference switches it to staging what it reads, and the end of the
 * scrape merges that with the old set into a new one. It does no I/O.
 */
#include "scrape/meta.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/buf.h"
#include "src/base/xalloc.h"

/* Successful scrapes an entry outlives its family's last appearance. */
#define GRACE 10

/* An interned string; refs counts the sets (and builds) using it. */
struct mstr {
    struct mstr *next;          /* hash chain */
    uint32_t refs, hash, len;
    char s[];
};

/* One family's entry; help and unit NULL when empty. */
struct ment {
    const struct mstr *name, *help, *unit;
    unsigned char type;         /* enum expo_type, never EXPO_UNTYPED */
};

/* An immutable, interned list of entries. */
struct mset {
    struct mset *next;          /* hash chain */
    uint32_t refs, hash;
    size_t n;
    struct ment e[];
};

/* One family as this scrape's body gave it, once it differs from the
 * set: either an entry of the old set it matched, or the text given
 * (offsets into the target's text buffer). */
struct staged {
    const struct ment *old;
    size_t name, help, unit;
    uint32_t name_len, help_len, unit_len;
    bool has_type, has_help, has_unit;
    unsigned char type;
};

struct meta_target {
    struct meta_reg *reg;
    struct meta_target *prev, *next;    /* the registry's list */
    uint32_t refs;              /* under mu: 1 while listed, 1 per view */
    struct labels labels;
    struct mset *set;           /* NULL: none; swapped under mu */
    /* The loop thread's alone. */
    size_t nlive;               /* set->e[0, nlive): the last scrape's */
    uint32_t live_iter;         /* the scrape number they were seen at */
    uint32_t *gone;             /* scrape numbers of set->e[nlive, n) */
    uint32_t iter;              /* successful non-empty scrapes so far */
    size_t cursor;              /* the entry the next family should be */
    bool diverged;
    struct staged *st;
    size_t nst, capst;
    struct buf text;
};

/* A chained hash table; buckets is a power of two or 0. */
struct table {
    void **b;
    size_t nb, n;
};

struct meta_reg {
    pthread_mutex_t mu;
    struct table strs, sets;
    struct meta_target head;    /* the list's sentinel */
    size_t ntargets;
};

static const char empty[1] = "";

const char *
meta_type_name(enum expo_type t)
{
    return t == EXPO_UNTYPED ? "unknown" : expo_type_name(t);
}

static uint32_t
hash_bytes(const void *p, size_t n, uint32_t h)
{
    const unsigned char *s = p;

    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 16777619u;
    }
    return h;
}

/* --- tables: strings and sets share the chaining, not the types -------- */

/* The chain link of an item: both structs start with their next. */
static void **
link_of(void *item)
{
    return (void **)item;
}

/* Doubles t when it is full; hash_of gives an item's hash. */
static void
table_grow(struct table *t, uint32_t (*hash_of)(const void *))
{
    size_t nb = t->nb ? t->nb * 2 : 64;
    void **b;

    if (t->n < t->nb)
        return;
    b = xcalloc(nb, sizeof(*b));
    for (size_t i = 0; i < t->nb; i++)
        for (void *it = t->b[i], *next; it != NULL; it = next) {
            next = *link_of(it);
            *link_of(it) = b[hash_of(it) & (nb - 1)];
            b[hash_of(it) & (nb - 1)] = it;
        }
    free(t->b);
    t->b = b;
    t->nb = nb;
}

static void
table_unlink(struct table *t, void *item, uint32_t hash)
{
    void **pp = &t->b[hash & (t->nb - 1)];

    while (*pp != item)
        pp = link_of(*pp);
    *pp = *link_of(item);
    t->n--;
}

static uint32_t
str_hash_of(const void *s)
{
    return ((const struct mstr *)s)->hash;
}

static uint32_t
set_hash_of(const void *s)
{
    return ((const struct mset *)s)->hash;
}

/* --- strings and sets, under mu ---------------------------------------- */

/* The interned copy of s[0, len), with one more reference. */
static struct mstr *
str_get(struct meta_reg *r, const char *s, size_t len)
{
    uint32_t h = hash_bytes(s, len, 2166136261u);
    struct mstr *m;

    table_grow(&r->strs, str_hash_of);
    for (m = r->strs.b[h & (r->strs.nb - 1)]; m != NULL; m = m->next)
        if (m->hash == h && m->len == len && memcmp(m->s, s, len) == 0) {
            m->refs++;
            return m;
        }
    m = xmalloc(sizeof(*m) + len + 1);
    memcpy(m->s, s, len);
    m->s[len] = '\0';
    m->len = (uint32_t)len;
    m->hash = h;
    m->refs = 1;
    m->next = r->strs.b[h & (r->strs.nb - 1)];
    r->strs.b[h & (r->strs.nb - 1)] = m;
    r->strs.n++;
    return m;
}

static void
str_put(struct meta_reg *r, const struct mstr *cs)
{
    struct mstr *s = (struct mstr *)cs;

    if (s == NULL || --s->refs > 0)
        return;
    table_unlink(&r->strs, s, s->hash);
    free(s);
}

static uint32_t
entries_hash(const struct ment *e, size_t n)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < n; i++) {
        h = hash_bytes(&e[i].name, sizeof(e[i].name), h);
        h = hash_bytes(&e[i].help, sizeof(e[i].help), h);
        h = hash_bytes(&e[i].unit, sizeof(e[i].unit), h);
        h = hash_bytes(&e[i].type, 1, h);
    }
    return h;
}

static bool
entries_equal(const struct ment *a, const struct ment *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].name != b[i].name || a[i].help != b[i].help
            || a[i].unit != b[i].unit || a[i].type != b[i].type)
            return false;
    return true;
}

/* The interned set of e[0, n), with one more reference; NULL for none.
 * A new set takes a reference on each of its strings. */
static struct mset *
set_get(struct meta_reg *r, const struct ment *e, size_t n)
{
    uint32_t h = entries_hash(e, n);
    struct mset *s;

    if (n == 0)
        return NULL;
    table_grow(&r->sets, set_hash_of);
    for (s = r->sets.b[h & (r->sets.nb - 1)]; s != NULL; s = s->next)
        if (s->hash == h && s->n == n && entries_equal(s->e, e, n)) {
            s->refs++;
            return s;
        }
    s = xmalloc(sizeof(*s) + n * sizeof(*e));
    memcpy(s->e, e, n * sizeof(*e));
    for (size_t i = 0; i < n; i++) {
        ((struct mstr *)e[i].name)->refs++;
        if (e[i].help != NULL)
            ((struct mstr *)e[i].help)->refs++;
        if (e[i].unit != NULL)
            ((struct mstr *)e[i].unit)->refs++;
    }
    s->n = n;
    s->hash = h;
    s->refs = 1;
    s->next = r->sets.b[h & (r->sets.nb - 1)];
    r->sets.b[h & (r->sets.nb - 1)] = s;
    r->sets.n++;
    return s;
}

static void
set_put(struct meta_reg *r, struct mset *s)
{
    if (s == NULL || --s->refs > 0)
        return;
    table_unlink(&r->sets, s, s->hash);
    for (size_t i = 0; i < s->n; i++) {
        str_put(r, s->e[i].name);
        str_put(r, s->e[i].help);
        str_put(r, s->e[i].unit);
    }
    free(s);
}

/* Drops a reference to t; the last one frees what is left of it. */
static void
target_put(struct meta_target *t)
{
    if (--t->refs > 0)
        return;
    labels_release(&t->labels);
    free(t);
}

/* --- the registry -------------------------------------------------------- */

struct meta_reg *
meta_reg_new(void)
{
    struct meta_reg *r = xcalloc(1, sizeof(*r));

    pthread_mutex_init(&r->mu, NULL);
    r->head.prev = r->head.next = &r->head;
    return r;
}

void
meta_reg_free(struct meta_reg *r)
{
    if (r == NULL)
        return;
    free(r->strs.b);
    free(r->sets.b);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

static size_t
labels_bytes(const struct labels *ls)
{
    size_t n = (ls->n + 1) * sizeof(*ls->v);

    for (size_t i = 0; i < ls->n; i++)
        n += strlen(ls->v[i].name) + strlen(ls->v[i].value) + 2;
    return n;
}

size_t
meta_reg_bytes(struct meta_reg *r)
{
    size_t n = sizeof(*r);

    pthread_mutex_lock(&r->mu);
    n += (r->strs.nb + r->sets.nb) * sizeof(void *);
    for (size_t i = 0; i < r->strs.nb; i++)
        for (struct mstr *s = r->strs.b[i]; s != NULL; s = s->next)
            n += sizeof(*s) + s->len + 1;
    for (size_t i = 0; i < r->sets.nb; i++)
        for (struct mset *s = r->sets.b[i]; s != NULL; s = s->next)
            n += sizeof(*s) + s->n * sizeof(s->e[0]);
    for (struct meta_target *t = r->head.next; t != &r->head; t = t->next)
        n += sizeof(*t) + labels_bytes(&t->labels)
             + (t->set != NULL ? t->set->n - t->nlive : 0) * sizeof(uint32_t)
             + t->capst * sizeof(*t->st) + t->text.cap;
    pthread_mutex_unlock(&r->mu);
    return n;
}

bool
meta_reg_find(struct meta_reg *r, const char *metric, char *type,
              size_t tsize, char *help, size_t hsize)
{
    const struct mset *last = NULL;
    bool found = false;

    pthread_mutex_lock(&r->mu);
    for (struct meta_target *t = r->head.next; t != &r->head && !found;
         t = t->next) {
        const struct mset *s = t->set;

        /* Targets of one exporter share a set: look at it once. */
        if (s == NULL || s == last)
            continue;
        last = s;
        for (size_t i = 0; i < s->n && !found; i++)
            if (strcmp(s->e[i].name->s, metric) == 0) {
                snprintf(type, tsize, "%s",
                         meta_type_name((enum expo_type)s->e[i].type));
                snprintf(help, hsize, "%s",
                         s->e[i].help != NULL ? s->e[i].help->s : "");
                found = true;
            }
    }
    pthread_mutex_unlock(&r->mu);
    return found;
}

struct meta_target *
meta_target_new(struct meta_reg *r, const struct labels *labels)
{
    struct meta_target *t = xcalloc(1, sizeof(*t));

    t->reg = r;
    t->refs = 1;
    labels_dup(&t->labels, labels);
    labels_sort(&t->labels);
    buf_init(&t->text, 0);
    pthread_mutex_lock(&r->mu);
    t->prev = r->head.prev;
    t->next = &r->head;
    t->prev->next = t;
    r->head.prev = t;
    r->ntargets++;
    pthread_mutex_unlock(&r->mu);
    return t;
}

void
meta_target_free(struct meta_target *t)
{
    struct meta_reg *r;

    if (t == NULL)
        return;
    r = t->reg;
    free(t->gone);
    free(t->st);
    buf_fini(&t->text);
    pthread_mutex_lock(&r->mu);
    t->prev->next = t->next;
    t->next->prev = t->prev;
    r->ntargets--;
    set_put(r, t->set);
    t->set = NULL;
    target_put(t);
    pthread_mutex_unlock(&r->mu);
}

/* --- a scrape ------------------------------------------------------------ */

void
meta_scrape_begin(struct meta_target *t)
{
    t->cursor = 0;
    t->diverged = false;
    t->nst = 0;
    buf_reset(&t->text);
}

static bool
same_str(const struct mstr *s, const char *p, size_t n)
{
    if (s == NULL)
        return n == 0;
    return s->len == n && memcmp(s->s, p, n) == 0;
}

/* The type as kept: text's untyped is Prometheus's unknown. */
static unsigned char
kept_type(enum expo_type t)
{
    return (unsigned char)(t == EXPO_UNTYPED ? EXPO_UNKNOWN : t);
}

/* Whether m leaves e as it is: the same family, and each field it
 * gives equal to e's (a field it does not give keeps e's). */
static bool
leaves_alone(const struct ment *e, const struct expo_meta *m)
{
    return same_str(e->name, m->family, m->family_len)
           && (!m->has_type || e->type == kept_type(m->type))
           && (m->help == NULL || same_str(e->help, m->help, m->help_len))
           && (m->unit == NULL || same_str(e->unit, m->unit, m->unit_len));
}

static struct staged *
stage_push(struct meta_target *t)
{
    if (t->nst == t->capst) {
        t->capst = t->capst ? t->capst * 2 : 64;
        t->st = xreallocarray(t->st, t->capst, sizeof(*t->st));
    }
    memset(&t->st[t->nst], 0, sizeof(t->st[0]));
    return &t->st[t->nst++];
}

/* Keeps n bytes of p in the target's text; returns their offset. */
static size_t
keep_text(struct meta_target *t, const char *p, size_t n)
{
    size_t off = t->text.len;

    buf_append(&t->text, p, n);
    return off;
}

void
meta_scrape_record(struct meta_target *t, const struct expo_meta *m)
{
    struct staged *s;

    if (m->family_len == 0)
        return;                 /* no name, no entry (the parser's job) */
    if (!t->diverged && t->cursor < t->nlive
        && leaves_alone(&t->set->e[t->cursor], m)) {
        t->cursor++;
        return;
    }
    if (!t->diverged) {
        /* What matched so far is staged as it was. */
        t->diverged = true;
        for (size_t i = 0; i < t->cursor; i++)
            stage_push(t)->old = &t->set->e[i];
    }
    s = stage_push(t);
    s->name = keep_text(t, m->family, m->family_len);
    s->name_len = (uint32_t)m->family_len;
    s->has_type = m->has_type;
    s->type = kept_type(m->type);
    if ((s->has_help = m->help != NULL)) {
        s->help = keep_text(t, m->help, m->help_len);
        s->help_len = (uint32_t)m->help_len;
    }
    if ((s->has_unit = m->unit != NULL)) {
        s->unit = keep_text(t, m->unit, m->unit_len);
        s->unit_len = (uint32_t)m->unit_len;
    }
}

/* Under mu: t shows the set of e[0, n) from now on. */
static void
publish(struct meta_target *t, const struct ment *e, size_t n)
{
    struct mset *s = set_get(t->reg, e, n);

    set_put(t->reg, t->set);
    t->set = s;
}

/*
 * An index from interned names to where they are in the old set and in
 * the new entries (-1: not there), open addressing over a power of two.
 */
struct name_slot {
    const struct mstr *name;
    long old, neu;
};

struct name_index {
    struct name_slot *v;
    size_t mask;
};

static struct name_slot *
name_slot(struct name_index *x, const struct mstr *name)
{
    uint32_t h = hash_bytes(&name, sizeof(name), 2166136261u);
    size_t i = h & x->mask;

    while (x->v[i].name != NULL && x->v[i].name != name)
        i = (i + 1) & x->mask;
    if (x->v[i].name == NULL) {
        x->v[i].name = name;
        x->v[i].old = x->v[i].neu = -1;
    }
    return &x->v[i];
}

/* Strings a rebuild interned, released once the new set holds them. */
struct held {
    const struct mstr **v;
    size_t n;
};

static const struct mstr *
hold(struct meta_reg *r, struct held *h, const char *text, size_t off,
     size_t len)
{
    if (len == 0)
        return NULL;
    return h->v[h->n++] = str_get(r, text + off, len);
}

/* Applies one staged family to the new entries e (n so far). */
static void
merge_one(struct meta_target *t, struct name_index *x, struct held *h,
          const struct staged *s, struct ment *e, size_t *n)
{
    struct meta_reg *r = t->reg;
    const char *text = buf_str(&t->text);
    const struct mstr *name = s->old != NULL ? s->old->name
        : hold(r, h, text, s->name, s->name_len);
    struct name_slot *sl = name_slot(x, name);
    struct ment *d;

    if (sl->neu < 0) {
        sl->neu = (long)(*n)++;
        e[sl->neu] = sl->old >= 0 ? t->set->e[sl->old]
            : (struct ment){ .name = name, .type = EXPO_UNKNOWN };
    }
    d = &e[sl->neu];
    if (s->old != NULL) {
        *d = *s->old;
        return;
    }
    if (s->has_type)
        d->type = s->type;
    if (s->has_help)
        d->help = hold(r, h, text, s->help, s->help_len);
    if (s->has_unit)
        d->unit = hold(r, h, text, s->unit, s->unit_len);
}

/*
 * The end of a scrape that differed: the staged families (merged with
 * what the old set said of them) in body order, then the old entries it
 * did not name, gone from now, keeping their scrape numbers.
 */
static void
rebuild(struct meta_target *t)
{
    struct meta_reg *r = t->reg;
    size_t nold = t->set != NULL ? t->set->n : 0, cap = t->nst + nold;
    struct ment *e = xcalloc(cap + 1, sizeof(*e));
    uint32_t *gone = xcalloc(cap + 1, sizeof(*gone));
    struct held h = { xcalloc(3 * t->nst + 1, sizeof(*h.v)), 0 };
    struct name_index x;
    size_t n = 0, nlive, size = 16;

    while (size < 2 * cap + 2)
        size *= 2;
    x.v = xcalloc(size, sizeof(*x.v));
    x.mask = size - 1;
    pthread_mutex_lock(&r->mu);
    for (size_t i = 0; i < nold; i++)
        name_slot(&x, t->set->e[i].name)->old = (long)i;
    for (size_t i = 0; i < t->nst; i++)
        merge_one(t, &x, &h, &t->st[i], e, &n);
    nlive = n;
    for (size_t i = 0; i < nold; i++) {
        if (name_slot(&x, t->set->e[i].name)->neu >= 0)
            continue;
        gone[n - nlive] = i < t->nlive ? t->live_iter : t->gone[i - t->nlive];
        e[n++] = t->set->e[i];
    }
    publish(t, e, n);
    for (size_t i = 0; i < h.n; i++)
        str_put(r, h.v[i]);
    pthread_mutex_unlock(&r->mu);
    free(t->gone);
    t->gone = NULL;
    if (n > nlive) {
        t->gone = xreallocarray(NULL, n - nlive, sizeof(*gone));
        memcpy(t->gone, gone, (n - nlive) * sizeof(*gone));
    }
    free(gone);
    t->nlive = nlive;
    free(h.v);
    free(x.v);
    free(e);
}

/* Entries past their grace leave; the rest keep their order. */
static void
age(struct meta_target *t)
{
    size_t n = t->set != NULL ? t->set->n : 0, k = 0, ngone = n - t->nlive;
    struct ment *e;

    for (size_t i = 0; i < ngone; i++)
        k += t->iter - t->gone[i] > GRACE;
    if (k == 0)
        return;
    e = xcalloc(n + 1, sizeof(*e));
    memcpy(e, t->set->e, t->nlive * sizeof(*e));
    k = 0;
    for (size_t i = 0; i < ngone; i++)
        if (t->iter - t->gone[i] <= GRACE) {
            e[t->nlive + k] = t->set->e[t->nlive + i];
            t->gone[k++] = t->gone[i];
        }
    pthread_mutex_lock(&t->reg->mu);
    publish(t, e, t->nlive + k);
    pthread_mutex_unlock(&t->reg->mu);
    free(e);
}

/* The scrape ended where it matched: what it did not reach is gone. */
static void
retire_tail(struct meta_target *t)
{
    size_t n = t->set != NULL ? t->set->n : 0, newly = t->nlive - t->cursor;
    uint32_t *gone;

    if (newly == 0)
        return;
    gone = xcalloc(n - t->cursor + 1, sizeof(*gone));
    for (size_t i = 0; i < newly; i++)
        gone[i] = t->live_iter;
    if (n > t->nlive)
        memcpy(gone + newly, t->gone, (n - t->nlive) * sizeof(*gone));
    free(t->gone);
    t->gone = gone;
    t->nlive = t->cursor;
}

void
meta_scrape_end(struct meta_target *t, bool flush)
{
    if (t->diverged)
        rebuild(t);
    else
        retire_tail(t);
    t->live_iter = t->iter;
    t->diverged = false;
    if (t->capst > 0) {         /* changes are rare: keep no room for one */
        free(t->st);
        t->st = NULL;
        t->capst = t->nst = 0;
        buf_fini(&t->text);
        buf_init(&t->text, 0);
    }
    if (flush) {
        age(t);
        t->iter++;
    }
}

/* --- views ---------------------------------------------------------------- */

struct meta_view {
    struct meta_reg *reg;
    size_t n;
    struct meta_target **t;
    struct mset **set;
};

struct meta_view *
meta_view_new(struct meta_reg *r)
{
    struct meta_view *v = xcalloc(1, sizeof(*v));
    size_t i = 0;

    v->reg = r;
    pthread_mutex_lock(&r->mu);
    v->t = xcalloc(r->ntargets + 1, sizeof(*v->t));
    v->set = xcalloc(r->ntargets + 1, sizeof(*v->set));
    for (struct meta_target *t = r->head.next; t != &r->head; t = t->next) {
        t->refs++;
        if (t->set != NULL)
            t->set->refs++;
        v->t[i] = t;
        v->set[i++] = t->set;
    }
    v->n = i;
    pthread_mutex_unlock(&r->mu);
    return v;
}

void
meta_view_free(struct meta_view *v)
{
    if (v == NULL)
        return;
    pthread_mutex_lock(&v->reg->mu);
    for (size_t i = 0; i < v->n; i++) {
        set_put(v->reg, v->set[i]);
        target_put(v->t[i]);
    }
    pthread_mutex_unlock(&v->reg->mu);
    free(v->t);
    free(v->set);
    free(v);
}

size_t
meta_view_count(const struct meta_view *v)
{
    return v->n;
}

const struct labels *
meta_view_labels(const struct meta_view *v, size_t i)
{
    return &v->t[i]->labels;
}

const void *
meta_view_set_key(const struct meta_view *v, size_t i)
{
    return v->set[i] != NULL ? (const void *)v->set[i] : (const void *)empty;
}

size_t
meta_view_entries(const struct meta_view *v, size_t i)
{
    return v->set[i] != NULL ? v->set[i]->n : 0;
}

static void
info_of(const struct ment *e, struct meta_info *out)
{
    out->metric = e->name->s;
    out->type = meta_type_name((enum expo_type)e->type);
    out->help = e->help != NULL ? e->help->s : empty;
    out->unit = e->unit != NULL ? e->unit->s : empty;
}

void
meta_view_entry(const struct meta_view *v, size_t i, size_t j,
                struct meta_info *out)
{
    info_of(&v->set[i]->e[j], out);
}

bool
meta_view_find(const struct meta_view *v, size_t i, const char *metric,
               struct meta_info *out)
{
    size_t n = meta_view_entries(v, i);

    for (size_t j = 0; j < n; j++)
        if (strcmp(v->set[i]->e[j].name->s, metric) == 0) {
            info_of(&v->set[i]->e[j], out);
            return true;
        }
    return false;
}
