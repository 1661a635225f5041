/* servers.c — run-time table of real servers, and the one reader of the
 * kernel's counters (see servers.h). */
#include "servers.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "reconcile.h"

void srv_table_free(struct srv_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	t->v = NULL;
	t->n = 0;
	hidx_free(&t->idx);
	free(t->vsk);
	t->vsk = NULL;
	t->n_vsk = 0;
	free(t->svck);
	t->svck = NULL;
	t->n_svck = 0;
	free(t->svc_first);
	t->svc_first = NULL;
	rec_services_free(t->dump, t->n_dump);
	t->dump = NULL;
	t->n_dump = 0;
	t->kernel_us = 0;
}

struct key {
	const struct srv_table *t;
	const char *vs;
	const struct lvsd_addr *addr;
	uint16_t port;
};

static int key_eq(const void *arg, size_t pos)
{
	const struct key *k = arg;
	const struct srv *s = k->t->v[pos];

	return s->port == k->port && model_addr_eq(&s->addr, k->addr) &&
	       strcmp(s->vs_name, k->vs) == 0;
}

struct srv *srv_find(const struct srv_table *t, const char *vs,
		     const struct lvsd_addr *addr, uint16_t port)
{
	struct key k = { t, vs, addr, port };
	size_t pos = hidx_find(&t->idx, model_rs_key_hash(vs, addr, port),
			       key_eq, &k);

	return pos == SIZE_MAX ? NULL : t->v[pos];
}

static void srv_init(struct srv *s, const struct model_rs *rs,
		     const struct model_vs *vs)
{
	memset(s, 0, sizeof(*s));
	s->vs_name = rs->vs_name;
	s->addr = rs->addr;
	s->port = rs->port;
	/* keepalived: up from the start, unless alpha says prove it first. */
	s->up = !(rs->checker[0] && vs->alpha);
	s->last_outcome = LVSD_CHECK_OK;
}

int srv_sync(struct srv_table *t, const struct model *m,
	     void (*gone)(void *arg, struct srv *s), void *arg)
{
	struct srv **v = NULL;
	struct srv_vs_kernel *vsk;
	size_t i;

	if (!(vsk = calloc(m->n_vs ? m->n_vs : 1, sizeof(*vsk))))
		return -ENOMEM;
	if (m->n_rs && !(v = calloc(m->n_rs, sizeof(*v)))) {
		free(vsk);
		return -ENOMEM;
	}
	/* Allocate first, so that running out of memory changes nothing. */
	for (i = 0; i < m->n_rs; i++) {
		const struct model_rs *rs = &m->rs[i];

		v[i] = srv_find(t, rs->vs_name, &rs->addr, rs->port);
		if (!v[i]) {
			v[i] = malloc(sizeof(*v[i]));
			if (!v[i])
				goto oom;
			srv_init(v[i], rs, &m->vs[rs->vs]);
			v[i]->cfg = NULL; /* marks it new, for the unwinding */
		}
	}
	/* Build the new index first: it is the last thing that can fail. */
	{
		struct hidx idx = { 0 };

		for (i = 0; i < m->n_rs; i++)
			if (hidx_add(&idx, model_rs_key_hash(m->rs[i].vs_name,
							     &m->rs[i].addr,
							     m->rs[i].port), i) < 0) {
				hidx_free(&idx);
				i = m->n_rs;
				goto oom;
			}
		hidx_free(&t->idx);
		t->idx = idx; /* positions in v, the new table */
	}
	for (i = 0; i < m->n_rs; i++) {
		v[i]->cfg = &m->rs[i];
		v[i]->vs = &m->vs[m->rs[i].vs];
		v[i]->vs_name = m->rs[i].vs_name;
	}
	for (i = 0; i < t->n; i++) {
		struct srv *s = t->v[i];

		if (!model_find_rs(m, s->vs_name, &s->addr, s->port)) {
			if (gone)
				gone(arg, s);
			free(s);
		}
	}
	free(t->v);
	t->v = v;
	t->n = m->n_rs;
	/* the virtual servers' counters follow the new model at the next read */
	free(t->vsk);
	t->vsk = vsk;
	t->n_vsk = m->n_vs;
	free(t->svck);
	t->svck = NULL;
	t->n_svck = 0;
	free(t->svc_first);
	t->svc_first = NULL;
	rec_services_free(t->dump, t->n_dump);
	t->dump = NULL;
	t->n_dump = 0;
	t->kernel_us = 0;
	return 0;
oom:
	while (i-- > 0)
		if (!v[i]->cfg)
			free(v[i]);
	free(v);
	free(vsk);
	return -ENOMEM;
}

/* A plugin's factor, or 1 if absent, NaN or out of [0,1]. */
static double one_factor(int has, double f)
{
	return has && f >= 0.0 && f <= 1.0 ? f : 1.0;
}

void srv_weight_input(const struct srv *s, uint64_t now_us,
		      struct weight_in *in)
{
	memset(in, 0, sizeof(*in));
	in->config_weight = s->has_check_weight ? s->check_weight
						: s->cfg->weight;
	in->has_op_weight = s->has_op_weight;
	in->op_weight = s->op_weight;
	in->admin = s->admin;
	in->up = s->up;
	in->inhibit_on_failure = s->cfg->inhibit_on_failure;
	/* Two plugin inputs, one factor: the weight hook's x the agent's. */
	in->has_factor = s->has_factor || s->agent_has_factor;
	in->factor = one_factor(s->has_factor, s->factor) *
		     one_factor(s->agent_has_factor, s->agent_factor);
	in->agent = s->agent;
	in->now_us = now_us;
	in->ready_us = s->ready_us;
	in->slowstart_us = (uint64_t)s->cfg->slowstart_ms * 1000u;
}

size_t srv_compute(struct srv_table *t, uint64_t now_us)
{
	size_t changed = 0;

	for (size_t i = 0; i < t->n; i++) {
		struct srv *s = t->v[i];
		struct weight_in in;
		struct weight_out out;

		srv_weight_input(s, now_us, &in);
		weight_compute(&in, &out);
		if (out.present != s->eff.present || out.weight != s->eff.weight ||
		    out.why != s->eff.why)
			changed++;
		s->eff = out;
	}
	return changed;
}

uint16_t srv_dest_port(const struct srv *s, uint32_t fwmark,
		       uint16_t svc_port)
{
	if (s->cfg->method != MODEL_METHOD_NAT)
		return fwmark ? 0 : svc_port;
	return s->port ? s->port : fwmark ? 0 : svc_port;
}

/* The server of vs at addr that IPVS holds at port in service ks
 * because of its method (a DR/TUN one has the service's port): a scan,
 * only for what the hashed look-ups miss. */
static struct srv *srv_find_held(const struct srv_table *t, const char *vs,
				 const struct ipvs_service *ks,
				 const struct lvsd_addr *addr, uint16_t port)
{
	for (size_t i = 0; i < t->n; i++) {
		struct srv *s = t->v[i];

		if (model_addr_eq(&s->addr, addr) && s->cfg &&
		    strcmp(s->vs_name, vs) == 0 &&
		    srv_dest_port(s, ks->fwmark, ks->port) == port)
			return s;
	}
	return NULL;
}

void srv_kernel_dests(struct srv_table *t, const char *vs,
		      const struct ipvs_service *ks,
		      const struct ipvs_dest *dests, size_t n)
{
	for (size_t x = 0; x < n; x++) {
		const struct ipvs_dest *kd = &dests[x];
		struct srv *s = srv_find(t, vs, &kd->addr, kd->port);

		if (!s && kd->port) /* a group's, without a port of its own */
			s = srv_find(t, vs, &kd->addr, 0);
		if (!s)
			s = srv_find_held(t, vs, ks, &kd->addr, kd->port);
		if (!s)
			continue;
		s->in_kernel = 1;
		s->activeconns += kd->activeconns;
		s->inactconns += kd->inactconns;
		s->persistconns += kd->persistconns;
		srv_stats_add(&s->stats, &kd->stats);
	}
}

void srv_stats_add(struct ipvs_stats *a, const struct ipvs_stats *b)
{
	a->conns += b->conns;
	a->inpkts += b->inpkts;
	a->outpkts += b->outpkts;
	a->inbytes += b->inbytes;
	a->outbytes += b->outbytes;
	a->cps += b->cps;
	a->inpps += b->inpps;
	a->outpps += b->outpps;
	a->inbps += b->inbps;
	a->outbps += b->outbps;
}

/* ---------------------------------------------------- kernel counters */

/* A virtual server's kernel key, hashed the same way from the model and
 * from a dump: (af, fwmark) or (af, protocol, address, port). */
static uint64_t svc_key_hash(int af, uint32_t fwmark, uint16_t protocol,
			     const struct lvsd_addr *addr, uint16_t port)
{
	uint64_t h = hidx_hash(&af, sizeof(af), HIDX_SEED);

	if (fwmark)
		return hidx_hash(&fwmark, sizeof(fwmark), h);
	h = hidx_hash(&protocol, sizeof(protocol), h);
	h = hidx_hash(&port, sizeof(port), h);
	if (addr->family == AF_INET)
		return hidx_hash(&addr->u.v4, sizeof(addr->u.v4), h);
	return hidx_hash(&addr->u.v6, sizeof(addr->u.v6), h);
}

struct svc_key {
	const struct rec_service *want;
	const struct ipvs_service *k;
};

static int svc_eq(const void *arg, size_t pos)
{
	const struct svc_key *x = arg;
	const struct ipvs_service *w = &x->want[pos].svc, *k = x->k;

	if (w->af != k->af || w->fwmark != k->fwmark)
		return 0;
	return w->fwmark || (w->protocol == k->protocol && w->port == k->port &&
			     model_addr_eq(&w->addr, &k->addr));
}

int srv_kernel_read(struct srv_table *t, const struct model *m,
		    struct ipvs *ipvs, uint64_t now_us)
{
	struct rec_service *want = NULL, *k = NULL;
	struct hidx idx = { 0 };
	size_t n = 0, ns = 0, *owner = NULL;
	int r = -ENOMEM;

	if (!ipvs)
		return -ENOTCONN;
	if (t->n_vsk != m->n_vs)
		return -ESTALE; /* not synced to m */
	if (!t->svc_first &&
	    !(t->svc_first = calloc(m->n_vs + 1, sizeof(*t->svc_first))))
		return -ENOMEM;
	for (size_t i = 0; i < m->n_vs; i++) {
		t->svc_first[i] = ns;
		ns += model_vs_n_svc(&m->vs[i]);
	}
	t->svc_first[m->n_vs] = ns;
	if (ns != t->n_svck) {
		struct srv_vs_kernel *nv = calloc(ns ? ns : 1, sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		free(t->svck);
		t->svck = nv;
		t->n_svck = ns;
	}
	/* The real servers of our virtual servers only: one request per
	 * service, none for those of others. */
	if (ns && (!(want = calloc(ns, sizeof(*want))) ||
		   !(owner = calloc(ns, sizeof(*owner)))))
		goto out;
	for (size_t i = 0; i < m->n_vs; i++) {
		const struct model_vs *vs = &m->vs[i];

		for (size_t c = 0; c < model_vs_n_svc(vs); c++) {
			size_t x = t->svc_first[i] + c;
			struct ipvs_service *w = &want[x].svc;
			struct model_vs one;

			model_vs_svc(vs, c, &one);
			w->af = one.af;
			w->fwmark = one.fwmark;
			if (!one.fwmark) {
				w->protocol = one.protocol;
				w->addr = one.addr;
				w->port = one.port;
			}
			owner[x] = i;
			if (hidx_add(&idx, svc_key_hash(w->af, w->fwmark, w->protocol,
							&w->addr, w->port), x) < 0)
				goto out;
		}
	}
	if ((r = rec_dump(ipvs, want ? want : &(struct rec_service){ 0 }, ns,
			  &k, &n)) < 0)
		goto out;
	for (size_t i = 0; i < t->n; i++) {
		struct srv *s = t->v[i];

		s->in_kernel = 0;
		s->activeconns = s->inactconns = s->persistconns = 0;
		memset(&s->stats, 0, sizeof(s->stats));
	}
	memset(t->vsk, 0, t->n_vsk * sizeof(*t->vsk));
	memset(t->svck, 0, (ns ? ns : 1) * sizeof(*t->svck));
	for (size_t j = 0; j < n; j++) {
		const struct ipvs_service *ks = &k[j].svc;
		struct svc_key key = { want, ks };
		size_t pos = hidx_find(&idx, svc_key_hash(ks->af, ks->fwmark,
							 ks->protocol, &ks->addr,
							 ks->port),
				       svc_eq, &key);
		size_t i;

		if (pos == SIZE_MAX)
			continue; /* not ours */
		i = owner[pos];
		t->svck[pos].in_kernel = 1;
		t->svck[pos].stats = ks->stats;
		t->svck[pos].dests = k[j].dests;
		t->svck[pos].n_dests = k[j].n_dests;
		t->vsk[i].in_kernel = 1;
		srv_stats_add(&t->vsk[i].stats, &ks->stats);
		srv_kernel_dests(t, m->vs[i].name, ks, k[j].dests,
				 k[j].n_dests);
	}
	t->kernel_us = now_us ? now_us : 1;
	t->kernel_reads++;
	/* kept: the services' dests point into it */
	rec_services_free(t->dump, t->n_dump);
	t->dump = k;
	t->n_dump = n;
	k = NULL;
	n = 0;
	r = 0;
out:
	rec_services_free(k, n);
	free(want);
	free(owner);
	hidx_free(&idx);
	return r;
}

uint64_t srv_kernel_age(const struct srv_table *t, uint64_t now_us)
{
	if (!t->kernel_us)
		return UINT64_MAX;
	return now_us > t->kernel_us ? now_us - t->kernel_us : 0;
}

const struct srv_vs_kernel *srv_vs_kernel(const struct srv_table *t,
					  const struct model *m,
					  const struct model_vs *vs)
{
	static const struct srv_vs_kernel none;

	if (!t->vsk || vs < m->vs || vs >= m->vs + t->n_vsk)
		return &none;
	return &t->vsk[vs - m->vs];
}

const struct srv_vs_kernel *srv_svc_kernel(const struct srv_table *t,
					   const struct model *m,
					   const struct model_vs *vs, size_t c)
{
	static const struct srv_vs_kernel none;
	size_t x;

	if (!t->svck || !t->svc_first || vs < m->vs || vs >= m->vs + t->n_vsk)
		return &none;
	x = t->svc_first[vs - m->vs] + c;
	if (x >= t->svc_first[vs - m->vs + 1] || x >= t->n_svck)
		return &none;
	return &t->svck[x];
}
