/* plugin.c — loading plugins behind the v1 ABI (see plugin.h and
 * <lvsd/plugin.h> for the rules this enforces). */
#include "plugin.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pathsec.h"

/* Sizes of the structs as first released (ABI 1.0): a plugin may be built
 * against a later minor with larger ones, never a smaller one. Pinned to
 * the last v1.0 field so that appending fields does not move them. */
#define END_OF(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))
#define DESC_V1_0 END_OF(struct lvsd_plugin, fini)
#define SCHED_V1_0 END_OF(struct lvsd_scheduler_ops, weight)
#define CHECK_V1_0 END_OF(struct lvsd_checker_ops, destroy)
#define VRRP_V1_0 END_OF(struct lvsd_vrrp_ops, stats)

const char *plugin_kind_str(enum lvsd_plugin_kind kind)
{
	switch (kind) {
	case LVSD_PLUGIN_SCHEDULER: return "scheduler";
	case LVSD_PLUGIN_CHECKER: return "checker";
	case LVSD_PLUGIN_VRRP: return "vrrp";
	}
	return "unknown";
}

void plugin_set_init(struct plugin_set *set, struct host *host)
{
	memset(set, 0, sizeof(*set));
	set->host = host;
}

static void plugin_free(struct plugin *p)
{
	if (!p)
		return;
	if (p->live && p->desc.fini)
		p->desc.fini(p->ctx);
	if (p->dl)
		dlclose(p->dl);
	free(p->path);
	free(p);
}

void plugin_set_free(struct plugin_set *set)
{
	/* Last loaded first, like a stack of dependencies. */
	while (set->n > 0)
		plugin_free(set->v[--set->n]);
	free(set->v);
	set->v = NULL;
}

struct plugin *plugin_find(const struct plugin_set *set,
			   enum lvsd_plugin_kind kind, const char *name)
{
	for (size_t i = 0; i < set->n; i++) {
		struct plugin *p = set->v[i];

		if (p->desc.kind == kind && strcmp(p->desc.name, name) == 0)
			return p;
	}
	return NULL;
}

/* A scheduler's flag table (lvsd.ini's sched_flags names): every bit
 * within LVSD_SCHED_FLAG_MASK and not 0, a name unique in the table, not
 * empty, without ',' or blanks (the separators of sched_flags), and none
 * of the core's generic flag-1/flag-2/flag-3. The fault goes into why. */
static int check_flags(const struct lvsd_sched_flag *t, char *why,
		       size_t whylen)
{
	for (const struct lvsd_sched_flag *f = t; f && f->name; f++) {
		const char *n = f->name;

		if (!n[0] || strpbrk(n, ", \t\r\n\v\f")) {
			snprintf(why, whylen,
				 "flag '%s': a flag name is not empty and has no ',' or whitespace",
				 n);
			return -EINVAL;
		}
		if (!strcmp(n, "flag-1") || !strcmp(n, "flag-2") ||
		    !strcmp(n, "flag-3")) {
			snprintf(why, whylen,
				 "flag '%s': shadows the core's generic flag name (flag-1, flag-2, flag-3 are every scheduler's)",
				 n);
			return -EINVAL;
		}
		if (!f->bit) {
			snprintf(why, whylen,
				 "flag '%s': sets no bit (LVSD_SCHED_FLAG_MASK 0x%x)",
				 n, LVSD_SCHED_FLAG_MASK);
			return -EINVAL;
		}
		if (f->bit & ~LVSD_SCHED_FLAG_MASK) {
			snprintf(why, whylen,
				 "flag '%s': bits 0x%x (of 0x%x) are outside LVSD_SCHED_FLAG_MASK 0x%x",
				 n, f->bit & ~LVSD_SCHED_FLAG_MASK, f->bit,
				 LVSD_SCHED_FLAG_MASK);
			return -EINVAL;
		}
		for (const struct lvsd_sched_flag *g = t; g < f; g++)
			if (!strcmp(g->name, n)) {
				snprintf(why, whylen,
					 "flag '%s': named twice in the flag table",
					 n);
				return -EINVAL;
			}
	}
	return 0;
}

/* Which ops size a kind needs, and which of its ops are mandatory. */
static int check_ops(struct plugin *p, const char **why)
{
	const struct lvsd_plugin *d = &p->desc;
	size_t need, have = d->ops_size;

	switch (d->kind) {
	case LVSD_PLUGIN_SCHEDULER: need = SCHED_V1_0; break;
	case LVSD_PLUGIN_CHECKER: need = CHECK_V1_0; break;
	case LVSD_PLUGIN_VRRP: need = VRRP_V1_0; break;
	default:
		*why = "unknown plugin kind";
		return -EINVAL;
	}
	if (!d->ops || have < need) {
		*why = "ops table missing or smaller than ABI 1.0's";
		return -EINVAL;
	}
	if (have > sizeof(p->ops))
		have = sizeof(p->ops);
	memcpy(&p->ops, d->ops, have);
	switch (d->kind) {
	case LVSD_PLUGIN_SCHEDULER:
		if (!p->ops.sched.kernel_name || !p->ops.sched.kernel_name[0]) {
			*why = "scheduler without kernel_name";
			return -EINVAL;
		}
		if (check_flags(p->ops.sched.flags, p->why, sizeof(p->why)) < 0) {
			*why = p->why;
			return -EINVAL;
		}
		break;
	case LVSD_PLUGIN_CHECKER:
		if (!p->ops.check.check_option || !p->ops.check.create ||
		    !p->ops.check.run || !p->ops.check.cancel ||
		    !p->ops.check.destroy) {
			*why = "checker lacks a mandatory op";
			return -EINVAL;
		}
		break;
	case LVSD_PLUGIN_VRRP:
		if (!p->ops.vrrp.instance_add || !p->ops.vrrp.instance_del) {
			*why = "VRRP engine lacks a mandatory op";
			return -EINVAL;
		}
		break;
	}
	return 0;
}

/* No entry point for our major: is it a plugin for another one? */
static int other_major(void *dl)
{
	char sym[32];

	for (int major = 0; major <= 16; major++) {
		if (major == LVSD_ABI_MAJOR)
			continue;
		snprintf(sym, sizeof(sym), "lvsd_plugin_entry_v%d", major);
		if (dlsym(dl, sym))
			return major;
	}
	return -1;
}

#define REFUSE(...) do { snprintf(err, errlen, __VA_ARGS__); goto refused; } while (0)

int plugin_load(struct plugin_set *set, const char *path, char *err,
		size_t errlen)
{
	struct plugin *p = calloc(1, sizeof(*p)), **v;
	lvsd_plugin_entry_fn entry;
	const struct lvsd_plugin *d;
	const char *why = NULL;
	int r = -EINVAL, major;

	if (!p || !(p->path = strdup(path))) {
		snprintf(err, errlen, "%s: out of memory", path);
		free(p);
		return -ENOMEM;
	}
	p->self.core = set->host;
	p->self.name = p->path;
	host_api_fill(&p->api, &p->self);

	/* Who may replace this file runs code as root: before dlopen runs
	 * its constructors. */
	{
		char why_sec[1024];
		int s = pathsec_check(path, why_sec, sizeof(why_sec));

		if (s == -EPERM && set->insecure) {
			log_warnx("plugin %s: loaded although %s (plugin_insecure = yes)",
				  path, why_sec);
		} else if (s < 0 && s != -ENOENT) { /* missing: dlopen says so */
			r = s;
			if (s == -EPERM)
				REFUSE("%s: refused: %s (a plugin runs as root: only root may write it and the directories above it; plugin_insecure = yes allows it for a development tree)",
				       path, why_sec);
			REFUSE("%s: refused: %s", path, why_sec);
		}
	}
	r = -EINVAL;
	p->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!p->dl)
		REFUSE("%s: refused: dlopen: %s", path, dlerror());
	*(void **)&entry = dlsym(p->dl, "lvsd_plugin_entry_v1");
	if (!entry) {
		major = other_major(p->dl);
		if (major >= 0)
			REFUSE("%s: refused: built for plugin ABI %d, lvsd speaks ABI %d",
			       path, major, LVSD_ABI_MAJOR);
		REFUSE("%s: refused: no lvsd_plugin_entry_v%d symbol (not an lvsd plugin?)",
		       path, LVSD_ABI_MAJOR);
	}
	d = entry(&p->api);
	if (!d)
		REFUSE("%s: refused: the plugin declined to load", path);
	if (d->abi_major != LVSD_ABI_MAJOR)
		REFUSE("%s: refused: built for plugin ABI %u.%u, lvsd speaks ABI %d.%d",
		       path, d->abi_major, d->abi_minor, LVSD_ABI_MAJOR,
		       LVSD_ABI_MINOR);
	if (d->abi_minor > LVSD_ABI_MINOR)
		REFUSE("%s: refused: built for plugin ABI %u.%u, newer than lvsd's %d.%d",
		       path, d->abi_major, d->abi_minor, LVSD_ABI_MAJOR,
		       LVSD_ABI_MINOR);
	if (d->struct_size < DESC_V1_0)
		REFUSE("%s: refused: descriptor is %u bytes, ABI %d.0 needs at least %zu",
		       path, d->struct_size, LVSD_ABI_MAJOR, (size_t)DESC_V1_0);
	memcpy(&p->desc, d,
	       d->struct_size < sizeof(p->desc) ? d->struct_size : sizeof(p->desc));
	if (!p->desc.name || !p->desc.name[0])
		REFUSE("%s: refused: the plugin has no name", path);
	if (check_ops(p, &why) < 0)
		REFUSE("%s: refused: %s '%s': %s", path,
		       plugin_kind_str(p->desc.kind), p->desc.name, why);
	{
		struct plugin *dup = plugin_find(set, p->desc.kind, p->desc.name);

		if (dup) {
			r = -EEXIST;
			REFUSE("plugin name collision: %s plugin '%s' in both %s and %s; remove or rename one",
			       plugin_kind_str(p->desc.kind), p->desc.name,
			       dup->path, path);
		}
	}
	p->self.name = p->desc.name;
	if (p->desc.init && (r = p->desc.init(&p->api, &p->ctx)) < 0) {
		p->ctx = NULL; /* no fini for a failed init (p->live is 0) */
		REFUSE("%s: refused: %s '%s' failed to initialise: %s", path,
		       plugin_kind_str(p->desc.kind), p->desc.name, strerror(-r));
	}
	p->live = 1; /* fini even if init left *plugin NULL */
	v = realloc(set->v, (set->n + 1) * sizeof(*v));
	if (!v) {
		snprintf(err, errlen, "%s: out of memory", path);
		r = -ENOMEM;
		goto refused;
	}
	set->v = v;
	set->v[set->n++] = p;
	return 0;
refused:
	plugin_free(p);
	return r < 0 ? r : -EINVAL;
}

static int so_filter(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 3 && strcmp(e->d_name + n - 3, ".so") == 0;
}

int plugin_load_dir(struct plugin_set *set, const char *dir,
		    void (*emit)(void *arg, const char *line), void *arg)
{
	struct dirent **names;
	int n, refused = 0, collided = 0;

	{
		char why[1024], line[1400];
		int s = pathsec_check_dir(dir, why, sizeof(why));

		if (s == -EPERM && set->insecure) {
			log_warnx("plugin directory %s: used although %s (plugin_insecure = yes)",
				  dir, why);
		} else if (s == -EPERM) {
			snprintf(line, sizeof(line),
				 "plugin directory %s: refused: %s (plugins run as root: only root may write their directory and those above it; plugin_insecure = yes allows it for a development tree)",
				 dir, why);
			if (emit)
				emit(arg, line);
			else
				log_err("%s", line);
			return -EPERM;
		}
	}
	n = scandir(dir, &names, so_filter, alphasort);
	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		char path[4096], err[8400];
		int r;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		r = plugin_load(set, path, err, sizeof(err));
		if (r == -EEXIST) {
			/* never a silent displacement: an error naming both */
			if (emit)
				emit(arg, err);
			else
				log_err("%s", err);
			collided++;
		} else if (r < 0) {
			/* a file of the plugin directory that is no usable
			 * plugin is an error too (it names the file first) */
			if (emit)
				emit(arg, err);
			else
				log_err("%s", err);
			refused++;
		} else {
			struct plugin *p = set->v[set->n - 1];

			log_info("plugin %s %s '%s' %s loaded (ABI %u.%u)", path,
				 plugin_kind_str(p->desc.kind), p->desc.name,
				 p->desc.version ? p->desc.version : "",
				 p->desc.abi_major, p->desc.abi_minor);
		}
		free(names[i]);
	}
	free(names);
	return collided ? -EEXIST : refused ? -ENOEXEC : 0;
}
