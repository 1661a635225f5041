/* agent.c — the AGENT checker (HAProxy's agent-check): connect to a port
 * of the real server, read one line ("75%", "weight:N", "drain", "up",
 * "down", "ready", "#text") and report it as a weight factor and a hint.
 * The core runs it as a second check whose results feed the real server's
 * plugin input only (core/agent.c). Its one option, weight, is the real
 * server's config weight, which "weight:N" is relative to. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lvsd/plugin.h>

#include "../common/connect.h"
#include "agentparse.h"

struct agent_check {
	const struct lvsd_host_api *host;
	struct lvsd_check *check;
	struct lvsd_check_target t;
	uint32_t config_weight;
	int fd;
	struct lvsd_io *io;
	struct lvsd_timer *timer;
	int connected;
	uint64_t start_us;
	struct agent_line line;
	char detail[96];
	char last_bad[96]; /* a bad reply is logged when it changes */
};

static int parse_weight(const char *v, uint32_t *out)
{
	char *end;
	unsigned long long w;

	errno = 0;
	w = strtoull(v, &end, 10);
	if (v[0] < '0' || v[0] > '9' || *end || errno || w > 2147483647ull)
		return -EINVAL;
	*out = (uint32_t)w;
	return 0;
}

static int agent_check_option(void *plugin, const char *key, const char *value,
			      char *err, size_t errlen)
{
	uint32_t w;

	(void)plugin;
	if (strcmp(key, "weight") != 0) {
		snprintf(err, errlen, "AGENT has no option '%s' (set agent_port "
			 "on the real server instead of check = AGENT)", key);
		return -ENOENT;
	}
	if (parse_weight(value, &w) < 0) {
		snprintf(err, errlen, "bad weight '%s'", value);
		return -EINVAL;
	}
	return 0;
}

static void agent_close(struct agent_check *c)
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
	c->connected = 0;
}

static void agent_report(struct agent_check *c, enum lvsd_check_outcome o,
			 const struct agent_reply *rep)
{
	struct lvsd_check_result r = {
		.size = sizeof(r), .outcome = o, .detail = c->detail,
	};

	if (rep) {
		r.has_factor = rep->has_factor;
		r.factor = rep->factor;
		r.hint = rep->hint;
	}
	r.latency_us = (uint32_t)(c->host->now_us(c->host->host) - c->start_us);
	agent_close(c);
	c->host->check_done(c->host->host, c->check, &r);
}

static void agent_fail_errno(struct agent_check *c, const char *where, int err)
{
	if (err == ECONNREFUSED) {
		snprintf(c->detail, sizeof(c->detail), "connection refused");
		agent_report(c, LVSD_CHECK_CONNECT_REFUSED, NULL);
		return;
	}
	snprintf(c->detail, sizeof(c->detail), "%s: %s", where, strerror(err));
	agent_report(c, LVSD_CHECK_NETWORK, NULL);
}

static void agent_bad(struct agent_check *c, const char *why)
{
	char ap[64];

	snprintf(c->detail, sizeof(c->detail), "bad reply: %s", why);
	if (strcmp(c->detail, c->last_bad) != 0) {
		if (!inet_ntop(c->t.addr.family, &c->t.addr.u, ap, sizeof(ap)))
			snprintf(ap, sizeof(ap), "?");
		c->host->log(c->host->host, LVSD_LOG_WARNING,
			     "agent %s port %u: %s; ignored", ap, c->t.port,
			     c->detail);
		snprintf(c->last_bad, sizeof(c->last_bad), "%s", c->detail);
	}
	agent_report(c, LVSD_CHECK_BAD_RESPONSE, NULL);
}

static void agent_line_done(struct agent_check *c)
{
	struct agent_reply rep;
	char err[80];

	if (agent_parse(c->line.buf, c->line.n, c->config_weight, &rep, err,
			sizeof(err)) < 0) {
		agent_bad(c, err);
		return;
	}
	c->last_bad[0] = '\0';
	snprintf(c->detail, sizeof(c->detail), "%s", rep.text);
	agent_report(c, LVSD_CHECK_OK, &rep);
}

static void agent_on_io(void *arg, int fd, uint32_t events)
{
	struct agent_check *c = arg;
	char buf[256];
	ssize_t n;
	int r;

	(void)events;
	if (!c->connected) {
		if ((r = conn_result(fd)) < 0) {
			agent_fail_errno(c, "connect", -r);
			return;
		}
		c->connected = 1;
		if (c->host->io_mod(c->host->host, c->io, LVSD_IO_IN) < 0) {
			snprintf(c->detail, sizeof(c->detail), "cannot wait for the reply");
			agent_report(c, LVSD_CHECK_INTERNAL, NULL);
		}
		return;
	}
	n = read(fd, buf, sizeof(buf));
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		agent_fail_errno(c, "read", errno);
		return;
	}
	switch (n ? agent_line_feed(&c->line, buf, (size_t)n)
		  : agent_line_eof(&c->line)) {
	case AGENT_LINE:
		agent_line_done(c);
		return;
	case AGENT_TOO_LONG:
		agent_bad(c, "oversized (no newline in 512 bytes)");
		return;
	case AGENT_MORE:
		if (n == 0) {
			snprintf(c->detail, sizeof(c->detail), "closed without an answer");
			agent_report(c, LVSD_CHECK_CLOSED, NULL);
		}
		return;
	}
}

static void agent_on_timeout(void *arg)
{
	struct agent_check *c = arg;
	char d[32];

	c->timer = NULL; /* the loop frees it */
	snprintf(c->detail, sizeof(c->detail), "%s after %s",
		 c->connected ? "no answer" : "connect timeout",
		 conn_dur(c->t.connect_timeout_ms, d, sizeof(d)));
	agent_report(c, c->connected ? LVSD_CHECK_READ_TIMEOUT
				     : LVSD_CHECK_CONNECT_TIMEOUT, NULL);
}

static int agent_create(void *plugin, struct lvsd_check *check,
			const struct lvsd_check_target *target,
			const struct lvsd_kv *opts, size_t n_opts, void **state)
{
	struct conn_plugin *p = plugin;
	struct agent_check *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	for (size_t i = 0; i < n_opts; i++)
		if (strcmp(opts[i].key, "weight") != 0 ||
		    parse_weight(opts[i].value, &c->config_weight) < 0) {
			free(c);
			return -EINVAL;
		}
	c->host = p->host;
	c->check = check;
	memcpy(&c->t, target, target->size < sizeof(c->t) ? target->size
							 : sizeof(c->t));
	c->t.size = sizeof(c->t);
	c->fd = -1;
	*state = c;
	return 0;
}

static int agent_run(void *state)
{
	struct agent_check *c = state;
	const char *where;
	int fd;

	agent_close(c);
	agent_line_init(&c->line);
	c->start_us = c->host->now_us(c->host->host);
	fd = conn_start(&c->t, &where);
	if (fd < 0) {
		agent_fail_errno(c, where, -fd);
		return 0;
	}
	c->fd = fd;
	if (conn_arm(c->host, fd, c->t.connect_timeout_ms, agent_on_io,
		     agent_on_timeout, c, &c->io, &c->timer) < 0) {
		snprintf(c->detail, sizeof(c->detail), "out of event-loop resources");
		agent_report(c, LVSD_CHECK_INTERNAL, NULL);
	}
	return 0;
}

static void agent_cancel(void *state)
{
	agent_close(state);
}

static void agent_destroy(void *state)
{
	agent_close(state);
	free(state);
}

static const struct lvsd_checker_ops agent_ops = {
	.size = sizeof(struct lvsd_checker_ops),
	.check_option = agent_check_option,
	.create = agent_create,
	.run = agent_run,
	.cancel = agent_cancel,
	.destroy = agent_destroy,
};

static const struct lvsd_plugin agent_plugin = {
	LVSD_PLUGIN_HEAD(LVSD_PLUGIN_CHECKER, "AGENT", "1.0",
			 "agent check: weight and state from the real server "
			 "(HAProxy's agent-check)"),
	.ops = &agent_ops,
	.ops_size = sizeof(agent_ops),
	.init = conn_plugin_init,
	.fini = conn_plugin_fini,
};

LVSD_EXPORT const struct lvsd_plugin *
lvsd_plugin_entry_v1(const struct lvsd_host_api *host)
{
	(void)host;
	return &agent_plugin;
}
