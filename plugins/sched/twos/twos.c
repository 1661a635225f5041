/* twos — Weighted Random Twos Choice: the better of two servers picked at random by weight (the kernel's ip_vs_twos). */
#include "../common/kernel_sched.h"

LVSD_KERNEL_SCHEDULER("twos", "Weighted Random Twos Choice: the better of two servers picked at random by weight", NULL)
