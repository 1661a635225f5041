/* snmpmib.c — LVSD-MIB over the model (see snmpmib.h). The reading path:
 * a request → refresh_handler (rows rebuilt after a reload; at the start
 * of a walk the virtual servers' real servers are counted; the walk's
 * first counter column, if the kernel's counters are older than 1 s,
 * starts one read of them for after the answer: servers.c's
 * srv_kernel_read, never inside a request)
 * → the table helper and table_tdata (binary search on the row's OID
 * index: O(log n) per GETNEXT) → the table's handler (one column of one
 * row: snmpcol.c). SETs: snmpset.c. */
#include "snmpmib.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "context.h"
#include "log.h"
#include "loop.h"
#include "snmpcol.h"
#include "snmpset.h"
#include "vrrpmgr.h"

#define WALK_GAP_US 10000000u      /* a request after a longer quiet: a new walk */
#define IDX_MAX 48

static const oid root_oid[] = { LVSD_MIB_ROOT };
#define ROOT_LEN (sizeof(root_oid) / sizeof(root_oid[0]))
static const oid trap_oid_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };

/* Sub-trees under lvsdObjects (lvsdMIB.1) and notifications (lvsdMIB.0). */
enum { O_GLOBAL = 1, O_PLUGIN = 2, O_VS = 3, O_RS = 4, O_VRRP = 5, O_SYNC = 6 };
enum { N_RS_UP = 1, N_RS_DOWN, N_QUORUM_LOST, N_QUORUM_BACK, N_VRRP };

struct snmpmib {
	struct daemon *d;
	netsnmp_tdata *plugins, *vss, *rss, *vrrps;
	netsnmp_handler_registration *regs[6];
	size_t n_regs;
	netsnmp_table_registration_info *tinfo[4]; /* ours to free */
	size_t n_tinfo;
	struct snmpcol_vs *vs_rows;    /* parallel to d->model->vs */
	size_t n_vs_rows;
	/* what the rows were built from */
	int dirty;
	const struct model *model;
	size_t n_srv, n_vrrp;
	/* walks: the last OID a request asked for, and when */
	oid last[MAX_OID_LEN];
	size_t n_last;
	uint64_t last_us;
	int may_read;                  /* this walk has not started a read yet */
	struct loop_timer *read;       /* a kernel read is due */
	struct snmpset_pending *pending;
};

/* -------------------------------------------------------------- index */

static size_t put_addr(oid *o, int family, const struct lvsd_addr *a)
{
	const unsigned char *b = a && a->family == family ? (const unsigned char *)&a->u
							    : NULL;
	size_t n = 0, len = family == AF_INET ? 4 : 16;

	o[n++] = family == AF_INET ? 1 : family == AF_INET6 ? 2 : 0; /* InetAddressType */
	o[n++] = len;
	for (size_t i = 0; i < len; i++)
		o[n++] = b ? b[i] : 0;
	return n;
}

size_t snmpmib_vs_index(const struct model_vs *vs, oid *out)
{
	size_t n;
	struct model_vs first;

	if (vs->group[0]) { /* a group's row: its first member's key */
		model_vs_svc(vs, 0, &first);
		vs = &first;
	}

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

/* Counted at the start of each walk: health changes them, not the kernel. */
static void count_vs(struct snmpmib *m)
{
	struct daemon *d = m->d;

	for (size_t i = 0; i < m->n_vs_rows; i++)
		m->vs_rows[i].n_rs = m->vs_rows[i].n_up = 0;
	for (size_t i = 0; i < d->servers.n; i++) {
		const struct srv *s = d->servers.v[i];
		size_t v = (size_t)(s->vs - d->model->vs);

		if (v < m->n_vs_rows) {
			m->vs_rows[v].n_rs++;
			m->vs_rows[v].n_up += s->up != 0;
		}
	}
}

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
	count_vs(m);
}

/* ------------------------------------------------------------ refresh */

static void on_read(void *arg)
{
	struct snmpmib *m = arg;
	struct daemon *d = m->d;
	int r;

	m->read = NULL;
	r = srv_kernel_read(&d->servers, d->model, d->ipvs, loop_now_us());
	if (r < 0 && r != -ENOTCONN)
		log_debug("snmp: cannot read the kernel's counters: %s", strerror(-r));
}

/* A walk is a run of requests whose OIDs ascend, without a quiet gap of
 * WALK_GAP_US; anything else (the same GET again, a new walk) starts one.
 * The first counter column a walk reads starts a read of the kernel if
 * the counters are older than SRV_KERNEL_MAX_AGE_US; it runs from the loop
 * after the answer. A walk thus starts at most one read (none if it reads
 * no counter, like the weight column) and sees no counter move under it
 * but that one. */
static void refresh(struct snmpmib *m, netsnmp_agent_request_info *ri,
		    netsnmp_request_info *req)
{
	struct daemon *d = m->d;
	uint64_t now = loop_now_us();
	const netsnmp_variable_list *first = req ? req->requestvb : NULL;
	int start;

	if (m->dirty || m->model != d->model || m->n_srv != d->servers.n ||
	    m->n_vrrp != vrrpmgr_count(d->vrrp))
		rebuild(m);
	if (ri->mode != MODE_GET && ri->mode != MODE_GETNEXT &&
	    ri->mode != MODE_GETBULK)
		return;
	start = !first || !m->n_last || now - m->last_us > WALK_GAP_US ||
		snmp_oid_compare(first->name, first->name_length, m->last,
				 m->n_last) <= 0;
	for (const netsnmp_request_info *r = req; r; r = r->next)
		if (r->requestvb && r->requestvb->name_length <= MAX_OID_LEN) {
			memcpy(m->last, r->requestvb->name,
			       r->requestvb->name_length * sizeof(oid));
			m->n_last = r->requestvb->name_length;
		}
	m->last_us = now;
	if (!start)
		return;
	m->may_read = 1;
	count_vs(m);
}

/* A request reads a counter column: the walk's one chance to start a read. */
static void counters_read(struct snmpmib *m)
{
	struct daemon *d = m->d;

	if (!m->may_read)
		return;
	m->may_read = 0;
	if (d->ipvs && !m->read &&
	    srv_kernel_age(&d->servers, loop_now_us()) > SRV_KERNEL_MAX_AGE_US)
		m->read = loop_timer_add(d->loop, 0, on_read, m);
}

static int refresh_handler(netsnmp_mib_handler *h,
			   netsnmp_handler_registration *reg,
			   netsnmp_agent_request_info *ri,
			   netsnmp_request_info *req)
{
	refresh(h->myvoid, ri, req);
	return netsnmp_call_next_handler(h, reg, ri, req);
}

/* ------------------------------------------------------------- global */

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
		snmpcol_global(((struct snmpmib *)h->myvoid)->d,
			       (int)v->name[v->name_length - 2], v);
	}
	return SNMP_ERR_NOERROR;
}

/* lvsdSync's scalars: the same, for the sync daemons. */
static int sync_handler(netsnmp_mib_handler *h,
			netsnmp_handler_registration *reg,
			netsnmp_agent_request_info *ri,
			netsnmp_request_info *req)
{
	(void)reg;
	if (ri->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (; req; req = req->next) {
		netsnmp_variable_list *v = req->requestvb;

		if (req->processed)
			continue;
		if (v->name_length < 2 || v->name[v->name_length - 2] < 1 ||
		    v->name[v->name_length - 2] > SY_LAST) {
			netsnmp_set_request_error(ri, req, SNMP_NOSUCHINSTANCE);
			continue;
		}
		snmpcol_sync(((struct snmpmib *)h->myvoid)->d,
			     (int)v->name[v->name_length - 2], v);
	}
	return SNMP_ERR_NOERROR;
}

/* ------------------------------------------------------------- tables */

static int table_get(netsnmp_agent_request_info *ri, netsnmp_request_info *req,
		     struct snmpmib *m, snmpcol_fn fn)
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
		if ((fn == snmpcol_rs && snmpcol_rs_is_kernel((int)ti->colnum)) ||
		    (fn == snmpcol_vs && snmpcol_vs_is_kernel((int)ti->colnum)))
			counters_read(m);
		fn(m->d, row, (int)ti->colnum, req->requestvb);
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
TABLE_HANDLER(plugin_handler, snmpcol_plugin)
TABLE_HANDLER(vs_handler, snmpcol_vs)
TABLE_HANDLER(vrrp_handler, snmpcol_vrrp)

static int rs_handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
		      netsnmp_agent_request_info *ri, netsnmp_request_info *req)
{
	struct snmpmib *m = h->myvoid;

	(void)reg;
	if (ri->mode == MODE_GET)
		return table_get(ri, req, m, snmpcol_rs);
	return snmpset_rs(m->d, &m->pending, ri, req);
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
	o[ROOT_LEN + 1] = O_SYNC;
	reg = netsnmp_create_handler_registration("lvsdSync", sync_handler, o,
						  ROOT_LEN + 2, HANDLER_CAN_RONLY);
	r = reg ? 0 : -ENOMEM;
	if (reg) {
		reg->handler->myvoid = m;
		if (netsnmp_register_scalar_group(reg, 1, SY_LAST) != MIB_REGISTERED_OK)
			r = -EINVAL;
		else
			m->regs[m->n_regs++] = reg;
	}
	if (!r)
		r = reg_table(m, "lvsdPluginTable", O_PLUGIN, plugin_handler,
			      HANDLER_CAN_RONLY, &m->plugins, P_VERSION, P_DESCR,
			      plugin_idx, sizeof(plugin_idx));
	if (!r)
		r = reg_table(m, "lvsdVsTable", O_VS, vs_handler, HANDLER_CAN_RONLY,
			      &m->vss, VS_NAME, VS_LAST, vs_idx,
			      sizeof(vs_idx));
	if (!r)
		r = reg_table(m, "lvsdRsTable", O_RS, rs_handler, HANDLER_CAN_RWRITE,
			      &m->rss, RC_VS_NAME, RC_LAST, rs_idx,
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
	snmpset_free(m->pending);
	if (m->read)
		loop_timer_del(m->d->loop, m->read);
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
		    int col, const oid *idx, size_t n, snmpcol_fn fn, const void *row)
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
	fn(m->d, row, col, v);
	return 0;
}

netsnmp_variable_list *snmpmib_trap_rs(struct snmpmib *m, const struct srv *s)
{
	netsnmp_variable_list *vars = trap_start(s->up ? N_RS_UP : N_RS_DOWN);
	static const int cols[] = { RC_VS_NAME, RC_HEALTH, RC_LAST_RESULT, RC_WEIGHT };
	oid idx[IDX_MAX];
	size_t n = snmpmib_rs_index(s->vs, s, idx);

	for (size_t i = 0; vars && i < sizeof(cols) / sizeof(cols[0]); i++)
		if (trap_add(&vars, m, O_RS, cols[i], idx, n, snmpcol_rs, s) < 0) {
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
	struct snmpcol_vs row = { .vs = vs };
	oid idx[IDX_MAX];
	size_t n = snmpmib_vs_index(vs, idx);

	for (size_t i = 0; i < m->d->servers.n; i++)
		if (m->d->servers.v[i]->vs == vs) {
			row.n_rs++;
			row.n_up += m->d->servers.v[i]->up != 0;
		}
	for (size_t i = 0; vars && i < sizeof(cols) / sizeof(cols[0]); i++)
		if (trap_add(&vars, m, O_VS, cols[i], idx, n, snmpcol_vs, &row) < 0) {
			snmp_free_varbind(vars);
			return NULL;
		}
	/* the quorum state as it is becoming, even if health.c has not
	 * stored it yet */
	for (netsnmp_variable_list *v = vars; v; v = v->next_variable)
		if (v->name_length > ROOT_LEN + 3 && v->name[ROOT_LEN + 1] == O_VS &&
		    v->name[ROOT_LEN + 3] == VS_QSTATE)
			snmp_set_var_typed_integer(v, ASN_INTEGER, lost ? 2 : 1);
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
		if (trap_add(&vars, m, O_VRRP, cols[i], idx, n, snmpcol_vrrp,
			     rt) < 0) {
			snmp_free_varbind(vars);
			return NULL;
		}
	return vars;
}
