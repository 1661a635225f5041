/* agent.c — agent checks (see agent.h). The reading path: agent_sync →
 * one agent_check per real server → on_timer → the AGENT plugin's run() →
 * agent_check_done → apply (the plugin input, logged when it changes) →
 * hooks.changed (the reconciler). A reply without a factor keeps the last
 * factor and one without a state word keeps the last hint (HAProxy's
 * rule); no answer clears both (factor 1, no hint); a bad reply (the
 * plugin logged it) changes nothing. */
#include "agent.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkproc.h"
#include "hidx.h"
#include "log.h"
#include "loop.h"

/* The plugin sees it as its `struct lvsd_check *` handle; the core tells
 * it apart from health.c's by agent_owns() (an index of our pointers),
 * never by looking inside. */
struct agent_check {
	struct agent *a;
	struct srv *s;                /* NULL once its real server is gone */
	/* definition */
	struct lvsd_check_target target;
	uint32_t interval_ms;
	uint32_t weight;              /* config weight, for "weight:N" */
	const struct plugin *plugin;
	void *state;
	/* run-time */
	struct loop_timer *timer;
	int running;
	int marked;
};

struct agent {
	struct loop *loop;
	const struct plugin_set *plugins;
	struct agent_hooks hooks;
	struct agent_check **v;
	size_t n;
	struct hidx idx;              /* pointer -> position in v */
	struct checkproc *cp;         /* NULL: checks run in-process */
};

static uint64_t ptr_hash(const void *p)
{
	return hidx_hash(&p, sizeof(p), HIDX_SEED);
}

struct ptr_key {
	const struct agent *a;
	const void *p;
};

static int ptr_eq(const void *arg, size_t pos)
{
	const struct ptr_key *k = arg;

	return (const void *)k->a->v[pos] == k->p;
}

bool agent_owns(const struct agent *a, const struct lvsd_check *check)
{
	struct ptr_key k = { a, check };

	return a && a->n && hidx_find(&a->idx, ptr_hash(check), ptr_eq, &k) != SIZE_MAX;
}

size_t agent_n_checks(const struct agent *a)
{
	return a ? a->n : 0;
}

static const char *srv_name(const struct srv *s, char *buf, size_t len)
{
	char ap[80];

	snprintf(buf, len, "real server %s (%s)",
		 model_addrport_str(&s->addr, s->port, ap, sizeof(ap)), s->vs_name);
	return buf;
}

/* What a real server's agent check would be. */
static void def_of(const struct srv *s, struct agent_check *d)
{
	const struct model_rs *rs = s->cfg;

	memset(d, 0, sizeof(*d));
	d->target.size = sizeof(d->target);
	d->target.addr = rs->addr;
	d->target.port = rs->agent_port;
	d->target.bind_addr = rs->bind_to;
	d->target.connect_timeout_ms = rs->agent_timeout_ms;
	d->target.fwmark = rs->check_fwmark;
	d->interval_ms = rs->agent_interval_ms;
	d->weight = rs->weight;
}

static bool def_eq(const struct agent_check *c, const struct agent_check *d)
{
	const struct lvsd_check_target *x = &c->target, *y = &d->target;

	return model_addr_eq(&x->addr, &y->addr) && x->port == y->port &&
	       model_addr_eq(&x->bind_addr, &y->bind_addr) &&
	       x->connect_timeout_ms == y->connect_timeout_ms &&
	       x->fwmark == y->fwmark && c->interval_ms == d->interval_ms &&
	       c->weight == d->weight;
}

/* ------------------------------------------------------------ running */

static void on_timer(void *arg);

static void schedule(struct agent_check *c, uint64_t ms)
{
	c->timer = loop_timer_add(c->a->loop, ms, on_timer, c);
	if (!c->timer)
		log_err("agent check: cannot arm its timer; it stops");
}

static void on_timer(void *arg)
{
	struct agent_check *c = arg;
	int r;

	c->timer = NULL; /* the loop frees it */
	c->running = 1;
	r = checkproc_run(c->a->cp, c->plugin, c->state);
	if (r < 0 && c->running) {
		struct lvsd_check_result res = {
			.size = sizeof(res), .outcome = LVSD_CHECK_INTERNAL,
			.detail = "the checker could not start",
		};

		agent_check_done(c->a, (struct lvsd_check *)c, &res);
	}
}

static void clear_input(struct srv *s)
{
	s->agent = LVSD_AGENT_NONE;
	s->agent_has_factor = 0;
	s->agent_factor = 1.0;
}

static const char *hint_str(enum lvsd_agent_hint h)
{
	switch (h) {
	case LVSD_AGENT_NONE: return "no hint";
	case LVSD_AGENT_UP: return "up";
	case LVSD_AGENT_DOWN: return "down";
	case LVSD_AGENT_DRAIN: return "drain";
	}
	return "?";
}

/* One reply, as it applies to the real server's plugin input. Returns 1
 * if the input changed (logged once). */
static int apply(struct srv *s, const struct lvsd_check_result *res)
{
	uint32_t sz = res->size;
	enum lvsd_agent_hint hint = s->agent;
	int has = s->agent_has_factor;
	double f = s->agent_factor;
	char name[160], text[64]; /* the reply's "#text", or why none */

	if (res->outcome == LVSD_CHECK_BAD_RESPONSE)
		return 0; /* logged by the plugin, ignored */
	if (res->outcome != LVSD_CHECK_OK) {
		clear_input(s);
		snprintf(text, sizeof(text), "%s", res->detail ? res->detail : "no answer");
	} else {
		if (LVSD_HAS_FIELD(sz, struct lvsd_check_result, hint) &&
		    res->hint != LVSD_AGENT_NONE && (unsigned)res->hint <= LVSD_AGENT_DRAIN)
			s->agent = res->hint;
		if (LVSD_HAS_FIELD(sz, struct lvsd_check_result, factor) &&
		    res->has_factor && res->factor >= 0.0 && res->factor <= 1.0) {
			s->agent_has_factor = 1;
			s->agent_factor = res->factor;
		}
		snprintf(text, sizeof(text), "%s", res->detail ? res->detail : "");
	}
	if (hint == s->agent && has == s->agent_has_factor &&
	    (!has || f == s->agent_factor))
		return 0;
	if (res->outcome != LVSD_CHECK_OK)
		log_notice("%s agent: no answer (%s): factor 1, no hint",
			   srv_name(s, name, sizeof(name)), text);
	else if (s->agent_has_factor)
		log_notice("%s agent: %s, %.0f%%%s%s",
			   srv_name(s, name, sizeof(name)), hint_str(s->agent),
			   s->agent_factor * 100.0, text[0] ? " # " : "", text);
	else
		log_notice("%s agent: %s%s%s", srv_name(s, name, sizeof(name)),
			   hint_str(s->agent), text[0] ? " # " : "", text);
	return 1;
}

void agent_check_done(struct agent *a, struct lvsd_check *check,
		      const struct lvsd_check_result *res)
{
	struct agent_check *c = (struct agent_check *)check;

	if (!agent_owns(a, check) || !c->running)
		return; /* a late or duplicate report */
	c->running = 0;
	if (c->s && apply(c->s, res) && a->hooks.changed)
		a->hooks.changed(a->hooks.arg);
	schedule(c, c->interval_ms);
}

/* ----------------------------------------------------- checks' lives */

static void check_free(struct agent_check *c)
{
	if (c->timer)
		loop_timer_del(c->a->loop, c->timer);
	if (c->state) {
		if (c->running)
			checkproc_cancel(c->a->cp, c->plugin, c->state);
		checkproc_destroy(c->a->cp, c->plugin, c->state);
	}
	if (c->s && c->s->agent_check == c) {
		c->s->agent_check = NULL;
		clear_input(c->s);
	}
	free(c);
}

static struct agent_check *check_new(struct agent *a, const struct agent_check *d,
				     struct srv *s)
{
	const struct plugin *p = plugin_find(a->plugins, LVSD_PLUGIN_CHECKER,
					     AGENT_CHECKER);
	struct agent_check *c;
	char w[16], name[160];
	struct lvsd_kv opt = { "weight", w };
	int r;

	if (!p) {
		log_err("%s: no checker plugin '%s'; its agent is not asked",
			srv_name(s, name, sizeof(name)), AGENT_CHECKER);
		return NULL;
	}
	if (!(c = malloc(sizeof(*c))))
		return NULL;
	*c = *d;
	c->a = a;
	c->s = s;
	c->plugin = p;
	snprintf(w, sizeof(w), "%u", d->weight);
	r = checkproc_create(a->cp, p, (struct lvsd_check *)c, &c->target,
				&opt, 1, &c->state);
	if (r < 0) {
		log_err("%s: checker %s refused the agent check: %s",
			srv_name(s, name, sizeof(name)), AGENT_CHECKER, strerror(-r));
		c->state = NULL;
		c->s = NULL;
		check_free(c);
		return NULL;
	}
	schedule(c, 0);
	return c;
}

void agent_gone(struct agent *a, struct srv *s)
{
	struct agent_check *c = s->agent_check;

	(void)a;
	if (c) {
		c->s = NULL; /* freed by the next agent_sync's sweep */
		s->agent_check = NULL;
	}
}

int agent_sync(struct agent *a, struct srv_table *t)
{
	struct agent_check **v = NULL;
	size_t n = 0;
	int r = 0;

	for (size_t i = 0; i < a->n; i++)
		a->v[i]->marked = 0;
	if (t->n && !(v = calloc(t->n, sizeof(*v)))) {
		log_err("agent checks: out of memory; unchanged");
		return -ENOMEM;
	}
	for (size_t i = 0; i < t->n; i++) {
		struct srv *s = t->v[i];
		struct agent_check *c = s->agent_check, d;

		if (!s->cfg->agent_port)
			continue;
		def_of(s, &d);
		if (c && def_eq(c, &d)) {
			c->marked = 1;
			v[n++] = c;
			continue;
		}
		c = check_new(a, &d, s);
		if (!c) {
			r = -ENOMEM;
			continue;
		}
		c->marked = 1;
		v[n++] = c;
	}
	/* Sweep the unmarked (unused, replaced, or their server gone), then
	 * point the servers at their (new) checks. */
	for (size_t i = 0; i < a->n; i++)
		if (!a->v[i]->marked)
			check_free(a->v[i]);
	for (size_t i = 0; i < n; i++)
		v[i]->s->agent_check = v[i];
	free(a->v);
	a->v = v;
	a->n = n;
	hidx_clear(&a->idx);
	for (size_t i = 0; i < n; i++)
		if (hidx_add(&a->idx, ptr_hash(v[i]), i) < 0) {
			log_err("agent checks: out of memory indexing them");
			r = -ENOMEM;
		}
	return r;
}

/* -------------------------------------------------------------- life */

int agent_new(struct loop *loop, const struct plugin_set *plugins,
	      const struct agent_hooks *hooks, struct agent **out)
{
	struct agent *a = calloc(1, sizeof(*a));

	if (!a)
		return -ENOMEM;
	a->loop = loop;
	a->plugins = plugins;
	if (hooks)
		a->hooks = *hooks;
	*out = a;
	return 0;
}

void agent_set_checkproc(struct agent *a, struct checkproc *cp)
{
	a->cp = cp;
}

void agent_free(struct agent *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		check_free(a->v[i]);
	free(a->v);
	hidx_free(&a->idx);
	free(a);
}
