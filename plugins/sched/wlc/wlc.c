/* wlc — Weighted Least-Connection: fewest jobs relative to weight (Ci/Wi); the default (the kernel's ip_vs_wlc). */
#include "../common/kernel_sched.h"

LVSD_KERNEL_SCHEDULER("wlc", "Weighted Least-Connection: fewest jobs relative to weight (Ci/Wi); the default", NULL)
