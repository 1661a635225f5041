/* lblc — Locality-Based Least-Connection: same destination IP to the same server unless overloaded (the kernel's ip_vs_lblc). */
#include "../common/kernel_sched.h"

LVSD_KERNEL_SCHEDULER("lblc", "Locality-Based Least-Connection: same destination IP to the same server unless overloaded", NULL)
