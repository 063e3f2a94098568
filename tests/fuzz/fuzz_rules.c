/*
 * libFuzzer harness for Prometheus rule files: the input is a rule file,
 * loaded from memory (rulefile_load_buf) as promdeck check rules loads
 * one, every expression compiled. A load fails exactly when it reports
 * errors, each with a position inside the document (or none), and the
 * errors print as promtool's text. A file that loads has every alert
 * label and annotation template parsed; each is expanded as an alert
 * expands it (src/rules/ruletmpl.c), with no query function. It evaluates no rule: the
 * PromQL harness covers evaluation.
 */
#include <stdint.h>
#include <stdlib.h>

#include "src/base/buf.h"
#include "src/rules/rulefile.h"
#include "src/rules/ruletmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXERRS 20
/* What one template may write: a template can repeat text at will. */
#define MAX_EXPANSION (1u << 20)

/* Expands each of an alerting rule's templates (parsed at load) for the
 * values in ls, as an alert expands them. */
static void
expand_all(const struct rule_def *r, const struct labels *ls,
           struct tmpl *const *tmpls)
{
    struct tmpl_data td = { 0 };
    struct buf out;

    td.labels = &r->labels;
    td.external_labels = &r->labels;
    td.external_url = "http://localhost:9090";
    td.value = 1;
    for (size_t i = 0; tmpls != NULL && i < ls->n; i++) {
        if (tmpls[i] == NULL)
            abort();
        buf_init(&out, MAX_EXPANSION);
        ruletmpl_expand(tmpls[i], r->name, &td, &out);
        buf_fini(&out);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rulefile_err errs[MAXERRS];
    struct rulefile *rf;
    struct buf text;
    size_t nerrs = 0;

    rf = rulefile_load_buf("rules.yml", (const char *)data, size, 60000,
                           errs, MAXERRS, &nerrs);
    if ((rf == NULL) != (nerrs > 0) || nerrs > MAXERRS)
        abort();
    for (size_t i = 0; i < nerrs; i++)
        if (errs[i].d.line < 0 || errs[i].d.col < 0
            || (size_t)errs[i].d.line > size + 1)
            abort();
    buf_init(&text, 0);
    rulefile_errors_text("rules.yml", errs, nerrs, &text);
    buf_fini(&text);
    for (size_t g = 0; rf != NULL && g < rf->ngroups; g++) {
        for (size_t k = 0; k < rf->groups[g].nrules; k++) {
            const struct rule_def *r = &rf->groups[g].rules[k];

            /* an alerting rule that loaded has every template parsed */
            if (r->kind == RULE_ALERT && (r->label_tmpls == NULL ||
                                          r->annotation_tmpls == NULL))
                abort();
            expand_all(r, &r->labels, r->label_tmpls);
            expand_all(r, &r->annotations, r->annotation_tmpls);
        }
    }
    rulefile_free(rf);
    return 0;
}
