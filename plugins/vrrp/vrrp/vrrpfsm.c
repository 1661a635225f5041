/* vrrpfsm.c — per-instance VRRP state machines (see vrrpfsm.h). */
#include "vrrpfsm.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>

#include "vrrppkt.h"

#define LINK_POLL_US 1000000u    /* links are also polled once a second */
#define SEND_FAULT_AFTER 3u      /* failed adverts in a row: FAULT */
#define SEND_FAULT_HOLD_US 3000000u /* FAULT for send errors: at least this */
#define NOTIFY_TIMEOUT_MS 30000u /* a notify program is killed after this */
#define RECV_BURST 64

uint64_t fsm_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static const char *astr(const struct lvsd_addr *a, char *buf, size_t len)
{
	if (!a->family)
		return "-";
	return inet_ntop(a->family, &a->u, buf, (socklen_t)len) ? buf : "?";
}

static int addr_eq(const struct lvsd_addr *a, const struct lvsd_addr *b)
{
	if (a->family != b->family)
		return 0;
	return a->family == AF_INET ? a->u.v4.s_addr == b->u.v4.s_addr
				    : memcmp(&a->u.v6, &b->u.v6, 16) == 0;
}

static int addr_cmp(const struct lvsd_addr *a, const struct lvsd_addr *b)
{
	return a->family == AF_INET ? memcmp(&a->u.v4, &b->u.v4, 4)
				    : memcmp(&a->u.v6, &b->u.v6, 16);
}

/* ------------------------------------------------------------- timing */

/* The configured Advertisement_Interval; v2 speaks whole seconds. */
static uint64_t adv_us(const struct inst *i)
{
	uint32_t cs = i->cfg->advert_int_cs;

	if (i->cfg->version == 2)
		cs = cs < 100 ? 100 : cs / 100 * 100;
	return (uint64_t)cs * 10000u;
}

/* Skew_Time: v3 ((256 - Priority) * Master_Adver_Interval) / 256;
 * v2 (256 - Priority) / 256 seconds. */
static uint64_t skew_us(const struct inst *i)
{
	uint64_t base = i->cfg->version == 2 ? 1000000u
					     : (uint64_t)i->mai_cs * 10000u;

	return (256u - i->prio) * base / 256u;
}

/* Master_Down_Interval: 3 x Master_Adver_Interval (v3) or 3 x
 * Advertisement_Interval (v2), plus Skew_Time. */
static uint64_t master_down_us(const struct inst *i)
{
	uint64_t iv = i->cfg->version == 2 ? adv_us(i)
					   : (uint64_t)i->mai_cs * 10000u;

	return 3 * iv + skew_us(i);
}

/* ABI 1.2 fields of the configuration, with their defaults for a core
 * that does not give them. */
#define CFG_HAS(i, f) LVSD_HAS_FIELD((i)->cfg->size, struct lvsd_vrrp_config, f)

static uint32_t garp_delay_ms(const struct inst *i)
{
	return CFG_HAS(i, garp_master_delay_ms) ? i->cfg->garp_master_delay_ms : 0;
}

static uint32_t garp_refresh_ms(const struct inst *i)
{
	return CFG_HAS(i, garp_refresh_ms) ? i->cfg->garp_refresh_ms : 0;
}

static uint32_t garp_refresh_repeat(const struct inst *i)
{
	return CFG_HAS(i, garp_refresh_repeat) ? i->cfg->garp_refresh_repeat : 1;
}

/* The configured priority moved by tracking: 1..254; 255 never moves. */
static uint8_t effective_prio(const struct inst *i)
{
	int32_t p = i->cfg->priority;

	if (p == 255)
		return 255;
	p += i->track_delta;
	return (uint8_t)(p < 1 ? 1 : p > 254 ? 254 : p);
}

/* ------------------------------------------------------------ sending */

static void send_advert(struct inst *i, uint8_t prio)
{
	const struct lvsd_vrrp_config *c = i->cfg;
	struct lvsd_addr addrs[VRRP_MAX_ADDRS], group;
	struct vrrp_advert a = {
		.version = c->version, .family = c->family, .vrid = c->vrid,
		.priority = prio, .adver_int_cs = (uint16_t)(adv_us(i) / 10000u),
		.auth_pass = c->auth_pass, .addrs = addrs,
	};
	uint8_t pkt[VRRP_MAX_PKT];
	size_t nd = c->n_unicast_peers ? c->n_unicast_peers : 1;
	int len, r = 0;

	if (i->net.fd < 0 || !i->net.src.family)
		return;
	for (size_t k = 0; k < c->n_vips && a.naddr < VRRP_MAX_ADDRS; k++)
		if (c->vips[k].addr.family == c->family)
			addrs[a.naddr++] = c->vips[k].addr;
	vrrpnet_group(c->family, &group);
	for (size_t k = 0; k < nd; k++) {
		const struct lvsd_addr *dst =
			c->n_unicast_peers ? &c->unicast_peers[k] : &group;

		len = vrrp_pkt_build(pkt, sizeof(pkt), &a, &i->net.src, dst);
		if (len < 0)
			r = len;
		else if ((r = vrrpnet_send(&i->net, pkt, (size_t)len, dst)) == 0)
			i->st.adverts_sent++;
	}
	if (prio == 0 && r == 0)
		i->st.priority_zero_sent++;
	if (r < 0) {
		i->send_errs++;
		i->send_streak++;
		i->send_err = r;
		if (!(i->warned & W_SEND))
			LOG(i->e, LVSD_LOG_WARNING,
			    "[vrrp %s]: cannot send adverts on %s: %s",
			    c->name, c->ifname, strerror(-r));
		i->warned |= W_SEND;
	} else if (r == 0) {
		i->warned &= ~W_SEND;
		i->send_streak = 0;
		i->send_hold_us = 0;
	}
}

/* A MASTER that cannot send its adverts is not one: after SEND_FAULT_AFTER
 * failed adverts in a row the instance goes FAULT (fsm_timers), and stays
 * there until a probe of the path succeeds, SEND_FAULT_HOLD_US after the
 * last failure at the earliest. */
static int send_fault_over(struct inst *i)
{
	const struct lvsd_vrrp_config *c = i->cfg;
	struct lvsd_addr group;
	size_t nd = c->n_unicast_peers ? c->n_unicast_peers : 1;

	if (fsm_now_us() < i->send_fault_until)
		return 0;
	if (!i->net.src.family)
		return 0;
	vrrpnet_group(c->family, &group);
	for (size_t k = 0; k < nd; k++) {
		int r = vrrpnet_probe(&i->net, &i->net.src,
				      c->n_unicast_peers ? &c->unicast_peers[k]
							 : &group);
		if (r < 0) {
			i->send_err = r;
			i->send_fault_until = fsm_now_us() + SEND_FAULT_HOLD_US;
			return 0;
		}
	}
	i->send_fault = 0;
	i->send_streak = 0;
	return 1;
}

static int vip_eq(const struct lvsd_vip *a, const struct lvsd_vip *b)
{
	return addr_eq(&a->addr, &b->addr) && strcmp(a->ifname, b->ifname) == 0;
}

static int has_vip(const struct lvsd_vrrp_config *c, const struct lvsd_vip *v)
{
	for (size_t k = 0; k < c->n_vips; k++)
		if (vip_eq(&c->vips[k], v))
			return 1;
	return 0;
}

/* Does another instance, MASTER now, hold v? Then it stays on the
 * interface whatever this one does (lvsd -t refuses such a configuration;
 * this is the belt to those braces). */
static int vip_owned_elsewhere(const struct inst *i, const struct lvsd_vip *v)
{
	for (const struct inst *m = i->e->list; m; m = m->next)
		if (m != i && m->state == LVSD_VRRP_MASTER && has_vip(m->cfg, v))
			return 1;
	return 0;
}

static int vip_set1(struct inst *i, const struct lvsd_vip *v, int add)
{
	const struct lvsd_host_api *h = i->e->host;
	char ab[INET6_ADDRSTRLEN];
	int r;

	if (!add && vip_owned_elsewhere(i, v))
		return 0;
	r = add ? h->vip_add(h->host, v) : h->vip_del(h->host, v);
	if (r < 0 && r != -EEXIST && r != -EADDRNOTAVAIL && r != -ENOENT &&
	    !(i->warned & W_VIP)) {
		i->warned |= W_VIP;
		LOG(i->e, LVSD_LOG_ERR, "[vrrp %s]: cannot %s %s/%u on %s: %s",
		    i->cfg->name, add ? "add" : "remove",
		    astr(&v->addr, ab, sizeof(ab)), v->prefix, v->ifname,
		    strerror(-r));
	}
	return r;
}

static void vips_set(struct inst *i, int add)
{
	for (size_t k = 0; k < i->cfg->n_vips; k++)
		vip_set1(i, &i->cfg->vips[k], add);
}

static void announce1(struct inst *i, const struct lvsd_vip *v)
{
	char ab[INET6_ADDRSTRLEN];
	int r = vrrpnet_announce(v);

	if (r < 0 && r != -EOPNOTSUPP && !(i->warned & W_GARP)) {
		i->warned |= W_GARP;
		LOG(i->e, LVSD_LOG_WARNING, "[vrrp %s]: cannot announce %s on %s: %s",
		    i->cfg->name, astr(&v->addr, ab, sizeof(ab)), v->ifname,
		    strerror(-r));
	}
}

static void announce(struct inst *i)
{
	for (size_t k = 0; k < i->cfg->n_vips; k++)
		announce1(i, &i->cfg->vips[k]);
}

/* --------------------------------------------------------- transitions */

static void become(struct inst *i, enum lvsd_vrrp_state s, const char *why,
		   int from_group);

static void notify(struct inst *i, enum lvsd_vrrp_state s)
{
	const struct lvsd_host_api *h = i->e->host;
	const char *const *argv = s == LVSD_VRRP_MASTER ? i->cfg->notify_master
				: s == LVSD_VRRP_BACKUP ? i->cfg->notify_backup
				: s == LVSD_VRRP_FAULT	? i->cfg->notify_fault
							: NULL;
	int r;

	if (!argv || !argv[0])
		return;
	r = h->spawn(h->host, argv, NOTIFY_TIMEOUT_MS);
	if (r < 0)
		LOG(i->e, LVSD_LOG_ERR, "[vrrp %s]: cannot run %s: %s",
		    i->cfg->name, argv[0], strerror(-r));
}

/* Sync group: one member's move takes the others along. */
static void group_follow(struct inst *i, enum lvsd_vrrp_state s)
{
	char why[160];

	if (!i->cfg->sync_group)
		return;
	snprintf(why, sizeof(why), "sync group %s: %s is %s", i->cfg->sync_group,
		 i->cfg->name, s == LVSD_VRRP_MASTER ? "MASTER"
			       : s == LVSD_VRRP_BACKUP ? "BACKUP" : "FAULT");
	for (struct inst *m = i->e->list; m; m = m->next) {
		if (m == i || !m->cfg->sync_group ||
		    strcmp(m->cfg->sync_group, i->cfg->sync_group) != 0)
			continue;
		if (s == LVSD_VRRP_FAULT ||
		    (s == LVSD_VRRP_BACKUP && m->state == LVSD_VRRP_MASTER) ||
		    (s == LVSD_VRRP_MASTER && m->state == LVSD_VRRP_BACKUP)) {
			m->down_reason = i->st.new_master_reason;
			become(m, s, why, 1);
		}
	}
}

static void become(struct inst *i, enum lvsd_vrrp_state s, const char *why,
		   int from_group)
{
	const struct lvsd_host_api *h = i->e->host;
	uint64_t now = fsm_now_us();
	enum lvsd_vrrp_state old = i->state;

	if (old == s)
		return;
	i->state = s;
	if (old == LVSD_VRRP_MASTER) {
		/* Stepping down for a fault: tell the backups at once. */
		if (s == LVSD_VRRP_FAULT)
			send_advert(i, 0);
		vips_set(i, 0);
	}
	i->adver_at = i->down_at = i->garp_at = 0;
	i->garp_set2_at = i->garp_refresh_at = 0;
	i->garp_left = 0;
	if (s == LVSD_VRRP_FAULT)
		snprintf(i->fault_from, sizeof(i->fault_from), "%s", why ? why : "");
	switch (s) {
	case LVSD_VRRP_MASTER:
		i->st.master_transitions++;
		i->st.new_master_reason = i->down_reason ? i->down_reason : 3;
		vips_set(i, 1);
		send_advert(i, i->prio);
		i->adver_at = now + adv_us(i);
		i->master = i->net.src;
		i->master_prio = i->prio;
		i->mai_cs = (uint32_t)(adv_us(i) / 10000u);
		if (i->cfg->garp_count) {
			announce(i);
			i->garp_left = i->cfg->garp_count - 1;
			i->garp_at = now + (uint64_t)i->cfg->garp_interval_ms * 1000u;
			if (garp_delay_ms(i))
				i->garp_set2_at = now + (uint64_t)garp_delay_ms(i) * 1000u;
		}
		if (garp_refresh_ms(i))
			i->garp_refresh_at = now + (uint64_t)garp_refresh_ms(i) * 1000u;
		break;
	case LVSD_VRRP_BACKUP:
		i->drops_since_ok = 0;
		i->down_at = now + master_down_us(i);
		i->down_reason = 3;
		snprintf(i->down_why, sizeof(i->down_why),
			 "no advert for %.2f s (master down interval)",
			 master_down_us(i) / 1e6);
		break;
	default:
		memset(&i->master, 0, sizeof(i->master));
		i->master_prio = 0;
		break;
	}
	h->vrrp_state(h->host, i->h, s, why);
	notify(i, s);
	if (!from_group)
		group_follow(i, s);
}

/* --------------------------------------------------------------- links */

static void watch(struct inst *i, int add)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = i };

	if (i->net.fd >= 0)
		epoll_ctl(i->e->epfd, add ? EPOLL_CTL_ADD : EPOLL_CTL_DEL,
			  i->net.fd, &ev);
}



/* Pick i's source address again at the next link evaluation. */
static void src_stale(struct inst *i)
{
	i->src_seq = i->e->addr_seq - 1;
}

/* The address i sends from, picked again only after an address or link
 * event (engine.addr_seq), on a new socket or a new configuration; a
 * failed pick is retried at every evaluation. 1, or 0 with why set. */
static int src_check(struct inst *i, char *why, size_t len)
{
	const struct lvsd_vrrp_config *c = i->cfg;
	int r;

	if (i->src_seq == i->e->addr_seq && i->net.src.family)
		return 1;
	if (c->unicast_src.family &&
	    (r = vrrpnet_pick_src(&i->net, &c->unicast_src, c->vips, c->n_vips,
				  c->unicast_peers, c->n_unicast_peers)) < 0) {
		char ab[INET6_ADDRSTRLEN];

		snprintf(why, len, "unicast_src_ip %s %s",
			 astr(&c->unicast_src, ab, sizeof(ab)),
			 r == -EADDRNOTAVAIL ? "is not an address of this host"
					     : strerror(-r));
		return 0;
	}
	if (!c->unicast_src.family &&
	    vrrpnet_pick_src(&i->net, &c->unicast_src, c->vips, c->n_vips,
			     c->unicast_peers, c->n_unicast_peers) < 0) {
		snprintf(why, len, "interface %s has no %s address to send from",
			 c->ifname, c->family == AF_INET ? "IPv4"
			 : vrrpnet_peers_global(c->unicast_peers, c->n_unicast_peers)
			 ? "global IPv6 (the unicast peers are global)" : "link-local IPv6");
		return 0;
	}
	i->src_seq = i->e->addr_seq;
	return 1;
}

static int link_check(struct inst *i, char *why, size_t len)
{
	const struct lvsd_host_api *h = i->e->host;
	const struct lvsd_vrrp_config *c = i->cfg;
	int r;

	r = h->link_up(h->host, c->ifname);
	if (r == 0 || r == -ENODEV) {
		snprintf(why, len, "interface %s %s", c->ifname,
			 r ? "does not exist" : "is down");
		return 0;
	}
	for (size_t k = 0; k < c->n_track_ifaces; k++) {
		r = h->link_up(h->host, c->track_ifaces[k]);
		if (r == 0 || r == -ENODEV) {
			snprintf(why, len, "track_interface %s %s", c->track_ifaces[k],
				 r ? "does not exist" : "is down");
			return 0;
		}
	}
	if (i->track_fault) {
		snprintf(why, len, "%s", i->track_why);
		return 0;
	}
	if (i->net.fd < 0) {
		if ((r = vrrpnet_open(&i->net, c->family, c->ifname)) < 0) {
			snprintf(why, len, "cannot open a VRRP socket on %s: %s",
				 c->ifname, strerror(-r));
			return 0;
		}
		watch(i, 1);
		src_stale(i);
	}
	if (!src_check(i, why, len))
		return 0;
	if (i->send_fault && !send_fault_over(i)) {
		snprintf(why, len, "%s", i->send_why);
		return 0;
	}
	return 1;
}

static int group_ok(const struct inst *i)
{
	if (!i->cfg->sync_group)
		return i->link_ok;
	for (const struct inst *m = i->e->list; m; m = m->next)
		if (m->cfg->sync_group &&
		    strcmp(m->cfg->sync_group, i->cfg->sync_group) == 0 &&
		    !m->link_ok)
			return 0;
	return 1;
}

/* Start (or restart after a fault): RFC 5798 6.4.1. */
static void init_state(struct inst *i, const char *why)
{
	uint64_t now = fsm_now_us();

	i->mai_cs = (uint32_t)(adv_us(i) / 10000u);
	i->preempt_until = now + (uint64_t)i->cfg->preempt_delay_ms * 1000u;
	if (i->prio == 255) {
		i->down_reason = 1;
		become(i, LVSD_VRRP_MASTER, "priority 255: the address owner", 1);
		return;
	}
	become(i, LVSD_VRRP_BACKUP, why, 1);
	if (i->state == LVSD_VRRP_BACKUP && i->cfg->initial_state == LVSD_VRRP_MASTER &&
	    !strcmp(why, "initial state")) {
		/* state = MASTER: take over after one interval unless a
		 * master with a higher priority speaks up by then. */
		i->down_at = now + adv_us(i) + skew_us(i);
		i->down_reason = 1;
		snprintf(i->down_why, sizeof(i->down_why),
			 "state = MASTER and no higher-priority master heard");
	}
}

/* Why an instance leaves FAULT, said of what put it there: "track_interface
 * eth2 is down" -> "track_interface eth2 is up again". */
static void recovered_why(const char *from, char *out, size_t len)
{
	static const struct { const char *was, *now; } t[] = {
		{ " is down", " is up again" },
		{ " does not exist", " exists again" },
		{ " is FAULT", " left FAULT" },
	};
	const char *p;

	for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++)
		if ((p = strstr(from, t[k].was)) && !p[strlen(t[k].was)]) {
			snprintf(out, len, "%.*s%s", (int)(p - from), from, t[k].now);
			return;
		}
	snprintf(out, len, "recovered from: %s", from[0] ? from : "a fault");
}

void fsm_links_eval(struct engine *e)
{
	char why[300];

	for (struct inst *i = e->list; i; i = i->next) {
		i->link_was_ok = i->link_ok;
		i->link_ok = link_check(i, i->fault_why, sizeof(i->fault_why));
	}
	for (struct inst *i = e->list; i; i = i->next) {
		if (!i->link_ok && i->state != LVSD_VRRP_FAULT) {
			/* a master's priority 0 goes out first, if it can */
			become(i, LVSD_VRRP_FAULT, i->fault_why, 0);
		}
		if (!i->link_ok && i->link_was_ok) {
			watch(i, 0);
			vrrpnet_close(&i->net); /* reopened (and rejoined) when back */
		}
	}
	for (struct inst *i = e->list; i; i = i->next) {
		if (i->state != LVSD_VRRP_FAULT || !group_ok(i))
			continue;
		recovered_why(i->fault_from, why, sizeof(why));
		init_state(i, why);
	}
}

/* An address was removed from some interface (or events were lost): a
 * master puts back any of its VIPs that is gone, at once, announces it,
 * counts it and says so (at most once a second per instance, with how many
 * more). vip_add answers -EEXIST for one still there. */
void fsm_vips_check(struct engine *e)
{
	char ab[INET6_ADDRSTRLEN], more[64];

	for (struct inst *i = e->list; i; i = i->next) {
		if (i->state != LVSD_VRRP_MASTER)
			continue;
		for (size_t k = 0; k < i->cfg->n_vips; k++) {
			const struct lvsd_vip *v = &i->cfg->vips[k];
			struct drop_log *l = &i->restore_log;
			uint64_t now;

			if (vip_set1(i, v, 1) != 0)
				continue;
			announce1(i, v);
			i->st.vips_restored++;
			now = fsm_now_us();
			if (l->at && now - l->at < 1000000u) {
				l->suppressed++;
				continue;
			}
			more[0] = 0;
			if (l->suppressed)
				snprintf(more, sizeof(more), " (%llu more since the last such message)",
					 (unsigned long long)l->suppressed);
			l->at = now;
			l->suppressed = 0;
			LOG(e, LVSD_LOG_NOTICE,
			    "[vrrp %s]: %s/%u was removed from %s while MASTER: restored%s",
			    i->cfg->name, astr(&v->addr, ab, sizeof(ab)), v->prefix,
			    v->ifname, more);
		}
	}
}

/* ------------------------------------------------------------ receiving */

static int sibling_has_vrid(const struct inst *i, uint8_t vrid)
{
	for (const struct inst *m = i->e->list; m; m = m->next)
		if (m != i && m->cfg->vrid == vrid && m->cfg->family == i->cfg->family &&
		    strcmp(m->cfg->ifname, i->cfg->ifname) == 0)
			return 1;
	return 0;
}

/* Is i the first instance of its interface and family? A datagram of a
 * VRID nobody here runs reaches every such instance's socket: that one
 * counts it, so that the sum over instances is RFC 6527's router-wide
 * vrrpv3RouterVrIdErrors. */
static int first_on_link(const struct inst *i)
{
	for (const struct inst *m = i->e->list; m; m = m->next)
		if (m->cfg->family == i->cfg->family &&
		    strcmp(m->cfg->ifname, i->cfg->ifname) == 0)
			return m == i;
	return 1;
}

/* Every dropped datagram is counted under its reason and logged at notice,
 * at most once per DROP_LOG_US per reason and instance, with how many more
 * were dropped meanwhile. */
#define DROP_LOG_US 10000000u
_Static_assert((int)DROP_ADDR_LIST == (int)VRRP_PKT_BAD_ADDR_LIST &&
	       (int)DROP_TYPE == (int)VRRP_PKT_BAD_TYPE,
	       "enum drop_why starts with enum vrrp_pkt_err");

static uint64_t *drop_counter(struct inst *i, enum drop_why d)
{
	switch (d) {
	case DROP_LENGTH: return &i->st.bad_length;
	case DROP_TTL: return &i->st.bad_ttl;
	case DROP_VERSION: return &i->st.bad_version;
	case DROP_CHECKSUM: return &i->st.bad_checksum;
	case DROP_VRID: return &i->st.bad_vrid;
	case DROP_AUTH: return &i->st.bad_auth;
	case DROP_INTERVAL: return &i->st.bad_interval;
	case DROP_ADDR_LIST: return &i->st.bad_addr_list;
	case DROP_TYPE: return &i->st.bad_type;
	case DROP_NOT_PEER: return &i->st.drop_not_peer;
	case DROP_IN_FAULT: return &i->st.drop_in_fault;
	case DROP_OTHER:
	case DROP_N: break;
	}
	return &i->st.drop_other;
}

static void drop(struct inst *i, enum drop_why d, const struct lvsd_addr *src,
		 const char *reason)
{
	struct drop_log *l = &i->drops[d < DROP_N ? d : DROP_OTHER];
	uint64_t now = fsm_now_us();
	char ab[INET6_ADDRSTRLEN], more[64] = "";

	(*drop_counter(i, d))++;
	i->drops_since_ok++;
	/* RFC 6527's vrrpv3StatisticsProtoErrReason */
	if (d == DROP_TTL)
		i->st.proto_err_reason = 1;
	else if (d == DROP_VERSION)
		i->st.proto_err_reason = 2;
	else if (d == DROP_CHECKSUM)
		i->st.proto_err_reason = 3;
	else if (d == DROP_VRID)
		i->st.proto_err_reason = 4;
	snprintf(i->last_drop, sizeof(i->last_drop), "%s from %s", reason,
		 src ? astr(src, ab, sizeof(ab)) : "?");
	if (l->at && now - l->at < DROP_LOG_US) {
		l->suppressed++;
		return;
	}
	if (l->suppressed)
		snprintf(more, sizeof(more), " (%llu more since the last such message)",
			 (unsigned long long)l->suppressed);
	l->at = now;
	l->suppressed = 0;
	LOG(i->e, LVSD_LOG_NOTICE, "[vrrp %s]: dropped an advert from %s: %s%s",
	    i->cfg->name, src ? astr(src, ab, sizeof(ab)) : "?", reason, more);
}

static int from_peer(const struct inst *i, const struct lvsd_addr *src)
{
	if (!i->cfg->n_unicast_peers)
		return 1;
	for (size_t k = 0; k < i->cfg->n_unicast_peers; k++)
		if (addr_eq(&i->cfg->unicast_peers[k], src))
			return 1;
	return 0;
}

/* MASTER: answer an advert at once (a priority-0 one, or a lower-priority
 * master's) without touching the advert timer; at most one answer per
 * Advertisement_Interval, so a flood of adverts is not echoed. */
static void answer(struct inst *i, uint64_t now)
{
	if (i->answered_at && now - i->answered_at < adv_us(i))
		return;
	i->answered_at = now;
	send_advert(i, i->prio);
}

/* RFC 5798 6.4.2 / 6.4.3 (RFC 3768 6.4.2 / 6.4.3 for v2). */
static void on_advert(struct inst *i, const struct vrrp_pkt *p,
		      const struct lvsd_addr *src)
{
	uint8_t mine = i->prio;
	uint64_t now = fsm_now_us();
	char ab[INET6_ADDRSTRLEN], why[160];

	if (i->state == LVSD_VRRP_BACKUP) {
		int preempt = i->cfg->preempt && now >= i->preempt_until;

		if (p->priority == 0) {
			i->down_at = now + skew_us(i);
			i->down_reason = 3;
			snprintf(i->down_why, sizeof(i->down_why),
				 "master %s stepped down (priority 0)",
				 astr(src, ab, sizeof(ab)));
		} else if (!preempt || p->priority >= mine) {
			if (i->cfg->version == 3)
				i->mai_cs = p->adver_int_cs;
			i->master = *src;
			i->master_prio = p->priority;
			i->down_at = now + master_down_us(i);
			i->down_reason = 3;
			snprintf(i->down_why, sizeof(i->down_why),
				 "no advert from %s for %.2f s (master down interval)",
				 astr(src, ab, sizeof(ab)), master_down_us(i) / 1e6);
		} else {
			/* A lower priority: let the timer run out and preempt. */
			i->down_reason = 2;
			snprintf(i->down_why, sizeof(i->down_why),
				 "preempting %s (priority %u < %u)",
				 astr(src, ab, sizeof(ab)), p->priority, mine);
		}
		return;
	}
	if (i->state != LVSD_VRRP_MASTER)
		return;
	/* Nothing received moves adver_at: the master's adverts go out
	 * every Advertisement_Interval whatever arrives (a returning peer,
	 * a flapping backup, a flood). An immediate answer is an extra
	 * advert, at most one per interval. */
	if (p->priority == 0) {
		answer(i, now);
	} else if (p->priority > mine ||
		   (p->priority == mine && addr_cmp(src, &i->net.src) > 0)) {
		if (i->cfg->version == 3)
			i->mai_cs = p->adver_int_cs;
		snprintf(why, sizeof(why), "advert from %s with %s priority %u",
			 astr(src, ab, sizeof(ab)),
			 p->priority > mine ? "a higher" : "the same (higher address)",
			 p->priority);
		/* Two masters: a partition has healed. One last advert of
		 * ours makes the winner announce its VIPs again (see below):
		 * the hosts may have learnt our MAC for them meanwhile. */
		send_advert(i, mine);
		become(i, LVSD_VRRP_BACKUP, why, 0);
		i->master = *src;
		i->master_prio = p->priority;
	} else {
		/* A lower-priority master (a partition healing, a restart):
		 * RFC 5798 discards its advert. We also answer at once, so it
		 * steps down within a round trip, and announce our VIPs again,
		 * since the hosts may have learnt its MAC meanwhile. */
		answer(i, now);
		if (i->cfg->garp_count && !i->garp_left) {
			announce(i);
			i->garp_left = i->cfg->garp_count - 1;
			i->garp_at = now + (uint64_t)i->cfg->garp_interval_ms * 1000u;
		}
	}
}

void fsm_readable(struct inst *i)
{
	const struct lvsd_vrrp_config *c = i->cfg;
	struct vrrp_expect ex = {
		.vrid = c->vrid, .version = c->version, .auth_pass = c->auth_pass,
		.adver_int_cs = (uint16_t)(adv_us(i) / 10000u), .vips = c->vips,
		.n_vips = c->n_vips,
	};
	struct lvsd_addr src, dst;
	const uint8_t *pl;
	struct vrrp_pkt p;
	char ab[INET6_ADDRSTRLEN], why[160];

	for (int n = 0; n < RECV_BURST && i->net.fd >= 0; n++) {
		enum vrrp_pkt_err err;
		int ttl, mismatch;
		ssize_t len = vrrpnet_recv(&i->net, i->e->buf, sizeof(i->e->buf),
					   &pl, &src, &dst, &ttl);

		if (len == -EBADMSG) {
			drop(i, DROP_LENGTH, NULL, "truncated datagram or broken IP header");
			continue;
		}
		if (len == -EAGAIN || len == -EINTR)
			break;
		if (len < 0) {
			snprintf(why, sizeof(why), "receive error: %s", strerror((int)-len));
			drop(i, DROP_OTHER, NULL, why);
			break;
		}
		if (addr_eq(&src, &i->net.src))
			continue; /* our own, looped back: not a drop */
		if (i->state == LVSD_VRRP_FAULT) {
			drop(i, DROP_IN_FAULT, &src, "the instance is FAULT");
			continue;
		}
		if (!from_peer(i, &src) && len >= 2 && pl[1] != c->vrid &&
		    !sibling_has_vrid(i, pl[1]))
			continue; /* another router's multicast on a shared link */
		if (!from_peer(i, &src)) {
			snprintf(why, sizeof(why),
				 "%s is not a unicast_peer%s", astr(&src, ab, sizeof(ab)),
				 src.family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&src.u.v6)
				 ? " (a link-local source: set unicast_src_ip on that node)" : "");
			drop(i, DROP_NOT_PEER, &src, why);
			continue;
		}
		/* Another VRID's packet is its business, not an error of
		 * ours, unless nobody here runs that VRID. */
		if (len >= 2 && pl[1] != c->vrid) {
			if (!sibling_has_vrid(i, pl[1]) && first_on_link(i)) {
				snprintf(why, sizeof(why), "VRID %u is not configured here",
					 pl[1]);
				drop(i, DROP_VRID, &src, why);
			}
			continue;
		}
		err = vrrp_pkt_parse(pl, (size_t)len, c->family, c->version, &src,
				     &dst, ttl, &p);
		if (err == VRRP_PKT_OK)
			err = vrrp_pkt_check(&p, &ex, &mismatch);
		if (err != VRRP_PKT_OK) {
			drop(i, (enum drop_why)err, &src, vrrp_pkt_err_str(err));
			continue;
		}
		if (mismatch) {
			i->st.bad_addr_list++;
			if (!(i->warned & W_ADDRS))
				LOG(i->e, LVSD_LOG_WARNING,
				    "[vrrp %s]: %s advertises other virtual addresses than ours",
				    c->name, astr(&src, ab, sizeof(ab)));
			i->warned |= W_ADDRS;
		}
		i->st.adverts_rcvd++;
		i->drops_since_ok = 0;
		if (p.priority == 0)
			i->st.priority_zero_rcvd++;
		on_advert(i, &p, &src);
	}
}

/* -------------------------------------------------------------- timers */

void fsm_timers(struct engine *e)
{
	uint64_t now = fsm_now_us();

	if (now >= e->next_poll) {
		e->next_poll = now + LINK_POLL_US;
		if (e->nlfd < 0) /* no address events: look each time */
			e->addr_seq++;
		fsm_links_eval(e);
	}
	for (struct inst *i = e->list; i; i = i->next) {
		if (i->state == LVSD_VRRP_MASTER && i->adver_at && now >= i->adver_at) {
			uint64_t late = fsm_now_us() - i->adver_at;

			if (late > adv_us(i) / 2)
				i->st.adverts_late++;
			if (late > i->st.advert_late_max_us)
				i->st.advert_late_max_us = late;
			send_advert(i, i->prio);
			i->adver_at += adv_us(i);
			if (i->adver_at <= now)
				i->adver_at = now + adv_us(i);
			if (i->send_streak >= SEND_FAULT_AFTER) {
				char ab[INET6_ADDRSTRLEN];

				snprintf(i->send_why, sizeof(i->send_why),
					 "cannot send adverts from %s on %s: %s (%u in a row)",
					 astr(&i->net.src, ab, sizeof(ab)),
					 i->cfg->ifname, strerror(-i->send_err),
					 i->send_streak);
				i->send_fault = 1;
				/* Failing again and again: wait longer each time
				 * (a probe cannot see every cause, a firewall's
				 * EPERM for one), up to a minute. */
				if (!i->send_hold_us)
					i->send_hold_us = SEND_FAULT_HOLD_US;
				i->send_fault_until = now + i->send_hold_us;
				if (i->send_hold_us < 60000000u)
					i->send_hold_us *= 2;
				fsm_links_eval(e);
				continue;
			}
		}
		if (i->state == LVSD_VRRP_BACKUP && i->down_at && now >= i->down_at) {
			char why[512];

			/* Adverts that queued while this thread waited for a
			 * CPU count before the timer does. */
			fsm_readable(i);
			if (i->state != LVSD_VRRP_BACKUP || !i->down_at ||
			    fsm_now_us() < i->down_at)
				continue;

			if (i->drops_since_ok && !strncmp(i->down_why, "no advert", 9))
				/* Adverts came but were dropped: say so. */
				snprintf(why, sizeof(why),
					 "no valid advert%s; %llu dropped meanwhile (last: %s)",
					 i->down_why + 9,
					 (unsigned long long)i->drops_since_ok,
					 i->last_drop);
			else
				snprintf(why, sizeof(why), "%s", i->down_why);
			become(i, LVSD_VRRP_MASTER, why, 0);
		}
		if (i->state == LVSD_VRRP_MASTER && i->garp_set2_at &&
		    now >= i->garp_set2_at) {
			i->garp_set2_at = 0;
			i->garp_left += i->cfg->garp_count;
			i->garp_at = now;
		}
		if (i->state == LVSD_VRRP_MASTER && i->garp_refresh_at &&
		    now >= i->garp_refresh_at) {
			/* A period of 0 is off, never "every loop". */
			i->garp_refresh_at = garp_refresh_ms(i)
				? now + (uint64_t)garp_refresh_ms(i) * 1000u : 0;
			if (!i->garp_left)
				i->garp_at = now;
			i->garp_left += garp_refresh_repeat(i);
		}
		while (i->state == LVSD_VRRP_MASTER && i->garp_left && now >= i->garp_at) {
			announce(i);
			i->garp_left--;
			i->garp_at = now + (uint64_t)i->cfg->garp_interval_ms * 1000u;
		}
	}
}

uint64_t fsm_next_deadline(const struct engine *e)
{
	uint64_t t = e->next_poll;

#define EARLIER(x) do { if ((x) && (x) < t) t = (x); } while (0)
	for (const struct inst *i = e->list; i; i = i->next) {
		if (i->state == LVSD_VRRP_MASTER) {
			EARLIER(i->adver_at);
			if (i->garp_left)
				EARLIER(i->garp_at);
			EARLIER(i->garp_set2_at);
			EARLIER(i->garp_refresh_at);
		} else if (i->state == LVSD_VRRP_BACKUP) {
			EARLIER(i->down_at);
		}
	}
#undef EARLIER
	return t;
}

/* ------------------------------------------------------- start and stop */

void fsm_set_tracking(struct inst *i, int32_t delta, int fault,
		      const char *why)
{
	uint8_t old = i->prio;

	i->track_delta = delta;
	i->prio = effective_prio(i);
	/* A FAULT is logged as such (the state change says why), not as a
	 * priority. */
	if (i->prio != old && !fault)
		LOG(i->e, LVSD_LOG_NOTICE, "[vrrp %s]: priority %u -> %u (%s)",
		    i->cfg->name, old, i->prio, why && why[0] ? why : "tracking");
	if (i->state == LVSD_VRRP_MASTER)
		i->master_prio = i->prio;
	snprintf(i->track_why, sizeof(i->track_why), "%s", why ? why : "");
	if (fault != i->track_fault) {
		i->track_fault = fault;
		fsm_links_eval(i->e);
	}
}

void fsm_start(struct inst *i)
{
	if (CFG_HAS(i, track_why)) {
		i->track_delta = i->cfg->track_priority_delta;
		i->track_fault = i->cfg->track_fault;
		snprintf(i->track_why, sizeof(i->track_why), "%s",
			 i->cfg->track_why ? i->cfg->track_why : "tracking");
	}
	i->prio = effective_prio(i);
	i->link_ok = link_check(i, i->fault_why, sizeof(i->fault_why));
	if (!i->link_ok)
		become(i, LVSD_VRRP_FAULT, i->fault_why, 0);
	else if (!group_ok(i))
		become(i, LVSD_VRRP_FAULT, "sync group: another member is FAULT", 1);
	else
		init_state(i, "initial state");
	/* Joining a group (at a reload) whose members are masters. */
	for (struct inst *m = i->e->list; i->cfg->sync_group &&
	     i->state == LVSD_VRRP_BACKUP && m; m = m->next)
		if (m != i && m->cfg->sync_group && m->state == LVSD_VRRP_MASTER &&
		    strcmp(m->cfg->sync_group, i->cfg->sync_group) == 0) {
			char why[160];

			snprintf(why, sizeof(why), "sync group %s: %s is MASTER",
				 i->cfg->sync_group, m->cfg->name);
			i->down_reason = m->st.new_master_reason;
			become(i, LVSD_VRRP_MASTER, why, 1);
		}
}

void fsm_stop(struct inst *i)
{
	if (i->state != LVSD_VRRP_MASTER)
		return;
	/* Graceful: priority 0 makes a backup take over after its
	 * Skew_Time instead of the Master_Down_Interval. */
	send_advert(i, 0);
	vips_set(i, 0);
}

/* The timers derived from the gratuitous-ARP settings after they changed
 * in place on a MASTER: a period now 0 cancels its timer, a new period
 * counts from now, an unchanged one keeps its phase. */
static void rearm_garp(struct inst *i, const struct lvsd_vrrp_config *o,
		       const struct lvsd_vrrp_config *n, uint64_t now)
{
	const struct lvsd_vrrp_config *keep = i->cfg;
	uint32_t old_ref, old_delay;

	i->cfg = o;
	old_ref = garp_refresh_ms(i);
	old_delay = garp_delay_ms(i);
	i->cfg = n;
	if (!garp_refresh_ms(i))
		i->garp_refresh_at = 0;
	else if (garp_refresh_ms(i) != old_ref || !i->garp_refresh_at)
		i->garp_refresh_at = now + (uint64_t)garp_refresh_ms(i) * 1000u;
	/* The second set after garp_master_delay: pending only while the
	 * delay still runs; a delay now off drops it. */
	if (!garp_delay_ms(i) || !n->garp_count)
		i->garp_set2_at = 0;
	else if (i->garp_set2_at && garp_delay_ms(i) != old_delay &&
		 i->garp_set2_at > now + (uint64_t)garp_delay_ms(i) * 1000u)
		i->garp_set2_at = now + (uint64_t)garp_delay_ms(i) * 1000u;
	/* Fewer announcements asked for: never more left than that. */
	if (i->garp_left > n->garp_count + garp_refresh_repeat(i))
		i->garp_left = n->garp_count + garp_refresh_repeat(i);
	i->cfg = keep;
}

/* A reload's change in place (vrrp.c checked the identity). */
int fsm_update(struct inst *i, const struct lvsd_vrrp_config *n)
{
	const struct lvsd_vrrp_config *o = i->cfg;
	uint64_t now = fsm_now_us();

	/* The address owner (priority 255) starts as MASTER: a restart. */
	if ((o->priority == 255) != (n->priority == 255))
		return -EOPNOTSUPP;
	if (i->state == LVSD_VRRP_MASTER) {
		/* Addresses no longer listed go, new ones come and are
		 * announced; the others stay where they are. */
		for (size_t k = 0; k < o->n_vips; k++)
			if (!has_vip(n, &o->vips[k]))
				vip_set1(i, &o->vips[k], 0);
		i->cfg = n;
		for (size_t k = 0; k < n->n_vips; k++)
			if (!has_vip(o, &n->vips[k]) &&
			    vip_set1(i, &n->vips[k], 1) == 0)
				announce1(i, &n->vips[k]);
		/* A new priority or interval goes out in the next advert,
		 * which is due no later than one new interval from now. */
		i->prio = effective_prio(i);
		i->master_prio = i->prio;
		i->mai_cs = (uint32_t)(adv_us(i) / 10000u);
		if (i->adver_at > now + adv_us(i))
			i->adver_at = now + adv_us(i);
		rearm_garp(i, o, n, now);
	}
	i->cfg = n;
	i->prio = effective_prio(i); /* a new configured priority, same tracking */
	i->warned = 0;
	if (i->state == LVSD_VRRP_BACKUP && n->version == 2)
		i->mai_cs = (uint32_t)(adv_us(i) / 10000u);
	/* track_interface, unicast_src_ip and unicast_peer take effect in
	 * the link evaluation (a new source address too). */
	src_stale(i);
	fsm_links_eval(i->e);
	return 0;
}

void fsm_stats(const struct inst *i, struct lvsd_vrrp_stats *out)
{
	*out = i->st;
	out->size = sizeof(*out);
	out->send_errors = i->send_errs;
	out->master_addr = i->master;
	out->master_priority = i->master_prio;
	out->src_addr = i->net.src;
	out->master_adver_int_cs = i->state == LVSD_VRRP_BACKUP ||
					   i->state == LVSD_VRRP_MASTER
				   ? i->mai_cs : 0;
}
