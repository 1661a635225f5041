/* test_ckchan.c — the check process's channel (core/ckchan.c): records
 * put with CKCHAN_PUT go at the end of the loop round, those put with
 * CKCHAN_PUT_LATER CKCHAN_LATER_US later when a datagram went in the
 * last CKCHAN_LATER_US (or with a sooner record, in the same datagram),
 * else at the end of the round. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "ckchan.h"
#include "loop.h"

struct pair {
	struct loop *l;
	struct ckchan ch;
	int peer;
};

static void pair_open(struct pair *p)
{
	int sv[2];

	assert_int_equal(loop_new(&p->l), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv), 0);
	assert_int_equal(ckchan_open(&p->ch, p->l, sv[0], NULL, NULL), 0);
	p->peer = sv[1];
}

static void pair_close(struct pair *p)
{
	ckchan_close(&p->ch);
	close(p->peer);
	loop_free(p->l);
}

/* The records of the datagram waiting at the peer: their count, or -1
 * when none waits. */
static int peer_records(struct pair *p)
{
	uint8_t buf[CKMSG_DGRAM_MAX];
	ssize_t n = recv(p->peer, buf, sizeof(buf), MSG_DONTWAIT);
	size_t off = 0;
	struct ckmsg m;
	char why[128];
	int k = 0;

	if (n < 0)
		return -1;
	assert_int_equal(ckmsg_check(buf, (size_t)n, CKMSG_TO_PARENT, why, sizeof(why)), 0);
	while (ckmsg_next(buf, (size_t)n, &off, CKMSG_TO_PARENT, &m) > 0) {
		assert_int_equal(m.type, CKMSG_HEARTBEAT);
		ckmsg_clear(&m);
		k++;
	}
	return k;
}

static void soon_goes_this_round(void **st)
{
	struct pair p;

	(void)st;
	pair_open(&p);
	assert_int_equal(CKCHAN_PUT(&p.ch, ckmsg_put_empty(p.ch.out, CKMSG_HEARTBEAT, 0)), 0);
	assert_int_equal(CKCHAN_PUT(&p.ch, ckmsg_put_empty(p.ch.out, CKMSG_HEARTBEAT, 0)), 0);
	assert_int_equal(peer_records(&p), -1); /* not before the round ends */
	assert_int_equal(loop_run_once(p.l, 1000), 0);
	assert_int_equal(peer_records(&p), 2);
	pair_close(&p);
}

static void later_waits_for_the_mark(void **st)
{
	struct pair p;
	uint64_t put_us, mark_us, end;
	int got = -1;

	(void)st;
	pair_open(&p);
	/* a datagram just went: the channel is busy */
	assert_int_equal(CKCHAN_PUT(&p.ch, ckmsg_put_empty(p.ch.out, CKMSG_HEARTBEAT, 0)), 0);
	assert_int_equal(loop_run_once(p.l, 1000), 0);
	assert_int_equal(peer_records(&p), 1);
	put_us = loop_now_us();
	if (put_us - p.ch.sent_us >= CKCHAN_LATER_US) { /* a very slow machine */
		pair_close(&p);
		skip();
	}
	assert_int_equal(CKCHAN_PUT_LATER(&p.ch, ckmsg_put_empty(p.ch.out, CKMSG_HEARTBEAT, 0)), 0);
	assert_int_equal(CKCHAN_PUT_LATER(&p.ch, ckmsg_put_empty(p.ch.out, CKMSG_HEARTBEAT, 0)), 0);
	mark_us = put_us + CKCHAN_LATER_US;
	assert_int_equal(loop_run_once(p.l, 0), 0);
	if (loop_now_us() < mark_us) /* a loaded machine may be past it */
		assert_int_equal(peer_records(&p), -1);
	/* sent at the mark, both in one datagram, never before it */
	end = loop_now_us() + 2000000;
	while (got < 0 && loop_now_us() < end) {
		assert_int_equal(loop_run_once(p.l, 100), 0);
		got = peer_records(&p);
	}
	assert_int_equal(got, 2);
	assert_true(loop_now_us() >= mark_us);
	assert_int_equal(loop_timer_count(p.l), 0);
	pair_close(&p);
}

static void later_on_a_quiet_channel_goes_this_round(void **st)
{
	struct pair p;

	(void)st;
	pair_open(&p);
	assert_int_equal(CKCHAN_PUT_LATER(&p.ch, ckmsg_put_empty(p.ch.out, CKMSG_HEARTBEAT, 0)), 0);
	assert_int_equal(loop_run_once(p.l, 1000), 0);
	assert_int_equal(peer_records(&p), 1);
	assert_int_equal(loop_timer_count(p.l), 0);
	pair_close(&p);
}

static void later_goes_with_soon(void **st)
{
	struct pair p;

	(void)st;
	pair_open(&p);
	assert_int_equal(CKCHAN_PUT_LATER(&p.ch, ckmsg_put_empty(p.ch.out, CKMSG_HEARTBEAT, 0)), 0);
	assert_int_equal(CKCHAN_PUT(&p.ch, ckmsg_put_empty(p.ch.out, CKMSG_HEARTBEAT, 0)), 0);
	assert_int_equal(loop_run_once(p.l, 1000), 0);
	assert_int_equal(peer_records(&p), 2);
	/* the later flush was dropped with it: no timer, no empty send */
	assert_int_equal(loop_timer_count(p.l), 0);
	pair_close(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(soon_goes_this_round),
		cmocka_unit_test(later_waits_for_the_mark),
		cmocka_unit_test(later_on_a_quiet_channel_goes_this_round),
		cmocka_unit_test(later_goes_with_soon),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
