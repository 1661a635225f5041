/* test_ipvs.c — IPVS netlink messages without a kernel: every op built and
 * parsed back by the module's own parsers, crafted kernel replies (64-bit
 * counters), and malformed attributes that must be refused. */
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

#include "ipvs.h"

#define FAMILY 42 /* any genl id will do without a kernel */

/* ------------------------------------------------------------ helpers */

static struct ipvs_service svc4(void)
{
	struct ipvs_service s = {
		.af = AF_INET, .protocol = IPPROTO_TCP, .port = 80,
		.sched_name = "wlc",
	};
	s.addr.family = AF_INET;
	inet_pton(AF_INET, "192.168.0.30", &s.addr.u.v4);
	return s;
}

static struct ipvs_service svc6(void)
{
	struct ipvs_service s = {
		.af = AF_INET6, .protocol = IPPROTO_UDP, .port = 53,
		.sched_name = "sh",
		.flags = IP_VS_SVC_F_SCHED_SH_FALLBACK | IP_VS_SVC_F_SCHED_SH_PORT,
	};
	s.addr.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", &s.addr.u.v6);
	return s;
}

static struct ipvs_dest dest4(const char *ip, uint16_t port)
{
	struct ipvs_dest d = { .af = AF_INET, .port = port, .weight = 1 };
	d.addr.family = AF_INET;
	inet_pton(AF_INET, ip, &d.addr.u.v4);
	return d;
}

/* A genl message with cmd, carrying the service (and dest if any). */
static struct nl_msg *msg_with(uint8_t cmd, const struct ipvs_service *s,
			       int s_details, const struct ipvs_dest *d,
			       int d_details)
{
	struct nl_msg *m = nlmsg_alloc();

	assert_non_null(m);
	assert_non_null(genlmsg_put(m, 0, 7, FAMILY, 0, 0, cmd, IPVS_GENL_VERSION));
	if (s)
		assert_int_equal(ipvs_msg_service(m, s, s_details), 0);
	if (d)
		assert_int_equal(ipvs_msg_dest(m, d, d_details), 0);
	return m;
}

/* The nested attribute `type` at the top level of a genl message. */
static struct nlattr *top_attr(struct nl_msg *m, int type)
{
	struct nlmsghdr *h = nlmsg_hdr(m);

	return nlmsg_find_attr(h, GENL_HDRLEN, type);
}

static struct nlattr *inner_attr(struct nlattr *nest, int type)
{
	return nla_find(nla_data(nest), nla_len(nest), type);
}

/* A hand-made message for crafted or malformed input. */
struct raw {
	_Alignas(4) uint8_t b[2048];
	size_t off;
};

static void raw_init(struct raw *r, uint8_t cmd)
{
	memset(r, 0, sizeof(*r));
	struct genlmsghdr *g = (void *)(r->b + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = IPVS_GENL_VERSION;
	r->off = NLMSG_HDRLEN + GENL_HDRLEN;
}

static size_t raw_attr(struct raw *r, uint16_t type, const void *data, size_t len)
{
	size_t at = r->off;
	struct nlattr *a = (void *)(r->b + at);

	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (len)
		memcpy(r->b + at + NLA_HDRLEN, data, len);
	r->off += NLA_ALIGN(NLA_HDRLEN + len);
	return at;
}

static size_t raw_u16(struct raw *r, uint16_t type, uint16_t v)
{
	return raw_attr(r, type, &v, sizeof(v));
}

static size_t raw_u32(struct raw *r, uint16_t type, uint32_t v)
{
	return raw_attr(r, type, &v, sizeof(v));
}

static size_t raw_u64(struct raw *r, uint16_t type, uint64_t v)
{
	return raw_attr(r, type, &v, sizeof(v));
}

static size_t raw_nest(struct raw *r, uint16_t type)
{
	return raw_attr(r, type | NLA_F_NESTED, NULL, 0);
}

static void raw_end(struct raw *r, size_t nest)
{
	struct nlattr *a = (void *)(r->b + nest);

	a->nla_len = (uint16_t)(r->off - nest);
}

static struct nlmsghdr *raw_msg(struct raw *r)
{
	struct nlmsghdr *h = (void *)r->b;

	h->nlmsg_len = (uint32_t)r->off;
	h->nlmsg_type = FAMILY;
	return h;
}

/* A valid v4 TCP service key in raw form (inside an open nest). */
static void raw_svc_key(struct raw *r)
{
	struct in_addr a;

	inet_pton(AF_INET, "10.1.2.3", &a);
	raw_u16(r, IPVS_SVC_ATTR_AF, AF_INET);
	raw_u16(r, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
	raw_attr(r, IPVS_SVC_ATTR_ADDR, &a, sizeof(a));
	raw_u16(r, IPVS_SVC_ATTR_PORT, htons(8080));
}

/* -------------------------------------------------------------- tests */

static void test_service_v4_roundtrip(void **state)
{
	struct ipvs_service in = svc4(), out;
	struct nl_msg *m;

	in.flags = IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_ONEPACKET;
	in.timeout = 300;
	in.netmask = htonl(0xffffff00);
	strcpy(in.pe_name, "sip");
	m = msg_with(IPVS_CMD_NEW_SERVICE, &in, 1, NULL, 0);
	assert_int_equal(ipvs_parse_service_msg(nlmsg_hdr(m), &out), 0);
	assert_int_equal(out.af, AF_INET);
	assert_int_equal(out.addr.family, AF_INET);
	assert_int_equal(out.protocol, IPPROTO_TCP);
	assert_memory_equal(&out.addr.u.v4, &in.addr.u.v4, 4);
	assert_int_equal(out.port, 80);
	assert_int_equal(out.fwmark, 0);
	assert_string_equal(out.sched_name, "wlc");
	assert_int_equal(out.flags, IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_ONEPACKET);
	assert_int_equal(out.timeout, 300);
	assert_int_equal(out.netmask, htonl(0xffffff00));
	assert_string_equal(out.pe_name, "sip");
	/* the port travels in network order, as the kernel wants */
	struct nlattr *port = inner_attr(top_attr(m, IPVS_CMD_ATTR_SERVICE),
					 IPVS_SVC_ATTR_PORT);
	assert_non_null(port);
	assert_int_equal(nla_get_u16(port), htons(80));
	nlmsg_free(m);
}

static void test_service_v6_roundtrip(void **state)
{
	struct ipvs_service in = svc6(), out;
	struct nl_msg *m;

	in.netmask = 64;
	m = msg_with(IPVS_CMD_NEW_SERVICE, &in, 1, NULL, 0);
	assert_int_equal(ipvs_parse_service_msg(nlmsg_hdr(m), &out), 0);
	assert_int_equal(out.af, AF_INET6);
	assert_int_equal(out.protocol, IPPROTO_UDP);
	assert_memory_equal(&out.addr.u.v6, &in.addr.u.v6, 16);
	assert_int_equal(out.port, 53);
	assert_string_equal(out.sched_name, "sh");
	assert_int_equal(out.flags, IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2);
	assert_int_equal(out.netmask, 64);
	assert_string_equal(out.pe_name, "");
	/* no PE: no attribute (an edit without one drops the PE) */
	assert_null(inner_attr(top_attr(m, IPVS_CMD_ATTR_SERVICE),
			       IPVS_SVC_ATTR_PE_NAME));
	nlmsg_free(m);
}

static void test_service_fwmark(void **state)
{
	struct ipvs_service in = { .af = AF_INET6, .fwmark = 42,
				   .sched_name = "rr" }, out;
	struct nl_msg *m = msg_with(IPVS_CMD_NEW_SERVICE, &in, 1, NULL, 0);
	struct nlattr *nest = top_attr(m, IPVS_CMD_ATTR_SERVICE);

	assert_null(inner_attr(nest, IPVS_SVC_ATTR_PROTOCOL));
	assert_null(inner_attr(nest, IPVS_SVC_ATTR_ADDR));
	assert_null(inner_attr(nest, IPVS_SVC_ATTR_PORT));
	assert_int_equal(ipvs_parse_service_msg(nlmsg_hdr(m), &out), 0);
	assert_int_equal(out.af, AF_INET6);
	assert_int_equal(out.fwmark, 42);
	assert_string_equal(out.sched_name, "rr");
	assert_int_equal(out.netmask, 128); /* the default was sent */
	nlmsg_free(m);
}

static void test_service_key_only_and_defaults(void **state)
{
	struct ipvs_service in = svc4(), out;
	struct nl_msg *m = msg_with(IPVS_CMD_NEW_SERVICE, &in, 0, NULL, 0);
	struct nlattr *nest = top_attr(m, IPVS_CMD_ATTR_SERVICE);

	assert_null(inner_attr(nest, IPVS_SVC_ATTR_SCHED_NAME));
	assert_null(inner_attr(nest, IPVS_SVC_ATTR_FLAGS));
	assert_null(inner_attr(nest, IPVS_SVC_ATTR_TIMEOUT));
	assert_null(inner_attr(nest, IPVS_SVC_ATTR_NETMASK));
	assert_int_equal(ipvs_parse_service_msg(nlmsg_hdr(m), &out), 0);
	assert_int_equal(out.port, 80);
	assert_string_equal(out.sched_name, "");
	nlmsg_free(m);

	m = msg_with(IPVS_CMD_NEW_SERVICE, &in, 1, NULL, 0);
	assert_int_equal(ipvs_parse_service_msg(nlmsg_hdr(m), &out), 0);
	assert_int_equal(out.netmask, 0xffffffffu);
	nlmsg_free(m);

	/* a scheduler is needed to create or edit */
	in.sched_name[0] = 0;
	m = nlmsg_alloc();
	assert_int_equal(ipvs_msg_service(m, &in, 1), -EINVAL);
	in = svc4();
	in.af = AF_UNIX;
	assert_int_equal(ipvs_msg_service(m, &in, 0), -EINVAL);
	nlmsg_free(m);
}

static void test_service_hashed_flag_dropped(void **state)
{
	struct raw r;
	struct ip_vs_flags fl = {
		.flags = IP_VS_SVC_F_HASHED | IP_VS_SVC_F_PERSISTENT, .mask = ~0u,
	};
	struct ipvs_service out;

	raw_init(&r, IPVS_CMD_NEW_SERVICE);
	size_t n = raw_nest(&r, IPVS_CMD_ATTR_SERVICE);
	raw_svc_key(&r);
	raw_attr(&r, IPVS_SVC_ATTR_SCHED_NAME, "wrr", 4);
	raw_attr(&r, IPVS_SVC_ATTR_FLAGS, &fl, sizeof(fl));
	raw_u32(&r, IPVS_SVC_ATTR_TIMEOUT, 60);
	raw_u32(&r, IPVS_SVC_ATTR_NETMASK, 0xffffffff);
	raw_end(&r, n);
	assert_int_equal(ipvs_parse_service_msg(raw_msg(&r), &out), 0);
	assert_int_equal(out.flags, IP_VS_SVC_F_PERSISTENT);
	assert_int_equal(out.port, 8080);
	assert_int_equal(out.timeout, 60);
	assert_string_equal(out.sched_name, "wrr");
}

static void test_dest_roundtrip(void **state)
{
	struct ipvs_dest in = dest4("10.0.0.51", 80), out;
	struct nl_msg *m;

	in.fwd_method = IP_VS_CONN_F_MASQ;
	in.weight = INT32_MAX;
	in.u_threshold = 1000;
	in.l_threshold = 200;
	m = msg_with(IPVS_CMD_NEW_DEST, NULL, 0, &in, 1);
	assert_int_equal(ipvs_parse_dest_msg(nlmsg_hdr(m), AF_INET, &out), 0);
	assert_int_equal(out.af, AF_INET);
	assert_memory_equal(&out.addr.u.v4, &in.addr.u.v4, 4);
	assert_int_equal(out.port, 80);
	assert_int_equal(out.fwd_method, IP_VS_CONN_F_MASQ);
	assert_int_equal(out.weight, INT32_MAX);
	assert_int_equal(out.u_threshold, 1000);
	assert_int_equal(out.l_threshold, 200);
	/* no tunnel attributes unless tunnelling */
	assert_null(inner_attr(top_attr(m, IPVS_CMD_ATTR_DEST),
			       IPVS_DEST_ATTR_TUN_TYPE));
	nlmsg_free(m);

	/* v6 direct routing, weight 0 (quiescent) */
	struct ipvs_dest d6 = { .af = AF_INET6, .port = 443,
				.fwd_method = IP_VS_CONN_F_DROUTE };
	d6.addr.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::51", &d6.addr.u.v6);
	m = msg_with(IPVS_CMD_NEW_DEST, NULL, 0, &d6, 1);
	/* the family attribute wins over the service's */
	assert_int_equal(ipvs_parse_dest_msg(nlmsg_hdr(m), AF_INET, &out), 0);
	assert_int_equal(out.af, AF_INET6);
	assert_memory_equal(&out.addr.u.v6, &d6.addr.u.v6, 16);
	assert_int_equal(out.port, 443);
	assert_int_equal(out.fwd_method, IP_VS_CONN_F_DROUTE);
	assert_int_equal(out.weight, 0);
	nlmsg_free(m);

	/* tunnel with GUE */
	in = dest4("10.0.0.52", 80);
	in.fwd_method = IP_VS_CONN_F_TUNNEL;
	in.tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	in.tun_port = 6080;
	in.tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
	m = msg_with(IPVS_CMD_NEW_DEST, NULL, 0, &in, 1);
	assert_int_equal(ipvs_parse_dest_msg(nlmsg_hdr(m), AF_INET, &out), 0);
	assert_int_equal(out.fwd_method, IP_VS_CONN_F_TUNNEL);
	assert_int_equal(out.tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	assert_int_equal(out.tun_port, 6080);
	assert_int_equal(out.tun_flags, IP_VS_TUNNEL_ENCAP_FLAG_CSUM);
	nlmsg_free(m);

	/* a negative weight is refused before it reaches the kernel */
	in.weight = -1;
	m = nlmsg_alloc();
	assert_int_equal(ipvs_msg_dest(m, &in, 1), -ERANGE);
	nlmsg_free(m);
}

static void test_dest_family_default(void **state)
{
	struct raw r;
	struct in_addr a;
	struct ipvs_dest out;

	inet_pton(AF_INET, "10.9.9.9", &a);
	raw_init(&r, IPVS_CMD_NEW_DEST);
	size_t n = raw_nest(&r, IPVS_CMD_ATTR_DEST);
	raw_attr(&r, IPVS_DEST_ATTR_ADDR, &a, sizeof(a));
	raw_u16(&r, IPVS_DEST_ATTR_PORT, htons(25));
	raw_u32(&r, IPVS_DEST_ATTR_FWD_METHOD, IP_VS_CONN_F_DROUTE | 0x100);
	raw_u32(&r, IPVS_DEST_ATTR_ACTIVE_CONNS, 7);
	raw_u32(&r, IPVS_DEST_ATTR_INACT_CONNS, 8);
	raw_u32(&r, IPVS_DEST_ATTR_PERSIST_CONNS, 9);
	raw_end(&r, n);
	assert_int_equal(ipvs_parse_dest_msg(raw_msg(&r), AF_INET, &out), 0);
	assert_int_equal(out.af, AF_INET);
	assert_int_equal(out.port, 25);
	assert_int_equal(out.fwd_method, IP_VS_CONN_F_DROUTE);
	assert_int_equal(out.activeconns, 7);
	assert_int_equal(out.inactconns, 8);
	assert_int_equal(out.persistconns, 9);
}

/* Every op: the header, the command, and which attributes go. */
static void test_msg_op_all(void **state)
{
	static const struct {
		enum ipvs_op_type type;
		uint8_t cmd;
		int svc, svc_details, dest, dest_details;
	} t[] = {
		{ IPVS_OP_ADD_SERVICE, IPVS_CMD_NEW_SERVICE, 1, 1, 0, 0 },
		{ IPVS_OP_EDIT_SERVICE, IPVS_CMD_SET_SERVICE, 1, 1, 0, 0 },
		{ IPVS_OP_DEL_SERVICE, IPVS_CMD_DEL_SERVICE, 1, 0, 0, 0 },
		{ IPVS_OP_ADD_DEST, IPVS_CMD_NEW_DEST, 1, 0, 1, 1 },
		{ IPVS_OP_EDIT_DEST, IPVS_CMD_SET_DEST, 1, 0, 1, 1 },
		{ IPVS_OP_DEL_DEST, IPVS_CMD_DEL_DEST, 1, 0, 1, 0 },
		{ IPVS_OP_FLUSH, IPVS_CMD_FLUSH, 0, 0, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct ipvs_op op = { .type = t[i].type, .svc = svc4(),
				      .dest = dest4("10.0.0.51", 80) };
		struct nl_msg *m;
		struct nlmsghdr *h;
		struct genlmsghdr *g;
		struct nlattr *s, *d;

		op.dest.weight = 3;
		assert_int_equal(ipvs_msg_op(&op, FAMILY, 1000 + i, &m), 0);
		h = nlmsg_hdr(m);
		g = nlmsg_data(h);
		assert_int_equal(h->nlmsg_type, FAMILY);
		assert_int_equal(h->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
		assert_int_equal(h->nlmsg_seq, 1000 + i);
		assert_int_equal(g->cmd, t[i].cmd);
		assert_int_equal(g->version, IPVS_GENL_VERSION);
		s = top_attr(m, IPVS_CMD_ATTR_SERVICE);
		d = top_attr(m, IPVS_CMD_ATTR_DEST);
		assert_int_equal(s != NULL, t[i].svc);
		assert_int_equal(d != NULL, t[i].dest);
		if (s) {
			struct ipvs_service out;

			assert_int_equal(ipvs_parse_service(s, &out), 0);
			assert_int_equal(out.port, 80);
			assert_int_equal(inner_attr(s, IPVS_SVC_ATTR_SCHED_NAME) != NULL,
					 t[i].svc_details);
		}
		if (d) {
			struct ipvs_dest out;

			assert_int_equal(ipvs_parse_dest(d, AF_INET, &out), 0);
			assert_int_equal(out.port, 80);
			assert_int_equal(inner_attr(d, IPVS_DEST_ATTR_WEIGHT) != NULL,
					 t[i].dest_details);
			if (t[i].dest_details)
				assert_int_equal(out.weight, 3);
		}
		nlmsg_free(m);
	}
	struct ipvs_op bad = { .type = 99 };
	struct nl_msg *m = (void *)1;
	assert_int_equal(ipvs_msg_op(&bad, FAMILY, 1, &m), -EINVAL);
	assert_null(m);
}

/* Kernel replies carry 64-bit counters (STATS64), older ones 32-bit. */
static void test_stats64(void **state)
{
	struct raw r;
	struct ipvs_service out;
	const uint64_t big = 0x123456789abcULL;

	raw_init(&r, IPVS_CMD_NEW_SERVICE);
	size_t n = raw_nest(&r, IPVS_CMD_ATTR_SERVICE);
	raw_svc_key(&r);
	size_t st = raw_nest(&r, IPVS_SVC_ATTR_STATS64);
	raw_u64(&r, IPVS_STATS_ATTR_CONNS, big + 1);
	raw_u64(&r, IPVS_STATS_ATTR_INPKTS, big + 2);
	raw_u64(&r, IPVS_STATS_ATTR_OUTPKTS, big + 3);
	raw_u64(&r, IPVS_STATS_ATTR_INBYTES, big + 4);
	raw_u64(&r, IPVS_STATS_ATTR_OUTBYTES, big + 5);
	raw_u64(&r, IPVS_STATS_ATTR_CPS, big + 6);
	raw_u64(&r, IPVS_STATS_ATTR_INPPS, big + 7);
	raw_u64(&r, IPVS_STATS_ATTR_OUTPPS, big + 8);
	raw_u64(&r, IPVS_STATS_ATTR_INBPS, big + 9);
	raw_u64(&r, IPVS_STATS_ATTR_OUTBPS, big + 10);
	raw_attr(&r, IPVS_STATS_ATTR_PAD, NULL, 0);
	raw_end(&r, st);
	/* the 32-bit block is there too and must lose */
	st = raw_nest(&r, IPVS_SVC_ATTR_STATS);
	raw_u32(&r, IPVS_STATS_ATTR_CONNS, 1);
	raw_end(&r, st);
	raw_end(&r, n);
	assert_int_equal(ipvs_parse_service_msg(raw_msg(&r), &out), 0);
	assert_true(out.stats.conns == big + 1);
	assert_true(out.stats.inpkts == big + 2);
	assert_true(out.stats.outpkts == big + 3);
	assert_true(out.stats.inbytes == big + 4);
	assert_true(out.stats.outbytes == big + 5);
	assert_true(out.stats.cps == big + 6);
	assert_true(out.stats.inpps == big + 7);
	assert_true(out.stats.outpps == big + 8);
	assert_true(out.stats.inbps == big + 9);
	assert_true(out.stats.outbps == big + 10);

	/* 32-bit only, on a dest */
	struct ipvs_dest d;
	struct in_addr a;
	inet_pton(AF_INET, "10.0.0.1", &a);
	raw_init(&r, IPVS_CMD_NEW_DEST);
	n = raw_nest(&r, IPVS_CMD_ATTR_DEST);
	raw_attr(&r, IPVS_DEST_ATTR_ADDR, &a, sizeof(a));
	raw_u16(&r, IPVS_DEST_ATTR_PORT, htons(80));
	st = raw_nest(&r, IPVS_DEST_ATTR_STATS);
	raw_u32(&r, IPVS_STATS_ATTR_CONNS, 11);
	raw_u64(&r, IPVS_STATS_ATTR_INBYTES, big);
	raw_u32(&r, IPVS_STATS_ATTR_OUTBPS, 12);
	raw_end(&r, st);
	raw_end(&r, n);
	assert_int_equal(ipvs_parse_dest_msg(raw_msg(&r), AF_INET, &d), 0);
	assert_true(d.stats.conns == 11);
	assert_true(d.stats.inbytes == big);
	assert_true(d.stats.outbps == 12);
	assert_true(d.stats.inpkts == 0);

	/* a 32-bit value where 64 bits are due is refused */
	raw_init(&r, IPVS_CMD_NEW_DEST);
	n = raw_nest(&r, IPVS_CMD_ATTR_DEST);
	raw_attr(&r, IPVS_DEST_ATTR_ADDR, &a, sizeof(a));
	raw_u16(&r, IPVS_DEST_ATTR_PORT, htons(80));
	st = raw_nest(&r, IPVS_DEST_ATTR_STATS64);
	raw_u32(&r, IPVS_STATS_ATTR_CONNS, 11);
	raw_end(&r, st);
	raw_end(&r, n);
	assert_int_equal(ipvs_parse_dest_msg(raw_msg(&r), AF_INET, &d), -EINVAL);
}

/* Builds a service reply whose nest is shaped by `variant`. */
static struct nlmsghdr *bad_service(struct raw *r, int variant)
{
	struct in_addr a;
	char name[32];

	inet_pton(AF_INET, "10.1.2.3", &a);
	raw_init(r, IPVS_CMD_NEW_SERVICE);
	size_t n = raw_nest(r, IPVS_CMD_ATTR_SERVICE);
	switch (variant) {
	case 0: /* missing AF */
		raw_u16(r, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
		raw_attr(r, IPVS_SVC_ATTR_ADDR, &a, 4);
		raw_u16(r, IPVS_SVC_ATTR_PORT, htons(80));
		break;
	case 1: /* unknown AF */
		raw_u16(r, IPVS_SVC_ATTR_AF, 99);
		raw_u32(r, IPVS_SVC_ATTR_FWMARK, 1);
		break;
	case 2: /* AF as one byte */
		raw_attr(r, IPVS_SVC_ATTR_AF, "\x02", 1);
		raw_u32(r, IPVS_SVC_ATTR_FWMARK, 1);
		break;
	case 3: /* v6 with a 4-byte address */
		raw_u16(r, IPVS_SVC_ATTR_AF, AF_INET6);
		raw_u16(r, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
		raw_attr(r, IPVS_SVC_ATTR_ADDR, &a, 4);
		raw_u16(r, IPVS_SVC_ATTR_PORT, htons(80));
		break;
	case 4: /* no port */
		raw_u16(r, IPVS_SVC_ATTR_AF, AF_INET);
		raw_u16(r, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
		raw_attr(r, IPVS_SVC_ATTR_ADDR, &a, 4);
		break;
	case 5: /* scheduler name without its NUL */
		raw_svc_key(r);
		raw_attr(r, IPVS_SVC_ATTR_SCHED_NAME, "wlc", 3);
		break;
	case 6: /* scheduler name too long */
		raw_svc_key(r);
		memset(name, 'x', sizeof(name));
		name[sizeof(name) - 1] = 0;
		raw_attr(r, IPVS_SVC_ATTR_SCHED_NAME, name, sizeof(name));
		break;
	case 7: /* flags too short */
		raw_svc_key(r);
		raw_u32(r, IPVS_SVC_ATTR_FLAGS, 1);
		break;
	case 8: /* address longer than any family's */
		raw_u16(r, IPVS_SVC_ATTR_AF, AF_INET);
		raw_u16(r, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
		raw_attr(r, IPVS_SVC_ATTR_ADDR, name, 20);
		raw_u16(r, IPVS_SVC_ATTR_PORT, htons(80));
		break;
	case 9: /* fwmark 0 */
		raw_u16(r, IPVS_SVC_ATTR_AF, AF_INET);
		raw_u32(r, IPVS_SVC_ATTR_FWMARK, 0);
		break;
	case 10: { /* the last attribute runs past the nest */
		raw_svc_key(r);
		size_t at = raw_u32(r, IPVS_SVC_ATTR_TIMEOUT, 5);
		raw_end(r, n);
		((struct nlattr *)(r->b + at))->nla_len = 64;
		return raw_msg(r);
	}
	case 11: /* garbage after the last attribute */
		raw_svc_key(r);
		raw_end(r, n);
		((struct nlattr *)(r->b + n))->nla_len += 4;
		r->off += 4;
		return raw_msg(r);
	case 12: /* nested stats that are not well formed */
		raw_svc_key(r);
		{
			size_t st = raw_nest(r, IPVS_SVC_ATTR_STATS64);
			raw_u64(r, IPVS_STATS_ATTR_CONNS, 1);
			raw_end(r, st);
			((struct nlattr *)(r->b + st))->nla_len -= 2;
		}
		break;
	case 13: /* the service is not nested at all */
		raw_end(r, n);
		((struct nlattr *)(r->b + n))->nla_len = 3;
		r->off = n + 4;
		return raw_msg(r);
	}
	raw_end(r, n);
	return raw_msg(r);
}

static void test_malformed_service(void **state)
{
	struct raw r;
	struct ipvs_service out;

	for (int v = 0; v <= 13; v++) {
		int rc = ipvs_parse_service_msg(bad_service(&r, v), &out);

		if (rc != -EINVAL)
			fail_msg("variant %d: got %d", v, rc);
	}
	/* wrong command, and a message too short for its genl header */
	raw_init(&r, IPVS_CMD_NEW_DEST);
	size_t n = raw_nest(&r, IPVS_CMD_ATTR_SERVICE);
	raw_svc_key(&r);
	raw_end(&r, n);
	assert_int_equal(ipvs_parse_service_msg(raw_msg(&r), &out), -EINVAL);
	raw_msg(&r)->nlmsg_len = NLMSG_HDRLEN + 2;
	assert_int_equal(ipvs_parse_service_msg(raw_msg(&r), &out), -EINVAL);
	/* a message without the service attribute */
	raw_init(&r, IPVS_CMD_NEW_SERVICE);
	assert_int_equal(ipvs_parse_service_msg(raw_msg(&r), &out), -EINVAL);
}

static void test_malformed_dest(void **state)
{
	struct raw r;
	struct in_addr a;
	struct ipvs_dest out;
	size_t n;

	inet_pton(AF_INET, "10.0.0.1", &a);
	/* weight beyond INT32_MAX */
	raw_init(&r, IPVS_CMD_NEW_DEST);
	n = raw_nest(&r, IPVS_CMD_ATTR_DEST);
	raw_attr(&r, IPVS_DEST_ATTR_ADDR, &a, 4);
	raw_u16(&r, IPVS_DEST_ATTR_PORT, htons(80));
	raw_u32(&r, IPVS_DEST_ATTR_WEIGHT, 0x80000000u);
	raw_end(&r, n);
	assert_int_equal(ipvs_parse_dest_msg(raw_msg(&r), AF_INET, &out), -EINVAL);
	/* no address */
	raw_init(&r, IPVS_CMD_NEW_DEST);
	n = raw_nest(&r, IPVS_CMD_ATTR_DEST);
	raw_u16(&r, IPVS_DEST_ATTR_PORT, htons(80));
	raw_end(&r, n);
	assert_int_equal(ipvs_parse_dest_msg(raw_msg(&r), AF_INET, &out), -EINVAL);
	/* a v6 family with a v4-sized address */
	raw_init(&r, IPVS_CMD_NEW_DEST);
	n = raw_nest(&r, IPVS_CMD_ATTR_DEST);
	raw_attr(&r, IPVS_DEST_ATTR_ADDR, &a, 4);
	raw_u16(&r, IPVS_DEST_ATTR_PORT, htons(80));
	raw_u16(&r, IPVS_DEST_ATTR_ADDR_FAMILY, AF_INET6);
	raw_end(&r, n);
	assert_int_equal(ipvs_parse_dest_msg(raw_msg(&r), AF_INET, &out), -EINVAL);
	/* a port of one byte */
	raw_init(&r, IPVS_CMD_NEW_DEST);
	n = raw_nest(&r, IPVS_CMD_ATTR_DEST);
	raw_attr(&r, IPVS_DEST_ATTR_ADDR, &a, 4);
	raw_attr(&r, IPVS_DEST_ATTR_PORT, "\x50", 1);
	raw_end(&r, n);
	assert_int_equal(ipvs_parse_dest_msg(raw_msg(&r), AF_INET, &out), -EINVAL);
	/* an unknown service family and no family attribute */
	raw_init(&r, IPVS_CMD_NEW_DEST);
	n = raw_nest(&r, IPVS_CMD_ATTR_DEST);
	raw_attr(&r, IPVS_DEST_ATTR_ADDR, &a, 4);
	raw_u16(&r, IPVS_DEST_ATTR_PORT, htons(80));
	raw_end(&r, n);
	assert_int_equal(ipvs_parse_dest_msg(raw_msg(&r), 0, &out), -EINVAL);
	assert_int_equal(ipvs_parse_dest(NULL, AF_INET, &out), -EINVAL);
}

static void test_info(void **state)
{
	struct raw r;
	uint32_t v = 0, sz = 0;

	raw_init(&r, IPVS_CMD_SET_INFO);
	raw_u32(&r, IPVS_INFO_ATTR_VERSION, 0x010201);
	raw_u32(&r, IPVS_INFO_ATTR_CONN_TAB_SIZE, 4096);
	assert_int_equal(ipvs_parse_info_msg(raw_msg(&r), &v, &sz), 0);
	assert_int_equal(v, 0x010201);
	assert_int_equal(sz, 4096);
	raw_init(&r, IPVS_CMD_SET_INFO);
	raw_u32(&r, IPVS_INFO_ATTR_VERSION, 1);
	assert_int_equal(ipvs_parse_info_msg(raw_msg(&r), &v, &sz), -EINVAL);
}

static void test_names(void **state)
{
	char buf[IPVS_DESC_MAX], small[8];
	struct ipvs_op op = { .type = IPVS_OP_ADD_DEST, .svc = svc4(),
			      .dest = dest4("10.0.0.51", 80) };

	assert_int_equal(ipvs_op_describe(&op, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "add real server 10.0.0.51:80 to TCP 192.168.0.30:80");
	op.type = IPVS_OP_DEL_DEST;
	ipvs_op_describe(&op, buf, sizeof(buf));
	assert_string_equal(buf, "delete real server 10.0.0.51:80 from TCP 192.168.0.30:80");
	op.type = IPVS_OP_EDIT_DEST;
	ipvs_op_describe(&op, buf, sizeof(buf));
	assert_string_equal(buf, "edit real server 10.0.0.51:80 of TCP 192.168.0.30:80");
	op.type = IPVS_OP_EDIT_SERVICE;
	op.svc = svc6();
	ipvs_op_describe(&op, buf, sizeof(buf));
	assert_string_equal(buf, "edit virtual server UDP [2001:db8::1]:53");
	op.type = IPVS_OP_DEL_SERVICE;
	op.svc = (struct ipvs_service){ .af = AF_INET, .fwmark = 7 };
	ipvs_op_describe(&op, buf, sizeof(buf));
	assert_string_equal(buf, "delete virtual server FWM 7");
	op.svc.af = AF_INET6;
	ipvs_service_str(&op.svc, buf, sizeof(buf));
	assert_string_equal(buf, "FWM 7 IPv6");
	op.svc = svc4();
	op.svc.protocol = IPPROTO_SCTP;
	ipvs_service_str(&op.svc, buf, sizeof(buf));
	assert_string_equal(buf, "SCTP 192.168.0.30:80");
	assert_int_equal(ipvs_service_str(&op.svc, small, sizeof(small)), -ENOSPC);
	assert_string_equal(small, "SCTP 19"); /* cut, still terminated */
	op.type = IPVS_OP_FLUSH;
	ipvs_op_describe(&op, buf, sizeof(buf));
	assert_string_equal(buf, "flush virtual servers");
	assert_string_equal(ipvs_strerror(-EPROTONOSUPPORT),
			    "IPVS not available: load the ip_vs module (modprobe ip_vs)");
	assert_string_equal(ipvs_strerror(-ENOENT), "No such file or directory");
	assert_string_equal(ipvs_proto_str(47, buf, sizeof(buf)), "proto 47");
}

static void test_batch(void **state)
{
	struct ipvs_batch b;
	struct ipvs_service s = svc4();
	struct ipvs_dest d = dest4("10.0.0.51", 80);

	ipvs_batch_init(&b);
	for (int i = 0; i < 1000; i++) {
		d.port = (uint16_t)i;
		assert_int_equal(ipvs_batch_add_dest(&b, &s, &d), 0);
	}
	assert_int_equal(ipvs_batch_del_service(&b, &s), 0);
	assert_int_equal(ipvs_batch_flush(&b), 0);
	assert_int_equal(b.n, 1002);
	assert_int_equal(b.ops[999].type, IPVS_OP_ADD_DEST);
	assert_int_equal(b.ops[999].dest.port, 999);
	assert_int_equal(b.ops[1000].type, IPVS_OP_DEL_SERVICE);
	assert_int_equal(b.ops[1001].type, IPVS_OP_FLUSH);
	ipvs_batch_reset(&b);
	assert_int_equal(b.n, 0);
	assert_int_equal(ipvs_batch_edit_service(&b, &s), 0);
	assert_int_equal(b.ops[0].type, IPVS_OP_EDIT_SERVICE);
	ipvs_batch_free(&b);
	assert_null(b.ops);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_service_v4_roundtrip),
		cmocka_unit_test(test_service_v6_roundtrip),
		cmocka_unit_test(test_service_fwmark),
		cmocka_unit_test(test_service_key_only_and_defaults),
		cmocka_unit_test(test_service_hashed_flag_dropped),
		cmocka_unit_test(test_dest_roundtrip),
		cmocka_unit_test(test_dest_family_default),
		cmocka_unit_test(test_msg_op_all),
		cmocka_unit_test(test_stats64),
		cmocka_unit_test(test_malformed_service),
		cmocka_unit_test(test_malformed_dest),
		cmocka_unit_test(test_info),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_batch),
	};

	return cmocka_run_group_tests_name("ipvs", tests, NULL, NULL);
}
