/*
 * Prometheus 2.42's preprocessExprHelper, as marks on the tree: which
 * nodes are step-invariant and which of them are wrapped in a
 * StepInvariantExpr. It looks only at a node and its direct children, so
 * marking costs no recursion however deep the tree.
 */
#include "query/invariant.h"

/*
 * Functions whose answer depends on the evaluation time even when their
 * arguments do not (Prometheus's AtModifierUnsafeFunctions).
 */
static bool
time_dependent(enum qfunc_id id)
{
    switch (id) {
    case QF_DAYS_IN_MONTH: case QF_DAY_OF_MONTH: case QF_DAY_OF_WEEK:
    case QF_DAY_OF_YEAR: case QF_HOUR: case QF_MINUTE: case QF_MONTH:
    case QF_YEAR: case QF_PREDICT_LINEAR: case QF_TIME: case QF_TIMESTAMP:
        return true;
    default:
        return false;
    }
}

/*
 * A wrapped literal is evaluated as any literal (Prometheus unwraps it),
 * and a wrapped range vector is read as any range vector, so only
 * instant vectors and scalars computed from something are marked.
 */
static void
set_wrap(struct qnode *c, bool on)
{
    c->wrap = on && c->kind != QN_NUMBER && c->kind != QN_STRING &&
              (c->type == QV_SCALAR || c->type == QV_VECTOR);
}

static void
mark_call(struct qnode *n)
{
    size_t i;

    n->invariant = !time_dependent(n->fn->id);
    for (i = 0; i < n->nargs; i++)
        n->invariant = n->invariant && n->args[i]->invariant;
    for (i = 0; i < n->nargs; i++)
        set_wrap(n->args[i], !n->invariant && n->args[i]->invariant);
}

void
qparse_mark_invariant(struct qnode *n)
{
    switch (n->kind) {
    case QN_NUMBER:
    case QN_STRING:
        n->invariant = true;
        break;
    case QN_SELECTOR:
        n->invariant = n->at != QAT_NONE;
        break;
    case QN_SUBQUERY:
        /* Its expression is evaluated once whether or not @ pins it. */
        n->invariant = n->at != QAT_NONE;
        set_wrap(n->lhs, n->lhs->invariant);
        break;
    case QN_PAREN:
    case QN_UNARY:
    case QN_AGG:
        /* An aggregation's parameter is not looked at, as in 2.42. */
        n->invariant = n->lhs->invariant;
        break;
    case QN_BINARY:
        n->invariant = n->lhs->invariant && n->rhs->invariant;
        set_wrap(n->lhs, !n->invariant && n->lhs->invariant);
        set_wrap(n->rhs, !n->invariant && n->rhs->invariant);
        break;
    case QN_CALL:
        mark_call(n);
        break;
    }
}

void
qparse_mark_root(struct qnode *root)
{
    set_wrap(root, root->invariant);
}
