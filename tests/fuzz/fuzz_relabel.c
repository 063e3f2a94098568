/*
 * libFuzzer harness for relabelling: the input is YAML, either a list of
 * relabel configs or a prometheus.yml whose scrape configs hold
 * relabel_configs and metric_relabel_configs (so the relabel fixture
 * seeds it whole). The rules are parsed as the config loader parses them,
 * then applied to a few fixed label sets and to the targets and labels of
 * the job's static configs. A set that survives must still be a label
 * set: names sorted and distinct, no empty value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scrape/relabel.h"
#include "src/base/yaml.h"
#include "src/config/relabel_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXD 20
#define MAX_TARGETS 16      /* static targets relabelled per job */

/* Label sets as a target and as a scraped series reach relabelling. */
static const char *const fixed[][13] = {
    { "__address__", "10.0.0.1:9100", "__metrics_path__", "/metrics",
      "__scheme__", "http", "job", "node", "__meta_env", "prod",
      "__param_module", "http_2xx", NULL },
    { "__name__", "http_requests_total", "code", "200", "method", "GET",
      "path", "/api/v1/query", "instance", "a:80", "job", "api", NULL },
    { "__address__", "localhost", "job", "", NULL },
};

/* Aborts unless the builder holds a proper label set. */
static void
check_set(const struct relabel_builder *lb)
{
    const struct labels *ls = relabel_builder_labels(lb);

    for (size_t i = 0; i < ls->n; i++)
        if (ls->v[i].value[0] == '\0'
            || (i > 0 && strcmp(ls->v[i - 1].name, ls->v[i].name) >= 0))
            abort();
}

static void
apply(const struct relabel_rules *rs, struct relabel_builder *lb)
{
    size_t by;

    if (relabel_apply_at(rs, lb, &by))
        check_set(lb);
    else if (by >= relabel_rules_count(rs))
        abort();
}

/* Each target of each static config, with that config's labels. */
static void
apply_statics(const struct relabel_rules *rs, struct relabel_builder *lb,
              const struct yaml_node *job)
{
    const struct yaml_node *statics = yaml_get(job, "static_configs");
    size_t done = 0;

    for (size_t i = 0; i < yaml_seq_size(statics); i++) {
        const struct yaml_node *sc = yaml_seq_at(statics, i);
        const struct yaml_node *ts = yaml_get(sc, "targets");
        const struct yaml_node *ls = yaml_get(sc, "labels");

        for (size_t t = 0; t < yaml_seq_size(ts) && done < MAX_TARGETS;
             t++, done++) {
            const char *addr = yaml_scalar(yaml_seq_at(ts, t));

            relabel_builder_reset(lb);
            relabel_builder_set(lb, "__address__", addr ? addr : "");
            relabel_builder_set(lb, "job", "fuzz");
            for (size_t k = 0; k < yaml_map_size(ls); k++) {
                const struct yaml_pair *p = yaml_map_at(ls, k);
                const char *name = yaml_scalar(p->key);
                const char *value = yaml_scalar(p->value);

                if (name != NULL && value != NULL)
                    relabel_builder_set(lb, name, value);
            }
            apply(rs, lb);
        }
    }
}

/* Parses one list of rules; when it parses, applies it everywhere. */
static void
run_rules(const struct yaml_node *seq, const char *what,
          const struct yaml_node *job, struct relabel_builder *lb)
{
    struct relabel_rules *rs = NULL;
    struct diag errs[MAXD];
    size_t nerrs = 0;

    if (config_relabel_parse(seq, what, &rs, errs, MAXD, &nerrs) != 0) {
        if (rs != NULL || nerrs == 0)
            abort();
        return;
    }
    for (size_t s = 0; s < sizeof(fixed) / sizeof(fixed[0]); s++) {
        relabel_builder_reset(lb);
        for (size_t i = 0; fixed[s][i] != NULL; i += 2)
            relabel_builder_set(lb, fixed[s][i], fixed[s][i + 1]);
        apply(rs, lb);
    }
    apply_statics(rs, lb, job);
    relabel_rules_free(rs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct yaml_node *root;
    struct relabel_builder *lb;
    const struct yaml_node *jobs;
    struct diag d;

    root = yaml_load_buf("relabel.yml", (const char *)data, size, &d);
    if (root == NULL)
        return 0;
    lb = relabel_builder_new();
    if (yaml_is_seq(root))
        run_rules(root, "target", NULL, lb);
    jobs = yaml_get(root, "scrape_configs");
    for (size_t i = 0; i < yaml_seq_size(jobs); i++) {
        const struct yaml_node *job = yaml_seq_at(jobs, i);

        run_rules(yaml_get(job, "relabel_configs"), "target", job, lb);
        run_rules(yaml_get(job, "metric_relabel_configs"), "metric", job,
                  lb);
    }
    relabel_builder_free(lb);
    yaml_tree_free(root);
    return 0;
}
