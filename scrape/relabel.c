/*
 * The relabelling engine: rule validation as Prometheus 2.42 does it when
 * it loads a config, and the eleven actions of model/relabel applied to a
 * sorted, owning label builder. It reads no config and does no I/O; the
 * target-specific steps (instance, default port) live in
 * scrape/relabel_target.c.
 */
#include "scrape/relabel.h"

#include <assert.h>
#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wctype.h>

#include "src/base/buf.h"
#include "src/base/md5.h"
#include "src/base/regex.h"
#include "src/base/utf8.h"
#include "src/base/xalloc.h"

struct relabel_rule {
    enum relabel_action action;
    char **source;              /* source label names, owned */
    size_t nsource;
    char *separator;
    struct regex *re;
    uint64_t modulus;
    char *target;               /* "" when not given */
    char *replacement;
};

struct relabel_rules {
    struct relabel_rule *v;
    size_t n, cap;
};

/*
 * Invariant: v[0..n) is sorted by name (strcmp, which orders bytes as Go
 * compares strings), names are unique, no value is empty, and every string
 * is owned. The scratch buffers spare relabel_apply an allocation per call.
 */
struct relabel_builder {
    struct label *v;
    size_t n, cap;
    struct labels view;
    struct buf val, tmp, tmp2, snap;
    struct buf raw, enc;        /* val decoded; a result encoded */
};

/* ORDER relabel_action */
static const char *const relabel_action_names[] = {
    "replace", "keep", "drop", "keepequal", "dropequal", "hashmod",
    "labelmap", "labeldrop", "labelkeep", "lowercase", "uppercase",
};
_Static_assert(sizeof(relabel_action_names) / sizeof(relabel_action_names[0])
               == RELABEL_ACTION_COUNT, "relabel_action_names out of step");

/* The pattern Prometheus checks target labels and labelmap replacements
 * against: label-name characters with $n, $name or ${name} references. */
static const char relabel_target_pattern[] =
    "(?:(?:[a-zA-Z_]|\\$(?:\\{\\w+\\}|\\w+))+\\w*)+";

const char *
relabel_action_name(enum relabel_action a)
{
    if ((unsigned)a >= RELABEL_ACTION_COUNT)
        return "?";
    return relabel_action_names[a];
}

int
relabel_action_parse(const char *s, enum relabel_action *out)
{
    for (size_t i = 0; i < RELABEL_ACTION_COUNT; i++) {
        if (strcasecmp(s, relabel_action_names[i]) == 0) {
            *out = (enum relabel_action)i;
            return 0;
        }
    }
    return -1;
}

bool
relabel_name_valid(const char *s)
{
    if (*s == '\0')
        return false;
    for (size_t i = 0; s[i] != '\0'; i++) {
        char c = s[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
              || (c >= '0' && c <= '9' && i > 0)))
            return false;
    }
    return true;
}


void
relabel_quote(struct buf *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    buf_putc(out, '"');
    while (i < len) {
        uint32_t r;
        size_t w = utf8_decode((const char *)p + i, len - i, &r);

        if (w == 0) {
            buf_printf(out, "\\x%02x", p[i]);
            w = 1;
        } else if (r == '"' || r == '\\') {
            buf_putc(out, '\\');
            buf_putc(out, (char)r);
        } else if (r == '\n') {
            buf_puts(out, "\\n");
        } else if (r == '\t') {
            buf_puts(out, "\\t");
        } else if (r == '\r') {
            buf_puts(out, "\\r");
        } else if (r < 0x20 || r == 0x7f) {
            buf_printf(out, "\\x%02x", (unsigned)r);
        } else {
            buf_append(out, s + i, w);
        }
        i += w;
    }
    buf_putc(out, '"');
}

/*
 * The C.UTF-8 locale for Unicode case mapping, made once. glibc has it
 * built in, so making it reads no file; when it is missing, case mapping
 * falls back to ASCII only.
 */
static locale_t
utf8_locale(void)
{
    static locale_t loc;
    static bool tried;

    if (!tried) {
        tried = true;
        loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    }
    return loc;
}

/*
 * Appends s with each rune mapped to lower (or upper) case, as Go's
 * strings.ToLower/ToUpper do: simple one-to-one Unicode mappings, and each
 * byte of an invalid sequence becomes U+FFFD.
 */
static void
case_map(struct buf *out, const char *s, size_t len, bool upper)
{
    const unsigned char *p = (const unsigned char *)s;
    locale_t loc = utf8_locale();
    size_t i = 0;

    while (i < len) {
        uint32_t r;
        size_t w = utf8_decode((const char *)p + i, len - i, &r);

        if (w == 0) {
            r = 0xfffd;
            w = 1;
        } else if (r < 0x80) {
            if (upper && r >= 'a' && r <= 'z')
                r -= 'a' - 'A';
            else if (!upper && r >= 'A' && r <= 'Z')
                r += 'a' - 'A';
        } else if (loc != (locale_t)0) {
            r = (uint32_t)(upper ? towupper_l((wint_t)r, loc)
                                 : towlower_l((wint_t)r, loc));
        }
        utf8_put(r, out);
        i += w;
    }
}

/* ---- builder ---- */

struct relabel_builder *
relabel_builder_new(void)
{
    struct relabel_builder *lb = xcalloc(1, sizeof(*lb));

    buf_init(&lb->val, 0);
    buf_init(&lb->tmp, 0);
    buf_init(&lb->tmp2, 0);
    buf_init(&lb->snap, 0);
    buf_init(&lb->raw, 0);
    buf_init(&lb->enc, 0);
    return lb;
}

void
relabel_builder_reset(struct relabel_builder *lb)
{
    for (size_t i = 0; i < lb->n; i++) {
        free((char *)lb->v[i].name);
        free((char *)lb->v[i].value);
    }
    lb->n = 0;
    lb->view.v = lb->v;
    lb->view.n = 0;
}

void
relabel_builder_free(struct relabel_builder *lb)
{
    if (lb == NULL)
        return;
    relabel_builder_reset(lb);
    free(lb->v);
    buf_fini(&lb->val);
    buf_fini(&lb->tmp);
    buf_fini(&lb->tmp2);
    buf_fini(&lb->snap);
    buf_fini(&lb->raw);
    buf_fini(&lb->enc);
    free(lb);
}

/* Index of name, or of where it would go with *found false. */
static size_t
builder_find(const struct relabel_builder *lb, const char *name, bool *found)
{
    size_t lo = 0, hi = lb->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(lb->v[mid].name, name);

        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

/* Removes entry i, keeping the order. */
static void
builder_remove(struct relabel_builder *lb, size_t i)
{
    free((char *)lb->v[i].name);
    free((char *)lb->v[i].value);
    memmove(&lb->v[i], &lb->v[i + 1], (lb->n - i - 1) * sizeof(lb->v[0]));
    lb->n--;
    lb->view.n = lb->n;
}

void
relabel_builder_del(struct relabel_builder *lb, const char *name)
{
    bool found;
    size_t i = builder_find(lb, name, &found);

    if (found)
        builder_remove(lb, i);
}

void
relabel_builder_set(struct relabel_builder *lb, const char *name,
                    const char *value)
{
    bool found;
    size_t i;
    char *copy;

    if (*value == '\0') {       /* an empty label is a missing label */
        relabel_builder_del(lb, name);
        return;
    }
    /* Copy first: value may be a string this builder is about to free. */
    copy = xstrdup(value);
    i = builder_find(lb, name, &found);
    if (found) {
        free((char *)lb->v[i].value);
        lb->v[i].value = copy;
        return;
    }
    if (lb->n == lb->cap) {
        lb->cap = lb->cap ? lb->cap * 2 : 16;
        lb->v = xreallocarray(lb->v, lb->cap, sizeof(lb->v[0]));
    }
    memmove(&lb->v[i + 1], &lb->v[i], (lb->n - i) * sizeof(lb->v[0]));
    lb->v[i].name = xstrdup(name);
    lb->v[i].value = copy;
    lb->n++;
    lb->view.v = lb->v;
    lb->view.n = lb->n;
}

const char *
relabel_builder_get(const struct relabel_builder *lb, const char *name)
{
    bool found;
    size_t i = builder_find(lb, name, &found);

    return found ? lb->v[i].value : NULL;
}

const struct labels *
relabel_builder_labels(const struct relabel_builder *lb)
{
    return &lb->view;
}

void
relabel_builder_copy(struct relabel_builder *lb,
                     const struct relabel_builder *src)
{
    relabel_builder_reset(lb);
    for (size_t i = 0; i < src->n; i++)
        relabel_builder_set(lb, src->v[i].name, src->v[i].value);
}

/* ---- rules ---- */

void
relabel_spec_init(struct relabel_spec *s)
{
    memset(s, 0, sizeof(*s));
    s->action = RELABEL_REPLACE;
}

struct relabel_rules *
relabel_rules_new(void)
{
    return xcalloc(1, sizeof(struct relabel_rules));
}

static void
rule_fini(struct relabel_rule *r)
{
    for (size_t i = 0; i < r->nsource; i++)
        free(r->source[i]);
    free(r->source);
    free(r->separator);
    regex_free(r->re);
    free(r->target);
    free(r->replacement);
}

void
relabel_rules_free(struct relabel_rules *rs)
{
    if (rs == NULL)
        return;
    for (size_t i = 0; i < rs->n; i++)
        rule_fini(&rs->v[i]);
    free(rs->v);
    free(rs);
}

size_t
relabel_rules_count(const struct relabel_rules *rs)
{
    return rs->n;
}

/* True when s matches Prometheus's pattern for relabel target names. */
static bool
target_pattern_ok(const char *s)
{
    struct diag d;
    struct regex *re = regex_new(relabel_target_pattern, &d);
    bool ok;

    assert(re != NULL);
    ok = regex_match(re, s, strlen(s));
    regex_free(re);
    return ok;
}

/* Formats "%q is invalid '<what>' for <action> action" into d. */
static int
invalid_field(struct diag *d, const char *value, const char *what,
              enum relabel_action a)
{
    struct buf q;
    int rc;

    buf_init(&q, 0);
    relabel_quote(&q, value, strlen(value));
    rc = diag_set(d, 0, 0, 0, "%s is invalid '%s' for %s action", buf_str(&q),
                  what, relabel_action_name(a));
    buf_fini(&q);
    return rc;
}

/*
 * The checks of relabel.Config.UnmarshalYAML, in its order and wording.
 * tgt, sep and repl have their defaults applied; s tells what was given.
 */
static int
rule_check(const struct relabel_spec *s, const char *tgt, const char *sep,
           const char *repl, struct diag *d)
{
    enum relabel_action a = s->action;
    const char *an = relabel_action_name(a);
    bool writes = a == RELABEL_REPLACE || a == RELABEL_LOWERCASE
                  || a == RELABEL_UPPERCASE || a == RELABEL_KEEPEQUAL
                  || a == RELABEL_DROPEQUAL;
    bool no_repl = writes && a != RELABEL_REPLACE;
    bool default_repl = strcmp(repl, "$1") == 0;

    if (a == RELABEL_HASHMOD && s->modulus == 0)
        return diag_set(d, 0, 0, 0, "relabel configuration for hashmod "
                        "requires non-zero modulus");
    if ((writes || a == RELABEL_HASHMOD) && *tgt == '\0')
        return diag_set(d, 0, 0, 0, "relabel configuration for %s action "
                        "requires 'target_label' value", an);
    if (writes && !target_pattern_ok(tgt))
        return invalid_field(d, tgt, "target_label", a);
    if (no_repl && !default_repl)
        return diag_set(d, 0, 0, 0, "'replacement' can not be set for %s "
                        "action", an);
    if (a == RELABEL_LABELMAP && !target_pattern_ok(repl))
        return invalid_field(d, repl, "replacement", a);
    if (a == RELABEL_HASHMOD && !relabel_name_valid(tgt))
        return invalid_field(d, tgt, "target_label", a);
    if ((a == RELABEL_KEEPEQUAL || a == RELABEL_DROPEQUAL)
        && (s->regex != NULL || s->modulus != 0 || strcmp(sep, ";") != 0
            || !default_repl))
        return diag_set(d, 0, 0, 0, "%s action requires only "
                        "'source_labels' and `target_label`, and no other "
                        "fields", an);
    if ((a == RELABEL_LABELDROP || a == RELABEL_LABELKEEP)
        && (s->source_labels != NULL || *tgt != '\0' || s->modulus != 0
            || strcmp(sep, ";") != 0 || !default_repl))
        return diag_set(d, 0, 0, 0, "%s action requires only 'regex', and "
                        "no other fields", an);
    return 0;
}

int
relabel_rules_add(struct relabel_rules *rs, const struct relabel_spec *s,
                  struct diag *d)
{
    const char *tgt = s->target_label ? s->target_label : "";
    const char *sep = s->separator ? s->separator : ";";
    const char *repl = s->replacement ? s->replacement : "$1";
    struct regex *re;
    struct relabel_rule *r;

    assert((unsigned)s->action < RELABEL_ACTION_COUNT);
    /* The regex compiles while the rule is read, before any check. */
    re = regex_new(s->regex ? s->regex : "(.*)", d);
    if (re == NULL)
        return -1;
    if (rule_check(s, tgt, sep, repl, d) < 0) {
        regex_free(re);
        return -1;
    }
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 4;
        rs->v = xreallocarray(rs->v, rs->cap, sizeof(rs->v[0]));
    }
    r = &rs->v[rs->n++];
    r->action = s->action;
    r->nsource = s->nsource;
    r->source = xcalloc(s->nsource ? s->nsource : 1, sizeof(char *));
    for (size_t i = 0; i < s->nsource; i++)
        r->source[i] = xstrdup(s->source_labels[i]);
    r->separator = xstrdup(sep);
    r->re = re;
    r->modulus = s->modulus;
    r->target = xstrdup(tgt);
    r->replacement = xstrdup(repl);
    return 0;
}

/* ---- applying ---- */

/* Joins the source values into lb->val; a missing label counts as "". */
static void
join_sources(const struct relabel_rule *r, struct relabel_builder *lb)
{
    buf_reset(&lb->val);
    buf_puts(&lb->val, "");
    for (size_t i = 0; i < r->nsource; i++) {
        const char *v = relabel_builder_get(lb, r->source[i]);

        if (i > 0)
            buf_puts(&lb->val, r->separator);
        buf_puts(&lb->val, v ? v : "");
    }
}

/*
 * The joined value as a regex, hashmod and case mapping see it: the
 * bytes it stands for, a NUL byte that label strings carry as C0 80
 * (store/labels.h) as itself, as in Prometheus.
 */
static const char *
raw_value(struct relabel_builder *lb, size_t *n)
{
    const char *val = buf_str(&lb->val);

    *n = lb->val.len;
    if (strstr(val, LABELS_NUL) == NULL)
        return val;
    buf_reset(&lb->raw);
    labels_nul_decode(val, &lb->raw);
    *n = lb->raw.len;
    return buf_str(&lb->raw);
}

/* Sets name to the bytes in b, a NUL byte among them kept as C0 80. */
static void
set_bytes(struct relabel_builder *lb, const char *name, const struct buf *b)
{
    if (memchr(buf_str(b), '\0', b->len) == NULL) {
        relabel_builder_set(lb, name, buf_str(b));
        return;
    }
    buf_reset(&lb->enc);
    labels_nul_encode(b->data, b->len, &lb->enc);
    relabel_builder_set(lb, name, buf_str(&lb->enc));
}

/*
 * replace: when the regex matches the joined value, expands target_label
 * and replacement with its groups. An invalid expanded name or an empty
 * result deletes the label named by the unexpanded target_label, as
 * Prometheus does.
 */
static void
do_replace(const struct relabel_rule *r, struct relabel_builder *lb,
           const char *val, size_t n)
{
    buf_reset(&lb->tmp);
    buf_puts(&lb->tmp, "");
    if (regex_expand(r->re, val, n, r->target, &lb->tmp) != 1)
        return;
    if (strlen(buf_str(&lb->tmp)) != lb->tmp.len ||
        !relabel_name_valid(buf_str(&lb->tmp))) {
        relabel_builder_del(lb, r->target);
        return;
    }
    buf_reset(&lb->tmp2);
    buf_puts(&lb->tmp2, "");
    regex_expand(r->re, val, n, r->replacement, &lb->tmp2);
    if (lb->tmp2.len == 0)
        relabel_builder_del(lb, r->target);
    else
        set_bytes(lb, buf_str(&lb->tmp), &lb->tmp2);
}

/* hashmod: the last 8 bytes of the MD5 digest, big-endian, modulo. */
static void
do_hashmod(const struct relabel_rule *r, struct relabel_builder *lb,
           const char *val, size_t n)
{
    unsigned char sum[MD5_DIGEST_LEN];
    uint64_t h = 0;
    char out[24];

    md5_sum(val, n, sum);
    for (int i = 8; i < 16; i++)
        h = h << 8 | sum[i];
    snprintf(out, sizeof(out), "%" PRIu64, h % r->modulus);
    relabel_builder_set(lb, r->target, out);
}

/*
 * labelmap: every label whose name matches gets copied to the expanded
 * replacement name. Names and values are read from a snapshot of the set
 * as the rule found it, since Prometheus reads the unmodified set.
 */
static void
do_labelmap(const struct relabel_rule *r, struct relabel_builder *lb)
{
    size_t n = lb->n;
    const char *p;

    buf_reset(&lb->snap);
    for (size_t i = 0; i < n; i++) {
        buf_append(&lb->snap, lb->v[i].name, strlen(lb->v[i].name) + 1);
        buf_append(&lb->snap, lb->v[i].value, strlen(lb->v[i].value) + 1);
    }
    p = lb->snap.data;
    for (size_t i = 0; i < n; i++) {
        const char *name = p, *value = p + strlen(p) + 1;

        p = value + strlen(value) + 1;
        buf_reset(&lb->tmp);
        buf_puts(&lb->tmp, "");
        if (regex_expand(r->re, name, strlen(name), r->replacement,
                         &lb->tmp) == 1)
            relabel_builder_set(lb, buf_str(&lb->tmp), value);
    }
}

/* labeldrop (keep false) and labelkeep (keep true) on label names. */
static void
do_labelfilter(const struct relabel_rule *r, struct relabel_builder *lb,
               bool keep)
{
    for (size_t i = lb->n; i-- > 0;) {
        const char *name = lb->v[i].name;

        if (regex_match(r->re, name, strlen(name)) != keep)
            builder_remove(lb, i);
    }
}

/* One rule; false when it drops the set. */
static bool
apply_rule(const struct relabel_rule *r, struct relabel_builder *lb)
{
    const char *val, *cur, *raw;
    size_t n;

    join_sources(r, lb);
    val = buf_str(&lb->val);
    raw = raw_value(lb, &n);
    switch (r->action) {
    case RELABEL_DROP:
        return !regex_match(r->re, raw, n);
    case RELABEL_KEEP:
        return regex_match(r->re, raw, n);
    case RELABEL_DROPEQUAL:
        cur = relabel_builder_get(lb, r->target);
        return strcmp(cur ? cur : "", val) != 0;
    case RELABEL_KEEPEQUAL:
        cur = relabel_builder_get(lb, r->target);
        return strcmp(cur ? cur : "", val) == 0;
    case RELABEL_REPLACE:
        do_replace(r, lb, raw, n);
        return true;
    case RELABEL_LOWERCASE:
    case RELABEL_UPPERCASE:
        buf_reset(&lb->tmp);
        buf_puts(&lb->tmp, "");
        case_map(&lb->tmp, raw, n, r->action == RELABEL_UPPERCASE);
        set_bytes(lb, r->target, &lb->tmp);
        return true;
    case RELABEL_HASHMOD:
        do_hashmod(r, lb, raw, n);
        return true;
    case RELABEL_LABELMAP:
        do_labelmap(r, lb);
        return true;
    case RELABEL_LABELDROP:
    case RELABEL_LABELKEEP:
        do_labelfilter(r, lb, r->action == RELABEL_LABELKEEP);
        return true;
    case RELABEL_ACTION_COUNT:
        break;
    }
    assert(!"unknown relabel action");
    return true;
}

bool
relabel_apply_at(const struct relabel_rules *rs, struct relabel_builder *lb,
                 size_t *dropped_by)
{
    for (size_t i = 0; i < rs->n; i++) {
        if (!apply_rule(&rs->v[i], lb)) {
            if (dropped_by != NULL)
                *dropped_by = i;
            return false;
        }
    }
    return true;
}

bool
relabel_apply(const struct relabel_rules *rs, struct relabel_builder *lb)
{
    return relabel_apply_at(rs, lb, NULL);
}

enum relabel_action
relabel_rules_action(const struct relabel_rules *rs, size_t i)
{
    assert(i < rs->n);
    return rs->v[i].action;
}

size_t
relabel_rules_undecided(const struct relabel_rules *rs)
{
    size_t n = 0;

    for (size_t i = 0; i < rs->n; i++)
        if (rs->v[i].re != NULL)
            n += regex_undecided(rs->v[i].re);
    return n;
}
