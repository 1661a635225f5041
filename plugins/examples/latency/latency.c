/* latency.c — an example lvsd scheduler plugin, built out of the tree
 * against the installed SDK only (see lvsd-plugin(7)):
 *   cc $(pkg-config --cflags --libs lvsd-plugin) -o latency.so latency.c
 *   install latency.so "$(pkg-config --variable=plugindir lvsd-plugin)"
 * The kernel runs wlc; each real server's weight follows the smoothed
 * latency of its successful checks: within ref_ms (an option of the
 * [virtual_server], default 10) it keeps the full weight, slower ones get
 * ref / latency of it. Shows the three parts of a scheduler that weighs:
 *  - an option, checked at configuration time (lvsd -t names FILE:LINE);
 *  - per-real-server state, made by rs_attach and freed by rs_detach;
 *  - samples told apart by latency_sample_us: the weight hook runs at
 *    every reconcile, far more often than checks report. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lvsd/plugin.h>

#define DEFAULT_REF_MS 10
#define ALPHA 0.5 /* weight of a new sample in the moving average */

/* One real server's state. */
struct lat_rs {
	double ref_us;      /* from ref_ms */
	double avg_us;      /* moving average, 0: no sample yet */
	uint64_t sample_us; /* the last sample counted (latency_sample_us) */
};

/* ref_ms = 1..60000: the latency that still gets the full weight. */
static int parse_ref_ms(const char *value, long *ms)
{
	char *end;

	*ms = strtol(value, &end, 10);
	return *end || end == value || *ms < 1 || *ms > 60000 ? -EINVAL : 0;
}

static int latency_option(void *plugin, const char *key, const char *value,
			  char *err, size_t errlen)
{
	long ms;

	(void)plugin;
	if (strcmp(key, "ref_ms") != 0)
		return -ENOENT; /* lvsd: "neither a virtual_server key nor..." */
	if (parse_ref_ms(value, &ms) < 0) {
		snprintf(err, errlen, "expected milliseconds 1..60000, got '%s'",
			 value);
		return -EINVAL;
	}
	return 0;
}

static int latency_attach(void *plugin, const struct lvsd_rs_info *rs,
			  void **state)
{
	struct lat_rs *s = calloc(1, sizeof(*s));
	long ms = DEFAULT_REF_MS;

	(void)plugin;
	if (!s)
		return -ENOMEM;
	/* The options were checked by latency_option; a reload that changes
	 * them detaches and attaches again, so they are read here once. */
	for (size_t i = 0; i < rs->n_opts; i++)
		if (strcmp(rs->opts[i].key, "ref_ms") == 0)
			parse_ref_ms(rs->opts[i].value, &ms);
	s->ref_us = 1000.0 * (double)ms;
	*state = s;
	return 0;
}

static void latency_detach(void *plugin, void *state)
{
	(void)plugin;
	free(state);
}

static int latency_weight(void *plugin, const struct lvsd_rs_info *rs,
			  double *factor)
{
	struct lat_rs *s = rs->state; /* set: rs_attach succeeded */

	(void)plugin;
	if (rs->latency_sample_us && rs->latency_sample_us != s->sample_us) {
		s->sample_us = rs->latency_sample_us; /* count each sample once */
		s->avg_us = s->avg_us == 0.0
				    ? rs->last_latency_us
				    : (1.0 - ALPHA) * s->avg_us + ALPHA * rs->last_latency_us;
	}
	if (s->avg_us == 0.0)
		return -1; /* no latency yet: the core counts factor 1 */
	*factor = s->avg_us <= s->ref_us ? 1.0 : s->ref_us / s->avg_us;
	return 0;
}

static const struct lvsd_scheduler_ops latency_ops = {
	.size = sizeof(struct lvsd_scheduler_ops),
	.kernel_name = "wlc",
	.weight = latency_weight,
	.option = latency_option,
	.rs_attach = latency_attach,
	.rs_detach = latency_detach,
};

static const struct lvsd_plugin latency_plugin = {
	LVSD_PLUGIN_HEAD(LVSD_PLUGIN_SCHEDULER, "latency", "1.1",
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
