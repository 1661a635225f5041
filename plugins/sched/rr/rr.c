/* rr — Round Robin: jobs spread equally over the available real servers (the kernel's ip_vs_rr). */
#include "../common/kernel_sched.h"

LVSD_KERNEL_SCHEDULER("rr", "Round Robin: jobs spread equally over the available real servers", NULL)
