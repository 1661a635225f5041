/* health.c — the health manager (see health.h). The reading path: a
 * timer fires → on_timer → the plugin's run() → health_check_done →
 * apply_result (per real server: the retry rule, transitions, notify) →
 * quorum_eval (per virtual server) → hooks.changed (the reconciler). */
#include "health.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkproc.h"
#include "hidx.h"
#include "kvpack.h"
#include "host.h"
#include "log.h"
#include "loop.h"
#include "outcome.h"

/* One check of one target, shared by every real server that has the same
 * definition (checker, target, options, check parameters). The plugin sees
 * it as its `struct lvsd_check *` handle. */
struct lvsd_check {
	struct health *h;
	struct lvsd_check *next;
	/* definition */
	uint64_t key;                 /* hash of the rest, for a quick compare */
	const char *checker;          /* its plugin's name (plugin_find is exact) */
	struct lvsd_check_target target;
	struct model_check_params params; /* .set is ignored */
	struct lvsd_kv *opts;         /* in the same block (kvpack.h) */
	size_t n_opts;
	const struct plugin *plugin;
	void *state;
	/* the real servers it speaks for: srv is &one (cap 1, the common
	 * case: no allocation) or an allocated array */
	struct srv **srv;
	struct srv *one;
	uint32_t n_srv, cap;
	/* run-time */
	struct loop_timer *timer;
	uint64_t run_us;              /* the run pending or in flight: when it
				       * was due (its timer: the grid point at
				       * or after it, HEALTH_GRID_US) */
	int running;
	int has_run;                  /* a verdict came at least once */
	int ok;                       /* the last verdict */
	uint32_t fails;               /* failed runs in a row */
	uint32_t oks;                 /* successful runs in a row */
	int has_weight;               /* the last OK verdict's own weight */
	uint32_t weight;
	enum lvsd_check_outcome last_outcome;
	char last_detail[80];
	int marked;                   /* health_sync's sweep */
};

struct hvs {
	char name[MODEL_NAME_MAX];
	bool lost;
};

struct health {
	struct loop *loop;
	const struct plugin_set *plugins;
	struct health_hooks hooks;
	struct lvsd_check *checks;
	size_t n_checks;
	struct srv_table *t;
	const struct model *m;
	struct hvs *vs;               /* parallel to m->vs */
	size_t n_vs;
	uint64_t rng;
	struct checkproc *cp;         /* NULL: checks run in-process */
};

/* ------------------------------------------------------------ helpers */

static uint64_t rnd(struct health *h)
{
	/* xorshift64*: only for spreading first runs over warmup. */
	h->rng ^= h->rng >> 12;
	h->rng ^= h->rng << 25;
	h->rng ^= h->rng >> 27;
	return h->rng * 2685821657736338717ull;
}

void health_seed(struct health *h, uint64_t seed)
{
	h->rng = seed ? seed : 0x9e3779b97f4a7c15ull;
}

static uint64_t hash_addr(uint64_t x, const struct lvsd_addr *a)
{
	x = hidx_hash(&a->family, sizeof(a->family), x);
	if (a->family == AF_INET)
		x = hidx_hash(&a->u.v4, sizeof(a->u.v4), x);
	else if (a->family == AF_INET6)
		x = hidx_hash(&a->u.v6, sizeof(a->u.v6), x);
	return x;
}

/* What a real server's check would be, without allocating. */
struct def {
	const char *checker;
	struct lvsd_check_target target;
	struct model_check_params params;
	const struct model_kv *opts;
	size_t n_opts;
	uint64_t key;
};

static void def_of(const struct srv *s, struct def *d)
{
	const struct model_rs *rs = s->cfg;
	uint64_t x = HIDX_SEED;

	memset(d, 0, sizeof(*d));
	d->checker = rs->checker;
	d->target.size = sizeof(d->target);
	d->target.addr = rs->connect_ip.family ? rs->connect_ip : rs->addr;
	d->target.port = rs->connect_port ? rs->connect_port : rs->port;
	d->target.bind_addr = rs->bind_to;
	d->target.connect_timeout_ms = rs->check.connect_timeout_ms;
	d->target.fwmark = rs->check_fwmark;
	d->params = rs->check;
	d->params.set = 0;
	d->opts = rs->opts;
	d->n_opts = rs->n_opts;
	x = hidx_hash(d->checker, strlen(d->checker) + 1, x);
	x = hash_addr(x, &d->target.addr);
	x = hidx_hash(&d->target.port, sizeof(d->target.port), x);
	x = hash_addr(x, &d->target.bind_addr);
	x = hidx_hash(&d->target.connect_timeout_ms, sizeof(uint32_t), x);
	x = hidx_hash(&d->target.fwmark, sizeof(uint32_t), x);
	x = hidx_hash(&d->params, sizeof(d->params), x);
	for (size_t i = 0; i < d->n_opts; i++) {
		x = hidx_hash(d->opts[i].key, strlen(d->opts[i].key) + 1, x);
		x = hidx_hash(d->opts[i].value, strlen(d->opts[i].value) + 1, x);
	}
	d->key = x;
}

static bool def_eq(const struct lvsd_check *c, const struct def *d)
{
	const struct lvsd_check_target *a = &c->target, *b = &d->target;

	if (c->key != d->key || strcmp(c->checker, d->checker) != 0 ||
	    !model_addr_eq(&a->addr, &b->addr) || a->port != b->port ||
	    !model_addr_eq(&a->bind_addr, &b->bind_addr) ||
	    a->connect_timeout_ms != b->connect_timeout_ms ||
	    a->fwmark != b->fwmark ||
	    memcmp(&c->params, &d->params, sizeof(c->params)) != 0 ||
	    c->n_opts != d->n_opts)
		return false;
	for (size_t i = 0; i < d->n_opts; i++)
		if (strcmp(c->opts[i].key, d->opts[i].key) != 0 ||
		    strcmp(c->opts[i].value, d->opts[i].value) != 0)
			return false;
	return true;
}

static const char *srv_name(const struct srv *s, char *buf, size_t len)
{
	char ap[80], cp[80];
	const struct model_rs *rs = s->cfg;

	if (s->port)
		model_addrport_str(&s->addr, s->port, ap, sizeof(ap));
	else
		model_addr_str(&s->addr, ap, sizeof(ap));
	if (s->port || !rs || !rs->connect_port) {
		snprintf(buf, len, "real server %s (%s)", ap, s->vs_name);
		return buf;
	}
	/* port-less (a group's): the address the check connects to */
	model_addrport_str(rs->connect_ip.family ? &rs->connect_ip : &s->addr,
			   rs->connect_port, cp, sizeof(cp));
	if (snprintf(buf, len, "real server %s (%s, checked at %s)", ap,
		     s->vs_name, cp) < 0)
		buf[0] = '\0';
	return buf;
}

static void notify(struct health *h, const struct model_strv *argv,
		   const char *what)
{
	int r;

	if (!argv->n)
		return;
	if (!h->hooks.spawn) {
		log_info("%s: not run (no spawner): %s", what, argv->v[0]);
		return;
	}
	r = h->hooks.spawn(h->hooks.arg, (const char *const *)argv->v,
			   HEALTH_NOTIFY_TIMEOUT_MS);
	if (r < 0)
		log_err("%s: cannot run %s: %s", what, argv->v[0], strerror(-r));
}

/* ------------------------------------------------------------- quorum */

/* The live weight of every virtual server of h->m in one pass over the
 * servers: sum[i] for vs[i] (O(servers), not O(servers) per virtual
 * server: 1,000 x 50,000 at a reload). NULL: out of memory. */
static uint64_t *live_weights(const struct health *h)
{
	uint64_t *sum = calloc(h->m->n_vs + 1, sizeof(*sum));

	for (size_t i = 0; sum && i < h->t->n; i++) {
		const struct srv *s = h->t->v[i];
		size_t k = (size_t)(s->vs - h->m->vs);

		if (s->up && s->vs >= h->m->vs && k < h->m->n_vs)
			sum[k] += s->has_op_weight ? s->op_weight
				  : s->has_check_weight ? s->check_weight
				  : s->cfg->weight;
	}
	return sum;
}

/* keepalived's rule: lost below quorum - hysteresis, regained at quorum +
 * hysteresis; in between the state stays. init: a new virtual server, whose
 * state is set without a quorum_up (nothing was lost). Returns 1 if the
 * state changed. */
static int quorum_eval(struct health *h, size_t i, uint64_t live, bool init)
{
	const struct model_vs *vs = &h->m->vs[i];
	struct hvs *q = &h->vs[i];
	int64_t sum = (int64_t)live;
	int64_t lo = (int64_t)vs->quorum - (int64_t)vs->hysteresis;
	int64_t hi = (int64_t)vs->quorum + (int64_t)vs->hysteresis;
	char sorry[96] = "", ap[80];

	if (q->lost && sum >= hi) {
		q->lost = false;
		if (vs->sorry_server.family)
			snprintf(sorry, sizeof(sorry), "; sorry server withdrawn");
		log_notice("virtual server %s: quorum regained: live weight %lld >= quorum %u + hysteresis %u%s",
			   vs->name, (long long)sum, vs->quorum, vs->hysteresis, sorry);
		if (!init)
			notify(h, &vs->quorum_up, "quorum_up");
		/* SNMP notification (snmp.c) */
		if (!init && h->hooks.quorum_changed)
			h->hooks.quorum_changed(h->hooks.arg, vs, false);
		return 1;
	}
	if ((!q->lost || init) && sum < lo) {
		q->lost = true;
		if (vs->sorry_server.family)
			snprintf(sorry, sizeof(sorry), "; sorry server %s in use",
				 model_addrport_str(&vs->sorry_server,
						    vs->sorry_port ? vs->sorry_port : vs->port,
						    ap, sizeof(ap)));
		log_notice("virtual server %s: quorum lost: live weight %lld < quorum %u - hysteresis %u%s",
			   vs->name, (long long)sum, vs->quorum, vs->hysteresis, sorry);
		notify(h, &vs->quorum_down, "quorum_down");
		/* SNMP notification (snmp.c) */
		if (h->hooks.quorum_changed)
			h->hooks.quorum_changed(h->hooks.arg, vs, true);
		return 1;
	}
	return 0;
}

static size_t vs_index(const struct health *h, const struct model_vs *vs)
{
	if (h->m && vs >= h->m->vs && vs < h->m->vs + h->m->n_vs)
		return (size_t)(vs - h->m->vs);
	return SIZE_MAX;
}

bool health_quorum_lost(const struct health *h, const struct model_vs *vs)
{
	size_t i = h ? vs_index(h, vs) : SIZE_MAX;

	return i != SIZE_MAX && i < h->n_vs && h->vs[i].lost;
}

/* ------------------------------------------------------ state changes */

/* Set s up or down, once, with the reason. */
static void transition(struct health *h, struct srv *s, int up,
		       const char *why)
{
	char name[160];

	if (s->up == up)
		return;
	s->up = up;
	s->transitions++;
	/* Slow start begins, except for a first up (alpha: the daemon's
	 * start, or a new real server), which is no recovery. */
	if (up && s->transitions > 1)
		s->ready_us = loop_now_us();
	log_notice("%s %s: %s", srv_name(s, name, sizeof(name)),
		   up ? "up" : "down", why);
	notify(h, up ? &s->cfg->notify_up : &s->cfg->notify_down,
	       up ? "notify_up" : "notify_down");
	/* SNMP notification (snmp.c) */
	if (h->hooks.rs_changed)
		h->hooks.rs_changed(h->hooks.arg, s);
}

static void reason(const struct lvsd_check *c, const struct srv *s,
		   char *buf, size_t len)
{
	const char *d = s->last_detail[0] ? s->last_detail
					  : outcome_str(s->last_outcome);

	if (c->ok && c->params.rise > 1)
		snprintf(buf, len, "%s, %u successes in a row (rise %u)", d,
			 c->oks, c->params.rise);
	else if (c->ok || c->params.retry == 0)
		snprintf(buf, len, "%s", d);
	else
		snprintf(buf, len, "%s after %u retr%s", d, c->params.retry,
			 c->params.retry == 1 ? "y" : "ies");
}

/* The check's own weight (misc_dynamic, FILE_CHECK dynamic) for s: 1 if
 * it changed (logged). */
static int apply_weight(struct lvsd_check *c, struct srv *s)
{
	char name[160];

	if (s->has_check_weight == c->has_weight &&
	    (!c->has_weight || s->check_weight == c->weight))
		return 0;
	s->has_check_weight = c->has_weight;
	s->check_weight = c->weight;
	if (c->has_weight)
		log_notice("%s: weight %u from its check (%s)",
			   srv_name(s, name, sizeof(name)), c->weight, c->last_detail);
	else
		log_notice("%s: weight back to the configured %u",
			   srv_name(s, name, sizeof(name)), s->cfg->weight);
	return 1;
}

/* The check's verdict, as it applies to one of its real servers. */
static int apply_to(struct health *h, struct lvsd_check *c, struct srv *s)
{
	char why[160];
	int w = apply_weight(c, s);

	s->fails = c->fails;
	s->oks = c->oks;
	if (c->ok && !s->up && c->oks >= c->params.rise) {
		reason(c, s, why, sizeof(why));
		transition(h, s, 1, why);
		return 1;
	}
	if (!c->ok && s->up && c->fails > c->params.retry) {
		reason(c, s, why, sizeof(why));
		transition(h, s, 0, why);
		return 1;
	}
	return w;
}

static void quorum_all(struct health *h, int changed)
{
	uint64_t *live = h->n_vs ? live_weights(h) : NULL;

	for (size_t i = 0; live && i < h->n_vs; i++)
		changed |= quorum_eval(h, i, live[i], false);
	free(live);
	if (changed && h->hooks.changed)
		h->hooks.changed(h->hooks.arg);
}

/* ------------------------------------------------------------ running */

static void on_timer(void *arg);

/* A run due at due_us starts at the first multiple of HEALTH_GRID_US at
 * or after it, together with every other run due in the same window: one
 * wake-up of the loop and one datagram to the check process for all of
 * them, and for their answers, instead of one each (a run is never early
 * and at most 10 ms late; the next one is counted from when this one was
 * due, so delay_loop's rate is held exactly). */
#define HEALTH_GRID_US 10000u

static void schedule_at(struct lvsd_check *c, uint64_t due_us)
{
	uint64_t at = (due_us + HEALTH_GRID_US - 1) / HEALTH_GRID_US * HEALTH_GRID_US;

	c->run_us = due_us;
	c->timer = loop_timer_at(c->h->loop, at, on_timer, c);
	if (!c->timer)
		log_err("%s check: cannot arm its timer; it stops", c->checker);
}

static void schedule(struct lvsd_check *c, uint64_t ms)
{
	schedule_at(c, loop_now_us() + ms * 1000u);
}

static void on_timer(void *arg)
{
	struct lvsd_check *c = arg;
	int r;

	c->timer = NULL; /* the loop frees it */
	c->running = 1;
	r = checkproc_run(c->h->cp, c->plugin, c->state);
	/* run() may have reported already (and re-armed the timer). */
	if (r < 0 && c->running) {
		struct lvsd_check_result res = {
			.size = sizeof(res), .outcome = LVSD_CHECK_INTERNAL,
		};
		char d[80];

		snprintf(d, sizeof(d), "the checker could not start: %s", strerror(-r));
		res.detail = d;
		health_check_done(c->h, c, &res);
	}
}

void health_check_done(struct health *h, struct lvsd_check *c,
		       const struct lvsd_check_result *res)
{
	int changed = 0, any_up = 0, any_rising = 0;
	uint64_t now = loop_now_us();

	if (!c || !c->running)
		return; /* a late or duplicate report */
	c->running = 0;
	c->has_run = 1;
	c->ok = res->outcome == LVSD_CHECK_OK;
	c->fails = c->ok ? 0 : (c->fails < UINT32_MAX ? c->fails + 1 : c->fails);
	c->oks = !c->ok ? 0 : (c->oks < UINT32_MAX ? c->oks + 1 : c->oks);
	if (c->ok) { /* ABI 1.2: a check's own weight */
		c->has_weight = LVSD_HAS_FIELD(res->size, struct lvsd_check_result,
					       weight) && res->has_weight;
		c->weight = !c->has_weight ? 0
			    : res->weight > WEIGHT_MAX ? WEIGHT_MAX : res->weight;
	}
	c->last_outcome = res->outcome;
	{ /* a copy, cut to fit: no printf per result */
		const char *d = res->detail ? res->detail : outcome_str(res->outcome);
		size_t n = strnlen(d, sizeof(c->last_detail) - 1);

		memcpy(c->last_detail, d, n);
		c->last_detail[n] = '\0';
	}
	for (size_t i = 0; i < c->n_srv; i++) {
		struct srv *s = c->srv[i];

		s->last_outcome = c->last_outcome;
		memcpy(s->last_detail, c->last_detail, sizeof(s->last_detail));
		s->last_check_us = now;
		if (c->ok) {
			s->last_latency_us = res->latency_us;
			s->latency_at_us = now;
			srv_latency_observe(s, res->latency_us);
		}
		/* A health check's hint and factor are ignored: the plugin
		 * input belongs to the agent check (agent.c) alone. */
		changed |= apply_to(h, c, s);
		any_up |= s->up;
		any_rising |= !s->up;
	}
	/* keepalived: while a live server fails, retry after
	 * delay_before_retry until retry+1 failures have put it down; the
	 * same way up: a down server that passes checks again after
	 * delay_before_retry until `rise` successes have put it up. */
	if (!c->ok && any_up && c->fails <= c->params.retry)
		schedule(c, c->params.delay_before_retry_ms);
	else if (c->ok && any_rising && c->oks < c->params.rise)
		schedule(c, c->params.delay_before_retry_ms);
	else /* every delay_loop from when the last run was due, not from
	      * its end: the time a check takes does not stretch the rate */
		schedule_at(c, c->run_us + (uint64_t)c->params.delay_loop_ms * 1000u > now
				       ? c->run_us + (uint64_t)c->params.delay_loop_ms * 1000u
				       : now);
	if (changed)
		quorum_all(h, 1);
}

/* ----------------------------------------------------- checks' lives */

static void check_free(struct lvsd_check *c)
{
	if (c->timer)
		loop_timer_del(c->h->loop, c->timer);
	if (c->state) {
		if (c->running)
			checkproc_cancel(c->h->cp, c->plugin, c->state);
		checkproc_destroy(c->h->cp, c->plugin, c->state);
	}
	for (size_t i = 0; i < c->n_srv; i++)
		if (c->srv[i]->check == c)
			c->srv[i]->check = NULL;
	if (c->srv != &c->one)
		free(c->srv);
	free(c); /* and its options (kvpack.h) */
}

/* A check of s's definition d, started; NULL with why (the plugin's own
 * reason when it logged one) when it cannot be. */
static struct lvsd_check *check_new(struct health *h, const struct def *d,
				    const struct srv *s, char *why, size_t wlen)
{
	const struct plugin *p = plugin_find(h->plugins, LVSD_PLUGIN_CHECKER,
					     d->checker);
	struct lvsd_check *c;
	struct lvsd_kv *c_opts;
	int r;

	snprintf(why, wlen, "out of memory");
	if (!p) {
		snprintf(why, wlen, "no checker plugin '%s'", d->checker);
		return NULL;
	}
	if (!(c = kvpack_alloc_model(sizeof(*c), d->opts, d->n_opts, &c_opts)))
		return NULL;
	c->opts = c_opts;
	c->n_opts = d->n_opts;
	c->h = h;
	c->key = d->key;
	c->checker = p->desc.name;
	c->target = d->target;
	c->params = d->params;
	c->plugin = p;
	host_capture(why, wlen);
	/* c keeps target and opts until check_free destroys the proxy */
	r = checkproc_create_kept(h->cp, p, c, &c->target, c->opts, c->n_opts,
				  &c->state);
	host_capture(NULL, 0);
	if (r < 0) {
		c->state = NULL;
		if (!why[0] || r == -ENOMEM)
			snprintf(why, wlen, "%s", strerror(-r));
		check_free(c);
		return NULL;
	}
	/* keepalived spreads first runs over warmup at random. */
	schedule(c, c->params.warmup_ms ? rnd(h) % ((uint64_t)c->params.warmup_ms + 1)
					: 0);
	c->next = h->checks;
	h->checks = c;
	h->n_checks++;
	return c;
}

static int add_member(struct lvsd_check *c, struct srv *s)
{
	if (!c->cap) {
		c->srv = &c->one;
		c->cap = 1;
	}
	if (c->n_srv == c->cap) {
		struct srv **v;
		uint32_t cap;

		if (c->cap > UINT32_MAX / 2)
			return -ENOMEM;
		cap = 2 * c->cap;
		if (c->srv == &c->one) {
			if (!(v = malloc(cap * sizeof(*v))))
				return -ENOMEM;
			v[0] = c->one;
		} else if (!(v = realloc(c->srv, cap * sizeof(*v)))) {
			return -ENOMEM;
		}
		c->srv = v;
		c->cap = cap;
	}
	c->srv[c->n_srv++] = s;
	return 0;
}

void health_gone(void *arg, struct srv *s)
{
	struct lvsd_check *c = s->check;

	(void)arg;
	if (!c)
		return;
	for (size_t i = 0; i < c->n_srv; i++)
		if (c->srv[i] == s) {
			c->srv[i] = c->srv[--c->n_srv];
			break;
		}
	s->check = NULL;
}

/* A real server joins a check that already has a verdict (a reload added
 * it to a shared check): it takes the check's view at once. */
static int adopt(struct health *h, struct lvsd_check *c, struct srv *s)
{
	if (!c->has_run)
		return 0;
	s->last_outcome = c->last_outcome;
	memcpy(s->last_detail, c->last_detail, sizeof(s->last_detail));
	return apply_to(h, c, s);
}

/* health_sync's index of the checks by definition: the checks in an
 * array and a hidx over it, both with room for the old checks and one new
 * per real server from the start (adding never fails). */
struct idx {
	struct lvsd_check **v;
	size_t n;
	struct hidx h;
};

struct idx_key {
	const struct idx *x;
	const struct def *d;
};

static int idx_eq(const void *arg, size_t pos)
{
	const struct idx_key *k = arg;

	return def_eq(k->x->v[pos], k->d);
}

static void idx_add(struct idx *x, struct lvsd_check *c)
{
	(void)hidx_add(&x->h, c->key, x->n); /* reserved: cannot fail */
	x->v[x->n++] = c;
}

static int idx_build(struct idx *x, struct lvsd_check *list, size_t n,
		     size_t n_more)
{
	memset(x, 0, sizeof(*x));
	if (!(x->v = calloc(n + n_more + 1, sizeof(*x->v))) ||
	    hidx_reserve(&x->h, n + n_more) < 0)
		return -ENOMEM;
	for (struct lvsd_check *c = list; c; c = c->next)
		idx_add(x, c);
	return 0;
}

static struct lvsd_check *idx_find(const struct idx *x, const struct def *d)
{
	struct idx_key k = { x, d };
	size_t pos = hidx_find(&x->h, d->key, idx_eq, &k);

	return pos == SIZE_MAX ? NULL : x->v[pos];
}

static void idx_free(struct idx *x)
{
	hidx_free(&x->h);
	free(x->v);
}

static int sync_vs(struct health *h, const struct model *m)
{
	struct hvs *v = m->n_vs ? calloc(m->n_vs, sizeof(*v)) : NULL;
	bool *fresh = m->n_vs ? calloc(m->n_vs, sizeof(*fresh)) : NULL;

	if (m->n_vs && (!v || !fresh)) {
		free(v);
		free(fresh);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->n_vs; i++) {
		snprintf(v[i].name, sizeof(v[i].name), "%s", m->vs[i].name);
		fresh[i] = true;
	}
	/* Each old one found by name in m (hashed: not n^2 compares). */
	for (size_t j = 0; j < h->n_vs; j++) {
		const struct model_vs *nv = model_find_vs(m, h->vs[j].name);

		if (nv) {
			v[nv - m->vs].lost = h->vs[j].lost;
			fresh[nv - m->vs] = false;
		}
	}
	free(h->vs);
	h->vs = v;
	h->n_vs = m->n_vs;
	h->m = m;
	{
		uint64_t *live = m->n_vs ? live_weights(h) : NULL;

		for (size_t i = 0; live && i < m->n_vs; i++)
			if (fresh[i])
				quorum_eval(h, i, live[i], true);
		free(live);
	}
	free(fresh);
	return 0;
}

int health_sync(struct health *h, struct srv_table *t, const struct model *m)
{
	struct lvsd_check **pp;
	struct idx x;
	int r = 0, changed = 0;
	char name[160], why[200];

	h->t = t;
	h->m = m;
	for (struct lvsd_check *c = h->checks; c; c = c->next) {
		c->marked = 0;
		c->n_srv = 0; /* members are found again below */
	}
	if (idx_build(&x, h->checks, h->n_checks, t->n) < 0) {
		idx_free(&x);
		return -ENOMEM;
	}
	for (size_t i = 0; i < t->n; i++) {
		struct srv *s = t->v[i];
		struct lvsd_check *c = NULL;
		struct def d;

		if (!s->cfg->checker[0]) {
			s->check = NULL;
			changed |= s->has_check_weight;
			s->has_check_weight = 0;
			if (!s->up) {
				transition(h, s, 1, "no check configured");
				changed = 1;
			}
			continue;
		}
		def_of(s, &d);
		c = idx_find(&x, &d);
		if (!c) {
			c = check_new(h, &d, s, why, sizeof(why));
			if (c)
				idx_add(&x, c);
		}
		if (c && add_member(c, s) < 0) {
			snprintf(why, sizeof(why), "out of memory");
			c = NULL;
		}
		if (!c) {
			/* never in service unchecked: down, with the reason */
			log_err("%s: %s check not started: %s; taken out of service",
				srv_name(s, name, sizeof(name)), d.checker, why);
			s->check = NULL;
			s->last_outcome = LVSD_CHECK_INTERNAL;
			snprintf(s->last_detail, sizeof(s->last_detail),
				 "check not started: %.60s", why);
			if (s->up) {
				transition(h, s, 0, s->last_detail);
				changed = 1;
			}
			r = r ? r : -EIO;
			continue;
		}
		c->marked = 1;
		if (s->check != c) {
			s->check = c;
			changed |= s->has_check_weight; /* a new check's own */
			s->has_check_weight = 0;
			changed |= adopt(h, c, s);
		}
	}
	idx_free(&x);
	/* Sweep what nobody uses any more. */
	for (pp = &h->checks; *pp;) {
		struct lvsd_check *c = *pp;

		if (c->marked) {
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		h->n_checks--;
		check_free(c);
	}
	if (sync_vs(h, m) < 0)
		return -ENOMEM;
	quorum_all(h, changed);
	return r;
}

/* -------------------------------------------------------------- life */

int health_new(struct loop *loop, const struct plugin_set *plugins,
	       const struct health_hooks *hooks, struct health **out)
{
	struct health *h = calloc(1, sizeof(*h));

	if (!h)
		return -ENOMEM;
	h->loop = loop;
	h->plugins = plugins;
	if (hooks)
		h->hooks = *hooks;
	health_seed(h, loop_now_us() ^ ((uint64_t)getpid() << 32));
	*out = h;
	return 0;
}

void health_set_checkproc(struct health *h, struct checkproc *cp)
{
	h->cp = cp;
}

void health_free(struct health *h)
{
	if (!h)
		return;
	while (h->checks) {
		struct lvsd_check *c = h->checks;

		h->checks = c->next;
		check_free(c);
	}
	free(h->vs);
	free(h);
}

void health_omega(struct health *h)
{
	if (!h || !h->m || !h->t)
		return;
	for (size_t i = 0; i < h->n_vs && i < h->m->n_vs; i++) {
		const struct model_vs *vs = &h->m->vs[i];

		if (!vs->omega)
			continue;
		for (size_t j = 0; j < h->t->n; j++) {
			const struct srv *s = h->t->v[j];

			if (s->vs == vs && s->up && s->cfg->checker[0])
				notify(h, &s->cfg->notify_down, "notify_down (omega)");
		}
		if (!h->vs[i].lost)
			notify(h, &vs->quorum_down, "quorum_down (omega)");
	}
}

size_t health_n_checks(const struct health *h)
{
	return h ? h->n_checks : 0;
}
