/* sed — Shortest Expected Delay: least (Ci + 1) / Ui (the kernel's ip_vs_sed). */
#include "../common/kernel_sched.h"

LVSD_KERNEL_SCHEDULER("sed", "Shortest Expected Delay: least (Ci + 1) / Ui", NULL)
