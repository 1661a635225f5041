/* test_loop.c — the event loop: timer order, io dispatch and deletion
 * from callbacks, cross-thread posts. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
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
		cmocka_unit_test(io_dispatch_and_self_delete),
		cmocka_unit_test(posts_from_threads_run_on_loop),
	};

	return cmocka_run_group_tests_name("event loop", tests, NULL, NULL);
}
