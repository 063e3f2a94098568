/*
 * Aggregation operators (sum avg min max count group stddev stdvar topk
 * bottomk quantile count_values) with by/without grouping, step by step,
 * with Prometheus 2.42's numerics: running means, Welford variances, NaN
 * and Inf rules. It also offers the quantile the functions share.
 *
 * Ownership: results go into the evaluation's arena through *out.
 */
#ifndef QUERY_AGG_H
#define QUERY_AGG_H

#include "query/eval.h"

/* Evaluates the QN_AGG node n over ts; -1 with ev->d set on error. */
int qeval_agg(struct qev *ev, const struct qnode *n, const struct qsteps *ts,
              struct qmat *out);
/*
 * At a single step, sum, avg, count, min, max, group, stddev and stdvar
 * of a range function offer it (ev->fold) to fold its values straight
 * into their groups instead of building the matrix they would read back.
 * The function takes the offer when its values cannot clash (no two
 * share a label set) and then hands each value over with its series r
 * and the labels ls the value would have, in the order it would have
 * put them in its matrix; the aggregation gives the same result, bit for
 * bit. With a frame cache, the group of each series of the selection is
 * kept with the selection, so later frames look it up by r->idx.
 */
void qagg_fold(struct qev *ev, struct qfold *f, const struct qrange *r,
               const struct labels *ls, double v);
/*
 * The q-quantile of v[0..n) by linear interpolation (sorts v in place,
 * NaN first as Go sorts); NaN when n is 0, -Inf/+Inf for q < 0 / q > 1.
 */
double qeval_quantile(double q, double *v, size_t n);
/* v formatted as Go's strconv.FormatFloat(v, 'f', -1, 64) into a. */
const char *qeval_format_float(struct arena *a, double v);

#endif
