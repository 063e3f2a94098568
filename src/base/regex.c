/*
 * The one wrapper around pcre2. Patterns are wrapped as ^(?:re)$ and
 * compiled with JIT where available. Plain literals and `.*` skip pcre2
 * altogether, since most PromQL matchers are of that kind. Search
 * patterns (Grafana's, JavaScript-like) are compiled as written.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "src/base/regex.h"

#include <ctype.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"

enum regex_kind { RE_PCRE, RE_LITERAL, RE_ANY, RE_NONEMPTY };

struct regex {
    enum regex_kind kind;
    char *pattern;
    pcre2_code *code;
    pcre2_match_data *md;
};

/* True when p has no character that means something to a regex. */
static bool
is_literal(const char *p)
{
    return strpbrk(p, "\\^$.|?*+()[]{}") == NULL;
}

struct regex *
regex_new(const char *pattern, struct diag *d)
{
    struct regex *re = xcalloc(1, sizeof(*re));
    char *wrapped;
    int err;
    PCRE2_SIZE off;

    re->pattern = xstrdup(pattern);
    if (strcmp(pattern, ".*") == 0) {
        re->kind = RE_ANY;
        return re;
    }
    if (strcmp(pattern, ".+") == 0) {
        re->kind = RE_NONEMPTY;
        return re;
    }
    if (is_literal(pattern)) {
        re->kind = RE_LITERAL;
        return re;
    }
    wrapped = xasprintf("^(?:%s)$", pattern);
    re->code = pcre2_compile((PCRE2_SPTR)wrapped, PCRE2_ZERO_TERMINATED,
                             PCRE2_UTF | PCRE2_MATCH_INVALID_UTF
                             | PCRE2_DOLLAR_ENDONLY,
                             &err, &off, NULL);
    free(wrapped);
    if (re->code == NULL) {
        PCRE2_UCHAR msg[256];

        pcre2_get_error_message(err, msg, sizeof(msg));
        /* off counts the "^(?:" prefix; report a column in the pattern. */
        diag_set(d, 1, off > 4 ? (int)off - 4 + 1 : 1, 1,
                 "invalid regular expression \"%s\": %s", pattern,
                 (char *)msg);
        regex_free(re);
        return NULL;
    }
    pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
    re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
    re->kind = RE_PCRE;
    return re;
}

void
regex_free(struct regex *re)
{
    if (re == NULL)
        return;
    pcre2_match_data_free(re->md);
    pcre2_code_free(re->code);
    free(re->pattern);
    free(re);
}

static int
pcre_run(struct regex *re, const char *s, size_t len)
{
    return pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md, NULL);
}

bool
regex_match(struct regex *re, const char *s, size_t len)
{
    switch (re->kind) {
    case RE_ANY:
        return memchr(s, '\n', len) == NULL;
    case RE_NONEMPTY:
        return len > 0 && memchr(s, '\n', len) == NULL;
    case RE_LITERAL:
        return strlen(re->pattern) == len && memcmp(re->pattern, s, len) == 0;
    case RE_PCRE:
        return pcre_run(re, s, len) > 0;
    }
    return false;
}

/* Appends group g (by number) of the last match to out; absent is empty. */
static int
put_group(struct regex *re, const char *s, size_t len, long g,
          struct buf *out)
{
    PCRE2_SIZE *ov;
    uint32_t n;

    if (re->kind != RE_PCRE) {
        /* Literal and .* kinds only have group 0, the whole text. */
        return g == 0 ? buf_append(out, s, len) : 0;
    }
    n = pcre2_get_ovector_count(re->md);
    ov = pcre2_get_ovector_pointer(re->md);
    if (g < 0 || (uint32_t)g >= n || ov[2 * g] == PCRE2_UNSET)
        return 0;
    return buf_append(out, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
}

/*
 * Appends the group called name[0..n): a number (no leading zero, as Go
 * has it) or a group name. An unknown group appends nothing.
 */
static int
put_named(struct regex *re, const char *s, size_t len, const char *name,
          size_t n, struct buf *out)
{
    char tmp[128];
    long g = 0;

    if (n >= sizeof(tmp))
        return 0;
    for (size_t i = 0; i < n && g >= 0; i++)
        g = isdigit((unsigned char)name[i]) && g < 100000000
            ? g * 10 + (name[i] - '0') : -1;
    if (name[0] == '0' && n > 1)
        g = -1;
    if (g < 0) {
        if (re->kind != RE_PCRE)
            return 0;
        memcpy(tmp, name, n);
        tmp[n] = '\0';
        g = pcre2_substring_number_from_name(re->code, (PCRE2_SPTR)tmp);
        if (g < 0)
            return 0;
    }
    return put_group(re, s, len, g, out);
}

static bool
is_name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/*
 * After a '$' at p: the reference's name and where the text goes on, as
 * Go's regexp extract reads it ($name takes the longest run of letters,
 * digits and '_'; ${name} needs its closing brace). False when malformed,
 * in which case the '$' is literal text.
 */
static bool
extract_ref(const char *p, const char **name, size_t *len, const char **rest)
{
    bool brace = *p == '{';
    const char *q = p + brace;

    *name = q;
    while (is_name_char(*q))
        q++;
    *len = (size_t)(q - *name);
    if (*len == 0 || (brace && *q != '}'))
        return false;
    *rest = q + brace;
    return true;
}

int
regex_expand(struct regex *re, const char *s, size_t len, const char *repl,
             struct buf *out)
{
    const char *p = repl, *name, *rest;
    size_t n;
    int rc = 0;

    if (!regex_match(re, s, len))
        return 0;
    while (*p != '\0' && rc == 0) {
        const char *start = p;

        if (*p != '$') {
            while (*p != '\0' && *p != '$')
                p++;
            rc = buf_append(out, start, (size_t)(p - start));
        } else if (p[1] == '$') {
            rc = buf_putc(out, '$');
            p += 2;
        } else if (extract_ref(p + 1, &name, &n, &rest)) {
            rc = put_named(re, s, len, name, n, out);
            p = rest;
        } else {
            rc = buf_putc(out, '$');
            p++;
        }
    }
    return rc < 0 ? -1 : 1;
}

struct regex *
regex_new_search(const char *pattern, int flags, struct diag *d)
{
    struct regex *re = xcalloc(1, sizeof(*re));
    uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF
                    | PCRE2_DOLLAR_ENDONLY;
    int err;
    PCRE2_SIZE off;

    /* JavaScript's $ without the m flag is the end of the text only. */
    if (flags & REGEX_ICASE)
        opts |= PCRE2_CASELESS;
    if (flags & REGEX_MULTILINE)
        opts = (opts & ~PCRE2_DOLLAR_ENDONLY) | PCRE2_MULTILINE;
    if (flags & REGEX_DOTALL)
        opts |= PCRE2_DOTALL;
    re->pattern = xstrdup(pattern);
    re->kind = RE_PCRE;
    re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                             opts, &err, &off, NULL);
    if (re->code == NULL) {
        PCRE2_UCHAR msg[256];

        pcre2_get_error_message(err, msg, sizeof(msg));
        diag_set(d, 1, (int)off + 1, 1, "invalid regular expression "
                 "\"%s\": %s", pattern, (char *)msg);
        regex_free(re);
        return NULL;
    }
    pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
    re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
    return re;
}

bool
regex_search(struct regex *re, const char *s, size_t len, size_t from)
{
    if (re->kind != RE_PCRE || from > len)
        return false;
    return pcre2_match(re->code, (PCRE2_SPTR)s, len, from, 0, re->md,
                       NULL) > 0;
}

bool
regex_group(const struct regex *re, int g, size_t *start, size_t *end)
{
    PCRE2_SIZE *ov;

    if (re->kind != RE_PCRE || g < 0
        || (uint32_t)g >= pcre2_get_ovector_count(re->md))
        return false;
    ov = pcre2_get_ovector_pointer(re->md);
    if (ov[2 * g] == PCRE2_UNSET)
        return false;
    *start = ov[2 * g];
    *end = ov[2 * g + 1];
    return true;
}

int
regex_ngroups(const struct regex *re)
{
    uint32_t n = 0;

    if (re->kind == RE_PCRE)
        pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &n);
    return (int)n;
}

int
regex_group_number(const struct regex *re, const char *name)
{
    int g;

    if (re->kind != RE_PCRE)
        return -1;
    g = pcre2_substring_number_from_name(re->code, (PCRE2_SPTR)name);
    return g < 0 ? -1 : g;
}
