/* context.h — struct daemon, the daemon's context: every part's state in
 * one struct, passed explicitly (there are no other globals). A header
 * only: the parts that read or write the state include this, never
 * daemon.h, so that the daemon (daemon.c, the top) can include them. */
#ifndef LVSD_CONTEXT_H
#define LVSD_CONTEXT_H

#include <stdint.h>
#include <time.h>

#include "ctl.h"
#include "host.h"
#include "model.h"
#include "opstate.h"
#include "plugin.h"
#include "reconcile.h"
#include "servers.h"

struct daemon_opts {
	const char *config;      /* -c */
	const char *plugin_dir;  /* -P, overrides [global] plugin_dir */
	int plugin_insecure;     /* --plugin-insecure, or [global]'s */
	const char *socket;      /* -S, overrides [global] control_socket */
	const char *state_file;  /* overrides [global] state_file */
	int foreground;          /* -n */
	int verbose;             /* -v count */
	int keep_ipvs;           /* --keep-ipvs */
	int no_ipvs;             /* --no-ipvs: compute, do not program IPVS */
	uint32_t sync_interval_ms; /* drift repair period, default 5000 */
};

struct daemon_counters {
	uint64_t reloads;          /* successful */
	uint64_t reload_failures;
	int last_reload_ok;        /* 1 ok, 0 failed, -1 none yet */
	time_t last_reload;        /* wall clock */
	uint64_t reconciles;
	uint64_t reconcile_failures; /* kernel unreadable or ops refused */
	uint64_t last_ops;         /* kernel operations of the last reconcile */
};

struct daemon {
	struct daemon_opts opts;
	struct loop *loop;
	struct host host;
	struct plugin_set plugins;
	struct model *model;
	struct srv_table servers;
	struct opstate ops;         /* the operator layer, persisted (opstore.c) */
	/* what the kernel held of ours after the last apply that succeeded
	 * (apply.c); valid when applied_ok */
	struct rec_service *applied;
	size_t n_applied;
	int applied_ok;
	const char *state_file;     /* owned (a copy, kept across reloads) */
	char ops_hold[384];         /* non-empty: the state file is not written, why */
	unsigned ops_damaged;       /* damaged lines at start: kept aside first */
	size_t ops_bytes;           /* the state file's size, SIZE_MAX: unknown */
	size_t ops_base;            /* its size when last written whole */
	struct loop_timer *ops_expire; /* the next end of an operator_grace */
	struct ipvs *ipvs;          /* NULL: no virtual servers configured */
	/* the [global] timeout_* last found in force in the kernel (apply.c),
	 * seconds; valid when timeouts_ok */
	struct ipvs_timeouts timeouts;
	int timeouts_ok;
	struct ctl *ctl;
	struct health *health;      /* the checks (health.c) */
	struct agent *agent;        /* the agent checks (agent.c) */
	struct checkproc *checkproc; /* the check process (checkproc.c) */
	struct spawner *spawner;    /* notify programs (spawn.c) */
	struct vrrpmgr *vrrp;       /* VRRP instances (vrrpmgr.c) */
	struct ipvssync *ipvssync;  /* IPVS sync daemons (ipvssync.c) */
	struct loop_timer *ipvssync_timer; /* their periodic read-back */
	struct loop_timer *ipvssync_soon;  /* a VRRP state change to follow */
	uint64_t ipvssync_last_us;  /* monotonic time they were last applied */
	struct smtp *smtp;          /* mail alerts (smtp.c) */
	struct snmp *snmp;          /* the AgentX subagent, NULL: off (snmp.c) */
	struct bgp *bgp;            /* the addresses BIRD announces (bgp.c) */
	struct metrics *metrics;    /* the HTTP endpoint, NULL: off (metrics.c) */
	/* vrrp_state as vrrpmgr set it; snmp.c's notification wraps it */
	void (*vrrp_state_next)(void *arg, struct lvsd_vrrp_instance *inst,
				enum lvsd_vrrp_state state, const char *why);
	/* One real server's operator change to the kernel: 0 or -errno.
	 * apply_server (apply.c: one operation, or a full reconcile when that
	 * cannot do), set by daemon_start before any part runs: the way for a
	 * layer below the reconciler (operator.c) to have the kernel follow
	 * a change without calling up into it. */
	int (*reconcile_server)(struct daemon *d, struct srv *s);
	int sigfd;
	struct loop_io *sig_io;
	struct loop_timer *kick;    /* a reconcile is pending */
	struct loop_timer *sync;    /* the periodic drift repair */
	struct loop_timer *ramp;    /* the next slow-start step */
	struct loop_timer *weigh;   /* weight hooks asked again (checks reported) */
	struct loop_timer *watchdog;
	uint64_t watchdog_us;
	uint64_t started_us;
	time_t started;
	int exit_code;
	struct daemon_counters n;
};

#endif
