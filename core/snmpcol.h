/* snmpcol.h — the values of LVSD-MIB's columns (mibs/LVSD-MIB.txt): one
 * function per table fills a varbind from a row, for GETs (snmpmib.c) and
 * notifications alike. Reads the daemon's state, never changes it; the
 * kernel's counters come from servers.c's last read. */
#ifndef LVSD_SNMPCOL_H
#define LVSD_SNMPCOL_H

#include <stdint.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "model.h"

struct daemon;

/* Columns (LVSD-MIB's numbers). */
/* Columns (LVSD-MIB's numbers). */
enum { G_VERSION = 1, G_UPTIME, G_CONFIG, G_RELOADS, G_RELOAD_FAIL,
       G_LAST_RESULT, G_LAST_TIME, G_RECONCILES, G_RECONCILE_FAIL,
       G_KERNEL_OPS, G_N_VS, G_N_RS, G_N_VRRP, G_PROGRAMMED, G_LAST = G_PROGRAMMED };
/* lvsdSync (lvsdObjects 6): the IPVS sync daemons (ipvssync.c). */
enum { SY_CONFIGURED = 1, SY_INSTANCE, SY_IFACE, SY_ID, SY_GROUP_TYPE,
       SY_GROUP, SY_PORT, SY_MASTER, SY_BACKUP, SY_CHANGES,
       SY_LAST = SY_CHANGES };
enum { P_VERSION = 3, P_ABI_MAJOR, P_ABI_MINOR, P_PATH, P_DESCR };
enum { VS_NAME = 6, VS_SCHED, VS_METHOD, VS_PERSIST, VS_QUORUM, VS_QSTATE,
       VS_N_RS, VS_N_UP, VS_IN_KERNEL, VS_STATS /* 15..24 */,
       VS_ORIGIN = VS_STATS + 10, VS_BGP, VS_BGP_WHY, VS_LAST = VS_BGP_WHY };
enum { RC_VS_NAME = 4, RC_METHOD, RC_CFG_W, RC_OP_W, RC_ADMIN, RC_WEIGHT,
       RC_REASON, RC_PRESENT, RC_HEALTH, RC_CHECKER, RC_LAST_RESULT,
       RC_LAST_TIME, RC_LATENCY, RC_FAILS, RC_TRANSITIONS, RC_ACTIVE,
       RC_INACTIVE, RC_PERSIST, RC_STATS /* 22..31 */,
       RC_ORIGIN = RC_STATS + 10, RC_LAST = RC_ORIGIN };
enum { VR_VRID = 2, VR_VERSION, VR_IFACE, VR_STATE, VR_REASON, VR_SINCE,
       VR_BASE_PRIO, VR_EFF_PRIO, VR_ADVERT, VR_MASTER_TYPE, VR_MASTER,
       VR_MASTER_PRIO, VR_MASTER_ADVERT, VR_SYNC, VR_TRANSITIONS,
       VR_BECAME_MASTER, VR_RCVD, VR_SENT, VR_CKSUM, VR_VERSION_ERR,
       VR_VRID_ERR, VR_TTL, VR_AUTH, VR_LENGTH, VR_INTERVAL, VR_ADDRLIST,
       VR_PRI0_RCVD, VR_PRI0_SENT, VR_DROP_NOT_PEER, VR_DROP_IN_FAULT,
       VR_DROP_OTHER, VR_VIPS_RESTORED, VR_LAST = VR_VIPS_RESTORED };
#define N_STATS 10

/* A row of lvsdVsTable: the virtual server and its real servers counted
 * (at the start of a walk, or for a notification). */
struct snmpcol_vs {
	const struct model_vs *vs;
	uint32_t n_rs, n_up;
};

/* Fill v with column col of row (a struct plugin, struct snmpcol_vs,
 * struct srv or struct vrrp_rt). */
typedef void (*snmpcol_fn)(struct daemon *d, const void *row, int col,
			   netsnmp_variable_list *v);
void snmpcol_plugin(struct daemon *d, const void *row, int col,
		    netsnmp_variable_list *v);
void snmpcol_vs(struct daemon *d, const void *row, int col,
		netsnmp_variable_list *v);
void snmpcol_rs(struct daemon *d, const void *row, int col,
		netsnmp_variable_list *v);
void snmpcol_vrrp(struct daemon *d, const void *row, int col,
		  netsnmp_variable_list *v);
/* lvsdGlobal's scalar col (1..G_LAST). */
void snmpcol_global(struct daemon *d, int col, netsnmp_variable_list *v);
/* lvsdSync's scalar col (1..SY_LAST). */
void snmpcol_sync(struct daemon *d, int col, netsnmp_variable_list *v);
/* Is column col of lvsdVsTable or lvsdRsTable one of the kernel's
 * counters? */
int snmpcol_vs_is_kernel(int col);
int snmpcol_rs_is_kernel(int col);

#endif
