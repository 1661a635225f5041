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
/* Stops the daemons lvsd started (none if sync was never configured). */
void ipvssync_free(struct ipvssync *s);

/* [global]'s lvs_sync_daemon* of m (at start and after every reload):
 * which instance to follow and the daemons' parameters. A change of
 * parameters restarts running daemons at the next ipvssync_apply; no
 * lvs_sync_daemon stops the ones lvsd started and then leaves the
 * kernel's sync daemons alone. vrid: the followed instance's, for the
 * default syncid. */
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
	int last_err;                    /* 0, or the last failure's -errno */
	char why[160];                   /* the last failure, "" none */
};
void ipvssync_view(const struct ipvssync *s, struct ipvssync_view *out);

/* Lines for `lvsctl status` and the dump; nothing when off. */
void ipvssync_report(const struct ipvssync *s,
		     void (*emit)(void *arg, const char *line), void *arg);

#endif
