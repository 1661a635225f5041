/* reload.h — putting a new configuration in force while running (SIGHUP,
 * lvsctl reload): on any error the running one stays. */
#ifndef LVSD_RELOAD_H
#define LVSD_RELOAD_H

#include "context.h"

/* Apply a reload even if it removes every virtual server (or every VRRP
 * instance) of the running daemon, or moves the sync daemons to an
 * interface that does not exist. */
#define RELOAD_FORCE 0x1u
/* Re-read d->opts.config; on error the running configuration stays. 0 or
 * -errno (errors logged; with errs != NULL also handed over as text
 * lines). -ECANCELED: refused, since it would remove every virtual server
 * or every VRRP instance (an empty or truncated file) and flags lacks
 * RELOAD_FORCE; -ENODEV: refused, lvs_sync_daemon names a new interface
 * that does not exist (ipvssync_reload_check), idem. */
int reload_config(struct daemon *d, unsigned flags,
		  void (*errs)(void *arg, const char *line), void *arg);

#endif
