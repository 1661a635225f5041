/* lvsctl — talks to a running lvsd over its control socket: shows the
 * virtual and real servers with every weight input, changes a real
 * server's weight or admin state at once, adds and removes runtime
 * virtual and real servers, asks for a reload. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/run/lvsd/lvsd.sock"
#define DEFAULT_TIMEOUT_MS 5000

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lvsctl [-S SOCKET] [-T SECONDS] COMMAND [ARGS]\n"
		"  status [--json|--stats|--rate]  virtual and real servers, weights,\n"
		"                              health; or the kernel's counters or rates\n"		"  weight VS RS N|clear        set (or clear) the operator weight\n"
		"  enable|disable|drain VS RS  set the operator admin state\n"
		"  clear VS RS                 drop every operator override\n"
		"  add-vs NAME ADDR:PORT|fwmark N [scheduler S] [method M] [protocol P]\n"
		"         [KEY=VALUE...]       add a virtual server now (kept, \"runtime\")\n"
		"  add-rs VS ADDR:PORT [weight N] [check NAME [KEY=VALUE...]]\n"
		"                              add a real server now (kept, \"runtime\")\n"
		"  del-vs NAME | del-rs VS RS  remove what add-vs / add-rs added\n"
		"  reload [--force]            re-read the configuration (like SIGHUP);\n"
		"                              --force: even if it removes every service\n"
		"  reconcile                   compare with the kernel and repair now\n"
		"  counters [--json]           reloads, kernel operations, errors\n"
		"  dump                        the SIGUSR1 state dump\n"
		"VS is a [virtual_server] name, RS its real server ADDR:PORT.\n"
		"  -S, -s, --socket PATH   the control socket (default $LVSD_SOCKET or\n"
		"                          " DEFAULT_SOCKET ")\n"
		"  -T, --timeout SECONDS   give up when lvsd is silent that long (default %d)\n",
		DEFAULT_TIMEOUT_MS / 1000);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int parse_timeout(const char *s, long long *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !(v > 0) || v > 86400)
		return -1;
	*ms = (long long)(v * 1000 + 0.5);
	if (*ms < 1)
		*ms = 1;
	return 0;
}

/* An argument as it may be echoed: at most 64 bytes, then "...". */
static const char *clip(const char *s, char *buf, size_t len)
{
	if (strlen(s) <= 64)
		return s;
	snprintf(buf, len, "%.64s...", s);
	return buf;
}

/* Write all of p to stdout; 0 or -errno. */
static int out_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

#define MAX_REPLY (256u << 20) /* bytes of an answer kept in memory */

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 'S' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = getenv("LVSD_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char req[4096], cut[80], *buf = NULL, *last;
	long long timeout_ms = DEFAULT_TIMEOUT_MS, deadline;
	size_t len, have = 0, cap = 0, sent = 0, body;
	int fd, i, c, ok = 0, complete = 0, e, rc;
	struct timeval tv;

	if (!path || !*path)
		path = DEFAULT_SOCKET;
	/* "+": options end at the command, whose words are never options. */
	while ((c = getopt_long(argc, argv, "+S:s:T:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'S':
		case 's': path = optarg; break;
		case 'T':
			if (parse_timeout(optarg, &timeout_ms) < 0) {
				fprintf(stderr, "lvsctl: bad timeout '%s' (seconds, "
					"e.g. 5 or 0.5)\n", clip(optarg, cut, sizeof(cut)));
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	i = optind;
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	/* Nothing is sent when the answer cannot be shown (and a closed
	 * stdout must not become the socket's descriptor). */
	if (fcntl(STDOUT_FILENO, F_GETFL) < 0) {
		fprintf(stderr, "lvsctl: cannot write to standard output: %s; "
			"nothing was sent\n", strerror(errno));
		return 2;
	}
	len = (size_t)snprintf(req, sizeof(req), "v1");
	for (; i < argc; i++) {
		if (strpbrk(argv[i], " \t\n")) {
			fprintf(stderr, "lvsctl: bad argument '%s' (no blanks or "
				"newlines)\n", clip(argv[i], cut, sizeof(cut)));
			return 2;
		}
		if (len + strlen(argv[i]) + 2 > sizeof(req)) {
			fprintf(stderr, "lvsctl: request too long (max %zu bytes)\n",
				sizeof(req));
			return 2;
		}
		len += (size_t)snprintf(req + len, sizeof(req) - len, " %s", argv[i]);
	}
	req[len++] = '\n';
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "lvsctl: socket path too long\n");
		return 2;
	}
	strcpy(sa.sun_path, path);
	deadline = now_ms() + timeout_ms;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "lvsctl: socket: %s\n", strerror(errno));
		return 2;
	}
	/* connect() waits on a full backlog for at most SO_SNDTIMEO */
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		e = errno;
		if (e == EAGAIN)
			fprintf(stderr, "lvsctl: lvsd at %s did not accept the "
				"connection within %.3g s\n", path, timeout_ms / 1000.0);
		else
			fprintf(stderr, "lvsctl: cannot connect to lvsd at %s: %s%s\n",
				path, strerror(e), e == EACCES ?
				" (root, control_group or control_group_ro needed)" : "");
		return 2;
	}
	/* Send the request, then read the whole answer into memory: -T
	 * counts only time lvsd is silent, never time spent on a slow
	 * stdout, and lvsd is not kept waiting by our reader. */
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long long left = deadline - now_ms();
		ssize_t n;

		if (sent < len)
			p.events |= POLLOUT;
		if (left <= 0) {
			fprintf(stderr, "lvsctl: no answer from lvsd at %s within "
				"%.3g s (-T to wait longer)%s\n", path,
				timeout_ms / 1000.0, have ? "; the partial answer "
				"is not shown" : "");
			rc = 2;
			goto done;
		}
		n = poll(&p, 1, left > 1000000 ? 1000000 : (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "lvsctl: poll: %s\n", strerror(errno));
			rc = 2;
			goto done;
		}
		if (n == 0)
			continue;
		if (sent < len && (p.revents & (POLLOUT | POLLERR | POLLHUP))) {
			/* lvsd may close first (a refusal): no SIGPIPE, and
			 * its answer is still to be read. */
			n = send(fd, req + sent, len - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (n > 0)
				sent += (size_t)n;
			else if (n < 0 && errno != EAGAIN && errno != EINTR)
				sent = len; /* lvsd closed: read what it said */
		}
		if (!(p.revents & (POLLIN | POLLERR | POLLHUP)))
			continue;
		if (cap - have < 65536) {
			char *b = cap + 65536 > MAX_REPLY ? NULL
				  : realloc(buf, cap ? cap * 2 : 65536);

			if (!b) {
				fprintf(stderr, "lvsctl: the answer is too long (over "
					"%zu bytes kept)\n", have);
				rc = 2;
				goto done;
			}
			buf = b;
			cap = cap ? cap * 2 : 65536;
		}
		n = recv(fd, buf + have, cap - have - 1, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		deadline = now_ms() + timeout_ms; /* -T: time without an answer */
		have += (size_t)n;
	}
	close(fd);
	if (!buf || have == 0) {
		fprintf(stderr, "lvsctl: lvsd closed the connection without an "
			"answer\n");
		rc = 2;
		goto done;
	}
	buf[have] = '\0';
	/* The verdict is the last line, complete (newline-terminated). */
	if (buf[have - 1] == '\n') {
		complete = 1;
		buf[--have] = '\0';
	}
	last = strrchr(buf, '\n');
	last = last ? last + 1 : buf;
	body = (size_t)(last - buf);
	if (complete && strcmp(last, "ok") == 0)
		ok = 1;
	else if (!complete || strncmp(last, "error: ", 7) != 0) {
		fprintf(stderr, "lvsctl: lvsd closed the connection before the "
			"end of its answer (%zu bytes read); the partial answer is "
			"not shown\n", have);
		rc = 2;
		goto done;
	}
	if (!ok) { /* the body explains the error (a reload's FILE:LINE) */
		fflush(stdout);
		if (out_all(STDERR_FILENO, buf, body) < 0)
			(void)0; /* nowhere left to say it */
		fprintf(stderr, "lvsctl: %s\n", last + 7);
		rc = 1;
		goto done;
	}
	if ((e = out_all(STDOUT_FILENO, buf, body)) < 0) {
		fprintf(stderr, "lvsctl: cannot write to standard output: %s "
			"(the command was carried out)\n", strerror(-e));
		rc = 1;
		goto done;
	}
	rc = 0;
done:
	free(buf);
	return rc;
}
