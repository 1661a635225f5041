/* test_weight.c — the effective-weight function as a table: every
 * combination of inputs that matters, and what the kernel must get. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "weight.h"

#define S 1000000ull /* one second in us */

struct row {
	const char *what;
	struct weight_in in;
	int present;
	uint32_t weight;
	enum weight_why why;
};

static const struct row rows[] = {
	{ "config weight", { .config_weight = 5, .up = 1 }, 1, 5, WHY_ACTIVE },
	{ "operator weight wins over config",
	  { .config_weight = 5, .has_op_weight = 1, .op_weight = 9, .up = 1 },
	  1, 9, WHY_ACTIVE },
	{ "operator weight 0 is a drain",
	  { .config_weight = 5, .has_op_weight = 1, .op_weight = 0, .up = 1 },
	  1, 0, WHY_ZERO_BASE },
	{ "config weight 0 is a drain", { .config_weight = 0, .up = 1 },
	  1, 0, WHY_ZERO_BASE },
	{ "disabled keeps the dest at 0",
	  { .config_weight = 5, .up = 1, .admin = ADMIN_DISABLED }, 1, 0,
	  WHY_DISABLED },
	{ "drain keeps the dest at 0",
	  { .config_weight = 5, .up = 1, .admin = ADMIN_DRAIN }, 1, 0, WHY_DRAIN },
	{ "down removes", { .config_weight = 5, .up = 0 }, 0, 0, WHY_DOWN },
	{ "down with inhibit_on_failure keeps at 0",
	  { .config_weight = 5, .up = 0, .inhibit_on_failure = 1 }, 1, 0,
	  WHY_DOWN_INHIBIT },
	{ "drain + down: down wins",
	  { .config_weight = 5, .up = 0, .admin = ADMIN_DRAIN }, 0, 0, WHY_DOWN },
	{ "plugin factor scales, rounded up",
	  { .config_weight = 10, .up = 1, .has_factor = 1, .factor = 0.25 },
	  1, 3, WHY_ACTIVE },
	{ "plugin factor 0 never reaches 0 (clamped to 1)",
	  { .config_weight = 10, .up = 1, .has_factor = 1, .factor = 0.0 },
	  1, 1, WHY_ACTIVE },
	{ "silent plugin counts as 1",
	  { .config_weight = 10, .up = 1, .has_factor = 0, .factor = 0.1 },
	  1, 10, WHY_ACTIVE },
	{ "out-of-range factor counts as 1",
	  { .config_weight = 10, .up = 1, .has_factor = 1, .factor = 7.0 },
	  1, 10, WHY_ACTIVE },
	{ "NaN factor counts as 1",
	  { .config_weight = 10, .up = 1, .has_factor = 1, .factor = NAN },
	  1, 10, WHY_ACTIVE },
	{ "slow start at its beginning is 1",
	  { .config_weight = 100, .up = 1, .now_us = 50 * S, .ready_us = 50 * S,
	    .slowstart_us = 30 * S }, 1, 1, WHY_ACTIVE },
	{ "slow start half way",
	  { .config_weight = 100, .up = 1, .now_us = 65 * S, .ready_us = 50 * S,
	    .slowstart_us = 30 * S }, 1, 50, WHY_ACTIVE },
	{ "slow start done",
	  { .config_weight = 100, .up = 1, .now_us = 81 * S, .ready_us = 50 * S,
	    .slowstart_us = 30 * S }, 1, 100, WHY_ACTIVE },
	{ "no ready time (daemon start): no ramp",
	  { .config_weight = 100, .up = 1, .now_us = 1 * S, .ready_us = 0,
	    .slowstart_us = 30 * S }, 1, 100, WHY_ACTIVE },
	{ "ramp x plugin factor",
	  { .config_weight = 100, .up = 1, .now_us = 65 * S, .ready_us = 50 * S,
	    .slowstart_us = 30 * S, .has_factor = 1, .factor = 0.5 },
	  1, 25, WHY_ACTIVE },
	{ "slow start of a weight-0 base stays 0",
	  { .config_weight = 0, .up = 1, .now_us = 65 * S, .ready_us = 50 * S,
	    .slowstart_us = 30 * S }, 1, 0, WHY_ZERO_BASE },
	{ "agent drain drains when the operator said nothing",
	  { .config_weight = 5, .up = 1, .agent = LVSD_AGENT_DRAIN }, 1, 0,
	  WHY_AGENT_DRAIN },
	{ "agent drain does not override an operator enable",
	  { .config_weight = 5, .up = 1, .agent = LVSD_AGENT_DRAIN,
	    .admin = ADMIN_ENABLED }, 1, 5, WHY_ACTIVE },
	{ "agent up does not undo an operator drain",
	  { .config_weight = 5, .up = 1, .agent = LVSD_AGENT_UP,
	    .admin = ADMIN_DRAIN }, 1, 0, WHY_DRAIN },
	{ "agent down removes like a failed check",
	  { .config_weight = 5, .up = 1, .agent = LVSD_AGENT_DOWN }, 0, 0,
	  WHY_DOWN },
	{ "agent down does not override an operator enable",
	  { .config_weight = 5, .up = 1, .agent = LVSD_AGENT_DOWN,
	    .admin = ADMIN_ENABLED }, 1, 5, WHY_ACTIVE },
	{ "operator enable does not override a failed check",
	  { .config_weight = 5, .up = 0, .admin = ADMIN_ENABLED }, 0, 0,
	  WHY_DOWN },
	{ "largest kernel weight",
	  { .config_weight = WEIGHT_MAX, .up = 1 }, 1, WEIGHT_MAX, WHY_ACTIVE },
};

static void table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct weight_out out;

		weight_compute(&rows[i].in, &out);
		if (out.present != rows[i].present || out.weight != rows[i].weight ||
		    out.why != rows[i].why)
			fail_msg("%s: got present=%d weight=%u why=%s, want %d %u %s",
				 rows[i].what, out.present, out.weight,
				 weight_why_str(out.why), rows[i].present,
				 rows[i].weight, weight_why_str(rows[i].why));
	}
}

static void admin_parse(void **state)
{
	enum admin_state a;

	(void)state;
	assert_int_equal(admin_state_parse("drain", &a), 0);
	assert_int_equal(a, ADMIN_DRAIN);
	assert_int_equal(admin_state_parse("enable", &a), 0);
	assert_int_equal(a, ADMIN_ENABLED);
	assert_int_equal(admin_state_parse("disabled", &a), 0);
	assert_int_equal(a, ADMIN_DISABLED);
	assert_int_equal(admin_state_parse("off", &a), -22);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(admin_parse),
	};

	return cmocka_run_group_tests_name("effective weight", tests, NULL, NULL);
}
