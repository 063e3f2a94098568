/*
 * match and reReplaceAll. promdeck's regexes match whole texts only, so
 * a search wraps the user's pattern: match puts (?s:.*) on both sides,
 * reReplaceAll finds each leftmost match with named groups around it
 * (and one character before it, so \b sees its context) and rewrites $1
 * in the replacement to the shifted group. The results are Go's.
 */
#include "src/rules/template_regex.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "src/base/buf.h"
#include "src/base/diag.h"
#include "src/base/regex.h"

/*
 * Sets c->err to regex_new's message about pat, with the anchors it adds
 * (^(?: and )$) taken off the quoted expression: Go compiles a template's
 * pattern as written, and its message quotes it so.
 */
static void
regex_err(struct tfunc_ctx *c, const char *msg)
{
    const char *q = strchr(msg, '`');
    size_t n = strlen(msg);

    if (!q || n < 2 || msg[n - 1] != '`') {
        tfunc_fail(c, "%s", msg);
        return;
    }
    q++;
    n -= (size_t)(q - msg) + 1;
    if (!strncmp(q, "^(?:", 4)) {
        q += 4;
        n -= 4;
    }
    if (n >= 2 && !strncmp(q + n - 2, ")$", 2))
        n -= 2;
    tfunc_fail(c, "%.*s%.*s`", (int)(strchr(msg, '`') + 1 - msg), msg,
               (int)n, q);
}

/* Compiles a pattern built around the user's one; NULL and c->err set
 * to Go's message about the user's pattern when that one is bad. */
static struct regex *
compile_around(struct tfunc_ctx *c, const char *pat, const char *before,
               const char *after)
{
    struct diag d;
    struct regex *re = regex_new(pat, &d);
    struct buf b;

    if (!re) {
        regex_err(c, d.msg);
        return NULL;
    }
    regex_free(re);
    buf_init(&b, 0);
    buf_printf(&b, "%s%s%s", before, pat, after);
    re = regex_new(buf_str(&b), &d);
    buf_fini(&b);
    if (!re)
        tfunc_fail(c, "%s", d.msg);
    return re;
}

/* match: regexp.MatchString, a match anywhere in the text. */
int
tfunc_match(struct tfunc_ctx *c, const struct tval *a, size_t n,
         struct tval *res)
{
    struct regex *re = compile_around(c, a[0].s, "(?s:.*)(?:", ")(?s:.*)");
    bool ok;

    (void)n;
    if (!re)
        return -1;
    ok = regex_match(re, a[1].s, a[1].len);
    if (!ok && regex_error(re)) {
        tfunc_fail(c, "%s", regex_error(re));
        regex_free(re);
        return -1;
    }
    regex_free(re);
    return tfunc_ret_bool(ok, res);
}

/*
 * Rewrites a replacement for the search pattern of re_replace_all, in
 * which the user's groups come after three of ours: $1 becomes ${4},
 * $0 (the whole match) ${3}; names and $$ stay. Go's Regexp.Expand
 * rules: a name is letters, digits and '_', all digits is a number, a
 * malformed reference is a literal '$'.
 */
static void
shift_groups(const char *repl, struct buf *b)
{
    const char *p = repl, *q;
    bool brace;
    long num;

    while ((q = strchr(p, '$')) != NULL) {
        buf_append(b, p, (size_t)(q - p));
        p = q + 1;
        if (*p == '$') {
            buf_puts(b, "$$");
            p++;
            continue;
        }
        brace = *p == '{';
        q = p + brace;
        while (*q == '_' || isalnum((unsigned char)*q) || (*q & 0x80))
            q++;
        if (q == p + brace || (brace && *q != '}')) {
            buf_puts(b, "$$");
            continue;
        }
        num = 0;
        for (const char *d = p + brace; d < q && num >= 0; d++)
            num = isdigit((unsigned char)*d) && num < 100000000
                  ? num * 10 + (*d - '0') : -1;
        if ((q - (p + brace)) > 1 && p[brace] == '0')
            num = -1;
        if (num >= 0)
            buf_printf(b, "${%ld}", num + 3);
        else
            buf_printf(b, "${%.*s}", (int)(q - (p + brace)), p + brace);
        p = q + brace;
    }
    buf_puts(b, p);
}

/* The byte length of the UTF-8 character at s (1 for a bad byte, 0 at
 * the end), as Go's utf8.DecodeRuneInString counts it. */
static size_t
char_width(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k, i;

    if (n == 0)
        return 0;
    k = u[0] < 0x80 ? 1 : u[0] >= 0xC2 && u[0] < 0xE0 ? 2
        : u[0] >= 0xE0 && u[0] < 0xF0 ? 3 : u[0] >= 0xF0 && u[0] < 0xF5
        ? 4 : 1;
    for (i = 1; i < k; i++)
        if (i >= n || (u[i] & 0xC0) != 0x80)
            return 1;
    return k;
}

/* Where the character before byte pos starts. */
static size_t
char_before(const char *s, size_t pos)
{
    size_t back;

    for (back = 1; back <= 4 && back <= pos; back++)
        if (char_width(s + pos - back, back) == back)
            return pos - back;
    return pos - 1;
}

/* The length of group g (a reference like "${1}") of re's match of s. */
static long
group_len(struct regex *re, const char *s, size_t n, const char *g,
          struct buf *tmp)
{
    int rc;

    buf_reset(tmp);
    rc = regex_expand(re, s, n, g, tmp);
    return rc == 1 ? (long)tmp->len : rc == 0 ? -1 : -2;
}

/*
 * Finds the leftmost match at or after pos: re[0] searches from the
 * start, re[1] after one character of context (for \b). Sets the match
 * [*a0, *a1) and where the text searched starts; 0 none, 1 found, -1.
 */
static int
find_from(struct regex *re[2], const char *s, size_t n, size_t pos,
          size_t *from, size_t *a0, size_t *a1, struct buf *tmp)
{
    struct regex *r = re[pos > 0];
    long skip, pre, post;

    *from = pos > 0 ? char_before(s, pos) : 0;
    skip = group_len(r, s + *from, n - *from, "${1}", tmp);
    if (skip < 0)
        return skip == -1 ? 0 : -1;
    pre = group_len(r, s + *from, n - *from, "${2}", tmp);
    post = group_len(r, s + *from, n - *from, "${pdpost}", tmp);
    if (pre < 0 || post < 0)
        return -1;
    *a0 = *from + (size_t)skip + (size_t)pre;
    *a1 = n - (size_t)post;
    return 1;
}

/* reReplaceAll: Go's Regexp.ReplaceAllString, $1 and ${name} expanded;
 * a bad pattern fails as regexp.MustCompile's panic reads. */
int
tfunc_re_replace_all(struct tfunc_ctx *c, const struct tval *a, size_t n,
                  struct tval *res)
{
    static const char *const pre[2] = {
        "(?s:(?P<pdskip>))(?s:(?P<pdpre>.*?))(?P<pdm>",
        "(?s:(?P<pdskip>.))(?s:(?P<pdpre>.*?))(?P<pdm>"};
    const char *post = ")(?s:(?P<pdpost>.*))", *s = a[2].s;
    struct regex *re[2] = {NULL, NULL};
    struct buf out, repl, tmp;
    size_t len = a[2].len, pos = 0, last = 0, from, a0, a1, w;
    int rc = 0;

    (void)n;
    if ((re[0] = compile_around(c, a[0].s, pre[0], post)) == NULL
        || (re[1] = compile_around(c, a[0].s, pre[1], post)) == NULL) {
        char msg[512];

        snprintf(msg, sizeof msg, "%s", c->err);
        regex_free(re[0]);
        return tfunc_fail(c, "regexp: Compile(`%s`): %s", a[0].s, msg);
    }
    buf_init(&out, 0);
    buf_init(&repl, 0);
    buf_init(&tmp, 0);
    shift_groups(a[1].s, &repl);
    while (pos <= len
           && (rc = find_from(re, s, len, pos, &from, &a0, &a1, &tmp)) > 0) {
        buf_append(&out, s + last, a0 - last);
        /* no replacement for an empty match right after a match */
        if (a1 > last || a0 == 0)
            regex_expand(re[pos > 0], s + from, len - from, buf_str(&repl),
                         &out);
        last = a1;
        w = char_width(s + pos, len - pos);
        pos = pos + w > a1 ? pos + w : pos + 1 > a1 ? pos + 1 : a1;
    }
    if (rc < 0)
        tfunc_fail(c, "%s", regex_error(re[pos > 0]) ? regex_error(re[pos > 0])
                     : "regular expression failed");
    buf_append(&out, s + last, len - last);
    regex_free(re[0]);
    regex_free(re[1]);
    buf_fini(&repl);
    buf_fini(&tmp);
    if (rc < 0) {
        buf_fini(&out);
        return -1;
    }
    return tfunc_ret_buf(c, &out, res);
}

