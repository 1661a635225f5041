/* acme_mh.c — issue 18's vendor scheduler: mh as acme-mh, flags fallback/port, slow backends back off (sdk.sh) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lvsd/plugin.h>

struct acme_rs { double slow_us, avg_us; uint64_t seen; }; /* per real server */
static const struct lvsd_sched_flag acme_flags[] = {
	{ "fallback", LVSD_SCHED_FLAG_1 }, { "port", LVSD_SCHED_FLAG_2 }, { NULL, 0 } };
static int acme_option(void *p, const char *key, const char *value, char *err, size_t len)
{
	char *end; long us = strtol(value, &end, 10);
	(void)p;
	if (strcmp(key, "slow_us"))
		return -ENOENT;
	if (*end || end == value || us < 1 || us > 60000000) {
		snprintf(err, len, "expected 1..60000000 (us), got '%s'", value);
		return -EINVAL;
	}
	return 0;
}

static int acme_attach(void *p, const struct lvsd_rs_info *rs, void **state)
{
	struct acme_rs *s = calloc(1, sizeof(*s));
	(void)p;
	if (!s)
		return -ENOMEM;
	s->slow_us = 50000; /* 50 ms unless slow_us = ... (checked by acme_option) */
	for (size_t i = 0; i < rs->n_opts; i++)
		if (!strcmp(rs->opts[i].key, "slow_us"))
			s->slow_us = atol(rs->opts[i].value);
	*state = s;
	return 0;
}

static void acme_detach(void *p, void *state) { (void)p; free(state); }
static int acme_weight(void *p, const struct lvsd_rs_info *rs, double *factor)
{
	struct acme_rs *s = rs->state;
	(void)p;
	if (rs->latency_sample_us != s->seen) { /* a new sample: smooth it */
		s->avg_us = s->seen ? 0.7 * s->avg_us + 0.3 * rs->last_latency_us : rs->last_latency_us;
		s->seen = rs->latency_sample_us;
	}
	*factor = s->avg_us > s->slow_us ? s->slow_us / s->avg_us : 1.0;
	return 0;
}
static const struct lvsd_scheduler_ops acme_ops = { .size = sizeof(acme_ops),
	.kernel_name = "mh", .flags = acme_flags, .weight = acme_weight,
	.option = acme_option, .rs_attach = acme_attach, .rs_detach = acme_detach };
static const struct lvsd_plugin acme_desc = { .ops = &acme_ops, .ops_size = sizeof(acme_ops),
	LVSD_PLUGIN_HEAD(LVSD_PLUGIN_SCHEDULER, "acme-mh", "1.0", "mh, backing off slow backends") };
LVSD_EXPORT const struct lvsd_plugin *lvsd_plugin_entry_v1(const struct lvsd_host_api *h)
{
	(void)h;
	return &acme_desc;
}
