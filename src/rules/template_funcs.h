/*
 * The functions a template can call: Go's text/template builtins (but
 * and/or, which the executor short-circuits itself) and Prometheus's
 * function map (query, humanize, label, ...). Each entry names its
 * parameter types so the executor converts and checks arguments as Go's
 * reflection would before the call.
 *
 * Ownership: functions allocate their results in the run's arena.
 */
#ifndef RULES_TEMPLATE_FUNCS_H
#define RULES_TEMPLATE_FUNCS_H

#include <stdbool.h>
#include <stddef.h>

#include "src/base/arena.h"
#include "src/base/buf.h"
#include "src/rules/template.h"
#include "src/rules/template_value.h"

/* What a function sees of the run. */
struct tfunc_ctx {
    const struct tmpl_data *data;
    struct arena *a;        /* the run's arena, for results */
    char err[512];          /* the error, when a function fails */
};

/*
 * A function: fills *res and returns 0, or returns -1 with ctx->err set
 * (the executor adds "error calling NAME: ").
 */
typedef int (*tfunc_fn)(struct tfunc_ctx *c, const struct tval *argv,
                        size_t argc, struct tval *res);

/*
 * Parameter types, one letter each: s string, f float64, i int,
 * a interface{} (anything, nil too), v reflect.Value (likewise),
 * S *sample, Q queryResult; a final '*' repeats the letter before it.
 */
struct tfunc {
    const char *name;
    const char *params;
    tfunc_fn fn;
};

/* Sets c->err (printf style); returns -1, for `return tfunc_fail(...)`. */
int tfunc_fail(struct tfunc_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Results: a copy of b's text (b is released), of s[0..len), a bool.
 * Each returns 0. */
int tfunc_ret_buf(struct tfunc_ctx *c, struct buf *b, struct tval *res);
int tfunc_ret_str(struct tfunc_ctx *c, const char *s, size_t len,
                  struct tval *res);
int tfunc_ret_bool(bool b, struct tval *res);
/* Appends s as Go's url.QueryEscape (space as '+', others %XX). */
void tfunc_query_escape(struct buf *b, const char *s, size_t len);
/* The function called name, or NULL. and/or are found too (fn NULL). */
const struct tfunc *tfunc_find(const char *name);
/* True when name is a function a template may call. */
bool tfunc_known(const char *name);
/* Go's name of a parameter letter's type ("string", "float64", ...). */
const char *tfunc_param_type(char p);

#endif
