/*
 * Target and series label sets against a real Prometheus 2.42: the
 * fixture tests/data/relabel/prometheus.yml is read here with src/base/yaml.h
 * and src/config/relabel_config.h, each static target is built the way
 * Prometheus builds it, and the result is compared with expected.json
 * (its /api/v1/targets answer) and expected-failures.txt (the targets it
 * refused). Hand-worked cases cover series labels (honor_labels,
 * exported_ clashes, metric_relabel_configs) and the rarer target paths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scrape/relabel.h"
#include "scrape/relabel_target.h"
#include "src/base/buf.h"
#include "src/base/xalloc.h"
#include "src/base/yaml.h"
#include "src/config/relabel_config.h"
#include "tests/support/fs.h"

/* The actions that can drop a target. */
static const uintmax_t drop_actions[] = {
    RELABEL_KEEP, RELABEL_DROP, RELABEL_KEEPEQUAL, RELABEL_DROPEQUAL,
};

/* One target as promdeck built it, in canonical text forms. */
struct built {
    char *pool;
    enum relabel_target_state state;
    char *discovered;       /* "a=1\nb=2\n" */
    char *labels;           /* public labels, same form */
    char *url;
    char interval[32], timeout[32];     /* as Prometheus prints them */
    uintmax_t drop_action;  /* the dropping rule's action */
    char **views;           /* see alias_views */
    size_t nviews;
    bool matched;
};

struct fixture {
    struct yaml_node *expected;
    struct built *v;
    size_t n, cap;
    struct buf failures;    /* "pool\tinstance i in group g: msg\n" lines */
    char **series;          /* every stored series, canonical form */
    size_t nseries;
};

static char *
data_path(const char *name)
{
    return xasprintf("%s/relabel/%s", ts_testdata(), name);
}

/* "a=1\nb=2\n" from a sorted label set. */
static char *
canon_labels(const struct labels *ls)
{
    struct buf b;

    buf_init(&b, 0);
    buf_puts(&b, "");
    for (size_t i = 0; i < ls->n; i++)
        buf_printf(&b, "%s=%s\n", ls->v[i].name, ls->v[i].value);
    return buf_steal(&b);
}

static int
pair_cmp(const void *a, const void *b)
{
    const struct yaml_pair *x = *(const struct yaml_pair *const *)a;
    const struct yaml_pair *y = *(const struct yaml_pair *const *)b;

    return strcmp(yaml_scalar(x->key), yaml_scalar(y->key));
}

/* The same form from a JSON object of strings, keys sorted. */
static char *
canon_map(const struct yaml_node *map)
{
    size_t n = yaml_map_size(map);
    const struct yaml_pair **p = xcalloc(n + 1, sizeof(*p));
    struct buf b;

    for (size_t i = 0; i < n; i++)
        p[i] = yaml_map_at(map, i);
    qsort(p, n, sizeof(*p), pair_cmp);
    buf_init(&b, 0);
    buf_puts(&b, "");
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s=%s\n", yaml_scalar(p[i]->key),
                   yaml_scalar(p[i]->value));
    free(p);
    return buf_steal(&b);
}

static int64_t
duration_of(const struct yaml_node *n, int64_t dflt)
{
    struct diag d;
    int64_t ms;

    if (n == NULL)
        return dflt;
    assert_int_equal(yaml_get_duration(n, &ms, &d), 0);
    return ms;
}

/* params: {name: [v, ...]} flattened in document order. */
static struct relabel_param *
read_params(const struct yaml_node *map, size_t *n)
{
    struct relabel_param *p;
    size_t total = 0, k = 0;

    for (size_t i = 0; i < yaml_map_size(map); i++)
        total += yaml_seq_size(yaml_map_at(map, i)->value);
    p = xcalloc(total + 1, sizeof(*p));
    for (size_t i = 0; i < yaml_map_size(map); i++) {
        const struct yaml_pair *e = yaml_map_at(map, i);

        for (size_t j = 0; j < yaml_seq_size(e->value); j++)
            p[k++] = (struct relabel_param){
                yaml_scalar(e->key), yaml_scalar(yaml_seq_at(e->value, j))
            };
    }
    *n = k;
    return p;
}

/* A static group's labels as a label array (strings borrowed). */
static struct labels
group_labels(const struct yaml_node *map)
{
    struct labels ls = { NULL, yaml_map_size(map) };

    ls.v = xcalloc(ls.n + 1, sizeof(*ls.v));
    for (size_t i = 0; i < ls.n; i++) {
        ls.v[i].name = yaml_scalar(yaml_map_at(map, i)->key);
        ls.v[i].value = yaml_scalar(yaml_map_at(map, i)->value);
    }
    return ls;
}

/* The value of name in ls, or NULL. */
static const char *
labels_value_of(const struct labels *ls, const char *name)
{
    for (size_t i = 0; i < ls->n; i++) {
        if (strcmp(ls->v[i].name, name) == 0)
            return ls->v[i].value;
    }
    return NULL;
}

/* "a=1\n..." of the first n labels of ls. */
static char *
canon_prefix(const struct labels *ls, size_t n)
{
    struct labels p = { ls->v, n < ls->n ? n : ls->n };

    return canon_labels(&p);
}

/*
 * Prometheus 2.42's relabel.Process writes each rule's result over its
 * input slice when the slice has room, and the discovered labels the API
 * shows share that slice: for some targets it shows the first n labels
 * of an intermediate relabelling state instead of the n labels
 * discovered. promdeck shows the true discovered labels; to still check
 * such targets against the recording, this lists the first-n view after
 * each rule, rules[k] holding rule k alone.
 */
static void
alias_views(struct built *b, struct relabel_target *t,
            struct relabel_rules **rules, size_t nrules)
{
    const struct labels *disc = relabel_target_discovered(t);
    struct relabel_builder *lb = relabel_builder_new();

    relabel_builder_reset(lb);
    for (size_t i = 0; i < disc->n; i++)
        relabel_builder_set(lb, disc->v[i].name, disc->v[i].value);
    b->views = xcalloc(nrules + 1, sizeof(char *));
    for (size_t k = 0; k < nrules; k++) {
        if (!relabel_apply(rules[k], lb))
            break;
        b->views[b->nviews++] = canon_prefix(relabel_builder_labels(lb),
                                             disc->n);
    }
    relabel_builder_free(lb);
}

static void
record(struct fixture *f, const char *pool, struct relabel_target *t,
       enum relabel_target_state st, struct relabel_rules **rules,
       size_t nrules)
{
    struct built *b;

    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 32;
        f->v = xreallocarray(f->v, f->cap, sizeof(*f->v));
    }
    b = &f->v[f->n++];
    memset(b, 0, sizeof(*b));
    b->pool = xstrdup(pool);
    b->state = st;
    b->discovered = canon_labels(relabel_target_discovered(t));
    b->labels = canon_labels(relabel_target_public(t));
    b->url = xstrdup(relabel_target_url(t));
    if (st == RELABEL_TARGET_ACTIVE) {
        /* The API prints the parsed durations back: "1m30s". */
        snprintf(b->interval, sizeof(b->interval), "%s",
                 labels_value_of(relabel_target_all(t),
                                 "__scrape_interval__"));
        snprintf(b->timeout, sizeof(b->timeout), "%s",
                 labels_value_of(relabel_target_all(t),
                                 "__scrape_timeout__"));
        assert_true(relabel_target_interval_ms(t) > 0);
        assert_true(relabel_target_timeout_ms(t)
                    <= relabel_target_interval_ms(t));
    }
    if (st == RELABEL_TARGET_DROPPED) {
        assert_true(relabel_target_dropped_by(t) < nrules);
        b->drop_action = relabel_rules_action(
            rules[relabel_target_dropped_by(t)], 0);
    }
    alias_views(b, t, rules, nrules);
}

static void
add_series(struct fixture *f, const struct labels *ls)
{
    f->series = xreallocarray(f->series, f->nseries + 1, sizeof(char *));
    f->series[f->nseries++] = canon_labels(ls);
}

/*
 * Reads series.prom ("name{a="b",...} value" lines and # comments; the
 * file holds no escapes, which this reader relies on: it is no exposition
 * parser) and stores what each line becomes through relabel_series_labels.
 */
static void
each_scraped(struct fixture *f, const struct labels *target, bool honor,
             const struct relabel_rules *rules)
{
    char *path = data_path("series.prom");
    FILE *fp = fopen(path, "r");
    char line[512];
    struct relabel_builder *out = relabel_builder_new();

    assert_non_null(fp);
    while (fgets(line, sizeof(line), fp) != NULL) {
        struct label v[16];
        struct labels ls = { v, 0 };
        char *p = line, *q;
        struct diag d;

        if (*p == '#' || *p == '\n')
            continue;
        assert_null(strchr(line, '\\'));
        v[ls.n++] = (struct label){ "__name__", p };
        p += strcspn(p, "{ ");
        if (*p == '{') {
            *p++ = '\0';
            while (*p != '}') {
                assert_true(ls.n < sizeof(v) / sizeof(v[0]));
                q = strchr(p, '=');
                *q = '\0';
                v[ls.n].name = p;
                v[ls.n].value = q + 2;
                p = strchr(q + 2, '"');
                *p++ = '\0';
                ls.n++;
                if (*p == ',')
                    p++;
            }
        }
        *p = '\0';
        if (relabel_series_labels(&ls, target, honor, rules, out, &d) == 1)
            add_series(f, relabel_builder_labels(out));
    }
    fclose(fp);
    free(path);
    relabel_builder_free(out);
}

/* The five report series every scrape writes, with the target's labels. */
static void
each_report(struct fixture *f, const struct labels *target)
{
    static const char *const names[] = {
        "up", "scrape_duration_seconds", "scrape_samples_scraped",
        "scrape_samples_post_metric_relabeling", "scrape_series_added",
    };
    struct relabel_builder *out = relabel_builder_new();

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        struct label l = { "__name__", names[i] };
        struct labels ls = { &l, 1 };

        relabel_report_labels(&ls, target, out);
        add_series(f, relabel_builder_labels(out));
    }
    relabel_builder_free(out);
}

/* The series a scrape of series.prom stores for target t of job sc. */
static void
build_series(struct fixture *f, const struct yaml_node *sc,
             const struct relabel_target *t)
{
    struct relabel_rules *rules = NULL;
    struct diag errs[4], d;
    size_t nerrs = 0;
    bool honor = false;

    if (yaml_get(sc, "honor_labels") != NULL)
        assert_int_equal(yaml_get_bool(yaml_get(sc, "honor_labels"), &honor,
                                       &d), 0);
    assert_int_equal(config_relabel_parse(yaml_get(sc,
                                                   "metric_relabel_configs"),
                                          "metric", &rules, errs, 4, &nerrs),
                     0);
    each_scraped(f, relabel_target_public(t), honor, rules);
    each_report(f, relabel_target_public(t));
    relabel_rules_free(rules);
}

/* Each relabel config of seq compiled alone, for alias_views. */
static struct relabel_rules **
rules_one_by_one(const struct yaml_node *seq, size_t *n)
{
    struct relabel_rules **v = xcalloc(yaml_seq_size(seq) + 1, sizeof(*v));
    struct diag errs[1];

    *n = yaml_seq_size(seq);
    for (size_t i = 0; i < *n; i++) {
        struct yaml_node one = *seq;
        struct yaml_node *item = (struct yaml_node *)yaml_seq_at(seq, i);
        size_t nerrs = 0;

        one.u.seq.items = &item;
        one.u.seq.n = 1;
        assert_int_equal(config_relabel_parse(&one, "target", &v[i], errs, 1,
                                              &nerrs), 0);
    }
    return v;
}

/* Builds every static target of one scrape config, as Prometheus's
 * TargetsFromGroup does, into f. */
static void
build_job(struct fixture *f, const struct yaml_node *sc, int64_t g_iv,
          int64_t g_to)
{
    const char *job = yaml_scalar(yaml_get(sc, "job_name"));
    const struct yaml_node *statics = yaml_get(sc, "static_configs");
    struct relabel_target_config cfg;
    struct relabel_rules *rules = NULL, **one;
    struct relabel_target *t = relabel_target_new();
    size_t none;
    struct diag errs[4];
    size_t nerrs = 0;

    memset(&cfg, 0, sizeof(cfg));
    cfg.job = job;
    cfg.interval_ms = duration_of(yaml_get(sc, "scrape_interval"), g_iv);
    /* An unset timeout is the global one, cut down to the interval. */
    cfg.timeout_ms = duration_of(yaml_get(sc, "scrape_timeout"),
                                 g_to < cfg.interval_ms ? g_to
                                                        : cfg.interval_ms);
    cfg.metrics_path = yaml_get(sc, "metrics_path")
                       ? yaml_scalar(yaml_get(sc, "metrics_path"))
                       : "/metrics";
    cfg.scheme = yaml_get(sc, "scheme") ? yaml_scalar(yaml_get(sc, "scheme"))
                                        : "http";
    cfg.params = read_params(yaml_get(sc, "params"), &cfg.nparams);
    if (config_relabel_parse(yaml_get(sc, "relabel_configs"), "target",
                             &rules, errs, 4, &nerrs) != 0)
        fail_msg("%s:%d:%d: %s", errs[0].source, errs[0].line, errs[0].col,
                 errs[0].msg);
    cfg.rules = rules;
    one = rules_one_by_one(yaml_get(sc, "relabel_configs"), &none);
    for (size_t g = 0; g < yaml_seq_size(statics); g++) {
        const struct yaml_node *grp = yaml_seq_at(statics, g);
        const struct yaml_node *targets = yaml_get(grp, "targets");
        struct labels gl = group_labels(yaml_get(grp, "labels"));

        for (size_t i = 0; i < yaml_seq_size(targets); i++) {
            struct label addr = { "__address__",
                                  yaml_scalar(yaml_seq_at(targets, i)) };
            struct labels tl = { &addr, 1 };
            struct diag d;
            enum relabel_target_state st;

            diag_clear(&d);
            st = relabel_target_labels(t, &cfg, &tl, &gl, &d);
            if (st == RELABEL_TARGET_FAILED)
                buf_printf(&f->failures, "%s\tinstance %zu in group %zu: "
                           "%s\n", job, i, g, d.msg);
            else
                record(f, job, t, st, one, none);
            if (st == RELABEL_TARGET_ACTIVE
                && strcmp(cfg.metrics_path, "/series.prom") == 0)
                build_series(f, sc, t);
        }
        free(gl.v);
    }
    relabel_rules_free(rules);
    for (size_t i = 0; i < none; i++)
        relabel_rules_free(one[i]);
    free(one);
    relabel_target_free(t);
    free((void *)cfg.params);
}

static int
group_setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof(*f));
    char *cfg_path = data_path("prometheus.yml");
    char *exp_path = data_path("expected.json");
    struct yaml_node *cfg;
    const struct yaml_node *global, *scs;
    struct diag d;
    int64_t iv, to;

    buf_init(&f->failures, 0);
    buf_puts(&f->failures, "");
    cfg = yaml_load_file(cfg_path, &d);
    f->expected = yaml_load_file(exp_path, &d);
    free(cfg_path);
    free(exp_path);
    if (cfg == NULL || f->expected == NULL)
        return -1;
    global = yaml_get(cfg, "global");
    iv = duration_of(yaml_get(global, "scrape_interval"), 60000);
    to = duration_of(yaml_get(global, "scrape_timeout"), 10000);
    scs = yaml_get(cfg, "scrape_configs");
    for (size_t i = 0; i < yaml_seq_size(scs); i++)
        build_job(f, yaml_seq_at(scs, i), iv, to);
    yaml_tree_free(cfg);
    *state = f;
    return 0;
}

static int
group_teardown(void **state)
{
    struct fixture *f = *state;

    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].pool);
        free(f->v[i].discovered);
        free(f->v[i].labels);
        free(f->v[i].url);
        for (size_t k = 0; k < f->v[i].nviews; k++)
            free(f->v[i].views[k]);
        free(f->v[i].views);
    }
    free(f->v);
    for (size_t i = 0; i < f->nseries; i++)
        free(f->series[i]);
    free(f->series);
    buf_fini(&f->failures);
    yaml_tree_free(f->expected);
    free(f);
    return 0;
}

/* True when b shows disc as discovered, exactly or (*alias set) as one
 * of the views Prometheus 2.42's in-place relabelling can leave. */
static bool
shows(const struct built *b, const char *disc, bool *alias)
{
    if (strcmp(b->discovered, disc) == 0)
        return true;
    for (size_t k = 0; k < b->nviews; k++) {
        if (strcmp(b->views[k], disc) == 0) {
            *alias = true;
            return true;
        }
    }
    return false;
}

/* Our target of the given state, pool and discovered labels, or NULL;
 * exact matches first, then aliased views. */
static struct built *
find(struct fixture *f, enum relabel_target_state st, const char *pool,
     const char *disc, size_t *aliased)
{
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < f->n; i++) {
            struct built *b = &f->v[i];
            bool alias = false;

            if (b->state != st || b->matched
                || (pool != NULL && strcmp(b->pool, pool) != 0)
                || !shows(b, disc, &alias) || alias != (pass == 1))
                continue;
            *aliased += alias;
            return b;
        }
    }
    return NULL;
}

static size_t
count_state(const struct fixture *f, enum relabel_target_state st)
{
    size_t n = 0;

    for (size_t i = 0; i < f->n; i++)
        n += f->v[i].state == st;
    return n;
}

/* Every active target: discovered labels, labels and scrape URL. */
static void
test_fixture_active_targets(void **state)
{
    struct fixture *f = *state;
    const struct yaml_node *act = yaml_get(f->expected, "activeTargets");
    size_t aliased = 0;

    assert_true(yaml_seq_size(act) > 0);
    assert_int_equal(count_state(f, RELABEL_TARGET_ACTIVE),
                     yaml_seq_size(act));
    for (size_t i = 0; i < yaml_seq_size(act); i++) {
        const struct yaml_node *e = yaml_seq_at(act, i);
        char *disc = canon_map(yaml_get(e, "discoveredLabels"));
        char *labels = canon_map(yaml_get(e, "labels"));
        const char *pool = yaml_scalar(yaml_get(e, "scrapePool"));
        struct built *b = find(f, RELABEL_TARGET_ACTIVE, pool, disc,
                               &aliased);

        if (b == NULL)
            fail_msg("no active target in %s discovered as\n%s", pool, disc);
        b->matched = true;
        assert_string_equal(b->labels, labels);
        assert_string_equal(b->url, yaml_scalar(yaml_get(e, "scrapeUrl")));
        assert_string_equal(b->interval,
                            yaml_scalar(yaml_get(e, "scrapeInterval")));
        assert_string_equal(b->timeout,
                            yaml_scalar(yaml_get(e, "scrapeTimeout")));
        free(disc);
        free(labels);
    }
    /* The recording shows aliased discovered labels for the three targets
     * of "replace" and the one of "labelmap" (their first rules add
     * labels into spare room of the discovered slice); every other
     * target matches exactly. */
    assert_int_equal(aliased, 4);
}

/* Every target dropped by relabelling, by its discovered labels. */
static void
test_fixture_dropped_targets(void **state)
{
    struct fixture *f = *state;
    const struct yaml_node *drop = yaml_get(f->expected, "droppedTargets");
    size_t aliased = 0;

    assert_true(yaml_seq_size(drop) > 0);
    assert_int_equal(count_state(f, RELABEL_TARGET_DROPPED),
                     yaml_seq_size(drop));
    for (size_t i = 0; i < yaml_seq_size(drop); i++) {
        char *disc = canon_map(yaml_get(yaml_seq_at(drop, i),
                                        "discoveredLabels"));
        struct built *b = find(f, RELABEL_TARGET_DROPPED, NULL, disc,
                               &aliased);

        if (b == NULL)
            fail_msg("no dropped target discovered as\n%s", disc);
        /* Only keep, drop, keepequal and dropequal rules drop targets. */
        assert_in_set(b->drop_action, drop_actions, 4);
        b->matched = true;
        free(disc);
    }
    assert_int_equal(aliased, 0);
}

/* The targets Prometheus refused, with its error text, in order. */
static void
test_fixture_failures(void **state)
{
    struct fixture *f = *state;
    char *path = data_path("expected-failures.txt");
    FILE *fp = fopen(path, "r");
    struct buf want;
    char line[1024];

    assert_non_null(fp);
    buf_init(&want, 0);
    buf_puts(&want, "");
    while (fgets(line, sizeof(line), fp) != NULL)
        buf_puts(&want, line);
    fclose(fp);
    free(path);
    assert_true(want.len > 0);
    assert_string_equal(buf_str(&f->failures), buf_str(&want));
    buf_fini(&want);
}

static int
str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every series the recorded Prometheus stored from series.prom (both
 * jobs, honor_labels on and off, metric_relabel_configs, the report
 * series), and nothing else. */
static void
test_fixture_series(void **state)
{
    struct fixture *f = *state;
    char *path = data_path("expected-series.json");
    struct diag d;
    struct yaml_node *exp = yaml_load_file(path, &d);
    size_t n = yaml_seq_size(exp);
    char **want = xcalloc(n + 1, sizeof(char *));

    assert_non_null(exp);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++)
        want[i] = canon_map(yaml_seq_at(exp, i));
    qsort(want, n, sizeof(char *), str_cmp);
    qsort(f->series, f->nseries, sizeof(char *), str_cmp);
    for (size_t i = 0; i < n && i < f->nseries; i++)
        assert_string_equal(f->series[i], want[i]);
    assert_int_equal(f->nseries, n);
    for (size_t i = 0; i < n; i++)
        free(want[i]);
    free(want);
    free(path);
    yaml_tree_free(exp);
}

/* ---- hand-worked cases ---- */

/* The builder's set as "a=1,b=2". */
static const char *
dump(const struct relabel_builder *lb, struct buf *out)
{
    const struct labels *ls = relabel_builder_labels(lb);

    buf_reset(out);
    buf_puts(out, "");
    for (size_t i = 0; i < ls->n; i++)
        buf_printf(out, "%s%s=%s", i ? "," : "", ls->v[i].name,
                   ls->v[i].value);
    return buf_str(out);
}

#define LS(arr) ((struct labels){ (arr), sizeof(arr) / sizeof((arr)[0]) })

/* scrape_test.go's TestScrapeLoopAppend-style clashes: without
 * honor_labels a scraped job/instance moves to exported_<name>. */
static void
test_series_clash_exported(void **state)
{
    struct label scraped[] = { { "__name__", "http_requests_total" },
                               { "job", "app" }, { "instance", "pod-1" },
                               { "code", "200" } };
    struct label target[] = { { "instance", "10.0.0.1:80" },
                              { "job", "web" } };
    struct relabel_builder *lb = relabel_builder_new();
    struct buf out;
    struct diag d;

    (void)state;
    buf_init(&out, 0);
    assert_int_equal(relabel_series_labels(&LS(scraped), &LS(target), false,
                                           NULL, lb, &d), 1);
    assert_string_equal(dump(lb, &out),
                        "__name__=http_requests_total,code=200,"
                        "exported_instance=pod-1,exported_job=app,"
                        "instance=10.0.0.1:80,job=web");
    /* honor_labels keeps the scraped values and adds only what is new. */
    assert_int_equal(relabel_series_labels(&LS(scraped), &LS(target), true,
                                           NULL, lb, &d), 1);
    assert_string_equal(dump(lb, &out),
                        "__name__=http_requests_total,code=200,"
                        "instance=pod-1,job=app");
    buf_fini(&out);
    relabel_builder_free(lb);
}

/* When exported_job is taken too, the clash moves to exported_exported_job;
 * the shorter name is placed first. */
static void
test_series_clash_chain(void **state)
{
    struct label scraped[] = { { "__name__", "m" }, { "job", "a" },
                               { "exported_job", "b" }, { "zone", "z1" } };
    struct label target[] = { { "job", "j" }, { "zone", "eu" } };
    struct relabel_builder *lb = relabel_builder_new();
    struct buf out;
    struct diag d;

    (void)state;
    buf_init(&out, 0);
    assert_int_equal(relabel_series_labels(&LS(scraped), &LS(target), false,
                                           NULL, lb, &d), 1);
    assert_string_equal(dump(lb, &out),
                        "__name__=m,exported_exported_job=a,exported_job=b,"
                        "exported_zone=z1,job=j,zone=eu");
    buf_fini(&out);
    relabel_builder_free(lb);
}

/* metric_relabel_configs run after the target labels are attached. */
static void
test_series_metric_relabel(void **state)
{
    static const char *const name_src[] = { "__name__" };
    struct label go[] = { { "__name__", "go_goroutines" } };
    struct label up[] = { { "__name__", "app_up" }, { "pod", "p" } };
    struct label target[] = { { "instance", "i:1" }, { "job", "j" } };
    struct relabel_rules *rs = relabel_rules_new();
    struct relabel_builder *lb = relabel_builder_new();
    struct relabel_spec s;
    struct buf out;
    struct diag d;

    (void)state;
    buf_init(&out, 0);
    relabel_spec_init(&s);
    s.action = RELABEL_DROP;
    s.source_labels = name_src;
    s.nsource = 1;
    s.regex = "go_.*";
    assert_int_equal(relabel_rules_add(rs, &s, &d), 0);
    relabel_spec_init(&s);
    s.action = RELABEL_LABELDROP;
    s.regex = "instance";
    assert_int_equal(relabel_rules_add(rs, &s, &d), 0);
    assert_int_equal(relabel_series_labels(&LS(go), &LS(target), false, rs,
                                           lb, &d), 0);
    assert_int_equal(relabel_series_labels(&LS(up), &LS(target), false, rs,
                                           lb, &d), 1);
    assert_string_equal(dump(lb, &out), "__name__=app_up,job=j,pod=p");
    relabel_rules_free(rs);

    /* Dropping __name__ fails the scrape with Prometheus's message. */
    rs = relabel_rules_new();
    relabel_spec_init(&s);
    s.action = RELABEL_LABELDROP;
    s.regex = "__name__";
    assert_int_equal(relabel_rules_add(rs, &s, &d), 0);
    assert_int_equal(relabel_series_labels(&LS(up), &LS(target), false, rs,
                                           lb, &d), -1);
    assert_string_equal(d.msg, "missing metric name (__name__ label)");
    relabel_rules_free(rs);

    /* Dropping everything drops the series. */
    rs = relabel_rules_new();
    s.regex = ".*";
    assert_int_equal(relabel_rules_add(rs, &s, &d), 0);
    assert_int_equal(relabel_series_labels(&LS(up), &LS(target), false, rs,
                                           lb, &d), 0);
    relabel_rules_free(rs);
    buf_fini(&out);
    relabel_builder_free(lb);
}

/*
 * A replace whose groups cannot be worked out within the regex's limits
 * fails the scrape with a message; it is never read as "no match", which
 * would silently keep the series without the label.
 */
static void
test_series_undecided_regex(void **state)
{
    static const char *const pod_src[] = { "pod" };
    struct label up[] = { { "__name__", "app_up" },
                          { "pod", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaac" } };
    struct label ok[] = { { "__name__", "app_up" }, { "pod", "aab" } };
    struct label target[] = { { "job", "j" } };
    struct relabel_rules *rs = relabel_rules_new();
    struct relabel_builder *lb = relabel_builder_new();
    struct relabel_spec s;
    struct buf out;
    struct diag d;

    (void)state;
    buf_init(&out, 0);
    relabel_spec_init(&s);
    s.source_labels = pod_src;
    s.nsource = 1;
    s.regex = "(a+)+b|(.*)";
    s.target_label = "x";
    s.replacement = "$2";
    assert_int_equal(relabel_rules_add(rs, &s, &d), 0);
    assert_int_equal(relabel_series_labels(&LS(ok), &LS(target), false, rs,
                                           lb, &d), 1);
    assert_string_equal(dump(lb, &out), "__name__=app_up,job=j,pod=aab");
    assert_int_equal(relabel_series_labels(&LS(up), &LS(target), false, rs,
                                           lb, &d), -1);
    assert_string_equal(d.msg, "metric_relabel_configs: a regular "
                        "expression match could not be decided (too "
                        "complex for this input)");
    relabel_rules_free(rs);
    relabel_builder_free(lb);
    buf_fini(&out);
}

/* A bad metric name after relabelling fails with the whole set quoted. */
static void
test_series_invalid_name(void **state)
{
    static const char *const pod_src[] = { "pod" };
    struct label up[] = { { "__name__", "app_up" }, { "pod", "p-1" } };
    struct label target[] = { { "job", "j" } };
    struct relabel_rules *rs = relabel_rules_new();
    struct relabel_builder *lb = relabel_builder_new();
    struct relabel_spec s;
    struct diag d;

    (void)state;
    relabel_spec_init(&s);
    s.source_labels = pod_src;
    s.nsource = 1;
    s.target_label = "__name__";
    assert_int_equal(relabel_rules_add(rs, &s, &d), 0);
    assert_int_equal(relabel_series_labels(&LS(up), &LS(target), false, rs,
                                           lb, &d), -1);
    assert_string_equal(d.msg, "invalid metric name or label names: "
                        "{__name__=\"p-1\", job=\"j\", pod=\"p-1\"}");
    relabel_rules_free(rs);
    relabel_builder_free(lb);
}

/* up and friends: target labels win, the series' own value is exported. */
static void
test_report_labels(void **state)
{
    struct label up[] = { { "__name__", "up" } };
    struct label odd[] = { { "__name__", "up" }, { "job", "x" },
                           { "exported_instance", "stale" } };
    struct label target[] = { { "instance", "i:1" }, { "job", "j" } };
    struct relabel_builder *lb = relabel_builder_new();
    struct buf out;

    (void)state;
    buf_init(&out, 0);
    relabel_report_labels(&LS(up), &LS(target), lb);
    assert_string_equal(dump(lb, &out), "__name__=up,instance=i:1,job=j");
    /* exported_instance is set to the series' (absent) instance: deleted. */
    relabel_report_labels(&LS(odd), &LS(target), lb);
    assert_string_equal(dump(lb, &out),
                        "__name__=up,exported_job=x,instance=i:1,job=j");
    buf_fini(&out);
    relabel_builder_free(lb);
}

/* A bare target built with cfg; returns the state, d set on failure. */
static enum relabel_target_state
build_one(struct relabel_target *t, const struct relabel_target_config *cfg,
          const char *addr, const struct labels *group, struct diag *d)
{
    struct label a = { "__address__", addr };
    struct labels tl = { &a, 1 };

    diag_clear(d);
    return relabel_target_labels(t, cfg, &tl, group, d);
}

static struct relabel_target_config
plain_config(void)
{
    struct relabel_target_config cfg;

    memset(&cfg, 0, sizeof(cfg));
    cfg.job = "j";
    cfg.interval_ms = 15000;
    cfg.timeout_ms = 10000;
    cfg.metrics_path = "/metrics";
    cfg.scheme = "http";
    return cfg;
}

/* PopulateLabels' port rules (target.go, 2.42). */
static void
test_target_ports(void **state)
{
    struct relabel_target_config cfg = plain_config();
    struct relabel_target *t = relabel_target_new();
    struct diag d;

    (void)state;
    assert_int_equal(build_one(t, &cfg, "[::1]", NULL, &d),
                     RELABEL_TARGET_ACTIVE);
    assert_string_equal(relabel_target_address(t), "[::1]:80");
    assert_string_equal(relabel_target_url(t), "http://[::1]:80/metrics");
    /* No valid host:port either way: left alone. */
    assert_int_equal(build_one(t, &cfg, "::1", NULL, &d),
                     RELABEL_TARGET_ACTIVE);
    assert_string_equal(relabel_target_address(t), "::1");
    /* An unknown scheme cannot get a default port; Prometheus names the
     * config's scheme. With a port there is nothing to add. */
    cfg.scheme = "ftp";
    assert_int_equal(build_one(t, &cfg, "files", NULL, &d),
                     RELABEL_TARGET_FAILED);
    assert_string_equal(d.msg, "invalid scheme: \"ftp\"");
    assert_int_equal(build_one(t, &cfg, "files:21", NULL, &d),
                     RELABEL_TARGET_ACTIVE);
    /* no-default-scrape-port strips :80 from the address, while instance
     * keeps the address as it was. */
    cfg.scheme = "http";
    cfg.no_default_port = true;
    assert_int_equal(build_one(t, &cfg, "web:80", NULL, &d),
                     RELABEL_TARGET_ACTIVE);
    assert_string_equal(relabel_target_address(t), "web");
    assert_string_equal(relabel_target_url(t), "http://web/metrics");
    assert_string_equal(labels_value_of(relabel_target_public(t),
                                        "instance"), "web:80");
    assert_int_equal(build_one(t, &cfg, "web", NULL, &d),
                     RELABEL_TARGET_ACTIVE);
    assert_string_equal(relabel_target_address(t), "web");
    relabel_target_free(t);
}

/*
 * A user name and password in the address would end up in the instance
 * label of every series; the target is refused without repeating the
 * password, and the address is shown with <secret> in its place.
 */
static void
test_target_credentials(void **state)
{
    /* Go splits user info at the last @; a bare user name is no secret. */
    static const char *const shown[][2] = {
        { "alice:hunter2@h:9100", "alice:<secret>@h:9100" },
        { "a:p@ss@h:1", "a:<secret>@h:1" },
        { "alice@h:1", "alice@h:1" },
        { "h:1", "h:1" },
    };
    struct relabel_target_config cfg = plain_config();
    struct relabel_target *t = relabel_target_new();
    struct diag d;
    char *s;

    (void)state;
    assert_int_equal(build_one(t, &cfg, "alice:hunter2@h:9100", NULL, &d),
                     RELABEL_TARGET_FAILED);
    assert_string_equal(d.msg, "the target address holds a user name and "
                        "password; give them with basic_auth instead");
    for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
        s = relabel_target_shown_address(shown[i][0]);
        assert_string_equal(s, shown[i][1]);
        free(s);
    }
    relabel_target_free(t);
}

/* Discovered labels: target over group, group over the job defaults,
 * empty values gone; invalid UTF-8 fails the target. */
static void
test_target_labels(void **state)
{
    struct label group[] = { { "__address__", "ignored:1" },
                             { "job", "from-group" }, { "empty", "" },
                             { "__meta_x", "m" }, { "__tmp", "t" } };
    struct label bad[] = { { "bad", "\xff" } };
    struct relabel_target_config cfg = plain_config();
    struct relabel_target *t = relabel_target_new();
    struct buf b;
    struct diag d;
    char *s;

    (void)state;
    buf_init(&b, 0);
    assert_int_equal(build_one(t, &cfg, "h:9", &LS(group), &d),
                     RELABEL_TARGET_ACTIVE);
    s = canon_labels(relabel_target_discovered(t));
    assert_string_equal(s, "__address__=h:9\n__meta_x=m\n"
                        "__metrics_path__=/metrics\n__scheme__=http\n"
                        "__scrape_interval__=15s\n__scrape_timeout__=10s\n"
                        "__tmp=t\njob=from-group\n");
    free(s);
    /* __meta_ labels go; other "__" labels stay on the target, hidden. */
    assert_null(labels_value_of(relabel_target_all(t), "__meta_x"));
    assert_string_equal(labels_value_of(relabel_target_all(t), "__tmp"), "t");
    s = canon_labels(relabel_target_public(t));
    assert_string_equal(s, "instance=h:9\njob=from-group\n");
    free(s);
    assert_int_equal(build_one(t, &cfg, "h:9", &LS(bad), &d),
                     RELABEL_TARGET_FAILED);
    assert_string_equal(d.msg, "invalid label value for \"bad\": \"\\xff\"");
    buf_fini(&b);
    relabel_target_free(t);
}

/* Target.URL: the config's params, __param_ labels over the first value,
 * keys sorted, Go's query escaping. */
static void
test_target_url_params(void **state)
{
    static const char *const src[] = { "__address__" };
    struct relabel_param params[] = { { "module", "a" }, { "z", "1 2" },
                                      { "module", "b" } };
    struct relabel_target_config cfg = plain_config();
    struct relabel_target *t = relabel_target_new();
    struct relabel_rules *rs = relabel_rules_new();
    struct relabel_spec s;
    struct diag d;

    (void)state;
    relabel_spec_init(&s);
    s.source_labels = src;
    s.nsource = 1;
    s.target_label = "__param_module";
    s.replacement = "x&$1";
    assert_int_equal(relabel_rules_add(rs, &s, &d), 0);
    s.target_label = "__param_added";
    s.replacement = "ü/?";
    assert_int_equal(relabel_rules_add(rs, &s, &d), 0);
    cfg.params = params;
    cfg.nparams = 3;
    cfg.rules = rs;
    cfg.metrics_path = "/a b";
    assert_int_equal(build_one(t, &cfg, "h:1", NULL, &d),
                     RELABEL_TARGET_ACTIVE);
    assert_string_equal(relabel_target_query(t),
                        "added=%C3%BC%2F%3F&module=x%26h%3A1&module=b&z=1+2");
    assert_string_equal(relabel_target_url(t),
                        "http://h:1/a%20b?added=%C3%BC%2F%3F"
                        "&module=x%26h%3A1&module=b&z=1+2");
    relabel_rules_free(rs);
    relabel_target_free(t);
}

int
main(void)
{
    /* One group, so the suite's summary counts every test; the group
     * setup builds the fixture that the first four compare. */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_active_targets),
        cmocka_unit_test(test_fixture_dropped_targets),
        cmocka_unit_test(test_fixture_failures),
        cmocka_unit_test(test_fixture_series),
        cmocka_unit_test(test_series_clash_exported),
        cmocka_unit_test(test_series_clash_chain),
        cmocka_unit_test(test_series_metric_relabel),
        cmocka_unit_test(test_series_undecided_regex),
        cmocka_unit_test(test_series_invalid_name),
        cmocka_unit_test(test_report_labels),
        cmocka_unit_test(test_target_ports),
        cmocka_unit_test(test_target_labels),
        cmocka_unit_test(test_target_credentials),
        cmocka_unit_test(test_target_url_params),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
