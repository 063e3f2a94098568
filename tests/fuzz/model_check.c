/* The dashboard harnesses' model check (model_check.h). */
#include <stdlib.h>

#include "tests/fuzz/model_check.h"
#include "ui/layout.h"

/* Aborts unless r lies inside body. */
static void
inside(struct rect r, struct rect body)
{
    if (r.w < 0 || r.h < 0 || r.x < body.x || r.y < body.y
        || r.x + r.w > body.x + body.w || r.y + r.h > body.y + body.h)
        abort();
}

void
fuzz_check_model(const struct dashboard *m, bool rows_have_panels)
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
            if (pg->rows[r].height < 1
                || (rows_have_panels && pg->rows[r].npanels == 0))
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
