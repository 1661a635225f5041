/* fo — Weighted Failover: all jobs to the available server of highest weight (the kernel's ip_vs_fo). */
#include "../common/kernel_sched.h"

LVSD_KERNEL_SCHEDULER("fo", "Weighted Failover: all jobs to the available server of highest weight", NULL)
