/*
 * The one wrapper around pcre2. src/base/regex_syntax.c reads Go's syntax
 * and writes an equivalent PCRE2 pattern; this file compiles it (with JIT)
 * and matches: the backtracking matcher first, on a small budget, and when
 * the budget runs out pcre2's DFA matcher, which follows every alternative
 * at once and so takes time linear in the text. Plain literals, `.*` and
 * `.+` skip pcre2 altogether, since most PromQL matchers are of that kind.
 * Search patterns (Grafana's, JavaScript-like) are compiled as written and
 * matched under the capturing run's budget. Linear is not always fast
 * (a few patterns Go accepts cost milliseconds a byte in the DFA), so a
 * caller's stop hook is asked before each match and between segments of
 * a long text, and ends the match undecided.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "src/base/regex.h"

#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/regex_syntax.h"
#include "src/base/utf8.h"
#include "src/base/xalloc.h"

/*
 * Budgets. The first backtracking run may take QUICK_BASE + QUICK_PER
 * steps per byte: plenty for any pattern that backtracks little, and a
 * few tens of microseconds for one that would take ages. The capturing
 * run of regex_expand, which only starts once the answer is known to be
 * yes, may take CAPTURE_BASE + CAPTURE_PER steps per byte (a millisecond
 * or so for a label value). The DFA's workspace grows up to WS_MAX.
 * After STRIKES budget overruns in a row the DFA goes first, with a try
 * of the backtracking matcher every PROBE_EVERY texts to see whether
 * the texts have become easy again.
 */
#define QUICK_BASE      500
#define QUICK_PER       8
#define CAPTURE_BASE    200000
#define CAPTURE_PER     256
#define HEAP_LIMIT_KIB  16384
#define WS_FIRST        1000
#define WS_MAX          (1 << 22)
#define PARENS_LIMIT    5000
#define STRIKES         8
#define PROBE_EVERY     64
/*
 * With a stop hook set, the DFA reads a text in segments of about this
 * many bytes and asks the hook between them: on the slowest patterns Go
 * accepts a byte can take a few milliseconds.
 */
#define SEGMENT         32

static const char too_complex[] =
    "regular expression too complex for this input";
static const char stopped[] = "regular expression match stopped";

/* RE_SEARCH: a JavaScript-style pattern, for regex_search only. */
enum regex_kind { RE_PCRE, RE_LITERAL, RE_ANY, RE_NONEMPTY, RE_SEARCH };

struct regex {
    enum regex_kind kind;
    char *literal;              /* RE_LITERAL: the text itself */
    size_t literal_len;
    pcre2_code *code;
    pcre2_match_data *md;       /* groups of the last backtracking run */
    pcre2_match_data *dfa_md;
    pcre2_match_context *quick, *slow;
    int *ws;                    /* the DFA's workspace */
    size_t wscount;
    struct buf names;           /* one NUL-terminated name per group */
    int ngroups;
    struct buf fixed;           /* the text with bad UTF-8 replaced */
    bool use_fixed;             /* the last text needed fixing */
    bool have_groups;           /* md holds the last text's groups */
    unsigned strikes;           /* budget overruns in a row */
    unsigned probe;             /* texts since the DFA went first */
    pcre2_code *letter;         /* \p{L} or \p{Nd}, for $names */
    const char *err;
    char errbuf[160];
    size_t undecided;           /* matches that ended with err set */
    regex_stop_fn stop;         /* the caller's hook, or NULL */
    void *stop_ctx;
};

/* True when p has no character that means something to a regex. */
static bool
is_literal(const char *p)
{
    /* U+FFFD stands for bad bytes in the text, so it needs pcre2. */
    return strpbrk(p, "\\^$.|?*+()[]{}") == NULL
        && strstr(p, "\xEF\xBF\xBD") == NULL;
}

/* A PCRE2 compile error on a pattern Go accepts: Go's nearest words. */
static void
compile_error(int err, const char *pattern, struct diag *d)
{
    const char *code = err == PCRE2_ERROR_PARENTHESES_NEST_TOO_DEEP
        || err == PCRE2_ERROR_PATTERN_TOO_COMPLICATED
        ? "expression nests too deeply" : "expression too large";

    diag_set(d, 1, 1, (int)strlen(pattern),
             "error parsing regexp: %s: `^(?:%s)$`", code, pattern);
}

static int
compile(struct regex *re, const char *pattern, const struct buf *pcre,
        struct diag *d)
{
    pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
    PCRE2_SIZE off;
    int err;

    pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
    pcre2_set_parens_nest_limit(cc, PARENS_LIMIT);
    re->code = pcre2_compile((PCRE2_SPTR)pcre->data, pcre->len,
                             PCRE2_UTF | PCRE2_ALT_CIRCUMFLEX
                             | PCRE2_NO_AUTO_CAPTURE
                             | PCRE2_NEVER_BACKSLASH_C, &err, &off, cc);
    pcre2_compile_context_free(cc);
    if (re->code == NULL) {
        compile_error(err, pattern, d);
        return -1;
    }
    pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
    re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
    re->dfa_md = pcre2_match_data_create(1, NULL);
    re->quick = pcre2_match_context_create(NULL);
    re->slow = pcre2_match_context_create(NULL);
    pcre2_set_heap_limit(re->quick, HEAP_LIMIT_KIB);
    pcre2_set_heap_limit(re->slow, HEAP_LIMIT_KIB);
    re->kind = RE_PCRE;
    return 0;
}

/* ---- (?i) on Unicode classes --------------------------------------- */

/* Past MAX_FOLD no character has a case partner (Go's maxFold). */
#define MAX_FOLD 0x1E943

/* The code points lo to hi, the surrogates left out, as UTF-8. */
static void
code_points(uint32_t lo, uint32_t hi, struct buf *b)
{
    for (uint32_t c = lo; c <= hi; c++)
        if (c < 0xD800 || c > 0xDFFF)
            utf8_put(c, b);
}

/*
 * Appends to out, as PCRE2 class items, the runs of the characters of
 * text (a sequence of code points) that class (a PCRE2 class, without
 * its brackets) takes in, read caselessly when caseless.
 */
static void
runs(const char *class, bool caseless, const struct buf *text,
     struct buf *out)
{
    char *pat = xasprintf("[%s]+", class);
    PCRE2_SIZE off, *ov;
    pcre2_match_data *md;
    pcre2_code *code;
    uint32_t lo, hi;
    size_t at = 0, last;
    int err;

    code = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                         PCRE2_UTF | (caseless ? PCRE2_CASELESS : 0), &err,
                         &off, NULL);
    free(pat);
    if (code == NULL)
        return;
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    md = pcre2_match_data_create(1, NULL);
    ov = pcre2_get_ovector_pointer(md);
    while (pcre2_match(code, (PCRE2_SPTR)text->data, text->len, at,
                       PCRE2_NO_UTF_CHECK, md, NULL) > 0) {
        utf8_decode(text->data + ov[0], ov[1] - ov[0], &lo);
        for (last = ov[1] - 1; ((unsigned char)text->data[last] & 0xC0)
             == 0x80; last--)
            ;
        utf8_decode(text->data + last, ov[1] - last, &hi);
        buf_printf(out, "\\x{%x}-\\x{%x}", (unsigned)lo, (unsigned)hi);
        at = ov[1];
    }
    pcre2_match_data_free(md);
    pcre2_code_free(code);
}

/*
 * The regex_syntax_fold_fn: Go's (?i)\p{prop} is prop and every case
 * partner of its members. PCRE2 adds partners to the characters a class
 * lists, so prop's members up to MAX_FOLD are listed out (and \p{prop}
 * kept for the rest). For neg, the complement of that widened set: found
 * with PCRE2's own caseless class below MAX_FOLD, and \P{prop} above.
 */
static void
spell_folded(const char *prop, bool neg, struct buf *out)
{
    char *plain = xasprintf("\\p{%s}", prop), *rest;
    struct buf low, listed, high;

    buf_init(&low, 0);
    buf_init(&listed, 0);
    code_points(0, MAX_FOLD, &low);
    runs(plain, false, &low, &listed);
    if (!neg) {
        buf_append(out, listed.data, listed.len);
        buf_puts(out, plain);
    } else {
        rest = xasprintf("^%s", buf_str(&listed));
        runs(listed.len > 0 ? rest : "\\x{0}-\\x{10ffff}", true, &low, out);
        free(rest);
        buf_init(&high, 0);
        code_points(MAX_FOLD + 1, 0x10FFFF, &high);
        plain[1] = 'P';
        runs(plain, false, &high, out);
        buf_fini(&high);
    }
    buf_fini(&low);
    buf_fini(&listed);
    free(plain);
}

struct regex *
regex_new(const char *pattern, struct diag *d)
{
    struct regex *re = xcalloc(1, sizeof(*re));
    struct buf pcre;
    int n;

    buf_init(&re->names, 0);
    buf_init(&re->fixed, 0);
    buf_init(&pcre, 0);
    n = regex_syntax_translate(pattern, strlen(pattern), spell_folded, &pcre,
                               &re->names, d);
    re->ngroups = n;
    if (n < 0) {
        regex_free(re);
        re = NULL;
    } else if (strcmp(pattern, ".*") == 0) {
        re->kind = RE_ANY;
    } else if (strcmp(pattern, ".+") == 0) {
        re->kind = RE_NONEMPTY;
    } else if (is_literal(pattern)) {
        re->kind = RE_LITERAL;
        re->literal = xstrdup(pattern);
        re->literal_len = strlen(pattern);
    } else if (compile(re, pattern, &pcre, d) < 0) {
        regex_free(re);
        re = NULL;
    }
    buf_fini(&pcre);
    return re;
}

void
regex_free(struct regex *re)
{
    if (re == NULL)
        return;
    pcre2_match_context_free(re->quick);
    pcre2_match_context_free(re->slow);
    pcre2_match_data_free(re->dfa_md);
    pcre2_match_data_free(re->md);
    pcre2_code_free(re->code);
    pcre2_code_free(re->letter);
    buf_fini(&re->names);
    buf_fini(&re->fixed);
    free(re->ws);
    free(re->literal);
    free(re);
}

const char *
regex_error(const struct regex *re)
{
    return re->err;
}

size_t
regex_undecided(const struct regex *re)
{
    return re->undecided;
}

void
regex_set_stop(struct regex *re, regex_stop_fn fn, void *ctx)
{
    re->stop = fn;
    re->stop_ctx = ctx;
}

/* True, with the match undecided, when the caller's hook says stop. */
static bool
should_stop(struct regex *re)
{
    if (re->stop == NULL || !re->stop(re->stop_ctx))
        return false;
    re->undecided++;
    re->err = stopped;
    return true;
}

/* ---- Matching -------------------------------------------------------- */

/*
 * The text pcre2 sees: s itself, or when s is not UTF-8 a copy with each
 * bad byte replaced by U+FFFD, which is how Go's matcher reads it. Either
 * way it is valid UTF-8, so pcre2 is told to skip its own check.
 */
static const char *
subject(struct regex *re, const char *s, size_t len, size_t *n)
{
    uint32_t cp;
    size_t ascii = 0;

    /* Most label values are ASCII, which needs no closer look. */
    while (ascii < len && (unsigned char)s[ascii] < 0x80)
        ascii++;
    re->use_fixed = ascii < len && !utf8_valid(s + ascii, len - ascii);
    if (!re->use_fixed) {
        *n = len;
        return s;
    }
    buf_reset(&re->fixed);
    for (size_t i = 0, w; i < len; i += w) {
        w = utf8_decode(s + i, len - i, &cp);
        if (w == 0) {
            buf_append(&re->fixed, "\xEF\xBF\xBD", 3);
            w = 1;
        } else {
            buf_append(&re->fixed, s + i, w);
        }
    }
    *n = re->fixed.len;
    return re->fixed.data;
}

/* Sets ctx's budget to base + per steps for each of n bytes. */
static void
set_budget(pcre2_match_context *ctx, size_t base, size_t per, size_t n)
{
    size_t steps = n > (UINT32_MAX - base) / per ? UINT32_MAX
                                                  : base + per * n;

    pcre2_set_match_limit(ctx, (uint32_t)steps);
}

/* Whether rc says a budget ran out, rather than giving an answer. */
static bool
is_limit(int rc)
{
    return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT
        || rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT
        || rc == PCRE2_ERROR_NOMEMORY || rc == PCRE2_ERROR_DFA_WSSIZE;
}

static void
set_error(struct regex *re, int rc)
{
    PCRE2_UCHAR msg[120];

    re->undecided++;
    if (is_limit(rc)) {
        re->err = too_complex;
        return;
    }
    pcre2_get_error_message(rc, msg, sizeof(msg));
    snprintf(re->errbuf, sizeof(re->errbuf),
             "regular expression match failed: %s", (const char *)msg);
    re->err = re->errbuf;
}

/*
 * One run of pcre2's DFA matcher over s[0..n): pcre2's return code, or
 * PCRE2_ERROR_CALLOUT when the stop hook ended it. With a hook, the text
 * goes in segments (PCRE2_PARTIAL_HARD, then PCRE2_DFA_RESTART with the
 * text so far, so \b still sees the character before a segment).
 */
static int
dfa_run(struct regex *re, const char *s, size_t n)
{
    uint32_t opts = PCRE2_DFA_SHORTEST | PCRE2_NO_UTF_CHECK;
    size_t from = 0, to;
    int rc;

    for (;;) {
        to = n;
        if (re->stop != NULL && n - from > SEGMENT) {
            to = from + SEGMENT;
            while (to < n && ((unsigned char)s[to] & 0xC0) == 0x80)
                to++;
        }
        rc = pcre2_dfa_match(re->code, (PCRE2_SPTR)s, to, from,
                             opts | (to < n ? PCRE2_PARTIAL_HARD : 0),
                             re->dfa_md, NULL, re->ws, re->wscount);
        if (rc != PCRE2_ERROR_PARTIAL || to == n)
            return rc;
        if (should_stop(re))
            return PCRE2_ERROR_CALLOUT;
        from = to;
        opts |= PCRE2_DFA_RESTART;
    }
}

/*
 * pcre2's DFA matcher, for the yes or no alone: 1, 0, or -1 with the
 * error set. Every match of our patterns ends at the end of the text, so
 * the shortest one found is as good as any.
 */
static int
dfa(struct regex *re, const char *s, size_t n)
{
    int rc;

    for (;;) {
        if (re->ws == NULL) {
            re->wscount = WS_FIRST;
            re->ws = xreallocarray(NULL, re->wscount, sizeof(int));
        }
        rc = dfa_run(re, s, n);
        if (rc != PCRE2_ERROR_DFA_WSSIZE || re->wscount >= WS_MAX)
            break;
        re->wscount *= 4;
        re->ws = xreallocarray(re->ws, re->wscount, sizeof(int));
    }
    if (rc >= 0)
        return 1;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc != PCRE2_ERROR_CALLOUT)
        set_error(re, rc);
    return -1;
}

/* 1 when s matches, 0 when not, -1 when undecided (re->err says why). */
static int
pcre_match(struct regex *re, const char *s, size_t len)
{
    size_t n;
    const char *subj;
    int rc;

    if (should_stop(re))
        return -1;
    subj = subject(re, s, len, &n);
    if (re->strikes >= STRIKES && ++re->probe % PROBE_EVERY != 0)
        return dfa(re, subj, n);
    set_budget(re->quick, QUICK_BASE, QUICK_PER, n);
    rc = pcre2_match(re->code, (PCRE2_SPTR)subj, n, 0, PCRE2_NO_UTF_CHECK,
                     re->md, re->quick);
    if (is_limit(rc)) {
        re->strikes++;
        return dfa(re, subj, n);
    }
    re->strikes = 0;
    if (rc >= 0) {
        re->have_groups = true;
        return 1;
    }
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    set_error(re, rc);
    return -1;
}

bool
regex_match(struct regex *re, const char *s, size_t len)
{
    re->err = NULL;
    re->have_groups = false;
    re->use_fixed = false;
    switch (re->kind) {
    case RE_ANY:
        return memchr(s, '\n', len) == NULL;
    case RE_NONEMPTY:
        return len > 0 && memchr(s, '\n', len) == NULL;
    case RE_LITERAL:
        return len == re->literal_len && memcmp(re->literal, s, len) == 0;
    case RE_PCRE:
        return pcre_match(re, s, len) == 1;
    case RE_SEARCH:
        break;      /* made for regex_search; it matches nothing here */
    }
    return false;
}

/*
 * The groups of Go's leftmost-first match, once the DFA has said yes:
 * the backtracking matcher again, on the larger budget (and without JIT
 * should JIT's stack be too small).
 */
static int
capture(struct regex *re, const char *s, size_t len)
{
    const char *subj = re->use_fixed ? re->fixed.data : s;
    size_t n = re->use_fixed ? re->fixed.len : len;
    int rc;

    set_budget(re->slow, CAPTURE_BASE, CAPTURE_PER, n);
    rc = pcre2_match(re->code, (PCRE2_SPTR)subj, n, 0, PCRE2_NO_UTF_CHECK,
                     re->md, re->slow);
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
        rc = pcre2_match(re->code, (PCRE2_SPTR)subj, n, 0,
                         PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT, re->md,
                         re->slow);
    if (rc >= 0) {
        re->have_groups = true;
        return 0;
    }
    set_error(re, rc);
    return -1;
}

/* ---- Expansion ------------------------------------------------------- */

/* Where offset off of the fixed text lies in the text as given. */
static size_t
given_offset(const char *s, size_t len, size_t off)
{
    size_t i = 0, j = 0, w;
    uint32_t cp;

    while (j < off && i < len) {
        w = utf8_decode(s + i, len - i, &cp);
        j += w == 0 ? 3 : w;
        i += w == 0 ? 1 : w;
    }
    return i;
}

/* Appends group g of the last match to out; an unset group is empty. */
static int
put_group(struct regex *re, const char *s, size_t len, long g,
          struct buf *out)
{
    PCRE2_SIZE *ov, lo, hi;

    if (re->kind != RE_PCRE)
        return g == 0 ? buf_append(out, s, len) : 0;
    if (g < 0 || g > re->ngroups)
        return 0;
    ov = pcre2_get_ovector_pointer(re->md);
    if (ov[2 * g] == PCRE2_UNSET)
        return 0;
    lo = ov[2 * g];
    hi = ov[2 * g + 1];
    if (re->use_fixed) {
        lo = given_offset(s, len, lo);
        hi = given_offset(s, len, hi);
    }
    return buf_append(out, s + lo, hi - lo);
}

/* The first group called name[0..n) that took part in the match, or -1. */
static long
named_group(struct regex *re, const char *name, size_t n)
{
    const char *p = re->names.data;
    PCRE2_SIZE *ov;

    if (re->kind != RE_PCRE)
        return -1;
    ov = pcre2_get_ovector_pointer(re->md);
    for (long g = 1; g <= re->ngroups; g++) {
        size_t k = strlen(p);

        if (k == n && memcmp(p, name, n) == 0 && ov[2 * g] != PCRE2_UNSET)
            return g;
        p += k + 1;
    }
    return -1;
}

/*
 * Appends the group called name[0..n): a number (at most 8 digits, no
 * leading zero, as Go has it) or a group name. Unknown appends nothing.
 */
static int
put_ref(struct regex *re, const char *s, size_t len, const char *name,
        size_t n, struct buf *out)
{
    long g = 0;

    for (size_t i = 0; i < n && g >= 0; i++)
        g = name[i] >= '0' && name[i] <= '9' && g < 100000000
            ? g * 10 + (name[i] - '0') : -1;
    if (name[0] == '0' && n > 1)
        g = -1;
    if (g < 0 && (g = named_group(re, name, n)) < 0)
        return 0;
    return put_group(re, s, len, g, out);
}

/*
 * The width of the name character at p[0..n): a letter, a digit or '_'
 * as Go's unicode.IsLetter and IsDigit say; 0 for anything else.
 */
static size_t
name_char(struct regex *re, const char *p, size_t n)
{
    static const char cls[] = "\\A[\\p{L}\\p{Nd}]";
    unsigned char c = (unsigned char)*p;
    pcre2_match_data *md;
    uint32_t cp;
    size_t w;
    PCRE2_SIZE off;
    int err, rc;

    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
            || (c >= 'A' && c <= 'Z') || c == '_';
    if ((w = utf8_decode(p, n, &cp)) == 0)
        return 0;
    if (re->letter == NULL)
        re->letter = pcre2_compile((PCRE2_SPTR)cls, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF, &err, &off, NULL);
    md = pcre2_match_data_create(1, NULL);
    rc = pcre2_match(re->letter, (PCRE2_SPTR)p, w, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    return rc > 0 ? w : 0;
}

/*
 * After a '$' at p: the reference's name and where the text goes on, as
 * Go's regexp extract reads it ($name takes the longest run of name
 * characters; ${name} needs its closing brace). False when malformed,
 * in which case the '$' is literal text.
 */
static bool
extract_ref(struct regex *re, const char *p, const char **name, size_t *len,
            const char **rest)
{
    bool brace = *p == '{';
    const char *q = p + brace;
    size_t w;

    *name = q;
    while (*q != '\0' && (w = name_char(re, q, strlen(q))) > 0)
        q += w;
    *len = (size_t)(q - *name);
    if (*len == 0 || (brace && *q != '}'))
        return false;
    *rest = q + brace;
    return true;
}

static int
expand_template(struct regex *re, const char *s, size_t len,
                const char *repl, struct buf *out)
{
    const char *p = repl, *name, *rest;
    size_t n;
    int rc = 0;

    while (*p != '\0' && rc == 0) {
        const char *start = p;

        if (*p != '$') {
            while (*p != '\0' && *p != '$')
                p++;
            rc = buf_append(out, start, (size_t)(p - start));
        } else if (p[1] == '$') {
            rc = buf_putc(out, '$');
            p += 2;
        } else if (extract_ref(re, p + 1, &name, &n, &rest)) {
            rc = put_ref(re, s, len, name, n, out);
            p = rest;
        } else {
            rc = buf_putc(out, '$');
            p++;
        }
    }
    return rc;
}

int
regex_expand(struct regex *re, const char *s, size_t len, const char *repl,
             struct buf *out)
{
    size_t out0 = out->len;

    if (!regex_match(re, s, len))
        return re->err != NULL ? -1 : 0;
    if (re->kind == RE_PCRE && !re->have_groups && capture(re, s, len) < 0)
        return -1;
    if (expand_template(re, s, len, repl, out) < 0) {
        out->len = out0;
        if (out->data != NULL)
            out->data[out0] = '\0';
        return -1;
    }
    return 1;
}

/* ---- JavaScript-style search ------------------------------------------ */

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
    re->kind = RE_SEARCH;
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
    re->slow = pcre2_match_context_create(NULL);
    pcre2_set_heap_limit(re->slow, HEAP_LIMIT_KIB);
    return re;
}

bool
regex_search(struct regex *re, const char *s, size_t len, size_t from)
{
    int rc;

    if (re->kind != RE_SEARCH || from > len)
        return false;
    /* Backtracking only, as JavaScript's matcher: bounded like a capture,
     * and a search that runs out of budget is an error, not a miss. */
    re->err = NULL;
    set_budget(re->slow, CAPTURE_BASE, CAPTURE_PER, len);
    rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, from, 0, re->md,
                     re->slow);
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
        set_error(re, rc);
    return rc > 0;
}

bool
regex_group(const struct regex *re, int g, size_t *start, size_t *end)
{
    PCRE2_SIZE *ov;

    if (re->kind != RE_SEARCH || g < 0
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

    if (re->kind == RE_SEARCH)
        pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &n);
    return (int)n;
}

int
regex_group_number(const struct regex *re, const char *name)
{
    int g;

    if (re->kind != RE_SEARCH)
        return -1;
    g = pcre2_substring_number_from_name(re->code, (PCRE2_SPTR)name);
    return g < 0 ? -1 : g;
}
