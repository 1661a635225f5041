/* reload.c — a new configuration in force (SIGHUP, lvsctl reload; see
 * reload.h): read against the plugins (confload.c), refused if it would
 * wipe everything, diffed and logged, then every part follows the new
 * model and the reconciler is asked to run. */
#include "reload.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "agent.h"
#include "apply.h"
#include "confload.h"
#include "ctl.h"
#include "health.h"
#include "ipvs.h"
#include "log.h"
#include "model_diff.h"
#include "opstore.h"
#include "runtime.h"
#include "schedrs.h"
#include "parts.h"
#include "schema.h"
#include "sdnotify.h"
#include "snmp.h"
#include "spawn.h"
#include "vrrpmgr.h"

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

/* The [global] keys read at start only (SK_RESTART in its table). */
static int check_restart_only(const struct model *old, const struct model *new)
{
	size_t n;
	const struct schema_key *t = schema_keys(SCHEMA_GLOBAL, &n);

	for (size_t i = 0; i < n; i++)
		if ((t[i].flags & SK_RESTART) &&
		    schema_differs(&t[i], &old->global, &new->global))
			log_warnx("reload: %s changed; it takes effect at the next restart",
				  t[i].key);
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

/* The diff's lines, logged with what caused them ("reload", "lvsctl
 * add-rs"). */
static void log_diff_line(void *arg, const char *line)
{
	log_notice("%s: %s", arg ? (const char *)arg : "reload", line);
}

int reload_install(struct daemon *d, struct model *m, const char *why)
{
	struct model *old = d->model;
	struct model_diff diff = { 0 };
	int r;

	if (model_diff(old, m, &diff) < 0 ||
	    srv_sync(&d->servers, m, parts_srv_gone, d) < 0) {
		model_diff_free(&diff);
		schema_free_model(m);
		return -ENOMEM;
	}
	if (model_diff_trackers(old, m, log_diff_line, (void *)why) == 0 &&
	    diff.n == 0)
		log_notice("%s: no changes", why ? why : "reload");
	model_diff_emit(&diff, log_diff_line, (void *)why);
	model_diff_free(&diff);
	check_restart_only(old, m);
	if (d->ctl && ctl_set_groups(d->ctl, m->global.control_group,
				     m->global.control_group_ro) < 0)
		log_warn("reload: control socket %s: mode/group", m->global.control_socket);
	if (vrrpmgr_reload(d->vrrp, &d->plugins, old, m) < 0) /* vrrpmgr.c */
		log_err("reload: some VRRP instances could not be started");
	opstore_renamed(d, old, m); /* before opstore_apply: same service */
	d->model = m;
	parts_ipvssync(d); /* ipvssync.c: changed parameters restart them */
	schema_free_model(old);
	prog_set_max(d->spawner, m->global.max_scripts);
	opstore_apply(d);
	snmp_reloaded(d->snmp); /* snmp.c: the tables follow the new model */
	schedrs_sync(&d->servers, &d->plugins); /* rs_attach/rs_detach */
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
	return 0;
}

int reload_config(struct daemon *d, unsigned flags,
		  void (*errs)(void *, const char *), void *arg)
{
	struct relay rl = { errs, arg };
	char line[512];
	struct model *m = NULL, *old = d->model;
	int r;

	sdnotify_reloading(d);
	log_notice("reloading %s", d->opts.config);
	r = confload_parse(&d->plugins, d->opts.config, &m, relay_err, &rl);
	if (r == 0 && (r = runtime_merge(d, &m)) < 0) /* runtime.c */
		m = NULL;
	d->n.last_reload = time(NULL);
	if (r < 0) {
		d->n.reload_failures++;
		d->n.last_reload_ok = 0;
		log_err("reload failed: %s; the running configuration stays in force",
			r == -EINVAL ? "errors in the file" : strerror(-r));
		sdnotify_ready(d, "; the last reload failed, the previous configuration stays");
		return r;
	}
	if (wipes_everything(old, m, line, sizeof(line))) {
		if (!(flags & RELOAD_FORCE)) {
			relay_err(&rl, line);
			schema_free_model(m);
			d->n.reload_failures++;
			d->n.last_reload_ok = 0;
			sd_notify(0, "READY=1");
			return -ECANCELED;
		}
		log_warnx("reload forced: %s removes every virtual server or VRRP instance",
			  d->opts.config);
	}
	if (reload_install(d, m, NULL) < 0) {
		d->n.reload_failures++;
		d->n.last_reload_ok = 0;
		log_err("reload failed: out of memory; the running configuration stays in force");
		sdnotify_ready(d, "; the last reload failed, the previous configuration stays");
		return -ENOMEM;
	}
	d->n.reloads++;
	d->n.last_reload_ok = 1;
	apply_kick(d);
	sdnotify_ready(d, " (reloaded)");
	return 0;
}
