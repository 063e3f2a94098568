/*
 * The metric types of the exposition formats and the words they are
 * written as. It is its own small module so the driver (expo.c) and the
 * record grammars (expo_rec.c, expo_om.c) can all name types without the
 * grammars linking back into the driver. Which format accepts which type
 * is the grammars' business, not this file's.
 *
 * Ownership: the names are static strings.
 */
#ifndef SCRAPE_EXPO_TYPE_H
#define SCRAPE_EXPO_TYPE_H

/* ORDER expo_type: keep in step with the names in expo_type.c */
enum expo_type {
    EXPO_UNTYPED,
    EXPO_COUNTER,
    EXPO_GAUGE,
    EXPO_HISTOGRAM,
    EXPO_SUMMARY,
    EXPO_INFO,
    EXPO_STATESET,
    EXPO_GAUGEHISTOGRAM,
    EXPO_UNKNOWN,
    EXPO_TYPE_COUNT
};

/* The name of a type as the exposition formats write it ("counter");
 * "unknown" for a value outside the enum. */
const char *expo_type_name(enum expo_type t);

#endif
