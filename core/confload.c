/* confload.c — reading the configuration against the loaded plugins: they
 * answer the parser's questions (scheduler and checker names, their
 * options); lvsd -t. */
#include "confload.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp.h"
#include "cfg.h"
#include "host.h"
#include "ipvssync.h"
#include "log.h"
#include "loop.h"
#include "progcheck.h"
#include "schedrs.h"
#include "schema.h"
#include "snmpload.h"
#include "spawn.h"
#include "vrrpmgr.h"

/* "s" unless n is 1: "1 virtual server", "2 virtual servers" */
#define PLURAL(n) ((n) == 1 ? "" : "s")

/* ------------------------------------------------ plugins as cfg hooks */

static int hook_scheduler(void *arg, const char *name, char *err, size_t len)
{
	struct plugin_set *ps = arg;

	size_t n = 0;

	if (plugin_find(ps, LVSD_PLUGIN_SCHEDULER, name))
		return 0;
	/* the ones that are: "loaded: dh, fo, ..." ("none loaded") */
	for (size_t i = 0; i < ps->n && n < len; i++)
		if (ps->v[i]->desc.kind == LVSD_PLUGIN_SCHEDULER)
			n += (size_t)snprintf(err + n, len - n, "%s%s",
					      n ? ", " : "loaded: ",
					      ps->v[i]->desc.name);
	if (!n)
		snprintf(err, len, "no scheduler plugin is loaded");
	return -ENOENT;
}

static int hook_sched_flag(void *arg, const char *sched, const char *flag,
			   uint32_t *bit, char *err, size_t len)
{
	return schedrs_flag(plugin_find(arg, LVSD_PLUGIN_SCHEDULER, sched),
			    sched, flag, bit, err, len); /* schedrs.c */
}

static int hook_sched_option(void *arg, const char *sched, const char *key,
			     const char *value, char *err, size_t len)
{
	return schedrs_option(plugin_find(arg, LVSD_PLUGIN_SCHEDULER, sched),
			      key, value, err, len);
}

static int hook_checker(void *arg, const char *name, char *err, size_t len)
{
	if (plugin_find(arg, LVSD_PLUGIN_CHECKER, name))
		return 0;
	snprintf(err, len, "no checker plugin '%s' is loaded", name);
	return -ENOENT;
}

/* A checker's message with each quoted value ('...' after a blank, a '('
 * or at the start, before a blank, ':', ')', ',' or the end) cut to 40
 * bytes and "...", so that what follows a long value (the reason)
 * survives and a line stays readable. */
static void shorten_quoted(const char *in, char *out, size_t len)
{
	size_t o = 0;

	for (const char *c = in; *c && o + 1 < len;) {
		const char *end = NULL;

		if (*c == '\'' && (c == in || c[-1] == ' ' || c[-1] == '('))
			for (end = strchr(c + 1, '\''); end && !strchr(" :),", end[1]);
			     end = strchr(end + 1, '\''))
				;
		if (end && end - c - 1 > 40) {
			o += (size_t)snprintf(out + o, len - o, "'%.40s...'", c + 1);
			if (o >= len)
				break;
			c = end + 1;
			continue;
		}
		out[o++] = *c++;
	}
	out[o < len ? o : len - 1] = '\0';
}

static int hook_check_option(void *arg, const char *checker, const char *key,
			     const char *value, char *err, size_t len)
{
	struct plugin *p = plugin_find(arg, LVSD_PLUGIN_CHECKER, checker);
	char big[2048] = "";
	int r;

	if (!p) {
		snprintf(err, len, "no checker plugin '%s' is loaded", checker);
		return -ENOENT;
	}
	r = p->ops.check.check_option(p->ctx, key, value, big, sizeof(big));
	big[sizeof(big) - 1] = '\0';
	if (len)
		shorten_quoted(big, err, len);
	return r;
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
	h->sched_option = hook_sched_option;
}

/* An emit callback that appends the line to a struct cfg_errors (its
 * line number read back from "NAME:LINE: "). */
static void confload_collect(void *arg, const char *line)
{
	struct cfg_errors *e = arg;
	const char *c = strchr(line, ':');
	struct cfg_error *v;

	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 8;

		if (!(v = realloc(e->v, cap * sizeof(*v)))) {
			e->dropped++;
			return;
		}
		e->v = v;
		e->cap = cap;
	}
	v = &e->v[e->n];
	v->line = c ? (unsigned)strtoul(c + 1, NULL, 10) : 0;
	if (!(v->msg = strdup(line))) {
		e->dropped++;
		return;
	}
	e->n++;
}

void confload_emit_log(void *arg, const char *line)
{
	(void)arg;
	log_err("%s", line);
}

/* The line of the option a checker's reason is about ("key /x: ...",
 * "password: ..."); one about a combination ("certificate and key go
 * together") gets the section's line. */
static unsigned reason_line(const struct model_rs *rs, const char *why)
{
	for (size_t j = 0; j < rs->n_opts; j++) {
		size_t n = strlen(rs->opts[j].key);

		if (strncmp(why, rs->opts[j].key, n) == 0 &&
		    (why[n] == ':' || (why[n] == ' ' && why[n + 1] == '/')) &&
		    rs->opts[j].line)
			return rs->opts[j].line;
	}
	return rs->line;
}

/* Same checker and options (the target aside): one trial answers for
 * both (10,000 real servers sharing one SSL_GET definition make one
 * OpenSSL context, not 10,000, at each reload). */
static uint64_t def_hash(const struct model_rs *rs)
{
	uint64_t h = 1469598103934665603ull;
	const char *parts[2];

	for (const char *c = rs->checker; *c; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211ull;
	for (size_t j = 0; j < rs->n_opts; j++) {
		parts[0] = rs->opts[j].key;
		parts[1] = rs->opts[j].value;
		for (int k = 0; k < 2; k++) {
			for (const char *c = parts[k]; *c; c++)
				h = (h ^ (unsigned char)*c) * 1099511628211ull;
			h = (h ^ 0xff) * 1099511628211ull;
		}
	}
	return h;
}

static int def_same(const struct model_rs *a, const struct model_rs *b)
{
	if (strcmp(a->checker, b->checker) || a->n_opts != b->n_opts)
		return 0;
	for (size_t j = 0; j < a->n_opts; j++)
		if (strcmp(a->opts[j].key, b->opts[j].key) ||
		    strcmp(a->opts[j].value, b->opts[j].value))
			return 0;
	return 1;
}

/* Make (and drop at once) each real server's check, so that a checker
 * that refuses its options as a whole (MISC_CHECK without misc_path,
 * SSL_GET's certificate without key, a key that does not open:
 * check_option sees one key at a time) is a FILE:LINE error of the file,
 * at -t, at the start and at a reload (which then changes nothing), and
 * not a real server left unchecked. Every real server is tried; the
 * plugin's logged reason is captured (host_capture) and carried. Nothing
 * runs: create() only prepares. */
static int trial_checks(const struct plugin_set *ps, const struct model *m,
			const char *config,
			void (*emit)(void *, const char *), void *arg)
{
	char ap[80], why[300], line[600];
	size_t cap = 16, *seen; /* rs index + 1 of each definition tried OK */
	int rc = 0;

	while (cap < 2 * m->n_rs + 2)
		cap *= 2;
	if (!(seen = calloc(cap, sizeof(*seen))))
		return -ENOMEM;
	for (size_t i = 0; i < m->n_rs; i++) {
		const struct model_rs *rs = &m->rs[i];
		const struct plugin *p;
		struct lvsd_check_target t = { .size = sizeof(t) };
		struct lvsd_kv *kv;
		void *state = NULL;
		size_t slot;
		int r;

		if (!rs->checker[0] || rs->opts_bad ||
		    !(p = plugin_find(ps, LVSD_PLUGIN_CHECKER, rs->checker)))
			continue; /* reported already: an unknown checker, or an
				   * option (without it, the rest says little) */
		slot = (size_t)def_hash(rs) & (cap - 1);
		while (seen[slot] && !def_same(&m->rs[seen[slot] - 1], rs))
			slot = (slot + 1) & (cap - 1);
		if (seen[slot])
			continue;
		t.addr = rs->connect_ip.family ? rs->connect_ip : rs->addr;
		t.port = rs->connect_port ? rs->connect_port : rs->port;
		t.bind_addr = rs->bind_to;
		t.connect_timeout_ms = rs->check.connect_timeout_ms;
		t.fwmark = rs->check_fwmark;
		kv = rs->n_opts ? calloc(rs->n_opts, sizeof(*kv)) : NULL;
		if (rs->n_opts && !kv) {
			free(seen);
			return -ENOMEM;
		}
		for (size_t j = 0; j < rs->n_opts; j++) {
			kv[j].key = rs->opts[j].key;
			kv[j].value = rs->opts[j].value;
		}
		host_capture(why, sizeof(why));
		/* a handle of nobody's: create() only keeps it */
		r = p->ops.check.create(p->ctx, (struct lvsd_check *)(void *)&rc,
					&t, kv, rs->n_opts, &state);
		host_capture(NULL, 0);
		free(kv);
		if (r == -ENOMEM) {
			free(seen);
			return r;
		}
		if (r < 0) {
			if (!why[0])
				snprintf(why, sizeof(why), "%s", strerror(-r));
			snprintf(line, sizeof(line),
				 "%s:%u: real server %s (%s): %s: %s", config,
				 reason_line(rs, why),
				 model_addrport_str(&rs->addr, rs->port, ap, sizeof(ap)),
				 rs->vs_name, rs->checker, why);
			emit(arg, line);
			rc = -EINVAL;
			continue;
		}
		p->ops.check.destroy(state);
		seen[slot] = i + 1;
	}
	free(seen);
	return rc;
}

/* Parse path against the loaded plugins. Every pass runs, also after
 * errors in an earlier one, so that one run reports every error: the
 * parser's (plugin-checked keys included), then the checks of the whole
 * model on what was read right. Errors go to emit. */
/* The passes after the parser's (see confload_parse) on m, r the
 * parser's result; m freed on an error. */
static int confload_finish(struct plugin_set *ps, const char *name,
			   struct model *m, int r, struct model **out,
			   void (*emit)(void *, const char *), void *arg)
{
	if (m && vrrpmgr_check(ps, m, emit, arg) < 0) /* vrrpmgr.c */
		r = r < 0 ? r : -EINVAL;
	if (m) {
		int t = trial_checks(ps, m, name, emit, arg);

		if (t < 0)
			r = r < 0 ? r : t;
	}
	if (r < 0) {
		schema_free_model(m);
		return r;
	}
	*out = m;
	return 0;
}

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
	return confload_finish(ps, path, m, r, out, emit, arg);
}

int confload_parse_spans(struct plugin_set *ps, const char *name,
			 const char *text, size_t len,
			 const struct cfg_span *spans, size_t n_spans,
			 struct model **out,
			 void (*emit)(void *, const char *), void *arg)
{
	struct cfg_errors errs = { 0 };
	struct cfg_hooks hooks;
	struct model *m = NULL;
	int r;

	*out = NULL;
	if (ps)
		hooks_for(ps, &hooks);
	r = cfg_parse_spans(name, text, len, spans, n_spans, ps ? &hooks : NULL,
			    &m, &errs);
	cfg_errors_emit(&errs, emit, arg);
	cfg_errors_free(&errs);
	if (!ps) { /* no plugins: the parser's own checks only */
		if (r < 0)
			schema_free_model(m);
		else
			*out = m;
		return r;
	}
	return confload_finish(ps, name, m, r, out, emit, arg);
}

int confload_parse_text(struct plugin_set *ps, const char *name,
			const char *text, size_t len, struct model **out,
			struct cfg_errors *errs)
{
	struct cfg_hooks hooks;
	struct model *m = NULL;
	int r;

	*out = NULL;
	hooks_for(ps, &hooks);
	r = cfg_parse_buffer(name, text, len, &hooks, &m, errs);
	if (r < 0)
		return r;
	return confload_finish(ps, name, m, r, out, confload_collect, errs);
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
	ps->insecure = o->plugin_insecure || pre->global.plugin_insecure;
	if (ps->insecure)
		log_warnx("plugin_insecure: plugins and their directories are loaded even if not owned by root or writable by others (a development tree only)");
	r = plugin_load_dir(ps, dir, emit, NULL);
	if (r == -EEXIST || r == -ENOEXEC || r == -EPERM) {
		/* a collision, an unusable file or an unsafe directory, named
		 * by plugin_load_dir; still check the whole file */
		int pr;

		cfg_errors_free(&errs);
		schema_free_model(pre);
		pr = confload_parse(ps, o->config, out, emit, NULL);
		if (pr == 0)
			schema_free_model(*out);
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
	schema_free_model(pre);
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

int confload_check(const struct daemon_opts *opts)
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
	if (r == 0 && m->global.check_user && *m->global.check_user &&
	    strcmp(m->global.check_user, "root") != 0) { /* as the start */
		const char *cu = m->global.check_user;
		struct passwd pw, *res = NULL;
		char buf[4096];
		int e = getpwnam_r(cu, &pw, buf, sizeof(buf), &res);

		if (!res && cu[strspn(cu, "0123456789")] == '\0')
			fprintf(stderr, "%s: check_user '%s': a user name is needed, not a number (set check_user to the name of an unprivileged user, e.g. lvsd)\n",
				opts->config, cu);
		else if (!res)
			fprintf(stderr, "%s: check_user '%s': %s (create it: useradd --system --no-create-home --shell /usr/sbin/nologin %s; or set check_user = root to run checks inside lvsd)\n",
				opts->config, cu, e ? strerror(e) : "no such user", cu);
		if (!res)
			r = -ENOENT;
	}
	if (r == 0) { /* can programs run as script_user? (as the start) */
		struct spawner *sp = NULL;
		char err[512];

		if (spawner_new(loop, &sp) == 0 &&
		    spawner_set_user(sp, model_script_user(&m->global), err, sizeof(err)) < 0) {
			fprintf(stderr, "%s: %s\n", opts->config, err);
			r = -ENOENT;
		}
		spawner_free(sp);
	}
	if (r == 0) { /* warnings: the interface may exist where lvsd runs,
		       * a name taken here may be free there */
		char why[400];

		if (ipvssync_iface_check(m, why, sizeof(why)) < 0)
			fprintf(stderr, "%s:%u: warning: %s (lvsd starts anyway and retries; a reload to it is refused)\n",
				opts->config, m->global.lvs_sync_line, why);
		if (bgp_device_check(m, why, sizeof(why)) < 0)
			fprintf(stderr, "%s:%u: warning: %s\n", opts->config,
				m->bgp.line, why);
		if (m->global.snmp &&
		    snmpload_check(m->global.plugin_insecure, why, sizeof(why)) < 0)
			fprintf(stderr, "%s: warning: snmp = yes: %s; lvsd would start without SNMP\n",
				opts->config, why);
	}
	if (r == 0) /* the result, to stdout; the errors went to stderr */
		printf("%s: configuration OK (%zu virtual server%s, "
			"%zu real server%s, %zu VRRP instance%s)\n",
			opts->config, m->n_vs, PLURAL(m->n_vs), m->n_rs,
			PLURAL(m->n_rs), m->n_vrrp, PLURAL(m->n_vrrp));
	schema_free_model(m);
	plugin_set_free(&ps);
	loop_free(loop);
	return r == 0 ? 0 : 1;
}

