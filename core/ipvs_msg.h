/* ipvs_msg.h — virtual servers, real servers and operations as the kernel's
 * IPVS family sees them, and the genl messages that carry them: built and
 * parsed without a socket, so they are unit-tested and fuzzed. */
#ifndef LVSD_IPVS_MSG_H
#define LVSD_IPVS_MSG_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <linux/ip_vs.h>
#include <lvsd/plugin.h>

struct nl_msg;
struct nlattr;
struct nlmsghdr;

/* The 64-bit counters and rates of a virtual or real server. */
struct ipvs_stats {
	uint64_t conns;    /* connections scheduled */
	uint64_t inpkts;
	uint64_t outpkts;
	uint64_t inbytes;
	uint64_t outbytes;
	uint64_t cps;      /* rates, per second */
	uint64_t inpps;
	uint64_t outpps;
	uint64_t inbps;
	uint64_t outbps;
};

/* A virtual server. Its key is (af, fwmark) when fwmark != 0, else
 * (af, protocol, addr, port). */
struct ipvs_service {
	int af;                   /* AF_INET or AF_INET6 */
	uint16_t protocol;        /* IPPROTO_TCP/UDP/SCTP; unused with fwmark */
	struct lvsd_addr addr;    /* addr.family == af; unused with fwmark */
	uint16_t port;            /* host order; unused with fwmark */
	uint32_t fwmark;          /* non-zero: a firewall-mark service */
	char sched_name[IP_VS_SCHEDNAME_MAXLEN]; /* "wlc" */
	uint32_t flags;           /* IP_VS_SVC_F_PERSISTENT, _ONEPACKET,
				     _SCHED1/2/3 (HASHED is never reported) */
	uint32_t timeout;         /* persistence, seconds */
	/* Persistence granularity as the kernel wants it: AF_INET, the mask
	 * in network byte order (htonl(0xffffff00) for /24); AF_INET6, the
	 * prefix length (1..128). 0 means the default: /32 or /128. */
	uint32_t netmask;
	char pe_name[IP_VS_PENAME_MAXLEN]; /* persistence engine, "" none */
	struct ipvs_stats stats;  /* filled by dumps only */
};

/* A real server (IPVS "destination"); its key is (af, addr, port). */
struct ipvs_dest {
	int af;                   /* may differ from the service's (tunnel) */
	struct lvsd_addr addr;    /* addr.family == af */
	uint16_t port;            /* host order */
	uint32_t fwd_method;      /* IP_VS_CONN_F_MASQ, _DROUTE, _TUNNEL */
	int weight;               /* 0..INT32_MAX; 0 = quiescent */
	uint32_t u_threshold;     /* 0 = none */
	uint32_t l_threshold;
	uint8_t tun_type;         /* IP_VS_CONN_F_TUNNEL_TYPE_*, tunnel only */
	uint16_t tun_port;        /* host order, GUE only */
	uint16_t tun_flags;       /* IP_VS_TUNNEL_ENCAP_FLAG_* */
	/* Filled by dumps only: */
	uint32_t activeconns;
	uint32_t inactconns;
	uint32_t persistconns;
	struct ipvs_stats stats;
};

/* ----------------------------------------------------------- operations */

enum ipvs_op_type {
	IPVS_OP_ADD_SERVICE = 1,
	IPVS_OP_EDIT_SERVICE,
	IPVS_OP_DEL_SERVICE,
	IPVS_OP_ADD_DEST,
	IPVS_OP_EDIT_DEST,
	IPVS_OP_DEL_DEST,
	IPVS_OP_FLUSH,
};

/* One kernel operation. dest is used by the *_DEST ops only; for those,
 * svc needs only its key. */
struct ipvs_op {
	enum ipvs_op_type type;
	struct ipvs_service svc;
	struct ipvs_dest dest;
};

/* The connection timeouts of IPVS, seconds (0 in a set: unchanged). */
struct ipvs_timeouts {
	uint32_t tcp, tcp_fin, udp;
};

/* The kernel's value for netmask 0 (see struct ipvs_service). */
uint32_t ipvs_netmask_default(int af);

/* ------------------------------------------------------------- messages */

/* A new request of the IPVS family (genl id family) with only its header:
 * NLM_F_REQUEST | flags, command cmd. Owned by the caller (nlmsg_free).
 * 0, -ENOMEM or -EMSGSIZE. */
int ipvs_msg_request(int family, uint32_t seq, uint8_t cmd, int flags,
		     struct nl_msg **out);
/* Append IPVS_CMD_ATTR_SERVICE (nested) to msg: the key, and with
 * with_details the scheduler, flags, timeout, netmask and PE too.
 * 0, -EINVAL (bad af, empty scheduler with details) or -EMSGSIZE. */
int ipvs_msg_service(struct nl_msg *msg, const struct ipvs_service *svc,
		     int with_details);
/* Append IPVS_CMD_ATTR_DEST (nested): key, and with with_details the
 * forwarding method, weight, thresholds (and tunnel for TUNNEL). */
int ipvs_msg_dest(struct nl_msg *msg, const struct ipvs_dest *dest,
		  int with_details);
/* A whole request for op (genl header, NLM_F_REQUEST|NLM_F_ACK) into a
 * new message owned by the caller (nlmsg_free). family: the genl id. */
int ipvs_msg_op(const struct ipvs_op *op, int family, uint32_t seq,
		struct nl_msg **out);

/* Parsers of kernel replies. Input is untrusted: every attribute is
 * checked against a policy, trailing garbage and short attributes are
 * refused with -EINVAL. Missing counters are left 0. */
int ipvs_parse_stats(struct nlattr *nested, int is64, struct ipvs_stats *out);
int ipvs_parse_service(struct nlattr *nested, struct ipvs_service *out);
/* svc_af: the family to assume when IPVS_DEST_ATTR_ADDR_FAMILY is absent */
int ipvs_parse_dest(struct nlattr *nested, int svc_af, struct ipvs_dest *out);
/* Whole genl messages (header checked, then the nested attribute). */
int ipvs_parse_service_msg(struct nlmsghdr *nlh, struct ipvs_service *out);
int ipvs_parse_dest_msg(struct nlmsghdr *nlh, int svc_af, struct ipvs_dest *out);
/* The reply to IPVS_CMD_GET_CONFIG (IPVS_CMD_SET_CONFIG and its three
 * timeouts; an absent one is 0). 0 or -EINVAL. */
int ipvs_parse_config_msg(struct nlmsghdr *nlh, struct ipvs_timeouts *out);
int ipvs_parse_info_msg(struct nlmsghdr *nlh, uint32_t *version,
			uint32_t *conn_tab_size);

#endif
