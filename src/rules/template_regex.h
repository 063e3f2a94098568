/*
 * The regular expression functions of templates, match and reReplaceAll,
 * with Go's unanchored semantics on top of promdeck's anchored regexes.
 *
 * Ownership: the functions follow tfunc_fn's contract (template_funcs.h).
 */
#ifndef RULES_TEMPLATE_REGEX_H
#define RULES_TEMPLATE_REGEX_H

#include <stddef.h>

#include "src/rules/template_funcs.h"
#include "src/rules/template_value.h"

/* match: whether the pattern matches anywhere in the text. */
int tfunc_match(struct tfunc_ctx *c, const struct tval *a,
                size_t n, struct tval *res);
/* reReplaceAll: Go's Regexp.ReplaceAllString. */
int tfunc_re_replace_all(struct tfunc_ctx *c, const struct tval *a,
                         size_t n, struct tval *res);

#endif
