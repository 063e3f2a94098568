/*
 * The PromQL lexer: turns query text into tokens that carry their byte
 * offset, line, column and length. It only classifies; numbers, durations
 * and strings are decoded by the parser (qlex_number, qlex_duration,
 * qlex_unquote below), which also decides where a keyword is a name.
 *
 * Ownership: a struct qlex borrows the text for its whole life; tokens
 * point into it by offset only. qlex_unquote allocates in the given arena.
 */
#ifndef QUERY_LEX_H
#define QUERY_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/base/arena.h"
#include "src/base/diag.h"

/* ORDER qtok: keep in step with the names table in query/lex.c. */
enum qtok {
    QT_EOF,
    QT_IDENT,
    QT_NUMBER,
    QT_DURATION,
    QT_STRING,
    QT_LPAREN,
    QT_RPAREN,
    QT_LBRACE,
    QT_RBRACE,
    QT_LBRACKET,
    QT_RBRACKET,
    QT_COMMA,
    QT_COLON,
    QT_AT,
    QT_ASSIGN,      /* = */
    QT_EQLC,        /* == */
    QT_NEQ,         /* != */
    QT_EQL_REGEX,   /* =~ */
    QT_NEQ_REGEX,   /* !~ */
    QT_LSS,
    QT_LTE,
    QT_GTR,
    QT_GTE,
    QT_ADD,
    QT_SUB,
    QT_MUL,
    QT_DIV,
    QT_MOD,
    QT_POW,
    /* Keywords, matched case-insensitively; QT_KW_FIRST is the first. */
    QT_LAND,
    QT_LOR,
    QT_LUNLESS,
    QT_ATAN2,
    QT_SUM,
    QT_AVG,
    QT_COUNT,
    QT_MIN,
    QT_MAX,
    QT_GROUP,
    QT_STDDEV,
    QT_STDVAR,
    QT_TOPK,
    QT_BOTTOMK,
    QT_COUNT_VALUES,
    QT_QUANTILE,
    QT_OFFSET,
    QT_BY,
    QT_WITHOUT,
    QT_ON,
    QT_IGNORING,
    QT_GROUP_LEFT,
    QT_GROUP_RIGHT,
    QT_BOOL,
    QT_START,
    QT_END,
    QT_COUNT_OF_KINDS
};

#define QT_KW_FIRST QT_LAND

struct qtoken {
    enum qtok kind;
    size_t off;     /* byte offset in the text */
    size_t len;     /* bytes */
    int line;       /* 1-based */
    int col;        /* 1-based, in bytes */
};

struct qlex {
    const char *src;
    size_t len;
    size_t pos;
    int line;
    int col;
};

void qlex_init(struct qlex *lx, const char *src, size_t len);
/*
 * Scans the next token into *tok (QT_EOF at the end, repeatedly). Returns
 * 0, or -1 with d set (position and "unexpected character" style message)
 * on text that is no token.
 */
int qlex_next(struct qlex *lx, struct qtoken *tok, struct diag *d);
/* A printable name for a kind: "'('", "identifier", "keyword 'by'". */
const char *qlex_kind_name(enum qtok kind);
/* True for identifiers and keywords: words usable as label names. */
bool qlex_is_word(enum qtok kind);
/* True for the aggregation keywords sum ... quantile. */
bool qlex_is_aggregator(enum qtok kind);

/* What qlex_number and qlex_duration return for text they refuse. */
#define QLEX_INVALID (-1)       /* not of the syntax */
#define QLEX_RANGE   (-2)       /* out of range */
/* The longest duration Prometheus holds: Go's time.Duration counts
 * nanoseconds in an int64, so about 292 years. */
#define QLEX_DURATION_MAX_MS (INT64_MAX / 1000000)

/*
 * The value of a number token's text into *out (decimal, 0x hex, 010
 * octal, Inf, NaN, as Prometheus reads them). Returns 0, QLEX_RANGE for a
 * decimal past the float range or QLEX_INVALID for hex past int64.
 */
int qlex_number(const char *s, size_t len, double *out);
/*
 * The milliseconds of a duration token's text ("1h30m"), computed without
 * overflow; QLEX_INVALID when the units are out of order or repeated, as
 * Prometheus rejects them, QLEX_RANGE past QLEX_DURATION_MAX_MS.
 */
int64_t qlex_duration(const char *s, size_t len);
/*
 * Decodes a string token's text (quotes included) with Go's escapes into
 * a NUL-terminated copy in a; NULL on a bad escape (*bad_off its offset).
 */
char *qlex_unquote(struct arena *a, const char *s, size_t len,
                   size_t *bad_off);

#endif
