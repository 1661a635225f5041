/* connect.h — what the checkers share: open a non-blocking TCP
 * connection or a connected UDP socket to a check target (bind_to,
 * SO_MARK), find out how it ended, format durations for details; the
 * plugin context, descriptor and entry point (CONN_CHECKER_PLUGIN).
 * Header-only (static inline) because each plugin is built from its own
 * directory against the public ABI alone. */
#ifndef LVSD_CHECK_CONNECT_H
#define LVSD_CHECK_CONNECT_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <lvsd/plugin.h>

/* Fill a sockaddr for addr:port; returns its length, 0 if no family. */
static inline socklen_t conn_sockaddr(const struct lvsd_addr *a, uint16_t port,
				      struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		s4->sin_addr = a->u.v4;
		return sizeof(*s4);
	}
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		s6->sin6_addr = a->u.v6;
		return sizeof(*s6);
	}
	return 0;
}

/* Start a connection of type SOCK_STREAM (TCP) or SOCK_DGRAM (UDP: a
 * connected socket, so that an ICMP error comes back as ECONNREFUSED...).
 * Returns the fd (connected or in progress) or -errno; *where says which
 * step failed ("socket", "bind", ...). */
static inline int conn_start_type(const struct lvsd_check_target *t, int type,
				  const char **where)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, e;

	*where = "socket";
	sl = conn_sockaddr(&t->addr, t->port, &ss);
	if (!sl)
		return -EAFNOSUPPORT;
	fd = socket(t->addr.family, type | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    type == SOCK_DGRAM ? IPPROTO_UDP : IPPROTO_TCP);
	if (fd < 0)
		return -errno;
	if (t->fwmark) {
		*where = "SO_MARK";
		if (setsockopt(fd, SOL_SOCKET, SO_MARK, &t->fwmark,
			       sizeof(t->fwmark)) < 0)
			goto err;
	}
	if (t->bind_addr.family) {
		struct sockaddr_storage bs;
		socklen_t bl = conn_sockaddr(&t->bind_addr, 0, &bs);

		*where = "bind";
		if (!bl) {
			errno = EAFNOSUPPORT;
			goto err;
		}
		if (bind(fd, (struct sockaddr *)&bs, bl) < 0)
			goto err;
	}
	*where = "connect";
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS)
		goto err;
	return fd;
err:
	e = -errno;
	close(fd);
	return e;
}

static inline int conn_start(const struct lvsd_check_target *t,
			     const char **where)
{
	return conn_start_type(t, SOCK_STREAM, where);
}

/* After the socket became writable: 0 if connected, else -errno. */
static inline int conn_result(int fd)
{
	int e = 0;
	socklen_t l = sizeof(e);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &l) < 0)
		return -errno;
	return -e;
}

/* The same from the events the loop reported for a connecting socket:
 * writable without an error or a hang-up is connected (the kernel reports
 * no LVSD_IO_OUT before the handshake is done), so getsockopt(SO_ERROR)
 * is called only on the failure path, to learn which error. */
static inline int conn_result_ev(int fd, uint32_t events)
{
	if ((events & LVSD_IO_OUT) && !(events & (LVSD_IO_ERR | LVSD_IO_HUP)))
		return 0;
	return conn_result(fd);
}

/* "3.0 s", "250 ms" */
static inline const char *conn_dur(uint32_t ms, char *buf, size_t len)
{
	if (ms >= 1000)
		snprintf(buf, len, "%u.%u s", ms / 1000, (ms % 1000) / 100);
	else
		snprintf(buf, len, "%u ms", ms);
	return buf;
}

/* Parse a duration as the configuration writes them: "3" (seconds),
 * "1.5", "500ms", "2s". 0 or -EINVAL; 1 ms .. 1 day. */
static inline int conn_parse_ms(const char *s, uint32_t *ms)
{
	unsigned long long whole = 0, frac = 0, scale = 1;
	const char *p = s;
	int digits = 0;

	while (*p >= '0' && *p <= '9' && digits < 12) {
		whole = whole * 10 + (unsigned long long)(*p++ - '0');
		digits++;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9' && scale < 1000) {
			frac = frac * 10 + (unsigned long long)(*p++ - '0');
			scale *= 10;
			digits++;
		}
	}
	if (!digits)
		return -EINVAL;
	if (strcmp(p, "ms") == 0) {
		if (scale != 1)
			return -EINVAL;
		*ms = (uint32_t)(whole > 86400000ull ? 86400001ull : whole);
	} else if (*p == '\0' || strcmp(p, "s") == 0) {
		unsigned long long v = whole * 1000 + frac * 1000 / scale;

		*ms = (uint32_t)(v > 86400000ull ? 86400001ull : v);
	} else {
		return -EINVAL;
	}
	return *ms >= 1 && *ms <= 86400000u ? 0 : -EINVAL;
}

/* The plugin context of these checkers: just the host table. */
struct conn_plugin {
	const struct lvsd_host_api *host;
};

static inline int conn_plugin_init(const struct lvsd_host_api *host,
				   void **plugin)
{
	struct conn_plugin *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->host = host;
	*plugin = p;
	return 0;
}

static inline void conn_plugin_fini(void *plugin)
{
	free(plugin);
}

/* Wait for a connection started by conn_start: writable (connected or
 * failed), or the connect timeout. 0, or -1 if the loop could not take
 * them (the caller reports LVSD_CHECK_INTERNAL). */
static inline int conn_arm(const struct lvsd_host_api *h, int fd,
			   uint32_t timeout_ms, lvsd_io_fn on_io,
			   lvsd_timer_fn on_timeout, void *arg,
			   struct lvsd_io **io, struct lvsd_timer **timer)
{
	*io = h->io_add(h->host, fd, LVSD_IO_OUT, on_io, arg);
	*timer = h->timer_add(h->host, timeout_ms, on_timeout, arg);
	return *io && *timer ? 0 : -1;
}

/* The descriptor and the entry point of a checker plugin whose context
 * is struct conn_plugin (connect.h). */
#define CONN_CHECKER_PLUGIN(name, desc, ops_)                              \
	static const struct lvsd_plugin conn_checker_plugin = {            \
		LVSD_PLUGIN_HEAD(LVSD_PLUGIN_CHECKER, name, "1.0", desc),  \
		.ops = &(ops_),                                            \
		.ops_size = sizeof(ops_),                                  \
		.init = conn_plugin_init,                                  \
		.fini = conn_plugin_fini,                                  \
	};                                                                 \
	LVSD_EXPORT const struct lvsd_plugin *                             \
	lvsd_plugin_entry_v1(const struct lvsd_host_api *host)             \
	{                                                                  \
		(void)host;                                                \
		return &conn_checker_plugin;                               \
	}

#endif
