/*
 * Test support for completion tests: a completion source over fixed
 * lists, with the signature the explore prompt and ui/complete.c take.
 * Label names are job, instance and code; __name__ has three metric
 * names; job has api, db and api-gateway; path has values that need
 * escaping, a repeat and a NULL hole; word has two names that share only
 * the first byte of a two-byte code point.
 *
 * Ownership: the strings are static; the array *out is the caller's to
 * free, as the real sources' arrays are.
 */
#ifndef TESTS_SUPPORT_COMPLETE_H
#define TESTS_SUPPORT_COMPLETE_H

#include <stddef.h>

/* What a test reads back about the calls made. */
struct ts_fixed {
    char asked[32];     /* the label the last call asked about, or
                           "(names)" for label names */
    int calls;
};

/* The source: ctx is a struct ts_fixed. */
size_t ts_fixed_complete(void *ctx, const char *label, const char ***out);

#endif
