/*
 * Grouping notes by what they say. A note names its subject first
 * ("panel 'CPU': ..."); the rest, with each quoted value read as a
 * placeholder, is what groups it. Quotes are told from apostrophes by
 * their neighbours: a quote opens after a non-letter and closes before
 * one. It does not know what any note means.
 */
#include "src/dash/dashnotes.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/buf.h"
#include "src/base/xalloc.h"

/* ORDER kinds: their plurals below. */
static const char *const kinds[] = { "panel", "row", "variable", "input" };
static const char *const plurals[] = { "panels", "rows", "variables",
                                       "inputs" };
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))
_Static_assert(sizeof(kinds) == sizeof(plurals), "ORDER kinds");

/* How many details a group line shows before "…". */
#define SHOWN_DETAILS 3

struct detail {
    char *text;
    size_t n;
    size_t seen;            /* its place in first-seen order */
};

struct group {
    size_t kind;
    char *tmpl;             /* the text with '…' for quoted values */
    size_t first;           /* the note that started it */
    size_t count;           /* notes in it */
    char **subjects;        /* distinct subjects */
    size_t nsubjects;
    struct detail *details; /* the values of the first placeholder */
    size_t ndetails;
};

/*
 * "KIND 'SUBJECT': REST": the kind's index, the subject (malloc'd) and
 * where REST starts; false for a note of another shape.
 */
static bool
split_note(const char *s, size_t *kind, char **subject, const char **rest)
{
    for (size_t k = 0; k < NKINDS; k++) {
        size_t len = strlen(kinds[k]);
        const char *end;

        if (strncmp(s, kinds[k], len) != 0 || s[len] != ' '
            || s[len + 1] != '\'')
            continue;
        if ((end = strstr(s + len + 2, "': ")) == NULL)
            return false;
        *kind = k;
        *subject = xstrndup(s + len + 2, (size_t)(end - s - len - 2));
        *rest = end + 3;
        return true;
    }
    return false;
}

/* Whether rest[i] is a quote that opens a value ('x), not an apostrophe. */
static bool
opens(const char *rest, size_t i)
{
    return rest[i] == '\'' && (i == 0 || !isalnum((unsigned char)rest[i - 1]))
           && rest[i + 1] != '\0';
}

/* rest with each quoted value as '…'; the first value into *first
 * (malloc'd, NULL when there is none). */
static char *
template_of(const char *rest, char **first)
{
    struct buf b;
    size_t i = 0;

    *first = NULL;
    buf_init(&b, 0);
    while (rest[i] != '\0') {
        size_t j = i + 1;

        if (!opens(rest, i)) {
            buf_putc(&b, rest[i++]);
            continue;
        }
        while (rest[j] != '\0' && !(rest[j] == '\''
                                    && !isalnum((unsigned char)rest[j + 1])))
            j++;
        if (rest[j] == '\0') {
            buf_putc(&b, rest[i++]);
            continue;
        }
        if (*first == NULL)
            *first = xstrndup(rest + i + 1, j - i - 1);
        buf_puts(&b, "'…'");
        i = j + 1;
    }
    return buf_steal(&b);
}

static struct group *
find_group(struct group *g, size_t n, size_t kind, const char *tmpl)
{
    for (size_t i = 0; i < n; i++)
        if (g[i].kind == kind && strcmp(g[i].tmpl, tmpl) == 0)
            return &g[i];
    return NULL;
}

/* Counts subject and detail (both taken) into g. */
static void
group_add(struct group *g, char *subject, char *detail)
{
    size_t i;

    g->count++;
    for (i = 0; i < g->nsubjects; i++)
        if (strcmp(g->subjects[i], subject) == 0)
            break;
    if (i == g->nsubjects) {
        g->subjects = xreallocarray(g->subjects, i + 1, sizeof(char *));
        g->subjects[g->nsubjects++] = subject;
    } else {
        free(subject);
    }
    if (detail == NULL)
        return;
    for (i = 0; i < g->ndetails; i++)
        if (strcmp(g->details[i].text, detail) == 0)
            break;
    if (i == g->ndetails) {
        g->details = xreallocarray(g->details, i + 1, sizeof(*g->details));
        g->details[g->ndetails] = (struct detail){ detail, 0, i };
        g->ndetails++;
    } else {
        free(detail);
    }
    g->details[i].n++;
}

/* Most frequent first; among equals, first seen first. */
static int
cmp_detail(const void *a, const void *b)
{
    const struct detail *x = a, *y = b;

    if (x->n != y->n)
        return (x->n < y->n) - (x->n > y->n);
    return (x->seen > y->seen) - (x->seen < y->seen);
}

/* The line for a group of several notes. */
static char *
group_line(struct group *g)
{
    struct buf b;
    size_t shown;

    if (g->ndetails > 1)
        qsort(g->details, g->ndetails, sizeof(*g->details), cmp_detail);
    buf_init(&b, 0);
    buf_printf(&b, "%zu %s: %s", g->nsubjects, g->nsubjects == 1
               ? kinds[g->kind] : plurals[g->kind], g->tmpl);
    shown = g->ndetails < SHOWN_DETAILS ? g->ndetails : SHOWN_DETAILS;
    for (size_t i = 0; i < shown; i++)
        buf_printf(&b, "%s'%s' ×%zu", i == 0 ? " (" : ", ",
                   g->details[i].text, g->details[i].n);
    if (g->ndetails > shown)
        buf_puts(&b, ", …");
    if (shown > 0)
        buf_putc(&b, ')');
    return buf_steal(&b);
}

static void
out_add(struct grafana_notes *out, char *s)
{
    out->v = xreallocarray(out->v, out->n + 1, sizeof(*out->v));
    out->v[out->n++] = s;
}

static void
group_free(struct group *g)
{
    for (size_t i = 0; i < g->nsubjects; i++)
        free(g->subjects[i]);
    for (size_t i = 0; i < g->ndetails; i++)
        free(g->details[i].text);
    free(g->subjects);
    free(g->details);
    free(g->tmpl);
}

/* The groups of in; notes of another shape get a group of their own
 * (kind NKINDS, no template), so the order of first appearance holds. */
static size_t
make_groups(const struct grafana_notes *in, struct group **out)
{
    struct group *g = xcalloc(in->n + 1, sizeof(*g)), *at;
    size_t n = 0;

    for (size_t i = 0; i < in->n; i++) {
        const char *rest;
        char *subject, *detail, *tmpl;
        size_t kind;

        if (!split_note(in->v[i], &kind, &subject, &rest)) {
            g[n++] = (struct group){ .kind = NKINDS, .first = i,
                                     .count = 1 };
            continue;
        }
        tmpl = template_of(rest, &detail);
        if ((at = find_group(g, n, kind, tmpl)) != NULL) {
            free(tmpl);
        } else {
            at = &g[n++];
            *at = (struct group){ .kind = kind, .tmpl = tmpl, .first = i };
        }
        group_add(at, subject, detail);
    }
    *out = g;
    return n;
}

void
dashnotes_group(const struct grafana_notes *in, struct grafana_notes *out)
{
    struct group *g;
    size_t n = make_groups(in, &g);

    for (size_t i = 0; i < n; i++) {
        if (g[i].count == 1)
            out_add(out, xstrdup(in->v[g[i].first]));
        else
            out_add(out, group_line(&g[i]));
        group_free(&g[i]);
    }
    free(g);
}
