/* latency.c — an example lvsd scheduler plugin, built out of the tree
 * against the installed SDK only (see lvsd-plugin(7)):
 *   cc $(pkg-config --cflags lvsd-plugin) -shared -fPIC -o latency.so latency.c
 *   install latency.so "$(pkg-config --variable=plugindir lvsd-plugin)"
 * The kernel runs wlc; each real server's weight follows the latency of
 * its last successful check: a check answered within REF_US keeps the
 * full weight, a slower one gets REF_US / latency of it. */
#include <lvsd/plugin.h>

#define REF_US 10000.0 /* 10 ms */

static int latency_weight(void *plugin, const struct lvsd_rs_info *rs,
			  double *factor)
{
	(void)plugin;
	if (!LVSD_HAS_FIELD(rs->size, struct lvsd_rs_info, last_latency_us) ||
	    rs->last_latency_us == 0)
		return -1; /* no latency yet: the core counts factor 1 */
	*factor = REF_US / rs->last_latency_us;
	if (*factor > 1.0)
		*factor = 1.0;
	return 0;
}

static const struct lvsd_scheduler_ops latency_ops = {
	.size = sizeof(struct lvsd_scheduler_ops),
	.kernel_name = "wlc",
	.weight = latency_weight,
};

static const struct lvsd_plugin latency_plugin = {
	LVSD_PLUGIN_HEAD(LVSD_PLUGIN_SCHEDULER, "latency", "1.0",
			 "wlc with weights that follow the check latency (example)"),
	.ops = &latency_ops,
	.ops_size = sizeof(latency_ops),
};

LVSD_EXPORT const struct lvsd_plugin *
lvsd_plugin_entry_v1(const struct lvsd_host_api *host)
{
	(void)host;
	return &latency_plugin;
}
