/* init_fail.c — a plugin whose init() fails. */
#include "common.h"

static int bad_init(const struct lvsd_host_api *host, void **ctx)
{
	(void)host;
	(void)ctx;
	return -ENODEV;
}

static const struct lvsd_plugin desc = {
	LVSD_PLUGIN_HEAD(LVSD_PLUGIN_SCHEDULER, "initfail", "1.0", "test"),
	.ops = &t_ops, .ops_size = sizeof(t_ops), .init = bad_init,
};

LVSD_EXPORT const struct lvsd_plugin *
lvsd_plugin_entry_v1(const struct lvsd_host_api *host)
{
	(void)host;
	return &desc;
}
