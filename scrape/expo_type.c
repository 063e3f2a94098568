/*
 * The words of the exposition formats' metric types, indexed by enum
 * expo_type. It parses nothing: the grammars match these words against
 * a TYPE line themselves. It stays this short because it is the one
 * piece every part of the parser shares.
 */
#include "scrape/expo_type.h"

/* ORDER expo_type */
static const char *const type_names[] = {
    "untyped", "counter", "gauge", "histogram", "summary", "info",
    "stateset", "gaugehistogram", "unknown",
};
_Static_assert(sizeof(type_names) / sizeof(type_names[0]) == EXPO_TYPE_COUNT,
               "type_names must list every expo_type");

const char *
expo_type_name(enum expo_type t)
{
    return (unsigned)t < EXPO_TYPE_COUNT ? type_names[t] : "unknown";
}
