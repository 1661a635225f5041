/* test_servers_kernel.c — servers.c's one reader of the kernel's counters
 * against a real IPVS kernel: one dump joined to the run-time table by
 * kernel key (a UDP and a TCP service on the same address and port are
 * told apart), servers and services the kernel lacks reset, a service that
 * is not lvsd's left out. Runs only inside the lvsd VM (LVSD_VM set: it
 * programs IPVS), driven by tests/vm/test_servers_kernel.sh; exits 77
 * elsewhere. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "cfg.h"
#include "desired.h"
#include "ipvs.h"
#include "model.h"
#include "reconcile.h"
#include "schema.h"
#include "servers.h"

static struct ipvs *K;

static const char config[] =
	"[virtual_server web]\naddress = 10.9.0.1:80\nscheduler = wlc\n"
	"[real_server web 10.9.1.1:80]\n"
	"[real_server web 10.9.1.2:80]\n"
	"[virtual_server dns]\naddress = 10.9.0.1:80\nprotocol = UDP\nscheduler = wlc\n"
	"[real_server dns 10.9.1.1:80]\n"
	"[virtual_server gone]\naddress = 10.9.0.2:80\nscheduler = wlc\n"
	"[real_server gone 10.9.1.3:80]\n";

static struct srv *find(struct srv_table *t, const char *vs, const char *ip)
{
	struct lvsd_addr a = { .family = AF_INET };
	struct srv *s;

	assert_int_equal(inet_pton(AF_INET, ip, &a.u.v4), 1);
	s = srv_find(t, vs, &a, 80);
	assert_non_null(s);
	return s;
}

/* The kernel gets: web with 10.9.1.1 only, dns with 10.9.1.1, not gone;
 * plus someone else's 10.9.0.9:80 with 10.9.1.2. */
static void program(struct model *m, struct srv_table *t)
{
	struct rec_service want[2] = { 0 }, other = { 0 };
	struct ipvs_dest d[2], od = { 0 };
	struct ipvs_service owned[3];
	struct srv *s;

	other.svc.af = AF_INET;
	other.svc.protocol = IPPROTO_TCP;
	other.svc.addr.family = AF_INET;
	inet_pton(AF_INET, "10.9.0.9", &other.svc.addr.u.v4);
	other.svc.port = 80;
	snprintf(other.svc.sched_name, sizeof(other.svc.sched_name), "rr");
	od.af = AF_INET;
	od.addr.family = AF_INET;
	inet_pton(AF_INET, "10.9.1.2", &od.addr.u.v4);
	od.port = 80;
	od.fwd_method = IP_VS_CONN_F_MASQ;
	od.weight = 1;
	other.dests = &od;
	other.n_dests = 1;
	assert_int_equal(rec_apply(K, &other, 1, NULL, 0, NULL, NULL, NULL), 0);

	desired_service(&m->vs[0], "wlc", &want[0].svc);
	desired_service(&m->vs[1], "wlc", &want[1].svc);
	s = find(t, "web", "10.9.1.1");
	s->eff.present = 1;
	s->eff.weight = 3;
	desired_dest(s, &d[0]);
	s = find(t, "dns", "10.9.1.1");
	s->eff.present = 1;
	s->eff.weight = 5;
	desired_dest(s, &d[1]);
	want[0].dests = &d[0];
	want[0].n_dests = 1;
	want[1].dests = &d[1];
	want[1].n_dests = 1;
	owned[0] = want[0].svc;
	owned[1] = want[1].svc;
	assert_int_equal(rec_apply(K, want, 2, owned, 2, NULL, NULL, NULL), 0);
	(void)owned[2];
}

static void test_read(void **state)
{
	struct cfg_errors errs = { 0 };
	struct model *m = NULL;
	struct srv_table t = { 0 };
	struct srv *stale;

	(void)state;
	assert_int_equal(cfg_parse_string("t.ini", config, NULL, &m, &errs), 0);
	cfg_errors_free(&errs);
	assert_non_null(m);
	assert_int_equal(m->n_vs, 3);
	assert_int_equal(srv_sync(&t, m, NULL, NULL), 0);
	assert_int_equal(srv_kernel_age(&t, 5), UINT64_MAX);
	program(m, &t);
	/* values from before are reset where the kernel has nothing */
	stale = find(&t, "web", "10.9.1.2");
	stale->in_kernel = 1;
	stale->activeconns = 99;
	stale->stats.conns = 99;
	find(&t, "gone", "10.9.1.3")->in_kernel = 1;

	assert_int_equal(srv_kernel_read(&t, m, K, 1000), 0);
	assert_int_equal(t.kernel_reads, 1);
	assert_int_equal(srv_kernel_age(&t, 1500), 500);
	assert_int_equal(find(&t, "web", "10.9.1.1")->in_kernel, 1);
	assert_int_equal(find(&t, "dns", "10.9.1.1")->in_kernel, 1);
	assert_int_equal(stale->in_kernel, 0); /* only someone else's has it */
	assert_int_equal(stale->activeconns, 0);
	assert_int_equal(stale->stats.conns, 0);
	assert_int_equal(find(&t, "gone", "10.9.1.3")->in_kernel, 0);
	assert_int_equal(srv_vs_kernel(&t, m, &m->vs[0])->in_kernel, 1);
	assert_int_equal(srv_vs_kernel(&t, m, &m->vs[1])->in_kernel, 1);
	assert_int_equal(srv_vs_kernel(&t, m, &m->vs[2])->in_kernel, 0);

	/* web's 10.9.1.1 leaves the kernel: the next read says so */
	{
		struct rec_service w = { 0 };
		struct ipvs_service owned[2];

		desired_service(&m->vs[1], "wlc", &w.svc);
		w.dests = &(struct ipvs_dest){ 0 };
		desired_dest(find(&t, "dns", "10.9.1.1"), w.dests);
		w.n_dests = 1;
		desired_service(&m->vs[0], "wlc", &owned[0]);
		owned[1] = w.svc;
		assert_int_equal(rec_apply(K, &w, 1, owned, 2, NULL, NULL, NULL), 0);
	}
	assert_int_equal(srv_kernel_read(&t, m, K, 2000), 0);
	assert_int_equal(t.kernel_reads, 2);
	assert_int_equal(find(&t, "web", "10.9.1.1")->in_kernel, 0);
	assert_int_equal(srv_vs_kernel(&t, m, &m->vs[0])->in_kernel, 0);
	assert_int_equal(find(&t, "dns", "10.9.1.1")->in_kernel, 1);

	/* not synced to this model: refused, nothing read */
	t.n_vsk = 1;
	assert_int_equal(srv_kernel_read(&t, m, K, 3000), -ESTALE);
	assert_int_equal(t.kernel_reads, 2);
	t.n_vsk = m->n_vs;
	assert_int_equal(srv_kernel_read(&t, m, NULL, 3000), -ENOTCONN);

	srv_table_free(&t);
	schema_free_model(m);
	ipvs_flush(K);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),
	};
	int r;

	if (!getenv("LVSD_VM") || ipvs_open(&K) < 0) {
		printf("skipped: needs the lvsd VM (real IPVS; it programs it)\n");
		return 77;
	}
	ipvs_flush(K);
	r = cmocka_run_group_tests(tests, NULL, NULL);
	ipvs_close(K);
	return r;
}
