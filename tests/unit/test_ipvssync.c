/* test_ipvssync.c — the IPVS sync daemon's genl messages without a
 * kernel: NEW_DAEMON built and parsed back (IPv4 and IPv6 groups, the
 * kernel's defaults), DEL_DAEMON and GET_DAEMON, bad requests refused,
 * malformed replies refused, and the comparison the read-back uses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "ipvssync_msg.h"

#define FAMILY 42

static struct ipvssync_daemon d4(void)
{
	struct ipvssync_daemon d = {
		.state = IP_VS_STATE_MASTER, .ifname = "eth1", .syncid = 51,
		.maxlen = 1400, .port = 8850, .ttl = 2,
	};
	d.group.family = AF_INET;
	inet_pton(AF_INET, "239.1.2.3", &d.group.u.v4);
	return d;
}

static void test_new_roundtrip_v4(void **state)
{
	struct ipvssync_daemon d = d4(), out;
	struct nl_msg *m;
	struct genlmsghdr *gh;

	(void)state;
	assert_int_equal(ipvssync_msg_new(FAMILY, 7, &d, &m), 0);
	assert_int_equal(nlmsg_hdr(m)->nlmsg_type, FAMILY);
	assert_true(nlmsg_hdr(m)->nlmsg_flags & NLM_F_ACK);
	gh = nlmsg_data(nlmsg_hdr(m));
	assert_int_equal(gh->cmd, IPVS_CMD_NEW_DAEMON);
	assert_int_equal(ipvssync_parse_msg(nlmsg_hdr(m), &out), 0);
	assert_memory_equal(&out, &d, sizeof(d));
	assert_true(ipvssync_same(&d, &out));
	nlmsg_free(m);
}

static void test_new_roundtrip_v6_and_defaults(void **state)
{
	struct ipvssync_daemon d = { .state = IP_VS_STATE_BACKUP, .ifname = "bond0.12" };
	struct ipvssync_daemon out;
	struct nl_msg *m;

	(void)state;
	/* only the required fields: the kernel's defaults for the rest */
	assert_int_equal(ipvssync_msg_new(FAMILY, 1, &d, &m), 0);
	assert_int_equal(ipvssync_parse_msg(nlmsg_hdr(m), &out), 0);
	assert_memory_equal(&out, &d, sizeof(d));
	nlmsg_free(m);
	d.group.family = AF_INET6;
	inet_pton(AF_INET6, "ff02::1:5", &d.group.u.v6);
	assert_int_equal(ipvssync_msg_new(FAMILY, 1, &d, &m), 0);
	assert_int_equal(ipvssync_parse_msg(nlmsg_hdr(m), &out), 0);
	assert_int_equal(out.group.family, AF_INET6);
	assert_memory_equal(&out.group.u.v6, &d.group.u.v6, 16);
	nlmsg_free(m);
}

static void test_new_refused(void **state)
{
	struct ipvssync_daemon d;
	struct nl_msg *m = (struct nl_msg *)1;

	(void)state;
	d = d4(); d.state = 0;
	assert_int_equal(ipvssync_msg_new(FAMILY, 1, &d, &m), -EINVAL);
	assert_null(m);
	d = d4(); d.state = IP_VS_STATE_MASTER | IP_VS_STATE_BACKUP;
	assert_int_equal(ipvssync_msg_new(FAMILY, 1, &d, &m), -EINVAL);
	d = d4(); d.ifname[0] = '\0';
	assert_int_equal(ipvssync_msg_new(FAMILY, 1, &d, &m), -EINVAL);
	d = d4(); memset(d.ifname, 'x', sizeof(d.ifname));
	assert_int_equal(ipvssync_msg_new(FAMILY, 1, &d, &m), -EINVAL);
	d = d4(); inet_pton(AF_INET, "10.0.0.1", &d.group.u.v4);
	assert_int_equal(ipvssync_msg_new(FAMILY, 1, &d, &m), -EINVAL);
	d = d4(); d.group.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", &d.group.u.v6);
	assert_int_equal(ipvssync_msg_new(FAMILY, 1, &d, &m), -EINVAL);
	d = d4(); d.syncid = 256;
	assert_int_equal(ipvssync_msg_new(FAMILY, 1, &d, &m), -EINVAL);
	assert_int_equal(ipvssync_msg_del(FAMILY, 1, 0, &m), -EINVAL);
	assert_int_equal(ipvssync_msg_del(FAMILY, 1, 3, &m), -EINVAL);
}

static void test_del_and_get(void **state)
{
	struct nl_msg *m;
	struct nlattr *tb[IPVS_CMD_ATTR_MAX + 1], *db[IPVS_DAEMON_ATTR_MAX + 1];
	struct genlmsghdr *gh;

	(void)state;
	assert_int_equal(ipvssync_msg_del(FAMILY, 3, IP_VS_STATE_BACKUP, &m), 0);
	gh = nlmsg_data(nlmsg_hdr(m));
	assert_int_equal(gh->cmd, IPVS_CMD_DEL_DAEMON);
	assert_int_equal(genlmsg_parse(nlmsg_hdr(m), 0, tb, IPVS_CMD_ATTR_MAX, NULL), 0);
	assert_non_null(tb[IPVS_CMD_ATTR_DAEMON]);
	assert_int_equal(nla_parse_nested(db, IPVS_DAEMON_ATTR_MAX,
					  tb[IPVS_CMD_ATTR_DAEMON], NULL), 0);
	assert_int_equal(nla_get_u32(db[IPVS_DAEMON_ATTR_STATE]), IP_VS_STATE_BACKUP);
	assert_null(db[IPVS_DAEMON_ATTR_MCAST_IFN]);
	nlmsg_free(m);
	assert_int_equal(ipvssync_msg_get(FAMILY, 4, &m), 0);
	gh = nlmsg_data(nlmsg_hdr(m));
	assert_int_equal(gh->cmd, IPVS_CMD_GET_DAEMON);
	assert_true(nlmsg_hdr(m)->nlmsg_flags & NLM_F_DUMP);
	nlmsg_free(m);
}

/* A reply with a daemon nest holding what fill() puts in. */
static struct nl_msg *reply(uint8_t cmd, void (*fill)(struct nl_msg *, int), int v)
{
	struct nl_msg *m = nlmsg_alloc();
	struct nlattr *n;

	genlmsg_put(m, NL_AUTO_PORT, 1, FAMILY, 0, 0, cmd, IPVS_GENL_VERSION);
	n = nla_nest_start(m, IPVS_CMD_ATTR_DAEMON);
	fill(m, v);
	nla_nest_end(m, n);
	return m;
}

static void fill_bad(struct nl_msg *m, int v)
{
	static const char noterm[4] = { 'e', 't', 'h', '1' };
	static const char longname[20] = "abcdefghijklmnopqrs";

	if (v != 0)
		nla_put_u32(m, IPVS_DAEMON_ATTR_STATE, v == 1 ? 0 : v == 2 ? 3 : 1);
	if (v == 3)
		nla_put(m, IPVS_DAEMON_ATTR_MCAST_IFN, sizeof(noterm), noterm);
	else if (v == 4)
		nla_put(m, IPVS_DAEMON_ATTR_MCAST_IFN, sizeof(longname), longname);
	else if (v == 5)
		nla_put(m, IPVS_DAEMON_ATTR_MCAST_IFN, 0, "");
	else if (v != 6)
		nla_put_string(m, IPVS_DAEMON_ATTR_MCAST_IFN, "eth1");
	if (v == 7)
		nla_put_u16(m, IPVS_DAEMON_ATTR_SYNC_ID, 5); /* too short */
	else if (v != 8)
		nla_put_u32(m, IPVS_DAEMON_ATTR_SYNC_ID, 5);
	if (v == 9)
		nla_put(m, IPVS_DAEMON_ATTR_MCAST_GROUP6, 4, "\xff\x02\0\0");
	if (v == 10)
		nla_put_u8(m, IPVS_DAEMON_ATTR_MCAST_PORT, 1); /* too short */
	if (v == 11)
		nla_put(m, IPVS_DAEMON_ATTR_MCAST_GROUP, 2, "\xe0\0");
}

static void test_malformed(void **state)
{
	struct ipvssync_daemon out;
	struct nl_msg *m;

	(void)state;
	/* 0: no state, 1: state 0, 2: state 3, 3: ifname without NUL,
	 * 4: too long, 5: empty attribute, 6: no ifname, 7: short syncid,
	 * 8: no syncid, 9: short group6, 10: short port, 11: short group */
	for (int v = 0; v <= 11; v++) {
		m = reply(IPVS_CMD_NEW_DAEMON, fill_bad, v);
		if (ipvssync_parse_msg(nlmsg_hdr(m), &out) != -EINVAL)
			fail_msg("variant %d accepted", v);
		assert_int_equal(out.state, 0);
		nlmsg_free(m);
	}
	/* a good one is accepted; the same under another command is not */
	m = reply(IPVS_CMD_NEW_DAEMON, fill_bad, 12);
	assert_int_equal(ipvssync_parse_msg(nlmsg_hdr(m), &out), 0);
	assert_string_equal(out.ifname, "eth1");
	nlmsg_free(m);
	m = reply(IPVS_CMD_NEW_SERVICE, fill_bad, 12);
	assert_int_equal(ipvssync_parse_msg(nlmsg_hdr(m), &out), -EINVAL);
	/* truncated: the genl header cut */
	nlmsg_hdr(m)->nlmsg_len = NLMSG_HDRLEN + 2;
	assert_int_equal(ipvssync_parse_msg(nlmsg_hdr(m), &out), -EINVAL);
	nlmsg_free(m);
	/* no daemon attribute at all */
	m = nlmsg_alloc();
	genlmsg_put(m, NL_AUTO_PORT, 1, FAMILY, 0, 0, IPVS_CMD_NEW_DAEMON, 1);
	assert_int_equal(ipvssync_parse_msg(nlmsg_hdr(m), &out), -EINVAL);
	nlmsg_free(m);
}

static void test_same(void **state)
{
	struct ipvssync_daemon want = { .state = IP_VS_STATE_BACKUP,
					.ifname = "eth1", .syncid = 51 };
	struct ipvssync_daemon k = want;

	(void)state;
	/* an old kernel reports none of the optional fields */
	assert_true(ipvssync_same(&want, &k));
	/* a 4.3+ kernel reports its defaults and the maxlen it chose */
	k.port = IPVSSYNC_DEFAULT_PORT;
	k.ttl = 1;
	k.maxlen = 1472;
	k.group.family = AF_INET;
	inet_pton(AF_INET, IPVSSYNC_DEFAULT_GROUP, &k.group.u.v4);
	assert_true(ipvssync_same(&want, &k));
	want.maxlen = 1000; /* clamped by the kernel: not compared */
	assert_true(ipvssync_same(&want, &k));
	want.port = 9000;
	assert_false(ipvssync_same(&want, &k));
	want.port = 0;
	want.ttl = 3;
	assert_false(ipvssync_same(&want, &k));
	want.ttl = 0;
	want.group.family = AF_INET;
	inet_pton(AF_INET, "224.0.0.82", &want.group.u.v4);
	assert_false(ipvssync_same(&want, &k));
	want.group.family = 0;
	want.syncid = 52;
	assert_false(ipvssync_same(&want, &k));
	want.syncid = 51;
	snprintf(want.ifname, sizeof(want.ifname), "eth2");
	assert_false(ipvssync_same(&want, &k));
	snprintf(want.ifname, sizeof(want.ifname), "eth1");
	want.state = IP_VS_STATE_MASTER;
	assert_false(ipvssync_same(&want, &k));
	assert_string_equal(ipvssync_state_str(IP_VS_STATE_MASTER), "master");
	assert_string_equal(ipvssync_state_str(IP_VS_STATE_BACKUP), "backup");
	assert_string_equal(ipvssync_state_str(0), "none");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_roundtrip_v4),
		cmocka_unit_test(test_new_roundtrip_v6_and_defaults),
		cmocka_unit_test(test_new_refused),
		cmocka_unit_test(test_del_and_get),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_same),
	};

	return cmocka_run_group_tests_name("ipvssync", tests, NULL, NULL);
}
