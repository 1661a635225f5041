/* daemon.c — start, reload, dump, signals and stop (see daemon.h). The
 * reading path: daemon_run → confload_file (cfg.c, plugin.c) → srv_sync
 * (servers.c) → daemon_reconcile (program.c) → desired_build → rec_apply
 * (reconcile.c, the kernel). How the parts are hooked up: wiring.c. */
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
#include <time.h>
#include <unistd.h>

#include "cfg.h"
#include "model_diff.h"
#include "confload.h"
#include "program.h"
#include "wiring.h"
#include "ctl.h"
#include "desired.h"
#include "agent.h"
#include "health.h"
#include "ipvs.h"
#include "log.h"
#include "smtp.h"
#include "loop.h"
#include "opstore.h"
#include "snmp.h"
#include "spawn.h"
#include "vrrpmgr.h"

/* "s" unless n is 1: "1 virtual server", "2 virtual servers" */
#define PLURAL(n) ((n) == 1 ? "" : "s")

#define DEFAULT_SYNC_INTERVAL_MS 5000u

/* ------------------------------------------------------------- systemd */

/* What systemd shows (systemctl status: "Status:"): READY=1 with the sizes
 * of the configuration in force, NOTE saying what happened last. */
static void notify_ready(const struct daemon *d, const char *note)
{
	sd_notifyf(0, "READY=1\nSTATUS=running: %zu virtual server%s, %zu real server%s, "
		   "%zu VRRP instance%s%s", d->model->n_vs, PLURAL(d->model->n_vs),
		   d->model->n_rs, PLURAL(d->model->n_rs), d->model->n_vrrp,
		   PLURAL(d->model->n_vrrp), note);
}

/* RELOADING=1 with the CLOCK_MONOTONIC time (systemd 253+ wants it to tell
 * this reload from an earlier one; 252 ignores it); READY=1 ends it. */
static void notify_reloading(const struct daemon *d)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading %s",
		   (unsigned long long)ts.tv_sec * 1000000ull +
			   (unsigned long long)ts.tv_nsec / 1000u,
		   d->opts.config);
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

/* A reload that would remove every virtual server (or every VRRP
 * instance) of the running daemon is most likely an empty or truncated
 * file: refused unless forced. The line explaining it goes to line. */
static int wipes_everything(const struct model *old, const struct model *new,
			    char *line, size_t len)
{
	const char *what = NULL;
	size_t n = 0;

	if (old->n_vs && !new->n_vs) {
		what = "virtual servers";
		n = old->n_vs;
	} else if (old->n_vrrp && !new->n_vrrp) {
		what = "VRRP instances";
		n = old->n_vrrp;
	}
	if (!what)
		return 0;
	snprintf(line, len,
		 "reload refused: %s has no %s and would remove all %zu running ones (an empty or truncated file?); the running configuration stays. To apply it anyway: lvsctl reload --force",
		 new->file ? new->file : "the configuration", what, n);
	return 1;
}

int daemon_reload(struct daemon *d, unsigned flags,
		  void (*errs)(void *, const char *), void *arg)
{
	struct relay rl = { errs, arg };
	char line[512];
	struct model *m = NULL, *old = d->model;
	struct model_diff diff = { 0 };
	int r;

	notify_reloading(d);
	log_notice("reloading %s", d->opts.config);
	r = confload_parse(&d->plugins, d->opts.config, &m, relay_err, &rl);
	d->n.last_reload = time(NULL);
	if (r < 0) {
		d->n.reload_failures++;
		d->n.last_reload_ok = 0;
		log_err("reload failed: %s; the running configuration stays in force",
			r == -EINVAL ? "errors in the file" : strerror(-r));
		notify_ready(d, "; the last reload failed, the previous configuration stays");
		return r;
	}
	if (wipes_everything(old, m, line, sizeof(line))) {
		if (!(flags & DAEMON_RELOAD_FORCE)) {
			relay_err(&rl, line);
			model_free(m);
			d->n.reload_failures++;
			d->n.last_reload_ok = 0;
			sd_notify(0, "READY=1");
			return -ECANCELED;
		}
		log_warnx("reload forced: %s removes every virtual server or VRRP instance",
			  d->opts.config);
	}
	if (model_diff(old, m, &diff) < 0 ||
	    srv_sync(&d->servers, m, wiring_srv_gone, d) < 0) {
		model_diff_free(&diff);
		model_free(m);
		d->n.reload_failures++;
		d->n.last_reload_ok = 0;
		log_err("reload failed: out of memory; the running configuration stays in force");
		notify_ready(d, "; the last reload failed, the previous configuration stays");
		return -ENOMEM;
	}
	if (model_diff_trackers(old, m, log_diff_line, NULL) == 0 && diff.n == 0)
		log_notice("reload: no changes");
	model_diff_emit(&diff, log_diff_line, NULL);
	model_diff_free(&diff);
	check_restart_only(old, m);
	if (d->ctl && ctl_set_groups(d->ctl, m->global.control_group,
				     m->global.control_group_ro) < 0)
		log_warn("reload: control socket %s: mode/group", m->global.control_socket);
	if (vrrpmgr_reload(d->vrrp, &d->plugins, old, m) < 0) /* vrrpmgr.c */
		log_err("reload: some VRRP instances could not be started");
	opstore_renamed(d, old, m); /* before opstore_apply: same service */
	d->model = m;
	model_free(old);
	prog_set_max(d->spawner, m->global.max_scripts);
	d->n.reloads++;
	d->n.last_reload_ok = 1;
	opstore_apply(d);
	snmp_reloaded(d->snmp); /* snmp.c: the tables follow the new model */
	r = health_sync(d->health, &d->servers, m);
	if (r < 0) /* each named by health.c, its servers out of service */
		log_err("reload: some checks could not be started%s",
			r == -ENOMEM ? " (out of memory)" : "");
	if (agent_sync(d->agent, &d->servers) < 0) /* agent.c */
		log_err("reload: some agent checks could not be started");
	if (m->n_vs && !d->ipvs && !d->opts.no_ipvs) {
		r = ipvs_open(&d->ipvs);
		if (r < 0)
			log_err("IPVS: %s", ipvs_strerror(r));
	}
	daemon_kick(d);
	notify_ready(d, " (reloaded)");
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
	opstore_report(d, emit, arg);
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
			daemon_reload(d, 0, NULL, NULL); /* never forced */
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

int daemon_start(struct daemon *d)
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
	if ((r = wiring_health(d)) < 0)
		return r;
	if ((r = wiring_agent(d)) < 0)
		return r;
	if ((r = wiring_vrrp(d)) < 0) {
		log_err("rtnetlink: %s", strerror(-r));
		return r;
	}
	if ((r = signals_open(d)) < 0) {
		log_err("signals: %s", strerror(-r));
		return r;
	}
	if ((r = confload_file(&d->plugins, &d->opts, &d->model, confload_emit_log)) < 0)
		return r;
	prog_set_max(d->spawner, d->model->global.max_scripts);
	/* a copy: a reload frees the model it came from */
	d->state_file = strdup(d->opts.state_file ? d->opts.state_file
						  : d->model->global.state_file);
	if (!d->state_file)
		return -ENOMEM;
	mkdir_for(d->state_file);
	opstore_load(d); /* logged; an unreadable file is held, not fatal */
	if ((r = srv_sync(&d->servers, d->model, wiring_srv_gone, d)) < 0)
		return r;
	opstore_apply(d);
	/* a check that cannot start leaves its servers down (logged) */
	if ((r = health_sync(d->health, &d->servers, d->model)) == -ENOMEM)
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
	r = ctl_open(&d->ctl, d->loop, sock, control_handle, d);
	if (r == 0)
		r = ctl_set_groups(d->ctl, d->model->global.control_group,
				   d->model->global.control_group_ro);
	if (r == -EADDRINUSE) {
		log_err("control socket %s: another lvsd is serving it; not "
			"started (stop it first, or give this one another "
			"control_socket or -S)", sock);
		return r;
	}
	if (r == -ENOTSOCK) {
		log_err("control socket %s: exists and is not a socket; not "
			"removed, not started (choose another control_socket "
			"or -S)", sock);
		return r;
	}
	if (r < 0) {
		log_err("control socket %s: %s", sock, strerror(-r));
		return r;
	}
	if ((r = daemon_reconcile(d)) < 0)
		return r;
	wiring_snmp(d); /* snmp.c */
	if (vrrpmgr_start(d->vrrp, &d->plugins, d->model) < 0)
		log_err("some VRRP instances could not be started");
	d->sync = loop_timer_add(d->loop, d->opts.sync_interval_ms, program_on_sync, d);
	if (sd_watchdog_enabled(0, &d->watchdog_us) > 0 && d->watchdog_us > 0)
		on_watchdog(d);
	log_notice("lvsd %s started: %zu virtual server%s, %zu real server%s, "
		   "%zu VRRP instance%s, %zu plugin%s", LVSD_VERSION, d->model->n_vs,
		   PLURAL(d->model->n_vs), d->model->n_rs, PLURAL(d->model->n_rs),
		   d->model->n_vrrp, PLURAL(d->model->n_vrrp), d->plugins.n,
		   PLURAL(d->plugins.n));
	notify_ready(d, "");
	return 0;
}

void daemon_stop(struct daemon *d)
{
	sd_notify(0, "STOPPING=1\nSTATUS=stopping");
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

		program_owned_keys(&d->ops, &owned);
		if (rec_apply(d->ipvs, NULL, 0, owned, owned ? d->ops.n_owned : 0,
			      program_rec_error, d, &st) == 0) {
			opstate_set_owned(&d->ops, NULL, 0);
			opstore_save(d);
		}
		free(owned);
		log_notice("removed %zu virtual server%s from IPVS", st.svc_del,
			   PLURAL(st.svc_del));
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
	free((char *)d->state_file);
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
	r = daemon_start(&d);
	if (r == 0)
		r = loop_run(d.loop);
	if (r < 0)
		d.exit_code = 1;
	daemon_stop(&d);
	return d.exit_code;
}
