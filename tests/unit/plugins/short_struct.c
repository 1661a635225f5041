/* short_struct.c — a descriptor smaller than ABI 1.0's. */
#include "common.h"

static const struct lvsd_plugin desc = {
	.abi_major = LVSD_ABI_MAJOR, .abi_minor = 0, .struct_size = 16,
	.kind = LVSD_PLUGIN_SCHEDULER, .name = "short",
	.ops = &t_ops, .ops_size = sizeof(t_ops),
};

LVSD_EXPORT const struct lvsd_plugin *
lvsd_plugin_entry_v1(const struct lvsd_host_api *host)
{
	(void)host;
	return &desc;
}
