/*
 * promdeck test rules: promtool test rules 2.42's output around the unit
 * test runner of src/rules/unittest.c. stdout and stderr are flushed in
 * turn so that, written to one place, they interleave as promtool's do.
 */
#include "src/cmd_test.h"

#include "src/rules/unittest.h"

int
cmd_test_rules(const char *const *files, int n, FILE *out, FILE *err)
{
    struct unittest_result res;
    int rc = 0;

    if (n < 1) {
        fprintf(err, "promdeck: test rules wants FILE...\n");
        return 2;
    }
    for (int i = 0; i < n; i++) {
        fprintf(out, "Unit Testing:  %s\n", files[i]);
        fflush(out);
        if (unittest_run(files[i], &res) == 0) {
            fprintf(out, "  SUCCESS\n");
        } else {
            fprintf(err, "  FAILED:\n");
            for (size_t k = 0; k < res.n; k++) {
                fprintf(err, "%s\n", res.errors[k]);
                fflush(err);
                fprintf(out, "\n");
                fflush(out);
            }
            rc = 1;
        }
        fflush(err);
        fprintf(out, "\n");
        fflush(out);
        unittest_result_fini(&res);
    }
    return rc;
}
