/* lblcr — Locality-Based Least-Connection with Replication: a server set per destination IP (the kernel's ip_vs_lblcr). */
#include "../common/kernel_sched.h"

LVSD_KERNEL_SCHEDULER("lblcr", "Locality-Based Least-Connection with Replication: a server set per destination IP", NULL)
