/*
 * Label sets: sorting, lookup, Prometheus's ordering, hashing and the
 * PromQL text form. Sets are small (a handful of pairs), so lookups scan
 * linearly; nothing here allocates except the output buffer.
 */
#include "store/labels.h"

#include <stdlib.h>
#include <string.h>

#include "src/base/json.h"
#include "src/base/xalloc.h"

static int
label_cmp_name(const void *a, const void *b)
{
    const struct label *x = a, *y = b;

    return strcmp(x->name, y->name);
}

void
labels_sort(struct labels *ls)
{
    if (ls->n > 1)
        qsort(ls->v, ls->n, sizeof(ls->v[0]), label_cmp_name);
}

const char *
labels_get(const struct labels *ls, const char *name)
{
    for (size_t i = 0; i < ls->n; i++) {
        if (strcmp(ls->v[i].name, name) == 0)
            return ls->v[i].value;
    }
    return NULL;
}

/*
 * Pair by pair, name before value, then the shorter set first: the order
 * of Prometheus's labels.Compare. strcmp compares bytes as unsigned char,
 * which is Go's string order.
 */
int
labels_cmp(const struct labels *a, const struct labels *b)
{
    size_t n = a->n < b->n ? a->n : b->n;
    int c;

    for (size_t i = 0; i < n; i++) {
        c = strcmp(a->v[i].name, b->v[i].name);
        if (c != 0)
            return c < 0 ? -1 : 1;
        c = strcmp(a->v[i].value, b->v[i].value);
        if (c != 0)
            return c < 0 ? -1 : 1;
    }
    if (a->n == b->n)
        return 0;
    return a->n < b->n ? -1 : 1;
}

bool
labels_equal(const struct labels *a, const struct labels *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++) {
        /* Interned strings are often the very same pointer. */
        if (a->v[i].name != b->v[i].name
            && strcmp(a->v[i].name, b->v[i].name) != 0)
            return false;
        if (a->v[i].value != b->v[i].value
            && strcmp(a->v[i].value, b->v[i].value) != 0)
            return false;
    }
    return true;
}

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME  0x100000001b3ULL

/* FNV-1a over s, then the separator byte 0xff (never valid in UTF-8). */
static uint64_t
hash_str(uint64_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= FNV_PRIME;
    }
    h ^= 0xff;
    return h * FNV_PRIME;
}

uint64_t
labels_hash(const struct labels *ls)
{
    uint64_t h = FNV_OFFSET;

    for (size_t i = 0; i < ls->n; i++) {
        h = hash_str(h, ls->v[i].name);
        h = hash_str(h, ls->v[i].value);
    }
    /* A final avalanche so the low bits index hash tables well. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

void
labels_escape(const char *s, struct buf *out)
{
    const char *run = s;

    for (; *s; s++) {
        const char *esc = NULL;

        if (*s == '\\')
            esc = "\\\\";
        else if (*s == '"')
            esc = "\\\"";
        else if (*s == '\n')
            esc = "\\n";
        if (esc == NULL)
            continue;
        buf_append(out, run, (size_t)(s - run));
        buf_puts(out, esc);
        run = s + 1;
    }
    buf_append(out, run, (size_t)(s - run));
}

/*
 * name{a="x", b="y"}; the metric name alone when it is the only label,
 * {} for the empty set.
 */
void
labels_format(const struct labels *ls, struct buf *out)
{
    const char *name = labels_get(ls, LABEL_METRIC_NAME);
    bool first = true;

    if (name != NULL) {
        buf_puts(out, name);
        if (ls->n == 1)
            return;
    }
    buf_putc(out, '{');
    for (size_t i = 0; i < ls->n; i++) {
        if (strcmp(ls->v[i].name, LABEL_METRIC_NAME) == 0)
            continue;
        if (!first)
            buf_puts(out, ", ");
        first = false;
        buf_puts(out, ls->v[i].name);
        buf_puts(out, "=\"");
        labels_escape(ls->v[i].value, out);
        buf_putc(out, '"');
    }
    buf_putc(out, '}');
}

void
labels_json(const struct labels *ls, struct buf *out)
{
    buf_putc(out, '{');
    for (size_t i = 0; i < ls->n; i++) {
        if (i > 0)
            buf_putc(out, ',');
        json_string(out, ls->v[i].name);
        buf_putc(out, ':');
        json_string(out, ls->v[i].value);
    }
    buf_putc(out, '}');
}

void
labels_put(struct labels *ls, const char *name, const char *value)
{
    for (size_t i = 0; i < ls->n; i++)
        if (strcmp(ls->v[i].name, name) == 0) {
            free((char *)ls->v[i].value);
            ls->v[i].value = xstrdup(value);
            return;
        }
    ls->v = xreallocarray(ls->v, ls->n + 1, sizeof(*ls->v));
    ls->v[ls->n].name = xstrdup(name);
    ls->v[ls->n++].value = xstrdup(value);
}

void
labels_dup(struct labels *dst, const struct labels *src)
{
    /* One spare slot, so an empty copy still has an array to point at. */
    dst->v = xcalloc(src->n + 1, sizeof(*dst->v));
    dst->n = src->n;
    for (size_t i = 0; i < src->n; i++) {
        dst->v[i].name = xstrdup(src->v[i].name);
        dst->v[i].value = xstrdup(src->v[i].value);
    }
}

void
labels_release(struct labels *ls)
{
    /* The pairs are const for readers; an owned set's strings are ours. */
    for (size_t i = 0; i < ls->n; i++) {
        free((char *)ls->v[i].name);
        free((char *)ls->v[i].value);
    }
    free(ls->v);
    ls->v = NULL;
    ls->n = 0;
}
