/*
 * The "cadvisor" collector: scan the cgroup tree, read each container's
 * files, name it from Docker when a socket answers, write the exposition.
 * A container that exits while it is read is simply left out of this
 * scrape; a file that cannot be read leaves out that group of series
 * only and says which file in the note.
 *
 * The Docker client runs on a fetch of this collector's own, moved along
 * (never waited on) at each collect: requests start in one scrape and
 * their answers are taken in the next, so names lag the cgroups by at
 * most one scrape interval and a hung socket costs nothing. Between
 * scrapes the pool's poll moves it too: a Docker event (a container
 * stopped, paused, renamed) then asks for a scrape at once.
 */
#include "src/collect/cgroup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/duration.h"
#include "src/base/xalloc.h"
#include "src/collect/cgroup_expo.h"
#include "src/collect/cgroup_read.h"
#include "src/collect/cgroup_tree.h"
#include "src/collect/docker.h"

/* Block devices whose names are remembered. */
#define DEVCACHE 64
/* Container paths remembered after their cgroup went away. */
#define REMEMBER 256

struct devname {
    unsigned major, minor;
    char name[64];
};

struct remembered {
    char id[72];
    char path[512];
};

struct cadvisor {
    char *root;
    struct cgroup_tree tree;
    struct fetch *fetch;
    struct docker *docker;
    char docker_setup[256];         /* why there is no Docker client */
    struct cgroup_found *found;
    struct cgroup_stats *stats;
    struct cgroup_row *rows;
    size_t *label_off;              /* each row's labels in labels */
    size_t cap;
    struct buf labels;              /* every row's labels, NUL-separated */
    struct devname dev[DEVCACHE];
    size_t ndev;
    struct remembered gone[REMEMBER];
    size_t ngone, gone_next;
    char note[512];
};

static void *
cadvisor_open(const char *root, char *err, size_t errsz)
{
    struct cadvisor *c = xcalloc(1, sizeof *c);
    char sock[4096];

    c->root = xstrdup(root);
    if (cgroup_tree_open(&c->tree, root, err, errsz) < 0) {
        free(c->root);
        free(c);
        return NULL;
    }
    if (docker_socket_path(root, sock, sizeof sock, c->docker_setup,
                           sizeof c->docker_setup) == 0) {
        c->fetch = fetch_new();
        if (c->fetch)
            c->docker = docker_new(c->fetch, sock);
    }
    buf_init(&c->labels, 0);
    return c;
}

static void
cadvisor_close(void *state)
{
    struct cadvisor *c = state;

    if (!c)
        return;
    docker_free(c->docker);
    fetch_free(c->fetch);
    cgroup_tree_fini(&c->tree);
    buf_fini(&c->labels);
    free(c->found);
    free(c->stats);
    free(c->rows);
    free(c->label_off);
    free(c->root);
    free(c);
}

/* "/dev/sda" for 8:0, from sysfs's uevent; "" when sysfs does not say. */
static const char *
device_name(struct cadvisor *c, unsigned ma, unsigned mi)
{
    char path[4096], line[128];

    for (size_t i = 0; i < c->ndev; i++)
        if (c->dev[i].major == ma && c->dev[i].minor == mi)
            return c->dev[i].name;
    struct devname *d = &c->dev[c->ndev < DEVCACHE ? c->ndev++
                                                   : DEVCACHE - 1];
    *d = (struct devname){ .major = ma, .minor = mi };
    snprintf(path, sizeof path, "%s/sys/dev/block/%u:%u/uevent", c->root,
             ma, mi);
    FILE *f = fopen(path, "re");
    if (!f)
        return d->name;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "DEVNAME=", 8) == 0) {
            line[strcspn(line, "\n")] = '\0';
            snprintf(d->name, sizeof d->name, "/dev/%.50s", line + 8);
        }
    fclose(f);
    return d->name;
}

/* Docker label keys become container_label_KEY with every character
 * outside [a-zA-Z0-9_] made "_", as cAdvisor sanitises them. */
static void
put_label_name(struct buf *b, const char *key)
{
    buf_puts(b, "container_label_");
    for (; *key; key++) {
        char ch = *key;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
               || (ch >= '0' && ch <= '9') || ch == '_';
        buf_putc(b, ok ? ch : '_');
    }
}

/* Appends one row's label pairs, NUL-ended, and returns their offset. */
static size_t
put_labels(struct buf *b, const char *path,
           const struct docker_container *dc)
{
    size_t off = b->len;

    for (size_t i = 0; dc && i < dc->nlabels; i++) {
        put_label_name(b, dc->label_keys[i]);
        buf_puts(b, "=\"");
        cgroup_expo_value(b, dc->label_values[i]);
        buf_puts(b, "\",");
    }
    buf_puts(b, "id=\"");
    cgroup_expo_value(b, path);
    buf_putc(b, '"');
    if (dc && dc->image && *dc->image) {
        buf_puts(b, ",image=\"");
        cgroup_expo_value(b, dc->image);
        buf_putc(b, '"');
    }
    if (dc && dc->name && *dc->name) {
        buf_puts(b, ",name=\"");
        cgroup_expo_value(b, dc->name);
        buf_putc(b, '"');
    }
    buf_putc(b, '\0');
    return off;
}

static void
remember(struct cadvisor *c, const struct cgroup_found *f)
{
    for (size_t i = 0; i < c->ngone; i++)
        if (strcmp(c->gone[i].id, f->id) == 0)
            return;
    struct remembered *r = &c->gone[c->gone_next];
    c->gone_next = (c->gone_next + 1) % REMEMBER;
    if (c->ngone < REMEMBER)
        c->ngone++;
    snprintf(r->id, sizeof r->id, "%s", f->id);
    snprintf(r->path, sizeof r->path, "%s", f->path);
}

static const char *
remembered_path(const struct cadvisor *c, const char *id)
{
    for (size_t i = 0; i < c->ngone; i++)
        if (strcmp(c->gone[i].id, id) == 0)
            return c->gone[i].path;
    return NULL;
}

static void
grow(struct cadvisor *c, size_t need)
{
    if (need <= c->cap)
        return;
    c->cap = need;
    c->found = xreallocarray(c->found, need, sizeof *c->found);
    c->stats = xreallocarray(c->stats, need, sizeof *c->stats);
    c->rows = xreallocarray(c->rows, need, sizeof *c->rows);
    c->label_off = xreallocarray(c->label_off, need, sizeof *c->label_off);
}

static void
note_once(struct cadvisor *c, const char *text)
{
    if (!c->note[0])
        snprintf(c->note, sizeof c->note, "%s", text);
}

/* Reads one found cgroup into row n; false when it vanished. */
static bool
read_one(struct cadvisor *c, const struct cgroup_found *f,
         size_t n, bool *error)
{
    char store[CG_NCTRL + 1][4096], note[512];
    struct cgroup_dirs dirs;
    struct cgroup_stats *st = &c->stats[n];

    cgroup_tree_dirs(&c->tree, f->path, &dirs, store);
    enum cgroup_read_result r = cgroup_read(&dirs, c->root, st, note,
                                            sizeof note);
    if (r == CGROUP_READ_GONE)
        return false;
    if (r != CGROUP_READ_OK) {
        *error = true;
        note_once(c, note);
    }
    const struct docker_container *dc = c->docker && f->id[0]
        ? docker_find(c->docker, f->id) : NULL;
    struct cgroup_row *row = &c->rows[n];
    memset(row, 0, sizeof *row);
    c->label_off[n] = put_labels(&c->labels, f->path, dc);
    row->st = st;
    row->restarts = dc ? dc->restarts : -1;
    row->state = dc ? dc->state : NULL;
    row->health = dc ? dc->health : NULL;
    row->start_time = dc && dc->started_s ? dc->started_s : st->start_time;
    for (size_t d = 0; d < st->ndev; d++)
        row->devname[d] = device_name(c, st->dev[d].major,
                                      st->dev[d].minor);
    remember(c, f);
    return true;
}

/* Rows for the containers Docker lists that have no cgroup now (exited,
 * created, dead): their state and restarts only. */
static size_t
add_absent(struct cadvisor *c, size_t n, size_t nfound)
{
    size_t ndock = c->docker ? docker_count(c->docker) : 0;

    grow(c, n + ndock);
    for (size_t i = 0; i < ndock; i++) {
        const struct docker_container *dc = docker_at(c->docker, i);
        bool seen = false;
        for (size_t k = 0; k < nfound && !seen; k++)
            seen = strcmp(c->found[k].id, dc->id) == 0;
        if (seen)
            continue;
        char path[512];
        const char *p = remembered_path(c, dc->id);
        if (!p) {
            snprintf(path, sizeof path, "/docker/%s", dc->id);
            p = path;
        }
        struct cgroup_row *row = &c->rows[n];
        memset(row, 0, sizeof *row);
        c->label_off[n++] = put_labels(&c->labels, p, dc);
        row->state = dc->state;
        row->restarts = dc->restarts;
        row->start_time = dc->started_s;
    }
    return n;
}

static int
cadvisor_collect(void *state, struct buf *out, char *err,
                 size_t errsz)
{
    struct cadvisor *c = state;
    bool truncated, error = false;
    size_t n = 0;

    c->note[0] = '\0';
    if (c->docker) {
        fetch_pump(c->fetch);
        docker_poll(c->docker, time_now_ms());
        fetch_pump(c->fetch);
    }
    grow(c, 64);
    size_t nfound = cgroup_tree_scan(&c->tree, c->found, c->cap, &truncated);
    while (truncated && c->cap < CGROUP_MAX_CONTAINERS) {
        grow(c, c->cap * 4 < CGROUP_MAX_CONTAINERS ? c->cap * 4
                                                   : CGROUP_MAX_CONTAINERS);
        nfound = cgroup_tree_scan(&c->tree, c->found, c->cap, &truncated);
    }
    buf_reset(&c->labels);
    for (size_t i = 0; i < nfound; i++) {
        if (read_one(c, &c->found[i], n, &error)) {
            /* Keep the found entry in step with its row. */
            c->found[n] = c->found[i];
            n++;
        }
    }
    n = add_absent(c, n, n);
    /* The label buffer has stopped moving: point the rows into it. */
    for (size_t i = 0; i < n; i++)
        c->rows[i].labels = c->labels.data + c->label_off[i];
    if (truncated)
        note_once(c, "more than 4096 cgroups: the rest are left out");
    if (c->docker && docker_note(c->docker)[0])
        note_once(c, docker_note(c->docker));
    else if (!c->docker && c->docker_setup[0])
        note_once(c, c->docker_setup);
    if (cgroup_expo_write(out, c->rows, n, time_now_ms() / 1000, error) < 0) {
        snprintf(err, errsz, "exposition larger than the scrape's body "
                 "limit");
        return -1;
    }
    snprintf(err, errsz, "%s", c->note);    /* the targets view shows it */
    return 0;
}

/* Between scrapes: the Docker client's events move it along, and an
 * event that changed a container asks for a scrape now. */
static bool
cadvisor_poll(void *state, int64_t now_ms)
{
    struct cadvisor *c = state;

    if (!c->docker)
        return false;
    fetch_pump(c->fetch);
    return docker_follow(c->docker, now_ms);
}

const char *
cgroup_collector_note(void *state)
{
    return ((struct cadvisor *)state)->note;
}

const struct collector_ops cgroup_collector = {
    .job = "cadvisor",
    .open = cadvisor_open,
    .collect = cadvisor_collect,
    .close = cadvisor_close,
    .poll = cadvisor_poll,
};
