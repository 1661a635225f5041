/* snmpcol.c — the values of LVSD-MIB's columns (see snmpcol.h). */
#include "snmpcol.h"

#include <string.h>
#include <arpa/inet.h>
#include <time.h>

#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "context.h"
#include "bgp.h"
#include "health.h"
#include "ipvssync.h"
#include "loop.h"
#include "outcome.h"
#include "vrrpmgr.h"

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


/* ------------------------------------------------------------- global */

void snmpcol_global(struct daemon *d, int col, netsnmp_variable_list *v)
{
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

/* --------------------------------------------------------------- sync */

void snmpcol_sync(struct daemon *d, int col, netsnmp_variable_list *v)
{
	struct ipvssync_view s;
	struct lvsd_addr g;

	ipvssync_view(d->ipvssync, &s);
	g = s.want.group;
	if (!g.family) {
		g.family = AF_INET;
		inet_pton(AF_INET, IPVSSYNC_DEFAULT_GROUP, &g.u.v4);
	}
	switch (col) {
	case SY_CONFIGURED: set_int(v, ASN_INTEGER, s.on ? 1 : 2); break;
	case SY_INSTANCE: set_str(v, s.on ? s.instance : ""); break;
	case SY_IFACE: set_str(v, s.on ? s.want.ifname : ""); break;
	case SY_ID: set_int(v, ASN_UNSIGNED, s.on ? s.want.syncid : 0); break;
	case SY_GROUP_TYPE: set_int(v, ASN_INTEGER, s.on ? addr_type(g.family) : 0); break;
	case SY_GROUP:
		if (s.on)
			set_addr(v, &g);
		else
			set_str(v, "");
		break;
	case SY_PORT:
		set_int(v, ASN_UNSIGNED, !s.on ? 0 : s.want.port ? s.want.port
			: IPVSSYNC_DEFAULT_PORT);
		break;
	case SY_MASTER: set_int(v, ASN_INTEGER, s.run_master ? 2 : 1); break;
	case SY_BACKUP: set_int(v, ASN_INTEGER, s.run_backup ? 2 : 1); break;
	case SY_CHANGES: set_int(v, ASN_COUNTER, clamp32(s.changes)); break;
	}
}

/* ------------------------------------------------------------- tables */

void snmpcol_plugin(struct daemon *d, const void *row, int col,
		    netsnmp_variable_list *v)
{
	const struct plugin *p = row;

	(void)d;
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

void snmpcol_vs(struct daemon *d, const void *row, int col,
		netsnmp_variable_list *v)
{
	const struct snmpcol_vs *r = row;
	const struct srv_vs_kernel *k = srv_vs_kernel(&d->servers, d->model, r->vs);
	const struct model_vs *vs = r->vs;

	switch (col) {
	case VS_NAME: set_str(v, vs->name); break;
	case VS_SCHED: set_str(v, vs->scheduler); break;
	case VS_METHOD: set_int(v, ASN_INTEGER, method_val(vs->method)); break;
	case VS_PERSIST: set_int(v, ASN_UNSIGNED, vs->persistence_timeout); break;
	case VS_QUORUM: set_int(v, ASN_UNSIGNED, vs->quorum); break;
	case VS_QSTATE:
		set_int(v, ASN_INTEGER, health_quorum_lost(d->health, vs) ? 2 : 1);
		break;
	case VS_N_RS: set_int(v, ASN_GAUGE, r->n_rs); break;
	case VS_N_UP: set_int(v, ASN_GAUGE, r->n_up); break;
	case VS_IN_KERNEL: set_int(v, ASN_INTEGER, k->in_kernel ? 1 : 2); break;
	case VS_ORIGIN: set_int(v, ASN_INTEGER, vs->runtime ? 2 : 1); break;
	case VS_BGP:
	case VS_BGP_WHY: {
		const struct bgp_entry *b = bgp_find(d->bgp, vs->name);
		char why[200];

		if (col == VS_BGP_WHY) /* as status says it, read back */
			set_str(v, b ? bgp_entry_text(d->bgp, b, loop_now_us(), why,
						      sizeof(why)) : "");
		else
			set_int(v, ASN_INTEGER, !b ? 1 : b->announced ? 2
				: !strncmp(b->why, "waiting", 7) ? 3 : 4);
		break;
	}
	default:
		if (col >= VS_STATS && col < VS_STATS + N_STATS)
			set_stats(v, &k->stats, col - VS_STATS);
	}
}

void snmpcol_rs(struct daemon *d, const void *row, int col,
		netsnmp_variable_list *v)
{
	const struct srv *s = row;

	(void)d;
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
	case RC_ORIGIN: set_int(v, ASN_INTEGER, s->cfg->runtime ? 2 : 1); break;
	default:
		if (col >= RC_STATS && col < RC_STATS + N_STATS)
			set_stats(v, &s->stats, col - RC_STATS);
	}
}

static long vrrp_state_val(enum lvsd_vrrp_state s)
{
	return (long)s + 1; /* init(1) backup(2) master(3) fault(4) */
}

void snmpcol_vrrp(struct daemon *d, const void *row, int col,
		  netsnmp_variable_list *v)
{
	const struct vrrp_rt *rt = row;
	const struct model_vrrp *c = &rt->cfg;
	struct lvsd_vrrp_stats st;

	vrrpmgr_stats(d->vrrp, rt, &st);
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

int snmpcol_vs_is_kernel(int col)
{
	return col == VS_IN_KERNEL || (col >= VS_STATS && col < VS_STATS + N_STATS);
}

int snmpcol_rs_is_kernel(int col)
{
	return (col >= RC_ACTIVE && col <= RC_PERSIST) ||
	       (col >= RC_STATS && col < RC_STATS + N_STATS);
}
