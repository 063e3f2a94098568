/*
 * The template lexer: cuts a template into Go's text/template tokens
 * (text with its trim markers applied, delimiters, words, numbers,
 * strings) one at a time, and decodes string constants. It does not
 * know the grammar; template_parse.c asks it for tokens.
 */
#include "src/rules/template_lex.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/buf.h"

static void lex_fail(struct tlex *p, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), __noreturn__));

/* Records a lexical error at byte off and unwinds to the parser. */
static void
lex_fail(struct tlex *p, size_t off, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(p->msg, sizeof p->msg, fmt, ap);
    va_end(ap);
    p->err_off = off;
    longjmp(*p->fail, 2);
}

/* Go's spaces inside actions. */
static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Characters of words; any non-ASCII byte counts as a letter. */
static bool
is_alnum(char c)
{
    return c == '_' || isalnum((unsigned char)c) || (c & 0x80);
}

/* True at " -}}" (any space, a dash, the right delimiter). */
static bool
at_right_trim(const struct tlex *p, size_t i)
{
    return i + 3 < p->len && is_space(p->text[i]) && p->text[i + 1] == '-'
           && p->text[i + 2] == '}' && p->text[i + 3] == '}';
}

/* Lexes text up to the next "{{" (or the end) into t. */
static void
lex_text(struct tlex *p, struct tlex_token *t)
{
    const char *s = p->text + p->pos, *l = strstr(s, "{{");
    size_t n = l ? (size_t)(l - s) : p->len - p->pos;
    size_t start = 0;

    /* " -}}" before this text trims its leading space */
    if (p->trim_next)
        while (start < n && is_space(s[start]))
            start++;
    p->trim_next = false;
    t->kind = TK_TEXT;
    t->off = p->pos + start;
    t->len = n - start;
    t->tlen = t->len;
    /* "{{- " trims the text before it */
    if (l && l[2] == '-' && p->pos + n + 3 < p->len && is_space(l[3]))
        while (t->tlen > 0 && is_space(p->text[t->off + t->tlen - 1]))
            t->tlen--;
    p->pos += n;
}

/* Lexes "{{", its trim marker and a comment right after it, if any. */
static void
lex_left(struct tlex *p, struct tlex_token *t)
{
    size_t i = p->pos + 2, end;
    const char *c;

    t->kind = TK_LEFT;
    t->off = p->pos;
    /* "{{-" trims only when a space follows: "{{-3}}" is a number */
    if (i + 1 < p->len && p->text[i] == '-' && is_space(p->text[i + 1]))
        i += 2;
    p->pos = i;
    p->in_action = true;
    p->paren = 0;
    /* a comment must start right after the delimiter and end right
       before the closing one */
    if (strncmp(p->text + i, "/*", 2) != 0) {
        t->len = i - t->off;
        return;
    }
    c = strstr(p->text + i + 2, "*/");
    if (!c)
        lex_fail(p, i, "unclosed comment");
    end = (size_t)(c - p->text) + 2;
    if (at_right_trim(p, end)) {
        p->trim_next = true;
        end += 4;
    } else if (strncmp(p->text + end, "}}", 2) == 0) {
        end += 2;
    } else {
        lex_fail(p, i, "comment ends before closing delimiter");
    }
    p->pos = end;
    p->in_action = false;
    t->kind = TK_TEXT;   /* a comment reads as empty text */
    t->off = end;
    t->len = t->tlen = 0;
}

/* Lexes a quoted string, raw string or character constant. */
static void
lex_quote(struct tlex *p, struct tlex_token *t, char q)
{
    size_t i = p->pos + 1;

    t->kind = q == '"' ? TK_STRING : q == '`' ? TK_RAW : TK_CHAR;
    for (; i < p->len && p->text[i] != q; i++) {
        if (q != '`' && p->text[i] == '\\' && i + 1 < p->len)
            i++;
        else if (q != '`' && p->text[i] == '\n')
            break;
    }
    if (i >= p->len || p->text[i] != q)
        lex_fail(p, p->pos, q == '`' ? "unterminated raw quoted string"
                : q == '"' ? "unterminated quoted string"
                : "unterminated character constant");
    t->len = i + 1 - p->pos;
}

/* Lexes a number: sign, digits, a fraction, an exponent (Go's scan). */
static void
lex_number(struct tlex *p, struct tlex_token *t)
{
    size_t i = p->pos;
    const char *s = p->text;

    if (s[i] == '+' || s[i] == '-')
        i++;
    while (i < p->len && (is_alnum(s[i]) || s[i] == '.'
           || ((s[i] == '+' || s[i] == '-')
               && (s[i - 1] == 'e' || s[i - 1] == 'E'
                   || s[i - 1] == 'p' || s[i - 1] == 'P'))))
        i++;
    t->kind = TK_NUMBER;
    t->len = i - p->pos;
}

/* Lexes one word: keyword, function, field, variable, bool or nil. */
static void
lex_word(struct tlex *p, struct tlex_token *t, enum tlex_kind kind)
{
    size_t i = p->pos + (kind == TK_IDENT ? 0 : 1);

    while (i < p->len && is_alnum(p->text[i]))
        i++;
    t->kind = kind;
    t->len = i - p->pos;
    if (kind == TK_FIELD && t->len == 1)
        t->kind = TK_DOT;
}

/* Lexes one token inside an action (a flat dispatch on its first byte). */
static void
lex_action(struct tlex *p, struct tlex_token *t)
{
    const char *s = p->text;
    size_t i = p->pos;

    t->off = i;
    t->len = 1;
    if (i >= p->len)
        lex_fail(p, i, "unclosed action");
    if (at_right_trim(p, i) || strncmp(s + i, "}}", 2) == 0) {
        if (p->paren > 0)
            lex_fail(p, i, "unclosed left paren");
        t->kind = TK_RIGHT;
        t->len = s[i] == '}' ? 2 : 4;
        p->trim_next = s[i] != '}';
        p->in_action = false;
        p->pos += t->len;
        return;
    }
    switch (s[i]) {
    case ' ': case '\t': case '\r': case '\n':
        while (i < p->len && is_space(s[i]) && !at_right_trim(p, i))
            i++;
        t->kind = TK_SPACE;
        t->len = i - p->pos;
        break;
    case '=': t->kind = TK_ASSIGN; break;
    case ':':
        if (s[i + 1] != '=')
            lex_fail(p, i, "expected :=");
        t->kind = TK_DECLARE;
        t->len = 2;
        break;
    case '|': t->kind = TK_PIPE; break;
    case ',': t->kind = TK_COMMA; break;
    case '"': case '`': case '\'': lex_quote(p, t, s[i]); break;
    case '$': lex_word(p, t, TK_VAR); break;
    case '(': t->kind = TK_LPAREN; p->paren++; break;
    case ')':
        if (--p->paren < 0)
            lex_fail(p, i, "unexpected right paren");
        t->kind = TK_RPAREN;
        break;
    case '.':
        if (i + 1 < p->len && isdigit((unsigned char)s[i + 1])) {
            lex_number(p, t);
            break;
        }
        lex_word(p, t, TK_FIELD);
        break;
    default:
        if (s[i] == '+' || s[i] == '-' || isdigit((unsigned char)s[i]))
            lex_number(p, t);
        else if (is_alnum(s[i]))
            lex_word(p, t, TK_IDENT);
        else
            lex_fail(p, i, "unrecognized character in action: U+%04X '%c'",
                    (unsigned char)s[i], s[i]);
    }
    p->pos += t->len;
}

void
tlex_init(struct tlex *lx, const char *text, size_t len, jmp_buf *fail)
{
    memset(lx, 0, sizeof *lx);
    lx->text = text;
    lx->len = len;
    lx->fail = fail;
}

struct tlex_token
tlex_next(struct tlex *p)
{
    struct tlex_token t = {0};

    if (p->in_action)
        lex_action(p, &t);
    else if (p->pos >= p->len)
        t = (struct tlex_token){TK_EOF, p->len, 0, 0};
    else if (strncmp(p->text + p->pos, "{{", 2) == 0)
        lex_left(p, &t);
    else
        lex_text(p, &t);
    return t;
}

/* Appends code point c to b as UTF-8. */
static void
put_utf8(struct buf *b, unsigned long c)
{
    if (c > 0x10FFFF || (c >= 0xD800 && c < 0xE000))
        c = 0xFFFD;
    if (c < 0x80) {
        buf_putc(b, (char)c);
    } else if (c < 0x800) {
        buf_putc(b, (char)(0xC0 | c >> 6));
        buf_putc(b, (char)(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        buf_putc(b, (char)(0xE0 | c >> 12));
        buf_putc(b, (char)(0x80 | ((c >> 6) & 0x3F)));
        buf_putc(b, (char)(0x80 | (c & 0x3F)));
    } else {
        buf_putc(b, (char)(0xF0 | c >> 18));
        buf_putc(b, (char)(0x80 | ((c >> 12) & 0x3F)));
        buf_putc(b, (char)(0x80 | ((c >> 6) & 0x3F)));
        buf_putc(b, (char)(0x80 | (c & 0x3F)));
    }
}

/* Reads n hex (or octal with base 8) digits of an escape at s; -1 if bad. */
static long
escape_digits(const char *s, int n, int base)
{
    char tmp[12], *end;
    long v;

    memcpy(tmp, s, (size_t)n);
    tmp[n] = '\0';
    if (!isxdigit((unsigned char)tmp[0]))
        return -1;
    v = strtol(tmp, &end, base);
    return *end ? -1 : v;
}

/* Decodes one backslash escape at s[0] == '\\' into b; its length, or 0. */
static size_t
unescape(const char *s, char quote, struct buf *b)
{
    static const char from[] = "abfnrtv\\", to[] = "\a\b\f\n\r\t\v\\";
    const char *f = strchr(from, s[1]);
    long v;

    if (s[1] && f) {
        buf_putc(b, to[f - from]);
        return 2;
    }
    if (s[1] == quote) {
        buf_putc(b, quote);
        return 2;
    }
    switch (s[1]) {
    case 'x':
        if ((v = escape_digits(s + 2, 2, 16)) < 0)
            return 0;
        buf_putc(b, (char)v);
        return 4;
    case 'u': case 'U':
        v = escape_digits(s + 2, s[1] == 'u' ? 4 : 8, 16);
        if (v < 0 || v > 0x10FFFF || (v >= 0xD800 && v < 0xE000))
            return 0;
        put_utf8(b, (unsigned long)v);
        return s[1] == 'u' ? 6 : 10;
    default:
        if ((v = escape_digits(s + 1, 3, 8)) < 0 || v > 255)
            return 0;
        buf_putc(b, (char)v);
        return 4;
    }
}

char *
tlex_unquote(struct arena *a, const char *text, struct tlex_token t,
             size_t *len)
{
    const char *s = text + t.off + 1;
    size_t n = t.len - 2, i = 0, k;
    struct buf b;
    char *r;

    buf_init(&b, 0);
    buf_putc(&b, '\0');
    b.len = 0;
    while (i < n) {
        if (t.kind == TK_RAW || s[i] != '\\') {
            /* a raw string drops carriage returns, as Go's does */
            if (t.kind != TK_RAW || s[i] != '\r')
                buf_putc(&b, s[i]);
            i++;
            continue;
        }
        if ((k = unescape(s + i, t.kind == TK_CHAR ? '\'' : '"', &b)) == 0
            || i + k > n) {
            buf_fini(&b);
            return NULL;
        }
        i += k;
    }
    *len = b.len;
    r = arena_strndup(a, b.data, b.len);
    buf_fini(&b);
    return r;
}
