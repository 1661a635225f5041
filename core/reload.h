/* reload.h — putting a new configuration in force while running (SIGHUP,
 * lvsctl reload): on any error the running one stays. */
#ifndef LVSD_RELOAD_H
#define LVSD_RELOAD_H

#include "context.h"

/* Apply a reload even if it removes every virtual server (or every VRRP
 * instance) of the running daemon. */
#define RELOAD_FORCE 0x1u
/* Re-read d->opts.config; on error the running configuration stays. 0 or
 * -errno (errors logged; with errs != NULL also handed over as text
 * lines). -ECANCELED: refused, since it would remove every virtual server
 * or every VRRP instance (an empty or truncated file) and flags lacks
 * RELOAD_FORCE. */
int reload_config(struct daemon *d, unsigned flags,
		  void (*errs)(void *arg, const char *line), void *arg);

/* Put m in force (the daemon takes it, freed on an error): the diff
 * logged with why ("lvsctl add-rs"; NULL: "reload"), the real servers,
 * operator layer, SNMP tables, checks and agents follow, IPVS opened if
 * needed; the kernel is not touched (the caller applies). 0 or -ENOMEM
 * (the running model stays). */
int reload_install(struct daemon *d, struct model *m, const char *why);

#endif
