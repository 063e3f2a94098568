/*
 * Field defaults and overrides from Grafana's JSON. Each override becomes
 * a struct series_override with the matcher and the properties promdeck
 * draws (display name, colour, unit, decimals, min and max, axis side,
 * negative-Y, stacking, hiding); the old graph panel's series overrides
 * and alias colours become the same. Properties a terminal cannot show
 * (fill, line width, links, value mappings, ...) are named in one note per
 * panel rather than one each. The few JSON accessors at the top are
 * grafana.c's too, kept apart so the two files stay independent.
 */
#include "src/dash/grafana_fields.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/buf.h"
#include "src/base/regex.h"
#include "src/base/xalloc.h"
#include "src/dash/vocab.h"

struct fload {
    struct grafana_notes *notes;
    struct panel *out;
    const char *title;
    struct buf skipped;         /* properties not applied, ", "-joined */
};

static void
fnote(struct fload *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
fnote(struct fload *f, const char *fmt, ...)
{
    struct buf b;
    va_list ap;

    buf_init(&b, 0);
    buf_printf(&b, "panel '%s': ", f->title);
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    grafana_notes_add(f->notes, buf_str(&b));
    buf_fini(&b);
}

/* Remembers a property that is not applied, once, for the panel's note. */
static void
skip(struct fload *f, const char *what)
{
    const char *s = buf_str(&f->skipped);
    size_t n = strlen(what);

    for (const char *p = strstr(s, what); p != NULL; p = strstr(p + 1, what))
        if ((p == s || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
            return;
    buf_printf(&f->skipped, "%s%s", f->skipped.len > 0 ? ", " : "", what);
}

/* The string at key, or NULL when absent, null or not a scalar. */
static const char *
jstr(const struct yaml_node *map, const char *key)
{
    const struct yaml_node *n = yaml_get(map, key);

    return yaml_is_scalar(n) && !yaml_is_null(n) ? yaml_scalar(n) : NULL;
}

/* A number written as a JSON number or a numeric string. */
static bool
jnum_node(const struct yaml_node *n, double *out)
{
    const char *s = yaml_is_scalar(n) && !yaml_is_null(n) ? yaml_scalar(n)
                                                         : NULL;
    char *end;

    if (s == NULL || *s == '\0')
        return false;
    *out = strtod(s, &end);
    return *end == '\0' && !isnan(*out);
}

static bool
jnum(const struct yaml_node *map, const char *key, double *out)
{
    return jnum_node(yaml_get(map, key), out);
}

static bool
jtrue(const struct yaml_node *n)
{
    return yaml_is_scalar(n) && strcmp(yaml_scalar(n), "true") == 0;
}

/* The unit for a Grafana id; no id is Grafana's "none", the plain
 * number; an id Grafana does not know is written after the number, as
 * Grafana shows it, with a note. */
static void
field_unit(struct fload *f, const char *name, enum unit *u, char **text)
{
    *u = UNIT_NONE;
    if (name == NULL || *name == '\0')
        return;
    if (vocab_unit(name, u) != 0) {
        *u = UNIT_CUSTOM;
        fnote(f, "unit '%s' is not one of Grafana's; shown after the "
              "number, as Grafana shows it", name);
    }
    if (*u == UNIT_CUSTOM)
        *text = xstrdup(name);
}

static int
clamp_decimals(double v)
{
    return v < 0 ? 0 : v > 15 ? 15 : (int)v;
}

/* unit, decimals, min and max, newest place first: the field defaults,
 * the old graph's first y axis, a singlestat's own and its gauge's. */
static void
field_numbers(struct fload *f, const struct yaml_node *p,
              const struct yaml_node *fd)
{
    const struct yaml_node *y0 = yaml_seq_at(yaml_get(p, "yaxes"), 0);
    const struct yaml_node *gauge = yaml_get(p, "gauge");
    const char *unit = jstr(fd, "unit");
    struct panel *out = f->out;
    double v;

    if (!yaml_is_map(gauge) || !jtrue(yaml_get(gauge, "show")))
        gauge = NULL;
    if (unit == NULL)
        unit = y0 != NULL ? jstr(y0, "format") : jstr(p, "format");
    field_unit(f, unit, &out->unit, &out->unit_text);
    if (jnum(fd, "decimals", &v) || jnum(p, "decimals", &v))
        out->decimals = clamp_decimals(v);
    if (jnum(fd, "min", &v) || jnum(y0, "min", &v)
        || jnum(gauge, "minValue", &v))
        out->min = v;
    if (jnum(fd, "max", &v) || jnum(y0, "max", &v)
        || jnum(gauge, "maxValue", &v))
        out->max = v;
    if (out->min >= out->max)
        out->min = out->max = NAN;
}

/* stack: the old graph's "stack" (and "percentage"), or the defaults'
 * custom.stacking.mode (none, normal, percent). */
static void
field_stacking(struct fload *f, const struct yaml_node *p,
               const struct yaml_node *fd)
{
    const struct yaml_node *custom = yaml_get(fd, "custom");
    const char *mode = jstr(yaml_get(custom, "stacking"), "mode");

    f->out->stack = jtrue(yaml_get(p, "stack"));
    f->out->stack_percent = f->out->stack
                            && jtrue(yaml_get(p, "percentage"));
    if (mode != NULL && strcmp(mode, "none") != 0) {
        f->out->stack = true;
        f->out->stack_percent = strcmp(mode, "percent") == 0;
    }
}

/* A new override at the end of the panel's, matching nothing yet. */
static struct series_override *
new_override(struct panel *out)
{
    struct series_override *o;

    out->overrides = xreallocarray(out->overrides, out->noverrides + 1,
                                   sizeof(*out->overrides));
    o = &out->overrides[out->noverrides++];
    memset(o, 0, sizeof(*o));
    o->min = o->max = NAN;
    return o;
}

/* Takes back the panel's last override, matcher and all. */
static void
drop_last(struct panel *out)
{
    struct series_override *o = &out->overrides[--out->noverrides];

    free(o->pattern);
    regex_free(o->re);
    for (size_t i = 0; i < o->nnames; i++)
        free(o->names[i]);
    free(o->names);
}

/* A series pattern as Grafana writes one (vocab_series_regex), compiled;
 * NULL with a note when it does not compile. */
static struct regex *
js_regex(struct fload *f, const char *js)
{
    struct buf b;
    struct diag d;
    struct regex *re;

    buf_init(&b, 0);
    if (!vocab_series_regex(js, &b))
        buf_puts(&b, js);
    re = regex_new(buf_str(&b), &d);
    if (re == NULL)
        fnote(f, "the series pattern '%s' is not a regex promdeck reads "
              "(%s); its override is left out", js, d.msg);
    buf_fini(&b);
    return re;
}

/* byNames' options: { mode: include | exclude, names: [...] }. */
static void
match_names(const struct yaml_node *opt, struct series_override *o)
{
    const struct yaml_node *names = yaml_get(opt, "names");
    const char *mode = jstr(opt, "mode");

    o->match = MATCH_NAMES;
    o->exclude = mode != NULL && strcmp(mode, "exclude") == 0;
    o->names = xcalloc(yaml_seq_size(names) + 1, sizeof(*o->names));
    for (size_t i = 0; i < yaml_seq_size(names); i++) {
        const char *n = yaml_scalar(yaml_seq_at(names, i));

        if (n != NULL)
            o->names[o->nnames++] = xstrdup(n);
    }
}

/* matcher = { id, options }; false (with a note) when it is one promdeck
 * does not apply, or matches nothing it draws. */
static bool
parse_matcher(struct fload *f, const struct yaml_node *m,
              struct series_override *o)
{
    const char *id = jstr(m, "id"), *opt = jstr(m, "options");

    if (id == NULL)
        return false;
    if (strcmp(id, "byName") == 0 || strcmp(id, "byFrameRefID") == 0) {
        o->match = strcmp(id, "byName") == 0 ? MATCH_NAME : MATCH_QUERY;
        o->pattern = xstrdup(opt != NULL ? opt : "");
        return true;
    }
    if (strcmp(id, "byRegexp") == 0 && opt != NULL) {
        o->match = MATCH_REGEX;
        o->pattern = xstrdup(opt);
        return (o->re = js_regex(f, opt)) != NULL;
    }
    if (strcmp(id, "byNames") == 0) {
        match_names(yaml_get(m, "options"), o);
        return true;
    }
    if (strcmp(id, "byRegexpOrNames") == 0) {
        const char *pat = jstr(yaml_get(m, "options"), "pattern");

        match_names(yaml_get(m, "options"), o);
        o->match = MATCH_REGEX;
        o->exclude = false;
        o->pattern = xstrdup(pat != NULL ? pat : "");
        return pat == NULL || *pat == '\0'
               || (o->re = js_regex(f, pat)) != NULL;
    }
    if (strcmp(id, "byType") == 0) {
        o->match = MATCH_ALL;
        /* Time and string fields are not series values. */
        return opt != NULL && strcmp(opt, "number") == 0;
    }
    fnote(f, "overrides matching %s are not applied", id);
    return false;
}

/* color = { mode: fixed | shades, fixedColor }; the classic palette is
 * every series' own colour already. Other modes colour by value, which
 * the defaults do through thresholds and an override cannot here. */
static void
color_prop(struct fload *f, const struct yaml_node *v, bool dflt,
           struct series_override *o)
{
    const char *mode = jstr(v, "mode"), *c = jstr(v, "fixedColor");

    if (mode != NULL && strncmp(mode, "palette-classic", 15) == 0)
        return;
    if (mode == NULL || c == NULL || (strcmp(mode, "fixed") != 0
                                      && strcmp(mode, "shades") != 0)) {
        if (!dflt)
            skip(f, "color by value");
        return;
    }
    o->role = vocab_grafana_series_color(c);
    if (o->role >= 0)
        o->set |= OVR_COLOR;
}

/* custom.stacking = { mode, group }. */
static void
stacking_prop(const struct yaml_node *v, struct series_override *o)
{
    const char *mode = jstr(v, "mode"), *group = jstr(v, "group");

    o->set |= OVR_STACK;
    o->stack = mode == NULL || strcmp(mode, "none") == 0 ? STACK_NONE
               : strcmp(mode, "percent") == 0 ? STACK_PERCENT
               : STACK_NORMAL;
    free(o->stack_group);
    o->stack_group = group != NULL ? xstrdup(group) : NULL;
}

/* The custom.* properties promdeck draws; false for the others. */
static bool
custom_prop(const char *id, const struct yaml_node *v,
            struct series_override *o)
{
    const char *s = yaml_is_scalar(v) ? yaml_scalar(v) : "";

    if (strcmp(id, "custom.axisPlacement") == 0
        && strcmp(s, "hidden") != 0) {
        o->set |= OVR_AXIS;
        o->right = strcmp(s, "right") == 0;
    } else if (strcmp(id, "custom.transform") == 0
               && strcmp(s, "constant") != 0) {
        o->set |= OVR_NEGATIVE;
        o->negative = strcmp(s, "negative-Y") == 0;
    } else if (strcmp(id, "custom.stacking") == 0) {
        stacking_prop(v, o);
    } else if (strcmp(id, "custom.hideFrom") == 0) {
        o->set |= OVR_HIDE;
        o->hide = (jtrue(yaml_get(v, "legend")) ? HIDE_LEGEND : 0)
                  | (jtrue(yaml_get(v, "viz")) ? HIDE_GRAPH : 0);
    } else {
        return false;
    }
    return true;
}

/* One property = { id, value } of an override. */
static void
apply_prop(struct fload *f, const struct yaml_node *prop,
           struct series_override *o)
{
    const char *id = jstr(prop, "id");
    const struct yaml_node *v = yaml_get(prop, "value");
    const char *s = yaml_is_scalar(v) && !yaml_is_null(v) ? yaml_scalar(v)
                                                         : NULL;
    double x;

    if (id == NULL)
        return;
    if ((strcmp(id, "displayName") == 0
         || strcmp(id, "displayNameFromDS") == 0) && s != NULL) {
        free(o->display_name);
        o->display_name = xstrdup(s);
        o->set |= OVR_NAME;
    } else if (strcmp(id, "color") == 0) {
        color_prop(f, v, false, o);
    } else if (strcmp(id, "unit") == 0 && s != NULL) {
        free(o->unit_text);
        o->unit_text = NULL;
        field_unit(f, s, &o->unit, &o->unit_text);
        o->set |= OVR_UNIT;
    } else if (strcmp(id, "decimals") == 0 && jnum_node(v, &x)) {
        o->decimals = clamp_decimals(x);
        o->set |= OVR_DECIMALS;
    } else if (strcmp(id, "min") == 0 && jnum_node(v, &o->min)) {
        o->set |= OVR_MIN;
    } else if (strcmp(id, "max") == 0 && jnum_node(v, &o->max)) {
        o->set |= OVR_MAX;
    } else if (!custom_prop(id, v, o)) {
        skip(f, id);
    }
}

/* fieldConfig.overrides = [ { matcher, properties: [...] }, ... ] */
static void
field_overrides(struct fload *f, const struct yaml_node *list)
{
    for (size_t i = 0; i < yaml_seq_size(list); i++) {
        const struct yaml_node *ov = yaml_seq_at(list, i);
        const struct yaml_node *props = yaml_get(ov, "properties");
        struct series_override *o = new_override(f->out);

        if (!parse_matcher(f, yaml_get(ov, "matcher"), o)) {
            drop_last(f->out);
            continue;
        }
        for (size_t j = 0; j < yaml_seq_size(props); j++)
            apply_prop(f, yaml_seq_at(props, j), o);
    }
}

/* The defaults' display name, and their colour and custom settings that
 * an override can also give: those become one for every series. */
static void
field_defaults(struct fload *f, const struct yaml_node *fd)
{
    static const char *const custom[] = {
        "axisPlacement", "transform", "hideFrom",
    };
    const struct yaml_node *c = yaml_get(fd, "custom");
    const char *name = jstr(fd, "displayName");
    struct series_override *o;
    char id[40];

    if (name != NULL && *name != '\0')
        f->out->display_name = xstrdup(name);
    o = new_override(f->out);
    o->match = MATCH_ALL;
    if (yaml_is_map(yaml_get(fd, "color")))
        color_prop(f, yaml_get(fd, "color"), true, o);
    for (size_t i = 0; i < sizeof(custom) / sizeof(custom[0]); i++)
        if (yaml_get(c, custom[i]) != NULL) {
            snprintf(id, sizeof(id), "custom.%s", custom[i]);
            custom_prop(id, yaml_get(c, custom[i]), o);
        }
    if (o->set == 0)
        drop_last(f->out);
}

/* aliasColors = { "series name": "#colour", ... } of old graphs. */
static void
alias_colors(struct fload *f, const struct yaml_node *p)
{
    const struct yaml_node *ac = yaml_get(p, "aliasColors");

    for (size_t i = 0; i < yaml_map_size(ac); i++) {
        const struct yaml_pair *kv = yaml_map_at(ac, i);
        const char *c = yaml_scalar(kv->value);
        int role = c != NULL ? vocab_grafana_series_color(c) : -1;
        struct series_override *o;

        if (role < 0)
            continue;
        o = new_override(f->out);
        o->match = MATCH_NAME;
        o->pattern = xstrdup(yaml_scalar(kv->key));
        o->set = OVR_COLOR;
        o->role = role;
    }
}

/* yaxis: 2 puts a series on the right, in the second axis' unit and
 * between its ends. */
static void
right_axis(struct fload *f, const struct yaml_node *p,
           struct series_override *o)
{
    const struct yaml_node *y1 = yaml_seq_at(yaml_get(p, "yaxes"), 1);
    const char *format = jstr(y1, "format");

    o->set |= OVR_AXIS;
    o->right = true;
    if (yaml_seq_size(yaml_get(p, "yaxes")) < 2)
        return;
    if (format != NULL) {
        field_unit(f, format, &o->unit, &o->unit_text);
        o->set |= OVR_UNIT;
    }
    if (jnum(y1, "min", &o->min))
        o->set |= OVR_MIN;
    if (jnum(y1, "max", &o->max))
        o->set |= OVR_MAX;
}

/* One key of an old series override; false when it is not applied. */
static bool
series_key(struct fload *f, const struct yaml_node *p, const char *key,
           const struct yaml_node *v, struct series_override *o)
{
    const char *s = yaml_is_scalar(v) ? yaml_scalar(v) : "";
    double x;

    if (strcmp(key, "alias") == 0)
        return true;
    if (strcmp(key, "color") == 0) {
        o->role = vocab_grafana_series_color(s);
        o->set |= o->role >= 0 ? OVR_COLOR : 0;
    } else if (strcmp(key, "transform") == 0
               && strcmp(s, "negative-Y") == 0) {
        o->set |= OVR_NEGATIVE;
        o->negative = true;
    } else if (strcmp(key, "yaxis") == 0 && jnum_node(v, &x)) {
        if (x == 2)
            right_axis(f, p, o);
    } else if (strcmp(key, "stack") == 0) {
        o->set |= OVR_STACK;
        o->stack = strcmp(s, "false") == 0 ? STACK_NONE
                   : f->out->stack_percent ? STACK_PERCENT : STACK_NORMAL;
        o->stack_group = strcmp(s, "true") != 0 && strcmp(s, "false") != 0
                         ? xstrdup(s) : NULL;
    } else if (strcmp(key, "legend") == 0 || strcmp(key, "hiddenSeries") == 0) {
        o->set |= OVR_HIDE;
        o->hide |= key[0] == 'l' ? (jtrue(v) ? 0 : HIDE_LEGEND)
                                 : (jtrue(v) ? HIDE_GRAPH : 0);
    } else {
        return false;
    }
    return true;
}

/* seriesOverrides = [ { alias: name | "/regex/", ... }, ... ] */
static void
series_overrides(struct fload *f, const struct yaml_node *p)
{
    const struct yaml_node *list = yaml_get(p, "seriesOverrides");

    for (size_t i = 0; i < yaml_seq_size(list); i++) {
        const struct yaml_node *so = yaml_seq_at(list, i);
        const char *alias = jstr(so, "alias");
        struct series_override *o;

        if (alias == NULL)
            continue;
        o = new_override(f->out);
        o->match = alias[0] == '/' ? MATCH_REGEX : MATCH_NAME;
        o->pattern = xstrdup(alias);
        if (o->match == MATCH_REGEX && (o->re = js_regex(f, alias)) == NULL) {
            drop_last(f->out);
            continue;
        }
        for (size_t j = 0; j < yaml_map_size(so); j++) {
            const struct yaml_pair *kv = yaml_map_at(so, j);
            const char *key = yaml_scalar(kv->key);

            if (key != NULL && !series_key(f, p, key, kv->value, o))
                skip(f, key);
        }
    }
}

void
grafana_fields_load(const struct yaml_node *p,
                    const struct yaml_node *defaults, struct panel *out,
                    struct grafana_notes *notes)
{
    struct fload f = { notes, out, out->title != NULL ? out->title : "",
                       { 0 } };
    const struct yaml_node *fc = yaml_get(p, "fieldConfig");

    buf_init(&f.skipped, 0);
    field_numbers(&f, p, defaults);
    field_stacking(&f, p, defaults);
    field_defaults(&f, defaults);
    alias_colors(&f, p);
    series_overrides(&f, p);
    field_overrides(&f, yaml_get(fc, "overrides"));
    if (f.skipped.len > 0)
        fnote(&f, "overrides not applied: %s", buf_str(&f.skipped));
    buf_fini(&f.skipped);
}
