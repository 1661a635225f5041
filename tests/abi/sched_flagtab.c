/* sched_flagtab.c — a scheduler whose init leaves *plugin NULL (its fini is
 * still due) and whose flag table is bent by -DTABLE=N
 * (tests/unit/sched_plugin.sh): the loader refuses a bad table. */
#include <lvsd/plugin.h>

#ifndef TABLE
#define TABLE 0
#endif

static const struct lvsd_host_api *H;

static const struct lvsd_sched_flag flagtab_flags[] = {
	{ "fallback", LVSD_SCHED_FLAG_1 },
#if TABLE == 1 /* bits outside the mask, mixed: 0x4 is stray */
	{ "mixed", 0x000cu },
#elif TABLE == 2 /* no bit */
	{ "none", 0 },
#elif TABLE == 3 /* the same name twice */
	{ "fallback", LVSD_SCHED_FLAG_2 },
#elif TABLE == 4 /* a comma in the name */
	{ "a,b", LVSD_SCHED_FLAG_2 },
#elif TABLE == 5 /* a blank in the name */
	{ "a b", LVSD_SCHED_FLAG_2 },
#elif TABLE == 6 /* shadows the core's generic name */
	{ "flag-2", LVSD_SCHED_FLAG_2 },
#elif TABLE == 7 /* an empty name */
	{ "", LVSD_SCHED_FLAG_2 },
#endif
	{ NULL, 0 },
};

static const struct lvsd_scheduler_ops flagtab_ops = {
	.size = sizeof(struct lvsd_scheduler_ops),
	.kernel_name = "mh",
	.flags = flagtab_flags,
};

static int flagtab_init(const struct lvsd_host_api *host, void **plugin)
{
	H = host;
	*plugin = NULL; /* no state: fini is still called */
	H->log(H->host, LVSD_LOG_NOTICE, "flagtab: init");
	return 0;
}

static void flagtab_fini(void *plugin)
{
	H->log(H->host, LVSD_LOG_NOTICE, "flagtab: fini plugin=%s",
	       plugin ? "set" : "NULL");
}

static const struct lvsd_plugin flagtab_desc = {
	LVSD_PLUGIN_HEAD(LVSD_PLUGIN_SCHEDULER, "flagtab", "1.0",
			 "a flag table bent at build time (test)"),
	.ops = &flagtab_ops,
	.ops_size = sizeof(flagtab_ops),
	.init = flagtab_init,
	.fini = flagtab_fini,
};

LVSD_EXPORT const struct lvsd_plugin *lvsd_plugin_entry_v1(const struct lvsd_host_api *host)
{
	(void)host;
	return &flagtab_desc;
}
