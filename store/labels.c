/*
 * Label sets: sorting, lookup, Prometheus's ordering, hashing and the
 * PromQL text form, and the C0 80 form of a NUL byte in a value. Sets are
 * small (a handful of pairs), so lookups scan linearly; nothing here
 * allocates except the output buffer.
 */
#include "store/labels.h"

#include <stdlib.h>
#include <string.h>

#include "src/base/json.h"
#include "src/base/utf8.h"
#include "src/base/xalloc.h"

/* ---- NUL bytes as C0 80 --------------------------------------------- */

static bool
is_nul(const char *s)
{
    return (unsigned char)s[0] == 0xc0 && (unsigned char)s[1] == 0x80;
}

/* The byte at *s as Go would see it, moving past it; -1 at the end, so
 * a prefix orders first. */
static int
next_byte(const char **s)
{
    if (**s == '\0')
        return -1;
    if (is_nul(*s)) {
        *s += 2;
        return 0;
    }
    return (unsigned char)*(*s)++;
}

/*
 * Go's order of the bytes the strings stand for. Up to the first 0xC0
 * byte (the start of C0 80, a NUL byte) that is the order of the bytes
 * themselves, a string that ends first having the smaller byte there,
 * its NUL; only from a C0 on are they read pair by pair.
 */
int
labels_strcmp(const char *a, const char *b)
{
    const unsigned char *p = (const unsigned char *)a;
    const unsigned char *q = (const unsigned char *)b;

    while (*p == *q && *p != '\0' && *p != 0xc0) {
        p++;
        q++;
    }
    if (*p != 0xc0 && *q != 0xc0)
        return *p == *q ? 0 : *p < *q ? -1 : 1;
    a = (const char *)p;
    b = (const char *)q;
    for (;;) {
        int x = next_byte(&a), y = next_byte(&b);

        if (x != y)
            return x < y ? -1 : 1;
        if (x < 0)
            return 0;
    }
}

size_t
labels_value_len(const char *s)
{
    size_t n = 0;

    while (next_byte(&s) >= 0)
        n++;
    return n;
}

bool
labels_value_valid(const char *s)
{
    while (*s != '\0') {
        uint32_t cp;
        size_t n;

        if (is_nul(s)) {
            s += 2;
            continue;
        }
        n = utf8_decode(s, strnlen(s, 4), &cp);
        if (n == 0)
            return false;
        s += n;
    }
    return true;
}

void
labels_nul_encode(const char *s, size_t n, struct buf *out)
{
    const char *nul;

    buf_append(out, "", 0);
    while ((nul = memchr(s, '\0', n)) != NULL) {
        buf_append(out, s, (size_t)(nul - s));
        buf_puts(out, LABELS_NUL);
        n -= (size_t)(nul - s) + 1;
        s = nul + 1;
    }
    buf_append(out, s, n);
}

void
labels_nul_decode(const char *s, struct buf *out)
{
    buf_append(out, "", 0);
    for (int c; (c = next_byte(&s)) >= 0;)
        buf_putc(out, (char)c);
}

bool
labels_regex_match(struct regex *re, const char *v)
{
    struct buf raw;
    bool ok;

    if (strstr(v, LABELS_NUL) == NULL)
        return regex_match(re, v, strlen(v));
    buf_init(&raw, 0);
    labels_nul_decode(v, &raw);
    ok = regex_match(re, buf_str(&raw), raw.len);
    buf_fini(&raw);
    return ok;
}

int
labels_regex_expand(struct regex *re, const char *v, const char *repl,
                    struct buf *out)
{
    struct buf raw, res, enc;
    int rc;

    if (strstr(v, LABELS_NUL) == NULL)
        return regex_expand(re, v, strlen(v), repl, out);
    buf_init(&raw, 0);
    /* out's ceiling holds for the raw bytes, then for their encoding. */
    buf_init(&res, out->max);
    buf_init(&enc, 0);
    labels_nul_decode(v, &raw);
    rc = regex_expand(re, buf_str(&raw), raw.len, repl, &res);
    if (rc == 1) {
        labels_nul_encode(buf_str(&res), res.len, &enc);
        if (buf_append(out, buf_str(&enc), enc.len) < 0)
            rc = -1;
    }
    buf_fini(&raw);
    buf_fini(&res);
    buf_fini(&enc);
    return rc;
}

/* ---- sets ----------------------------------------------------------- */

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
 * which is Go's string order; values may hold a NUL byte as C0 80, which
 * labels_strcmp orders as the NUL it stands for.
 */
int
labels_cmp(const struct labels *a, const struct labels *b)
{
    size_t n = a->n < b->n ? a->n : b->n;
    int c;

    for (size_t i = 0; i < n; i++) {
        /* Interned strings are often the very same pointer. */
        if (a->v[i].name != b->v[i].name) {
            c = strcmp(a->v[i].name, b->v[i].name);
            if (c != 0)
                return c < 0 ? -1 : 1;
        }
        if (a->v[i].value != b->v[i].value) {
            c = labels_strcmp(a->v[i].value, b->v[i].value);
            if (c != 0)
                return c;
        }
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
        else if (is_nul(s))
            esc = "\\x00";
        if (esc == NULL)
            continue;
        buf_append(out, run, (size_t)(s - run));
        buf_puts(out, esc);
        s += is_nul(s);
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
