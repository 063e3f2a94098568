/*
 * The table of demo jobs and what their generators share: float spelling
 * per client library, sample and family lines, histograms, a seeded
 * generator and the traffic curve. The generators themselves live in
 * demo_go.c (image-gallery, docker), demo_jvm.c (iotd-api) and
 * demo_node.c (access-log); this file only dispatches to them.
 */
#include "src/demo/demo_apps.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"
#include "src/demo/demo_go.h"
#include "src/demo/demo_jvm.h"
#include "src/demo/demo_node.h"

/* ORDER demo_app */
static const struct {
    const char *job, *path, *ctype;
    int replicas;
} apps[] = {
    {"image-gallery", "/metrics",
     "text/plain; version=0.0.4; charset=utf-8", 3},
    {"iotd-api", "/actuator/prometheus",
     "text/plain;version=0.0.4;charset=utf-8", 1},
    {"access-log", "/metrics",
     "text/plain; version=0.0.4; charset=utf-8", 3},
    {"docker", "/metrics",
     "text/plain; version=0.0.4; charset=utf-8", 1},
};
_Static_assert(sizeof apps / sizeof apps[0] == DEMO_APP_COUNT,
               "one row per demo_app");

struct demo_replica {
    enum demo_app app;
    void *state;        /* the generator's own struct, by app */
};

const char *
demo_app_job(enum demo_app a)
{
    assert(a < DEMO_APP_COUNT);
    return apps[a].job;
}

const char *
demo_app_path(enum demo_app a)
{
    assert(a < DEMO_APP_COUNT);
    return apps[a].path;
}

const char *
demo_app_content_type(enum demo_app a)
{
    assert(a < DEMO_APP_COUNT);
    return apps[a].ctype;
}

int
demo_app_replicas(enum demo_app a)
{
    assert(a < DEMO_APP_COUNT);
    return apps[a].replicas;
}

struct demo_replica *
demo_replica_new(enum demo_app a, int index, double wall, uint64_t seed)
{
    struct demo_replica *r = xmalloc(sizeof *r);

    r->app = a;
    switch (a) {
    case DEMO_GALLERY:   r->state = demo_gallery_new(index, wall, seed); break;
    case DEMO_IOTD:      r->state = demo_iotd_new(index, wall, seed); break;
    case DEMO_ACCESSLOG: r->state = demo_alog_new(index, wall, seed); break;
    case DEMO_DOCKER:    r->state = demo_docker_new(index, wall, seed); break;
    default:             abort();
    }
    return r;
}

void
demo_replica_free(struct demo_replica *r)
{
    if (r == NULL)
        return;
    switch (r->app) {
    case DEMO_GALLERY:   demo_gallery_free(r->state); break;
    case DEMO_IOTD:      demo_iotd_free(r->state); break;
    case DEMO_ACCESSLOG: demo_alog_free(r->state); break;
    case DEMO_DOCKER:    demo_docker_free(r->state); break;
    default:             abort();
    }
    free(r);
}

void
demo_replica_step(struct demo_replica *r, const struct demo_world *w,
                  double dt)
{
    switch (r->app) {
    case DEMO_GALLERY:   demo_gallery_step(r->state, w, dt); break;
    case DEMO_IOTD:      demo_iotd_step(r->state, w, dt); break;
    case DEMO_ACCESSLOG: demo_alog_step(r->state, w, dt); break;
    case DEMO_DOCKER:    demo_docker_step(r->state, w, dt); break;
    default:             abort();
    }
}

void
demo_replica_render(struct demo_replica *r, const struct demo_world *w,
                    struct buf *out)
{
    switch (r->app) {
    case DEMO_GALLERY:   demo_gallery_render(r->state, w, out); break;
    case DEMO_IOTD:      demo_iotd_render(r->state, w, out); break;
    case DEMO_ACCESSLOG: demo_alog_render(r->state, w, out); break;
    case DEMO_DOCKER:    demo_docker_render(r->state, w, out); break;
    default:             abort();
    }
}

/*
 * The shortest decimal digits that read back as v (v finite, > 0): the
 * digits go to d without a point, *exp is the power of ten of the first.
 * Every client library here prints the shortest round-trip form; they
 * only differ in layout.
 */
static int
shortest_digits(double v, char d[20], int *exp)
{
    char tmp[40], *p, *end;
    int n = 0;

    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    for (p = tmp; *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            d[n++] = *p;
    *exp = (int)strtol(p + 1, &end, 10);
    while (n > 1 && d[n - 1] == '0')
        n--;
    d[n] = '\0';
    return n;
}

/* Positional layout of digits d (n of them) with exponent exp. */
static void
put_fixed(struct buf *out, const char *d, int n, int exp, int need_frac)
{
    if (exp < 0) {
        buf_puts(out, "0.");
        for (int i = -1; i > exp; i--)
            buf_putc(out, '0');
        buf_append(out, d, (size_t)n);
        return;
    }
    for (int i = 0; i <= exp || i < n; i++) {
        if (i == exp + 1)
            buf_putc(out, '.');
        buf_putc(out, i < n ? d[i] : '0');
    }
    if (n <= exp + 1 && need_frac)
        buf_puts(out, ".0");
}

/* Scientific layout: d.ddd, marker, exponent (Go pads it to 2 digits). */
static void
put_sci(struct buf *out, const char *d, int n, int exp, enum demo_numfmt f)
{
    buf_putc(out, d[0]);
    if (n > 1) {
        buf_putc(out, '.');
        buf_append(out, d + 1, (size_t)n - 1);
    } else if (f == DEMO_NUM_JAVA) {
        buf_puts(out, ".0");
    }
    if (f == DEMO_NUM_JAVA)
        buf_printf(out, "E%d", exp);
    else if (f == DEMO_NUM_GO)
        buf_printf(out, "e%c%02d", exp < 0 ? '-' : '+', abs(exp));
    else
        buf_printf(out, "e%c%d", exp < 0 ? '-' : '+', abs(exp));
}

void
demo_num(struct buf *out, double v, enum demo_numfmt f)
{
    char d[20];
    int n, exp, fixed;

    if (isnan(v)) {
        buf_puts(out, "NaN");
        return;
    }
    if (isinf(v)) {
        buf_puts(out, v > 0 ? "+Inf" : "-Inf");
        return;
    }
    if (v == 0) {
        buf_puts(out, f == DEMO_NUM_JAVA ? "0.0" : "0");
        return;
    }
    if (v < 0)
        buf_putc(out, '-');
    n = shortest_digits(fabs(v), d, &exp);
    if (f == DEMO_NUM_GO)
        fixed = exp >= -4 && exp < 6;     /* strconv's eprec 6 */
    else if (f == DEMO_NUM_JAVA)
        fixed = exp >= -3 && exp < 7;
    else
        fixed = exp >= -7 && exp < 21;
    if (fixed)
        put_fixed(out, d, n, exp, f == DEMO_NUM_JAVA);
    else
        put_sci(out, d, n, exp, f);
}

void
demo_sample(struct buf *out, const char *name, const char *labels,
            double v, enum demo_numfmt f)
{
    buf_puts(out, name);
    if (labels != NULL && labels[0] != '\0')
        buf_printf(out, "{%s}", labels);
    buf_putc(out, ' ');
    demo_num(out, v, f);
    buf_putc(out, '\n');
}

void
demo_family(struct buf *out, const char *name, const char *type,
            const char *help)
{
    buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void
demo_hist_init(struct demo_hist *h, const double *le, size_t n)
{
    assert(n <= DEMO_HIST_MAX);
    memset(h, 0, sizeof *h);
    h->le = le;
    h->n = n;
}

void
demo_hist_observe(struct demo_hist *h, double v)
{
    size_t i = 0;

    while (i < h->n && v > h->le[i])
        i++;
    if (i < h->n)
        h->in[i]++;
    h->count++;
    h->sum += v;
}

uint64_t
demo_hist_cum(const struct demo_hist *h, size_t i)
{
    uint64_t c = 0;

    if (i >= h->n)
        return h->count;
    for (size_t j = 0; j <= i; j++)
        c += h->in[j];
    return c;
}

const double demo_go_buckets[11] = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
};

uint64_t
demo_rng(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

double
demo_rng_unit(uint64_t *s)
{
    return (double)(demo_rng(s) >> 11) * 0x1.0p-53;
}

double
demo_rng_normal(uint64_t *s)
{
    double u = demo_rng_unit(s), v = demo_rng_unit(s);

    /* Box-Muller; 1 - u keeps the logarithm away from zero. */
    return sqrt(-2.0 * log(1.0 - u)) * cos(2.0 * M_PI * v);
}

unsigned
demo_take(double *acc, double expected)
{
    double whole;

    *acc += expected > 0 ? expected : 0;
    whole = floor(*acc);
    *acc -= whole;
    return (unsigned)whole;
}

double
demo_traffic(double t)
{
    /* A slow swell, a faster ripple and a little jitter-like wave. */
    return 6.0 + 2.5 * sin(2 * M_PI * t / 300.0)
         + 1.2 * sin(2 * M_PI * t / 53.0 + 1.0)
         + 0.6 * sin(2 * M_PI * t / 17.0 + 2.0);
}

double
demo_error_ratio(double t, int index)
{
    double r = 0.015 + 0.008 * sin(2 * M_PI * t / 200.0 + index);
    double phase = fmod(t + 70.0 * index + 40.0, 360.0);

    /* Now and then a burst of failures, rising and falling in 15 s. */
    if (phase < 15.0)
        r += 0.25 * sin(M_PI * phase / 15.0);
    return r;
}
