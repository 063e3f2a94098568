/*
 * Tests for src/dash/dashnotes: notes that say the same of many panels
 * become one counted line, with the commonest quoted details; other
 * notes, and groups of one, stay as written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/base/xalloc.h"
#include "src/dash/dashnotes.h"

static void
test_group(void **state)
{
    static const char *const in[] = {
        "row 'CPU': collapsed in Grafana; shown open",
        "panel 'A': per-series overrides are not applied",
        "panel 'B': unit 'bps' is shown as bytes",
        "panel 'B': per-series overrides are not applied",
        "time range to 'now-1h' is not supported; the range ends now",
        "panel 'C': unit 'decbytes' is shown as bytes",
        "panel 'D': unit 'bps' is shown as bytes",
        "panel 'E': unit 'kbytes' is shown as bytes",
        "panel 'F': unit 'Bps' is shown as bytes",
        "row 'Mem': collapsed in Grafana; shown open",
        "panel 'Grafana's own': shows the latest value, not the 'mean' "
        "over the range",
    };
    static const char *const want[] = {
        "2 rows: collapsed in Grafana; shown open",
        "2 panels: per-series overrides are not applied",
        "5 panels: unit '…' is shown as bytes ('bps' ×2, 'decbytes' ×1, "
        "'kbytes' ×1, …)",
        "time range to 'now-1h' is not supported; the range ends now",
        "panel 'Grafana's own': shows the latest value, not the 'mean' "
        "over the range",
    };
    struct grafana_notes notes = { NULL, 0 }, out = { NULL, 0 };

    (void)state;
    notes.v = xcalloc(11, sizeof(char *));
    for (size_t i = 0; i < 11; i++)
        notes.v[notes.n++] = xstrdup(in[i]);
    dashnotes_group(&notes, &out);
    assert_int_equal(out.n, 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(out.v[i], want[i]);
    grafana_notes_fini(&notes);
    grafana_notes_fini(&out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
