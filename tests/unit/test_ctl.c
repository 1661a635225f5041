/* test_ctl.c — the control socket server (ctl.c) with a recording handler:
 * the request parser's errors, and connections fed through socketpairs in
 * pieces — a NUL byte, a request split byte by byte, one too long, one that
 * never ends (the deadline), a reply bigger than the socket buffer written
 * while another client is served, and the read-only level passed on; a
 * uid's budget of unread reply bytes, an error's body, what ctl_open
 * refuses to remove or take over. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "ctl.h"
#include "loop.h"

static int calls;
static char last_cmd[64];
static enum ctl_access last_access;

static int handler(void *arg, const struct ctl_peer *peer, int argc,
		   char **argv, struct ctl_reply *r, char *err, size_t len)
{
	(void)arg;
	calls++;
	snprintf(last_cmd, sizeof(last_cmd), "%s", argv[0]);
	last_access = peer->access;
	if (!strcmp(argv[0], "big")) {
		for (int i = 0; i < 20000; i++) /* ~1 MB */
			ctl_printf(r, "line %05d .................................................\n", i);
		return 0;
	}
	if (!strcmp(argv[0], "failbody")) { /* a reload's FILE:LINE errors */
		ctl_printf(r, "f.ini:3: address: expected IP:PORT\n");
		snprintf(err, len, "reload failed");
		return -EINVAL;
	}
	if (!strcmp(argv[0], "fail")) {
		snprintf(err, len, "it failed");
		return -EIO;
	}
	ctl_printf(r, "%d words\n", argc);
	return 0;
}

static void parse_errors(void **state)
{
	char *argv[CTL_MAX_ARGS], err[256], line[128];
	int i;

	(void)state;
	memcpy(line, "v1 status\0x", 11);
	assert_int_equal(ctl_parse_line(line, 11, argv, CTL_MAX_ARGS, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "0x00"));
	strcpy(line, "v1 st\ratus");
	assert_int_equal(ctl_parse_line(line, strlen(line), argv, CTL_MAX_ARGS, err, sizeof(err)), -EINVAL);
	strcpy(line, "v2 status");
	assert_int_equal(ctl_parse_line(line, strlen(line), argv, CTL_MAX_ARGS, err, sizeof(err)), -EPROTO);
	strcpy(line, "v1");
	assert_int_equal(ctl_parse_line(line, strlen(line), argv, CTL_MAX_ARGS, err, sizeof(err)), -EINVAL);
	strcpy(line, "v1");
	for (i = 0; i <= CTL_MAX_ARGS; i++)
		strcat(line, " a");
	assert_int_equal(ctl_parse_line(line, strlen(line), argv, CTL_MAX_ARGS, err, sizeof(err)), -E2BIG);
	strcpy(line, "v1 \tweight  web 10.0.0.51:80 3");
	assert_int_equal(ctl_parse_line(line, strlen(line), argv, CTL_MAX_ARGS, err, sizeof(err)), 4);
	assert_string_equal(argv[0], "weight");
	assert_string_equal(argv[3], "3");
}

struct fixture {
	struct loop *l;
	struct ctl *c;
	char path[64];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->path, sizeof(f->path), "/tmp/test_ctl.%d.sock", (int)getpid());
	assert_int_equal(loop_new(&f->l), 0);
	assert_int_equal(ctl_open(&f->c, f->l, f->path, handler, NULL), 0);
	calls = 0;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ctl_close(f->c);
	loop_free(f->l);
	free(f);
	return 0;
}

/* A client end; the server end adopted as uid with access acc. */
static int client_as(struct fixture *f, uid_t uid, enum ctl_access acc)
{
	struct ctl_peer p = { .uid = uid, .gid = uid, .access = acc };
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(ctl_adopt(f->c, sv[1], &p), 0);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	return sv[0];
}

static int client(struct fixture *f, enum ctl_access acc)
{
	return client_as(f, 1000, acc);
}

/* Run the loop and collect what fd receives until EOF (or max_ms). */
static size_t reply(struct fixture *f, int fd, char *buf, size_t cap, int max_ms)
{
	size_t len = 0;
	uint64_t end = loop_now_us() + (uint64_t)max_ms * 1000u;

	while (loop_now_us() < end) {
		ssize_t n;

		loop_run_once(f->l, 10);
		while ((n = recv(fd, buf + len, cap - 1 - len, MSG_DONTWAIT)) > 0)
			len += (size_t)n;
		if (n == 0 || len == cap - 1 ||
		    (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
			break; /* EOF, full, or reset (we had bytes unread) */
	}
	buf[len] = '\0';
	return len;
}

static void nul_byte_is_an_error(void **state)
{
	struct fixture *f = *state;
	char buf[512];
	int fd = client(f, CTL_WRITE);

	assert_int_equal(send(fd, "v1 status\0\n", 11, 0), 11);
	reply(f, fd, buf, sizeof(buf), 2000);
	assert_string_equal(buf, "error: control character 0x00 in request (byte 10)\n");
	assert_int_equal(calls, 0);
	assert_int_equal(ctl_conn_count(f->c), 0);
	close(fd);
}

static void request_in_single_bytes(void **state)
{
	struct fixture *f = *state;
	const char *req = "v1 hello a b\n";
	char buf[512];
	int fd = client(f, CTL_WRITE);

	for (const char *p = req; *p; p++) {
		assert_int_equal(send(fd, p, 1, 0), 1);
		loop_run_once(f->l, 0);
	}
	reply(f, fd, buf, sizeof(buf), 2000);
	assert_string_equal(buf, "3 words\nok\n");
	assert_string_equal(last_cmd, "hello");
	close(fd);
	fd = client(f, CTL_WRITE);
	assert_int_equal(send(fd, "v1 fail\n", 8, 0), 8);
	reply(f, fd, buf, sizeof(buf), 2000);
	assert_string_equal(buf, "error: it failed\n");
	close(fd);
}

static void too_long_and_never_ending(void **state)
{
	struct fixture *f = *state;
	char big[CTL_MAX_LINE + 100], buf[512];
	uint64_t t0;
	int fd = client(f, CTL_WRITE);

	memset(big, 'a', sizeof(big));
	assert_int_equal(send(fd, big, sizeof(big), 0), (ssize_t)sizeof(big));
	reply(f, fd, buf, sizeof(buf), 2000);
	assert_non_null(strstr(buf, "error: request too long"));
	close(fd);
	/* silent after half a line: the deadline answers, nothing else waits */
	fd = client(f, CTL_WRITE);
	assert_int_equal(send(fd, "v1 sta", 6, 0), 6);
	t0 = loop_now_us();
	reply(f, fd, buf, sizeof(buf), CTL_READ_TIMEOUT_MS + 3000);
	assert_non_null(strstr(buf, "error: timed out"));
	assert_true(loop_now_us() - t0 >= (CTL_READ_TIMEOUT_MS - 100) * 1000u);
	assert_int_equal(calls, 0);
	assert_int_equal(ctl_conn_count(f->c), 0);
	close(fd);
}

static void big_reply_does_not_block_others(void **state)
{
	struct fixture *f = *state;
	char buf[512];
	int slow = client(f, CTL_WRITE), fast;

	/* ~1 MB for a client that does not read: the loop goes on */
	assert_int_equal(send(slow, "v1 big\n", 7, 0), 7);
	for (int i = 0; i < 5; i++)
		loop_run_once(f->l, 0);
	assert_int_equal(ctl_conn_count(f->c), 1);
	fast = client(f, CTL_READ);
	assert_int_equal(send(fast, "v1 quick\n", 9, 0), 9);
	reply(f, fast, buf, sizeof(buf), 2000);
	assert_string_equal(buf, "1 words\nok\n");
	assert_int_equal(last_access, CTL_READ);
	close(fast);
	/* now read the big one whole */
	{
		size_t cap = 2u << 20, len;
		char *all = malloc(cap);

		assert_non_null(all);
		len = reply(f, slow, all, cap, 10000);
		assert_true(len > 1000000);
		assert_string_equal(all + len - 3, "ok\n");
		assert_memory_equal(all, "line 00000 ", 11);
		free(all);
	}
	close(slow);
	assert_int_equal(ctl_conn_count(f->c), 0);
}

static void vanished_client_is_freed(void **state)
{
	struct fixture *f = *state;
	int fd = client(f, CTL_WRITE);

	assert_int_equal(send(fd, "v1 big\n", 7, 0), 7);
	loop_run_once(f->l, 0);
	close(fd); /* gone with the reply unread */
	for (int i = 0; i < 50 && ctl_conn_count(f->c); i++)
		loop_run_once(f->l, 10);
	assert_int_equal(ctl_conn_count(f->c), 0);
}

/* Clients of one uid that never read: the loop builds big replies only
 * up to that uid's budget; the next are told busy without being served,
 * and another user (root) is served at once. */
static void unread_budget_per_uid(void **state)
{
	struct fixture *f = *state;
	char buf[512];
	int fd[7], busy = 0;

	for (int i = 0; i < 7; i++) {
		fd[i] = client(f, CTL_READ);
		assert_int_equal(send(fd[i], "v1 big\n", 7, 0), 7);
		for (int j = 0; j < 5; j++)
			loop_run_once(f->l, 0);
	}
	/* ~1 MB each: at most CTL_MAX_PENDING_UID / 1 MB + 1 were built */
	assert_true(calls <= (int)(CTL_MAX_PENDING_UID >> 20) + 1);
	for (int i = 0; i < 7; i++) {
		ssize_t n = recv(fd[i], buf, 64, MSG_PEEK | MSG_DONTWAIT);

		if (n > 0 && !memcmp(buf, "error: busy", 11))
			busy++;
	}
	assert_int_equal(busy, 7 - calls);
	{
		int root = client_as(f, 0, CTL_WRITE), c0 = calls;

		assert_int_equal(send(root, "v1 quick\n", 9, 0), 9);
		reply(f, root, buf, sizeof(buf), 2000);
		assert_string_equal(buf, "1 words\nok\n");
		assert_int_equal(calls, c0 + 1);
		close(root);
	}
	for (int i = 0; i < 7; i++)
		close(fd[i]);
}

/* An error reply keeps what the handler said before it. */
static void error_keeps_body(void **state)
{
	struct fixture *f = *state;
	char buf[512];
	int fd = client(f, CTL_WRITE);

	assert_int_equal(send(fd, "v1 failbody\n", 12, 0), 12);
	reply(f, fd, buf, sizeof(buf), 2000);
	assert_string_equal(buf, "f.ini:3: address: expected IP:PORT\n"
			    "error: reload failed\n");
	close(fd);
}

/* A path that is not a socket is never removed; a served socket is not
 * taken over; a stale one is replaced. */
static void open_refuses_file_and_served_socket(void **state)
{
	struct fixture *f = *state;
	struct ctl *c2 = NULL;
	char path[80];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "/tmp/test_ctl.%d.file", (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "[global]\n", 9), 9);
	close(fd);
	assert_int_equal(ctl_open(&c2, f->l, path, handler, NULL), -ENOTSOCK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 9);
	unlink(path);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(ctl_open(&c2, f->l, f->path, handler, NULL), -EADDRINUSE);
	{
		struct stat st2;

		assert_int_equal(stat(f->path, &st2), 0);
		assert_int_equal(st.st_ino, st2.st_ino);
	}
	ctl_close(f->c); /* removes its own socket */
	f->c = NULL;
	assert_int_not_equal(stat(f->path, &st), 0);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	{
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", f->path);
		assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	}
	close(fd); /* a stale socket: bound, nobody listening */
	assert_int_equal(ctl_open(&f->c, f->l, f->path, handler, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_errors),
		cmocka_unit_test_setup_teardown(nul_byte_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(request_in_single_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(too_long_and_never_ending, setup, teardown),
		cmocka_unit_test_setup_teardown(big_reply_does_not_block_others, setup, teardown),
		cmocka_unit_test_setup_teardown(vanished_client_is_freed, setup, teardown),
		cmocka_unit_test_setup_teardown(unread_budget_per_uid, setup, teardown),
		cmocka_unit_test_setup_teardown(error_keeps_body, setup, teardown),
		cmocka_unit_test_setup_teardown(open_refuses_file_and_served_socket, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
