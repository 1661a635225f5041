/* vrrp.c — the VRRP engine plugin ("vrrp"): its thread and the plugin ABI
 * (instance_add / instance_del / stats / instance_update / set_tracking).
 * The protocol —
 * RFC 5798 (VRRPv3, IPv4/IPv6) and RFC 3768 (VRRPv2, PASS) state machines,
 * preempt, track_interface, unicast peers, sync groups, notify programs — is in
 * vrrpfsm.c; packets in vrrppkt.c; sockets in vrrpnet.c.
 *
 * THREADING. The engine runs on its own thread with its own epoll, one
 * timerfd armed at the earliest deadline of all instances, an eventfd to
 * be woken and an rtnetlink socket for link and address events (a master
 * puts back a VIP someone removed: fsm_vips_check). So adverts
 * and the master down timer stay on time however busy the daemon's main
 * loop is (thousands of checks in flight). From that thread it calls only
 * the host functions marked "any thread": log, vip_add, vip_del,
 * vrrp_state (queued to the loop), link_up and spawn. instance_add,
 * instance_del and stats run on the loop thread and take the engine's
 * mutex, which the engine holds while it handles an event; an instance is
 * freed only after the engine can no longer see it (a generation counter
 * makes it drop the epoll events read before the deletion). The thread
 * runs SCHED_RR when allowed (engine_sched); a second one, the backstop,
 * runs the timers the first has not run BACKSTOP_US after they were due
 * (backstop_main), from another CPU, under the same mutex. */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <lvsd/plugin.h>

#include "vrrpfsm.h"
#include "vrrppkt.h"


static void drain(int fd)
{
	char b[8192];

	while (read(fd, b, sizeof(b)) > 0)
		;
}

/* The engine asks for SCHED_RR at the lowest real-time priority: on a
 * loaded machine a normal thread may wait tens of milliseconds for a CPU
 * after its timer fired, longer than a Master_Down_Interval at centisecond
 * adverts, and a backup would take over from a healthy master. Its work
 * per wake-up is bounded (no loop waits on anything but epoll), and the
 * kernel's real-time throttling still applies. Without CAP_SYS_NICE it
 * runs as a normal thread and says so once. */
#define ENGINE_RT_PRIO 1

static void engine_sched(struct engine *e)
{
	struct sched_param sp = { .sched_priority = e->rt_prio };
	int r;

	if (e->rt_prio <= 0) /* vrrp_rt_priority = 0: normal scheduling */
		return;
	if (e->rt_prio > 99)
		sp.sched_priority = 99;
	r = pthread_setschedparam(pthread_self(), SCHED_RR, &sp);
	if (r)
		LOG(e, LVSD_LOG_NOTICE,
		    "engine: no real-time scheduling (%s): adverts may be late on a busy machine",
		    strerror(r));
}

/* Read what rtnetlink said (vrrp_nl_classify); a lost event (ENOBUFS)
 * counts as everything. */
static unsigned nl_read(int fd)
{
	union {
		char b[16384];
		struct nlmsghdr align;
	} u;
	unsigned what = 0;

	for (int k = 0; k < 64; k++) {
		ssize_t n = recv(fd, u.b, sizeof(u.b), MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS)
				what |= VRRP_NL_LINK | VRRP_NL_DELADDR;
			break;
		}
		what |= vrrp_nl_classify(u.b, (size_t)n);
	}
	return what;
}

/* The backstop: a second thread, on another CPU than the engine's, that
 * runs the same timers BACKSTOP_US after they are due when the engine's
 * thread has not run them by then. A woken real-time thread waits for
 * its CPU until the task there leaves the kernel (or reaches a
 * preemption point: PREEMPT_NONE and PREEMPT_VOLUNTARY kernels, and a
 * virtual CPU the host has descheduled): measured up to 25 ms on a busy
 * 2-CPU VM, and the other CPU is often free at that moment.
 * Whichever thread takes the mutex first runs what is due; the other
 * finds nothing to do. Started (by the engine's thread, so it inherits
 * its scheduling) only where the process may use two CPUs or more. */
#define BACKSTOP_US 2000u

static void arm_fd(int fd, uint64_t at)
{
	struct itimerspec its = { 0 };

	if (at == 0)
		at = 1;
	its.it_value.tv_sec = (time_t)(at / 1000000u);
	its.it_value.tv_nsec = (long)(at % 1000000u) * 1000;
	timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void *backstop_main(void *arg)
{
	struct engine *e = arg;
	cpu_set_t allowed, set;
	int avoid = -1;

	pthread_setname_np(pthread_self(), "lvsd-vrrp-bs");
	if (sched_getaffinity(0, sizeof(allowed), &allowed) < 0)
		CPU_ZERO(&allowed);
	for (;;) {
		uint64_t at, n;
		int cpu, stop;

		pthread_mutex_lock(&e->mu);
		if (e->stop) {
			pthread_mutex_unlock(&e->mu);
			break;
		}
		fsm_timers(e);
		at = fsm_next_deadline(e) + BACKSTOP_US;
		cpu = e->cpu;
		pthread_mutex_unlock(&e->mu);
		/* Not on the engine's CPU: a CPU held there holds both. */
		if (cpu != avoid && cpu >= 0 && cpu < CPU_SETSIZE &&
		    CPU_ISSET(cpu, &allowed)) {
			set = allowed;
			CPU_CLR(cpu, &set);
			if (CPU_COUNT(&set) &&
			    pthread_setaffinity_np(pthread_self(), sizeof(set), &set) == 0)
				avoid = cpu;
		}
		arm_fd(e->bs_tfd, at);
		/* p_fini sets stop, then makes the timer fire: if that came
		 * before the arm above, stop is seen here. */
		pthread_mutex_lock(&e->mu);
		stop = e->stop;
		pthread_mutex_unlock(&e->mu);
		if (stop)
			break;
		if (read(e->bs_tfd, &n, sizeof(n)) < 0 && errno != EINTR &&
		    errno != EAGAIN)
			break;
	}
	return NULL;
}

static void backstop_start(struct engine *e)
{
	cpu_set_t allowed;

	if (sched_getaffinity(0, sizeof(allowed), &allowed) < 0 ||
	    CPU_COUNT(&allowed) < 2)
		return;
	e->bs_tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (e->bs_tfd < 0)
		return;
	/* inherits this thread's SCHED_RR (PTHREAD_INHERIT_SCHED) */
	if (pthread_create(&e->bs_thr, NULL, backstop_main, e) == 0) {
		e->bs_running = 1;
		return;
	}
	close(e->bs_tfd);
	e->bs_tfd = -1;
}

static void *engine_main(void *arg)
{
	struct engine *e = arg;
	struct epoll_event ev[32];

	pthread_setname_np(pthread_self(), "lvsd-vrrp");
	engine_sched(e);
	backstop_start(e);
	for (;;) {
		unsigned gen;
		int n;

		pthread_mutex_lock(&e->mu);
		if (e->stop) {
			pthread_mutex_unlock(&e->mu);
			break;
		}
		arm_fd(e->tfd, fsm_next_deadline(e));
		e->cpu = sched_getcpu();
		gen = e->gen;
		pthread_mutex_unlock(&e->mu);
		n = epoll_wait(e->epfd, ev, 32, -1);
		if (n < 0 && errno != EINTR) {
			LOG(e, LVSD_LOG_ERR, "engine: epoll_wait: %s", strerror(errno));
			break;
		}
		pthread_mutex_lock(&e->mu);
		for (int k = 0; k < n && !e->stop; k++) {
			void *t = ev[k].data.ptr;

			if (t == &e->evfd || t == &e->tfd) {
				drain(t == &e->evfd ? e->evfd : e->tfd);
			} else if (t == &e->nlfd) {
				unsigned what = nl_read(e->nlfd);

				if (what & VRRP_NL_LINK) {
					e->addr_seq++;
					fsm_links_eval(e);
				}
				if (what & VRRP_NL_DELADDR)
					fsm_vips_check(e);
			} else if (gen == e->gen) {
				/* Level-triggered: a skipped event comes back. */
				struct inst *i = t;

				fsm_readable(i);
			}
		}
		if (!e->stop)
			fsm_timers(e);
		pthread_mutex_unlock(&e->mu);
	}
	return NULL;
}

static void wake(struct engine *e)
{
	uint64_t one = 1;

	if (write(e->evfd, &one, sizeof(one)) < 0) {
		/* the counter is already non-zero: the engine wakes anyway */
	}
}

/* ------------------------------------------------------------ plugin */

static int engine_start(struct engine *e)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR,
	};
	struct epoll_event ev = { .events = EPOLLIN };
	int r;

	e->epfd = epoll_create1(EPOLL_CLOEXEC);
	e->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	e->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	e->nlfd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			 NETLINK_ROUTE);
	if (e->epfd < 0 || e->evfd < 0 || e->tfd < 0)
		return -errno;
	if (e->nlfd >= 0 && bind(e->nlfd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		/* links are still polled once a second */
		close(e->nlfd);
		e->nlfd = -1;
	}
	ev.data.ptr = &e->evfd;
	epoll_ctl(e->epfd, EPOLL_CTL_ADD, e->evfd, &ev);
	ev.data.ptr = &e->tfd;
	epoll_ctl(e->epfd, EPOLL_CTL_ADD, e->tfd, &ev);
	if (e->nlfd >= 0) {
		ev.data.ptr = &e->nlfd;
		epoll_ctl(e->epfd, EPOLL_CTL_ADD, e->nlfd, &ev);
	}
	r = pthread_create(&e->thr, NULL, engine_main, e);
	if (r)
		return -r;
	e->running = 1;
	return 0;
}

static int p_init(const struct lvsd_host_api *host, void **out)
{
	struct engine *e = calloc(1, sizeof(*e));
	pthread_mutexattr_t ma;

	if (!e)
		return -ENOMEM;
	e->host = host;
	e->epfd = e->evfd = e->tfd = e->nlfd = e->bs_tfd = -1;
	e->cpu = -1;
	/* Priority inheritance: the loop thread (stats, instance_add) must
	 * not hold the real-time engine up while it waits for a CPU. */
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT);
	pthread_mutex_init(&e->mu, &ma);
	pthread_mutexattr_destroy(&ma);
	*out = e;
	return 0;
}

static void p_fini(void *plugin)
{
	struct engine *e = plugin;

	if (!e)
		return;
	if (e->running) {
		pthread_mutex_lock(&e->mu);
		e->stop = 1;
		pthread_mutex_unlock(&e->mu);
		wake(e);
		pthread_join(e->thr, NULL);
	}
	if (e->bs_running) { /* it sees stop when its timer fires: now */
		arm_fd(e->bs_tfd, 1);
		pthread_join(e->bs_thr, NULL);
	}
	if (e->bs_tfd >= 0)
		close(e->bs_tfd);
	if (e->epfd >= 0)
		close(e->epfd);
	if (e->evfd >= 0)
		close(e->evfd);
	if (e->tfd >= 0)
		close(e->tfd);
	if (e->nlfd >= 0)
		close(e->nlfd);
	pthread_mutex_destroy(&e->mu);
	free(e);
}

static int p_instance_add(void *plugin, struct lvsd_vrrp_instance *h,
			  const struct lvsd_vrrp_config *cfg, void **state)
{
	struct engine *e = plugin;
	struct inst *i;
	int r;

	if ((cfg->version != 2 && cfg->version != 3) ||
	    (cfg->family != AF_INET && cfg->family != AF_INET6) ||
	    (cfg->version == 2 && cfg->family != AF_INET) || !cfg->advert_int_cs)
		return -EINVAL;
	if (!e->running) {
		e->rt_prio = LVSD_HAS_FIELD(cfg->size, struct lvsd_vrrp_config,
					    rt_priority)
			? cfg->rt_priority : ENGINE_RT_PRIO;
		if ((r = engine_start(e)) < 0)
			return r;
	}
	i = calloc(1, sizeof(*i));
	if (!i)
		return -ENOMEM;
	i->e = e;
	i->h = h;
	i->cfg = cfg;
	i->net.fd = -1;
	i->st.size = sizeof(i->st);
	i->state = LVSD_VRRP_INIT;
	pthread_mutex_lock(&e->mu);
	i->next = e->list;
	e->list = i;
	fsm_start(i);
	pthread_mutex_unlock(&e->mu);
	wake(e);
	*state = i;
	return 0;
}

static void p_instance_del(void *state)
{
	struct inst *i = state, **pp;
	struct engine *e = i->e;

	pthread_mutex_lock(&e->mu);
	fsm_stop(i);
	for (pp = &e->list; *pp; pp = &(*pp)->next)
		if (*pp == i) {
			*pp = i->next;
			break;
		}
	e->gen++;
	if (i->net.fd >= 0)
		epoll_ctl(e->epfd, EPOLL_CTL_DEL, i->net.fd, NULL);
	vrrpnet_close(&i->net);
	pthread_mutex_unlock(&e->mu);
	free(i);
}

static void p_stats(void *state, struct lvsd_vrrp_stats *out)
{
	struct inst *i = state;
	uint32_t size = out->size;
	struct lvsd_vrrp_stats s;

	pthread_mutex_lock(&i->e->mu);
	fsm_stats(i, &s);
	pthread_mutex_unlock(&i->e->mu);
	if (size > sizeof(s))
		size = sizeof(s);
	memcpy(out, &s, size);
	out->size = size;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int p_instance_update(void *state, const struct lvsd_vrrp_config *cfg)
{
	struct inst *i = state;
	struct engine *e = i->e;
	const struct lvsd_vrrp_config *o = i->cfg;
	int r;

	if (cfg->version != o->version || cfg->family != o->family ||
	    cfg->vrid != o->vrid || !same_str(cfg->ifname, o->ifname) ||
	    !same_str(cfg->sync_group, o->sync_group) || !cfg->advert_int_cs)
		return -EOPNOTSUPP;
	pthread_mutex_lock(&e->mu);
	r = fsm_update(i, cfg);
	pthread_mutex_unlock(&e->mu);
	wake(e);
	return r;
}

static void p_set_tracking(void *state, int32_t delta, int fault,
			   const char *why)
{
	struct inst *i = state;

	pthread_mutex_lock(&i->e->mu);
	fsm_set_tracking(i, delta, fault, why);
	pthread_mutex_unlock(&i->e->mu);
	wake(i->e); /* the next deadline may have moved */
}

static const struct lvsd_vrrp_ops ops = {
	.size = sizeof(ops),
	.instance_add = p_instance_add,
	.instance_del = p_instance_del,
	.stats = p_stats,
	.instance_update = p_instance_update,
	.set_tracking = p_set_tracking,
};

static const struct lvsd_plugin desc = {
	LVSD_PLUGIN_HEAD(LVSD_PLUGIN_VRRP, "vrrp", "1.0",
			 "VRRP v2/v3 engine (RFC 3768, RFC 5798) on its own thread"),
	.ops = &ops,
	.ops_size = sizeof(ops),
	.init = p_init,
	.fini = p_fini,
};

LVSD_EXPORT const struct lvsd_plugin *
lvsd_plugin_entry_v1(const struct lvsd_host_api *host)
{
	(void)host;
	return &desc;
}
