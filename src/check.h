/*
 * promdeck check: validate files without scraping or drawing anything,
 * the way promtool check does, for editors and CI pipelines.
 */
#ifndef SRC_CHECK_H
#define SRC_CHECK_H

/* Checks each dashboard file (YAML or Grafana JSON): loads it, parses
 * every query, prints "FILE: OK (...)" or its errors. Exit status 0 when
 * all are good, 2 otherwise. */
int check_dashboards(const char *const *files, int n);

#endif
