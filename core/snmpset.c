/* snmpset.c — SETs of a real server's operator weight and admin state
 * (see snmpset.h). */
#include "snmpset.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "log.h"
#include "operator.h"
#include "snmpcol.h"

/* A SET in progress: what undoes it (UNDO), dropped at COMMIT/FREE. */
/* A SET in progress: what undoes it (UNDO), dropped at COMMIT/FREE. */
struct snmpset_pending {
	char vs[MODEL_NAME_MAX];
	struct lvsd_addr addr;
	uint16_t port;
	int column;
	struct operator_set old;
	struct snmpset_pending *next;
};

static struct snmpset_pending **pending_find(struct snmpset_pending **head,
					     const struct srv *s, int col)
{
	struct snmpset_pending **p;

	for (p = head; *p; p = &(*p)->next)
		if ((*p)->column == col && (*p)->port == s->port &&
		    strcmp((*p)->vs, s->vs_name) == 0 &&
		    model_addr_eq(&(*p)->addr, &s->addr))
			return p;
	return NULL;
}

static void pending_drop(struct snmpset_pending **head, const struct srv *s,
			 int col)
{
	struct snmpset_pending **p = pending_find(head, s, col), *x;

	if (p) {
		x = *p;
		*p = x->next;
		free(x);
	}
}

/* The change a varbind asks for; its checks are RESERVE1's. */
static int wanted(const netsnmp_variable_list *v, int col,
		  struct operator_set *c)
{
	int r;

	memset(c, 0, sizeof(*c));
	c->has_weight = OPERATOR_KEEP;
	c->admin = OPERATOR_KEEP;
	if (col == RC_OP_W) {
		if ((r = netsnmp_check_vb_type_and_size(v, ASN_INTEGER, sizeof(long))))
			return r;
		if (*v->val.integer < -1 || *v->val.integer > (long)WEIGHT_MAX)
			return SNMP_ERR_WRONGVALUE;
		c->has_weight = *v->val.integer >= 0;
		c->weight = *v->val.integer >= 0 ? (uint32_t)*v->val.integer : 0;
		return SNMP_ERR_NOERROR;
	}
	if (col == RC_ADMIN) {
		if ((r = netsnmp_check_vb_type_and_size(v, ASN_INTEGER, sizeof(long))))
			return r;
		if (*v->val.integer < 1 || *v->val.integer > 4)
			return SNMP_ERR_WRONGVALUE;
		c->admin = (int)*v->val.integer - 1;
		return SNMP_ERR_NOERROR;
	}
	return SNMP_ERR_NOTWRITABLE;
}

static void log_set(const struct srv *s, int col, const struct operator_set *c,
		    const char *what)
{
	char ap[80];

	model_addrport_str(&s->addr, s->port, ap, sizeof(ap));
	if (col == RC_OP_W && c->has_weight)
		log_notice("snmp: real server %s (%s): operator weight %u%s", ap,
			   s->vs_name, c->weight, what);
	else if (col == RC_OP_W)
		log_notice("snmp: real server %s (%s): operator weight cleared%s", ap,
			   s->vs_name, what);
	else
		log_notice("snmp: real server %s (%s): admin state %s%s", ap,
			   s->vs_name, admin_state_str((enum admin_state)c->admin), what);
}

static int rs_set_one(struct daemon *d, struct snmpset_pending **head,
		      netsnmp_agent_request_info *ri, netsnmp_request_info *req,
		      struct srv *s, int col)
{
	struct operator_set c;
	struct snmpset_pending *p, **pp;
	char err[160];
	int r;

	switch (ri->mode) {
	case MODE_SET_RESERVE1:
		if (!s)
			return SNMP_ERR_NOCREATION;
		if ((r = wanted(req->requestvb, col, &c)) != SNMP_ERR_NOERROR)
			return r;
		if (operator_check(d, s, &c, err, sizeof(err)) < 0) {
			log_warnx("snmp: set refused: %s", err);
			return SNMP_ERR_RESOURCEUNAVAILABLE;
		}
		return SNMP_ERR_NOERROR;
	case MODE_SET_RESERVE2:
		return SNMP_ERR_NOERROR;
	case MODE_SET_ACTION:
		if (!s)
			return SNMP_ERR_NOCREATION; /* gone since RESERVE (reload) */
		wanted(req->requestvb, col, &c);
		pending_drop(head, s, col);
		if (!(p = calloc(1, sizeof(*p))))
			return SNMP_ERR_RESOURCEUNAVAILABLE;
		snprintf(p->vs, sizeof(p->vs), "%s", s->vs_name);
		p->addr = s->addr;
		p->port = s->port;
		p->column = col;
		operator_current(s, &p->old);
		p->next = *head;
		*head = p;
		r = operator_apply(d, s, &c, err, sizeof(err));
		if (r < 0) {
			log_err("snmp: set failed: %s", err);
			return r == -EIO ? SNMP_ERR_RESOURCEUNAVAILABLE
					 : SNMP_ERR_COMMITFAILED;
		}
		log_set(s, col, &c, "");
		return SNMP_ERR_NOERROR;
	case MODE_SET_UNDO:
		if (s && (pp = pending_find(head, s, col))) {
			struct operator_set old = (*pp)->old;

			/* only this column's field goes back */
			if (col == RC_OP_W)
				old.admin = OPERATOR_KEEP;
			else
				old.has_weight = OPERATOR_KEEP;
			if (operator_apply(d, s, &old, err, sizeof(err)) < 0)
				log_err("snmp: undo failed: %s", err);
			else
				log_set(s, col, &(*pp)->old, " (undone)");
			pending_drop(head, s, col);
		}
		return SNMP_ERR_NOERROR;
	case MODE_SET_COMMIT:
	case MODE_SET_FREE:
		if (s)
			pending_drop(head, s, col);
		return SNMP_ERR_NOERROR; /* never fails */
	}
	return SNMP_ERR_NOERROR;
}

int snmpset_rs(struct daemon *d, struct snmpset_pending **head,
	       netsnmp_agent_request_info *ri, netsnmp_request_info *req)
{
	for (; req; req = req->next) {
		netsnmp_table_request_info *ti = netsnmp_extract_table_info(req);
		struct srv *s = netsnmp_tdata_extract_entry(req);
		int col = ti ? (int)ti->colnum : 0, r;

		if (req->processed)
			continue;
		if (ri->mode == MODE_SET_RESERVE1 && col != RC_OP_W && col != RC_ADMIN)
			r = s ? SNMP_ERR_NOTWRITABLE : SNMP_ERR_NOCREATION;
		else
			r = rs_set_one(d, head, ri, req, s, col);
		if (r != SNMP_ERR_NOERROR)
			netsnmp_set_request_error(ri, req, r);
	}
	return SNMP_ERR_NOERROR;
}

void snmpset_free(struct snmpset_pending *p)
{
	while (p) {
		struct snmpset_pending *next = p->next;

		free(p);
		p = next;
	}
}
