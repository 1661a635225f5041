/* lc — Least-Connection: more jobs to real servers with fewer active jobs (the kernel's ip_vs_lc). */
#include "../common/kernel_sched.h"

LVSD_KERNEL_SCHEDULER("lc", "Least-Connection: more jobs to real servers with fewer active jobs", NULL)
