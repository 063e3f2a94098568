/*
 * Go's text/template builtin functions: and, or (short-circuited by the
 * executor), not, len, index, slice, eq, ne, lt, le, gt, ge, print,
 * printf, println, html, js and urlquery.
 *
 * Ownership: the functions follow tfunc_fn's contract (template_funcs.h).
 */
#ifndef RULES_TEMPLATE_BUILTIN_H
#define RULES_TEMPLATE_BUILTIN_H

#include "src/rules/template_funcs.h"

/* The builtin called name, or NULL. */
const struct tfunc *tbuiltin_find(const char *name);

#endif
