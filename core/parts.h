/* parts.h — the daemon's parts started and hooked up (see parts.c): each
 * sets up one part and plugs its hooks into d->host; their events go to
 * the reconciler (apply.c), SNMP notifications and mail. */
#ifndef LVSD_PARTS_H
#define LVSD_PARTS_H

#include "context.h"

/* Each sets up one part and plugs its hooks into d->host: 0 or -errno. */
int parts_health(struct daemon *d); /* checks, notify programs */
int parts_agent(struct daemon *d);  /* agent checks */
int parts_vrrp(struct daemon *d);   /* VIPs, link state, VRRP states */
void parts_snmp(struct daemon *d);  /* the subagent; never fatal */
void parts_metrics(struct daemon *d); /* metrics_listen; never fatal */
/* The IPVS sync daemons ([global] lvs_sync_daemon) configured from
 * d->model, given their instance's state and applied, and from then on
 * every sync interval (the timer is started once). Never fatal. */
void parts_ipvssync(struct daemon *d);
void parts_ipvssync_stop(struct daemon *d); /* stops them; at exit */
int parts_bgp(struct daemon *d);    /* the addresses BIRD announces */
/* srv_sync's callback for a real server that left the configuration. */
void parts_srv_gone(void *arg, struct srv *s);

#endif
