/*
 * PromQL parser: the whole token stream is lexed first, then one function
 * per production builds the AST in the query's arena, with binary
 * operators climbed through a precedence table indexed by token kind. Type
 * checks run as each node is built, so every error carries the span of
 * the node at fault. It does not evaluate or fold anything but signs.
 * The file runs past 1000 lines because selectors, modifiers, operators
 * and the checks of numbers, durations and nesting share the token
 * cursor and error helpers, which stay static here.
 */
#include "query/parse.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/invariant.h"
#include "query/match.h"
#include "src/base/xalloc.h"

struct query {
    struct arena *arena;
    char *text;
    struct qnode *root;
    struct qnode **sels;        /* selectors, whose regexes we free */
    size_t nsels;
};

struct parser {
    const char *src;
    size_t len;
    struct qtoken *toks;
    size_t ntoks, pos;
    struct arena *a;
    struct query *q;
    struct diag *d;
    int depth;                  /* parse_expr calls under way */
};

/*
 * Binding power of each binary operator; 0 for tokens that are none.
 * Unary signs bind between * and ^ (see parse_unary), so -2 ^ 2 is -4.
 */
static const int prec[QT_COUNT_OF_KINDS] = {
    [QT_LOR] = 1,
    [QT_LAND] = 2, [QT_LUNLESS] = 2,
    [QT_EQLC] = 3, [QT_NEQ] = 3, [QT_LSS] = 3, [QT_LTE] = 3,
    [QT_GTR] = 3, [QT_GTE] = 3,
    [QT_ADD] = 4, [QT_SUB] = 4,
    [QT_MUL] = 5, [QT_DIV] = 5, [QT_MOD] = 5, [QT_ATAN2] = 5,
    [QT_POW] = 6,
};
#define PREC_POW 6

static struct qnode *parse_expr(struct parser *p, int min_prec);

static const struct qtoken *
cur(const struct parser *p)
{
    return &p->toks[p->pos];
}

static const struct qtoken *
peek_tok(const struct parser *p, size_t ahead)
{
    size_t i = p->pos + ahead;

    return &p->toks[i < p->ntoks ? i : p->ntoks - 1];
}

static const struct qtoken *
next(struct parser *p)
{
    const struct qtoken *t = cur(p);

    if (p->pos + 1 < p->ntoks)
        p->pos++;
    return t;
}

/* "end of input", or the token's text in quotes, for "found ..." in
 * messages. */
static const char *
describe(struct parser *p, const struct qtoken *t)
{
    char *s;

    if (t->kind == QT_EOF)
        return "end of input";
    s = arena_alloc(p->a, t->len + 3);
    snprintf(s, t->len + 3, "'%.*s'", (int)t->len, p->src + t->off);
    return s;
}

/* Sets the diag at a token; always returns NULL for `return err(...)`. */
static void *
err_tok(struct parser *p, const struct qtoken *t, const char *fmt, ...)
{
    va_list ap;
    char msg[sizeof(p->d->msg)];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    diag_set(p->d, t->line, t->col, t->len ? (int)t->len : 1, "%s", msg);
    return NULL;
}

static void *
err_node(struct parser *p, const struct qnode *n, const char *fmt, ...)
{
    va_list ap;
    char msg[sizeof(p->d->msg)];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    diag_set(p->d, n->line, n->col, n->len ? (int)n->len : 1, "%s", msg);
    return NULL;
}

/* Fails with "expected what, found <current token>". */
static void *
expected(struct parser *p, const char *what)
{
    return err_tok(p, cur(p), "expected %s, found %s", what,
                   describe(p, cur(p)));
}

static bool
accept(struct parser *p, enum qtok k)
{
    if (cur(p)->kind != k)
        return false;
    next(p);
    return true;
}

static struct qnode *
new_node(struct parser *p, enum qnode_kind kind, const struct qtoken *t)
{
    struct qnode *n = arena_calloc(p->a, 1, sizeof(*n));

    n->kind = kind;
    n->off = t->off;
    n->len = t->len;
    n->line = t->line;
    n->col = t->col;
    return n;
}

/* Extends n's span to the end of the token before the current one. */
static void
close_span(struct parser *p, struct qnode *n)
{
    const struct qtoken *last = &p->toks[p->pos ? p->pos - 1 : 0];

    if (last->off + last->len > n->off)
        n->len = last->off + last->len - n->off;
}

static char *
tok_text(struct parser *p, const struct qtoken *t)
{
    return arena_strndup(p->a, p->src + t->off, t->len);
}

/*
 * label_name = word without ':' (colons belong to metric names only).
 * Returns the name, or NULL with the diag set.
 */
static char *
parse_label_name(struct parser *p)
{
    const struct qtoken *t = cur(p);

    if (memchr(p->src + t->off, ':', t->len) != NULL)
        return err_tok(p, t, "expected label name, found %s; ':' is only "
                       "allowed in metric names", describe(p, t));
    return tok_text(p, next(p));
}

/* string = '"' ... '"' | "'" ... "'" | '`' ... '`' */
static char *
parse_string(struct parser *p, const char *what)
{
    const struct qtoken *t = cur(p);
    size_t bad = 0;
    char *s;

    if (t->kind != QT_STRING)
        return expected(p, what);
    s = qlex_unquote(p->a, p->src + t->off, t->len, &bad);
    if (s == NULL) {
        diag_set(p->d, t->line, t->col + (int)bad, 2,
                 "invalid escape sequence in string");
        return NULL;
    }
    next(p);
    return s;
}

/*
 * duration = DURATION, positive and within Go's time.Duration (as
 * Prometheus's parseDuration wants it); -1 with the diag set otherwise.
 */
static int64_t
parse_duration(struct parser *p, const char *what)
{
    const struct qtoken *t = cur(p);
    int64_t ms;

    if (t->kind != QT_DURATION) {
        expected(p, what);
        return -1;
    }
    ms = qlex_duration(p->src + t->off, t->len);
    if (ms == QLEX_RANGE) {
        err_tok(p, t, "duration out of range");
        return -1;
    }
    if (ms == QLEX_INVALID) {
        err_tok(p, t, "not a valid duration string: \"%.*s\"", (int)t->len,
                p->src + t->off);
        return -1;
    }
    if (ms == 0) {
        err_tok(p, t, "duration must be greater than 0");
        return -1;
    }
    next(p);
    return ms;
}

/* number = NUMBER, read as Prometheus reads it; -1 with the diag set. */
static int
parse_number(struct parser *p, const struct qtoken *t, double *v)
{
    int rc = qlex_number(p->src + t->off, t->len, v);

    if (rc == 0)
        return 0;
    /* Prometheus's wording, which quotes Go's strconv error. */
    err_tok(p, t, "error parsing number: strconv.ParseFloat: parsing "
            "\"%.*s\": %s", (int)t->len, p->src + t->off,
            rc == QLEX_RANGE ? "value out of range" : "invalid syntax");
    return -1;
}

/*
 * Makes room in an array of n elements of size sz for one more. Room
 * doubles at powers of two, so that n appends copy O(n) bytes in all:
 * growing by one would copy the whole array each time, and a call with
 * 100,000 arguments would take gigabytes of arena.
 */
static void *
grow(struct parser *p, void *v, size_t n, size_t sz)
{
    if (n == 0)
        return arena_alloc(p->a, 4 * sz);
    if (n >= 4 && (n & (n - 1)) == 0)
        return arena_realloc(p->a, v, n * sz, 2 * n * sz);
    return v;
}

/* label_list = "(" [ word { "," word } [ "," ] ] ")" */
static int
parse_label_list(struct parser *p, struct qlabel_list *out, const char *ctx)
{
    char what[64];

    snprintf(what, sizeof(what), "'(' after %s", ctx);
    if (!accept(p, QT_LPAREN))
        return expected(p, what), -1;
    out->v = NULL;
    out->n = 0;
    while (qlex_is_word(cur(p)->kind)) {
        out->v = grow(p, out->v, out->n, sizeof(char *));
        if ((out->v[out->n++] = parse_label_name(p)) == NULL)
            return -1;
        if (!accept(p, QT_COMMA))
            break;
    }
    if (!accept(p, QT_RPAREN))
        return expected(p, out->n ? "',' or ')' in label list" :
                        "label name or ')' in label list"), -1;
    return 0;
}

/* Remembers a selector so that qparse_free can release its regexes. */
static void
track_selector(struct parser *p, struct qnode *n)
{
    size_t n1 = p->q->nsels + 1;

    /* Room doubles at powers of two: a query of many selectors. */
    if ((n1 & (n1 - 1)) == 0)
        p->q->sels = xreallocarray(p->q->sels, 2 * n1, sizeof(*p->q->sels));
    p->q->sels[p->q->nsels++] = n;
}

static int
add_matcher(struct parser *p, struct qnode *n, enum store_match_op op,
            const char *name, const char *value, const struct qtoken *at)
{
    struct diag rd;

    n->m = grow(p, n->m, n->nm, sizeof(*n->m));
    diag_clear(&rd);
    if (qmatch_compile(&n->m[n->nm], op, name, value, &rd) < 0) {
        err_tok(p, at, "%s", rd.msg);
        return -1;
    }
    n->nm++;
    return 0;
}

static enum store_match_op
match_op(enum qtok k)
{
    switch (k) {
    case QT_ASSIGN:    return STORE_EQ;
    case QT_NEQ:       return STORE_NEQ;
    case QT_EQL_REGEX: return STORE_RE;
    default:           return STORE_NRE;
    }
}

/*
 * matchers = "{" [ matcher { "," matcher } [ "," ] ] "}"
 * matcher  = word ( "=" | "!=" | "=~" | "!~" ) string
 */
static int
parse_matchers(struct parser *p, struct qnode *n)
{
    const struct qtoken *op, *val;
    char *name, *value;
    enum qtok k;

    next(p);
    while (qlex_is_word(cur(p)->kind)) {
        if ((name = parse_label_name(p)) == NULL)
            return -1;
        op = cur(p);
        k = op->kind;
        if (k != QT_ASSIGN && k != QT_NEQ && k != QT_EQL_REGEX &&
            k != QT_NEQ_REGEX)
            return expected(p, "label matching operator "
                            "('=', '!=', '=~' or '!~')"), -1;
        next(p);
        val = cur(p);
        if ((value = parse_string(p, "string after label matching "
                                  "operator")) == NULL)
            return -1;
        if (add_matcher(p, n, match_op(k), name, value, val) < 0)
            return -1;
        if (!accept(p, QT_COMMA))
            break;
    }
    if (cur(p)->kind == QT_EQLC)
        return err_tok(p, cur(p), "expected label matching operator, "
                       "found '=='; use '=' in label matchers"), -1;
    if (!accept(p, QT_RBRACE))
        return expected(p, n->nm ? "',' or '}' after label matcher" :
                        "label name or '}'"), -1;
    return 0;
}

/*
 * Prometheus refuses selectors that would match every series: at least
 * one matcher must reject the empty string. A metric name given both
 * before the braces and as __name__ inside them is an error too.
 */
static int
check_selector(struct parser *p, struct qnode *n)
{
    size_t i;

    for (i = 1; n->name != NULL && i < n->nm; i++) {
        if (strcmp(n->m[i].name, LABEL_METRIC_NAME) == 0)
            return err_node(p, n, "metric name must not be set twice: "
                            "\"%s\" or \"%s\"", n->name, n->m[i].value),
                   -1;
    }
    for (i = 0; i < n->nm; i++) {
        if (!qmatch_matches(&n->m[i], ""))
            return 0;
    }
    err_node(p, n, "vector selector must contain at least one non-empty "
             "matcher");
    diag_hint(p->d, "add a metric name or a matcher such as "
              "{job=~\".+\"}");
    return -1;
}

/* selector = word [ matchers ] | matchers
 * Not inlined: its callee add_matcher has a diag (most of a kilobyte) on
 * its stack, which must stay off the frames of nested expressions. */
__attribute__((noinline)) static struct qnode *
parse_selector(struct parser *p)
{
    struct qnode *n = new_node(p, QN_SELECTOR, cur(p));

    n->type = QV_VECTOR;
    track_selector(p, n);
    if (qlex_is_word(cur(p)->kind)) {
        n->name = tok_text(p, next(p));
        if (add_matcher(p, n, STORE_EQ, LABEL_METRIC_NAME, n->name,
                        cur(p)) < 0)
            return NULL;
    }
    if (cur(p)->kind == QT_LBRACE && parse_matchers(p, n) < 0)
        return NULL;
    close_span(p, n);
    if (check_selector(p, n) < 0)
        return NULL;
    return n;
}

/*
 * range    = "[" duration "]"                  (after a plain selector)
 * subquery = "[" duration ":" [ duration ] "]" (after any instant vector)
 */
static struct qnode *
parse_range(struct parser *p, struct qnode *e)
{
    const struct qtoken *open = next(p);
    struct qnode *s;
    int64_t range, step = 0;

    if ((range = parse_duration(p, "duration in '[...]'")) < 0)
        return NULL;
    if (accept(p, QT_RBRACKET)) {
        if (e->kind != QN_SELECTOR || e->range)
            return err_node(p, e, "ranges only allowed for vector "
                            "selectors");
        if (e->has_offset || e->at != QAT_NONE)
            return err_node(p, e, "no offset modifiers allowed before "
                            "range");
        e->range = range;
        e->type = QV_MATRIX;
        close_span(p, e);
        return e;
    }
    if (!accept(p, QT_COLON))
        return expected(p, "']' or ':' in range or subquery");
    if (cur(p)->kind != QT_RBRACKET &&
        (step = parse_duration(p, "subquery step or ']'")) < 0)
        return NULL;
    if (!accept(p, QT_RBRACKET))
        return expected(p, "']' after subquery step");
    if (e->type != QV_VECTOR)
        return err_node(p, e, "subquery is only allowed on instant "
                        "vector, got %s instead", qfunc_type_name(e->type));
    s = new_node(p, QN_SUBQUERY, open);
    s->off = e->off;
    s->line = e->line;
    s->col = e->col;
    s->lhs = e;
    s->range = range;
    s->step = step;
    s->type = QV_MATRIX;
    close_span(p, s);
    return s;
}

/* offset = "offset" [ "-" ] duration */
static struct qnode *
parse_offset(struct parser *p, struct qnode *e)
{
    const struct qtoken *kw = next(p);
    bool neg = accept(p, QT_SUB);
    int64_t d;

    if ((d = parse_duration(p, "duration after 'offset'")) < 0)
        return NULL;
    if (e->kind != QN_SELECTOR && e->kind != QN_SUBQUERY)
        return err_tok(p, kw, "offset modifier must be preceded by an "
                       "instant vector selector or range vector selector "
                       "or a subquery");
    if (e->has_offset)
        return err_tok(p, kw, "offset may not be set multiple times");
    e->has_offset = true;
    e->offset = neg ? -d : d;
    close_span(p, e);
    return e;
}

/* v as Go's %f prints it: +Inf, -Inf, NaN or six decimals. */
static const char *
go_float(struct parser *p, double v)
{
    char *s;

    if (isnan(v))
        return "NaN";
    if (isinf(v))
        return v > 0 ? "+Inf" : "-Inf";
    s = arena_alloc(p->a, 400);
    snprintf(s, 400, "%f", v);
    return s;
}

/* at = "@" ( [ "+" | "-" ] number | "start" "(" ")" | "end" "(" ")" ) */
static struct qnode *
parse_at(struct parser *p, struct qnode *e)
{
    const struct qtoken *kw = next(p), *t;
    double sign = 1, v;

    if (e->kind != QN_SELECTOR && e->kind != QN_SUBQUERY)
        return err_tok(p, kw, "@ modifier must be preceded by an instant "
                       "vector selector or range vector selector or a "
                       "subquery");
    if (e->at != QAT_NONE)
        return err_tok(p, kw, "@ <timestamp> may not be set multiple times");
    if (cur(p)->kind == QT_START || cur(p)->kind == QT_END) {
        e->at = next(p)->kind == QT_START ? QAT_START : QAT_END;
        if (!accept(p, QT_LPAREN) || !accept(p, QT_RPAREN))
            return expected(p, "'()' after start or end");
        close_span(p, e);
        return e;
    }
    if (cur(p)->kind == QT_SUB || cur(p)->kind == QT_ADD)
        sign = next(p)->kind == QT_SUB ? -1 : 1;
    t = cur(p);
    if (t->kind != QT_NUMBER)
        return expected(p, "timestamp, start() or end() after '@'");
    if (parse_number(p, t, &v) < 0)
        return NULL;
    next(p);
    v *= sign;
    /* Prometheus refuses what passes int64 seconds, then overflows in
     * milliseconds; the bound here keeps the milliseconds in int64. */
    if (!isfinite(v) || fabs(v) > QPARSE_MAX_AT_S)
        return err_tok(p, t, "timestamp out of bounds for @ modifier: %s",
                       go_float(p, v));
    e->at = QAT_TIME;
    e->at_t = llround(v * 1000);
    close_span(p, e);
    return e;
}

/*
 * postfix = primary { range | subquery | offset | at }
 * Each node is marked for step invariance once complete (again after a
 * modifier changed it), before a subquery makes it a child.
 */
static struct qnode *
parse_postfix(struct parser *p, struct qnode *e)
{
    while (e != NULL) {
        qparse_mark_invariant(e);
        switch (cur(p)->kind) {
        case QT_LBRACKET: e = parse_range(p, e); break;
        case QT_OFFSET:   e = parse_offset(p, e); break;
        case QT_AT:       e = parse_at(p, e); break;
        default:          return e;
        }
    }
    return e;
}

static bool
has_param(enum qtok op)
{
    return op == QT_TOPK || op == QT_BOTTOMK || op == QT_QUANTILE ||
           op == QT_COUNT_VALUES;
}

/* grouping = ( "by" | "without" ) label_list */
static int
parse_grouping(struct parser *p, struct qnode *n)
{
    n->without = next(p)->kind == QT_WITHOUT;
    return parse_label_list(p, &n->grouping, n->without ? "without" : "by");
}

static bool
at_grouping(const struct parser *p)
{
    return cur(p)->kind == QT_BY || cur(p)->kind == QT_WITHOUT;
}

/* Type checks of an aggregation once its parts are known. */
static struct qnode *
check_agg(struct parser *p, struct qnode *n)
{
    enum qvalue_type want = n->op == QT_COUNT_VALUES ? QV_STRING : QV_SCALAR;

    if (n->lhs->type != QV_VECTOR)
        return err_node(p, n->lhs, "expected type instant vector in "
                        "aggregation expression, got %s",
                        qfunc_type_name(n->lhs->type));
    if (n->param != NULL && n->param->type != want)
        return err_node(p, n->param, "expected type %s in aggregation "
                        "parameter, got %s", qfunc_type_name(want),
                        qfunc_type_name(n->param->type));
    n->type = QV_VECTOR;
    return n;
}

/*
 * aggregation = aggop [ grouping ] "(" [ param "," ] expr ")" [ grouping ]
 * The grouping may come before or after the argument list, not both.
 */
static struct qnode *
parse_agg(struct parser *p)
{
    struct qnode *n = new_node(p, QN_AGG, cur(p));
    bool grouped = false;
    char what[64];

    n->op = next(p)->kind;
    if (at_grouping(p)) {
        if (parse_grouping(p, n) < 0)
            return NULL;
        grouped = true;
    }
    snprintf(what, sizeof(what), "'(' after %s", qlex_kind_name(n->op));
    if (!accept(p, QT_LPAREN))
        return expected(p, what);
    if (has_param(n->op)) {
        if ((n->param = parse_expr(p, 1)) == NULL)
            return NULL;
        if (!accept(p, QT_COMMA))
            return expected(p, "',' after the aggregation parameter");
    }
    if ((n->lhs = parse_expr(p, 1)) == NULL)
        return NULL;
    if (!accept(p, QT_RPAREN)) {
        expected(p, "')' after the aggregation argument");
        if (at_grouping(p))
            diag_hint(p->d, "a by/without clause goes before '(' or after "
                      "the closing ')'");
        return NULL;
    }
    if (at_grouping(p)) {
        if (grouped)
            return err_tok(p, cur(p), "aggregation has a grouping clause "
                           "both before and after its argument");
        if (parse_grouping(p, n) < 0)
            return NULL;
    }
    close_span(p, n);
    return check_agg(p, n);
}

/* Arity and argument types, worded as Prometheus words them. */
static struct qnode *
check_call(struct parser *p, struct qnode *n)
{
    const struct qfunc *f = n->fn;
    int na = (int)n->nargs, min = f->variadic ? f->nargs - 1 : f->nargs;
    int i, k;

    if (f->variadic == 0 && na != f->nargs)
        return err_node(p, n, "expected %d argument(s) in call to \"%s\", "
                        "got %d", f->nargs, f->name, na);
    if (na < min)
        return err_node(p, n, "expected at least %d argument(s) in call to "
                        "\"%s\", got %d", min, f->name, na);
    if (f->variadic > 0 && na > min + f->variadic)
        return err_node(p, n, "expected at most %d argument(s) in call to "
                        "\"%s\", got %d", min + f->variadic, f->name, na);
    for (i = 0; i < na; i++) {
        k = i < f->nargs ? i : f->nargs - 1;
        if (n->args[i]->type == f->args[k])
            continue;
        err_node(p, n->args[i], "expected type %s in call to function "
                 "\"%s\", got %s", qfunc_type_name(f->args[k]), f->name,
                 qfunc_type_name(n->args[i]->type));
        if (f->args[k] == QV_MATRIX && n->args[i]->kind == QN_SELECTOR)
            diag_hint(p->d, "add a range to the selector, as in %.*s[5m]",
                      (int)n->args[i]->len, p->src + n->args[i]->off);
        return NULL;
    }
    n->type = f->ret;
    return n;
}

/* call = ident "(" [ expr { "," expr } [ "," ] ] ")" */
static struct qnode *
parse_call(struct parser *p)
{
    const struct qtoken *name = cur(p);
    struct qnode *n = new_node(p, QN_CALL, name), *arg;

    n->fn = qfunc_lookup(p->src + name->off, name->len);
    if (n->fn == NULL)
        return err_tok(p, name, "unknown function with name \"%.*s\"",
                       (int)name->len, p->src + name->off);
    next(p);
    next(p);
    while (cur(p)->kind != QT_RPAREN) {
        if ((arg = parse_expr(p, 1)) == NULL)
            return NULL;
        n->args = grow(p, n->args, n->nargs, sizeof(arg));
        n->args[n->nargs++] = arg;
        if (!accept(p, QT_COMMA))
            break;
    }
    if (!accept(p, QT_RPAREN))
        return expected(p, "',' or ')' in function call");
    close_span(p, n);
    return check_call(p, n);
}

/* paren = "(" expr ")" */
static struct qnode *
parse_paren(struct parser *p)
{
    struct qnode *n = new_node(p, QN_PAREN, next(p));

    if ((n->lhs = parse_expr(p, 1)) == NULL)
        return NULL;
    if (!accept(p, QT_RPAREN))
        return expected(p, "')'");
    n->type = n->lhs->type;
    close_span(p, n);
    return n;
}

/* primary = number | string | paren | aggregation | call | selector */
static struct qnode *
parse_primary(struct parser *p)
{
    const struct qtoken *t = cur(p);
    enum qtok k = t->kind, k1 = peek_tok(p, 1)->kind;
    struct qnode *n;

    if (k == QT_NUMBER) {
        n = new_node(p, QN_NUMBER, t);
        if (parse_number(p, t, &n->num) < 0)
            return NULL;
        next(p);
        n->type = QV_SCALAR;
        return n;
    }
    if (k == QT_STRING) {
        n = new_node(p, QN_STRING, t);
        n->type = QV_STRING;
        n->str = parse_string(p, "string");
        return n->str ? n : NULL;
    }
    if (k == QT_LPAREN)
        return parse_paren(p);
    if (qlex_is_aggregator(k) && (k1 == QT_LPAREN || k1 == QT_BY ||
                                  k1 == QT_WITHOUT))
        return parse_agg(p);
    if (k == QT_IDENT && k1 == QT_LPAREN)
        return parse_call(p);
    if (k == QT_LBRACE || (qlex_is_word(k) && k != QT_ON &&
                           k != QT_IGNORING && k != QT_GROUP_LEFT &&
                           k != QT_GROUP_RIGHT && k != QT_BOOL))
        return parse_selector(p);
    return expected(p, "expression");
}

/* unary = [ "+" | "-" ] unary | postfix { "^" unary }, signs below ^ */
static struct qnode *
parse_unary(struct parser *p)
{
    const struct qtoken *t = cur(p);
    struct qnode *n, *e;

    if (t->kind != QT_ADD && t->kind != QT_SUB)
        return parse_postfix(p, parse_primary(p));
    next(p);
    if ((e = parse_expr(p, PREC_POW)) == NULL)
        return NULL;
    if (e->type != QV_SCALAR && e->type != QV_VECTOR)
        return err_node(p, e, "unary expression only allowed on "
                        "expressions of type scalar or instant vector");
    if (e->kind == QN_NUMBER) {
        /* -1 is one number literal, as Prometheus folds it. */
        e->num = t->kind == QT_SUB ? -e->num : e->num;
        n = e;
    } else {
        n = new_node(p, QN_UNARY, t);
        n->op = t->kind;
        n->lhs = e;
        n->type = e->type;
        qparse_mark_invariant(n);
    }
    n->off = t->off;
    n->line = t->line;
    n->col = t->col;
    close_span(p, n);
    return n;
}

static bool
is_comparison(enum qtok k)
{
    return prec[k] == 3;
}

static bool
is_set_op(enum qtok k)
{
    return k == QT_LAND || k == QT_LOR || k == QT_LUNLESS;
}

/* bin_modifiers = [ "bool" ] [ ( "on" | "ignoring" ) label_list
 *                 [ ( "group_left" | "group_right" ) [ label_list ] ] ] */
static int
parse_bin_modifiers(struct parser *p, struct qnode *n)
{
    enum qtok k;

    n->return_bool = accept(p, QT_BOOL);
    k = cur(p)->kind;
    if (k != QT_ON && k != QT_IGNORING)
        return 0;
    next(p);
    n->has_matching = true;
    n->on = k == QT_ON;
    if (parse_label_list(p, &n->matching, qlex_kind_name(k)) < 0)
        return -1;
    k = cur(p)->kind;
    if (k != QT_GROUP_LEFT && k != QT_GROUP_RIGHT)
        return 0;
    next(p);
    n->card = k == QT_GROUP_LEFT ? 1 : 2;
    if (cur(p)->kind == QT_LPAREN &&
        parse_label_list(p, &n->include, qlex_kind_name(k)) < 0)
        return -1;
    return 0;
}

/* The operand rules of binary operators, worded as Prometheus does. */
static struct qnode *
check_binary(struct parser *p, struct qnode *n, const struct qtoken *op)
{
    enum qvalue_type lt = n->lhs->type, rt = n->rhs->type;
    const char *name = qlex_kind_name(n->op);
    size_t i, j;

    if (lt != QV_SCALAR && lt != QV_VECTOR)
        return err_node(p, n->lhs, "binary expression must contain only "
                        "scalar and instant vector types");
    if (rt != QV_SCALAR && rt != QV_VECTOR)
        return err_node(p, n->rhs, "binary expression must contain only "
                        "scalar and instant vector types");
    if (n->return_bool && !is_comparison(n->op))
        return err_tok(p, op, "bool modifier can only be used on "
                       "comparison operators");
    if (is_comparison(n->op) && !n->return_bool && lt == QV_SCALAR &&
        rt == QV_SCALAR) {
        err_tok(p, op, "comparisons between scalars must use BOOL "
                "modifier");
        diag_hint(p->d, "add bool after the operator, as in 1 %.*s bool 2",
                  (int)op->len, p->src + op->off);
        return NULL;
    }
    if (is_set_op(n->op) && (lt == QV_SCALAR || rt == QV_SCALAR))
        return err_tok(p, op, "set operator \"%s\" not allowed in binary "
                       "scalar expression", name);
    if (n->has_matching && (lt != QV_VECTOR || rt != QV_VECTOR))
        return err_tok(p, op, "vector matching only allowed between "
                       "instant vectors");
    if (is_set_op(n->op) && n->card != 0)
        return err_tok(p, op, "no grouping allowed for \"%s\" operation",
                       name);
    for (i = 0; n->on && i < n->matching.n; i++) {
        for (j = 0; j < n->include.n; j++) {
            if (strcmp(n->matching.v[i], n->include.v[j]) == 0)
                return err_tok(p, op, "label \"%s\" must not occur in ON "
                               "and GROUP clause at once", n->include.v[j]);
        }
    }
    n->type = lt == QV_VECTOR || rt == QV_VECTOR ? QV_VECTOR : QV_SCALAR;
    qparse_mark_invariant(n);
    return n;
}

/* expr = unary { binop bin_modifiers expr }, climbing by prec[] */
static struct qnode *
parse_binary(struct parser *p, int min_prec)
{
    struct qnode *lhs = parse_unary(p), *n;
    const struct qtoken *op;
    int pr;

    while (lhs != NULL) {
        op = cur(p);
        pr = prec[op->kind];
        if (pr == 0 || pr < min_prec)
            break;
        next(p);
        n = new_node(p, QN_BINARY, op);
        n->op = op->kind;
        n->lhs = lhs;
        if (parse_bin_modifiers(p, n) < 0)
            return NULL;
        /* ^ is right-associative: its right side may hold another ^. */
        n->rhs = parse_expr(p, op->kind == QT_POW ? pr : pr + 1);
        if (n->rhs == NULL)
            return NULL;
        n->off = lhs->off;
        n->line = lhs->line;
        n->col = lhs->col;
        close_span(p, n);
        lhs = check_binary(p, n, op);
    }
    return lhs;
}

/*
 * Every nesting (parentheses, signs, arguments, the right side of ^)
 * passes through here, so counting here bounds the parser's recursion,
 * and with it the tree's depth, by QPARSE_MAX_DEPTH: deeper text is an
 * error at the token where the limit is crossed, never a stack overflow.
 */
static struct qnode *
parse_expr(struct parser *p, int min_prec)
{
    struct qnode *n;

    if (p->depth >= QPARSE_MAX_DEPTH)
        return err_tok(p, cur(p), "expression nests too deeply (more than "
                       "%d levels)", QPARSE_MAX_DEPTH);
    p->depth++;
    n = parse_binary(p, min_prec);
    p->depth--;
    return n;
}

/*
 * Lexes everything first, so that the parser can look ahead freely
 * (an aggregation keyword followed by '(' or by/without is an
 * aggregation, otherwise a metric name).
 */
struct query *
qparse_query(const char *text, size_t len, struct diag *d)
{
    struct query *q = xcalloc(1, sizeof(*q));
    struct parser p = {0};
    struct qlex lx;
    size_t cap = 16;

    q->arena = arena_new();
    q->text = xstrndup(text, len);
    p.src = q->text;
    p.len = len;
    p.a = q->arena;
    p.q = q;
    p.d = d;
    p.toks = xmalloc(cap * sizeof(*p.toks));
    qlex_init(&lx, q->text, len);
    for (;;) {
        if (p.ntoks == cap)
            p.toks = xreallocarray(p.toks, cap *= 2, sizeof(*p.toks));
        if (qlex_next(&lx, &p.toks[p.ntoks], d) < 0)
            goto fail;
        if (p.toks[p.ntoks++].kind == QT_EOF)
            break;
    }
    q->root = parse_expr(&p, 1);
    if (q->root == NULL)
        goto fail;
    if (cur(&p)->kind != QT_EOF) {
        expected(&p, "an operator or end of input");
        goto fail;
    }
    qparse_mark_root(q->root);
    free(p.toks);
    return q;
fail:
    free(p.toks);
    qparse_free(q);
    return NULL;
}

void
qparse_free(struct query *q)
{
    size_t i, j;

    if (q == NULL)
        return;
    for (i = 0; i < q->nsels; i++) {
        for (j = 0; j < q->sels[i]->nm; j++)
            qmatch_fini(&q->sels[i]->m[j]);
    }
    free(q->sels);
    free(q->text);
    arena_free(q->arena);
    free(q);
}

enum qvalue_type
qparse_type(const struct query *q)
{
    return q->root->type;
}

const char *
qparse_text(const struct query *q)
{
    return q->text;
}

const struct qnode *
qparse_root(const struct query *q)
{
    return q->root;
}

const struct qnode *
qparse_unparen(const struct qnode *n)
{
    while (n->kind == QN_PAREN)
        n = n->lhs;
    return n;
}
