/* bgp.c — the addresses BIRD announces (see bgp.h): the plan (pure), the
 * TUN device lvsd holds open, and the one applier of its addresses. */
#include "bgp.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

		x->want = x->ready = false;
		if (!x->quorum) {
			snprintf(x->why, sizeof(x->why), "withdrawn: quorum lost");
		} else if (x->has_vrrp && !x->vrrp_master) {
			snprintf(x->why, sizeof(x->why),
				 "withdrawn: vrrp instance %s is not MASTER",
				 x->vrrp);
		} else if (device_why) {
			snprintf(x->why, sizeof(x->why), "withdrawn: %s",
				 device_why);
		} else if (x->ok_since_us && now_us - x->ok_since_us < delay_us) {
			uint64_t at = x->ok_since_us + delay_us;

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

/* ------------------------------------------------------------- the part */

struct bgp {
	struct loop *loop;
	struct bgp_query q;
	struct addrctl *ac;
	int fd;                        /* the TUN device's, -1: none */
	char dev[MODEL_IFNAME_MAX];    /* its name */
	char dev_why[200];             /* "": up; else why there is none */
	bool configured;               /* a [bgp] section */
	bool enabled;
	uint32_t delay_ms;
	struct bgp_entry *e;
	size_t n;
	struct lvsd_addr *on;          /* the addresses on the device */
	size_t n_on;
	struct loop_timer *timer;      /* the next announce_delay's end */
};

int bgp_new(struct loop *loop, const struct bgp_query *q, struct bgp **out)
{
	struct bgp *b = calloc(1, sizeof(*b));

	if (!b)
		return -ENOMEM;
	b->loop = loop;
	b->q = *q;
	b->fd = -1;
	*out = b;
	return 0;
}

/* Close the device: the kernel deletes it and its addresses. */
static void dev_close(struct bgp *b, const char *why)
{
	if (b->fd < 0)
		return;
	close(b->fd);
	b->fd = -1;
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

/* Create the device (not persistent: it lives as long as our descriptor)
 * and set it up. 0 or -errno, with b->dev_why saying what failed. */
static int dev_open(struct bgp *b, const char *name)
{
	struct ifreq ifr;
	short flags = 0;
	int fd = -1, s, r;

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
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0 ||
	    (ifr.ifr_flags |= IFF_UP, ioctl(s, SIOCSIFFLAGS, &ifr) < 0)) {
		r = -errno;
		if (s >= 0)
			close(s);
		close(fd);
		snprintf(b->dev_why, sizeof(b->dev_why),
			 "cannot set TUN device %s up: %s", name, strerror(-r));
		return r;
	}
	close(s);
	b->fd = fd;
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
	dev_close(b, "stopping");
	addrctl_close(b->ac);
	free(b->e);
	free(b);
}

static bool on_device(const struct bgp *b, const struct lvsd_addr *a)
{
	for (size_t i = 0; i < b->n_on; i++)
		if (model_addr_eq(&b->on[i], a))
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

/* The device's addresses made what the plan wants: removals first. */
static void apply(struct bgp *b)
{
	char ab[INET6_ADDRSTRLEN];

	for (size_t i = 0; i < b->n_on;) {
		bool want = false;
		struct lvsd_vip v = vip_of(b, &b->on[i]);
		int r;

		for (size_t j = 0; j < b->n && !want; j++)
			want = b->e[j].want && model_addr_eq(&b->e[j].addr, &b->on[i]);
		if (want) {
			i++;
			continue;
		}
		r = addrctl_del(b->ac, &v);
		if (r < 0 && r != -EADDRNOTAVAIL) {
			log_err("bgp: cannot remove %s from %s: %s",
				model_addr_str(&b->on[i], ab, sizeof(ab)), b->dev,
				strerror(-r));
			i++;
			continue;
		}
		log_notice("bgp: %s withdrawn", model_addr_str(&b->on[i], ab, sizeof(ab)));
		b->on[i] = b->on[--b->n_on];
	}
	for (size_t j = 0; j < b->n; j++) {
		struct lvsd_vip v;
		struct lvsd_addr *grown;
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
		if (!grown) { /* on the device, unknown to us: removed at stop */
			log_err("bgp: out of memory");
			continue;
		}
		b->on = grown;
		b->on[b->n_on++] = v.addr;
		log_notice("bgp: %s announced", model_addr_str(&v.addr, ab, sizeof(ab)));
	}
	for (size_t j = 0; j < b->n; j++) {
		b->e[j].announced = on_device(b, &b->e[j].addr);
		if (!b->e[j].announced && b->e[j].want)
			b->e[j].want = false; /* it failed: said in why */
	}
}

static void on_timer(void *arg)
{
	struct bgp *b = arg;

	b->timer = NULL;
	if (b->q.model)
		bgp_update(b, b->q.model(b->q.arg));
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
	if (b->enabled && b->fd < 0) {
		if (dev_open(b, m->bgp.device) < 0)
			log_err("bgp: %s; nothing is announced", b->dev_why);
	} else if (!b->enabled) {
		snprintf(b->dev, sizeof(b->dev), "%s", m->bgp.device);
		snprintf(b->dev_why, sizeof(b->dev_why), "[bgp] not enabled");
	}
	if (entries(b, m, now) < 0) {
		log_err("bgp: out of memory: the announcements stay as they are");
		return;
	}
	bgp_plan(b->e, b->n, b->fd < 0 ? b->dev_why
			     : !b->ac ? "no rtnetlink socket" : NULL,
		 b->delay_ms, now, &next);
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

void bgp_report(const struct bgp *b,
		void (*emit)(void *arg, const char *line), void *arg)
{
	char line[400], ab[INET6_ADDRSTRLEN];

	if (!b || (!b->configured && !b->n))
		return;
	if (b->fd >= 0)
		snprintf(line, sizeof(line),
			 "BGP: device %s up, %zu address%s announced", b->dev,
			 b->n_on, b->n_on == 1 ? "" : "es");
	else
		snprintf(line, sizeof(line), "BGP: no device (%s)", b->dev_why);
	emit(arg, line);
	for (size_t i = 0; i < b->n; i++) {
		snprintf(line, sizeof(line), "  %s %s: %s", b->e[i].vs,
			 model_addr_str(&b->e[i].addr, ab, sizeof(ab)),
			 b->e[i].why);
		emit(arg, line);
	}
}
