/* missing_op.c — a checker without its mandatory run() op. */
#include "common.h"

static int opt(void *p, const char *k, const char *v, char *e, size_t n)
{
	(void)p; (void)k; (void)v; (void)e; (void)n;
	return 0;
}

static const struct lvsd_checker_ops c_ops = {
	.size = sizeof(struct lvsd_checker_ops), .check_option = opt,
};

static const struct lvsd_plugin desc = {
	LVSD_PLUGIN_HEAD(LVSD_PLUGIN_CHECKER, "norun", "1.0", "test"),
	.ops = &c_ops, .ops_size = sizeof(c_ops),
};

LVSD_EXPORT const struct lvsd_plugin *
lvsd_plugin_entry_v1(const struct lvsd_host_api *host)
{
	(void)host;
	return &desc;
}
