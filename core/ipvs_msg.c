/* ipvs_msg.c — the "IPVS" genl family's messages, without a socket:
 * requests built from virtual and real servers, kernel replies parsed
 * (untrusted input: every attribute checked against a policy). */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "ipvs_msg.h"

static int addr_len(int af)
{
	return af == AF_INET ? 4 : af == AF_INET6 ? 16 : -1;
}

uint32_t ipvs_netmask_default(int af)
{
	return af == AF_INET6 ? 128 : 0xffffffffu;
}

/* ========================================================== building */

static int put_addr(struct nl_msg *msg, int type, int af,
		    const struct lvsd_addr *a)
{
	/* Sent at the kernel's size (union nf_inet_addr), zero-padded. */
	uint8_t buf[16] = {0};
	int len = addr_len(af);

	if (len < 0)
		return -EINVAL;
	memcpy(buf, &a->u, (size_t)len);
	return nla_put(msg, type, sizeof(buf), buf) < 0 ? -EMSGSIZE : 0;
}

int ipvs_msg_service(struct nl_msg *msg, const struct ipvs_service *svc,
		     int with_details)
{
	struct nlattr *nest;
	int rc = -EMSGSIZE;

	if (addr_len(svc->af) < 0)
		return -EINVAL;
	if (with_details && (!svc->sched_name[0] ||
			     !memchr(svc->sched_name, 0, sizeof(svc->sched_name)) ||
			     !memchr(svc->pe_name, 0, sizeof(svc->pe_name))))
		return -EINVAL;
	nest = nla_nest_start(msg, IPVS_CMD_ATTR_SERVICE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(msg, IPVS_SVC_ATTR_AF, (uint16_t)svc->af) < 0)
		goto fail;
	if (svc->fwmark) {
		if (nla_put_u32(msg, IPVS_SVC_ATTR_FWMARK, svc->fwmark) < 0)
			goto fail;
	} else {
		if (nla_put_u16(msg, IPVS_SVC_ATTR_PROTOCOL, svc->protocol) < 0 ||
		    (rc = put_addr(msg, IPVS_SVC_ATTR_ADDR, svc->af, &svc->addr)) < 0 ||
		    nla_put_u16(msg, IPVS_SVC_ATTR_PORT, htons(svc->port)) < 0)
			goto fail;
	}
	if (with_details) {
		struct ip_vs_flags fl = {
			.flags = svc->flags & ~(uint32_t)IP_VS_SVC_F_HASHED,
			.mask = ~0u,
		};
		uint32_t mask = svc->netmask ? svc->netmask
					     : ipvs_netmask_default(svc->af);

		rc = -EMSGSIZE;
		if (nla_put_string(msg, IPVS_SVC_ATTR_SCHED_NAME, svc->sched_name) < 0 ||
		    nla_put(msg, IPVS_SVC_ATTR_FLAGS, sizeof(fl), &fl) < 0 ||
		    nla_put_u32(msg, IPVS_SVC_ATTR_TIMEOUT, svc->timeout) < 0 ||
		    nla_put_u32(msg, IPVS_SVC_ATTR_NETMASK, mask) < 0)
			goto fail;
		/* No PE attribute means "none": an edit without it drops one. */
		if (svc->pe_name[0] &&
		    nla_put_string(msg, IPVS_SVC_ATTR_PE_NAME, svc->pe_name) < 0)
			goto fail;
	}
	nla_nest_end(msg, nest);
	return 0;
fail:
	nla_nest_cancel(msg, nest);
	return rc;
}

int ipvs_msg_dest(struct nl_msg *msg, const struct ipvs_dest *dest,
		  int with_details)
{
	struct nlattr *nest;
	int rc = -EMSGSIZE;

	if (addr_len(dest->af) < 0)
		return -EINVAL;
	if (with_details && dest->weight < 0)
		return -ERANGE;
	nest = nla_nest_start(msg, IPVS_CMD_ATTR_DEST);
	if (!nest)
		return -EMSGSIZE;
	if ((rc = put_addr(msg, IPVS_DEST_ATTR_ADDR, dest->af, &dest->addr)) < 0)
		goto fail;
	rc = -EMSGSIZE;
	if (nla_put_u16(msg, IPVS_DEST_ATTR_PORT, htons(dest->port)) < 0 ||
	    nla_put_u16(msg, IPVS_DEST_ATTR_ADDR_FAMILY, (uint16_t)dest->af) < 0)
		goto fail;
	if (with_details) {
		uint32_t fwd = dest->fwd_method & IP_VS_CONN_F_FWD_MASK;

		if (nla_put_u32(msg, IPVS_DEST_ATTR_FWD_METHOD, fwd) < 0 ||
		    nla_put_u32(msg, IPVS_DEST_ATTR_WEIGHT, (uint32_t)dest->weight) < 0 ||
		    nla_put_u32(msg, IPVS_DEST_ATTR_U_THRESH, dest->u_threshold) < 0 ||
		    nla_put_u32(msg, IPVS_DEST_ATTR_L_THRESH, dest->l_threshold) < 0)
			goto fail;
		if (fwd == IP_VS_CONN_F_TUNNEL &&
		    (nla_put_u8(msg, IPVS_DEST_ATTR_TUN_TYPE, dest->tun_type) < 0 ||
		     nla_put_u16(msg, IPVS_DEST_ATTR_TUN_PORT, htons(dest->tun_port)) < 0 ||
		     nla_put_u16(msg, IPVS_DEST_ATTR_TUN_FLAGS, dest->tun_flags) < 0))
			goto fail;
	}
	nla_nest_end(msg, nest);
	return 0;
fail:
	nla_nest_cancel(msg, nest);
	return rc;
}

int ipvs_msg_request(int family, uint32_t seq, uint8_t cmd, int flags,
		     struct nl_msg **out)
{
	struct nl_msg *msg = nlmsg_alloc_size(1024);

	*out = NULL;
	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, seq, family, 0, NLM_F_REQUEST | flags,
			 cmd, IPVS_GENL_VERSION)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	*out = msg;
	return 0;
}

int ipvs_msg_op(const struct ipvs_op *op, int family, uint32_t seq,
		struct nl_msg **out)
{
	static const uint8_t cmds[] = {
		[IPVS_OP_ADD_SERVICE] = IPVS_CMD_NEW_SERVICE,
		[IPVS_OP_EDIT_SERVICE] = IPVS_CMD_SET_SERVICE,
		[IPVS_OP_DEL_SERVICE] = IPVS_CMD_DEL_SERVICE,
		[IPVS_OP_ADD_DEST] = IPVS_CMD_NEW_DEST,
		[IPVS_OP_EDIT_DEST] = IPVS_CMD_SET_DEST,
		[IPVS_OP_DEL_DEST] = IPVS_CMD_DEL_DEST,
		[IPVS_OP_FLUSH] = IPVS_CMD_FLUSH,
	};
	struct nl_msg *msg;
	int rc = 0;

	*out = NULL;
	if (op->type < IPVS_OP_ADD_SERVICE || op->type > IPVS_OP_FLUSH)
		return -EINVAL;
	rc = ipvs_msg_request(family, seq, cmds[op->type], NLM_F_ACK, &msg);
	if (rc < 0)
		return rc;
	switch (op->type) {
	case IPVS_OP_ADD_SERVICE:
	case IPVS_OP_EDIT_SERVICE:
		rc = ipvs_msg_service(msg, &op->svc, 1);
		break;
	case IPVS_OP_DEL_SERVICE:
		rc = ipvs_msg_service(msg, &op->svc, 0);
		break;
	case IPVS_OP_ADD_DEST:
	case IPVS_OP_EDIT_DEST:
		rc = ipvs_msg_service(msg, &op->svc, 0);
		if (!rc)
			rc = ipvs_msg_dest(msg, &op->dest, 1);
		break;
	case IPVS_OP_DEL_DEST:
		rc = ipvs_msg_service(msg, &op->svc, 0);
		if (!rc)
			rc = ipvs_msg_dest(msg, &op->dest, 0);
		break;
	case IPVS_OP_FLUSH:
		break;
	}
	if (rc < 0) {
		nlmsg_free(msg);
		return rc;
	}
	*out = msg;
	return 0;
}

/* =========================================================== parsing */

/* nla_parse with a policy, after checking that the attributes fill the
 * area exactly (libnl ignores a truncated last attribute). */
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

static int parse_nested(struct nlattr **tb, int max, struct nlattr *nested,
			const struct nla_policy *policy)
{
	return parse_area(tb, max, nla_data(nested), nla_len(nested), policy);
}

/* A NUL-terminated string attribute into a buffer of size len. */
static int get_str(char *dst, size_t len, const struct nlattr *a)
{
	const char *s = nla_data(a);
	int n = nla_len(a);

	if (n < 1 || !memchr(s, 0, (size_t)n) || strnlen(s, (size_t)n) >= len)
		return -EINVAL;
	memcpy(dst, s, strnlen(s, (size_t)n) + 1);
	return 0;
}

static int get_addr(struct lvsd_addr *dst, int af, const struct nlattr *a)
{
	int len = addr_len(af);

	if (len < 0 || nla_len(a) < len)
		return -EINVAL;
	memset(dst, 0, sizeof(*dst));
	dst->family = af;
	memcpy(&dst->u, nla_data(a), (size_t)len);
	return 0;
}

static const struct nla_policy stats64_policy[IPVS_STATS_ATTR_MAX + 1] = {
	[IPVS_STATS_ATTR_CONNS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INPKTS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTPKTS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INBYTES] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTBYTES] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_CPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INPPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTPPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INBPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTBPS] = { .type = NLA_U64 },
};

static const struct nla_policy stats32_policy[IPVS_STATS_ATTR_MAX + 1] = {
	[IPVS_STATS_ATTR_CONNS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_INPKTS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_OUTPKTS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_INBYTES] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTBYTES] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_CPS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_INPPS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_OUTPPS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_INBPS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_OUTBPS] = { .type = NLA_U32 },
};

int ipvs_parse_stats(struct nlattr *nested, int is64, struct ipvs_stats *out)
{
	struct nlattr *tb[IPVS_STATS_ATTR_MAX + 1];
	const struct nla_policy *pol = is64 ? stats64_policy : stats32_policy;
	uint64_t *dst[IPVS_STATS_ATTR_MAX + 1] = {
		[IPVS_STATS_ATTR_CONNS] = &out->conns,
		[IPVS_STATS_ATTR_INPKTS] = &out->inpkts,
		[IPVS_STATS_ATTR_OUTPKTS] = &out->outpkts,
		[IPVS_STATS_ATTR_INBYTES] = &out->inbytes,
		[IPVS_STATS_ATTR_OUTBYTES] = &out->outbytes,
		[IPVS_STATS_ATTR_CPS] = &out->cps,
		[IPVS_STATS_ATTR_INPPS] = &out->inpps,
		[IPVS_STATS_ATTR_OUTPPS] = &out->outpps,
		[IPVS_STATS_ATTR_INBPS] = &out->inbps,
		[IPVS_STATS_ATTR_OUTBPS] = &out->outbps,
	};
	int rc = parse_nested(tb, IPVS_STATS_ATTR_MAX, nested, pol);

	memset(out, 0, sizeof(*out));
	if (rc < 0)
		return rc;
	for (int i = IPVS_STATS_ATTR_CONNS; i <= IPVS_STATS_ATTR_OUTBPS; i++) {
		if (!tb[i])
			continue;
		*dst[i] = pol[i].type == NLA_U64 ? nla_get_u64(tb[i])
						 : nla_get_u32(tb[i]);
	}
	return 0;
}

/* The counters from the 64-bit attribute when there is one, else from the
 * 32-bit one; none is fine (left 0). */
static int parse_stats_either(struct nlattr *s64, struct nlattr *s32,
			      struct ipvs_stats *out)
{
	if (s64)
		return ipvs_parse_stats(s64, 1, out);
	if (s32)
		return ipvs_parse_stats(s32, 0, out);
	return 0;
}

static const struct nla_policy svc_policy[IPVS_SVC_ATTR_MAX + 1] = {
	[IPVS_SVC_ATTR_AF] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_PROTOCOL] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_ADDR] = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[IPVS_SVC_ATTR_PORT] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_FWMARK] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_SCHED_NAME] = { .type = NLA_STRING,
				       .maxlen = IP_VS_SCHEDNAME_MAXLEN },
	[IPVS_SVC_ATTR_FLAGS] = { .type = NLA_UNSPEC,
				  .minlen = sizeof(struct ip_vs_flags) },
	[IPVS_SVC_ATTR_TIMEOUT] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_NETMASK] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_STATS] = { .type = NLA_NESTED },
	[IPVS_SVC_ATTR_PE_NAME] = { .type = NLA_STRING,
				    .maxlen = IP_VS_PENAME_MAXLEN },
	[IPVS_SVC_ATTR_STATS64] = { .type = NLA_NESTED },
};

int ipvs_parse_service(struct nlattr *nested, struct ipvs_service *out)
{
	struct nlattr *tb[IPVS_SVC_ATTR_MAX + 1];
	int rc;

	memset(out, 0, sizeof(*out));
	if (!nested)
		return -EINVAL;
	rc = parse_nested(tb, IPVS_SVC_ATTR_MAX, nested, svc_policy);
	if (rc < 0)
		return rc;
	if (!tb[IPVS_SVC_ATTR_AF])
		return -EINVAL;
	out->af = nla_get_u16(tb[IPVS_SVC_ATTR_AF]);
	if (addr_len(out->af) < 0)
		return -EINVAL;
	out->addr.family = out->af;
	if (tb[IPVS_SVC_ATTR_FWMARK]) {
		out->fwmark = nla_get_u32(tb[IPVS_SVC_ATTR_FWMARK]);
		if (!out->fwmark)
			return -EINVAL;
	} else {
		if (!tb[IPVS_SVC_ATTR_PROTOCOL] || !tb[IPVS_SVC_ATTR_ADDR] ||
		    !tb[IPVS_SVC_ATTR_PORT])
			return -EINVAL;
		out->protocol = nla_get_u16(tb[IPVS_SVC_ATTR_PROTOCOL]);
		if (get_addr(&out->addr, out->af, tb[IPVS_SVC_ATTR_ADDR]) < 0)
			return -EINVAL;
		out->port = ntohs(nla_get_u16(tb[IPVS_SVC_ATTR_PORT]));
	}
	if (tb[IPVS_SVC_ATTR_SCHED_NAME] &&
	    get_str(out->sched_name, sizeof(out->sched_name),
		    tb[IPVS_SVC_ATTR_SCHED_NAME]) < 0)
		return -EINVAL;
	if (tb[IPVS_SVC_ATTR_PE_NAME] &&
	    get_str(out->pe_name, sizeof(out->pe_name), tb[IPVS_SVC_ATTR_PE_NAME]) < 0)
		return -EINVAL;
	if (tb[IPVS_SVC_ATTR_FLAGS]) {
		struct ip_vs_flags fl;

		memcpy(&fl, nla_data(tb[IPVS_SVC_ATTR_FLAGS]), sizeof(fl));
		out->flags = fl.flags & fl.mask & ~(uint32_t)IP_VS_SVC_F_HASHED;
	}
	if (tb[IPVS_SVC_ATTR_TIMEOUT])
		out->timeout = nla_get_u32(tb[IPVS_SVC_ATTR_TIMEOUT]);
	if (tb[IPVS_SVC_ATTR_NETMASK])
		out->netmask = nla_get_u32(tb[IPVS_SVC_ATTR_NETMASK]);
	return parse_stats_either(tb[IPVS_SVC_ATTR_STATS64],
				  tb[IPVS_SVC_ATTR_STATS], &out->stats);
}

static const struct nla_policy dest_policy[IPVS_DEST_ATTR_MAX + 1] = {
	[IPVS_DEST_ATTR_ADDR] = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[IPVS_DEST_ATTR_PORT] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_FWD_METHOD] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_WEIGHT] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_U_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_L_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_ACTIVE_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_INACT_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_PERSIST_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_STATS] = { .type = NLA_NESTED },
	[IPVS_DEST_ATTR_ADDR_FAMILY] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_STATS64] = { .type = NLA_NESTED },
	[IPVS_DEST_ATTR_TUN_TYPE] = { .type = NLA_U8 },
	[IPVS_DEST_ATTR_TUN_PORT] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_TUN_FLAGS] = { .type = NLA_U16 },
};

int ipvs_parse_dest(struct nlattr *nested, int svc_af, struct ipvs_dest *out)
{
	struct nlattr *tb[IPVS_DEST_ATTR_MAX + 1];
	int rc;

	memset(out, 0, sizeof(*out));
	if (!nested)
		return -EINVAL;
	rc = parse_nested(tb, IPVS_DEST_ATTR_MAX, nested, dest_policy);
	if (rc < 0)
		return rc;
	out->af = tb[IPVS_DEST_ATTR_ADDR_FAMILY]
			  ? nla_get_u16(tb[IPVS_DEST_ATTR_ADDR_FAMILY]) : svc_af;
	if (addr_len(out->af) < 0 || !tb[IPVS_DEST_ATTR_ADDR] ||
	    !tb[IPVS_DEST_ATTR_PORT] ||
	    get_addr(&out->addr, out->af, tb[IPVS_DEST_ATTR_ADDR]) < 0)
		return -EINVAL;
	out->port = ntohs(nla_get_u16(tb[IPVS_DEST_ATTR_PORT]));
	if (tb[IPVS_DEST_ATTR_FWD_METHOD])
		out->fwd_method = nla_get_u32(tb[IPVS_DEST_ATTR_FWD_METHOD]) &
				  IP_VS_CONN_F_FWD_MASK;
	if (tb[IPVS_DEST_ATTR_WEIGHT]) {
		uint32_t w = nla_get_u32(tb[IPVS_DEST_ATTR_WEIGHT]);

		if (w > INT32_MAX)
			return -EINVAL;
		out->weight = (int)w;
	}
	if (tb[IPVS_DEST_ATTR_U_THRESH])
		out->u_threshold = nla_get_u32(tb[IPVS_DEST_ATTR_U_THRESH]);
	if (tb[IPVS_DEST_ATTR_L_THRESH])
		out->l_threshold = nla_get_u32(tb[IPVS_DEST_ATTR_L_THRESH]);
	if (tb[IPVS_DEST_ATTR_ACTIVE_CONNS])
		out->activeconns = nla_get_u32(tb[IPVS_DEST_ATTR_ACTIVE_CONNS]);
	if (tb[IPVS_DEST_ATTR_INACT_CONNS])
		out->inactconns = nla_get_u32(tb[IPVS_DEST_ATTR_INACT_CONNS]);
	if (tb[IPVS_DEST_ATTR_PERSIST_CONNS])
		out->persistconns = nla_get_u32(tb[IPVS_DEST_ATTR_PERSIST_CONNS]);
	if (tb[IPVS_DEST_ATTR_TUN_TYPE])
		out->tun_type = nla_get_u8(tb[IPVS_DEST_ATTR_TUN_TYPE]);
	if (tb[IPVS_DEST_ATTR_TUN_PORT])
		out->tun_port = ntohs(nla_get_u16(tb[IPVS_DEST_ATTR_TUN_PORT]));
	if (tb[IPVS_DEST_ATTR_TUN_FLAGS])
		out->tun_flags = nla_get_u16(tb[IPVS_DEST_ATTR_TUN_FLAGS]);
	return parse_stats_either(tb[IPVS_DEST_ATTR_STATS64],
				  tb[IPVS_DEST_ATTR_STATS], &out->stats);
}

static const struct nla_policy cmd_policy[IPVS_CMD_ATTR_MAX + 1] = {
	[IPVS_CMD_ATTR_SERVICE] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DEST] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DAEMON] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_TIMEOUT_TCP] = { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN] = { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_UDP] = { .type = NLA_U32 },
};

static const struct nla_policy info_policy[IPVS_INFO_ATTR_MAX + 1] = {
	[IPVS_INFO_ATTR_VERSION] = { .type = NLA_U32 },
	[IPVS_INFO_ATTR_CONN_TAB_SIZE] = { .type = NLA_U32 },
};

/* Check the genl header of nlh (command cmd) and parse its attributes. */
static int parse_genl(struct nlmsghdr *nlh, uint8_t cmd, struct nlattr **tb,
		      int max, const struct nla_policy *policy)
{
	struct genlmsghdr *gh;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EINVAL;
	gh = nlmsg_data(nlh);
	if (gh->cmd != cmd)
		return -EINVAL;
	return parse_area(tb, max, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0),
			  policy);
}

int ipvs_parse_service_msg(struct nlmsghdr *nlh, struct ipvs_service *out)
{
	struct nlattr *tb[IPVS_CMD_ATTR_MAX + 1];
	int rc = parse_genl(nlh, IPVS_CMD_NEW_SERVICE, tb, IPVS_CMD_ATTR_MAX,
			    cmd_policy);

	if (rc < 0) {
		memset(out, 0, sizeof(*out));
		return rc;
	}
	return ipvs_parse_service(tb[IPVS_CMD_ATTR_SERVICE], out);
}

int ipvs_parse_dest_msg(struct nlmsghdr *nlh, int svc_af, struct ipvs_dest *out)
{
	struct nlattr *tb[IPVS_CMD_ATTR_MAX + 1];
	int rc = parse_genl(nlh, IPVS_CMD_NEW_DEST, tb, IPVS_CMD_ATTR_MAX,
			    cmd_policy);

	if (rc < 0) {
		memset(out, 0, sizeof(*out));
		return rc;
	}
	return ipvs_parse_dest(tb[IPVS_CMD_ATTR_DEST], svc_af, out);
}

int ipvs_parse_config_msg(struct nlmsghdr *nlh, struct ipvs_timeouts *out)
{
	struct nlattr *tb[IPVS_CMD_ATTR_MAX + 1];
	int rc = parse_genl(nlh, IPVS_CMD_SET_CONFIG, tb, IPVS_CMD_ATTR_MAX,
			    cmd_policy);

	memset(out, 0, sizeof(*out));
	if (rc < 0)
		return rc;
	if (tb[IPVS_CMD_ATTR_TIMEOUT_TCP])
		out->tcp = nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_TCP]);
	if (tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN])
		out->tcp_fin = nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]);
	if (tb[IPVS_CMD_ATTR_TIMEOUT_UDP])
		out->udp = nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_UDP]);
	return 0;
}

int ipvs_parse_info_msg(struct nlmsghdr *nlh, uint32_t *version,
			uint32_t *conn_tab_size)
{
	struct nlattr *tb[IPVS_INFO_ATTR_MAX + 1];
	int rc = parse_genl(nlh, IPVS_CMD_SET_INFO, tb, IPVS_INFO_ATTR_MAX,
			    info_policy);

	if (rc < 0)
		return rc;
	if (!tb[IPVS_INFO_ATTR_VERSION] || !tb[IPVS_INFO_ATTR_CONN_TAB_SIZE])
		return -EINVAL;
	*version = nla_get_u32(tb[IPVS_INFO_ATTR_VERSION]);
	*conn_tab_size = nla_get_u32(tb[IPVS_INFO_ATTR_CONN_TAB_SIZE]);
	return 0;
}
