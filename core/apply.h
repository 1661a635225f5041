/* apply.h — applying the desired state: the one path to the kernel
 * (desired_build, then rec_apply), the services lvsd owns, and the timers
 * that apply again (a kick, slow-start steps, weight hooks, drift repair). */
#ifndef LVSD_APPLY_H
#define LVSD_APPLY_H

#include "context.h"

/* Reconcile now: ask the weight hooks, recompute the effective weights,
 * build the desired state and program the kernel. 0 or -errno (logged). */
int apply_now(struct daemon *d);
/* Ask for a reconcile soon (coalesced: one for many calls). */
void apply_kick(struct daemon *d);
/* Ask the scheduler weight hooks again soon (checks reported latencies). */
void apply_weigh_soon(struct daemon *d);
/* The periodic drift repair (a loop_fn, arg the daemon; it re-arms itself). */
void apply_on_sync(void *arg);
/* Log a refused kernel operation (a rec_error_fn). */
void apply_rec_error(void *arg, const char *what, int err);
/* The owned services of s as kernel keys (*out NULL if none; free it). */
void apply_owned_keys(const struct opstate *s, struct ipvs_service **out);

#endif
