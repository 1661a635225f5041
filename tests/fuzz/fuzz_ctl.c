/* fuzz_ctl.c — libFuzzer target for the control socket's whole server side:
 * socket bytes → per-connection buffer → framing → parse → dispatch into a
 * running daemon (daemon_start, --no-ipvs, a real configuration and
 * scheduler plugin) → buffered reply, with arbitrary bytes in arbitrary
 * pieces, clients that half-close, vanish or do not read, and each access
 * level. (The state file has its own target, fuzz_state.c.)
 *
 * Input: byte 0 = how (bits 0-1 access: 0 through the real socket and its
 * peer check, 1 read-only, 2 read-write, 3 denied; bits 2-3 end: 0 half-
 * close, 1 close at once, 2 stay silent until the end; bit 4: the client
 * does not read while sending), byte 1 = seed of the piece sizes, then the
 * bytes sent. Oracle: a client that half-closes and reads gets one reply
 * whose last line is "ok" or "error: ..."; lvsd never crashes or leaks.
 * Long run: make fuzz && build/fuzz/fuzz_ctl tests/fuzz/corpus/ctl */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl.h"
#include "daemon.h"
#include "log.h"
#include "loop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct daemon *d;
static char dir[PATH_MAX], sock[PATH_MAX + 16], cfg[PATH_MAX + 16];

static void teardown(void)
{
	char cmd[PATH_MAX + 16];

	if (d) {
		daemon_stop(d);
		free(d);
		d = NULL;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_ctl: could not remove %s\n", dir);
}

static void setup(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	FILE *f;

	if (n <= 0)
		abort();
	exe[n] = '\0';
	/* tmpfs if there is one: every change saves the state file */
	snprintf(dir, sizeof(dir), "/dev/shm/lvsd-fuzz-ctl.XXXXXX");
	if (!mkdtemp(dir)) {
		snprintf(dir, sizeof(dir), "/tmp/lvsd-fuzz-ctl.XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	snprintf(sock, sizeof(sock), "%s/sock", dir);
	snprintf(cfg, sizeof(cfg), "%s/lvsd.ini", dir);
	f = fopen(cfg, "w");
	if (!f)
		abort();
	fprintf(f, "[global]\nplugin_dir = %s/plugins\ncontrol_socket = %s\n"
		"state_file = %s/state\n\n"
		"[virtual_server web]\naddress = 192.168.0.30:80\nscheduler = rr\n\n"
		"[real_server web 10.0.0.51:80]\nweight = 2\n\n"
		"[real_server web 10.0.0.52:80]\n\n"
		"[virtual_server six]\naddress = [2001:db8::1]:443\nscheduler = rr\n"
		"persistence_timeout = 60\n\n"
		"[real_server six [2001:db8::51]:443]\n",
		dirname(exe), sock, dir);
	fclose(f);
	log_init("fuzz_ctl", 1, LOG_CRIT);
	d = calloc(1, sizeof(*d));
	if (!d)
		abort();
	d->opts.config = cfg;
	d->opts.no_ipvs = 1;
	d->opts.foreground = 1;
	d->opts.sync_interval_ms = 5000;
	if (daemon_start(d) < 0) {
		fprintf(stderr, "fuzz_ctl: the daemon did not start (plugins in "
			"%s/plugins?)\n", exe);
		abort();
	}
	atexit(teardown);
}

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 16;
}

struct client {
	int fd;
	int eof;
	char *buf;
	size_t len;
};

static void client_read(struct client *c)
{
	char tmp[65536];

	while (!c->eof) {
		ssize_t n = recv(c->fd, tmp, sizeof(tmp), MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			c->eof = 1;
			return;
		}
		if (c->len < (1u << 24)) {
			char *b = realloc(c->buf, c->len + (size_t)n + 1);

			if (!b)
				abort();
			c->buf = b;
			memcpy(c->buf + c->len, tmp, (size_t)n);
			c->len += (size_t)n;
			c->buf[c->len] = '\0';
		}
	}
}

static void check_reply(const struct client *c)
{
	const char *last;

	if (!c->len || c->buf[c->len - 1] != '\n')
		abort(); /* every request gets a whole last line */
	last = c->len >= 2 ? memrchr(c->buf, '\n', c->len - 1) : NULL;
	last = last ? last + 1 : c->buf;
	if (strcmp(last, "ok\n") != 0 && strncmp(last, "error: ", 7) != 0)
		abort();
}

static void serve_input(const uint8_t *data, size_t size)
{
	uint8_t how = data[0];
	uint32_t seed = data[1];
	int access = how & 3, end = (how >> 2) & 3, no_read = (how >> 4) & 1;
	struct client c = { .fd = -1 };
	size_t off = 0;
	int sv[2];

	data += 2;
	size -= 2;
	if (access == 0) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		strcpy(sa.sun_path, sock);
		c.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (c.fd < 0 || connect(c.fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			abort();
	} else {
		struct ctl_peer p = {
			.uid = 4242, .gid = 4242, .pid = getpid(),
			.access = access == 1 ? CTL_READ : access == 2 ? CTL_WRITE
								: CTL_DENIED,
		};

		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			abort();
		c.fd = sv[0];
		fcntl(c.fd, F_SETFL, O_NONBLOCK);
		if (ctl_adopt(d->ctl, sv[1], &p) < 0)
			abort();
	}
	/* the bytes, in pieces; the loop runs between them */
	for (int rounds = 0; off < size && rounds < 10000; rounds++) {
		size_t piece = (rnd(&seed) % 4 == 0) ? size - off : 1 + rnd(&seed) % 64;
		ssize_t n;

		if (piece > size - off)
			piece = size - off;
		n = send(c.fd, data + off, piece, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n > 0)
			off += (size_t)n;
		else if (n < 0 && errno != EAGAIN)
			break; /* lvsd answered and closed */
		loop_run_once(d->loop, 0);
		if (!no_read)
			client_read(&c);
	}
	if (end == 0)
		shutdown(c.fd, SHUT_WR);
	if (end == 1) {
		close(c.fd);
		c.fd = -1;
	}
	for (int rounds = 0; rounds < 10000 && ctl_conn_count(d->ctl) > 0; rounds++) {
		loop_run_once(d->loop, 0);
		if (c.fd >= 0)
			client_read(&c);
		if (end == 2 && rounds == 50) { /* the silent one gives up */
			close(c.fd);
			c.fd = -1;
		}
	}
	if (c.fd >= 0) {
		client_read(&c);
		if (end == 0 && c.eof)
			check_reply(&c);
		close(c.fd);
	}
	for (int rounds = 0; rounds < 100 && ctl_conn_count(d->ctl) > 0; rounds++)
		loop_run_once(d->loop, 0);
	if (ctl_conn_count(d->ctl) > 0)
		abort(); /* a connection the server never lets go */
	free(c.buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!d)
		setup();
	if (size >= 2)
		serve_input(data, size);
	return 0;
}
