/* daemon.c — start, signals and stop (see daemon.h). The reading path:
 * daemon_run → confload_file (cfg.c, plugin.c) → srv_sync (servers.c) →
 * apply_now (apply.c) → desired_build → rec_apply (reconcile.c, the
 * kernel). How the parts are hooked up: parts.c; a reload: reload.c. */
#include "daemon.h"

#include <errno.h>
#include <grp.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "apply.h"
#include "bgp.h"
#include "cfgfast.h"
#include "checkproc.h"
#include "confload.h"
#include "control.h"
#include "ctl.h"
#include "dump.h"
#include "health.h"
#include "ipvs.h"
#include "log.h"
#include "loop.h"
#include "opstore.h"
#include "runtime.h"
#include "schedrs.h"
#include "parts.h"
#include "reload.h"
#include "schema.h"
#include "sdnotify.h"
#include "smtp.h"
#include "metrics.h"
#include "snmpload.h"
#include "spawn.h"
#include "vrrpmgr.h"

/* "s" unless n is 1: "1 virtual server", "2 virtual servers" */
#define PLURAL(n) ((n) == 1 ? "" : "s")

#define DEFAULT_SYNC_INTERVAL_MS 5000u

/* ---------------------------------------------------------------- dump */

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
			reload_config(d, 0, NULL, NULL); /* never forced */
			break;
		case SIGCHLD:
			checkproc_reap(d->checkproc); /* before spawn_reap */
			spawn_reap(d->spawner);
			break;
		case SIGUSR1:
			dump_state(d, dump_to_log, NULL);
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

	sdnotify_send("WATCHDOG=1");
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

/* checkproc_set_forget: in the check process, the model is lvsd's. */
static void forget_in_child(void *arg)
{
	struct daemon *d = arg;

	schema_free_model(d->model);
	d->model = NULL;
	cfgfast_remember(NULL);
}

int daemon_start(struct daemon *d)
{
	const char *sock;
	int r;

	d->started_us = loop_now_us();
	d->started = time(NULL);
	d->n.last_reload_ok = -1;
	d->sigfd = -1;
	d->reconcile_server = apply_server; /* for operator.c */
	if ((r = loop_new(&d->loop)) < 0)
		return r;
	d->host.loop = d->loop;
	d->host.arg = d;
	plugin_set_init(&d->plugins, &d->host);
	if ((r = smtp_new(d->loop, &d->smtp)) < 0)
		return r;
	if ((r = parts_health(d)) < 0)
		return r;
	if ((r = parts_agent(d)) < 0)
		return r;
	if ((r = parts_vrrp(d)) < 0) {
		log_err("rtnetlink: %s", strerror(-r));
		return r;
	}
	if ((r = parts_bgp(d)) < 0)
		return r;
	if ((r = signals_open(d)) < 0) {
		log_err("signals: %s", strerror(-r));
		return r;
	}
	if ((r = confload_file(&d->plugins, &d->opts, &d->model, confload_emit_log)) < 0)
		return r;
	prog_set_max(d->spawner, d->model->global.max_scripts);
	/* The check process is forked now, before the kernel's sockets and
	 * the control socket are open (it closes every fd anyway). */
	if ((r = checkproc_new(d->loop, &d->plugins, &d->host, &d->checkproc)) == 0)
		checkproc_set_forget(d->checkproc, forget_in_child, d);
	if (r < 0 ||
	    (r = checkproc_start(d->checkproc, d->model,
				 d->model->global.max_scripts)) < 0)
		return r;
	health_set_checkproc(d->health, d->checkproc);
	agent_set_checkproc(d->agent, d->checkproc);
	cfgfast_remember(d->model); /* a reload's fast path (cfgfast.h) */
	/* after the check process, whose missing check_user is said first */
	{
		char err[512], who[96];

		if ((r = spawner_set_user(d->spawner, model_script_user(&d->model->global),
					  err, sizeof(err))) < 0) {
			log_err("%s", err);
			return r;
		}
		log_info("programs (notify, vrrp_script, MISC_CHECK) run as %s",
			 spawner_user(d->spawner, who, sizeof(who)));
	}
	/* a copy: a reload frees the model it came from */
	d->state_file = strdup(d->opts.state_file ? d->opts.state_file
						  : d->model->global.state_file);
	if (!d->state_file)
		return -ENOMEM;
	mkdir_for(d->state_file);
	opstore_load(d); /* logged; an unreadable file is held, not fatal */
	if ((r = runtime_merge(d, &d->model)) < 0) /* lvsctl add-vs... */
		return r;
	if ((r = srv_sync(&d->servers, d->model, parts_srv_gone, d)) < 0)
		return r;
	opstore_apply(d);
	schedrs_sync(&d->servers, &d->plugins); /* schedrs.c: rs_attach */
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
	if ((r = apply_now(d)) < 0)
		return r;
	parts_snmp(d); /* snmp.c */
	parts_metrics(d); /* metrics.c */
	parts_ipvssync(d); /* ipvssync.c: backup daemon until a state is known */
	if (vrrpmgr_start(d->vrrp, &d->plugins, d->model) < 0)
		log_err("some VRRP instances could not be started");
	bgp_update(d->bgp, d->model); /* bgp.c: announced from now on */
	d->sync = loop_timer_add(d->loop, d->opts.sync_interval_ms, apply_on_sync, d);
	if ((d->watchdog_us = sdnotify_watchdog_us()) > 0)
		on_watchdog(d);
	log_notice("lvsd %s started: %zu virtual server%s, %zu real server%s, "
		   "%zu VRRP instance%s, %zu plugin%s", LVSD_VERSION, d->model->n_vs,
		   PLURAL(d->model->n_vs), d->model->n_rs, PLURAL(d->model->n_rs),
		   d->model->n_vrrp, PLURAL(d->model->n_vrrp), d->plugins.n,
		   PLURAL(d->plugins.n));
	malloc_trim(0); /* the parser's and start-up's freed memory */
	sdnotify_ready(d, "");
	return 0;
}

void daemon_stop(struct daemon *d)
{
	sdnotify_send("STOPPING=1\nSTATUS=stopping");
	bgp_free(d->bgp); /* first: BIRD withdraws, the others take the flows */
	d->bgp = NULL;
	snmpload_stop(d->snmp); /* snmpload.c */
	d->snmp = NULL;
	metrics_stop(d->metrics); /* metrics.c */
	d->metrics = NULL;
	vrrpmgr_free(d->vrrp); /* first: priority 0 lets a backup take over */
	d->vrrp = NULL;
	parts_ipvssync_stop(d); /* ipvssync.c: the kernel's sync daemons */
	smtp_free(d->smtp); /* alerts not sent by now are dropped */
	d->smtp = NULL;
	if (d->ipvs && !d->opts.keep_ipvs && d->model) {
		/* Remove what we own; the state file forgets it only if that
		 * worked, so a failed removal is retried at the next start. */
		struct ipvs_service *owned = NULL;
		struct rec_stats st = { 0 };

		apply_owned_keys(&d->ops, &owned);
		if (rec_apply(d->ipvs, NULL, 0, owned, owned ? d->ops.n_owned : 0,
			      apply_rec_error, d, &st) == 0) {
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
	checkproc_free(d->checkproc); /* after every check is destroyed */
	spawner_free(d->spawner);
	schedrs_detach_all(&d->servers); /* before the plugins' fini */
	srv_table_free(&d->servers);
	plugin_set_free(&d->plugins);
	schema_free_model(d->model);
	cfgfast_remember(NULL);
	apply_forget(d);
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
