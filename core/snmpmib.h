/* snmpmib.h — LVSD-MIB's objects (mibs/LVSD-MIB.txt) over the daemon's
 * model: the scalar group, the plugin, virtual server, real server and
 * VRRP tables (table_tdata, stable indexes), SETs of a real server's
 * operator weight and admin state, and the varbinds of notifications.
 * Used by snmp.c only; Net-SNMP must be initialised (init_agent) first. */
#ifndef LVSD_SNMPMIB_H
#define LVSD_SNMPMIB_H

#include <stdbool.h>
#include <stddef.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

struct daemon;
struct srv;
struct model_vs;
struct vrrp_rt;
struct snmpmib;

/* The one root of every lvsd OID: LVSD-MIB::lvsdMIB, under
 * NET-SNMP-MIB::netSnmpPlaypen until a Private Enterprise Number is
 * registered (change it here and in mibs/LVSD-MIB.txt). */
#define LVSD_MIB_ROOT 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 5873

/* Register every object with the agent. 0 or -errno. */
int snmpmib_register(struct daemon *d, struct snmpmib **out);
void snmpmib_free(struct snmpmib *m);
/* The configuration was reloaded: rows are rebuilt at the next request. */
void snmpmib_invalidate(struct snmpmib *m);

/* The varbinds of a notification (snmpTrapOID.0 first, then its objects
 * with their instances), for send_v2trap(); NULL if out of memory. */
netsnmp_variable_list *snmpmib_trap_rs(struct snmpmib *m, const struct srv *s);
netsnmp_variable_list *snmpmib_trap_quorum(struct snmpmib *m,
					   const struct model_vs *vs, bool lost);
netsnmp_variable_list *snmpmib_trap_vrrp(struct snmpmib *m,
					 const struct vrrp_rt *rt);

/* Building index OIDs (exposed for the unit test). An InetAddress index
 * is its length then its bytes. Return the number of sub-identifiers. */
size_t snmpmib_vs_index(const struct model_vs *vs, oid *out);
size_t snmpmib_rs_index(const struct model_vs *vs, const struct srv *s,
			oid *out);

#endif
