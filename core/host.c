/* host.c — the functions behind struct lvsd_host_api (see host.h). */
#include "host.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "loop.h"
#include "outcome.h"
#include "spawn.h"

/* host_capture's buffer, per thread: a plugin logging from a thread of
 * its own is not captured. */
static _Thread_local char *cap_buf;
static _Thread_local size_t cap_len;

void host_capture(char *buf, size_t len)
{
	cap_buf = len ? buf : NULL;
	cap_len = len;
	if (cap_buf)
		cap_buf[0] = '\0';
}

static void h_log(struct lvsd_host *h, enum lvsd_log_level level,
		  const char *fmt, ...)
{
	static const char pre[] = "refused option: ";
	va_list ap;

	va_start(ap, fmt);
	if (cap_buf && level <= LVSD_LOG_WARNING) {
		vsnprintf(cap_buf, cap_len, fmt, ap);
		va_end(ap);
		/* the caller names the check; the plugin's prefix says no more */
		if (strncmp(cap_buf, pre, sizeof(pre) - 1) == 0)
			memmove(cap_buf, cap_buf + sizeof(pre) - 1,
				strlen(cap_buf) - (sizeof(pre) - 1) + 1);
		return;
	}
	log_vmsg((int)level, h->name, fmt, ap);
	va_end(ap);
}

static struct lvsd_io *h_io_add(struct lvsd_host *h, int fd, uint32_t events,
				lvsd_io_fn fn, void *arg)
{
	return (struct lvsd_io *)loop_io_add(h->core->loop, fd, events, fn, arg);
}

static int h_io_mod(struct lvsd_host *h, struct lvsd_io *io, uint32_t events)
{
	return loop_io_mod(h->core->loop, (struct loop_io *)io, events);
}

static void h_io_del(struct lvsd_host *h, struct lvsd_io *io)
{
	loop_io_del(h->core->loop, (struct loop_io *)io);
}

static void h_io_close(struct lvsd_host *h, struct lvsd_io *io)
{
	loop_io_close(h->core->loop, (struct loop_io *)io);
}

static struct lvsd_timer *h_timer_add(struct lvsd_host *h, uint64_t ms,
				      lvsd_timer_fn fn, void *arg)
{
	return (struct lvsd_timer *)loop_timer_add(h->core->loop, ms, fn, arg);
}

static void h_timer_del(struct lvsd_host *h, struct lvsd_timer *t)
{
	loop_timer_del(h->core->loop, (struct loop_timer *)t);
}

static uint64_t h_now_us(struct lvsd_host *h)
{
	(void)h;
	return loop_now_us();
}

static void h_check_done(struct lvsd_host *h, struct lvsd_check *check,
			 const struct lvsd_check_result *res)
{
	if (h->core->check_done)
		h->core->check_done(h->core->arg, check, res);
}

static int h_vip_add(struct lvsd_host *h, const struct lvsd_vip *vip)
{
	return h->core->vip_add ? h->core->vip_add(h->core->arg, vip) : -ENOTSUP;
}

static int h_vip_del(struct lvsd_host *h, const struct lvsd_vip *vip)
{
	return h->core->vip_del ? h->core->vip_del(h->core->arg, vip) : -ENOTSUP;
}

/* VRRP state changes may come from the engine's own thread: carry them
 * to the loop thread, where the model lives. */
struct state_msg {
	struct host *core;
	struct lvsd_vrrp_instance *inst;
	enum lvsd_vrrp_state state;
	char why[128];
};

static void deliver_state(void *arg)
{
	struct state_msg *m = arg;

	if (m->core->vrrp_state)
		m->core->vrrp_state(m->core->arg, m->inst, m->state, m->why);
	free(m);
}

static void h_vrrp_state(struct lvsd_host *h, struct lvsd_vrrp_instance *inst,
			 enum lvsd_vrrp_state state, const char *why)
{
	struct state_msg *m = calloc(1, sizeof(*m));

	if (!m) {
		log_err("%s: out of memory reporting a VRRP state", h->name);
		return;
	}
	m->core = h->core;
	m->inst = inst;
	m->state = state;
	if (why)
		snprintf(m->why, sizeof(m->why), "%s", why);
	if (loop_post(h->core->loop, deliver_state, m) < 0) {
		log_err("%s: cannot queue a VRRP state change", h->name);
		free(m);
	}
}

static int h_link_up(struct lvsd_host *h, const char *ifname)
{
	return h->core->link_up ? h->core->link_up(h->core->arg, ifname)
				: -ENOTSUP;
}

/* Notify programs may be asked for from the VRRP engine's thread: the
 * argv is copied and the program started on the loop thread (the spawner
 * and its timers live there); a failure to start is logged then. */
struct spawn_msg {
	struct lvsd_host *h;
	uint32_t timeout_ms;
	char **argv;
};

static void spawn_msg_free(struct spawn_msg *m)
{
	for (size_t i = 0; m->argv && m->argv[i]; i++)
		free(m->argv[i]);
	free(m->argv);
	free(m);
}

static void deliver_spawn(void *arg)
{
	struct spawn_msg *m = arg;
	struct host *c = m->h->core;
	int r = c->spawn ? c->spawn(c->arg, (const char *const *)m->argv,
				    m->timeout_ms)
			 : -ENOTSUP;

	if (r < 0)
		log_err("%s: cannot run %s: %s", m->h->name, m->argv[0],
			strerror(-r));
	spawn_msg_free(m);
}

static int h_spawn(struct lvsd_host *h, const char *const *argv,
		   uint32_t timeout_ms)
{
	struct spawn_msg *m;
	size_t n = 0;

	if (!argv || !argv[0])
		return -EINVAL;
	if (!h->core->spawn)
		return -ENOTSUP;
	while (argv[n])
		n++;
	m = calloc(1, sizeof(*m));
	if (!m || !(m->argv = calloc(n + 1, sizeof(char *)))) {
		free(m);
		return -ENOMEM;
	}
	m->h = h;
	m->timeout_ms = timeout_ms;
	for (size_t i = 0; i < n; i++)
		if (!(m->argv[i] = strdup(argv[i]))) {
			spawn_msg_free(m);
			return -ENOMEM;
		}
	if (loop_post(h->core->loop, deliver_spawn, m) < 0) {
		spawn_msg_free(m);
		return -ENOMEM;
	}
	return 0;
}

static struct lvsd_prog *h_prog_run(struct lvsd_host *h,
				    const struct lvsd_prog_spec *spec,
				    lvsd_prog_fn fn, void *arg, int *err)
{
	if (!h->core->prog_run) {
		*err = -ENOTSUP;
		return NULL;
	}
	return h->core->prog_run(h->core->arg, spec, fn, arg, err);
}

static void h_prog_cancel(struct lvsd_host *h, struct lvsd_prog *p)
{
	if (h->core->prog_cancel)
		h->core->prog_cancel(h->core->arg, p);
}

static int h_prog_check(struct lvsd_host *h, const char *command, char *err,
			size_t errlen)
{
	(void)h;
	return prog_check(command, err, errlen);
}

static void h_weigh_soon(struct lvsd_host *h)
{
	if (h->core->weigh_soon)
		h->core->weigh_soon(h->core->arg);
}

void host_api_fill(struct lvsd_host_api *api, struct lvsd_host *self)
{
	memset(api, 0, sizeof(*api));
	api->size = sizeof(*api);
	api->abi_major = LVSD_ABI_MAJOR;
	api->abi_minor = LVSD_ABI_MINOR;
	api->host = self;
	api->log = h_log;
	api->io_add = h_io_add;
	api->io_mod = h_io_mod;
	api->io_del = h_io_del;
	api->timer_add = h_timer_add;
	api->timer_del = h_timer_del;
	api->now_us = h_now_us;
	api->check_done = h_check_done;
	api->outcome_str = outcome_str;
	api->vip_add = h_vip_add;
	api->vip_del = h_vip_del;
	api->vrrp_state = h_vrrp_state;
	api->link_up = h_link_up;
	api->spawn = h_spawn;
	api->prog_run = h_prog_run;
	api->prog_cancel = h_prog_cancel;
	api->prog_check = h_prog_check;
	api->io_close = h_io_close;
	api->weigh_soon = h_weigh_soon;
}
