/*
 * Reads PromQL test scripts into data sets (tests/support/promqltest.h):
 * series lines with their value sequences, and the expressions of the
 * eval lines. Expected-result lines are skipped, as are the checks they
 * stand for; a comment line ends a block, as in the reference harness.
 */
#include "tests/support/promqltest.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "src/base/buf.h"
#include "src/base/duration.h"
#include "src/base/xalloc.h"

/* The reader's state: the series loaded since the last clear. */
struct reader {
    struct ptest_series *cur;
    size_t ncur;
    int64_t interval;
    bool fresh;             /* loaded or cleared since the last set */
    struct ptest_set *sets;
    size_t nsets;
    const char *p;          /* the line being parsed */
};

static void
series_fini(struct ptest_series *s)
{
    labels_release(&s->ls);
    free(s->s);
}

static void
push(struct ptest_series *s, int64_t t, double v)
{
    /* The store refuses samples that do not move forward. */
    if (s->n > 0 && t <= s->s[s->n - 1].t)
        return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->s = xreallocarray(s->s, s->cap, sizeof(*s->s));
    }
    s->s[s->n].t = t;
    s->s[s->n++].v = v;
}

static void
skip_blanks(struct reader *r)
{
    while (*r->p == ' ' || *r->p == '\t' || *r->p == '\r')
        r->p++;
}

/* A quoted label value with \-escapes, into out. */
static int
quoted(struct reader *r, struct buf *out)
{
    char q = *r->p++;

    buf_reset(out);
    for (; *r->p != q; r->p++) {
        if (*r->p == '\0')
            return -1;
        if (*r->p == '\\' && r->p[1] != '\0') {
            r->p++;
            buf_putc(out, *r->p == 'n' ? '\n' : *r->p);
        } else {
            buf_putc(out, *r->p);
        }
    }
    r->p++;
    return 0;
}

static size_t
name_len(const char *s)
{
    size_t n = 0;

    while (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == ':')
        n++;
    return n;
}

/* label ::= name blanks? '=' blanks? quoted; added to ls. */
static int
parse_label(struct reader *r, struct labels *ls, struct buf *v)
{
    size_t n = name_len(r->p);
    char *name = xstrndup(r->p, n);
    int rc = -1;

    r->p += n;
    skip_blanks(r);
    if (n > 0 && *r->p == '=') {
        r->p++;
        skip_blanks(r);
        if ((*r->p == '"' || *r->p == '\'') && quoted(r, v) == 0) {
            labels_put(ls, name, buf_str(v));
            rc = 0;
        }
    }
    free(name);
    return rc;
}

/* series ::= name? ('{' (label ','?)* '}')? */
static int
parse_ident(struct reader *r, struct labels *ls)
{
    struct buf v;
    size_t n = name_len(r->p);
    char *name;
    int rc = 0;

    memset(ls, 0, sizeof(*ls));
    if (n > 0) {
        name = xstrndup(r->p, n);
        labels_put(ls, LABEL_METRIC_NAME, name);
        free(name);
        r->p += n;
    }
    if (*r->p != '{')
        return n > 0 ? 0 : -1;
    r->p++;
    buf_init(&v, 0);
    for (skip_blanks(r); *r->p != '}' && rc == 0; skip_blanks(r)) {
        rc = parse_label(r, ls, &v);
        skip_blanks(r);
        if (*r->p == ',')
            r->p++;
    }
    buf_fini(&v);
    if (rc == 0)
        r->p++;
    return rc;
}

/* Drops empty values (absent labels) and sorts the set. */
static void
normalise(struct labels *ls)
{
    size_t k = 0;

    for (size_t i = 0; i < ls->n; i++) {
        if (ls->v[i].value[0] == '\0') {
            free((char *)ls->v[i].name);
            free((char *)ls->v[i].value);
        } else {
            ls->v[k++] = ls->v[i];
        }
    }
    ls->n = k;
    labels_sort(ls);
}

/* number ::= [+-]? (inf | nan | digits ('.' digits)? ([eE] [+-]? digits)?),
 * read by hand so that "0x5" is 0 repeated, not hex. */
static int
number(struct reader *r, bool sign, double *out)
{
    const char *s = r->p;
    char tmp[64], *end;
    size_t n = 0;

    if (sign && (s[n] == '+' || s[n] == '-'))
        n++;
    if (strncasecmp(s + n, "inf", 3) == 0 ||
        strncasecmp(s + n, "nan", 3) == 0) {
        n += 3;
    } else {
        while (isdigit((unsigned char)s[n]) || s[n] == '.')
            n++;
        if ((s[n] == 'e' || s[n] == 'E') &&
            (isdigit((unsigned char)s[n + 1]) ||
             ((s[n + 1] == '+' || s[n + 1] == '-') &&
              isdigit((unsigned char)s[n + 2]))))
            for (n += 2; isdigit((unsigned char)s[n]); n++)
                ;
    }
    if (n == 0 || n >= sizeof(tmp))
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    *out = strtod(tmp, &end);
    if (*end != '\0')
        return -1;
    r->p += n;
    return 0;
}

/* 'x' count after a value; 0 when there is none. */
static int
times(struct reader *r, unsigned long *n)
{
    char *end;

    *n = 0;
    if (*r->p != 'x')
        return 0;
    *n = strtoul(r->p + 1, &end, 10);
    if (end == r->p + 1)
        return -1;
    r->p = end;
    return 0;
}

/* item ::= '_' ('x' N)? | 'stale' | V ('x' N)? | V [+-] D 'x' N */
static int
item(struct reader *r, struct ptest_series *s, int64_t step, int64_t *slot)
{
    unsigned long n;
    double v, d = 0;

    if (*r->p == '_') {
        r->p++;
        if (times(r, &n) < 0)
            return -1;
        *slot += n > 0 ? (int64_t)n : 1;
        return 0;
    }
    if (strncmp(r->p, "stale", 5) == 0) {
        r->p += 5;
        push(s, (*slot)++ * step, store_stale_nan());
        return 0;
    }
    if (number(r, true, &v) < 0)
        return -1;
    if (*r->p == '+' || *r->p == '-') {
        bool minus = *r->p++ == '-';

        if (number(r, false, &d) < 0)
            return -1;
        d = minus ? -d : d;
    }
    if (times(r, &n) < 0)
        return -1;
    /* Repeated addition, as the reference adds. */
    for (unsigned long k = 0; k <= n; k++, v += d)
        push(s, (*slot)++ * step, v);
    return 0;
}

/* The current series with labels ls (taken), created when new. */
static struct ptest_series *
series_for(struct reader *r, struct labels *ls)
{
    for (size_t i = 0; i < r->ncur; i++) {
        if (labels_equal(&r->cur[i].ls, ls)) {
            labels_release(ls);
            return &r->cur[i];
        }
    }
    r->cur = xreallocarray(r->cur, r->ncur + 1, sizeof(*r->cur));
    memset(&r->cur[r->ncur], 0, sizeof(r->cur[0]));
    r->cur[r->ncur].ls = *ls;
    return &r->cur[r->ncur++];
}

/* series-line ::= series blanks item (blanks item)* */
static int
load_line(struct reader *r, const char *line, int64_t step)
{
    struct ptest_series *s;
    struct labels ls;
    int64_t slot = 0;

    r->p = line;
    if (parse_ident(r, &ls) < 0) {
        labels_release(&ls);
        return -1;
    }
    normalise(&ls);
    s = series_for(r, &ls);
    for (skip_blanks(r); *r->p != '\0'; skip_blanks(r))
        if (item(r, s, step, &slot) < 0)
            return -1;
    return 0;
}

/* The set the next eval adds to: a copy of the current series when they
 * changed since the last set. */
static struct ptest_set *
current_set(struct reader *r)
{
    struct ptest_set *set;

    if (!r->fresh && r->nsets > 0)
        return &r->sets[r->nsets - 1];
    r->fresh = false;
    r->sets = xreallocarray(r->sets, r->nsets + 1, sizeof(*r->sets));
    set = &r->sets[r->nsets++];
    memset(set, 0, sizeof(*set));
    set->interval = r->interval;
    set->nseries = r->ncur;
    set->series = xcalloc(r->ncur + 1, sizeof(*set->series));
    for (size_t i = 0; i < r->ncur; i++) {
        labels_dup(&set->series[i].ls, &r->cur[i].ls);
        set->series[i].n = set->series[i].cap = r->cur[i].n;
        set->series[i].s = xcalloc(r->cur[i].n + 1, sizeof(struct sample));
        memcpy(set->series[i].s, r->cur[i].s,
               r->cur[i].n * sizeof(struct sample));
    }
    return set;
}

/* eval ::= word 'instant' 'at' duration expression */
static void
add_eval(struct reader *r, const char *line)
{
    const char *at = strstr(line, " at "), *e;
    struct ptest_set *set;

    if (at == NULL)
        return;
    for (at += 4; *at == ' '; at++)
        ;
    e = strchr(at, ' ');
    if (e == NULL)
        return;
    while (*e == ' ')
        e++;
    set = current_set(r);
    for (size_t i = 0; i < set->nexprs; i++)
        if (strcmp(set->exprs[i], e) == 0)
            return;
    set->exprs = xreallocarray(set->exprs, set->nexprs + 1,
                               sizeof(*set->exprs));
    set->exprs[set->nexprs++] = xstrdup(e);
}

static void
clear(struct reader *r)
{
    for (size_t i = 0; i < r->ncur; i++)
        series_fini(&r->cur[i]);
    free(r->cur);
    r->cur = NULL;
    r->ncur = 0;
    r->interval = 0;
    r->fresh = true;
}

/* The lines of the file, trimmed; comments become empty lines. */
static char **
read_lines(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    char line[8192], **v = NULL, *s;
    size_t len;

    *n = 0;
    if (f == NULL)
        return NULL;
    while (fgets(line, sizeof(line), f) != NULL) {
        for (s = line; *s == ' ' || *s == '\t'; s++)
            ;
        len = strcspn(s, "\r\n");
        while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        s[len] = '\0';
        if (s[0] == '#')
            s[0] = '\0';
        v = xreallocarray(v, *n + 1, sizeof(*v));
        v[(*n)++] = xstrdup(s);
    }
    fclose(f);
    return v;
}

/* A load block from line i; the index after it, or -1 with *bad the
 * 1-based line that could not be read. */
static long
load_block(struct reader *r, char **lines, size_t n, size_t i, size_t *bad)
{
    int64_t step;
    const char *d = lines[i] + 4;

    *bad = i + 1;
    while (*d == ' ')
        d++;
    if (duration_parse(d, strlen(d), &step) < 0 || step <= 0)
        return -1;
    if (r->interval == 0 || step < r->interval)
        r->interval = step;
    r->fresh = true;
    for (i++; i < n && lines[i][0] != '\0'; i++) {
        *bad = i + 1;
        if (load_line(r, lines[i], step) < 0)
            return -1;
    }
    return (long)i;
}

long
ptest_read(const char *path, struct ptest_set **sets, char *err,
           size_t errlen)
{
    struct reader r = { .fresh = true };
    size_t n, i = 0, bad;
    char **lines = read_lines(path, &n);
    long next, rc = 0;

    if (lines == NULL) {
        snprintf(err, errlen, "%s: cannot read", path);
        return -1;
    }
    while (i < n && rc == 0) {
        if (strncmp(lines[i], "load ", 5) == 0) {
            if ((next = load_block(&r, lines, n, i, &bad)) < 0) {
                snprintf(err, errlen, "%s:%zu: bad load line", path, bad);
                rc = -1;
            }
            i = next < 0 ? n : (size_t)next;
        } else if (strcmp(lines[i], "clear") == 0) {
            clear(&r);
            i++;
        } else if (strncmp(lines[i], "eval", 4) == 0) {
            add_eval(&r, lines[i]);
            /* Skip the expected results. */
            for (i++; i < n && lines[i][0] != '\0'; i++)
                ;
        } else {
            i++;
        }
    }
    clear(&r);
    for (i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    *sets = r.sets;
    if (rc < 0) {
        ptest_free(r.sets, r.nsets);
        *sets = NULL;
        return -1;
    }
    return (long)r.nsets;
}

void
ptest_free(struct ptest_set *sets, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < sets[i].nseries; k++)
            series_fini(&sets[i].series[k]);
        free(sets[i].series);
        for (size_t k = 0; k < sets[i].nexprs; k++)
            free(sets[i].exprs[k]);
        free(sets[i].exprs);
    }
    free(sets);
}
