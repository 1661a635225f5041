/* bgp.h — active-active directors over BGP/ECMP: lvsd decides, BIRD
 * announces. The address of every virtual server with bgp_announce = yes
 * sits on a TUN device that lvsd creates without TUNSETPERSIST and holds
 * open ([bgp] device) while it is to be announced; BIRD's `protocol
 * direct` on that device turns the addresses into routes it announces
 * (etc/bird-lvsd.conf). On any exit of lvsd, kill -9 included, the kernel
 * closes the device's last descriptor, deletes the device and its
 * addresses, and BIRD withdraws the routes at once: nothing stays
 * announced for a dead lvsd.
 *
 * lvsd owns that device: it reads it back at every update, every sync
 * interval and soon after any rtnetlink address or link event — a device
 * deleted or renamed is created again, one set down is set up again,
 * addresses someone removed are added again and stray ones removed, all
 * logged — so the status shows what is on the device, not what was meant.
 * "announced" means "on lvsd's device": whether the router has the route
 * is BIRD's side (its protocol direct must name the device).
 *
 * The decision is a pure function (bgp_plan, tested as a table); bgp.c's
 * applier alone writes the device's addresses (rtnetlink). */
#ifndef LVSD_BGP_H
#define LVSD_BGP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lvsd/plugin.h>

#include "model.h"

struct loop;
struct bgp;

/* One virtual server with bgp_announce: what the plan reads and says. */
struct bgp_entry {
	char vs[MODEL_NAME_MAX];
	struct lvsd_addr addr;
	/* inputs */
	bool quorum;             /* the virtual server holds its quorum */
	bool has_vrrp;           /* bgp_vrrp given */
	bool vrrp_master;        /* that instance is MASTER */
	char vrrp[MODEL_NAME_MAX];
	uint64_t ok_since_us;    /* monotonic: since when quorum (and VRRP)
				  * held without a break; 0: they do not */
	/* outputs of bgp_plan */
	bool ready;              /* its own conditions hold (delay passed) */
	bool want;               /* the address is to be announced */
	char why[160];           /* "announced", "withdrawn: quorum lost" ... */
	uint64_t wait_until_us;  /* monotonic: its own announce_delay ends
				  * (0: not waiting); bgp_why counts down */
	/* the applier's; bgp_plan reads it too */
	bool announced;          /* the address is on the device (read back) */
	bool was_announced;      /* before this update */
	char was_why[8];         /* the start of the last why ("": new) */
};

/* The plan: an entry's address is announced while [bgp] is enabled and
 * the device is up (device_why NULL; else why not), its virtual server holds quorum (and its
 * bgp_vrrp instance, if any, is MASTER) for announce_delay_ms already —
 * and so does every other entry with the same address (a director that
 * cannot serve every service of an address leaves it to the others).
 * announce_delay_ms counts only for an address that is withdrawn: one an
 * entry has announced (on the device) stays announced while every entry
 * on it holds (a reload that raises the delay or adds a virtual server on
 * it does not withdraw it).
 * Sets want and why of each entry; *next_us (if not NULL) = the earliest
 * monotonic time at which an announce_delay ends (0: none pending). */
void bgp_plan(struct bgp_entry *e, size_t n, const char *device_why,
	      uint32_t announce_delay_ms, uint64_t now_us, uint64_t *next_us);

/* For lvsd -t (a warning: the name may be free where lvsd runs): -EEXIST
 * with why (into why, len bytes) when [bgp] is enabled and its device
 * names an interface that exists here and is not a TUN device (eth1, lo,
 * a TAP device): lvsd could not create its device. Else 0. */
int bgp_device_check(const struct model *m, char *why, size_t len);

/* What the daemon answers for a virtual server. */
struct bgp_query {
	void *arg;
	bool (*quorum_lost)(void *arg, const struct model_vs *vs);
	/* 1: the [vrrp] instance is MASTER, 0: it is not (or unknown) */
	int (*vrrp_master)(void *arg, const char *instance);
	/* the model in force (an announce_delay that ends, the periodic
	 * read-back and a netlink event evaluate it) */
	const struct model *(*model)(void *arg);
	uint32_t readback_ms;    /* period of the device's read-back; 0: 5000 */
};

/* The part; no device until bgp_update sees [bgp] enabled. 0 or -errno. */
int bgp_new(struct loop *loop, const struct bgp_query *q, struct bgp **out);
/* Withdraw everything (the device deleted) and free. NULL: nothing. */
void bgp_free(struct bgp *b);
/* Evaluate m's virtual servers again (start, reload, a quorum or VRRP
 * change) and apply: create or re-create the device when [bgp] asks for
 * one, add and remove its addresses. Errors are logged and shown in the
 * status; the next update tries again. */
void bgp_update(struct bgp *b, const struct model *m);

/* Reading (lvsctl status, the dump, SNMP): the entries of the last
 * update, in configuration order; the device's state in words. */
size_t bgp_count(const struct bgp *b);
const struct bgp_entry *bgp_at(const struct bgp *b, size_t i);
const struct bgp_entry *bgp_find(const struct bgp *b, const char *vs);
/* The device as last read back, for the JSON status. All false/0/NULL
 * without a [bgp] section. Pointers valid until the next bgp_update. */
struct bgp_device_state {
	bool configured;             /* a [bgp] section */
	bool enabled;
	bool up;                     /* the device exists and is up */
	const char *device;          /* its name */
	const char *why;             /* not up: why; else NULL */
	const struct lvsd_vip *on;   /* the addresses on it */
	size_t n_on;
	uint64_t repairs;            /* read-backs that repaired something */
};
void bgp_device_state(const struct bgp *b, struct bgp_device_state *out);

/* e's why as of now (a "waiting" counts down to now_us) into buf. */
const char *bgp_why(const struct bgp_entry *e, uint64_t now_us, char *buf,
		    size_t len);
/* What status, SNMP (lvsdVsBgpReason) and the JSON say of e, as of
 * now_us: the device's word first ("announced (on DEV)" while its address
 * is on the device), else bgp_why. Into buf. */
const char *bgp_entry_text(const struct bgp *b, const struct bgp_entry *e,
			   uint64_t now_us, char *buf, size_t len);
/* One line for the device and one per entry; nothing without [bgp]. */
void bgp_report(const struct bgp *b,
		void (*emit)(void *arg, const char *line), void *arg);

#endif
