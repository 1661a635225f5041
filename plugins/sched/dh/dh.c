/* dh — Destination Hashing: a static hash of the destination IP (the kernel's ip_vs_dh). */
#include "../common/kernel_sched.h"

LVSD_KERNEL_SCHEDULER("dh", "Destination Hashing: a static hash of the destination IP", NULL)
