/* udp.c — the UDP_CHECK checker (keepalived's): send one datagram on a
 * connected UDP socket and wait connect_timeout. An ICMP error (port or
 * host unreachable) fails the check; with require_reply an answer must
 * come, min_reply_length..max_reply_length bytes long and matching the
 * optional pattern; without it, silence is success (keepalived's rule).
 *
 * Options: payload = HEX, require_reply = yes|no|HEX, min_reply_length = 0,
 * max_reply_length = 255 (udpmatch.h has the hex format). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <lvsd/plugin.h>

#include "../common/check.h"
#include "udpmatch.h"

struct udp_check {
	struct conn_check b; /* first: the ops cancel takes it */
	struct udp_hex payload;  /* n 0: random bytes each run */
	struct udp_hex *pattern; /* NULL: any reply */
	int require_reply;
	size_t min, max;
	char detail[96];
};

static int parse_len(const char *v, size_t *out)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (v[0] < '0' || v[0] > '9' || *end || errno || n > 65507)
		return -EINVAL;
	*out = n;
	return 0;
}

static int udp_check_option(void *plugin, const char *key, const char *value,
			    char *err, size_t len)
{
	static struct udp_hex h; /* loop thread only: big for the stack */
	size_t n;
	char e[80];

	(void)plugin;
	if (!strcmp(key, "payload") || !strcmp(key, "require_reply")) {
		int wild = key[0] == 'r';

		if (wild && (!strcmp(value, "yes") || !strcmp(value, "no")))
			return 0;
		if (udp_hex_parse(value, wild, &h, e, sizeof(e)) == 0)
			return 0;
		/* the reason first: the value may be long (lvsd shortens it) */
		snprintf(err, len, "bad %s (%s): '%s'", key, e, value);
		return -EINVAL;
	}
	if (!strcmp(key, "min_reply_length") || !strcmp(key, "max_reply_length")) {
		if (parse_len(value, &n) == 0)
			return 0;
		snprintf(err, len, "bad %s '%s' (bytes, 0..65507)", key, value);
		return -EINVAL;
	}
	snprintf(err, len, "UDP_CHECK has no option '%s' (payload, require_reply, "
		 "min_reply_length, max_reply_length)", key);
	return -ENOENT;
}

static int udp_create(void *plugin, struct lvsd_check *check,
		      const struct lvsd_check_target *target,
		      const struct lvsd_kv *opts, size_t n_opts, void **state)
{
	struct conn_plugin *p = plugin;
	struct udp_check *c = calloc(1, sizeof(*c));
	char err[160];
	const char *len_key = NULL; /* a reply length option given */

	if (!c)
		return -ENOMEM;
	conn_check_init(&c->b, p->host, check, target);
	c->max = 255;
	for (size_t i = 0; i < n_opts; i++) {
		const char *k = opts[i].key, *v = opts[i].value;

		if (udp_check_option(plugin, k, v, err, sizeof(err)) < 0)
			goto bad;
		if (!strcmp(k, "payload")) {
			udp_hex_parse(v, 0, &c->payload, err, sizeof(err));
		} else if (!strcmp(k, "require_reply")) {
			c->require_reply = strcmp(v, "no") != 0;
			if (strcmp(v, "yes") && strcmp(v, "no")) {
				if (!c->pattern && !(c->pattern = malloc(sizeof(*c->pattern)))) {
					free(c);
					return -ENOMEM;
				}
				udp_hex_parse(v, 1, c->pattern, err, sizeof(err));
			}
		} else if (!strcmp(k, "min_reply_length")) {
			parse_len(v, &c->min);
			len_key = k;
		} else if (!strcmp(k, "max_reply_length")) {
			parse_len(v, &c->max);
			len_key = k;
		}
	}
	if (len_key && !c->require_reply) {
		snprintf(err, sizeof(err), "%s: does nothing without require_reply", len_key);
		goto bad;
	}
	if (c->min > c->max) {
		snprintf(err, sizeof(err), "min_reply_length %zu > max_reply_length %zu",
			 c->min, c->max);
		goto bad;
	}
	*state = c;
	return 0;
bad:
	p->host->log(p->host->host, LVSD_LOG_ERR, "refused option: %s", err);
	free(c->pattern);
	free(c);
	return -EINVAL;
}

static void udp_report(struct udp_check *c, enum lvsd_check_outcome o)
{
	conn_check_report(&c->b, o, c->detail);
}

static void udp_fail_errno(struct udp_check *c, const char *where, int err)
{
	udp_report(c, conn_udp_errno(where, err, c->detail, sizeof(c->detail)));
}

static void udp_on_io(void *arg, int fd, uint32_t events)
{
	struct udp_check *c = arg;
	uint8_t buf[65536];
	ssize_t n;

	(void)events;
	n = recv(fd, buf, sizeof(buf), MSG_TRUNC);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		udp_fail_errno(c, "recv", errno);
		return;
	}
	if ((size_t)n > sizeof(buf))
		n = sizeof(buf);
	if (c->require_reply &&
	    udp_reply_check(buf, (size_t)n, c->min, c->max, c->pattern, c->detail,
			    sizeof(c->detail)) < 0) {
		udp_report(c, LVSD_CHECK_BAD_RESPONSE);
		return;
	}
	snprintf(c->detail, sizeof(c->detail), "reply of %zd bytes", n);
	udp_report(c, LVSD_CHECK_OK);
}

static void udp_on_timeout(void *arg)
{
	struct udp_check *c = arg;
	char d[32];

	c->b.timer = NULL; /* the loop frees it */
	conn_dur(c->b.t.connect_timeout_ms, d, sizeof(d));
	if (c->require_reply) {
		snprintf(c->detail, sizeof(c->detail), "no reply after %s", d);
		udp_report(c, LVSD_CHECK_READ_TIMEOUT);
		return;
	}
	snprintf(c->detail, sizeof(c->detail), "no ICMP error in %s", d);
	udp_report(c, LVSD_CHECK_OK);
}

static int udp_run(void *state)
{
	struct udp_check *c = state;
	uint8_t rnd[16];
	const void *data = c->payload.b;
	size_t len = c->payload.n;
	const char *where;
	int fd;

	fd = conn_check_open(&c->b, SOCK_DGRAM, &where);
	if (fd < 0) {
		udp_fail_errno(c, where, -fd);
		return 0;
	}
	if (!len) { /* keepalived sends random bytes without a payload */
		if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd))
			memset(rnd, 0x5a, sizeof(rnd));
		data = rnd;
		len = sizeof(rnd);
	}
	if (send(fd, data, len, 0) < 0) {
		udp_fail_errno(c, "send", errno);
		return 0;
	}
	c->b.io = c->b.host->io_add(c->b.host->host, fd, LVSD_IO_IN, udp_on_io, c);
	c->b.timer = c->b.host->timer_add(c->b.host->host, c->b.t.connect_timeout_ms,
				      udp_on_timeout, c);
	if (!c->b.io || !c->b.timer) {
		snprintf(c->detail, sizeof(c->detail), "out of event-loop resources");
		udp_report(c, LVSD_CHECK_INTERNAL);
	}
	return 0;
}

static void udp_destroy(void *state)
{
	struct udp_check *c = state;

	conn_check_close(&c->b);
	free(c->pattern);
	free(c);
}

static const struct lvsd_checker_ops udp_ops = {
	.size = sizeof(struct lvsd_checker_ops),
	.check_option = udp_check_option,
	.create = udp_create,
	.run = udp_run,
	.cancel = conn_check_cancel,
	.destroy = udp_destroy,
};

CONN_CHECKER_PLUGIN("UDP_CHECK",
		    "UDP check: a datagram out, an ICMP error or a reply back (keepalived's UDP_CHECK)",
		    udp_ops)
