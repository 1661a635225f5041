/* lvsctl — talks to a running lvsd over its control socket: shows the
 * virtual and real servers with every weight input, changes a real
 * server's weight or admin state at once, asks for a reload. */
#include <errno.h>
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
		"  status                      virtual and real servers, weights, health\n"
		"  weight VS RS N|clear        set (or clear) the operator weight\n"
		"  enable|disable|drain VS RS  set the operator admin state\n"
		"  clear VS RS                 drop every operator override\n"
		"  reload [--force]            re-read the configuration (like SIGHUP);\n"
		"                              --force: even if it removes every service\n"
		"  reconcile                   compare with the kernel and repair now\n"
		"  counters                    reloads, kernel operations, errors\n"
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
	char req[4096], buf[8192], *last = NULL;
	long long timeout_ms = DEFAULT_TIMEOUT_MS, deadline;
	size_t len, have = 0, sent = 0;
	int fd, i, c, ok = 0;
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
					"e.g. 5 or 0.5)\n", optarg);
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
	len = (size_t)snprintf(req, sizeof(req), "v1");
	for (; i < argc; i++) {
		if (strpbrk(argv[i], " \t\n") || len + strlen(argv[i]) + 2 >= sizeof(req)) {
			fprintf(stderr, "lvsctl: bad argument '%s'\n", argv[i]);
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
		int e = errno;

		if (e == EAGAIN)
			fprintf(stderr, "lvsctl: lvsd at %s did not accept the "
				"connection within %.3g s\n", path, timeout_ms / 1000.0);
		else
			fprintf(stderr, "lvsctl: cannot connect to lvsd at %s: %s%s\n",
				path, strerror(e), e == EACCES ?
				" (root, control_group or control_group_ro needed)" : "");
		return 2;
	}
	/* Send the request and read the reply as they go; stream the body,
	 * hold back the last line, which is the verdict. */
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long long left = deadline - now_ms();
		ssize_t n;
		char *nl;

		if (sent < len)
			p.events |= POLLOUT;
		if (left <= 0) {
			fflush(stdout);
			fprintf(stderr, "lvsctl: no answer from lvsd at %s within "
				"%.3g s (-T to wait longer)\n", path, timeout_ms / 1000.0);
			return 2;
		}
		n = poll(&p, 1, left > 1000000 ? 1000000 : (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "lvsctl: poll: %s\n", strerror(errno));
			return 2;
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
		n = recv(fd, buf + have, sizeof(buf) - 1 - have, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		deadline = now_ms() + timeout_ms; /* -T: time without an answer */
		have += (size_t)n;
		buf[have] = '\0';
		while ((nl = memchr(buf, '\n', have)) && (size_t)(nl - buf) + 1 < have) {
			fwrite(buf, 1, (size_t)(nl - buf) + 1, stdout);
			have -= (size_t)(nl - buf) + 1;
			memmove(buf, nl + 1, have + 1);
		}
		if (have == sizeof(buf) - 1) { /* a very long line: pass it on */
			fwrite(buf, 1, have, stdout);
			have = 0;
		}
	}
	close(fd);
	buf[have] = '\0';
	last = buf;
	if (have > 0 && buf[have - 1] == '\n')
		buf[have - 1] = '\0';
	if (strcmp(last, "ok") == 0)
		ok = 1;
	else if (strncmp(last, "error: ", 7) == 0)
		fprintf(stderr, "lvsctl: %s\n", last + 7);
	else
		fprintf(stderr, "lvsctl: lvsd closed the connection without an answer\n");
	if (fflush(stdout) != 0 && ok) {
		fprintf(stderr, "lvsctl: stdout: %s\n", strerror(errno));
		return 1;
	}
	return ok ? 0 : 1;
}
