/* snmp.h — lvsd's AgentX subagent of the system's snmpd ([global] snmp,
 * snmp_socket, snmp_traps): serves LVSD-MIB (snmpmib.c) and RFC 6527's
 * VRRPV3-MIB (snmpvrrp3.c) from the event loop, sends notifications, and
 * reconnects by itself when snmpd restarts. Net-SNMP is process-wide: one
 * subagent per process. */
#ifndef LVSD_SNMP_H
#define LVSD_SNMP_H

#include <stdbool.h>

struct daemon;
struct srv;
struct model_vs;
struct snmp;

/* Start it if the model says snmp = yes (else *out = NULL and 0). snmpd
 * need not be running: the subagent connects when it appears. 0 or
 * -errno. */
int snmp_start(struct daemon *d, struct snmp **out);
void snmp_stop(struct snmp *s);
/* After a reload: the tables follow the new model (snmp and snmp_socket
 * themselves take effect at the next restart). */
void snmp_reloaded(struct snmp *s);

/* Notifications, sent if snmp_traps = yes; s may be NULL. */
void snmp_notify_rs(struct snmp *s, const struct srv *srv);
void snmp_notify_quorum(struct snmp *s, const struct model_vs *vs, bool lost);
/* Some VRRP instance changed state: those whose transitions counter moved
 * since the last call get a notification. */
void snmp_notify_vrrp(struct snmp *s);

#endif
