/* sched_probe.c — a scheduler that reports what the core does with the
 * scheduler ABI 1.2 (tests/unit/sched_plugin.sh): options, rs_attach and
 * rs_detach (live count), latency samples, weigh_soon from its own timer.
 * (Bad flag tables: sched_flagtab.c.) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lvsd/plugin.h>

static const struct lvsd_host_api *H;
static int live, ticked;
static struct lvsd_timer *tick;

struct st {
	double factor;
	uint64_t last_sample;
};

static const struct lvsd_sched_flag probe_flags[] = {
	{ "fallback", LVSD_SCHED_FLAG_1 },
	{ NULL, 0 },
};

static int probe_option(void *plugin, const char *key, const char *value,
			char *err, size_t errlen)
{
	double f;
	char *end;

	(void)plugin;
	if (strcmp(key, "factor"))
		return -ENOENT;
	f = strtod(value, &end);
	if (*end || end == value || !(f >= 0.0 && f <= 1.0)) {
		snprintf(err, errlen, "expected 0..1, got '%s'", value);
		return -EINVAL;
	}
	return 0;
}

static void on_tick(void *arg)
{
	(void)arg;
	tick = NULL;
	ticked = 1;
	H->log(H->host, LVSD_LOG_NOTICE, "probe: tick, weigh_soon");
	H->weigh_soon(H->host);
}

static int probe_attach(void *plugin, const struct lvsd_rs_info *rs, void **state)
{
	struct st *s = calloc(1, sizeof(*s));

	(void)plugin;
	if (!s)
		return -ENOMEM;
	s->factor = 1.0;
	for (size_t i = 0; i < rs->n_opts; i++)
		if (!strcmp(rs->opts[i].key, "factor"))
			s->factor = strtod(rs->opts[i].value, NULL);
	*state = s;
	live++;
	H->log(H->host, LVSD_LOG_NOTICE, "probe: attach %s port %u factor %g live=%d",
	       rs->vs_name, rs->port, s->factor, live);
	if (!ticked && !tick)
		tick = H->timer_add(H->host, 500, on_tick, NULL);
	return 0;
}

static void probe_detach(void *plugin, void *state)
{
	(void)plugin;
	free(state);
	live--;
	H->log(H->host, LVSD_LOG_NOTICE, "probe: detach live=%d", live);
}

static int probe_weight(void *plugin, const struct lvsd_rs_info *rs, double *factor)
{
	struct st *s = rs->state;

	(void)plugin;
	if (!s)
		return -1;
	if (rs->latency_sample_us && rs->latency_sample_us != s->last_sample) {
		s->last_sample = rs->latency_sample_us;
		H->log(H->host, LVSD_LOG_NOTICE, "probe: sample %llu latency %u",
		       (unsigned long long)rs->latency_sample_us, rs->last_latency_us);
	}
	*factor = ticked ? s->factor : 1.0;
	return 0;
}

static const struct lvsd_scheduler_ops probe_ops = {
	.size = sizeof(struct lvsd_scheduler_ops),
	.kernel_name = "wrr",
	.flags = probe_flags,
	.weight = probe_weight,
	.option = probe_option,
	.rs_attach = probe_attach,
	.rs_detach = probe_detach,
};

static int probe_init(const struct lvsd_host_api *host, void **plugin)
{
	H = host;
	*plugin = &live;
	return 0;
}

static void probe_fini(void *plugin)
{
	(void)plugin;
	if (tick)
		H->timer_del(H->host, tick);
	H->log(H->host, LVSD_LOG_NOTICE, "probe: fini live=%d", live);
}

static const struct lvsd_plugin probe_desc = {
	LVSD_PLUGIN_HEAD(LVSD_PLUGIN_SCHEDULER, "probe", "1.0",
			 "reports the scheduler ABI 1.2 calls (test)"),
	.ops = &probe_ops,
	.ops_size = sizeof(probe_ops),
	.init = probe_init,
	.fini = probe_fini,
};

LVSD_EXPORT const struct lvsd_plugin *lvsd_plugin_entry_v1(const struct lvsd_host_api *host)
{
	(void)host;
	return &probe_desc;
}
