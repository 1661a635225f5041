/* wrr — Weighted Round Robin: jobs in proportion to the real servers' weights (the kernel's ip_vs_wrr). */
#include "../common/kernel_sched.h"

LVSD_KERNEL_SCHEDULER("wrr", "Weighted Round Robin: jobs in proportion to the real servers' weights", NULL)
