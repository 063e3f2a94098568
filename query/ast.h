/*
 * The PromQL syntax tree. Every node records its span in the query text
 * and its static type; the parser builds it in the compiled query's arena
 * and the evaluator only reads it. No behaviour lives here.
 *
 * Internal to query/: not part of the query API; other folders include
 * query/query.h (tests may include this header).
 *
 * Ownership: nodes, strings and matcher arrays belong to the query's arena;
 * the regexes inside matchers belong to the query (freed by qparse_free).
 */
#ifndef QUERY_AST_H
#define QUERY_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query/func.h"
#include "query/lex.h"
#include "query/value.h"
#include "store/store.h"

enum qnode_kind {
    QN_NUMBER,
    QN_STRING,
    QN_SELECTOR,    /* instant (range == 0) or range vector selector */
    QN_SUBQUERY,
    QN_CALL,
    QN_AGG,
    QN_BINARY,
    QN_UNARY,
    QN_PAREN,
};

/* Where an @ modifier pins the evaluation time. */
enum qat_kind { QAT_NONE, QAT_TIME, QAT_START, QAT_END };

/* Label lists of by/without, on/ignoring and group_x(...). */
struct qlabel_list {
    const char **v;
    size_t n;
};

struct qnode {
    enum qnode_kind kind;
    enum qvalue_type type;
    size_t off, len;            /* span in the query text */
    int line, col;
    /* Prometheus's step invariance (query/invariant.h): the value cannot
     * change from step to step; wrap: evaluate once and copy it along. */
    bool invariant;
    bool wrap;

    double num;                 /* QN_NUMBER */
    const char *str;            /* QN_STRING */

    /* QN_SELECTOR and QN_SUBQUERY */
    const char *name;           /* metric name, NULL when none */
    struct store_matcher *m;
    size_t nm;
    int64_t range;              /* ms; 0 for an instant selector */
    int64_t step;               /* subquery step, 0: the default */
    int64_t offset;             /* ms, may be negative */
    bool has_offset;
    enum qat_kind at;
    int64_t at_t;               /* ms, for QAT_TIME */

    /* QN_CALL */
    const struct qfunc *fn;
    struct qnode **args;
    size_t nargs;

    /* QN_AGG: op is the keyword token; param is topk's k and the like */
    enum qtok op;
    struct qnode *param;
    struct qlabel_list grouping;
    bool without;

    /* QN_BINARY (op, lhs, rhs), QN_UNARY (op, lhs), QN_PAREN and QN_AGG
     * and QN_SUBQUERY (lhs is the operand) */
    struct qnode *lhs, *rhs;
    bool return_bool;
    bool has_matching;          /* on/ignoring given */
    bool on;                    /* on(...) rather than ignoring(...) */
    struct qlabel_list matching;
    int card;                   /* 0 one-to-one, 1 group_left, 2 right */
    struct qlabel_list include; /* group_x(...) extra labels */
};

#endif
