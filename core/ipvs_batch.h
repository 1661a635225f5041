/* ipvs_batch.h — lists of IPVS operations (what the reconciler plans and
 * ipvs_batch_send() sends), and how operations, virtual and real servers
 * are named in logs. */
#ifndef LVSD_IPVS_BATCH_H
#define LVSD_IPVS_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "ipvs_msg.h"

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

#endif
