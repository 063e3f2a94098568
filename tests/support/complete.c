#include "tests/support/complete.h"

#include <stdio.h>
#include <string.h>

#include "src/base/xalloc.h"

static const char *const metrics[] = {
    "up", "http_requests_total", "http_request_duration_seconds_bucket",
};
static const char *const labels[] = { "job", "instance", "code" };
static const char *const jobs[] = { "api", "db", "api-gateway" };
static const char *const paths[] = {
    "C:\\tmp", "say \"hi\"", "it's", "say \"hi\"", NULL,
};
static const char *const words[] = { "\xc3\xa9t\xc3\xa9", "\xc3\xa8re" };

#define LIST(a) a, sizeof(a) / sizeof((a)[0])

size_t
ts_fixed_complete(void *ctx, const char *label, const char ***out)
{
    static const struct {
        const char *label;
        const char *const *values;
        size_t n;
    } lists[] = {
        { "__name__", LIST(metrics) },
        { "job", LIST(jobs) },
        { "path", LIST(paths) },
        { "word", LIST(words) },
    };
    struct ts_fixed *f = ctx;
    const char *const *v = NULL;
    size_t n = 0;

    f->calls++;
    snprintf(f->asked, sizeof f->asked, "%s", label ? label : "(names)");
    if (label == NULL) {
        v = labels;
        n = sizeof(labels) / sizeof(labels[0]);
    }
    for (size_t i = 0; label != NULL && i < sizeof(lists) / sizeof(lists[0]);
         i++)
        if (strcmp(label, lists[i].label) == 0) {
            v = lists[i].values;
            n = lists[i].n;
        }
    *out = xcalloc(n + 1, sizeof **out);
    for (size_t i = 0; i < n; i++)
        (*out)[i] = v[i];
    return n;
}
