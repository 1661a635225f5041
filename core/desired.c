/* desired.c — model + run-time servers → desired IPVS state. */
#include "desired.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

uint32_t desired_fwd(enum model_method m)
{
	switch (m) {
	case MODEL_METHOD_DR: return IP_VS_CONN_F_DROUTE;
	case MODEL_METHOD_TUN: return IP_VS_CONN_F_TUNNEL;
	case MODEL_METHOD_NAT: break;
	}
	return IP_VS_CONN_F_MASQ;
}

void desired_service(const struct model_vs *vs, const char *sched,
		     struct ipvs_service *out)
{
	memset(out, 0, sizeof(*out));
	out->af = vs->af;
	if (vs->fwmark) {
		out->fwmark = vs->fwmark;
	} else {
		out->protocol = vs->protocol;
		out->addr = vs->addr;
		out->port = vs->port;
	}
	snprintf(out->sched_name, sizeof(out->sched_name), "%s", sched);
	/* a scheduler sets scheduler flags only, never persistence */
	out->flags = vs->sched_flag_bits & LVSD_SCHED_FLAG_MASK;
	if (vs->persistence_timeout) {
		out->flags |= IP_VS_SVC_F_PERSISTENT;
		out->timeout = vs->persistence_timeout;
	}
	if (vs->one_packet)
		out->flags |= IP_VS_SVC_F_ONEPACKET;
	out->netmask = vs->persistence_granularity;
}

void desired_dest(const struct srv *s, struct ipvs_dest *d)
{
	memset(d, 0, sizeof(*d));
	d->af = s->addr.family;
	d->addr = s->addr;
	d->port = s->port;
	d->fwd_method = desired_fwd(s->cfg->method);
	d->weight = (int)s->eff.weight;
	d->u_threshold = s->cfg->uthreshold;
	d->l_threshold = s->cfg->lthreshold;
}

/* The sorry server of vs (one service of it: model_vs_svc) as a
 * destination: in use (weight 1), or parked at weight 0
 * (sorry_server_inhibit). */
static void sorry_dest(const struct model_vs *vs, int in_use,
		       struct ipvs_dest *d)
{
	memset(d, 0, sizeof(*d));
	d->af = vs->sorry_server.family;
	d->addr = vs->sorry_server;
	d->port = vs->fwmark ? 0 : vs->sorry_port ? vs->sorry_port : vs->port;
	d->fwd_method = desired_fwd(vs->method);
	d->weight = in_use ? 1 : 0;
}

/* The real servers of each virtual server, in one pass over the table:
 * k[i] counts those of m->vs[i] (plus room for a sorry server). */
static size_t *count_per_vs(const struct model *m, const struct srv_table *t)
{
	size_t *k = calloc(m->n_vs ? m->n_vs : 1, sizeof(*k));

	for (size_t j = 0; k && j < t->n; j++)
		k[t->v[j]->vs - m->vs]++;
	return k;
}

int desired_build(const struct model *m, const struct srv_table *t,
		  const struct plugin_set *plugins,
		  const struct desired_quorum *q, struct rec_service **out,
		  size_t *n)
{
	struct rec_service *v = NULL;
	size_t *k = NULL, *first = NULL, nv = 0;
	bool *skip = NULL;
	int r = -ENOMEM;

	*out = NULL;
	*n = 0;
	if (!m->n_vs)
		return 0;
	/* first[i]: the index in v of vs[i]'s first service (a group has
	 * one per member, each with all the real servers) */
	first = calloc(m->n_vs + 1, sizeof(*first));
	if (!first)
		goto fail;
	for (size_t i = 0; i < m->n_vs; i++) {
		first[i] = nv;
		nv += model_vs_n_svc(&m->vs[i]);
	}
	first[m->n_vs] = nv;
	v = calloc(nv ? nv : 1, sizeof(*v));
	skip = calloc(m->n_vs, sizeof(*skip));
	k = count_per_vs(m, t);
	if (!v || !skip || !k)
		goto fail;
	for (size_t i = 0; i < m->n_vs; i++) {
		const struct model_vs *vs = &m->vs[i];
		struct plugin *p = plugin_find(plugins, LVSD_PLUGIN_SCHEDULER,
					       vs->scheduler);
		bool sorry = vs->sorry_server.family != 0;
		bool lost = q && q->lost && q->lost(q->arg, vs);

		if (!p) {
			r = -ENOENT;
			goto fail;
		}
		/* Quorum lost: the sorry server stands in for the real ones. */
		skip[i] = lost && sorry;
		for (size_t c = first[i]; c < first[i + 1]; c++) {
			struct model_vs one;

			model_vs_svc(vs, c - first[i], &one);
			desired_service(&one, p->ops.sched.kernel_name, &v[c].svc);
			if (!(v[c].dests = calloc(k[i] + 1, sizeof(*v[c].dests))))
				goto fail;
			if (sorry && (lost || vs->sorry_server_inhibit))
				sorry_dest(&one, lost, &v[c].dests[v[c].n_dests++]);
		}
	}
	for (size_t j = 0; j < t->n; j++) {
		const struct srv *s = t->v[j];
		size_t i = (size_t)(s->vs - m->vs);

		if (!s->eff.present || skip[i])
			continue;
		for (size_t c = first[i]; c < first[i + 1]; c++) {
			struct ipvs_dest *d = &v[c].dests[v[c].n_dests++];

			desired_dest(s, d);
			d->port = srv_dest_port(s, v[c].svc.fwmark,
						    v[c].svc.port);
		}
	}
	free(k);
	free(skip);
	free(first);
	*out = v;
	*n = nv;
	return 0;
fail:
	free(k);
	free(skip);
	free(first);
	if (v)
		rec_services_free(v, nv);
	return r;
}
