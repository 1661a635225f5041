/* common.h — a minimal scheduler descriptor for the loader's test plugins;
 * each plugin file bends one thing to see that the loader refuses it. */
#include <errno.h>
#include <lvsd/plugin.h>

static int inits;

__attribute__((unused)) static int t_init(const struct lvsd_host_api *host, void **ctx)
{
	(void)host;
	*ctx = &inits;
	inits++;
	return 0;
}

__attribute__((unused)) static const struct lvsd_scheduler_ops t_ops = {
	.size = sizeof(struct lvsd_scheduler_ops),
	.kernel_name = "wlc",
};
