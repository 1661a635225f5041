/* health.h — the health manager: runs each real server's checker plugin on
 * its schedule (delay_loop, warmup, retry, delay_before_retry), applies
 * keepalived's rules (down after retry+1 failures in a row, up after one
 * success, or after `rise` in a row), fans one shared check out to every real server with the same
 * target and check, keeps virtual-server quorum with hysteresis, runs
 * notify programs, and asks the daemon to reconcile when health changes. */
#ifndef LVSD_HEALTH_H
#define LVSD_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lvsd/plugin.h>

#include "model.h"
#include "plugin.h"
#include "servers.h"

struct loop;
struct health;

/* How long a notify program may run before it is killed. */
#define HEALTH_NOTIFY_TIMEOUT_MS 30000u

struct health_hooks {
	void *arg;
	/* Health or a quorum changed: reconcile soon (apply_kick). */
	void (*changed)(void *arg);
	/* Run argv (no shell) with a timeout; NULL: notify programs are
	 * logged and not run. */
	int (*spawn)(void *arg, const char *const *argv, uint32_t timeout_ms);
	/* SNMP notifications (snmp.c); NULL: none. A real server went up or
	 * down (s->up is the new state); a virtual server lost or regained
	 * its quorum. */
	void (*rs_changed)(void *arg, const struct srv *s);
	void (*quorum_changed)(void *arg, const struct model_vs *vs, bool lost);
};

/* 0 or -ENOMEM. plugins and loop must outlive h. */
int health_new(struct loop *loop, const struct plugin_set *plugins,
	       const struct health_hooks *hooks, struct health **out);
struct checkproc;
/* Run the checks through the check process (checkproc.h); call before
 * the first health_sync. */
void health_set_checkproc(struct health *h, struct checkproc *cp);
/* Destroys every check (runs in flight are cancelled); no notifications. */
void health_free(struct health *h);

/* Bring the checks in line with t and m (after srv_sync): a check whose
 * definition (checker, target, options, check parameters) is unchanged
 * keeps running with its state; new ones start (after a random part of
 * warmup, if set); those nobody uses any more are destroyed. Real servers
 * sharing one definition share one check. Also (re)computes every virtual
 * server's quorum. 0, -ENOMEM (some checks could not be made), or -EIO (a
 * checker refused a check: its real servers are down, with the reason in
 * their detail); each logged. */
int health_sync(struct health *h, struct srv_table *t, const struct model *m);
/* srv_sync's `gone` callback: s is about to be freed. */
void health_gone(void *arg, struct srv *s);
/* The host's check_done: a plugin's verdict on one run. */
void health_check_done(struct health *h, struct lvsd_check *check,
		       const struct lvsd_check_result *res);

/* Has the virtual server lost its quorum (live weight < quorum -
 * hysteresis, not yet back to quorum + hysteresis)? */
bool health_quorum_lost(const struct health *h, const struct model_vs *vs);
/* The virtual servers with omega set: run notify_down of each live real
 * server and quorum_down where quorum holds. Called at shutdown. */
void health_omega(struct health *h);

/* How many distinct checks exist (shared ones count once). */
size_t health_n_checks(const struct health *h);
/* Seed of the warmup randomness (tests). */
void health_seed(struct health *h, uint64_t seed);

#endif
