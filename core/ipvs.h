/* ipvs.h — the kernel's IPVS over generic netlink: dumps, pipelined writes.
 * Message building and parsing are apart from the socket I/O, so they are
 * unit-tested without a kernel. Only the reconciler should write to IPVS. */
#ifndef LVSD_IPVS_H
#define LVSD_IPVS_H

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

/* ------------------------------------------------------------- batches */

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

/* A list of operations, sent with ipvs_batch_send(). Zero it (or call
 * ipvs_batch_init) before use; ipvs_batch_free() releases it. Read ops[]
 * freely, change it only through the functions below. */
struct ipvs_batch {
	struct ipvs_op *ops;
	size_t n;
	size_t cap;
};

void ipvs_batch_init(struct ipvs_batch *b);
void ipvs_batch_free(struct ipvs_batch *b);
void ipvs_batch_reset(struct ipvs_batch *b); /* n = 0, keeps memory */
/* Each appends one op, copying its arguments; 0 or -ENOMEM. */
int ipvs_batch_add_service(struct ipvs_batch *b, const struct ipvs_service *svc);
int ipvs_batch_edit_service(struct ipvs_batch *b, const struct ipvs_service *svc);
int ipvs_batch_del_service(struct ipvs_batch *b, const struct ipvs_service *svc);
int ipvs_batch_add_dest(struct ipvs_batch *b, const struct ipvs_service *svc,
			const struct ipvs_dest *dest);
int ipvs_batch_edit_dest(struct ipvs_batch *b, const struct ipvs_service *svc,
			 const struct ipvs_dest *dest);
int ipvs_batch_del_dest(struct ipvs_batch *b, const struct ipvs_service *svc,
			const struct ipvs_dest *dest);
int ipvs_batch_flush(struct ipvs_batch *b);

/* ---------------------------------------------------------------- names */

#define IPVS_DESC_MAX 192 /* enough for any description below */

/* "add real server", "delete virtual server", ... */
const char *ipvs_op_str(enum ipvs_op_type type);
/* "TCP", "UDP", "SCTP", or "proto 47". buf is used for the last one. */
const char *ipvs_proto_str(uint16_t protocol, char *buf, size_t len);
/* "TCP 192.168.0.30:80", "UDP [2001:db8::1]:53", "FWM 42", "FWM 42 IPv6" */
int ipvs_service_str(const struct ipvs_service *svc, char *buf, size_t len);
/* "10.0.0.51:80", "[2001:db8::51]:80" */
int ipvs_dest_str(const struct ipvs_dest *dest, char *buf, size_t len);
/* "add real server 10.0.0.51:80 to TCP 192.168.0.30:80" */
int ipvs_op_describe(const struct ipvs_op *op, char *buf, size_t len);
/* strerror(-err), except for -EPROTONOSUPPORT from ipvs_open():
 * "IPVS not available: load the ip_vs module (modprobe ip_vs)". */
const char *ipvs_strerror(int err);

/* The kernel's value for netmask 0 (see struct ipvs_service). */
uint32_t ipvs_netmask_default(int af);

/* ------------------------------------- messages (no socket, unit-tested) */

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
int ipvs_parse_info_msg(struct nlmsghdr *nlh, uint32_t *version,
			uint32_t *conn_tab_size);

/* ---------------------------------------------------------- the kernel */

struct ipvs;

/* Connect and resolve the "IPVS" genl family. -EPROTONOSUPPORT when the
 * family is absent (ip_vs not loaded): print ipvs_strerror(). */
int ipvs_open(struct ipvs **out);
void ipvs_close(struct ipvs *ipvs);
/* The netlink socket (non-blocking). Requests below wait on it with
 * poll() for at most the timeout of ipvs_set_timeout() without progress. */
int ipvs_fd(const struct ipvs *ipvs);
void ipvs_set_timeout(struct ipvs *ipvs, int timeout_ms); /* default 5000 */
/* Operations sent to the kernel since open (batches and flush, not dumps). */
uint64_t ipvs_ops_sent(const struct ipvs *ipvs);

int ipvs_info(struct ipvs *ipvs, uint32_t *version, uint32_t *conn_tab_size);

/* Every virtual server; *out is malloc'ed (free it), NULL when *n == 0. */
int ipvs_dump_services(struct ipvs *ipvs, struct ipvs_service **out, size_t *n);
/* The real servers of one virtual server (its key is enough). */
int ipvs_dump_dests(struct ipvs *ipvs, const struct ipvs_service *svc,
		    struct ipvs_dest **out, size_t *n);

/* Called once per op of a batch, in order, with 0 or the kernel's -errno. */
typedef void (*ipvs_op_result_fn)(void *arg, size_t index,
				  const struct ipvs_op *op, int err);

/* Send every op with NLM_F_ACK, back to back in windows, and collect the
 * acks by sequence number. cb may be NULL. Returns the number of ops the
 * kernel refused (>= 0), or -errno when the socket failed (-ETIMEDOUT,
 * -ENOBUFS: acks were lost); then ops after the last reported one have
 * an unknown outcome and the caller should dump and plan again. */
int ipvs_batch_send(struct ipvs *ipvs, const struct ipvs_batch *b,
		    ipvs_op_result_fn cb, void *arg);

/* Remove every virtual server (all of them, also other tools'). */
int ipvs_flush(struct ipvs *ipvs);

#endif
