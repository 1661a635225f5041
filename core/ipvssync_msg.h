/* ipvssync_msg.h — the kernel's IPVS connection synchronisation daemon as
 * the "IPVS" genl family sees it (IPVS_CMD_NEW_DAEMON / DEL_DAEMON /
 * GET_DAEMON): requests built and replies parsed without a socket, so
 * they are unit-tested and fuzzed. */
#ifndef LVSD_IPVSSYNC_MSG_H
#define LVSD_IPVSSYNC_MSG_H

#include <stdint.h>
#include <linux/ip_vs.h>
#include <lvsd/plugin.h>

struct nl_msg;
struct nlattr;
struct nlmsghdr;

/* The kernel's defaults, for the fields left 0 below. */
#define IPVSSYNC_DEFAULT_PORT 8848   /* IP_VS_SYNC_PORT */
#define IPVSSYNC_DEFAULT_TTL 1
#define IPVSSYNC_DEFAULT_GROUP "224.0.0.81" /* IP_VS_SYNC_GROUP */
#define IPVSSYNC_IFNAME_MAX 16       /* IP_VS_IFNAME_MAXLEN, with the NUL */

/* One sync daemon (the kernel runs at most one master and one backup). */
struct ipvssync_daemon {
	uint32_t state;                  /* IP_VS_STATE_MASTER or _BACKUP */
	char ifname[IPVSSYNC_IFNAME_MAX];/* multicast interface */
	uint32_t syncid;                 /* 0..255 (the kernel keeps 8 bits) */
	uint16_t maxlen;                 /* UDP payload, bytes; 0: from the MTU */
	struct lvsd_addr group;          /* multicast group; family 0: default */
	uint16_t port;                   /* UDP port (base), host order; 0: 8848 */
	uint8_t ttl;                     /* 0: 1 */
};

/* A request (NLM_F_ACK) starting the daemon d: NEW_DAEMON with the state,
 * interface, syncid, and each optional field that is not 0. *out is
 * owned by the caller (nlmsg_free). 0, -EINVAL (state neither master nor
 * backup, empty or too long interface name, group not multicast) or
 * -ENOMEM / -EMSGSIZE. family: the genl id. */
int ipvssync_msg_new(int family, uint32_t seq, const struct ipvssync_daemon *d,
		     struct nl_msg **out);
/* A request (NLM_F_ACK) stopping the daemon of state (DEL_DAEMON). */
int ipvssync_msg_del(int family, uint32_t seq, uint32_t state,
		     struct nl_msg **out);
/* A GET_DAEMON dump request. */
int ipvssync_msg_get(int family, uint32_t seq, struct nl_msg **out);

/* One reply of the GET_DAEMON dump (a NEW_DAEMON message): untrusted
 * input, every attribute checked against a policy; -EINVAL if malformed
 * or if state, interface or syncid are missing. Fields the kernel did
 * not send stay 0. */
int ipvssync_parse_msg(struct nlmsghdr *nlh, struct ipvssync_daemon *out);
/* The nested IPVS_CMD_ATTR_DAEMON alone. */
int ipvssync_parse_daemon(struct nlattr *nested, struct ipvssync_daemon *out);

/* Do a (what we want) and k (what the kernel runs) agree? Fields of a
 * that are 0 take the kernel's default; maxlen is not compared (the
 * kernel clamps it), nor fields the kernel did not report. */
int ipvssync_same(const struct ipvssync_daemon *a, const struct ipvssync_daemon *k);

/* "master", "backup", "none". */
const char *ipvssync_state_str(uint32_t state);

#endif
