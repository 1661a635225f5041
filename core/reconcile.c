/* reconcile.c — plans the fewest IPVS operations from the kernel's state to
 * the desired one (sorted key arrays, O(n log n)), and applies them. The
 * planner does no I/O; rec_apply() is the one place the daemon calls. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reconcile.h"

/* ============================================================== keys */

static int cmp_num(long long a, long long b)
{
	return (a > b) - (a < b);
}

static int addr_cmp(int af, const struct lvsd_addr *a, const struct lvsd_addr *b)
{
	size_t len = af == AF_INET6 ? 16 : 4;

	return memcmp(&a->u, &b->u, len);
}

int rec_service_cmp(const struct ipvs_service *a, const struct ipvs_service *b)
{
	int c = cmp_num(a->af, b->af);

	if (c)
		return c;
	/* Address services (fwmark 0) sort before fwmark services. */
	c = cmp_num(a->fwmark, b->fwmark);
	if (c || a->fwmark)
		return c;
	c = cmp_num(a->protocol, b->protocol);
	if (c)
		return c;
	c = addr_cmp(a->af, &a->addr, &b->addr);
	if (c)
		return c;
	return cmp_num(a->port, b->port);
}

int rec_dest_cmp(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	int c = cmp_num(a->af, b->af);

	if (c)
		return c;
	c = addr_cmp(a->af, &a->addr, &b->addr);
	if (c)
		return c;
	return cmp_num(a->port, b->port);
}

static int rsvc_pcmp(const void *a, const void *b)
{
	const struct rec_service *const *x = a, *const *y = b;

	return rec_service_cmp(&(*x)->svc, &(*y)->svc);
}

static int svc_pcmp(const void *a, const void *b)
{
	const struct ipvs_service *const *x = a, *const *y = b;

	return rec_service_cmp(*x, *y);
}

static int dest_pcmp(const void *a, const void *b)
{
	const struct ipvs_dest *const *x = a, *const *y = b;

	return rec_dest_cmp(*x, *y);
}

/* A key against an element of a sorted pointer array, for bsearch. */
static int key_rsvc_cmp(const void *key, const void *elem)
{
	const struct rec_service *const *e = elem;

	return rec_service_cmp(key, &(*e)->svc);
}

static int key_svc_cmp(const void *key, const void *elem)
{
	const struct ipvs_service *const *e = elem;

	return rec_service_cmp(key, *e);
}

/* The one binary search: key in a pointer array sorted by
 * rec_service_cmp; the element's slot or NULL. */
static const void *search_svc(const void *v, size_t n,
			      const struct ipvs_service *key,
			      int (*cmp)(const void *key, const void *elem))
{
	return n ? bsearch(key, v, n, sizeof(void *), cmp) : NULL;
}

static const struct rec_service *find_rsvc(const struct rec_service **v, size_t n,
					   const struct ipvs_service *key)
{
	const struct rec_service *const *p = search_svc(v, n, key, key_rsvc_cmp);

	return p ? *p : NULL;
}

static int has_svc(const struct ipvs_service **v, size_t n,
		   const struct ipvs_service *key)
{
	return search_svc(v, n, key, key_svc_cmp) != NULL;
}

/* ======================================================== differences */

static uint32_t netmask_of(const struct ipvs_service *s)
{
	return s->netmask ? s->netmask : ipvs_netmask_default(s->af);
}

static int svc_differs(const struct ipvs_service *want,
		       const struct ipvs_service *have)
{
	uint32_t mask = ~(uint32_t)IP_VS_SVC_F_HASHED;

	return strncmp(want->sched_name, have->sched_name, sizeof(want->sched_name)) ||
	       (want->flags & mask) != (have->flags & mask) ||
	       want->timeout != have->timeout ||
	       netmask_of(want) != netmask_of(have) ||
	       strncmp(want->pe_name, have->pe_name, sizeof(want->pe_name));
}

int rec_dest_differs(const struct ipvs_dest *want, const struct ipvs_dest *have)
{
	uint32_t fwd = want->fwd_method & IP_VS_CONN_F_FWD_MASK;

	if (fwd != (have->fwd_method & IP_VS_CONN_F_FWD_MASK) ||
	    want->weight != have->weight ||
	    want->u_threshold != have->u_threshold ||
	    want->l_threshold != have->l_threshold)
		return 1;
	return fwd == IP_VS_CONN_F_TUNNEL &&
	       (want->tun_type != have->tun_type ||
		want->tun_port != have->tun_port ||
		want->tun_flags != have->tun_flags);
}

/* ============================================================ planning */

struct plan {
	struct ipvs_batch *out;
	rec_error_fn on_bad;
	void *arg;
	struct rec_stats st;
	const struct ipvs_dest **dw, **dh; /* scratch: sorted dests */
	size_t cap;
};

static int scratch(struct plan *p, size_t n)
{
	if (n <= p->cap)
		return 0;
	const struct ipvs_dest **dw = reallocarray(p->dw, n, sizeof(*dw));
	if (!dw)
		return -ENOMEM;
	p->dw = dw;
	const struct ipvs_dest **dh = reallocarray(p->dh, n, sizeof(*dh));
	if (!dh)
		return -ENOMEM;
	p->dh = dh;
	p->cap = n;
	return 0;
}

/* Sort the dests of s into v; -EINVAL on a duplicate key. */
static int sort_dests(const struct rec_service *s, const struct ipvs_dest **v)
{
	for (size_t i = 0; i < s->n_dests; i++)
		v[i] = &s->dests[i];
	qsort(v, s->n_dests, sizeof(*v), dest_pcmp);
	for (size_t i = 1; i < s->n_dests; i++)
		if (rec_dest_cmp(v[i - 1], v[i]) == 0)
			return -EINVAL;
	return 0;
}

enum pass { PASS_DEL, PASS_EDIT, PASS_ADD };

/* The real server ops of one virtual server (after bad_service() on it), in three merge passes so
 * that deletions come first, then edits, then additions. */
static int plan_dests(struct plan *p, const struct rec_service *want,
		      const struct rec_service *have)
{
	size_t nw = want->n_dests, nh = have ? have->n_dests : 0;
	int rc = scratch(p, nw > nh ? nw : nh);

	if (rc < 0)
		return rc;
	/* p->dw holds want's dests sorted already: bad_service() did it just
	 * before (and scratch() keeps the contents when it grows). */
	if (have)
		sort_dests(have, p->dh); /* the kernel has no duplicates */
	for (enum pass pass = PASS_DEL; pass <= PASS_ADD; pass++) {
		size_t i = 0, j = 0;

		while (i < nw || j < nh) {
			int c = i == nw ? 1 : j == nh ? -1
					: rec_dest_cmp(p->dw[i], p->dh[j]);

			if (c > 0) { /* only in the kernel */
				if (pass == PASS_DEL) {
					rc = ipvs_batch_del_dest(p->out, &want->svc, p->dh[j]);
					p->st.dest_del++;
				}
				j++;
			} else if (c < 0) { /* only desired */
				if (pass == PASS_ADD) {
					rc = ipvs_batch_add_dest(p->out, &want->svc, p->dw[i]);
					p->st.dest_add++;
				}
				i++;
			} else {
				if (pass == PASS_EDIT && rec_dest_differs(p->dw[i], p->dh[j])) {
					rc = ipvs_batch_edit_dest(p->out, &want->svc, p->dw[i]);
					p->st.dest_edit++;
				}
				i++;
				j++;
			}
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* Why a desired virtual server cannot be planned (written into why), or
 * 0: its key given twice (dp sorted), one of its real servers given twice.
 * Such a one is skipped, reported, and left in the kernel as it is; it
 * never blocks the others (issue 12 item 6). */
static int bad_service(struct plan *p, const struct rec_service **dp,
		       size_t n, size_t i, char *why, size_t len)
{
	const struct rec_service *s = dp[i];
	char d[64];
	int rc;

	if ((i > 0 && rec_service_cmp(&dp[i - 1]->svc, &s->svc) == 0) ||
	    (i + 1 < n && rec_service_cmp(&dp[i + 1]->svc, &s->svc) == 0)) {
		snprintf(why, len, "given twice");
		return -EINVAL;
	}
	rc = scratch(p, s->n_dests);
	if (rc < 0)
		return rc;
	for (size_t j = 0; j < s->n_dests; j++)
		p->dw[j] = &s->dests[j];
	qsort(p->dw, s->n_dests, sizeof(*p->dw), dest_pcmp);
	for (size_t j = 1; j < s->n_dests; j++)
		if (rec_dest_cmp(p->dw[j - 1], p->dw[j]) == 0) {
			ipvs_dest_str(p->dw[j], d, sizeof(d));
			snprintf(why, len, "real server %s given twice", d);
			return -EINVAL;
		}
	return 0;
}

static void report_bad(struct plan *p, const struct ipvs_service *svc,
		       const char *why)
{
	char s[80], what[IPVS_DESC_MAX + 160];

	p->st.skipped++;
	if (!p->on_bad)
		return;
	ipvs_service_str(svc, s, sizeof(s));
	snprintf(what, sizeof(what),
		 "virtual server %s not programmed (%s; the kernel's entry is left as it is, the other virtual servers are programmed)",
		 s, why);
	p->on_bad(p->arg, what, -EINVAL);
}

static int plan_all(struct plan *p, const struct rec_service *desired,
		    size_t n_desired, const struct rec_service *kernel,
		    size_t n_kernel, const struct ipvs_service *owned,
		    size_t n_owned, const struct rec_service **dp,
		    const struct rec_service **kp, const struct ipvs_service **op)
{
	int rc;

	for (size_t i = 0; i < n_desired; i++)
		dp[i] = &desired[i];
	for (size_t i = 0; i < n_kernel; i++)
		kp[i] = &kernel[i];
	for (size_t i = 0; i < n_owned; i++)
		op[i] = &owned[i];
	qsort(dp, n_desired, sizeof(*dp), rsvc_pcmp);
	qsort(kp, n_kernel, sizeof(*kp), rsvc_pcmp);
	qsort(op, n_owned, sizeof(*op), svc_pcmp);

	/* Ours, in the kernel, no longer desired: delete (dests go too). */
	for (size_t i = 0; i < n_kernel; i++) {
		const struct ipvs_service *k = &kp[i]->svc;

		if (find_rsvc(dp, n_desired, k))
			continue;
		if (!has_svc(op, n_owned, k)) {
			p->st.unowned++;
			continue;
		}
		rc = ipvs_batch_del_service(p->out, k);
		if (rc < 0)
			return rc;
		p->st.svc_del++;
	}
	for (size_t i = 0; i < n_desired; i++) {
		const struct rec_service *want = dp[i];
		const struct rec_service *have = find_rsvc(kp, n_kernel, &want->svc);
		char why[128];

		rc = bad_service(p, dp, n_desired, i, why, sizeof(why));
		if (rc == -EINVAL) {
			report_bad(p, &want->svc, why);
			continue;
		}
		if (rc < 0)
			return rc;
		if (!have) {
			rc = ipvs_batch_add_service(p->out, &want->svc);
			p->st.svc_add++;
		} else if (svc_differs(&want->svc, &have->svc)) {
			rc = ipvs_batch_edit_service(p->out, &want->svc);
			p->st.svc_edit++;
		}
		if (rc < 0)
			return rc;
		rc = plan_dests(p, want, have);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int rec_plan(const struct rec_service *desired, size_t n_desired,
	     const struct rec_service *kernel, size_t n_kernel,
	     const struct ipvs_service *owned, size_t n_owned,
	     struct ipvs_batch *out, struct rec_stats *stats,
	     rec_error_fn on_bad, void *arg)
{
	struct plan p = { .out = out, .on_bad = on_bad, .arg = arg };
	size_t n0 = out->n;
	const struct rec_service **dp = calloc(n_desired + 1, sizeof(*dp));
	const struct rec_service **kp = calloc(n_kernel + 1, sizeof(*kp));
	const struct ipvs_service **op = calloc(n_owned + 1, sizeof(*op));
	int rc = -ENOMEM;

	if (dp && kp && op)
		rc = plan_all(&p, desired, n_desired, kernel, n_kernel, owned,
			      n_owned, dp, kp, op);
	free(dp);
	free(kp);
	free(op);
	free(p.dw);
	free(p.dh);
	if (rc < 0) {
		out->n = n0;
		return rc;
	}
	p.st.ops = p.st.svc_add + p.st.svc_edit + p.st.svc_del +
		   p.st.dest_add + p.st.dest_edit + p.st.dest_del;
	if (stats)
		*stats = p.st;
	return 0;
}

/* ============================================================ the kernel */

void rec_services_free(struct rec_service *svcs, size_t n)
{
	if (!svcs)
		return;
	for (size_t i = 0; i < n; i++)
		free(svcs[i].dests);
	free(svcs);
}

int rec_dump(struct ipvs *ipvs, const struct rec_service *want, size_t n_want,
	     struct rec_service **out, size_t *n)
{
	struct ipvs_service *svcs = NULL;
	struct rec_service *res = NULL;
	const struct rec_service **wp = NULL;
	size_t ns = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = ipvs_dump_services(ipvs, &svcs, &ns);
	if (rc < 0)
		return rc;
	res = calloc(ns + 1, sizeof(*res));
	if (want)
		wp = calloc(n_want + 1, sizeof(*wp));
	if (!res || (want && !wp)) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n_want && want; i++)
		wp[i] = &want[i];
	if (want)
		qsort(wp, n_want, sizeof(*wp), rsvc_pcmp);
	for (size_t i = 0; i < ns; i++) {
		res[i].svc = svcs[i];
		if (want && !find_rsvc(wp, n_want, &svcs[i]))
			continue;
		rc = ipvs_dump_dests(ipvs, &svcs[i], &res[i].dests, &res[i].n_dests);
		if (rc < 0)
			goto out;
	}
	*out = res;
	*n = ns;
	res = NULL;
out:
	rec_services_free(res, ns);
	free(svcs);
	free(wp);
	return rc;
}

struct apply_ctx {
	rec_error_fn on_error;
	void *arg;
	size_t failed;
};

static void on_result(void *arg, size_t index, const struct ipvs_op *op, int err)
{
	struct apply_ctx *c = arg;
	char what[IPVS_DESC_MAX];

	if (!err)
		return;
	c->failed++;
	if (c->on_error) {
		ipvs_op_describe(op, what, sizeof(what));
		c->on_error(c->arg, what, err);
	}
}

/* Plans DESIRED against the kernel view KERNEL, sends the batch and counts:
 * the operations that failed, plus the skipped ones, or -errno. */
static int plan_send(struct ipvs *ipvs, const struct rec_service *desired,
		     size_t n_desired, const struct rec_service *kernel,
		     size_t nk, const struct ipvs_service *owned,
		     size_t n_owned, rec_error_fn on_error, void *arg,
		     struct rec_stats *st)
{
	struct apply_ctx ctx = { .on_error = on_error, .arg = arg };
	struct ipvs_batch b;
	int rc;

	ipvs_batch_init(&b);
	rc = rec_plan(desired, n_desired, kernel, nk, owned, n_owned, &b, st,
		      on_error, arg);
	if (rc == 0)
		rc = ipvs_batch_send(ipvs, &b, on_result, &ctx);
	ipvs_batch_free(&b);
	st->failed = ctx.failed;
	if (rc >= 0) /* the skipped ones count as failures */
		rc += (int)st->skipped;
	return rc;
}

int rec_apply(struct ipvs *ipvs, const struct rec_service *desired,
	      size_t n_desired, const struct ipvs_service *owned,
	      size_t n_owned, rec_error_fn on_error, void *arg,
	      struct rec_stats *stats)
{
	static const struct rec_service none;
	struct rec_stats st = {0};
	int rc = 0;

	for (int attempt = 0; attempt < 2; attempt++) {
		struct rec_service *kernel = NULL;
		size_t nk = 0;

		/* Real servers only of the desired virtual servers: the others
		 * are deleted whole or not ours. (A non-NULL want filters.) */
		rc = rec_dump(ipvs, desired ? desired : &none, n_desired, &kernel, &nk);
		if (rc < 0)
			break;
		rc = plan_send(ipvs, desired, n_desired, kernel, nk, owned,
			       n_owned, on_error, arg, &st);
		rec_services_free(kernel, nk);
		if (rc != -ENOBUFS)
			break;
	}
	if (stats)
		*stats = st;
	return rc;
}

int rec_apply_known(struct ipvs *ipvs, const struct rec_service *desired,
		    size_t n_desired, const struct rec_service *known,
		    size_t n_known, const struct ipvs_service *owned,
		    size_t n_owned, rec_error_fn on_error, void *arg,
		    struct rec_stats *stats)
{
	struct rec_stats st = {0};
	int rc = plan_send(ipvs, desired, n_desired, known, n_known, owned,
			   n_owned, on_error, arg, &st);

	if (stats)
		*stats = st;
	return rc;
}
