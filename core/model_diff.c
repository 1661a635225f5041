/* model_diff.c — the diff between two models that drives a reload: which
 * objects were added, removed or changed, and what changed in each, as
 * "weight 1 -> 3; method NAT -> DR".
 */
#include "model_diff.h"
#include "schema.h"

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

static void sb_strv(struct sb *b, const struct model_strv *sv)
{
	if (!sv->n) {
		sb_printf(b, "(none)");
		return;
	}
	for (size_t i = 0; i < sv->n; i++)
		sb_printf(b, "%s%s", i ? " " : "", sv->v[i]);
}

static void sb_addrport(struct sb *b, const struct lvsd_addr *a, uint16_t port)
{
	char x[INET6_ADDRSTRLEN + 8];

	sb_printf(b, "%s", a->family ? model_addrport_str(a, port, x, sizeof(x))
				     : "(none)");
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

static bool has_member(const struct model_vs *vs, const struct model_member *x)
{
	for (size_t i = 0; i < vs->n_members; i++)
		if (vs->members[i].fwmark == x->fwmark &&
		    vs->members[i].port == x->port &&
		    model_addr_eq(&vs->members[i].addr, &x->addr))
			return true;
	return false;
}

/* "members +10.0.0.3:80 -fwmark 7": what a group's change adds and
 * removes (each an IPVS service of its own). */
static void sb_members(struct sb *b, const struct model_vs *o,
		       const struct model_vs *n)
{
	char x[INET6_ADDRSTRLEN + 16];

	sb_printf(b, "members");
	for (size_t i = 0; i < n->n_members; i++)
		if (!has_member(o, &n->members[i]))
			sb_printf(b, " +%s", model_member_str(&n->members[i],
							       x, sizeof(x)));
	for (size_t i = 0; i < o->n_members; i++)
		if (!has_member(n, &o->members[i]))
			sb_printf(b, " -%s", model_member_str(&o->members[i],
							       x, sizeof(x)));
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

static void sb_opts(struct sb *b, const struct model_kv *kv, size_t n)
{
	if (!n)
		sb_printf(b, "(none)");
	for (size_t i = 0; i < n; i++)
		sb_printf(b, "%s%s=%s", i ? " " : "", kv[i].key, kv[i].value);
}

#define AT(obj, k, type) ((const type *)((const char *)(obj) + (k)->off))

/* A number field as an unsigned (ints as their bits: log_level, version). */
static uint32_t num(const struct schema_key *k, const void *obj)
{
	switch (k->type) {
	case ST_U16:
	case ST_PROTO:
		return *AT(obj, k, uint16_t);
	case ST_U8:
		return *AT(obj, k, uint8_t);
	case ST_BOOL:
		return *AT(obj, k, bool);
	default:
		return *AT(obj, k, uint32_t);
	}
}

static const char *text(const struct schema_key *k, const void *obj)
{
	const char *s;

	switch (k->type) {
	case ST_STR:
		s = *AT(obj, k, char *);
		break;
	case ST_METHOD:
		return model_method_str(*AT(obj, k, enum model_method));
	case ST_PROTO:
		return model_protocol_str(*AT(obj, k, uint16_t));
	case ST_AF:
		return model_af_str(*AT(obj, k, int));
	case ST_STATE:
		return *AT(obj, k, enum lvsd_vrrp_state) == LVSD_VRRP_MASTER
			       ? "MASTER" : "BACKUP";
	default: /* ST_NAME, ST_IFNAME */
		s = AT(obj, k, char);
		break;
	}
	return s && *s ? s : "(none)";
}

/* A default that is no value of the key's range (lvs_sync_daemon_id's
 * "the instance's vrid", quorum_max's "no bound"): an internal mark,
 * never shown as a number. */
static bool sentinel(const struct schema_key *k, uint32_t v)
{
	return k->max && k->def > k->max && v == k->def;
}

static const char *num_str(const struct schema_key *k, uint32_t v, char *buf,
			   size_t len)
{
	if (sentinel(k, v))
		return "(default)";
	snprintf(buf, len, "%u", v);
	return buf;
}

/* "KEY OLD -> NEW" for a field that differs. */
static void show(struct sb *b, const struct schema_key *k, const void *o,
		 const void *n)
{
	char x[INET6_ADDRSTRLEN], y[INET6_ADDRSTRLEN];
	uint32_t a = 0, z = 0;

	if (k->type <= ST_BOOL) { /* the numbers */
		a = num(k, o);
		z = num(k, n);
	}
	sb_sep(b);
	switch (k->type) {
	case ST_U32: case ST_U16: case ST_U8: case ST_INT:
		if (sentinel(k, a) || sentinel(k, z)) {
			char p[16], q[16];

			sb_printf(b, "%s %s -> %s", k->key, num_str(k, a, p, sizeof(p)),
				  num_str(k, z, q, sizeof(q)));
			break;
		}
		sb_printf(b, "%s %u -> %u", k->key, a, z);
		break;
	case ST_I32:
		sb_printf(b, "%s %d -> %d", k->key, (int32_t)a, (int32_t)z);
		break;
	case ST_MS:
		sb_printf(b, "%s %ums -> %ums", k->key, a, z);
		break;
	case ST_CS:
		sb_printf(b, "%s %u.%02us -> %u.%02us", k->key, a / 100,
			  a % 100, z / 100, z % 100);
		break;
	case ST_BOOL:
		sb_printf(b, "%s %s -> %s", k->key, a ? "yes" : "no",
			  z ? "yes" : "no");
		break;
	case ST_SECRET:
		sb_printf(b, "%s changed", k->key); /* a secret: not shown */
		break;
	case ST_STRV:
		sb_printf(b, "%s ", k->key);
		sb_strv(b, AT(o, k, struct model_strv));
		sb_printf(b, " -> ");
		sb_strv(b, AT(n, k, struct model_strv));
		break;
	case ST_ADDR:
		sb_printf(b, "%s %s -> %s", k->key,
			  model_addr_str(AT(o, k, struct lvsd_addr), x, sizeof(x)),
			  model_addr_str(AT(n, k, struct lvsd_addr), y, sizeof(y)));
		break;
	case ST_ADDRPORT:
		sb_printf(b, "%s ", k->key);
		sb_addrport(b, AT(o, k, struct lvsd_addr),
			    *(const uint16_t *)((const char *)o + k->off2));
		sb_printf(b, " -> ");
		sb_addrport(b, AT(n, k, struct lvsd_addr),
			    *(const uint16_t *)((const char *)n + k->off2));
		break;
	case ST_VIPS:
		sb_printf(b, "%s ", k->key);
		sb_vips(b, o);
		sb_printf(b, " -> ");
		sb_vips(b, n);
		break;
	case ST_PEERS: {
		const struct model_vrrp *p = o, *q = n;

		sb_printf(b, "%s ", k->key);
		sb_addrs(b, p->unicast_peers, p->n_unicast_peers);
		sb_printf(b, " -> ");
		sb_addrs(b, q->unicast_peers, q->n_unicast_peers);
		break;
	}
	case ST_MEMBERS:
		sb_members(b, o, n);
		break;
	case ST_TRACK:
		sb_printf(b, "tracking ");
		sb_track(b, o);
		sb_printf(b, " -> ");
		sb_track(b, n);
		break;
	default:
		sb_printf(b, "%s %s -> %s", k->key, text(k, o), text(k, n));
		break;
	}
}

/* Does an earlier key of the table fill the same field (preempt and
 * nopreempt; track_script, _file and _process; delay and fork_delay)? */
static bool shared(const struct schema_key *t, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (!t[j].canon && t[j].type == t[i].type && t[j].off == t[i].off)
			return true;
	return false;
}

/* Every field of s's table that differs between o and n, in table order,
 * into b. Returns whether one of them re-creates the object (SK_RESTART).
 * A virtual server's kernel key (SK_SERVICE) is compared and shown as one
 * "service"; SK_AGENT timings only when either side has an agent check. */
static bool diff_fields(struct sb *b, enum schema_sect s, const void *o,
			const void *n)
{
	char x[INET6_ADDRSTRLEN + 32], y[INET6_ADDRSTRLEN + 32];
	size_t cnt;
	const struct schema_key *t = schema_keys(s, &cnt);
	int ap = schema_find(s, "agent_port", false);
	bool agent = ap >= 0 && (num(&t[ap], o) || num(&t[ap], n));
	bool restart = false, service_done = false;

	for (size_t i = 0; i < cnt; i++) {
		const struct schema_key *k = &t[i];

		if (k->canon || k->type == ST_NONE || shared(t, i))
			continue;
		if (k->flags & SK_SERVICE) {
			if (service_done)
				continue;
			service_done = true;
			if (model_vs_key_eq(o, n))
				continue;
			restart = true;
			sb_sep(b);
			sb_printf(b, "service %s -> %s",
				  model_vs_key_str(o, x, sizeof(x)),
				  model_vs_key_str(n, y, sizeof(y)));
			continue;
		}
		if (!schema_differs(k, o, n) ||
		    ((k->flags & SK_AGENT) && !agent))
			continue;
		if (k->flags & SK_RESTART)
			restart = true;
		show(b, k, o, n);
	}
	return restart;
}

static bool opts_eq(const struct model_kv *o, size_t no,
		    const struct model_kv *n, size_t nn)
{
	if (no != nn)
		return false;
	for (size_t i = 0; i < no; i++)
		if (strcmp(o[i].key, n[i].key) || strcmp(o[i].value, n[i].value))
			return false;
	return true;
}

/* "what a=1 -> a=2" */
static void d_opts(struct sb *b, const char *what, const struct model_kv *o,
		   size_t no, const struct model_kv *n, size_t nn)
{
	if (opts_eq(o, no, n, nn))
		return;
	sb_sep(b);
	sb_printf(b, "%s ", what);
	sb_opts(b, o, no);
	sb_printf(b, " -> ");
	sb_opts(b, n, nn);
}

/* A real server's checker options, a virtual server's scheduler options
 * (not keys of the table: the plugin's). */
static void diff_opts(struct sb *b, enum model_kind k, const void *o,
		      const void *n)
{
	if (k == MODEL_KIND_RS) {
		const struct model_rs *x = o, *y = n;

		d_opts(b, "options", x->opts, x->n_opts, y->opts, y->n_opts);
	} else if (k == MODEL_KIND_VS) {
		const struct model_vs *x = o, *y = n;

		d_opts(b, "scheduler options", x->sched_opts, x->n_sched_opts,
		       y->sched_opts, y->n_sched_opts);
	}
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

/* The objects of kind k in m, one by one, and where the object with the
 * identity of obj is in m (SIZE_MAX: not there). */
static size_t count(const struct model *m, enum model_kind k)
{
	return k == MODEL_KIND_VS ? m->n_vs : k == MODEL_KIND_RS ? m->n_rs
	     : k == MODEL_KIND_VRRP ? m->n_vrrp : m->n_sync;
}

static const void *obj_at(const struct model *m, enum model_kind k, size_t i)
{
	return k == MODEL_KIND_VS ? (const void *)&m->vs[i]
	     : k == MODEL_KIND_RS ? (const void *)&m->rs[i]
	     : k == MODEL_KIND_VRRP ? (const void *)&m->vrrp[i]
				    : (const void *)&m->sync[i];
}

static size_t find_in(const struct model *m, enum model_kind k,
		      const void *obj)
{
	const struct model_rs *r = obj;
	const void *f;

	switch (k) {
	case MODEL_KIND_VS:
		f = model_find_vs(m, ((const struct model_vs *)obj)->name);
		return f ? (size_t)((const struct model_vs *)f - m->vs) : SIZE_MAX;
	case MODEL_KIND_RS:
		f = model_find_rs(m, r->vs_name, &r->addr, r->port);
		return f ? (size_t)((const struct model_rs *)f - m->rs) : SIZE_MAX;
	case MODEL_KIND_VRRP:
		f = model_find_vrrp(m, ((const struct model_vrrp *)obj)->name);
		return f ? (size_t)((const struct model_vrrp *)f - m->vrrp) : SIZE_MAX;
	default:
		f = model_find_sync_group(m,
					  ((const struct model_sync_group *)obj)->name);
		return f ? (size_t)((const struct model_sync_group *)f - m->sync)
			 : SIZE_MAX;
	}
}

/* "web", "web 10.0.0.51:80", "VI_1". */
static void obj_id(enum model_kind k, const void *obj, char *buf, size_t len)
{
	const struct model_rs *rs = obj;
	char ap[INET6_ADDRSTRLEN + 16];

	if (k == MODEL_KIND_RS)
		snprintf(buf, len, "%s %s", rs->vs_name,
			 model_addrport_str(&rs->addr, rs->port, ap, sizeof(ap)));
	else if (k == MODEL_KIND_VS)
		snprintf(buf, len, "%s", ((const struct model_vs *)obj)->name);
	else if (k == MODEL_KIND_VRRP)
		snprintf(buf, len, "%s", ((const struct model_vrrp *)obj)->name);
	else
		snprintf(buf, len, "%s", ((const struct model_sync_group *)obj)->name);
}

/* The objects of kind k (table s): removed, changed, added. */
static void diff_kind(struct dctx *c, enum model_kind k, enum schema_sect s,
		      const struct model *o, const struct model *n)
{
	struct model_diff_entry *e;
	struct sb b = {0};

	/* The same array in both (a fast reload's new model shares the
	 * running one's objects, cfgfast.h): nothing to compare. */
	if (count(o, k) == count(n, k) && count(o, k) &&
	    obj_at(o, k, 0) == obj_at(n, k, 0))
		return;
	for (size_t i = 0; i < count(o, k); i++)
		if (find_in(n, k, obj_at(o, k, i)) == SIZE_MAX &&
		    (e = add_entry(c, k, MODEL_REMOVED, i, SIZE_MAX)))
			obj_id(k, obj_at(o, k, i), e->id, sizeof(e->id));
	for (size_t i = 0; i < count(o, k); i++) {
		const void *ob = obj_at(o, k, i);
		size_t j = find_in(n, k, ob);
		bool restart;

		if (j == SIZE_MAX)
			continue;
		restart = diff_fields(&b, s, ob, obj_at(n, k, j));
		diff_opts(&b, k, ob, obj_at(n, k, j));
		if ((e = add_changed(c, k, i, j, &b))) {
			obj_id(k, ob, e->id, sizeof(e->id));
			e->key_changed = restart;
		}
	}
	for (size_t i = 0; i < count(n, k); i++)
		if (find_in(o, k, obj_at(n, k, i)) == SIZE_MAX &&
		    (e = add_entry(c, k, MODEL_ADDED, SIZE_MAX, i)))
			obj_id(k, obj_at(n, k, i), e->id, sizeof(e->id));
}

static const struct model empty_model;

/* lvs_sync_daemon_id not given: the syncid in force is the followed
 * instance's virtual_router_id (as ipvssync.c runs it), so a reload shows
 * that, not the mark. g: a shallow copy of m's [global]. */
static void sync_id_in_force(const struct model *m, struct model_global *g)
{
	const struct model_vrrp *v;

	if (g->lvs_sync_id != MODEL_SYNC_ID_VRID || g->lvs_sync_daemon.n != 2)
		return;
	v = model_find_vrrp(m, g->lvs_sync_daemon.v[1]);
	if (v)
		g->lvs_sync_id = v->vrid;
}

int model_diff(const struct model *old, const struct model *new,
	       struct model_diff *out)
{
	struct dctx c = {.d = out};
	struct sb b = {0};
	struct model_diff_entry *e;

	memset(out, 0, sizeof(*out));
	if (old && new) {
		struct model_global og = old->global, ng = new->global;

		sync_id_in_force(old, &og);
		sync_id_in_force(new, &ng);
		diff_fields(&b, SCHEMA_GLOBAL, &og, &ng);
		e = add_changed(&c, MODEL_KIND_GLOBAL, 0, 0, &b);
		if (e) {
			snprintf(e->id, sizeof(e->id), "global");
			out->global_changed = true;
		}
		diff_fields(&b, SCHEMA_BGP, &old->bgp, &new->bgp);
		e = add_changed(&c, MODEL_KIND_GLOBAL, 0, 0, &b);
		if (e)
			snprintf(e->id, sizeof(e->id), "bgp");
	}
	old = old ? old : &empty_model;
	new = new ? new : &empty_model;
	diff_kind(&c, MODEL_KIND_VS, SCHEMA_VS, old, new);
	diff_kind(&c, MODEL_KIND_RS, SCHEMA_RS, old, new);
	diff_kind(&c, MODEL_KIND_VRRP, SCHEMA_VRRP, old, new);
	diff_kind(&c, MODEL_KIND_SYNC_GROUP, SCHEMA_SYNC, old, new);
	if (c.err) {
		model_diff_free(out);
		return c.err;
	}
	return 0;
}

int model_diff_rs(const struct model *old, const size_t *old_idx,
		  const struct model *new, const size_t *new_idx, size_t n,
		  struct model_diff *out)
{
	struct dctx c = {.d = out};
	struct sb b = {0};
	struct model_diff_entry *e;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		const struct model_rs *o = &old->rs[old_idx[i]];
		const struct model_rs *nw = &new->rs[new_idx[i]];
		bool restart = diff_fields(&b, SCHEMA_RS, o, nw);

		diff_opts(&b, MODEL_KIND_RS, o, nw);
		if ((e = add_changed(&c, MODEL_KIND_RS, old_idx[i], new_idx[i],
				     &b))) {
			obj_id(MODEL_KIND_RS, o, e->id, sizeof(e->id));
			e->key_changed = restart;
		}
	}
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
			snprintf(line, sizeof(line), "%s settings changed: %s",
				 e->id, e->what ? e->what : "");
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
			diff_fields(&b, schema_tracker_sect(t->kind), o, t);
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
