/* nq — Never Queue: an idle server if there is one, else shortest expected delay (the kernel's ip_vs_nq). */
#include "../common/kernel_sched.h"

LVSD_KERNEL_SCHEDULER("nq", "Never Queue: an idle server if there is one, else shortest expected delay", NULL)
