/* test_ipvssync_state.c — ipvssync.c's daemons against a mock of the
 * kernel's IPVS genl (ipvs_open/_request/_family/_close/_strerror defined
 * here, so ipvs.c is not linked): which daemon is started and stopped,
 * and that each status line carries only its own daemon's failure
 * (tester15b N5). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "ipvs.h"
#include "ipvssync.h"
#include "ipvssync_msg.h"
#include "model.h"

/* ------------------------------------------------- the kernel, mocked */

static struct {
	int run[2];                      /* [0] master, [1] backup */
	struct ipvssync_daemon d[2];
	char missing[IPVSSYNC_IFNAME_MAX]; /* NEW_DAEMON on it: -ENODEV */
	int fail_new[2];                 /* NEW_DAEMON of that state: -errno */
	int unloaded;                    /* ip_vs not loaded */
	int opens;                       /* ipvs_open calls */
} k;
static int dummy_ipvs;

const char *ipvs_strerror(int err)
{
	return strerror(-err);
}

int ipvs_loaded(void)
{
	return !k.unloaded;
}

int ipvs_open(struct ipvs **out)
{
	k.opens++;
	*out = (struct ipvs *)&dummy_ipvs;
	return 0;
}

void ipvs_close(struct ipvs *ipvs)
{
	(void)ipvs;
}

int ipvs_family(const struct ipvs *ipvs)
{
	(void)ipvs;
	return 42;
}

static uint32_t del_state(struct genlmsghdr *gh)
{
	struct nlattr *a = nla_find(genlmsg_attrdata(gh, 0),
				    genlmsg_attrlen(gh, 0), IPVS_CMD_ATTR_DAEMON);
	struct nlattr *st;

	assert_non_null(a);
	st = nla_find(nla_data(a), nla_len(a), IPVS_DAEMON_ATTR_STATE);
	assert_non_null(st);
	return nla_get_u32(st);
}

int ipvs_request(struct ipvs *ipvs, struct nl_msg *msg, ipvs_reply_fn fn,
		 void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct ipvssync_daemon d;
	int i;

	(void)ipvs;
	switch (gh->cmd) {
	case IPVS_CMD_GET_DAEMON:
		for (i = 0; i < 2; i++) {
			struct nl_msg *r;

			if (!k.run[i])
				continue;
			assert_int_equal(ipvssync_msg_new(42, 0, &k.d[i], &r), 0);
			assert_int_equal(fn(nlmsg_hdr(r), arg), 0);
			nlmsg_free(r);
		}
		return 0;
	case IPVS_CMD_NEW_DAEMON:
		assert_int_equal(ipvssync_parse_msg(nlmsg_hdr(msg), &d), 0);
		i = d.state == IP_VS_STATE_MASTER ? 0 : 1;
		if (strcmp(d.ifname, k.missing) == 0)
			return -ENODEV;
		if (k.fail_new[i])
			return k.fail_new[i];
		if (k.run[i])
			return -EEXIST;
		k.run[i] = 1;
		k.d[i] = d;
		return 0;
	case IPVS_CMD_DEL_DAEMON:
		i = del_state(gh) == IP_VS_STATE_MASTER ? 0 : 1;
		if (!k.run[i])
			return -ESRCH;
		k.run[i] = 0;
		return 0;
	}
	fail_msg("unexpected IPVS command %u", gh->cmd);
	return -EINVAL;
}

/* ------------------------------------------------------------ helpers */

struct lines {
	char v[8][512];
	int n;
};

static void collect(void *arg, const char *line)
{
	struct lines *l = arg;

	assert_true(l->n < 8);
	snprintf(l->v[l->n++], sizeof(l->v[0]), "%s", line);
}

/* The status's master and backup lines. */
static void report(struct ipvssync *s, struct lines *l)
{
	memset(l, 0, sizeof(*l));
	ipvssync_report(s, collect, l);
	assert_int_equal(l->n, 3);
	assert_non_null(strstr(l->v[1], "master"));
	assert_non_null(strstr(l->v[2], "backup"));
}

static char ifname[16], inst[16] = "VI_1";
static char *words[2] = { ifname, inst };
static struct model_vrrp vrrp;
static struct model m;

static void model_for(const char *iface, int both)
{
	memset(&m, 0, sizeof(m));
	memset(&vrrp, 0, sizeof(vrrp));
	snprintf(vrrp.name, sizeof(vrrp.name), "VI_1");
	vrrp.vrid = 51;
	m.vrrp = &vrrp;
	m.n_vrrp = 1;
	snprintf(ifname, sizeof(ifname), "%s", iface);
	m.global.lvs_sync_daemon.v = words;
	m.global.lvs_sync_daemon.n = 2;
	m.global.lvs_sync_id = MODEL_SYNC_ID_VRID;
	m.global.lvs_sync_both = both;
}

static int setup(void **state)
{
	(void)state;
	memset(&k, 0, sizeof(k));
	return 0;
}

/* ------------------------------------------------------------- tests */

/* BACKUP on a missing interface: only the backup is tried, and only the
 * backup line shows the failure; the interface appearing clears it. */
static void test_backup_error_on_backup_line(void **state)
{
	struct ipvssync *s;
	struct ipvssync_view v;
	struct lines l;

	(void)state;
	snprintf(k.missing, sizeof(k.missing), "nosuch0");
	assert_int_equal(ipvssync_new(0, &s), 0);
	model_for("nosuch0", 0);
	ipvssync_configure(s, &m);
	ipvssync_set_state(s, LVSD_VRRP_BACKUP);
	assert_int_equal(ipvssync_apply(s), -ENODEV);
	report(s, &l);
	assert_null(strstr(l.v[1], "error"));
	assert_non_null(strstr(l.v[2], "last error: starting the backup daemon on nosuch0"));
	ipvssync_view(s, &v);
	assert_string_equal(v.why[0], "");
	assert_int_equal(v.err[0], 0);
	assert_int_equal(v.err[1], -ENODEV);
	assert_non_null(strstr(v.why[1], "backup daemon"));

	k.missing[0] = '\0'; /* the interface is there now */
	assert_int_equal(ipvssync_apply(s), 0);
	assert_true(k.run[1]);
	report(s, &l);
	assert_null(strstr(l.v[1], "error"));
	assert_null(strstr(l.v[2], "error"));
	ipvssync_free(s);
}

/* Both wanted (lvs_sync_daemon_both), both fail: each line its own. */
static void test_both_each_own_error(void **state)
{
	struct ipvssync *s;
	struct lines l;

	(void)state;
	snprintf(k.missing, sizeof(k.missing), "nosuch0");
	assert_int_equal(ipvssync_new(0, &s), 0);
	model_for("nosuch0", 1);
	ipvssync_configure(s, &m);
	ipvssync_set_state(s, LVSD_VRRP_MASTER);
	assert_int_equal(ipvssync_apply(s), -ENODEV);
	report(s, &l);
	assert_non_null(strstr(l.v[1], "last error: starting the master daemon on nosuch0"));
	assert_null(strstr(l.v[1], "backup daemon"));
	assert_non_null(strstr(l.v[2], "last error: starting the backup daemon on nosuch0"));
	assert_null(strstr(l.v[2], "master daemon"));
	ipvssync_free(s);
}

/* The master starts, the backup fails: the master line stays clean, and
 * stays so on the next pass while the backup still fails. */
static void test_one_fails_other_clean(void **state)
{
	struct ipvssync *s;
	struct lines l;

	(void)state;
	k.fail_new[1] = -ENOMEM;
	assert_int_equal(ipvssync_new(0, &s), 0);
	model_for("eth1", 1);
	ipvssync_configure(s, &m);
	ipvssync_set_state(s, LVSD_VRRP_MASTER);
	assert_int_equal(ipvssync_apply(s), -ENOMEM);
	assert_true(k.run[0]);
	assert_false(k.run[1]);
	for (int pass = 0; pass < 2; pass++) {
		report(s, &l);
		assert_non_null(strstr(l.v[1], "running"));
		assert_null(strstr(l.v[1], "error"));
		assert_non_null(strstr(l.v[2], "last error: starting the backup daemon on eth1"));
		assert_int_equal(ipvssync_apply(s), -ENOMEM);
	}
	k.fail_new[1] = 0;
	assert_int_equal(ipvssync_apply(s), 0);
	report(s, &l);
	assert_null(strstr(l.v[2], "error"));
	ipvssync_free(s);
	assert_false(k.run[0]); /* stopped with lvsd */
	assert_false(k.run[1]);
}

/* A reload to a missing interface: refused with the refusal; forced, the
 * line says what was applied, not the refusal (tester15b N6). */
static void test_reload_check_forced_text(void **state)
{
	static char o_if[16] = "lo", o_inst[16] = "VI_1";
	static char *o_words[2] = { o_if, o_inst };
	struct model old;
	char line[512];

	(void)state;
	model_for("nosuch0", 0);
	old = m;
	old.global.lvs_sync_daemon.v = o_words;
	assert_int_equal(ipvssync_reload_check(&old, &m, 0, line, sizeof(line)), 1);
	assert_non_null(strstr(line, "reload refused: "));
	assert_non_null(strstr(line, "stay"));
	assert_int_equal(ipvssync_reload_check(&old, &m, 1, line, sizeof(line)), 1);
	assert_non_null(strstr(line, "reload forced: "));
	assert_non_null(strstr(line, "'nosuch0' does not exist"));
	assert_non_null(strstr(line, "applied anyway"));
	assert_null(strstr(line, "stay"));
	assert_null(strstr(line, "refused"));
	assert_null(strstr(line, "lvsctl reload --force"));
	/* the same interface as before: no new failure, forced or not */
	assert_int_equal(ipvssync_reload_check(&m, &m, 0, line, sizeof(line)), 0);
	assert_int_equal(ipvssync_reload_check(&m, &m, 1, line, sizeof(line)), 0);
	/* an interface that exists: nothing to say */
	assert_int_equal(ipvssync_reload_check(&m, &old, 1, line, sizeof(line)), 0);
}

/* No lvs_sync_daemon (a restart without the key after a kill -9 of an
 * lvsd that had it): the kernel's daemons are reported as not lvsd's and
 * left alone, also when lvsd stops; with ip_vs not loaded IPVS is not
 * even opened (tester15b sync doc gap). */
static void test_foreign_reported_left_alone(void **state)
{
	struct ipvssync *s;
	struct lines l;

	(void)state;
	k.run[1] = 1;
	k.d[1] = (struct ipvssync_daemon){ .state = IP_VS_STATE_BACKUP,
					   .ifname = "eth1", .syncid = 51 };
	assert_int_equal(ipvssync_new(0, &s), 0);
	model_for("eth1", 0);
	m.global.lvs_sync_daemon.n = 0; /* the key removed */
	ipvssync_configure(s, &m);
	for (int pass = 0; pass < 2; pass++) {
		assert_int_equal(ipvssync_apply(s), 0);
		assert_true(k.run[1]);
		report(s, &l);
		assert_non_null(strstr(l.v[0], "not configured"));
		assert_non_null(strstr(l.v[0], "not lvsd's"));
		assert_non_null(strstr(l.v[1], "master stopped"));
		assert_non_null(strstr(l.v[2], "backup running (not lvsd's) iface eth1, syncid 51"));
	}
	k.run[1] = 0; /* stopped by hand: no longer reported */
	assert_int_equal(ipvssync_apply(s), 0);
	memset(&l, 0, sizeof(l));
	ipvssync_report(s, collect, &l);
	assert_int_equal(l.n, 0);
	k.run[0] = 1;
	k.d[0] = (struct ipvssync_daemon){ .state = IP_VS_STATE_MASTER,
					   .ifname = "eth2", .syncid = 7 };
	assert_int_equal(ipvssync_apply(s), 0);
	ipvssync_free(s); /* lvsd stops: the kernel's daemon stays */
	assert_true(k.run[0]);

	/* ip_vs not loaded: nothing opened, nothing shown */
	memset(&k, 0, sizeof(k));
	k.unloaded = 1;
	assert_int_equal(ipvssync_new(0, &s), 0);
	ipvssync_configure(s, &m);
	assert_int_equal(ipvssync_apply(s), 0);
	assert_int_equal(k.opens, 0);
	memset(&l, 0, sizeof(l));
	ipvssync_report(s, collect, &l);
	assert_int_equal(l.n, 0);
	ipvssync_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_backup_error_on_backup_line, setup),
		cmocka_unit_test_setup(test_both_each_own_error, setup),
		cmocka_unit_test_setup(test_one_fails_other_clean, setup),
		cmocka_unit_test(test_reload_check_forced_text),
		cmocka_unit_test_setup(test_foreign_reported_left_alone, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
