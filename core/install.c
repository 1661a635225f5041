/* install.c — a new model in force (see install.h): the diff logged,
 * then every part follows it. A reload (reload.c) and a runtime change
 * (runtime.c) both end here. */
#include "install.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>

#include "agent.h"
#include "bgp.h"
#include "cfgfast.h"
#include "checkproc.h"
#include "ctl.h"
#include "health.h"
#include "ipvs.h"
#include "log.h"
#include "model_diff.h"
#include "opstore.h"
#include "parts.h"
#include "schedrs.h"
#include "schema.h"
#include "snmpload.h"
#include "spawn.h"
#include "vrrpmgr.h"

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

/* The diff's lines, logged with what caused them ("reload", "lvsctl
 * add-rs"). */
static void log_diff_line(void *arg, const char *line)
{
	log_notice("%s: %s", arg ? (const char *)arg : "reload", line);
}

/* fast: old is a shell sharing m's objects (cfgfast.h), the changes are
 * *given (of real servers only, the same identities). */
static int install(struct daemon *d, struct model *m, const char *why,
		   const struct model_diff *given)
{
	struct model *old = d->model;
	struct model_diff diff = { 0 };
	int r;

	if (given) {
		/* the same real servers at the same places: each srv's cfg
		 * points at its object already (srv_sync would only say so) */
		if (given->n == 0)
			log_notice("%s: no changes", why ? why : "reload");
		model_diff_emit(given, log_diff_line, (void *)why);
	} else {
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
		/* the SNMP module is loaded at start only (snmpload.c) */
		if (m->global.snmp && !d->snmp)
			log_warnx("reload: snmp = yes takes effect at the next restart (the SNMP subagent is started with lvsd)");
	}
	if (d->ctl && ctl_set_groups(d->ctl, m->global.control_group,
				     m->global.control_group_ro) < 0)
		log_warn("reload: control socket %s: mode/group", m->global.control_socket);
	if (vrrpmgr_reload(d->vrrp, &d->plugins, old, m) < 0) /* vrrpmgr.c */
		log_err("reload: some VRRP instances could not be started");
	opstore_renamed(d, old, m); /* before opstore_apply: same service */
	d->model = m;
	parts_ipvssync(d); /* ipvssync.c: changed parameters restart them */
	if (given)
		cfgfast_free_shell(old);
	else
		schema_free_model(old);
	prog_set_max(d->spawner, m->global.max_scripts);
	{
		char err[512];

		if (spawner_set_user(d->spawner, model_script_user(&m->global), err,
				     sizeof(err)) < 0)
			log_err("%s: %s; programs run as before",
				why ? why : "reload", err);
	}
	opstore_apply(d);
	snmpload_reloaded(d->snmp); /* snmp.c: the tables follow the new model */
	/* rs_attach/rs_detach follow a virtual server's scheduler and its
	 * options: a fast reload keeps every virtual server as it is */
	if (!given)
		schedrs_sync(&d->servers, &d->plugins);
	/* new needs (a fwmark check): the check process restarts first */
	checkproc_sync(d->checkproc, m, m->global.max_scripts);
	r = health_sync(d->health, &d->servers, m);
	if (r < 0) /* each named by health.c, its servers out of service */
		log_err("reload: some checks could not be started%s",
			r == -ENOMEM ? " (out of memory)" : "");
	if (agent_sync(d->agent, &d->servers) < 0) /* agent.c */
		log_err("reload: some agent checks could not be started");
	bgp_update(d->bgp, m); /* bgp.c: [bgp] and bgp_announce */
	if (m->n_vs && !d->ipvs && !d->opts.no_ipvs) {
		r = ipvs_open(&d->ipvs);
		if (r < 0)
			log_err("IPVS: %s", ipvs_strerror(r));
	}
	if (!given)
		malloc_trim(0); /* the old model's and the parser's pages */
	return 0;
}

int install_model(struct daemon *d, struct model *m, const char *why)
{
	return install(d, m, why, NULL);
}

void install_model_fast(struct daemon *d, struct model *m,
			const struct model_diff *diff)
{
	install(d, m, NULL, diff);
}
