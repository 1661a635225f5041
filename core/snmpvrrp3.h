/* snmpvrrp3.h — RFC 6527's VRRPV3-MIB (mibs/VRRPV3-MIB.txt) served
 * read-only over the VRRP instances: vrrpv3OperationsTable,
 * vrrpv3AssociatedIpAddrTable, vrrpv3StatisticsTable and the router-wide
 * error counters. Used by snmp.c only, beside snmpmib.c's LVSD-MIB;
 * Net-SNMP must be initialised (init_agent) first. */
#ifndef LVSD_SNMPVRRP3_H
#define LVSD_SNMPVRRP3_H

struct daemon;
struct snmpvrrp3;

/* VRRPV3-MIB::vrrpv3MIB, { mib-2 207 }. */
#define VRRPV3_MIB_ROOT 1, 3, 6, 1, 2, 1, 207

/* Register every object with the agent. On error *out may be set and
 * must still be freed. 0 or -errno. */
int snmpvrrp3_register(struct daemon *d, struct snmpvrrp3 **out);
void snmpvrrp3_free(struct snmpvrrp3 *v);
/* The configuration was reloaded: rows are rebuilt at the next request. */
void snmpvrrp3_invalidate(struct snmpvrrp3 *v);

#endif
