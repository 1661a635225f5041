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

#include "../common/check.h"
#include "agentparse.h"

struct agent_check {
	struct conn_check b; /* first: the ops destroy takes it */
	uint32_t config_weight;
	int connected;
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
	conn_check_close(&c->b);
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
	c->connected = 0;
	conn_check_finish(&c->b, &r);
}

static void agent_fail_errno(struct agent_check *c, const char *where, int err)
{
	agent_report(c, conn_tcp_errno(where, err, c->detail, sizeof(c->detail)),
		     NULL);
}

static void agent_bad(struct agent_check *c, const char *why)
{
	char ap[64];

	snprintf(c->detail, sizeof(c->detail), "bad reply: %s", why);
	if (strcmp(c->detail, c->last_bad) != 0) {
		if (!inet_ntop(c->b.t.addr.family, &c->b.t.addr.u, ap, sizeof(ap)))
			snprintf(ap, sizeof(ap), "?");
		c->b.host->log(c->b.host->host, LVSD_LOG_WARNING,
			     "agent %s port %u: %s; ignored", ap, c->b.t.port,
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

	if (!c->connected) {
		if ((r = conn_result_ev(fd, events)) < 0) {
			agent_fail_errno(c, "connect", -r);
			return;
		}
		c->connected = 1;
		if (c->b.host->io_mod(c->b.host->host, c->b.io, LVSD_IO_IN) < 0) {
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

	c->b.timer = NULL; /* the loop frees it */
	snprintf(c->detail, sizeof(c->detail), "%s after %s",
		 c->connected ? "no answer" : "connect timeout",
		 conn_dur(c->b.t.connect_timeout_ms, d, sizeof(d)));
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
	conn_check_init(&c->b, p->host, check, target);
	*state = c;
	return 0;
}

static int agent_run(void *state)
{
	struct agent_check *c = state;
	const char *where;
	int fd;

	c->connected = 0;
	agent_line_init(&c->line);
	fd = conn_check_open(&c->b, SOCK_STREAM, &where);
	if (fd < 0) {
		agent_fail_errno(c, where, -fd);
		return 0;
	}
	if (conn_arm(c->b.host, fd, c->b.t.connect_timeout_ms, agent_on_io,
		     agent_on_timeout, c, &c->b.io, &c->b.timer) < 0) {
		snprintf(c->detail, sizeof(c->detail), "out of event-loop resources");
		agent_report(c, LVSD_CHECK_INTERNAL, NULL);
	}
	return 0;
}

static void agent_cancel(void *state)
{
	agent_close(state);
}

static const struct lvsd_checker_ops agent_ops = {
	.size = sizeof(struct lvsd_checker_ops),
	.check_option = agent_check_option,
	.create = agent_create,
	.run = agent_run,
	.cancel = agent_cancel,
	.destroy = conn_check_destroy,
};

CONN_CHECKER_PLUGIN("AGENT",
		    "agent check: weight and state from the real server "
			 "(HAProxy's agent-check)",
		    agent_ops)
