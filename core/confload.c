/* confload.c — reading the configuration against the loaded plugins: they
 * answer the parser's questions (scheduler and checker names, their
 * options); lvsd -t. */
#include "confload.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "log.h"
#include "loop.h"
#include "progcheck.h"
#include "vrrpmgr.h"

/* ------------------------------------------------ plugins as cfg hooks */

static int hook_scheduler(void *arg, const char *name, char *err, size_t len)
{
	struct plugin_set *ps = arg;

	if (plugin_find(ps, LVSD_PLUGIN_SCHEDULER, name))
		return 0;
	snprintf(err, len, "no scheduler plugin '%s' is loaded", name);
	return -ENOENT;
}

static int hook_sched_flag(void *arg, const char *sched, const char *flag,
			   uint32_t *bit, char *err, size_t len)
{
	struct plugin *p = plugin_find(arg, LVSD_PLUGIN_SCHEDULER, sched);

	if (p && p->ops.sched.flags)
		for (const struct lvsd_sched_flag *f = p->ops.sched.flags;
		     f->name; f++)
			if (strcmp(f->name, flag) == 0) {
				*bit = f->bit;
				return 0;
			}
	snprintf(err, len, "scheduler '%s' has no flag '%s'", sched, flag);
	return -ENOENT;
}

static int hook_checker(void *arg, const char *name, char *err, size_t len)
{
	if (plugin_find(arg, LVSD_PLUGIN_CHECKER, name))
		return 0;
	snprintf(err, len, "no checker plugin '%s' is loaded", name);
	return -ENOENT;
}

static int hook_check_option(void *arg, const char *checker, const char *key,
			     const char *value, char *err, size_t len)
{
	struct plugin *p = plugin_find(arg, LVSD_PLUGIN_CHECKER, checker);

	if (!p) {
		snprintf(err, len, "no checker plugin '%s' is loaded", checker);
		return -ENOENT;
	}
	return p->ops.check.check_option(p->ctx, key, value, err, len);
}

static int hook_option_repeatable(void *arg, const char *checker,
				  const char *key)
{
	struct plugin *p = plugin_find(arg, LVSD_PLUGIN_CHECKER, checker);

	/* ops are zero-extended: a plugin built before ABI 1.2 has none */
	return p && p->ops.check.option_repeatable &&
	       p->ops.check.option_repeatable(p->ctx, key) == 1;
}

/* Every key that holds a command: can lvsd run it? */
static int hook_program(void *arg, const char *cmdline, char *err, size_t len)
{
	(void)arg;
	return progcheck_line(cmdline, PROGCHECK_ALL, err, len);
}

static void hooks_for(struct plugin_set *ps, struct cfg_hooks *h)
{
	memset(h, 0, sizeof(*h));
	h->arg = ps;
	h->scheduler = hook_scheduler;
	h->sched_flag = hook_sched_flag;
	h->checker = hook_checker;
	h->check_option = hook_check_option;
	h->program = hook_program;
	h->option_repeatable = hook_option_repeatable;
}

void confload_emit_log(void *arg, const char *line)
{
	(void)arg;
	log_err("%s", line);
}

/* Parse path against the loaded plugins. Every pass runs, also after
 * errors in an earlier one, so that one run reports every error: the
 * parser's (plugin-checked keys included), then the checks of the whole
 * model on what was read right. Errors go to emit. */
int confload_parse(struct plugin_set *ps, const char *path,
			      struct model **out,
			      void (*emit)(void *, const char *), void *arg)
{
	struct cfg_errors errs = { 0 };
	struct cfg_hooks hooks;
	struct model *m = NULL;
	int r;

	*out = NULL;
	hooks_for(ps, &hooks);
	r = cfg_parse_file_partial(path, &hooks, &m, &errs);
	cfg_errors_emit(&errs, emit, arg);
	cfg_errors_free(&errs);
	if (m && vrrpmgr_check(ps, m, emit, arg) < 0) /* vrrpmgr.c */
		r = r < 0 ? r : -EINVAL;
	if (r < 0) {
		model_free(m);
		return r;
	}
	*out = m;
	return 0;
}

/* First start: a plugin-less parse finds plugin_dir (also in a file with
 * errors), then the plugins are loaded and the file parsed again with
 * them; that second parse reports every error, the first one's included. */
int confload_file(struct plugin_set *ps, const struct daemon_opts *o,
		       struct model **out, void (*emit)(void *, const char *))
{
	struct cfg_errors errs = { 0 };
	struct model *pre = NULL;
	const char *dir = o->plugin_dir;
	char line[4200];
	int r;

	*out = NULL;
	r = cfg_parse_file_partial(o->config, NULL, &pre, &errs);
	if (!pre) { /* cannot read the file at all */
		cfg_errors_emit(&errs, emit, NULL);
		cfg_errors_free(&errs);
		return r;
	}
	if (!dir)
		dir = pre->global.plugin_dir;
	r = plugin_load_dir(ps, dir, emit, NULL);
	if (r == -EEXIST || r == -ENOEXEC) {
		/* a collision or an unusable file, named by plugin_load_dir;
		 * still check the whole file */
		int pr;

		cfg_errors_free(&errs);
		model_free(pre);
		pr = confload_parse(ps, o->config, out, emit, NULL);
		if (pr == 0)
			model_free(*out);
		*out = NULL;
		return r;
	}
	if (r < 0) {
		cfg_errors_emit(&errs, emit, NULL);
		snprintf(line, sizeof(line), "plugin directory %s: %s", dir,
			 strerror(-r));
		emit(NULL, line);
	}
	cfg_errors_free(&errs);
	model_free(pre);
	if (r < 0)
		return r;
	return confload_parse(ps, o->config, out, emit, NULL);
}

/* lvsd -t prints errors as they are, like nginx -t: FILE:LINE: message. */
static void emit_plain(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "%s\n", line);
}

/* lvsd -t: make (and drop at once) each real server's check, so that a
 * checker that refuses its options as a whole (MISC_CHECK without
 * misc_path, FILE_CHECK without file: check_option sees one key at a
 * time) is an error here and not only at the start. Nothing runs. */
static int trial_checks(const struct plugin_set *ps, const struct model *m,
			const char *config)
{
	char ap[80], line[400];
	int rc = 0;

	for (size_t i = 0; i < m->n_rs; i++) {
		const struct model_rs *rs = &m->rs[i];
		const struct plugin *p;
		struct lvsd_check_target t = { .size = sizeof(t) };
		struct lvsd_kv *kv;
		void *state = NULL;
		int r;

		if (!rs->checker[0] ||
		    !(p = plugin_find(ps, LVSD_PLUGIN_CHECKER, rs->checker)))
			continue; /* an unknown checker was reported already */
		t.addr = rs->connect_ip.family ? rs->connect_ip : rs->addr;
		t.port = rs->connect_port ? rs->connect_port : rs->port;
		t.bind_addr = rs->bind_to;
		t.connect_timeout_ms = rs->check.connect_timeout_ms;
		t.fwmark = rs->check_fwmark;
		kv = rs->n_opts ? calloc(rs->n_opts, sizeof(*kv)) : NULL;
		if (rs->n_opts && !kv)
			return -ENOMEM;
		for (size_t j = 0; j < rs->n_opts; j++) {
			kv[j].key = rs->opts[j].key;
			kv[j].value = rs->opts[j].value;
		}
		/* a handle of nobody's: create() only keeps it */
		r = p->ops.check.create(p->ctx, (struct lvsd_check *)(void *)&rc,
					&t, kv, rs->n_opts, &state);
		free(kv);
		if (r < 0) {
			snprintf(line, sizeof(line),
				 "%s:%u: real server %s (%s): checker %s refuses it: %s",
				 config, rs->line,
				 model_addrport_str(&rs->addr, rs->port, ap, sizeof(ap)),
				 rs->vs_name, rs->checker, strerror(-r));
			fprintf(stderr, "%s\n", line);
			rc = -EINVAL;
			continue;
		}
		p->ops.check.destroy(state);
	}
	return rc;
}

int daemon_check_config(const struct daemon_opts *opts)
{
	struct loop *loop;
	struct host host = { 0 };
	struct plugin_set ps;
	struct model *m = NULL;
	int r;

	if (loop_new(&loop) < 0)
		return 1;
	host.loop = loop;
	plugin_set_init(&ps, &host);
	r = confload_file(&ps, opts, &m, emit_plain);
	if (r == 0)
		r = trial_checks(&ps, m, opts->config);
	if (r == 0)
		fprintf(stderr, "%s: configuration OK (%zu virtual servers, "
			"%zu real servers, %zu VRRP instances)\n",
			opts->config, m->n_vs, m->n_rs, m->n_vrrp);
	model_free(m);
	plugin_set_free(&ps);
	loop_free(loop);
	return r == 0 ? 0 : 1;
}

