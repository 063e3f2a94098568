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
#include "tests/fuzz/model_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXD 20

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
        fuzz_check_model(&m, false);
        dashmodel_fini(&m);
        return 0;
    }
    if (nerrs == 0 || nerrs > MAXD || m.pages != NULL)
        abort();
    return 0;
}
