/* kernel_sched.h — the shape shared by the plugins that select one of the
 * kernel's IPVS schedulers as it is: a name, flags, no weight hook (the
 * core then counts the factor as 1). Built against <lvsd/plugin.h> only. */
#ifndef LVSD_KERNEL_SCHED_H
#define LVSD_KERNEL_SCHED_H

#include <lvsd/plugin.h>

/* IP_VS_SVC_F_SCHED1/2/3 of <linux/ip_vs.h>. */
#define SCHED_FLAG_1 0x0008u
#define SCHED_FLAG_2 0x0010u
#define SCHED_FLAG_3 0x0020u

#define LVSD_KERNEL_SCHEDULER(name_, desc_, flags_)                          \
	static const struct lvsd_scheduler_ops sched_ops = {                 \
		.size = sizeof(struct lvsd_scheduler_ops),                   \
		.kernel_name = name_,                                        \
		.flags = flags_,                                             \
	};                                                                   \
	static const struct lvsd_plugin sched_desc = {                       \
		LVSD_PLUGIN_HEAD(LVSD_PLUGIN_SCHEDULER, name_, "1.0", desc_), \
		.ops = &sched_ops,                                           \
		.ops_size = sizeof(sched_ops),                               \
	};                                                                   \
	LVSD_EXPORT const struct lvsd_plugin *lvsd_plugin_entry_v1(          \
		const struct lvsd_host_api *host)                            \
	{                                                                    \
		(void)host;                                                  \
		return &sched_desc;                                          \
	}

#endif
