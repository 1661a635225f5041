/* ctl.c — the control socket server (see ctl.h). Requests are small and
 * answered at once; a client has 2 s to send its line. */
#include "ctl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"

struct ctl {
	struct loop *loop;
	int fd;
	struct loop_io *io;
	char *path;
	gid_t gid;
	ctl_handler_fn fn;
	void *arg;
};

void ctl_printf(struct ctl_reply *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(r->buf ? r->buf + r->len : NULL,
			      r->buf ? r->cap - r->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			r->oom = 1;
			return;
		}
		if (r->buf && r->len + (size_t)n < r->cap) {
			r->len += (size_t)n;
			return;
		}
		size_t cap = r->cap ? r->cap * 2 : 4096;

		while (cap < r->len + (size_t)n + 1)
			cap *= 2;
		char *b = realloc(r->buf, cap);

		if (!b) {
			r->oom = 1;
			return;
		}
		r->buf = b;
		r->cap = cap;
	}
}

int ctl_parse_line(char *line, char **argv, int max, char *err, size_t errlen)
{
	char *save = NULL, *tok;
	int argc = 0;

	for (char *p = line; *p; p++) {
		if ((unsigned char)*p < 0x20 && *p != '\t') {
			snprintf(err, errlen, "control characters in request");
			return -EINVAL;
		}
	}
	tok = strtok_r(line, " \t", &save);
	if (!tok || strcmp(tok, CTL_PROTO) != 0) {
		snprintf(err, errlen, "protocol %s expected (lvsctl and lvsd differ?)",
			 CTL_PROTO);
		return -EPROTO;
	}
	while ((tok = strtok_r(NULL, " \t", &save))) {
		if (argc == max) {
			snprintf(err, errlen, "too many words (at most %d)", max);
			return -E2BIG;
		}
		argv[argc++] = tok;
	}
	if (argc == 0) {
		snprintf(err, errlen, "empty request");
		return -EINVAL;
	}
	return argc;
}

static int peer_allowed(const struct ctl *c, int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return 0;
	return cr.uid == 0 || (c->gid != (gid_t)-1 && cr.gid == c->gid);
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* the client went away or is too slow */
		p += w;
		n -= (size_t)w;
	}
}

static void serve(struct ctl *c, int fd)
{
	char line[CTL_MAX_LINE + 1], err[256] = "", *argv[CTL_MAX_ARGS];
	struct ctl_reply r = { 0 };
	size_t len = 0;
	int argc, rc;

	/* One line, with a deadline: SO_RCVTIMEO on a blocking socket. */
	while (len < CTL_MAX_LINE) {
		ssize_t n = read(fd, line + len, CTL_MAX_LINE - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (memchr(line, '\n', len))
			break;
	}
	line[len] = '\0';
	if (!memchr(line, '\n', len)) {
		snprintf(err, sizeof(err), len >= CTL_MAX_LINE ? "request too long"
							       : "incomplete request");
		rc = -EINVAL;
		goto answer;
	}
	*strchr(line, '\n') = '\0';
	argc = ctl_parse_line(line, argv, CTL_MAX_ARGS, err, sizeof(err));
	if (argc < 0) {
		rc = argc;
		goto answer;
	}
	rc = c->fn(c->arg, argc, argv, &r, err, sizeof(err));
	if (r.oom) {
		rc = -ENOMEM;
		snprintf(err, sizeof(err), "out of memory");
	}
answer:
	if (rc == 0) {
		write_all(fd, r.buf ? r.buf : "", r.len);
		write_all(fd, "ok\n", 3);
	} else {
		char tail[300];
		int n = snprintf(tail, sizeof(tail), "error: %s\n",
				 err[0] ? err : strerror(-rc));

		write_all(fd, tail, (size_t)n);
	}
	free(r.buf);
}

static void on_accept(void *arg, int lfd, uint32_t events)
{
	struct ctl *c = arg;
	struct timeval tv = { .tv_sec = 2 };
	int fd;

	(void)events;
	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (!peer_allowed(c, fd)) {
		write_all(fd, "error: permission denied\n", 25);
		close(fd);
		return;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	serve(c, fd);
	close(fd);
}

int ctl_open(struct ctl **out, struct loop *loop, const char *path, gid_t gid,
	     ctl_handler_fn fn, void *arg)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ctl *c;
	int e;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	c = calloc(1, sizeof(*c));
	if (!c || !(c->path = strdup(path))) {
		free(c);
		return -ENOMEM;
	}
	c->loop = loop;
	c->gid = gid;
	c->fn = fn;
	c->arg = arg;
	strcpy(sa.sun_path, path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->fd < 0)
		goto fail;
	unlink(path); /* a stale socket of an earlier run */
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(path, gid == (gid_t)-1 ? 0600 : 0660) < 0 ||
	    (gid != (gid_t)-1 && chown(path, 0, gid) < 0) ||
	    listen(c->fd, 16) < 0)
		goto fail;
	c->io = loop_io_add(loop, c->fd, 0x001 /* EPOLLIN */, on_accept, c);
	if (!c->io)
		goto fail;
	*out = c;
	return 0;
fail:
	e = -errno;
	ctl_close(c);
	return e;
}

void ctl_close(struct ctl *c)
{
	if (!c)
		return;
	if (c->io)
		loop_io_del(c->loop, c->io);
	if (c->fd >= 0) {
		close(c->fd);
		unlink(c->path);
	}
	free(c->path);
	free(c);
}
