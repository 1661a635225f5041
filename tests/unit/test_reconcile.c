/* test_reconcile.c — the planner as a table: from a kernel state and a
 * desired one, exactly which IPVS operations come out; plus ordering,
 * refusals and the time to plan 1,000 virtual servers x 10 real servers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "reconcile.h"

#define MAXS 8
#define MAXD 8

/* One side of a comparison: up to MAXS services of up to MAXD dests. */
struct side {
	struct rec_service s[MAXS];
	struct ipvs_dest d[MAXS][MAXD];
	size_t n;
};

struct fix {
	struct side want, have;
	struct ipvs_service owned[MAXS];
	size_t n_owned;
};

static void set_v4(struct lvsd_addr *a, const char *ip)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, ip, &a->u.v4), 1);
}

static void set_v6(struct lvsd_addr *a, const char *ip)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, ip, &a->u.v6), 1);
}

static struct rec_service *add_svc(struct side *sd, int af, uint16_t proto,
				   const char *ip, uint16_t port, uint32_t fwmark,
				   const char *sched)
{
	struct rec_service *r = &sd->s[sd->n];

	memset(r, 0, sizeof(*r));
	r->svc.af = af;
	r->svc.fwmark = fwmark;
	if (!fwmark) {
		r->svc.protocol = proto;
		r->svc.port = port;
		if (af == AF_INET)
			set_v4(&r->svc.addr, ip);
		else
			set_v6(&r->svc.addr, ip);
	}
	snprintf(r->svc.sched_name, sizeof(r->svc.sched_name), "%s", sched);
	r->dests = sd->d[sd->n];
	sd->n++;
	return r;
}

static struct ipvs_dest *add_dest(struct side *sd, struct rec_service *r,
				  const char *ip, uint16_t port, int weight)
{
	struct ipvs_dest *d = &r->dests[r->n_dests++];

	memset(d, 0, sizeof(*d));
	if (strchr(ip, ':')) {
		d->af = AF_INET6;
		set_v6(&d->addr, ip);
	} else {
		d->af = AF_INET;
		set_v4(&d->addr, ip);
	}
	d->port = port;
	d->weight = weight;
	d->fwd_method = IP_VS_CONN_F_MASQ;
	return d;
}

/* A deep copy of a side (dest pointers re-aimed at the copy). */
static void copy_side(struct side *dst, const struct side *src)
{
	memcpy(dst, src, sizeof(*dst));
	for (size_t i = 0; i < dst->n; i++)
		dst->s[i].dests = dst->d[i];
}

/* The base: two v4 TCP services, a v6 UDP one and a fwmark one. */
static void base(struct side *sd)
{
	struct rec_service *r;

	memset(sd, 0, sizeof(*sd));
	r = add_svc(sd, AF_INET, IPPROTO_TCP, "192.168.0.30", 80, 0, "wlc");
	add_dest(sd, r, "10.0.0.51", 80, 1);
	add_dest(sd, r, "10.0.0.52", 80, 2);
	r = add_svc(sd, AF_INET, IPPROTO_TCP, "192.168.0.30", 443, 0, "rr");
	r->svc.flags = IP_VS_SVC_F_PERSISTENT;
	r->svc.timeout = 300;
	add_dest(sd, r, "10.0.0.51", 443, 1);
	r = add_svc(sd, AF_INET6, IPPROTO_UDP, "2001:db8::1", 53, 0, "sh");
	r->svc.flags = IP_VS_SVC_F_SCHED_SH_FALLBACK;
	add_dest(sd, r, "2001:db8::51", 53, 1);
	add_dest(sd, r, "2001:db8::52", 53, 1);
	r = add_svc(sd, AF_INET, 0, NULL, 0, 42, "lc");
	add_dest(sd, r, "10.0.0.61", 0, 5);
}

static void own_all(struct fix *f, const struct side *sd)
{
	for (size_t i = 0; i < sd->n; i++)
		f->owned[f->n_owned++] = sd->s[i].svc;
}

/* ------------------------------------------------------ the cases */

/* Each setup gets the base as both sides, everything owned. */
static void c_empty_kernel(struct fix *f) { f->have.n = 0; }
static void c_identical(struct fix *f) { (void)f; }
static void c_weight(struct fix *f) { f->want.s[0].dests[1].weight = 7; }
static void c_scheduler(struct fix *f)
{
	strcpy(f->want.s[1].svc.sched_name, "wrr");
}
static void c_flags(struct fix *f) { f->want.s[2].svc.flags = 0; }
static void c_timeout(struct fix *f) { f->want.s[1].svc.timeout = 600; }
static void c_netmask(struct fix *f)
{
	f->want.s[1].svc.netmask = htonl(0xffffff00);
}
static void c_removed_dest(struct fix *f) { f->want.s[0].n_dests = 1; }
static void c_added_dest(struct fix *f)
{
	add_dest(&f->want, &f->want.s[3], "10.0.0.62", 0, 1);
}
static void c_dest_port_changed(struct fix *f)
{
	f->want.s[1].dests[0].port = 8443;
}
static void c_fwd(struct fix *f)
{
	f->want.s[0].dests[0].fwd_method = IP_VS_CONN_F_DROUTE;
}
static void c_thresholds(struct fix *f)
{
	f->want.s[0].dests[0].u_threshold = 100;
	f->want.s[0].dests[0].l_threshold = 10;
}
static void c_removed_service(struct fix *f)
{
	f->want.s[0] = f->want.s[3]; /* drop s[0] from want */
	f->want.s[0].dests = f->want.d[3];
	f->want.n = 3;
}
static void c_unowned(struct fix *f)
{
	struct rec_service *r = add_svc(&f->have, AF_INET, IPPROTO_TCP,
					"192.168.0.99", 25, 0, "rr");
	add_dest(&f->have, r, "10.0.0.99", 25, 1);
}
static void c_adopt(struct fix *f) { f->n_owned = 0; }
static void c_stop(struct fix *f) { f->want.n = 0; }
static void c_not_owned_not_wanted(struct fix *f)
{
	f->n_owned = 0;
	f->want.n = 2; /* s[2] (v6) and s[3] (fwmark) stay unowned */
}
static void c_kernel_normal_form(struct fix *f)
{
	/* What a dump returns: netmask filled in, HASHED set, no protocol on
	 * the fwmark service, stats and counters. None of it is a change. */
	for (size_t i = 0; i < f->have.n; i++) {
		struct ipvs_service *s = &f->have.s[i].svc;

		s->netmask = ipvs_netmask_default(s->af);
		s->flags |= IP_VS_SVC_F_HASHED;
		s->stats.conns = 1234;
		f->have.s[i].dests[0].activeconns = 9;
		f->have.s[i].dests[0].stats.inbytes = 99;
	}
	f->want.s[3].svc.protocol = IPPROTO_TCP;
	f->have.s[3].svc.protocol = 0;
}
static void c_v6_dest_weight(struct fix *f) { f->want.s[2].dests[1].weight = 0; }
static void c_fwmark_changed(struct fix *f) { f->want.s[3].svc.fwmark = 43; }
static void c_tunnel_fields(struct fix *f)
{
	/* tunnel fields matter for TUNNEL only */
	f->have.s[0].dests[0].tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GRE;
	f->want.s[1].dests[0].fwd_method = IP_VS_CONN_F_TUNNEL;
	f->have.s[1].dests[0].fwd_method = IP_VS_CONN_F_TUNNEL;
	f->want.s[1].dests[0].tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	f->want.s[1].dests[0].tun_port = 6080;
}
static void c_pe(struct fix *f) { strcpy(f->want.s[0].svc.pe_name, "sip"); }

static const struct rcase {
	const char *name;
	void (*setup)(struct fix *f);
	size_t svc_add, svc_edit, svc_del, dest_add, dest_edit, dest_del, unowned;
	enum ipvs_op_type first; /* 0: no op */
} cases[] = {
	{ "empty kernel: N adds", c_empty_kernel, 4, 0, 0, 6, 0, 0, 0, IPVS_OP_ADD_SERVICE },
	{ "identical: nothing", c_identical, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "weight: one edit", c_weight, 0, 0, 0, 0, 1, 0, 0, IPVS_OP_EDIT_DEST },
	{ "scheduler: one edit", c_scheduler, 0, 1, 0, 0, 0, 0, 0, IPVS_OP_EDIT_SERVICE },
	{ "flags: one edit", c_flags, 0, 1, 0, 0, 0, 0, 0, IPVS_OP_EDIT_SERVICE },
	{ "timeout: one edit", c_timeout, 0, 1, 0, 0, 0, 0, 0, IPVS_OP_EDIT_SERVICE },
	{ "netmask: one edit", c_netmask, 0, 1, 0, 0, 0, 0, 0, IPVS_OP_EDIT_SERVICE },
	{ "pe: one edit", c_pe, 0, 1, 0, 0, 0, 0, 0, IPVS_OP_EDIT_SERVICE },
	{ "removed dest: one delete", c_removed_dest, 0, 0, 0, 0, 0, 1, 0, IPVS_OP_DEL_DEST },
	{ "added dest: one add", c_added_dest, 0, 0, 0, 1, 0, 0, 0, IPVS_OP_ADD_DEST },
	{ "dest port: delete + add", c_dest_port_changed, 0, 0, 0, 1, 0, 1, 0, IPVS_OP_DEL_DEST },
	{ "forwarding: one edit", c_fwd, 0, 0, 0, 0, 1, 0, 0, IPVS_OP_EDIT_DEST },
	{ "thresholds: one edit", c_thresholds, 0, 0, 0, 0, 1, 0, 0, IPVS_OP_EDIT_DEST },
	{ "removed owned service: one delete", c_removed_service, 0, 0, 1, 0, 0, 0, 0, IPVS_OP_DEL_SERVICE },
	{ "unowned kernel service: untouched", c_unowned, 0, 0, 0, 0, 0, 0, 1, 0 },
	{ "nothing desired: every owned service deleted", c_stop, 0, 0, 4, 0, 0, 0, 0, IPVS_OP_DEL_SERVICE },
	{ "adoption of identical: nothing", c_adopt, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "not owned, not wanted: untouched", c_not_owned_not_wanted, 0, 0, 0, 0, 0, 0, 2, 0 },
	{ "dump's normal form: nothing", c_kernel_normal_form, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "v6 dest weight: one edit", c_v6_dest_weight, 0, 0, 0, 0, 1, 0, 0, IPVS_OP_EDIT_DEST },
	{ "fwmark key changed: del + add", c_fwmark_changed, 1, 0, 1, 1, 0, 0, 0, IPVS_OP_DEL_SERVICE },
	{ "tunnel fields: one edit", c_tunnel_fields, 0, 0, 0, 0, 1, 0, 0, IPVS_OP_EDIT_DEST },
};

static void run_case(const struct rcase *c)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct side b;
	struct ipvs_batch out;
	struct rec_stats st;

	assert_non_null(f);
	base(&b);
	copy_side(&f->want, &b);
	copy_side(&f->have, &b);
	own_all(f, &b);
	c->setup(f);
	ipvs_batch_init(&out);
	assert_int_equal(rec_plan(f->want.s, f->want.n, f->have.s, f->have.n,
				  f->owned, f->n_owned, &out, &st, NULL, NULL), 0);
	if (st.svc_add != c->svc_add || st.svc_edit != c->svc_edit ||
	    st.svc_del != c->svc_del || st.dest_add != c->dest_add ||
	    st.dest_edit != c->dest_edit || st.dest_del != c->dest_del ||
	    st.unowned != c->unowned)
		fail_msg("%s: got svc +%zu ~%zu -%zu dest +%zu ~%zu -%zu unowned %zu",
			 c->name, st.svc_add, st.svc_edit, st.svc_del, st.dest_add,
			 st.dest_edit, st.dest_del, st.unowned);
	size_t total = c->svc_add + c->svc_edit + c->svc_del + c->dest_add +
		       c->dest_edit + c->dest_del;
	assert_int_equal(st.ops, total);
	assert_int_equal(out.n, total);
	if (c->first && out.ops[0].type != c->first)
		fail_msg("%s: first op is %s", c->name, ipvs_op_str(out.ops[0].type));
	ipvs_batch_free(&out);
	free(f);
}

static void test_table(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

/* The exact ops of some cases, not just their counts. */
static void test_op_contents(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct side b;
	struct ipvs_batch out;
	char what[IPVS_DESC_MAX];

	assert_non_null(f);
	base(&b);
	copy_side(&f->want, &b);
	copy_side(&f->have, &b);
	own_all(f, &b);
	f->want.s[0].dests[1].weight = 7;
	ipvs_batch_init(&out);
	assert_int_equal(rec_plan(f->want.s, f->want.n, f->have.s, f->have.n,
				  f->owned, f->n_owned, &out, NULL, NULL, NULL), 0);
	assert_int_equal(out.n, 1);
	ipvs_op_describe(&out.ops[0], what, sizeof(what));
	assert_string_equal(what, "edit real server 10.0.0.52:80 of TCP 192.168.0.30:80");
	assert_int_equal(out.ops[0].dest.weight, 7);

	/* from empty: each service, then its dests, in key order */
	ipvs_batch_reset(&out);
	assert_int_equal(rec_plan(f->want.s, f->want.n, NULL, 0, NULL, 0, &out,
				  NULL, NULL, NULL), 0);
	static const char *const expect[] = {
		"add virtual server TCP 192.168.0.30:80",
		"add real server 10.0.0.51:80 to TCP 192.168.0.30:80",
		"add real server 10.0.0.52:80 to TCP 192.168.0.30:80",
		"add virtual server TCP 192.168.0.30:443",
		"add real server 10.0.0.51:443 to TCP 192.168.0.30:443",
		"add virtual server FWM 42",
		"add real server 10.0.0.61:0 to FWM 42",
		"add virtual server UDP [2001:db8::1]:53",
		"add real server [2001:db8::51]:53 to UDP [2001:db8::1]:53",
		"add real server [2001:db8::52]:53 to UDP [2001:db8::1]:53",
	};
	assert_int_equal(out.n, sizeof(expect) / sizeof(expect[0]));
	for (size_t i = 0; i < out.n; i++) {
		ipvs_op_describe(&out.ops[i], what, sizeof(what));
		assert_string_equal(what, expect[i]);
	}
	/* the add carries every detail of the desired service */
	assert_int_equal(out.ops[3].svc.timeout, 300);
	assert_string_equal(out.ops[3].svc.sched_name, "rr");

	/* deletions of services come before anything else */
	ipvs_batch_reset(&out);
	f->want.s[0].dests[1].weight = 2;
	f->want.s[1] = f->want.s[3];
	f->want.s[1].dests = f->want.d[3];
	f->want.n = 2;
	f->want.s[0].dests[0].weight = 3;
	assert_int_equal(rec_plan(f->want.s, f->want.n, f->have.s, f->have.n,
				  f->owned, f->n_owned, &out, NULL, NULL, NULL), 0);
	assert_int_equal(out.n, 3);
	assert_int_equal(out.ops[0].type, IPVS_OP_DEL_SERVICE);
	assert_int_equal(out.ops[1].type, IPVS_OP_DEL_SERVICE);
	assert_int_equal(out.ops[2].type, IPVS_OP_EDIT_DEST);
	ipvs_batch_free(&out);
	free(f);
}

struct bad_log {
	size_t n;
	char what[4][IPVS_DESC_MAX + 160];
};

static void on_bad(void *arg, const char *what, int err)
{
	struct bad_log *l = arg;

	assert_int_equal(err, -EINVAL);
	if (l->n < 4)
		snprintf(l->what[l->n], sizeof(l->what[0]), "%s", what);
	l->n++;
}

/* One virtual server that cannot be planned (a real server twice: the
 * sorry server of issue 12 item 6 parked next to an equal real server; or
 * its key twice) is skipped and reported; the others are still planned,
 * and its kernel entry is neither edited nor deleted. Before, the whole
 * plan failed (-EINVAL) and no virtual server was programmed at all. */
static void test_refusals(void **state)
{
	struct side *s = calloc(1, sizeof(*s));
	struct fix *f = calloc(1, sizeof(*f));
	struct ipvs_batch out;
	struct bad_log log = { 0 };
	struct rec_stats st;
	char what[IPVS_DESC_MAX];

	assert_non_null(s);
	assert_non_null(f);
	ipvs_batch_init(&out);
	base(s);
	assert_int_equal(ipvs_batch_flush(&out), 0); /* appended to, kept */
	/* a real server twice in the first virtual server, from empty */
	s->s[0].dests[1] = s->s[0].dests[0];
	assert_int_equal(rec_plan(s->s, s->n, NULL, 0, NULL, 0, &out, &st,
				  on_bad, &log), 0);
	assert_int_equal(st.skipped, 1);
	assert_int_equal(log.n, 1);
	assert_string_equal(log.what[0],
			    "virtual server TCP 192.168.0.30:80 not programmed (real server 10.0.0.51:80 given twice; the kernel's entry is left as it is, the other virtual servers are programmed)");
	/* the three others: 3 services + 4 real servers, after the flush */
	assert_int_equal(out.n, 1 + 7);
	assert_int_equal(st.svc_add, 3);
	assert_int_equal(st.dest_add, 4);
	for (size_t i = 1; i < out.n; i++) {
		ipvs_op_describe(&out.ops[i], what, sizeof(what));
		assert_null(strstr(what, "192.168.0.30:80"));
	}

	/* the same against a kernel that holds it, owned: not deleted, not
	 * edited; a weight change of another one still goes */
	base(&f->have);
	own_all(f, &f->have);
	copy_side(&f->want, &f->have);
	f->want.s[0].dests[1] = f->want.s[0].dests[0];
	f->want.s[0].svc.timeout = 99;
	f->want.s[1].dests[0].weight = 9;
	ipvs_batch_reset(&out);
	log.n = 0;
	assert_int_equal(rec_plan(f->want.s, f->want.n, f->have.s, f->have.n,
				  f->owned, f->n_owned, &out, &st, on_bad, &log), 0);
	assert_int_equal(st.skipped, 1);
	assert_int_equal(log.n, 1);
	assert_int_equal(out.n, 1);
	ipvs_op_describe(&out.ops[0], what, sizeof(what));
	assert_string_equal(what, "edit real server 10.0.0.51:443 of TCP 192.168.0.30:443");

	/* a virtual server twice: both copies skipped, the others planned */
	base(s);
	s->s[1].svc = s->s[0].svc;
	ipvs_batch_reset(&out);
	log.n = 0;
	assert_int_equal(rec_plan(s->s, s->n, NULL, 0, NULL, 0, &out, &st,
				  on_bad, &log), 0);
	assert_int_equal(st.skipped, 2);
	assert_int_equal(log.n, 2);
	assert_non_null(strstr(log.what[0], "virtual server TCP 192.168.0.30:80 not programmed (given twice"));
	assert_int_equal(st.svc_add, 2);
	/* no callback: counted all the same */
	assert_int_equal(rec_plan(s->s, s->n, NULL, 0, NULL, 0, &out, &st,
				  NULL, NULL), 0);
	assert_int_equal(st.skipped, 2);
	free(f);
	ipvs_batch_reset(&out);
	assert_int_equal(ipvs_batch_flush(&out), 0);
	/* nothing desired, nothing owned: the kernel's services are left */
	base(s);
	assert_int_equal(rec_plan(NULL, 0, s->s, s->n, NULL, 0, &out, &st, NULL, NULL), 0);
	assert_int_equal(st.unowned, 4);
	assert_int_equal(st.ops, 0);
	assert_int_equal(out.n, 1);
	/* the same address as v4 service and fwmark service are distinct */
	base(s);
	s->s[3].svc.protocol = IPPROTO_TCP;
	s->s[3].svc.addr = s->s[0].svc.addr;
	s->s[3].svc.port = 80;
	assert_int_equal(rec_plan(s->s, s->n, NULL, 0, NULL, 0, &out, NULL, NULL, NULL), 0);
	ipvs_batch_free(&out);
	free(s);
}

/* 1,000 x 10, as big arrays: plans in milliseconds, 0 ops when equal,
 * exactly one for one changed weight. */
static struct rec_service *big(size_t ns, size_t nd)
{
	struct rec_service *v = calloc(ns, sizeof(*v));

	assert_non_null(v);
	for (size_t i = 0; i < ns; i++) {
		struct ipvs_service *s = &v[i].svc;

		s->af = AF_INET;
		s->protocol = IPPROTO_TCP;
		s->addr.family = AF_INET;
		s->addr.u.v4.s_addr = htonl(0x0a010000u + (uint32_t)i);
		s->port = 80;
		strcpy(s->sched_name, "wrr");
		v[i].dests = calloc(nd, sizeof(struct ipvs_dest));
		assert_non_null(v[i].dests);
		v[i].n_dests = nd;
		/* dests in reverse order: the planner sorts */
		for (size_t j = 0; j < nd; j++) {
			struct ipvs_dest *d = &v[i].dests[nd - 1 - j];

			d->af = AF_INET;
			d->addr.family = AF_INET;
			d->addr.u.v4.s_addr = htonl(0x0a020000u + (uint32_t)(i * nd + j));
			d->port = 8080;
			d->weight = 1;
		}
	}
	return v;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void test_big(void **state)
{
	const size_t ns = 1000, nd = 10;
	struct rec_service *want = big(ns, nd), *have = big(ns, nd);
	struct ipvs_batch out;
	struct rec_stats st;
	struct timespec t0;
	double ms;

	ipvs_batch_init(&out);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(rec_plan(want, ns, NULL, 0, NULL, 0, &out, &st, NULL, NULL), 0);
	ms = ms_since(&t0);
	assert_int_equal(out.n, ns + ns * nd);
	printf("plan 1000x10 from empty: %.2f ms\n", ms);

	ipvs_batch_reset(&out);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(rec_plan(want, ns, have, ns, NULL, 0, &out, &st, NULL, NULL), 0);
	ms = ms_since(&t0);
	printf("plan 1000x10 identical: %.2f ms\n", ms);
	assert_int_equal(out.n, 0);
	assert_true(ms < 500); /* milliseconds, with a wide margin for CI */

	want[500].dests[3].weight = 9;
	assert_int_equal(rec_plan(want, ns, have, ns, NULL, 0, &out, &st, NULL, NULL), 0);
	assert_int_equal(out.n, 1);
	assert_int_equal(out.ops[0].type, IPVS_OP_EDIT_DEST);
	assert_int_equal(out.ops[0].dest.weight, 9);

	ipvs_batch_free(&out);
	for (size_t i = 0; i < ns; i++) {
		free(want[i].dests);
		free(have[i].dests);
	}
	free(want);
	free(have);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_op_contents),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_big),
	};

	return cmocka_run_group_tests_name("reconcile", tests, NULL, NULL);
}
