/*
 * The built-in collectors' table and what they share: the set opened at
 * start-up (one pool source per collector), file reading under a root
 * into a reused buffer, and the exposition writer. The collectors
 * themselves live in their own files (node*.c for this host).
 */
#include "src/collect/collect.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/base/json.h"
#include "src/base/utf8.h"
#include "src/base/xalloc.h"
#include "src/collect/cgroup.h"
#include "src/collect/node.h"

const struct collector_ops *const collect_builtins[] = {
    &node_collector_ops,
    &cgroup_collector,
    NULL,
};

/* A kernel file is small; anything bigger than this is not one. */
#define MAX_FILE (16u << 20)

struct collect_one {
    const struct collector_ops *ops;
    void *state;                /* NULL: did not open */
    struct scrape_builtin builtin;
    char error[256];
};

struct collect_set {
    struct collect_one *v;
    size_t n;
};

struct collect_set *
collect_set_open(const char *root)
{
    struct collect_set *s = xcalloc(1, sizeof(*s));
    size_t n = 0;

    while (collect_builtins[n] != NULL)
        n++;
    s->v = xcalloc(n + 1, sizeof(*s->v));
    s->n = n;
    for (size_t i = 0; i < n; i++) {
        struct collect_one *o = &s->v[i];

        o->ops = collect_builtins[i];
        o->state = o->ops->open(root, o->error, sizeof(o->error));
        if (o->state == NULL && o->error[0] == '\0')
            snprintf(o->error, sizeof(o->error), "cannot start");
        o->builtin.name = o->ops->job;
        o->builtin.collect = o->ops->collect;
        o->builtin.ctx = o->state;
        o->builtin.poll = o->ops->poll;
    }
    return s;
}

void
collect_set_free(struct collect_set *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n; i++)
        s->v[i].ops->close(s->v[i].state);
    free(s->v);
    free(s);
}

size_t
collect_set_count(const struct collect_set *s)
{
    return s->n;
}

const char *
collect_set_job(const struct collect_set *s, size_t i)
{
    return s->v[i].ops->job;
}

const struct scrape_builtin *
collect_set_builtin(const struct collect_set *s, size_t i)
{
    return s->v[i].state != NULL ? &s->v[i].builtin : NULL;
}

const char *
collect_set_error(const struct collect_set *s, size_t i)
{
    return s->v[i].state != NULL ? "" : s->v[i].error;
}

/* read(2) into b until end of file, retrying on EINTR. */
static int
read_all(int fd, struct buf *b)
{
    char chunk[16384];
    ssize_t n;

    for (;;) {
        n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -1 : 0;
        if (buf_append(b, chunk, (size_t)n) != 0) {
            errno = EFBIG;
            return -1;
        }
    }
}

/*
 * Plain open/read rather than buf_read_file: a collection reads a dozen
 * files several times a second for as long as promdeck runs, and this
 * keeps one buffer's memory and skips stdio.
 */
int
collect_read(const char *root, const char *path, struct buf *b, char *err,
             size_t errsz)
{
    char full[4096];
    int fd, rc, saved;

    if (b->max == 0)
        b->max = MAX_FILE;
    buf_reset(b);
    snprintf(full, sizeof(full), "%s%s", root, path);
    if ((fd = open(full, O_RDONLY | O_CLOEXEC)) < 0) {
        saved = errno;
        snprintf(err, errsz, "%s: %s", path, strerror(saved));
        errno = saved;
        return -1;
    }
    rc = read_all(fd, b);
    saved = errno;
    close(fd);
    if (rc < 0) {
        snprintf(err, errsz, "%s: %s", path, strerror(saved));
        errno = saved;
        return -1;
    }
    buf_putc(b, '\0');      /* data is a C string even when empty */
    b->len--;
    return 0;
}

void
collect_hostname(const char *root, char *out, size_t size)
{
    struct buf b;
    char err[64];
    size_t n;

    buf_init(&b, 4096);
    if (collect_read(root, "/proc/sys/kernel/hostname", &b, err,
                     sizeof(err)) == 0 && b.len > 0) {
        n = strcspn(b.data, "\n");
        snprintf(out, size, "%.*s", (int)n, b.data);
    } else if (root[0] != '\0' || gethostname(out, size) != 0) {
        out[0] = '\0';
    }
    if (size > 0)
        out[size - 1] = '\0';
    if (out[0] == '\0')
        snprintf(out, size, "localhost");
    buf_fini(&b);
}

int
collect_fields(char **p, char **f, int max)
{
    char *s = *p, *eol;
    int n = 0;

    if (*s == '\0')
        return -1;
    eol = strchr(s, '\n');
    if (eol != NULL)
        *eol = '\0';
    *p = eol != NULL ? eol + 1 : s + strlen(s);
    while (n < max) {
        s += strspn(s, " \t");
        if (*s == '\0')
            break;
        f[n++] = s;
        if (n == max)
            break;
        s += strcspn(s, " \t");
        if (*s != '\0')
            *s++ = '\0';
    }
    return n;
}

/*
 * Kernel files are nearly all unsigned integers: those are read without
 * strtod, which costs several times more and dominated a collection.
 * Anything else (a fraction, a sign, more than 19 digits) goes to strtod.
 */
int
collect_number(const char *s, double *v)
{
    unsigned long long n = 0;
    const char *p = s;
    char *end;

    while (*p >= '0' && *p <= '9' && p - s < 19)
        n = n * 10 + (unsigned long long)(*p++ - '0');
    if (*p == '\0' && p != s) {
        *v = (double)n;
        return 0;
    }
    errno = 0;
    *v = strtod(s, &end);
    return (end == s || *end != '\0' || errno == ERANGE) ? -1 : 0;
}

void
collect_family(struct buf *out, const char *name, const char *help,
               const char *type)
{
    /* buf_puts, not buf_printf: a collection writes hundreds of these
     * and printf's parsing was a good part of its cost. */
    buf_puts(out, "# HELP ");
    buf_puts(out, name);
    buf_putc(out, ' ');
    buf_puts(out, help);
    buf_puts(out, "\n# TYPE ");
    buf_puts(out, name);
    buf_putc(out, ' ');
    buf_puts(out, type);
    buf_putc(out, '\n');
}

/*
 * A label value as the text format escapes it: \\, \" and \n. Kernel
 * names are bytes (a mount point, an interface), and one that is not
 * UTF-8 would fail the whole scrape, so each invalid byte becomes U+FFFD.
 */
static void
put_value(struct buf *out, const char *s)
{
    size_t n = strlen(s), w;
    uint32_t cp;

    while (n > 0) {
        if ((unsigned char)*s >= 0x80) {
            if ((w = utf8_decode(s, n, &cp)) == 0) {
                utf8_put(0xfffd, out);
                w = 1;
            } else {
                buf_append(out, s, w);
            }
            s += w;
            n -= w;
            continue;
        }
        if (*s == '\\' || *s == '"')
            buf_putc(out, '\\');
        if (*s == '\n')
            buf_puts(out, "\\n");
        else
            buf_putc(out, *s);
        s++;
        n--;
    }
}

/*
 * v as the text format wants it. Whole numbers below 2^53 (counts,
 * bytes) are written digit by digit, the same text the shortest
 * round-trip form gives, without its cost; the rest go through
 * json_format_value.
 */
static void
put_number(struct buf *out, double v)
{
    char digits[24], *p = digits + sizeof(digits);
    unsigned long long n;

    if (!(v >= 0 && v < 9007199254740992.0) || v != (double)(long long)v) {
        json_format_value(v, out);
        return;
    }
    n = (unsigned long long)v;
    do {
        *--p = (char)('0' + n % 10);
        n /= 10;
    } while (n > 0);
    buf_append(out, p, (size_t)(digits + sizeof(digits) - p));
}

void
collect_sample(struct buf *out, const char *name, const char *const *lv,
               double v)
{
    buf_puts(out, name);
    if (lv != NULL && lv[0] != NULL) {
        buf_putc(out, '{');
        for (size_t i = 0; lv[i] != NULL; i += 2) {
            if (i > 0)
                buf_putc(out, ',');
            buf_puts(out, lv[i]);
            buf_puts(out, "=\"");
            put_value(out, lv[i + 1]);
            buf_putc(out, '"');
        }
        buf_putc(out, '}');
    }
    buf_putc(out, ' ');
    put_number(out, v);
    buf_putc(out, '\n');
}

void
collect_note(char *err, size_t errsz, const char *what, const char *reason)
{
    size_t len = strlen(err);

    if (len + 1 >= errsz)
        return;
    snprintf(err + len, errsz - len, "%s%s: %s", len > 0 ? "; " : "",
             what, reason);
}
