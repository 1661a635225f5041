/* test_ckmsg.c — the check process's messages (core/ckmsg.c): every type
 * goes through encoder and decoder unchanged, records batch in one
 * datagram, a full datagram says -ENOSPC, and each kind of bad input is
 * refused by ckmsg_check with a reason (wrong version, flags, length,
 * type for the direction, field out of range, bytes left over, a control
 * character in a text, an oversized datagram, an id on a HEARTBEAT). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "ckmsg.h"

static struct ckbuf b;

static void roundtrip_one(enum ckmsg_dir dir, struct ckmsg *m)
{
	char why[200];
	size_t off = 0;

	assert_int_equal(ckmsg_check(b.buf, b.len, dir, why, sizeof(why)), 0);
	assert_int_equal(ckmsg_next(b.buf, b.len, &off, dir, m), 1);
}

static void test_result(void **st)
{
	struct lvsd_check_result r = {
		.size = sizeof(r), .outcome = LVSD_CHECK_BAD_STATUS,
		.latency_us = 1234, .http_status = 503, .detail = "HTTP 503\nx",
		.has_factor = 1, .factor = 0.25, .hint = LVSD_AGENT_DRAIN,
		.has_weight = 1, .weight = 7,
	};
	struct ckmsg m;

	(void)st;
	memset(&b, 0, sizeof(b));
	assert_int_equal(ckmsg_put_result(&b, 42, &r), 0);
	roundtrip_one(CKMSG_TO_PARENT, &m);
	assert_int_equal(m.type, CKMSG_RESULT);
	assert_int_equal(m.id, 42);
	assert_int_equal(m.res.outcome, LVSD_CHECK_BAD_STATUS);
	assert_int_equal(m.res.latency_us, 1234);
	assert_int_equal(m.res.http_status, 503);
	assert_string_equal(m.res.detail, "HTTP 503?x"); /* control char */
	assert_true(m.res.has_factor && m.res.factor == 0.25);
	assert_int_equal(m.res.hint, LVSD_AGENT_DRAIN);
	assert_true(m.res.has_weight && m.res.weight == 7);
	/* the wrong way: a RESULT is no message to the child */
	assert_int_equal(ckmsg_check(b.buf, b.len, CKMSG_TO_CHILD, NULL, 0), -EBADMSG);
	ckmsg_clear(&m);
}

static void test_create(void **st)
{
	struct lvsd_check_target t = { .size = sizeof(t), .port = 8080,
				       .connect_timeout_ms = 3000, .fwmark = 9 };
	struct lvsd_kv o[2] = { { "path", "/health" }, { "url", "" } };
	struct ckmsg m;

	(void)st;
	t.addr.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", &t.addr.u.v6);
	t.bind_addr.family = AF_INET;
	inet_pton(AF_INET, "10.0.0.1", &t.bind_addr.u.v4);
	memset(&b, 0, sizeof(b));
	assert_int_equal(ckmsg_put_create(&b, 7, "HTTP_GET", &t, o, 2), 0);
	roundtrip_one(CKMSG_TO_CHILD, &m);
	assert_int_equal(m.type, CKMSG_CREATE);
	assert_string_equal(m.checker, "HTTP_GET");
	assert_int_equal(m.target.port, 8080);
	assert_int_equal(m.target.fwmark, 9);
	assert_int_equal(m.target.connect_timeout_ms, 3000);
	assert_memory_equal(&m.target.addr.u.v6, &t.addr.u.v6, 16);
	assert_int_equal(m.target.bind_addr.family, AF_INET);
	assert_int_equal(m.n_opts, 2);
	assert_string_equal(m.opts[0].key, "path");
	assert_string_equal(m.opts[0].value, "/health");
	assert_string_equal(m.opts[1].value, "");
	ckmsg_clear(&m);
	assert_int_equal(ckmsg_put_create(&b, 7, "bad name", &t, o, 2), -EINVAL);
}

static void test_batch(void **st)
{
	struct ckmsg m;
	size_t off = 0, n = 0;

	(void)st;
	memset(&b, 0, sizeof(b));
	assert_int_equal(ckmsg_put_hello(&b, 10, 995, 995, 1ull << 12), 0);
	assert_int_equal(ckmsg_put_log(&b, 3, "HTTP_GET: hello"), 0);
	assert_int_equal(ckmsg_put_refused(&b, 5, -EINVAL, "bad regex"), 0);
	assert_int_equal(ckmsg_put_empty(&b, CKMSG_HEARTBEAT, 0), 0);
	assert_int_equal(ckmsg_check(b.buf, b.len, CKMSG_TO_PARENT, NULL, 0), 0);
	while (ckmsg_next(b.buf, b.len, &off, CKMSG_TO_PARENT, &m) > 0) {
		if (n == 0)
			assert_true(m.type == CKMSG_HELLO && m.uid == 995 &&
				    m.capeff == 1ull << 12);
		if (n == 1)
			assert_true(m.level == 3 && !strcmp(m.text, "HTTP_GET: hello"));
		if (n == 2)
			assert_true(m.id == 5 && m.err == -EINVAL &&
				    !strcmp(m.text, "bad regex"));
		if (n == 3)
			assert_int_equal(m.type, CKMSG_HEARTBEAT);
		n++;
	}
	assert_int_equal(n, 4);
	/* fill a datagram: RUNs until -ENOSPC, each 12 bytes */
	memset(&b, 0, sizeof(b));
	while (ckmsg_put_empty(&b, CKMSG_RUN, (uint32_t)b.n + 1) == 0)
		;
	assert_int_equal(b.n, CKMSG_DGRAM_MAX / CKMSG_HDR);
	assert_int_equal(ckmsg_put_empty(&b, CKMSG_RUN, 1), -ENOSPC);
	assert_int_equal(ckmsg_check(b.buf, b.len, CKMSG_TO_CHILD, NULL, 0), 0);
}

/* A good RESULT record, then one byte changed: refused, with a reason. */
static void expect_bad(size_t at, uint8_t v, const char *reason)
{
	struct lvsd_check_result r = { .size = sizeof(r), .detail = "ok" };
	char why[200] = "";

	memset(&b, 0, sizeof(b));
	assert_int_equal(ckmsg_put_result(&b, 1, &r), 0);
	assert_int_equal(ckmsg_check(b.buf, b.len, CKMSG_TO_PARENT, NULL, 0), 0);
	b.buf[at] = v;
	assert_int_equal(ckmsg_check(b.buf, b.len, CKMSG_TO_PARENT, why, sizeof(why)),
			 -EBADMSG);
	if (!strstr(why, reason))
		fail_msg("byte %zu = %u: reason '%s', wanted '%s'", at, v, why, reason);
}

static void test_refused(void **st)
{
	char why[200];
	uint8_t big[CKMSG_DGRAM_MAX + 1];

	(void)st;
	expect_bad(0, 2, "version 2");
	expect_bad(1, 99, "type 99 unknown");
	expect_bad(1, CKMSG_RUN, "goes the other way");
	expect_bad(2, 1, "flags");
	expect_bad(4, 200, "length 200");
	expect_bad(4, 11, "length 11");
	expect_bad(12, 10, "outcome 10");
	expect_bad(13, 4, "hint 4");
	expect_bad(14, 2, "has_factor");
	expect_bad(CKMSG_HDR + 9, 4, "http_status"); /* 1024 */
	expect_bad(CKMSG_HDR + 16, 1, "factor"); /* has_factor 0 */
	expect_bad(CKMSG_HDR + 26, 0x01, "detail: byte 0");
	expect_bad(CKMSG_HDR + 24, 9, "detail"); /* longer than the record */
	/* bytes after the payload */
	{
		struct lvsd_check_result r = { .size = sizeof(r) };

		memset(&b, 0, sizeof(b));
		assert_int_equal(ckmsg_put_result(&b, 1, &r), 0);
		b.buf[4] += 1;
		b.len += 1;
		assert_int_equal(ckmsg_check(b.buf, b.len, CKMSG_TO_PARENT, why,
					     sizeof(why)), -EBADMSG);
		assert_non_null(strstr(why, "after the payload"));
	}
	/* HEARTBEAT with an id; a truncated header; empty; oversized */
	memset(&b, 0, sizeof(b));
	assert_int_equal(ckmsg_put_empty(&b, CKMSG_HEARTBEAT, 0), 0);
	b.buf[8] = 1;
	assert_int_equal(ckmsg_check(b.buf, b.len, CKMSG_TO_PARENT, why, sizeof(why)),
			 -EBADMSG);
	assert_int_equal(ckmsg_check(b.buf, 5, CKMSG_TO_PARENT, why, sizeof(why)),
			 -EBADMSG);
	assert_int_equal(ckmsg_check(b.buf, 0, CKMSG_TO_PARENT, why, sizeof(why)),
			 -EBADMSG);
	memset(big, 0, sizeof(big));
	assert_int_equal(ckmsg_check(big, sizeof(big), CKMSG_TO_PARENT, why,
				     sizeof(why)), -EBADMSG);
	assert_non_null(strstr(why, "at most"));
	/* encoder: values out of range */
	{
		struct lvsd_check_result r = { .size = sizeof(r), .outcome = 42 };

		assert_int_equal(ckmsg_put_result(&b, 1, &r), -EINVAL);
		r.outcome = 0;
		r.has_factor = 1;
		r.factor = 1.5;
		assert_int_equal(ckmsg_put_result(&b, 1, &r), -EINVAL);
		assert_int_equal(ckmsg_put_log(&b, 8, "x"), -EINVAL);
		assert_int_equal(ckmsg_put_refused(&b, 1, 0, "x"), -EINVAL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_result),
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
