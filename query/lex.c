/*
 * PromQL lexer. One character switch classifies each token; words are
 * looked up in the keyword table case-insensitively (Inf and NaN are
 * numbers). It does not decide context: whether `by` is a label name or a
 * keyword, or whether `5m` may stand where it stands, is the parser's job.
 */
#include "query/lex.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "src/base/xalloc.h"

/* ORDER qtok */
static const char *const kind_names[] = {
    "end of input", "identifier", "number", "duration", "string",
    "'('", "')'", "'{'", "'}'", "'['", "']'", "','", "':'", "'@'",
    "'='", "'=='", "'!='", "'=~'", "'!~'", "'<'", "'<='", "'>'", "'>='",
    "'+'", "'-'", "'*'", "'/'", "'%'", "'^'",
    "and", "or", "unless", "atan2", "sum", "avg", "count", "min", "max",
    "group", "stddev", "stdvar", "topk", "bottomk", "count_values",
    "quantile", "offset", "by", "without", "on", "ignoring", "group_left",
    "group_right", "bool", "start", "end",
};
_Static_assert(sizeof(kind_names) / sizeof(kind_names[0]) ==
               QT_COUNT_OF_KINDS, "kind_names out of step with enum qtok");

const char *
qlex_kind_name(enum qtok kind)
{
    return kind < QT_COUNT_OF_KINDS ? kind_names[kind] : "?";
}

bool
qlex_is_word(enum qtok kind)
{
    return kind == QT_IDENT ||
           (kind >= QT_KW_FIRST && kind < QT_COUNT_OF_KINDS);
}

bool
qlex_is_aggregator(enum qtok kind)
{
    return kind >= QT_SUM && kind <= QT_QUANTILE;
}

void
qlex_init(struct qlex *lx, const char *src, size_t len)
{
    lx->src = src;
    lx->len = len;
    lx->pos = 0;
    lx->line = 1;
    lx->col = 1;
}

static int
peek(const struct qlex *lx, size_t ahead)
{
    size_t p = lx->pos + ahead;

    return p < lx->len ? (unsigned char)lx->src[p] : -1;
}

/* Moves one byte on, keeping line and column (columns count bytes). */
static void
advance(struct qlex *lx)
{
    if (lx->src[lx->pos] == '\n') {
        lx->line++;
        lx->col = 1;
    } else {
        lx->col++;
    }
    lx->pos++;
}

/* Words start with a letter or '_'; a leading ':' is the subquery colon. */
static bool
is_word_start(int c)
{
    return c == '_' || (c >= 0 && isalpha(c));
}

static bool
is_word_char(int c)
{
    return is_word_start(c) || c == ':' || (c >= 0 && isdigit(c));
}

static bool
is_unit(int c)
{
    return c >= 0 && strchr("smhdwy", c) != NULL;
}

/* Skips blanks and # comments. */
static void
skip_space(struct qlex *lx)
{
    int c;

    while ((c = peek(lx, 0)) != -1) {
        if (c == '#') {
            while (peek(lx, 0) != -1 && peek(lx, 0) != '\n')
                advance(lx);
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            advance(lx);
        } else {
            break;
        }
    }
}

static void
skip_digits(struct qlex *lx, bool hex)
{
    int c;

    while ((c = peek(lx, 0)) != -1 && (hex ? isxdigit(c) : isdigit(c)))
        advance(lx);
}

/*
 * number   = hex | digits [ "." digits ] [ exp ] | "." digits [ exp ]
 * duration = { digits unit }+
 * A run of digits followed by a unit letter is a duration; anything else
 * glued to a number is an error, as in Prometheus.
 */
static int
lex_number(struct qlex *lx, struct qtoken *tok, struct diag *d)
{
    bool digits_only = isdigit(peek(lx, 0));

    if (peek(lx, 0) == '0' && (peek(lx, 1) == 'x' || peek(lx, 1) == 'X') &&
        peek(lx, 2) != -1 && isxdigit(peek(lx, 2))) {
        advance(lx);
        advance(lx);
        skip_digits(lx, true);
        digits_only = false;
    } else {
        skip_digits(lx, false);
        if (peek(lx, 0) == '.') {
            digits_only = false;
            advance(lx);
            skip_digits(lx, false);
        }
        if ((peek(lx, 0) == 'e' || peek(lx, 0) == 'E') &&
            (isdigit(peek(lx, 1)) || ((peek(lx, 1) == '+' ||
              peek(lx, 1) == '-') && isdigit(peek(lx, 2))))) {
            digits_only = false;
            advance(lx);
            advance(lx);
            skip_digits(lx, false);
        }
    }
    tok->kind = QT_NUMBER;
    if (digits_only && is_unit(peek(lx, 0))) {
        while (is_unit(peek(lx, 0)) || isdigit(peek(lx, 0)))
            advance(lx);
        tok->kind = QT_DURATION;
    }
    tok->len = lx->pos - tok->off;
    if (is_word_start(peek(lx, 0)) || isdigit(peek(lx, 0)) ||
        (tok->kind == QT_DURATION &&
         qlex_duration(lx->src + tok->off, tok->len) == QLEX_INVALID)) {
        while (is_word_start(peek(lx, 0)) || isdigit(peek(lx, 0)))
            advance(lx);
        return diag_set(d, tok->line, tok->col, (int)(lx->pos - tok->off),
                        "bad number or duration syntax: \"%.*s\"",
                        (int)(lx->pos - tok->off), lx->src + tok->off);
    }
    return 0;
}

/* A quoted string; escapes are checked later by qlex_unquote. */
static int
lex_string(struct qlex *lx, struct qtoken *tok, struct diag *d)
{
    int q = peek(lx, 0);
    int c;

    advance(lx);
    while ((c = peek(lx, 0)) != q) {
        if (c == -1 || (c == '\n' && q != '`'))
            return diag_set(d, tok->line, tok->col,
                            (int)(lx->pos - tok->off),
                            "unterminated quoted string");
        if (c == '\\' && q != '`' && peek(lx, 1) != -1)
            advance(lx);
        advance(lx);
    }
    advance(lx);
    tok->kind = QT_STRING;
    return 0;
}

/*
 * Keywords are matched case-insensitively (SUM, By, AND all work), and
 * Inf and NaN in any case are numbers. Whether a keyword stands as a
 * label or metric name instead is the parser's decision.
 */
static enum qtok
word_kind(const char *s, size_t len)
{
    enum qtok k;

    if ((len == 3 && (strncasecmp(s, "inf", 3) == 0 ||
                      strncasecmp(s, "nan", 3) == 0)))
        return QT_NUMBER;
    for (k = QT_KW_FIRST; k < QT_COUNT_OF_KINDS; k++) {
        if (strlen(kind_names[k]) == len &&
            strncasecmp(kind_names[k], s, len) == 0)
            return k;
    }
    return QT_IDENT;
}

/* Two-character operators first, then the one-character ones. */
static enum qtok
op_kind(struct qlex *lx)
{
    static const struct { char s[3]; enum qtok k; } ops[] = {
        {"==", QT_EQLC}, {"!=", QT_NEQ}, {"=~", QT_EQL_REGEX},
        {"!~", QT_NEQ_REGEX}, {"<=", QT_LTE}, {">=", QT_GTE},
        {"(", QT_LPAREN}, {")", QT_RPAREN}, {"{", QT_LBRACE},
        {"}", QT_RBRACE}, {"[", QT_LBRACKET}, {"]", QT_RBRACKET},
        {",", QT_COMMA}, {":", QT_COLON}, {"@", QT_AT}, {"=", QT_ASSIGN},
        {"<", QT_LSS}, {">", QT_GTR}, {"+", QT_ADD}, {"-", QT_SUB},
        {"*", QT_MUL}, {"/", QT_DIV}, {"%", QT_MOD}, {"^", QT_POW},
    };
    size_t i, n;

    for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        n = strlen(ops[i].s);
        if (lx->pos + n <= lx->len &&
            memcmp(lx->src + lx->pos, ops[i].s, n) == 0) {
            while (n--)
                advance(lx);
            return ops[i].k;
        }
    }
    return QT_EOF;
}

/* The character switch: numbers, strings, words, then operators. */
int
qlex_next(struct qlex *lx, struct qtoken *tok, struct diag *d)
{
    int c;

    skip_space(lx);
    tok->off = lx->pos;
    tok->line = lx->line;
    tok->col = lx->col;
    tok->len = 0;
    c = peek(lx, 0);
    if (c == -1) {
        tok->kind = QT_EOF;
        return 0;
    }
    if (isdigit(c) || (c == '.' && peek(lx, 1) != -1 && isdigit(peek(lx, 1))))
        return lex_number(lx, tok, d);
    if (c == '"' || c == '\'' || c == '`') {
        if (lex_string(lx, tok, d) < 0)
            return -1;
    } else if (is_word_start(c)) {
        while (is_word_char(peek(lx, 0)))
            advance(lx);
        tok->kind = word_kind(lx->src + tok->off, lx->pos - tok->off);
    } else if ((tok->kind = op_kind(lx)) == QT_EOF) {
        return diag_set(d, tok->line, tok->col, 1,
                        "unexpected character: '%c'", c);
    }
    tok->len = lx->pos - tok->off;
    return 0;
}

/*
 * A hexadecimal or octal integer as Go's strconv.ParseInt(s, 0, 64) reads
 * it; false when a digit is not of the base or the value passes int64.
 */
static bool
parse_int_base(const char *s, size_t len, int base, double *out)
{
    uint64_t v = 0;
    size_t i;
    int dv;

    for (i = 0; i < len; i++) {
        dv = isdigit((unsigned char)s[i]) ? s[i] - '0'
                                          : tolower((unsigned char)s[i]) -
                                            'a' + 10;
        if (dv < 0 || dv >= base || v > ((uint64_t)INT64_MAX - dv) / base)
            return false;
        v = v * base + (uint64_t)dv;
    }
    *out = (double)v;
    return len > 0;
}

/*
 * Prometheus reads a number with strconv.ParseInt(s, 0, 64) first, so
 * 0x1F is hex and 010 is octal, then with strconv.ParseFloat: hex past
 * int64 is invalid, a decimal past the float range is out of range (an
 * underflow is 0, as in Go).
 */
int
qlex_number(const char *s, size_t len, double *out)
{
    char small[64], *tmp = len < sizeof(small) ? small : xmalloc(len + 1);
    int rc = 0;

    memcpy(tmp, s, len);
    tmp[len] = '\0';
    if (strcasecmp(tmp, "inf") == 0) {
        *out = INFINITY;
    } else if (strcasecmp(tmp, "nan") == 0) {
        *out = NAN;
    } else if (len > 2 && tmp[0] == '0' && (tmp[1] == 'x' || tmp[1] == 'X')) {
        rc = parse_int_base(tmp + 2, len - 2, 16, out) ? 0 : QLEX_INVALID;
    } else if (!(len > 1 && tmp[0] == '0' &&
                 parse_int_base(tmp + 1, len - 1, 8, out))) {
        errno = 0;
        *out = strtod(tmp, NULL);
        if (errno == ERANGE && isinf(*out))
            rc = QLEX_RANGE;
        else if (errno == ERANGE)
            *out = 0;
    }
    if (tmp != small)
        free(tmp);
    return rc;
}

/*
 * Units run from y down to ms, each at most once, as Prometheus's
 * ParseDuration requires; "m" followed by "s" is the unit ms. Checked
 * arithmetic throughout: any run of digits may come.
 */
int64_t
qlex_duration(const char *s, size_t len)
{
    static const struct { const char *u; int64_t ms; } units[] = {
        {"y", 365LL * 86400000}, {"w", 7LL * 86400000}, {"d", 86400000},
        {"h", 3600000}, {"m", 60000}, {"s", 1000}, {"ms", 1},
    };
    int64_t total = 0, n;
    size_t i = 0, u, next = 0, ul;
    bool range = false;

    if (len == 0)
        return QLEX_INVALID;
    while (i < len) {
        if (!isdigit((unsigned char)s[i]))
            return QLEX_INVALID;
        for (n = 0; i < len && isdigit((unsigned char)s[i]); i++) {
            if (n > (INT64_MAX - 9) / 10)
                range = true;
            else
                n = n * 10 + (s[i] - '0');
        }
        for (u = next; u < 7; u++) {
            ul = strlen(units[u].u);
            if (i + ul <= len && memcmp(s + i, units[u].u, ul) == 0 &&
                !(ul == 1 && s[i] == 'm' && i + 1 < len && s[i + 1] == 's'))
                break;
        }
        if (u == 7)
            return QLEX_INVALID;
        i += strlen(units[u].u);
        /* Prometheus holds durations in Go's nanosecond time.Duration. */
        if (n > (QLEX_DURATION_MAX_MS - total) / units[u].ms)
            range = true;
        else
            total += n * units[u].ms;
        next = u + 1;
    }
    return range ? QLEX_RANGE : total;
}

/* Appends code point cp as UTF-8. */
static size_t
put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Reads n digits of base at s; -1 when one is missing. */
static long
read_digits(const char *s, size_t avail, size_t n, int base)
{
    long v = 0;
    size_t i;
    int c, dv;

    if (avail < n)
        return -1;
    for (i = 0; i < n; i++) {
        c = (unsigned char)s[i];
        if (isdigit(c))
            dv = c - '0';
        else if (isxdigit(c))
            dv = tolower(c) - 'a' + 10;
        else
            return -1;
        if (dv >= base)
            return -1;
        v = v * base + dv;
    }
    return v;
}

/*
 * One escape after the backslash at s[0]; writes its bytes to out and
 * returns how many input bytes it used, 0 on a bad escape.
 */
static size_t
unescape(const char *s, size_t avail, char quote, char *out, size_t *olen)
{
    static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\";
    const char *p;
    long v;
    size_t n = 0;

    if (avail < 2)
        return 0;
    if (s[1] == quote) {
        out[(*olen)++] = quote;
        return 2;
    }
    for (p = simple; *p; p += 2) {
        if (s[1] == p[0]) {
            out[(*olen)++] = p[1];
            return 2;
        }
    }
    if (s[1] == 'x' && (v = read_digits(s + 2, avail - 2, 2, 16)) >= 0) {
        out[(*olen)++] = (char)v;
        return 4;
    }
    if (s[1] >= '0' && s[1] <= '7' &&
        (v = read_digits(s + 1, avail - 1, 3, 8)) >= 0 && v < 256) {
        out[(*olen)++] = (char)v;
        return 4;
    }
    if (s[1] == 'u')
        n = 4;
    else if (s[1] == 'U')
        n = 8;
    if (n && (v = read_digits(s + 2, avail - 2, n, 16)) >= 0 &&
        v <= 0x10ffff && !(v >= 0xd800 && v < 0xe000)) {
        *olen += put_utf8(out + *olen, (uint32_t)v);
        return n + 2;
    }
    return 0;
}

/*
 * Backquoted strings are raw; the others take Go's escapes, where a
 * quote needs escaping only when it is the delimiting one. The decoded
 * text is never longer than the quoted one.
 */
char *
qlex_unquote(struct arena *a, const char *s, size_t len, size_t *bad_off)
{
    char quote = s[0];
    char *out = arena_alloc(a, len + 1);
    size_t i = 1, olen = 0, used;

    if (quote == '`') {
        memcpy(out, s + 1, len - 2);
        out[len - 2] = '\0';
        return out;
    }
    while (i < len - 1) {
        if (s[i] != '\\') {
            out[olen++] = s[i++];
            continue;
        }
        used = unescape(s + i, len - 1 - i, quote, out, &olen);
        if (used == 0) {
            *bad_off = i;
            return NULL;
        }
        i += used;
    }
    out[olen] = '\0';
    return out;
}
