/* sdnotify.h — what systemd is told of the daemon (systemctl status shows
 * it): ready with the sizes of the configuration in force, reloading. */
#ifndef LVSD_SDNOTIFY_H
#define LVSD_SDNOTIFY_H

#include <stdint.h>

#include "context.h"

/* fmt's text (one datagram, at most 1023 bytes) to the service manager
 * at $NOTIFY_SOCKET, as sd_notify(3) would: 0 when there is none (not
 * under systemd), 1 when sent, -errno when it could not be. */
int sdnotify_send(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* $WATCHDOG_USEC when it is meant for this process ($WATCHDOG_PID unset
 * or ours), else 0 (no watchdog): sd_watchdog_enabled(3). */
uint64_t sdnotify_watchdog_us(void);

/* READY=1 with the sizes of d->model, and note (what happened last, "" for
 * nothing) on the STATUS line. */
void sdnotify_ready(const struct daemon *d, const char *note);
/* RELOADING=1 with the CLOCK_MONOTONIC time (systemd 253+ needs it);
 * sdnotify_ready (or a bare READY=1) ends it. */
void sdnotify_reloading(const struct daemon *d);

#endif
