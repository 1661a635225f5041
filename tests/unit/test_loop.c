/* test_loop.c — the event loop: timer order, io dispatch and deletion
 * from callbacks, cross-thread posts. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "loop.h"

static char order[32];
static size_t n_order;

static void mark(void *arg)
{
	order[n_order++] = *(const char *)arg;
}

static void timers_fire_in_due_order(void **state)
{
	struct loop *l;
	static const char a = 'a', b = 'b', c = 'c', d = 'd';
	struct loop_timer *gone;
	uint64_t t0 = loop_now_us();

	(void)state;
	n_order = 0;
	assert_int_equal(loop_new(&l), 0);
	loop_timer_add(l, 30, mark, (void *)&c);
	loop_timer_add(l, 10, mark, (void *)&a);
	gone = loop_timer_add(l, 15, mark, (void *)&d);
	loop_timer_add(l, 20, mark, (void *)&b);
	loop_timer_del(l, gone);
	assert_int_equal(loop_timer_count(l), 3);
	while (loop_timer_count(l) > 0)
		assert_int_equal(loop_run_once(l, 1000), 0);
	assert_int_equal(n_order, 3);
	assert_memory_equal(order, "abc", 3);
	/* Never early: the last one was due 30 ms after the start. */
	assert_true(loop_now_us() - t0 >= 30000);
	loop_free(l);
}

/* loop_timer_at: timers due at the same microsecond fire in one round
 * (one wake-up), in the order they were added, never before it; one
 * already past fires in the next round. */
static int round_no, round_of[8];

static void mark_round(void *arg)
{
	round_of[n_order] = round_no;
	mark(arg);
}

static void timers_at_one_time_fire_together(void **state)
{
	struct loop *l;
	static const char a = 'a', b = 'b', c = 'c', d = 'd';
	uint64_t due = loop_now_us() + 20000;

	(void)state;
	n_order = 0;
	assert_int_equal(loop_new(&l), 0);
	assert_non_null(loop_timer_at(l, due, mark_round, (void *)&b));
	assert_non_null(loop_timer_at(l, due, mark_round, (void *)&c));
	assert_non_null(loop_timer_at(l, due - 10000, mark_round, (void *)&a));
	assert_non_null(loop_timer_at(l, due, mark_round, (void *)&d));
	for (round_no = 0; round_no < 100 && n_order < 4; round_no++)
		assert_int_equal(loop_run_once(l, 1000), 0);
	assert_true(loop_now_us() >= due);
	assert_int_equal(n_order, 4);
	assert_memory_equal(order, "abcd", 4);
	assert_int_equal(round_of[1], round_of[2]);
	assert_int_equal(round_of[1], round_of[3]);
	/* in the past: the next round */
	assert_non_null(loop_timer_at(l, due - 5000, mark_round, (void *)&a));
	assert_int_equal(loop_run_once(l, 1000), 0);
	assert_int_equal(n_order, 5);
	loop_free(l);
}

struct pipe_fx {
	struct loop *l;
	struct loop_io *io;
	int fds[2];
	int calls;
};

static void read_and_delete(void *arg, int fd, uint32_t events)
{
	struct pipe_fx *p = arg;
	char buf[8];

	assert_true(events & EPOLLIN);
	assert_true(read(fd, buf, sizeof(buf)) > 0);
	p->calls++;
	loop_io_del(p->l, p->io); /* deleting itself is allowed */
}

static void io_dispatch_and_self_delete(void **state)
{
	struct pipe_fx p = { 0 };

	(void)state;
	assert_int_equal(loop_new(&p.l), 0);
	assert_int_equal(pipe(p.fds), 0);
	p.io = loop_io_add(p.l, p.fds[0], EPOLLIN, read_and_delete, &p);
	assert_non_null(p.io);
	assert_int_equal(write(p.fds[1], "x", 1), 1);
	assert_int_equal(loop_run_once(p.l, 1000), 0);
	assert_int_equal(p.calls, 1);
	/* Deleted: more data is not dispatched. */
	assert_int_equal(write(p.fds[1], "y", 1), 1);
	assert_int_equal(loop_run_once(p.l, 20), 0);
	assert_int_equal(p.calls, 1);
	close(p.fds[0]);
	close(p.fds[1]);
	loop_free(p.l);
}

/* loop_io_close: the fd is closed and out of the epoll set; a watch
 * closed by another's callback in the same round is not called. */
struct close_fx {
	struct loop *l;
	struct loop_io *io[2];
	int sp[2][2];
	int calls[2];
};

static void close_other(void *arg, int fd, uint32_t events)
{
	struct close_fx *x = arg;
	int i = fd == x->sp[0][0] ? 0 : 1;

	(void)events;
	x->calls[i]++;
	loop_io_close(x->l, x->io[i]);     /* itself */
	loop_io_close(x->l, x->io[1 - i]); /* and the other, ready too */
}

static void io_close_closes_and_skips(void **state)
{
	struct close_fx x = { 0 };

	(void)state;
	assert_int_equal(loop_new(&x.l), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, x.sp[i]), 0);
		x.io[i] = loop_io_add(x.l, x.sp[i][0], EPOLLIN, close_other, &x);
		assert_non_null(x.io[i]);
		assert_int_equal(write(x.sp[i][1], "x", 1), 1);
	}
	assert_int_equal(loop_run_once(x.l, 1000), 0);
	assert_int_equal(x.calls[0] + x.calls[1], 1);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(fcntl(x.sp[i][0], F_GETFD), -1); /* closed */
		assert_int_equal(errno, EBADF);
	}
	/* Their fd numbers come back for new watches; nothing stale fires. */
	for (int i = 0; i < 2; i++) {
		int sp[2];

		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
		x.sp[i][0] = sp[0];
		close(x.sp[i][1]);
		x.sp[i][1] = sp[1];
		x.io[i] = loop_io_add(x.l, sp[0], EPOLLIN, close_other, &x);
		assert_non_null(x.io[i]);
	}
	assert_int_equal(loop_run_once(x.l, 20), 0);
	assert_int_equal(x.calls[0] + x.calls[1], 1);
	assert_int_equal(write(x.sp[1][1], "y", 1), 1);
	assert_int_equal(loop_run_once(x.l, 1000), 0);
	assert_int_equal(x.calls[1], 1);
	close(x.sp[0][1]);
	close(x.sp[1][1]);
	loop_free(x.l);
}

/* Timers and watches are recycled, many at once and over and over: each
 * fires once, in due order, and loop_free frees them (ASan: no leak). */
static int fired;

static void count_fire(void *arg)
{
	uint64_t *last = arg;
	uint64_t now = loop_now_us();

	assert_true(now >= *last);
	*last = now;
	fired++;
}

static void timers_recycled(void **state)
{
	struct loop *l;
	struct loop_timer *t[300];
	uint64_t last = 0;

	(void)state;
	fired = 0;
	assert_int_equal(loop_new(&l), 0);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 300; i++) {
			t[i] = loop_timer_add(l, (uint64_t)(i % 7), count_fire, &last);
			assert_non_null(t[i]);
		}
		for (int i = 0; i < 300; i += 3)
			loop_timer_del(l, t[i]);
		assert_int_equal(loop_timer_count(l), 200);
		while (loop_timer_count(l) > 0)
			assert_int_equal(loop_run_once(l, 100), 0);
	}
	assert_int_equal(fired, 600);
	/* some left armed: loop_free takes them */
	for (int i = 0; i < 100; i++)
		assert_non_null(loop_timer_add(l, 10000, count_fire, &last));
	loop_free(l);
}

static int posted;

static void on_post(void *arg)
{
	posted += *(int *)arg;
}

static void *poster(void *arg)
{
	static int one = 1;

	for (int i = 0; i < 100; i++)
		loop_post(arg, on_post, &one);
	return NULL;
}

static void posts_from_threads_run_on_loop(void **state)
{
	struct loop *l;
	pthread_t t1, t2;

	(void)state;
	posted = 0;
	assert_int_equal(loop_new(&l), 0);
	pthread_create(&t1, NULL, poster, l);
	pthread_create(&t2, NULL, poster, l);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	for (int i = 0; i < 10 && posted < 200; i++)
		loop_run_once(l, 100);
	assert_int_equal(posted, 200);
	loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(timers_fire_in_due_order),
		cmocka_unit_test(timers_at_one_time_fire_together),
		cmocka_unit_test(io_dispatch_and_self_delete),
		cmocka_unit_test(io_close_closes_and_skips),
		cmocka_unit_test(timers_recycled),
		cmocka_unit_test(posts_from_threads_run_on_loop),
	};

	return cmocka_run_group_tests_name("event loop", tests, NULL, NULL);
}
