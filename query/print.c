/*
 * The canonical text of a PromQL tree, node by node as Prometheus's
 * printer (promql/parser/printer.go) lays each kind out. It reads the
 * tree only; it does not re-check or simplify anything the parser kept,
 * except that a number under a unary minus was already folded by the
 * parser, as Prometheus's parser folds it.
 */
#include "query/print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/parse.h"
#include "src/base/duration.h"
#include "src/base/json.h"
#include "src/base/utf8.h"
#include "src/base/xalloc.h"

static void print_node(const struct qnode *n, struct buf *out);

/* A string as Go's strconv.Quote writes it: printable characters as
 * they are, the short escapes, \x for bytes that are not UTF-8, \u for
 * the other control characters. */
static void
put_quoted(const char *s, struct buf *out)
{
    size_t n = strlen(s);

    buf_putc(out, '"');
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t w = utf8_decode(s + i, n - i, &cp);
        const char *esc = NULL;

        if (w == 0) {
            buf_printf(out, "\\x%02x", (unsigned char)s[i++]);
            continue;
        }
        switch (cp) {
        case '\a': esc = "\\a"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\v': esc = "\\v"; break;
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        default: break;
        }
        if (esc != NULL)
            buf_puts(out, esc);
        else if (cp < 0x20 || cp == 0x7f)
            buf_printf(out, "\\x%02x", (unsigned)cp);
        else if (cp >= 0x80 && cp < 0xa0)
            buf_printf(out, "\\u%04x", (unsigned)cp);
        else
            buf_append(out, s + i, w);
        i += w;
    }
    buf_putc(out, '"');
}

static void
put_duration(int64_t ms, struct buf *out)
{
    char d[48];

    duration_format(ms, d, sizeof(d));
    buf_puts(out, d);
}

/* " @ 1600000000.000", " @ start()", " @ end()" or nothing. */
static void
put_at(const struct qnode *n, struct buf *out)
{
    if (n->at == QAT_TIME)
        buf_printf(out, " @ %.3f", (double)n->at_t / 1000.0);
    else if (n->at == QAT_START)
        buf_puts(out, " @ start()");
    else if (n->at == QAT_END)
        buf_puts(out, " @ end()");
}

/* " offset 5m", " offset -5m" or nothing (an offset of 0 prints none). */
static void
put_offset(const struct qnode *n, struct buf *out)
{
    if (n->offset > 0) {
        buf_puts(out, " offset ");
        put_duration(n->offset, out);
    } else if (n->offset < 0) {
        buf_puts(out, " offset -");
        put_duration(-n->offset, out);
    }
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * name{a="x",b=~"y"}: every matcher but the one the name stands for,
 * each as name, operator and Go-quoted value, sorted as strings.
 */
static void
put_selector(const struct qnode *n, struct buf *out)
{
    static const char *const ops[] = {
        [STORE_EQ] = "=", [STORE_NEQ] = "!=", [STORE_RE] = "=~",
        [STORE_NRE] = "!~",
    };
    struct buf *each = xcalloc(n->nm + 1, sizeof(*each));
    char **text = xcalloc(n->nm + 1, sizeof(*text));
    size_t k = 0;

    for (size_t i = 0; i < n->nm; i++) {
        const struct store_matcher *m = &n->m[i];

        if (n->name != NULL && m->op == STORE_EQ
            && strcmp(m->name, LABEL_METRIC_NAME) == 0
            && strcmp(m->value, n->name) == 0)
            continue;
        buf_init(&each[k], 0);
        buf_printf(&each[k], "%s%s", m->name, ops[m->op]);
        put_quoted(m->value, &each[k]);
        text[k] = (char *)buf_str(&each[k]);
        k++;
    }
    buf_puts(out, n->name != NULL ? n->name : "");
    if (k > 0) {
        qsort(text, k, sizeof(*text), cmp_str);
        buf_putc(out, '{');
        for (size_t i = 0; i < k; i++)
            buf_printf(out, "%s%s", i ? "," : "", text[i]);
        buf_putc(out, '}');
    }
    for (size_t i = 0; i < k; i++)
        buf_fini(&each[i]);
    free(each);
    free(text);
}

static void
put_list(const struct qlabel_list *l, struct buf *out)
{
    buf_putc(out, '(');
    for (size_t i = 0; i < l->n; i++)
        buf_printf(out, "%s%s", i ? ", " : "", l->v[i]);
    buf_putc(out, ')');
}

static const char *
agg_name(enum qtok op)
{
    switch (op) {
    case QT_SUM: return "sum";
    case QT_AVG: return "avg";
    case QT_COUNT: return "count";
    case QT_MIN: return "min";
    case QT_MAX: return "max";
    case QT_GROUP: return "group";
    case QT_STDDEV: return "stddev";
    case QT_STDVAR: return "stdvar";
    case QT_TOPK: return "topk";
    case QT_BOTTOMK: return "bottomk";
    case QT_COUNT_VALUES: return "count_values";
    case QT_QUANTILE: return "quantile";
    default: return "?";
    }
}

static const char *
op_name(enum qtok op)
{
    switch (op) {
    case QT_ADD: return "+";
    case QT_SUB: return "-";
    case QT_MUL: return "*";
    case QT_DIV: return "/";
    case QT_MOD: return "%";
    case QT_POW: return "^";
    case QT_EQLC: return "==";
    case QT_NEQ: return "!=";
    case QT_GTR: return ">";
    case QT_LSS: return "<";
    case QT_GTE: return ">=";
    case QT_LTE: return "<=";
    case QT_LAND: return "and";
    case QT_LOR: return "or";
    case QT_LUNLESS: return "unless";
    case QT_ATAN2: return "atan2";
    default: return "?";
    }
}

/* sum by (job) (x), sum without () (x), sum(x), topk(3, x) */
static void
put_agg(const struct qnode *n, struct buf *out)
{
    buf_puts(out, agg_name(n->op));
    if (n->without || n->grouping.n > 0) {
        buf_puts(out, n->without ? " without " : " by ");
        put_list(&n->grouping, out);
        buf_putc(out, ' ');
    }
    buf_putc(out, '(');
    if (n->param != NULL) {
        print_node(n->param, out);
        buf_puts(out, ", ");
    }
    print_node(n->lhs, out);
    buf_putc(out, ')');
}

/* a > bool on (x) group_left (y) b: the matching only when on() or
 * labels were given, as Prometheus prints it. */
static void
put_binary(const struct qnode *n, struct buf *out)
{
    print_node(n->lhs, out);
    buf_printf(out, " %s", op_name(n->op));
    if (n->return_bool)
        buf_puts(out, " bool");
    if (n->has_matching && (n->on || n->matching.n > 0)) {
        buf_puts(out, n->on ? " on " : " ignoring ");
        put_list(&n->matching, out);
        if (n->card != 0) {
            buf_puts(out, n->card == 1 ? " group_left " : " group_right ");
            put_list(&n->include, out);
        }
    }
    buf_putc(out, ' ');
    print_node(n->rhs, out);
}

static void
print_node(const struct qnode *n, struct buf *out)
{
    switch (n->kind) {
    case QN_NUMBER:
        json_format_value(n->num, out);
        break;
    case QN_STRING:
        put_quoted(n->str, out);
        break;
    case QN_SELECTOR:
        put_selector(n, out);
        if (n->range > 0) {
            buf_putc(out, '[');
            put_duration(n->range, out);
            buf_putc(out, ']');
        }
        put_at(n, out);
        put_offset(n, out);
        break;
    case QN_SUBQUERY:
        print_node(n->lhs, out);
        buf_putc(out, '[');
        put_duration(n->range, out);
        buf_putc(out, ':');
        if (n->step > 0)
            put_duration(n->step, out);
        buf_putc(out, ']');
        put_at(n, out);
        put_offset(n, out);
        break;
    case QN_CALL:
        buf_printf(out, "%s(", n->fn->name);
        for (size_t i = 0; i < n->nargs; i++) {
            if (i > 0)
                buf_puts(out, ", ");
            print_node(n->args[i], out);
        }
        buf_putc(out, ')');
        break;
    case QN_AGG:
        put_agg(n, out);
        break;
    case QN_BINARY:
        put_binary(n, out);
        break;
    case QN_UNARY:
        buf_puts(out, op_name(n->op));
        print_node(n->lhs, out);
        break;
    case QN_PAREN:
        buf_putc(out, '(');
        print_node(n->lhs, out);
        buf_putc(out, ')');
        break;
    }
}

void
qprint_query(const struct query *q, struct buf *out)
{
    print_node(qparse_root(q), out);
}
