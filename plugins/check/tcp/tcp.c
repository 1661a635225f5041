/* tcp.c — the TCP checker (keepalived's TCP_CHECK): a real server is
 * healthy if a TCP connection to it opens within connect_timeout. The
 * connection is closed at once; nothing is sent. No options of its own. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lvsd/plugin.h>

#include "../common/check.h"

struct tcp_check {
	struct conn_check b; /* first: the ops cancel/destroy take it */
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

static void tcp_report(struct tcp_check *c, enum lvsd_check_outcome o)
{
	conn_check_report(&c->b, o, c->detail);
}

static void tcp_fail_errno(struct tcp_check *c, const char *where, int err)
{
	tcp_report(c, conn_tcp_errno(where, err, c->detail, sizeof(c->detail)));
}

static void tcp_on_io(void *arg, int fd, uint32_t events)
{
	struct tcp_check *c = arg;
	int r = conn_result_ev(fd, events);

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

	c->b.timer = NULL; /* the loop frees it */
	snprintf(c->detail, sizeof(c->detail), "connect timeout after %s",
		 conn_dur(c->b.t.connect_timeout_ms, d, sizeof(d)));
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
	conn_check_init(&c->b, p->host, check, target);
	*state = c;
	return 0;
}

static int tcp_run(void *state)
{
	struct tcp_check *c = state;
	const char *where;
	int fd;

	fd = conn_check_open(&c->b, SOCK_STREAM, &where);
	if (fd < 0) {
		tcp_fail_errno(c, where, -fd);
		return 0;
	}
	if (conn_arm(c->b.host, fd, c->b.t.connect_timeout_ms, tcp_on_io,
		     tcp_on_timeout, c, &c->b.io, &c->b.timer) < 0) {
		snprintf(c->detail, sizeof(c->detail), "out of event-loop resources");
		tcp_report(c, LVSD_CHECK_INTERNAL);
	}
	return 0;
}

static const struct lvsd_checker_ops tcp_ops = {
	.size = sizeof(struct lvsd_checker_ops),
	.check_option = tcp_check_option,
	.create = tcp_create,
	.run = tcp_run,
	.cancel = conn_check_cancel,
	.destroy = conn_check_destroy,
};

CONN_CHECKER_PLUGIN("TCP", "TCP connect check (keepalived's TCP_CHECK)",
		    tcp_ops)
