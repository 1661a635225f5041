/* ipvssync.h — the kernel's IPVS connection synchronisation daemons
 * ([global] lvs_sync_daemon = IFACE INSTANCE), tied to one VRRP
 * instance's state like keepalived's: MASTER runs the master daemon,
 * any other state the backup one (both at once with
 * lvs_sync_daemon_both); read back with GET_DAEMON and repaired like the
 * rest; both stopped when lvsd stops. Loop thread only. */
#ifndef LVSD_IPVSSYNC_H
#define LVSD_IPVSSYNC_H

#include <stddef.h>
#include <stdint.h>

#include <lvsd/plugin.h>

#include "ipvssync_msg.h"
#include "model.h"

struct ipvssync;

/* dry: compute, never talk to the kernel (--no-ipvs). 0 or -ENOMEM. */
int ipvssync_new(int dry, struct ipvssync **out);
/* Stops the kernel's sync daemons if lvsd runs them (see
 * ipvssync_configure; none if sync was never configured). */
void ipvssync_free(struct ipvssync *s);

/* [global]'s lvs_sync_daemon* of m (at start and after every reload):
 * which instance to follow and the daemons' parameters. A change of
 * parameters restarts running daemons at the next ipvssync_apply.
 * Ownership: with lvs_sync_daemon lvsd runs the kernel's sync daemons
 * (those found running are taken over: kept if they match, else
 * replaced; extra ones are stopped); its removal stops every one running
 * then (retried every apply until done), after which lvsd leaves them
 * alone, as it does when the key was never given: then ipvssync_apply
 * only reads them back (if ip_vs is loaded) for the status, as not
 * lvsd's. */
void ipvssync_configure(struct ipvssync *s, const struct model *m);
/* The followed instance's name ("" when off): callers pass its states. */
const char *ipvssync_instance(const struct ipvssync *s);
/* The followed instance's state (INIT until the engine reported one:
 * like BACKUP). */
void ipvssync_set_state(struct ipvssync *s, enum lvsd_vrrp_state st);

/* The kernel made to run what is wanted: GET_DAEMON, then DEL_DAEMON /
 * NEW_DAEMON for each daemon that is missing, extra or differs. Failures
 * are logged (once until they change) and kept for the status. 0 or the
 * first -errno. */
int ipvssync_apply(struct ipvssync *s);

/* What the status shows: the daemons wanted and the kernel's as last
 * read back. */
struct ipvssync_view {
	int on;                          /* lvs_sync_daemon configured */
	char instance[MODEL_NAME_MAX];
	enum lvsd_vrrp_state st;         /* the instance's, as followed */
	int both;
	struct ipvssync_daemon want;     /* state 0: none; parameters */
	int want_master, want_backup;
	int run_master, run_backup;      /* read back from the kernel */
	struct ipvssync_daemon kmaster, kbackup; /* valid when run_* */
	uint64_t changes;                /* daemons started or stopped */
	/* [0] master, [1] backup: that daemon's last failure (or one that
	 * concerns both, as reading them back): -errno and a sentence; 0
	 * and "" when none. Never the other daemon's. */
	int err[2];
	char why[2][160];
};
void ipvssync_view(const struct ipvssync *s, struct ipvssync_view *out);

/* lvs_sync_daemon's interface looked up in lvsd's network namespace,
 * now: 0 if it exists (or the key is off), else -ENODEV and why (a
 * sentence, no prefix). lvsd -t warns with it; a start goes on (the
 * interface may come later: the status shows the error). */
int ipvssync_iface_check(const struct model *m, char *why, size_t len);
/* A reload (old -> m) that moves the sync daemons to an interface that
 * does not exist: 1 and in line the refusal (forced 0: nothing must
 * change) or, forced, what applying it anyway does (the log line), else
 * 0. The same interface as before is no new failure: 0. */
int ipvssync_reload_check(const struct model *old, const struct model *m,
			  int forced, char *line, size_t len);

/* Lines for `lvsctl status` and the dump; when off (and no daemon of
 * lvsd's left to stop) only the kernel's daemons that are not lvsd's, if
 * any run. */
void ipvssync_report(const struct ipvssync *s,
		     void (*emit)(void *arg, const char *line), void *arg);

#endif
