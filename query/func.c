/*
 * The function table (names, signatures, ids) and the element-wise math
 * of the simple families: rounding, clamping, logarithms, trigonometry and
 * the calendar functions. It does not walk vectors; the evaluator does.
 */
#include "query/func.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#define S QV_SCALAR
#define V QV_VECTOR
#define M QV_MATRIX
#define T QV_STRING

/* ORDER qfunc: one row per id, in enum order. */
static const struct qfunc table[] = {
    {"abs", QF_ABS, {V}, 1, 0, V},
    {"absent", QF_ABSENT, {V}, 1, 0, V},
    {"absent_over_time", QF_ABSENT_OVER_TIME, {M}, 1, 0, V},
    {"acos", QF_ACOS, {V}, 1, 0, V},
    {"acosh", QF_ACOSH, {V}, 1, 0, V},
    {"asin", QF_ASIN, {V}, 1, 0, V},
    {"asinh", QF_ASINH, {V}, 1, 0, V},
    {"atan", QF_ATAN, {V}, 1, 0, V},
    {"atanh", QF_ATANH, {V}, 1, 0, V},
    {"avg_over_time", QF_AVG_OVER_TIME, {M}, 1, 0, V},
    {"ceil", QF_CEIL, {V}, 1, 0, V},
    {"changes", QF_CHANGES, {M}, 1, 0, V},
    {"clamp", QF_CLAMP, {V, S, S}, 3, 0, V},
    {"clamp_max", QF_CLAMP_MAX, {V, S}, 2, 0, V},
    {"clamp_min", QF_CLAMP_MIN, {V, S}, 2, 0, V},
    {"cos", QF_COS, {V}, 1, 0, V},
    {"cosh", QF_COSH, {V}, 1, 0, V},
    {"count_over_time", QF_COUNT_OVER_TIME, {M}, 1, 0, V},
    {"days_in_month", QF_DAYS_IN_MONTH, {V}, 1, 1, V},
    {"day_of_month", QF_DAY_OF_MONTH, {V}, 1, 1, V},
    {"day_of_week", QF_DAY_OF_WEEK, {V}, 1, 1, V},
    {"day_of_year", QF_DAY_OF_YEAR, {V}, 1, 1, V},
    {"deg", QF_DEG, {V}, 1, 0, V},
    {"delta", QF_DELTA, {M}, 1, 0, V},
    {"deriv", QF_DERIV, {M}, 1, 0, V},
    {"exp", QF_EXP, {V}, 1, 0, V},
    {"floor", QF_FLOOR, {V}, 1, 0, V},
    {"histogram_quantile", QF_HISTOGRAM_QUANTILE, {S, V}, 2, 0, V},
    {"holt_winters", QF_HOLT_WINTERS, {M, S, S}, 3, 0, V},
    {"hour", QF_HOUR, {V}, 1, 1, V},
    {"idelta", QF_IDELTA, {M}, 1, 0, V},
    {"increase", QF_INCREASE, {M}, 1, 0, V},
    {"irate", QF_IRATE, {M}, 1, 0, V},
    {"label_join", QF_LABEL_JOIN, {V, T, T, T}, 4, -1, V},
    {"label_replace", QF_LABEL_REPLACE, {V, T, T, T, T}, 5, 0, V},
    {"last_over_time", QF_LAST_OVER_TIME, {M}, 1, 0, V},
    {"ln", QF_LN, {V}, 1, 0, V},
    {"log10", QF_LOG10, {V}, 1, 0, V},
    {"log2", QF_LOG2, {V}, 1, 0, V},
    {"max_over_time", QF_MAX_OVER_TIME, {M}, 1, 0, V},
    {"min_over_time", QF_MIN_OVER_TIME, {M}, 1, 0, V},
    {"minute", QF_MINUTE, {V}, 1, 1, V},
    {"month", QF_MONTH, {V}, 1, 1, V},
    {"pi", QF_PI, {0}, 0, 0, S},
    {"predict_linear", QF_PREDICT_LINEAR, {M, S}, 2, 0, V},
    {"present_over_time", QF_PRESENT_OVER_TIME, {M}, 1, 0, V},
    {"quantile_over_time", QF_QUANTILE_OVER_TIME, {S, M}, 2, 0, V},
    {"rad", QF_RAD, {V}, 1, 0, V},
    {"rate", QF_RATE, {M}, 1, 0, V},
    {"resets", QF_RESETS, {M}, 1, 0, V},
    {"round", QF_ROUND, {V, S}, 2, 1, V},
    {"scalar", QF_SCALAR, {V}, 1, 0, S},
    {"sgn", QF_SGN, {V}, 1, 0, V},
    {"sin", QF_SIN, {V}, 1, 0, V},
    {"sinh", QF_SINH, {V}, 1, 0, V},
    {"sort", QF_SORT, {V}, 1, 0, V},
    {"sort_desc", QF_SORT_DESC, {V}, 1, 0, V},
    {"sqrt", QF_SQRT, {V}, 1, 0, V},
    {"stddev_over_time", QF_STDDEV_OVER_TIME, {M}, 1, 0, V},
    {"stdvar_over_time", QF_STDVAR_OVER_TIME, {M}, 1, 0, V},
    {"sum_over_time", QF_SUM_OVER_TIME, {M}, 1, 0, V},
    {"tan", QF_TAN, {V}, 1, 0, V},
    {"tanh", QF_TANH, {V}, 1, 0, V},
    {"time", QF_TIME, {0}, 0, 0, S},
    {"timestamp", QF_TIMESTAMP, {V}, 1, 0, V},
    {"vector", QF_VECTOR, {S}, 1, 0, V},
    {"year", QF_YEAR, {V}, 1, 1, V},
};
_Static_assert(sizeof(table) / sizeof(table[0]) == QF_COUNT_OF_IDS,
               "function table out of step with enum qfunc_id");

/* A linear scan: the table is short and lookups happen at parse time
 * only. Function names are case-sensitive, unlike keywords. */
const struct qfunc *
qfunc_lookup(const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < QF_COUNT_OF_IDS; i++) {
        if (strlen(table[i].name) == len &&
            memcmp(table[i].name, name, len) == 0)
            return &table[i];
    }
    return NULL;
}

const char *
qfunc_type_name(enum qvalue_type t)
{
    switch (t) {
    case QV_SCALAR: return "scalar";
    case QV_VECTOR: return "instant vector";
    case QV_MATRIX: return "range vector";
    case QV_STRING: return "string";
    default:        return "none";
    }
}

/* Go's math.Max and math.Min: a NaN operand wins, unlike fmax/fmin. */
static double
go_max(double a, double b)
{
    return isnan(a) || isnan(b) ? NAN : (a > b ? a : b);
}

static double
go_min(double a, double b)
{
    return isnan(a) || isnan(b) ? NAN : (a < b ? a : b);
}

static bool
is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The calendar functions read v as Unix seconds in UTC, as Go's time. */
static double
calendar(enum qfunc_id id, double v)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
                                30, 31};
    time_t secs;
    struct tm tm;

    /* Go converts through int64, dropping the fraction; values no int64
     * can hold give NaN here rather than undefined behaviour. */
    if (!(v > -9.2e18 && v < 9.2e18))
        return NAN;
    secs = (time_t)(int64_t)v;

    if (gmtime_r(&secs, &tm) == NULL)
        return NAN;
    switch (id) {
    case QF_YEAR:         return tm.tm_year + 1900;
    case QF_MONTH:        return tm.tm_mon + 1;
    case QF_DAY_OF_MONTH: return tm.tm_mday;
    case QF_DAY_OF_WEEK:  return tm.tm_wday;
    case QF_DAY_OF_YEAR:  return tm.tm_yday + 1;
    case QF_HOUR:         return tm.tm_hour;
    case QF_MINUTE:       return tm.tm_min;
    default:
        if (tm.tm_mon == 1 && is_leap(tm.tm_year + 1900))
            return 29;
        return mdays[tm.tm_mon];
    }
}

/*
 * clamp is max(min, min(max, v)) with Go's NaN-propagating min and max;
 * round adds 0.5 and floors, so halves round up (towards +Inf), and
 * works in units of 1/to_nearest as Prometheus does.
 */
double
qfunc_math(enum qfunc_id id, double v, double a, double b)
{
    switch (id) {
    case QF_ABS:       return fabs(v);
    case QF_ACOS:      return acos(v);
    case QF_ACOSH:     return acosh(v);
    case QF_ASIN:      return asin(v);
    case QF_ASINH:     return asinh(v);
    case QF_ATAN:      return atan(v);
    case QF_ATANH:     return atanh(v);
    case QF_CEIL:      return ceil(v);
    case QF_CLAMP:     return go_max(a, go_min(b, v));
    case QF_CLAMP_MAX: return go_min(v, a);
    case QF_CLAMP_MIN: return go_max(v, a);
    case QF_COS:       return cos(v);
    case QF_COSH:      return cosh(v);
    case QF_DEG:       return v * 180 / M_PI;
    case QF_EXP:       return exp(v);
    case QF_FLOOR:     return floor(v);
    case QF_LN:        return log(v);
    case QF_LOG10:     return log10(v);
    case QF_LOG2:      return log2(v);
    case QF_RAD:       return v * M_PI / 180;
    case QF_ROUND:     return floor(v * (1.0 / a) + 0.5) / (1.0 / a);
    case QF_SGN:       return v < 0 ? -1 : v > 0 ? 1 : v;
    case QF_SIN:       return sin(v);
    case QF_SINH:      return sinh(v);
    case QF_SQRT:      return sqrt(v);
    case QF_TAN:       return tan(v);
    case QF_TANH:      return tanh(v);
    default:           return calendar(id, v);
    }
}
