/*
 * The expanding notation of Prometheus's test scripts (`load 1m` blocks)
 * and promtool's unit-test input_series: a series identity followed by
 * values, `1+2x3` (1 3 5 7), `5x2` (5 5 5), `_` (no sample), `_x3` (three
 * slots without samples) and `stale` (a staleness marker), one step apart
 * from time 0. Pure: it parses a string and stores nothing.
 *
 * Ownership: a parsed series owns its labels and samples and is released
 * with notation_series_fini.
 */
#ifndef RULES_NOTATION_H
#define RULES_NOTATION_H

#include <stddef.h>
#include <stdint.h>

#include "store/labels.h"
#include "store/store.h"

struct notation_series {
    struct labels ls;       /* owned, sorted, without empty values */
    struct sample *v;       /* staleness markers as the stale NaN */
    size_t n, cap;
    int line;               /* the line number given to the parser */
};

/*
 * Parses "series values" (the line, without leading blanks) with samples
 * step ms apart. Returns 0, or -1 with "column N: what" in err (errlen
 * bytes) and *out left empty.
 */
int notation_parse_line(const char *line, int lineno, int64_t step,
                        struct notation_series *out, char *err,
                        size_t errlen);
/* Releases the series' labels and samples; the struct may be reused. */
void notation_series_fini(struct notation_series *s);

#endif
