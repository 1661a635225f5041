/* test_metrics.c — the metrics endpoint's request parser: what it takes,
 * what is not complete yet, and each kind of malformed head it refuses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "metrics.h"

static int parse(const char *s, struct metrics_req *r)
{
	return metrics_parse_request(s, strlen(s), r);
}

static void test_good(void **state)
{
	struct metrics_req r;

	(void)state;
	assert_int_equal(parse("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", &r), 0);
	assert_true(r.get && r.metrics && !r.openmetrics);
	assert_int_equal(parse("GET /metrics?a=b HTTP/1.0\n\n", &r), 0);
	assert_true(r.get && r.metrics);
	assert_int_equal(parse("GET /metrics HTTP/1.1\r\naccept: text/plain, "
			       "APPLICATION/OpenMetrics-Text; version=1.0.0\r\n\r\n", &r), 0);
	assert_true(r.openmetrics);
	/* another method or path: parsed, the caller answers 405 / 404 */
	assert_int_equal(parse("POST /metrics HTTP/1.1\r\n\r\nbody", &r), 0);
	assert_true(!r.get && r.metrics);
	assert_int_equal(parse("GET /metricsx HTTP/1.1\r\n\r\n", &r), 0);
	assert_true(r.get && !r.metrics);
	assert_int_equal(parse("GET / HTTP/1.1\r\n\r\n", &r), 0);
	assert_false(r.metrics);
}

static void test_incomplete(void **state)
{
	struct metrics_req r;
	char big[METRICS_REQ_MAX + 10];

	(void)state;
	assert_int_equal(parse("", &r), -EAGAIN);
	assert_int_equal(parse("GET /metrics HTTP/1.1\r\n", &r), -EAGAIN);
	assert_int_equal(parse("GET /metrics HTTP/1.1\r\nHost: x\r\n\r", &r), -EAGAIN);
	memset(big, 'a', sizeof(big));
	assert_int_equal(metrics_parse_request(big, sizeof(big), &r), -EMSGSIZE);
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	memcpy(big + sizeof(big) - 4, "\r\n\r\n", 4);
	assert_int_equal(metrics_parse_request(big, sizeof(big), &r), -EMSGSIZE);
}

static void test_bad(void **state)
{
	static const char *const bad[] = {
		"GET\r\n\r\n",
		" GET /metrics HTTP/1.1\r\n\r\n",
		"GET metrics HTTP/1.1\r\n\r\n",
		"GET /metrics\r\n\r\n",
		"GET /metrics HTTP/2.0\r\n\r\n",
		"GET /metrics HTTP/1.1 x\r\n\r\n",
		"GET /metrics HTTP/1.1\r\nno colon\r\n\r\n",
		"GET /metrics HTTP/1.1\r\n folded: x\r\n\r\n",
		"GET /metrics HTTP/1.1\r\n: empty name\r\n\r\n",
		"GET /metrics HTTP/1.1\r\nX: a\x01" "b\r\n\r\n",
		"G(T /metrics HTTP/1.1\r\n\r\n",
	};
	struct metrics_req r;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(bad[i], &r), -EBADMSG);
	/* a NUL inside a header value */
	assert_int_equal(metrics_parse_request("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n", 26, &r),
			 -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_incomplete),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
