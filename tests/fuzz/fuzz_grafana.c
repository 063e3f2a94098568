/*
 * libFuzzer harness for the Grafana importer: the input is a dashboard's
 * JSON, loaded from memory (grafana_load_buf). A loaded model must keep
 * ui/model.h's promises (every row and panel at least 1 high and wide, a
 * variable's choice within its values) and its page must lay out inside
 * an 80x24 screen, whatever numbers gridPos held; a refusal must say why.
 * It evaluates no query.
 */
#include <stdint.h>
#include <stdlib.h>

#include "src/dash/dashmodel.h"
#include "src/dash/grafana.h"
#include "ui/layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless r lies inside body. */
static void
inside(struct rect r, struct rect body)
{
    if (r.w < 0 || r.h < 0 || r.x < body.x || r.y < body.y
        || r.x + r.w > body.x + body.w || r.y + r.h > body.y + body.h)
        abort();
}

/* The model's invariants, and its page laid out on an 80x24 screen. */
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

        if (out == NULL)
            abort();
        for (size_t r = 0; r < pg->nrows; r++) {
            if (pg->rows[r].height < 1 || pg->rows[r].npanels == 0)
                abort();
            for (size_t k = 0; k < pg->rows[r].npanels; k++)
                if (pg->rows[r].panels[k].width < 1)
                    abort();
        }
        layout_page(pg, body, NULL, out, NULL);
        for (size_t k = 0; k < n; k++)
            inside(out[k], body);
        free(out);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct grafana_notes notes = { NULL, 0 };
    struct dashboard m;
    struct diag d;

    diag_clear(&d);
    if (grafana_load_buf("dashboard.json", (const char *)data, size, &m,
                         &notes, &d) == 0) {
        check_model(&m);
        dashmodel_fini(&m);
    } else if (d.msg[0] == '\0' || m.pages != NULL) {
        abort();
    }
    grafana_notes_fini(&notes);
    return 0;
}
