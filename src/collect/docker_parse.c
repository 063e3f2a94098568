/*
 * Parsing the Docker Engine API's container list and container details
 * (v1.41) with the base YAML/JSON loader. Only the fields promdeck shows
 * are read; unknown fields are ignored, as every API client must, and a
 * field of the wrong kind is treated as absent rather than failing the
 * whole answer. A body that is not JSON, or not the expected shape at
 * the top, is an error the caller shows while keeping its last answer.
 */
#include "src/collect/docker_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/diag.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"
#include "src/base/yaml.h"

void
docker_container_fini(struct docker_container *c)
{
    if (!c)
        return;
    free(c->id);
    free(c->name);
    free(c->image);
    free(c->state);
    free(c->health);
    for (size_t i = 0; i < c->nlabels; i++) {
        free(c->label_keys[i]);
        free(c->label_values[i]);
    }
    free(c->label_keys);
    free(c->label_values);
    memset(c, 0, sizeof *c);
}

/* The string at key of map, copied, or NULL when absent or not a string. */
static char *
dup_str(const struct yaml_node *map, const char *key)
{
    const struct yaml_node *n = yaml_get(map, key);

    if (!yaml_is_scalar(n) || yaml_is_null(n))
        return NULL;
    return xstrdup(yaml_scalar(n));
}

static int64_t
get_int(const struct yaml_node *map, const char *key,
        int64_t dflt)
{
    const char *s = yaml_scalar(yaml_get(map, key));
    char *end;

    if (!s || !*s)
        return dflt;
    long long v = strtoll(s, &end, 10);
    return *end ? dflt : (int64_t)v;
}

/* A name without Docker's leading "/" (names are "/web", "/db"). */
static char *
strip_slash(char *name)
{
    if (name && name[0] == '/')
        memmove(name, name + 1, strlen(name));
    return name;
}

static void
take_labels(struct docker_container *c,
            const struct yaml_node *labels)
{
    size_t n = yaml_is_map(labels) ? yaml_map_size(labels) : 0;

    c->label_keys = xcalloc(n ? n : 1, sizeof *c->label_keys);
    c->label_values = xcalloc(n ? n : 1, sizeof *c->label_values);
    for (size_t i = 0; i < n; i++) {
        const struct yaml_pair *p = yaml_map_at(labels, i);
        const char *v = yaml_scalar(p->value);
        c->label_keys[c->nlabels] = xstrdup(yaml_scalar(p->key));
        c->label_values[c->nlabels] = xstrdup(v ? v : "");
        c->nlabels++;
    }
}

/* RFC 3339 with nanoseconds, as Docker writes times; Docker's zero time
 * "0001-01-01T00:00:00Z" (never started) gives 0. */
static int64_t
get_time(const struct yaml_node *map, const char *key)
{
    const char *s = yaml_scalar(yaml_get(map, key));
    int64_t ms;

    if (!s || strncmp(s, "0001-", 5) == 0 || time_parse(s, &ms) < 0)
        return 0;
    return ms / 1000;
}

/* One element of the list: {"Id", "Names": ["/web"], "Image", "State",
 * "Status", "Labels": {...}, "Created": unix seconds, ...}. */
static bool
list_item(const struct yaml_node *item,
          struct docker_container *c)
{
    memset(c, 0, sizeof *c);
    c->id = dup_str(item, "Id");
    if (!c->id)
        return false;
    const struct yaml_node *names = yaml_get(item, "Names");
    if (yaml_seq_size(names) > 0 && yaml_is_scalar(yaml_seq_at(names, 0)))
        c->name = strip_slash(xstrdup(yaml_scalar(yaml_seq_at(names, 0))));
    c->image = dup_str(item, "Image");
    c->state = dup_str(item, "State");
    c->created_s = get_int(item, "Created", 0);
    c->restarts = -1;
    /* Status is "Up 2 hours (healthy)": the list's only health hint. */
    const char *status = yaml_scalar(yaml_get(item, "Status"));
    if (status && strstr(status, "(healthy)"))
        c->health = xstrdup("healthy");
    else if (status && strstr(status, "(unhealthy)"))
        c->health = xstrdup("unhealthy");
    else if (status && strstr(status, "(health: starting)"))
        c->health = xstrdup("starting");
    take_labels(c, yaml_get(item, "Labels"));
    return true;
}

static struct yaml_node *
load(const char *what, const char *body,
     size_t len, char *err, size_t errsz)
{
    struct diag d;

    diag_clear(&d);
    struct yaml_node *root = yaml_load_buf(what, body, len, &d);
    if (!root)
        snprintf(err, errsz, "%s: not JSON: line %d: %s", what, d.line,
                 d.msg);
    return root;
}

int
docker_parse_list(const char *body, size_t len,
                  struct docker_container **out, size_t *n,
                  char *err, size_t errsz)
{
    struct yaml_node *root = load("containers/json", body, len, err, errsz);

    *out = NULL;
    *n = 0;
    if (!root)
        return -1;
    if (!yaml_is_seq(root)) {
        snprintf(err, errsz, "containers/json: expected a list, found %s",
                 yaml_kind_name(root));
        yaml_tree_free(root);
        return -1;
    }
    size_t cap = yaml_seq_size(root);
    struct docker_container *v = xcalloc(cap ? cap : 1, sizeof *v);
    for (size_t i = 0; i < cap; i++)
        if (list_item(yaml_seq_at(root, i), &v[*n]))
            (*n)++;
    yaml_tree_free(root);
    *out = v;
    return 0;
}

int
docker_parse_inspect(const char *body, size_t len,
                     struct docker_container *c, char *err,
                     size_t errsz)
{
    struct yaml_node *root = load("containers/ID/json", body, len, err,
                                  errsz);

    memset(c, 0, sizeof *c);
    if (!root)
        return -1;
    c->id = dup_str(root, "Id");
    if (!yaml_is_map(root) || !c->id) {
        snprintf(err, errsz, "containers/ID/json: expected an object "
                 "with an Id");
        docker_container_fini(c);
        yaml_tree_free(root);
        return -1;
    }
    c->name = strip_slash(dup_str(root, "Name"));
    c->restarts = (int)get_int(root, "RestartCount", 0);
    c->created_s = get_time(root, "Created");
    const struct yaml_node *state = yaml_get(root, "State");
    c->state = dup_str(state, "Status");
    c->started_s = get_time(state, "StartedAt");
    c->health = dup_str(yaml_get(state, "Health"), "Status");
    const struct yaml_node *config = yaml_get(root, "Config");
    c->image = dup_str(config, "Image");
    take_labels(c, yaml_get(config, "Labels"));
    yaml_tree_free(root);
    return 0;
}

/* A string at key of map into out (size bytes), "" when absent. */
static void
copy_str(const struct yaml_node *map, const char *key, char *out,
         size_t size)
{
    const struct yaml_node *n = yaml_get(map, key);

    snprintf(out, size, "%s", yaml_is_scalar(n) && !yaml_is_null(n)
             ? yaml_scalar(n) : "");
}

/*
 * event = { "Type": "container", "Action": string,
 *           "Actor": { "ID": string, "Attributes": { "name": string } } }
 * Older engines also send "status" and "id"; Action and Actor have been
 * there since API 1.22, so only they are read. An "Action" may carry a
 * detail after a colon ("health_status: healthy", "exec_start: sh").
 */
int
docker_parse_event(const char *body, size_t len, struct docker_event *ev,
                   char *err, size_t errsz)
{
    struct yaml_node *root = load("events", body, len, err, errsz);
    const struct yaml_node *actor;
    char type[32];

    memset(ev, 0, sizeof *ev);
    if (!root)
        return -1;
    copy_str(root, "Type", type, sizeof type);
    actor = yaml_get(root, "Actor");
    copy_str(actor, "ID", ev->id, sizeof ev->id);
    copy_str(root, "Action", ev->action, sizeof ev->action);
    copy_str(yaml_get(actor, "Attributes"), "name", ev->name,
             sizeof ev->name);
    yaml_tree_free(root);
    if (strcmp(type, "container") != 0 || !ev->id[0] || !ev->action[0]) {
        snprintf(err, errsz, "events: expected a container event with an "
                 "Action and an Actor.ID");
        return -1;
    }
    return 0;
}
