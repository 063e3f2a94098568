/*
 * The parameters of one API request: the URL's query string and a
 * form-encoded body, as Go's Request.FormValue sees them (body values
 * first, then the URL's; a repeated key keeps every value, in order), and
 * the time and duration parameters read as Prometheus 2.42's API reads
 * them. Pure: no I/O, no HTTP library, so the tests call it directly.
 *
 * Ownership: a params list owns copies of every key and value; strings
 * it returns are borrowed until api_params_fini.
 */
#ifndef API_PARAMS_H
#define API_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct api_param {
    char *key;
    char *value;
};

struct api_params {
    struct api_param *v;
    size_t n, cap;
};

void api_params_init(struct api_params *p);
void api_params_fini(struct api_params *p);
/* Adds one pair, copied (already decoded). */
void api_params_add(struct api_params *p, const char *key, size_t klen,
                    const char *value, size_t vlen);
/*
 * Adds the pairs of an application/x-www-form-urlencoded text ("a=1&b=%20"
 * with '+' for a space), decoding each. Returns 0, or -1 on a bad percent
 * escape (the pairs before it stay added), as Go's ParseQuery refuses one.
 */
int api_params_parse_form(struct api_params *p, const char *s, size_t len);
/* The first value of key, or NULL when absent ("" when given empty). */
const char *api_params_get(const struct api_params *p, const char *key);
/* How many values key has; the i-th with api_params_nth. */
size_t api_params_count(const struct api_params *p, const char *key);
const char *api_params_nth(const struct api_params *p, const char *key,
                           size_t i);

/*
 * Prometheus's parseTime: a number of Unix seconds (fraction rounded to
 * the millisecond) or an RFC 3339 time, into ms. Returns 0, or -1 with
 * the message Prometheus gives ("cannot parse \"x\" to a valid
 * timestamp") in err.
 */
int api_parse_time(const char *s, int64_t *ms, char *err, size_t errsz);
/*
 * Prometheus's parseDuration: seconds as a number ("15", "0.5") or a
 * duration ("1m30s"), into ms. Returns 0, or -1 with the message in err.
 */
int api_parse_duration(const char *s, int64_t *ms, char *err, size_t errsz);

/* Whether s is a valid label name ([a-zA-Z_][a-zA-Z0-9_]*). */
bool api_label_name_valid(const char *s);

#endif
