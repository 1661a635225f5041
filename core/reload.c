/* reload.c — a new configuration in force (SIGHUP, lvsctl reload; see
 * reload.h): read against the plugins (confload.c), refused if it would
 * wipe everything, the runtime objects merged (runtime.c), put in force
 * (install.c) and the reconciler asked to run. */
#include "reload.h"

#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "apply.h"
#include "cfgfast.h"
#include "confload.h"
#include "install.h"
#include "ipvssync.h"
#include "log.h"
#include "runtime.h"
#include "schema.h"
#include "sdnotify.h"
#include "servers.h"

/* A fast reload changing more real servers: one reconcile. */
#define APPLY_ONE_BY_ONE 64

struct relay {
	void (*fn)(void *arg, const char *line);
	void *arg;
};

static void relay_err(void *arg, const char *line)
{
	struct relay *r = arg;

	log_err("%s", line);
	if (r->fn)
		r->fn(r->arg, line);
}

/* A reload that failed (r: -errno, -EINVAL for errors in the file):
 * counted, logged, systemd told; the running configuration stays. */
static int reload_failed(struct daemon *d, int r)
{
	d->n.reload_failures++;
	d->n.last_reload_ok = 0;
	log_err("reload failed: %s; the running configuration stays in force",
		r == -EINVAL ? "errors in the file" : strerror(-r));
	sdnotify_ready(d, "; the last reload failed, the previous configuration stays");
	return r;
}

/* A reload that would remove every virtual server (or every VRRP
 * instance) of the running daemon is most likely an empty or truncated
 * file: refused unless forced. The line explaining it goes to line. */
static int wipes_everything(const struct model *old, const struct model *new,
			    char *line, size_t len)
{
	const char *what = NULL;
	size_t n = 0;

	if (old->n_vs && !new->n_vs) {
		what = "virtual servers";
		n = old->n_vs;
	} else if (old->n_vrrp && !new->n_vrrp) {
		what = "VRRP instances";
		n = old->n_vrrp;
	}
	if (!what)
		return 0;
	snprintf(line, len,
		 "reload refused: %s has no %s and would remove all %zu running ones (an empty or truncated file?); the running configuration stays. To apply it anyway: lvsctl reload --force",
		 new->file ? new->file : "the configuration", what, n);
	return 1;
}

/* A parsed file refused (line says why; err: what reload_config returns):
 * said to the caller, the new model freed, the running one kept. */
static int refuse(struct daemon *d, struct relay *rl, struct model *m,
		  const char *line, int err)
{
	relay_err(rl, line);
	schema_free_model(m);
	d->n.reload_failures++;
	d->n.last_reload_ok = 0;
	sdnotify_send("READY=1");
	return err;
}

static uint64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* The kernel follows a fast reload's changed real servers: each on its
 * own (apply_servers: one operation each, none if its change is not the
 * kernel's), many at once in one reconcile. */
static void apply_changed(struct daemon *d, const struct model_diff *diff)
{
	struct srv *v[APPLY_ONE_BY_ONE];
	size_t n = 0;

	if (diff->n > APPLY_ONE_BY_ONE) {
		apply_kick(d);
		return;
	}
	for (size_t i = 0; i < diff->n; i++) {
		const struct model_rs *rs = &d->model->rs[diff->v[i].new_idx];

		if (!(v[n] = srv_find(&d->servers, rs->vs_name, &rs->addr,
				      rs->port))) {
			apply_kick(d);
			return;
		}
		n++;
	}
	apply_servers(d, v, n);
}

/* The fast path (cfgfast.h): 1 done (r: what reload_config returns), 0
 * the full path is to run. */
static int reload_fast(struct daemon *d, unsigned flags, struct relay *rl,
		       int *ret)
{
	struct cfgfast fp;
	char why[300], line[512];
	struct model *m;
	uint64_t t0 = mono_us();
	int r;

	r = cfgfast_prepare(&d->plugins, d->opts.config, d->model, d->ops.n_rt,
			    &fp, why, sizeof(why), relay_err, rl);
	if (r == 0) {
		log_notice("reload: full parse: %s", why);
		return 0;
	}
	d->n.last_reload = time(NULL);
	if (r < 0) {
		*ret = reload_failed(d, r);
		return 1;
	}
	log_notice("reload: %zu section%s changed of %zu; parsed %zu (the changed [real_server] sections and the %zu they depend on)",
		   fp.n_changed, fp.n_changed == 1 ? "" : "s", fp.n_sections,
		   fp.n_parsed, fp.n_parsed - fp.n_changed);
	/* the same objects but the changed real servers': nothing is wiped;
	 * the sync daemons' settings are the running ones */
	if (ipvssync_reload_check(d->model, fp.part, !!(flags & RELOAD_FORCE),
				  line, sizeof(line))) {
		if (!(flags & RELOAD_FORCE)) {
			relay_err(rl, line);
			cfgfast_free(&fp);
			d->n.reload_failures++;
			d->n.last_reload_ok = 0;
			sdnotify_send("READY=1");
			*ret = -ENODEV;
			return 1;
		}
		log_warnx("%s", line);
	}
	m = cfgfast_commit(d->model, &fp);
	install_model_fast(d, m, &fp.diff);
	d->n.reloads++;
	d->n.last_reload_ok = 1;
	apply_changed(d, &fp.diff);
	cfgfast_free(&fp); /* with the replaced real servers */
	log_notice("reload: in force in %llu ms (the fast path)",
		 (unsigned long long)(mono_us() - t0) / 1000);
	sdnotify_ready(d, " (reloaded)");
	*ret = 0;
	return 1;
}

int reload_config(struct daemon *d, unsigned flags,
		  void (*errs)(void *, const char *), void *arg)
{
	struct relay rl = { errs, arg };
	char line[512];
	struct model *m = NULL, *old = d->model;
	uint64_t t0 = mono_us();
	int r;

	sdnotify_reloading(d);
	log_notice("reloading %s", d->opts.config);
	if (reload_fast(d, flags, &rl, &r))
		return r;
	r = confload_parse(&d->plugins, d->opts.config, &m, relay_err, &rl);
	if (r == 0 && (r = runtime_merge(d, &m)) < 0) /* runtime.c */
		m = NULL;
	d->n.last_reload = time(NULL);
	if (r < 0)
		return reload_failed(d, r);
	if (wipes_everything(old, m, line, sizeof(line))) {
		if (!(flags & RELOAD_FORCE))
			return refuse(d, &rl, m, line, -ECANCELED);
		log_warnx("reload forced: %s removes every virtual server or VRRP instance",
			  d->opts.config);
	}
	if (ipvssync_reload_check(old, m, !!(flags & RELOAD_FORCE), line,
				  sizeof(line))) { /* ipvssync.c */
		if (!(flags & RELOAD_FORCE))
			return refuse(d, &rl, m, line, -ENODEV);
		log_warnx("%s", line); /* what was applied */
	}
	if (install_model(d, m, NULL) < 0) {
		d->n.reload_failures++;
		d->n.last_reload_ok = 0;
		log_err("reload failed: out of memory; the running configuration stays in force");
		sdnotify_ready(d, "; the last reload failed, the previous configuration stays");
		return -ENOMEM;
	}
	d->n.reloads++;
	d->n.last_reload_ok = 1;
	cfgfast_remember(d->model); /* for the next one's fast path */
	apply_kick(d);
	sdnotify_ready(d, " (reloaded)");
	log_notice("reload: in force in %llu ms (a full parse; the kernel follows)",
		 (unsigned long long)(mono_us() - t0) / 1000);
	return 0;
}
