/* schedrs.c — scheduler plugins at configuration and run time (see
 * schedrs.h and <lvsd/plugin.h>'s struct lvsd_scheduler_ops). */
#include "schedrs.h"

#include <errno.h>
#include <linux/ip_vs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

_Static_assert(LVSD_SCHED_FLAG_1 == IP_VS_SVC_F_SCHED1 &&
		       LVSD_SCHED_FLAG_2 == IP_VS_SVC_F_SCHED2 &&
		       LVSD_SCHED_FLAG_3 == IP_VS_SVC_F_SCHED3,
	       "the published scheduler flag bits are the kernel's");

int schedrs_flag(const struct plugin *p, const char *sched, const char *flag,
		 uint32_t *bit, char *err, size_t errlen)
{
	static const struct lvsd_sched_flag generic[] = {
		{ "flag-1", LVSD_SCHED_FLAG_1 },
		{ "flag-2", LVSD_SCHED_FLAG_2 },
		{ "flag-3", LVSD_SCHED_FLAG_3 },
		{ NULL, 0 },
	};
	const struct lvsd_sched_flag *tabs[2] = { p ? p->ops.sched.flags : NULL,
						  generic };

	for (int k = 0; k < 2; k++)
		for (const struct lvsd_sched_flag *f = tabs[k]; f && f->name; f++) {
			if (strcmp(f->name, flag) != 0)
				continue;
			if (!f->bit || (f->bit & ~LVSD_SCHED_FLAG_MASK)) {
				snprintf(err, errlen,
					 "flag '%s' of scheduler %s sets bits 0x%x, not scheduler flag bits (LVSD_SCHED_FLAG_MASK 0x%x): a fault of the plugin",
					 flag, sched, f->bit, LVSD_SCHED_FLAG_MASK);
				return -EINVAL;
			}
			*bit = f->bit;
			return 0;
		}
	snprintf(err, errlen, "unknown flag '%s' for scheduler %s", flag, sched);
	return -ENOENT;
}

int schedrs_option(const struct plugin *p, const char *key, const char *value,
		   char *err, size_t errlen)
{
	int r;

	if (!p || !p->ops.sched.option) /* zero-extended before ABI 1.2 */
		return -ENOENT;
	if (errlen)
		err[0] = '\0';
	r = p->ops.sched.option(p->ctx, key, value, err, errlen);
	if (errlen)
		err[errlen - 1] = '\0';
	return r < 0 ? r : 0;
}

/* ----------------------------------------------------------- run time */

static int in_hook;

int schedrs_in_hook(void) { return in_hook; }

/* The options of a virtual server as the ABI hands them: kv is reused
 * (grown) from one call to the next. */
struct kvbuf {
	struct lvsd_kv *v;
	size_t cap;
	const struct model_vs *of;
};

static int kv_fill(struct kvbuf *b, const struct model_vs *vs)
{
	if (b->of == vs)
		return 0;
	if (vs->n_sched_opts > b->cap) {
		struct lvsd_kv *nv = realloc(b->v, vs->n_sched_opts * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		b->v = nv;
		b->cap = vs->n_sched_opts;
	}
	for (size_t i = 0; i < vs->n_sched_opts; i++) {
		b->v[i].key = vs->sched_opts[i].key;
		b->v[i].value = vs->sched_opts[i].value;
	}
	b->of = vs;
	return 0;
}

static void info_of(const struct srv *s, const struct kvbuf *b,
		    struct lvsd_rs_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->vs_name = s->vs_name;
	info->addr = s->addr;
	info->port = s->port;
	info->config_weight = s->cfg->weight;
	info->up = s->up;
	info->last_latency_us = s->last_latency_us;
	info->latency_sample_us = s->latency_at_us;
	info->state = s->sched_state;
	info->opts = s->vs->n_sched_opts ? b->v : NULL;
	info->n_opts = s->vs->n_sched_opts;
}

/* What a real server is attached with: the scheduler and its options. */
static uint64_t sched_key(const struct model_vs *vs)
{
	uint64_t h = 1469598103934665603ull;
	const char *parts[2];

	for (const char *c = vs->scheduler; *c; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211ull;
	for (size_t j = 0; j < vs->n_sched_opts; j++) {
		parts[0] = vs->sched_opts[j].key;
		parts[1] = vs->sched_opts[j].value;
		for (int k = 0; k < 2; k++) {
			h = (h ^ 0xff) * 1099511628211ull;
			for (const char *c = parts[k]; *c; c++)
				h = (h ^ (unsigned char)*c) * 1099511628211ull;
		}
	}
	return h ? h : 1;
}

void schedrs_gone(struct srv *s)
{
	const struct plugin *p = s->sched;

	if (p && p->ops.sched.rs_detach) {
		in_hook++;
		p->ops.sched.rs_detach(p->ctx, s->sched_state);
		in_hook--;
	}
	s->sched = NULL;
	s->sched_state = NULL;
	s->sched_key = 0;
}

void schedrs_detach_all(struct srv_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		schedrs_gone(t->v[i]);
}

void schedrs_sync(struct srv_table *t, const struct plugin_set *ps)
{
	struct kvbuf b = { 0 };
	char ap[80];

	for (size_t i = 0; i < t->n; i++) {
		struct srv *s = t->v[i];
		const struct plugin *p = plugin_find(ps, LVSD_PLUGIN_SCHEDULER,
						     s->vs->scheduler);
		uint64_t key = sched_key(s->vs);
		struct lvsd_rs_info info;
		void *state = NULL;
		int r;

		if (s->sched == p && s->sched_key == key)
			continue;
		schedrs_gone(s); /* the old scheduler or options */
		s->sched_key = key; /* tried: a refusal is not retried */
		if (!p || !p->ops.sched.rs_attach)
			continue;
		if (kv_fill(&b, s->vs) < 0) {
			log_err("scheduler %s: out of memory", p->desc.name);
			continue;
		}
		info_of(s, &b, &info);
		in_hook++;
		r = p->ops.sched.rs_attach(p->ctx, &info, &state);
		in_hook--;
		if (r < 0) {
			log_warnx("scheduler %s refused real server %s (%s): %s; it runs without the scheduler's weight",
				  p->desc.name,
				  model_addrport_str(&s->addr, s->port, ap, sizeof(ap)),
				  s->vs_name, strerror(-r));
			continue;
		}
		s->sched = p;
		s->sched_state = state;
	}
	free(b.v);
}

void schedrs_weigh(struct srv_table *t, const struct plugin_set *ps)
{
	struct kvbuf b = { 0 };

	in_hook++;
	for (size_t i = 0; i < t->n; i++) {
		struct srv *s = t->v[i];
		const struct plugin *p = plugin_find(ps, LVSD_PLUGIN_SCHEDULER,
						     s->vs->scheduler);
		struct lvsd_rs_info info;
		double f = 1.0;

		s->has_factor = 0;
		s->factor = 1.0;
		if (!p || !p->ops.sched.weight ||
		    (p->ops.sched.rs_attach && s->sched != p) ||
		    kv_fill(&b, s->vs) < 0)
			continue;
		info_of(s, &b, &info);
		s->has_factor = p->ops.sched.weight(p->ctx, &info, &f) == 0;
		s->factor = f;
	}
	in_hook--;
	free(b.v);
}
