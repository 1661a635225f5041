/* vrrpfsm.h — the VRRP engine's state machines, one per instance (RFC 5798
 * section 6 / RFC 3768 section 6): timers, adverts in and out, VIPs, faults,
 * sync groups, notify programs. Internal to the plugin; everything here runs
 * with engine.mu held, on the engine's thread, or in instance_add/del. */
#ifndef VRRPFSM_H
#define VRRPFSM_H

#include <pthread.h>
#include <stdint.h>

#include <lvsd/plugin.h>

#include "vrrpnet.h"

struct engine;

/* Why a datagram was dropped: the first values are enum vrrp_pkt_err's. */
enum drop_why {
	DROP_LENGTH = 1, DROP_TTL, DROP_VERSION, DROP_CHECKSUM, DROP_VRID,
	DROP_AUTH, DROP_INTERVAL, DROP_ADDR_LIST, DROP_TYPE,
	DROP_NOT_PEER, DROP_IN_FAULT, DROP_OTHER, DROP_N
};

struct drop_log {               /* rate limit of the drop messages */
	uint64_t at;             /* last logged, monotonic us */
	uint64_t suppressed;     /* dropped since, not logged */
};

struct inst {
	struct inst *next;
	struct engine *e;
	struct lvsd_vrrp_instance *h;
	const struct lvsd_vrrp_config *cfg; /* the core's, until del or update */
	struct vrrpnet net;
	enum lvsd_vrrp_state state;
	int link_ok;             /* interface and tracked ones up, socket open */
	int link_was_ok;         /* before the last evaluation */
	char fault_why[256];
	uint32_t mai_cs;         /* Master_Adver_Interval */
	uint64_t adver_at;       /* MASTER: next advert (moved by nothing received) */
	uint64_t answered_at;    /* MASTER: last immediate answer to an advert */
	uint64_t down_at;        /* BACKUP: Master_Down_Timer */
	uint64_t garp_at;        /* next announcement of the current set */
	uint32_t garp_left;      /* announcements left in the current set */
	uint64_t garp_set2_at;   /* garp_master_delay: the second set */
	uint64_t garp_refresh_at; /* garp_master_refresh: the next set */
	uint8_t prio;            /* effective priority (tracking applied) */
	int32_t track_delta;     /* from set_tracking */
	int track_fault;         /* tracking holds it in FAULT */
	char track_why[256];
	uint64_t preempt_until;  /* preempt_delay: no preemption before */
	char down_why[256];      /* why we will take over if down_at fires */
	uint32_t down_reason;    /* ... as RFC 6527's NewMasterReason (3, 2, 1) */
	uint64_t src_seq;        /* engine.addr_seq when the source was picked */
	struct lvsd_addr master;
	uint8_t master_prio;
	struct lvsd_vrrp_stats st;
	unsigned warned;         /* W_* bits: logged once until it clears */
	struct drop_log drops[DROP_N];
	uint64_t drops_since_ok; /* datagrams dropped since the last good advert */
	char last_drop[256];     /* the last drop's reason and source */
	char fault_from[256];    /* why it went FAULT (said again on leaving) */
	struct drop_log restore_log; /* rate limit of the VIP restore messages */
	uint64_t send_errs;      /* adverts that could not be sent, ever */
	uint32_t send_streak;    /* ... in a row, up to the last one */
	int send_err;            /* the last one's -errno */
	int send_fault;          /* FAULT for send errors until a probe passes */
	uint64_t send_fault_until; /* no probe before (monotonic us) */
	uint64_t send_hold_us;   /* the next such FAULT's hold (doubles) */
	char send_why[192];
};

#define W_SEND 0x01u
#define W_VIP 0x02u
#define W_ADDRS 0x04u
#define W_GARP 0x08u

struct engine {
	const struct lvsd_host_api *host;
	pthread_mutex_t mu;
	pthread_t thr;
	int running;
	int stop;
	int epfd, evfd, tfd, nlfd;
	struct inst *list;
	unsigned gen;            /* bumped when an instance goes away */
	uint64_t next_poll;
	/* Bumped by every batch of rtnetlink messages (and by every poll when
	 * there is no rtnetlink socket): an instance picks its source address
	 * (getifaddrs, a netlink dump that waits for the kernel's global RTNL
	 * lock, held for seconds while network namespaces are torn down) only
	 * when this moved since it last did, not at every poll. */
	uint64_t addr_seq;
	int rt_prio;             /* SCHED_RR priority at start, 0: none */
	int cpu;                 /* where the engine's thread last slept */
	pthread_t bs_thr;        /* the backstop thread (vrrp.c) */
	int bs_running;
	int bs_tfd;              /* its timerfd */
	uint8_t buf[65536];
};

#define LOG(e, lvl, ...) (e)->host->log((e)->host->host, (lvl), __VA_ARGS__)


/* Monotonic clock, microseconds. */
uint64_t fsm_now_us(void);
/* Start a new instance already on e->list: links checked, sockets opened,
 * INIT -> BACKUP / MASTER / FAULT (RFC 5798 6.4.1). */
void fsm_start(struct inst *i);
/* Graceful stop: a master sends priority 0 and removes its VIPs. */
void fsm_stop(struct inst *i);
/* Its socket is readable: receive, check, count, act. */
void fsm_readable(struct inst *i);
/* Links and addresses may have changed (rtnetlink said so, or the poll). */
void fsm_links_eval(struct engine *e);
/* An address went away somewhere: masters restore their missing VIPs. */
void fsm_vips_check(struct engine *e);
/* Run what is due; when is the next thing due (monotonic us)? */
void fsm_timers(struct engine *e);
uint64_t fsm_next_deadline(const struct engine *e);
/* Apply a changed configuration in place (same interface, VRID, version,
 * family and sync group): the state stays, a master changes its VIPs and
 * advertises the new priority and interval. 0, or -EOPNOTSUPP when only a
 * restart can apply it. i->cfg is n afterwards. */
int fsm_update(struct inst *i, const struct lvsd_vrrp_config *n);
/* Tracking changed (set_tracking): new priority, FAULT or not. */
void fsm_set_tracking(struct inst *i, int32_t delta, int fault,
		      const char *why);
/* Copy the counters and master of i (the caller holds e->mu). */
void fsm_stats(const struct inst *i, struct lvsd_vrrp_stats *out);

#endif
