/* wrong_major.c — exports the v1 entry but says it was built for ABI 2. */
#include "common.h"

static const struct lvsd_plugin desc = {
	.abi_major = 2, .abi_minor = 0, .struct_size = sizeof(struct lvsd_plugin),
	.kind = LVSD_PLUGIN_SCHEDULER, .name = "wrongmajor",
	.ops = &t_ops, .ops_size = sizeof(t_ops),
};

LVSD_EXPORT const struct lvsd_plugin *
lvsd_plugin_entry_v1(const struct lvsd_host_api *host)
{
	(void)host;
	return &desc;
}
