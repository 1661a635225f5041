/* snmpvrrp3.c — VRRPV3-MIB over the VRRP instances (see snmpvrrp3.h).
 * The reading path: a request → refresh (rows rebuilt when the instances
 * changed, or once a second for the interfaces' ifIndex) → the table
 * helper and table_tdata → op_handler / addr_handler / stat_handler (one
 * column of one row, read from vrrpmgr: the engine's counters through
 * vrrpmgr_stats). Read-only: a SET is refused by the agent (notWritable).
 * lvsd has no FAULT in this MIB's status: a FAULT instance is
 * initialize(1), like one not started. */
#include "snmpvrrp3.h"

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "context.h"
#include "log.h"
#include "loop.h"
#include "vrrpmgr.h"

#define REBUILD_US 1000000u
#define IDX_MAX 24

static const oid root_oid[] = { VRRPV3_MIB_ROOT };
#define ROOT_LEN (sizeof(root_oid) / sizeof(root_oid[0]))

/* vrrpv3OperationsEntry's columns */
enum { OP_MASTER = 3, OP_PRIMARY, OP_VMAC, OP_STATUS, OP_PRIORITY,
       OP_ADDR_COUNT, OP_ADV_INTERVAL, OP_PREEMPT, OP_ACCEPT, OP_UPTIME,
       OP_ROW_STATUS };
/* vrrpv3AssociatedIpAddrEntry */
enum { AS_ROW_STATUS = 2 };
/* vrrpv3StatisticsEntry */
enum { ST_MASTER_TRANS = 1, ST_NEW_MASTER_REASON, ST_RCVD_ADVERTS,
       ST_ADV_INTERVAL_ERR, ST_TTL_ERR, ST_PROTO_ERR_REASON, ST_RCVD_PRI0,
       ST_SENT_PRI0, ST_INVALID_TYPE, ST_ADDR_LIST_ERR, ST_LENGTH_ERR,
       ST_DISCONTINUITY, ST_REFRESH };
/* the router-wide scalars under vrrpv3Statistics */
enum { G_CHECKSUM = 1, G_VERSION, G_VRID, G_DISCONTINUITY };

struct v3row {                  /* an operations/statistics row */
	const struct vrrp_rt *rt;
	unsigned ifindex;
};

struct v3addr {                 /* an associated address row */
	const struct vrrp_rt *rt;
	size_t vip;
};

struct snmpvrrp3 {
	struct daemon *d;
	netsnmp_tdata *ops, *addrs, *stats;
	netsnmp_handler_registration *regs[8];
	size_t n_regs;
	netsnmp_table_registration_info *tinfo[3];
	size_t n_tinfo;
	struct v3row *rows;
	struct v3addr *arows;
	/* what the rows were built from */
	int dirty;
	const struct model *model;
	size_t n_vrrp;
	uint64_t built_us;
};

/* ------------------------------------------------------------- values */

static u_long clamp32(uint64_t x)
{
	return x > 0xffffffffu ? 0xffffffffu : (u_long)x;
}

/* sysUpTime (centiseconds) at monotonic time t_us; 0 if before the
 * agent started (TimeStamp's "no discontinuity since"). */
static u_long timestamp(uint64_t t_us)
{
	uint64_t now = loop_now_us(), up = netsnmp_get_agent_uptime();
	uint64_t age = t_us && t_us <= now ? (now - t_us) / 10000u : up + 1;

	return age > up ? 0 : clamp32(up - age);
}

static void set_int(netsnmp_variable_list *v, u_char type, long x)
{
	snmp_set_var_typed_integer(v, type, x);
}

static void set_c64(netsnmp_variable_list *v, uint64_t x)
{
	struct counter64 c = { .high = x >> 32, .low = x & 0xffffffffu };

	snmp_set_var_typed_value(v, ASN_COUNTER64, &c, sizeof(c));
}

/* An InetAddress of the instance's family: all zeros when unknown. */
static void set_addr(netsnmp_variable_list *v, int family,
		     const struct lvsd_addr *a)
{
	static const unsigned char zero[16];
	size_t len = family == AF_INET6 ? 16 : 4;
	const void *b = zero;

	if (a && a->family == family)
		b = family == AF_INET6 ? (const void *)&a->u.v6 : (const void *)&a->u.v4;
	snmp_set_var_typed_value(v, ASN_OCTET_STR, b, len);
}

static long status_val(enum lvsd_vrrp_state s)
{
	return s == LVSD_VRRP_BACKUP ? 2 : s == LVSD_VRRP_MASTER ? 3 : 1;
}

/* ---------------------------------------------------------------- rows */

static int add_row(netsnmp_tdata *t, void *data, const oid *idx, size_t n)
{
	netsnmp_tdata_row *row = netsnmp_tdata_create_row();

	if (!row)
		return -ENOMEM;
	row->data = data;
	row->oid_index.oids = malloc(n * sizeof(oid));
	if (!row->oid_index.oids) {
		netsnmp_tdata_delete_row(row);
		return -ENOMEM;
	}
	memcpy(row->oid_index.oids, idx, n * sizeof(oid));
	row->oid_index.len = n;
	/* two instances of one interface, VRID and family: the
	 * configuration check refuses it; the first keeps the row */
	if (netsnmp_tdata_row_get_byoid(t, (oid *)idx, n) ||
	    netsnmp_tdata_add_row(t, row) != SNMPERR_SUCCESS) {
		log_warnx("snmp: %s: duplicate index, row left out", t->name);
		netsnmp_tdata_delete_row(row);
		return -EEXIST;
	}
	return 0;
}

static void drop_row(void *row, void *ctx)
{
	(void)ctx;
	netsnmp_tdata_delete_row(row);
}

static void clear(netsnmp_tdata *t)
{
	if (t)
		CONTAINER_CLEAR(t->container, drop_row, NULL);
}

static size_t op_index(const struct v3row *r, oid *o)
{
	o[0] = r->ifindex;
	o[1] = r->rt->cfg.vrid;
	o[2] = r->rt->cfg.family == AF_INET6 ? 2 : 1;
	return 3;
}

static void rebuild(struct snmpvrrp3 *v)
{
	struct daemon *d = v->d;
	size_t n = vrrpmgr_count(d->vrrp), n_vips = 0, k = 0;
	oid idx[IDX_MAX];

	clear(v->ops);
	clear(v->addrs);
	clear(v->stats);
	free(v->rows);
	free(v->arows);
	v->rows = calloc(n ? n : 1, sizeof(*v->rows));
	for (size_t i = 0; i < n; i++)
		n_vips += vrrpmgr_at(d->vrrp, i)->cfg.n_vips;
	v->arows = calloc(n_vips ? n_vips : 1, sizeof(*v->arows));
	if (!v->rows || !v->arows) {
		log_warnx("snmp: VRRPV3-MIB rows: out of memory");
		n = 0;
	}
	for (size_t i = 0; i < n; i++) {
		const struct vrrp_rt *rt = vrrpmgr_at(d->vrrp, i);
		struct v3row *r = &v->rows[i];
		size_t len;

		r->rt = rt;
		/* an interface that is gone has no ifIndex: no row */
		if (!(r->ifindex = if_nametoindex(rt->cfg.interface)))
			continue;
		len = op_index(r, idx);
		if (add_row(v->ops, r, idx, len) < 0)
			continue;
		add_row(v->stats, r, idx, len);
		for (size_t j = 0; j < rt->cfg.n_vips; j++) {
			const struct lvsd_addr *a = &rt->cfg.vips[j].addr;
			size_t alen = a->family == AF_INET6 ? 16 : 4;
			const unsigned char *b = a->family == AF_INET6
							 ? (const unsigned char *)&a->u.v6
							 : (const unsigned char *)&a->u.v4;
			size_t m = len;

			if (a->family != rt->cfg.family)
				continue;
			idx[m++] = alen;
			for (size_t q = 0; q < alen; q++)
				idx[m++] = b[q];
			v->arows[k] = (struct v3addr){ .rt = rt, .vip = j };
			add_row(v->addrs, &v->arows[k++], idx, m);
			len = op_index(r, idx);
		}
	}
	v->model = d->model;
	v->n_vrrp = vrrpmgr_count(d->vrrp);
	v->built_us = loop_now_us();
	v->dirty = 0;
}

static void refresh(struct snmpvrrp3 *v)
{
	struct daemon *d = v->d;

	if (v->dirty || v->model != d->model || v->n_vrrp != vrrpmgr_count(d->vrrp) ||
	    loop_now_us() - v->built_us > REBUILD_US)
		rebuild(v);
}

static int refresh_handler(netsnmp_mib_handler *h,
			   netsnmp_handler_registration *reg,
			   netsnmp_agent_request_info *ri,
			   netsnmp_request_info *req)
{
	refresh(h->myvoid);
	return netsnmp_call_next_handler(h, reg, ri, req);
}

/* ------------------------------------------------------------- columns */

static void op_col(struct snmpvrrp3 *v, const struct v3row *r, int col,
		   netsnmp_variable_list *var)
{
	const struct vrrp_rt *rt = r->rt;
	const struct model_vrrp *c = &rt->cfg;
	struct lvsd_vrrp_stats st;
	size_t n_addr = 0;

	vrrpmgr_stats(v->d->vrrp, rt, &st);
	switch (col) {
	case OP_MASTER:
		/* a master names itself: its primary address */
		set_addr(var, c->family, rt->st == LVSD_VRRP_MASTER ? &st.src_addr
								    : &st.master_addr);
		break;
	case OP_PRIMARY: set_addr(var, c->family, &st.src_addr); break;
	case OP_VMAC: {
		unsigned char mac[6] = { 0x00, 0x00, 0x5e, 0x00,
					 c->family == AF_INET6 ? 0x02 : 0x01, c->vrid };

		snmp_set_var_typed_value(var, ASN_OCTET_STR, mac, sizeof(mac));
		break;
	}
	case OP_STATUS: set_int(var, ASN_INTEGER, status_val(rt->st)); break;
	case OP_PRIORITY:
		set_int(var, ASN_UNSIGNED, rt->prio ? rt->prio : c->priority);
		break;
	case OP_ADDR_COUNT:
		for (size_t j = 0; j < c->n_vips; j++)
			n_addr += c->vips[j].addr.family == c->family;
		set_int(var, ASN_INTEGER, (long)n_addr);
		break;
	case OP_ADV_INTERVAL: set_int(var, ASN_INTEGER, c->advert_int_cs); break;
	case OP_PREEMPT: set_int(var, ASN_INTEGER, c->preempt ? 1 : 2); break;
	case OP_ACCEPT:
		/* lvsd puts the virtual addresses on the interface: a master
		 * accepts their packets. The RFC: false(2) for IPv4 rows. */
		set_int(var, ASN_INTEGER, c->family == AF_INET6 ? 1 : 2);
		break;
	case OP_UPTIME:
		set_int(var, ASN_TIMETICKS, rt->up_since_us ?
			clamp32((loop_now_us() - rt->up_since_us) / 10000u) : 0);
		break;
	case OP_ROW_STATUS: set_int(var, ASN_INTEGER, 1); break; /* active */
	}
}

static void stat_col(struct snmpvrrp3 *v, const struct v3row *r, int col,
		     netsnmp_variable_list *var)
{
	struct lvsd_vrrp_stats st;

	vrrpmgr_stats(v->d->vrrp, r->rt, &st);
	switch (col) {
	case ST_MASTER_TRANS:
		set_int(var, ASN_COUNTER, clamp32(st.master_transitions));
		break;
	case ST_NEW_MASTER_REASON: set_int(var, ASN_INTEGER, st.new_master_reason); break;
	case ST_RCVD_ADVERTS: set_c64(var, st.adverts_rcvd); break;
	case ST_ADV_INTERVAL_ERR: set_c64(var, st.bad_interval); break;
	case ST_TTL_ERR: set_c64(var, st.bad_ttl); break;
	case ST_PROTO_ERR_REASON: set_int(var, ASN_INTEGER, st.proto_err_reason); break;
	case ST_RCVD_PRI0: set_c64(var, st.priority_zero_rcvd); break;
	case ST_SENT_PRI0: set_c64(var, st.priority_zero_sent); break;
	case ST_INVALID_TYPE: set_c64(var, st.bad_type); break;
	case ST_ADDR_LIST_ERR: set_c64(var, st.bad_addr_list); break;
	case ST_LENGTH_ERR: set_c64(var, st.bad_length); break;
	case ST_DISCONTINUITY:
		/* the counters start at 0 when the engine gets the instance */
		set_int(var, ASN_TIMETICKS, timestamp(r->rt->started_us));
		break;
	case ST_REFRESH:
		/* read live from the engine: an advert interval, in ms */
		set_int(var, ASN_UNSIGNED, (long)r->rt->cfg.advert_int_cs * 10);
		break;
	}
}

enum which { T_OPS, T_ADDRS, T_STATS };

static int table_get(netsnmp_mib_handler *h, netsnmp_agent_request_info *ri,
		     netsnmp_request_info *req, enum which w)
{
	struct snmpvrrp3 *v = h->myvoid;

	if (ri->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
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
		if (w == T_OPS)
			op_col(v, row, (int)ti->colnum, req->requestvb);
		else if (w == T_STATS)
			stat_col(v, row, (int)ti->colnum, req->requestvb);
		else
			set_int(req->requestvb, ASN_INTEGER, 1); /* active */
	}
	return SNMP_ERR_NOERROR;
}

#define HANDLER(name, w)                                                      \
	static int name(netsnmp_mib_handler *h,                               \
			netsnmp_handler_registration *reg,                    \
			netsnmp_agent_request_info *ri,                       \
			netsnmp_request_info *req)                            \
	{                                                                     \
		(void)reg;                                                    \
		return table_get(h, ri, req, w);                              \
	}
HANDLER(op_handler, T_OPS)
HANDLER(addr_handler, T_ADDRS)
HANDLER(stat_handler, T_STATS)

static int scalar_handler(netsnmp_mib_handler *h,
			  netsnmp_handler_registration *reg,
			  netsnmp_agent_request_info *ri,
			  netsnmp_request_info *req)
{
	struct snmpvrrp3 *v = h->myvoid;
	struct vrrpmgr_router_stats rs;
	/* vrrpv3Statistics.N (the scalar helper added the .0) */
	oid which = reg->rootoid_len > ROOT_LEN + 2 ? reg->rootoid[ROOT_LEN + 2] : 0;

	if (ri->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	vrrpmgr_router_stats(v->d->vrrp, &rs);
	for (; req; req = req->next) {
		if (req->processed)
			continue;
		switch (which) {
		case G_CHECKSUM: set_c64(req->requestvb, rs.checksum_errors); break;
		case G_VERSION: set_c64(req->requestvb, rs.version_errors); break;
		case G_VRID: set_c64(req->requestvb, rs.vrid_errors); break;
		default:
			/* stopped instances' counts are kept: no discontinuity
			 * but the agent's own start */
			set_int(req->requestvb, ASN_TIMETICKS, 0);
		}
	}
	return SNMP_ERR_NOERROR;
}

/* -------------------------------------------------------- registration */

static int reg_table(struct snmpvrrp3 *v, const char *name, const oid *sub,
		     size_t n_sub, Netsnmp_Node_Handler *fn, netsnmp_tdata **t,
		     unsigned min_col, unsigned max_col, const u_char *types,
		     size_t n_types)
{
	oid o[ROOT_LEN + 4];
	netsnmp_handler_registration *reg;
	netsnmp_table_registration_info *ti;
	netsnmp_mib_handler *rh;

	memcpy(o, root_oid, sizeof(root_oid));
	memcpy(o + ROOT_LEN, sub, n_sub * sizeof(oid));
	*t = netsnmp_tdata_create_table(name, 0);
	ti = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
	if (ti)
		v->tinfo[v->n_tinfo++] = ti;
	reg = netsnmp_create_handler_registration(name, fn, o, ROOT_LEN + n_sub,
						  HANDLER_CAN_RONLY);
	rh = netsnmp_create_handler("lvsd_vrrpv3_refresh", refresh_handler);
	if (!*t || !ti || !reg || !rh)
		return -ENOMEM;
	reg->handler->myvoid = v;
	rh->myvoid = v;
	for (size_t i = 0; i < n_types; i++)
		netsnmp_table_helper_add_index(ti, types[i]);
	ti->min_column = min_col;
	ti->max_column = max_col;
	if (netsnmp_tdata_register(reg, *t, ti) != MIB_REGISTERED_OK)
		return -EINVAL;
	if (netsnmp_inject_handler(reg, rh) != SNMPERR_SUCCESS)
		return -EINVAL;
	v->regs[v->n_regs++] = reg;
	return 0;
}

int snmpvrrp3_register(struct daemon *d, struct snmpvrrp3 **out)
{
	static const u_char op_idx[] = { ASN_INTEGER, ASN_INTEGER, ASN_INTEGER };
	static const u_char addr_idx[] = { ASN_INTEGER, ASN_INTEGER, ASN_INTEGER,
					   ASN_OCTET_STR };
	static const oid ops_oid[] = { 1, 1, 1 }, addrs_oid[] = { 1, 1, 2 },
			 stats_oid[] = { 1, 2, 5 };
	struct snmpvrrp3 *v = calloc(1, sizeof(*v));
	int r;

	*out = v;
	if (!v)
		return -ENOMEM;
	v->d = d;
	v->dirty = 1;
	r = reg_table(v, "vrrpv3OperationsTable", ops_oid, 3, op_handler, &v->ops,
		      OP_MASTER, OP_ROW_STATUS, op_idx, sizeof(op_idx));
	if (!r)
		r = reg_table(v, "vrrpv3AssociatedIpAddrTable", addrs_oid, 3,
			      addr_handler, &v->addrs, AS_ROW_STATUS, AS_ROW_STATUS,
			      addr_idx, sizeof(addr_idx));
	if (!r)
		r = reg_table(v, "vrrpv3StatisticsTable", stats_oid, 3, stat_handler,
			      &v->stats, ST_MASTER_TRANS, ST_REFRESH, op_idx,
			      sizeof(op_idx));
	for (oid g = G_CHECKSUM; !r && g <= G_DISCONTINUITY; g++) {
		oid o[ROOT_LEN + 3];
		netsnmp_handler_registration *reg;

		memcpy(o, root_oid, sizeof(root_oid));
		o[ROOT_LEN] = 1;
		o[ROOT_LEN + 1] = 2;
		o[ROOT_LEN + 2] = g;
		reg = netsnmp_create_handler_registration("vrrpv3Statistics",
							  scalar_handler, o,
							  ROOT_LEN + 3,
							  HANDLER_CAN_RONLY);
		if (!reg)
			return -ENOMEM;
		reg->handler->myvoid = v;
		if (netsnmp_register_scalar(reg) != MIB_REGISTERED_OK)
			return -EINVAL;
		v->regs[v->n_regs++] = reg;
	}
	return r;
}

void snmpvrrp3_free(struct snmpvrrp3 *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n_regs; i++)
		netsnmp_unregister_handler(v->regs[i]);
	for (netsnmp_tdata **t = (netsnmp_tdata *[]){ v->ops, v->addrs, v->stats,
						      NULL }; *t; t++) {
		clear(*t);
		netsnmp_tdata_delete_table(*t);
	}
	for (size_t i = 0; i < v->n_tinfo; i++)
		netsnmp_table_registration_info_free(v->tinfo[i]);
	free(v->rows);
	free(v->arows);
	free(v);
}

void snmpvrrp3_invalidate(struct snmpvrrp3 *v)
{
	if (v)
		v->dirty = 1;
}
