/* plugin_v1_1.c — a plugin built against the frozen released ABI 1.1 header
 * (tests/abi/plugin-1.1.h, ABI 1.1): today's core must still load it and
 * use it (tests/unit/abi.sh). A scheduler with a weight hook, init and
 * fini: every 1.1 part a scheduler has, with a flag. */
#include <stdlib.h>

#include "plugin-1.1.h"

#if LVSD_ABI_MAJOR != 1 || LVSD_ABI_MINOR != 1
#error "plugin-1.1.h must stay the ABI 1.1 header"
#endif

static int abi11_init(const struct lvsd_host_api *host, void **plugin)
{
	host->log(host->host, LVSD_LOG_NOTICE, "abi11: host API %u.%u, %u bytes",
		  host->abi_major, host->abi_minor, host->size);
	*plugin = malloc(1);
	return *plugin ? 0 : -1;
}

static void abi11_fini(void *plugin)
{
	free(plugin);
}

static int abi11_weight(void *plugin, const struct lvsd_rs_info *rs,
			double *factor)
{
	(void)plugin;
	*factor = rs->up ? 0.3 : 1.0;
	return 0;
}

/* 1.1 had no LVSD_SCHED_FLAG_*: the kernel's IP_VS_SVC_F_SCHED1 */
static const struct lvsd_sched_flag abi11_flags[] = {
	{ "first", 0x0008u },
	{ NULL, 0 },
};

static const struct lvsd_scheduler_ops abi11_ops = {
	.size = sizeof(struct lvsd_scheduler_ops),
	.kernel_name = "wrr",
	.flags = abi11_flags,
	.weight = abi11_weight,
};

static const struct lvsd_plugin abi11_plugin = {
	LVSD_PLUGIN_HEAD(LVSD_PLUGIN_SCHEDULER, "abi11", "1.1",
			 "built against the ABI 1.1 header"),
	.ops = &abi11_ops,
	.ops_size = sizeof(abi11_ops),
	.init = abi11_init,
	.fini = abi11_fini,
};

LVSD_EXPORT const struct lvsd_plugin *
lvsd_plugin_entry_v1(const struct lvsd_host_api *host)
{
	(void)host;
	return &abi11_plugin;
}
