/*
 * The budget of one evaluation. Samples are counted the way Prometheus
 * 2.42's engine counts currentSamples: each node's result while a parent
 * still needs it, a step's input vectors while the step's outputs are
 * made, the window of the series a range function is on, a subquery's
 * result until its function is done (the evaluator calls in at each of
 * those places). Time and the cancellation flag are looked at in the same
 * places. Once stopped, an evaluation stays stopped and keeps its first
 * reason.
 */
#include "query/budget.h"

#include "query/evalmat.h"
#include "src/base/duration.h"

/*
 * The clock is read once this much work (roughly: samples looked at)
 * was done since it last was: often enough to stop within a fraction of
 * a second, rarely enough to cost nothing. With an interrupt hook a key
 * is waiting on it, and a unit can cost a microsecond (a sample decoded
 * from a chunk nobody read lately, at a million series), so the hook is
 * asked eight times as often: within a millisecond or so of work. The
 * hook is cheap or limits itself (the TUI's looks at the terminal at
 * most once a millisecond).
 */
#define CLOCK_WORK 4096
#define INTERRUPT_WORK 512

void
qeval_budget_start(struct qev *ev, struct qeval_ctl *ctl)
{
    ev->ctl = ctl;
    ctl->stopped = QEVAL_DONE;
    ctl->folds = 0;
    ev->max = ctl->max_samples > 0 ? ctl->max_samples : 0;
    ev->held = ev->step_in = ev->extra = 0;
    ev->deadline = ctl->timeout_ms > 0
                   ? time_mono_s() + (double)ctl->timeout_ms / 1000 : 0;
}

int
qeval_stop(struct qev *ev, const struct qnode *n, enum qeval_stop why)
{
    /* Prometheus's words (ErrTooManySamples, ErrQueryTimeout and
     * ErrQueryCanceled with the env it uses for them). */
    static const char *const msg[] = {
        [QEVAL_TOO_MANY_SAMPLES] = "query processing would load too many "
                                   "samples into memory in query execution",
        [QEVAL_TIMEOUT] = "query timed out in expression evaluation",
        [QEVAL_CANCELED] = "query was canceled in expression evaluation",
        [QEVAL_INTERRUPTED] = "query was interrupted",
    };

    if (ev->ctl->stopped != QEVAL_DONE)
        return -1;
    qeval_fail(ev, n, "%s", msg[why]);
    ev->ctl->stopped = why;
    return -1;
}

int
qeval_hold(struct qev *ev, const struct qnode *n, int64_t k)
{
    ev->held += k;
    if (k > 0 && ev->held > ev->max)
        return qeval_stop(ev, n, QEVAL_TOO_MANY_SAMPLES);
    return 0;
}

int
qeval_step_begin(struct qev *ev, const struct qnode *n, int64_t k)
{
    if (qeval_work(ev, n, (size_t)k + 1) < 0)
        return -1;
    ev->held += k - ev->step_in;
    ev->step_in = k;
    if (ev->held > ev->max)
        return qeval_stop(ev, n, QEVAL_TOO_MANY_SAMPLES);
    return 0;
}

void
qeval_step_end(struct qev *ev)
{
    ev->held -= ev->step_in;
    ev->step_in = 0;
}

int
qeval_work(struct qev *ev, const struct qnode *n, size_t units)
{
    if (ev->ctl->stopped != QEVAL_DONE)
        return -1;
    if (ev->ctl->cancel != NULL && *ev->ctl->cancel != 0)
        return qeval_stop(ev, n, QEVAL_CANCELED);
    if (ev->deadline == 0 && ev->ctl->interrupt == NULL)
        return 0;
    ev->work += units;
    if (ev->work < (ev->ctl->interrupt != NULL ? INTERRUPT_WORK
                                               : CLOCK_WORK))
        return 0;
    ev->work = 0;
    if (ev->deadline != 0 && time_mono_s() > ev->deadline)
        return qeval_stop(ev, n, QEVAL_TIMEOUT);
    if (ev->ctl->interrupt != NULL
        && ev->ctl->interrupt(ev->ctl->interrupt_ctx))
        return qeval_stop(ev, n, QEVAL_INTERRUPTED);
    return 0;
}

int
qeval_check(struct qev *ev, const struct qnode *n)
{
    return qeval_work(ev, n, 1);
}

bool
qeval_regex_stop(void *ctx)
{
    struct qeval_regex_stop *x = ctx;

    /* A match is costly work: the clock is read at once. */
    return qeval_work(x->ev, x->n, CLOCK_WORK) < 0;
}
