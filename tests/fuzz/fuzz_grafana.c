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
#include "tests/fuzz/model_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct grafana_notes notes = { NULL, 0 };
    struct dashboard m;
    struct diag d;

    diag_clear(&d);
    if (grafana_load_buf("dashboard.json", (const char *)data, size, &m,
                         &notes, &d) == 0) {
        fuzz_check_model(&m, true);
        dashmodel_fini(&m);
    } else if (d.msg[0] == '\0' || m.pages != NULL) {
        abort();
    }
    grafana_notes_fini(&notes);
    return 0;
}
