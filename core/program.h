/* program.h — the daemon's side of the reconciler (see program.c).
 * daemon_reconcile and daemon_kick are declared in daemon.h, where the
 * control socket and SNMP find them. */
#ifndef LVSD_PROGRAM_H
#define LVSD_PROGRAM_H

#include "daemon.h"

/* Log a refused kernel operation (a rec_error_fn). */
void program_rec_error(void *arg, const char *what, int err);
/* The owned services of s as kernel keys (*out NULL if none; free it). */
void program_owned_keys(const struct opstate *s, struct ipvs_service **out);
/* Ask the scheduler weight hooks again soon (checks reported latencies). */
void program_weigh_soon(struct daemon *d);
/* The periodic drift repair (a loop_fn; it re-arms itself). */
void program_on_sync(void *arg);

#endif
