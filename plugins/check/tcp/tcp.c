/* tcp.c — the TCP checker (keepalived's TCP_CHECK): a real server is
 * healthy if a TCP connection to it opens within connect_timeout. The
 * connection is closed at once; nothing is sent. No options of its own. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lvsd/plugin.h>

#include "../common/connect.h"

struct tcp_check {
	const struct lvsd_host_api *host;
	struct lvsd_check *check;
	struct lvsd_check_target t;
	int fd;
	struct lvsd_io *io;
	struct lvsd_timer *timer;
	uint64_t start_us;
	char detail[96];
};

static int tcp_check_option(void *plugin, const char *key, const char *value,
			    char *err, size_t errlen)
{
	(void)plugin;
	(void)value;
	snprintf(err, errlen, "TCP has no option '%s' (it only connects)", key);
	return -ENOENT;
}

static void tcp_close(struct tcp_check *c)
{
	if (c->io)
		c->host->io_del(c->host->host, c->io);
	if (c->timer)
		c->host->timer_del(c->host->host, c->timer);
	if (c->fd >= 0)
		close(c->fd);
	c->io = NULL;
	c->timer = NULL;
	c->fd = -1;
}

static void tcp_report(struct tcp_check *c, enum lvsd_check_outcome o)
{
	struct lvsd_check_result r = {
		.size = sizeof(r), .outcome = o, .detail = c->detail,
	};

	r.latency_us = (uint32_t)(c->host->now_us(c->host->host) - c->start_us);
	tcp_close(c);
	c->host->check_done(c->host->host, c->check, &r);
}

static void tcp_fail_errno(struct tcp_check *c, const char *where, int err)
{
	if (err == ECONNREFUSED) {
		snprintf(c->detail, sizeof(c->detail), "connection refused");
		tcp_report(c, LVSD_CHECK_CONNECT_REFUSED);
		return;
	}
	snprintf(c->detail, sizeof(c->detail), "%s: %s", where, strerror(err));
	tcp_report(c, LVSD_CHECK_NETWORK);
}

static void tcp_on_io(void *arg, int fd, uint32_t events)
{
	struct tcp_check *c = arg;
	int r = conn_result(fd);

	(void)events;
	if (r < 0) {
		tcp_fail_errno(c, "connect", -r);
		return;
	}
	snprintf(c->detail, sizeof(c->detail), "connected");
	tcp_report(c, LVSD_CHECK_OK);
}

static void tcp_on_timeout(void *arg)
{
	struct tcp_check *c = arg;
	char d[32];

	c->timer = NULL; /* the loop frees it */
	snprintf(c->detail, sizeof(c->detail), "connect timeout after %s",
		 conn_dur(c->t.connect_timeout_ms, d, sizeof(d)));
	tcp_report(c, LVSD_CHECK_CONNECT_TIMEOUT);
}

static int tcp_create(void *plugin, struct lvsd_check *check,
		      const struct lvsd_check_target *target,
		      const struct lvsd_kv *opts, size_t n_opts, void **state)
{
	struct conn_plugin *p = plugin;
	struct tcp_check *c;

	(void)opts;
	if (n_opts)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->host = p->host;
	c->check = check;
	memcpy(&c->t, target, target->size < sizeof(c->t) ? target->size
							 : sizeof(c->t));
	c->t.size = sizeof(c->t);
	c->fd = -1;
	*state = c;
	return 0;
}

static int tcp_run(void *state)
{
	struct tcp_check *c = state;
	const char *where;
	int fd;

	tcp_close(c);
	c->start_us = c->host->now_us(c->host->host);
	fd = conn_start(&c->t, &where);
	if (fd < 0) {
		tcp_fail_errno(c, where, -fd);
		return 0;
	}
	c->fd = fd;
	if (conn_arm(c->host, fd, c->t.connect_timeout_ms, tcp_on_io,
		     tcp_on_timeout, c, &c->io, &c->timer) < 0) {
		snprintf(c->detail, sizeof(c->detail), "out of event-loop resources");
		tcp_report(c, LVSD_CHECK_INTERNAL);
	}
	return 0;
}

static void tcp_cancel(void *state)
{
	tcp_close(state);
}

static void tcp_destroy(void *state)
{
	tcp_close(state);
	free(state);
}

static const struct lvsd_checker_ops tcp_ops = {
	.size = sizeof(struct lvsd_checker_ops),
	.check_option = tcp_check_option,
	.create = tcp_create,
	.run = tcp_run,
	.cancel = tcp_cancel,
	.destroy = tcp_destroy,
};

static const struct lvsd_plugin tcp_plugin = {
	LVSD_PLUGIN_HEAD(LVSD_PLUGIN_CHECKER, "TCP", "1.0",
			 "TCP connect check (keepalived's TCP_CHECK)"),
	.ops = &tcp_ops,
	.ops_size = sizeof(tcp_ops),
	.init = conn_plugin_init,
	.fini = conn_plugin_fini,
};

LVSD_EXPORT const struct lvsd_plugin *
lvsd_plugin_entry_v1(const struct lvsd_host_api *host)
{
	(void)host;
	return &tcp_plugin;
}
