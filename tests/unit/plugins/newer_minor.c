/* newer_minor.c — built against a newer minor than this core has. */
#include "common.h"

static const struct lvsd_plugin desc = {
	.abi_major = LVSD_ABI_MAJOR, .abi_minor = LVSD_ABI_MINOR + 1,
	.struct_size = sizeof(struct lvsd_plugin),
	.kind = LVSD_PLUGIN_SCHEDULER, .name = "newerminor",
	.ops = &t_ops, .ops_size = sizeof(t_ops),
};

LVSD_EXPORT const struct lvsd_plugin *
lvsd_plugin_entry_v1(const struct lvsd_host_api *host)
{
	(void)host;
	return &desc;
}
