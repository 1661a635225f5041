/* good.c — a well-formed scheduler plugin. */
#include "common.h"

static const struct lvsd_plugin desc = {
	LVSD_PLUGIN_HEAD(LVSD_PLUGIN_SCHEDULER, "testgood", "1.0", "test"),
	.ops = &t_ops, .ops_size = sizeof(t_ops), .init = t_init,
};

LVSD_EXPORT const struct lvsd_plugin *
lvsd_plugin_entry_v1(const struct lvsd_host_api *host)
{
	host->log(host->host, LVSD_LOG_INFO, "hello from %s", desc.name);
	return &desc;
}
