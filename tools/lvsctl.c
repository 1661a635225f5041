/* lvsctl — talks to a running lvsd over its control socket: shows the
 * virtual and real servers with every weight input, changes a real
 * server's weight or admin state at once, asks for a reload. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/run/lvsd/lvsd.sock"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lvsctl [-s SOCKET] COMMAND [ARGS]\n"
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
		"SOCKET defaults to $LVSD_SOCKET or " DEFAULT_SOCKET ".\n");
}

int main(int argc, char **argv)
{
	const char *path = getenv("LVSD_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char req[4096], buf[8192], *last = NULL;
	size_t len, have = 0;
	int fd, i = 1, ok = 0;

	if (!path || !*path)
		path = DEFAULT_SOCKET;
	if (argc > 2 && strcmp(argv[1], "-s") == 0) {
		path = argv[2];
		i = 3;
	}
	if (i >= argc || !strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
		usage(i >= argc ? stderr : stdout);
		return i >= argc ? 2 : 0;
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
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "lvsctl: cannot connect to lvsd at %s: %s\n", path,
			strerror(errno));
		return 2;
	}
	if (write(fd, req, len) != (ssize_t)len) {
		fprintf(stderr, "lvsctl: write: %s\n", strerror(errno));
		return 2;
	}
	/* Stream the body; hold back the last line, which is the verdict. */
	for (;;) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);
		char *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = '\0';
		while ((nl = strchr(buf, '\n')) && nl[1] != '\0') {
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
	return ok ? 0 : 1;
}
