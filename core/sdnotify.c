/* sdnotify.c — what systemd is told (the sd_notify protocol, without
 * libsystemd: see sdnotify.h). */
#include "sdnotify.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* The protocol (systemd's sd_notify(3)): one datagram to the AF_UNIX
 * socket named by $NOTIFY_SOCKET ("@name": the abstract namespace); the
 * service manager learns the sender from SO_PASSCRED. libsystemd did the
 * same; it is not linked (it maps libgcrypt, liblzma, libzstd, liblz4 and
 * libcap into both of lvsd's processes: about 1 MB of RSS each, issue 14
 * goal 5). */
int sdnotify_send(const char *fmt, ...)
{
	const char *e = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t salen;
	char msg[1024];
	size_t n;
	va_list ap;
	int fd, r;

	if (!e || !e[0])
		return 0;
	n = strlen(e);
	if ((e[0] != '/' && e[0] != '@') || n >= sizeof(sa.sun_path))
		return -EAFNOSUPPORT; /* vsock: and others: not ours to speak */
	memcpy(sa.sun_path, e, n);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0';
	salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
			    (e[0] == '/' ? 1 : 0));
	va_start(ap, fmt);
	r = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r < 0)
		return -EINVAL;
	if ((size_t)r >= sizeof(msg))
		r = (int)sizeof(msg) - 1; /* STATUS= cut: still one datagram */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	r = sendto(fd, msg, (size_t)r, MSG_NOSIGNAL, (struct sockaddr *)&sa, salen) < 0
		    ? -errno : 1;
	close(fd);
	return r;
}

uint64_t sdnotify_watchdog_us(void)
{
	const char *u = getenv("WATCHDOG_USEC"), *p = getenv("WATCHDOG_PID");
	unsigned long long v;
	char *end;

	if (!u || !u[0])
		return 0;
	if (p && p[0]) { /* meant for another process (a parent of ours) */
		errno = 0;
		v = strtoull(p, &end, 10);
		if (errno || *end || v != (unsigned long long)getpid())
			return 0;
	}
	errno = 0;
	v = strtoull(u, &end, 10);
	if (errno || *end || u[0] == '-')
		return 0;
	return v;
}

/* "s" unless n is 1: "1 virtual server", "2 virtual servers" */
#define PLURAL(n) ((n) == 1 ? "" : "s")

/* What systemd shows (systemctl status: "Status:"): READY=1 with the sizes
 * of the configuration in force, NOTE saying what happened last. */
void sdnotify_ready(const struct daemon *d, const char *note)
{
	sdnotify_send("READY=1\nSTATUS=running: %zu virtual server%s, %zu real server%s, "
		   "%zu VRRP instance%s%s", d->model->n_vs, PLURAL(d->model->n_vs),
		   d->model->n_rs, PLURAL(d->model->n_rs), d->model->n_vrrp,
		   PLURAL(d->model->n_vrrp), note);
}

/* RELOADING=1 with the CLOCK_MONOTONIC time (systemd 253+ wants it to tell
 * this reload from an earlier one; 252 ignores it); READY=1 ends it. */
void sdnotify_reloading(const struct daemon *d)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	sdnotify_send("RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading %s",
		   (unsigned long long)ts.tv_sec * 1000000ull +
			   (unsigned long long)ts.tv_nsec / 1000u,
		   d->opts.config);
}
