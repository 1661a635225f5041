/* plugin_v1_0.c — a plugin built against the frozen first released header
 * (tests/abi/plugin-1.0.h, ABI 1.0): today's core must still load it and
 * use it (tests/unit/abi.sh). A scheduler with a weight hook, init and
 * fini: every 1.0 part a scheduler has. */
#include <stdlib.h>

#include "plugin-1.0.h"

#if LVSD_ABI_MAJOR != 1 || LVSD_ABI_MINOR != 0
#error "plugin-1.0.h must stay the ABI 1.0 header"
#endif

static int abi10_init(const struct lvsd_host_api *host, void **plugin)
{
	host->log(host->host, LVSD_LOG_NOTICE, "abi10: host API %u.%u, %u bytes",
		  host->abi_major, host->abi_minor, host->size);
	*plugin = malloc(1);
	return *plugin ? 0 : -1;
}

static void abi10_fini(void *plugin)
{
	free(plugin);
}

static int abi10_weight(void *plugin, const struct lvsd_rs_info *rs,
			double *factor)
{
	(void)plugin;
	*factor = rs->up ? 0.5 : 1.0;
	return 0;
}

static const struct lvsd_scheduler_ops abi10_ops = {
	.size = sizeof(struct lvsd_scheduler_ops),
	.kernel_name = "wrr",
	.weight = abi10_weight,
};

static const struct lvsd_plugin abi10_plugin = {
	LVSD_PLUGIN_HEAD(LVSD_PLUGIN_SCHEDULER, "abi10", "1.0",
			 "built against the ABI 1.0 header"),
	.ops = &abi10_ops,
	.ops_size = sizeof(abi10_ops),
	.init = abi10_init,
	.fini = abi10_fini,
};

LVSD_EXPORT const struct lvsd_plugin *
lvsd_plugin_entry_v1(const struct lvsd_host_api *host)
{
	(void)host;
	return &abi10_plugin;
}
