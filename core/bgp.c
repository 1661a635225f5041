/* bgp.c — the addresses BIRD announces (see bgp.h): the plan (pure), the
 * TUN device lvsd holds open, and the one applier of its addresses. */
#include "bgp.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addr.h"
#include "log.h"
#include "loop.h"

/* ------------------------------------------------------------ the plan */

static bool same_addr(const struct bgp_entry *a, const struct bgp_entry *b)
{
	return model_addr_eq(&a->addr, &b->addr);
}

void bgp_plan(struct bgp_entry *e, size_t n, const char *device_why,
	      uint32_t announce_delay_ms, uint64_t now_us, uint64_t *next_us)
{
	uint64_t next = 0, delay_us = (uint64_t)announce_delay_ms * 1000;

	/* each on its own */
	for (size_t i = 0; i < n; i++) {
		struct bgp_entry *x = &e[i];
		bool on = false;

		/* announce_delay is for an address going from withdrawn to
		 * announced (start, after a loss): one on the device now
		 * stays (a reload that raises the delay, a virtual server
		 * added on it) */
		for (size_t j = 0; !on && j < n; j++)
			on = e[j].announced && same_addr(x, &e[j]);

		x->want = x->ready = false;
		x->wait_until_us = 0;
		if (!x->quorum) {
			snprintf(x->why, sizeof(x->why), "withdrawn: quorum lost");
		} else if (x->has_vrrp && !x->vrrp_master) {
			snprintf(x->why, sizeof(x->why),
				 "withdrawn: vrrp instance %s is not MASTER",
				 x->vrrp);
		} else if (device_why) {
			snprintf(x->why, sizeof(x->why), "withdrawn: %s",
				 device_why);
		} else if (x->ok_since_us && now_us - x->ok_since_us < delay_us &&
			   !on) {
			uint64_t at = x->ok_since_us + delay_us;

			x->wait_until_us = at;
			snprintf(x->why, sizeof(x->why),
				 "waiting: announced in %llu ms (announce_delay)",
				 (unsigned long long)(at - now_us + 999) / 1000);
			if (!next || at < next)
				next = at;
		} else {
			x->ready = true;
			snprintf(x->why, sizeof(x->why), "announced");
		}
	}
	/* an address is announced only if every virtual server on it is
	 * ready: a director that cannot serve all of them leaves it */
	for (size_t i = 0; i < n; i++) {
		struct bgp_entry *x = &e[i];

		x->want = x->ready;
		for (size_t j = 0; x->want && j < n; j++) {
			if (j == i || !same_addr(x, &e[j]) || e[j].ready)
				continue;
			x->want = false;
			snprintf(x->why, sizeof(x->why), "%s: virtual server %s on the same address is %s",
				 strncmp(e[j].why, "waiting", 7) ? "withdrawn" : "waiting",
				 e[j].vs,
				 strncmp(e[j].why, "waiting", 7) ? "not ready" : "waiting (announce_delay)");
		}
	}
	if (next_us)
		*next_us = next;
}

const char *bgp_why(const struct bgp_entry *e, uint64_t now_us, char *buf,
		    size_t len)
{
	/* its own announce_delay: the time left, from the loop's clock */
	if (e->wait_until_us && !strncmp(e->why, "waiting: announced in ", 22))
		snprintf(buf, len, "waiting: announced in %llu ms (announce_delay)",
			 (unsigned long long)(e->wait_until_us > now_us
				 ? (e->wait_until_us - now_us + 999) / 1000 : 0));
	else
		snprintf(buf, len, "%s", e->why);
	return buf;
}

/* ------------------------------------------------------------- the part */

#define READBACK_SOON_MS 100 /* after a netlink event: coalesce a burst */

struct bgp {
	struct loop *loop;
	struct bgp_query q;
	struct addrctl *ac;
	int fd;                        /* the TUN device's, -1: none */
	unsigned ifindex;              /* its index when we created it */
	char dev[MODEL_IFNAME_MAX];    /* its name */
	char dev_why[200];             /* "": up; else why there is none */
	char logged_why[200];          /* the last creation failure logged */
	bool configured;               /* a [bgp] section */
	bool enabled;
	uint32_t delay_ms;
	struct bgp_entry *e;
	size_t n;
	struct lvsd_vip *on;           /* the addresses on the device, as
					* last read back or written */
	size_t n_on;
	struct loop_timer *timer;      /* the next announce_delay's end */
	struct loop_timer *rb_timer;   /* the periodic read-back */
	struct loop_timer *soon;       /* a read-back after a netlink event */
	int ev_fd;                     /* rtnetlink link + address events */
	struct loop_io *ev_io;
	uint64_t repairs;              /* read-backs that changed something */
};

static void on_event(void *arg, int fd, uint32_t events);

int bgp_new(struct loop *loop, const struct bgp_query *q, struct bgp **out)
{
	struct bgp *b = calloc(1, sizeof(*b));

	if (!b)
		return -ENOMEM;
	b->loop = loop;
	b->q = *q;
	if (!b->q.readback_ms)
		b->q.readback_ms = 5000;
	b->fd = -1;
	b->ev_fd = -1;
	*out = b;
	return 0;
}

/* Listen to the kernel's link and address events: any of them makes a
 * read-back soon (the messages are not parsed: a read-back is cheap). Best
 * effort: without it the periodic read-back still repairs. */
static void events_open(struct bgp *b)
{
	struct sockaddr_nl sa;
	int fd;

	if (b->ev_fd >= 0)
		return;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    NETLINK_ROUTE);
	if (fd < 0)
		goto fail;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    !(b->ev_io = loop_io_add(b->loop, fd, EPOLLIN, on_event, b))) {
		close(fd);
		goto fail;
	}
	b->ev_fd = fd;
	return;
fail:
	log_warnx("bgp: no rtnetlink events (%s): the device is read back every %u ms only",
		  strerror(errno), b->q.readback_ms);
}

static void events_close(struct bgp *b)
{
	if (b->ev_io)
		loop_io_close(b->loop, b->ev_io);
	else if (b->ev_fd >= 0)
		close(b->ev_fd);
	b->ev_io = NULL;
	b->ev_fd = -1;
	if (b->soon)
		loop_timer_del(b->loop, b->soon);
	b->soon = NULL;
}

/* Close the device: the kernel deletes it and its addresses. */
static void dev_close(struct bgp *b, const char *why)
{
	if (b->fd < 0)
		return;
	close(b->fd);
	b->fd = -1;
	b->ifindex = 0;
	if (b->n_on)
		log_notice("bgp: device %s removed, %zu address%s withdrawn (%s)",
			   b->dev, b->n_on, b->n_on == 1 ? "" : "es", why);
	else
		log_info("bgp: device %s removed (%s)", b->dev, why);
	free(b->on);
	b->on = NULL;
	b->n_on = 0;
	for (size_t i = 0; i < b->n; i++)
		b->e[i].announced = false;
}

static int tun_attach(const char *name, int *fdp, short *flags)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK), r;

	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0 || ioctl(fd, TUNGETIFF, &ifr) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	*fdp = fd;
	*flags = ifr.ifr_flags;
	return 0;
}

/* name's interface flags (IFF_UP, IFF_RUNNING ...), or set IFF_UP.
 * 0 or -errno. */
static int if_flags(const char *name, short *flags, bool set_up_flag)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = 0;

	if (s < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		r = -errno;
	else if (set_up_flag && (ifr.ifr_flags |= IFF_UP,
				 ioctl(s, SIOCSIFFLAGS, &ifr) < 0))
		r = -errno;
	close(s);
	if (flags)
		*flags = ifr.ifr_flags;
	return r;
}

static int set_up(const char *name)
{
	return if_flags(name, NULL, true);
}

int bgp_device_check(const struct model *m, char *why, size_t len)
{
	struct ethtool_drvinfo di;
	struct ifreq ifr;
	const char *name = m->bgp.device;
	int s, r = -1;

	if (!m->bgp.line || !m->bgp.enabled || !name[0] ||
	    if_nametoindex(name) == 0)
		return 0; /* none, or lvsd creates it */
	memset(&di, 0, sizeof(di));
	memset(&ifr, 0, sizeof(ifr));
	di.cmd = ETHTOOL_GDRVINFO;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_data = (void *)&di;
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s >= 0) {
		r = ioctl(s, SIOCETHTOOL, &ifr);
		close(s);
	}
	/* the tun driver says "tun" for a TUN device, "tap" for a TAP one */
	if (r == 0 && !strcmp(di.driver, "tun") && !strcmp(di.bus_info, "tun"))
		return 0;
	di.driver[sizeof(di.driver) - 1] = '\0';
	snprintf(why, len,
		 "[bgp] device: interface '%s' exists here and is not a TUN device%s%s%s: lvsd cannot create its device while that name is taken (nothing is announced; choose another name)",
		 name, r == 0 && di.driver[0] ? " (driver " : "",
		 r == 0 && di.driver[0] ? di.driver : "",
		 r != 0 || !di.driver[0] ? "" : strcmp(di.driver, "tun") ? ")" : ", a TAP device)");
	return -EEXIST;
}

/* Create the device (not persistent: it lives as long as our descriptor)
 * and set it up. 0 or -errno, with b->dev_why saying what failed. */
static int dev_open(struct bgp *b, const char *name)
{
	short flags = 0;
	int fd = -1, r;

	snprintf(b->dev, sizeof(b->dev), "%s", name);
	r = tun_attach(name, &fd, &flags);
	if (r == 0 && (flags & IFF_PERSIST)) {
		/* made persistent by someone (ip tuntap add): it would
		 * outlive us and keep its routes announced. Not any more;
		 * closed, it goes away with what it held: start afresh. */
		if (ioctl(fd, TUNSETPERSIST, 0) < 0)
			r = -errno;
		close(fd);
		fd = -1;
		log_warnx("bgp: device %s was persistent: made not persistent and created again",
			  name);
		if (r == 0)
			r = tun_attach(name, &fd, &flags);
	}
	if (r < 0) {
		snprintf(b->dev_why, sizeof(b->dev_why),
			 "cannot create TUN device %s: %s%s", name, strerror(-r),
			 r == -EBUSY || r == -EINVAL || r == -EPERM
				 ? " (a device of that name that is not a free TUN device?)"
				 : "");
		return r;
	}
	if ((r = set_up(name)) < 0) {
		close(fd);
		snprintf(b->dev_why, sizeof(b->dev_why),
			 "cannot set TUN device %s up: %s", name, strerror(-r));
		return r;
	}
	b->fd = fd;
	b->ifindex = if_nametoindex(name);
	b->dev_why[0] = '\0';
	log_info("bgp: device %s created (its addresses are what BIRD announces)",
		 name);
	return 0;
}

void bgp_free(struct bgp *b)
{
	if (!b)
		return;
	if (b->timer)
		loop_timer_del(b->loop, b->timer);
	if (b->rb_timer)
		loop_timer_del(b->loop, b->rb_timer);
	events_close(b);
	dev_close(b, "stopping");
	addrctl_close(b->ac);
	free(b->e);
	free(b);
}

static bool in_list(const struct lvsd_vip *v, size_t n, const struct lvsd_addr *a)
{
	for (size_t i = 0; i < n; i++)
		if (model_addr_eq(&v[i].addr, a))
			return true;
	return false;
}

static bool on_device(const struct bgp *b, const struct lvsd_addr *a)
{
	return in_list(b->on, b->n_on, a);
}

static bool wanted(const struct bgp *b, const struct lvsd_addr *a)
{
	for (size_t j = 0; j < b->n; j++)
		if (b->e[j].want && model_addr_eq(&b->e[j].addr, a))
			return true;
	return false;
}

static struct lvsd_vip vip_of(const struct bgp *b, const struct lvsd_addr *a)
{
	struct lvsd_vip v;

	memset(&v, 0, sizeof(v));
	v.addr = *a;
	v.prefix = a->family == AF_INET6 ? 128 : 32;
	snprintf(v.ifname, sizeof(v.ifname), "%s", b->dev);
	return v;
}

/* The device itself read back: gone, renamed or replaced (its name has
 * another index) is closed, to be created again; set down is set up
 * again, its carrier set off is set on again; what cannot be repaired is
 * a reason in the status (nothing announced). Before the plan. */
static void readback_device(struct bgp *b)
{
	unsigned idx;
	short fl = 0;
	int r, one = 1;

	if (b->fd < 0)
		return;
	idx = if_nametoindex(b->dev);
	if (idx != b->ifindex) {
		log_warnx("bgp: device %s %s (not by lvsd): creating it again",
			  b->dev, idx ? "replaced by another device"
				      : "deleted or renamed");
		b->repairs++;
		dev_close(b, "gone");
		return;
	}
	if ((r = if_flags(b->dev, &fl, false)) < 0)
		return; /* unknown: the next read-back */
	if (!(fl & IFF_UP)) {
		b->repairs++;
		if ((r = set_up(b->dev)) < 0) {
			log_err("bgp: device %s is down and cannot be set up: %s",
				b->dev, strerror(-r));
			snprintf(b->dev_why, sizeof(b->dev_why),
				 "device %s is down (cannot set it up: %s)",
				 b->dev, strerror(-r));
			return;
		}
		log_warnx("bgp: device %s was set down (not by lvsd): set up again",
			  b->dev);
	} else if (!(fl & IFF_RUNNING)) {
		b->repairs++;
		if (ioctl(b->fd, TUNSETCARRIER, &one) < 0) {
			r = -errno;
			log_err("bgp: device %s has no carrier and it cannot be set on: %s",
				b->dev, strerror(-r));
			snprintf(b->dev_why, sizeof(b->dev_why),
				 "device %s has no carrier (cannot set it on: %s)",
				 b->dev, strerror(-r));
			return;
		}
		log_warnx("bgp: device %s had its carrier set off (not by lvsd): set on again",
			  b->dev);
	}
	b->dev_why[0] = '\0';
}

/* Its addresses read back (after the plan, before apply): b->on becomes
 * what the kernel has. An address lvsd had put there and wants, missing,
 * is added again by apply; one it did not put there and does not want
 * (stray) is removed by apply. Logged here, once per repair. */
static void readback_addrs(struct bgp *b)
{
	struct lvsd_vip *v;
	size_t n;
	char ab[INET6_ADDRSTRLEN];
	int r;

	if (b->fd < 0 || !b->ac)
		return;
	if ((r = addrctl_list(b->ac, b->dev, &v, &n)) < 0) {
		log_err("bgp: cannot read the addresses of %s back: %s", b->dev,
			strerror(-r));
		return;
	}
	for (size_t i = 0; i < b->n_on; i++) {
		if (in_list(v, n, &b->on[i].addr))
			continue;
		b->repairs++;
		log_warnx("bgp: %s was removed from %s (not by lvsd)%s",
			  model_addr_str(&b->on[i].addr, ab, sizeof(ab)), b->dev,
			  wanted(b, &b->on[i].addr) ? ": adding it again" : "");
	}
	for (size_t i = 0; i < n;) {
		unsigned full = v[i].addr.family == AF_INET6 ? 128 : 32;

		if (v[i].prefix != full) {
			/* BIRD would announce the whole prefix: removed here,
			 * a /32 (/128) added again by apply if wanted */
			b->repairs++;
			log_warnx("bgp: %s/%u on %s is not a host address (not lvsd's, BIRD would announce the prefix): removing it",
				  model_addr_str(&v[i].addr, ab, sizeof(ab)),
				  v[i].prefix, b->dev);
			if ((r = addrctl_del(b->ac, &v[i])) < 0 && r != -EADDRNOTAVAIL) {
				log_err("bgp: cannot remove %s/%u from %s: %s",
					model_addr_str(&v[i].addr, ab, sizeof(ab)),
					v[i].prefix, b->dev, strerror(-r));
				i++;
				continue;
			}
			v[i] = v[--n];
			continue;
		}
		if (on_device(b, &v[i].addr) || wanted(b, &v[i].addr)) {
			i++;
			continue;
		}
		b->repairs++;
		log_warnx("bgp: stray address %s/%u on %s (not lvsd's, BIRD would announce it): removing it",
			  model_addr_str(&v[i].addr, ab, sizeof(ab)), v[i].prefix,
			  b->dev);
		i++;
	}
	free(b->on);
	b->on = v;
	b->n_on = n;
}

/* The device's addresses made what the plan wants: removals first. */
static void apply(struct bgp *b)
{
	char ab[INET6_ADDRSTRLEN];

	for (size_t i = 0; i < b->n_on;) {
		int r;

		if (wanted(b, &b->on[i].addr)) {
			i++;
			continue;
		}
		r = addrctl_del(b->ac, &b->on[i]);
		if (r < 0 && r != -EADDRNOTAVAIL) {
			log_err("bgp: cannot remove %s from %s: %s",
				model_addr_str(&b->on[i].addr, ab, sizeof(ab)),
				b->dev, strerror(-r));
			i++;
			continue;
		}
		log_notice("bgp: %s withdrawn (removed from %s)",
			   model_addr_str(&b->on[i].addr, ab, sizeof(ab)), b->dev);
		b->on[i] = b->on[--b->n_on];
	}
	for (size_t j = 0; j < b->n; j++) {
		struct lvsd_vip v;
		struct lvsd_vip *grown;
		int r;

		if (!b->e[j].want || on_device(b, &b->e[j].addr))
			continue;
		v = vip_of(b, &b->e[j].addr);
		r = addrctl_add(b->ac, &v);
		if (r < 0 && r != -EEXIST) {
			log_err("bgp: cannot add %s to %s: %s",
				model_addr_str(&v.addr, ab, sizeof(ab)), b->dev,
				strerror(-r));
			snprintf(b->e[j].why, sizeof(b->e[j].why),
				 "withdrawn: cannot add the address to %s: %s",
				 b->dev, strerror(-r));
			continue;
		}
		grown = realloc(b->on, (b->n_on + 1) * sizeof(*b->on));
		if (!grown) { /* on the device, unknown to us: the read-back */
			log_err("bgp: out of memory");
			continue;
		}
		b->on = grown;
		b->on[b->n_on++] = v;
		log_notice("bgp: %s announced (on %s)",
			   model_addr_str(&v.addr, ab, sizeof(ab)), b->dev);
	}
	for (size_t j = 0; j < b->n; j++) {
		b->e[j].announced = on_device(b, &b->e[j].addr);
		if (!b->e[j].announced && b->e[j].want)
			b->e[j].want = false; /* it failed: said in why */
	}
}

static void update_now(struct bgp *b)
{
	if (b->q.model)
		bgp_update(b, b->q.model(b->q.arg));
}

static void on_timer(void *arg)
{
	struct bgp *b = arg;

	b->timer = NULL;
	update_now(b);
}

static void on_readback(void *arg)
{
	struct bgp *b = arg;

	b->rb_timer = NULL; /* bgp_update arms the next */
	update_now(b);
}

static void on_soon(void *arg)
{
	struct bgp *b = arg;

	b->soon = NULL;
	update_now(b);
}

static void on_event(void *arg, int fd, uint32_t events)
{
	struct bgp *b = arg;
	char buf[8192];

	(void)events;
	/* drained unread, bounded; ENOBUFS (events lost) is an event too */
	for (int i = 0; i < 64; i++)
		if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) < 0 &&
		    errno != ENOBUFS)
			break;
	if (!b->soon && b->enabled) /* no device yet: its name may be free now */
		b->soon = loop_timer_add(b->loop, READBACK_SOON_MS, on_soon, b);
}

/* The entries of m, keeping since when each held (by name). */
static int entries(struct bgp *b, const struct model *m, uint64_t now)
{
	struct bgp_entry *e;
	size_t n = 0;

	for (size_t i = 0; i < m->n_vs; i++)
		n += m->vs[i].bgp_announce;
	e = calloc(n ? n : 1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	n = 0;
	for (size_t i = 0; i < m->n_vs; i++) {
		const struct model_vs *vs = &m->vs[i];
		const struct bgp_entry *old = bgp_find(b, vs->name);
		struct bgp_entry *x = &e[n];
		bool ok;

		if (!vs->bgp_announce)
			continue;
		n++;
		snprintf(x->vs, sizeof(x->vs), "%s", vs->name);
		x->addr = vs->addr;
		x->quorum = !b->q.quorum_lost || !b->q.quorum_lost(b->q.arg, vs);
		x->has_vrrp = vs->bgp_vrrp[0] != '\0';
		snprintf(x->vrrp, sizeof(x->vrrp), "%s", vs->bgp_vrrp);
		x->vrrp_master = x->has_vrrp && b->q.vrrp_master &&
				 b->q.vrrp_master(b->q.arg, vs->bgp_vrrp) == 1;
		ok = x->quorum && (!x->has_vrrp || x->vrrp_master);
		if (ok)
			x->ok_since_us = old && old->ok_since_us &&
						 model_addr_eq(&old->addr, &x->addr)
					 ? old->ok_since_us : now;
		if (old) {
			x->announced = x->was_announced = old->announced;
			memcpy(x->was_why, old->why, sizeof(x->was_why));
		}
	}
	free(b->e);
	b->e = e;
	b->n = n;
	return 0;
}

void bgp_update(struct bgp *b, const struct model *m)
{
	uint64_t now = loop_now_us(), next = 0;
	int r;

	if (!b || !m)
		return;
	if (!b->ac && (r = addrctl_open(&b->ac)) < 0) {
		log_err("bgp: cannot open rtnetlink: %s", strerror(-r));
		b->ac = NULL;
	}
	b->configured = m->bgp.line != 0;
	b->enabled = m->bgp.enabled;
	b->delay_ms = m->bgp.announce_delay_ms;
	if (b->fd >= 0 && (!b->enabled || strcmp(b->dev, m->bgp.device)))
		dev_close(b, b->enabled ? "[bgp] device changed" : "[bgp] disabled");
	readback_device(b); /* gone: closed here, created again below */
	if (b->enabled && b->fd < 0) {
		/* tried again at every read-back: logged once per reason */
		if (dev_open(b, m->bgp.device) < 0 &&
		    strcmp(b->logged_why, b->dev_why)) {
			log_err("bgp: %s; nothing is announced (tried again every %u ms)",
				b->dev_why, b->q.readback_ms);
			memcpy(b->logged_why, b->dev_why, sizeof(b->logged_why));
		} else if (b->fd >= 0) {
			b->logged_why[0] = '\0';
		}
	} else if (!b->enabled) {
		snprintf(b->dev, sizeof(b->dev), "%s", m->bgp.device);
		snprintf(b->dev_why, sizeof(b->dev_why), "[bgp] not enabled");
	}
	if (b->enabled)
		events_open(b);
	else
		events_close(b);
	if (entries(b, m, now) < 0) {
		log_err("bgp: out of memory: the announcements stay as they are");
		return;
	}
	bgp_plan(b->e, b->n, b->fd < 0 || b->dev_why[0] ? b->dev_why
			     : !b->ac ? "no rtnetlink socket" : NULL,
		 b->delay_ms, now, &next);
	readback_addrs(b);
	if (b->fd >= 0 && b->ac)
		apply(b);
	for (size_t i = 0; i < b->n; i++) {
		struct bgp_entry *x = &b->e[i];
		char ab[INET6_ADDRSTRLEN];

		/* once per change of state (announced, waiting, withdrawn) */
		if (x->announced == x->was_announced &&
		    !strncmp(x->why, x->was_why, 8))
			continue;
		log_notice("bgp: virtual server %s (%s): %s", x->vs,
			   model_addr_str(&x->addr, ab, sizeof(ab)), x->why);
	}
	if (b->timer) {
		loop_timer_del(b->loop, b->timer);
		b->timer = NULL;
	}
	if (next)
		b->timer = loop_timer_add_us(b->loop, next > now ? next - now : 1,
					     on_timer, b);
	if (b->rb_timer) {
		loop_timer_del(b->loop, b->rb_timer);
		b->rb_timer = NULL;
	}
	if (b->enabled) /* the next read-back: a full period from now */
		b->rb_timer = loop_timer_add(b->loop, b->q.readback_ms,
					     on_readback, b);
}

size_t bgp_count(const struct bgp *b)
{
	return b ? b->n : 0;
}

const struct bgp_entry *bgp_at(const struct bgp *b, size_t i)
{
	return b && i < b->n ? &b->e[i] : NULL;
}

const struct bgp_entry *bgp_find(const struct bgp *b, const char *vs)
{
	for (size_t i = 0; b && i < b->n; i++)
		if (!strcmp(b->e[i].vs, vs))
			return &b->e[i];
	return NULL;
}

void bgp_device_state(const struct bgp *b, struct bgp_device_state *out)
{
	memset(out, 0, sizeof(*out));
	if (!b || !b->configured)
		return;
	out->configured = true;
	out->enabled = b->enabled;
	out->up = b->fd >= 0 && !b->dev_why[0];
	out->device = b->dev;
	out->why = out->up ? NULL : b->dev_why;
	out->on = b->on;
	out->n_on = b->n_on;
	out->repairs = b->repairs;
}

const char *bgp_entry_text(const struct bgp *b, const struct bgp_entry *e,
			   uint64_t now_us, char *buf, size_t len)
{
	char why[160];

	bgp_why(e, now_us, why, sizeof(why));
	if (e->announced) /* the device's word first */
		snprintf(buf, len, "announced (on %s)%s%s", b ? b->dev : "?",
			 e->want ? "" : "; to be ", e->want ? "" : why);
	else
		snprintf(buf, len, "%s", why);
	return buf;
}

void bgp_report(const struct bgp *b,
		void (*emit)(void *arg, const char *line), void *arg)
{
	char line[400], ab[INET6_ADDRSTRLEN], why[200];
	uint64_t now = loop_now_us();

	if (!b || (!b->configured && !b->n))
		return;
	if (b->fd >= 0 && !b->dev_why[0])
		snprintf(line, sizeof(line),
			 "BGP: device %s up, %zu address%s on it (read back; BIRD announces them if its protocol direct names %s)",
			 b->dev, b->n_on, b->n_on == 1 ? "" : "es", b->dev);
	else if (b->fd >= 0)
		snprintf(line, sizeof(line), "BGP: %s, nothing announced",
			 b->dev_why);
	else
		snprintf(line, sizeof(line), "BGP: no device (%s)", b->dev_why);
	emit(arg, line);
	for (size_t i = 0; i < b->n; i++) {
		const struct bgp_entry *x = &b->e[i];

		snprintf(line, sizeof(line), "  %s %s: %s", x->vs,
			 model_addr_str(&x->addr, ab, sizeof(ab)),
			 bgp_entry_text(b, x, now, why, sizeof(why)));
		emit(arg, line);
	}
}
