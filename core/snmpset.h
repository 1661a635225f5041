/* snmpset.h — SETs of lvsdRsTable (a real server's operator weight and
 * admin state) through Net-SNMP's phases: RESERVE1 checks (changes
 * nothing), ACTION applies through operator.c (the kernel has it before the
 * answer leaves), UNDO puts back what ACTION changed, COMMIT/FREE forget.
 * Used by snmpmib.c's lvsdRsTable handler. */
#ifndef LVSD_SNMPSET_H
#define LVSD_SNMPSET_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

struct daemon;
struct snmpset_pending; /* what undoes the SETs in progress */

/* One SET phase (ri->mode) for the requests req of lvsdRsTable; errors
 * are set on the requests. *pending: the list of undo records, starts
 * NULL. Returns SNMP_ERR_NOERROR. */
int snmpset_rs(struct daemon *d, struct snmpset_pending **pending,
	       netsnmp_agent_request_info *ri, netsnmp_request_info *req);
void snmpset_free(struct snmpset_pending *pending);

#endif
