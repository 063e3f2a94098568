/*
 * The grammar of OpenMetrics 1.0 records as Prometheus 2.42's lexer
 * (openmetricslex.l) and parser (openmetricsparse.go) define it: single
 * spaces, no blank lines or free comments, UNIT, float timestamps in
 * seconds, exemplars checked and skipped. "# EOF" is reported, not
 * enforced: expo.c knows where the body ends.
 *
 * Internal to scrape/: not part of the scrape API; other folders include
 * scrape/expo.h (tests may include this header).
 *
 * Ownership: as for struct expo_rec (scrape/expo_rec.h).
 */
#ifndef SCRAPE_EXPO_OM_H
#define SCRAPE_EXPO_OM_H

#include "scrape/expo_rec.h"

/* om-record = "# " ( meta | "EOF" ) | sample; the record is one line */
int expo_om_record(struct expo_rec *r);

#endif
