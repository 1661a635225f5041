/* apply.h — applying the desired state: the one path to the kernel
 * (desired_build, then rec_apply), the services lvsd owns, and the timers
 * that apply again (a kick, slow-start steps, weight hooks, drift repair). */
#ifndef LVSD_APPLY_H
#define LVSD_APPLY_H

#include "context.h"

/* Reconcile now: ask the weight hooks, recompute the effective weights,
 * build the desired state, dump the kernel and program the difference
 * (repairs drift). 0 or -errno (logged). */
int apply_now(struct daemon *d);
/* The same against what the kernel held after the last apply that
 * succeeded, without a dump (a full one when there is none, or when the
 * kernel refuses an op: drift). Reloads, health changes. */
int apply_known(struct daemon *d);
/* Free what the last apply left as the kernel's known state (at stop). */
void apply_forget(struct daemon *d);
/* A real server's operator change (operator.c, through d->reconcile_server),
 * straight to the kernel: its effective weight recomputed and sent as one
 * IPVS operation (edit, add or delete of that destination), no dump. A
 * full reconcile (apply_now) instead when one is due anyway, for a
 * scheduler with a weight hook, a virtual server whose sorry server stands
 * in (lost quorum), or when the kernel refuses the operation (it drifted).
 * 0 or like apply_now. */
int apply_server(struct daemon *d, struct srv *s);
/* The same for n real servers whose configuration changed (a fast
 * reload, cfgfast.h), one after the other; a server whose destination the
 * kernel holds as it is already (its change is not the kernel's: a check
 * option) costs nothing; the first that needs a full reconcile makes it
 * for all. 0 or like apply_now. */
int apply_servers(struct daemon *d, struct srv *const *v, size_t n);
/* Ask for a reconcile soon (coalesced: one for many calls; apply_known). */
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
