/* control.c — the control socket's commands (see control.h). Every
 * change goes into the operator layer (persisted) and the kernel follows
 * at once. */
#include "control.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apply.h"
#include "control_json.h"
#include "bgp.h"
#include "checkproc.h"
#include "dump.h"
#include "health.h"
#include "ipvs.h"
#include "log.h"
#include "loop.h"
#include "operator.h"
#include "opstore.h"
#include "outcome.h"
#include "reload.h"
#include "runtime.h"
#include "ipvssync.h"
#include "vrrpmgr.h"

/* "s" unless n is 1: "1 virtual server", "2 virtual servers" */
#define PLURAL(n) ((n) == 1 ? "" : "s")

/* An argument echoed in an error: at most 64 bytes, then "...". */
#define CLIP(s) 64, (s), strlen(s) > 64 ? "..." : ""

/* Resolve "VS RS" to a running real server, or say why not. */
static struct srv *find_srv(struct daemon *d, const char *vs, const char *rs,
			    char *err, size_t len)
{
	struct lvsd_addr a;
	uint16_t port;
	struct srv *s;
	bool given;

	if (!model_find_vs(d->model, vs)) {
		snprintf(err, len, "no virtual server '%.*s%s'", CLIP(vs));
		return NULL;
	}
	if (runtime_rs_arg(d->model, vs, rs, &a, &port, &given) < 0) {
		snprintf(err, len, "bad real server '%.*s%s' (ADDR:PORT or ADDR "
			 "expected)", CLIP(rs));
		return NULL;
	}
	s = srv_find(&d->servers, vs, &a, port);
	if (!s)
		snprintf(err, len, "no real server %.*s%s in '%.*s%s'", CLIP(rs),
			 CLIP(vs));
	return s;
}

/* Change the operator layer of s through operator.c (the path SNMP SETs
 * take too). has_weight -1, admin -1: leave as is. */
static int set_operator(struct daemon *d, struct srv *s, int has_weight,
			uint32_t weight, int admin, int clear, char *err,
			size_t len)
{
	struct operator_set c = {
		.has_weight = has_weight, .weight = weight, .admin = admin,
		.clear = clear,
	};
	int r = operator_apply(d, s, &c, err, len);

	return r == -EREMOTEIO ? -EIO : r;
}

static int cmd_weight(struct daemon *d, char **argv, char *err, size_t len)
{
	struct srv *s = find_srv(d, argv[1], argv[2], err, len);
	unsigned long long w;
	char *end;

	if (!s)
		return -ENOENT;
	if (strcmp(argv[3], "clear") == 0)
		return set_operator(d, s, 0, 0, -1, 0, err, len);
	errno = 0;
	w = strtoull(argv[3], &end, 10);
	if (argv[3][0] < '0' || argv[3][0] > '9' || *end || errno || w > WEIGHT_MAX) {
		snprintf(err, len, "bad weight '%.*s%s' (0..%u or clear)", CLIP(argv[3]),
			 WEIGHT_MAX);
		return -EINVAL;
	}
	return set_operator(d, s, 1, (uint32_t)w, -1, 0, err, len);
}

static int cmd_admin(struct daemon *d, char **argv, char *err, size_t len)
{
	struct srv *s = find_srv(d, argv[1], argv[2], err, len);
	enum admin_state a;

	if (!s)
		return -ENOENT;
	if (strcmp(argv[0], "clear") == 0)
		return set_operator(d, s, -1, 0, -1, 1, err, len);
	admin_state_parse(argv[0], &a);
	return set_operator(d, s, -1, 0, (int)a, 0, err, len);
}

static const char *fwd_str(enum model_method m)
{
	return m == MODEL_METHOD_DR ? "Route" : m == MODEL_METHOD_TUN ? "Tunnel" : "Masq";
}

/* The kernel's counters, through the one reader SNMP uses too (servers.c):
 * read again when older than SRV_KERNEL_MAX_AGE_US. */
static void conn_counts(struct daemon *d)
{
	uint64_t now = loop_now_us();

	if (srv_kernel_age(&d->servers, now) > SRV_KERNEL_MAX_AGE_US)
		srv_kernel_read(&d->servers, d->model, d->ipvs, now);
}

static void status_line(void *arg, const char *line)
{
	ctl_printf(arg, "%s\n", line);
}

/* The agent's input: "-" (no agent), "none" (no answer), or its hint
 * and factor: "drain", "up/50%". */
static const char *agent_col(const struct srv *s, char *buf, size_t len)
{
	static const char *const hint[] = { "", "up", "down", "drain" };
	const char *h = (unsigned)s->agent < 4 ? hint[s->agent] : "?";

	if (!s->agent_check)
		snprintf(buf, len, "-");
	else if (!s->agent_has_factor)
		snprintf(buf, len, "%s", *h ? h : "none");
	else
		snprintf(buf, len, "%s%s%.0f%%", h, *h ? "/" : "",
			 s->agent_factor * 100.0);
	return buf;
}

/* Slow-start progress: "-" (off or done) or "40%". */
static const char *ramp_col(const struct srv *s, char *buf, size_t len)
{
	if (s->eff.ramp >= 1.0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f%%", s->eff.ramp * 100.0);
	return buf;
}

/* The Flags of a virtual server's line, each part after a blank: the
 * scheduler flags as configured (sched_flags, ',' between), "persistent
 * SECONDS" and "ops" (one-packet scheduling); "" without any. */
static void vs_flags_col(const struct model_vs *vs, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < vs->sched_flags.n && n < len; k++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", k ? "," : " ",
				      vs->sched_flags.v[k]);
	if (vs->persistence_timeout && n < len)
		n += (size_t)snprintf(buf + n, len - n, " persistent %u",
				      vs->persistence_timeout);
	if (vs->one_packet && n < len)
		snprintf(buf + n, len - n, " ops");
}

/* A group's real server in one of its services: what the kernel said of
 * it there (the last read's dests of that service), or NULL. */
static const struct ipvs_dest *svc_dest(const struct srv_vs_kernel *k,
					const struct lvsd_addr *a, uint16_t port)
{
	for (size_t x = 0; x < k->n_dests; x++)
		if (k->dests[x].port == port && model_addr_eq(&k->dests[x].addr, a))
			return &k->dests[x];
	return NULL;
}

/* The counters (--stats) or rates (--rate) of a service or real server,
 * in ipvsadm -L --stats/--rate --exact's columns. */
static void stats_cols(const struct ipvs_stats *st, int rate, char *buf,
		       size_t len)
{
	if (rate)
		snprintf(buf, len, "%10llu %10llu %10llu %12llu %12llu",
			 (unsigned long long)st->cps, (unsigned long long)st->inpps,
			 (unsigned long long)st->outpps, (unsigned long long)st->inbps,
			 (unsigned long long)st->outbps);
	else
		snprintf(buf, len, "%10llu %10llu %10llu %12llu %12llu",
			 (unsigned long long)st->conns, (unsigned long long)st->inpkts,
			 (unsigned long long)st->outpkts, (unsigned long long)st->inbytes,
			 (unsigned long long)st->outbytes);
}

#define STATUS_STATS 1 /* status --stats: the kernel's counters */
#define STATUS_RATE 2  /* status --rate: the kernel's rates */

/* One IPVS service, c of vs (a group's members each have theirs, named
 * "web[10.0.0.1:80]"), and its real servers under it. */
static void status_service(struct daemon *d, struct ctl_reply *r, int mode,
			   const struct model_vs *vs, size_t c)
{
	char vk[128], ap[80], opw[16], agent[24], ramp[8], rising[40];
	char flags[512], name[MODEL_NAME_MAX + 64], st[96];
	const struct srv_vs_kernel *k =
		srv_svc_kernel(&d->servers, d->model, vs, c);
	struct model_vs one;
	struct checkproc_status cps;
	bool frozen;

	checkproc_status(d->checkproc, &cps);
	frozen = cps.frozen_since != 0;
	model_vs_svc(vs, c, &one);
	model_vs_key_str(&one, vk, sizeof(vk));
	model_vs_svc_name(vs, c, name, sizeof(name));
	if (mode) {
		stats_cols(&k->stats, mode == STATUS_RATE, st, sizeof(st));
		ctl_printf(r, "%-28s %s (%s)\n", vk, st, name);
	} else {
		vs_flags_col(vs, flags, sizeof(flags));
		ctl_printf(r, "%-26s %s%s (%s)%s\n", vk, vs->scheduler,
			   flags, name, vs->runtime ? " runtime" : "");
	}
	for (size_t j = 0; j < d->servers.n; j++) {
		const struct srv *s = d->servers.v[j];
		const struct ipvs_dest *kd = NULL;
		uint16_t port = s->port;
		uint32_t act, inact;
		struct ipvs_stats none = { 0 };
		const struct ipvs_stats *sst = &s->stats;

		if (s->vs != vs)
			continue;
		act = s->activeconns;
		inact = s->inactconns;
		if (vs->group[0]) { /* this member's, not the sum */
			port = srv_dest_port(s, one.fwmark, one.port);
			kd = svc_dest(k, &s->addr, port);
			act = kd ? kd->activeconns : 0;
			inact = kd ? kd->inactconns : 0;
			sst = kd ? &kd->stats : &none;
		}
		model_addrport_str(&s->addr, port, ap, sizeof(ap));
		if (mode) {
			stats_cols(sst, mode == STATUS_RATE, st, sizeof(st));
			ctl_printf(r, "  -> %-23s %s\n", ap, st);
			continue;
		}
		if (s->has_op_weight)
			snprintf(opw, sizeof(opw), "%u", s->op_weight);
		else
			snprintf(opw, sizeof(opw), "-");
		/* down but rising: how far (rise successes in a row) */
		if (!s->up && s->check && s->oks && s->cfg->check.rise > 1 &&
		    s->oks < s->cfg->check.rise)
			snprintf(rising, sizeof(rising), " (rising %u/%u)",
				 s->oks, s->cfg->check.rise);
		else
			rising[0] = '\0';
		ctl_printf(r, "  -> %-28s %-7s %-6u %-10u %-9u %-6s %-8s %-6u %-5s %-6.2f %-11s %-4s %-11s %s%s%s%s\n",
			   ap, fwd_str(s->cfg->method), s->eff.weight,
			   act, inact,
			   s->up ? "up" : "down", admin_state_str(s->admin),
			   s->cfg->weight, opw,
			   s->has_factor ? s->factor : 1.0,
			   agent_col(s, agent, sizeof(agent)),
			   ramp_col(s, ramp, sizeof(ramp)),
			   control_rs_result(d, s),
			   /* the last check's detail, as logged */
			   !s->last_check_us ? "-" : s->last_detail[0]
			   ? s->last_detail : outcome_str(s->last_outcome),
			   rising, s->cfg->runtime ? " [runtime]" : "",
			   /* checked by a check process that is down */
			   s->check && frozen ? " [frozen]" : "");
	}
	/* the sorry server standing in (desired.c): the kernel has it */
	if (vs->sorry_server.family && health_quorum_lost(d->health, vs)) {
		uint16_t sp;
		const struct ipvs_dest *kd = control_sorry_dest(d, vs, c, &sp);
		struct ipvs_stats none = { 0 };

		model_addrport_str(&vs->sorry_server, sp, ap, sizeof(ap));
		if (mode) {
			stats_cols(kd ? &kd->stats : &none, mode == STATUS_RATE,
				   st, sizeof(st));
			ctl_printf(r, "  -> %-23s %s sorry server\n", ap, st);
		} else {
			ctl_printf(r, "  sorry server %s in use%s\n", ap,
				   d->ipvs && !kd ? " (not in the kernel)" : "");
		}
	}
}

/* "-" for the kernel's own, else "900s" */
static const char *tmo_col(uint32_t ms, char *buf, size_t len)
{
	if (!ms)
		return "-";
	snprintf(buf, len, "%us", ms / 1000 + (ms % 1000 != 0));
	return buf;
}

/* The kernel's connection timeouts (one request) and the configured ones. */
static void timeouts_line(struct daemon *d, struct ctl_reply *r)
{
	const struct model_global *g = &d->model->global;
	struct ipvs_timeouts k;
	char a[16], b[16], c[16];

	if (!d->ipvs || ipvs_get_timeouts(d->ipvs, &k) < 0)
		return;
	ctl_printf(r, "IPVS timeouts: tcp %us, tcpfin %us, udp %us (configured: "
		   "tcp %s, tcpfin %s, udp %s)\n", k.tcp, k.tcp_fin, k.udp,
		   tmo_col(g->timeout_tcp_ms, a, sizeof(a)),
		   tmo_col(g->timeout_tcpfin_ms, b, sizeof(b)),
		   tmo_col(g->timeout_udp_ms, c, sizeof(c)));
}

static void cmd_status(struct daemon *d, struct ctl_reply *r, int mode)
{
	conn_counts(d);
	ctl_printf(r, "lvsd %s: %zu virtual server%s, %zu real server%s; kernel "
		   "operations %llu (last reconcile %llu)\n", LVSD_VERSION,
		   d->model->n_vs, PLURAL(d->model->n_vs), d->model->n_rs,
		   PLURAL(d->model->n_rs),
		   (unsigned long long)(d->ipvs ? ipvs_ops_sent(d->ipvs) : 0),
		   (unsigned long long)d->n.last_ops);
	timeouts_line(d, r);
	if (mode) {
		ctl_printf(r, "Prot LocalAddress:Port       %s\n"
			   "  -> RemoteAddress:Port\n", mode == STATUS_RATE
			   ? "       CPS      InPPS     OutPPS        InBPS       OutBPS"
			   : "     Conns     InPkts    OutPkts      InBytes     OutBytes");
	} else {
		ctl_printf(r, "Prot LocalAddress:Port Scheduler Flags\n");
		ctl_printf(r, "  -> RemoteAddress:Port           Forward Weight ActiveConn "
			   "InActConn Health Admin    Config Oper  Factor Agent       "
			   "Ramp Result       Check\n");
	}
	for (size_t i = 0; i < d->model->n_vs; i++)
		for (size_t c = 0; c < model_vs_n_svc(&d->model->vs[i]); c++)
			status_service(d, r, mode, &d->model->vs[i], c);
	/* VRRP (vrrpmgr.c): two lines per instance, state and counters */
	if (vrrpmgr_count(d->vrrp)) {
		ctl_printf(r, "VRRP instances: %zu\n", vrrpmgr_count(d->vrrp));
		vrrpmgr_report(d->vrrp, status_line, r);
	}
	ipvssync_report(d->ipvssync, status_line, r); /* ipvssync.c */
	bgp_report(d->bgp, status_line, r); /* bgp.c: what BIRD announces */
	{ /* checkproc.c: who runs the checks */
		struct checkproc_status st;
		char cl[300], when[32];
		time_t t;

		checkproc_describe(d->checkproc, cl, sizeof(cl));
		ctl_printf(r, "%s\n", cl);
		checkproc_status(d->checkproc, &st);
		if (st.frozen_since) {
			t = (time_t)st.frozen_since;
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime(&t));
			ctl_printf(r, "health results frozen since %s (%lld s): the check process is down; [frozen] servers keep their last result\n",
				   when, (long long)(time(NULL) - t));
		}
	}
}

static void reply_line(void *arg, const char *line)
{
	ctl_printf(arg, "%s\n", line);
}

/* A change that applied but could not be saved says so (opstore.c). */
static int unsaved_note(struct daemon *d, struct ctl_reply *r, int rc)
{
	const char *why = opstore_unsaved(d);

	if (rc == 0 && why)
		ctl_printf(r, "warning: applied but not saved: %s\n", why);
	return rc;
}

/* Commands that only read: control_group_ro may use them. */
static int read_only(const char *c)
{
	static const char *const ro[] = { "status", "counters", "dump" };

	for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++)
		if (!strcmp(c, ro[i]))
			return 1;
	return 0;
}

int control_handle(void *arg, const struct ctl_peer *peer, int argc,
		   char **argv, struct ctl_reply *r, char *err, size_t len)
{
	struct daemon *d = arg;
	const char *c = argv[0];

	if (peer->access < CTL_READ) {
		snprintf(err, len, "permission denied: uid %u has no access",
			 (unsigned)peer->uid);
		return -EACCES;
	}
	if (peer->access < CTL_WRITE && !read_only(c)) {
		snprintf(err, len, "permission denied: uid %u may only read "
			 "(control_group_ro): '%.40s' is not one of status, "
			 "counters, dump", (unsigned)peer->uid, c);
		return -EACCES;
	}

#define NEED(n, usage) do { if (argc != (n)) { \
		snprintf(err, len, "usage: %s", usage); return -EINVAL; } } while (0)
	if (!strcmp(c, "status")) {
		int mode = 0;

		if (argc == 2 && !strcmp(argv[1], "--json")) {
			control_json_status(d, r);
			return 0;
		}
		if (argc == 2 && !strcmp(argv[1], "--stats"))
			mode = STATUS_STATS;
		else if (argc == 2 && !strcmp(argv[1], "--rate"))
			mode = STATUS_RATE;
		else
			NEED(1, "status [--json|--stats|--rate]");
		cmd_status(d, r, mode);
		return 0;
	}
	if (!strcmp(c, "weight")) {
		NEED(4, "weight VS RS N|clear");
		return unsaved_note(d, r, cmd_weight(d, argv, err, len));
	}
	if (!strcmp(c, "enable") || !strcmp(c, "disable") ||
	    !strcmp(c, "drain") || !strcmp(c, "clear")) {
		NEED(3, "enable|disable|drain|clear VS RS");
		return unsaved_note(d, r, cmd_admin(d, argv, err, len));
	}
	if (!strcmp(c, "reload")) {
		unsigned flags = 0;
		int rr;

		if (argc == 2 && !strcmp(argv[1], "--force"))
			flags = RELOAD_FORCE;
		else
			NEED(1, "reload [--force]");
		rr = reload_config(d, flags, reply_line, r);
		if (rr == -ENODEV) {
			snprintf(err, len, "reload refused (the sync daemons' interface does not exist); the running configuration stays; --force applies it");
			return -EINVAL;
		}
		if (rr == -ECANCELED) {
			snprintf(err, len, "reload refused (it would remove everything); the running configuration stays; --force applies it");
			return -EINVAL;
		}
		if (rr < 0) {
			snprintf(err, len, "reload failed; the running configuration stays");
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(c, "reconcile")) {
		NEED(1, "reconcile");
		if (apply_now(d) < 0) {
			snprintf(err, len, "reconcile failed (see the log)");
			return -EIO;
		}
		ctl_printf(r, "kernel operations %llu\n", (unsigned long long)d->n.last_ops);
		return 0;
	}
	if (!strcmp(c, "counters")) {
		if (argc == 2 && !strcmp(argv[1], "--json")) {
			control_json_counters(d, r);
			return 0;
		}
		NEED(1, "counters [--json]");
		ctl_printf(r, "reloads %llu\nreload_failures %llu\nreconciles %llu\n"
			   "reconcile_failures %llu\nkernel_ops %llu\nlast_ops %llu\n"
			   "kernel_reads %llu\nkernel_dumps %llu\n",
			   (unsigned long long)d->n.reloads,
			   (unsigned long long)d->n.reload_failures,
			   (unsigned long long)d->n.reconciles,
			   (unsigned long long)d->n.reconcile_failures,
			   (unsigned long long)(d->ipvs ? ipvs_ops_sent(d->ipvs) : 0),
			   (unsigned long long)d->n.last_ops,
			   (unsigned long long)d->servers.kernel_reads,
			   (unsigned long long)(d->ipvs ? ipvs_dumps(d->ipvs) : 0));
		return 0;
	}
	if (!strcmp(c, "add-vs") || !strcmp(c, "add-rs") ||
	    !strcmp(c, "del-vs") || !strcmp(c, "del-rs"))
		return runtime_command(d, argc, argv, r, err, len);
	if (!strcmp(c, "dump")) {
		NEED(1, "dump");
		dump_state(d, reply_line, r);
		return 0;
	}
	snprintf(err, len, "unknown command '%.*s%s' (status, weight, enable, disable, "
		 "drain, clear, add-vs, add-rs, del-vs, del-rs, reload, "
		 "reconcile, counters, dump)", CLIP(c));
	return -EINVAL;
#undef NEED
}
