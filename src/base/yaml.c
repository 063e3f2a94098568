/*
 * The libyaml wrapper: drives libyaml's event parser and builds a tree of
 * scalars, sequences and mappings, each with its 1-based line and byte
 * column. Typed access (integers, floats, booleans, durations) happens on
 * demand in the getters. It does not resolve YAML 1.1 tags beyond !!str and
 * does not emit YAML.
 */
#include "src/base/yaml.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "src/base/buf.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"

/* Deeper nesting than this is refused rather than risking the C stack. */
#define MAX_DEPTH 512
/* Nodes that alias expansion may create ("billion laughs" guard). */
#define ALIAS_BUDGET 1000000

struct anchor {
    char *name;
    const struct yaml_node *node;
};

struct ctx {
    yaml_parser_t p;
    const char *buf;
    size_t len;
    size_t *lines;          /* byte offset where each 0-based line starts */
    size_t nlines;
    const char *name;       /* the tree's own copy */
    const char *caller_name;
    struct diag *d;
    struct anchor *anchors;
    size_t nanchors;
    size_t budget;
    int depth;
    /* byte_col's last walk: line + 1 (0: none), characters, offset. */
    size_t walk_line, walk_chars, walk_off;
};

static struct yaml_node *parse_node(struct ctx *c, yaml_event_t *ev);

/* Records where each line starts, so libyaml's character columns can be
 * turned into byte columns. A leading BOM is not part of line 1's columns,
 * and \r\n or a lone \r ends a line as it does for libyaml. */
static void
index_lines(struct ctx *c)
{
    size_t cap = 64, i = 0;

    c->lines = xreallocarray(NULL, cap, sizeof(*c->lines));
    c->nlines = 1;
    if (c->len >= 3 && memcmp(c->buf, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    c->lines[0] = i;
    for (; i < c->len; i++) {
        if (c->buf[i] == '\r' && i + 1 < c->len && c->buf[i + 1] == '\n')
            i++;
        else if (c->buf[i] != '\n' && c->buf[i] != '\r')
            continue;
        if (c->nlines == cap) {
            cap *= 2;
            c->lines = xreallocarray(c->lines, cap, sizeof(*c->lines));
        }
        c->lines[c->nlines++] = i + 1;
    }
}

/*
 * A 1-based byte column for libyaml's 0-based character column. Marks
 * come in document order, so the walk resumes where the last one on the
 * same line stopped: a one-line JSON document costs one pass, not one per
 * node.
 */
static int
byte_col(struct ctx *c, size_t line, size_t col)
{
    size_t off, start, k = 0;

    if (line >= c->nlines)
        return (int)col + 1;
    off = start = c->lines[line];
    if (c->walk_line == line + 1 && c->walk_chars <= col) {
        k = c->walk_chars;
        off = c->walk_off;
    }
    while (k < col && off < c->len && c->buf[off] != '\n') {
        off++;
        while (off < c->len && ((unsigned char)c->buf[off] & 0xC0) == 0x80)
            off++;
        k++;
    }
    c->walk_line = line + 1;
    c->walk_chars = k;
    c->walk_off = off;
    return (int)(off - start + (col - k)) + 1;
}

static struct yaml_node *
new_node(struct ctx *c, enum yaml_kind kind, yaml_mark_t m)
{
    struct yaml_node *n = xcalloc(1, sizeof(*n));

    n->kind = kind;
    n->line = (int)m.line + 1;
    n->col = byte_col(c, m.line, m.column);
    n->source = c->name;
    return n;
}

static void
free_node(struct yaml_node *n)
{
    if (n == NULL)
        return;
    switch (n->kind) {
    case YAML_KIND_SCALAR:
        free(n->u.scalar.text);
        break;
    case YAML_KIND_SEQUENCE:
        for (size_t i = 0; i < n->u.seq.n; i++)
            free_node(n->u.seq.items[i]);
        free(n->u.seq.items);
        break;
    case YAML_KIND_MAPPING:
        for (size_t i = 0; i < n->u.map.n; i++) {
            free_node(n->u.map.pairs[i].key);
            free_node(n->u.map.pairs[i].value);
        }
        free(n->u.map.pairs);
        break;
    }
    free(n);
}

/* Sets d at a libyaml mark and returns -1. */
static int
fail_at(struct ctx *c, yaml_mark_t m, const char *fmt, const char *arg)
{
    if (c->d == NULL)
        return -1;
    c->d->source = c->caller_name;
    diag_set(c->d, (int)m.line + 1, byte_col(c, m.line, m.column), 1,
             fmt, arg);
    return -1;
}

/* Turns libyaml's error state into a diag: problem, then its context. */
static int
parser_error(struct ctx *c)
{
    yaml_parser_t *p = &c->p;
    const char *problem = p->problem ? p->problem : "malformed document";

    if (p->error == YAML_MEMORY_ERROR)
        problem = "out of memory while parsing";
    if (p->error == YAML_READER_ERROR) {
        if (c->d != NULL) {
            c->d->source = c->caller_name;
            diag_set_at(c->d, c->buf, c->len, p->problem_offset, 1,
                        "%s", problem);
        }
        return -1;
    }
    fail_at(c, p->problem_mark, "%s", problem);
    if (c->d != NULL && p->context != NULL)
        diag_hint(c->d, "%s at line %d, column %d", p->context,
                  (int)p->context_mark.line + 1,
                  byte_col(c, p->context_mark.line,
                           p->context_mark.column));
    return -1;
}

static int
next_event(struct ctx *c, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&c->p, ev))
        return parser_error(c);
    return 0;
}

static void
add_anchor(struct ctx *c, const yaml_char_t *name, const struct yaml_node *n)
{
    if (name == NULL)
        return;
    c->anchors = xreallocarray(c->anchors, c->nanchors + 1,
                               sizeof(*c->anchors));
    c->anchors[c->nanchors].name = xstrdup((const char *)name);
    c->anchors[c->nanchors].node = n;
    c->nanchors++;
}

/* A deep copy of an anchored node, counted against the alias budget. */
static struct yaml_node *
copy_node(struct ctx *c, const struct yaml_node *src)
{
    struct yaml_node *n;

    if (c->budget == 0)
        return NULL;
    c->budget--;
    n = xmalloc(sizeof(*n));
    *n = *src;
    switch (src->kind) {
    case YAML_KIND_SCALAR:
        n->u.scalar.text = xmalloc(src->u.scalar.len + 1);
        memcpy(n->u.scalar.text, src->u.scalar.text, src->u.scalar.len + 1);
        return n;
    case YAML_KIND_SEQUENCE:
        n->u.seq.items = xcalloc(src->u.seq.n + 1, sizeof(*n->u.seq.items));
        for (size_t i = 0; i < src->u.seq.n; i++)
            n->u.seq.items[i] = copy_node(c, src->u.seq.items[i]);
        return n;
    case YAML_KIND_MAPPING:
        n->u.map.pairs = xcalloc(src->u.map.n + 1, sizeof(*n->u.map.pairs));
        for (size_t i = 0; i < src->u.map.n; i++) {
            n->u.map.pairs[i].key = copy_node(c, src->u.map.pairs[i].key);
            n->u.map.pairs[i].value = copy_node(c,
                                                src->u.map.pairs[i].value);
        }
        return n;
    }
    return n;
}

/* alias ::= '*' anchor-name; becomes a copy of the last node so named. */
static struct yaml_node *
parse_alias(struct ctx *c, yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    struct yaml_node *n;

    for (size_t i = c->nanchors; i-- > 0;) {
        if (strcmp(c->anchors[i].name, name) != 0)
            continue;
        n = copy_node(c, c->anchors[i].node);
        if (c->budget == 0) {
            free_node(n);
            fail_at(c, ev->start_mark, "alias '*%s' expands to too many "
                    "nodes", name);
            return NULL;
        }
        return n;
    }
    fail_at(c, ev->start_mark, "unknown anchor '%s'", name);
    return NULL;
}

/* scalar ::= plain | 'single' | "double" | literal | folded */
static struct yaml_node *
parse_scalar(struct ctx *c, yaml_event_t *ev)
{
    struct yaml_node *n = new_node(c, YAML_KIND_SCALAR, ev->start_mark);
    const char *tag = (const char *)ev->data.scalar.tag;
    size_t len = ev->data.scalar.length;

    n->u.scalar.text = xmalloc(len + 1);
    memcpy(n->u.scalar.text, ev->data.scalar.value, len);
    n->u.scalar.text[len] = '\0';
    n->u.scalar.len = len;
    switch (ev->data.scalar.style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
        n->u.scalar.style = YAML_STYLE_SINGLE;
        break;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
        n->u.scalar.style = YAML_STYLE_DOUBLE;
        break;
    case YAML_LITERAL_SCALAR_STYLE:
        n->u.scalar.style = YAML_STYLE_LITERAL;
        break;
    case YAML_FOLDED_SCALAR_STYLE:
        n->u.scalar.style = YAML_STYLE_FOLDED;
        break;
    default:
        n->u.scalar.style = YAML_STYLE_PLAIN;
        break;
    }
    n->u.scalar.quoted = n->u.scalar.style != YAML_STYLE_PLAIN ||
        (tag != NULL && strcmp(tag, YAML_STR_TAG) == 0);
    add_anchor(c, ev->data.scalar.anchor, n);
    return n;
}

/* sequence ::= '[' node (',' node)* ']' | ('-' node)+ */
static struct yaml_node *
parse_sequence(struct ctx *c, yaml_event_t *start)
{
    struct yaml_node *n = new_node(c, YAML_KIND_SEQUENCE, start->start_mark);
    size_t cap = 0;
    yaml_event_t ev;
    struct yaml_node *item;

    for (;;) {
        if (next_event(c, &ev) < 0)
            goto fail;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        item = parse_node(c, &ev);
        if (item == NULL)
            goto fail;
        if (n->u.seq.n == cap) {
            cap = cap ? cap * 2 : 4;
            n->u.seq.items = xreallocarray(n->u.seq.items, cap,
                                           sizeof(*n->u.seq.items));
        }
        n->u.seq.items[n->u.seq.n++] = item;
    }
    add_anchor(c, start->data.sequence_start.anchor, n);
    return n;
fail:
    free_node(n);
    return NULL;
}

/* Refuses a scalar key already present in the mapping, as YAML does. */
static int
check_duplicate(struct ctx *c, const struct yaml_node *map,
                const struct yaml_node *key)
{
    const struct yaml_node *k;

    if (key->kind != YAML_KIND_SCALAR)
        return 0;
    for (size_t i = 0; i < map->u.map.n; i++) {
        k = map->u.map.pairs[i].key;
        if (k->kind != YAML_KIND_SCALAR || k->u.scalar.len != key->u.scalar.len
            || memcmp(k->u.scalar.text, key->u.scalar.text, k->u.scalar.len))
            continue;
        if (c->d != NULL) {
            c->d->source = c->caller_name;
            diag_set(c->d, key->line, key->col, (int)key->u.scalar.len,
                     "duplicate key '%s'", key->u.scalar.text);
            diag_hint(c->d, "first set at line %d, column %d", k->line,
                      k->col);
        }
        return -1;
    }
    return 0;
}

/* Parses the event after a key into the value; NULL on error. */
static struct yaml_node *
parse_next(struct ctx *c)
{
    yaml_event_t ev;

    if (next_event(c, &ev) < 0)
        return NULL;
    return parse_node(c, &ev);
}

/* mapping ::= '{' key ':' node (',' key ':' node)* '}' | (key ':' node)+ */
static struct yaml_node *
parse_mapping(struct ctx *c, yaml_event_t *start)
{
    struct yaml_node *n = new_node(c, YAML_KIND_MAPPING, start->start_mark);
    size_t cap = 0;
    yaml_event_t ev;
    struct yaml_node *key, *value;

    for (;;) {
        if (next_event(c, &ev) < 0)
            goto fail;
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        key = parse_node(c, &ev);
        if (key == NULL)
            goto fail;
        if (check_duplicate(c, n, key) < 0 || (value = parse_next(c)) == NULL) {
            free_node(key);
            goto fail;
        }
        if (n->u.map.n == cap) {
            cap = cap ? cap * 2 : 4;
            n->u.map.pairs = xreallocarray(n->u.map.pairs, cap,
                                           sizeof(*n->u.map.pairs));
        }
        n->u.map.pairs[n->u.map.n].key = key;
        n->u.map.pairs[n->u.map.n++].value = value;
    }
    add_anchor(c, start->data.mapping_start.anchor, n);
    return n;
fail:
    free_node(n);
    return NULL;
}

/* node ::= alias | scalar | sequence | mapping; consumes ev. */
static struct yaml_node *
parse_node(struct ctx *c, yaml_event_t *ev)
{
    struct yaml_node *n = NULL;

    if (c->depth >= MAX_DEPTH) {
        fail_at(c, ev->start_mark, "nesting deeper than %s levels", "512");
        yaml_event_delete(ev);
        return NULL;
    }
    c->depth++;
    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        n = parse_alias(c, ev);
        break;
    case YAML_SCALAR_EVENT:
        n = parse_scalar(c, ev);
        break;
    case YAML_SEQUENCE_START_EVENT:
        n = parse_sequence(c, ev);
        break;
    case YAML_MAPPING_START_EVENT:
        n = parse_mapping(c, ev);
        break;
    default:
        fail_at(c, ev->start_mark, "%s", "unexpected event in document");
        break;
    }
    c->depth--;
    yaml_event_delete(ev);
    return n;
}

/* An empty stream or document stands for null, as in YAML. */
static struct yaml_node *
null_node(struct ctx *c, yaml_mark_t m)
{
    struct yaml_node *n = new_node(c, YAML_KIND_SCALAR, m);

    n->u.scalar.text = xstrdup("");
    return n;
}

/* Expects the event type wanted next; anything else is an error. */
static int
expect(struct ctx *c, yaml_event_type_t want, const char *what)
{
    yaml_event_t ev;
    int rc = 0;

    if (next_event(c, &ev) < 0)
        return -1;
    if (ev.type != want)
        rc = fail_at(c, ev.start_mark, "%s", what);
    yaml_event_delete(&ev);
    return rc;
}

/* stream ::= STREAM-START (DOCUMENT-START node DOCUMENT-END)? STREAM-END */
static struct yaml_node *
parse_stream(struct ctx *c)
{
    yaml_event_t ev;
    struct yaml_node *root;

    if (expect(c, YAML_STREAM_START_EVENT, "expected a stream") < 0 ||
        next_event(c, &ev) < 0)
        return NULL;
    if (ev.type == YAML_STREAM_END_EVENT) {
        root = null_node(c, ev.start_mark);
        yaml_event_delete(&ev);
        return root;
    }
    yaml_event_delete(&ev);
    root = parse_next(c);
    if (root == NULL)
        return NULL;
    if (expect(c, YAML_DOCUMENT_END_EVENT, "expected the end of the "
               "document") < 0 ||
        expect(c, YAML_STREAM_END_EVENT, "only one document is allowed "
               "here, found a second") < 0) {
        free_node(root);
        return NULL;
    }
    return root;
}

struct yaml_node *
yaml_load_buf(const char *name, const char *buf, size_t len, struct diag *d)
{
    struct ctx c;
    struct yaml_node *root;
    char *own = xstrdup(name ? name : "<input>");

    memset(&c, 0, sizeof(c));
    c.buf = buf;
    c.len = len;
    c.name = own;
    c.caller_name = name;
    c.d = d;
    c.budget = ALIAS_BUDGET;
    index_lines(&c);
    if (!yaml_parser_initialize(&c.p))
        xalloc_fatal("cannot initialise libyaml's parser", 0);
    yaml_parser_set_input_string(&c.p, (const unsigned char *)buf, len);
    root = parse_stream(&c);
    yaml_parser_delete(&c.p);
    for (size_t i = 0; i < c.nanchors; i++)
        free(c.anchors[i].name);
    free(c.anchors);
    free(c.lines);
    if (root == NULL)
        free(own);
    return root;
}

struct yaml_node *
yaml_load_file(const char *path, struct diag *d)
{
    struct buf b;
    struct yaml_node *root;

    if (buf_read_file(&b, path, 0, d) != 0)
        return NULL;
    root = yaml_load_buf(path, buf_str(&b), b.len, d);
    buf_fini(&b);
    return root;
}

void
yaml_tree_free(struct yaml_node *root)
{
    const char *name;

    if (root == NULL)
        return;
    name = root->source;
    free_node(root);
    free((char *)name);
}

/* ---- access ---- */

const struct yaml_node *
yaml_get(const struct yaml_node *map, const char *key)
{
    const struct yaml_node *k;
    size_t len;

    if (map == NULL || map->kind != YAML_KIND_MAPPING || key == NULL)
        return NULL;
    len = strlen(key);
    for (size_t i = 0; i < map->u.map.n; i++) {
        k = map->u.map.pairs[i].key;
        if (k->kind == YAML_KIND_SCALAR && k->u.scalar.len == len &&
            memcmp(k->u.scalar.text, key, len) == 0)
            return map->u.map.pairs[i].value;
    }
    return NULL;
}

size_t
yaml_map_size(const struct yaml_node *map)
{
    return map != NULL && map->kind == YAML_KIND_MAPPING ? map->u.map.n : 0;
}

size_t
yaml_seq_size(const struct yaml_node *seq)
{
    return seq != NULL && seq->kind == YAML_KIND_SEQUENCE ? seq->u.seq.n : 0;
}

const struct yaml_pair *
yaml_map_at(const struct yaml_node *map, size_t i)
{
    return i < yaml_map_size(map) ? &map->u.map.pairs[i] : NULL;
}

const struct yaml_node *
yaml_seq_at(const struct yaml_node *seq, size_t i)
{
    return i < yaml_seq_size(seq) ? seq->u.seq.items[i] : NULL;
}

const char *
yaml_scalar(const struct yaml_node *n)
{
    return n != NULL && n->kind == YAML_KIND_SCALAR ? n->u.scalar.text : NULL;
}

bool
yaml_is_scalar(const struct yaml_node *n)
{
    return n != NULL && n->kind == YAML_KIND_SCALAR;
}

bool
yaml_is_seq(const struct yaml_node *n)
{
    return n != NULL && n->kind == YAML_KIND_SEQUENCE;
}

bool
yaml_is_map(const struct yaml_node *n)
{
    return n != NULL && n->kind == YAML_KIND_MAPPING;
}

bool
yaml_is_null(const struct yaml_node *n)
{
    static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
    const char *s = yaml_scalar(n);

    if (s == NULL || n->u.scalar.quoted)
        return false;
    for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
        if (strcmp(s, nulls[i]) == 0)
            return true;
    return false;
}

const char *
yaml_kind_name(const struct yaml_node *n)
{
    if (n == NULL)
        return "nothing";
    if (n->kind == YAML_KIND_MAPPING)
        return "mapping";
    if (n->kind == YAML_KIND_SEQUENCE)
        return "sequence";
    if (yaml_is_null(n))
        return "null";
    return n->u.scalar.quoted ? "string" : "plain scalar";
}

/* ---- typed getters ---- */

/* Fills d for a node of the wrong type: "expected X, found Y". */
static int
wrong_type(const struct yaml_node *n, const char *want, const char *why,
           struct diag *d)
{
    int span;

    if (d == NULL)
        return -1;
    if (n == NULL) {
        diag_set(d, 0, 0, 0, "expected %s, found nothing", want);
        return -1;
    }
    d->source = n->source;
    span = n->kind == YAML_KIND_SCALAR ? (int)n->u.scalar.len : 1;
    if (n->kind == YAML_KIND_SCALAR && !yaml_is_null(n))
        diag_set(d, n->line, n->col, span, "expected %s, found %s '%.60s'%s%s",
                 want, yaml_kind_name(n), n->u.scalar.text,
                 why ? ": " : "", why ? why : "");
    else
        diag_set(d, n->line, n->col, span, "expected %s, found %s", want,
                 yaml_kind_name(n));
    if (n->kind == YAML_KIND_SCALAR && n->u.scalar.quoted &&
        strcmp(want, "a duration") != 0)
        diag_hint(d, "remove the quotes");
    return -1;
}

/* True for a plain, non-empty scalar whose first byte is in set. */
static bool
plain_number(const struct yaml_node *n)
{
    const char *s = yaml_scalar(n);

    return s != NULL && !n->u.scalar.quoted && s[0] != '\0' &&
        strlen(s) == n->u.scalar.len && strchr("+-.0123456789", s[0]);
}

/* .inf, -.inf, +.inf and .nan in the case forms YAML allows. */
static bool
yaml_special_float(const char *s, double *out)
{
    static const char *const infs[] = { ".inf", ".Inf", ".INF" };
    static const char *const nans[] = { ".nan", ".NaN", ".NAN" };
    double sign = 1;

    for (size_t i = 0; i < 3; i++)
        if (strcmp(s, nans[i]) == 0) {
            *out = NAN;
            return true;
        }
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    for (size_t i = 0; i < 3; i++)
        if (strcmp(s, infs[i]) == 0) {
            *out = sign * INFINITY;
            return true;
        }
    return false;
}

int
yaml_get_double(const struct yaml_node *n, double *out, struct diag *d)
{
    const char *s = yaml_scalar(n);
    char *end;
    double v;

    if (s != NULL && !n->u.scalar.quoted && yaml_special_float(s, out))
        return 0;
    if (!plain_number(n))
        return wrong_type(n, "a number", NULL, d);
    errno = 0;
    v = strtod(s, &end);
    if (*end != '\0' || end == s)
        return wrong_type(n, "a number", NULL, d);
    if (errno == ERANGE && isinf(v))
        return wrong_type(n, "a number", "out of range", d);
    *out = v;
    return 0;
}

/* Integer digits after an optional sign: 0x hex, 0o octal, 0b binary. */
static bool
parse_int(const char *s, int64_t *out)
{
    const char *p = s + (*s == '+' || *s == '-');
    int base = 10;
    char *end;
    long long v;
    unsigned long long u;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'o' || p[1] == 'b')) {
        base = p[1] == 'x' ? 16 : p[1] == 'o' ? 8 : 2;
        if (p[2] == '\0' || p[2] == '+' || p[2] == '-')
            return false;
        errno = 0;
        u = strtoull(p + 2, &end, base);
        if (*end != '\0' || errno == ERANGE || u > (unsigned long long)1 << 63
            || (u == (unsigned long long)1 << 63 && *s != '-'))
            return false;
        *out = *s == '-' ? (int64_t)(0 - u) : (int64_t)u;
        return true;
    }
    if (*p < '0' || *p > '9')
        return false;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (*end != '\0' || errno == ERANGE)
        return false;
    *out = v;
    return true;
}

int
yaml_get_int(const struct yaml_node *n, int64_t *out, struct diag *d)
{
    const char *s = yaml_scalar(n);
    double v;
    char *end;

    if (!plain_number(n))
        return wrong_type(n, "an integer", NULL, d);
    if (parse_int(s, out))
        return 0;
    /* JSON writers may print a whole number as 1e3 or 8.0: accept those. */
    errno = 0;
    v = strtod(s, &end);
    if (*end == '\0' && errno == 0 && v == floor(v) &&
        v >= -9223372036854775808.0 && v < 9223372036854775808.0) {
        *out = (int64_t)v;
        return 0;
    }
    return wrong_type(n, "an integer", NULL, d);
}

int
yaml_get_bool(const struct yaml_node *n, bool *out, struct diag *d)
{
    static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes",
                                       "YES", "on", "On", "ON", "y", "Y" };
    static const char *const no[] = { "false", "False", "FALSE", "no", "No",
                                      "NO", "off", "Off", "OFF", "n", "N" };
    const char *s = yaml_scalar(n);

    if (s != NULL && !n->u.scalar.quoted) {
        for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
            if (strcmp(s, yes[i]) == 0) {
                *out = true;
                return 0;
            }
            if (strcmp(s, no[i]) == 0) {
                *out = false;
                return 0;
            }
        }
    }
    return wrong_type(n, "a boolean (true or false)", NULL, d);
}

int
yaml_get_string(const struct yaml_node *n, const char **out, struct diag *d)
{
    if (n == NULL || n->kind != YAML_KIND_SCALAR)
        return wrong_type(n, "a string", NULL, d);
    *out = n->u.scalar.text;
    return 0;
}

/* Go's time.Duration counts nanoseconds in an int64: about 292 years. */
#define MAX_DURATION_MS (INT64_MAX / 1000000)

int
yaml_get_duration(const struct yaml_node *n, int64_t *ms, struct diag *d)
{
    const char *s = yaml_scalar(n);

    if (s == NULL)
        return wrong_type(n, "a duration", NULL, d);
    if (n->u.scalar.len == 0)
        return wrong_type(n, "a duration", "empty duration string", d);
    if (duration_parse(s, n->u.scalar.len, ms) < 0)
        return wrong_type(n, "a duration", "not a valid duration string", d);
    if (*ms > MAX_DURATION_MS)
        return wrong_type(n, "a duration", "duration out of range", d);
    return 0;
}
