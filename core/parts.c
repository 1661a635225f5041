/* parts.c — the daemon's parts started and hooked up: check results and
 * health changes (health.c, agent.c), VRRP (vrrpmgr.c), SNMP (snmp.c) and
 * mail (smtp.c) plugged into the host table and the reconciler (apply.c). */
#include "parts.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "agent.h"
#include "apply.h"
#include "bgp.h"
#include "health.h"
#include "ipvssync.h"
#include "log.h"
#include "schedrs.h"
#include "loop.h"
#include "smtp.h"
#include "metrics.h"
#include "snmpload.h"
#include "spawn.h"
#include "vrrpmgr.h"

/* ----------------------------------------- health (health.c, spawn.c) */

static void on_check_done(void *arg, struct lvsd_check *check,
			  const struct lvsd_check_result *res)
{
	struct daemon *d = arg;

	if (agent_owns(d->agent, check)) { /* agent.c's, else health.c's */
		agent_check_done(d->agent, check, res);
	} else {
		health_check_done(d->health, check, res);
		apply_weigh_soon(d); /* a new latency for the weight hooks */
	}
}

static int on_spawn(void *arg, const char *const *argv, uint32_t timeout_ms)
{
	return spawn_run(((struct daemon *)arg)->spawner, argv, timeout_ms);
}

static struct lvsd_prog *on_prog_run(void *arg,
				     const struct lvsd_prog_spec *spec,
				     lvsd_prog_fn fn, void *fn_arg, int *err)
{
	return (struct lvsd_prog *)prog_run(((struct daemon *)arg)->spawner,
					    spec, fn, fn_arg, err);
}

static void on_prog_cancel(void *arg, struct lvsd_prog *p)
{
	prog_cancel(((struct daemon *)arg)->spawner, (struct prog *)p);
}

static void on_weigh_soon(void *arg)
{
	if (!schedrs_in_hook()) /* schedrs.c: not from a weight hook */
		apply_weigh_soon(arg);
}

static void on_health_changed(void *arg)
{
	apply_kick(arg);
}

/* SNMP notifications (snmp.c) */
static void on_rs_changed(void *arg, const struct srv *s)
{
	struct daemon *d = arg;
	char ap[80], subject[200], body[300];

	snmpload_notify_rs(d->snmp, s);
	model_addrport_str(&s->addr, s->port, ap, sizeof(ap));
	snprintf(subject, sizeof(subject), "real server %s (%s) %s", ap,
		 s->vs_name, s->up ? "up" : "down");
	snprintf(body, sizeof(body), "lvsd: real server %s of virtual server %s is %s%s%s\n",
		 ap, s->vs_name, s->up ? "up" : "down", s->last_detail[0] ? ": " : "",
		 s->last_detail);
	smtp_alert(d->smtp, &d->model->global, subject, body);
}

static void on_quorum_changed(void *arg, const struct model_vs *vs, bool lost)
{
	struct daemon *d = arg;
	char subject[200];

	snmpload_notify_quorum(d->snmp, vs, lost);
	bgp_update(d->bgp, d->model); /* announced while quorum holds */
	snprintf(subject, sizeof(subject), "virtual server %s quorum %s", vs->name,
		 lost ? "lost" : "regained");
	smtp_alert(d->smtp, &d->model->global, subject, subject);
}

int parts_health(struct daemon *d)
{
	struct health_hooks hooks = {
		.arg = d, .changed = on_health_changed, .spawn = on_spawn,
		.rs_changed = on_rs_changed, .quorum_changed = on_quorum_changed,
	};
	int r;

	d->host.check_done = on_check_done;
	d->host.spawn = on_spawn;
	d->host.prog_run = on_prog_run;
	d->host.prog_cancel = on_prog_cancel;
	d->host.weigh_soon = on_weigh_soon;
	if ((r = spawner_new(d->loop, &d->spawner)) < 0)
		return r;
	return health_new(d->loop, &d->plugins, &hooks, &d->health);
}
/* ------------------------------------------------------ end of health */

/* ------------------------------------------ agent checks (agent.c) */
static void on_agent_changed(void *arg)
{
	apply_kick(arg);
}

int parts_agent(struct daemon *d)
{
	struct agent_hooks hooks = { .arg = d, .changed = on_agent_changed };

	return agent_new(d->loop, &d->plugins, &hooks, &d->agent);
}

/* srv_sync's `gone`: a real server left the configuration. */
void parts_srv_gone(void *arg, struct srv *s)
{
	struct daemon *d = arg;

	health_gone(d->health, s);
	agent_gone(d->agent, s);
	schedrs_gone(s); /* the scheduler frees its state (rs_detach) */
}
/* ------------------------------------------------ end of agent checks */

/* ----------------------------------------------------- VRRP (vrrpmgr.c) */

/* The host API's vip_add/vip_del/link_up (any thread: d->vrrp is set
 * before any instance runs and cleared after the last one stopped) and
 * vrrp_state (loop thread). */
static int on_vip_add(void *arg, const struct lvsd_vip *vip)
{
	return vrrpmgr_vip_add(((struct daemon *)arg)->vrrp, vip);
}

static int on_vip_del(void *arg, const struct lvsd_vip *vip)
{
	return vrrpmgr_vip_del(((struct daemon *)arg)->vrrp, vip);
}

static int on_link_up(void *arg, const char *ifname)
{
	return vrrpmgr_link_up(((struct daemon *)arg)->vrrp, ifname);
}

/* ------------------------------------------ IPVS sync daemons (ipvssync.c) */

/* The sync daemons follow their instance's state as vrrpmgr has it. */
static void ipvssync_follow(struct daemon *d)
{
	const char *name = ipvssync_instance(d->ipvssync);

	d->ipvssync_last_us = loop_now_us();
	/* off: still applied, the daemons lvsd ran are stopped (the key
	 * removed by a reload) */
	for (size_t i = 0; name[0] && i < vrrpmgr_count(d->vrrp); i++) {
		const struct vrrp_rt *rt = vrrpmgr_at(d->vrrp, i);

		if (!rt->dead && strcmp(rt->cfg.name, name) == 0)
			ipvssync_set_state(d->ipvssync, rt->st);
	}
	ipvssync_apply(d->ipvssync);
}

/* A state change is followed at once, but at most every
 * IPVSSYNC_GAP_US: an instance that flaps (adverts every 10 ms on a
 * starved machine) does not keep the loop starting and stopping kernel
 * threads; the last state wins. */
#define IPVSSYNC_GAP_US 200000u

static void on_ipvssync_soon(void *arg)
{
	struct daemon *d = arg;

	d->ipvssync_soon = NULL;
	ipvssync_follow(d);
}

static void ipvssync_kick(struct daemon *d)
{
	uint64_t now = loop_now_us(), next = d->ipvssync_last_us + IPVSSYNC_GAP_US;

	if (d->ipvssync_soon || !ipvssync_instance(d->ipvssync)[0])
		return;
	d->ipvssync_soon = loop_timer_add_us(d->loop, d->ipvssync_last_us &&
					     next > now ? next - now : 0,
					     on_ipvssync_soon, d);
}

static void on_ipvssync_timer(void *arg)
{
	struct daemon *d = arg;

	d->ipvssync_timer = loop_timer_add(d->loop, d->opts.sync_interval_ms,
					   on_ipvssync_timer, d);
	ipvssync_follow(d);
}

void parts_ipvssync(struct daemon *d)
{
	ipvssync_configure(d->ipvssync, d->model);
	ipvssync_follow(d);
	if (!d->ipvssync_timer)
		d->ipvssync_timer = loop_timer_add(d->loop, d->opts.sync_interval_ms,
						   on_ipvssync_timer, d);
}

void parts_ipvssync_stop(struct daemon *d)
{
	if (d->ipvssync_timer)
		loop_timer_del(d->loop, d->ipvssync_timer);
	d->ipvssync_timer = NULL;
	if (d->ipvssync_soon)
		loop_timer_del(d->loop, d->ipvssync_soon);
	d->ipvssync_soon = NULL;
	ipvssync_free(d->ipvssync);
	d->ipvssync = NULL;
}

static void on_vrrp_state(void *arg, struct lvsd_vrrp_instance *inst,
			  enum lvsd_vrrp_state state, const char *why)
{
	struct daemon *d = arg;

	vrrpmgr_state(d->vrrp, inst, state, why);
	ipvssync_kick(d);
	bgp_update(d->bgp, d->model); /* bgp_vrrp: announced while MASTER */
	/* A mail, for an instance that is still there (the report may have
	 * crossed its removal). */
	for (size_t i = 0; i < vrrpmgr_count(d->vrrp); i++) {
		const struct vrrp_rt *rt = vrrpmgr_at(d->vrrp, i);
		char subject[200];

		if ((const void *)rt != (const void *)inst || rt->dead)
			continue;
		snprintf(subject, sizeof(subject), "VRRP instance %s is now %s",
			 rt->cfg.name, vrrpmgr_state_str(state));
		smtp_alert(d->smtp, &d->model->global, subject, why ? why : subject);
	}
}

/* Instances start later, once the control socket is up (vrrpmgr_start). */
int parts_vrrp(struct daemon *d)
{
	int r;

	if ((r = ipvssync_new(d->opts.no_ipvs, &d->ipvssync)) < 0)
		return r;

	d->host.vip_add = on_vip_add;
	d->host.vip_del = on_vip_del;
	d->host.link_up = on_link_up;
	d->host.vrrp_state = on_vrrp_state;
	if ((r = vrrpmgr_new(d->loop, &d->host, &d->vrrp)) < 0)
		return r;
	return vrrpmgr_tracking(d->vrrp, d->spawner); /* vtrack.c */
}
/* -------------------------------------------------------- end of VRRP */

/* ------------------------------------------------------- BGP (bgp.c) */

static bool bgp_quorum_lost(void *arg, const struct model_vs *vs)
{
	return health_quorum_lost(((struct daemon *)arg)->health, vs);
}

static int bgp_vrrp_master(void *arg, const char *instance)
{
	struct daemon *d = arg;

	for (size_t i = 0; i < vrrpmgr_count(d->vrrp); i++) {
		const struct vrrp_rt *rt = vrrpmgr_at(d->vrrp, i);

		if (!rt->dead && !strcmp(rt->cfg.name, instance))
			return rt->st == LVSD_VRRP_MASTER;
	}
	return 0;
}

static const struct model *bgp_model(void *arg)
{
	return ((struct daemon *)arg)->model;
}

int parts_bgp(struct daemon *d)
{
	struct bgp_query q = {
		.arg = d, .quorum_lost = bgp_quorum_lost,
		.vrrp_master = bgp_vrrp_master, .model = bgp_model,
		.readback_ms = d->opts.sync_interval_ms,
	};

	return bgp_new(d->loop, &q, &d->bgp);
}
/* --------------------------------------------------------- end of BGP */

/* ------------------------------------------------------ SNMP (snmp.c) */

static void on_vrrp_state_snmp(void *arg, struct lvsd_vrrp_instance *inst,
			       enum lvsd_vrrp_state state, const char *why)
{
	struct daemon *d = arg;

	if (d->vrrp_state_next)
		d->vrrp_state_next(arg, inst, state, why);
	snmpload_notify_vrrp(d->snmp);
}

/* The subagent (a missing snmpd is no error: it connects later), and
 * VRRP state changes passed through it for notifications. */
void parts_snmp(struct daemon *d)
{
	int r = snmpload_start(d, &d->snmp);

	if (r < 0)
		log_err("snmp: cannot start the AgentX subagent: %s (going on without it)",
			strerror(-r));
	d->vrrp_state_next = d->host.vrrp_state;
	d->host.vrrp_state = on_vrrp_state_snmp;
}
/* -------------------------------------------------------- end of SNMP */

/* The OpenMetrics endpoint: an address that cannot be bound is logged
 * and lvsd goes on without it (the balancing matters more). */
void parts_metrics(struct daemon *d)
{
	const struct model_global *g = &d->model->global;
	char ab[64];
	int r = metrics_start(d, &d->metrics);

	if (!g->metrics_addr.family)
		return;
	model_addr_str(&g->metrics_addr, ab, sizeof(ab));
	if (r < 0)
		log_err("metrics: cannot listen on %s port %u: %s (going on without it)",
			ab, g->metrics_port, strerror(-r));
	else
		log_notice("metrics: serving http://%s%s%s:%u/metrics",
			   g->metrics_addr.family == AF_INET6 ? "[" : "", ab,
			   g->metrics_addr.family == AF_INET6 ? "]" : "", g->metrics_port);
}

