/* weight.c — effective weight (see weight.h). Pure: no clock, no I/O. */
#include "weight.h"

#include <errno.h>
#include <math.h>
#include <string.h>

void weight_compute(const struct weight_in *in, struct weight_out *out)
{
	uint32_t base = in->has_op_weight ? in->op_weight : in->config_weight;
	int op_says_enabled = in->admin == ADMIN_ENABLED;
	double factor = 1.0, ramp = 1.0, w;

	memset(out, 0, sizeof(*out));
	out->ramp = 1.0;
	/* Health first: a dead server gets nothing, whatever else is set
	 * (unless the operator enabled it explicitly against the agent, which
	 * only overrides the agent's hint, never a failed check). */
	if (!in->up || (in->agent == LVSD_AGENT_DOWN && !op_says_enabled)) {
		out->why = in->inhibit_on_failure ? WHY_DOWN_INHIBIT : WHY_DOWN;
		out->present = in->inhibit_on_failure;
		return;
	}
	out->present = 1;
	if (in->admin == ADMIN_DISABLED) {
		out->why = WHY_DISABLED;
		return;
	}
	if (in->admin == ADMIN_DRAIN) {
		out->why = WHY_DRAIN;
		return;
	}
	if (in->agent == LVSD_AGENT_DRAIN && !op_says_enabled) {
		out->why = WHY_AGENT_DRAIN;
		return;
	}
	if (base == 0) {
		out->why = WHY_ZERO_BASE;
		return;
	}
	if (in->has_factor && in->factor >= 0.0 && in->factor <= 1.0)
		factor = in->factor; /* NaN and out of range count as 1 */
	/* The ramp moves in whole seconds since ready_us, so the kernel gets
	 * at most one new weight per real server per second, however often
	 * the weights are recomputed. */
	if (in->slowstart_us > 0 && in->ready_us > 0 &&
	    in->now_us < in->ready_us + in->slowstart_us) {
		uint64_t steps = in->now_us <= in->ready_us
					 ? 0
					 : (in->now_us - in->ready_us) / WEIGHT_STEP_US;

		ramp = (double)(steps * WEIGHT_STEP_US) / (double)in->slowstart_us;
	}
	out->ramp = ramp;
	w = ceil((double)base * factor * ramp);
	if (w < 1.0)
		w = 1.0;
	if (w > (double)WEIGHT_MAX)
		w = (double)WEIGHT_MAX;
	out->weight = (uint32_t)w;
	out->why = WHY_ACTIVE;
}

const char *weight_why_str(enum weight_why why)
{
	switch (why) {
	case WHY_ACTIVE: return "active";
	case WHY_ZERO_BASE: return "drain (weight 0)";
	case WHY_DISABLED: return "disabled";
	case WHY_DRAIN: return "drain";
	case WHY_AGENT_DRAIN: return "drain (agent)";
	case WHY_DOWN: return "down (removed)";
	case WHY_DOWN_INHIBIT: return "down (inhibited, weight 0)";
	}
	return "?";
}

const char *admin_state_str(enum admin_state a)
{
	switch (a) {
	case ADMIN_NONE: return "-";
	case ADMIN_ENABLED: return "enabled";
	case ADMIN_DISABLED: return "disabled";
	case ADMIN_DRAIN: return "drain";
	}
	return "?";
}

int admin_state_parse(const char *s, enum admin_state *out)
{
	if (!strcmp(s, "enable") || !strcmp(s, "enabled"))
		*out = ADMIN_ENABLED;
	else if (!strcmp(s, "disable") || !strcmp(s, "disabled"))
		*out = ADMIN_DISABLED;
	else if (!strcmp(s, "drain"))
		*out = ADMIN_DRAIN;
	else if (!strcmp(s, "none") || !strcmp(s, "-"))
		*out = ADMIN_NONE;
	else
		return -EINVAL;
	return 0;
}
