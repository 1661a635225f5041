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

#include "../common/connect.h"
#include "udpmatch.h"

struct udp_check {
	const struct lvsd_host_api *host;
	struct lvsd_check *check;
	struct lvsd_check_target t;
	struct udp_hex payload;  /* n 0: random bytes each run */
	struct udp_hex *pattern; /* NULL: any reply */
	int require_reply;
	size_t min, max;
	int fd;
	struct lvsd_io *io;
	struct lvsd_timer *timer;
	uint64_t start_us;
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
	c->host = p->host;
	c->check = check;
	memcpy(&c->t, target, target->size < sizeof(c->t) ? target->size
							 : sizeof(c->t));
	c->t.size = sizeof(c->t);
	c->fd = -1;
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

static void udp_close(struct udp_check *c)
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

static void udp_report(struct udp_check *c, enum lvsd_check_outcome o)
{
	struct lvsd_check_result r = {
		.size = sizeof(r), .outcome = o, .detail = c->detail,
	};

	r.latency_us = (uint32_t)(c->host->now_us(c->host->host) - c->start_us);
	udp_close(c);
	c->host->check_done(c->host->host, c->check, &r);
}

static void udp_fail_errno(struct udp_check *c, const char *where, int err)
{
	if (err == ECONNREFUSED) {
		snprintf(c->detail, sizeof(c->detail), "port unreachable (ICMP)");
		udp_report(c, LVSD_CHECK_CONNECT_REFUSED);
		return;
	}
	if (err == EHOSTUNREACH || err == ENETUNREACH)
		snprintf(c->detail, sizeof(c->detail), "%s (ICMP)", strerror(err));
	else
		snprintf(c->detail, sizeof(c->detail), "%s: %s", where, strerror(err));
	udp_report(c, LVSD_CHECK_NETWORK);
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

	c->timer = NULL; /* the loop frees it */
	conn_dur(c->t.connect_timeout_ms, d, sizeof(d));
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

	udp_close(c);
	c->start_us = c->host->now_us(c->host->host);
	fd = conn_start_type(&c->t, SOCK_DGRAM, &where);
	if (fd < 0) {
		udp_fail_errno(c, where, -fd);
		return 0;
	}
	c->fd = fd;
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
	c->io = c->host->io_add(c->host->host, fd, LVSD_IO_IN, udp_on_io, c);
	c->timer = c->host->timer_add(c->host->host, c->t.connect_timeout_ms,
				      udp_on_timeout, c);
	if (!c->io || !c->timer) {
		snprintf(c->detail, sizeof(c->detail), "out of event-loop resources");
		udp_report(c, LVSD_CHECK_INTERNAL);
	}
	return 0;
}

static void udp_cancel(void *state)
{
	udp_close(state);
}

static void udp_destroy(void *state)
{
	struct udp_check *c = state;

	udp_close(c);
	free(c->pattern);
	free(c);
}

static const struct lvsd_checker_ops udp_ops = {
	.size = sizeof(struct lvsd_checker_ops),
	.check_option = udp_check_option,
	.create = udp_create,
	.run = udp_run,
	.cancel = udp_cancel,
	.destroy = udp_destroy,
};

static const struct lvsd_plugin udp_plugin = {
	LVSD_PLUGIN_HEAD(LVSD_PLUGIN_CHECKER, "UDP_CHECK", "1.0",
			 "UDP check: a datagram out, an ICMP error or a reply back (keepalived's UDP_CHECK)"),
	.ops = &udp_ops,
	.ops_size = sizeof(udp_ops),
	.init = conn_plugin_init,
	.fini = conn_plugin_fini,
};

LVSD_EXPORT const struct lvsd_plugin *
lvsd_plugin_entry_v1(const struct lvsd_host_api *host)
{
	(void)host;
	return &udp_plugin;
}
