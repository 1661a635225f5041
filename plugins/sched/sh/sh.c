/* sh — Source Hashing: a static hash of the source IP (the kernel's ip_vs_sh). */
#include "../common/kernel_sched.h"

static const struct lvsd_sched_flag sh_flags[] = {
	{ "sh-fallback", LVSD_SCHED_FLAG_1 }, /* skip unavailable servers */
	{ "sh-port", LVSD_SCHED_FLAG_2 },     /* hash the source port too */
	{ NULL, 0 },
};

LVSD_KERNEL_SCHEDULER("sh", "Source Hashing: a static hash of the source IP", sh_flags)
