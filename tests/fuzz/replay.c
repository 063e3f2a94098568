/*
 * Runs a libFuzzer harness without libFuzzer: linked with any one
 * tests/fuzz/fuzz_NAME.c by the ordinary build, it calls
 * LLVMFuzzerTestOneInput once on each file named on the command line and
 * on every file under each folder named (recursively, in name order, so
 * runs repeat), and prints one summary line. make check replays the
 * seeds and the regression inputs this way (tests/fuzz/run.sh --replay),
 * under the sanitizers in make asan. It does not fuzz, mutate or minimise.
 *
 * When an input crashes the harness, hangs it (REPLAY_SECONDS each) or
 * makes a sanitizer give up, the last line printed names that input.
 *
 * Usage: NAME [FILE | FOLDER]...   (missing paths are skipped)
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The sanitizers' hook for their reports' end; absent in a plain build. */
void __sanitizer_set_death_callback(void (*cb)(void))
    __attribute__((weak));

/* How long one input may run: every seed takes well under a second, so
 * more is a hang (a sanitizer build gets three times as long). */
#define REPLAY_SECONDS 10

/* "replay: NAME: crashed on PATH\n", kept ready for the handlers. */
static char crash_line[4200];
static size_t crash_len;
static const char *prog = "replay";

/* Prepares the line the fatal handlers print for the input at path. */
static void
set_current(const char *path)
{
    int n = snprintf(crash_line, sizeof(crash_line),
                     "\n%s: crashed or timed out on %s\n", prog, path);

    crash_len = n < 0 ? 0 : (size_t)n < sizeof(crash_line)
                                ? (size_t)n : sizeof(crash_line) - 1;
}

static void
say_current(void)
{
    if (crash_len > 0 && write(STDERR_FILENO, crash_line, crash_len) < 0)
        crash_len = 0;
}

/* A crash or a hang: name the input, then die of the signal. */
static void
on_fatal(int sig)
{
    say_current();
    signal(sig, SIG_DFL);
    raise(sig);
}

/*
 * The handlers run on their own stack, so an overflow is named too. Under
 * a sanitizer, whose own report of a crash is worth more, only abort
 * (the harnesses' "wrong answer") and the timer are handled here, and the
 * sanitizer names the input when it gives up.
 */
static void
install_handlers(void)
{
    static const int sigs[] = { SIGABRT, SIGALRM, SIGSEGV, SIGBUS, SIGFPE,
                                SIGILL };
    static char stack[64 * 1024];
    stack_t ss = { .ss_sp = stack, .ss_size = sizeof(stack) };
    bool sanitized = __sanitizer_set_death_callback != NULL;
    struct sigaction sa;

    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_fatal;
    sa.sa_flags = SA_ONSTACK | SA_NODEFER;
    for (size_t i = 0; i < (sanitized ? 2 : sizeof(sigs) / sizeof(sigs[0]));
         i++)
        sigaction(sigs[i], &sa, NULL);
    if (sanitized)
        __sanitizer_set_death_callback(say_current);
}

/* Reads the whole file at path into a malloc'd buffer of exactly its
 * size, so a harness that reads one byte too far is caught. */
static int
run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data = NULL;
    size_t n = 0, cap = 0, got;

    if (f == NULL) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        return -1;
    }
    do {
        if (n == cap) {
            cap = cap ? 2 * cap : 4096;
            if ((data = realloc(data, cap)) == NULL)
                abort();
        }
        got = fread(data + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    if (n > 0 && (data = realloc(data, n)) == NULL)
        abort();
    set_current(path);
    alarm(__sanitizer_set_death_callback != NULL ? 3 * REPLAY_SECONDS
                                                 : REPLAY_SECONDS);
    LLVMFuzzerTestOneInput(data, n);
    alarm(0);
    free(data);
    return 0;
}

static int
by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path, size_t *count);

/* Every entry of folder dir but dot files, in name order. */
static int
run_dir(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;
    int rc = 0;

    if (d == NULL) {
        fprintf(stderr, "%s: %s: %s\n", prog, dir, strerror(errno));
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(dir) + strlen(e->d_name) + 2;

        if (e->d_name[0] == '.')
            continue;
        if ((names = realloc(names, (n + 1) * sizeof(*names))) == NULL
            || (names[n] = malloc(len)) == NULL)
            abort();
        snprintf(names[n++], len, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(*names), by_name);
    for (size_t i = 0; i < n; i++) {
        if (run_path(names[i], count) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

static int
run_path(const char *path, size_t *count)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (S_ISDIR(st.st_mode))
        return run_dir(path, count);
    if (run_file(path) != 0)
        return -1;
    ++*count;
    return 0;
}

int
main(int argc, char **argv)
{
    size_t count = 0;
    int rc = 0;

    if (argc > 0) {
        const char *slash = strrchr(argv[0], '/');

        prog = slash != NULL ? slash + 1 : argv[0];
    }
    install_handlers();
    for (int i = 1; i < argc; i++)
        if (run_path(argv[i], &count) != 0)
            rc = 1;
    printf("%s: %zu inputs replayed, %s\n", prog, count,
           rc == 0 ? "no crash" : "some could not be read");
    return rc;
}
