/* ovf — Weighted Overflow: the highest-weight server until its connections exceed its weight (the kernel's ip_vs_ovf). */
#include "../common/kernel_sched.h"

LVSD_KERNEL_SCHEDULER("ovf", "Weighted Overflow: the highest-weight server until its connections exceed its weight", NULL)
