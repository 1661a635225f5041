/* reload.c — a new configuration in force (SIGHUP, lvsctl reload; see
 * reload.h): read against the plugins (confload.c), refused if it would
 * wipe everything, the runtime objects merged (runtime.c), put in force
 * (install.c) and the reconciler asked to run. */
#include "reload.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "apply.h"
#include "confload.h"
#include "install.h"
#include "ipvssync.h"
#include "log.h"
#include "runtime.h"
#include "schema.h"
#include "sdnotify.h"

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
	sd_notify(0, "READY=1");
	return err;
}

int reload_config(struct daemon *d, unsigned flags,
		  void (*errs)(void *, const char *), void *arg)
{
	struct relay rl = { errs, arg };
	char line[512];
	struct model *m = NULL, *old = d->model;
	int r;

	sdnotify_reloading(d);
	log_notice("reloading %s", d->opts.config);
	r = confload_parse(&d->plugins, d->opts.config, &m, relay_err, &rl);
	if (r == 0 && (r = runtime_merge(d, &m)) < 0) /* runtime.c */
		m = NULL;
	d->n.last_reload = time(NULL);
	if (r < 0) {
		d->n.reload_failures++;
		d->n.last_reload_ok = 0;
		log_err("reload failed: %s; the running configuration stays in force",
			r == -EINVAL ? "errors in the file" : strerror(-r));
		sdnotify_ready(d, "; the last reload failed, the previous configuration stays");
		return r;
	}
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
	apply_kick(d);
	sdnotify_ready(d, " (reloaded)");
	return 0;
}
