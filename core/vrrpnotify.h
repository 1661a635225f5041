/* vrrpnotify.h — the programs the core runs for VRRP (the engine runs an
 * instance's notify_master/backup/fault itself): notify_stop, a sync
 * group's notify_* and keepalived's generic notify (PROG TYPE NAME STATE
 * PRIORITY), each through the host's spawn, killed after 30 s. Loop
 * thread only. */
#ifndef LVSD_VRRPNOTIFY_H
#define LVSD_VRRPNOTIFY_H

#include "model.h"

struct host;
struct loop;

/* Where the programs run: the host's spawn (none: nothing runs, said in
 * the log for the generic notify), and the loop that orders them. */
struct vrrpnotify {
	struct loop *loop;
	struct host *host;
};

/* Run prog (an argv; nothing if empty) now. A failure is logged as
 * "WHO: cannot run PROG: reason". */
void vrrpnotify_run(const struct vrrpnotify *n, const struct model_strv *prog,
		    const char *who);

/* The generic notify: prog TYPE NAME STATE PRIORITY, after the notify_*
 * programs of the same change (posted behind them on the loop), or at
 * once (now: the daemon is stopping). Nothing if prog is empty. */
void vrrpnotify_generic(const struct vrrpnotify *n, const struct model_strv *prog,
			const char *type, const char *name, const char *state,
			unsigned prio, int now);

#endif
