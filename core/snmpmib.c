/* snmpmib.c — LVSD-MIB over the model (see snmpmib.h). The reading path:
 * a request → refresh_handler (rebuild rows after a reload; kernel
 * counters at most 1 s old, one dump for a whole walk) → the table
 * helper and table_tdata (binary search on the row's OID index) → the
 * table's handler (one column of one row). SETs: rs_set(). */
#include "snmpmib.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "daemon.h"
#include "desired.h"
#include "health.h"
#include "log.h"
#include "loop.h"
#include "operator.h"
#include "outcome.h"
#include "vrrpmgr.h"

#define KERNEL_CACHE_US 1000000u /* kernel counters: at most 1 s old */
#define IDX_MAX 48

static const oid root_oid[] = { LVSD_MIB_ROOT };
#define ROOT_LEN (sizeof(root_oid) / sizeof(root_oid[0]))
static const oid trap_oid_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };

/* Sub-trees under lvsdObjects (lvsdMIB.1) and notifications (lvsdMIB.0). */
enum { O_GLOBAL = 1, O_PLUGIN = 2, O_VS = 3, O_RS = 4, O_VRRP = 5 };
enum { N_RS_UP = 1, N_RS_DOWN, N_QUORUM_LOST, N_QUORUM_BACK, N_VRRP };

/* Columns (LVSD-MIB's numbers). */
enum { G_VERSION = 1, G_UPTIME, G_CONFIG, G_RELOADS, G_RELOAD_FAIL,
       G_LAST_RESULT, G_LAST_TIME, G_RECONCILES, G_RECONCILE_FAIL,
       G_KERNEL_OPS, G_N_VS, G_N_RS, G_N_VRRP, G_PROGRAMMED, G_LAST = G_PROGRAMMED };
enum { P_VERSION = 3, P_ABI_MAJOR, P_ABI_MINOR, P_PATH, P_DESCR };
enum { VS_NAME = 6, VS_SCHED, VS_METHOD, VS_PERSIST, VS_QUORUM, VS_QSTATE,
       VS_N_RS, VS_N_UP, VS_IN_KERNEL, VS_STATS /* 15..24 */ };
enum { RC_VS_NAME = 4, RC_METHOD, RC_CFG_W, RC_OP_W, RC_ADMIN, RC_WEIGHT,
       RC_REASON, RC_PRESENT, RC_HEALTH, RC_CHECKER, RC_LAST_RESULT,
       RC_LAST_TIME, RC_LATENCY, RC_FAILS, RC_TRANSITIONS, RC_ACTIVE,
       RC_INACTIVE, RC_PERSIST, RC_STATS /* 22..31 */ };
enum { VR_VRID = 2, VR_VERSION, VR_IFACE, VR_STATE, VR_REASON, VR_SINCE,
       VR_BASE_PRIO, VR_EFF_PRIO, VR_ADVERT, VR_MASTER_TYPE, VR_MASTER,
       VR_MASTER_PRIO, VR_MASTER_ADVERT, VR_SYNC, VR_TRANSITIONS,
       VR_BECAME_MASTER, VR_RCVD, VR_SENT, VR_CKSUM, VR_VERSION_ERR,
       VR_VRID_ERR, VR_TTL, VR_AUTH, VR_LENGTH, VR_INTERVAL, VR_ADDRLIST,
       VR_PRI0_RCVD, VR_PRI0_SENT, VR_DROP_NOT_PEER, VR_DROP_IN_FAULT,
       VR_DROP_OTHER, VR_VIPS_RESTORED, VR_LAST = VR_VIPS_RESTORED };
#define N_STATS 10

struct vs_row {
	const struct model_vs *vs;
	int in_kernel;
	struct ipvs_stats stats;
	uint32_t n_rs, n_up;
};

/* A SET in progress: what undoes it (UNDO), dropped at COMMIT/FREE. */
struct pending {
	char vs[MODEL_NAME_MAX];
	struct lvsd_addr addr;
	uint16_t port;
	int column;
	struct operator_set old;
	struct pending *next;
};

struct snmpmib {
	struct daemon *d;
	netsnmp_tdata *plugins, *vss, *rss, *vrrps;
	netsnmp_handler_registration *regs[5];
	size_t n_regs;
	netsnmp_table_registration_info *tinfo[4]; /* ours to free */
	size_t n_tinfo;
	struct vs_row *vs_rows;        /* parallel to d->model->vs */
	size_t n_vs_rows;
	/* what the rows were built from */
	int dirty;
	const struct model *model;
	size_t n_srv, n_vrrp;
	uint64_t kernel_us;            /* last kernel dump, 0: never */
	struct pending *pending;
};

/* ------------------------------------------------------------- values */

static void set_int(netsnmp_variable_list *v, u_char type, long x)
{
	snmp_set_var_typed_integer(v, type, x);
}

static void set_str(netsnmp_variable_list *v, const char *s)
{
	snmp_set_var_typed_value(v, ASN_OCTET_STR, s ? s : "", s ? strlen(s) : 0);
}

static void set_c64(netsnmp_variable_list *v, uint64_t x)
{
	struct counter64 c = { .high = x >> 32, .low = x & 0xffffffffu };

	snmp_set_var_typed_value(v, ASN_COUNTER64, &c, sizeof(c));
}

static void set_addr(netsnmp_variable_list *v, const struct lvsd_addr *a)
{
	if (a->family == AF_INET)
		snmp_set_var_typed_value(v, ASN_OCTET_STR, &a->u.v4, 4);
	else if (a->family == AF_INET6)
		snmp_set_var_typed_value(v, ASN_OCTET_STR, &a->u.v6, 16);
	else
		snmp_set_var_typed_value(v, ASN_OCTET_STR, "", 0);
}

static long addr_type(int family)
{
	return family == AF_INET ? 1 : family == AF_INET6 ? 2 : 0;
}

static u_long clamp32(uint64_t x)
{
	return x > 0xffffffffu ? 0xffffffffu : (u_long)x;
}

/* sysUpTime (centiseconds) at monotonic time t_us, 0 if before. */
static u_long timestamp(uint64_t t_us)
{
	uint64_t now = loop_now_us(), up = netsnmp_get_agent_uptime();
	uint64_t age = t_us && t_us <= now ? (now - t_us) / 10000u : up + 1;

	return age > up ? 0 : clamp32(up - age);
}

static void set_stats(netsnmp_variable_list *v, const struct ipvs_stats *s,
		      int i)
{
	const uint64_t x[N_STATS] = { s->conns, s->inpkts, s->outpkts,
				      s->inbytes, s->outbytes, s->cps,
				      s->inpps, s->outpps, s->inbps,
				      s->outbps };

	set_c64(v, x[i]);
}

/* -------------------------------------------------------------- index */

static size_t put_addr(oid *o, int family, const struct lvsd_addr *a)
{
	const unsigned char *b = a && a->family == family ? (const unsigned char *)&a->u
							    : NULL;
	size_t n = 0, len = family == AF_INET ? 4 : 16;

	o[n++] = (oid)addr_type(family);
	o[n++] = len;
	for (size_t i = 0; i < len; i++)
		o[n++] = b ? b[i] : 0;
	return n;
}

size_t snmpmib_vs_index(const struct model_vs *vs, oid *out)
{
	size_t n;

	if (vs->fwmark) {
		n = put_addr(out, vs->af, NULL);
		out[n++] = 0;
		out[n++] = 0;
		out[n++] = vs->fwmark;
		return n;
	}
	n = put_addr(out, vs->af, &vs->addr);
	out[n++] = vs->port;
	out[n++] = vs->protocol;
	out[n++] = 0;
	return n;
}

size_t snmpmib_rs_index(const struct model_vs *vs, const struct srv *s,
			oid *out)
{
	size_t n = snmpmib_vs_index(vs, out);

	n += put_addr(out + n, s->addr.family, &s->addr);
	out[n++] = s->port;
	return n;
}

/* A string index: its length, then its characters. */
static size_t str_index(const char *s, oid *out)
{
	size_t n = 0, len = strnlen(s, MODEL_NAME_MAX - 1);

	out[n++] = len;
	for (size_t i = 0; i < len; i++)
		out[n++] = (unsigned char)s[i];
	return n;
}

/* Rows are made first, sorted, then inserted in order: each insert is
 * then an append (a binary array shifts everything after the place it
 * inserts at). */
struct rowset {
	netsnmp_tdata_row **v;
	size_t n, cap;
};

static int add_row(struct rowset *rs, void *data, const oid *idx, size_t n)
{
	netsnmp_tdata_row *row;

	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 64;
		netsnmp_tdata_row **v = realloc(rs->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		rs->v = v;
		rs->cap = cap;
	}
	if (!(row = netsnmp_tdata_create_row()))
		return -ENOMEM;
	row->data = data;
	row->oid_index.oids = malloc(n * sizeof(oid));
	if (!row->oid_index.oids) {
		netsnmp_tdata_delete_row(row);
		return -ENOMEM;
	}
	memcpy(row->oid_index.oids, idx, n * sizeof(oid));
	row->oid_index.len = n;
	rs->v[rs->n++] = row;
	return 0;
}

static int row_cmp(const void *a, const void *b)
{
	const netsnmp_tdata_row *x = *(netsnmp_tdata_row *const *)a;
	const netsnmp_tdata_row *y = *(netsnmp_tdata_row *const *)b;

	return snmp_oid_compare(x->oid_index.oids, x->oid_index.len,
				y->oid_index.oids, y->oid_index.len);
}

/* Insert the rows into t; duplicates (which the configuration check
 * prevents) are logged and dropped. */
static void commit_rows(netsnmp_tdata *t, struct rowset *rs)
{
	if (rs->n)
		qsort(rs->v, rs->n, sizeof(*rs->v), row_cmp);
	for (size_t i = 0; i < rs->n; i++) {
		if ((i && row_cmp(&rs->v[i - 1], &rs->v[i]) == 0) ||
		    netsnmp_tdata_add_row(t, rs->v[i]) != SNMPERR_SUCCESS) {
			log_warnx("snmp: %s: duplicate index, row left out", t->name);
			netsnmp_tdata_delete_row(rs->v[i]);
		}
	}
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

static void drop_row(void *row, void *ctx)
{
	(void)ctx;
	netsnmp_tdata_delete_row(row);
}

static void clear_rows(netsnmp_tdata *t)
{
	CONTAINER_CLEAR(t->container, drop_row, NULL);
}

/* ------------------------------------------------------------ refresh */

static void rebuild(struct snmpmib *m)
{
	struct daemon *d = m->d;
	const struct model *md = d->model;
	struct rowset rs = { 0 };
	oid idx[IDX_MAX];
	size_t n;

	clear_rows(m->plugins);
	clear_rows(m->vss);
	clear_rows(m->rss);
	clear_rows(m->vrrps);
	free(m->vs_rows);
	m->vs_rows = calloc(md->n_vs ? md->n_vs : 1, sizeof(*m->vs_rows));
	m->n_vs_rows = m->vs_rows ? md->n_vs : 0;
	for (size_t i = 0; i < d->plugins.n; i++) {
		struct plugin *p = d->plugins.v[i];

		idx[0] = p->desc.kind;
		n = 1 + str_index(p->desc.name ? p->desc.name : "", idx + 1);
		add_row(&rs, p, idx, n);
	}
	commit_rows(m->plugins, &rs);
	for (size_t i = 0; i < m->n_vs_rows; i++) {
		m->vs_rows[i].vs = &md->vs[i];
		n = snmpmib_vs_index(&md->vs[i], idx);
		add_row(&rs, &m->vs_rows[i], idx, n);
	}
	commit_rows(m->vss, &rs);
	for (size_t i = 0; i < d->servers.n; i++) {
		struct srv *s = d->servers.v[i];

		n = snmpmib_rs_index(s->vs, s, idx);
		add_row(&rs, s, idx, n);
	}
	commit_rows(m->rss, &rs);
	for (size_t i = 0; i < vrrpmgr_count(d->vrrp); i++) {
		const struct vrrp_rt *rt = vrrpmgr_at(d->vrrp, i);

		n = str_index(rt->cfg.name, idx);
		add_row(&rs, (void *)rt, idx, n);
	}
	commit_rows(m->vrrps, &rs);
	m->model = md;
	m->n_srv = d->servers.n;
	m->n_vrrp = vrrpmgr_count(d->vrrp);
	m->dirty = 0;
	m->kernel_us = 0;
}

static struct vs_row *vs_row_of(struct snmpmib *m, const struct model_vs *vs)
{
	const struct model *md = m->d->model;

	if (vs < md->vs || vs >= md->vs + m->n_vs_rows)
		return NULL;
	return &m->vs_rows[vs - md->vs];
}

/* The kernel's counters into the servers and vs rows: one dump. */
static void refresh_kernel(struct snmpmib *m)
{
	struct daemon *d = m->d;
	struct rec_service *k = NULL;
	size_t n = 0;

	for (size_t i = 0; i < m->n_vs_rows; i++) {
		struct vs_row *r = &m->vs_rows[i];

		r->n_rs = r->n_up = 0;
	}
	for (size_t i = 0; i < d->servers.n; i++) {
		struct vs_row *r = vs_row_of(m, d->servers.v[i]->vs);

		if (r) {
			r->n_rs++;
			r->n_up += d->servers.v[i]->up != 0;
		}
	}
	if (!d->ipvs || rec_dump(d->ipvs, NULL, 0, &k, &n) < 0)
		return;
	for (size_t i = 0; i < d->servers.n; i++) {
		struct srv *s = d->servers.v[i];

		s->in_kernel = 0;
		s->activeconns = s->inactconns = s->persistconns = 0;
		memset(&s->stats, 0, sizeof(s->stats));
	}
	for (size_t i = 0; i < m->n_vs_rows; i++) {
		struct vs_row *r = &m->vs_rows[i];
		struct ipvs_service want;

		r->in_kernel = 0;
		memset(&r->stats, 0, sizeof(r->stats));
		desired_service(r->vs, "", &want);
		for (size_t j = 0; j < n; j++) {
			if (rec_service_cmp(&want, &k[j].svc) != 0)
				continue;
			r->in_kernel = 1;
			r->stats = k[j].svc.stats;
			srv_kernel_dests(&d->servers, r->vs->name, k[j].dests,
					 k[j].n_dests);
		}
	}
	rec_services_free(k, n);
}

static void refresh(struct snmpmib *m, int kernel)
{
	struct daemon *d = m->d;
	uint64_t now = loop_now_us();

	if (m->dirty || m->model != d->model || m->n_srv != d->servers.n ||
	    m->n_vrrp != vrrpmgr_count(d->vrrp))
		rebuild(m);
	if (kernel && (!m->kernel_us || now - m->kernel_us >= KERNEL_CACHE_US)) {
		refresh_kernel(m);
		m->kernel_us = now;
	}
}

static int refresh_handler(netsnmp_mib_handler *h,
			   netsnmp_handler_registration *reg,
			   netsnmp_agent_request_info *ri,
			   netsnmp_request_info *req)
{
	refresh(h->myvoid, 1);
	return netsnmp_call_next_handler(h, reg, ri, req);
}

/* ------------------------------------------------------------- global */

static void global_value(struct snmpmib *m, int col, netsnmp_variable_list *v)
{
	struct daemon *d = m->d;
	const struct daemon_counters *c = &d->n;

	switch (col) {
	case G_VERSION: set_str(v, LVSD_VERSION); break;
	case G_UPTIME:
		set_int(v, ASN_TIMETICKS, clamp32((loop_now_us() - d->started_us) / 10000u));
		break;
	case G_CONFIG: set_str(v, d->model->file); break;
	case G_RELOADS: set_int(v, ASN_COUNTER, clamp32(c->reloads)); break;
	case G_RELOAD_FAIL: set_int(v, ASN_COUNTER, clamp32(c->reload_failures)); break;
	case G_LAST_RESULT:
		set_int(v, ASN_INTEGER, c->last_reload_ok < 0 ? 1 : c->last_reload_ok ? 2 : 3);
		break;
	case G_LAST_TIME: {
		time_t now = time(NULL);
		uint64_t ago = c->last_reload && now >= c->last_reload
				       ? (uint64_t)(now - c->last_reload) * 1000000u : 0;
		uint64_t mono = loop_now_us();

		set_int(v, ASN_TIMETICKS, c->last_reload && ago <= mono ?
			timestamp(mono - ago) : 0);
		break;
	}
	case G_RECONCILES: set_c64(v, c->reconciles); break;
	case G_RECONCILE_FAIL: set_c64(v, c->reconcile_failures); break;
	case G_KERNEL_OPS: set_c64(v, d->ipvs ? ipvs_ops_sent(d->ipvs) : 0); break;
	case G_N_VS: set_int(v, ASN_GAUGE, d->model->n_vs); break;
	case G_N_RS: set_int(v, ASN_GAUGE, d->servers.n); break;
	case G_N_VRRP: set_int(v, ASN_GAUGE, vrrpmgr_count(d->vrrp)); break;
	case G_PROGRAMMED: set_int(v, ASN_INTEGER, d->opts.no_ipvs ? 2 : 1); break;
	}
}

static int global_handler(netsnmp_mib_handler *h,
			  netsnmp_handler_registration *reg,
			  netsnmp_agent_request_info *ri,
			  netsnmp_request_info *req)
{
	if (ri->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (; req; req = req->next) {
		netsnmp_variable_list *v = req->requestvb;

		if (req->processed)
			continue;
		/* the scalar group helper checked "lvsdGlobal.COLUMN.0" */
		if (v->name_length < 2 || v->name[v->name_length - 2] < 1 ||
		    v->name[v->name_length - 2] > G_LAST) {
			netsnmp_set_request_error(ri, req, SNMP_NOSUCHINSTANCE);
			continue;
		}
		global_value(h->myvoid, (int)v->name[v->name_length - 2], v);
	}
	return SNMP_ERR_NOERROR;
}

/* ------------------------------------------------------------- tables */

typedef void (*column_fn)(struct snmpmib *m, void *row, int col,
			  netsnmp_variable_list *v);

static void plugin_value(struct snmpmib *m, void *row, int col,
			 netsnmp_variable_list *v)
{
	const struct plugin *p = row;

	(void)m;
	switch (col) {
	case P_VERSION: set_str(v, p->desc.version); break;
	case P_ABI_MAJOR: set_int(v, ASN_UNSIGNED, p->desc.abi_major); break;
	case P_ABI_MINOR: set_int(v, ASN_UNSIGNED, p->desc.abi_minor); break;
	case P_PATH: set_str(v, p->path); break;
	case P_DESCR: set_str(v, p->desc.description); break;
	}
}

static long method_val(enum model_method x)
{
	return x == MODEL_METHOD_DR ? 2 : x == MODEL_METHOD_TUN ? 3 : 1;
}

static void vs_value(struct snmpmib *m, void *row, int col,
		     netsnmp_variable_list *v)
{
	const struct vs_row *r = row;
	const struct model_vs *vs = r->vs;

	switch (col) {
	case VS_NAME: set_str(v, vs->name); break;
	case VS_SCHED: set_str(v, vs->scheduler); break;
	case VS_METHOD: set_int(v, ASN_INTEGER, method_val(vs->method)); break;
	case VS_PERSIST: set_int(v, ASN_UNSIGNED, vs->persistence_timeout); break;
	case VS_QUORUM: set_int(v, ASN_UNSIGNED, vs->quorum); break;
	case VS_QSTATE:
		set_int(v, ASN_INTEGER, health_quorum_lost(m->d->health, vs) ? 2 : 1);
		break;
	case VS_N_RS: set_int(v, ASN_GAUGE, r->n_rs); break;
	case VS_N_UP: set_int(v, ASN_GAUGE, r->n_up); break;
	case VS_IN_KERNEL: set_int(v, ASN_INTEGER, r->in_kernel ? 1 : 2); break;
	default:
		if (col >= VS_STATS && col < VS_STATS + N_STATS)
			set_stats(v, &r->stats, col - VS_STATS);
	}
}

static void rs_value(struct snmpmib *m, void *row, int col,
		     netsnmp_variable_list *v)
{
	const struct srv *s = row;

	(void)m;
	switch (col) {
	case RC_VS_NAME: set_str(v, s->vs_name); break;
	case RC_METHOD: set_int(v, ASN_INTEGER, method_val(s->cfg->method)); break;
	case RC_CFG_W: set_int(v, ASN_UNSIGNED, s->cfg->weight); break;
	case RC_OP_W:
		set_int(v, ASN_INTEGER, s->has_op_weight ? (long)s->op_weight : -1);
		break;
	case RC_ADMIN: set_int(v, ASN_INTEGER, (long)s->admin + 1); break;
	case RC_WEIGHT: set_int(v, ASN_UNSIGNED, s->eff.present ? s->eff.weight : 0); break;
	case RC_REASON: set_int(v, ASN_INTEGER, (long)s->eff.why + 1); break;
	case RC_PRESENT: set_int(v, ASN_INTEGER, s->eff.present ? 1 : 2); break;
	case RC_HEALTH: set_int(v, ASN_INTEGER, s->up ? 1 : 2); break;
	case RC_CHECKER: set_str(v, s->cfg->checker); break;
	case RC_LAST_RESULT:
		set_str(v, !s->last_check_us ? "" : s->last_detail[0] ? s->last_detail
								  : outcome_str(s->last_outcome));
		break;
	case RC_LAST_TIME:
		set_int(v, ASN_TIMETICKS, s->last_check_us ? timestamp(s->last_check_us) : 0);
		break;
	case RC_LATENCY: set_int(v, ASN_UNSIGNED, s->last_latency_us); break;
	case RC_FAILS: set_int(v, ASN_GAUGE, s->fails); break;
	case RC_TRANSITIONS: set_int(v, ASN_COUNTER, clamp32(s->transitions)); break;
	case RC_ACTIVE: set_int(v, ASN_GAUGE, s->activeconns); break;
	case RC_INACTIVE: set_int(v, ASN_GAUGE, s->inactconns); break;
	case RC_PERSIST: set_int(v, ASN_GAUGE, s->persistconns); break;
	default:
		if (col >= RC_STATS && col < RC_STATS + N_STATS)
			set_stats(v, &s->stats, col - RC_STATS);
	}
}

static long vrrp_state_val(enum lvsd_vrrp_state s)
{
	return (long)s + 1; /* init(1) backup(2) master(3) fault(4) */
}

static void vrrp_value(struct snmpmib *m, void *row, int col,
		       netsnmp_variable_list *v)
{
	const struct vrrp_rt *rt = row;
	const struct model_vrrp *c = &rt->cfg;
	struct lvsd_vrrp_stats st;

	vrrpmgr_stats(m->d->vrrp, rt, &st);
	switch (col) {
	case VR_VRID: set_int(v, ASN_UNSIGNED, c->vrid); break;
	case VR_VERSION: set_int(v, ASN_INTEGER, c->version); break;
	case VR_IFACE: set_str(v, c->interface); break;
	case VR_STATE: set_int(v, ASN_INTEGER, vrrp_state_val(rt->st)); break;
	case VR_REASON: set_str(v, rt->why); break;
	case VR_SINCE: set_int(v, ASN_TIMETICKS, timestamp(rt->since_us)); break;
	case VR_BASE_PRIO: set_int(v, ASN_UNSIGNED, c->priority); break;
	case VR_EFF_PRIO:
		set_int(v, ASN_UNSIGNED, rt->st == LVSD_VRRP_BACKUP ||
			rt->st == LVSD_VRRP_MASTER ? c->priority : 0);
		break;
	case VR_ADVERT: set_int(v, ASN_UNSIGNED, c->advert_int_cs); break;
	case VR_MASTER_TYPE: set_int(v, ASN_INTEGER, addr_type(st.master_addr.family)); break;
	case VR_MASTER: set_addr(v, &st.master_addr); break;
	case VR_MASTER_PRIO: set_int(v, ASN_UNSIGNED, st.master_priority); break;
	case VR_MASTER_ADVERT: set_int(v, ASN_UNSIGNED, st.master_adver_int_cs); break;
	case VR_SYNC: set_str(v, c->sync_group); break;
	case VR_TRANSITIONS: set_int(v, ASN_COUNTER, clamp32(rt->transitions)); break;
	case VR_BECAME_MASTER: set_int(v, ASN_COUNTER, clamp32(st.master_transitions)); break;
	default:
		if (col >= VR_RCVD && col <= VR_LAST) {
			/* in the MIB's order */
			const uint64_t err[] = {
				st.adverts_rcvd, st.adverts_sent, st.bad_checksum,
				st.bad_version, st.bad_vrid, st.bad_ttl, st.bad_auth,
				st.bad_length, st.bad_interval, st.bad_addr_list,
				st.priority_zero_rcvd, st.priority_zero_sent,
				st.drop_not_peer, st.drop_in_fault, st.drop_other,
				st.vips_restored,
			};

			set_c64(v, err[col - VR_RCVD]);
		}
	}
}

static int table_get(netsnmp_agent_request_info *ri, netsnmp_request_info *req,
		     struct snmpmib *m, column_fn fn)
{
	for (; req; req = req->next) {
		netsnmp_table_request_info *ti;
		void *row;

		if (req->processed)
			continue;
		row = netsnmp_tdata_extract_entry(req);
		ti = netsnmp_extract_table_info(req);
		if (!row || !ti) {
			netsnmp_set_request_error(ri, req, SNMP_NOSUCHINSTANCE);
			continue;
		}
		fn(m, row, (int)ti->colnum, req->requestvb);
	}
	return SNMP_ERR_NOERROR;
}

#define TABLE_HANDLER(name, fn)                                               \
	static int name(netsnmp_mib_handler *h,                               \
			netsnmp_handler_registration *reg,                    \
			netsnmp_agent_request_info *ri,                       \
			netsnmp_request_info *req)                            \
	{                                                                     \
		(void)reg;                                                    \
		if (ri->mode != MODE_GET)                                     \
			return SNMP_ERR_NOERROR;                              \
		return table_get(ri, req, h->myvoid, fn);                     \
	}
TABLE_HANDLER(plugin_handler, plugin_value)
TABLE_HANDLER(vs_handler, vs_value)
TABLE_HANDLER(vrrp_handler, vrrp_value)

/* --------------------------------------------------------------- SETs */

static struct pending **pending_find(struct snmpmib *m, const struct srv *s,
				     int col)
{
	struct pending **p;

	for (p = &m->pending; *p; p = &(*p)->next)
		if ((*p)->column == col && (*p)->port == s->port &&
		    strcmp((*p)->vs, s->vs_name) == 0 &&
		    model_addr_eq(&(*p)->addr, &s->addr))
			return p;
	return NULL;
}

static void pending_drop(struct snmpmib *m, const struct srv *s, int col)
{
	struct pending **p = pending_find(m, s, col), *x;

	if (p) {
		x = *p;
		*p = x->next;
		free(x);
	}
}

/* The change a varbind asks for; its checks are RESERVE1's. */
static int wanted(const netsnmp_variable_list *v, int col,
		  struct operator_set *c)
{
	int r;

	memset(c, 0, sizeof(*c));
	c->has_weight = OPERATOR_KEEP;
	c->admin = OPERATOR_KEEP;
	if (col == RC_OP_W) {
		if ((r = netsnmp_check_vb_type_and_size(v, ASN_INTEGER, sizeof(long))))
			return r;
		if (*v->val.integer < -1 || *v->val.integer > (long)WEIGHT_MAX)
			return SNMP_ERR_WRONGVALUE;
		c->has_weight = *v->val.integer >= 0;
		c->weight = *v->val.integer >= 0 ? (uint32_t)*v->val.integer : 0;
		return SNMP_ERR_NOERROR;
	}
	if (col == RC_ADMIN) {
		if ((r = netsnmp_check_vb_type_and_size(v, ASN_INTEGER, sizeof(long))))
			return r;
		if (*v->val.integer < 1 || *v->val.integer > 4)
			return SNMP_ERR_WRONGVALUE;
		c->admin = (int)*v->val.integer - 1;
		return SNMP_ERR_NOERROR;
	}
	return SNMP_ERR_NOTWRITABLE;
}

static void log_set(const struct srv *s, int col, const struct operator_set *c,
		    const char *what)
{
	char ap[80];

	model_addrport_str(&s->addr, s->port, ap, sizeof(ap));
	if (col == RC_OP_W && c->has_weight)
		log_notice("snmp: real server %s (%s): operator weight %u%s", ap,
			   s->vs_name, c->weight, what);
	else if (col == RC_OP_W)
		log_notice("snmp: real server %s (%s): operator weight cleared%s", ap,
			   s->vs_name, what);
	else
		log_notice("snmp: real server %s (%s): admin state %s%s", ap,
			   s->vs_name, admin_state_str((enum admin_state)c->admin), what);
}

static int rs_set_one(struct snmpmib *m, netsnmp_agent_request_info *ri,
		      netsnmp_request_info *req, struct srv *s, int col)
{
	struct daemon *d = m->d;
	struct operator_set c;
	struct pending *p, **pp;
	char err[160];
	int r;

	switch (ri->mode) {
	case MODE_SET_RESERVE1:
		if (!s)
			return SNMP_ERR_NOCREATION;
		if ((r = wanted(req->requestvb, col, &c)) != SNMP_ERR_NOERROR)
			return r;
		if (operator_check(d, s, &c, err, sizeof(err)) < 0) {
			log_warnx("snmp: set refused: %s", err);
			return SNMP_ERR_RESOURCEUNAVAILABLE;
		}
		return SNMP_ERR_NOERROR;
	case MODE_SET_RESERVE2:
		return SNMP_ERR_NOERROR;
	case MODE_SET_ACTION:
		if (!s)
			return SNMP_ERR_NOCREATION; /* gone since RESERVE (reload) */
		wanted(req->requestvb, col, &c);
		pending_drop(m, s, col);
		if (!(p = calloc(1, sizeof(*p))))
			return SNMP_ERR_RESOURCEUNAVAILABLE;
		snprintf(p->vs, sizeof(p->vs), "%s", s->vs_name);
		p->addr = s->addr;
		p->port = s->port;
		p->column = col;
		operator_current(s, &p->old);
		p->next = m->pending;
		m->pending = p;
		r = operator_apply(d, s, &c, err, sizeof(err));
		if (r < 0) {
			log_err("snmp: set failed: %s", err);
			return r == -EIO ? SNMP_ERR_RESOURCEUNAVAILABLE
					 : SNMP_ERR_COMMITFAILED;
		}
		log_set(s, col, &c, "");
		return SNMP_ERR_NOERROR;
	case MODE_SET_UNDO:
		if (s && (pp = pending_find(m, s, col))) {
			struct operator_set old = (*pp)->old;

			/* only this column's field goes back */
			if (col == RC_OP_W)
				old.admin = OPERATOR_KEEP;
			else
				old.has_weight = OPERATOR_KEEP;
			if (operator_apply(d, s, &old, err, sizeof(err)) < 0)
				log_err("snmp: undo failed: %s", err);
			else
				log_set(s, col, &(*pp)->old, " (undone)");
			pending_drop(m, s, col);
		}
		return SNMP_ERR_NOERROR;
	case MODE_SET_COMMIT:
	case MODE_SET_FREE:
		if (s)
			pending_drop(m, s, col);
		return SNMP_ERR_NOERROR; /* never fails */
	}
	return SNMP_ERR_NOERROR;
}

static int rs_handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
		      netsnmp_agent_request_info *ri, netsnmp_request_info *req)
{
	struct snmpmib *m = h->myvoid;

	(void)reg;
	if (ri->mode == MODE_GET)
		return table_get(ri, req, m, rs_value);
	for (; req; req = req->next) {
		netsnmp_table_request_info *ti = netsnmp_extract_table_info(req);
		struct srv *s = netsnmp_tdata_extract_entry(req);
		int col = ti ? (int)ti->colnum : 0, r;

		if (req->processed)
			continue;
		if (ri->mode == MODE_SET_RESERVE1 && col != RC_OP_W && col != RC_ADMIN)
			r = s ? SNMP_ERR_NOTWRITABLE : SNMP_ERR_NOCREATION;
		else
			r = rs_set_one(m, ri, req, s, col);
		if (r != SNMP_ERR_NOERROR)
			netsnmp_set_request_error(ri, req, r);
	}
	return SNMP_ERR_NOERROR;
}

/* ------------------------------------------------------- registration */

static int reg_table(struct snmpmib *m, const char *name, int sub,
		     Netsnmp_Node_Handler *fn, int modes, netsnmp_tdata **t,
		     unsigned min_col, unsigned max_col, const u_char *types,
		     size_t n_types)
{
	oid o[ROOT_LEN + 2];
	netsnmp_handler_registration *reg;
	netsnmp_table_registration_info *ti;
	netsnmp_mib_handler *rh;

	memcpy(o, root_oid, sizeof(root_oid));
	o[ROOT_LEN] = 1;
	o[ROOT_LEN + 1] = (oid)sub;
	*t = netsnmp_tdata_create_table(name, 0);
	ti = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
	if (ti)
		m->tinfo[m->n_tinfo++] = ti;
	reg = netsnmp_create_handler_registration(name, fn, o, ROOT_LEN + 2, modes);
	rh = netsnmp_create_handler("lvsd_refresh", refresh_handler);
	if (!*t || !ti || !reg || !rh)
		return -ENOMEM;
	reg->handler->myvoid = m;
	rh->myvoid = m;
	for (size_t i = 0; i < n_types; i++)
		netsnmp_table_helper_add_index(ti, types[i]);
	ti->min_column = min_col;
	ti->max_column = max_col;
	if (netsnmp_tdata_register(reg, *t, ti) != MIB_REGISTERED_OK)
		return -EINVAL;
	if (netsnmp_inject_handler(reg, rh) != SNMPERR_SUCCESS)
		return -EINVAL;
	m->regs[m->n_regs++] = reg;
	return 0;
}

int snmpmib_register(struct daemon *d, struct snmpmib **out)
{
	static const u_char plugin_idx[] = { ASN_INTEGER, ASN_OCTET_STR };
	static const u_char vs_idx[] = { ASN_INTEGER, ASN_OCTET_STR, ASN_UNSIGNED,
					 ASN_INTEGER, ASN_UNSIGNED };
	static const u_char rs_idx[] = { ASN_INTEGER, ASN_OCTET_STR, ASN_UNSIGNED,
					 ASN_INTEGER, ASN_UNSIGNED, ASN_INTEGER,
					 ASN_OCTET_STR, ASN_UNSIGNED };
	static const u_char vrrp_idx[] = { ASN_OCTET_STR };
	struct snmpmib *m = calloc(1, sizeof(*m));
	netsnmp_handler_registration *reg;
	oid o[ROOT_LEN + 2];
	int r;

	if (!m)
		return -ENOMEM;
	m->d = d;
	m->dirty = 1;
	memcpy(o, root_oid, sizeof(root_oid));
	o[ROOT_LEN] = 1;
	o[ROOT_LEN + 1] = O_GLOBAL;
	reg = netsnmp_create_handler_registration("lvsdGlobal", global_handler, o,
						  ROOT_LEN + 2, HANDLER_CAN_RONLY);
	if (!reg) {
		free(m);
		return -ENOMEM;
	}
	reg->handler->myvoid = m;
	if (netsnmp_register_scalar_group(reg, 1, G_LAST) != MIB_REGISTERED_OK) {
		free(m);
		return -EINVAL;
	}
	m->regs[m->n_regs++] = reg;
	r = reg_table(m, "lvsdPluginTable", O_PLUGIN, plugin_handler,
		      HANDLER_CAN_RONLY, &m->plugins, P_VERSION, P_DESCR,
		      plugin_idx, sizeof(plugin_idx));
	if (!r)
		r = reg_table(m, "lvsdVsTable", O_VS, vs_handler, HANDLER_CAN_RONLY,
			      &m->vss, VS_NAME, VS_STATS + N_STATS - 1, vs_idx,
			      sizeof(vs_idx));
	if (!r)
		r = reg_table(m, "lvsdRsTable", O_RS, rs_handler, HANDLER_CAN_RWRITE,
			      &m->rss, RC_VS_NAME, RC_STATS + N_STATS - 1, rs_idx,
			      sizeof(rs_idx));
	if (!r)
		r = reg_table(m, "lvsdVrrpTable", O_VRRP, vrrp_handler,
			      HANDLER_CAN_RONLY, &m->vrrps, VR_VRID, VR_LAST,
			      vrrp_idx, sizeof(vrrp_idx));
	*out = m;
	return r;
}

void snmpmib_free(struct snmpmib *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_regs; i++)
		netsnmp_unregister_handler(m->regs[i]);
	for (netsnmp_tdata **t = (netsnmp_tdata *[]){ m->plugins, m->vss, m->rss,
						      m->vrrps, NULL }; ; t++) {
		if (!*t)
			break;
		clear_rows(*t);
		netsnmp_tdata_delete_table(*t);
	}
	for (size_t i = 0; i < m->n_tinfo; i++)
		netsnmp_table_registration_info_free(m->tinfo[i]);
	while (m->pending) {
		struct pending *p = m->pending;

		m->pending = p->next;
		free(p);
	}
	free(m->vs_rows);
	free(m);
}

void snmpmib_invalidate(struct snmpmib *m)
{
	if (m)
		m->dirty = 1;
}

/* ------------------------------------------------------ notifications */

static netsnmp_variable_list *trap_start(int which)
{
	netsnmp_variable_list *vars = NULL;
	oid t[ROOT_LEN + 2];

	memcpy(t, root_oid, sizeof(root_oid));
	t[ROOT_LEN] = 0;
	t[ROOT_LEN + 1] = (oid)which;
	snmp_varlist_add_variable(&vars, trap_oid_oid,
				  sizeof(trap_oid_oid) / sizeof(oid), ASN_OBJECT_ID,
				  (u_char *)t, sizeof(t));
	return vars;
}

/* Add object (sub, col) of the row with index idx, its value from fn. */
static int trap_add(netsnmp_variable_list **vars, struct snmpmib *m, int sub,
		    int col, const oid *idx, size_t n, column_fn fn, void *row)
{
	oid o[ROOT_LEN + 4 + IDX_MAX];
	netsnmp_variable_list *v;

	memcpy(o, root_oid, sizeof(root_oid));
	o[ROOT_LEN] = 1;
	o[ROOT_LEN + 1] = (oid)sub;
	o[ROOT_LEN + 2] = 1;
	o[ROOT_LEN + 3] = (oid)col;
	memcpy(o + ROOT_LEN + 4, idx, n * sizeof(oid));
	v = snmp_varlist_add_variable(vars, o, ROOT_LEN + 4 + n, ASN_NULL, NULL, 0);
	if (!v)
		return -ENOMEM;
	fn(m, row, col, v);
	return 0;
}

netsnmp_variable_list *snmpmib_trap_rs(struct snmpmib *m, const struct srv *s)
{
	netsnmp_variable_list *vars = trap_start(s->up ? N_RS_UP : N_RS_DOWN);
	static const int cols[] = { RC_VS_NAME, RC_HEALTH, RC_LAST_RESULT, RC_WEIGHT };
	oid idx[IDX_MAX];
	size_t n = snmpmib_rs_index(s->vs, s, idx);

	for (size_t i = 0; vars && i < sizeof(cols) / sizeof(cols[0]); i++)
		if (trap_add(&vars, m, O_RS, cols[i], idx, n, rs_value, (void *)s) < 0) {
			snmp_free_varbind(vars);
			return NULL;
		}
	return vars;
}

netsnmp_variable_list *snmpmib_trap_quorum(struct snmpmib *m,
					   const struct model_vs *vs, bool lost)
{
	netsnmp_variable_list *vars = trap_start(lost ? N_QUORUM_LOST : N_QUORUM_BACK);
	static const int cols[] = { VS_NAME, VS_QSTATE, VS_QUORUM, VS_N_UP };
	struct vs_row row = { .vs = vs };
	oid idx[IDX_MAX];
	size_t n = snmpmib_vs_index(vs, idx);

	for (size_t i = 0; i < m->d->servers.n; i++)
		if (m->d->servers.v[i]->vs == vs) {
			row.n_rs++;
			row.n_up += m->d->servers.v[i]->up != 0;
		}
	for (size_t i = 0; vars && i < sizeof(cols) / sizeof(cols[0]); i++)
		if (trap_add(&vars, m, O_VS, cols[i], idx, n, vs_value, &row) < 0) {
			snmp_free_varbind(vars);
			return NULL;
		}
	/* the quorum state as it is becoming, even if health.c has not
	 * stored it yet */
	for (netsnmp_variable_list *v = vars; v; v = v->next_variable)
		if (v->name_length > ROOT_LEN + 3 && v->name[ROOT_LEN + 1] == O_VS &&
		    v->name[ROOT_LEN + 3] == VS_QSTATE)
			set_int(v, ASN_INTEGER, lost ? 2 : 1);
	return vars;
}

netsnmp_variable_list *snmpmib_trap_vrrp(struct snmpmib *m,
					 const struct vrrp_rt *rt)
{
	netsnmp_variable_list *vars = trap_start(N_VRRP);
	static const int cols[] = { VR_STATE, VR_REASON, VR_VRID, VR_IFACE };
	oid idx[IDX_MAX];
	size_t n = str_index(rt->cfg.name, idx);

	for (size_t i = 0; vars && i < sizeof(cols) / sizeof(cols[0]); i++)
		if (trap_add(&vars, m, O_VRRP, cols[i], idx, n, vrrp_value,
			     (void *)rt) < 0) {
			snmp_free_varbind(vars);
			return NULL;
		}
	return vars;
}
