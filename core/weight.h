/* weight.h — the effective weight of a real server: one pure function
 * that turns the separate inputs of config, operator, health, slow start
 * and plugins into what the kernel gets: clamp(ceil(base x factor x ramp),
 * 1, WEIGHT_MAX) when up, enabled and base > 0 (lvsd-plugin(7), weight). */
#ifndef LVSD_WEIGHT_H
#define LVSD_WEIGHT_H

#include <stdint.h>

#include <lvsd/plugin.h>

#define WEIGHT_MAX 2147483647u /* the kernel's int range */
#define WEIGHT_STEP_US 1000000u /* slow start: one step a second */

/* The operator's admin state. NONE: never set (the agent may drain). */
enum admin_state {
	ADMIN_NONE = 0,
	ADMIN_ENABLED,  /* explicitly enabled: the agent cannot drain it */
	ADMIN_DISABLED, /* weight 0, destination kept: flows go on */
	ADMIN_DRAIN,    /* weight 0, persistent clients too */
};

enum weight_why {
	WHY_ACTIVE = 0,   /* in the kernel with weight > 0 */
	WHY_ZERO_BASE,    /* base weight 0: shown as drain */
	WHY_DISABLED,
	WHY_DRAIN,
	WHY_AGENT_DRAIN,
	WHY_DOWN,         /* removed from the kernel */
	WHY_DOWN_INHIBIT, /* kept with weight 0 (inhibit_on_failure) */
};

struct weight_in {
	uint32_t config_weight;
	int has_op_weight;
	uint32_t op_weight;
	enum admin_state admin;
	int up;                 /* health */
	int inhibit_on_failure;
	int has_factor;         /* from a plugin; absent counts as 1 */
	double factor;
	enum lvsd_agent_hint agent;
	uint64_t now_us;
	uint64_t ready_us;      /* last down->up or disabled->enabled; 0: none */
	uint64_t slowstart_us;  /* 0: off */
};

struct weight_out {
	int present;     /* the destination is in the kernel */
	uint32_t weight; /* its weight there */
	enum weight_why why;
	double ramp;     /* slow-start progress in [0,1] (1: done or off),
			  * in whole WEIGHT_STEP_US steps since ready_us */
};

void weight_compute(const struct weight_in *in, struct weight_out *out);
const char *weight_why_str(enum weight_why why);
const char *admin_state_str(enum admin_state a);
/* "enable"/"enabled", "disable"/"disabled", "drain", "none": 0 or -EINVAL */
int admin_state_parse(const char *s, enum admin_state *out);

#endif
