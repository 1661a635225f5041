/* sdnotify.h — what systemd is told of the daemon (systemctl status shows
 * it): ready with the sizes of the configuration in force, reloading. */
#ifndef LVSD_SDNOTIFY_H
#define LVSD_SDNOTIFY_H

#include "context.h"

/* READY=1 with the sizes of d->model, and note (what happened last, "" for
 * nothing) on the STATUS line. */
void sdnotify_ready(const struct daemon *d, const char *note);
/* RELOADING=1 with the CLOCK_MONOTONIC time (systemd 253+ needs it);
 * sdnotify_ready (or a bare READY=1) ends it. */
void sdnotify_reloading(const struct daemon *d);

#endif
