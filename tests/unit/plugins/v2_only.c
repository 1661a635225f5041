/* v2_only.c — a plugin for a future ABI 2: only lvsd_plugin_entry_v2. */
#include "common.h"

LVSD_EXPORT const void *lvsd_plugin_entry_v2(const void *host);
LVSD_EXPORT const void *lvsd_plugin_entry_v2(const void *host)
{
	(void)host;
	return 0;
}
