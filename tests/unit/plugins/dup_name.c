/* dup_name.c — a second plugin named like good.c. */
#include "common.h"

static const struct lvsd_plugin desc = {
	LVSD_PLUGIN_HEAD(LVSD_PLUGIN_SCHEDULER, "testgood", "2.0", "dup"),
	.ops = &t_ops, .ops_size = sizeof(t_ops),
};

LVSD_EXPORT const struct lvsd_plugin *
lvsd_plugin_entry_v1(const struct lvsd_host_api *host)
{
	(void)host;
	return &desc;
}
