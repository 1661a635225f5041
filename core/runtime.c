/* runtime.c — runtime objects (see runtime.h): lvsctl add-vs / add-rs /
 * del-vs / del-rs, and the configuration text they are parsed with. */
#include "runtime.h"

#include <errno.h>
#include <sys/socket.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "cfg.h"
#include "cfgval.h"
#include "confload.h"
#include "log.h"
#include "opstore.h"
#include "install.h"
#include "schema.h"

/* ------------------------------------------------------------ the text */

/* The configuration's text, then the sections of v[0..n) (the virtual
 * servers first); first[k] the line of the k-th section, order[k] its
 * index in v. */
struct rttext {
	char *buf;
	size_t len, cap;
	unsigned lines;      /* lines of the configuration's part */
	unsigned *first;
	size_t *order;
	size_t n;
	int oom;
};

static void put(struct rttext *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void put(struct rttext *t, const char *fmt, ...)
{
	va_list ap;
	int k;

	for (;;) {
		if (t->oom)
			return;
		va_start(ap, fmt);
		k = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (k < 0) {
			t->oom = 1;
			return;
		}
		if ((size_t)k < t->cap - t->len) {
			t->len += (size_t)k;
			return;
		}
		char *b = realloc(t->buf, 2 * t->cap + (size_t)k + 1);

		if (!b) {
			t->oom = 1;
			return;
		}
		t->buf = b;
		t->cap = 2 * t->cap + (size_t)k + 1;
	}
}

static unsigned count_lines(const char *s, size_t n)
{
	unsigned c = 0;

	for (const char *p = s; (p = memchr(p, '\n', (size_t)(s + n - p))); p++)
		c++;
	return c;
}

/* One object's section: the header, then "key = value" per word. */
static void put_section(struct rttext *t, const struct opstate_rt *o)
{
	char ap[80];
	const char *p = o->kv;

	if (o->kind == OPSTATE_RT_VS)
		put(t, "[virtual_server %s]\n", o->vs);
	else if (!o->port) /* of an fwmark service: no port */
		put(t, "[real_server %s %s%s%s]\n", o->vs,
		    o->addr.family == AF_INET6 ? "[" : "",
		    model_addr_str(&o->addr, ap, sizeof(ap)),
		    o->addr.family == AF_INET6 ? "]" : "");
	else
		put(t, "[real_server %s %s]\n", o->vs,
		    model_addrport_str(&o->addr, o->port, ap, sizeof(ap)));
	while (*p) {
		size_t n = strcspn(p, " ");
		const char *eq = memchr(p, '=', n);

		if (eq)
			put(t, "%.*s = %.*s\n", (int)(eq - p), p,
			    (int)(n - (size_t)(eq - p) - 1), eq + 1);
		p += n;
		p += *p == ' ';
	}
}

static void text_free(struct rttext *t)
{
	free(t->buf);
	free(t->first);
	free(t->order);
	memset(t, 0, sizeof(*t));
}

/* text + the sections of v[0..n). 0 or -ENOMEM. */
static int text_build(struct rttext *t, const char *text, size_t len,
		      const struct opstate_rt *v, size_t n)
{
	memset(t, 0, sizeof(*t));
	t->cap = len + 256 + n * 256;
	t->buf = malloc(t->cap);
	t->first = calloc(n + 1, sizeof(*t->first));
	t->order = calloc(n + 1, sizeof(*t->order));
	if (!t->buf || !t->first || !t->order) {
		text_free(t);
		return -ENOMEM;
	}
	memcpy(t->buf, text, len);
	t->len = len;
	if (len && text[len - 1] != '\n')
		put(t, "\n");
	t->lines = count_lines(t->buf, t->len);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			if ((v[i].kind == OPSTATE_RT_VS) != (pass == 0))
				continue;
			t->first[t->n] = count_lines(t->buf, t->len) + 1;
			t->order[t->n++] = i;
			put(t, "\n");
			t->first[t->n - 1]++;
			put_section(t, &v[i]);
		}
	if (t->oom) {
		text_free(t);
		return -ENOMEM;
	}
	return 0;
}

/* The index in v of the object whose section holds line, or SIZE_MAX
 * (the configuration's part). */
static size_t text_owner(const struct rttext *t, unsigned line)
{
	size_t k = SIZE_MAX;

	if (line <= t->lines)
		return SIZE_MAX;
	for (size_t j = 0; j < t->n; j++)
		if (t->first[j] <= line)
			k = j;
	return k == SIZE_MAX ? SIZE_MAX : t->order[k];
}

/* "NAME:LINE: message" → "message". */
static const char *strip(const char *msg, const char *name)
{
	size_t n = strlen(name);

	if (!strncmp(msg, name, n) && msg[n] == ':') {
		const char *c = strchr(msg + n + 1, ':');

		if (c && c[1] == ' ')
			return c + 2;
	}
	return msg;
}

/* msg into buf with "at line N" of a line past the configuration's
 * (a runtime object's section: a number the user never saw) said as
 * "(added at runtime)", and "at line N" of the file as "at FILE:N". */
static const char *relines(const struct rttext *t, const char *msg,
			   const char *file, char *buf, size_t len)
{
	const char *at = strstr(msg, "at line ");
	char *end;
	unsigned long n;

	if (!at)
		return msg;
	n = strtoul(at + 8, &end, 10);
	if (end == at + 8)
		return msg;
	if (n > t->lines)
		snprintf(buf, len, "%.*s(added at runtime)%s", (int)(at - msg), msg,
			 end);
	else
		snprintf(buf, len, "%.*sat %s:%lu%s", (int)(at - msg), msg, file, n,
			 end);
	return buf;
}

/* "virtual server 'api'" / "real server 10.0.0.53:80 of 'web'" */
static const char *rt_desc(const struct opstate_rt *o, char *buf, size_t len)
{
	char ap[80];

	if (o->kind == OPSTATE_RT_VS)
		snprintf(buf, len, "virtual server '%s'", o->vs);
	else
		snprintf(buf, len, "real server %s of '%s'",
			 model_addrport_str(&o->addr, o->port, ap, sizeof(ap)),
			 o->vs);
	return buf;
}

/* Set the runtime flag of v's objects in m. */
static void mark(struct model *m, const struct opstate_rt *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].kind == OPSTATE_RT_VS) {
			struct model_vs *vs = model_find_vs(m, v[i].vs);

			if (vs)
				vs->runtime = true;
		} else {
			struct model_rs *rs = model_find_rs(m, v[i].vs, &v[i].addr,
							    v[i].port);

			if (rs)
				rs->runtime = true;
		}
	}
}

/* Parse cfg's text with v[0..n): 0 and *out; -EINVAL with the errors in
 * errs (and t kept for text_owner), -ENOMEM. The model takes a copy of
 * the configuration's text. */
static int parse_with(struct daemon *d, const struct model *cfg,
		      const struct opstate_rt *v, size_t n, struct model **out,
		      struct rttext *t, struct cfg_errors *errs)
{
	struct model *m = NULL;
	int r;

	*out = NULL;
	if (!cfg->text)
		return -EINVAL;
	if (text_build(t, cfg->text, cfg->text_len, v, n) < 0)
		return -ENOMEM;
	r = confload_parse_text(&d->plugins, cfg->file, t->buf, t->len, &m, errs);
	if (r < 0)
		return r;
	m->text = malloc(cfg->text_len + 1);
	if (!m->text) {
		schema_free_model(m);
		return -ENOMEM;
	}
	memcpy(m->text, cfg->text, cfg->text_len);
	m->text[cfg->text_len] = '\0';
	m->text_len = cfg->text_len;
	mark(m, v, n);
	*out = m;
	return 0;
}

/* ------------------------------------------------- start and reloads */

/* Whether d holds a runtime virtual server named name that cfg defines
 * now (so it is dropped, and its runtime real servers with it). */
static bool rt_vs_dropped(const struct daemon *d, const struct model *cfg,
			  const char *name)
{
	for (size_t i = 0; i < d->ops.n_rt; i++)
		if (d->ops.rt[i].kind == OPSTATE_RT_VS &&
		    !strcmp(d->ops.rt[i].vs, name))
			return model_find_vs(cfg, name) != NULL;
	return false;
}

int runtime_merge(struct daemon *d, struct model **mp)
{
	struct model *cfg = *mp, *m = NULL;
	struct opstate_rt *keep;
	struct cfg_errors errs = { 0 };
	struct rttext t;
	char desc[160];
	size_t n = 0, dropped = 0;
	int r;

	if (!d->ops.n_rt)
		return 0;
	if (!cfg->text) {
		log_err("runtime objects: the configuration's text is missing; "
			"they are not applied");
		return 0;
	}
	keep = malloc(d->ops.n_rt * sizeof(*keep));
	if (!keep) {
		schema_free_model(cfg);
		*mp = NULL;
		return -ENOMEM;
	}
	/* the configuration wins */
	for (size_t i = 0; i < d->ops.n_rt; i++) {
		const struct opstate_rt *o = &d->ops.rt[i];
		const struct model_vs *vs = NULL;
		const struct model_rs *rs = NULL;

		if (o->kind == OPSTATE_RT_VS)
			vs = model_find_vs(cfg, o->vs);
		else
			rs = model_find_rs(cfg, o->vs, &o->addr, o->port);
		if (!vs && !rs && o->kind == OPSTATE_RT_RS &&
		    rt_vs_dropped(d, cfg, o->vs)) {
			/* its runtime virtual server gave way to the file's:
			 * it goes with it, never to the file's service */
			log_notice("runtime %s dropped: its runtime virtual "
				   "server is dropped (the configuration "
				   "defines '%s' now)",
				   rt_desc(o, desc, sizeof(desc)), o->vs);
			dropped++;
			continue;
		}
		if (vs || rs) {
			log_notice("runtime %s dropped: the configuration defines "
				   "it now (%s:%u); the configuration wins",
				   rt_desc(o, desc, sizeof(desc)), cfg->file,
				   vs ? vs->line : rs->line);
			dropped++;
			continue;
		}
		keep[n++] = *o;
	}
	r = parse_with(d, cfg, keep, n, &m, &t, &errs);
	if (r == -EINVAL) {
		/* one at a time: what parses stays, the rest is dropped */
		size_t k = 0;

		text_free(&t);
		cfg_errors_free(&errs);
		for (size_t i = 0; i < n && r != -ENOMEM; i++) {
			struct model *try = NULL;

			keep[k] = keep[i];
			r = parse_with(d, cfg, keep, k + 1, &try, &t, &errs);
			if (r == 0) {
				schema_free_model(try);
				k++;
			} else if (r == -EINVAL) {
				const char *why = "not valid";

				for (size_t e = 0; e < errs.n; e++)
					if (text_owner(&t, errs.v[e].line) == k) {
						why = strip(errs.v[e].msg, cfg->file);
						break;
					}
				log_err("runtime %s dropped: %s",
					rt_desc(&keep[k], desc, sizeof(desc)), why);
				dropped++;
			}
			text_free(&t);
			cfg_errors_free(&errs);
		}
		n = k;
		if (r != -ENOMEM)
			r = parse_with(d, cfg, keep, n, &m, &t, &errs);
	}
	text_free(&t);
	cfg_errors_free(&errs);
	if (r == 0 && dropped) {
		struct opstate_rt *old = d->ops.rt;
		size_t old_n = d->ops.n_rt, old_cap = d->ops.cap_rt;

		d->ops.rt = keep;
		d->ops.n_rt = n;
		d->ops.cap_rt = old_n;
		keep = old;
		(void)old_cap;
		opstore_save(d); /* logged when it fails */
	}
	free(keep);
	if (r < 0) {
		log_err("runtime objects: %s; they are not applied",
			r == -ENOMEM ? "out of memory" : "not valid");
		if (r == -ENOMEM) {
			schema_free_model(cfg);
			*mp = NULL;
			return r;
		}
		return 0;
	}
	schema_free_model(cfg);
	*mp = m;
	if (n)
		log_info("%zu runtime object%s in force", n, n == 1 ? "" : "s");
	return 0;
}

/* ------------------------------------------------------- the commands */

int runtime_rs_arg(const struct model *m, const char *vs, const char *s,
		   struct lvsd_addr *addr, uint16_t *port, bool *given)
{
	const struct model_vs *x = model_find_vs(m, vs);

	if (!x)
		return -ENOENT;
	*given = true;
	if (opstate_parse_addrport(s, addr, port) == 0)
		return 0;
	if (cfgval_addrport(s, true, addr, port, given) < 0 || *given)
		return -EINVAL;
	*port = x->fwmark ? 0 : x->port; /* as cfgcheck.c resolves it */
	return 0;
}

#define CLIP(s) 64, (s), strlen(s) > 64 ? "..." : ""

/* Append "key=value" to o->kv. 0 or -E2BIG. */
static int kv_add(struct opstate_rt *o, const char *key, const char *value)
{
	size_t l = strlen(o->kv);
	int k = snprintf(o->kv + l, sizeof(o->kv) - l, "%s%s%s%s", l ? " " : "",
			 key, value ? "=" : "", value ? value : "");

	return k < 0 || (size_t)k >= sizeof(o->kv) - l ? -E2BIG : 0;
}

/* The words after the object's key: "NAME VALUE" for each of names[],
 * then key=value. 0 or -EINVAL (err says why). */
static int words(struct opstate_rt *o, int argc, char **argv, int i,
		 const char *const *names, const char *usage, char *err,
		 size_t len)
{
	for (; i < argc; i++) {
		int named = 0;

		for (const char *const *nm = names; *nm; nm++)
			if (!strcmp(argv[i], *nm)) {
				if (i + 1 >= argc) {
					snprintf(err, len, "%s: a value expected "
						 "after '%s' (usage: %s)", argv[0],
						 *nm, usage);
					return -EINVAL;
				}
				if (kv_add(o, *nm, argv[i + 1]) < 0)
					goto long_;
				i++;
				named = 1;
				break;
			}
		if (named)
			continue;
		if (!strchr(argv[i], '=')) {
			snprintf(err, len, "%s: '%.*s%s' is neither KEY=VALUE nor "
				 "one of its words (usage: %s)", argv[0],
				 CLIP(argv[i]), usage);
			return -EINVAL;
		}
		if (kv_add(o, argv[i], NULL) < 0)
			goto long_;
	}
	return 0;
long_:
	snprintf(err, len, "%s: the keys are too long (at most %d bytes)",
		 argv[0], OPSTATE_RT_KV_MAX - 1);
	return -EINVAL;
}

static const char *origin(const struct model *m, unsigned line, bool rt,
			  char *buf, size_t len)
{
	if (rt)
		snprintf(buf, len, "added at runtime");
	else
		snprintf(buf, len, "in the configuration, %s:%u", m->file, line);
	return buf;
}

/* Validate the candidate list v[0..n) (d's runtime objects changed by
 * the command); the errors of the runtime part go to r and err. */
static int validate(struct daemon *d, const struct opstate_rt *v, size_t n,
		    size_t subject, struct model **out, struct ctl_reply *rep,
		    char *err, size_t len)
{
	struct cfg_errors errs = { 0 };
	struct rttext t;
	int r = parse_with(d, d->model, v, n, out, &t, &errs);

	if (r == -EINVAL) {
		size_t shown = 0;

		for (size_t e = 0; e < errs.n; e++) {
			size_t who = text_owner(&t, errs.v[e].line);
			char fix[768];
			const char *msg = relines(&t, strip(errs.v[e].msg,
							    d->model->file),
						  d->model->file, fix, sizeof(fix));

			if (who != subject && who != SIZE_MAX)
				continue; /* another object's (cannot be: it parsed) */
			if (!shown++)
				snprintf(err, len, "%s", msg);
			else
				ctl_printf(rep, "%s\n", msg);
		}
		if (!shown)
			snprintf(err, len, "not valid (see the log)");
		for (size_t e = 0; !shown && e < errs.n; e++)
			log_err("runtime: %s", errs.v[e].msg);
	} else if (r < 0) {
		snprintf(err, len, "%s", strerror(-r));
	}
	text_free(&t);
	cfg_errors_free(&errs);
	return r;
}

/* Replace d->ops's runtime list by v[0..n), saved: journal lines (ch, n_ch
 * changes, del each) or the file whole. 0 or -errno (nothing changed). */
static int save(struct daemon *d, struct opstate_rt *v, size_t n,
		const struct opstate_rt *ch, const int *del, size_t n_ch)
{
	struct opstate_rt *old = d->ops.rt;
	size_t old_n = d->ops.n_rt, old_cap = d->ops.cap_rt;
	int e = opstore_set_rt(d, v, n, ch, del, n_ch);

	if (e < 0)
		return e;
	(void)old_n;
	(void)old_cap;
	free(old);
	return 0;
}

static int cmd_add(struct daemon *d, int argc, char **argv,
		   struct ctl_reply *rep, char *err, size_t len)
{
	static const char *const vs_words[] = { "scheduler", "method", "protocol", NULL };
	static const char *const rs_words[] = { "weight", "check", NULL };
	int is_vs = !strcmp(argv[0], "add-vs");
	const char *usage = is_vs ? "add-vs NAME ADDR:PORT|fwmark N [scheduler S] "
				    "[method M] [protocol P] [KEY=VALUE...]"
				  : "add-rs VS ADDR:PORT [weight N] [check NAME "
				    "[KEY=VALUE...]]";
	struct opstate_rt o = { .kind = is_vs ? OPSTATE_RT_VS : OPSTATE_RT_RS };
	struct opstate_rt *v;
	struct model *m = NULL;
	const char *why;
	char buf[256];
	int i = 3, r, del = 0;
	bool given;

	if (argc < 3) {
		snprintf(err, len, "usage: %s", usage);
		return -EINVAL;
	}
	if (strlen(argv[1]) >= sizeof(o.vs)) {
		snprintf(err, len, "name '%.*s%s' too long (at most %d)",
			 CLIP(argv[1]), MODEL_NAME_MAX - 1);
		return -EINVAL;
	}
	strcpy(o.vs, argv[1]);
	if (is_vs) {
		const struct model_vs *x = model_find_vs(d->model, argv[1]);

		if (x) {
			snprintf(err, len, "virtual server '%s' exists (%s)", x->name,
				 origin(d->model, x->line, x->runtime, buf, sizeof(buf)));
			return -EEXIST;
		}
		if (!strcmp(argv[2], "fwmark")) {
			if (argc < 4) {
				snprintf(err, len, "usage: %s", usage);
				return -EINVAL;
			}
			r = kv_add(&o, "fwmark", argv[3]);
			i = 4;
		} else {
			r = kv_add(&o, "address", argv[2]);
		}
		if (r < 0) {
			snprintf(err, len, "%s: the keys are too long", argv[0]);
			return -EINVAL;
		}
		if ((r = words(&o, argc, argv, i, vs_words, usage, err, len)) < 0)
			return r;
	} else {
		const struct model_rs *x;

		if (!model_find_vs(d->model, argv[1])) {
			snprintf(err, len, "no virtual server '%.*s%s'", CLIP(argv[1]));
			return -ENOENT;
		}
		if (runtime_rs_arg(d->model, argv[1], argv[2], &o.addr, &o.port,
				   &given) < 0) {
			snprintf(err, len, "bad real server '%.*s%s' (ADDR:PORT or "
				 "ADDR expected, [ADDR]:PORT for IPv6)", CLIP(argv[2]));
			return -EINVAL;
		}
		if (given && !o.port != !!model_find_vs(d->model, argv[1])->fwmark) {
			snprintf(err, len, "bad real server '%.*s%s': port 0 for "
				 "(and only for) a real server of an fwmark virtual "
				 "server", CLIP(argv[2]));
			return -EINVAL;
		}
		x = model_find_rs(d->model, o.vs, &o.addr, o.port);
		if (x) {
			snprintf(err, len, "real server %s of '%s' exists (%s)", argv[2],
				 o.vs, origin(d->model, x->line, x->runtime, buf,
					      sizeof(buf)));
			return -EEXIST;
		}
		if ((r = words(&o, argc, argv, i, rs_words, usage, err, len)) < 0)
			return r;
	}
	if ((why = opstate_rt_check(&o))) {
		snprintf(err, len, "%s: %s", argv[0], why);
		return -EINVAL;
	}
	if (opstore_unsaved(d)) {
		snprintf(err, len, "not added: runtime objects must be saved, and "
			 "%s", opstore_unsaved(d));
		return -EIO;
	}
	v = malloc((d->ops.n_rt + 1) * sizeof(*v));
	if (!v) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	if (d->ops.n_rt)
		memcpy(v, d->ops.rt, d->ops.n_rt * sizeof(*v));
	v[d->ops.n_rt] = o;
	r = validate(d, v, d->ops.n_rt + 1, d->ops.n_rt, &m, rep, err, len);
	if (r < 0) {
		free(v);
		return r;
	}
	if ((r = save(d, v, d->ops.n_rt + 1, &o, &del, 1)) < 0) {
		free(v);
		schema_free_model(m);
		snprintf(err, len, "cannot write %s (%s): nothing changed",
			 d->state_file, strerror(-r));
		return -EIO;
	}
	snprintf(buf, sizeof(buf), "lvsctl %s", argv[0]);
	if (install_model(d, m, buf) < 0) {
		snprintf(err, len, "out of memory: saved, in force after the next "
			 "reload");
		return -ENOMEM;
	}
	if (apply_known(d) < 0) {
		snprintf(err, len, "saved, but the kernel refused the change (see "
			 "the log)");
		return -EIO;
	}
	return 0;
}

static int cmd_del(struct daemon *d, int argc, char **argv,
		   struct ctl_reply *rep, char *err, size_t len)
{
	int is_vs = !strcmp(argv[0], "del-vs");
	struct opstate_rt key = { .kind = is_vs ? OPSTATE_RT_VS : OPSTATE_RT_RS };
	struct opstate_rt *v, ch[1];
	struct model *m = NULL;
	size_t n = 0, gone = 0;
	char buf[256];
	int r, del[1] = { 1 };

	if (argc != (is_vs ? 2 : 3)) {
		snprintf(err, len, "usage: %s", is_vs ? "del-vs NAME"
						      : "del-rs VS ADDR:PORT");
		return -EINVAL;
	}
	if (strlen(argv[1]) >= sizeof(key.vs) || !model_find_vs(d->model, argv[1])) {
		snprintf(err, len, "no virtual server '%.*s%s'", CLIP(argv[1]));
		return -ENOENT;
	}
	strcpy(key.vs, argv[1]);
	if (is_vs) {
		const struct model_vs *x = model_find_vs(d->model, argv[1]);

		if (!x->runtime) {
			snprintf(err, len, "virtual server '%s' is defined in the "
				 "configuration (%s:%u): remove it there and reload "
				 "(del-vs removes only what add-vs added)", x->name,
				 d->model->file, x->line);
			return -EPERM;
		}
	} else {
		const struct model_rs *x;

		bool given;

		if (runtime_rs_arg(d->model, argv[1], argv[2], &key.addr,
				   &key.port, &given) < 0) {
			snprintf(err, len, "bad real server '%.*s%s' (ADDR:PORT or "
				 "ADDR expected, [ADDR]:PORT for IPv6)", CLIP(argv[2]));
			return -EINVAL;
		}
		x = model_find_rs(d->model, key.vs, &key.addr, key.port);
		if (!x) {
			snprintf(err, len, "no real server %.*s%s in '%s'",
				 CLIP(argv[2]), key.vs);
			return -ENOENT;
		}
		if (!x->runtime) {
			snprintf(err, len, "real server %s of '%s' is defined in the "
				 "configuration (%s:%u): remove it there and reload, "
				 "or take it out of service with lvsctl disable "
				 "(del-rs removes only what add-rs added)", argv[2],
				 key.vs, d->model->file, x->line);
			return -EPERM;
		}
	}
	if (opstore_unsaved(d)) {
		snprintf(err, len, "not removed: runtime objects must be saved, "
			 "and %s", opstore_unsaved(d));
		return -EIO;
	}
	v = malloc((d->ops.n_rt + 1) * sizeof(*v));
	if (!v) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	/* del-vs: its runtime real servers go with it (the journal says
	 * both: a "del" of the virtual server removes only its record) */
	for (size_t i = 0; i < d->ops.n_rt; i++) {
		const struct opstate_rt *o = &d->ops.rt[i];
		int hit = o->kind == key.kind && !strcmp(o->vs, key.vs) &&
			  (is_vs || (o->port == key.port &&
				     model_addr_eq(&o->addr, &key.addr)));

		if (is_vs && o->kind == OPSTATE_RT_RS && !strcmp(o->vs, key.vs))
			hit = 1, gone++;
		if (!hit)
			v[n++] = *o;
	}
	r = validate(d, v, n, SIZE_MAX, &m, rep, err, len);
	if (r < 0) {
		free(v);
		return r;
	}
	ch[0] = key;
	/* a del-vs with real servers: written whole (one record for many) */
	if ((r = save(d, v, n, ch, del, gone ? 0 : 1)) < 0) {
		free(v);
		schema_free_model(m);
		snprintf(err, len, "cannot write %s (%s): nothing changed",
			 d->state_file, strerror(-r));
		return -EIO;
	}
	if (gone)
		ctl_printf(rep, "%zu real server%s of '%s' removed with it\n", gone,
			   gone == 1 ? "" : "s", key.vs);
	snprintf(buf, sizeof(buf), "lvsctl %s", argv[0]);
	if (install_model(d, m, buf) < 0) {
		snprintf(err, len, "out of memory: saved, in force after the next "
			 "reload");
		return -ENOMEM;
	}
	if (apply_known(d) < 0) {
		snprintf(err, len, "saved, but the kernel refused the change (see "
			 "the log)");
		return -EIO;
	}
	return 0;
}

int runtime_command(struct daemon *d, int argc, char **argv,
		    struct ctl_reply *r, char *err, size_t len)
{
	if (!d->model->text) {
		snprintf(err, len, "%s: the configuration's text is not kept", argv[0]);
		return -EINVAL;
	}
	if (!strncmp(argv[0], "add-", 4))
		return cmd_add(d, argc, argv, r, err, len);
	return cmd_del(d, argc, argv, r, err, len);
}
