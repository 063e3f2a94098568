/*
 * The values a template computes with, standing in for the Go values of
 * Prometheus's templates: Go's invalid value ("<no value>"), a nil
 * interface ("<nil>"), bool,
 * int, float64, string, map[string]string (label sets), the map args
 * builds, a query result and one of its samples, a time, and the rule's
 * data. Also Go's fmt for them: Sprint, Sprintln, Sprintf and %v.
 *
 * Ownership: a value borrows what it points to; a template run keeps
 * everything in its arena until it ends.
 */
#ifndef RULES_TEMPLATE_VALUE_H
#define RULES_TEMPLATE_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/base/buf.h"
#include "store/labels.h"

enum tv_kind {
    TV_INVALID, TV_NIL, TV_BOOL, TV_INT, TV_FLOAT, TV_STRING, TV_LABELS,
    TV_ARGS,
    TV_RESULT, TV_SAMPLE, TV_TIME, TV_DATA,
};

/* One sample of a query result, as Prometheus's template sample. */
struct tsample {
    struct labels labels;
    double value;
};

struct tval {
    enum tv_kind kind;
    bool b;                     /* TV_BOOL */
    int64_t i;                  /* TV_INT; TV_TIME: Unix ms */
    double f;                   /* TV_FLOAT */
    const char *s;              /* TV_STRING (NUL-terminated too) */
    size_t len;
    const struct labels *labels; /* TV_LABELS */
    const struct tval *args;    /* TV_ARGS: the values of arg0, arg1, ...;
                                   TV_DATA: Labels, ExternalLabels,
                                   ExternalURL, Value */
    size_t nargs;
    const struct tsample *samples; /* TV_RESULT; TV_SAMPLE: the one */
    size_t n;
};

/* Go's name of v's type, as error messages show it. */
const char *tval_type(const struct tval *v);
/* Go's truth: false, 0, "", nil and empty collections are false. */
bool tval_truth(const struct tval *v);
/* Appends v as a template prints it ("<no value>" when invalid). */
void tval_print(struct buf *out, const struct tval *v);
/* fmt.Sprint: operands joined, a space between two non-strings. */
void tval_sprint(struct buf *out, const struct tval *v, size_t n);
/* fmt.Sprintln: operands joined by spaces, then a newline. */
void tval_sprintln(struct buf *out, const struct tval *v, size_t n);
/*
 * fmt.Sprintf with Go's verbs (%v %s %d %f %e %g %q %x %X %t %c %%,
 * flags, width and precision), and Go's %!verb(type=value) marks for a
 * wrong, missing or extra operand.
 */
void tval_sprintf(struct buf *out, const char *fmt, const struct tval *v,
                  size_t n);
/*
 * Appends f as Go's strconv.FormatFloat(f, fmt, prec, 64) for fmt 'g',
 * 'e' or 'f', prec -1 meaning the shortest text that reads back as f.
 */
void tval_float(struct buf *out, double f, char fmt, int prec);
/* Appends the time ms (Unix ms, UTC) as Go's time.Time String(). */
void tval_time(struct buf *out, int64_t ms);
/* The index of the i-th of n args keys ("arg0".."argN-1") in Go's map
 * order, by string: arg0, arg1, arg10, arg11, ..., arg2. */
size_t tval_arg_at(size_t i, size_t n);
/* Appends s as Go's strconv.Quote. */
void tval_quote(struct buf *out, const char *s, size_t len);

#endif
