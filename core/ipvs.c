/* ipvs.c — IPVS over generic netlink (libnl-genl-3): building and parsing
 * the "IPVS" family's messages, dumps, and batches of writes sent back to
 * back in windows with their acks matched by sequence number. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/socket.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "ipvs.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define IPVS_WINDOW_MAX 256       /* ops in flight at most */
#define IPVS_ACK_TRUESIZE 2048    /* kernel memory one ack may cost, with margin */
#define IPVS_RCVBUF (1 << 20)     /* asked for; the kernel doubles it */
#define IPVS_SNDBUF (1 << 20)
#define IPVS_CHUNK_BYTES (64 * 1024) /* bytes of requests in one sendto */
#define IPVS_RBUF_BYTES (64 * 1024)  /* dump replies are at most 32 KiB */
#define IPVS_ACK_SLOTS 64            /* acks read by one recvmmsg */
#define IPVS_ACK_SLOT_BYTES 1024

struct ipvs {
	struct nl_sock *sk;
	int fd;
	int family;           /* genl id of "IPVS" */
	uint32_t portid;
	uint32_t seq;
	uint64_t ops_sent;
	int timeout_ms;
	size_t window;
	uint8_t *rbuf;        /* dumps; also the recvmmsg slots */
	uint8_t *sbuf;        /* one chunk of requests */
};

/* =========================================================== batches */

void ipvs_batch_init(struct ipvs_batch *b)
{
	memset(b, 0, sizeof(*b));
}

void ipvs_batch_free(struct ipvs_batch *b)
{
	free(b->ops);
	memset(b, 0, sizeof(*b));
}

void ipvs_batch_reset(struct ipvs_batch *b)
{
	b->n = 0;
}

static struct ipvs_op *batch_push(struct ipvs_batch *b, enum ipvs_op_type type)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		struct ipvs_op *ops = reallocarray(b->ops, cap, sizeof(*ops));

		if (!ops)
			return NULL;
		b->ops = ops;
		b->cap = cap;
	}
	struct ipvs_op *op = &b->ops[b->n++];
	memset(op, 0, sizeof(*op));
	op->type = type;
	return op;
}

static int batch_svc(struct ipvs_batch *b, enum ipvs_op_type type,
		     const struct ipvs_service *svc, const struct ipvs_dest *dest)
{
	struct ipvs_op *op = batch_push(b, type);

	if (!op)
		return -ENOMEM;
	if (svc)
		op->svc = *svc;
	if (dest)
		op->dest = *dest;
	return 0;
}

int ipvs_batch_add_service(struct ipvs_batch *b, const struct ipvs_service *svc)
{
	return batch_svc(b, IPVS_OP_ADD_SERVICE, svc, NULL);
}

int ipvs_batch_edit_service(struct ipvs_batch *b, const struct ipvs_service *svc)
{
	return batch_svc(b, IPVS_OP_EDIT_SERVICE, svc, NULL);
}

int ipvs_batch_del_service(struct ipvs_batch *b, const struct ipvs_service *svc)
{
	return batch_svc(b, IPVS_OP_DEL_SERVICE, svc, NULL);
}

int ipvs_batch_add_dest(struct ipvs_batch *b, const struct ipvs_service *svc,
			const struct ipvs_dest *dest)
{
	return batch_svc(b, IPVS_OP_ADD_DEST, svc, dest);
}

int ipvs_batch_edit_dest(struct ipvs_batch *b, const struct ipvs_service *svc,
			 const struct ipvs_dest *dest)
{
	return batch_svc(b, IPVS_OP_EDIT_DEST, svc, dest);
}

int ipvs_batch_del_dest(struct ipvs_batch *b, const struct ipvs_service *svc,
			const struct ipvs_dest *dest)
{
	return batch_svc(b, IPVS_OP_DEL_DEST, svc, dest);
}

int ipvs_batch_flush(struct ipvs_batch *b)
{
	return batch_svc(b, IPVS_OP_FLUSH, NULL, NULL);
}

/* ============================================================= names */

const char *ipvs_op_str(enum ipvs_op_type type)
{
	switch (type) {
	case IPVS_OP_ADD_SERVICE: return "add virtual server";
	case IPVS_OP_EDIT_SERVICE: return "edit virtual server";
	case IPVS_OP_DEL_SERVICE: return "delete virtual server";
	case IPVS_OP_ADD_DEST: return "add real server";
	case IPVS_OP_EDIT_DEST: return "edit real server";
	case IPVS_OP_DEL_DEST: return "delete real server";
	case IPVS_OP_FLUSH: return "flush virtual servers";
	}
	return "unknown operation";
}

const char *ipvs_proto_str(uint16_t protocol, char *buf, size_t len)
{
	switch (protocol) {
	case IPPROTO_TCP: return "TCP";
	case IPPROTO_UDP: return "UDP";
	case IPPROTO_SCTP: return "SCTP";
	}
	snprintf(buf, len, "proto %u", protocol);
	return buf;
}

static int addr_len(int af)
{
	return af == AF_INET ? 4 : af == AF_INET6 ? 16 : -1;
}

static int addr_port_str(int af, const struct lvsd_addr *a, uint16_t port,
			 char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];
	int n;

	if (addr_len(af) < 0 || !inet_ntop(af, &a->u, ip, sizeof(ip)))
		n = snprintf(buf, len, "(af %d):%u", af, port);
	else if (af == AF_INET6)
		n = snprintf(buf, len, "[%s]:%u", ip, port);
	else
		n = snprintf(buf, len, "%s:%u", ip, port);
	return n < 0 ? -EINVAL : (size_t)n >= len ? -ENOSPC : 0;
}

int ipvs_service_str(const struct ipvs_service *svc, char *buf, size_t len)
{
	char proto[16], ap[64];
	int n;

	if (svc->fwmark) {
		n = snprintf(buf, len, "FWM %u%s", svc->fwmark,
			     svc->af == AF_INET6 ? " IPv6" : "");
	} else {
		addr_port_str(svc->af, &svc->addr, svc->port, ap, sizeof(ap));
		n = snprintf(buf, len, "%s %s",
			     ipvs_proto_str(svc->protocol, proto, sizeof(proto)), ap);
	}
	return n < 0 ? -EINVAL : (size_t)n >= len ? -ENOSPC : 0;
}

int ipvs_dest_str(const struct ipvs_dest *dest, char *buf, size_t len)
{
	return addr_port_str(dest->af, &dest->addr, dest->port, buf, len);
}

int ipvs_op_describe(const struct ipvs_op *op, char *buf, size_t len)
{
	char s[80], d[64];
	const char *prep = "";
	int n;

	ipvs_service_str(&op->svc, s, sizeof(s));
	switch (op->type) {
	case IPVS_OP_FLUSH:
		n = snprintf(buf, len, "%s", ipvs_op_str(op->type));
		return n < 0 ? -EINVAL : (size_t)n >= len ? -ENOSPC : 0;
	case IPVS_OP_ADD_SERVICE:
	case IPVS_OP_EDIT_SERVICE:
	case IPVS_OP_DEL_SERVICE:
		n = snprintf(buf, len, "%s %s", ipvs_op_str(op->type), s);
		return n < 0 ? -EINVAL : (size_t)n >= len ? -ENOSPC : 0;
	case IPVS_OP_ADD_DEST: prep = "to"; break;
	case IPVS_OP_EDIT_DEST: prep = "of"; break;
	case IPVS_OP_DEL_DEST: prep = "from"; break;
	}
	ipvs_dest_str(&op->dest, d, sizeof(d));
	n = snprintf(buf, len, "%s %s %s %s", ipvs_op_str(op->type), d, prep, s);
	return n < 0 ? -EINVAL : (size_t)n >= len ? -ENOSPC : 0;
}

const char *ipvs_strerror(int err)
{
	if (err == -EPROTONOSUPPORT)
		return "IPVS not available: load the ip_vs module (modprobe ip_vs)";
	return strerror(err < 0 ? -err : err);
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
	msg = nlmsg_alloc_size(1024);
	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, seq, family, 0,
			 NLM_F_REQUEST | NLM_F_ACK, cmds[op->type],
			 IPVS_GENL_VERSION)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
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
	if (tb[IPVS_SVC_ATTR_STATS64])
		rc = ipvs_parse_stats(tb[IPVS_SVC_ATTR_STATS64], 1, &out->stats);
	else if (tb[IPVS_SVC_ATTR_STATS])
		rc = ipvs_parse_stats(tb[IPVS_SVC_ATTR_STATS], 0, &out->stats);
	return rc;
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
	if (tb[IPVS_DEST_ATTR_STATS64])
		rc = ipvs_parse_stats(tb[IPVS_DEST_ATTR_STATS64], 1, &out->stats);
	else if (tb[IPVS_DEST_ATTR_STATS])
		rc = ipvs_parse_stats(tb[IPVS_DEST_ATTR_STATS], 0, &out->stats);
	return rc;
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

/* ========================================================== the socket */

static int nlerr_to_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_NOMEM: return -ENOMEM;
	case NLE_PERM: return -EPERM;
	case NLE_NOACCESS: return -EACCES;
	case NLE_OBJ_NOTFOUND: return -EPROTONOSUPPORT;
	case NLE_AF_NOSUPPORT: return -EAFNOSUPPORT;
	}
	return -EIO;
}

static void set_sockopt(int fd, int level, int name, int val)
{
	/* Each is a nicety whose failure the window size accounts for. */
	(void)setsockopt(fd, level, name, &val, sizeof(val));
}

int ipvs_open(struct ipvs **out)
{
	struct ipvs *ipvs;
	int rc, rcvbuf = 0;
	socklen_t sl = sizeof(rcvbuf);

	*out = NULL;
	ipvs = calloc(1, sizeof(*ipvs));
	if (!ipvs)
		return -ENOMEM;
	ipvs->fd = -1;
	ipvs->timeout_ms = 5000;
	ipvs->rbuf = malloc(IPVS_RBUF_BYTES);
	ipvs->sbuf = malloc(IPVS_CHUNK_BYTES);
	ipvs->sk = nl_socket_alloc();
	if (!ipvs->rbuf || !ipvs->sbuf || !ipvs->sk) {
		rc = -ENOMEM;
		goto fail;
	}
	rc = genl_connect(ipvs->sk);
	if (rc < 0) {
		rc = nlerr_to_errno(rc);
		goto fail;
	}
	rc = genl_ctrl_resolve(ipvs->sk, IPVS_GENL_NAME);
	if (rc < 0) {
		rc = nlerr_to_errno(rc);
		goto fail;
	}
	ipvs->family = rc;
	ipvs->fd = nl_socket_get_fd(ipvs->sk);
	ipvs->portid = nl_socket_get_local_port(ipvs->sk);
	ipvs->seq = (uint32_t)time(NULL);
	set_sockopt(ipvs->fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
	set_sockopt(ipvs->fd, SOL_SOCKET, SO_SNDBUF, IPVS_SNDBUF);
	if (setsockopt(ipvs->fd, SOL_SOCKET, SO_RCVBUFFORCE, &(int){IPVS_RCVBUF},
		       sizeof(int)) < 0)
		set_sockopt(ipvs->fd, SOL_SOCKET, SO_RCVBUF, IPVS_RCVBUF);
	if (getsockopt(ipvs->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &sl) < 0)
		rcvbuf = 0;
	ipvs->window = (size_t)rcvbuf / IPVS_ACK_TRUESIZE;
	if (ipvs->window > IPVS_WINDOW_MAX)
		ipvs->window = IPVS_WINDOW_MAX;
	if (ipvs->window < 8)
		ipvs->window = 8;
	rc = nl_socket_set_nonblocking(ipvs->sk);
	if (rc < 0) {
		rc = nlerr_to_errno(rc);
		goto fail;
	}
	*out = ipvs;
	return 0;
fail:
	ipvs_close(ipvs);
	return rc;
}

void ipvs_close(struct ipvs *ipvs)
{
	if (!ipvs)
		return;
	if (ipvs->sk)
		nl_socket_free(ipvs->sk);
	free(ipvs->rbuf);
	free(ipvs->sbuf);
	free(ipvs);
}

int ipvs_fd(const struct ipvs *ipvs)
{
	return ipvs->fd;
}

void ipvs_set_timeout(struct ipvs *ipvs, int timeout_ms)
{
	ipvs->timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
}

uint64_t ipvs_ops_sent(const struct ipvs *ipvs)
{
	return ipvs->ops_sent;
}

/* Wait until fd is ready for events, at most the timeout. */
static int wait_fd(struct ipvs *ipvs, short events)
{
	struct pollfd pfd = { .fd = ipvs->fd, .events = events };
	int rc;

	do
		rc = poll(&pfd, 1, ipvs->timeout_ms);
	while (rc < 0 && errno == EINTR);
	if (rc < 0)
		return -errno;
	if (rc == 0)
		return -ETIMEDOUT;
	return 0;
}

static int send_buf(struct ipvs *ipvs, const void *buf, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	for (;;) {
		ssize_t n = sendto(ipvs->fd, buf, len, 0,
				   (struct sockaddr *)&kernel, sizeof(kernel));
		int rc;

		if (n >= 0)
			return (size_t)n == len ? 0 : -EMSGSIZE;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		rc = wait_fd(ipvs, POLLOUT);
		if (rc < 0)
			return rc;
	}
}

/* One datagram into rbuf; its length, or -errno. */
static int recv_one(struct ipvs *ipvs)
{
	for (;;) {
		ssize_t n = recv(ipvs->fd, ipvs->rbuf, IPVS_RBUF_BYTES, MSG_TRUNC);
		int rc;

		if (n >= 0)
			return n > IPVS_RBUF_BYTES ? -EMSGSIZE : (int)n;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		rc = wait_fd(ipvs, POLLIN);
		if (rc < 0)
			return rc;
	}
}

static int nlmsg_error_of(const struct nlmsghdr *h)
{
	const struct nlmsgerr *e;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
		return -EBADMSG;
	e = NLMSG_DATA(h);
	return e->error > 0 ? -EBADMSG : e->error;
}

typedef int (*reply_fn)(struct nlmsghdr *nlh, void *arg);

/* Send one request (dump or get) and feed its replies to fn until the
 * end. fn's first error is returned once the replies are drained (the
 * kernel refuses a new dump while one is unread). -EAGAIN: a dump was
 * interrupted by a change (NLM_F_DUMP_INTR); try again. */
static int request(struct ipvs *ipvs, struct nl_msg *msg, reply_fn fn, void *arg)
{
	struct nlmsghdr *req = nlmsg_hdr(msg);
	uint32_t seq = ipvs->seq++;
	int dump = !!(req->nlmsg_flags & NLM_F_DUMP);
	int rc, err = 0, intr = 0;

	req->nlmsg_seq = seq;
	req->nlmsg_pid = ipvs->portid;
	rc = send_buf(ipvs, req, req->nlmsg_len);
	if (rc < 0)
		return rc;
	for (;;) {
		int len = recv_one(ipvs);
		struct nlmsghdr *h = (struct nlmsghdr *)ipvs->rbuf;

		if (len < 0)
			return len;
		for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != seq)
				continue; /* a late reply to an abandoned request */
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = 1;
			if (h->nlmsg_type == NLMSG_ERROR) {
				rc = nlmsg_error_of(h);
				return err ? err : rc;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				if (err)
					return err;
				return intr ? -EAGAIN : 0;
			}
			if (!err) {
				rc = fn(h, arg);
				if (rc < 0)
					err = rc;
			}
			if (!dump)
				return err;
		}
	}
}

static struct nl_msg *new_request(struct ipvs *ipvs, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc_size(1024);

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, ipvs->family, 0,
				NLM_F_REQUEST | flags, cmd, IPVS_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

struct info_arg {
	uint32_t version, size;
};

static int on_info(struct nlmsghdr *nlh, void *arg)
{
	struct info_arg *a = arg;

	return ipvs_parse_info_msg(nlh, &a->version, &a->size);
}

int ipvs_info(struct ipvs *ipvs, uint32_t *version, uint32_t *conn_tab_size)
{
	struct info_arg a = {0};
	struct nl_msg *msg = new_request(ipvs, IPVS_CMD_GET_INFO, 0);
	int rc;

	if (!msg)
		return -ENOMEM;
	rc = request(ipvs, msg, on_info, &a);
	nlmsg_free(msg);
	if (rc < 0)
		return rc;
	if (version)
		*version = a.version;
	if (conn_tab_size)
		*conn_tab_size = a.size;
	return 0;
}

/* A growing array of n elements of size sz. */
struct vec {
	void *v;
	size_t n, cap, sz;
	int svc_af;
};

static void *vec_push(struct vec *a)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		void *v = reallocarray(a->v, cap, a->sz);

		if (!v)
			return NULL;
		a->v = v;
		a->cap = cap;
	}
	return (char *)a->v + a->sz * a->n++;
}

static int on_service(struct nlmsghdr *nlh, void *arg)
{
	struct ipvs_service *s = vec_push(arg);

	if (!s)
		return -ENOMEM;
	return ipvs_parse_service_msg(nlh, s);
}

static int on_dest(struct nlmsghdr *nlh, void *arg)
{
	struct vec *a = arg;
	struct ipvs_dest *d = vec_push(a);

	if (!d)
		return -ENOMEM;
	return ipvs_parse_dest_msg(nlh, a->svc_af, d);
}

/* Run a dump, again while the kernel says it was interrupted. */
static int dump(struct ipvs *ipvs, struct nl_msg *msg, reply_fn fn,
		struct vec *a, void **out, size_t *n)
{
	int rc;

	for (int tries = 0; tries < 5; tries++) {
		a->n = 0;
		rc = request(ipvs, msg, fn, a);
		if (rc != -EAGAIN)
			break;
	}
	nlmsg_free(msg);
	if (rc < 0 || a->n == 0) {
		free(a->v);
		a->v = NULL;
		a->n = 0;
	}
	*out = a->v;
	*n = a->n;
	return rc < 0 ? rc : 0;
}

int ipvs_dump_services(struct ipvs *ipvs, struct ipvs_service **out, size_t *n)
{
	struct vec a = { .sz = sizeof(struct ipvs_service) };
	struct nl_msg *msg = new_request(ipvs, IPVS_CMD_GET_SERVICE, NLM_F_DUMP);

	*out = NULL;
	*n = 0;
	if (!msg)
		return -ENOMEM;
	return dump(ipvs, msg, on_service, &a, (void **)out, n);
}

int ipvs_dump_dests(struct ipvs *ipvs, const struct ipvs_service *svc,
		    struct ipvs_dest **out, size_t *n)
{
	struct vec a = { .sz = sizeof(struct ipvs_dest), .svc_af = svc->af };
	struct nl_msg *msg = new_request(ipvs, IPVS_CMD_GET_DEST, NLM_F_DUMP);
	int rc;

	*out = NULL;
	*n = 0;
	if (!msg)
		return -ENOMEM;
	rc = ipvs_msg_service(msg, svc, 0);
	if (rc < 0) {
		nlmsg_free(msg);
		return rc;
	}
	return dump(ipvs, msg, on_dest, &a, (void **)out, n);
}

/* ============================================================ batches */

/* Read acks until every one of [seq0, seq0 + cnt) is in res[]. */
static int collect_acks(struct ipvs *ipvs, uint32_t seq0, size_t cnt,
			int *res, uint8_t *got)
{
	struct mmsghdr mm[IPVS_ACK_SLOTS];
	struct iovec iov[IPVS_ACK_SLOTS];
	size_t pending = cnt;

	memset(got, 0, cnt);
	for (int i = 0; i < IPVS_ACK_SLOTS; i++) {
		iov[i].iov_base = ipvs->rbuf + (size_t)i * IPVS_ACK_SLOT_BYTES;
		iov[i].iov_len = IPVS_ACK_SLOT_BYTES;
	}
	while (pending) {
		int n, rc;

		memset(mm, 0, sizeof(mm));
		for (int i = 0; i < IPVS_ACK_SLOTS; i++) {
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(ipvs->fd, mm, IPVS_ACK_SLOTS, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return -errno;
			rc = wait_fd(ipvs, POLLIN);
			if (rc < 0)
				return rc;
			continue;
		}
		for (int i = 0; i < n; i++) {
			struct nlmsghdr *h = iov[i].iov_base;
			int len = (int)mm[i].msg_len;

			if (mm[i].msg_hdr.msg_flags & MSG_TRUNC)
				return -EMSGSIZE;
			for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
				uint32_t k = h->nlmsg_seq - seq0;

				if (h->nlmsg_type != NLMSG_ERROR || k >= cnt || got[k])
					continue; /* stale, or not an ack */
				got[k] = 1;
				res[k] = nlmsg_error_of(h);
				pending--;
			}
		}
	}
	return 0;
}

int ipvs_batch_send(struct ipvs *ipvs, const struct ipvs_batch *b,
		    ipvs_op_result_fn cb, void *arg)
{
	int res[IPVS_WINDOW_MAX];
	uint8_t got[IPVS_WINDOW_MAX];
	int failed = 0;
	size_t i = 0;

	while (i < b->n) {
		uint32_t seq0 = ipvs->seq;
		size_t cnt = 0, off = 0;
		int rc = 0;

		/* Encode a chunk: up to the window, up to the buffer. */
		while (i + cnt < b->n && cnt < ipvs->window) {
			struct nl_msg *msg;
			struct nlmsghdr *h;

			rc = ipvs_msg_op(&b->ops[i + cnt], ipvs->family,
					 ipvs->seq, &msg);
			if (rc < 0)
				break;
			h = nlmsg_hdr(msg);
			h->nlmsg_pid = ipvs->portid;
			if (off + NLMSG_ALIGN(h->nlmsg_len) > IPVS_CHUNK_BYTES) {
				nlmsg_free(msg);
				break;
			}
			memset(ipvs->sbuf + off, 0, NLMSG_ALIGN(h->nlmsg_len));
			memcpy(ipvs->sbuf + off, h, h->nlmsg_len);
			off += NLMSG_ALIGN(h->nlmsg_len);
			nlmsg_free(msg);
			ipvs->seq++;
			cnt++;
		}
		if (cnt) {
			int err = send_buf(ipvs, ipvs->sbuf, off);

			if (err < 0)
				return err;
			ipvs->ops_sent += cnt;
			err = collect_acks(ipvs, seq0, cnt, res, got);
			if (err < 0)
				return err;
			for (size_t k = 0; k < cnt; k++) {
				if (res[k])
					failed++;
				if (cb)
					cb(arg, i + k, &b->ops[i + k], res[k]);
			}
			i += cnt;
		}
		if (rc < 0) { /* the op at i cannot be encoded: it fails alone */
			if (rc == -ENOMEM)
				return rc;
			failed++;
			if (cb)
				cb(arg, i, &b->ops[i], rc);
			i++;
		}
	}
	return failed;
}

static void on_flush(void *arg, size_t index, const struct ipvs_op *op, int err)
{
	*(int *)arg = err;
}

int ipvs_flush(struct ipvs *ipvs)
{
	struct ipvs_op op = { .type = IPVS_OP_FLUSH };
	struct ipvs_batch b = { .ops = &op, .n = 1, .cap = 1 };
	int err = 0;
	int rc = ipvs_batch_send(ipvs, &b, on_flush, &err);

	return rc < 0 ? rc : err;
}
