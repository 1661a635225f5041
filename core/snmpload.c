/* snmpload.c — lvsd's side of the SNMP subagent (snmpload.h): the subagent
 * (snmp*.c, Net-SNMP) is built as a module, lvsd-snmp.so, that lvsd loads
 * only when the configuration says snmp = yes. Net-SNMP maps libcrypto,
 * libperl, Kerberos and more: about 3 MB of RSS in lvsd and 1 MB in its
 * check process that a configuration without SNMP never needs (issue 14
 * goal 5). */
#include "snmpload.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "context.h"
#include "pathsec.h"
#include "snmpmod.h"

#ifndef LVSD_MODDIR
#define LVSD_MODDIR "/usr/local/lib/lvsd"
#endif
#define SNMP_MODULE "lvsd-snmp.so"

static struct {
	void *h;
	int (*start)(struct daemon *d, struct snmp **out);
	void (*stop)(struct snmp *s);
	void (*reloaded)(struct snmp *s);
	void (*notify_rs)(struct snmp *s, const struct srv *srv);
	void (*notify_quorum)(struct snmp *s, const struct model_vs *vs, bool lost);
	void (*notify_vrrp)(struct snmp *s);
} mod;

/* lvsd's functions the module calls (snmpmod.h) */
static const struct snmp_core core = {
#define SNMP_CORE_INIT(f) .f = f,
	SNMP_CORE_FNS(SNMP_CORE_INIT)
#undef SNMP_CORE_INIT
};

/* The module's path: beside the executable (a build tree), else the
 * one installed in LVSD_MODDIR. */
static void module_path(char *path, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/'))) {
			*slash = '\0';
			snprintf(path, len, "%s/%s", exe, SNMP_MODULE);
			if (access(path, F_OK) == 0)
				return;
		}
	}
	snprintf(path, len, "%s/%s", LVSD_MODDIR, SNMP_MODULE);
}

int snmpload_check(bool insecure, char *why, size_t len)
{
	char path[PATH_MAX + sizeof(SNMP_MODULE)], err[512];
	int r;

	module_path(path, sizeof(path));
	if ((r = pathsec_check(path, err, sizeof(err))) == 0 ||
	    (r == -EPERM && insecure))
		return 0;
	if (r == -EPERM)
		snprintf(why, len, "SNMP module %s refused: %s (it runs as root: only root may write it and the directories above it; plugin_insecure = yes allows it for a development tree)",
			 path, err);
	else
		snprintf(why, len, "SNMP module %s: %s (looked beside lvsd, then in %s)",
			 path, err, LVSD_MODDIR);
	return r;
}

/* Load the module (module_path); it runs as root, so it must pass the
 * check a plugin passes (pathsec.h: root's, writable by nobody else, nor
 * any directory above it), unless insecure (plugin_insecure = yes:
 * loaded, logged). 0 or -errno (logged). */
static int load(bool insecure)
{
	char why[512], path[PATH_MAX + sizeof(SNMP_MODULE)];
	const char *err = NULL;
	snmp_module_init_fn init;
	int r;

	if (mod.h)
		return 0;
	module_path(path, sizeof(path));
	if ((r = pathsec_check(path, why, sizeof(why))) < 0) {
		if (r == -EPERM && insecure) {
			log_warnx("snmp: module %s loaded although %s (plugin_insecure = yes)",
				  path, why);
		} else if (r == -EPERM) {
			log_err("snmp: module %s refused: %s (it runs as root: only root may write it and the directories above it; plugin_insecure = yes allows it for a development tree); lvsd runs without SNMP",
				path, why);
			return r;
		} else {
			log_err("snmp: module %s: %s (looked beside lvsd, then in %s); lvsd runs without SNMP",
				path, why, LVSD_MODDIR);
			return r;
		}
	}
	if (!(mod.h = dlopen(path, RTLD_NOW | RTLD_LOCAL))) {
		err = dlerror();
		log_err("snmp: cannot load %s: %s", path, err ? err : "?");
		return -ENOENT;
	}
	*(void **)&mod.start = dlsym(mod.h, "snmp_start");
	*(void **)&mod.stop = dlsym(mod.h, "snmp_stop");
	*(void **)&mod.reloaded = dlsym(mod.h, "snmp_reloaded");
	*(void **)&mod.notify_rs = dlsym(mod.h, "snmp_notify_rs");
	*(void **)&mod.notify_quorum = dlsym(mod.h, "snmp_notify_quorum");
	*(void **)&mod.notify_vrrp = dlsym(mod.h, "snmp_notify_vrrp");
	*(void **)&init = dlsym(mod.h, "snmp_module_init");
	if (!init || !mod.start || !mod.stop || !mod.reloaded || !mod.notify_rs ||
	    !mod.notify_quorum || !mod.notify_vrrp) {
		log_err("snmp: %s is not lvsd's SNMP module (a symbol is missing)", path);
		dlclose(mod.h);
		memset(&mod, 0, sizeof(mod));
		return -ENOEXEC;
	}
	if (init(&core, sizeof(core), LVSD_VERSION) < 0) {
		log_err("snmp: %s is the SNMP module of another lvsd build than %s",
			path, LVSD_VERSION);
		dlclose(mod.h);
		memset(&mod, 0, sizeof(mod));
		return -ENOEXEC;
	}
	return 0;
}

int snmpload_start(struct daemon *d, struct snmp **out)
{
	int r;

	*out = NULL;
	if (!d->model->global.snmp)
		return 0; /* Net-SNMP is never mapped */
	if ((r = load(d->model->global.plugin_insecure)) < 0)
		return r;
	return mod.start(d, out);
}

/* The module stays loaded once it was (Net-SNMP keeps process-wide state
 * and handlers). s is NULL whenever the module is not loaded. */
void snmpload_stop(struct snmp *s)
{
	if (s)
		mod.stop(s);
}

void snmpload_reloaded(struct snmp *s)
{
	if (s)
		mod.reloaded(s);
}

void snmpload_notify_rs(struct snmp *s, const struct srv *srv)
{
	if (s)
		mod.notify_rs(s, srv);
}

void snmpload_notify_quorum(struct snmp *s, const struct model_vs *vs, bool lost)
{
	if (s)
		mod.notify_quorum(s, vs, lost);
}

void snmpload_notify_vrrp(struct snmp *s)
{
	if (s)
		mod.notify_vrrp(s);
}
