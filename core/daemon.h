/* daemon.h — the daemon's context and its life: start, reload (SIGHUP),
 * state dump (SIGUSR1), stop (SIGTERM/SIGINT), and the reconcile trigger.
 * One struct daemon is passed explicitly; there are no other globals. */
#ifndef LVSD_DAEMON_H
#define LVSD_DAEMON_H

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
	const char *state_file;     /* owned (a copy, kept across reloads) */
	char ops_hold[384];         /* non-empty: the state file is not written, why */
	unsigned ops_damaged;       /* damaged lines at start: kept aside first */
	size_t ops_bytes;           /* the state file's size, SIZE_MAX: unknown */
	size_t ops_base;            /* its size when last written whole */
	struct loop_timer *ops_expire; /* the next end of an operator_grace */
	struct ipvs *ipvs;          /* NULL: no virtual servers configured */
	struct ctl *ctl;
	struct health *health;      /* the checks (health.c) */
	struct agent *agent;        /* the agent checks (agent.c) */
	struct spawner *spawner;    /* notify programs (spawn.c) */
	struct vrrpmgr *vrrp;       /* VRRP instances (vrrpmgr.c) */
	struct smtp *smtp;          /* mail alerts (smtp.c) */
	struct snmp *snmp;          /* the AgentX subagent, NULL: off (snmp.c) */
	/* vrrp_state as vrrpmgr set it; snmp.c's notification wraps it */
	void (*vrrp_state_next)(void *arg, struct lvsd_vrrp_instance *inst,
				enum lvsd_vrrp_state state, const char *why);
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

/* lvsd -t: parse and validate (plugins loaded), print errors, 0 or 1. */
int daemon_check_config(const struct daemon_opts *opts);
/* Run until stopped; returns the process exit code. */
int daemon_run(const struct daemon_opts *opts);
/* daemon_run's two halves, for tests and the fuzz target: d zeroed but for
 * d->opts (sync_interval_ms set). Start: 0 or -errno (then still stop);
 * the caller runs d->loop. Stop frees everything d holds. */
int daemon_start(struct daemon *d);
void daemon_stop(struct daemon *d);

/* Apply a reload even if it removes every virtual server (or every VRRP
 * instance) of the running daemon. */
#define DAEMON_RELOAD_FORCE 0x1u
/* Re-read the configuration; on error the running one stays. 0 or -errno
 * (errors logged; with errs != NULL also handed over as text lines).
 * -ECANCELED: refused, since it would remove every virtual server or
 * every VRRP instance (an empty or truncated file) and flags lacks
 * DAEMON_RELOAD_FORCE. */
int daemon_reload(struct daemon *d, unsigned flags,
		  void (*errs)(void *arg, const char *line), void *arg);
/* Ask for a reconcile soon (coalesced). */
void daemon_kick(struct daemon *d);
/* Reconcile now: recompute weights, program the kernel. 0 or -errno. */
int daemon_reconcile(struct daemon *d);
/* The SIGUSR1 dump, one line at a time. */
void daemon_dump(struct daemon *d, void (*emit)(void *arg, const char *line),
		 void *arg);

/* The control socket's commands (control.c). */
int control_handle(void *arg, const struct ctl_peer *peer, int argc,
		   char **argv, struct ctl_reply *r, char *err, size_t errlen);

#endif
