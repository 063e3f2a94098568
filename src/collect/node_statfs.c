/*
 * statfs(2) on worker threads with a time limit. One worker serves the
 * calls one after another; when a call overruns the limit, that worker
 * is handed to the stuck list with its mount and a fresh worker serves
 * the next call. Each worker shares one small record with the watch,
 * guarded by its own mutex and freed by whichever side lets go last, so
 * a worker blocked for hours in the kernel outlives the watch safely.
 */
#include "src/collect/node_statfs.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/base/xalloc.h"

struct worker {
    pthread_mutex_t mu;
    pthread_cond_t cv;          /* on CLOCK_MONOTONIC */
    fs_statfs_fn fn;
    char path[4096];
    unsigned asked, answered;   /* calls posted and calls done */
    bool quit;
    int rc, err;
    struct statfs st;
    int refs;                   /* the thread's and the watch's */
};

struct stuck {
    char *key;
    struct worker *w;           /* blocked in this mount's call */
};

struct fs_watch {
    fs_statfs_fn fn;
    int timeout_ms;
    struct worker *cur;         /* serves the next call; NULL: none yet */
    struct stuck *stuck;
    size_t nstuck;
};

/* Drops one reference; the last one frees the record. */
static void
worker_unref_locked(struct worker *w)
{
    bool last = --w->refs == 0;

    pthread_mutex_unlock(&w->mu);
    if (!last)
        return;
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

/* Waits for a call, makes it, posts the answer; until told to quit. */
static void *
worker_main(void *arg)
{
    struct worker *w = arg;
    char path[sizeof(w->path)];
    struct statfs st;
    int rc, err;

    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->quit && w->answered == w->asked)
            pthread_cond_wait(&w->cv, &w->mu);
        if (w->quit)
            break;
        memcpy(path, w->path, sizeof(path));
        pthread_mutex_unlock(&w->mu);
        memset(&st, 0, sizeof(st));
        rc = w->fn(path, &st);
        err = errno;
        pthread_mutex_lock(&w->mu);
        w->rc = rc;
        w->err = err;
        w->st = st;
        w->answered = w->asked;
        pthread_cond_broadcast(&w->cv);
    }
    worker_unref_locked(w);
    return NULL;
}

/*
 * A worker thread, detached, with every signal blocked: SIGINT and the
 * rest must reach the loop's thread. NULL when no thread can be made.
 */
static struct worker *
worker_new(fs_statfs_fn fn)
{
    struct worker *w = xcalloc(1, sizeof(*w));
    pthread_condattr_t ca;
    pthread_attr_t attr;
    sigset_t all, old;
    pthread_t tid;
    int rc;

    pthread_mutex_init(&w->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cv, &ca);
    pthread_condattr_destroy(&ca);
    w->fn = fn;
    w->refs = 2;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    rc = pthread_create(&tid, &attr, worker_main, w);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        free(w);
        return NULL;
    }
    return w;
}

/* Tells the worker to end once it is free, and lets go of it. */
static void
worker_release(struct worker *w)
{
    if (w == NULL)
        return;
    pthread_mutex_lock(&w->mu);
    w->quit = true;
    pthread_cond_broadcast(&w->cv);
    worker_unref_locked(w);
}

struct fs_watch *
fs_watch_new(fs_statfs_fn fn, int timeout_ms)
{
    struct fs_watch *w = xcalloc(1, sizeof(*w));

    w->fn = fn != NULL ? fn : statfs;
    w->timeout_ms = timeout_ms > 0 ? timeout_ms : FS_WATCH_TIMEOUT_MS;
    return w;
}

void
fs_watch_free(struct fs_watch *w)
{
    if (w == NULL)
        return;
    worker_release(w->cur);
    for (size_t i = 0; i < w->nstuck; i++) {
        worker_release(w->stuck[i].w);
        free(w->stuck[i].key);
    }
    free(w->stuck);
    free(w);
}

size_t
fs_watch_stuck(const struct fs_watch *w)
{
    return w->nstuck;
}

/*
 * Whether key is marked stuck. A mark whose call has returned since is
 * taken away (the mount answers again) and false is returned.
 */
static bool
still_stuck(struct fs_watch *w, const char *key)
{
    for (size_t i = 0; i < w->nstuck; i++) {
        struct stuck *s = &w->stuck[i];
        bool back;

        if (strcmp(s->key, key) != 0)
            continue;
        pthread_mutex_lock(&s->w->mu);
        back = s->w->answered == s->w->asked;
        pthread_mutex_unlock(&s->w->mu);
        if (!back)
            return true;
        worker_release(s->w);
        free(s->key);
        *s = w->stuck[--w->nstuck];
        return false;
    }
    return false;
}

static void
deadline_after(struct timespec *ts, int ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* Posts the call to the current worker and waits up to the limit; true
 * when it answered (result in *st, rc and errno). */
static bool
call(struct fs_watch *w, const char *path, struct statfs *st, int *rc)
{
    struct worker *k = w->cur;
    struct timespec until;
    int wrc = 0;
    bool done;

    deadline_after(&until, w->timeout_ms);
    pthread_mutex_lock(&k->mu);
    snprintf(k->path, sizeof(k->path), "%s", path);
    k->asked++;
    pthread_cond_broadcast(&k->cv);
    while (k->answered != k->asked && wrc != ETIMEDOUT)
        wrc = pthread_cond_timedwait(&k->cv, &k->mu, &until);
    done = k->answered == k->asked;
    if (done) {
        *st = k->st;
        *rc = k->rc;
        errno = k->err;
    }
    pthread_mutex_unlock(&k->mu);
    return done;
}

enum fs_watch_result
fs_watch_statfs(struct fs_watch *w, const char *key, const char *path,
                struct statfs *st, bool *newly)
{
    int rc;

    *newly = false;
    if (still_stuck(w, key))
        return FS_WATCH_STUCK;
    if (w->cur == NULL && (w->cur = worker_new(w->fn)) == NULL) {
        errno = EAGAIN;
        return FS_WATCH_ERROR;
    }
    if (call(w, path, st, &rc))
        return rc == 0 ? FS_WATCH_OK : FS_WATCH_ERROR;
    /* The worker stays blocked with this mount; the next call gets a
     * new one. */
    w->stuck = xreallocarray(w->stuck, w->nstuck + 1, sizeof(*w->stuck));
    w->stuck[w->nstuck].key = xstrdup(key);
    w->stuck[w->nstuck].w = w->cur;
    w->nstuck++;
    w->cur = NULL;
    *newly = true;
    return FS_WATCH_STUCK;
}
