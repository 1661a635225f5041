/* ipvs_batch.c — lists of IPVS operations, and the names of operations,
 * virtual and real servers in logs ("add real server 10.0.0.51:80 to
 * TCP 192.168.0.30:80"). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "ipvs_batch.h"

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

/* What snprintf's n into a buffer of len bytes means: 0, -EINVAL, -ENOSPC. */
static int print_rc(int n, size_t len)
{
	return n < 0 ? -EINVAL : (size_t)n >= len ? -ENOSPC : 0;
}

static int addr_port_str(int af, const struct lvsd_addr *a, uint16_t port,
			 char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];
	int n;

	if ((af != AF_INET && af != AF_INET6) ||
	    !inet_ntop(af, &a->u, ip, sizeof(ip)))
		n = snprintf(buf, len, "(af %d):%u", af, port);
	else if (af == AF_INET6)
		n = snprintf(buf, len, "[%s]:%u", ip, port);
	else
		n = snprintf(buf, len, "%s:%u", ip, port);
	return print_rc(n, len);
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
	return print_rc(n, len);
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
		return print_rc(n, len);
	case IPVS_OP_ADD_SERVICE:
	case IPVS_OP_EDIT_SERVICE:
	case IPVS_OP_DEL_SERVICE:
		n = snprintf(buf, len, "%s %s", ipvs_op_str(op->type), s);
		return print_rc(n, len);
	case IPVS_OP_ADD_DEST: prep = "to"; break;
	case IPVS_OP_EDIT_DEST: prep = "of"; break;
	case IPVS_OP_DEL_DEST: prep = "from"; break;
	}
	ipvs_dest_str(&op->dest, d, sizeof(d));
	n = snprintf(buf, len, "%s %s %s %s", ipvs_op_str(op->type), d, prep, s);
	return print_rc(n, len);
}
