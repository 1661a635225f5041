/* test_bgp.c — bgp_plan (bgp.c) as a table: which virtual servers'
 * addresses are announced, and why not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "bgp.h"

#define S 1000000ull /* one second in us */

static struct bgp_entry ent(const char *vs, const char *addr, bool quorum,
			    const char *vrrp, bool master, uint64_t since)
{
	struct bgp_entry e;

	memset(&e, 0, sizeof(e));
	snprintf(e.vs, sizeof(e.vs), "%s", vs);
	e.addr.family = AF_INET;
	inet_pton(AF_INET, addr, &e.addr.u.v4);
	e.quorum = quorum;
	e.has_vrrp = vrrp != NULL;
	snprintf(e.vrrp, sizeof(e.vrrp), "%s", vrrp ? vrrp : "");
	e.vrrp_master = master;
	e.ok_since_us = quorum && (!vrrp || master) ? since : 0;
	return e;
}

static void test_plan_single(void **state)
{
	struct bgp_entry e[4];
	uint64_t next;

	(void)state;
	e[0] = ent("up", "10.0.0.1", true, NULL, false, 1 * S);
	e[1] = ent("lost", "10.0.0.2", false, NULL, false, 0);
	e[2] = ent("backup", "10.0.0.3", true, "VI_1", false, 0);
	e[3] = ent("master", "10.0.0.4", true, "VI_1", true, 1 * S);
	bgp_plan(e, 4, NULL, 0, 10 * S, &next);
	assert_true(e[0].want);
	assert_string_equal(e[0].why, "announced");
	assert_false(e[1].want);
	assert_string_equal(e[1].why, "withdrawn: quorum lost");
	assert_false(e[2].want);
	assert_string_equal(e[2].why, "withdrawn: vrrp instance VI_1 is not MASTER");
	assert_true(e[3].want);
	assert_int_equal(next, 0);

	/* no device: nothing, and why */
	bgp_plan(e, 4, "[bgp] not enabled", 0, 10 * S, &next);
	for (int i = 0; i < 4; i++)
		assert_false(e[i].want);
	assert_string_equal(e[0].why, "withdrawn: [bgp] not enabled");
	assert_string_equal(e[1].why, "withdrawn: quorum lost");
}

static void test_plan_delay(void **state)
{
	struct bgp_entry e[2];
	uint64_t next;

	(void)state;
	e[0] = ent("a", "10.0.0.1", true, NULL, false, 8 * S);
	e[1] = ent("b", "10.0.0.2", true, NULL, false, 5 * S);
	bgp_plan(e, 2, NULL, 3000, 9 * S, &next);
	assert_false(e[0].want);
	assert_string_equal(e[0].why, "waiting: announced in 2000 ms (announce_delay)");
	assert_true(e[1].want); /* held 4 s >= 3 s */
	assert_int_equal(next, 11 * S);
	bgp_plan(e, 2, NULL, 3000, 11 * S, &next);
	assert_true(e[0].want);
	assert_int_equal(next, 0);
}

/* The status's "waiting" counts down from the plan's time to now. */
static void test_why_counts_down(void **state)
{
	struct bgp_entry e[1];
	char buf[160];

	(void)state;
	e[0] = ent("a", "10.0.0.1", true, NULL, false, 8 * S);
	bgp_plan(e, 1, NULL, 3000, 9 * S, NULL);
	assert_int_equal(e[0].wait_until_us, 11 * S);
	assert_string_equal(bgp_why(&e[0], 9 * S, buf, sizeof(buf)),
			    "waiting: announced in 2000 ms (announce_delay)");
	assert_string_equal(bgp_why(&e[0], 10 * S + 250000, buf, sizeof(buf)),
			    "waiting: announced in 750 ms (announce_delay)");
	assert_string_equal(bgp_why(&e[0], 12 * S, buf, sizeof(buf)),
			    "waiting: announced in 0 ms (announce_delay)");
	bgp_plan(e, 1, NULL, 3000, 11 * S, NULL);
	assert_int_equal(e[0].wait_until_us, 0);
	assert_string_equal(bgp_why(&e[0], 12 * S, buf, sizeof(buf)), "announced");
}

/* One address, two services: both must hold. */
static void test_plan_same_address(void **state)
{
	struct bgp_entry e[3];

	(void)state;
	e[0] = ent("http", "10.0.0.1", true, NULL, false, 1 * S);
	e[1] = ent("https", "10.0.0.1", false, NULL, false, 0);
	e[2] = ent("other", "10.0.0.2", true, NULL, false, 1 * S);
	bgp_plan(e, 3, NULL, 0, 10 * S, NULL);
	assert_false(e[0].want);
	assert_string_equal(e[0].why,
			    "withdrawn: virtual server https on the same address is not ready");
	assert_false(e[1].want);
	assert_true(e[2].want);
	e[1] = ent("https", "10.0.0.1", true, NULL, false, 9 * S);
	bgp_plan(e, 3, NULL, 3000, 10 * S, NULL);
	assert_false(e[0].want);
	assert_string_equal(e[0].why,
			    "waiting: virtual server https on the same address is waiting (announce_delay)");
	bgp_plan(e, 3, NULL, 0, 10 * S, NULL);
	assert_true(e[0].want && e[1].want && e[2].want);
}

/* announce_delay is for a withdrawn address only: one on the device stays
 * when a reload raises the delay or adds a virtual server on it. */
static void test_plan_announced_stays(void **state)
{
	struct bgp_entry e[3];
	uint64_t next;

	(void)state;
	e[0] = ent("web", "10.0.0.1", true, NULL, false, 1 * S);
	e[0].announced = true;
	e[1] = ent("cold", "10.0.0.2", true, NULL, false, 1 * S);
	/* the delay raised from 3 s to 60 s at 20 s */
	bgp_plan(e, 2, NULL, 60000, 20 * S, &next);
	assert_true(e[0].want);
	assert_string_equal(e[0].why, "announced");
	assert_false(e[1].want); /* not on the device: it waits */
	assert_string_equal(e[1].why, "waiting: announced in 41000 ms (announce_delay)");
	assert_int_equal(next, 61 * S);

	/* a ready virtual server added on the announced address */
	e[1] = ent("web443", "10.0.0.1", true, NULL, false, 20 * S);
	bgp_plan(e, 2, NULL, 5000, 20 * S, &next);
	assert_true(e[0].want && e[1].want);
	assert_int_equal(next, 0);
	/* one without quorum: every one on the address must be ready */
	e[1] = ent("web443", "10.0.0.1", false, NULL, false, 0);
	bgp_plan(e, 2, NULL, 5000, 20 * S, NULL);
	assert_false(e[0].want || e[1].want);
	assert_string_equal(e[0].why,
			    "withdrawn: virtual server web443 on the same address is not ready");

	/* withdrawn (after a loss): the delay again, for both */
	e[0] = ent("web", "10.0.0.1", true, NULL, false, 30 * S);
	e[1] = ent("web443", "10.0.0.1", true, NULL, false, 30 * S);
	e[2] = ent("x", "10.0.0.3", true, "VI_1", false, 0);
	e[2].announced = true; /* on the device, but not MASTER */
	bgp_plan(e, 3, NULL, 5000, 31 * S, &next);
	assert_false(e[0].want || e[1].want || e[2].want);
	assert_int_equal(next, 35 * S);
	/* no device: nothing stays */
	e[0].announced = true;
	bgp_plan(e, 3, "[bgp] not enabled", 5000, 31 * S, NULL);
	assert_false(e[0].want || e[1].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_single),
		cmocka_unit_test(test_plan_delay),
		cmocka_unit_test(test_why_counts_down),
		cmocka_unit_test(test_plan_same_address),
		cmocka_unit_test(test_plan_announced_stays),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
