/*
 * One dashboard query evaluated on a server, refresh after refresh: the
 * range query over the panel's grid (aligned to multiples of the step, so
 * each point stays put as time passes) and the instant query at now. The
 * grid's points already fetched are kept; a refresh asks only for the
 * steps from the last kept one on (it is asked again: its data may have
 * been late), and every API_RANGE_FULL_MS the whole range is fetched
 * again for data that arrived later still. Grafana's incremental
 * querying works the same way.
 *
 * Ownership: the caller owns an api_range (api_range_free cancels what is
 * in flight). The client is borrowed and must outlive it. The results
 * handed to the callback become the callback's (qresult_free each).
 */
#ifndef API_RANGE_H
#define API_RANGE_H

#include <stdbool.h>
#include <stdint.h>

#include "query/value.h"
#include "src/api/client.h"

/* How often the whole range is fetched again. */
#define API_RANGE_FULL_MS (10 * 60 * 1000)

struct api_range;

/*
 * The answer to a refresh: the range query's matrix over the whole grid
 * (kept points and new ones) and the value at now (an instant vector or
 * scalar, NULL when now is on the grid), both owned by the callback; or
 * error (borrowed for the call) and both NULL.
 */
typedef void (*api_range_fn)(void *ctx, struct qresult *range,
                             struct qresult *at, const char *error);

struct api_range *api_range_new(struct api_client *c);
void api_range_free(struct api_range *r);

/*
 * Refreshes expr over start..end by step (ms, aligned) and at now; when
 * the expression or step differ from the last refresh's, or full is set,
 * the whole grid is fetched. Returns false (and does nothing) while the
 * last refresh is still in flight; done(ctx, ...) runs once per refresh
 * started (perhaps inside this call, when it cannot start).
 */
bool api_range_refresh(struct api_range *r, const char *expr, int64_t start,
                       int64_t end, int64_t step, int64_t now, bool full,
                       api_range_fn done, void *ctx);
/* Forgets the kept points: the next refresh fetches the whole grid. */
void api_range_reset(struct api_range *r);
/* Whether a refresh is in flight. */
bool api_range_busy(const struct api_range *r);
/* Points asked for by the last refresh's range query (one per step). */
int64_t api_range_last_steps(const struct api_range *r);

#endif
