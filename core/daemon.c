/* daemon.c — start, reload, reconcile, dump and stop (see daemon.h). The
 * reading path: daemon_run → load_config (cfg.c, plugin.c) → srv_sync
 * (servers.c) → daemon_reconcile → desired_build → rec_apply (the kernel). */
#include "daemon.h"

#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "cfg.h"
#include "ctl.h"
#include "desired.h"
#include "agent.h"
#include "health.h"
#include "ipvs.h"
#include "log.h"
#include "smtp.h"
#include "loop.h"
#include "snmp.h"
#include "spawn.h"
#include "vrrpmgr.h"

#define DEFAULT_SYNC_INTERVAL_MS 5000u

/* ------------------------------------------------ plugins as cfg hooks */

static int hook_scheduler(void *arg, const char *name, char *err, size_t len)
{
	struct plugin_set *ps = arg;

	if (plugin_find(ps, LVSD_PLUGIN_SCHEDULER, name))
		return 0;
	snprintf(err, len, "no scheduler plugin '%s' is loaded", name);
	return -ENOENT;
}

static int hook_sched_flag(void *arg, const char *sched, const char *flag,
			   uint32_t *bit, char *err, size_t len)
{
	struct plugin *p = plugin_find(arg, LVSD_PLUGIN_SCHEDULER, sched);

	if (p && p->ops.sched.flags)
		for (const struct lvsd_sched_flag *f = p->ops.sched.flags;
		     f->name; f++)
			if (strcmp(f->name, flag) == 0) {
				*bit = f->bit;
				return 0;
			}
	snprintf(err, len, "scheduler '%s' has no flag '%s'", sched, flag);
	return -ENOENT;
}

static int hook_checker(void *arg, const char *name, char *err, size_t len)
{
	if (plugin_find(arg, LVSD_PLUGIN_CHECKER, name))
		return 0;
	snprintf(err, len, "no checker plugin '%s' is loaded", name);
	return -ENOENT;
}

static int hook_check_option(void *arg, const char *checker, const char *key,
			     const char *value, char *err, size_t len)
{
	struct plugin *p = plugin_find(arg, LVSD_PLUGIN_CHECKER, checker);

	if (!p) {
		snprintf(err, len, "no checker plugin '%s' is loaded", checker);
		return -ENOENT;
	}
	return p->ops.check.check_option(p->ctx, key, value, err, len);
}

static void hooks_for(struct plugin_set *ps, struct cfg_hooks *h)
{
	memset(h, 0, sizeof(*h));
	h->arg = ps;
	h->scheduler = hook_scheduler;
	h->sched_flag = hook_sched_flag;
	h->checker = hook_checker;
	h->check_option = hook_check_option;
}

static void emit_err(void *arg, const char *line)
{
	(void)arg;
	log_err("%s", line);
}

/* Parse path against the loaded plugins. Errors go to emit. */
static int parse_with_plugins(struct plugin_set *ps, const char *path,
			      struct model **out,
			      void (*emit)(void *, const char *), void *arg)
{
	struct cfg_errors errs = { 0 };
	struct cfg_hooks hooks;
	int r;

	hooks_for(ps, &hooks);
	r = cfg_parse_file(path, &hooks, out, &errs);
	if (r < 0)
		cfg_errors_emit(&errs, emit, arg);
	cfg_errors_free(&errs);
	if (r == 0 && vrrpmgr_check(ps, *out, emit, arg) < 0) { /* vrrpmgr.c */
		model_free(*out);
		*out = NULL;
		r = -EINVAL;
	}
	return r;
}

/* First start: a plugin-less parse finds plugin_dir, then the plugins
 * are loaded and the file parsed again with them. */
static int load_config(struct plugin_set *ps, const struct daemon_opts *o,
		       struct model **out, void (*emit)(void *, const char *))
{
	struct cfg_errors errs = { 0 };
	struct model *pre = NULL;
	const char *dir = o->plugin_dir;
	int r;

	r = cfg_parse_file(o->config, NULL, &pre, &errs);
	if (r < 0) {
		cfg_errors_emit(&errs, emit, NULL);
		cfg_errors_free(&errs);
		return r;
	}
	cfg_errors_free(&errs);
	if (!dir)
		dir = pre->global.plugin_dir;
	r = plugin_load_dir(ps, dir);
	if (r < 0)
		log_err("plugin directory %s: %s", dir, strerror(-r));
	model_free(pre);
	if (r < 0)
		return r;
	return parse_with_plugins(ps, o->config, out, emit, NULL);
}

/* lvsd -t prints errors as they are, like nginx -t: FILE:LINE: message. */
static void emit_plain(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "%s\n", line);
}

int daemon_check_config(const struct daemon_opts *opts)
{
	struct loop *loop;
	struct host host = { 0 };
	struct plugin_set ps;
	struct model *m = NULL;
	int r;

	if (loop_new(&loop) < 0)
		return 1;
	host.loop = loop;
	plugin_set_init(&ps, &host);
	r = load_config(&ps, opts, &m, emit_plain);
	if (r == 0)
		fprintf(stderr, "%s: configuration OK (%zu virtual servers, "
			"%zu real servers, %zu VRRP instances)\n",
			opts->config, m->n_vs, m->n_rs, m->n_vrrp);
	model_free(m);
	plugin_set_free(&ps);
	loop_free(loop);
	return r == 0 ? 0 : 1;
}

/* ------------------------------------------------------ operator layer */

void daemon_apply_ops(struct daemon *d)
{
	int dirty = 0;

	/* Overrides of real servers that left the configuration, or whose
	 * config weight changed since the operator acted: the config wins. */
	for (size_t i = 0; i < d->ops.n_rs;) {
		struct opstate_rs *o = &d->ops.rs[i];
		struct srv *s = srv_find(&d->servers, o->vs, &o->addr, o->port);
		char ap[80];

		model_addrport_str(&o->addr, o->port, ap, sizeof(ap));
		if (!s) {
			log_notice("operator override of %s %s dropped: no longer configured",
				   o->vs, ap);
		} else if (s->cfg->weight != o->cfg_weight) {
			log_notice("operator override of %s %s dropped: config weight changed %u -> %u",
				   o->vs, ap, o->cfg_weight, s->cfg->weight);
		} else {
			i++;
			continue;
		}
		opstate_del_rs(&d->ops, o);
		dirty = 1;
	}
	for (size_t i = 0; i < d->servers.n; i++) {
		struct srv *s = d->servers.v[i];
		struct opstate_rs *o = opstate_find_rs(&d->ops, s->vs_name,
						       &s->addr, s->port);

		s->has_op_weight = o && o->has_weight;
		s->op_weight = o ? o->weight : 0;
		s->admin = o ? o->admin : ADMIN_NONE;
	}
	if (dirty)
		daemon_save_ops(d);
}

int daemon_save_ops(struct daemon *d)
{
	int r = opstate_save(d->state_file, &d->ops);

	if (r < 0)
		log_err("cannot write the operator state %s: %s", d->state_file,
			strerror(-r));
	return r;
}

/* ----------------------------------------------------------- reconcile */

static void rec_error(void *arg, const char *what, int err)
{
	(void)arg;
	log_err("%s: %s", what, ipvs_strerror(err));
}

static int owned_changed(const struct opstate *s, const struct rec_service *v,
			 size_t n)
{
	if (s->n_owned != n)
		return 1;
	for (size_t i = 0; i < n; i++) {
		const struct opstate_owned *o = &s->owned[i];
		const struct ipvs_service *k = &v[i].svc;

		if (o->af != k->af || o->fwmark != k->fwmark ||
		    (!k->fwmark && (o->protocol != k->protocol || o->port != k->port ||
				    !model_addr_eq(&o->addr, &k->addr))))
			return 1;
	}
	return 0;
}

static int remember_owned(struct daemon *d, const struct rec_service *v,
			  size_t n)
{
	struct opstate_owned *o;
	int r;

	if (!owned_changed(&d->ops, v, n))
		return 0;
	o = n ? calloc(n, sizeof(*o)) : NULL;
	if (n && !o)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		o[i].af = v[i].svc.af;
		o[i].fwmark = v[i].svc.fwmark;
		o[i].protocol = v[i].svc.protocol;
		o[i].addr = v[i].svc.addr;
		o[i].port = v[i].svc.port;
	}
	r = opstate_set_owned(&d->ops, o, n);
	free(o);
	return r < 0 ? r : daemon_save_ops(d);
}

static void owned_keys(const struct opstate *s, struct ipvs_service **out)
{
	*out = s->n_owned ? calloc(s->n_owned, sizeof(**out)) : NULL;
	for (size_t i = 0; *out && i < s->n_owned; i++) {
		(*out)[i].af = s->owned[i].af;
		(*out)[i].fwmark = s->owned[i].fwmark;
		(*out)[i].protocol = s->owned[i].protocol;
		(*out)[i].addr = s->owned[i].addr;
		(*out)[i].port = s->owned[i].port;
	}
}

static void call_weight_hooks(struct daemon *d)
{
	for (size_t i = 0; i < d->servers.n; i++) {
		struct srv *s = d->servers.v[i];
		struct plugin *p = plugin_find(&d->plugins, LVSD_PLUGIN_SCHEDULER,
					       s->vs->scheduler);
		struct lvsd_rs_info info = {
			.size = sizeof(info), .vs_name = s->vs_name,
			.addr = s->addr, .port = s->port,
			.config_weight = s->cfg->weight, .up = s->up,
			.last_latency_us = s->last_latency_us,
		};
		double f = 1.0;

		if (!p || !p->ops.sched.weight)
			continue;
		s->has_factor = p->ops.sched.weight(p->ctx, &info, &f) == 0;
		s->factor = f;
	}
}

static int apply(struct daemon *d, int stopping);

/* Scheduler weight hooks are asked again when checks report (a new
 * latency): at most every 200 ms, one reconcile for many reports. */
static void on_weigh(void *arg)
{
	struct daemon *d = arg;

	d->weigh = NULL;
	apply(d, 0);
}

static void weigh_soon(struct daemon *d)
{
	size_t hooks = 0;

	if (d->weigh || !d->model)
		return;
	for (size_t i = 0; i < d->plugins.n; i++) /* the common case: none */
		hooks += d->plugins.v[i]->desc.kind == LVSD_PLUGIN_SCHEDULER &&
			 d->plugins.v[i]->ops.sched.weight;
	for (size_t i = 0; hooks && i < d->model->n_vs; i++) {
		const struct plugin *p = plugin_find(&d->plugins, LVSD_PLUGIN_SCHEDULER,
						     d->model->vs[i].scheduler);

		if (p && p->ops.sched.weight) {
			d->weigh = loop_timer_add(d->loop, 200, on_weigh, d);
			return;
		}
	}
}

/* ----------------------------------------- health (health.c, spawn.c) */

static bool quorum_lost(void *arg, const struct model_vs *vs)
{
	return health_quorum_lost(((struct daemon *)arg)->health, vs);
}

static void on_check_done(void *arg, struct lvsd_check *check,
			  const struct lvsd_check_result *res)
{
	struct daemon *d = arg;

	if (agent_owns(d->agent, check)) { /* agent.c's, else health.c's */
		agent_check_done(d->agent, check, res);
	} else {
		health_check_done(d->health, check, res);
		weigh_soon(d); /* a new latency for the weight hooks */
	}
}

static int on_spawn(void *arg, const char *const *argv, uint32_t timeout_ms)
{
	return spawn_run(((struct daemon *)arg)->spawner, argv, timeout_ms);
}

static void on_health_changed(void *arg)
{
	daemon_kick(arg);
}

/* SNMP notifications (snmp.c) */
static void on_rs_changed(void *arg, const struct srv *s)
{
	struct daemon *d = arg;
	char ap[80], subject[200], body[300];

	snmp_notify_rs(d->snmp, s);
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

	snmp_notify_quorum(d->snmp, vs, lost);
	snprintf(subject, sizeof(subject), "virtual server %s quorum %s", vs->name,
		 lost ? "lost" : "regained");
	smtp_alert(d->smtp, &d->model->global, subject, subject);
}

static int health_start(struct daemon *d)
{
	struct health_hooks hooks = {
		.arg = d, .changed = on_health_changed, .spawn = on_spawn,
		.rs_changed = on_rs_changed, .quorum_changed = on_quorum_changed,
	};
	int r;

	d->host.check_done = on_check_done;
	d->host.spawn = on_spawn;
	if ((r = spawner_new(d->loop, &d->spawner)) < 0)
		return r;
	return health_new(d->loop, &d->plugins, &hooks, &d->health);
}
/* ------------------------------------------------------ end of health */

/* ------------------------------------------ agent checks (agent.c) */
static void on_agent_changed(void *arg)
{
	daemon_kick(arg);
}

static int agent_start(struct daemon *d)
{
	struct agent_hooks hooks = { .arg = d, .changed = on_agent_changed };

	return agent_new(d->loop, &d->plugins, &hooks, &d->agent);
}

/* srv_sync's `gone`: a real server left the configuration. */
static void srv_gone(void *arg, struct srv *s)
{
	struct daemon *d = arg;

	health_gone(d->health, s);
	agent_gone(d->agent, s);
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

static void on_vrrp_state(void *arg, struct lvsd_vrrp_instance *inst,
			  enum lvsd_vrrp_state state, const char *why)
{
	struct daemon *d = arg;

	vrrpmgr_state(d->vrrp, inst, state, why);
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
static int vrrp_init(struct daemon *d)
{
	d->host.vip_add = on_vip_add;
	d->host.vip_del = on_vip_del;
	d->host.link_up = on_link_up;
	d->host.vrrp_state = on_vrrp_state;
	return vrrpmgr_new(d->loop, &d->host, &d->vrrp);
}
/* -------------------------------------------------------- end of VRRP */

static void on_ramp(void *arg)
{
	struct daemon *d = arg;

	d->ramp = NULL;
	apply(d, 0);
}

/* Slow start: weights move in whole seconds since each server's ready
 * time (weight.c), so wake up at the next step of the earliest one (at
 * least 100 ms apart): one kernel operation per real server per second. */
static void ramp_arm(struct daemon *d, int stopping)
{
	uint64_t now = loop_now_us(), next = UINT64_MAX;

	for (size_t i = 0; i < d->servers.n; i++) {
		const struct srv *s = d->servers.v[i];
		uint64_t in, at;

		if (s->eff.ramp >= 1.0 || s->ready_us > now)
			continue;
		in = (now - s->ready_us) % WEIGHT_STEP_US;
		at = WEIGHT_STEP_US - in;
		if (at < next)
			next = at;
	}
	if (next == UINT64_MAX || stopping || d->ramp)
		return;
	next = next / 1000 + 1;
	d->ramp = loop_timer_add(d->loop, next < 100 ? 100 : next, on_ramp, d);
}

static int apply(struct daemon *d, int stopping)
{
	struct rec_service *want = NULL;
	struct ipvs_service *owned = NULL;
	struct rec_stats st = { 0 };
	size_t n = 0;
	int r;
	uint64_t t0 = loop_now_us(), t1;

	if (!d->ipvs && !d->opts.no_ipvs)
		return 0;
	call_weight_hooks(d);
	srv_compute(&d->servers, loop_now_us());
	if (!stopping) {
		struct desired_quorum q = { quorum_lost, d }; /* health.c */

		r = desired_build(d->model, &d->servers, &d->plugins, &q, &want, &n);
		if (r < 0) {
			log_err("cannot build the desired IPVS state: %s", strerror(-r));
			return r;
		}
	}
	if (!d->ipvs) { /* --no-ipvs: everything computed, nothing programmed */
		rec_services_free(want, n);
		ramp_arm(d, stopping);
		return 0;
	}
	owned_keys(&d->ops, &owned);
	t1 = loop_now_us();
	r = rec_apply(d->ipvs, want, n, owned, owned ? d->ops.n_owned : 0,
		      rec_error, d, &st);
	d->n.reconciles++;
	d->n.last_ops = st.ops;
	if (r != 0)
		d->n.reconcile_failures++;
	if (r < 0)
		log_err("IPVS: %s", ipvs_strerror(r));
	else if (st.ops)
		log_info("IPVS: %zu operations (%zu+%zu-%zu~ virtual, %zu+%zu-%zu~ real)%s; "
			 "%llu ms to compute, %llu ms to dump, plan and send",
			 st.ops, st.svc_add, st.svc_del, st.svc_edit, st.dest_add,
			 st.dest_del, st.dest_edit, r ? ", some refused" : "",
			 (unsigned long long)(t1 - t0) / 1000,
			 (unsigned long long)(loop_now_us() - t1) / 1000);
	/* What we hold now: the desired services (all of them, if nothing
	 * was refused; otherwise keep the old claims too until a clean run). */
	if (r == 0)
		remember_owned(d, want, n);
	rec_services_free(want, n);
	free(owned);
	ramp_arm(d, stopping);
	return r < 0 ? r : 0;
}

int daemon_reconcile(struct daemon *d)
{
	return apply(d, 0);
}

static void on_kick(void *arg)
{
	struct daemon *d = arg;

	d->kick = NULL;
	daemon_reconcile(d);
}

void daemon_kick(struct daemon *d)
{
	if (!d->kick)
		d->kick = loop_timer_add(d->loop, 0, on_kick, d);
}

static void on_sync(void *arg)
{
	struct daemon *d = arg;

	d->sync = loop_timer_add(d->loop, d->opts.sync_interval_ms, on_sync, d);
	daemon_reconcile(d);
}

/* -------------------------------------------------------------- reload */

struct relay {
	void (*fn)(void *arg, const char *line);
	void *arg;
};

static void relay_err(void *arg, const char *line)
{
	struct relay *r = arg;

	log_err("%s", line);
	if (r->fn)
		r->fn(r->arg, line);
}

static void log_diff_line(void *arg, const char *line)
{
	(void)arg;
	log_notice("reload: %s", line);
}

static int check_restart_only(const struct model *old, const struct model *new)
{
	const struct model_global *a = &old->global, *b = &new->global;

	if (strcmp(a->plugin_dir, b->plugin_dir) != 0)
		log_warnx("reload: plugin_dir changed; it takes effect at the next restart");
	if (strcmp(a->control_socket, b->control_socket) != 0)
		log_warnx("reload: control_socket changed; it takes effect at the next restart");
	if (strcmp(a->state_file, b->state_file) != 0)
		log_warnx("reload: state_file changed; it takes effect at the next restart");
	return 0;
}

int daemon_reload(struct daemon *d, void (*errs)(void *, const char *),
		  void *arg)
{
	struct relay rl = { errs, arg };
	struct model *m = NULL, *old = d->model;
	struct model_diff diff = { 0 };
	int r;

	sd_notify(0, "RELOADING=1");
	log_notice("reloading %s", d->opts.config);
	r = parse_with_plugins(&d->plugins, d->opts.config, &m, relay_err, &rl);
	d->n.last_reload = time(NULL);
	if (r < 0) {
		d->n.reload_failures++;
		d->n.last_reload_ok = 0;
		log_err("reload failed: %s; the running configuration stays in force",
			r == -EINVAL ? "errors in the file" : strerror(-r));
		sd_notify(0, "READY=1");
		return r;
	}
	if (model_diff(old, m, &diff) < 0 ||
	    srv_sync(&d->servers, m, srv_gone, d) < 0) {
		model_diff_free(&diff);
		model_free(m);
		d->n.reload_failures++;
		d->n.last_reload_ok = 0;
		log_err("reload failed: out of memory; the running configuration stays in force");
		sd_notify(0, "READY=1");
		return -ENOMEM;
	}
	if (diff.n == 0)
		log_notice("reload: no changes");
	model_diff_emit(&diff, log_diff_line, NULL);
	model_diff_free(&diff);
	check_restart_only(old, m);
	if (vrrpmgr_reload(d->vrrp, &d->plugins, old, m) < 0) /* vrrpmgr.c */
		log_err("reload: some VRRP instances could not be started");
	d->model = m;
	model_free(old);
	d->n.reloads++;
	d->n.last_reload_ok = 1;
	daemon_apply_ops(d);
	snmp_reloaded(d->snmp); /* snmp.c: the tables follow the new model */
	if (health_sync(d->health, &d->servers, m) < 0)
		log_err("reload: some checks could not be started (out of memory)");
	if (agent_sync(d->agent, &d->servers) < 0) /* agent.c */
		log_err("reload: some agent checks could not be started");
	if (m->n_vs && !d->ipvs && !d->opts.no_ipvs) {
		r = ipvs_open(&d->ipvs);
		if (r < 0)
			log_err("IPVS: %s", ipvs_strerror(r));
	}
	daemon_kick(d);
	sd_notify(0, "READY=1");
	return 0;
}

/* ---------------------------------------------------------------- dump */

void daemon_dump(struct daemon *d, void (*emit)(void *, const char *),
		 void *arg)
{
	char line[512], vk[128], ap[80];
	const struct model *m = d->model;

#define EMIT(...) do { snprintf(line, sizeof(line), __VA_ARGS__); emit(arg, line); } while (0)
	EMIT("lvsd %s, config %s, up %llus", LVSD_VERSION, m->file,
	     (unsigned long long)((loop_now_us() - d->started_us) / 1000000u));
	EMIT("reloads %llu ok, %llu failed, last %s; reconciles %llu (%llu failed), "
	     "kernel operations %llu (last reconcile %llu)",
	     (unsigned long long)d->n.reloads, (unsigned long long)d->n.reload_failures,
	     d->n.last_reload_ok < 0 ? "none" : d->n.last_reload_ok ? "ok" : "failed",
	     (unsigned long long)d->n.reconciles,
	     (unsigned long long)d->n.reconcile_failures,
	     (unsigned long long)(d->ipvs ? ipvs_ops_sent(d->ipvs) : 0),
	     (unsigned long long)d->n.last_ops);
	for (size_t i = 0; i < d->plugins.n; i++) {
		const struct plugin *p = d->plugins.v[i];

		EMIT("plugin %s %s %s (ABI %u.%u) %s", plugin_kind_str(p->desc.kind),
		     p->desc.name, p->desc.version ? p->desc.version : "",
		     p->desc.abi_major, p->desc.abi_minor, p->path);
	}
	for (size_t i = 0; i < m->n_vs; i++) {
		const struct model_vs *vs = &m->vs[i];

		EMIT("virtual_server %s: %s scheduler %s method %s persistence %us",
		     vs->name, model_vs_key_str(vs, vk, sizeof(vk)), vs->scheduler,
		     model_method_str(vs->method), vs->persistence_timeout);
		for (size_t j = 0; j < d->servers.n; j++) {
			const struct srv *s = d->servers.v[j];

			if (s->vs != vs)
				continue;
			model_addrport_str(&s->addr, s->port, ap, sizeof(ap));
			EMIT("  real_server %s weight %u (config %u, operator %s%s, admin %s) "
			     "health %s check %s: %s",
			     ap, s->eff.weight, s->cfg->weight,
			     s->has_op_weight ? "" : "-",
			     s->has_op_weight ? (snprintf(vk, sizeof(vk), "%u", s->op_weight), vk) : "",
			     admin_state_str(s->admin), s->up ? "up" : "down",
			     s->cfg->checker[0] ? s->cfg->checker : "none",
			     weight_why_str(s->eff.why));
		}
	}
	vrrpmgr_report(d->vrrp, emit, arg); /* a line per VRRP instance */
#undef EMIT
}

static void dump_to_log(void *arg, const char *line)
{
	(void)arg;
	log_notice("dump: %s", line);
}

/* ------------------------------------------------------------- signals */

static void on_signal(void *arg, int fd, uint32_t events)
{
	struct daemon *d = arg;
	struct signalfd_siginfo si;

	(void)events;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGHUP:
			daemon_reload(d, NULL, NULL);
			break;
		case SIGCHLD:
			spawn_reap(d->spawner);
			break;
		case SIGUSR1:
			daemon_dump(d, dump_to_log, NULL);
			break;
		case SIGTERM:
		case SIGINT:
			log_notice("signal %d: stopping", (int)si.ssi_signo);
			loop_stop(d->loop);
			break;
		default:
			break;
		}
	}
}

static int signals_open(struct daemon *d)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sigfd < 0)
		return -errno;
	d->sig_io = loop_io_add(d->loop, d->sigfd, LVSD_IO_IN, on_signal, d);
	return d->sig_io ? 0 : -errno;
}

static void on_watchdog(void *arg)
{
	struct daemon *d = arg;

	sd_notify(0, "WATCHDOG=1");
	d->watchdog = loop_timer_add_us(d->loop, d->watchdog_us / 2, on_watchdog, d);
}

/* ----------------------------------------------------------------- run */

static int mkdir_for(const char *path)
{
	char dir[4096], *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static gid_t control_gid(const char *group)
{
	struct group *g;

	if (!group)
		return (gid_t)-1;
	g = getgrnam(group);
	if (!g) {
		log_warnx("control_group %s: no such group; root only", group);
		return (gid_t)-1;
	}
	return g->gr_gid;
}

/* ------------------------------------------------------ SNMP (snmp.c) */

static void on_vrrp_state_snmp(void *arg, struct lvsd_vrrp_instance *inst,
			       enum lvsd_vrrp_state state, const char *why)
{
	struct daemon *d = arg;

	if (d->vrrp_state_next)
		d->vrrp_state_next(arg, inst, state, why);
	snmp_notify_vrrp(d->snmp);
}

/* The subagent (a missing snmpd is no error: it connects later), and
 * VRRP state changes passed through it for notifications. */
static void snmp_begin(struct daemon *d)
{
	int r = snmp_start(d, &d->snmp);

	if (r < 0)
		log_err("snmp: cannot start the AgentX subagent: %s (going on without it)",
			strerror(-r));
	d->vrrp_state_next = d->host.vrrp_state;
	d->host.vrrp_state = on_vrrp_state_snmp;
}
/* -------------------------------------------------------- end of SNMP */

static int start(struct daemon *d)
{
	const char *sock;
	int r;

	d->started_us = loop_now_us();
	d->started = time(NULL);
	d->n.last_reload_ok = -1;
	d->sigfd = -1;
	if ((r = loop_new(&d->loop)) < 0)
		return r;
	d->host.loop = d->loop;
	d->host.arg = d;
	plugin_set_init(&d->plugins, &d->host);
	if ((r = smtp_new(d->loop, &d->smtp)) < 0)
		return r;
	if ((r = health_start(d)) < 0)
		return r;
	if ((r = agent_start(d)) < 0)
		return r;
	if ((r = vrrp_init(d)) < 0) {
		log_err("rtnetlink: %s", strerror(-r));
		return r;
	}
	if ((r = signals_open(d)) < 0) {
		log_err("signals: %s", strerror(-r));
		return r;
	}
	if ((r = load_config(&d->plugins, &d->opts, &d->model, emit_err)) < 0)
		return r;
	d->state_file = d->opts.state_file ? d->opts.state_file
					   : d->model->global.state_file;
	mkdir_for(d->state_file);
	if ((r = opstate_load(d->state_file, &d->ops)) < 0)
		log_err("operator state %s: %s (starting without it)", d->state_file,
			strerror(-r));
	if ((r = srv_sync(&d->servers, d->model, srv_gone, d)) < 0)
		return r;
	daemon_apply_ops(d);
	if ((r = health_sync(d->health, &d->servers, d->model)) < 0)
		return r;
	if ((r = agent_sync(d->agent, &d->servers)) < 0)
		return r;
	if (d->opts.no_ipvs) {
		log_notice("--no-ipvs: computing the IPVS state without programming it");
	} else if (d->model->n_vs || d->ops.n_owned) {
		r = ipvs_open(&d->ipvs);
		if (r < 0) {
			log_err("IPVS: %s", ipvs_strerror(r));
			return r;
		}
	}
	sock = d->opts.socket ? d->opts.socket : d->model->global.control_socket;
	mkdir_for(sock);
	r = ctl_open(&d->ctl, d->loop, sock,
		     control_gid(d->model->global.control_group), control_handle, d);
	if (r < 0) {
		log_err("control socket %s: %s", sock, strerror(-r));
		return r;
	}
	if ((r = daemon_reconcile(d)) < 0)
		return r;
	snmp_begin(d); /* snmp.c */
	if (vrrpmgr_start(d->vrrp, &d->plugins, d->model) < 0)
		log_err("some VRRP instances could not be started");
	d->sync = loop_timer_add(d->loop, d->opts.sync_interval_ms, on_sync, d);
	if (sd_watchdog_enabled(0, &d->watchdog_us) > 0 && d->watchdog_us > 0)
		on_watchdog(d);
	log_notice("lvsd %s started: %zu virtual servers, %zu real servers, "
		   "%zu VRRP instances, %zu plugins", LVSD_VERSION, d->model->n_vs,
		   d->model->n_rs, d->model->n_vrrp, d->plugins.n);
	sd_notify(0, "READY=1");
	return 0;
}

static void stop(struct daemon *d)
{
	sd_notify(0, "STOPPING=1");
	snmp_stop(d->snmp); /* snmp.c */
	d->snmp = NULL;
	vrrpmgr_free(d->vrrp); /* first: priority 0 lets a backup take over */
	d->vrrp = NULL;
	smtp_free(d->smtp); /* alerts not sent by now are dropped */
	d->smtp = NULL;
	if (d->ipvs && !d->opts.keep_ipvs && d->model) {
		/* Remove what we own; the state file forgets it only if that
		 * worked, so a failed removal is retried at the next start. */
		struct ipvs_service *owned = NULL;
		struct rec_stats st = { 0 };

		owned_keys(&d->ops, &owned);
		if (rec_apply(d->ipvs, NULL, 0, owned, owned ? d->ops.n_owned : 0,
			      rec_error, d, &st) == 0) {
			opstate_set_owned(&d->ops, NULL, 0);
			daemon_save_ops(d);
		}
		free(owned);
		log_notice("removed %zu virtual servers from IPVS", st.svc_del);
	} else if (d->ipvs) {
		log_notice("leaving IPVS as it is (--keep-ipvs)");
	}
	ctl_close(d->ctl);
	if (d->ipvs)
		ipvs_close(d->ipvs);
	health_omega(d->health);
	agent_free(d->agent); /* before the servers and plugins it uses */
	health_free(d->health); /* idem */
	spawner_free(d->spawner);
	srv_table_free(&d->servers);
	plugin_set_free(&d->plugins);
	model_free(d->model);
	opstate_free(&d->ops);
	if (d->sig_io)
		loop_io_del(d->loop, d->sig_io);
	if (d->sigfd >= 0)
		close(d->sigfd);
	loop_free(d->loop);
}

int daemon_run(const struct daemon_opts *opts)
{
	struct daemon d;
	int r;

	memset(&d, 0, sizeof(d));
	d.opts = *opts;
	if (!d.opts.sync_interval_ms)
		d.opts.sync_interval_ms = DEFAULT_SYNC_INTERVAL_MS;
	r = start(&d);
	if (r == 0)
		r = loop_run(d.loop);
	if (r < 0)
		d.exit_code = 1;
	stop(&d);
	return d.exit_code;
}
