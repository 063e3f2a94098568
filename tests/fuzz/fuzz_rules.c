/*
 * libFuzzer harness for Prometheus rule files: the input is a rule file,
 * loaded from memory (rulefile_load_buf) as promdeck check rules loads
 * one, every expression compiled. A load fails exactly when it reports
 * errors, each with a position inside the document (or none), and the
 * errors print as promtool's text. A file that loads has its alert
 * labels and annotations parsed and expanded as templates, as an alert
 * would expand them, with no query function. It evaluates no rule: the
 * PromQL harness covers evaluation.
 */
#include <stdint.h>
#include <stdlib.h>

#include "src/base/buf.h"
#include "src/rules/rulefile.h"
#include "src/rules/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXERRS 20
/* What one template may write: a template can repeat text at will. */
#define MAX_EXPANSION (1u << 20)

/* Parses and expands each value of ls as a template for rule r. */
static void
expand_all(const struct rule_def *r, const struct labels *ls)
{
    struct tmpl_data td = { 0 };
    struct diag d;
    struct buf out;
    struct tmpl *t;

    td.labels = &r->labels;
    td.external_labels = &r->labels;
    td.external_url = "http://localhost:9090";
    td.value = 1;
    for (size_t i = 0; i < ls->n; i++) {
        diag_clear(&d);
        if ((t = tmpl_parse(ls->v[i].name, ls->v[i].value, &d)) == NULL)
            continue;
        buf_init(&out, MAX_EXPANSION);
        tmpl_exec(t, &td, &out, &d);
        buf_fini(&out);
        tmpl_free(t);
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

            expand_all(r, &r->labels);
            expand_all(r, &r->annotations);
        }
    }
    rulefile_free(rf);
    return 0;
}
