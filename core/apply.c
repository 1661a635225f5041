/* apply.c — applying the desired state (see apply.h): the desired state
 * handed to rec_apply (the only path to the kernel), the services lvsd
 * owns, and the timers that apply again (a kick, slow-start steps, weight
 * hooks, the drift repair). */
#include "apply.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desired.h"
#include "health.h"
#include "ipvs.h"
#include "log.h"
#include "loop.h"
#include "opstore.h"
#include "schedrs.h"

/* ----------------------------------------------------------- reconcile */

void apply_rec_error(void *arg, const char *what, int err)
{
	(void)arg;
	log_err("%s: %s", what, ipvs_strerror(err));
}

static int owned_changed(const struct opstate *s, const struct rec_service *v,
			 size_t n)
{
	if (s->n_owned != n)
		return 1;
	for (size_t i = 0; i < n; i++) {
		const struct opstate_owned *o = &s->owned[i];
		const struct ipvs_service *k = &v[i].svc;

		if (o->af != k->af || o->fwmark != k->fwmark ||
		    (!k->fwmark && (o->protocol != k->protocol || o->port != k->port ||
				    !model_addr_eq(&o->addr, &k->addr))))
			return 1;
	}
	return 0;
}

static int remember_owned(struct daemon *d, const struct rec_service *v,
			  size_t n)
{
	struct opstate_owned *o;
	int r;

	if (!owned_changed(&d->ops, v, n))
		return 0;
	o = n ? calloc(n, sizeof(*o)) : NULL;
	if (n && !o)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		o[i].af = v[i].svc.af;
		o[i].fwmark = v[i].svc.fwmark;
		o[i].protocol = v[i].svc.protocol;
		o[i].addr = v[i].svc.addr;
		o[i].port = v[i].svc.port;
	}
	r = opstate_set_owned(&d->ops, o, n);
	free(o);
	return r < 0 ? r : opstore_save(d);
}

void apply_owned_keys(const struct opstate *s, struct ipvs_service **out)
{
	*out = s->n_owned ? calloc(s->n_owned, sizeof(**out)) : NULL;
	for (size_t i = 0; *out && i < s->n_owned; i++) {
		(*out)[i].af = s->owned[i].af;
		(*out)[i].fwmark = s->owned[i].fwmark;
		(*out)[i].protocol = s->owned[i].protocol;
		(*out)[i].addr = s->owned[i].addr;
		(*out)[i].port = s->owned[i].port;
	}
}

static int apply(struct daemon *d, int stopping, int full);

/* Scheduler weight hooks are asked again when checks report (a new
 * latency) or a scheduler calls weigh_soon: at most every 200 ms, one
 * reconcile for many reports. */
static void on_weigh(void *arg)
{
	struct daemon *d = arg;

	d->weigh = NULL;
	apply(d, 0, 0);
}

void apply_weigh_soon(struct daemon *d)
{
	size_t hooks = 0;

	if (d->weigh || !d->model)
		return;
	for (size_t i = 0; i < d->plugins.n; i++) /* the common case: none */
		hooks += d->plugins.v[i]->desc.kind == LVSD_PLUGIN_SCHEDULER &&
			 d->plugins.v[i]->ops.sched.weight;
	for (size_t i = 0; hooks && i < d->model->n_vs; i++) {
		const struct plugin *p = plugin_find(&d->plugins, LVSD_PLUGIN_SCHEDULER,
						     d->model->vs[i].scheduler);

		if (p && p->ops.sched.weight) {
			d->weigh = loop_timer_add(d->loop, 200, on_weigh, d);
			return;
		}
	}
}

static void on_ramp(void *arg)
{
	struct daemon *d = arg;

	d->ramp = NULL;
	apply(d, 0, 0);
}

/* Slow start: weights move in whole seconds since each server's ready
 * time (weight.c), so wake up at the next step of the earliest one (at
 * least 100 ms apart): one kernel operation per real server per second. */
static void ramp_arm(struct daemon *d, int stopping)
{
	uint64_t now = loop_now_us(), next = UINT64_MAX;

	for (size_t i = 0; i < d->servers.n; i++) {
		const struct srv *s = d->servers.v[i];
		uint64_t in, at;

		if (s->eff.ramp >= 1.0 || s->ready_us > now)
			continue;
		in = (now - s->ready_us) % WEIGHT_STEP_US;
		at = WEIGHT_STEP_US - in;
		if (at < next)
			next = at;
	}
	if (next == UINT64_MAX || stopping || d->ramp)
		return;
	next = next / 1000 + 1;
	d->ramp = loop_timer_add(d->loop, next < 100 ? 100 : next, on_ramp, d);
}

/* desired_build's question: has this virtual server lost its quorum? */
static bool quorum_lost(void *arg, const struct model_vs *vs)
{
	return health_quorum_lost(((struct daemon *)arg)->health, vs);
}

static void forget_applied(struct daemon *d)
{
	rec_services_free(d->applied, d->n_applied);
	d->applied = NULL;
	d->n_applied = 0;
	d->applied_ok = 0;
}

/* A duration of [global] as the kernel's whole seconds (rounded up). */
static uint32_t secs(uint32_t ms)
{
	return ms / 1000 + (ms % 1000 != 0);
}

/* The [global] timeout_* in the kernel (ipvsadm --set): read back, set
 * when they differ (at start, after a reload that changes them, and at
 * each full apply: a change made by hand is put back). 0 keys: the
 * kernel's own values are left alone. */
static void apply_timeouts(struct daemon *d, int full)
{
	const struct model_global *g = &d->model->global;
	struct ipvs_timeouts want = {
		secs(g->timeout_tcp_ms), secs(g->timeout_tcpfin_ms),
		secs(g->timeout_udp_ms),
	}, have;
	int r;

	if (!d->ipvs || (!want.tcp && !want.tcp_fin && !want.udp))
		return;
	if (!full && d->timeouts_ok && !memcmp(&want, &d->timeouts, sizeof(want)))
		return; /* nothing new: the sync's full apply looks again */
	r = ipvs_get_timeouts(d->ipvs, &have);
	if (r == 0 && (!want.tcp || want.tcp == have.tcp) &&
	    (!want.tcp_fin || want.tcp_fin == have.tcp_fin) &&
	    (!want.udp || want.udp == have.udp)) {
		d->timeouts = want;
		d->timeouts_ok = 1;
		return;
	}
	if (r == 0 && d->timeouts_ok)
		log_warnx("IPVS timeouts changed outside lvsd (tcp %us, tcpfin %us, udp %us): setting them again",
			  have.tcp, have.tcp_fin, have.udp);
	if (r == 0)
		r = ipvs_set_timeouts(d->ipvs, &want);
	if (r < 0) {
		log_err("IPVS timeouts: %s", ipvs_strerror(r));
		d->timeouts_ok = 0;
		return;
	}
	log_info("IPVS timeouts set: tcp %us, tcpfin %us, udp %us (0: the kernel's)",
		 want.tcp, want.tcp_fin, want.udp);
	d->timeouts = want;
	d->timeouts_ok = 1;
}

/* full: dump the kernel and plan against it (the start, the drift
 * repair); else plan against what the last good apply left (no dump),
 * falling back to a full one when there is none or the kernel refused. */
static int apply(struct daemon *d, int stopping, int full)
{
	struct rec_service *want = NULL;
	struct ipvs_service *owned = NULL;
	struct rec_stats st = { 0 };
	size_t n = 0;
	int r, known;
	uint64_t t0 = loop_now_us(), t1;

	if (!d->ipvs && !d->opts.no_ipvs)
		return 0;
	if (!stopping)
		apply_timeouts(d, full);
	schedrs_weigh(&d->servers, &d->plugins); /* schedrs.c */
	srv_compute(&d->servers, loop_now_us());
	if (!stopping) {
		struct desired_quorum q = { quorum_lost, d };

		r = desired_build(d->model, &d->servers, &d->plugins, &q, &want, &n);
		if (r < 0) {
			log_err("cannot build the desired IPVS state: %s", strerror(-r));
			return r;
		}
	}
	if (!d->ipvs) { /* --no-ipvs: everything computed, nothing programmed */
		rec_services_free(want, n);
		ramp_arm(d, stopping);
		return 0;
	}
	apply_owned_keys(&d->ops, &owned);
	t1 = loop_now_us();
	known = !full && !stopping && d->applied_ok;
	if (known) {
		r = rec_apply_known(d->ipvs, want, n, d->applied, d->n_applied,
				    owned, owned ? d->ops.n_owned : 0,
				    apply_rec_error, d, &st);
		if (r != 0) { /* drift, most likely: dump and repair */
			log_warnx("IPVS: %s; reading the kernel's table to repair",
				  r < 0 ? ipvs_strerror(r) : "an operation was refused");
			known = 0;
		}
	}
	if (!known)
		r = rec_apply(d->ipvs, want, n, owned, owned ? d->ops.n_owned : 0,
			      apply_rec_error, d, &st);
	d->n.reconciles++;
	d->n.last_ops = st.ops;
	if (r != 0)
		d->n.reconcile_failures++;
	if (r < 0)
		log_err("IPVS: %s", ipvs_strerror(r));
	else if (st.ops)
		log_info("IPVS: %zu operations (%zu+%zu-%zu~ virtual, %zu+%zu-%zu~ real)%s; "
			 "%llu ms to compute, %llu ms to %s",
			 st.ops, st.svc_add, st.svc_del, st.svc_edit, st.dest_add,
			 st.dest_del, st.dest_edit, r ? ", some refused" : "",
			 (unsigned long long)(t1 - t0) / 1000,
			 (unsigned long long)(loop_now_us() - t1) / 1000,
			 known ? "plan and send (no dump)" : "dump, plan and send");
	/* What we hold now: the desired services (all of them, if nothing
	 * was refused; otherwise keep the old claims too until a clean run). */
	if (r == 0)
		remember_owned(d, want, n);
	forget_applied(d);
	if (r == 0 && !stopping) { /* the next apply plans against it */
		d->applied = want;
		d->n_applied = n;
		d->applied_ok = 1;
	} else {
		rec_services_free(want, n);
	}
	free(owned);
	ramp_arm(d, stopping);
	return r < 0 ? r : 0;
}

int apply_now(struct daemon *d)
{
	return apply(d, 0, 1);
}

int apply_known(struct daemon *d)
{
	return apply(d, 0, 0);
}

void apply_forget(struct daemon *d)
{
	forget_applied(d);
}

static void count_refused(void *arg, size_t index, const struct ipvs_op *op,
			  int err)
{
	(void)index;
	(void)op;
	*(int *)arg += err != 0;
}

/* apply_server sent one op: the known state follows, so that the next
 * apply_known does not send it again. Not found or out of memory: the
 * known state is dropped (the next apply dumps). */
static void applied_set(struct daemon *d, const struct ipvs_service *svc,
			const struct ipvs_dest *dest, int present)
{
	struct rec_service *k = NULL;
	size_t i;

	for (i = 0; d->applied_ok && i < d->n_applied && !k; i++)
		if (rec_service_cmp(&d->applied[i].svc, svc) == 0)
			k = &d->applied[i];
	if (!k) {
		forget_applied(d);
		return;
	}
	for (i = 0; i < k->n_dests; i++)
		if (rec_dest_cmp(&k->dests[i], dest) == 0)
			break;
	if (i < k->n_dests && present) {
		k->dests[i] = *dest;
	} else if (i < k->n_dests) {
		k->dests[i] = k->dests[--k->n_dests];
	} else if (present) {
		struct ipvs_dest *v = realloc(k->dests, (k->n_dests + 1) * sizeof(*v));

		if (!v) {
			forget_applied(d);
			return;
		}
		k->dests = v;
		k->dests[k->n_dests++] = *dest;
	}
}

/* Does the known state hold s's destination as it is now, in every
 * service of its virtual server (nothing to send)? */
static bool applied_same(struct daemon *d, struct srv *s, struct plugin *p)
{
	const struct model_vs *vs = s->vs;

	if (!d->applied_ok)
		return false;
	for (size_t c = 0; c < model_vs_n_svc(vs); c++) {
		struct model_vs one;
		struct ipvs_service svc;
		struct ipvs_dest dest;
		const struct rec_service *k = NULL;
		size_t i;

		model_vs_svc(vs, c, &one);
		desired_service(&one, p->ops.sched.kernel_name, &svc);
		desired_dest(s, &dest);
		dest.port = srv_dest_port(s, svc.fwmark, svc.port);
		for (i = 0; i < d->n_applied && !k; i++)
			if (rec_service_cmp(&d->applied[i].svc, &svc) == 0)
				k = &d->applied[i];
		if (!k)
			return false;
		for (i = 0; i < k->n_dests; i++)
			if (rec_dest_cmp(&k->dests[i], &dest) == 0)
				break;
		if (i == k->n_dests || rec_dest_differs(&dest, &k->dests[i]))
			return false;
	}
	return true;
}

static int server_apply(struct daemon *d, struct srv *s, bool skip_same,
			size_t *sent);

int apply_server(struct daemon *d, struct srv *s)
{
	size_t sent = 0;

	return server_apply(d, s, false, &sent);
}

int apply_servers(struct daemon *d, struct srv *const *v, size_t n)
{
	uint64_t full = d->n.reconciles, t0 = loop_now_us();
	size_t sent = 0;

	for (size_t i = 0; i < n; i++) {
		int r = server_apply(d, v[i], true, &sent);

		if (r < 0 || d->n.reconciles != full)
			return r; /* a full one ran (and logged): it did them all */
	}
	if (sent)
		log_info("IPVS: %zu operation%s (%zu changed real server%s, one by one, no dump); %llu ms to send",
			 sent, sent == 1 ? "" : "s", n, n == 1 ? "" : "s",
			 (unsigned long long)(loop_now_us() - t0) / 1000);
	return 0;
}

/* skip_same: nothing sent when the kernel holds it so already (a
 * reload's changed real server whose change is not the kernel's); *sent
 * counts the operations sent. */
static int server_apply(struct daemon *d, struct srv *s, bool skip_same,
			size_t *sent)
{
	const struct model_vs *vs = s->vs;
	struct plugin *p;
	struct weight_in in;
	struct weight_out old = s->eff;
	struct ipvs_service svc;
	struct ipvs_dest dest;
	struct ipvs_batch b;
	struct model_vs one;
	int r, refused = 0;

	if ((!d->ipvs && !d->opts.no_ipvs) || d->kick)
		return apply(d, 0, 0); /* a full one is due anyway */
	p = plugin_find(&d->plugins, LVSD_PLUGIN_SCHEDULER, vs->scheduler);
	/* A weight hook weighs every server; a sorry server in use stands in
	 * for them all: those are the full reconcile's. */
	if (!p || p->ops.sched.weight ||
	    (vs->sorry_server.family && quorum_lost(d, vs)))
		return apply(d, 0, 0);
	srv_weight_input(s, loop_now_us(), &in);
	weight_compute(&in, &s->eff);
	ramp_arm(d, 0);
	if (!d->ipvs) /* --no-ipvs: computed, nothing programmed */
		return 0;
	if (!old.present && !s->eff.present)
		return 0;
	if (skip_same && old.present && s->eff.present && applied_same(d, s, p))
		return 0;
	/* one op per service: a group's members each hold the server */
	ipvs_batch_init(&b);
	r = 0;
	for (size_t c = 0; r == 0 && c < model_vs_n_svc(vs); c++) {
		model_vs_svc(vs, c, &one);
		desired_service(&one, p->ops.sched.kernel_name, &svc);
		desired_dest(s, &dest);
		dest.port = srv_dest_port(s, svc.fwmark, svc.port);
		if (old.present && s->eff.present)
			r = ipvs_batch_edit_dest(&b, &svc, &dest);
		else if (s->eff.present)
			r = ipvs_batch_add_dest(&b, &svc, &dest);
		else
			r = ipvs_batch_del_dest(&b, &svc, &dest);
	}
	if (r == 0)
		r = ipvs_batch_send(d->ipvs, &b, count_refused, &refused);
	ipvs_batch_free(&b);
	/* Refused (the kernel drifted from what lvsd last programmed) or
	 * unknown: the full reconcile repairs the whole. */
	if (r != 0 || refused)
		return apply(d, 0, 1);
	d->n.last_ops = model_vs_n_svc(vs);
	*sent += model_vs_n_svc(vs);
	for (size_t c = 0; c < model_vs_n_svc(vs); c++) {
		model_vs_svc(vs, c, &one);
		desired_service(&one, p->ops.sched.kernel_name, &svc);
		desired_dest(s, &dest);
		dest.port = srv_dest_port(s, svc.fwmark, svc.port);
		applied_set(d, &svc, &dest, s->eff.present);
	}
	return 0;
}

static void on_kick(void *arg)
{
	struct daemon *d = arg;

	d->kick = NULL;
	apply_known(d);
}

void apply_kick(struct daemon *d)
{
	if (!d->kick)
		d->kick = loop_timer_add(d->loop, 0, on_kick, d);
}

void apply_on_sync(void *arg)
{
	struct daemon *d = arg;

	d->sync = loop_timer_add(d->loop, d->opts.sync_interval_ms, apply_on_sync, d);
	apply_now(d);
}

