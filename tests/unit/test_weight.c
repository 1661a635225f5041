/* test_weight.c — the effective-weight function as a table: every
 * combination of inputs that matters, and what the kernel must get. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "servers.h"
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
	/* Slow start moves in whole seconds (one kernel op a second). */
	{ "slow start 10 s, 0.9 s in: still 1",
	  { .config_weight = 100, .up = 1, .now_us = 50 * S + 900000,
	    .ready_us = 50 * S, .slowstart_us = 10 * S }, 1, 1, WHY_ACTIVE },
	{ "slow start 10 s, 1 s in: 10",
	  { .config_weight = 100, .up = 1, .now_us = 51 * S, .ready_us = 50 * S,
	    .slowstart_us = 10 * S }, 1, 10, WHY_ACTIVE },
	{ "slow start 10 s, 9.99 s in: 90",
	  { .config_weight = 100, .up = 1, .now_us = 60 * S - 10000,
	    .ready_us = 50 * S, .slowstart_us = 10 * S }, 1, 90, WHY_ACTIVE },
	{ "slow start 10 s, exactly done: 100",
	  { .config_weight = 100, .up = 1, .now_us = 60 * S, .ready_us = 50 * S,
	    .slowstart_us = 10 * S }, 1, 100, WHY_ACTIVE },
	{ "slow start shorter than a step jumps at its end",
	  { .config_weight = 100, .up = 1, .now_us = 50 * S + 400000,
	    .ready_us = 50 * S, .slowstart_us = 500000 }, 1, 1, WHY_ACTIVE },
	{ "slow start ramps the operator weight",
	  { .config_weight = 100, .has_op_weight = 1, .op_weight = 40, .up = 1,
	    .now_us = 65 * S, .ready_us = 50 * S, .slowstart_us = 30 * S },
	  1, 20, WHY_ACTIVE },
	{ "slow start: a clock before ready_us counts as the beginning",
	  { .config_weight = 100, .up = 1, .now_us = 40 * S, .ready_us = 50 * S,
	    .slowstart_us = 30 * S }, 1, 1, WHY_ACTIVE },
	{ "slow start of a disabled server stays 0",
	  { .config_weight = 100, .up = 1, .admin = ADMIN_DISABLED,
	    .now_us = 65 * S, .ready_us = 50 * S, .slowstart_us = 30 * S },
	  1, 0, WHY_DISABLED },
	{ "slow start of a down server: removed",
	  { .config_weight = 100, .up = 0, .now_us = 65 * S, .ready_us = 50 * S,
	    .slowstart_us = 30 * S }, 0, 0, WHY_DOWN },
	{ "slow start of an operator weight 0 stays 0",
	  { .config_weight = 100, .has_op_weight = 1, .op_weight = 0, .up = 1,
	    .now_us = 65 * S, .ready_us = 50 * S, .slowstart_us = 30 * S },
	  1, 0, WHY_ZERO_BASE },
	{ "slow start off (0) with a ready time: no ramp",
	  { .config_weight = 100, .up = 1, .now_us = 51 * S, .ready_us = 50 * S,
	    .slowstart_us = 0 }, 1, 100, WHY_ACTIVE },
	/* The agent (a plugin input) against the operator (its own layer). */
	{ "agent 50% halves the weight",
	  { .config_weight = 10, .up = 1, .has_factor = 1, .factor = 0.5,
	    .agent = LVSD_AGENT_UP }, 1, 5, WHY_ACTIVE },
	{ "agent silent (no answer): factor 1, no hint",
	  { .config_weight = 10, .up = 1, .has_factor = 0,
	    .agent = LVSD_AGENT_NONE }, 1, 10, WHY_ACTIVE },
	{ "agent 50% + operator weight: half of the operator's",
	  { .config_weight = 10, .has_op_weight = 1, .op_weight = 30, .up = 1,
	    .has_factor = 1, .factor = 0.5 }, 1, 15, WHY_ACTIVE },
	{ "agent 50% + operator enable: still half",
	  { .config_weight = 10, .up = 1, .has_factor = 1, .factor = 0.5,
	    .admin = ADMIN_ENABLED }, 1, 5, WHY_ACTIVE },
	{ "agent drain + operator drain: the operator's drain",
	  { .config_weight = 5, .up = 1, .agent = LVSD_AGENT_DRAIN,
	    .admin = ADMIN_DRAIN }, 1, 0, WHY_DRAIN },
	{ "agent up does not undo an operator disable",
	  { .config_weight = 5, .up = 1, .agent = LVSD_AGENT_UP,
	    .admin = ADMIN_DISABLED }, 1, 0, WHY_DISABLED },
	{ "agent up does not undo a failed check",
	  { .config_weight = 5, .up = 0, .agent = LVSD_AGENT_UP }, 0, 0,
	  WHY_DOWN },
	{ "agent drain of a down server: down wins",
	  { .config_weight = 5, .up = 0, .agent = LVSD_AGENT_DRAIN }, 0, 0,
	  WHY_DOWN },
	{ "agent down with inhibit_on_failure keeps at 0",
	  { .config_weight = 5, .up = 1, .agent = LVSD_AGENT_DOWN,
	    .inhibit_on_failure = 1 }, 1, 0, WHY_DOWN_INHIBIT },
	{ "agent drain x slow start: drained",
	  { .config_weight = 100, .up = 1, .agent = LVSD_AGENT_DRAIN,
	    .now_us = 65 * S, .ready_us = 50 * S, .slowstart_us = 30 * S },
	  1, 0, WHY_AGENT_DRAIN },
	{ "agent 0% never reaches 0 (the agent drains with 'drain')",
	  { .config_weight = 10, .up = 1, .has_factor = 1, .factor = 0.0,
	    .agent = LVSD_AGENT_UP }, 1, 1, WHY_ACTIVE },
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

/* A whole ramp sampled every 10 ms: from 1 to base, never down, one new
 * weight per second at most, and ramp < 1 exactly while it runs. */
static void ramp_steps(void **state)
{
	struct weight_in in = { .config_weight = 100, .up = 1, .ready_us = 7 * S,
				.slowstart_us = 10 * S };
	struct weight_out out;
	uint32_t last = 0;
	uint64_t last_change = 0;
	int changes = 0;

	(void)state;
	for (uint64_t t = 7 * S; t <= 19 * S; t += 10000) {
		in.now_us = t;
		weight_compute(&in, &out);
		assert_int_equal(out.why, WHY_ACTIVE);
		if (t == 7 * S)
			assert_int_equal(out.weight, 1);
		assert_true(out.weight >= last);
		assert_true((out.ramp < 1.0) == (t < 17 * S));
		if (out.weight != last && last) {
			assert_true(t - last_change >= S);
			changes++;
		}
		if (out.weight != last)
			last_change = t;
		last = out.weight;
	}
	assert_int_equal(last, 100);
	assert_int_equal(changes, 10); /* 1 -> 10 -> 20 ... -> 100 */
}

/* The run-time table feeds both plugin inputs (the scheduler's weight
 * hook, the agent) to the one function: their factors multiply. */
static void two_plugin_inputs(void **state)
{
	struct model_rs rs = { .weight = 100 };
	struct srv s = { .cfg = &rs, .up = 1, .has_factor = 1, .factor = 0.5,
			 .agent_has_factor = 1, .agent_factor = 0.5 };
	struct weight_in in;
	struct weight_out out;

	(void)state;
	srv_weight_input(&s, 0, &in);
	weight_compute(&in, &out);
	assert_int_equal(out.weight, 25);
	s.factor = NAN; /* a broken hook counts as 1, the agent still counts */
	srv_weight_input(&s, 0, &in);
	weight_compute(&in, &out);
	assert_int_equal(out.weight, 50);
	s.has_factor = 0;
	s.agent_has_factor = 0;
	srv_weight_input(&s, 0, &in);
	weight_compute(&in, &out);
	assert_int_equal(out.weight, 100);
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
		cmocka_unit_test(ramp_steps),
		cmocka_unit_test(two_plugin_inputs),
		cmocka_unit_test(admin_parse),
	};

	return cmocka_run_group_tests_name("effective weight", tests, NULL, NULL);
}
