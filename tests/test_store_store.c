/*
 * The store: append rules, reads and store_last across chunks, selection
 * with PromQL's matcher semantics (a missing label is the empty string),
 * cross-checked against a brute-force evaluation, label listings,
 * retention, the byte budget, id reuse and the release of label strings,
 * and label sets in and out of their encoding (store/lset.h); reads
 * without locks and appends with prefetch hints; cursors that read on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"
#include "store/store.h"

#define HOUR 3600000LL
#define STEP 15000LL

struct fixture {
    struct store *s;
    struct regex *re[64];
    size_t nre;
};

static int
setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof(*f));

    f->s = store_new(HOUR, 0);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    for (size_t i = 0; i < f->nre; i++)
        regex_free(f->re[i]);
    store_free(f->s);
    free(f);
    return 0;
}

/* Splits "a=x,b=y" into a sorted label set in the caller's storage. */
static struct labels
parse_set(char *spec, struct label *v, size_t max)
{
    struct labels ls = { v, 0 };
    char *p = spec;

    while (*p != '\0' && ls.n < max) {
        char *eq = strchr(p, '='), *comma;

        assert_non_null(eq);
        *eq = '\0';
        comma = strchr(eq + 1, ',');
        if (comma != NULL)
            *comma = '\0';
        v[ls.n++] = (struct label){ p, eq + 1 };
        p = comma != NULL ? comma + 1 : eq + 1 + strlen(eq + 1);
    }
    labels_sort(&ls);
    return ls;
}

static uint32_t
add(struct store *s, const char *spec)
{
    char *copy = xstrdup(spec);
    struct label v[16];
    struct labels ls = parse_set(copy, v, 16);
    uint32_t id = store_series_id(s, &ls);

    free(copy);
    return id;
}

static bool
find(struct store *s, const char *spec, uint32_t *id)
{
    char *copy = xstrdup(spec);
    struct label v[16];
    struct labels ls = parse_set(copy, v, 16);
    bool ok = store_series_find(s, &ls, id);

    free(copy);
    return ok;
}

static uint64_t
bits_of(double v)
{
    uint64_t b;

    memcpy(&b, &v, sizeof(b));
    return b;
}

static size_t
nsamples(struct store *s)
{
    struct store_stats st;

    store_get_stats(s, &st);
    return st.samples;
}

static void
test_append_rules(void **state)
{
    struct fixture *f = *state;
    uint32_t id = add(f->s, "__name__=up,job=a");
    struct sample *buf = NULL;
    size_t cap = 0, n;

    assert_int_equal(add(f->s, "job=a,__name__=up"), id);
    assert_int_equal(store_append(f->s, id, 1000, 1.0), 0);
    assert_int_equal(store_append(f->s, id, 2000, 2.0), 0);
    /* Older, or the same time with another value: refused. */
    assert_int_equal(store_append(f->s, id, 1500, 9.0), -1);
    assert_int_equal(store_append(f->s, id, 2000, 3.0), -1);
    /* The same time with the bit-identical value: a no-op. */
    assert_int_equal(store_append(f->s, id, 2000, 2.0), 0);
    assert_int_equal(nsamples(f->s), 2);
    /* NaN payloads compare by bits: the stale marker is another value. */
    assert_int_equal(store_append(f->s, id, 3000, NAN), 0);
    assert_int_equal(store_append(f->s, id, 3000, NAN), 0);
    assert_int_equal(store_append(f->s, id, 3000, store_stale_nan()), -1);
    assert_int_equal(store_append(f->s, id, 4000, store_stale_nan()), 0);
    assert_int_equal(nsamples(f->s), 4);
    n = store_read(f->s, id, 0, 10000, &buf, &cap);
    assert_int_equal(n, 4);
    assert_true(buf[0].t == 1000 && buf[0].v == 1.0);
    assert_true(buf[1].t == 2000 && buf[1].v == 2.0);
    assert_true(buf[2].t == 3000 && isnan(buf[2].v));
    assert_false(store_is_stale(buf[2].v));
    assert_true(buf[3].t == 4000 && store_is_stale(buf[3].v));
    assert_true(bits_of(buf[3].v) == STORE_STALE_BITS);
    free(buf);
}

static void
test_read_and_last(void **state)
{
    struct fixture *f = *state;
    uint32_t id = add(f->s, "__name__=x");
    struct sample *buf = NULL, last;
    size_t cap = 0, n;

    /* 1000 samples: several chunks of 120. */
    for (int64_t i = 0; i < 1000; i++)
        assert_int_equal(store_append(f->s, id, i * STEP, (double)i), 0);
    /* Closed at both ends. */
    n = store_read(f->s, id, 130 * STEP, 250 * STEP, &buf, &cap);
    assert_int_equal(n, 121);
    for (size_t i = 0; i < n; i++)
        assert_true(buf[i].t == (int64_t)(130 + i) * STEP
                    && buf[i].v == (double)(130 + i));
    n = store_read(f->s, id, 130 * STEP + 1, 250 * STEP - 1, &buf, &cap);
    assert_int_equal(n, 119);
    n = store_read(f->s, id, -HOUR, 10 * HOUR, &buf, &cap);
    assert_int_equal(n, 1000);
    assert_int_equal(store_read(f->s, id, 1000 * STEP, 2000 * STEP, &buf,
                                &cap), 0);
    assert_int_equal(store_read(f->s, id, 5, 4, &buf, &cap), 0);
    free(buf);

    assert_false(store_last(f->s, id, -1, &last));
    assert_true(store_last(f->s, id, 0, &last));
    assert_true(last.t == 0 && last.v == 0.0);
    assert_true(store_last(f->s, id, 500 * STEP + 7, &last));
    assert_true(last.t == 500 * STEP && last.v == 500.0);
    assert_true(store_last(f->s, id, 359 * STEP, &last));
    assert_true(last.t == 359 * STEP && last.v == 359.0);
    assert_true(store_last(f->s, id, 999 * STEP, &last));
    assert_true(last.t == 999 * STEP && last.v == 999.0);
    assert_true(store_last(f->s, id, INT64_MAX, &last));
    assert_true(last.t == 999 * STEP);
    /* A series with no samples has no last sample. */
    assert_false(store_last(f->s, add(f->s, "__name__=y"), INT64_MAX, &last));
}

/*
 * A store read without locks (store_set_shared false, as the TUI reads)
 * and appended to with store_prefetch hints between the appends, as a
 * scrape's commit does, holds and reads what a plain store does. The
 * hints go to series with and without samples, to a sealed head and to
 * ids past the last series, which they ignore.
 */
static void
test_unshared_and_prefetch(void **state)
{
    struct fixture *f = *state;
    struct store *u = store_new(HOUR, 0);
    struct sample *a = NULL, *b = NULL, la, lb;
    size_t capa = 0, capb = 0, na, nb;
    char name[32];
    uint32_t ids[50];

    store_set_shared(u, false);
    for (int k = 0; k < 50; k++) {
        snprintf(name, sizeof(name), "__name__=s%d", k);
        ids[k] = add(f->s, name);
        assert_int_equal(add(u, name), ids[k]);
    }
    for (int64_t i = 0; i < 300; i++) {
        for (int k = 0; k < 50; k++) {
            for (int step = 0; step < 3; step++) {
                store_prefetch(u, ids[(k + 8 * (3 - step)) % 50], step);
                store_prefetch(u, ids[49] + 1000, step);
            }
            assert_int_equal(store_append(f->s, ids[k], i * STEP,
                                          (double)(i * k)), 0);
            assert_int_equal(store_append(u, ids[k], i * STEP,
                                          (double)(i * k)), 0);
        }
    }
    for (int k = 0; k < 50; k++) {
        na = store_read(f->s, ids[k], 10 * STEP, 290 * STEP, &a, &capa);
        nb = store_read(u, ids[k], 10 * STEP, 290 * STEP, &b, &capb);
        assert_int_equal(na, 281);
        assert_int_equal(nb, na);
        assert_memory_equal(a, b, na * sizeof(*a));
        assert_true(b[0].t == 10 * STEP && b[0].v == 10.0 * k);
        assert_true(store_last(f->s, ids[k], 150 * STEP, &la));
        assert_true(store_last(u, ids[k], 150 * STEP, &lb));
        assert_true(la.t == lb.t && la.v == lb.v && lb.v == 150.0 * k);
    }
    free(a);
    free(b);
    store_free(u);
}

/* Selects with matchers written as "name op value" strings. */
static size_t
sel(struct fixture *f, const char *const *spec, size_t n, uint32_t **ids)
{
    struct store_matcher m[8] = { { 0 } };
    char *copies[8];
    size_t got;

    for (size_t i = 0; i < n; i++) {
        static const char *ops[] = { "!~", "=~", "!=", "=" };
        static const enum store_match_op kinds[] = {
            STORE_NRE, STORE_RE, STORE_NEQ, STORE_EQ,
        };
        char *p;

        copies[i] = xstrdup(spec[i]);
        for (size_t k = 0; k < 4; k++) {
            p = strstr(copies[i], ops[k]);
            if (p == NULL)
                continue;
            m[i].op = kinds[k];
            m[i].value = p + strlen(ops[k]);
            *p = '\0';
            break;
        }
        m[i].name = copies[i];
        m[i].re = NULL;
        if (m[i].op == STORE_RE || m[i].op == STORE_NRE) {
            assert_true(f->nre < 64);
            m[i].re = regex_new(m[i].value, NULL);
            f->re[f->nre++] = m[i].re;
        }
    }
    got = store_select(f->s, m, n, ids);
    for (size_t i = 0; i < n; i++)
        free(copies[i]);
    return got;
}

/* The ids selected, as a bitmask over the ids of the fixture's series. */
static unsigned
mask(struct fixture *f, const char *const *spec, size_t n,
     const uint32_t *order, size_t nseries)
{
    uint32_t *ids = NULL;
    size_t got = sel(f, spec, n, &ids);
    unsigned m = 0;

    for (size_t i = 0; i < got; i++) {
        if (i > 0)
            assert_true(ids[i - 1] < ids[i]);
        for (size_t k = 0; k < nseries; k++) {
            if (order[k] == ids[i])
                m |= 1u << k;
        }
    }
    if (got == 0)
        assert_null(ids);
    free(ids);
    return m;
}

#define SEL(...) \
    mask(f, (const char *const[]){ __VA_ARGS__ }, \
         sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(char *), \
         id, 4)

static void
test_select_semantics(void **state)
{
    struct fixture *f = *state;
    uint32_t id[4];
    enum { A = 1, B = 2, C = 4, D = 8, ALL = 15 };
    uint32_t *ids;

    id[0] = add(f->s, "__name__=m,job=a,env=prod");
    id[1] = add(f->s, "__name__=m,job=b");
    id[2] = add(f->s, "__name__=m,job=c,env=dev");
    id[3] = add(f->s, "__name__=other,job=a");

    assert_int_equal(SEL("__name__=m"), A | B | C);
    assert_int_equal(SEL("job=a"), A | D);
    assert_int_equal(SEL("job=zzz"), 0);
    /* A missing label matches as the empty string. */
    assert_int_equal(SEL("env="), B | D);
    assert_int_equal(SEL("env!=prod"), B | C | D);
    assert_int_equal(SEL("env!="), A | C);
    assert_int_equal(SEL("env=~.*"), ALL);
    assert_int_equal(SEL("env=~.+"), A | C);
    assert_int_equal(SEL("env=~prod|"), A | B | D);
    assert_int_equal(SEL("env=~pr.*"), A);
    assert_int_equal(SEL("env!~prod|"), C);
    assert_int_equal(SEL("env!~pr.*"), B | C | D);
    assert_int_equal(SEL("env!~.*"), 0);
    assert_int_equal(SEL("nolabel="), ALL);
    assert_int_equal(SEL("nolabel=x"), 0);
    assert_int_equal(SEL("nolabel!=x"), ALL);
    assert_int_equal(SEL("nolabel=~x|"), ALL);
    assert_int_equal(SEL("nolabel!~x"), ALL);
    assert_int_equal(SEL("nolabel=~.+"), 0);
    /* Combined, through both the per-series and the postings paths. */
    assert_int_equal(SEL("__name__=m", "env=~dev|"), B | C);
    assert_int_equal(SEL("__name__=m", "env!=prod"), B | C);
    assert_int_equal(SEL("__name__=m", "job=b", "env!~prod"), B);
    assert_int_equal(SEL("job=a", "env="), D);
    assert_int_equal(SEL("job=~a|b", "__name__!=other"), A | B);
    assert_int_equal(SEL("job!=a", "job!=b"), C);
    /* No matchers at all: every series. */
    assert_int_equal(store_select(f->s, NULL, 0, &ids), 4);
    free(ids);
}

static bool
brute_match(const struct labels *ls, const char *name,
            enum store_match_op op, const char *value, struct regex *re)
{
    const char *v = labels_get(ls, name);

    if (v == NULL)
        v = "";
    switch (op) {
    case STORE_EQ:
        return strcmp(v, value) == 0;
    case STORE_NEQ:
        return strcmp(v, value) != 0;
    case STORE_RE:
        return regex_match(re, v, strlen(v));
    case STORE_NRE:
        return !regex_match(re, v, strlen(v));
    }
    return false;
}

static const char *rand_vals[] = { "", "a", "b", "c", "dd" };
static const char *rand_res[] = { "a|", "b|c", ".*", "d+", "x" };

static uint64_t
next_rand(uint64_t *x)
{
    *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
    return *x;
}

/* 400 random sets over 7 names and labels l0..l2 (l3 never present). */
static size_t
add_random_series(struct store *s, uint64_t *x)
{
    struct store_stats st;
    char spec[64];

    for (int i = 0; i < 400; i++) {
        uint64_t r = next_rand(x);
        size_t len = (size_t)snprintf(spec, sizeof(spec), "__name__=s%d",
                                      i % 7);

        for (int l = 0; l < 3; l++) {
            const char *v = rand_vals[(r >> (20 + 8 * l)) % 5];

            if (*v != '\0')
                len += (size_t)snprintf(spec + len, sizeof(spec) - len,
                                        ",l%d=%s", l, v);
        }
        add(s, spec);
    }
    /* Repeated sets collapse; the ids stay dense since none was dropped. */
    store_get_stats(s, &st);
    assert_true(st.series > 100 && st.series < 400);
    return st.series;
}

/* Checks one select against every series' labels, matcher by matcher. */
static void
check_against_brute(struct store *s, const struct store_matcher *m,
                    size_t nm, size_t nseries)
{
    uint32_t *ids;
    size_t got = store_select(s, m, nm, &ids), want = 0, cap = 0;
    struct labels ls = { NULL, 0 };

    for (uint32_t id = 0; id < nseries; id++) {
        bool ok = true;

        ls.n = store_series_labels(s, id, &ls.v, &cap, 0);
        for (size_t k = 0; k < nm && ok; k++)
            ok = brute_match(&ls, m[k].name, m[k].op, m[k].value, m[k].re);
        if (!ok)
            continue;
        assert_true(want < got && ids[want] == id);
        want++;
    }
    assert_int_equal(got, want);
    free(ls.v);
    free(ids);
}

/* Random series and matchers against a brute-force evaluation. */
static void
test_select_random(void **state)
{
    struct fixture *f = *state;
    uint64_t x = 12345;
    size_t nseries = add_random_series(f->s, &x);

    for (int q = 0; q < 300; q++) {
        struct store_matcher m[3];
        char names[3][4];
        size_t nm = 1 + q % 3;

        for (size_t k = 0; k < nm; k++) {
            uint64_t r = next_rand(&x);

            snprintf(names[k], sizeof(names[k]), "l%u",
                     (unsigned)((r >> 33) % 4));
            m[k].name = names[k];
            m[k].op = (enum store_match_op)((r >> 40) % 4);
            m[k].value = m[k].op <= STORE_NEQ ? rand_vals[(r >> 45) % 5]
                                              : rand_res[(r >> 45) % 5];
            m[k].re = NULL;
            if (m[k].op >= STORE_RE) {
                m[k].re = regex_new(m[k].value, NULL);
                f->re[f->nre++] = m[k].re;
            }
        }
        check_against_brute(f->s, m, nm, nseries);
        for (size_t i = 0; i < f->nre; i++)
            regex_free(f->re[i]);
        f->nre = 0;
    }
}

static void
test_label_listing(void **state)
{
    struct fixture *f = *state;
    const char **v;
    size_t n;

    add(f->s, "__name__=m,job=b,instance=h:1");
    add(f->s, "__name__=m,job=a,instance=h:2");
    add(f->s, "__name__=n,job=b,Zone=x");
    n = store_label_names(f->s, &v);
    assert_int_equal(n, 4);
    assert_string_equal(v[0], "Zone");
    assert_string_equal(v[1], "__name__");
    assert_string_equal(v[2], "instance");
    assert_string_equal(v[3], "job");
    free(v);
    n = store_label_values(f->s, "job", &v);
    assert_int_equal(n, 2);
    assert_string_equal(v[0], "a");
    assert_string_equal(v[1], "b");
    free(v);
    n = store_label_values(f->s, "__name__", &v);
    assert_int_equal(n, 2);
    assert_string_equal(v[0], "m");
    assert_string_equal(v[1], "n");
    free(v);
    /* "m" is interned as a value, not as a name. */
    assert_int_equal(store_label_values(f->s, "m", &v), 0);
    assert_null(v);
    assert_int_equal(store_label_values(f->s, "nosuch", &v), 0);
}

static void
test_retention(void **state)
{
    struct fixture *f = *state;
    uint32_t a = add(f->s, "__name__=m,job=keep");
    uint32_t c = add(f->s, "__name__=m,job=gone,only=here"), b, d, tmp;
    struct store_stats st;
    struct sample *buf = NULL;
    size_t cap = 0, n;

    for (int64_t i = 0; i <= 480; i++)
        assert_int_equal(store_append(f->s, a, i * STEP, 1.0 + i), 0);
    for (int64_t i = 0; i < 40; i++)
        assert_int_equal(store_append(f->s, c, i * STEP, 1.0), 0);
    /* Created at the store's clock (2 h): not idle yet. */
    b = add(f->s, "__name__=fresh");
    store_get_stats(f->s, &st);
    assert_int_equal(st.series, 3);
    /* __name__, m, job, keep, gone, only, here, fresh. */
    assert_int_equal(st.strings, 8);

    store_gc(f->s, 2 * HOUR);
    store_trim(f->s, 2 * HOUR);
    /*
     * Every sample before 1 h goes: the chunks that end before it whole
     * (gc), and the one holding t = 1 h is encoded again from there on
     * (trim).
     */
    n = store_read(f->s, a, 0, 3 * HOUR, &buf, &cap);
    assert_int_equal(n, 241);
    assert_true(buf[0].t == HOUR && buf[0].v == 241.0);
    /* c had nothing in the last hour: dropped, its strings released. */
    assert_false(find(f->s, "__name__=m,job=gone,only=here", &tmp));
    store_get_stats(f->s, &st);
    assert_int_equal(st.series, 2);
    assert_int_equal(st.strings, 5);
    assert_int_equal(st.samples, 241);
    assert_true(find(f->s, "__name__=fresh", &tmp) && tmp == b);
    /* c's id is reused. */
    d = add(f->s, "__name__=new");
    assert_int_equal(d, c);
    /* ...with none of c's samples or append state. */
    assert_int_equal(store_read(f->s, d, INT64_MIN, INT64_MAX, &buf, &cap),
                     0);
    assert_int_equal(store_append(f->s, d, 0, 7.0), 0);
    assert_int_equal(store_read(f->s, d, INT64_MIN, INT64_MAX, &buf, &cap),
                     1);
    assert_true(buf[0].t == 0 && buf[0].v == 7.0);
    free(buf);
    {
        uint32_t id[4] = { a, b, d, UINT32_MAX };

        assert_int_equal(SEL("job=gone"), 0);
        assert_int_equal(SEL("only=here"), 0);
        assert_int_equal(SEL("__name__=m"), 1);
        assert_int_equal(SEL("__name__=~.+"), 7);
    }
    /* An hour later only a, which kept receiving samples, is left. */
    assert_int_equal(store_append(f->s, a, 3 * HOUR, 0.5), 0);
    store_gc(f->s, 3 * HOUR + 1);
    store_get_stats(f->s, &st);
    assert_int_equal(st.series, 1);
    assert_int_equal(st.strings, 4);
    assert_true(find(f->s, "job=keep,__name__=m", &tmp) && tmp == a);
    assert_false(find(f->s, "__name__=new", &tmp));
    assert_false(find(f->s, "__name__=fresh", &tmp));
    assert_true(store_last(f->s, a, INT64_MAX, &(struct sample){ 0, 0 }));
}

/* Fills a store: series "old" with samples older than all of "young".
 * The values are fractions: XOR chunks, whose sizes the budgets below
 * were set for (an integer chunk of a steady counter takes a fifth). */
static void
fill_two(struct store *s, uint32_t *old, uint32_t *young)
{
    *old = add(s, "__name__=old");
    *young = add(s, "__name__=young");
    for (int64_t i = 0; i < 1000; i++) {
        assert_int_equal(store_append(s, *old, i * STEP, i + 0.5), 0);
        assert_int_equal(store_append(s, *young, (1000 + i) * STEP,
                                      i + 0.5), 0);
    }
}

static void
test_budget(void **state)
{
    struct store *s = store_new(0, 0), *t;
    struct store_stats st;
    uint32_t old, young;
    struct sample *buf = NULL;
    size_t cap = 0, budget, gone;

    (void)state;
    fill_two(s, &old, &young);
    store_get_stats(s, &st);
    assert_int_equal(st.samples, 2000);
    store_gc(s, 2000 * STEP);       /* no retention, no budget: no-op */
    store_get_stats(s, &st);
    assert_int_equal(st.samples, 2000);

    /* One byte too many: exactly the oldest chunk of all goes (a first
     * chunk is sealed at up to 120 samples, see head_due). */
    budget = st.bytes - 1;
    t = store_new(0, budget);
    fill_two(t, &old, &young);
    store_gc(t, 2000 * STEP);
    store_get_stats(t, &st);
    assert_true(st.bytes <= budget);
    gone = 2000 - st.samples;
    assert_true(gone > 0 && gone <= 120);
    assert_int_equal(store_read(t, young, 0, INT64_MAX, &buf, &cap), 1000);
    assert_int_equal(store_read(t, old, 0, INT64_MAX, &buf, &cap),
                     1000 - gone);
    assert_true(buf[0].t == (int64_t)gone * STEP);
    store_free(t);

    /* A small budget: old loses everything before young loses anything. */
    budget = st.bytes - 2000;
    t = store_new(0, budget);
    fill_two(t, &old, &young);
    store_gc(t, 2000 * STEP);
    store_get_stats(t, &st);
    assert_true(st.bytes <= budget);
    assert_int_equal(store_read(t, old, 0, INT64_MAX, &buf, &cap), 0);
    assert_true(store_read(t, young, 0, INT64_MAX, &buf, &cap) < 1000);
    /* Appends still follow the newest sample, though its chunk is gone. */
    assert_int_equal(store_append(t, old, 999 * STEP, 0.0), -1);
    assert_int_equal(store_append(t, old, 999 * STEP, 999.5), 0);
    assert_int_equal(store_append(t, old, 3000 * STEP, 1.0), 0);
    free(buf);
    store_free(t);
    store_free(s);
}

/* The labels of id, checked pair by pair against v[0..n). */
static void
check_labels(struct store *s, uint32_t id, const struct label *v, size_t n)
{
    struct label *buf = NULL;
    size_t cap = 0, got;

    /* Appended after two pairs already there, as a selection does. */
    buf = xcalloc(2, sizeof(*buf));
    cap = 2;
    got = store_series_labels(s, id, &buf, &cap, 2);
    assert_int_equal(got, n);
    assert_true(cap >= 2 + n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(buf[2 + i].name, v[i].name);
        assert_string_equal(buf[2 + i].value, v[i].value);
    }
    free(buf);
}

/*
 * Sets go in as strings and come out the same, whatever their values:
 * one byte, 60,000 bytes, UTF-8 beyond ASCII, NUL bytes (as C0 80), and
 * sets that differ only in one value or only past a NUL byte are
 * different series, each found again by its labels.
 */
static void
test_labels_round_trip(void **state)
{
    struct fixture *f = *state;
    char *lng = xmalloc(60001);
    struct label v[5] = {
        { "__name__", "m" },
        { "a", "\xc0\x80" },
        { "b", NULL },
        { "c", "\xe6\x97\xa5\xe6\x9c\xac \xe2\x98\x83 \xf0\x9f\x98\x80" },
        { "d", "x\xc0\x80y" },
    };
    struct labels ls = { v, 5 };
    uint32_t a, b, c, id;

    memset(lng, 'v', 60000);
    lng[60000] = '\0';
    v[2].value = lng;
    a = store_series_id(f->s, &ls);
    check_labels(f->s, a, v, 5);
    v[4].value = "x\xc0\x80z";
    b = store_series_id(f->s, &ls);
    assert_int_not_equal(a, b);
    check_labels(f->s, b, v, 5);
    v[2].value = "w";
    c = store_series_id(f->s, &ls);
    assert_int_not_equal(c, a);
    assert_int_not_equal(c, b);
    check_labels(f->s, c, v, 5);
    /* Each found again by its labels. */
    assert_true(store_series_find(f->s, &ls, &id));
    assert_int_equal(id, c);
    v[2].value = lng;
    assert_true(store_series_find(f->s, &ls, &id));
    assert_int_equal(id, b);
    v[4].value = "x\xc0\x80y";
    assert_true(store_series_find(f->s, &ls, &id));
    assert_int_equal(id, a);
    assert_int_equal(store_series_id(f->s, &ls), a);
    /* A prefix of a set is another set. */
    ls.n = 4;
    assert_false(store_series_find(f->s, &ls, &id));
    free(lng);
}

/*
 * A series' labels after gc dropped others: the store reuses the ids of
 * the strings and the room of the sets that went, and nothing of the
 * dropped sets shows in the new series or in lookups.
 */
static void
test_labels_after_reuse(void **state)
{
    struct fixture *f = *state;
    char spec[64];
    uint32_t keep = add(f->s, "__name__=keep,job=a"), id, tmp;
    const struct label kv[] = { { "__name__", "keep" }, { "job", "a" } };
    struct store_stats st;

    for (int i = 0; i < 200; i++) {
        snprintf(spec, sizeof(spec), "__name__=old%d,job=a,k=v%d", i, i);
        id = add(f->s, spec);
        assert_int_equal(store_append(f->s, id, 0, 1.0), 0);
    }
    assert_int_equal(store_append(f->s, keep, 2 * HOUR, 1.0), 0);
    store_gc(f->s, 2 * HOUR);
    store_get_stats(f->s, &st);
    assert_int_equal(st.series, 1);
    /* __name__, keep, job, a. */
    assert_int_equal(st.strings, 4);
    for (int i = 0; i < 200; i++) {
        struct label v[3] = { { "__name__", NULL }, { "job", "b" },
                              { "n", NULL } };
        char name[16], value[16];

        snprintf(name, sizeof(name), "new%d", i);
        snprintf(value, sizeof(value), "w%d", i);
        v[0].value = name;
        v[2].value = value;
        id = store_series_id(f->s, &(struct labels){ v, 3 });
        check_labels(f->s, id, v, 3);
        snprintf(spec, sizeof(spec), "__name__=old%d,job=a,k=v%d", i, i);
        assert_false(find(f->s, spec, &tmp));
    }
    check_labels(f->s, keep, kv, 2);
    assert_true(find(f->s, "__name__=keep,job=a", &tmp));
    assert_int_equal(tmp, keep);
    assert_true(find(f->s, "__name__=new7,job=b,n=w7", &tmp));
}

static void
test_clear(void **state)
{
    struct fixture *f = *state;
    struct store_stats st;
    uint32_t id = add(f->s, "__name__=m,job=x"), tmp;
    const char **v;

    assert_int_equal(store_append(f->s, id, 1, 1.0), 0);
    store_clear(f->s);
    store_get_stats(f->s, &st);
    assert_int_equal(st.series, 0);
    assert_int_equal(st.samples, 0);
    assert_int_equal(st.chunks, 0);
    assert_int_equal(st.strings, 0);
    assert_false(find(f->s, "__name__=m,job=x", &tmp));
    assert_int_equal(store_label_names(f->s, &v), 0);
    /* Usable again, from id 0. */
    id = add(f->s, "__name__=m,job=y");
    assert_int_equal(id, 0);
    assert_int_equal(store_append(f->s, id, 0, 1.0), 0);
}

/*
 * Cursors over 1,000 series (a few runs of ids that share a version of
 * their last append) while a few series at a time get samples: each
 * read on returns exactly the samples appended to its own series since
 * its last read, whether its run saw appends to other series or none,
 * and a cursor that read nothing yet starts at mint.
 */
static void
test_read_on_runs(void **state)
{
    struct fixture *f = *state;
    enum { N = 1000 };
    static struct store_cursor cur[N];
    static int64_t last[N];
    struct sample *buf = NULL, *want = NULL;
    size_t cap = 0, wcap = 0, n, w;
    unsigned seed = 7;
    char spec[32];
    uint32_t id[N];

    memset(cur, 0, sizeof(cur));
    for (int k = 0; k < N; k++) {
        snprintf(spec, sizeof(spec), "__name__=m,k=%d", k);
        id[k] = add(f->s, spec);
        last[k] = 0;
        /* Every other series has a sample before the cursors start. */
        if (k % 2 == 0)
            assert_int_equal(store_append(f->s, id[k], ++last[k], 0), 0);
    }
    for (int round = 0; round < 100; round++) {
        /* A scrape of one to five neighbours, somewhere. */
        seed = seed * 1103515245u + 12345u;
        for (int j = 0, k0 = (int)((seed >> 16) % N);
             j <= (int)(seed >> 8) % 5; j++) {
            int k = (k0 + j) % N;

            assert_int_equal(store_append(f->s, id[k], ++last[k],
                                          (double)round), 0);
        }
        for (int k = 0; k < N; k++) {
            int64_t from = cur[k].started ? cur[k].last + 1 : 0;

            w = store_read(f->s, id[k], from, INT64_MAX, &want, &wcap);
            n = store_read_on(f->s, id[k], &cur[k], 0, &buf, &cap, 0);
            assert_int_equal(n, w);
            if (n > 0)
                assert_memory_equal(buf, want, n * sizeof(*buf));
        }
    }
    free(buf);
    free(want);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_append_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_and_last, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unshared_and_prefetch, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_select_semantics, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_select_random, setup, teardown),
        cmocka_unit_test_setup_teardown(test_label_listing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention, setup, teardown),
        cmocka_unit_test(test_budget),
        cmocka_unit_test_setup_teardown(test_clear, setup, teardown),
        cmocka_unit_test_setup_teardown(test_labels_round_trip, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_labels_after_reuse, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_read_on_runs, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
