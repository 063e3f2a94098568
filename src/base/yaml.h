/*
 * YAML and JSON documents as a read-only tree with a 1-based line and column
 * on every node; the only module that talks to libyaml. JSON parses as the
 * flow subset of YAML. Scalars keep their exact text (JSON numbers included)
 * and whether they were quoted; typing happens only in the yaml_get_* calls.
 * It does not validate against any schema and does not emit YAML.
 *
 * Ownership: yaml_load_file and yaml_load_buf return a tree the caller owns
 * and releases with yaml_tree_free(root). Every node, string and pointer
 * reachable from the root belongs to that tree and stays valid until it is
 * freed; callers treat the nodes as read-only. A diag filled from a node
 * points its source at the tree's copy of the document name, so print it
 * before freeing the tree. (The freeing function is not called yaml_free
 * because libyaml exports a function of that name.)
 *
 * Anchors and aliases are resolved: an alias becomes a copy of the anchored
 * node (positions are the anchor's). The merge key "<<" is an ordinary key.
 * Only the first document of a stream is read; a second one is an error.
 */
#ifndef BASE_YAML_H
#define BASE_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/base/diag.h"

enum yaml_kind {
    YAML_KIND_SCALAR,
    YAML_KIND_SEQUENCE,
    YAML_KIND_MAPPING
};

/* How a scalar was written; anything but PLAIN counts as quoted. */
enum yaml_style {
    YAML_STYLE_PLAIN,
    YAML_STYLE_SINGLE,      /* 'text' */
    YAML_STYLE_DOUBLE,      /* "text", and every JSON string */
    YAML_STYLE_LITERAL,     /* | block */
    YAML_STYLE_FOLDED       /* > block */
};

struct yaml_pair;

struct yaml_node {
    enum yaml_kind kind;
    int line;                   /* 1-based */
    int col;                    /* 1-based, in bytes */
    const char *source;         /* the document name, owned by the tree */
    union {
        struct {
            char *text;         /* NUL-terminated; may hold NULs before len */
            size_t len;
            enum yaml_style style;
            bool quoted;        /* style != PLAIN, or tagged !!str */
        } scalar;
        struct {
            struct yaml_node **items;
            size_t n;
        } seq;
        struct {
            struct yaml_pair *pairs;    /* in document order */
            size_t n;
        } map;
    } u;
};

/* One mapping entry; key carries its own position. */
struct yaml_pair {
    struct yaml_node *key;
    struct yaml_node *value;
};

/*
 * Parses the file at path (name is used in positions and diags). Returns
 * NULL and fills d ("path:line:col" plus libyaml's problem) on a read or
 * parse error, a duplicate mapping key or a second document. An empty
 * document gives a null scalar.
 */
struct yaml_node *yaml_load_file(const char *path, struct diag *d);
/* Same for a buffer of len bytes; name labels positions. buf is borrowed. */
struct yaml_node *yaml_load_buf(const char *name, const char *buf, size_t len,
                                struct diag *d);
/* Releases a whole tree; NULL does nothing. Only pass a root. */
void yaml_tree_free(struct yaml_node *root);

/* The value for the scalar key in a mapping, or NULL (also if not a map). */
const struct yaml_node *yaml_get(const struct yaml_node *map, const char *key);
/* Number of pairs of a mapping, items of a sequence; 0 for a scalar. */
size_t yaml_map_size(const struct yaml_node *map);
size_t yaml_seq_size(const struct yaml_node *seq);
/* The i-th pair or item (i below the size), in document order. */
const struct yaml_pair *yaml_map_at(const struct yaml_node *map, size_t i);
const struct yaml_node *yaml_seq_at(const struct yaml_node *seq, size_t i);
/* The scalar's text, or NULL when n is NULL or not a scalar. */
const char *yaml_scalar(const struct yaml_node *n);
bool yaml_is_scalar(const struct yaml_node *n);
bool yaml_is_seq(const struct yaml_node *n);
bool yaml_is_map(const struct yaml_node *n);
/* A plain ~, null, Null, NULL or empty scalar (JSON null included). */
bool yaml_is_null(const struct yaml_node *n);
/* A short name of the node's kind for messages: "mapping", "string", ... */
const char *yaml_kind_name(const struct yaml_node *n);

/*
 * Typed getters: 0 and *out set, or -1 with d set at the node's position
 * ("expected an integer, found ..."). Numbers and booleans must be
 * unquoted: "10" is a string, as Prometheus's YAML decoding has it.
 * yaml_get_int takes decimal, 0x hex, 0o octal and 0b binary with an
 * optional sign, and whole numbers written as floats (1e3, 8.0) as JSON
 * writers print them.
 * yaml_get_double also takes .inf, -.inf and .nan. yaml_get_bool takes
 * true/false (any case) and yaml.v2's yes/no/on/off. yaml_get_string takes
 * any scalar. A NULL node is an error at no position.
 */
int yaml_get_int(const struct yaml_node *n, int64_t *out, struct diag *d);
int yaml_get_double(const struct yaml_node *n, double *out, struct diag *d);
int yaml_get_bool(const struct yaml_node *n, bool *out, struct diag *d);
int yaml_get_string(const struct yaml_node *n, const char **out,
                    struct diag *d);
/*
 * A Prometheus duration (quoted or not) in milliseconds, as duration_parse
 * (src/base/duration.h) reads it: 10s, 1m30s, 5m, 1h, 2d, 1w, 1y, 100ms, "0".
 * Like Prometheus, more than Go's time.Duration holds (292 years) is out
 * of range.
 */
int yaml_get_duration(const struct yaml_node *n, int64_t *ms, struct diag *d);

#endif
