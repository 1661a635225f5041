/* model.c — the configuration model: defaults, lifetime, finders, and the
 * diff between two models that drives a reload.
 */
#include "model.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ------------------------------------------------------------ lifetime */

static int dup_into(char **dst, const char *s)
{
	char *c = strdup(s);

	if (!c)
		return -ENOMEM;
	free(*dst);
	*dst = c;
	return 0;
}

static void check_defaults(struct model_check_params *c)
{
	c->delay_loop_ms = MODEL_DEFAULT_DELAY_LOOP_MS;
	c->retry = MODEL_DEFAULT_RETRY;
	c->delay_before_retry_ms = MODEL_DEFAULT_DELAY_BEFORE_RETRY_MS;
	c->connect_timeout_ms = MODEL_DEFAULT_CONNECT_TIMEOUT_MS;
	c->warmup_ms = MODEL_DEFAULT_WARMUP_MS;
	c->set = 0;
}

int model_global_init(struct model_global *g)
{
	memset(g, 0, sizeof(*g));
	g->log_level = LVSD_LOG_INFO;
	g->snmp_traps = true;
	g->smtp_port = MODEL_DEFAULT_SMTP_PORT;
	g->smtp_connect_timeout_ms = MODEL_DEFAULT_SMTP_CONNECT_TIMEOUT_MS;
	check_defaults(&g->check);
	if (dup_into(&g->plugin_dir, MODEL_DEFAULT_PLUGIN_DIR) ||
	    dup_into(&g->control_socket, MODEL_DEFAULT_CONTROL_SOCKET) ||
	    dup_into(&g->state_file, MODEL_DEFAULT_STATE_FILE) ||
	    dup_into(&g->snmp_socket, MODEL_DEFAULT_SNMP_SOCKET)) {
		model_global_clear(g);
		return -ENOMEM;
	}
	return 0;
}

void model_vs_init(struct model_vs *vs, const struct model_global *g)
{
	memset(vs, 0, sizeof(*vs));
	vs->af = AF_INET;
	vs->protocol = IPPROTO_TCP;
	snprintf(vs->scheduler, sizeof(vs->scheduler), "%s",
		 MODEL_DEFAULT_SCHEDULER);
	vs->method = MODEL_METHOD_NAT;
	vs->persistence_granularity = 0xffffffffu;
	if (g)
		vs->check = g->check;
	else
		check_defaults(&vs->check);
	vs->check.set = 0;
	vs->quorum = 1;
}

void model_rs_init(struct model_rs *rs)
{
	memset(rs, 0, sizeof(*rs));
	rs->weight = 1;
	check_defaults(&rs->check);
}

void model_vrrp_init(struct model_vrrp *v)
{
	memset(v, 0, sizeof(*v));
	v->state = LVSD_VRRP_BACKUP;
	v->priority = 100;
	v->preempt = true;
	v->advert_int_cs = 100;
	v->version = 2;
	v->family = AF_INET;
	v->garp_master_repeat = 5;
}

int model_strv_push(struct model_strv *sv, const char *s)
{
	char **nv;
	char *c = strdup(s);

	if (!c)
		return -ENOMEM;
	nv = realloc(sv->v, (sv->n + 2) * sizeof(*nv));
	if (!nv) {
		free(c);
		return -ENOMEM;
	}
	nv[sv->n++] = c;
	nv[sv->n] = NULL;
	sv->v = nv;
	return 0;
}

void model_strv_free(struct model_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

void model_global_clear(struct model_global *g)
{
	free(g->router_id);
	free(g->plugin_dir);
	free(g->control_socket);
	free(g->control_group);
	free(g->state_file);
	free(g->snmp_socket);
	free(g->notification_email_from);
	model_strv_free(&g->notification_email);
	memset(g, 0, sizeof(*g));
}

void model_vs_clear(struct model_vs *vs)
{
	model_strv_free(&vs->sched_flags);
	model_strv_free(&vs->quorum_up);
	model_strv_free(&vs->quorum_down);
	free(vs->virtualhost);
	memset(vs, 0, sizeof(*vs));
}

void model_rs_clear(struct model_rs *rs)
{
	model_strv_free(&rs->notify_up);
	model_strv_free(&rs->notify_down);
	for (size_t i = 0; i < rs->n_opts; i++) {
		free(rs->opts[i].key);
		free(rs->opts[i].value);
	}
	free(rs->opts);
	memset(rs, 0, sizeof(*rs));
}

void model_vrrp_clear(struct model_vrrp *v)
{
	free(v->vips);
	free(v->unicast_peers);
	model_strv_free(&v->track_interface);
	model_strv_free(&v->notify_master);
	model_strv_free(&v->notify_backup);
	model_strv_free(&v->notify_fault);
	memset(v, 0, sizeof(*v));
}

void model_sync_group_clear(struct model_sync_group *g)
{
	model_strv_free(&g->group);
	model_strv_free(&g->notify_master);
	model_strv_free(&g->notify_backup);
	model_strv_free(&g->notify_fault);
	memset(g, 0, sizeof(*g));
}

struct model *model_new(const char *file)
{
	struct model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->file = strdup(file ? file : "");
	if (!m->file || model_global_init(&m->global)) {
		free(m->file);
		free(m);
		return NULL;
	}
	return m;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	model_global_clear(&m->global);
	for (size_t i = 0; i < m->n_vs; i++)
		model_vs_clear(&m->vs[i]);
	for (size_t i = 0; i < m->n_rs; i++)
		model_rs_clear(&m->rs[i]);
	for (size_t i = 0; i < m->n_vrrp; i++)
		model_vrrp_clear(&m->vrrp[i]);
	for (size_t i = 0; i < m->n_sync; i++)
		model_sync_group_clear(&m->sync[i]);
	free(m->vs);
	free(m->rs);
	free(m->vrrp);
	free(m->sync);
	free(m->file);
	hidx_free(&m->rs_idx);
	free(m);
}

/* Append a copy of `obj` (size `sz`) to the array *arr of *n elements. */
static int append(void **arr, size_t *n, const void *obj, size_t sz)
{
	char *na = realloc(*arr, (*n + 1) * sz);

	if (!na)
		return -ENOMEM;
	memcpy(na + *n * sz, obj, sz);
	*arr = na;
	(*n)++;
	return 0;
}

int model_add_vs(struct model *m, const struct model_vs *vs)
{
	return append((void **)&m->vs, &m->n_vs, vs, sizeof(*vs));
}

int model_add_rs(struct model *m, const struct model_rs *rs)
{
	return append((void **)&m->rs, &m->n_rs, rs, sizeof(*rs));
}

int model_add_vrrp(struct model *m, const struct model_vrrp *v)
{
	return append((void **)&m->vrrp, &m->n_vrrp, v, sizeof(*v));
}

int model_add_sync_group(struct model *m, const struct model_sync_group *g)
{
	return append((void **)&m->sync, &m->n_sync, g, sizeof(*g));
}

/* ------------------------------------------------------------- finders */

bool model_addr_eq(const struct lvsd_addr *a, const struct lvsd_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->u.v4.s_addr == b->u.v4.s_addr;
	if (a->family == AF_INET6)
		return memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6)) == 0;
	return true;
}

struct model_vs *model_find_vs(const struct model *m, const char *name)
{
	for (size_t i = 0; m && i < m->n_vs; i++)
		if (strcmp(m->vs[i].name, name) == 0)
			return &m->vs[i];
	return NULL;
}

uint64_t model_rs_key_hash(const char *vs_name, const struct lvsd_addr *addr,
			   uint16_t port)
{
	uint64_t h = hidx_hash(vs_name, strlen(vs_name), HIDX_SEED);

	h = hidx_hash(&port, sizeof(port), h);
	return addr->family == AF_INET6
		       ? hidx_hash(&addr->u.v6, sizeof(addr->u.v6), h)
		       : hidx_hash(&addr->u.v4, sizeof(addr->u.v4), h);
}

struct rs_key {
	const struct model *m;
	const char *vs_name;
	const struct lvsd_addr *addr;
	uint16_t port;
};

static int rs_key_eq(const void *arg, size_t pos)
{
	const struct rs_key *k = arg;
	const struct model_rs *rs = &k->m->rs[pos];

	return rs->port == k->port && model_addr_eq(&rs->addr, k->addr) &&
	       strcmp(rs->vs_name, k->vs_name) == 0;
}

int model_index(struct model *m)
{
	hidx_clear(&m->rs_idx);
	for (size_t i = 0; i < m->n_rs; i++) {
		const struct model_rs *rs = &m->rs[i];

		if (hidx_add(&m->rs_idx, model_rs_key_hash(rs->vs_name, &rs->addr,
							   rs->port), i) < 0) {
			hidx_free(&m->rs_idx);
			return -ENOMEM;
		}
	}
	return 0;
}

struct model_rs *model_find_rs(const struct model *m, const char *vs_name,
			       const struct lvsd_addr *addr, uint16_t port)
{
	if (m && m->n_rs && m->rs_idx.n == m->n_rs) {
		struct rs_key k = { m, vs_name, addr, port };
		size_t pos = hidx_find(&m->rs_idx,
				       model_rs_key_hash(vs_name, addr, port),
				       rs_key_eq, &k);

		return pos == SIZE_MAX ? NULL : &m->rs[pos];
	}
	for (size_t i = 0; m && i < m->n_rs; i++) {
		struct model_rs *rs = &m->rs[i];

		if (rs->port == port && model_addr_eq(&rs->addr, addr) &&
		    strcmp(rs->vs_name, vs_name) == 0)
			return rs;
	}
	return NULL;
}

struct model_vrrp *model_find_vrrp(const struct model *m, const char *name)
{
	for (size_t i = 0; m && i < m->n_vrrp; i++)
		if (strcmp(m->vrrp[i].name, name) == 0)
			return &m->vrrp[i];
	return NULL;
}

struct model_sync_group *model_find_sync_group(const struct model *m,
					       const char *name)
{
	for (size_t i = 0; m && i < m->n_sync; i++)
		if (strcmp(m->sync[i].name, name) == 0)
			return &m->sync[i];
	return NULL;
}

/* ------------------------------------------------------------- helpers */

const char *model_addr_str(const struct lvsd_addr *a, char *buf, size_t len)
{
	if (!len)
		return buf;
	if (a->family != AF_INET && a->family != AF_INET6) {
		snprintf(buf, len, "-");
		return buf;
	}
	if (!inet_ntop(a->family, &a->u, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

const char *model_addrport_str(const struct lvsd_addr *a, uint16_t port,
			       char *buf, size_t len)
{
	char ab[INET6_ADDRSTRLEN];

	model_addr_str(a, ab, sizeof(ab));
	if (a->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", ab, (unsigned)port);
	else
		snprintf(buf, len, "%s:%u", ab, (unsigned)port);
	return buf;
}

const char *model_method_str(enum model_method m)
{
	switch (m) {
	case MODEL_METHOD_NAT:
		return "NAT";
	case MODEL_METHOD_DR:
		return "DR";
	case MODEL_METHOD_TUN:
		return "TUN";
	}
	return "?";
}

const char *model_protocol_str(uint16_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "TCP";
	case IPPROTO_UDP:
		return "UDP";
	case IPPROTO_SCTP:
		return "SCTP";
	}
	return "?";
}

static const char *af_str(int af)
{
	return af == AF_INET6 ? "inet6" : af == AF_INET ? "inet" : "?";
}

const char *model_vs_key_str(const struct model_vs *vs, char *buf,
			     size_t len)
{
	char ap[INET6_ADDRSTRLEN + 16];

	if (vs->fwmark)
		snprintf(buf, len, "FWM %u %s", vs->fwmark, af_str(vs->af));
	else
		snprintf(buf, len, "%s %s", model_protocol_str(vs->protocol),
			 model_addrport_str(&vs->addr, vs->port, ap,
					    sizeof(ap)));
	return buf;
}

bool model_vs_key_eq(const struct model_vs *a, const struct model_vs *b)
{
	if (a->af != b->af || a->fwmark != b->fwmark)
		return false;
	if (a->fwmark)
		return true;
	return a->protocol == b->protocol && a->port == b->port &&
	       model_addr_eq(&a->addr, &b->addr);
}

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
}

static void diff_global(struct sb *b, const struct model_global *o,
			const struct model_global *n)
{
	d_str(b, "router_id", o->router_id, n->router_id);
	d_str(b, "plugin_dir", o->plugin_dir, n->plugin_dir);
	d_str(b, "control_socket", o->control_socket, n->control_socket);
	d_str(b, "control_group", o->control_group, n->control_group);
	d_str(b, "state_file", o->state_file, n->state_file);
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
	d_ms(b, "agent_interval", o->agent_interval_ms, n->agent_interval_ms);
	d_ms(b, "agent_timeout", o->agent_timeout_ms, n->agent_timeout_ms);
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
	d_str(b, "family", af_str(o->family), af_str(n->family));
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
	d_strv(b, "notify_master", &o->notify_master, &n->notify_master);
	d_strv(b, "notify_backup", &o->notify_backup, &n->notify_backup);
	d_strv(b, "notify_fault", &o->notify_fault, &n->notify_fault);
	d_str(b, "sync_group", o->sync_group, n->sync_group);
}

static void diff_sync(struct sb *b, const struct model_sync_group *o,
		      const struct model_sync_group *n)
{
	d_strv(b, "group", &o->group, &n->group);
	d_strv(b, "notify_master", &o->notify_master, &n->notify_master);
	d_strv(b, "notify_backup", &o->notify_backup, &n->notify_backup);
	d_strv(b, "notify_fault", &o->notify_fault, &n->notify_fault);
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
