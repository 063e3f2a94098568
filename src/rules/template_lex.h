/*
 * The template lexer's tokens and state (see template_lex.c). The state
 * is a plain value: the parser copies it to back up over a few tokens.
 *
 * Ownership: a token is a span of the text, which the caller keeps alive
 * while it lexes; tlex_unquote's result lives in the given arena.
 */
#ifndef RULES_TEMPLATE_LEX_H
#define RULES_TEMPLATE_LEX_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "src/base/arena.h"

enum tlex_kind {
    TK_TEXT, TK_LEFT, TK_RIGHT, TK_EOF, TK_SPACE, TK_IDENT, TK_FIELD,
    TK_VAR, TK_DOT, TK_DECLARE, TK_ASSIGN, TK_PIPE, TK_LPAREN, TK_RPAREN,
    TK_NUMBER, TK_STRING, TK_RAW, TK_CHAR, TK_COMMA,
};

struct tlex_token {
    enum tlex_kind kind;
    size_t off, len;        /* the token's bytes in the text */
    size_t tlen;            /* TK_TEXT: its length once trimmed */
};

struct tlex {
    const char *text;
    size_t len, pos;
    int paren;              /* open parentheses in the action */
    bool in_action;
    bool trim_next;         /* the last action ended with " -}}" */
    jmp_buf *fail;          /* where an error unwinds to, with 2 */
    char msg[128];          /* the error */
    size_t err_off;         /* and where it is */
};

/* Starts lexing text (len bytes, NUL-terminated); errors longjmp to
 * *fail with the value 2 after setting msg and err_off. */
void tlex_init(struct tlex *lx, const char *text, size_t len, jmp_buf *fail);
/* The next token: text outside actions (a comment reads as empty text),
 * words, literals and delimiters inside. TK_EOF at the end, repeatedly. */
struct tlex_token tlex_next(struct tlex *lx);
/* The value of a string, raw string or character token (Go's
 * strconv.Unquote), in a; NULL when an escape is invalid. */
char *tlex_unquote(struct arena *a, const char *text, struct tlex_token t,
                   size_t *len);

#endif
