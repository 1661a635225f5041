/* vrrpmgr.c — VRRP instances between the model and the engine plugin
 * (see vrrpmgr.h): start, reload, stop, state reports, sync groups.
 * What the engine gets is made by vrrplive.c, the programs run by
 * vrrpnotify.c. Loop thread only, except the vip_add / vip_del /
 * link_up hooks, which the engine calls from its own thread. */
#include "vrrpmgr.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "log.h"
#include "loop.h"
#include "model_diff.h"
#include "plugin.h"
#include "schema.h"
#include "spawn.h"
#include "vrrplive.h"
#include "vrrpnotify.h"
#include "vtrack.h"

struct vgroup {
	struct model_sync_group cfg;    /* name and notify programs (copies) */
	enum lvsd_vrrp_state st;        /* what all members agree on */
};

struct vrrpmgr {
	struct loop *loop;
	struct host *host;
	struct vrrpnotify notify;       /* programs: the loop and host's spawn */
	int32_t rt_priority;            /* [global] vrrp_rt_priority in force */
	struct addrctl *addr;
	struct plugin *engine;          /* NULL until an instance runs */
	struct vrrp_rt *list;           /* in the order started */
	struct vrrp_rt *grave;          /* deleted, freed from the loop */
	struct vgroup *groups;
	size_t n_groups;
	struct vtrack *track;           /* NULL: no tracking */
	struct spawner *sp;
	struct vrrpmgr_router_stats retired; /* of the instances stopped */
};

const char *vrrpmgr_state_str(enum lvsd_vrrp_state s)
{
	switch (s) {
	case LVSD_VRRP_INIT: return "INIT";
	case LVSD_VRRP_BACKUP: return "BACKUP";
	case LVSD_VRRP_MASTER: return "MASTER";
	case LVSD_VRRP_FAULT: return "FAULT";
	}
	return "?";
}

static struct plugin *find_engine(const struct plugin_set *ps)
{
	struct plugin *any = NULL;

	for (size_t i = 0; ps && i < ps->n; i++) {
		struct plugin *p = ps->v[i];

		if (p->desc.kind != LVSD_PLUGIN_VRRP)
			continue;
		if (strcmp(p->desc.name, "vrrp") == 0)
			return p;
		if (!any)
			any = p;
	}
	return any;
}

int vrrpmgr_check(const struct plugin_set *ps, const struct model *m,
		  void (*emit)(void *arg, const char *line), void *arg)
{
	char line[512];

	if (!m || !m->n_vrrp || find_engine(ps))
		return 0;
	snprintf(line, sizeof(line),
		 "%s:%u: [vrrp %s]: no VRRP engine plugin is loaded (vrrp_vrrp.so in the plugin directory)",
		 m->file ? m->file : "?", m->vrrp[0].line, m->vrrp[0].name);
	emit(arg, line);
	return -EINVAL;
}

static uint8_t effective(const struct vrrp_rt *rt)
{
	int32_t p = rt->cfg.priority;

	if (p == 255)
		return 255;
	p += rt->track_delta;
	return (uint8_t)(p < 1 ? 1 : p > 254 ? 254 : p);
}

/* What tracking says for rt now, into rt and (at start) its config. */
static int track_eval(struct vrrpmgr *m, struct vrrp_rt *rt, char *why,
		      size_t len)
{
	int32_t delta;
	int fault, changed;

	vtrack_eval(m->track, &rt->cfg, &delta, &fault, why, len);
	changed = delta != rt->track_delta || fault != rt->track_fault;
	rt->track_delta = delta;
	rt->track_fault = fault;
	rt->prio = effective(rt);
	return changed;
}

/* ------------------------------------------------------------ lifetime */

int vrrpmgr_new(struct loop *loop, struct host *host, struct vrrpmgr **out)
{
	struct vrrpmgr *m = calloc(1, sizeof(*m));
	int r;

	if (!m)
		return -ENOMEM;
	m->loop = loop;
	m->host = host;
	m->notify.loop = loop;
	m->notify.host = host;
	m->rt_priority = 1;
	if ((r = addrctl_open(&m->addr)) < 0) {
		free(m);
		return r;
	}
	*out = m;
	return 0;
}

static void rt_free(struct vrrp_rt *rt)
{
	schema_clear(SCHEMA_VRRP, &rt->cfg);
	vrrplive_free(rt->live);
	free(rt);
}

static void bury(void *arg);

/* Stop one instance; the struct is freed once the loop has delivered
 * every state report the engine queued before instance_del returned. */
static void rt_stop(struct vrrpmgr *m, struct vrrp_rt *rt, int final)
{
	struct vrrp_rt **pp;

	for (pp = &m->list; *pp; pp = &(*pp)->next)
		if (*pp == rt) {
			*pp = rt->next;
			break;
		}
	if (rt->state) {
		struct lvsd_vrrp_stats st;

		vrrpmgr_stats(m, rt, &st);
		m->retired.checksum_errors += st.bad_checksum;
		m->retired.version_errors += st.bad_version;
		m->retired.vrid_errors += st.bad_vrid;
		m->engine->ops.vrrp.instance_del(rt->state);
	}
	rt->state = NULL;
	if (final) {
		char who[80];

		/* keepalived's notify_stop, and its generic notify with STOP */
		snprintf(who, sizeof(who), "vrrp %s", rt->cfg.name);
		vrrpnotify_run(&m->notify, &rt->cfg.notify_stop, who);
		vrrpnotify_generic(&m->notify, &rt->cfg.notify, "INSTANCE",
				   rt->cfg.name, "STOP", rt->prio, 1);
	}
	rt->dead = 1;
	rt->next = m->grave;
	m->grave = rt;
	if (loop_post(m->loop, bury, rt) < 0)
		log_debug("vrrp %s: freed at exit", rt->cfg.name);
}

/* Every report queued before the instance_del is delivered now: the next
 * sweep may free it. */
static void bury(void *arg)
{
	struct vrrp_rt *rt = arg;

	rt->dead = 2;
}

static void sweep(struct vrrpmgr *m)
{
	for (struct vrrp_rt **pp = &m->grave; *pp;) {
		struct vrrp_rt *rt = *pp;

		if (rt->dead == 2) {
			*pp = rt->next;
			rt_free(rt);
		} else {
			pp = &rt->next;
		}
	}
}

static void groups_free(struct vrrpmgr *m)
{
	for (size_t i = 0; i < m->n_groups; i++)
		schema_clear(SCHEMA_SYNC, &m->groups[i].cfg);
	free(m->groups);
	m->groups = NULL;
	m->n_groups = 0;
}

void vrrpmgr_free(struct vrrpmgr *m)
{
	if (!m)
		return;
	while (m->list)
		rt_stop(m, m->list, 1);
	for (size_t i = 0; i < m->n_groups; i++) /* as keepalived: GROUP STOP 0 */
		vrrpnotify_generic(&m->notify, &m->groups[i].cfg.notify, "GROUP",
				   m->groups[i].cfg.name, "STOP", 0, 1);
	while (m->grave) {
		struct vrrp_rt *rt = m->grave;

		m->grave = rt->next;
		rt_free(rt);
	}
	groups_free(m);
	vtrack_free(m->track);
	addrctl_close(m->addr);
	free(m);
}

/* ----------------------------------------------------------- tracking */

/* Something tracked changed: tell the engine about each instance whose
 * priority delta or fault moved (the next advert carries the priority). */
static void on_track_changed(void *arg)
{
	struct vrrpmgr *m = arg;
	static int warned;

	for (struct vrrp_rt *rt = m->list; rt; rt = rt->next) {
		char why[160];

		if (rt->dead || !rt->state || !track_eval(m, rt, why, sizeof(why)))
			continue;
		if (!why[0])
			snprintf(why, sizeof(why), "tracking back to neutral");
		if (m->engine->ops.vrrp.set_tracking)
			m->engine->ops.vrrp.set_tracking(rt->state, rt->track_delta,
							 rt->track_fault, why);
		else if (!warned++)
			log_err("vrrp: the engine plugin cannot take tracking (it is older than ABI 1.2)");
	}
}

int vrrpmgr_tracking(struct vrrpmgr *m, struct spawner *sp)
{
	m->sp = sp;
	return vtrack_new(m->loop, sp, on_track_changed, m, &m->track);
}

/* ------------------------------------------------------------- groups */

static int groups_load(struct vrrpmgr *m, const struct model *model)
{
	struct vgroup *g = model->n_sync ? calloc(model->n_sync, sizeof(*g)) : NULL;
	size_t n = 0;

	if (model->n_sync && !g)
		return -ENOMEM;
	for (; n < model->n_sync; n++) {
		const struct model_sync_group *s = &model->sync[n];
		struct vgroup *old = NULL;

		if (schema_copy(SCHEMA_SYNC, &g[n].cfg, s)) {
			for (size_t k = 0; k <= n; k++)
				schema_clear(SCHEMA_SYNC, &g[k].cfg);
			free(g);
			return -ENOMEM;
		}
		for (size_t k = 0; k < m->n_groups; k++)
			if (strcmp(m->groups[k].cfg.name, s->name) == 0)
				old = &m->groups[k];
		g[n].st = old ? old->st : LVSD_VRRP_INIT;
	}
	groups_free(m);
	m->groups = g;
	m->n_groups = n;
	return 0;
}

/* All members of rt's group in one state: the group is in it; say so
 * once and run the group's program for it. */
static void group_check(struct vrrpmgr *m, const struct vrrp_rt *rt)
{
	struct vgroup *g = NULL;
	const struct model_strv *prog;

	if (!rt->cfg.sync_group[0])
		return;
	for (size_t i = 0; i < m->n_groups; i++)
		if (strcmp(m->groups[i].cfg.name, rt->cfg.sync_group) == 0)
			g = &m->groups[i];
	if (!g)
		return;
	for (const struct vrrp_rt *o = m->list; o; o = o->next)
		if (strcmp(o->cfg.sync_group, g->cfg.name) == 0 && o->st != rt->st)
			return;
	if (g->st == rt->st)
		return;
	log_notice("vrrp sync group %s: %s -> %s", g->cfg.name,
		   vrrpmgr_state_str(g->st), vrrpmgr_state_str(rt->st));
	g->st = rt->st;
	prog = rt->st == LVSD_VRRP_MASTER ? &g->cfg.notify_master
	     : rt->st == LVSD_VRRP_BACKUP ? &g->cfg.notify_backup
	     : rt->st == LVSD_VRRP_FAULT ? &g->cfg.notify_fault : NULL;
	if (prog) {
		char who[80];

		snprintf(who, sizeof(who), "vrrp sync group %s", g->cfg.name);
		vrrpnotify_run(&m->notify, prog, who);
	}
	vrrpnotify_generic(&m->notify, &g->cfg.notify, "GROUP", g->cfg.name,
			   vrrpmgr_state_str(rt->st), 0, 0);
}

/* ---------------------------------------------------------- instances */

static int rt_start(struct vrrpmgr *m, const struct model_vrrp *v,
		    struct vrrp_rt **slot_after)
{
	struct vrrp_rt *rt = calloc(1, sizeof(*rt));
	int r;

	if (!rt || vrrplive_copy(&rt->cfg, v) < 0 ||
	    !(rt->live = vrrplive_new(v, m->rt_priority))) {
		if (rt)
			schema_clear(SCHEMA_VRRP, &rt->cfg);
		free(rt);
		return -ENOMEM;
	}
	track_eval(m, rt, rt->track_why, sizeof(rt->track_why));
	rt->live->pc.track_priority_delta = rt->track_delta;
	rt->live->pc.track_fault = rt->track_fault;
	rt->live->pc.track_why = rt->track_why;
	rt->st = LVSD_VRRP_INIT;
	rt->since_us = rt->started_us = loop_now_us();
	snprintf(rt->why, sizeof(rt->why), "starting");
	/* Linked first: the engine may report a state from instance_add. */
	rt->next = *slot_after;
	*slot_after = rt;
	r = m->engine->ops.vrrp.instance_add(m->engine->ctx,
					     (struct lvsd_vrrp_instance *)rt,
					     &rt->live->pc, &rt->state);
	if (r < 0) {
		log_err("vrrp %s: the engine refused it: %s", v->name, strerror(-r));
		rt->state = NULL;
		rt_stop(m, rt, 0);
		return r;
	}
	return 0;
}

int vrrpmgr_start(struct vrrpmgr *m, const struct plugin_set *ps,
		  const struct model *model)
{
	struct vrrp_rt **tail = &m->list;
	int rc = 0, r;

	if (!model->n_vrrp)
		return 0;
	m->rt_priority = (int32_t)model->global.vrrp_rt_priority;
	m->engine = find_engine(ps);
	if (!m->engine)
		return -ENOENT; /* vrrpmgr_check() said so already */
	if ((r = groups_load(m, model)) < 0)
		return r;
	if (m->track)
		vtrack_apply(m->track, model);
	for (size_t i = 0; i < model->n_vrrp; i++) {
		r = rt_start(m, &model->vrrp[i], tail);
		if (r < 0)
			rc = r;
		while (*tail)
			tail = &(*tail)->next;
	}
	return rc;
}

static struct vrrp_rt *find_rt(struct vrrpmgr *m, const char *name)
{
	for (struct vrrp_rt *rt = m->list; rt; rt = rt->next)
		if (strcmp(rt->cfg.name, name) == 0)
			return rt;
	return NULL;
}

/* Does a change keep the protocol identity (what the other routers know
 * the instance by, and the socket it speaks on)? */
static int same_identity(const struct model_vrrp *o, const struct model_vrrp *n)
{
	return strcmp(o->interface, n->interface) == 0 && o->vrid == n->vrid &&
	       o->version == n->version && o->family == n->family &&
	       strcmp(o->sync_group, n->sync_group) == 0;
}

/* Apply a changed section in place: 0, or -errno (then it restarts). */
static int rt_update(struct vrrpmgr *m, struct vrrp_rt *rt,
		     const struct model_vrrp *v, const char *what)
{
	struct vrrp_live *l;
	int r;

	if (!m->engine->ops.vrrp.instance_update || !rt->state ||
	    !same_identity(&rt->cfg, v))
		return -EOPNOTSUPP;
	if (!(l = vrrplive_new(v, m->rt_priority)))
		return -ENOMEM;
	r = m->engine->ops.vrrp.instance_update(rt->state, &l->pc);
	if (r < 0) {
		if (r != -EOPNOTSUPP)
			log_warnx("vrrp %s: the engine cannot apply the change in place (%s): restarting it",
				    v->name, strerror(-r));
		vrrplive_free(l);
		return r;
	}
	/* The engine runs with l now; the old one is no longer seen. */
	vrrplive_free(rt->live);
	rt->live = l;
	schema_clear(SCHEMA_VRRP, &rt->cfg);
	if (vrrplive_copy(&rt->cfg, v) < 0)
		log_err("vrrp %s: out of memory copying the configuration", v->name);
	if (what) /* NULL: the diff saw no change (quiet) */
		log_notice("vrrp %s: changed in place (%s)", v->name, what);
	/* RFC 3768 7.1: a version 2 backup drops adverts whose address list
	 * or interval differ from its own: the peers must change too. */
	if (what && v->version == 2 &&
	    (strstr(what, "virtual_ipaddress") || strstr(what, "advert_int")))
		log_warnx("vrrp %s: version 2: backups drop adverts whose virtual addresses or advert_int differ from theirs; change the peers too",
			  v->name);
	return 0;
}

static bool diff_lists(const struct model_diff *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].kind == MODEL_KIND_VRRP && strcmp(d->v[i].id, name) == 0)
			return true;
	return false;
}

int vrrpmgr_reload(struct vrrpmgr *m, const struct plugin_set *ps,
		   const struct model *old, const struct model *new)
{
	struct model_diff d = { 0 };
	struct vrrp_rt **tail;
	bool *done;
	int rc = 0, r;

	sweep(m);
	m->rt_priority = (int32_t)new->global.vrrp_rt_priority;
	if (!m->engine)
		m->engine = find_engine(ps);
	if (!m->engine)
		return new->n_vrrp ? -ENOENT : 0;
	if ((r = model_diff(old, new, &d)) < 0 || (r = groups_load(m, new)) < 0) {
		model_diff_free(&d);
		return r;
	}
	if (m->track)
		vtrack_apply(m->track, new);
	/* Changes that keep the protocol identity are applied in place... */
	done = d.n ? calloc(d.n, sizeof(*done)) : NULL;
	for (size_t i = 0; done && i < d.n; i++) {
		const struct model_diff_entry *e = &d.v[i];
		struct vrrp_rt *rt;

		if (e->kind != MODEL_KIND_VRRP || e->change != MODEL_CHANGED)
			continue;
		if ((rt = find_rt(m, old->vrrp[e->old_idx].name)) &&
		    rt_update(m, rt, &new->vrrp[e->new_idx], e->what) == 0)
			done[i] = true;
	}
	if (m->track)
		on_track_changed(m); /* to instances that keep running */
	/* ...removed and other changed instances stop (gracefully)... */
	for (size_t i = 0; i < d.n; i++) {
		const struct model_diff_entry *e = &d.v[i];
		struct vrrp_rt *rt;

		if (e->kind != MODEL_KIND_VRRP || e->change == MODEL_ADDED ||
		    (done && done[i]))
			continue;
		if ((rt = find_rt(m, old->vrrp[e->old_idx].name))) {
			log_notice("vrrp %s: %s, stopping it", rt->cfg.name,
				   e->change == MODEL_REMOVED ? "removed" : "changed");
			rt_stop(m, rt, e->change == MODEL_REMOVED);
		}
	}
	/* ...then changed and added ones start, in configuration order. */
	for (size_t i = 0; i < d.n; i++) {
		const struct model_diff_entry *e = &d.v[i];

		if (e->kind != MODEL_KIND_VRRP || e->change == MODEL_REMOVED ||
		    (done && done[i]))
			continue;
		for (tail = &m->list; *tail; tail = &(*tail)->next)
			;
		if ((r = rt_start(m, &new->vrrp[e->new_idx], tail)) < 0)
			rc = r;
	}
	/* The instances the diff calls unchanged get their new section too,
	 * in place and quietly: a key model_diff does not compare still
	 * takes effect (the engine reads its whole configuration afresh),
	 * and an identity change it missed restarts the instance. */
	for (size_t i = 0; m->engine->ops.vrrp.instance_update && i < new->n_vrrp; i++) {
		const struct model_vrrp *v = &new->vrrp[i];
		struct vrrp_rt *rt = find_rt(m, v->name);

		if (!rt || !rt->state || diff_lists(&d, v->name))
			continue;
		if (rt_update(m, rt, v, NULL) == 0)
			continue;
		log_notice("vrrp %s: changed, stopping it", v->name);
		rt_stop(m, rt, 0);
		for (tail = &m->list; *tail; tail = &(*tail)->next)
			;
		if ((r = rt_start(m, v, tail)) < 0)
			rc = r;
	}
	free(done);
	model_diff_free(&d);
	return rc;
}

/* --------------------------------------------------------------- hooks */

int vrrpmgr_vip_add(struct vrrpmgr *m, const struct lvsd_vip *vip)
{
	return m ? addrctl_add(m->addr, vip) : -ENOTSUP;
}

int vrrpmgr_vip_del(struct vrrpmgr *m, const struct lvsd_vip *vip)
{
	return m ? addrctl_del(m->addr, vip) : -ENOTSUP;
}

int vrrpmgr_link_up(struct vrrpmgr *m, const char *ifname)
{
	return m ? addrctl_link_up(m->addr, ifname) : -ENOTSUP;
}

void vrrpmgr_state(struct vrrpmgr *m, struct lvsd_vrrp_instance *inst,
		   enum lvsd_vrrp_state state, const char *why)
{
	struct vrrp_rt *rt = (struct vrrp_rt *)inst;

	if (!m || rt->dead)
		return;
	log_notice("vrrp %s: %s -> %s: %s", rt->cfg.name, vrrpmgr_state_str(rt->st),
		   vrrpmgr_state_str(state), why && why[0] ? why : "(no reason given)");
	if (state == LVSD_VRRP_BACKUP || state == LVSD_VRRP_MASTER) {
		if (!rt->up_since_us)
			rt->up_since_us = loop_now_us();
	} else {
		rt->up_since_us = 0;
	}
	rt->st = state;
	snprintf(rt->why, sizeof(rt->why), "%s", why ? why : "");
	rt->since_us = loop_now_us();
	rt->transitions++;
	vrrpnotify_generic(&m->notify, &rt->cfg.notify, "INSTANCE", rt->cfg.name,
			   vrrpmgr_state_str(state), rt->prio, 0);
	group_check(m, rt);
	sweep(m);
}

/* ------------------------------------------------------------- reading */

size_t vrrpmgr_count(const struct vrrpmgr *m)
{
	size_t n = 0;

	for (const struct vrrp_rt *rt = m ? m->list : NULL; rt; rt = rt->next)
		n++;
	return n;
}

const struct vrrp_rt *vrrpmgr_at(const struct vrrpmgr *m, size_t i)
{
	for (const struct vrrp_rt *rt = m ? m->list : NULL; rt; rt = rt->next)
		if (i-- == 0)
			return rt;
	return NULL;
}

void vrrpmgr_stats(const struct vrrpmgr *m, const struct vrrp_rt *rt,
		   struct lvsd_vrrp_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	if (m->engine && m->engine->ops.vrrp.stats && rt->state)
		m->engine->ops.vrrp.stats(rt->state, out);
	out->size = sizeof(*out);
}

void vrrpmgr_router_stats(const struct vrrpmgr *m,
			  struct vrrpmgr_router_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (!m)
		return;
	*out = m->retired;
	for (const struct vrrp_rt *rt = m->list; rt; rt = rt->next) {
		struct lvsd_vrrp_stats st;

		vrrpmgr_stats(m, rt, &st);
		out->checksum_errors += st.bad_checksum;
		out->version_errors += st.bad_version;
		out->vrid_errors += st.bad_vrid;
	}
}

void vrrpmgr_report(const struct vrrpmgr *m,
		    void (*emit)(void *arg, const char *line), void *arg)
{
	char line[1024], ab[64], eb[32], mb[96];
	uint64_t now = loop_now_us();

	for (const struct vrrp_rt *rt = m ? m->list : NULL; rt; rt = rt->next) {
		const struct model_vrrp *v = &rt->cfg;
		struct lvsd_vrrp_stats s;

		vrrpmgr_stats(m, rt, &s);
		eb[0] = '\0';
		/* No advert seen yet: the master is unknown, not "- priority 0" */
		if (s.master_addr.family)
			snprintf(mb, sizeof(mb), "%s priority %u",
				 model_addr_str(&s.master_addr, ab, sizeof(ab)),
				 s.master_priority);
		else
			snprintf(mb, sizeof(mb), "unknown");
		if (rt->prio != v->priority)
			snprintf(eb, sizeof(eb), " (effective %u)", rt->prio);
		snprintf(line, sizeof(line),
			 "vrrp %s: %s for %.1fs (%s); interface %s vrid %u priority %u%s "
			 "version %d advert %u.%02us; master %s%s%s",
			 v->name, vrrpmgr_state_str(rt->st),
			 (double)(now - rt->since_us) / 1e6, rt->why, v->interface,
			 v->vrid, v->priority, eb, v->version, v->advert_int_cs / 100,
			 v->advert_int_cs % 100,
			 mb, v->sync_group[0] ? "; sync group " : "",
			 v->sync_group);
		emit(arg, line);
		snprintf(line, sizeof(line),
			 "  transitions %llu became_master %llu adverts_rcvd %llu "
			 "adverts_sent %llu bad_checksum %llu bad_version %llu "
			 "bad_vrid %llu bad_ttl %llu bad_auth %llu bad_length %llu "
			 "bad_interval %llu bad_addr_list %llu prio0_rcvd %llu prio0_sent %llu "
			 "drop_not_peer %llu drop_in_fault %llu drop_other %llu vips_restored %llu send_errors %llu "
			 "adverts_late %llu advert_late_max_ms %.1f bad_type %llu",
			 (unsigned long long)rt->transitions,
			 (unsigned long long)s.master_transitions,
			 (unsigned long long)s.adverts_rcvd,
			 (unsigned long long)s.adverts_sent,
			 (unsigned long long)s.bad_checksum,
			 (unsigned long long)s.bad_version,
			 (unsigned long long)s.bad_vrid,
			 (unsigned long long)s.bad_ttl,
			 (unsigned long long)s.bad_auth,
			 (unsigned long long)s.bad_length,
			 (unsigned long long)s.bad_interval,
			 (unsigned long long)s.bad_addr_list,
			 (unsigned long long)s.priority_zero_rcvd,
			 (unsigned long long)s.priority_zero_sent,
			 (unsigned long long)s.drop_not_peer,
			 (unsigned long long)s.drop_in_fault,
			 (unsigned long long)s.drop_other,
			 (unsigned long long)s.vips_restored,
			 (unsigned long long)s.send_errors,
			 (unsigned long long)s.adverts_late,
			 (double)s.advert_late_max_us / 1e3,
			 (unsigned long long)s.bad_type);
		emit(arg, line);
	}
	if (m)
		vtrack_report(m->track, emit, arg);
}
