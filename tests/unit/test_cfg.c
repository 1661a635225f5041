/* test_cfg.c — the INI parser: every error class with its exact FILE:LINE,
 * the seed examples, hooks, inheritance, IPv6, fwmark, argv splitting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cfg.h"
#include "cfgval.h"
#include "model.h"
#include "progcheck.h"
#include "schema.h"

/* ------------------------------------------------------------- helpers */

struct res {
	int rc;
	struct model *m;
	struct cfg_errors e;
};

static struct res parse_h(const char *text, const struct cfg_hooks *h)
{
	struct res r;

	memset(&r, 0, sizeof(r));
	r.rc = cfg_parse_string("t.ini", text, h, &r.m, &r.e);
	return r;
}

static struct res parse(const char *text)
{
	return parse_h(text, NULL);
}

/* A scheduler "acme" with the option slow_ms = 1..1000; no other has any. */
static int h_sched_option(void *arg, const char *sched, const char *key,
			  const char *value, char *err, size_t len)
{
	(void)arg;
	if (strcmp(sched, "acme") || strcmp(key, "slow_ms"))
		return -ENOENT;
	if (atoi(value) >= 1 && atoi(value) <= 1000)
		return 0;
	snprintf(err, len, "expected 1..1000 ms, got '%s'", value);
	return -EINVAL;
}

/* Parsed with only the scheduler-option hook. */
static struct res parse_so(const char *text)
{
	struct cfg_hooks h = { .sched_option = h_sched_option };

	return parse_h(text, &h);
}

static void done(struct res *r)
{
	schema_free_model(r->m);
	cfg_errors_free(&r->e);
}

static void dump(const struct res *r)
{
	for (size_t i = 0; i < r->e.n; i++)
		print_message("  %s\n", r->e.v[i].msg);
}

/* Is there an error that starts with `prefix` and contains `part`? */
static int has(const struct res *r, const char *prefix, const char *part)
{
	for (size_t i = 0; i < r->e.n; i++)
		if (strncmp(r->e.v[i].msg, prefix, strlen(prefix)) == 0 &&
		    strstr(r->e.v[i].msg, part))
			return 1;
	dump(r);
	print_message("missing error: %s...%s\n", prefix, part);
	return 0;
}

/* Is there an error that contains `part`? (no dump) */
static int has_quiet(const struct res *r, const char *part)
{
	for (size_t i = 0; i < r->e.n; i++)
		if (strstr(r->e.v[i].msg, part))
			return 1;
	return 0;
}

/* Parse, expect exactly one error, equal to `msg`. */
static void expect_one(const char *text, const char *msg)
{
	struct res r = parse(text);

	if (r.e.n != 1 || strcmp(r.e.v[0].msg, msg) != 0) {
		dump(&r);
		print_message("expected exactly: %s\n", msg);
		fail();
	}
	assert_int_equal(r.rc, -EINVAL);
	assert_null(r.m);
	done(&r);
}

static struct res parse_ok(const char *text)
{
	struct res r = parse(text);

	if (r.rc != 0)
		dump(&r);
	assert_int_equal(r.rc, 0);
	assert_non_null(r.m);
	assert_int_equal(r.e.n, 0);
	return r;
}

#define VS_WEB "[virtual_server web]\naddress = 192.168.0.29:80\n"

/* The source tree, found from the test's cwd. */
static const char *src_path(const char *rel, char *buf, size_t len)
{
	static const char *const pre[] = {"", "../", "../../", "../../../"};

	for (size_t i = 0; i < 4; i++) {
		snprintf(buf, len, "%s%s", pre[i], rel);
		if (access(buf, R_OK) == 0)
			return buf;
	}
	snprintf(buf, len, "%s", rel);
	return buf;
}

/* --------------------------------------------------------- seed files */

static void test_seed_nat(void **state)
{
	struct cfg_errors e = {0};
	struct model *m = NULL;
	char path[256], b[64];

	(void)state;
	assert_int_equal(cfg_parse_file(src_path("etc/lvsd-nat.ini", path,
						 sizeof(path)),
					NULL, &m, &e),
			 0);
	assert_int_equal(m->n_vs, 1);
	assert_string_equal(m->vs[0].name, "web");
	assert_string_equal(model_vs_key_str(&m->vs[0], b, sizeof(b)),
			    "TCP 192.168.0.30:80");
	assert_string_equal(m->vs[0].scheduler, "wlc");
	assert_int_equal(m->vs[0].method, MODEL_METHOD_NAT);
	assert_int_equal(m->n_rs, 2);
	assert_string_equal(model_addrport_str(&m->rs[0].addr, m->rs[0].port,
					       b, sizeof(b)),
			    "10.0.0.51:80");
	assert_string_equal(model_addrport_str(&m->rs[1].addr, m->rs[1].port,
					       b, sizeof(b)),
			    "10.0.0.52:80");
	for (int i = 0; i < 2; i++) {
		assert_int_equal(m->rs[i].weight, 1);
		assert_int_equal(m->rs[i].method, MODEL_METHOD_NAT);
		assert_string_equal(m->rs[i].checker, "");
		assert_int_equal(m->rs[i].vs, 0);
	}
	schema_free_model(m);
	cfg_errors_free(&e);
}

static void test_seed_failover(void **state)
{
	struct cfg_errors e = {0};
	struct model *m = NULL;
	char path[256], b[64];

	(void)state;
	assert_int_equal(cfg_parse_file(src_path("etc/lvsd-failover.ini", path,
						 sizeof(path)),
					NULL, &m, &e),
			 0);
	assert_string_equal(m->global.router_id, "LVS_Server");
	assert_int_equal(m->global.notification_email.n, 1);
	assert_string_equal(m->global.notification_email.v[0],
			    "root@dlp.srv.world");
	assert_string_equal(m->global.notification_email_from,
			    "root@dlp.srv.world");
	assert_string_equal(model_addrport_str(&m->global.smtp_server,
					       m->global.smtp_port, b,
					       sizeof(b)),
			    "127.0.0.1:25");
	assert_int_equal(m->global.smtp_connect_timeout_ms, 30000);

	assert_int_equal(m->n_vrrp, 1);
	const struct model_vrrp *v = &m->vrrp[0];
	assert_string_equal(v->name, "VI_1");
	assert_int_equal(v->state, LVSD_VRRP_BACKUP);
	assert_string_equal(v->interface, "eth0");
	assert_int_equal(v->vrid, 51);
	assert_int_equal(v->priority, 100);
	assert_false(v->preempt);
	assert_int_equal(v->advert_int_cs, 100);
	assert_int_equal(v->version, 2);
	assert_int_equal(v->family, AF_INET);
	assert_string_equal(v->auth_pass, "password");
	assert_int_equal(v->n_vips, 2);
	assert_string_equal(model_addr_str(&v->vips[0].addr, b, sizeof(b)),
			    "192.168.0.29");
	assert_int_equal(v->vips[0].prefix, 32);
	assert_string_equal(v->vips[0].ifname, "eth0");
	assert_string_equal(model_addr_str(&v->vips[1].addr, b, sizeof(b)),
			    "10.0.0.29");
	assert_int_equal(v->vips[1].prefix, 24);
	assert_string_equal(v->vips[1].ifname, "eth1");

	assert_int_equal(m->n_vs, 1);
	assert_string_equal(m->vs[0].scheduler, "rr");
	assert_int_equal(m->vs[0].protocol, IPPROTO_TCP);
	assert_int_equal(m->vs[0].check.delay_loop_ms, 3000);
	assert_int_equal(m->n_rs, 2);
	for (int i = 0; i < 2; i++) {
		const struct model_rs *rs = &m->rs[i];

		assert_string_equal(rs->checker, "HTTP_GET");
		assert_int_equal(rs->check.connect_timeout_ms, 3000);
		assert_int_equal(rs->check.delay_loop_ms, 3000); /* from VS */
		assert_int_equal(rs->n_opts, 2);
		assert_string_equal(rs->opts[0].key, "path");
		assert_string_equal(rs->opts[0].value, "/");
		assert_string_equal(rs->opts[1].key, "status_code");
		assert_string_equal(rs->opts[1].value, "200");
	}
	schema_free_model(m);
	cfg_errors_free(&e);
}

static void test_file_missing(void **state)
{
	struct cfg_errors e = {0};
	struct model *m = NULL;

	(void)state;
	assert_int_equal(cfg_parse_file("/nonexistent/lvsd.ini", NULL, &m, &e),
			 -ENOENT);
	assert_null(m);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.v[0].msg,
			    "/nonexistent/lvsd.ini: cannot open: No such file or directory");
	cfg_errors_free(&e);
}

/* A FIFO, a directory or a device at the config path is refused at once
 * (issue 12 item 9: a FIFO hung -t and reload). alarm() turns a hang into
 * a failure. */
static void expect_not_regular(const char *path, const char *kind)
{
	struct cfg_errors e = {0};
	struct model *m = NULL;
	char want[512];

	alarm(10);
	assert_int_equal(cfg_parse_file(path, NULL, &m, &e), -EINVAL);
	alarm(0);
	assert_null(m);
	assert_int_equal(e.n, 1);
	snprintf(want, sizeof(want),
		 "%s: is %s, not a regular file; give the path of the configuration file",
		 path, kind);
	assert_string_equal(e.v[0].msg, want);
	cfg_errors_free(&e);
}

static void test_file_not_regular(void **state)
{
	char dir[] = "/tmp/test_cfg.XXXXXX", fifo[64];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	expect_not_regular(fifo, "a FIFO");
	expect_not_regular(dir, "a directory");
	expect_not_regular("/dev/null", "a character device");
	unlink(fifo);
	rmdir(dir);
}

/* ------------------------------------------------------- error classes */

static void test_bad_value_line(void **state)
{
	(void)state;
	expect_one("; a comment\n"
		   "\n" VS_WEB
		   "\n"
		   "[real_server web 10.0.0.51:80]\n"
		   "weight = abc\n",
		   "t.ini:7: weight: expected an integer 0..2147483647, got 'abc'");
	expect_one(VS_WEB "delay_loop = 3x\n",
		   "t.ini:3: delay_loop: expected a duration from 1ms to 86400s (seconds: 3, 0.5; or 250ms, 2m), got '3x'");
	expect_one(VS_WEB "protocol = ICMP\n",
		   "t.ini:3: protocol: expected TCP, UDP or SCTP, got 'ICMP'");
	expect_one(VS_WEB "alpha = maybe\n",
		   "t.ini:3: alpha: expected yes/no/true/false/on/off/1/0, got 'maybe'");
}

static void test_unknown_section(void **state)
{
	(void)state;
	/* its keys are not reported one by one */
	expect_one("[global]\n[virtual_servers web]\naddress = 1.2.3.4:80\n",
		   "t.ini:2: unknown section [virtual_servers] (expected global, bgp, virtual_server, virtual_server_group, real_server, vrrp, vrrp_sync_group, vrrp_script, vrrp_track_file or vrrp_track_process)");
}

static void test_unknown_key(void **state)
{
	(void)state;
	expect_one("[global]\nrouter_id = a\nrouterid = b\n",
		   "t.ini:3: unknown key 'routerid' in [global]");
	expect_one(VS_WEB "[real_server web 10.0.0.1:80]\npath = /\n",
		   "t.ini:4: unknown key 'path' in [real_server web 10.0.0.1:80] (checker options need 'check = NAME')");
}

static void test_missing_required(void **state)
{
	struct res r;

	(void)state;
	r = parse("[global]\n\n[vrrp VI_1]\ninterface = eth0\nstate = BACKUP\n");
	assert_int_equal(r.rc, -EINVAL);
	assert_int_equal(r.e.n, 2);
	assert_string_equal(r.e.v[0].msg,
			    "t.ini:3: [vrrp VI_1]: missing required key 'virtual_router_id'");
	assert_string_equal(r.e.v[1].msg,
			    "t.ini:3: [vrrp VI_1]: missing required key 'virtual_ipaddress'");
	done(&r);
	expect_one("\n[virtual_server web]\nscheduler = rr\n",
		   "t.ini:2: [virtual_server web]: missing required key 'address' (or 'fwmark', or 'group')");
	expect_one("[vrrp_sync_group G]\nnotify_master = /bin/true\n",
		   "t.ini:1: [vrrp_sync_group G]: missing required key 'group'");
}

static void test_duplicate_vs(void **state)
{
	(void)state;
	expect_one(VS_WEB "\n[virtual_server web]\naddress = 1.2.3.4:80\n",
		   "t.ini:4: duplicate [virtual_server web] (first at line 1)");
	expect_one(VS_WEB "[virtual_server web2]\naddress = 192.168.0.29:80\n",
		   "t.ini:3: [virtual_server web2]: service TCP 192.168.0.29:80 is already [virtual_server web] at line 1");
	/* same address, other protocol: fine */
	struct res r = parse_ok(VS_WEB "[virtual_server dns]\naddress = 192.168.0.29:80\nprotocol = UDP\n");
	assert_int_equal(r.m->n_vs, 2);
	done(&r);
}

/* Issue 14 goal 4: each virtual server was checked against every earlier
 * one, and each real server looked its virtual server up by a scan: the
 * parse was quadratic in the virtual servers (50,000 real servers in
 * 5,000 virtual servers: 140e6 string compares). Hashed, 4x the file is
 * about 4x the CPU; quadratic it is about 16x. CPU time of this process,
 * the better of three runs each: a loaded machine cannot fake the ratio. */
static double parse_cpu(size_t nvs)
{
	size_t cap = nvs * 160 + 1, o = 0;
	char *text = malloc(cap);
	double best = 1e9;

	assert_non_null(text);
	for (size_t v = 0; v < nvs; v++)
		o += (size_t)snprintf(text + o, cap - o,
				      "[virtual_server v%zu]\naddress = 10.%zu.%zu.1:80\n"
				      "[real_server v%zu 10.200.%zu.%zu:80]\n",
				      v, v / 250, v % 250, v, v / 250, v % 250);
	for (int k = 0; k < 3; k++) {
		struct timespec a, b;
		struct res r;

		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
		r = parse(text);
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
		assert_int_equal(r.rc, 0);
		assert_int_equal(r.m->n_vs, nvs);
		done(&r);
		if ((double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9 < best)
			best = (double)(b.tv_sec - a.tv_sec) +
			       (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	}
	free(text);
	return best;
}

static void test_parse_linear_in_virtual_servers(void **state)
{
	double small, big;

	(void)state;
	small = parse_cpu(4000);
	big = parse_cpu(16000);
	print_message("parse: 4,000 virtual servers %.3f s, 16,000 %.3f s CPU (x%.1f)\n",
		      small, big, big / small);
	assert_true(big < 9 * small + 0.05);
}

static void test_duplicate_rs(void **state)
{
	(void)state;
	/* the second omits the port, which is the VS's: same real server */
	expect_one(VS_WEB "[real_server web 10.0.0.1:80]\n"
			  "[real_server web 10.0.0.1]\n",
		   "t.ini:4: duplicate real server 10.0.0.1:80 in virtual server web (first at line 3)");
}

static void test_duplicate_vrrp(void **state)
{
	(void)state;
	const char *vi = "interface = eth0\nvirtual_router_id = 51\n"
			 "virtual_ipaddress = 192.168.0.29\n";
	char buf[512];

	snprintf(buf, sizeof(buf), "[vrrp VI_1]\n%s[vrrp VI_1]\n%s", vi, vi);
	expect_one(buf, "t.ini:5: duplicate [vrrp VI_1] (first at line 1)");
	snprintf(buf, sizeof(buf), "[vrrp VI_1]\n%s[vrrp VI_2]\n%s", vi, vi);
	expect_one(buf,
		   "t.ini:5: [vrrp VI_2]: virtual_router_id 51 on eth0 (IPv4) is already used by [vrrp VI_1] at line 1");
	/* same VRID, other family: fine */
	snprintf(buf, sizeof(buf),
		 "[vrrp VI_1]\n%s[vrrp VI_6]\ninterface = eth0\n"
		 "virtual_router_id = 51\nvirtual_ipaddress = 2001:db8::1\n",
		 vi);
	struct res r = parse_ok(buf);
	assert_int_equal(r.m->n_vrrp, 2);
	done(&r);
}

static void test_unknown_references(void **state)
{
	struct res r;
	const char *vi = "interface = eth0\nvirtual_router_id = %d\n"
			 "virtual_ipaddress = 192.168.0.%d\n";
	char buf[512], a[128], b[128];

	(void)state;
	expect_one(VS_WEB "[real_server www 10.0.0.1:80]\n",
		   "t.ini:3: [real_server www 10.0.0.1:80]: unknown virtual server 'www'");
	snprintf(a, sizeof(a), vi, 1, 1);
	snprintf(b, sizeof(b), vi, 2, 2);
	snprintf(buf, sizeof(buf),
		 "[vrrp VI_1]\n%s[vrrp VI_2]\n%s"
		 "[vrrp_sync_group G1]\ngroup = VI_1 VI_3\n"
		 "[vrrp_sync_group G2]\ngroup = VI_2\ngroup = VI_1\n",
		 a, b);
	r = parse(buf);
	assert_int_equal(r.e.n, 2);
	assert_string_equal(r.e.v[0].msg,
			    "t.ini:10: group: unknown vrrp instance 'VI_3' in [vrrp_sync_group G1]");
	assert_string_equal(r.e.v[1].msg,
			    "t.ini:13: group: vrrp instance 'VI_1' is already in [vrrp_sync_group G1] (line 10)");
	done(&r);
}

static void test_sync_group_ok(void **state)
{
	struct res r;

	(void)state;
	r = parse_ok("[vrrp_sync_group G]\ngroup = VI_1,VI_2\n"
		     "notify_master = /usr/local/bin/notify master\n"
		     "[vrrp VI_1]\ninterface = eth0\nvirtual_router_id = 1\n"
		     "virtual_ipaddress = 10.0.0.1\n"
		     "[vrrp VI_2]\ninterface = eth1\nvirtual_router_id = 2\n"
		     "virtual_ipaddress = 10.0.1.1\n");
	assert_string_equal(r.m->vrrp[0].sync_group, "G");
	assert_string_equal(r.m->vrrp[1].sync_group, "G");
	assert_int_equal(r.m->sync[0].group.n, 2);
	assert_int_equal(r.m->sync[0].notify_master.n, 2);
	done(&r);
}

static void test_key_twice(void **state)
{
	(void)state;
	expect_one(VS_WEB "scheduler = rr\n\nscheduler = wlc\n",
		   "t.ini:5: duplicate key 'scheduler' in [virtual_server web] (first at t.ini:3)");
	/* an alias counts as the key */
	expect_one(VS_WEB "lvs_sched = rr\nscheduler = wlc\n",
		   "t.ini:4: duplicate key 'scheduler' in [virtual_server web] (first at t.ini:3)");
	/* in a real server section too: one error, not a second one about
	 * checker options (issue 12 item 10) */
	expect_one(VS_WEB "[real_server web 10.0.0.51:80]\nweight = 1\nweight = 2\n",
		   "t.ini:5: duplicate key 'weight' in [real_server web 10.0.0.51:80] (first at t.ini:4)");
	/* repeatable keys are fine */
	struct res r = parse_ok("[global]\nnotification_email = a@b.c\n"
				"notification_email = d@e.f\n");
	assert_int_equal(r.m->global.notification_email.n, 2);
	done(&r);
}

static void test_aliases(void **state)
{
	struct res r;

	(void)state;
	r = parse_ok(VS_WEB "lvs_sched = sh\nlvs_method = DR\nops = no\n"
			    "[real_server web 10.0.0.1]\ncheck = TCP\n"
			    "nb_get_retry = 4\n");
	assert_string_equal(r.m->vs[0].scheduler, "sh");
	assert_int_equal(r.m->vs[0].method, MODEL_METHOD_DR);
	assert_int_equal(r.m->rs[0].method, MODEL_METHOD_DR);
	assert_int_equal(r.m->rs[0].check.retry, 4);
	done(&r);
}

static void test_long_line(void **state)
{
	char text[1024];
	char value[300];
	struct res r;

	(void)state;
	memset(value, 'x', 250);
	value[250] = '\0';
	/* line 3 has 14 + 250 = 264 chars; the error after it is on line 5 */
	snprintf(text, sizeof(text),
		 VS_WEB "virtualhost = %s\n"
			"scheduler = rr\n"
			"weight = 3\n",
		 value);
	r = parse_so(text);
	assert_int_equal(r.e.n, 2);
	assert_string_equal(r.e.v[0].msg,
			    "t.ini:3: line too long (264 chars, at most 199)");
	assert_string_equal(r.e.v[1].msg,
			    "t.ini:5: unknown key 'weight' in [virtual_server web]: neither a virtual_server key nor an option of scheduler rr");
	done(&r);

	/* 200 chars is one too many, 199 is fine */
	memset(value, 'x', 186);
	value[186] = '\0';
	snprintf(text, sizeof(text), VS_WEB "virtualhost = %s\n", value);
	r = parse(text);
	assert_int_equal(r.e.n, 1);
	assert_string_equal(r.e.v[0].msg,
			    "t.ini:3: line too long (200 chars, at most 199)");
	done(&r);
	value[185] = '\0';
	snprintf(text, sizeof(text), VS_WEB "virtualhost = %s\n", value);
	r = parse_ok(text);
	assert_int_equal(strlen(r.m->vs[0].virtualhost), 185);
	done(&r);
}

static void test_continuation_lines(void **state)
{
	struct res r;

	(void)state;
	/* repeatable key: each continuation line is one more value; the
	 * errors after them keep their real line numbers */
	r = parse("[vrrp VI_1]\n"                /* 1 */
		  "interface = eth0\n"           /* 2 */
		  "virtual_router_id = 7\n"      /* 3 */
		  "virtual_ipaddress =\n"        /* 4 */
		  "    10.0.0.1/24\n"            /* 5 */
		  "    ; a comment\n"            /* 6 */
		  "    10.0.0.2 dev eth1\n"      /* 7 */
		  "    10.0.0.3 brd x\n"         /* 8 */
		  "priority = 300\n");           /* 9 */
	assert_int_equal(r.e.n, 2);
	assert_string_equal(r.e.v[0].msg,
			    "t.ini:8: virtual_ipaddress: unknown option 'brd' (only 'dev IFACE' is supported)");
	assert_string_equal(r.e.v[1].msg,
			    "t.ini:9: priority: expected an integer 1..255, got '300'");
	done(&r);

	r = parse_ok("[vrrp VI_1]\ninterface = eth0\nvirtual_router_id = 7\n"
		     "virtual_ipaddress = 10.0.0.1/24\n"
		     "\t10.0.0.2 dev eth1 ; inline comment\n"
		     "notify_master = /usr/bin/logger -t lvsd\n"
		     "   \"became master\"\n");
	assert_int_equal(r.m->vrrp[0].n_vips, 2);
	assert_string_equal(r.m->vrrp[0].vips[1].ifname, "eth1");
	assert_int_equal(r.m->vrrp[0].notify_master.n, 4);
	assert_string_equal(r.m->vrrp[0].notify_master.v[3], "became master");
	done(&r);
}

static void test_indented_keys(void **state)
{
	struct res r;

	(void)state;
	/* indented "key = value" lines are keys, not continuations */
	r = parse_ok(VS_WEB "[real_server web 10.0.0.1:80]\n"
			    "    weight = 5\n"
			    "    check = HTTP_GET\n"
			    "    path = /health\n");
	assert_int_equal(r.m->rs[0].weight, 5);
	assert_string_equal(r.m->rs[0].checker, "HTTP_GET");
	assert_int_equal(r.m->rs[0].n_opts, 1);
	done(&r);
}

static void test_comments_and_crlf(void **state)
{
	struct res r;

	(void)state;
	r = parse_so("# hash comment\r\n"
		  "; semicolon comment\r\n"
		  "[virtual_server web] ; trailing comment\r\n"
		  "address = 1.2.3.4:80 ; inline comment\r\n"
		  "\r\n"
		  "scheduler = rr\r\n"
		  "bogus = 1\r\n");
	assert_int_equal(r.e.n, 1);
	assert_string_equal(r.e.v[0].msg,
			    "t.ini:7: unknown key 'bogus' in [virtual_server web]: neither a virtual_server key nor an option of scheduler rr");
	done(&r);
	/* '#' does not start an inline comment: part of the value */
	r = parse(VS_WEB "virtualhost = www.example.com # x\n");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.m->vs[0].virtualhost, "www.example.com # x");
	done(&r);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	expect_one(VS_WEB "[vrrp VI_1\n",
		   "t.ini:3: section header without closing ']': [vrrp VI_1");
	expect_one(VS_WEB "alpha\n",
		   "t.ini:3: expected 'key = value', got 'alpha' (a flag needs a value: 'alpha = yes')");
	expect_one("router_id = x\n[global]\n",
		   "t.ini:1: 'router_id' outside of any section (put [global] or another section header above it)");
	expect_one("[global] x\n",
		   "t.ini:1: unexpected text after section header: [global] x");
	expect_one("[virtual_server]\n",
		   "t.ini:1: expected [virtual_server NAME], got [virtual_server]");
	expect_one("[virtual_server a/b]\n",
		   "t.ini:1: bad name 'a/b' in [virtual_server]: use letters, digits, '_', '.', '-' (at most 63)");
	expect_one("[global]\n[global]\n",
		   "t.ini:2: duplicate section [global] (first at line 1)");
}

static void test_many_errors(void **state)
{
	struct res r;

	(void)state;
	r = parse("[global]\n"                         /* 1 */
		  "log_level = loud\n"                 /* 2 */
		  "[virtual_server web]\n"             /* 3 */
		  "address = 1.2.3.4:99999\n"          /* 4 */
		  "persistence_timeout = -1\n"         /* 5 */
		  "[real_server web 10.0.0.300:80]\n"  /* 6 */
		  "weight = 1\n"                       /* 7 */
		  "[vrrp VI_1]\n"                      /* 8 */
		  "interface = eth0\n"                 /* 9 */
		  "virtual_router_id = 0\n"            /* 10 */
		  "virtual_ipaddress = 10.0.0.1/33\n"  /* 11 */
		  "auth_type = AH\n"                   /* 12 */
		  "[bogus]\n");                        /* 13 */
	assert_int_equal(r.rc, -EINVAL);
	assert_true(has(&r, "t.ini:2: ", "log_level: expected err, warning"));
	assert_true(has(&r, "t.ini:4: ", "address: expected IP:PORT"));
	assert_true(has(&r, "t.ini:5: ", "persistence_timeout: expected an integer 0..31536000, got '-1'"));
	assert_true(has(&r, "t.ini:6: ", "bad real server address '10.0.0.300:80'"));
	assert_true(has(&r, "t.ini:10: ", "virtual_router_id: expected an integer 1..255, got '0'"));
	assert_true(has(&r, "t.ini:11: ", "virtual_ipaddress: expected ADDR[/PREFIX] [dev IFACE], got '10.0.0.1/33'"));
	assert_true(has(&r, "t.ini:12: ", "auth_type: AH is not supported"));
	assert_true(has(&r, "t.ini:13: ", "unknown section [bogus]"));
	assert_int_equal(r.e.n, 8);
	/* sorted by line */
	for (size_t i = 1; i < r.e.n; i++)
		assert_true(r.e.v[i - 1].line <= r.e.v[i].line);
	done(&r);
}

/* --------------------------------------------------------------- hooks */

static int h_sched(void *arg, const char *name, char *err, size_t len)
{
	(void)arg;
	(void)err;
	(void)len;
	return strcmp(name, "rr") == 0 || strcmp(name, "mh") == 0 ? 0
								  : -ENOENT;
}

static int h_flag(void *arg, const char *sched, const char *flag,
		  uint32_t *bit, char *err, size_t len)
{
	(void)arg;
	if (strcmp(sched, "mh") == 0 && strcmp(flag, "mh-port") == 0) {
		*bit = IP_VS_SVC_F_SCHED2;
		return 0;
	}
	if (strcmp(flag, "mh-port") == 0) {
		snprintf(err, len, "flag %s is only for mh", flag);
		return -EINVAL;
	}
	return -ENOENT;
}

static int h_checker(void *arg, const char *name, char *err, size_t len)
{
	(void)arg;
	(void)err;
	(void)len;
	return strcmp(name, "HTTP_GET") == 0 || strcmp(name, "TCP") == 0
		       ? 0
		       : -ENOENT;
}

static int h_option(void *arg, const char *checker, const char *key,
		    const char *value, char *err, size_t len)
{
	int *calls = arg;

	(*calls)++;
	if (strcmp(checker, "HTTP_GET") != 0)
		return -ENOENT;
	if (strcmp(key, "path") == 0 || strcmp(key, "virtualhost") == 0)
		return 0;
	if (strcmp(key, "status_code") == 0) {
		if (atoi(value) >= 100 && atoi(value) <= 599)
			return 0;
		snprintf(err, len, "expected an HTTP status 100..599, got '%s'",
			 value);
		return -EINVAL;
	}
	return -ENOENT;
}

static void test_hooks(void **state)
{
	int calls = 0;
	struct cfg_hooks h = {&calls, h_sched, h_flag, h_checker, h_option, NULL, NULL, NULL};
	struct res r;

	(void)state;
	r = parse_h(VS_WEB "scheduler = foo\n"                  /* 3 */
			   "[virtual_server b]\naddress = 1.1.1.1:1\n"
			   "scheduler = rr\nsched_flags = mh-port\n" /* 7 */
			   "[virtual_server c]\naddress = 1.1.1.2:1\n"
			   "scheduler = mh\nsched_flags = mh-port, x\n" /* 11 */
			   "[real_server b 10.0.0.1]\n"              /* 12 */
			   "check = HTTP_GET\n"                      /* 13 */
			   "path = /\n"                              /* 14 */
			   "digest = abc\n"                          /* 15 */
			   "status_code = 999\n"                     /* 16 */
			   "[real_server b 10.0.0.2]\n"              /* 17 */
			   "check = PING\n"                          /* 18 */
			   "foo = bar\n",                            /* 19 */
		    &h);
	assert_int_equal(r.e.n, 6);
	assert_string_equal(r.e.v[0].msg, "t.ini:3: scheduler: unknown scheduler 'foo'");
	assert_string_equal(r.e.v[1].msg, "t.ini:7: sched_flags: flag mh-port is only for mh");
	assert_string_equal(r.e.v[2].msg, "t.ini:11: sched_flags: unknown flag 'x' for scheduler mh");
	assert_string_equal(r.e.v[3].msg,
			    "t.ini:15: unknown key 'digest' in [real_server b 10.0.0.1]: neither a real_server key nor an option of checker HTTP_GET");
	assert_string_equal(r.e.v[4].msg,
			    "t.ini:16: status_code: expected an HTTP status 100..599, got '999'");
	/* an unknown checker: its options are not reported as well */
	assert_string_equal(r.e.v[5].msg, "t.ini:18: check: unknown checker 'PING'");
	assert_int_equal(calls, 3);
	done(&r);

	r = parse_h(VS_WEB "scheduler = mh\nsched_flags = mh-port\n"
			   "virtualhost = www.example.com\n"
			   "[real_server web 10.0.0.1]\ncheck = HTTP_GET\n"
			   "[real_server web 10.0.0.2]\ncheck = TCP\n",
		    &h);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.m->vs[0].sched_flag_bits, IP_VS_SVC_F_SCHED2);
	/* the VS's virtualhost goes to the checker that knows it */
	assert_int_equal(r.m->rs[0].n_opts, 1);
	assert_string_equal(r.m->rs[0].opts[0].key, "virtualhost");
	assert_string_equal(r.m->rs[0].opts[0].value, "www.example.com");
	assert_int_equal(r.m->rs[0].opts[0].line, 5);
	assert_int_equal(r.m->rs[1].n_opts, 0);
	done(&r);
}

static void test_no_hooks(void **state)
{
	struct res r;

	(void)state;
	/* Without plugins (the first parse, that finds plugin_dir) a
	 * scheduler's own flag names and options are taken as written: only
	 * the plugin knows them (issue 18: "unknown flag 'fallback' for
	 * scheduler acme-mh" when the plugin directory could not be read). */
	r = parse_ok(VS_WEB "scheduler = acme-mh\n"
			    "sched_flags = fallback, port flag-3\n"
			    "slow_ms = 50\n"
			    "[real_server web 10.0.0.1]\ncheck = MY_CHECK\n"
			    "whatever = 1 2 3\n");
	assert_int_equal(r.m->vs[0].sched_flag_bits, 0);
	assert_int_equal(r.m->vs[0].sched_flags.n, 3);
	assert_string_equal(r.m->vs[0].sched_flags.v[1], "port");
	assert_int_equal(r.m->vs[0].n_sched_opts, 1);
	assert_string_equal(r.m->vs[0].sched_opts[0].key, "slow_ms");
	assert_string_equal(r.m->vs[0].sched_opts[0].value, "50");
	assert_int_equal(r.m->vs[0].sched_opts[0].line, 5);
	assert_string_equal(r.m->rs[0].opts[0].value, "1 2 3");
	done(&r);
}

/* A [virtual_server]'s keys that are not lvsd's go to its scheduler, as a
 * [real_server]'s go to its checker: FILE:LINE errors. */
static void test_sched_options(void **state)
{
	struct res r;

	(void)state;
	r = parse_so(VS_WEB "scheduler = acme\nslow_ms = 50\n");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.m->vs[0].n_sched_opts, 1);
	assert_string_equal(r.m->vs[0].sched_opts[0].value, "50");
	done(&r);
	r = parse_so(VS_WEB "scheduler = acme\n"
			    "slow_ms = 0\n"                   /* 4 */
			    "slow_msec = 5\n"                 /* 5 */
			    "[virtual_server b]\naddress = 1.1.1.1:1\n"
			    "slow_ms = 5\n"                   /* 8: wlc has none */
			    "[virtual_server c]\naddress = 1.1.1.2:1\n"
			    "scheduler = acme\nslow_ms = 5\nslow_ms = 6\n"); /* 12, 13 */
	assert_int_equal(r.e.n, 4);
	assert_string_equal(r.e.v[0].msg, "t.ini:4: slow_ms: expected 1..1000 ms, got '0'");
	assert_string_equal(r.e.v[1].msg, "t.ini:5: unknown key 'slow_msec' in [virtual_server web]: neither a virtual_server key nor an option of scheduler acme");
	assert_string_equal(r.e.v[2].msg, "t.ini:8: unknown key 'slow_ms' in [virtual_server b]: neither a virtual_server key nor an option of scheduler wlc");
	assert_string_equal(r.e.v[3].msg, "t.ini:13: duplicate key 'slow_ms' in [virtual_server c] (first at t.ini:12)");
	done(&r);
}

/* ---------------------------------------------------------- semantics */

static void test_inheritance(void **state)
{
	struct res r;

	(void)state;
	r = parse_ok("[global]\ndelay_loop = 10\nretry = 5\nwarmup = 2\n"
		     "connect_timeout = 4\n"
		     VS_WEB "delay_loop = 6\ninhibit_on_failure = yes\n"
		     "slowstart = 30\nmethod = DR\n"
		     "[real_server web 10.0.0.1]\ncheck = TCP\n"
		     "retry = 2\ndelay_before_retry = 0.5\n"
		     "[real_server web 10.0.0.2]\ncheck = TCP\n"
		     "method = TUN\ninhibit_on_failure = no\nslowstart = 0\n"
		     "delay_loop = 250ms\n");
	const struct model_vs *vs = &r.m->vs[0];
	const struct model_rs *a = &r.m->rs[0], *b = &r.m->rs[1];

	assert_int_equal(vs->check.delay_loop_ms, 6000);
	assert_int_equal(vs->check.retry, 5);
	assert_int_equal(vs->check.warmup_ms, 2000);
	assert_int_equal(vs->check.connect_timeout_ms, 4000);
	assert_int_equal(vs->check.delay_before_retry_ms, 1000); /* default */
	assert_int_equal(a->check.delay_loop_ms, 6000);
	assert_int_equal(a->check.retry, 2);
	assert_int_equal(a->check.delay_before_retry_ms, 500);
	assert_int_equal(a->check.warmup_ms, 2000);
	assert_int_equal(a->check.connect_timeout_ms, 4000);
	assert_int_equal(a->check.set, MODEL_CHK_RETRY | MODEL_CHK_DELAY_BEFORE_RETRY);
	assert_int_equal(a->method, MODEL_METHOD_DR);
	assert_true(a->inhibit_on_failure);
	assert_int_equal(a->slowstart_ms, 30000);
	assert_int_equal(b->check.delay_loop_ms, 250);
	assert_int_equal(b->method, MODEL_METHOD_TUN);
	assert_false(b->inhibit_on_failure);
	assert_int_equal(b->slowstart_ms, 0);
	done(&r);
}

/* Agent checks: keys at both levels, inherited, then defaulted from
 * the real server's delay_loop and connect_timeout. */
static void test_agent_keys(void **state)
{
	struct res r;

	(void)state;
	r = parse_ok("[global]\nconnect_timeout = 4\n"
		     VS_WEB "delay_loop = 6\nagent_port = 9999\n"
		     "[real_server web 10.0.0.1]\n"
		     "[real_server web 10.0.0.2]\nagent_port = 8888\n"
		     "agent_interval = 500ms\nagent_timeout = 0.2\n"
		     "[virtual_server two]\naddress = 192.168.0.29:81\n"
		     "agent_interval = 2\nagent_timeout = 3\n"
		     "[real_server two 10.0.0.3]\n"
		     "[real_server two 10.0.0.4]\nagent_port = 7777\n");
	const struct model_rs *a = &r.m->rs[0], *b = &r.m->rs[1];
	const struct model_rs *c = &r.m->rs[2], *d = &r.m->rs[3];

	assert_int_equal(r.m->vs[0].agent_port, 9999);
	assert_int_equal(a->agent_port, 9999);
	assert_int_equal(a->agent_interval_ms, 6000);  /* delay_loop */
	assert_int_equal(a->agent_timeout_ms, 4000);   /* connect_timeout */
	assert_int_equal(b->agent_port, 8888);
	assert_int_equal(b->agent_interval_ms, 500);
	assert_int_equal(b->agent_timeout_ms, 200);
	assert_int_equal(c->agent_port, 0);             /* none */
	assert_int_equal(d->agent_port, 7777);
	assert_int_equal(d->agent_interval_ms, 2000);   /* the VS's */
	assert_int_equal(d->agent_timeout_ms, 3000);
	done(&r);
	expect_one(VS_WEB "[real_server web 10.0.0.1]\nagent_port = 0\n",
		   "t.ini:4: agent_port: expected an integer 1..65535, got '0'");
	expect_one(VS_WEB "agent_port = 70000\n", "t.ini:3: agent_port: expected an integer 1..65535, got '70000'");
	expect_one(VS_WEB "[real_server web 10.0.0.1]\nagent_interval = 0\n",
		   "t.ini:4: agent_interval: expected a duration from 1ms to 86400s "
		   "(seconds: 3, 0.5; or 250ms, 2m), got '0'");
	expect_one(VS_WEB "[real_server web 10.0.0.1]\nagent_timeout = x\n",
		   "t.ini:4: agent_timeout: expected a duration from 1ms to 3600s "
		   "(seconds: 3, 0.5; or 250ms, 2m), got 'x'");
}

static void test_defaults(void **state)
{
	struct res r;

	(void)state;
	r = parse_ok(VS_WEB "[real_server web 10.0.0.1]\n");
	assert_string_equal(r.m->global.control_socket, "/run/lvsd/lvsd.sock");
	assert_string_equal(r.m->global.state_file, "/var/lib/lvsd/state");
	assert_string_equal(r.m->global.snmp_socket, "/var/agentx/master");
	assert_false(r.m->global.snmp);
	assert_true(r.m->global.snmp_traps);
	assert_null(r.m->global.control_group);
	assert_int_equal(r.m->global.log_level, LVSD_LOG_INFO);
	assert_string_equal(r.m->vs[0].scheduler, "wlc");
	assert_int_equal(r.m->vs[0].protocol, IPPROTO_TCP);
	assert_int_equal(r.m->vs[0].quorum, 1);
	assert_int_equal(r.m->vs[0].check.delay_loop_ms, 60000);
	assert_int_equal(r.m->vs[0].persistence_granularity, 0xffffffffu);
	assert_int_equal(r.m->rs[0].weight, 1);
	assert_int_equal(r.m->rs[0].port, 80);
	done(&r);
}

static void test_ipv6(void **state)
{
	struct res r;
	char b[64];

	(void)state;
	r = parse_ok("[virtual_server web6]\naddress = [2001:db8::1]:443\n"
		     "persistence_timeout = 300\n"
		     "persistence_granularity = 64\n"
		     "sorry_server = [2001:db8::99]\n"
		     "[real_server web6 [2001:db8::5]:8443]\n"
		     "[real_server web6 [2001:db8::6]]\n"
		     "[real_server web6 2001:db8::7]\n"
		     "connect_ip = 2001:db8::77\n"
		     "[vrrp VI_6]\ninterface = eth0\nvirtual_router_id = 9\n"
		     "virtual_ipaddress = 2001:db8::1/64\n"
		     "unicast_peer = fe80::2\nadvert_int = 0.5\n");
	const struct model_vs *vs = &r.m->vs[0];

	assert_int_equal(vs->af, AF_INET6);
	assert_string_equal(model_vs_key_str(vs, b, sizeof(b)),
			    "TCP [2001:db8::1]:443");
	assert_int_equal(vs->persistence_granularity, 64);
	assert_string_equal(model_addrport_str(&vs->sorry_server,
					       vs->sorry_port, b, sizeof(b)),
			    "[2001:db8::99]:443");
	assert_int_equal(r.m->n_rs, 3);
	assert_string_equal(model_addrport_str(&r.m->rs[0].addr,
					       r.m->rs[0].port, b, sizeof(b)),
			    "[2001:db8::5]:8443");
	assert_int_equal(r.m->rs[1].port, 443);
	assert_int_equal(r.m->rs[2].port, 443);
	assert_string_equal(model_addr_str(&r.m->rs[2].connect_ip, b, sizeof(b)),
			    "2001:db8::77");
	assert_non_null(model_find_rs(r.m, "web6", &r.m->rs[0].addr, 8443));
	assert_null(model_find_rs(r.m, "web6", &r.m->rs[0].addr, 443));
	const struct model_vrrp *v = &r.m->vrrp[0];
	assert_int_equal(v->family, AF_INET6);
	assert_int_equal(v->version, 3); /* IPv6 needs VRRPv3 */
	assert_int_equal(v->advert_int_cs, 50);
	assert_int_equal(v->vips[0].prefix, 64);
	done(&r);

	expect_one("[vrrp V]\ninterface = eth0\nvirtual_router_id = 9\n"
		   "version = 2\nvirtual_ipaddress = 2001:db8::1\n",
		   "t.ini:4: version: VRRP version 2 is IPv4 only; use version = 3 for IPv6 addresses");
	expect_one(VS_WEB "[real_server web [2001:db8::5]:80]\n",
		   "t.ini:3: [real_server web [2001:db8::5]:80]: an IPv6 real server in an IPv4 virtual server needs method = TUN");
	expect_one("[virtual_server w]\naddress = [2001:db8::1]:80\n"
		   "persistence_granularity = 255.255.255.0\n",
		   "t.ini:3: persistence_granularity: expected an IPv6 prefix length 1..128, got '255.255.255.0'");
}

static void test_fwmark(void **state)
{
	struct res r;
	char b[64];

	(void)state;
	r = parse_ok("[virtual_server fw]\nfwmark = 7\nfamily = inet6\n"
		     "[real_server fw [2001:db8::5]]\n"
		     "[real_server fw [2001:db8::6]:8080]\n"
		     "[virtual_server fw4]\nfwmark = 7\n"
		     "persistence_granularity = 255.255.255.0\n");
	assert_int_equal(r.m->vs[0].fwmark, 7);
	assert_int_equal(r.m->vs[0].af, AF_INET6);
	assert_string_equal(model_vs_key_str(&r.m->vs[0], b, sizeof(b)),
			    "FWM 7 inet6");
	assert_int_equal(r.m->rs[0].port, 0);
	assert_int_equal(r.m->rs[1].port, 8080);
	assert_int_equal(r.m->vs[1].af, AF_INET);
	assert_int_equal(r.m->vs[1].persistence_granularity, htonl(0xffffff00u));
	done(&r);
	expect_one("[virtual_server a]\nfwmark = 7\n[virtual_server b]\nfwmark = 7\n",
		   "t.ini:3: [virtual_server b]: service FWM 7 inet is already [virtual_server a] at line 1");
	expect_one("[virtual_server a]\nfwmark = 7\naddress = 1.2.3.4:80\n",
		   "t.ini:3: 'address' and 'fwmark' exclude each other (lines 2 and 3)");
}

/* [virtual_server_group]: addresses, ranges and fwmarks mixed; group =
 * instead of address/fwmark; real servers without a port take each
 * member's; and every mistake refused at its line. */
static void test_vs_group(void **state)
{
	struct res r;
	const struct model_vs *vs;
	char b[96];

	(void)state;
	r = parse_ok("[virtual_server web]\ngroup = G\nscheduler = rr\n"
		     "[real_server web 10.0.1.1]\n"
		     "[real_server web 10.0.1.2:8080]\n"
		     "[virtual_server_group G]\n"
		     "address = 10.0.0.1:80\n"
		     "address = 10.0.0.10-12:80\n"
		     "fwmark = 7\nfwmark = 8\n"
		     "[virtual_server_group G6]\n"
		     "address = [2001:db8::9-a]:443\nfwmark = 9\n"
		     "[virtual_server w6]\ngroup = G6\n"
		     "[virtual_server other]\naddress = 10.0.0.2:80\n");
	vs = &r.m->vs[0];
	assert_string_equal(vs->group, "G");
	assert_int_equal(vs->af, AF_INET);
	assert_int_equal(model_vs_n_svc(vs), 6);
	assert_string_equal(model_vs_svc_name(vs, 0, b, sizeof(b)), "web[10.0.0.1:80]");
	assert_string_equal(model_vs_svc_name(vs, 3, b, sizeof(b)), "web[10.0.0.12:80]");
	assert_string_equal(model_vs_svc_name(vs, 5, b, sizeof(b)), "web[fwmark 8]");
	{
		struct model_vs one;

		model_vs_svc(vs, 4, &one);
		assert_string_equal(model_vs_key_str(&one, b, sizeof(b)), "FWM 7 inet");
		model_vs_svc(vs, 2, &one);
		assert_string_equal(model_vs_key_str(&one, b, sizeof(b)),
				    "TCP 10.0.0.11:80");
	}
	assert_int_equal(r.m->rs[0].port, 0);   /* each member's */
	assert_int_equal(r.m->rs[1].port, 8080);
	assert_int_equal(r.m->vs[1].af, AF_INET6);
	assert_int_equal(model_vs_n_svc(&r.m->vs[1]), 3);
	assert_int_equal(model_vs_n_svc(&r.m->vs[2]), 1);
	done(&r);

	expect_one("[virtual_server web]\ngroup = NOPE\n",
		   "t.ini:2: [virtual_server web]: group: unknown [virtual_server_group NOPE]");
	expect_one("[virtual_server_group E]\n[virtual_server web]\ngroup = E\n",
		   "t.ini:1: [virtual_server_group E] is empty: give it 'address = IP:PORT' or 'fwmark = N' lines");
	expect_one("[virtual_server_group G]\nfwmark = 1\n"
		   "[virtual_server web]\ngroup = G\naddress = 10.0.0.1:80\n",
		   "t.ini:5: 'group' and 'address' exclude each other (lines 4 and 5): the group's members are the services");
	expect_one("[virtual_server_group G]\nfwmark = 1\n"
		   "[virtual_server web]\nfwmark = 2\ngroup = G\n",
		   "t.ini:5: 'group' and 'fwmark' exclude each other (lines 4 and 5): the group's members are the services");
	/* overlapping services: a group's with a plain one, two groups' */
	expect_one("[virtual_server_group G]\naddress = 10.0.0.1-5:80\n"
		   "[virtual_server a]\naddress = 10.0.0.3:80\n"
		   "[virtual_server web]\ngroup = G\n",
		   "t.ini:6: [virtual_server web]: service TCP 10.0.0.3:80 of [virtual_server_group G] (line 2) is already [virtual_server a] at line 3");
	expect_one("[virtual_server_group G]\nfwmark = 1\nfwmark = 2\n"
		   "[virtual_server_group H]\nfwmark = 3\nfwmark = 2\n"
		   "[virtual_server a]\ngroup = G\n"
		   "[virtual_server b]\ngroup = H\n",
		   "t.ini:10: [virtual_server b]: service FWM 2 inet of [virtual_server_group H] (line 6) is already one of [virtual_server a] (line 8)");
	/* the same group twice is every service twice */
	expect_one("[virtual_server_group G]\nfwmark = 1\n"
		   "[virtual_server a]\ngroup = G\n[virtual_server b]\ngroup = G\n",
		   "t.ini:6: [virtual_server b]: service FWM 1 inet of [virtual_server_group G] (line 2) is already one of [virtual_server a] (line 4)");
	/* a different protocol is another service */
	r = parse_ok("[virtual_server_group G]\naddress = 10.0.0.1:53\n"
		     "[virtual_server a]\ngroup = G\nprotocol = UDP\n"
		     "[virtual_server b]\naddress = 10.0.0.1:53\n");
	done(&r);
	expect_one("[virtual_server_group G]\naddress = 10.0.0.10-9:80\n",
		   "t.ini:2: address: bad range in '10.0.0.10-9:80': the last octet must be from 10 to 255");
	expect_one("[virtual_server_group G]\naddress = 10.0.0.1-256:80\n",
		   "t.ini:2: address: bad range in '10.0.0.1-256:80': the last octet must be from 1 to 255");
	expect_one("[virtual_server_group G]\naddress = [2001:db8::1-1ff]:80\n",
		   "t.ini:2: address: range '[2001:db8::1-1ff]:80' is 511 addresses, more than 256");
	expect_one("[virtual_server_group G]\naddress = 10.0.0.1-x:80\n",
		   "t.ini:2: address: expected a range IP-LAST:PORT (IPv4: the last octet, 10.0.0.1-10:80; IPv6: the last group in hex, [2001:db8::1-a]:80), got '10.0.0.1-x:80'");
	expect_one("[virtual_server_group G]\naddress = 10.0.0.1\n",
		   "t.ini:2: address: expected IP:PORT, IP-LAST:PORT or [IPv6]:PORT, got '10.0.0.1'");
	expect_one("[virtual_server_group G]\nfwmark = 0\n",
		   "t.ini:2: fwmark: expected an integer 1..4294967295, got '0'");
	expect_one("[virtual_server_group G]\naddress = 10.0.0.1-3:80\naddress = 10.0.0.2:80\n",
		   "t.ini:3: [virtual_server_group G]: 10.0.0.2:80 given twice (first at line 2)");
	expect_one("[virtual_server_group G]\nfwmark = 1\ncolor = red\n",
		   "t.ini:3: unknown key 'color' in [virtual_server_group G] (expected address or fwmark)");
	expect_one("[virtual_server_group G]\nfwmark = 1\n[virtual_server_group G]\nfwmark = 2\n",
		   "t.ini:3: duplicate [virtual_server_group G] (first at line 1)");
	expect_one("[virtual_server_group G]\naddress = 10.0.0.1:80\naddress = [::1]:80\n"
		   "[virtual_server a]\ngroup = G\n",
		   "t.ini:3: [virtual_server_group G]: [::1]:80 is not of the family of the addresses before it (one family per group)");
	expect_one("[virtual_server_group G]\naddress = 10.0.0.1:80\n"
		   "[virtual_server a]\ngroup = G\nfamily = inet6\n",
		   "t.ini:4: [virtual_server a]: family inet6 does not match the addresses of [virtual_server_group G]");
}

static void test_notify_argv(void **state)
{
	struct res r;

	(void)state;
	r = parse_ok(VS_WEB "[real_server web 10.0.0.1]\n"
			    "notify_up = /usr/bin/logger -t 'lvsd up' \"rs is up\" a\\ b x\"y z\"\n"
			    "notify_down = /bin/sh -c 'echo \"down\"'\n");
	const struct model_strv *up = &r.m->rs[0].notify_up;
	assert_int_equal(up->n, 6);
	assert_string_equal(up->v[0], "/usr/bin/logger");
	assert_string_equal(up->v[1], "-t");
	assert_string_equal(up->v[2], "lvsd up");
	assert_string_equal(up->v[3], "rs is up");
	assert_string_equal(up->v[4], "a b");
	assert_string_equal(up->v[5], "xy z");
	assert_null(up->v[6]);
	assert_int_equal(r.m->rs[0].notify_down.n, 3);
	assert_string_equal(r.m->rs[0].notify_down.v[2], "echo \"down\"");
	done(&r);
	expect_one(VS_WEB "quorum_up = /bin/echo \"abc\n",
		   "t.ini:3: quorum_up: bad command line: unterminated double quote at column 11");
	expect_one(VS_WEB "quorum_up = /bin/echo ''\n",
		   "t.ini:3: quorum_up: bad command line: empty quotes ''");
	expect_one(VS_WEB "quorum_up = \n",
		   "t.ini:3: quorum_up: bad command line: empty command");
}

/* Every key that holds a command is checked by the program hook, with its
 * FILE:LINE (issue 12 item 7; the hook of lvsd is progcheck_line). */
static int h_program(void *arg, const char *line, char *err, size_t len)
{
	(void)arg;
	return progcheck_line(line, PROGCHECK_ALL, err, len);
}

static void test_commands_checked(void **state)
{
	struct cfg_hooks h = { .program = h_program };
	struct res r;

	(void)state;
	r = parse_h(VS_WEB "quorum_up = /bin/echo up > /tmp/f\n"          /* 3 */
			   "quorum_down = /bin/true\n"                       /* 4 */
			   "[real_server web 10.0.0.1:80]\n"                /* 5 */
			   "notify_up = /nonexistent/lvsd-up.sh\n"          /* 6 */
			   "notify_down = \"/bin/true down\"\n"             /* 7 */
			   "[vrrp v]\ninterface = lo\nvirtual_router_id = 1\n" /* 10 */
			   "priority = 100\nvirtual_ipaddress = 10.0.0.9/32\n"  /* 12 */
			   "notify_master = /bin/echo $(hostname)\n"        /* 13 */
			   "notify_backup = /bin/sh -c 'echo b > /tmp/f'\n" /* 14 */
			   "notify_fault = /etc/passwd\n"                 /* 15 */
			   "[vrrp_sync_group g]\ngroup = v\n"              /* 17 */
			   "notify_master = no-such-program-lvsd\n",        /* 18 */
		    &h);
	assert_int_equal(r.rc, -EINVAL);
	assert_true(has(&r, "t.ini:3: quorum_up: '>' is shell syntax", "/bin/sh -c"));
	assert_true(has(&r, "t.ini:6: notify_up: program '/nonexistent/lvsd-up.sh' does not exist", ""));
	assert_true(has(&r, "t.ini:7: notify_down: program '/bin/true down' has a blank", "without the outer quotes"));
	assert_true(has(&r, "t.ini:13: notify_master: '$(' is shell syntax", ""));
	assert_true(has(&r, "t.ini:15: notify_fault: program '/etc/passwd' is not executable", ""));
	assert_true(has(&r, "t.ini:18: notify_master: program 'no-such-program-lvsd' not found in PATH", ""));
	assert_int_equal(r.e.n, 6);
	done(&r);
	/* without the hook (plugin-less pre-parse, tools) commands are taken
	 * as they are */
	r = parse_ok(VS_WEB "quorum_up = /nonexistent/x > /tmp/f\n");
	done(&r);
}

/* A parked sorry server equal to one of the real servers (issue 12 item
 * 6) made the IPVS plan fail: an error at -t. Without sorry_server_inhibit
 * the sorry server only replaces the real ones, which is fine. */
static void test_sorry_is_real_server(void **state)
{
	struct res r;

	(void)state;
	expect_one("[virtual_server dup]\naddress = 10.77.0.1:80\n"
		   "sorry_server = 10.77.0.2:8202\nsorry_server_inhibit = yes\n"
		   "[real_server dup 10.77.0.2:8202]\n",
		   "t.ini:5: [real_server dup 10.77.0.2:8202]: also the sorry_server of [virtual_server dup] (line 3), which sorry_server_inhibit keeps in IPVS next to the real servers: IPVS cannot hold one real server twice; give the sorry server another address or port");
	/* the sorry server's port defaults to the virtual server's */
	expect_one("[virtual_server dup]\naddress = 10.77.0.1:80\n"
		   "sorry_server = 10.77.0.2\nsorry_server_inhibit = yes\n"
		   "[real_server dup 10.77.0.2]\n",
		   "t.ini:5: [real_server dup 10.77.0.2:80]: also the sorry_server of [virtual_server dup] (line 3), which sorry_server_inhibit keeps in IPVS next to the real servers: IPVS cannot hold one real server twice; give the sorry server another address or port");
	r = parse_ok("[virtual_server dup]\naddress = 10.77.0.1:80\n"
		     "sorry_server = 10.77.0.2:8202\nsorry_server_inhibit = yes\n"
		     "[real_server dup 10.77.0.2:8203]\n"
		     "[virtual_server b]\naddress = 10.77.0.1:81\n"
		     "sorry_server = 10.77.0.2:8202\n"
		     "[real_server b 10.77.0.2:8202]\n");
	done(&r);
}

static void test_vrrp_rules(void **state)
{
	const char *base = "[vrrp V]\ninterface = eth0\nvirtual_router_id = 9\n"
			   "virtual_ipaddress = 10.0.0.1\n";
	char buf[512];
	struct res r;

	(void)state;
	snprintf(buf, sizeof(buf), "%sadvert_int = 0.5\n", base);
	expect_one(buf, "t.ini:5: advert_int: VRRP version 2 needs whole seconds 1..255, got '0.5' (use version = 3 for less)");
	snprintf(buf, sizeof(buf), "%sversion = 3\nadvert_int = 0.05\nnopreempt = no\npreempt_delay = 2.5\n", base);
	r = parse_ok(buf);
	assert_int_equal(r.m->vrrp[0].advert_int_cs, 5);
	assert_true(r.m->vrrp[0].preempt);
	assert_int_equal(r.m->vrrp[0].preempt_delay_ms, 2500);
	done(&r);
	snprintf(buf, sizeof(buf), "%sversion = 3\nadvert_int = 41\n", base);
	expect_one(buf, "t.ini:6: advert_int: expected seconds with centisecond resolution, 0.01 to 40.95, got '41'");
	snprintf(buf, sizeof(buf), "%spriority = 255\n", base);
	expect_one(buf, "t.ini:5: priority: 255 is for the address owner, which must have state = MASTER");
	snprintf(buf, sizeof(buf), "%sstate = MASTER\npriority = 255\n", base);
	r = parse_ok(buf);
	done(&r);
	snprintf(buf, sizeof(buf), "%sauth_type = PASS\nauth_pass = 123456789\n", base);
	expect_one(buf, "t.ini:6: auth_pass: expected 1 to 8 characters, got 9");
	snprintf(buf, sizeof(buf), "%sauth_pass = secret\n", base);
	expect_one(buf, "t.ini:5: auth_pass: needs 'auth_type = PASS'");
	snprintf(buf, sizeof(buf), "%sversion = 3\nauth_type = PASS\nauth_pass = x\n", base);
	expect_one(buf, "t.ini:6: auth_type: authentication is VRRP version 2 only (RFC 5798 removed it)");
	snprintf(buf, sizeof(buf), "%spreempt = no\nnopreempt = yes\n", base);
	expect_one(buf, "t.ini:6: 'preempt' and 'nopreempt' both given (lines 5 and 6); use one");
	snprintf(buf, sizeof(buf), "%sstate = MASTER\nnopreempt = yes\n", base);
	expect_one(buf, "t.ini:6: nopreempt needs state = BACKUP (an instance that starts as MASTER preempts)");
	snprintf(buf, sizeof(buf), "%svirtual_ipaddress = 10.0.0.1/24\n", base);
	expect_one(buf, "t.ini:5: virtual_ipaddress: 10.0.0.1/24 given twice");
	snprintf(buf, sizeof(buf),
		 "%strack_interface = eth1\ntrack_interface = eth2\n"
		 "unicast_src_ip = 10.0.0.2\nunicast_peer = 10.0.0.3\n"
		 "unicast_peer = 10.0.0.4\ngarp_master_repeat = 3\n"
		 "garp_interval = 100ms\n",
		 base);
	r = parse_ok(buf);
	assert_int_equal(r.m->vrrp[0].track_interface.n, 2);
	assert_int_equal(r.m->vrrp[0].n_unicast_peers, 2);
	assert_int_equal(r.m->vrrp[0].garp_master_repeat, 3);
	assert_int_equal(r.m->vrrp[0].garp_interval_ms, 100);
	assert_string_equal(r.m->vrrp[0].vips[0].ifname, "eth0");
	done(&r);
	snprintf(buf, sizeof(buf), "%sunicast_peer = 2001:db8::1\n", base);
	expect_one(buf, "t.ini:5: unicast_peer: 2001:db8::1 is not of the family of the virtual addresses");
}

static void test_vs_rules(void **state)
{
	struct res r;

	(void)state;
	expect_one(VS_WEB "one_packet = yes\n",
		   "t.ini:3: one_packet: one-packet scheduling is for protocol UDP only");
	/* BGP (bgp.c): what is announced must be announceable */
	expect_one(VS_WEB "bgp_announce = yes\n",
		   "t.ini:3: [virtual_server web]: bgp_announce = yes needs a [bgp] section");
	r = parse_ok("[bgp]\nenabled = no\n" VS_WEB "bgp_announce = yes\n");
	assert_true(r.m->vs[0].bgp_announce && !r.m->bgp.enabled);
	done(&r);
	expect_one("[bgp]\nenabled = yes\n" VS_WEB "bgp_announce = yes\nbgp_vrrp = VI_9\n",
		   "t.ini:5: [virtual_server web]: bgp_vrrp: unknown vrrp instance 'VI_9'");
	expect_one("[bgp]\nenabled = yes\n" VS_WEB "bgp_vrrp = VI_1\n",
		   "t.ini:5: bgp_vrrp: the virtual server's address is not announced (bgp_announce = yes missing)");
	expect_one("[bgp]\nenabled = yes\n[virtual_server fw]\nfwmark = 3\nbgp_announce = yes\n",
		   "t.ini:5: bgp_announce: a fwmark virtual server has no address to announce");
	expect_one("[bgp]\nenabled = yes\n[virtual_server_group g]\naddress = 10.1.1.1:80\n"
		   "[virtual_server v]\ngroup = g\nbgp_announce = yes\n",
		   "t.ini:7: bgp_announce: a virtual server of a group has no address of its own to announce");
	/* only a unicast address can be a host route BIRD announces */
	expect_one("[bgp]\nenabled = yes\n[virtual_server w]\naddress = 0.0.0.0:80\nbgp_announce = yes\n",
		   "t.ini:5: [virtual_server w]: bgp_announce: 0.0.0.0 is the unspecified address: not a unicast address to announce as a host route (give the virtual server a unicast address, or bgp_announce = no)");
	{
		static const char *const bad[] = {
			"0.0.0.0", "224.0.0.5", "239.255.255.250", "255.255.255.255",
			"127.0.0.1", "127.3.2.1", "169.254.1.1", "[::]", "[::1]",
			"[ff02::12]", "[fe80::1]", "[febf::1]",
		}, *const good[] = {
			"192.168.100.10", "1.0.0.0", "223.255.255.255", "126.0.0.1",
			"128.0.0.1", "[2001:db8::10]", "[fec0::1]", "[::2]",
		};
		char text[300];
		struct res e;

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			snprintf(text, sizeof(text), "[bgp]\nenabled = yes\n[virtual_server w]\naddress = %s:80\nbgp_announce = yes\n", bad[i]);
			e = parse(text);
			if (e.rc == 0 || !has(&e, "t.ini:5: [virtual_server w]: bgp_announce: ", "not a unicast address"))
				fail_msg("%s accepted", bad[i]);
			done(&e);
			/* without bgp_announce: as before */
			snprintf(text, sizeof(text), "[virtual_server w]\naddress = %s:80\n", bad[i]);
			e = parse(text);
			assert_false(has_quiet(&e, "not a unicast address"));
			done(&e);
		}
		for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
			snprintf(text, sizeof(text), "[bgp]\nenabled = yes\n[virtual_server w]\naddress = %s:80\nbgp_announce = yes\n", good[i]);
			e = parse_ok(text);
			done(&e);
		}
	}
	expect_one("[bgp]\nenabled = yes\n[bgp]\n",
		   "t.ini:3: duplicate section [bgp] (first at line 1)");
	expect_one("[bgp x]\n", "t.ini:1: [bgp] takes no name");
	expect_one("[bgp]\ndevice = a-name-too-long-for-ifnamsiz\n",
		   "t.ini:2: device: expected an interface name (1..15 chars), got 'a-name-too-long-for-ifnamsiz'");
	expect_one(VS_WEB "[real_server web 10.0.0.1]\nuthreshold = 10\nlthreshold = 10\n",
		   "t.ini:5: lthreshold (10) must be below uthreshold (10)");
	expect_one(VS_WEB "address = 1.2.3.4:81\n",
		   "t.ini:3: duplicate key 'address' in [virtual_server web] (first at t.ini:2)");
	expect_one("[global]\ncontrol_socket = run/x.sock\n",
		   "t.ini:2: control_socket: expected an absolute path, got 'run/x.sock'");
	r = parse_ok(VS_WEB "protocol = udp\none_packet = on\nquorum = 3\n"
			    "hysteresis = 1\nquorum_up = /bin/up\nalpha = true\n"
			    "omega = 1\nsorry_server = 10.0.0.9\n"
			    "persistence_timeout = 600\n"
			    "persistence_granularity = 255.255.0.0\n");
	const struct model_vs *vs = &r.m->vs[0];
	assert_int_equal(vs->protocol, IPPROTO_UDP);
	assert_true(vs->one_packet);
	assert_int_equal(vs->quorum, 3);
	assert_int_equal(vs->hysteresis, 1);
	assert_int_equal(vs->quorum_up.n, 1);
	assert_true(vs->alpha);
	assert_true(vs->omega);
	assert_int_equal(vs->sorry_port, 80);
	assert_int_equal(vs->persistence_timeout, 600);
	assert_int_equal(vs->persistence_granularity, htonl(0xffff0000u));
	done(&r);
}

/* issue 12 (fix12b 7): a group that does not exist is a FILE:LINE error
 * at parse time (-t, start, reload), not a runtime log line. */
static void test_unknown_group(void **state)
{
	(void)state;
	expect_one("[global]\ncontrol_group = nosuchgrp-lvsd\n",
		   "t.ini:2: control_group: no such group 'nosuchgrp-lvsd' (see getent group)");
	expect_one("[global]\ncontrol_group_ro = nosuchgrp-lvsd\n",
		   "t.ini:2: control_group_ro: no such group 'nosuchgrp-lvsd' (see getent group)");
}

/* fix12b 12: control characters from the file never reach a message
 * raw (\xNN), and a value holding one is an error with its line. */
static void test_control_chars(void **state)
{
	(void)state;
	expect_one("[global]\nrouter_id = ab\033[31mc\n",
		   "t.ini:2: router_id: control character \\x1b in the value (write it without; a tab is the one allowed)");
	expect_one("[global]\n\033[2Jkey = 1\n",
		   "t.ini:2: unknown key '\\x1b[2Jkey' in [global]");
}

/* Parse len bytes (a NUL may be among them), expect exactly one error. */
static void expect_one_buf(const char *buf, size_t len, const char *msg)
{
	struct res r;

	memset(&r, 0, sizeof(r));
	r.rc = cfg_parse_buffer("t.ini", buf, len, NULL, &r.m, &r.e);
	if (r.e.n != 1 || strcmp(r.e.v[0].msg, msg) != 0) {
		dump(&r);
		print_message("expected exactly: %s\n", msg);
		fail();
	}
	done(&r);
}

/* fix12b 10: one error per mistake: what follows from a reported error
 * (a lost [virtual_server] header, a VS refused as a duplicate service,
 * a refused sorry_server) says nothing more. */
static void test_no_follow_on_errors(void **state)
{
	static const char nul[] = "[virtual_server we\0b]\naddress = 192.168.0.30:80\n"
				  "scheduler = rr\n[real_server web 10.0.0.51:80]\nweight = 2\n";

	(void)state;
	expect_one_buf(nul, sizeof(nul) - 1, "t.ini:1: NUL byte in line");
	expect_one("[virtual_server web]\naddress = 192.168.0.30:80\n"
		   "[virtual_server api]\naddress = 192.168.0.30:80\n"
		   "[real_server api 10.0.0.5:80]\n[real_server web 10.0.0.5:80]\n",
		   "t.ini:3: [virtual_server api]: service TCP 192.168.0.30:80 is already [virtual_server web] at line 1");
	expect_one("[virtual_server web]\naddress = 192.168.0.30:80\n"
		   "sorry_server = 10.77.0.2:0\nsorry_server_inhibit = yes\n"
		   "[real_server web 10.77.0.2:80]\n",
		   "t.ini:3: sorry_server: expected IP[:PORT] or [IPv6][:PORT], got '10.77.0.2:0'");
}

static void test_global_keys(void **state)
{
	struct res r;
	char b[64];

	(void)state;
	r = parse_ok("[global]\nplugin_dir = /opt/lvsd/plugins\n"
		     "control_group = root\nlog_level = debug\nsnmp = yes\n"
		     "snmp_traps = no\nsnmp_socket = tcp:localhost:705\n"
		     "smtp_server = [::1]:2525\nstate_file = /tmp/st\n");
	assert_string_equal(r.m->global.plugin_dir, "/opt/lvsd/plugins");
	assert_string_equal(r.m->global.control_group, "root");
	assert_int_equal(r.m->global.log_level, LVSD_LOG_DEBUG);
	assert_true(r.m->global.snmp);
	assert_false(r.m->global.snmp_traps);
	assert_string_equal(r.m->global.snmp_socket, "tcp:localhost:705");
	assert_string_equal(model_addrport_str(&r.m->global.smtp_server,
					       r.m->global.smtp_port, b,
					       sizeof(b)),
			    "[::1]:2525");
	done(&r);
	expect_one("[global]\nnotification_email = root\n",
		   "t.ini:2: notification_email: expected a mail address like root@example.com, got 'root'");
}

#define VI_1 "[vrrp VI_1]\ninterface = eth0\nvirtual_router_id = 51\n" \
	     "virtual_ipaddress = 192.168.0.29\n"

static void test_sync_daemon_keys(void **state)
{
	struct res r;

	(void)state;
	r = parse_ok("[global]\nlvs_sync_daemon = eth1 VI_1\n" VI_1);
	assert_int_equal(r.m->global.lvs_sync_daemon.n, 2);
	assert_string_equal(r.m->global.lvs_sync_daemon.v[0], "eth1");
	assert_string_equal(r.m->global.lvs_sync_daemon.v[1], "VI_1");
	assert_int_equal(r.m->global.lvs_sync_line, 2);
	/* defaults: the instance's VRID as syncid, the kernel's for the rest */
	assert_int_equal(r.m->global.lvs_sync_id, MODEL_SYNC_ID_VRID);
	assert_int_equal(r.m->global.lvs_sync_port, 8848);
	assert_int_equal(r.m->global.lvs_sync_ttl, 1);
	assert_int_equal(r.m->global.lvs_sync_maxlen, 0);
	assert_int_equal(r.m->global.lvs_sync_group.family, 0);
	assert_false(r.m->global.lvs_sync_both);
	done(&r);
	r = parse_ok("[global]\nlvs_sync_daemon = eth1 VI_1\nlvs_sync_daemon_id = 0\n"
		     "lvs_sync_daemon_group = ff02::1:81\nlvs_sync_daemon_port = 9000\n"
		     "lvs_sync_daemon_ttl = 5\nlvs_sync_daemon_maxlen = 1400\n"
		     "lvs_sync_daemon_both = yes\n" VI_1);
	assert_int_equal(r.m->global.lvs_sync_id, 0);
	assert_int_equal(r.m->global.lvs_sync_group.family, AF_INET6);
	assert_int_equal(r.m->global.lvs_sync_port, 9000);
	assert_int_equal(r.m->global.lvs_sync_ttl, 5);
	assert_int_equal(r.m->global.lvs_sync_maxlen, 1400);
	assert_true(r.m->global.lvs_sync_both);
	done(&r);
	/* the errors, each FILE:LINE */
	expect_one("[global]\nlvs_sync_daemon = eth1 VI_9\n" VI_1,
		   "t.ini:2: lvs_sync_daemon: unknown vrrp instance 'VI_9' (the sync daemon follows its state)");
	expect_one("[global]\nlvs_sync_daemon = eth1\n" VI_1,
		   "t.ini:2: lvs_sync_daemon: expected an interface name and a [vrrp] instance name: IFACE INSTANCE, got 'eth1'");
	expect_one("[global]\nlvs_sync_daemon = eth1 VI_1 id 5\n" VI_1,
		   "t.ini:2: lvs_sync_daemon: expected an interface name and a [vrrp] instance name: IFACE INSTANCE, got 'eth1 VI_1 id 5'");
	expect_one("[global]\nlvs_sync_daemon = this-name-is-too-long VI_1\n" VI_1,
		   "t.ini:2: lvs_sync_daemon: expected an interface name and a [vrrp] instance name: IFACE INSTANCE, got 'this-name-is-too-long VI_1'");
	expect_one("[global]\nlvs_sync_daemon = eth1 VI_1\nlvs_sync_daemon_group = 10.0.0.1\n" VI_1,
		   "t.ini:3: lvs_sync_daemon_group: expected a multicast address (224.0.0.0/4 or ff00::/8), got '10.0.0.1'");
	expect_one("[global]\nlvs_sync_daemon = eth1 VI_1\nlvs_sync_daemon_id = 256\n" VI_1,
		   "t.ini:3: lvs_sync_daemon_id: expected an integer 0..255, got '256'");
	expect_one("[global]\nlvs_sync_daemon = eth1 VI_1\nlvs_sync_daemon_ttl = 0\n" VI_1,
		   "t.ini:3: lvs_sync_daemon_ttl: expected an integer 1..255, got '0'");
	/* parameters without the daemon (tester15 F5): an error naming them */
	expect_one("[global]\nlvs_sync_daemon_id = 5\n" VI_1,
		   "t.ini:1: [global]: lvs_sync_daemon_id given without lvs_sync_daemon = IFACE INSTANCE: they set the sync daemons' parameters (add lvs_sync_daemon, or remove them)");
	expect_one("[global]\nlvs_sync_daemon_both = no\nlvs_sync_daemon_port = 9000\n"
		   "lvs_sync_daemon_group = 224.0.0.81\nlvs_sync_daemon_ttl = 2\n"
		   "lvs_sync_daemon_maxlen = 1400\nlvs_sync_daemon_id = 0\n" VI_1,
		   "t.ini:1: [global]: lvs_sync_daemon_id, lvs_sync_daemon_group, lvs_sync_daemon_port, lvs_sync_daemon_ttl, lvs_sync_daemon_maxlen, lvs_sync_daemon_both given without lvs_sync_daemon = IFACE INSTANCE: they set the sync daemons' parameters (add lvs_sync_daemon, or remove them)");
	r = parse_ok("[global]\nlvs_sync_daemon_both = yes\nlvs_sync_daemon = eth1 VI_1\n" VI_1);
	assert_int_equal(r.m->global.lvs_sync_set, MODEL_SYNC_SET_BOTH);
	done(&r);
}

/* ------------------------------------------------------------ values */

static void test_values(void **state)
{
	uint32_t v;
	bool b;
	struct lvsd_addr a;
	uint16_t port;
	bool hp;

	(void)state;
	assert_int_equal(cfgval_duration_ms("3", 100000, &v), 0);
	assert_int_equal(v, 3000);
	assert_int_equal(cfgval_duration_ms("0.5", 100000, &v), 0);
	assert_int_equal(v, 500);
	assert_int_equal(cfgval_duration_ms("250ms", 100000, &v), 0);
	assert_int_equal(v, 250);
	assert_int_equal(cfgval_duration_ms("1.5m", 100000, &v), 0);
	assert_int_equal(v, 90000);
	assert_int_equal(cfgval_duration_ms("2s", 100000, &v), 0);
	assert_int_equal(v, 2000);
	assert_int_equal(cfgval_duration_ms("0.0001", 100000, &v), -EINVAL);
	assert_int_equal(cfgval_duration_ms("101", 100000, &v), -EINVAL);
	assert_int_equal(cfgval_duration_ms(".", 100000, &v), -EINVAL);
	assert_int_equal(cfgval_duration_ms("", 100000, &v), -EINVAL);
	assert_int_equal(cfgval_duration_ms("-1", 100000, &v), -EINVAL);
	assert_int_equal(cfgval_duration_ms("99999999999999999999", 100000, &v), -EINVAL);
	assert_int_equal(cfgval_u32("4294967295", 0, UINT32_MAX, &v), 0);
	assert_int_equal(v, UINT32_MAX);
	assert_int_equal(cfgval_u32("4294967296", 0, UINT32_MAX, &v), -EINVAL);
	assert_int_equal(cfgval_u32("+1", 0, 9, &v), -EINVAL);
	assert_int_equal(cfgval_u32(" 1", 0, 9, &v), -EINVAL);
	const char *yes[] = {"yes", "true", "on", "1", "YES"};
	const char *no[] = {"no", "false", "off", "0", "Off"};
	for (int i = 0; i < 5; i++) {
		assert_int_equal(cfgval_bool(yes[i], &b), 0);
		assert_true(b);
		assert_int_equal(cfgval_bool(no[i], &b), 0);
		assert_false(b);
	}
	assert_int_equal(cfgval_bool("y", &b), -EINVAL);
	assert_int_equal(cfgval_addrport("1.2.3.4:0", false, &a, &port, &hp), -EINVAL);
	assert_int_equal(cfgval_addrport("1.2.3.4:65536", false, &a, &port, &hp), -EINVAL);
	assert_int_equal(cfgval_addrport("[::1]x", true, &a, &port, &hp), -EINVAL);
	assert_int_equal(cfgval_addrport("[::1]:53", false, &a, &port, &hp), 0);
	assert_int_equal(port, 53);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(cfgval_ifname("eth0"), 0);
	assert_int_equal(cfgval_ifname("a_very_long_ifname"), -EINVAL);
	assert_int_equal(cfgval_ifname("a/b"), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_nat),
		cmocka_unit_test(test_vs_group),
		cmocka_unit_test(test_seed_failover),
		cmocka_unit_test(test_file_missing),
		cmocka_unit_test(test_file_not_regular),
		cmocka_unit_test(test_bad_value_line),
		cmocka_unit_test(test_unknown_section),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_duplicate_vs),
		cmocka_unit_test(test_parse_linear_in_virtual_servers),
		cmocka_unit_test(test_duplicate_rs),
		cmocka_unit_test(test_duplicate_vrrp),
		cmocka_unit_test(test_unknown_references),
		cmocka_unit_test(test_sync_group_ok),
		cmocka_unit_test(test_key_twice),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_continuation_lines),
		cmocka_unit_test(test_indented_keys),
		cmocka_unit_test(test_comments_and_crlf),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_hooks),
		cmocka_unit_test(test_no_hooks),
		cmocka_unit_test(test_sched_options),
		cmocka_unit_test(test_inheritance),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_fwmark),
		cmocka_unit_test(test_notify_argv),
		cmocka_unit_test(test_commands_checked),
		cmocka_unit_test(test_sorry_is_real_server),
		cmocka_unit_test(test_vrrp_rules),
		cmocka_unit_test(test_vs_rules),
		cmocka_unit_test(test_agent_keys),
		cmocka_unit_test(test_global_keys),
		cmocka_unit_test(test_sync_daemon_keys),
		cmocka_unit_test(test_unknown_group),
		cmocka_unit_test(test_control_chars),
		cmocka_unit_test(test_no_follow_on_errors),
		cmocka_unit_test(test_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
