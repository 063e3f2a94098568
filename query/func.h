/*
 * The PromQL function table: each function's name, argument types and
 * return type (for the parser's type checks) and an id the evaluator
 * dispatches on, plus the element-wise math the simple families share.
 * Range-vector functions live in query/funcrange.h.
 *
 * Ownership: the table is static and constant.
 */
#ifndef QUERY_FUNC_H
#define QUERY_FUNC_H

#include <stddef.h>

#include "query/value.h"

/* ORDER qfunc: keep in step with the table in query/func.c. */
enum qfunc_id {
    QF_ABS, QF_ABSENT, QF_ABSENT_OVER_TIME, QF_ACOS, QF_ACOSH, QF_ASIN,
    QF_ASINH, QF_ATAN, QF_ATANH, QF_AVG_OVER_TIME, QF_CEIL, QF_CHANGES,
    QF_CLAMP, QF_CLAMP_MAX, QF_CLAMP_MIN, QF_COS, QF_COSH,
    QF_COUNT_OVER_TIME, QF_DAYS_IN_MONTH, QF_DAY_OF_MONTH, QF_DAY_OF_WEEK,
    QF_DAY_OF_YEAR, QF_DEG, QF_DELTA, QF_DERIV, QF_EXP, QF_FLOOR,
    QF_HISTOGRAM_QUANTILE, QF_HOLT_WINTERS, QF_HOUR, QF_IDELTA,
    QF_INCREASE, QF_IRATE, QF_LABEL_JOIN, QF_LABEL_REPLACE,
    QF_LAST_OVER_TIME, QF_LN, QF_LOG10, QF_LOG2, QF_MAX_OVER_TIME,
    QF_MIN_OVER_TIME, QF_MINUTE, QF_MONTH, QF_PI, QF_PREDICT_LINEAR,
    QF_PRESENT_OVER_TIME, QF_QUANTILE_OVER_TIME, QF_RAD, QF_RATE,
    QF_RESETS, QF_ROUND, QF_SCALAR, QF_SGN, QF_SIN, QF_SINH, QF_SORT,
    QF_SORT_DESC, QF_SQRT, QF_STDDEV_OVER_TIME, QF_STDVAR_OVER_TIME,
    QF_SUM_OVER_TIME, QF_TAN, QF_TANH, QF_TIME, QF_TIMESTAMP, QF_VECTOR,
    QF_YEAR,
    QF_COUNT_OF_IDS
};

struct qfunc {
    const char *name;
    enum qfunc_id id;
    enum qvalue_type args[5];
    int nargs;          /* listed argument types */
    int variadic;       /* 0 fixed; n: up to n optional; -1 unlimited */
    enum qvalue_type ret;
};

/* The function called name[0..len), or NULL when PromQL has none. */
const struct qfunc *qfunc_lookup(const char *name, size_t len);
/* The PromQL name of a value type: "instant vector", "scalar", ... */
const char *qfunc_type_name(enum qvalue_type t);
/*
 * Applies an element-wise function (abs ... year; the date functions take
 * v as seconds since the epoch) to v. a and b are the scalar arguments of
 * clamp, clamp_min, clamp_max and round (a: to_nearest, 1 when absent).
 */
double qfunc_math(enum qfunc_id id, double v, double a, double b);

#endif
