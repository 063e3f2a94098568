/*
 * libFuzzer harness for promdeck's YAML dashboard files: the input is a
 * dashboard, loaded from memory (dashfile_load_buf). A loaded model must
 * keep ui/model.h's promises (every row and panel at least 1 high and
 * wide, a variable's choice within its values), and its pages must lay
 * out inside an 80x24 screen; an error must come with a position. It
 * evaluates no query.
 */
#include <stdint.h>
#include <stdlib.h>

#include "src/dash/dashfile.h"
#include "src/dash/dashmodel.h"
#include "ui/layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXD 20

/* Aborts unless r lies inside body. */
static void
inside(struct rect r, struct rect body)
{
    if (r.w < 0 || r.h < 0 || r.x < body.x || r.y < body.y
        || r.x + r.w > body.x + body.w || r.y + r.h > body.y + body.h)
        abort();
}

/* The model's invariants, and each page laid out on an 80x24 screen. */
static void
check_model(const struct dashboard *m)
{
    struct rect body = layout_screen(80, 24).body;

    for (size_t v = 0; v < m->nvariables; v++)
        if (m->variables[v].current > m->variables[v].nvalues)
            abort();
    for (size_t p = 0; p < m->npages; p++) {
        const struct page *pg = &m->pages[p];
        size_t n = layout_npanels(pg);
        struct rect *out = malloc((n + 1) * sizeof(*out));
        struct rect *titles = malloc((pg->nrows + 1) * sizeof(*titles));

        if (out == NULL || titles == NULL)
            abort();
        for (size_t r = 0; r < pg->nrows; r++) {
            if (pg->rows[r].height < 1)
                abort();
            for (size_t k = 0; k < pg->rows[r].npanels; k++)
                if (pg->rows[r].panels[k].width < 1)
                    abort();
        }
        layout_page(pg, body, NULL, out, titles);
        for (size_t k = 0; k < n; k++)
            inside(out[k], body);
        free(out);
        free(titles);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct diag errs[MAXD];
    struct dashboard m;
    size_t nerrs;

    if (dashfile_load_buf("dash.yaml", (const char *)data, size, &m, errs,
                          MAXD, &nerrs) == 0) {
        if (nerrs != 0)
            abort();
        check_model(&m);
        dashmodel_fini(&m);
        return 0;
    }
    if (nerrs == 0 || nerrs > MAXD || m.pages != NULL)
        abort();
    return 0;
}
