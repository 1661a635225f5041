/* kernel_sched.h — the shape shared by the plugins that select one of the
 * kernel's IPVS schedulers as it is: a name, flags, no weight hook (the
 * core then counts the factor as 1). Built against <lvsd/plugin.h> only:
 * flag bits are its LVSD_SCHED_FLAG_*, as for any third party's plugin. */
#ifndef LVSD_KERNEL_SCHED_H
#define LVSD_KERNEL_SCHED_H

#include <lvsd/plugin.h>

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
