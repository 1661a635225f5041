/* smtp.c — the SMTP_CHECK checker (keepalived's): connect, read the
 * banner (220), greet with EHLO helo_name (HELO if EHLO is refused with
 * 5xx), expect 250, then QUIT and expect 221: a clean end of the session.
 * Each step must answer within connect_timeout. smtpreply.c reads the
 * replies.
 *
 * Options: helo_name = NAME (default: the host name). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lvsd/plugin.h>

#include "../common/check.h"
#include "smtpreply.h"

enum step { IDLE, CONNECTING, BANNER, EHLO, HELO, QUIT };

static const char *const step_name[] = {
	"", "", "the banner", "EHLO", "HELO", "QUIT",
};

struct smtp_check {
	struct conn_check b; /* first: the ops destroy takes it */
	char helo[256];
	enum step step;
	struct smtp_reply reply;
	char detail[120];
};

static int name_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 255)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return 0;
	return 1;
}

static int smtp_check_option(void *plugin, const char *key, const char *value,
			     char *err, size_t len)
{
	(void)plugin;
	if (!strcmp(key, "helo_name")) {
		if (name_ok(value))
			return 0;
		snprintf(err, len, "bad helo_name '%s' (a host name, no blanks, "
			 "up to 255 bytes)", value);
		return -EINVAL;
	}
	snprintf(err, len, "SMTP_CHECK has no option '%s' (helo_name)", key);
	return -ENOENT;
}

static int smtp_create(void *plugin, struct lvsd_check *check,
		       const struct lvsd_check_target *target,
		       const struct lvsd_kv *opts, size_t n_opts, void **state)
{
	struct conn_plugin *p = plugin;
	struct smtp_check *c = calloc(1, sizeof(*c));
	char err[160];

	if (!c)
		return -ENOMEM;
	conn_check_init(&c->b, p->host, check, target);
	if (gethostname(c->helo, sizeof(c->helo) - 1) < 0 || !name_ok(c->helo))
		snprintf(c->helo, sizeof(c->helo), "localhost");
	for (size_t i = 0; i < n_opts; i++) {
		if (smtp_check_option(plugin, opts[i].key, opts[i].value, err,
				      sizeof(err)) < 0) {
			p->host->log(p->host->host, LVSD_LOG_ERR, "refused option: %s", err);
			free(c);
			return -EINVAL;
		}
		snprintf(c->helo, sizeof(c->helo), "%s", opts[i].value);
	}
	*state = c;
	return 0;
}

static void smtp_close(struct smtp_check *c)
{
	conn_check_close(&c->b);
	c->step = IDLE;
}

static void smtp_report(struct smtp_check *c, enum lvsd_check_outcome o)
{
	c->step = IDLE;
	conn_check_report(&c->b, o, c->detail);
}

static void smtp_fail_errno(struct smtp_check *c, const char *where, int err)
{
	if (err == ECONNRESET || err == EPIPE) {
		snprintf(c->detail, sizeof(c->detail), "connection reset at %s",
			 step_name[c->step]);
		smtp_report(c, LVSD_CHECK_CLOSED);
		return;
	}
	smtp_report(c, conn_tcp_errno(where, err, c->detail, sizeof(c->detail)));
}

static void smtp_on_timeout(void *arg);

/* The next step: its deadline starts now. 0, or -1 if reported. */
static int arm(struct smtp_check *c, enum step s)
{
	if (c->b.timer)
		c->b.host->timer_del(c->b.host->host, c->b.timer);
	c->step = s;
	smtp_reply_init(&c->reply);
	c->b.timer = c->b.host->timer_add(c->b.host->host, c->b.t.connect_timeout_ms,
				      smtp_on_timeout, c);
	if (c->b.timer)
		return 0;
	snprintf(c->detail, sizeof(c->detail), "out of event-loop resources");
	smtp_report(c, LVSD_CHECK_INTERNAL);
	return -1;
}

static void smtp_on_timeout(void *arg)
{
	struct smtp_check *c = arg;
	char d[32];

	c->b.timer = NULL; /* the loop frees it */
	conn_dur(c->b.t.connect_timeout_ms, d, sizeof(d));
	if (c->step == CONNECTING) {
		snprintf(c->detail, sizeof(c->detail), "connect timeout after %s", d);
		smtp_report(c, LVSD_CHECK_CONNECT_TIMEOUT);
	} else if (c->step == BANNER) {
		snprintf(c->detail, sizeof(c->detail), "no SMTP banner after %s", d);
		smtp_report(c, LVSD_CHECK_READ_TIMEOUT);
	} else {
		snprintf(c->detail, sizeof(c->detail), "no answer to %s after %s",
			 step_name[c->step], d);
		smtp_report(c, LVSD_CHECK_READ_TIMEOUT);
	}
}

/* Send a command and wait for its answer. A command is a few hundred
 * bytes on a fresh connection: it fits in the socket buffer at once. */
static void command(struct smtp_check *c, enum step s, const char *fmt,
		    const char *arg)
{
	char buf[300];
	int n = snprintf(buf, sizeof(buf), fmt, arg);
	ssize_t w;

	if (arm(c, s) < 0)
		return;
	w = send(c->b.fd, buf, (size_t)n, MSG_NOSIGNAL);
	if (w == n)
		return;
	smtp_fail_errno(c, "send", w < 0 ? errno : EAGAIN);
}

/* A whole reply to the current step is in. */
static void judge(struct smtp_check *c)
{
	int code = c->reply.code;
	int want = c->step == BANNER ? 220 : c->step == QUIT ? 221 : 250;

	if (c->step == EHLO && code >= 500) { /* RFC 5321 4.1.4: try HELO */
		command(c, HELO, "HELO %s\r\n", c->helo);
		return;
	}
	if (code != want) {
		snprintf(c->detail, sizeof(c->detail), "SMTP %d at %s%s%.40s", code,
			 step_name[c->step], c->reply.text[0] ? ": " : "", c->reply.text);
		smtp_report(c, LVSD_CHECK_BAD_STATUS);
		return;
	}
	switch (c->step) {
	case BANNER:
		command(c, EHLO, "EHLO %s\r\n", c->helo);
		break;
	case EHLO:
	case HELO:
		command(c, QUIT, "%sQUIT\r\n", "");
		break;
	case QUIT:
		snprintf(c->detail, sizeof(c->detail), "SMTP 221 to QUIT");
		smtp_report(c, LVSD_CHECK_OK);
		break;
	default:
		break;
	}
}

static void do_read(struct smtp_check *c)
{
	char buf[4096];
	ssize_t n = read(c->b.fd, buf, sizeof(buf));
	size_t off = 0;

	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			smtp_fail_errno(c, "read", errno);
		return;
	}
	if (n == 0) {
		snprintf(c->detail, sizeof(c->detail), "closed before %s%s",
			 c->step == BANNER ? "" : "the answer to ", step_name[c->step]);
		smtp_report(c, LVSD_CHECK_CLOSED);
		return;
	}
	/* Lockstep: the server answers one command at a time, so bytes past
	 * a whole reply are not expected; they start the next reply. */
	while (off < (size_t)n) {
		size_t used;
		enum step s = c->step;

		switch (smtp_reply_feed(&c->reply, buf + off, (size_t)n - off, &used)) {
		case SMTP_MORE:
			return;
		case SMTP_BAD:
			snprintf(c->detail, sizeof(c->detail), "%s at %s", c->reply.why,
				 step_name[c->step]);
			smtp_report(c, LVSD_CHECK_BAD_RESPONSE);
			return;
		case SMTP_DONE:
			off += used;
			judge(c);
			if (c->step == IDLE || c->step == s)
				return; /* reported */
			break;
		}
	}
}

static void smtp_on_io(void *arg, int fd, uint32_t events)
{
	struct smtp_check *c = arg;
	int r;

	if (c->step != CONNECTING) {
		do_read(c);
		return;
	}
	r = conn_result_ev(fd, events);
	if (r < 0) {
		smtp_fail_errno(c, "connect", -r);
		return;
	}
	if (c->b.host->io_mod(c->b.host->host, c->b.io, LVSD_IO_IN) < 0) {
		smtp_fail_errno(c, "epoll", errno ? errno : EIO);
		return;
	}
	arm(c, BANNER);
}

static int smtp_run(void *state)
{
	struct smtp_check *c = state;
	const char *where;
	int fd;

	c->step = IDLE;
	fd = conn_check_open(&c->b, SOCK_STREAM, &where);
	if (fd < 0) {
		smtp_fail_errno(c, where, -fd);
		return 0;
	}
	c->step = CONNECTING;
	if (conn_arm(c->b.host, fd, c->b.t.connect_timeout_ms, smtp_on_io,
		     smtp_on_timeout, c, &c->b.io, &c->b.timer) < 0) {
		snprintf(c->detail, sizeof(c->detail), "out of event-loop resources");
		smtp_report(c, LVSD_CHECK_INTERNAL);
	}
	return 0;
}

static void smtp_cancel(void *state)
{
	smtp_close(state);
}

static const struct lvsd_checker_ops smtp_ops = {
	.size = sizeof(struct lvsd_checker_ops),
	.check_option = smtp_check_option,
	.create = smtp_create,
	.run = smtp_run,
	.cancel = smtp_cancel,
	.destroy = conn_check_destroy,
};

CONN_CHECKER_PLUGIN("SMTP_CHECK",
		    "SMTP check: banner 220, EHLO/HELO 250, QUIT 221 (keepalived's SMTP_CHECK)",
		    smtp_ops)
