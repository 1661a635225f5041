/* mh — Maglev Hashing: consistent hashing of the source (the kernel's ip_vs_mh). */
#include "../common/kernel_sched.h"

static const struct lvsd_sched_flag mh_flags[] = {
	{ "mh-fallback", LVSD_SCHED_FLAG_1 },
	{ "mh-port", LVSD_SCHED_FLAG_2 },
	{ NULL, 0 },
};

LVSD_KERNEL_SCHEDULER("mh", "Maglev Hashing: consistent hashing of the source", mh_flags)
