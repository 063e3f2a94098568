/*
 * Grafana's import step: constant __inputs filled into an export's text,
 * the way Grafana's import form does it (the JSON is read again with the
 * values in place, so every string that held a placeholder sees them).
 * It does not read panels or variables; src/dash/grafana.c does.
 */
#include "src/dash/grafana_import.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/buf.h"
#include "src/base/json.h"
#include "src/base/xalloc.h"

/* The string at key, or NULL when absent, null or not a scalar. */
static const char *
jstr(const struct yaml_node *map, const char *key)
{
    const struct yaml_node *n = yaml_get(map, key);

    return yaml_is_scalar(n) && !yaml_is_null(n) ? yaml_scalar(n) : NULL;
}

/* Appends a note (each input is named once, so none repeats). */
static void
add_note(struct grafana_notes *notes, char *s)
{
    notes->v = xreallocarray(notes->v, notes->n + 1, sizeof(*notes->v));
    notes->v[notes->n++] = s;
}

/* One constant input of an export and the value it takes. */
struct input {
    const char *name;
    const char *value;
};

/* The value set[] gives name, or NULL; *used marks the entry taken. */
static const char *
set_value(const char *name, const char *const *set, size_t nset,
          bool *used)
{
    size_t len = strlen(name);

    for (size_t i = 0; i < nset; i++)
        if (strncmp(set[i], name, len) == 0 && set[i][len] == '=') {
            used[i] = true;
            return set[i] + len + 1;
        }
    return NULL;
}

/*
 * The constant inputs of __inputs with their values: a value given in
 * set, else the input's own. Data source inputs need no value: the
 * loader reads them as promdeck's Prometheus source or as another.
 * -1 with d set when set names no constant input of the dashboard.
 */
static int
constant_inputs(const struct yaml_node *inputs, const char *file,
                const char *const *set, size_t nset,
                struct grafana_notes *notes, struct input **out, size_t *n,
                struct diag *d)
{
    bool *used = xcalloc(nset + 1, sizeof(*used));

    *out = xcalloc(yaml_seq_size(inputs) + 1, sizeof(**out));
    *n = 0;
    for (size_t i = 0; i < yaml_seq_size(inputs); i++) {
        const struct yaml_node *in = yaml_seq_at(inputs, i);
        const char *name = jstr(in, "name"), *type = jstr(in, "type");
        const char *v;

        if (name == NULL || type == NULL || strcmp(type, "constant") != 0)
            continue;
        if ((v = set_value(name, set, nset, used)) == NULL
            && (v = jstr(in, "value")) == NULL) {
            add_note(notes, xasprintf("input '%s' has no value; it stands "
                                      "for ''", name));
            v = "";
        }
        (*out)[(*n)++] = (struct input){ name, v };
    }
    for (size_t i = 0; i < nset; i++)
        if (!used[i]) {
            diag_set(d, 0, 0, 0, "'%.*s' is not a constant input of the "
                     "dashboard (see its __inputs)",
                     (int)strcspn(set[i], "="), set[i]);
            d->source = file;
            free(used);
            return -1;
        }
    free(used);
    return 0;
}

/* The input whose ${NAME} starts at text[0..len), or NULL. */
static const struct input *
placeholder(const char *text, size_t len, const struct input *in, size_t n)
{
    if (len < 3 || text[0] != '$' || text[1] != '{')
        return NULL;
    for (size_t k = 0; k < n; k++) {
        size_t l = strlen(in[k].name);

        if (l + 3 <= len && text[l + 2] == '}'
            && memcmp(text + 2, in[k].name, l) == 0)
            return &in[k];
    }
    return NULL;
}

/*
 * text with every ${NAME} of an input replaced by its value, escaped for
 * a JSON string (placeholders sit inside strings), as Grafana's import
 * fills them in; NULL when there is nothing to replace.
 */
static char *
fill_inputs(const char *text, size_t len, const struct input *in, size_t n,
            size_t *outlen)
{
    struct buf b, v;
    bool any = false;

    buf_init(&b, 0);
    buf_init(&v, 0);
    for (size_t i = 0; i < len; i++) {
        const struct input *p = placeholder(text + i, len - i, in, n);

        if (p == NULL) {
            buf_putc(&b, text[i]);
            continue;
        }
        /* json_string quotes the value; the quotes are the file's. */
        buf_reset(&v);
        json_string(&v, p->value);
        buf_append(&b, v.data + 1, v.len - 2);
        i += strlen(p->name) + 2;
        any = true;
    }
    buf_fini(&v);
    *outlen = b.len;
    if (!any) {
        buf_fini(&b);
        return NULL;
    }
    return buf_steal(&b);
}

struct yaml_node *
grafana_import(struct yaml_node *root, const char *name, const char *text,
               size_t len, const char *const *set, size_t nset,
               struct grafana_notes *notes, struct diag *d)
{
    struct input *in;
    size_t n, flen;
    char *filled;

    if (constant_inputs(yaml_get(root, "__inputs"), name, set, nset, notes,
                        &in, &n, d) != 0) {
        free(in);
        yaml_tree_free(root);
        return NULL;
    }
    filled = n > 0 ? fill_inputs(text, len, in, n, &flen) : NULL;
    free(in);
    if (filled == NULL)
        return root;
    yaml_tree_free(root);
    root = yaml_load_buf(name, filled, flen, d);
    free(filled);
    return root;
}
