/*
 * The x* allocation family and its fatal exit. Each fatal case runs in a
 * forked child with stderr on a pipe, so the test sees the order of the
 * hook and the message and that the child died of SIGABRT.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "src/base/xalloc.h"

/* Writes s to stderr unbuffered, so it lands before the fatal message. */
static void
say(const char *s)
{
    ssize_t rc = write(2, s, strlen(s));

    (void)rc;
}

static void
hook_mark(void)
{
    say("hook\n");
}

/* A hook that fails too: the fatal path must not run it a second time. */
static void
hook_fails(void)
{
    say("hook\n");
    xalloc_fatal("the hook failed", 0);
}

/*
 * Runs body in a child with hook registered and stderr captured into out
 * (cap bytes, NUL-terminated); returns the signal that ended the child,
 * or 0 when it exited normally.
 */
static int
run_child(void (*hook)(void), void (*body)(void), char *out, size_t cap)
{
    int fds[2], status;
    size_t n = 0;
    ssize_t r;
    pid_t pid;

    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rlimit no_core = { 0, 0 };

        setrlimit(RLIMIT_CORE, &no_core);
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        xalloc_set_fatal_hook(hook);
        body();
        _exit(0);
    }
    close(fds[1]);
    while (n + 1 < cap && (r = read(fds[0], out + n, cap - 1 - n)) > 0)
        n += (size_t)r;
    out[n] = '\0';
    close(fds[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void
body_oom(void)
{
    xalloc_fatal(NULL, 123);
}

static void
body_reason(void)
{
    xalloc_fatal("curl_easy_init failed", 0);
}

static void
body_reason_size(void)
{
    xalloc_fatal("arena block", 4096);
}

static void
body_overflow(void)
{
    void *p = xreallocarray(NULL, SIZE_MAX / 2 + 1, 2);

    free(p);
}

static void
test_fatal_out_of_memory(void **state)
{
    char out[256];

    (void)state;
    assert_int_equal(run_child(hook_mark, body_oom, out, sizeof(out)),
                     SIGABRT);
    assert_string_equal(out,
                        "hook\npromdeck: out of memory (wanted 123 bytes)\n");
}

static void
test_fatal_reason(void **state)
{
    char out[256];

    (void)state;
    assert_int_equal(run_child(hook_mark, body_reason, out, sizeof(out)),
                     SIGABRT);
    assert_string_equal(out, "hook\npromdeck: curl_easy_init failed\n");
    assert_int_equal(run_child(hook_mark, body_reason_size, out,
                               sizeof(out)), SIGABRT);
    assert_string_equal(out,
                        "hook\npromdeck: arena block (wanted 4096 bytes)\n");
}

static void
test_fatal_without_hook(void **state)
{
    char out[256];

    (void)state;
    assert_int_equal(run_child(NULL, body_reason, out, sizeof(out)),
                     SIGABRT);
    assert_string_equal(out, "promdeck: curl_easy_init failed\n");
}

static void
test_fatal_hook_runs_once(void **state)
{
    char out[256];

    (void)state;
    assert_int_equal(run_child(hook_fails, body_reason, out, sizeof(out)),
                     SIGABRT);
    assert_string_equal(out, "hook\npromdeck: the hook failed\n");
}

static void
test_overflow_is_fatal(void **state)
{
    char out[256], want[128];

    (void)state;
    snprintf(want, sizeof(want),
             "hook\npromdeck: out of memory (wanted %zu bytes)\n", SIZE_MAX);
    assert_int_equal(run_child(hook_mark, body_overflow, out, sizeof(out)),
                     SIGABRT);
    assert_string_equal(out, want);
}

static void
test_strings(void **state)
{
    char *a = xstrndup("promdeck", 4), *b = xasprintf("%s-%d", a, 42);
    int *v = xreallocarray(NULL, 4, sizeof(*v));

    (void)state;
    assert_string_equal(a, "prom");
    assert_string_equal(b, "prom-42");
    for (int i = 0; i < 4; i++)
        v[i] = i * i;
    v = xreallocarray(v, 1000, sizeof(*v));
    assert_int_equal(v[3], 9);
    free(v);
    free(b);
    free(a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fatal_out_of_memory),
        cmocka_unit_test(test_fatal_reason),
        cmocka_unit_test(test_fatal_without_hook),
        cmocka_unit_test(test_fatal_hook_runs_once),
        cmocka_unit_test(test_overflow_is_fatal),
        cmocka_unit_test(test_strings),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
