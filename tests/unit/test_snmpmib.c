/* test_snmpmib.c — LVSD-MIB's index OIDs: a virtual server's kernel key
 * (address, port, protocol, or firewall mark) and a real server's, as
 * snmpwalk shows them and as the tests and the manual write them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "servers.h"
#include "snmpmib.h"

static void expect_oid(const oid *got, size_t n, const oid *want, size_t wn)
{
	assert_int_equal(n, wn);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(got[i], want[i]);
}

static void v4(struct lvsd_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, s, &a->u.v4), 1);
}

static void test_vs_tcp(void **state)
{
	struct model_vs vs = { .af = AF_INET, .protocol = IPPROTO_TCP, .port = 80 };
	static const oid want[] = { 1, 4, 192, 168, 0, 29, 80, 6, 0 };
	oid o[48];

	(void)state;
	v4(&vs.addr, "192.168.0.29");
	expect_oid(o, snmpmib_vs_index(&vs, o), want, 9);
}

static void test_vs_fwmark(void **state)
{
	struct model_vs vs = { .af = AF_INET6, .fwmark = 42 };
	oid o[48], want[22] = { 2, 16 };
	size_t n;

	(void)state;
	want[18] = 0; /* port */
	want[19] = 0; /* protocol fwmark(0) */
	want[20] = 42;
	n = snmpmib_vs_index(&vs, o);
	expect_oid(o, n, want, 21);
}

static void test_rs(void **state)
{
	struct model_vs vs = { .af = AF_INET, .protocol = IPPROTO_UDP, .port = 53 };
	struct srv s;
	static const oid want[] = { 1, 4, 10, 0, 0, 1, 53, 17, 0, 1, 4, 10, 0, 0, 51, 5353 };
	oid o[48];

	(void)state;
	memset(&s, 0, sizeof(s));
	v4(&vs.addr, "10.0.0.1");
	v4(&s.addr, "10.0.0.51");
	s.port = 5353;
	expect_oid(o, snmpmib_rs_index(&vs, &s, o), want, 16);
}

static void test_rs_v6(void **state)
{
	struct model_vs vs = { .af = AF_INET6, .protocol = IPPROTO_SCTP, .port = 443 };
	struct srv s;
	oid o[48];
	size_t n;

	(void)state;
	memset(&s, 0, sizeof(s));
	vs.addr.family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::1", &vs.addr.u.v6), 1);
	s.addr.family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::10", &s.addr.u.v6), 1);
	s.port = 8443;
	n = snmpmib_rs_index(&vs, &s, o);
	assert_int_equal(n, 2 + 16 + 3 + 2 + 16 + 1);
	assert_int_equal(o[0], 2);
	assert_int_equal(o[1], 16);
	assert_int_equal(o[2], 0x20);
	assert_int_equal(o[3], 0x01);
	assert_int_equal(o[17], 1);
	assert_int_equal(o[18], 443);
	assert_int_equal(o[19], 132);
	assert_int_equal(o[20], 0);
	assert_int_equal(o[21], 2);
	assert_int_equal(o[22], 16);
	assert_int_equal(o[38], 0x10);
	assert_int_equal(o[39], 8443);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vs_tcp),
		cmocka_unit_test(test_vs_fwmark),
		cmocka_unit_test(test_rs),
		cmocka_unit_test(test_rs_v6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
