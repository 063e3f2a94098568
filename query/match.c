/*
 * Matcher compilation and testing. Regexes go through src/base/regex.h, which
 * gives Prometheus's fully anchored RE2-style semantics; an absent label
 * counts as the empty string, as everywhere in PromQL.
 */
#include "query/match.h"

#include <string.h>

int
qmatch_compile(struct store_matcher *m, enum store_match_op op,
               const char *name, const char *value, struct diag *d)
{
    m->op = op;
    m->name = name;
    m->value = value;
    m->re = NULL;
    if (op == STORE_RE || op == STORE_NRE) {
        m->re = regex_new(value, d);
        if (m->re == NULL)
            return -1;
    }
    return 0;
}

void
qmatch_fini(struct store_matcher *m)
{
    regex_free(m->re);
    m->re = NULL;
}

size_t
qmatch_undecided(const struct store_matcher *m, size_t n)
{
    size_t total = 0;

    for (size_t i = 0; i < n; i++)
        if (m[i].re != NULL)
            total += regex_undecided(m[i].re);
    return total;
}

bool
qmatch_matches(const struct store_matcher *m, const char *value)
{
    if (value == NULL)
        value = "";
    switch (m->op) {
    case STORE_EQ:  return strcmp(m->value, value) == 0;
    case STORE_NEQ: return strcmp(m->value, value) != 0;
    case STORE_RE:  return regex_match(m->re, value, strlen(value));
    default:        return !regex_match(m->re, value, strlen(value));
    }
}
