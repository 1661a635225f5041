/* test_model.c — the configuration model: finders, helpers, and the diff
 * a reload uses (added / removed / changed for each kind of object).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cfg.h"
#include "model.h"
#include "model_diff.h"
#include "schema.h"

static struct model *load(const char *text)
{
	struct cfg_errors e = {0};
	struct model *m = NULL;
	int rc = cfg_parse_string("t.ini", text, NULL, &m, &e);

	for (size_t i = 0; i < e.n; i++)
		print_message("%s\n", e.v[i].msg);
	assert_int_equal(rc, 0);
	cfg_errors_free(&e);
	return m;
}

#define BASE                                                               \
	"[global]\nrouter_id = r1\n"                                      \
	"[virtual_server web]\naddress = 192.168.0.29:80\nscheduler = wlc\n" \
	"[real_server web 10.0.0.51:80]\nweight = 1\n"                    \
	"[real_server web 10.0.0.52:80]\nweight = 1\n"                    \
	"[vrrp VI_1]\ninterface = eth0\nvirtual_router_id = 51\n"         \
	"priority = 100\nvirtual_ipaddress = 192.168.0.29\n"

struct lines {
	char v[16][512];
	int n;
};

static void collect(void *arg, const char *line)
{
	struct lines *l = arg;

	assert_true(l->n < 16);
	snprintf(l->v[l->n++], sizeof(l->v[0]), "%s", line);
}

/* Diff old -> new and return the emitted lines. */
static struct lines diff_lines(const char *a, const char *b,
			       struct model_diff *keep)
{
	struct model *o = load(a), *n = load(b);
	struct model_diff d;
	struct lines l;

	memset(&l, 0, sizeof(l));
	assert_int_equal(model_diff(o, n, &d), 0);
	model_diff_emit(&d, collect, &l);
	if (keep)
		*keep = d;
	else
		model_diff_free(&d);
	schema_free_model(o);
	schema_free_model(n);
	return l;
}

static void test_identical_is_empty(void **state)
{
	struct model_diff d;
	struct lines l = diff_lines(BASE, BASE, &d);

	(void)state;
	assert_int_equal(d.n, 0);
	assert_false(d.global_changed);
	assert_int_equal(l.n, 0);
	model_diff_free(&d);
}

/* A scheduler's options are the plugin's, not keys of the table: a
 * change is still a change of the virtual server (applied at reload). */
static void test_sched_options_diff(void **state)
{
	struct model_diff d;
	struct lines l = diff_lines(
		"[virtual_server web]\naddress = 192.168.0.29:80\nscheduler = acme\nslow_us = 1\n",
		"[virtual_server web]\naddress = 192.168.0.29:80\nscheduler = acme\nslow_us = 2\nx = y\n",
		&d);

	(void)state;
	assert_int_equal(d.n, 1);
	assert_int_equal(l.n, 1);
	assert_non_null(strstr(l.v[0], "scheduler options slow_us=1 -> slow_us=2 x=y"));
	model_diff_free(&d);
}

static void test_finders(void **state)
{
	struct model *m = load(BASE);
	struct lvsd_addr a = m->rs[1].addr;

	(void)state;
	assert_ptr_equal(model_find_vs(m, "web"), &m->vs[0]);
	assert_null(model_find_vs(m, "nope"));
	assert_ptr_equal(model_find_rs(m, "web", &a, 80), &m->rs[1]);
	assert_null(model_find_rs(m, "web", &a, 81));
	assert_null(model_find_rs(m, "other", &a, 80));
	assert_ptr_equal(model_find_vrrp(m, "VI_1"), &m->vrrp[0]);
	assert_null(model_find_vrrp(m, "VI_2"));
	assert_string_equal(m->rs[1].vs_name, "web");
	assert_int_equal(m->rs[1].vs, 0);
	schema_free_model(m);
}

static void test_helpers(void **state)
{
	struct lvsd_addr a = {0};
	char b[64];

	(void)state;
	assert_string_equal(model_addr_str(&a, b, sizeof(b)), "-");
	assert_string_equal(model_method_str(MODEL_METHOD_TUN), "TUN");
	assert_string_equal(model_protocol_str(IPPROTO_SCTP), "SCTP");
	assert_string_equal(model_kind_str(MODEL_KIND_RS), "real server");
	assert_string_equal(model_change_str(MODEL_REMOVED), "removed");
	schema_free_model(NULL); /* harmless */
}

static void test_vs_add_remove_change(void **state)
{
	struct model_diff d;
	struct lines l;

	(void)state;
	l = diff_lines(BASE, BASE "[virtual_server dns]\naddress = 192.168.0.29:53\nprotocol = UDP\n",
		       &d);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].kind, MODEL_KIND_VS);
	assert_int_equal(d.v[0].change, MODEL_ADDED);
	assert_int_equal(d.v[0].new_idx, 1);
	assert_int_equal(d.v[0].old_idx, SIZE_MAX);
	assert_string_equal(l.v[0], "virtual server dns added");
	model_diff_free(&d);

	l = diff_lines(BASE "[virtual_server dns]\naddress = 192.168.0.29:53\nprotocol = UDP\n", BASE,
		       &d);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].change, MODEL_REMOVED);
	assert_int_equal(d.v[0].old_idx, 1);
	assert_string_equal(l.v[0], "virtual server dns removed");
	model_diff_free(&d);

	/* a changed scheduler is an edit; a changed address re-creates */
	const char *b2 =
		"[global]\nrouter_id = r1\n"
		"[virtual_server web]\naddress = 192.168.0.29:8080\nscheduler = rr\n"
		"[real_server web 10.0.0.51:80]\nweight = 1\n"
		"[real_server web 10.0.0.52:80]\nweight = 1\n"
		"[vrrp VI_1]\ninterface = eth0\nvirtual_router_id = 51\n"
		"priority = 100\nvirtual_ipaddress = 192.168.0.29\n";
	l = diff_lines(BASE, b2, &d);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].change, MODEL_CHANGED);
	assert_true(d.v[0].key_changed);
	assert_string_equal(d.v[0].what,
			    "service TCP 192.168.0.29:80 -> TCP 192.168.0.29:8080; scheduler wlc -> rr");
	assert_string_equal(l.v[0],
			    "virtual server web changed (re-created): service TCP 192.168.0.29:80 -> TCP 192.168.0.29:8080; scheduler wlc -> rr");
	model_diff_free(&d);

	l = diff_lines(BASE, BASE "[virtual_server web2]\naddress = 1.1.1.1:1\n"
				  "[virtual_server web3]\naddress = 1.1.1.2:1\n",
		       NULL);
	assert_int_equal(l.n, 2);
}

static void test_rs_add_remove_change(void **state)
{
	struct model_diff d;
	struct lines l;
	const char *head =
		"[global]\nrouter_id = r1\n"
		"[virtual_server web]\naddress = 192.168.0.29:80\nscheduler = wlc\n"
		"[vrrp VI_1]\ninterface = eth0\nvirtual_router_id = 51\n"
		"priority = 100\nvirtual_ipaddress = 192.168.0.29\n";
	char a[1024], b[1024];

	(void)state;
	snprintf(a, sizeof(a), "%s[real_server web 10.0.0.51:80]\nweight = 1\n"
			       "[real_server web 10.0.0.52:80]\nweight = 1\n", head);
	snprintf(b, sizeof(b), "%s[real_server web 10.0.0.52:80]\nweight = 3\n"
			       "method = DR\n"
			       "[real_server web 10.0.0.53]\n", head);
	l = diff_lines(a, b, &d);
	assert_int_equal(d.n, 3);
	/* removed, changed, added; identified by VS name + addr + port */
	assert_int_equal(d.v[0].kind, MODEL_KIND_RS);
	assert_int_equal(d.v[0].change, MODEL_REMOVED);
	assert_string_equal(d.v[0].id, "web 10.0.0.51:80");
	assert_int_equal(d.v[1].change, MODEL_CHANGED);
	assert_string_equal(d.v[1].id, "web 10.0.0.52:80");
	assert_string_equal(d.v[1].what, "weight 1 -> 3; method NAT -> DR");
	assert_int_equal(d.v[1].old_idx, 1);
	assert_int_equal(d.v[1].new_idx, 0);
	assert_int_equal(d.v[2].change, MODEL_ADDED);
	assert_string_equal(d.v[2].id, "web 10.0.0.53:80");
	assert_string_equal(l.v[0], "real server web 10.0.0.51:80 removed");
	assert_string_equal(l.v[1], "real server web 10.0.0.52:80 changed: weight 1 -> 3; method NAT -> DR");
	assert_string_equal(l.v[2], "real server web 10.0.0.53:80 added");
	model_diff_free(&d);

	/* an inherited value that changes shows on the real server too */
	snprintf(a, sizeof(a), "%s[real_server web 10.0.0.51:80]\ncheck = TCP\n", head);
	snprintf(b, sizeof(b), "[global]\ndelay_loop = 5\n%s"
			       "[real_server web 10.0.0.51:80]\ncheck = TCP\n"
			       "path = /x\n", head + strlen("[global]\n"));
	l = diff_lines(a, b, &d);
	assert_int_equal(d.n, 3);
	assert_true(d.global_changed);
	assert_string_equal(l.v[0], "global settings changed: delay_loop 60000ms -> 5000ms");
	assert_string_equal(l.v[1], "virtual server web changed: delay_loop 60000ms -> 5000ms");
	assert_string_equal(l.v[2], "real server web 10.0.0.51:80 changed: delay_loop 60000ms -> 5000ms; options (none) -> path=/x");
	model_diff_free(&d);
}

static void test_vrrp_add_remove_change(void **state)
{
	struct model_diff d;
	struct lines l;
	const char *vi2 = "[vrrp VI_2]\ninterface = eth1\nvirtual_router_id = 52\n"
			  "virtual_ipaddress = 10.0.0.29/24\n";
	char b[1024];

	(void)state;
	snprintf(b, sizeof(b), "%s%s", BASE, vi2);
	l = diff_lines(BASE, b, &d);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].kind, MODEL_KIND_VRRP);
	assert_string_equal(l.v[0], "vrrp instance VI_2 added");
	model_diff_free(&d);
	l = diff_lines(b, BASE, &d);
	assert_string_equal(l.v[0], "vrrp instance VI_2 removed");
	model_diff_free(&d);

	snprintf(b, sizeof(b), "%s", BASE);
	char *p = strstr(b, "priority = 100");
	memcpy(p, "priority = 150", 14);
	strcat(b, "virtual_ipaddress = 10.0.0.29/24 dev eth1\nauth_type = PASS\nauth_pass = x\n");
	l = diff_lines(BASE, b, &d);
	assert_int_equal(d.n, 1);
	assert_false(d.v[0].key_changed);
	assert_string_equal(l.v[0],
			    "vrrp instance VI_1 changed: priority 100 -> 150; auth_pass changed; "
			    "virtual_ipaddress 192.168.0.29/32 dev eth0 -> 192.168.0.29/32 dev eth0, 10.0.0.29/24 dev eth1");
	model_diff_free(&d);

	snprintf(b, sizeof(b), "%s", BASE);
	p = strstr(b, "virtual_router_id = 51");
	memcpy(p, "virtual_router_id = 61", 22);
	l = diff_lines(BASE, b, &d);
	assert_true(d.v[0].key_changed);
	assert_string_equal(l.v[0], "vrrp instance VI_1 changed (re-created): virtual_router_id 51 -> 61");
	model_diff_free(&d);
}

static void test_sync_group_and_global(void **state)
{
	struct model_diff d;
	struct lines l;
	char b[1024];

	(void)state;
	snprintf(b, sizeof(b), "%s[vrrp_sync_group G]\ngroup = VI_1\n", BASE);
	l = diff_lines(BASE, b, &d);
	assert_int_equal(d.n, 2);
	/* the instance's sync_group changes, and the group appears */
	assert_string_equal(l.v[0], "vrrp instance VI_1 changed: sync_group (none) -> G");
	assert_string_equal(l.v[1], "vrrp sync group G added");
	model_diff_free(&d);

	snprintf(b, sizeof(b), "%s", BASE);
	memcpy(strstr(b, "router_id = r1"), "router_id = r2", 14);
	l = diff_lines(BASE, b, &d);
	assert_int_equal(d.n, 1);
	assert_true(d.global_changed);
	assert_int_equal(d.v[0].kind, MODEL_KIND_GLOBAL);
	assert_string_equal(l.v[0], "global settings changed: router_id r1 -> r2");
	model_diff_free(&d);
}

/* The old and new values of a key whose default is not a value of its own
 * (lvs_sync_daemon_id: the followed instance's virtual_router_id) are
 * the ones in force, never the internal sentinel (tester15b N4). */
static void test_diff_sync_id_default(void **state)
{
	char a[2048], b[2048], c[2048];
	struct lines l;

	(void)state;
	snprintf(a, sizeof(a), "[global]\nlvs_sync_daemon = eth0 VI_1\n%s",
		 BASE + strlen("[global]\n"));
	snprintf(b, sizeof(b), "[global]\nlvs_sync_daemon = eth0 VI_1\nlvs_sync_daemon_id = 9\n%s",
		 BASE + strlen("[global]\n"));
	l = diff_lines(a, b, NULL);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0], "global settings changed: lvs_sync_daemon_id 51 -> 9");
	l = diff_lines(b, a, NULL);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0], "global settings changed: lvs_sync_daemon_id 9 -> 51");
	/* no sync before: no syncid in force, the default named */
	l = diff_lines(BASE, b, NULL);
	assert_int_equal(l.n, 1);
	assert_non_null(strstr(l.v[0], "lvs_sync_daemon_id (default) -> 9"));
	assert_null(strstr(l.v[0], "256"));
	/* a sentinel default of another key: quorum_max (no upper bound) */
	snprintf(c, sizeof(c), "%s[vrrp_track_process P]\nprocess = sshd\nquorum_max = 5\n", BASE);
	snprintf(b, sizeof(b), "%s[vrrp_track_process P]\nprocess = sshd\n", BASE);
	{
		struct model *o = load(b), *n = load(c);

		memset(&l, 0, sizeof(l));
		assert_int_equal(model_diff_trackers(o, n, collect, &l), 1);
		assert_int_equal(l.n, 1);
		print_message("%s\n", l.v[0]);
		assert_null(strstr(l.v[0], "4294967295"));
		schema_free_model(o);
		schema_free_model(n);
	}
}

static void test_diff_from_nothing(void **state)
{
	struct model *m = load(BASE);
	struct model_diff d;

	(void)state;
	assert_int_equal(model_diff(NULL, m, &d), 0);
	assert_int_equal(d.n, 4); /* 1 VS, 2 RS, 1 VRRP */
	for (size_t i = 0; i < d.n; i++)
		assert_int_equal(d.v[i].change, MODEL_ADDED);
	assert_false(d.global_changed);
	model_diff_free(&d);
	assert_int_equal(model_diff(m, NULL, &d), 0);
	assert_int_equal(d.n, 4);
	for (size_t i = 0; i < d.n; i++)
		assert_int_equal(d.v[i].change, MODEL_REMOVED);
	model_diff_free(&d);
	schema_free_model(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical_is_empty),
		cmocka_unit_test(test_sched_options_diff),
		cmocka_unit_test(test_finders),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_vs_add_remove_change),
		cmocka_unit_test(test_rs_add_remove_change),
		cmocka_unit_test(test_vrrp_add_remove_change),
		cmocka_unit_test(test_sync_group_and_global),
		cmocka_unit_test(test_diff_sync_id_default),
		cmocka_unit_test(test_diff_from_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
