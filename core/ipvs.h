/* ipvs.h — the kernel's IPVS over generic netlink: dumps, pipelined writes.
 * The structs, messages and parsers are in ipvs_msg.h and batches in
 * ipvs_batch.h, apart from the socket I/O. Only the reconciler writes. */
#ifndef LVSD_IPVS_H
#define LVSD_IPVS_H

#include <stddef.h>
#include <stdint.h>

#include "ipvs_batch.h"
#include "ipvs_msg.h"

/* strerror(-err), except for -EPROTONOSUPPORT from ipvs_open():
 * "IPVS not available: load the ip_vs module (modprobe ip_vs)". */
const char *ipvs_strerror(int err);

/* ---------------------------------------------------------- the kernel */

struct ipvs;

/* Connect and resolve the "IPVS" genl family. -EPROTONOSUPPORT when the
 * family is absent (ip_vs not loaded): print ipvs_strerror(). */
int ipvs_open(struct ipvs **out);
void ipvs_close(struct ipvs *ipvs);
/* Is ip_vs loaded in this network namespace (/proc/net/ip_vs)? 1 or 0.
 * For a look that must not load the module (ipvs_open() may). */
int ipvs_loaded(void);
/* The netlink socket (non-blocking). Requests below wait on it with
 * poll() for at most the timeout of ipvs_set_timeout() without progress. */
int ipvs_fd(const struct ipvs *ipvs);
void ipvs_set_timeout(struct ipvs *ipvs, int timeout_ms); /* default 5000 */
/* Operations sent to the kernel since open (batches and flush, not dumps). */
uint64_t ipvs_ops_sent(const struct ipvs *ipvs);
/* Dumps of the service table since open (a reconcile that dumps, the
 * counters' reader). */
uint64_t ipvs_dumps(const struct ipvs *ipvs);

int ipvs_info(struct ipvs *ipvs, uint32_t *version, uint32_t *conn_tab_size);

/* The connection timeouts (ipvsadm --set), seconds: IPVS_CMD_GET_CONFIG
 * into *out; IPVS_CMD_SET_CONFIG of t, where 0 leaves the kernel's value
 * (the kernel's rule). 0 or -errno. */
int ipvs_get_timeouts(struct ipvs *ipvs, struct ipvs_timeouts *out);
int ipvs_set_timeouts(struct ipvs *ipvs, const struct ipvs_timeouts *t);

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

/* Other requests of the family (ipvssync.c: the sync daemon): the genl
 * id to build them with, and one request sent (its seq and port set
 * here) with each reply given to fn (NULL: none expected) until the ack
 * or the dump's end. msg stays the caller's. 0, fn's first error, the
 * kernel's -errno, or -EAGAIN (a dump was interrupted: try again). */
struct nlmsghdr;
typedef int (*ipvs_reply_fn)(struct nlmsghdr *nlh, void *arg);
int ipvs_family(const struct ipvs *ipvs);
int ipvs_request(struct ipvs *ipvs, struct nl_msg *msg, ipvs_reply_fn fn,
		 void *arg);

/* Remove every virtual server (all of them, also other tools'). */
int ipvs_flush(struct ipvs *ipvs);

#endif
