/*
 * Grafana's dashboard JSON to promdeck's model. Grafana places panels on
 * a 24-column grid (gridPos) or, before Grafana 5, in rows of 12 spans;
 * promdeck has rows of panels with relative widths, so panels that share
 * vertical space become one row and w (or span) becomes the width. Each
 * setting promdeck cannot honour becomes a note for the user. The file
 * runs to about 1000 lines because Grafana keeps each setting in a
 * different place in each major version, and all of them are read here,
 * next to the notes that explain what did not carry over. Grafana's names
 * for kinds, units and colours are src/dash/vocab.c's; units, decimals,
 * stacking and per-series overrides are src/dash/grafana_fields.c's.
 */
#include "src/dash/grafana.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/query.h"
#include "src/base/buf.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"
#include "src/base/yaml.h"
#include "src/dash/dashmodel.h"
#include "src/dash/grafana_fields.h"
#include "src/dash/grafana_import.h"
#include "src/dash/vocab.h"
#include "ui/theme.h"

#define OLD_ROW_PX 250      /* Grafana's default row height before 5.0 */
#define GRID_PX 30          /* one gridPos unit of height, in pixels */

struct gload {
    struct grafana_notes *notes;
    struct dashboard *m;
    const struct yaml_node *inputs;     /* __inputs of an export, or NULL */
    const struct yaml_node *templating; /* templating.list, or NULL */
};

/* One panel waiting for its place in a row. */
struct gpanel {
    const struct yaml_node *n;
    int x, y, w, h;
};

/* The panels under one Grafana row (or before the first). */
struct section {
    const char *title;      /* borrowed from the tree; NULL: none */
    struct gpanel *p;
    size_t n;
    bool collapsed;         /* the row is collapsed in Grafana */
};

void
grafana_notes_fini(struct grafana_notes *notes)
{
    for (size_t i = 0; i < notes->n; i++)
        free(notes->v[i]);
    free(notes->v);
    notes->v = NULL;
    notes->n = 0;
}

void
grafana_notes_add(struct grafana_notes *notes, const char *text)
{
    for (size_t i = 0; i < notes->n; i++)
        if (strcmp(notes->v[i], text) == 0)
            return;
    notes->v = xreallocarray(notes->v, notes->n + 1, sizeof(*notes->v));
    notes->v[notes->n++] = xstrdup(text);
}

/* Adds a note unless the same text is there already. */
static void
note(struct gload *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
note(struct gload *g, const char *fmt, ...)
{
    struct buf b;
    va_list ap;

    buf_init(&b, 0);
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    grafana_notes_add(g->notes, buf_str(&b));
    buf_fini(&b);
}

/* The string at key, or NULL when absent, null or not a scalar. */
static const char *
jstr(const struct yaml_node *map, const char *key)
{
    const struct yaml_node *n = yaml_get(map, key);

    return yaml_is_scalar(n) && !yaml_is_null(n) ? yaml_scalar(n) : NULL;
}

/* A number at key, written as a JSON number or a numeric string. */
static bool
jnum(const struct yaml_node *map, const char *key, double *out)
{
    const char *s = jstr(map, key);
    char *end;

    if (s == NULL || *s == '\0')
        return false;
    *out = strtod(s, &end);
    return *end == '\0' && !isnan(*out);
}

static bool
jbool(const struct yaml_node *map, const char *key)
{
    const char *s = jstr(map, key);

    return s != NULL && strcmp(s, "true") == 0;
}

/* The mapping at a path of keys ("fieldConfig", "defaults"), or NULL. */
static const struct yaml_node *
jpath(const struct yaml_node *n, const char *k1, const char *k2)
{
    n = yaml_get(n, k1);
    if (n != NULL && k2 != NULL)
        n = yaml_get(n, k2);
    return yaml_is_map(n) ? n : NULL;
}

/* The panel's title for notes. */
static const char *
ptitle(const struct yaml_node *p)
{
    const char *t = jstr(p, "title");

    return t != NULL ? t : "";
}

/* The status a Grafana colour stands for (see vocab_grafana_color);
 * colours without one read as good, with a note. */
static int
color_role(struct gload *g, const char *panel, const char *c)
{
    int role = vocab_grafana_color(c);

    if (role >= 0)
        return role;
    note(g, "panel '%s': threshold colour '%s' has no status meaning; "
         "shown as good", panel, c);
    return ROLE_GOOD;
}

/* steps = [ { "color": c, "value": v | null }, ... ], ascending. */
static void
steps_thresholds(struct gload *g, const struct yaml_node *p,
                 const struct yaml_node *steps, struct panel *out)
{
    size_t n = yaml_seq_size(steps);

    if (n == 0)
        return;
    out->thresholds = xcalloc(n, sizeof(*out->thresholds));
    for (size_t i = 0; i < n; i++) {
        const struct yaml_node *s = yaml_seq_at(steps, i);
        struct threshold *t = &out->thresholds[out->nthresholds];
        const char *c = jstr(s, "color");

        if (!jnum(s, "value", &t->value))
            t->value = -INFINITY;
        if (out->nthresholds > 0 && t->value <= t[-1].value)
            continue;
        t->role = color_role(g, ptitle(p), c != NULL ? c : "green");
        out->nthresholds++;
    }
}

/* Singlestat: thresholds "50,80" with colors [below, between, above]. */
static void
singlestat_thresholds(struct gload *g, const struct yaml_node *p,
                      struct panel *out)
{
    const char *th = jstr(p, "thresholds");
    const struct yaml_node *colors = yaml_get(p, "colors");
    double v[2];
    char *end;
    const char *s = th;
    size_t n = 0;

    if (th == NULL || *th == '\0' || yaml_seq_size(colors) < 3)
        return;
    while (n < 2) {
        double x = strtod(s, &end);

        if (end == s)
            break;
        v[n++] = x;
        while (*end == ' ')
            end++;
        if (*end != ',')
            break;
        s = end + 1;
    }
    if (n == 0 || (n == 2 && v[1] <= v[0])) {
        note(g, "panel '%s': thresholds '%s' are not ascending numbers; "
             "left out", ptitle(p), th);
        return;
    }
    out->thresholds = xcalloc(n + 1, sizeof(*out->thresholds));
    out->nthresholds = n + 1;
    for (size_t i = 0; i <= n; i++) {
        const char *c = yaml_scalar(yaml_seq_at(colors, i));

        out->thresholds[i].value = i == 0 ? -INFINITY : v[i - 1];
        out->thresholds[i].role = color_role(g, ptitle(p), c ? c : "green");
    }
}

/* Old graph panels: [{ value, colorMode, op }] lines on the graph. */
static void
graph_thresholds(struct gload *g, const struct yaml_node *p,
                 struct panel *out)
{
    const struct yaml_node *th = yaml_get(p, "thresholds");
    size_t n = yaml_seq_size(th);

    if (n == 0)
        return;
    out->thresholds = xcalloc(n + 1, sizeof(*out->thresholds));
    out->thresholds[0].value = -INFINITY;
    out->thresholds[0].role = ROLE_GOOD;
    out->nthresholds = 1;
    for (size_t i = 0; i < n; i++) {
        const struct yaml_node *t = yaml_seq_at(th, i);
        const char *mode = jstr(t, "colorMode"), *op = jstr(t, "op");
        struct threshold *o = &out->thresholds[out->nthresholds];

        if (!jnum(t, "value", &o->value) || o->value <= o[-1].value
            || (op != NULL && strcmp(op, "lt") == 0)) {
            note(g, "panel '%s': graph threshold %zu is not ascending "
                 "'gt'; left out", ptitle(p), i + 1);
            continue;
        }
        o->role = vocab_grafana_color_mode(mode);
        out->nthresholds++;
    }
}

enum ds_kind { DS_PROMETHEUS, DS_OTHER, DS_MIXED };

/*
 * A datasource written as a reference, "$ds", "${ds}" or "[[ds]]": an
 * export input of that name is a data source of its pluginId; a
 * datasource variable, of the plugin its query names. Prometheus when
 * neither says otherwise.
 */
static enum ds_kind
ds_by_variable(struct gload *g, const char *ref)
{
    size_t skip = ref[0] == '[' || ref[1] == '{' ? 2 : 1;
    size_t len = strcspn(ref + skip, "}]:");

    for (size_t i = 0; i < yaml_seq_size(g->inputs); i++) {
        const struct yaml_node *in = yaml_seq_at(g->inputs, i);
        const char *n = jstr(in, "name"), *plugin = jstr(in, "pluginId");

        if (n != NULL && plugin != NULL && strlen(n) == len
            && strncmp(n, ref + skip, len) == 0)
            return strcmp(plugin, "prometheus") == 0 ? DS_PROMETHEUS
                                                     : DS_OTHER;
    }
    for (size_t i = 0; i < yaml_seq_size(g->templating); i++) {
        const struct yaml_node *t = yaml_seq_at(g->templating, i);
        const char *n = jstr(t, "name"), *type = jstr(t, "type");
        const char *plugin = jstr(t, "query");

        if (n != NULL && type != NULL && strcmp(type, "datasource") == 0
            && strlen(n) == len && strncmp(n, ref + skip, len) == 0)
            return plugin == NULL || strcmp(plugin, "prometheus") == 0
                   ? DS_PROMETHEUS : DS_OTHER;
    }
    return DS_PROMETHEUS;
}

/* Whether a datasource name is a Prometheus one, by its variable or
 * export input when it is "$x" or "${x}", else by its name. */
static enum ds_kind
ds_by_name(struct gload *g, const char *name)
{
    static const char *const others[] = {
        "loki", "elastic", "influx", "graphite", "mysql", "postgres",
        "mssql", "cloudwatch", "tempo", "jaeger", "zipkin", "testdata",
        "opentsdb", "-- grafana --", "-- dashboard --",
    };
    char low[128];
    size_t i;

    if (strcmp(name, "-- Mixed --") == 0)
        return DS_MIXED;
    if (name[0] == '$' || name[0] == '[')
        return ds_by_variable(g, name);
    for (i = 0; name[i] != '\0' && i + 1 < sizeof(low); i++)
        low[i] = (char)tolower((unsigned char)name[i]);
    low[i] = '\0';
    for (i = 0; i < yaml_seq_size(g->inputs); i++) {
        const struct yaml_node *in = yaml_seq_at(g->inputs, i);
        const char *n = jstr(in, "name"), *plugin = jstr(in, "pluginId");

        if (n != NULL && plugin != NULL && strstr(name, n) != NULL)
            return strcmp(plugin, "prometheus") == 0 ? DS_PROMETHEUS
                                                     : DS_OTHER;
    }
    for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
        if (strstr(low, others[i]) != NULL)
            return DS_OTHER;
    return DS_PROMETHEUS;
}

/* A datasource given as null (the default), a name or {type, uid}. */
static enum ds_kind
ds_kind(struct gload *g, const struct yaml_node *ds, const char **name)
{
    const char *type = jstr(ds, "type"), *uid = jstr(ds, "uid");

    *name = "default";
    if (ds == NULL || yaml_is_null(ds))
        return DS_PROMETHEUS;
    if (yaml_is_scalar(ds)) {
        *name = yaml_scalar(ds);
        return ds_by_name(g, *name);
    }
    *name = uid != NULL ? uid : type != NULL ? type : "?";
    if (type == NULL || strcmp(type, "prometheus") == 0)
        return uid != NULL && type == NULL ? ds_by_name(g, uid)
                                           : DS_PROMETHEUS;
    if (strcmp(type, "datasource") == 0 && uid != NULL
        && strcmp(uid, "-- Mixed --") == 0)
        return DS_MIXED;
    *name = type;
    return DS_OTHER;
}

/* One target into q; false (with a note when it matters) to skip it. */
static bool
load_target(struct gload *g, const struct yaml_node *p,
            const struct yaml_node *t, enum ds_kind panel_ds,
            const char *dsname, struct panel_query *q)
{
    const char *expr = jstr(t, "expr"), *ref = jstr(t, "refId");
    const char *legend = jstr(t, "legendFormat");
    const char *col = jstr(p, "tableColumn");
    enum ds_kind ds = panel_ds;

    if (jbool(t, "hide"))
        return false;
    if (ref == NULL)
        ref = "?";
    if (panel_ds == DS_MIXED || yaml_get(t, "datasource") != NULL)
        ds = ds_kind(g, yaml_get(t, "datasource"), &dsname);
    if (ds == DS_OTHER) {
        note(g, "panel '%s': datasource '%s' targets skipped", ptitle(p),
             dsname);
        return false;
    }
    if (expr == NULL || *expr == '\0') {
        note(g, "panel '%s': target %s has no PromQL expression; skipped",
             ptitle(p), ref);
        return false;
    }
    q->expr = xstrdup(expr);
    if (jstr(t, "refId") != NULL)
        q->ref_id = xstrdup(jstr(t, "refId"));
    if (legend != NULL && *legend != '\0' && strcmp(legend, "__auto") != 0)
        q->legend = xstrdup(legend);
    if (col != NULL && *col != '\0' && q->legend == NULL) {
        q->legend = xasprintf("{{%s}}", col);
        note(g, "panel '%s': the value of label '%s' is shown as the "
             "legend, not as the panel's value", ptitle(p), col);
    }
    return true;
}

/* The panel's targets; the panel's own datasource decides unless
 * targets carry theirs. */
static void
load_targets(struct gload *g, const struct yaml_node *p, struct panel *out)
{
    const struct yaml_node *ts = yaml_get(p, "targets");
    const char *dsname;
    enum ds_kind ds = ds_kind(g, yaml_get(p, "datasource"), &dsname);

    if (yaml_seq_size(ts) == 0)
        return;
    out->queries = xcalloc(yaml_seq_size(ts), sizeof(*out->queries));
    for (size_t i = 0; i < yaml_seq_size(ts); i++)
        if (load_target(g, p, yaml_seq_at(ts, i), ds, dsname,
                        &out->queries[out->nqueries]))
            out->nqueries++;
}

/* The kind for p's type: false (with a note) to leave the panel out. */
static bool
panel_kind(struct gload *g, const struct yaml_node *p, enum panel_kind *k)
{
    const char *type = jstr(p, "type");

    if (type == NULL && yaml_get(p, "libraryPanel") != NULL) {
        note(g, "panel '%s': a library panel, kept in Grafana's database "
             "and not in the file; left out", ptitle(p));
        return false;
    }
    if (type != NULL && vocab_grafana_kind(type, k) == 0)
        return true;
    if (yaml_seq_size(yaml_get(p, "targets")) > 0) {
        note(g, "panel '%s': type '%s' is not supported; shown as a table",
             ptitle(p), type != NULL ? type : "?");
        *k = PANEL_TABLE;
        return true;
    }
    note(g, "panel '%s': type '%s' is not supported; left out", ptitle(p),
         type != NULL ? type : "?");
    return false;
}

/* Where a panel keeps its field defaults: fieldConfig.defaults (7+),
 * options.fieldOptions.defaults (6.x), or NULL. */
static const struct yaml_node *
field_defaults(const struct yaml_node *p)
{
    const struct yaml_node *d = jpath(p, "fieldConfig", "defaults");
    const struct yaml_node *fo = jpath(p, "options", "fieldOptions");

    if (d != NULL && yaml_map_size(d) > 0)
        return d;
    return fo != NULL ? jpath(fo, "defaults", NULL) : d;
}

/* thresholds from wherever this panel's Grafana version keeps them. */
static void
panel_thresholds(struct gload *g, const struct yaml_node *p,
                 const struct yaml_node *fd, struct panel *out)
{
    const struct yaml_node *th = yaml_get(fd, "thresholds");
    const char *mode = jstr(th, "mode");

    if (yaml_is_map(th)) {
        if (mode != NULL && strcmp(mode, "percentage") == 0)
            note(g, "panel '%s': percentage thresholds are used as "
                 "absolute values", ptitle(p));
        steps_thresholds(g, p, yaml_get(th, "steps"), out);
    } else if (yaml_is_seq(th)) {
        steps_thresholds(g, p, th, out);
    } else if (yaml_is_scalar(yaml_get(p, "thresholds"))) {
        singlestat_thresholds(g, p, out);
    } else if (yaml_is_seq(yaml_get(p, "thresholds"))) {
        graph_thresholds(g, p, out);
    }
}

/* Stats and gauges show the latest value; Grafana can reduce the
 * range another way (singlestat's valueName, later reduceOptions). */
static void
note_reducer(struct gload *g, const struct yaml_node *p)
{
    const struct yaml_node *o = jpath(p, "options", NULL);
    const struct yaml_node *calcs = yaml_get(jpath(o, "reduceOptions",
                                                   NULL), "calcs");
    const char *how = jstr(p, "valueName");

    if (calcs == NULL)
        calcs = yaml_get(jpath(o, "fieldOptions", NULL), "calcs");
    if (how == NULL && yaml_seq_size(calcs) > 0)
        how = yaml_scalar(yaml_seq_at(calcs, 0));
    if (how != NULL && strcmp(how, "current") != 0
        && strcmp(how, "last") != 0 && strcmp(how, "lastNotNull") != 0)
        note(g, "panel '%s': shows the latest value, not the '%s' over the "
             "range", ptitle(p), how);
}

/* Settings promdeck does not carry over, each said once. */
static void
panel_notes(struct gload *g, const struct yaml_node *p)
{
    const char *t = ptitle(p);

    note_reducer(g, p);
    if (jstr(p, "repeat") != NULL && *jstr(p, "repeat") != '\0')
        note(g, "panel '%s': repeat by $%s is not supported; shown once", t,
             jstr(p, "repeat"));
    if (jstr(p, "timeFrom") != NULL || jstr(p, "timeShift") != NULL)
        note(g, "panel '%s': its own time range (timeFrom/timeShift) is "
             "ignored; the dashboard's is used", t);
    if (yaml_seq_size(yaml_get(p, "transformations")) > 0)
        note(g, "panel '%s': transformations are not applied", t);
}

/*
 * The panel's query options: "Min interval" (interval, "30s" or the old
 * ">30s") and "Max data points" (maxDataPoints), which Grafana uses in
 * place of the data source's scrape interval and the panel's width when
 * it works out the step. An interval made of variables is not used.
 */
static void
panel_query_options(struct gload *g, const struct yaml_node *p,
                    struct panel *out)
{
    const char *iv = jstr(p, "interval");
    double points;

    if (iv != NULL && *iv == '>')
        iv++;
    if (iv != NULL && *iv != '\0'
        && duration_parse(iv, strlen(iv), &out->min_interval_ms) < 0) {
        note(g, "panel '%s': min interval '%s' is not used", ptitle(p),
             jstr(p, "interval"));
        out->min_interval_ms = 0;
    }
    if (jnum(p, "maxDataPoints", &points) && points >= 1 && points <= 1e6)
        out->max_points = (int)points;
}

/* One Grafana panel into out; false when it is left out. */
static bool
load_panel(struct gload *g, const struct gpanel *gp, struct panel *out)
{
    const struct yaml_node *p = gp->n, *fd = field_defaults(p);
    const char *text = jstr(jpath(p, "options", NULL), "content");

    memset(out, 0, sizeof(*out));
    out->decimals = -1;
    out->min = out->max = NAN;
    out->width = gp->w > 0 ? gp->w : 1;
    out->dirty = true;
    if (!panel_kind(g, p, &out->kind))
        return false;
    out->title = xstrdup(ptitle(p));
    grafana_fields_load(p, fd, out, g->notes);
    panel_thresholds(g, p, fd, out);
    panel_notes(g, p);
    if (out->kind == PANEL_TEXT) {
        const char *mode = jstr(jpath(p, "options", NULL), "mode");

        if (text == NULL)
            text = jstr(p, "content");
        if (mode == NULL)
            mode = jstr(p, "mode");
        if (mode != NULL && strcmp(mode, "html") == 0)
            note(g, "panel '%s': HTML is shown as written", ptitle(p));
        out->text = xstrdup(text != NULL ? text : "");
        return true;
    }
    load_targets(g, p, out);
    panel_query_options(g, p, out);
    if (out->nqueries > 0)
        return true;
    note(g, "panel '%s': no Prometheus queries; left out", ptitle(p));
    dashmodel_panel_fini(out);
    return false;
}

static int
cmp_yx(const void *a, const void *b)
{
    const struct gpanel *p = a, *q = b;

    return p->y != q->y ? (p->y > q->y) - (p->y < q->y)
                        : (p->x > q->x) - (p->x < q->x);
}

static int
cmp_xy(const void *a, const void *b)
{
    const struct gpanel *p = a, *q = b;

    return p->x != q->x ? (p->x > q->x) - (p->x < q->x)
                        : (p->y > q->y) - (p->y < q->y);
}

/* Says which panels sat below another in Grafana: promdeck has no
 * columns inside a row, so they stand side by side. */
static void
note_stacked(struct gload *g, const struct gpanel *band, size_t n)
{
    for (size_t k = 0; k < n; k++)
        for (size_t l = 0; l < n; l++)
            if (band[l].y < band[k].y && band[l].x < band[k].x + band[k].w
                && band[k].x < band[l].x + band[l].w) {
                note(g, "panel '%s': below '%s' in Grafana; shown beside "
                     "it", ptitle(band[k].n), ptitle(band[l].n));
                break;
            }
}

/* Appends one row of the panels in band (sorted by x) to the page. */
static void
add_row(struct gload *g, struct page *pg, const char *title,
        struct gpanel *band, size_t n, int height)
{
    struct row *r;

    qsort(band, n, sizeof(*band), cmp_xy);
    note_stacked(g, band, n);
    pg->rows = xreallocarray(pg->rows, pg->nrows + 1, sizeof(*pg->rows));
    r = &pg->rows[pg->nrows];
    memset(r, 0, sizeof(*r));
    r->height = height > 0 ? height : 1;
    r->panels = xcalloc(n, sizeof(*r->panels));
    for (size_t i = 0; i < n; i++)
        if (load_panel(g, &band[i], &r->panels[r->npanels]))
            r->npanels++;
    if (r->npanels == 0) {
        free(r->panels);
        return;
    }
    r->title = title != NULL ? xstrdup(title) : NULL;
    pg->nrows++;
}

/*
 * Cuts a section into rows: panels whose tops fall inside the band of
 * the panels before them share their row; the row is as high as the band.
 */
static void
section_rows(struct gload *g, struct page *pg, struct section *s)
{
    size_t i = 0;
    bool first = true;

    qsort(s->p, s->n, sizeof(*s->p), cmp_yx);
    while (i < s->n) {
        int top = s->p[i].y, bottom = top + s->p[i].h;
        size_t j = i + 1, before = pg->nrows;

        while (j < s->n && s->p[j].y < bottom) {
            if (s->p[j].y + s->p[j].h > bottom)
                bottom = s->p[j].y + s->p[j].h;
            j++;
        }
        add_row(g, pg, first ? s->title : NULL, s->p + i, j - i,
                bottom - top);
        /* The first row that made it carries the title and the fold. */
        if (first && pg->nrows > before && s->title != NULL)
            pg->rows[before].collapsed = s->collapsed;
        first = first && pg->nrows == before;
        i = j;
    }
}

/*
 * Grafana's grid is 24 columns wide, and its layout engine moves a panel
 * that sticks out back inside and floats panels up into empty space, so
 * an out-of-range gridPos is clamped the way Grafana would show it, with
 * a note, rather than refusing the dashboard: x to 0-23, w to 1-24, y
 * and h (which only order and size panels relative to each other) to
 * 0-GRID_MAX. Clamping the double before the cast keeps 1e99 or INT_MAX
 * from overflowing the int, or the sum y + h. Absent, w and h take
 * Grafana's new-panel size 12x8, as do zero and negative ones.
 */
#define GRID_COLS 24
#define GRID_MAX 1000000    /* 30 million pixels: beyond any real dashboard */

static int
grid_num(struct gload *g, const struct yaml_node *p, const char *key,
         int lo, int hi, int dflt)
{
    double v;

    if (!jnum(jpath(p, "gridPos", NULL), key, &v))
        return dflt;
    if (v >= lo && v <= hi)
        return (int)v;
    if (lo > 0 && v < 1)
        return dflt;
    note(g, "panel '%s': gridPos %s %.15g is outside %d-%d; using %d",
         ptitle(p), key, v, lo, hi, v < lo ? lo : hi);
    return v < lo ? lo : hi;
}

/* Adds panel node p to section s at its gridPos. */
static void
section_add(struct gload *g, struct section *s, const struct yaml_node *p,
            int fallback_y)
{
    struct gpanel *o;

    s->p = xreallocarray(s->p, s->n + 1, sizeof(*s->p));
    o = &s->p[s->n++];
    o->n = p;
    o->x = grid_num(g, p, "x", 0, GRID_COLS - 1, 0);
    o->y = grid_num(g, p, "y", 0, GRID_MAX, fallback_y);
    o->w = grid_num(g, p, "w", 1, GRID_COLS, 12);
    o->h = grid_num(g, p, "h", 1, GRID_MAX, 8);
}

/* A row panel's fold: Grafana keeps a collapsed row's panels inside it
 * and shows its header; a row without a title still has a header. */
static void
grid_row_fold(struct section *s, const struct yaml_node *row)
{
    if (s->title == NULL)
        s->title = "";
    s->collapsed = jbool(row, "collapsed");
}

static struct section *
new_section(struct section **secs, size_t *n, const char *title)
{
    *secs = xreallocarray(*secs, *n + 1, sizeof(**secs));
    memset(&(*secs)[*n], 0, sizeof(**secs));
    (*secs)[*n].title = title;
    return &(*secs)[(*n)++];
}

/* Grafana 5+: panels with gridPos; "row" panels start sections, and a
 * collapsed row holds its panels inside it (and stays collapsed). */
static size_t
grid_sections(struct gload *g, const struct yaml_node *panels,
              struct section **secs)
{
    struct section *cur = NULL;
    size_t n = 0;

    for (size_t i = 0; i < yaml_seq_size(panels); i++) {
        const struct yaml_node *p = yaml_seq_at(panels, i);
        const char *type = jstr(p, "type");

        if (type == NULL || strcmp(type, "row") != 0) {
            if (cur == NULL)
                cur = new_section(secs, &n, NULL);
            section_add(g, cur, p, 1000 + (int)i);
            continue;
        }
        cur = new_section(secs, &n, jstr(p, "title"));
        grid_row_fold(cur, p);
        for (size_t j = 0; j < yaml_seq_size(yaml_get(p, "panels")); j++)
            section_add(g, cur, yaml_seq_at(yaml_get(p, "panels"), j), 0);
    }
    return n;
}

/* A pre-5 row's height ("250px" or 250) in gridPos units. */
static int
old_row_height(const struct yaml_node *row)
{
    const char *h = jstr(row, "height");
    double px = h != NULL ? strtod(h, NULL) : 0;

    if (!(px > 0))      /* also NaN */
        px = OLD_ROW_PX;
    return px / GRID_PX < 1 ? 1 : (int)(fmin(px / GRID_PX, GRID_MAX) + 0.5);
}

/* Grafana before 5: rows of panels with spans out of 12. */
static size_t
old_sections(const struct yaml_node *rows, struct section **secs)
{
    size_t n = 0;

    for (size_t i = 0; i < yaml_seq_size(rows); i++) {
        const struct yaml_node *r = yaml_seq_at(rows, i);
        const struct yaml_node *ps = yaml_get(r, "panels");
        struct section *s = new_section(secs, &n, jbool(r, "showTitle")
                                        ? jstr(r, "title") : NULL);
        int x = 0;

        for (size_t j = 0; j < yaml_seq_size(ps); j++) {
            struct gpanel *o;
            double span;

            s->p = xreallocarray(s->p, s->n + 1, sizeof(*s->p));
            o = &s->p[s->n++];
            o->n = yaml_seq_at(ps, j);
            o->w = jnum(o->n, "span", &span) && span >= 1
                   ? (int)(fmin(span, 12) * 2) : 24 / (int)yaml_seq_size(ps);
            if (o->w < 1)
                o->w = 1;
            o->x = x;
            o->y = 0;
            o->h = old_row_height(r);
            x += o->w;
        }
    }
    return n;
}

/* A constant or a text box holds one value, commas and all. */
static void
one_value(const char *s, struct variable *v)
{
    if (s == NULL)
        s = "";
    dashmodel_var_set_values(v, &s, 1);
}

/* Splits Grafana's "a, b,c" options into v's values. */
static void
split_values(const char *s, struct variable *v)
{
    const char **vals = NULL;
    char *copy = xstrdup(s != NULL ? s : ""), *p = copy;
    size_t n = 0;

    while (*p != '\0') {
        char *e = strchr(p, ','), *end;

        if (e != NULL)
            *e = '\0';
        while (isspace((unsigned char)*p))
            p++;
        end = p + strlen(p);
        while (end > p && isspace((unsigned char)end[-1]))
            *--end = '\0';
        vals = xreallocarray(vals, n + 1, sizeof(*vals));
        vals[n++] = p;
        if (e == NULL)
            break;
        p = e + 1;
    }
    dashmodel_var_set_values(v, vals, n);
    free(vals);
    free(copy);
}

/*
 * A query variable: its query is read from the store (any of the forms
 * src/dash/dashvar.h knows) and shaped by its regex and sort; until then
 * it holds the value the dashboard was saved with.
 */
static void
query_variable(struct gload *g, const struct yaml_node *t, struct variable *v)
{
    const struct yaml_node *qn = yaml_get(t, "query");
    const char *q = yaml_is_map(qn) ? jstr(qn, "query") : jstr(t, "query");
    const char *re = jstr(t, "regex"), *cur = v->default_value, *ds;
    double sort;

    if (q == NULL || *q == '\0')
        q = jstr(t, "definition");
    if (ds_kind(g, yaml_get(t, "datasource"), &ds) == DS_OTHER)
        note(g, "variable '%s': datasource '%s' is not read; its saved "
             "value is used", v->name, ds);
    else if (q != NULL && *q != '\0')
        v->query = xstrdup(q);
    else
        note(g, "variable '%s': it has no query; its saved value is used",
             v->name);
    if (re != NULL && *re != '\0')
        v->regex = xstrdup(re);
    if (jnum(t, "sort", &sort) && sort >= 0 && sort <= 8)
        v->sort = (int)sort;
    if (cur != NULL)
        dashmodel_var_set_values(v, &cur, 1);
}

/* current.value: a string, a list (multi-value) or "$__all". */
static const char *
current_value(const struct yaml_node *t, bool *all)
{
    const struct yaml_node *c = yaml_get(yaml_get(t, "current"), "value");
    const char *s;

    if (yaml_is_seq(c))
        c = yaml_seq_at(c, 0);
    s = yaml_is_scalar(c) && !yaml_is_null(c) ? yaml_scalar(c) : NULL;
    *all = s != NULL && strcmp(s, "$__all") == 0;
    return *all ? NULL : s;
}

/* One templating entry into v; false when it has no place in promdeck. */
static bool
load_variable(struct gload *g, const struct yaml_node *t, struct variable *v)
{
    const char *type = jstr(t, "type"), *name = jstr(t, "name");
    const char *allv = jstr(t, "allValue"), *cur;
    bool all_current;

    if (name == NULL || type == NULL)
        return false;
    /* A Prometheus data source variable stands for promdeck's source. */
    if (strcmp(type, "datasource") == 0 && jstr(t, "query") != NULL
        && strcmp(jstr(t, "query"), "prometheus") == 0)
        return false;
    if (strcmp(type, "datasource") == 0 || strcmp(type, "adhoc") == 0) {
        note(g, "variable '%s': %s variables are not supported; left out",
             name, type);
        return false;
    }
    v->name = xstrdup(name);
    v->all = jbool(t, "includeAll");
    v->all_value = allv != NULL && *allv != '\0' ? xstrdup(allv) : NULL;
    cur = current_value(t, &all_current);
    v->default_value = cur != NULL ? xstrdup(cur) : NULL;
    /* Grafana's Prometheus source writes these as regexes. */
    v->multi = jbool(t, "multi");
    v->regex_value = v->multi || v->all;
    if (v->multi)
        note(g, "variable '%s': one value (or All) is selected at a time",
             name);
    if (strcmp(type, "query") == 0)
        query_variable(g, t, v);
    else if (strcmp(type, "constant") == 0 || strcmp(type, "textbox") == 0)
        one_value(strcmp(type, "textbox") == 0 && cur != NULL ? cur
                  : jstr(t, "query"), v);
    else if (strcmp(type, "custom") == 0 || strcmp(type, "interval") == 0)
        split_values(jstr(t, "query"), v);
    else
        note(g, "variable '%s': type '%s' is not supported; it has no "
             "values", name, type);
    if (strcmp(type, "interval") == 0 && jbool(t, "auto"))
        note(g, "variable '%s': the auto interval is not offered", name);
    v->current = all_current && v->all ? v->nvalues : v->current;
    return true;
}

static void
load_templating(struct gload *g, const struct yaml_node *dash)
{
    const struct yaml_node *list = yaml_get(yaml_get(dash, "templating"),
                                            "list");
    struct dashboard *m = g->m;

    if (yaml_seq_size(list) == 0)
        return;
    m->variables = xcalloc(yaml_seq_size(list), sizeof(*m->variables));
    for (size_t i = 0; i < yaml_seq_size(list); i++) {
        struct variable *v = &m->variables[m->nvariables];

        if (load_variable(g, yaml_seq_at(list, i), v))
            m->nvariables++;
        else
            dashmodel_var_fini(v);
    }
}

/* time.from "now-6h" (a rounding "/d" is dropped) and refresh "30s". */
static void
load_times(struct gload *g, const struct yaml_node *dash)
{
    const struct yaml_node *time = jpath(dash, "time", NULL);
    const char *from = jstr(time, "from"), *to = jstr(time, "to");
    const char *refresh = jstr(dash, "refresh");
    struct dashboard *m = g->m;
    size_t len;

    m->range_ms = DASHMODEL_DEFAULT_RANGE_MS;
    if (from != NULL && strncmp(from, "now-", 4) == 0) {
        len = strcspn(from + 4, "/");
        if (duration_parse(from + 4, len, &m->range_ms) != 0
            || m->range_ms <= 0)
            m->range_ms = DASHMODEL_DEFAULT_RANGE_MS;
    } else if (from != NULL) {
        note(g, "time range from '%s' is not relative to now; showing "
             "the last 1h", from);
    }
    if (to != NULL && strcmp(to, "now") != 0)
        note(g, "time range to '%s' is not supported; the range ends now",
             to);
    if (refresh != NULL && strcmp(refresh, "false") != 0 && *refresh != '\0'
        && duration_parse(refresh, strlen(refresh), &m->refresh_ms) != 0)
        m->refresh_ms = 0;
}

/* The page of rows, from the old rows list or the gridPos panels. */
static void
load_layout(struct gload *g, const struct yaml_node *dash)
{
    struct dashboard *m = g->m;
    struct section *secs = NULL;
    size_t n;

    m->pages = xcalloc(1, sizeof(*m->pages));
    m->npages = 1;
    m->pages[0].title = xstrdup(m->title);
    if (yaml_seq_size(yaml_get(dash, "panels")) > 0)
        n = grid_sections(g, yaml_get(dash, "panels"), &secs);
    else
        n = old_sections(yaml_get(dash, "rows"), &secs);
    for (size_t i = 0; i < n; i++) {
        section_rows(g, &m->pages[0], &secs[i]);
        free(secs[i].p);
    }
    free(secs);
}

int
grafana_load_buf(const char *name, const char *text, size_t len,
                 struct dashboard *out, struct grafana_notes *notes,
                 struct diag *d)
{
    return grafana_load_buf_with(name, text, len, NULL, 0, out, notes, d);
}

int
grafana_load_buf_with(const char *name, const char *text, size_t len,
                      const char *const *set, size_t nset,
                      struct dashboard *out, struct grafana_notes *notes,
                      struct diag *d)
{
    struct gload g = { .notes = notes, .m = out };
    struct yaml_node *root = yaml_load_buf(name, text, len, d);
    const struct yaml_node *dash;
    const char *title;

    memset(out, 0, sizeof(*out));
    if (root != NULL)
        root = grafana_import(root, name, text, len, set, nset, notes, d);
    if (root == NULL)
        return -1;
    dash = root;
    if (yaml_is_map(yaml_get(root, "dashboard")))
        dash = yaml_get(root, "dashboard");
    if (!yaml_is_seq(yaml_get(dash, "panels"))
        && !yaml_is_seq(yaml_get(dash, "rows"))) {
        diag_set(d, dash->line, dash->col, 1, "expected a Grafana dashboard "
                 "(an object with 'panels' or 'rows'), found %s",
                 yaml_kind_name(dash));
        d->source = name;
        yaml_tree_free(root);
        return -1;
    }
    g.inputs = yaml_get(root, "__inputs");
    g.templating = yaml_get(yaml_get(dash, "templating"), "list");
    title = jstr(dash, "title");
    out->title = xstrdup(title != NULL ? title : "Grafana dashboard");
    load_times(&g, dash);
    load_templating(&g, dash);
    load_layout(&g, dash);
    yaml_tree_free(root);
    if (out->pages[0].nrows > 0)
        return 0;
    dashmodel_fini(out);
    diag_set(d, 0, 0, 0, "the dashboard has no panel promdeck can show");
    d->source = name;
    return -1;
}

int
grafana_load(const char *path, struct dashboard *out,
             struct grafana_notes *notes, struct diag *d)
{
    return grafana_load_with(path, NULL, 0, out, notes, d);
}

int
grafana_load_with(const char *path, const char *const *set, size_t nset,
                  struct dashboard *out, struct grafana_notes *notes,
                  struct diag *d)
{
    struct buf b;
    int rc;

    memset(out, 0, sizeof(*out));
    diag_clear(d);
    if (buf_read_file(&b, path, 64u << 20, d) != 0)
        return -1;
    rc = grafana_load_buf_with(path, buf_str(&b), b.len, set, nset, out,
                               notes, d);
    buf_fini(&b);
    return rc;
}
