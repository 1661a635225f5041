/* plugin.h — the plugin loader and registry: dlopen()s plugin files,
 * checks their descriptor against the ABI, hands them the host table, and
 * finds them by kind and name. */
#ifndef LVSD_PLUGIN_LOADER_H
#define LVSD_PLUGIN_LOADER_H

#include <stddef.h>

#include <lvsd/plugin.h>

#include "host.h"

struct plugin {
	char *path;
	void *dl;
	/* Copies, zero-extended to the core's sizes. */
	struct lvsd_plugin desc;
	union {
		struct lvsd_scheduler_ops sched;
		struct lvsd_checker_ops check;
		struct lvsd_vrrp_ops vrrp;
	} ops;
	void *ctx; /* from desc.init (may be NULL) */
	int live;  /* init returned 0 (or there is none): fini is due */
	char why[160]; /* a refusal's reason, while loading */
	struct lvsd_host self;
	struct lvsd_host_api api;
};

struct plugin_set {
	struct plugin **v;
	size_t n;
	struct host *host;
	/* [global] plugin_insecure / --plugin-insecure: load files that are
	 * not root's or that others may write (pathsec.h), with a warning. */
	int insecure;
};

void plugin_set_init(struct plugin_set *set, struct host *host);
/* Unloads every plugin (fini, dlclose). */
void plugin_set_free(struct plugin_set *set);

/* Load one file. 0, or -errno with the reason in err (which names the
 * file). A refused plugin leaves the set unchanged. -EPERM: the file or a
 * directory above it is not owned by root or others may write it
 * (pathsec_check), unless set->insecure. -EEXIST: a plugin of
 * the same kind and name is loaded already (err names both files). */
int plugin_load(struct plugin_set *set, const char *path, char *err,
		size_t errlen);
/* Load every *.so of dir, in name order. Two files that give the same
 * kind and name are an error, never a displacement: each collision goes
 * to emit(arg, line) (NULL: the log) naming both files, the rest of dir
 * is still loaded, and the return is -EEXIST. A file that is refused
 * (dlopen, ABI, init) goes to emit as "FILE: refused: ..." and makes the
 * return -ENOEXEC (if no collision). 0 if every file loaded, -errno if
 * dir cannot be read; -EPERM (emitted, nothing loaded) if dir or a parent
 * is not owned by root or others may write it, unless set->insecure. */
int plugin_load_dir(struct plugin_set *set, const char *dir,
		    void (*emit)(void *arg, const char *line), void *arg);

struct plugin *plugin_find(const struct plugin_set *set,
			   enum lvsd_plugin_kind kind, const char *name);
const char *plugin_kind_str(enum lvsd_plugin_kind kind);

#endif
