/* wiring.h — how the daemon's parts call each other (see wiring.c). */
#ifndef LVSD_WIRING_H
#define LVSD_WIRING_H

#include <stdbool.h>

#include "daemon.h"

/* Each sets up one part and plugs its hooks into d->host: 0 or -errno. */
int wiring_health(struct daemon *d); /* checks, notify programs */
int wiring_agent(struct daemon *d);  /* agent checks */
int wiring_vrrp(struct daemon *d);   /* VIPs, link state, VRRP states */
void wiring_snmp(struct daemon *d);  /* the subagent; never fatal */
/* srv_sync's callback for a real server that left the configuration. */
void wiring_srv_gone(void *arg, struct srv *s);
/* desired_build's question: has this virtual server lost its quorum? */
bool wiring_quorum_lost(void *arg, const struct model_vs *vs);

#endif
