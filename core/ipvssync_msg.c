/* ipvssync_msg.c — the IPVS sync daemon's genl messages, without a socket:
 * NEW_DAEMON / DEL_DAEMON / GET_DAEMON requests built, the GET_DAEMON
 * dump's replies parsed (untrusted input: checked against a policy). */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "ipvssync_msg.h"

#include "ipvs_msg.h"

const char *ipvssync_state_str(uint32_t state)
{
	return state == IP_VS_STATE_MASTER ? "master"
	     : state == IP_VS_STATE_BACKUP ? "backup" : "none";
}

static int is_multicast(const struct lvsd_addr *a)
{
	if (a->family == AF_INET)
		return (ntohl(a->u.v4.s_addr) & 0xf0000000u) == 0xe0000000u;
	if (a->family == AF_INET6)
		return a->u.v6.s6_addr[0] == 0xff;
	return 0;
}

static int valid_state(uint32_t s)
{
	return s == IP_VS_STATE_MASTER || s == IP_VS_STATE_BACKUP;
}

int ipvssync_msg_new(int family, uint32_t seq, const struct ipvssync_daemon *d,
		     struct nl_msg **out)
{
	struct nl_msg *msg;
	struct nlattr *nest;
	size_t iflen = strnlen(d->ifname, sizeof(d->ifname));
	int rc;

	*out = NULL;
	if (!valid_state(d->state) || iflen == 0 || iflen >= sizeof(d->ifname) ||
	    (d->group.family && !is_multicast(&d->group)) || d->syncid > 255)
		return -EINVAL;
	rc = ipvs_msg_request(family, seq, IPVS_CMD_NEW_DAEMON, NLM_F_ACK, &msg);
	if (rc < 0)
		return rc;
	nest = nla_nest_start(msg, IPVS_CMD_ATTR_DAEMON);
	if (!nest ||
	    nla_put_u32(msg, IPVS_DAEMON_ATTR_STATE, d->state) < 0 ||
	    nla_put_string(msg, IPVS_DAEMON_ATTR_MCAST_IFN, d->ifname) < 0 ||
	    nla_put_u32(msg, IPVS_DAEMON_ATTR_SYNC_ID, d->syncid) < 0 ||
	    (d->maxlen &&
	     nla_put_u16(msg, IPVS_DAEMON_ATTR_SYNC_MAXLEN, d->maxlen) < 0) ||
	    (d->group.family == AF_INET &&
	     nla_put(msg, IPVS_DAEMON_ATTR_MCAST_GROUP, 4, &d->group.u.v4) < 0) ||
	    (d->group.family == AF_INET6 &&
	     nla_put(msg, IPVS_DAEMON_ATTR_MCAST_GROUP6, 16, &d->group.u.v6) < 0) ||
	    /* the kernel reads the port in host order */
	    (d->port && nla_put_u16(msg, IPVS_DAEMON_ATTR_MCAST_PORT, d->port) < 0) ||
	    (d->ttl && nla_put_u8(msg, IPVS_DAEMON_ATTR_MCAST_TTL, d->ttl) < 0)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	*out = msg;
	return 0;
}

int ipvssync_msg_del(int family, uint32_t seq, uint32_t state,
		     struct nl_msg **out)
{
	struct nl_msg *msg;
	struct nlattr *nest;
	int rc;

	*out = NULL;
	if (!valid_state(state))
		return -EINVAL;
	rc = ipvs_msg_request(family, seq, IPVS_CMD_DEL_DAEMON, NLM_F_ACK, &msg);
	if (rc < 0)
		return rc;
	nest = nla_nest_start(msg, IPVS_CMD_ATTR_DAEMON);
	if (!nest || nla_put_u32(msg, IPVS_DAEMON_ATTR_STATE, state) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	*out = msg;
	return 0;
}

int ipvssync_msg_get(int family, uint32_t seq, struct nl_msg **out)
{
	return ipvs_msg_request(family, seq, IPVS_CMD_GET_DAEMON, NLM_F_DUMP, out);
}

/* ============================================================ parsing */

/* Attributes in [head, head + len): all whole, each fitting its policy. */
static int parse_area(struct nlattr **tb, int max, struct nlattr *head, int len,
		      const struct nla_policy *policy)
{
	struct nlattr *pos;
	int rem;

	if (len < 0)
		return -EINVAL;
	nla_for_each_attr(pos, head, len, rem) {
	}
	/* rem is 0, or -1..-3 when the last attribute lacks its padding. */
	if (rem > 0 || rem <= -NLA_ALIGNTO)
		return -EINVAL;
	return nla_parse(tb, max, head, len, policy) < 0 ? -EINVAL : 0;
}

static const struct nla_policy daemon_policy[IPVS_DAEMON_ATTR_MAX + 1] = {
	[IPVS_DAEMON_ATTR_STATE] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_MCAST_IFN] = { .type = NLA_STRING },
	[IPVS_DAEMON_ATTR_SYNC_ID] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_SYNC_MAXLEN] = { .type = NLA_U16 },
	[IPVS_DAEMON_ATTR_MCAST_GROUP] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_MCAST_GROUP6] = { .minlen = 16 },
	[IPVS_DAEMON_ATTR_MCAST_PORT] = { .type = NLA_U16 },
	[IPVS_DAEMON_ATTR_MCAST_TTL] = { .type = NLA_U8 },
};

static const struct nla_policy cmd_policy[IPVS_CMD_ATTR_MAX + 1] = {
	[IPVS_CMD_ATTR_SERVICE] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DEST] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DAEMON] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_TIMEOUT_TCP] = { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN] = { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_UDP] = { .type = NLA_U32 },
};

int ipvssync_parse_daemon(struct nlattr *nested, struct ipvssync_daemon *out)
{
	struct nlattr *tb[IPVS_DAEMON_ATTR_MAX + 1];
	const struct nlattr *a;
	const char *s;
	int n;

	memset(out, 0, sizeof(*out));
	if (!nested || nla_len(nested) < 0 ||
	    parse_area(tb, IPVS_DAEMON_ATTR_MAX, nla_data(nested),
		       nla_len(nested), daemon_policy) < 0)
		goto bad;
	if (!tb[IPVS_DAEMON_ATTR_STATE] || !tb[IPVS_DAEMON_ATTR_MCAST_IFN] ||
	    !tb[IPVS_DAEMON_ATTR_SYNC_ID])
		goto bad;
	out->state = nla_get_u32(tb[IPVS_DAEMON_ATTR_STATE]);
	if (!valid_state(out->state))
		goto bad;
	a = tb[IPVS_DAEMON_ATTR_MCAST_IFN];
	s = nla_data(a);
	n = nla_len(a);
	if (n < 1 || !memchr(s, 0, (size_t)n) ||
	    strnlen(s, (size_t)n) >= sizeof(out->ifname))
		goto bad;
	memcpy(out->ifname, s, strnlen(s, (size_t)n) + 1);
	out->syncid = nla_get_u32(tb[IPVS_DAEMON_ATTR_SYNC_ID]);
	if (tb[IPVS_DAEMON_ATTR_SYNC_MAXLEN])
		out->maxlen = nla_get_u16(tb[IPVS_DAEMON_ATTR_SYNC_MAXLEN]);
	if (tb[IPVS_DAEMON_ATTR_MCAST_PORT])
		out->port = nla_get_u16(tb[IPVS_DAEMON_ATTR_MCAST_PORT]);
	if (tb[IPVS_DAEMON_ATTR_MCAST_TTL])
		out->ttl = nla_get_u8(tb[IPVS_DAEMON_ATTR_MCAST_TTL]);
	if ((a = tb[IPVS_DAEMON_ATTR_MCAST_GROUP6])) {
		if (nla_len(a) != 16)
			goto bad;
		out->group.family = AF_INET6;
		memcpy(&out->group.u.v6, nla_data(a), 16);
	} else if ((a = tb[IPVS_DAEMON_ATTR_MCAST_GROUP])) {
		out->group.family = AF_INET;
		memcpy(&out->group.u.v4, nla_data(a), 4);
	}
	return 0;
bad:
	memset(out, 0, sizeof(*out));
	return -EINVAL;
}

int ipvssync_parse_msg(struct nlmsghdr *nlh, struct ipvssync_daemon *out)
{
	struct nlattr *tb[IPVS_CMD_ATTR_MAX + 1];
	struct genlmsghdr *gh;

	memset(out, 0, sizeof(*out));
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EINVAL;
	gh = nlmsg_data(nlh);
	if (gh->cmd != IPVS_CMD_NEW_DAEMON ||
	    parse_area(tb, IPVS_CMD_ATTR_MAX, genlmsg_attrdata(gh, 0),
		       genlmsg_attrlen(gh, 0), cmd_policy) < 0)
		return -EINVAL;
	return ipvssync_parse_daemon(tb[IPVS_CMD_ATTR_DAEMON], out);
}

/* ========================================================= comparing */

int ipvssync_same(const struct ipvssync_daemon *a, const struct ipvssync_daemon *k)
{
	struct lvsd_addr g = a->group;

	if (!g.family) {
		g.family = AF_INET;
		inet_pton(AF_INET, IPVSSYNC_DEFAULT_GROUP, &g.u.v4);
	}
	if (a->state != k->state || strcmp(a->ifname, k->ifname) != 0 ||
	    a->syncid != k->syncid)
		return 0;
	/* Kernels before 4.3 send none of the optional fields: 0 is fine.
	 * maxlen is not compared: the kernel clamps it to the MTU. */
	if (k->port && (a->port ? a->port : IPVSSYNC_DEFAULT_PORT) != k->port)
		return 0;
	if (k->ttl && (a->ttl ? a->ttl : IPVSSYNC_DEFAULT_TTL) != k->ttl)
		return 0;
	if (k->group.family && (g.family != k->group.family ||
	    memcmp(&g.u, &k->group.u, g.family == AF_INET ? 4 : 16) != 0))
		return 0;
	return 1;
}
