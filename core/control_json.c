/* control_json.c — the JSON forms of status and counters (see
 * control_json.h; the schema: lvsctl(8), checked against the output by
 * tests/unit/status_json.sh). */
#include "control_json.h"

#include <stdio.h>
#include <string.h>

#include "bgp.h"
#include "checkproc.h"
#include "health.h"
#include "ipvs.h"
#include "loop.h"
#include "outcome.h"
#include "vrrpmgr.h"

/* A JSON string: '"', '\\' and control characters escaped, bytes outside
 * ASCII as \u00XX; NULL as null. */
static void jstr(struct ctl_reply *r, const char *s)
{
	char buf[512];
	size_t o = 0;

	if (!s) {
		ctl_printf(r, "null");
		return;
	}
	buf[o++] = '"';
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (o + 8 > sizeof(buf)) {
			buf[o] = '\0';
			ctl_printf(r, "%s", buf);
			o = 0;
		}
		if (*c == '"' || *c == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)*c;
		} else if (*c < 0x20 || *c >= 0x7f) {
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "\\u%04x", *c);
		} else {
			buf[o++] = (char)*c;
		}
	}
	buf[o++] = '"';
	buf[o] = '\0';
	ctl_printf(r, "%s", buf);
}

/* ,"key": */
static void key(struct ctl_reply *r, const char *k)
{
	ctl_printf(r, ",\"%s\":", k);
}

static void kstr(struct ctl_reply *r, const char *k, const char *v)
{
	key(r, k);
	jstr(r, v);
}

static void kint(struct ctl_reply *r, const char *k, unsigned long long v)
{
	ctl_printf(r, ",\"%s\":%llu", k, v);
}

static void kbool(struct ctl_reply *r, const char *k, int v)
{
	ctl_printf(r, ",\"%s\":%s", k, v ? "true" : "false");
}

/* ,"in_kernel":B,"stats":{...}: the kernel's counters and rates as of
 * the last read */
static void kernel(struct ctl_reply *r, int in_kernel,
		   const struct ipvs_stats *st)
{
	kbool(r, "in_kernel", in_kernel);
	ctl_printf(r, ",\"stats\":{\"conns\":%llu", (unsigned long long)st->conns);
	kint(r, "in_packets", st->inpkts);
	kint(r, "out_packets", st->outpkts);
	kint(r, "in_bytes", st->inbytes);
	kint(r, "out_bytes", st->outbytes);
	kint(r, "conns_per_s", st->cps);
	kint(r, "in_packets_per_s", st->inpps);
	kint(r, "out_packets_per_s", st->outpps);
	kint(r, "in_bytes_per_s", st->inbps);
	kint(r, "out_bytes_per_s", st->outbps);
	ctl_printf(r, "}");
}

/* A configured IPVS timeout in whole seconds (rounded up, as the kernel
 * gets it); null: 0, the kernel's own is left. */
static void timeout(struct ctl_reply *r, uint32_t ms)
{
	if (ms)
		ctl_printf(r, "%u", ms / 1000 + (ms % 1000 != 0));
	else
		ctl_printf(r, "null");
}

static const char *const hint_str[] = { "", "up", "down", "drain" };

const char *control_rs_result(struct daemon *d, const struct srv *s)
{
	if (s->vs->sorry_server.family && health_quorum_lost(d->health, s->vs))
		return "replaced (sorry server)";
	return weight_why_str(s->eff.why);
}

static void real_server(struct daemon *d, const struct srv *s,
			struct ctl_reply *r)
{
	char a[64];

	ctl_printf(r, "{\"address\":");
	jstr(r, model_addr_str(&s->addr, a, sizeof(a)));
	kint(r, "port", s->port);
	kstr(r, "origin", s->cfg->runtime ? "runtime" : "config");
	kstr(r, "forward", model_method_str(s->cfg->method));
	kint(r, "weight", s->eff.weight);
	kint(r, "config_weight", s->cfg->weight);
	key(r, "operator_weight");
	if (s->has_op_weight)
		ctl_printf(r, "%u", s->op_weight);
	else
		ctl_printf(r, "null");
	kstr(r, "admin", s->admin == ADMIN_NONE ? NULL : admin_state_str(s->admin));
	kstr(r, "health", s->up ? "up" : "down");
	kint(r, "active_conns", s->activeconns);
	kint(r, "inactive_conns", s->inactconns);
	key(r, "factor");
	ctl_printf(r, "%.4f", s->has_factor ? s->factor : 1.0);
	key(r, "agent");
	if (!s->agent_check) {
		ctl_printf(r, "null");
	} else {
		const char *h = (unsigned)s->agent < 4 ? hint_str[s->agent] : "";

		ctl_printf(r, "{\"hint\":");
		jstr(r, *h ? h : NULL);
		key(r, "factor");
		if (s->agent_has_factor)
			ctl_printf(r, "%.4f", s->agent_factor);
		else
			ctl_printf(r, "null");
		ctl_printf(r, "}");
	}
	key(r, "ramp_percent");
	ctl_printf(r, "%.1f", s->eff.ramp >= 1.0 ? 100.0 : s->eff.ramp * 100.0);
	kstr(r, "result", control_rs_result(d, s));
	kstr(r, "checker", s->cfg->checker[0] ? s->cfg->checker : NULL);
	kstr(r, "check", !s->last_check_us ? NULL : s->last_detail[0]
			 ? s->last_detail : outcome_str(s->last_outcome));
	kint(r, "check_rise", s->cfg->check.rise);
	kint(r, "check_successes", s->oks);
	kernel(r, s->in_kernel, &s->stats);
	ctl_printf(r, "}");
}

const struct ipvs_dest *control_sorry_dest(struct daemon *d,
					   const struct model_vs *vs, size_t c,
					   uint16_t *port)
{
	const struct srv_vs_kernel *k = srv_svc_kernel(&d->servers, d->model,
						       vs, c);
	struct model_vs one;

	model_vs_svc(vs, c, &one);
	/* as desired.c programs it */
	*port = one.fwmark ? 0 : vs->sorry_port ? vs->sorry_port : one.port;
	if (!vs->sorry_server.family)
		return NULL;
	for (size_t x = 0; x < k->n_dests; x++)
		if (k->dests[x].port == *port &&
		    model_addr_eq(&k->dests[x].addr, &vs->sorry_server))
			return &k->dests[x];
	return NULL;
}

/* null, or the sorry server: in use (quorum lost), the kernel's
 * destination (a group's: the sum over its services). */
static void sorry_server(struct daemon *d, const struct model_vs *vs,
			 struct ctl_reply *r)
{
	struct ipvs_stats sum = { 0 };
	char buf[64];
	uint16_t port = 0;
	int in = 0;

	key(r, "sorry_server");
	if (!vs->sorry_server.family) {
		ctl_printf(r, "null");
		return;
	}
	for (size_t c = 0; c < model_vs_n_svc(vs); c++) {
		const struct ipvs_dest *kd = control_sorry_dest(d, vs, c, &port);

		if (kd) {
			in = 1;
			srv_stats_add(&sum, &kd->stats);
		}
	}
	ctl_printf(r, "{\"address\":");
	jstr(r, model_addr_str(&vs->sorry_server, buf, sizeof(buf)));
	key(r, "port");
	ctl_printf(r, "%u", vs->fwmark ? 0 : vs->sorry_port ? vs->sorry_port
							      : vs->port);
	kbool(r, "in_use", health_quorum_lost(d->health, vs));
	kernel(r, in, &sum);
	ctl_printf(r, "}");
}

static void virtual_server(struct daemon *d, const struct model_vs *vs,
			   struct ctl_reply *r)
{
	char buf[128];
	int first = 1;

	ctl_printf(r, "{\"name\":");
	jstr(r, vs->name);
	kstr(r, "origin", vs->runtime ? "runtime" : "config");
	kstr(r, "service", model_vs_key_str(vs, buf, sizeof(buf)));
	kstr(r, "family", model_af_str(vs->af));
	kstr(r, "protocol", vs->fwmark ? NULL : model_protocol_str(vs->protocol));
	kstr(r, "address", vs->fwmark ? NULL : model_addr_str(&vs->addr, buf, sizeof(buf)));
	key(r, "port");
	if (vs->fwmark)
		ctl_printf(r, "null");
	else
		ctl_printf(r, "%u", vs->port);
	key(r, "fwmark");
	if (vs->fwmark)
		ctl_printf(r, "%u", vs->fwmark);
	else
		ctl_printf(r, "null");
	kstr(r, "scheduler", vs->scheduler);
	key(r, "sched_flags");
	ctl_printf(r, "[");
	for (size_t k = 0; k < vs->sched_flags.n; k++) {
		ctl_printf(r, k ? "," : "");
		jstr(r, vs->sched_flags.v[k]);
	}
	ctl_printf(r, "]");
	kint(r, "persistence_timeout_s", vs->persistence_timeout);
	kbool(r, "one_packet", vs->one_packet);
	kint(r, "quorum", vs->quorum);
	kbool(r, "quorum_lost", health_quorum_lost(d->health, vs));
	sorry_server(d, vs, r);
	{ /* bgp.c: as read back from its device */
		const struct bgp_entry *e = bgp_find(d->bgp, vs->name);
		char why[200];

		key(r, "bgp");
		if (!e) {
			ctl_printf(r, "null");
		} else {
			bgp_entry_text(d->bgp, e, loop_now_us(), why, sizeof(why));
			ctl_printf(r, "{\"state\":\"%s\"", e->announced ? "announced"
				   : !strncmp(why, "waiting", 7) ? "waiting" : "withdrawn");
			kbool(r, "on_device", e->announced);
			kstr(r, "why", why);
			ctl_printf(r, "}");
		}
	}
	{
		const struct srv_vs_kernel *k = srv_vs_kernel(&d->servers,
							      d->model, vs);

		kernel(r, k->in_kernel, &k->stats);
	}
	kstr(r, "group", vs->group[0] ? vs->group : NULL);
	key(r, "members");
	ctl_printf(r, "[");
	for (size_t c = 0; vs->group[0] && c < model_vs_n_svc(vs); c++) {
		struct model_vs one;
		const struct srv_vs_kernel *k = srv_svc_kernel(&d->servers, d->model,
							       vs, c);

		model_vs_svc(vs, c, &one);
		ctl_printf(r, "%s{\"service\":", c ? "," : "");
		jstr(r, model_vs_key_str(&one, buf, sizeof(buf)));
		kstr(r, "address", one.fwmark ? NULL
			 : model_addr_str(&one.addr, buf, sizeof(buf)));
		key(r, "port");
		if (one.fwmark)
			ctl_printf(r, "null");
		else
			ctl_printf(r, "%u", one.port);
		key(r, "fwmark");
		if (one.fwmark)
			ctl_printf(r, "%u", one.fwmark);
		else
			ctl_printf(r, "null");
		kernel(r, k->in_kernel, &k->stats);
		ctl_printf(r, "}");
	}
	ctl_printf(r, "]");
	key(r, "real_servers");
	ctl_printf(r, "[");
	for (size_t j = 0; j < d->servers.n; j++) {
		const struct srv *s = d->servers.v[j];

		if (s->vs != vs)
			continue;
		ctl_printf(r, first ? "" : ",");
		first = 0;
		real_server(d, s, r);
	}
	ctl_printf(r, "]}");
}

static void vrrp_instance(struct daemon *d, const struct vrrp_rt *rt,
			  struct ctl_reply *r)
{
	const struct model_vrrp *v = &rt->cfg;
	struct lvsd_vrrp_stats s;
	char a[64];

	vrrpmgr_stats(d->vrrp, rt, &s);
	ctl_printf(r, "{\"name\":");
	jstr(r, v->name);
	kstr(r, "state", vrrpmgr_state_str(rt->st));
	key(r, "state_for_s");
	ctl_printf(r, "%.1f", (double)(loop_now_us() - rt->since_us) / 1e6);
	kstr(r, "why", rt->why);
	kstr(r, "interface", v->interface);
	kint(r, "vrid", v->vrid);
	kint(r, "priority", v->priority);
	kint(r, "effective_priority", rt->prio);
	kint(r, "version", (unsigned)v->version);
	kint(r, "advert_int_ms", (unsigned long long)v->advert_int_cs * 10);
	kstr(r, "master_address", s.master_addr.family
		 ? model_addr_str(&s.master_addr, a, sizeof(a)) : NULL);
	key(r, "master_priority");
	if (s.master_addr.family)
		ctl_printf(r, "%u", s.master_priority);
	else
		ctl_printf(r, "null");
	kstr(r, "sync_group", v->sync_group[0] ? v->sync_group : NULL);
	ctl_printf(r, ",\"counters\":{\"transitions\":%llu",
		   (unsigned long long)rt->transitions);
#define C(name, field) kint(r, name, (unsigned long long)s.field)
	C("became_master", master_transitions);
	C("adverts_rcvd", adverts_rcvd);
	C("adverts_sent", adverts_sent);
	C("bad_checksum", bad_checksum);
	C("bad_version", bad_version);
	C("bad_vrid", bad_vrid);
	C("bad_ttl", bad_ttl);
	C("bad_auth", bad_auth);
	C("bad_length", bad_length);
	C("bad_interval", bad_interval);
	C("bad_addr_list", bad_addr_list);
	C("prio0_rcvd", priority_zero_rcvd);
	C("prio0_sent", priority_zero_sent);
	C("drop_not_peer", drop_not_peer);
	C("drop_in_fault", drop_in_fault);
	C("drop_other", drop_other);
	C("vips_restored", vips_restored);
	C("send_errors", send_errors);
	C("adverts_late", adverts_late);
#undef C
	ctl_printf(r, "}}");
}

void control_json_status(struct daemon *d, struct ctl_reply *r)
{
	uint64_t now = loop_now_us();
	size_t nv;

	if (srv_kernel_age(&d->servers, now) > SRV_KERNEL_MAX_AGE_US)
		srv_kernel_read(&d->servers, d->model, d->ipvs, now);
	ctl_printf(r, "{\"schema\":\"%s\"", CONTROL_JSON_STATUS);
	kstr(r, "version", LVSD_VERSION);
	kstr(r, "config", d->model->file);
	kint(r, "kernel_ops", d->ipvs ? ipvs_ops_sent(d->ipvs) : 0);
	kint(r, "last_reconcile_ops", d->n.last_ops);
	ctl_printf(r, ",\"timeouts\":{\"tcp_s\":");
	timeout(r, d->model->global.timeout_tcp_ms);
	key(r, "tcpfin_s");
	timeout(r, d->model->global.timeout_tcpfin_ms);
	key(r, "udp_s");
	timeout(r, d->model->global.timeout_udp_ms);
	ctl_printf(r, "}");
	key(r, "virtual_servers");
	ctl_printf(r, "[");
	for (size_t i = 0; i < d->model->n_vs; i++) {
		ctl_printf(r, i ? "," : "");
		virtual_server(d, &d->model->vs[i], r);
	}
	ctl_printf(r, "]");
	key(r, "vrrp_instances");
	ctl_printf(r, "[");
	nv = vrrpmgr_count(d->vrrp);
	for (size_t i = 0; i < nv; i++) {
		ctl_printf(r, i ? "," : "");
		vrrp_instance(d, vrrpmgr_at(d->vrrp, i), r);
	}
	ctl_printf(r, "]");
	{ /* bgp.c: the device, as read back */
		struct bgp_device_state bs;
		char a[64];

		bgp_device_state(d->bgp, &bs);
		key(r, "bgp");
		if (!bs.configured) {
			ctl_printf(r, "null");
		} else {
			ctl_printf(r, "{\"enabled\":%s", bs.enabled ? "true" : "false");
			kstr(r, "device", bs.device);
			kbool(r, "device_up", bs.up);
			kstr(r, "why", bs.why);
			key(r, "addresses");
			ctl_printf(r, "[");
			for (size_t i = 0; i < bs.n_on; i++) {
				ctl_printf(r, i ? "," : "");
				jstr(r, model_addr_str(&bs.on[i].addr, a, sizeof(a)));
			}
			ctl_printf(r, "]");
			kint(r, "repairs", bs.repairs);
			ctl_printf(r, "}");
		}
	}
	{ /* checkproc.c: who runs the checks */
		struct checkproc_status st;

		checkproc_status(d->checkproc, &st);
		key(r, "check_process");
		ctl_printf(r, "{\"state\":\"%s\"", !st.on ? "off" : st.up ? "up"
			   : st.pid ? "starting" : "restarting");
		key(r, "pid");
		if (st.pid)
			ctl_printf(r, "%d", st.pid);
		else
			ctl_printf(r, "null");
		key(r, "user");
		if (st.on)
			jstr(r, st.user);
		else
			ctl_printf(r, "null");
		kint(r, "restarts", st.restarts);
		kint(r, "crashes", st.crashes);
		kint(r, "hangs", st.hangs);
		kint(r, "refused_messages", st.refused);
		key(r, "frozen_since");
		if (st.frozen_since)
			ctl_printf(r, "%lld", (long long)st.frozen_since);
		else
			ctl_printf(r, "null");
		ctl_printf(r, "}");
	}
	ctl_printf(r, "}\n");
}

void control_json_counters(struct daemon *d, struct ctl_reply *r)
{
	ctl_printf(r, "{\"schema\":\"%s\"", CONTROL_JSON_COUNTERS);
	kint(r, "reloads", d->n.reloads);
	kint(r, "reload_failures", d->n.reload_failures);
	kint(r, "reconciles", d->n.reconciles);
	kint(r, "reconcile_failures", d->n.reconcile_failures);
	kint(r, "kernel_ops", d->ipvs ? ipvs_ops_sent(d->ipvs) : 0);
	kint(r, "last_ops", d->n.last_ops);
	kint(r, "kernel_reads", d->servers.kernel_reads);
	kint(r, "kernel_dumps", d->ipvs ? ipvs_dumps(d->ipvs) : 0);
	ctl_printf(r, "}\n");
}
