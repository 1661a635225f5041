/* vrrpmgr.h — the core side of VRRP: runs the model's [vrrp] instances in
 * the VRRP engine plugin (start; reload: unchanged instances keep running,
 * changed ones are re-added, removed ones stopped gracefully), keeps each
 * instance's run-time state, reason, master and counters for lvsctl, SNMP
 * and the dump, runs sync groups' notify programs, and serves the host
 * API's vip_add / vip_del / link_up (addr.c) and vrrp_state hooks. */
#ifndef LVSD_VRRPMGR_H
#define LVSD_VRRPMGR_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <lvsd/plugin.h>

#include "host.h"
#include "model.h"

struct loop;
struct plugin;
struct plugin_set;
struct vrrp_live; /* vrrplive.h */
struct vrrpmgr;

/* One running instance, as lvsctl and SNMP see it. */
struct vrrp_rt {
	struct model_vrrp cfg;          /* a private deep copy (readers') */
	struct vrrp_live *live;         /* what the engine got */
	void *state;                    /* the engine's */
	enum lvsd_vrrp_state st;        /* as last reported (INIT until then) */
	char why[128];                  /* why it is in that state */
	uint64_t since_us;              /* monotonic time of the last change */
	uint64_t started_us;            /* when the engine got it: counters from 0 */
	uint64_t up_since_us;           /* left INIT/FAULT for BACKUP/MASTER; 0: not */
	uint64_t transitions;           /* state changes reported */
	int32_t track_delta;            /* tracking as last given the engine */
	int track_fault;
	uint8_t prio;                   /* effective priority (tracking applied) */
	char track_why[160];
	int dead;                       /* deleted; waiting to be freed */
	struct vrrp_rt *next;
};

/* A [vrrp] section without an engine to run it is an error: 0, or -EINVAL
 * after emitting "FILE:LINE: ..." for the first such section. */
int vrrpmgr_check(const struct plugin_set *ps, const struct model *m,
		  void (*emit)(void *arg, const char *line), void *arg);

/* The manager; opens the rtnetlink socket behind vip_add etc. host is the
 * daemon's (for spawn). 0 or -errno. */
int vrrpmgr_new(struct loop *loop, struct host *host, struct vrrpmgr **out);
/* Stops every instance gracefully (priority 0 if master, VIPs removed). */
void vrrpmgr_free(struct vrrpmgr *m);

/* What the host API's hooks do (struct host: vip_add, vip_del, link_up,
 * vrrp_state). The first three may be called from any thread (the VRRP
 * engine's); vrrpmgr_state on the loop thread only (host.c posts it). A
 * NULL manager answers -ENOTSUP. */
int vrrpmgr_vip_add(struct vrrpmgr *m, const struct lvsd_vip *vip);
int vrrpmgr_vip_del(struct vrrpmgr *m, const struct lvsd_vip *vip);
int vrrpmgr_link_up(struct vrrpmgr *m, const char *ifname);
void vrrpmgr_state(struct vrrpmgr *m, struct lvsd_vrrp_instance *inst,
		   enum lvsd_vrrp_state state, const char *why);

/* Track [vrrp_script]s, files and processes for the instances (vtrack.c),
 * running scripts through sp. Call once after vrrpmgr_new; without it,
 * track_* keys are ignored. 0 or -errno. */
struct spawner;
int vrrpmgr_tracking(struct vrrpmgr *m, struct spawner *sp);

/* Run the model's instances (first start). 0, or -errno if the engine
 * refused one (logged; the others keep running). */
int vrrpmgr_start(struct vrrpmgr *m, const struct plugin_set *ps,
		  const struct model *model);
/* Apply a reload: old is what runs, new what is wanted. A changed
 * instance whose interface, VRID, version, family and sync group stay is
 * updated in place (the engine's instance_update: no state change, no
 * priority-0 advert); any other change, or an engine without that op,
 * stops it gracefully and starts it again. */
int vrrpmgr_reload(struct vrrpmgr *m, const struct plugin_set *ps,
		   const struct model *old, const struct model *new);

/* Reading: the instances in the order they were started (configuration
 * order, then what reloads changed or added), and their counters
 * (zero if the engine has no stats op). */
size_t vrrpmgr_count(const struct vrrpmgr *m);
const struct vrrp_rt *vrrpmgr_at(const struct vrrpmgr *m, size_t i);
void vrrpmgr_stats(const struct vrrpmgr *m, const struct vrrp_rt *rt,
		   struct lvsd_vrrp_stats *out);
/* Lines for `lvsctl status` and the dump: one per instance and one of its
 * counters. Nothing without instances. */
void vrrpmgr_report(const struct vrrpmgr *m,
		    void (*emit)(void *arg, const char *line), void *arg);

const char *vrrpmgr_state_str(enum lvsd_vrrp_state s); /* "MASTER" */

/* RFC 6527's router-wide counters (vrrpv3RouterChecksumErrors, ...
 * VersionErrors, ...VrIdErrors): the sums of every instance's
 * bad_checksum, bad_version and bad_vrid, those of stopped instances
 * included (kept when they stop), so they never go back. */
struct vrrpmgr_router_stats {
	uint64_t checksum_errors, version_errors, vrid_errors;
};
void vrrpmgr_router_stats(const struct vrrpmgr *m,
			  struct vrrpmgr_router_stats *out);

#endif
