/* model_diff.c — the diff between two models that drives a reload: which
 * objects were added, removed or changed, and what changed in each, as
 * "weight 1 -> 3; method NAT -> DR".
 */
#include "model_diff.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

const char *model_kind_str(enum model_kind k)
{
	switch (k) {
	case MODEL_KIND_GLOBAL:
		return "global";
	case MODEL_KIND_VS:
		return "virtual server";
	case MODEL_KIND_RS:
		return "real server";
	case MODEL_KIND_VRRP:
		return "vrrp instance";
	case MODEL_KIND_SYNC_GROUP:
		return "vrrp sync group";
	}
	return "?";
}

const char *model_change_str(enum model_change c)
{
	switch (c) {
	case MODEL_ADDED:
		return "added";
	case MODEL_REMOVED:
		return "removed";
	case MODEL_CHANGED:
		return "changed";
	}
	return "?";
}

/* ---------------------------------------------------------------- diff */

/* A growing text of "field old -> new; ..." items. */
struct sb {
	char *s;
	size_t len;
	size_t cap;
	bool oom;
};

static void sb_printf(struct sb *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_printf(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		size_t avail = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, avail, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if ((size_t)n < avail) {
			b->len += (size_t)n;
			return;
		}
		size_t ncap = b->cap ? b->cap * 2 : 128;
		while (ncap < b->len + (size_t)n + 1)
			ncap *= 2;
		char *ns = realloc(b->s, ncap);
		if (!ns) {
			b->oom = true;
			return;
		}
		b->s = ns;
		b->cap = ncap;
	}
}

static void sb_sep(struct sb *b)
{
	if (b->len)
		sb_printf(b, "; ");
}

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool strv_eq(const struct model_strv *a, const struct model_strv *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

static void sb_strv(struct sb *b, const struct model_strv *sv)
{
	if (!sv->n) {
		sb_printf(b, "(none)");
		return;
	}
	for (size_t i = 0; i < sv->n; i++)
		sb_printf(b, "%s%s", i ? " " : "", sv->v[i]);
}

static void d_u32(struct sb *b, const char *name, uint32_t o, uint32_t n)
{
	if (o != n) {
		sb_sep(b);
		sb_printf(b, "%s %u -> %u", name, o, n);
	}
}

static void d_ms(struct sb *b, const char *name, uint32_t o, uint32_t n)
{
	if (o != n) {
		sb_sep(b);
		sb_printf(b, "%s %ums -> %ums", name, o, n);
	}
}

static void d_bool(struct sb *b, const char *name, bool o, bool n)
{
	if (o != n) {
		sb_sep(b);
		sb_printf(b, "%s %s -> %s", name, o ? "yes" : "no",
			  n ? "yes" : "no");
	}
}

static void d_str(struct sb *b, const char *name, const char *o,
		  const char *n)
{
	if (!str_eq(o, n)) {
		sb_sep(b);
		sb_printf(b, "%s %s -> %s", name, o && *o ? o : "(none)",
			  n && *n ? n : "(none)");
	}
}

static void d_strv(struct sb *b, const char *name,
		   const struct model_strv *o, const struct model_strv *n)
{
	if (!strv_eq(o, n)) {
		sb_sep(b);
		sb_printf(b, "%s ", name);
		sb_strv(b, o);
		sb_printf(b, " -> ");
		sb_strv(b, n);
	}
}

static void d_addr(struct sb *b, const char *name, const struct lvsd_addr *o,
		   const struct lvsd_addr *n)
{
	char x[INET6_ADDRSTRLEN], y[INET6_ADDRSTRLEN];

	if (!model_addr_eq(o, n)) {
		sb_sep(b);
		sb_printf(b, "%s %s -> %s", name,
			  model_addr_str(o, x, sizeof(x)),
			  model_addr_str(n, y, sizeof(y)));
	}
}

static void d_addrport(struct sb *b, const char *name,
		       const struct lvsd_addr *oa, uint16_t op,
		       const struct lvsd_addr *na, uint16_t np)
{
	char x[INET6_ADDRSTRLEN + 8], y[INET6_ADDRSTRLEN + 8];

	if (!model_addr_eq(oa, na) || op != np) {
		sb_sep(b);
		sb_printf(b, "%s %s -> %s", name,
			  oa->family ? model_addrport_str(oa, op, x, sizeof(x))
				     : "(none)",
			  na->family ? model_addrport_str(na, np, y, sizeof(y))
				     : "(none)");
	}
}

static void d_check(struct sb *b, const struct model_check_params *o,
		    const struct model_check_params *n)
{
	d_ms(b, "delay_loop", o->delay_loop_ms, n->delay_loop_ms);
	d_u32(b, "retry", o->retry, n->retry);
	d_ms(b, "delay_before_retry", o->delay_before_retry_ms,
	     n->delay_before_retry_ms);
	d_ms(b, "connect_timeout", o->connect_timeout_ms,
	     n->connect_timeout_ms);
	d_ms(b, "warmup", o->warmup_ms, n->warmup_ms);
	d_u32(b, "rise", o->rise, n->rise);
}

static void diff_global(struct sb *b, const struct model_global *o,
			const struct model_global *n)
{
	d_str(b, "router_id", o->router_id, n->router_id);
	d_str(b, "plugin_dir", o->plugin_dir, n->plugin_dir);
	d_str(b, "control_socket", o->control_socket, n->control_socket);
	d_str(b, "control_group", o->control_group, n->control_group);
	d_str(b, "control_group_ro", o->control_group_ro, n->control_group_ro);
	d_str(b, "state_file", o->state_file, n->state_file);
	d_ms(b, "operator_grace", o->operator_grace_ms, n->operator_grace_ms);
	d_u32(b, "log_level", (uint32_t)o->log_level, (uint32_t)n->log_level);
	d_bool(b, "snmp", o->snmp, n->snmp);
	d_str(b, "snmp_socket", o->snmp_socket, n->snmp_socket);
	d_bool(b, "snmp_traps", o->snmp_traps, n->snmp_traps);
	d_strv(b, "notification_email", &o->notification_email,
	       &n->notification_email);
	d_str(b, "notification_email_from", o->notification_email_from,
	      n->notification_email_from);
	d_addrport(b, "smtp_server", &o->smtp_server, o->smtp_port,
		   &n->smtp_server, n->smtp_port);
	d_ms(b, "smtp_connect_timeout", o->smtp_connect_timeout_ms,
	     n->smtp_connect_timeout_ms);
	d_u32(b, "max_scripts", o->max_scripts, n->max_scripts);
	d_u32(b, "vrrp_rt_priority", o->vrrp_rt_priority, n->vrrp_rt_priority);
	d_check(b, &o->check, &n->check);
}

static void diff_vs(struct sb *b, const struct model_vs *o,
		    const struct model_vs *n)
{
	char x[INET6_ADDRSTRLEN + 32], y[INET6_ADDRSTRLEN + 32];

	if (!model_vs_key_eq(o, n)) {
		sb_sep(b);
		sb_printf(b, "service %s -> %s",
			  model_vs_key_str(o, x, sizeof(x)),
			  model_vs_key_str(n, y, sizeof(y)));
	}
	d_str(b, "scheduler", o->scheduler, n->scheduler);
	d_strv(b, "sched_flags", &o->sched_flags, &n->sched_flags);
	d_str(b, "method", model_method_str(o->method),
	      model_method_str(n->method));
	d_u32(b, "persistence_timeout", o->persistence_timeout,
	      n->persistence_timeout);
	d_u32(b, "persistence_granularity", o->persistence_granularity,
	      n->persistence_granularity);
	d_bool(b, "one_packet", o->one_packet, n->one_packet);
	d_check(b, &o->check, &n->check);
	d_u32(b, "quorum", o->quorum, n->quorum);
	d_u32(b, "hysteresis", o->hysteresis, n->hysteresis);
	d_strv(b, "quorum_up", &o->quorum_up, &n->quorum_up);
	d_strv(b, "quorum_down", &o->quorum_down, &n->quorum_down);
	d_addrport(b, "sorry_server", &o->sorry_server, o->sorry_port,
		   &n->sorry_server, n->sorry_port);
	d_bool(b, "sorry_server_inhibit", o->sorry_server_inhibit,
	       n->sorry_server_inhibit);
	d_bool(b, "alpha", o->alpha, n->alpha);
	d_bool(b, "omega", o->omega, n->omega);
	d_bool(b, "inhibit_on_failure", o->inhibit_on_failure,
	       n->inhibit_on_failure);
	d_ms(b, "slowstart", o->slowstart_ms, n->slowstart_ms);
	d_str(b, "virtualhost", o->virtualhost, n->virtualhost);
}

static bool opts_eq(const struct model_rs *o, const struct model_rs *n)
{
	if (o->n_opts != n->n_opts)
		return false;
	for (size_t i = 0; i < o->n_opts; i++)
		if (strcmp(o->opts[i].key, n->opts[i].key) ||
		    strcmp(o->opts[i].value, n->opts[i].value))
			return false;
	return true;
}

static void sb_opts(struct sb *b, const struct model_rs *rs)
{
	if (!rs->n_opts)
		sb_printf(b, "(none)");
	for (size_t i = 0; i < rs->n_opts; i++)
		sb_printf(b, "%s%s=%s", i ? " " : "", rs->opts[i].key,
			  rs->opts[i].value);
}

static void diff_rs(struct sb *b, const struct model_rs *o,
		    const struct model_rs *n)
{
	d_u32(b, "weight", o->weight, n->weight);
	d_str(b, "method", model_method_str(o->method),
	      model_method_str(n->method));
	d_u32(b, "uthreshold", o->uthreshold, n->uthreshold);
	d_u32(b, "lthreshold", o->lthreshold, n->lthreshold);
	d_bool(b, "inhibit_on_failure", o->inhibit_on_failure,
	       n->inhibit_on_failure);
	d_ms(b, "slowstart", o->slowstart_ms, n->slowstart_ms);
	d_u32(b, "agent_port", o->agent_port, n->agent_port);
	/* Without an agent, its (inherited) timings are no news. */
	if (o->agent_port || n->agent_port) {
		d_ms(b, "agent_interval", o->agent_interval_ms, n->agent_interval_ms);
		d_ms(b, "agent_timeout", o->agent_timeout_ms, n->agent_timeout_ms);
	}
	d_strv(b, "notify_up", &o->notify_up, &n->notify_up);
	d_strv(b, "notify_down", &o->notify_down, &n->notify_down);
	d_str(b, "check", o->checker, n->checker);
	d_addr(b, "connect_ip", &o->connect_ip, &n->connect_ip);
	d_u32(b, "connect_port", o->connect_port, n->connect_port);
	d_addr(b, "bind_to", &o->bind_to, &n->bind_to);
	d_u32(b, "fwmark", o->check_fwmark, n->check_fwmark);
	d_check(b, &o->check, &n->check);
	if (!opts_eq(o, n)) {
		sb_sep(b);
		sb_printf(b, "options ");
		sb_opts(b, o);
		sb_printf(b, " -> ");
		sb_opts(b, n);
	}
}

static bool vip_eq(const struct lvsd_vip *a, const struct lvsd_vip *b)
{
	return model_addr_eq(&a->addr, &b->addr) && a->prefix == b->prefix &&
	       strcmp(a->ifname, b->ifname) == 0;
}

static void sb_vips(struct sb *b, const struct model_vrrp *v)
{
	char x[INET6_ADDRSTRLEN];

	for (size_t i = 0; i < v->n_vips; i++)
		sb_printf(b, "%s%s/%u dev %s", i ? ", " : "",
			  model_addr_str(&v->vips[i].addr, x, sizeof(x)),
			  (unsigned)v->vips[i].prefix, v->vips[i].ifname);
}

static void sb_addrs(struct sb *b, const struct lvsd_addr *a, size_t n)
{
	char x[INET6_ADDRSTRLEN];

	if (!n)
		sb_printf(b, "(none)");
	for (size_t i = 0; i < n; i++)
		sb_printf(b, "%s%s", i ? " " : "",
			  model_addr_str(&a[i], x, sizeof(x)));
}

static bool track_eq(const struct model_vrrp *a, const struct model_vrrp *b)
{
	if (a->n_track != b->n_track)
		return false;
	for (size_t i = 0; i < a->n_track; i++) {
		const struct model_track_ref *x = &a->track[i], *y = &b->track[i];

		if (x->kind != y->kind || strcmp(x->name, y->name) ||
		    x->has_weight != y->has_weight || x->weight != y->weight)
			return false;
	}
	return true;
}

static void sb_track(struct sb *b, const struct model_vrrp *v)
{
	static const char *const key[] = {"track_script", "track_file",
					  "track_process"};

	if (!v->n_track)
		sb_printf(b, "(none)");
	for (size_t i = 0; i < v->n_track; i++) {
		const struct model_track_ref *r = &v->track[i];

		sb_printf(b, "%s%s %s", i ? ", " : "", key[r->kind], r->name);
		if (r->has_weight)
			sb_printf(b, " weight %d", (int)r->weight);
	}
}

static const char *vrrp_state_str(enum lvsd_vrrp_state s)
{
	return s == LVSD_VRRP_MASTER ? "MASTER" : "BACKUP";
}

static void diff_vrrp(struct sb *b, const struct model_vrrp *o,
		      const struct model_vrrp *n)
{
	bool same;

	d_str(b, "state", vrrp_state_str(o->state), vrrp_state_str(n->state));
	d_str(b, "interface", o->interface, n->interface);
	d_u32(b, "virtual_router_id", o->vrid, n->vrid);
	d_u32(b, "priority", o->priority, n->priority);
	d_bool(b, "preempt", o->preempt, n->preempt);
	d_ms(b, "preempt_delay", o->preempt_delay_ms, n->preempt_delay_ms);
	if (o->advert_int_cs != n->advert_int_cs) {
		sb_sep(b);
		sb_printf(b, "advert_int %u.%02us -> %u.%02us",
			  o->advert_int_cs / 100, o->advert_int_cs % 100,
			  n->advert_int_cs / 100, n->advert_int_cs % 100);
	}
	d_u32(b, "version", (uint32_t)o->version, (uint32_t)n->version);
	d_str(b, "family", model_af_str(o->family), model_af_str(n->family));
	if (strcmp(o->auth_pass, n->auth_pass) != 0) {
		sb_sep(b);
		sb_printf(b, "auth_pass changed"); /* a secret: not shown */
	}
	same = o->n_vips == n->n_vips;
	for (size_t i = 0; same && i < o->n_vips; i++)
		same = vip_eq(&o->vips[i], &n->vips[i]);
	if (!same) {
		sb_sep(b);
		sb_printf(b, "virtual_ipaddress ");
		sb_vips(b, o);
		sb_printf(b, " -> ");
		sb_vips(b, n);
	}
	d_strv(b, "track_interface", &o->track_interface, &n->track_interface);
	d_addr(b, "unicast_src_ip", &o->unicast_src, &n->unicast_src);
	same = o->n_unicast_peers == n->n_unicast_peers;
	for (size_t i = 0; same && i < o->n_unicast_peers; i++)
		same = model_addr_eq(&o->unicast_peers[i], &n->unicast_peers[i]);
	if (!same) {
		sb_sep(b);
		sb_printf(b, "unicast_peer ");
		sb_addrs(b, o->unicast_peers, o->n_unicast_peers);
		sb_printf(b, " -> ");
		sb_addrs(b, n->unicast_peers, n->n_unicast_peers);
	}
	d_u32(b, "garp_master_repeat", o->garp_master_repeat,
	      n->garp_master_repeat);
	d_ms(b, "garp_interval", o->garp_interval_ms, n->garp_interval_ms);
	d_ms(b, "garp_master_delay", o->garp_master_delay_ms,
	     n->garp_master_delay_ms);
	d_ms(b, "garp_master_refresh", o->garp_master_refresh_ms,
	     n->garp_master_refresh_ms);
	d_u32(b, "garp_master_refresh_repeat", o->garp_master_refresh_repeat,
	      n->garp_master_refresh_repeat);
	d_strv(b, "notify_master", &o->notify_master, &n->notify_master);
	d_strv(b, "notify_backup", &o->notify_backup, &n->notify_backup);
	d_strv(b, "notify_fault", &o->notify_fault, &n->notify_fault);
	d_strv(b, "notify", &o->notify, &n->notify);
	d_strv(b, "notify_stop", &o->notify_stop, &n->notify_stop);
	if (!track_eq(o, n)) {
		sb_sep(b);
		sb_printf(b, "tracking ");
		sb_track(b, o);
		sb_printf(b, " -> ");
		sb_track(b, n);
	}
	d_str(b, "sync_group", o->sync_group, n->sync_group);
}

static void diff_sync(struct sb *b, const struct model_sync_group *o,
		      const struct model_sync_group *n)
{
	d_strv(b, "group", &o->group, &n->group);
	d_strv(b, "notify_master", &o->notify_master, &n->notify_master);
	d_strv(b, "notify_backup", &o->notify_backup, &n->notify_backup);
	d_strv(b, "notify_fault", &o->notify_fault, &n->notify_fault);
	d_strv(b, "notify", &o->notify, &n->notify);
}

struct dctx {
	struct model_diff *d;
	size_t cap;
	int err;
};

static struct model_diff_entry *add_entry(struct dctx *c, enum model_kind k,
					  enum model_change ch, size_t oi,
					  size_t ni)
{
	struct model_diff *d = c->d;

	if (c->err)
		return NULL;
	if (d->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 16;
		struct model_diff_entry *nv = realloc(d->v, ncap * sizeof(*nv));

		if (!nv) {
			c->err = -ENOMEM;
			return NULL;
		}
		d->v = nv;
		c->cap = ncap;
	}
	struct model_diff_entry *e = &d->v[d->n++];
	memset(e, 0, sizeof(*e));
	e->kind = k;
	e->change = ch;
	e->old_idx = oi;
	e->new_idx = ni;
	return e;
}

/* Record a CHANGED entry if the builder holds anything. */
static struct model_diff_entry *add_changed(struct dctx *c, enum model_kind k,
					    size_t oi, size_t ni,
					    struct sb *b)
{
	struct model_diff_entry *e = NULL;

	if (b->oom)
		c->err = -ENOMEM;
	if (b->len && !c->err) {
		e = add_entry(c, k, MODEL_CHANGED, oi, ni);
		if (e) {
			e->what = b->s;
			b->s = NULL;
		}
	}
	free(b->s);
	memset(b, 0, sizeof(*b));
	return e;
}

static void rs_id(const struct model_rs *rs, char *buf, size_t len)
{
	char ap[INET6_ADDRSTRLEN + 16];

	snprintf(buf, len, "%s %s", rs->vs_name,
		 model_addrport_str(&rs->addr, rs->port, ap, sizeof(ap)));
}

static const struct model empty_model;

static void diff_objects(struct dctx *c, const struct model *o,
			 const struct model *n)
{
	struct model_diff_entry *e;
	struct sb b = {0};

	/* virtual servers */
	for (size_t i = 0; i < o->n_vs; i++)
		if (!model_find_vs(n, o->vs[i].name) &&
		    (e = add_entry(c, MODEL_KIND_VS, MODEL_REMOVED, i, SIZE_MAX)))
			snprintf(e->id, sizeof(e->id), "%s", o->vs[i].name);
	for (size_t i = 0; i < o->n_vs; i++) {
		const struct model_vs *nv = model_find_vs(n, o->vs[i].name);

		if (!nv)
			continue;
		diff_vs(&b, &o->vs[i], nv);
		e = add_changed(c, MODEL_KIND_VS, i, (size_t)(nv - n->vs), &b);
		if (e) {
			snprintf(e->id, sizeof(e->id), "%s", o->vs[i].name);
			e->key_changed = !model_vs_key_eq(&o->vs[i], nv);
		}
	}
	for (size_t i = 0; i < n->n_vs; i++)
		if (!model_find_vs(o, n->vs[i].name) &&
		    (e = add_entry(c, MODEL_KIND_VS, MODEL_ADDED, SIZE_MAX, i)))
			snprintf(e->id, sizeof(e->id), "%s", n->vs[i].name);

	/* real servers */
	for (size_t i = 0; i < o->n_rs; i++) {
		const struct model_rs *r = &o->rs[i];

		if (!model_find_rs(n, r->vs_name, &r->addr, r->port) &&
		    (e = add_entry(c, MODEL_KIND_RS, MODEL_REMOVED, i, SIZE_MAX)))
			rs_id(r, e->id, sizeof(e->id));
	}
	for (size_t i = 0; i < o->n_rs; i++) {
		const struct model_rs *r = &o->rs[i];
		const struct model_rs *nr =
			model_find_rs(n, r->vs_name, &r->addr, r->port);

		if (!nr)
			continue;
		diff_rs(&b, r, nr);
		e = add_changed(c, MODEL_KIND_RS, i, (size_t)(nr - n->rs), &b);
		if (e)
			rs_id(r, e->id, sizeof(e->id));
	}
	for (size_t i = 0; i < n->n_rs; i++) {
		const struct model_rs *r = &n->rs[i];

		if (!model_find_rs(o, r->vs_name, &r->addr, r->port) &&
		    (e = add_entry(c, MODEL_KIND_RS, MODEL_ADDED, SIZE_MAX, i)))
			rs_id(r, e->id, sizeof(e->id));
	}

	/* vrrp instances */
	for (size_t i = 0; i < o->n_vrrp; i++)
		if (!model_find_vrrp(n, o->vrrp[i].name) &&
		    (e = add_entry(c, MODEL_KIND_VRRP, MODEL_REMOVED, i,
				   SIZE_MAX)))
			snprintf(e->id, sizeof(e->id), "%s", o->vrrp[i].name);
	for (size_t i = 0; i < o->n_vrrp; i++) {
		const struct model_vrrp *ov = &o->vrrp[i];
		const struct model_vrrp *nv = model_find_vrrp(n, ov->name);

		if (!nv)
			continue;
		diff_vrrp(&b, ov, nv);
		e = add_changed(c, MODEL_KIND_VRRP, i, (size_t)(nv - n->vrrp),
				&b);
		if (e) {
			snprintf(e->id, sizeof(e->id), "%s", ov->name);
			e->key_changed = ov->vrid != nv->vrid ||
					 ov->family != nv->family ||
					 strcmp(ov->interface, nv->interface);
		}
	}
	for (size_t i = 0; i < n->n_vrrp; i++)
		if (!model_find_vrrp(o, n->vrrp[i].name) &&
		    (e = add_entry(c, MODEL_KIND_VRRP, MODEL_ADDED, SIZE_MAX, i)))
			snprintf(e->id, sizeof(e->id), "%s", n->vrrp[i].name);

	/* sync groups */
	for (size_t i = 0; i < o->n_sync; i++)
		if (!model_find_sync_group(n, o->sync[i].name) &&
		    (e = add_entry(c, MODEL_KIND_SYNC_GROUP, MODEL_REMOVED, i,
				   SIZE_MAX)))
			snprintf(e->id, sizeof(e->id), "%s", o->sync[i].name);
	for (size_t i = 0; i < o->n_sync; i++) {
		const struct model_sync_group *ng =
			model_find_sync_group(n, o->sync[i].name);

		if (!ng)
			continue;
		diff_sync(&b, &o->sync[i], ng);
		e = add_changed(c, MODEL_KIND_SYNC_GROUP, i,
				(size_t)(ng - n->sync), &b);
		if (e)
			snprintf(e->id, sizeof(e->id), "%s", o->sync[i].name);
	}
	for (size_t i = 0; i < n->n_sync; i++)
		if (!model_find_sync_group(o, n->sync[i].name) &&
		    (e = add_entry(c, MODEL_KIND_SYNC_GROUP, MODEL_ADDED,
				   SIZE_MAX, i)))
			snprintf(e->id, sizeof(e->id), "%s", n->sync[i].name);
}

int model_diff(const struct model *old, const struct model *new,
	       struct model_diff *out)
{
	struct dctx c = {.d = out};
	struct sb b = {0};
	struct model_diff_entry *e;

	memset(out, 0, sizeof(*out));
	if (old && new) {
		diff_global(&b, &old->global, &new->global);
		e = add_changed(&c, MODEL_KIND_GLOBAL, 0, 0, &b);
		if (e) {
			snprintf(e->id, sizeof(e->id), "global");
			out->global_changed = true;
		}
	}
	diff_objects(&c, old ? old : &empty_model, new ? new : &empty_model);
	if (c.err) {
		model_diff_free(out);
		return c.err;
	}
	return 0;
}

void model_diff_free(struct model_diff *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].what);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

void model_diff_emit(const struct model_diff *d,
		     void (*emit)(void *arg, const char *line), void *arg)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct model_diff_entry *e = &d->v[i];
		char line[1024];

		if (e->kind == MODEL_KIND_GLOBAL)
			snprintf(line, sizeof(line), "global settings changed: %s",
				 e->what ? e->what : "");
		else if (e->change == MODEL_CHANGED)
			snprintf(line, sizeof(line), "%s %s changed%s: %s",
				 model_kind_str(e->kind), e->id,
				 e->key_changed ? " (re-created)" : "",
				 e->what ? e->what : "");
		else
			snprintf(line, sizeof(line), "%s %s %s",
				 model_kind_str(e->kind), e->id,
				 model_change_str(e->change));
		emit(arg, line);
	}
}

/* ------------------------------------------------------------ trackers */

static const struct model_tracker *tracker_find(const struct model *m,
						 const struct model_tracker *t)
{
	for (size_t i = 0; m && i < m->n_trackers; i++)
		if (m->trackers[i].kind == t->kind &&
		    strcmp(m->trackers[i].name, t->name) == 0)
			return &m->trackers[i];
	return NULL;
}

static void diff_tracker(struct sb *b, const struct model_tracker *o,
			 const struct model_tracker *n)
{
	if (o->weight != n->weight) {
		sb_sep(b);
		sb_printf(b, "weight %d -> %d", o->weight, n->weight);
	}
	d_strv(b, "script", &o->script, &n->script);
	d_ms(b, "interval", o->interval_ms, n->interval_ms);
	d_ms(b, "timeout", o->timeout_ms, n->timeout_ms);
	d_u32(b, "rise", o->rise, n->rise);
	d_u32(b, "fall", o->fall, n->fall);
	d_bool(b, "init_fail", o->init_fail, n->init_fail);
	d_str(b, "file", o->file, n->file);
	d_strv(b, "process", &o->process, &n->process);
	d_bool(b, "full_command", o->full_command, n->full_command);
	d_u32(b, "quorum", o->quorum, n->quorum);
	d_u32(b, "quorum_max", o->quorum_max, n->quorum_max);
	d_ms(b, "fork_delay", o->fork_delay_ms, n->fork_delay_ms);
	d_ms(b, "terminate_delay", o->terminate_delay_ms, n->terminate_delay_ms);
}

size_t model_diff_trackers(const struct model *old, const struct model *new,
			   void (*emit)(void *arg, const char *line), void *arg)
{
	char line[1024];
	size_t n = 0;

	for (size_t i = 0; new && i < new->n_trackers; i++) {
		const struct model_tracker *t = &new->trackers[i];
		const struct model_tracker *o = tracker_find(old, t);
		struct sb b = {0};

		if (!o) {
			snprintf(line, sizeof(line), "[%s %s] added",
				 model_track_kind_str(t->kind), t->name);
		} else {
			diff_tracker(&b, o, t);
			if (!b.len) {
				free(b.s);
				continue;
			}
			snprintf(line, sizeof(line), "[%s %s] changed: %s",
				 model_track_kind_str(t->kind), t->name,
				 b.s ? b.s : "");
			free(b.s);
		}
		emit(arg, line);
		n++;
	}
	for (size_t i = 0; old && i < old->n_trackers; i++)
		if (!tracker_find(new, &old->trackers[i])) {
			snprintf(line, sizeof(line), "[%s %s] removed",
				 model_track_kind_str(old->trackers[i].kind),
				 old->trackers[i].name);
			emit(arg, line);
			n++;
		}
	return n;
}
