/* dump.c — the daemon's state as text lines (SIGUSR1 to the log, lvsctl
 * dump; see dump.h). */
#include "dump.h"
#include "bgp.h"

#include <stdio.h>

#include "checkproc.h"
#include "ipvs.h"
#include "loop.h"
#include "opstore.h"
#include "ipvssync.h"
#include "vrrpmgr.h"

void dump_state(struct daemon *d, void (*emit)(void *, const char *),
		void *arg)
{
	char line[512], vk[128], ap[80];
	const struct model *m = d->model;

#define EMIT(...) do { snprintf(line, sizeof(line), __VA_ARGS__); emit(arg, line); } while (0)
	EMIT("lvsd %s, config %s, up %llus", LVSD_VERSION, m->file,
	     (unsigned long long)((loop_now_us() - d->started_us) / 1000000u));
	EMIT("reloads %llu ok, %llu failed, last %s; reconciles %llu (%llu failed), "
	     "kernel operations %llu (last reconcile %llu)",
	     (unsigned long long)d->n.reloads, (unsigned long long)d->n.reload_failures,
	     d->n.last_reload_ok < 0 ? "none" : d->n.last_reload_ok ? "ok" : "failed",
	     (unsigned long long)d->n.reconciles,
	     (unsigned long long)d->n.reconcile_failures,
	     (unsigned long long)(d->ipvs ? ipvs_ops_sent(d->ipvs) : 0),
	     (unsigned long long)d->n.last_ops);
	for (size_t i = 0; i < d->plugins.n; i++) {
		const struct plugin *p = d->plugins.v[i];

		EMIT("plugin %s %s %s (ABI %u.%u) %s", plugin_kind_str(p->desc.kind),
		     p->desc.name, p->desc.version ? p->desc.version : "",
		     p->desc.abi_major, p->desc.abi_minor, p->path);
	}
	for (size_t i = 0; i < m->n_vs; i++) {
		const struct model_vs *vs = &m->vs[i];

		EMIT("virtual_server %s: %s scheduler %s method %s persistence %us",
		     vs->name, model_vs_key_str(vs, vk, sizeof(vk)), vs->scheduler,
		     model_method_str(vs->method), vs->persistence_timeout);
		for (size_t c = 0; vs->group[0] && c < vs->n_members; c++) {
			struct model_vs one;
			char nm[MODEL_NAME_MAX + 64];

			model_vs_svc(vs, c, &one);
			EMIT("  member %s: %s", model_vs_svc_name(vs, c, nm, sizeof(nm)),
			     model_vs_key_str(&one, vk, sizeof(vk)));
		}
		for (size_t j = 0; j < d->servers.n; j++) {
			const struct srv *s = d->servers.v[j];

			if (s->vs != vs)
				continue;
			model_addrport_str(&s->addr, s->port, ap, sizeof(ap));
			EMIT("  real_server %s weight %u (config %u, operator %s%s, admin %s) "
			     "health %s check %s: %s",
			     ap, s->eff.weight, s->cfg->weight,
			     s->has_op_weight ? "" : "-",
			     s->has_op_weight ? (snprintf(vk, sizeof(vk), "%u", s->op_weight), vk) : "",
			     admin_state_str(s->admin), s->up ? "up" : "down",
			     s->cfg->checker[0] ? s->cfg->checker : "none",
			     weight_why_str(s->eff.why));
		}
	}
	vrrpmgr_report(d->vrrp, emit, arg); /* a line per VRRP instance */
	ipvssync_report(d->ipvssync, emit, arg); /* the sync daemons */
	bgp_report(d->bgp, emit, arg);      /* what BIRD announces */
	checkproc_describe(d->checkproc, line, sizeof(line));
	emit(arg, line);
	opstore_report(d, emit, arg);
#undef EMIT
}
