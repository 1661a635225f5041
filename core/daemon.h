/* daemon.h — the daemon's life: start, signals (SIGHUP reload, SIGUSR1
 * dump, SIGTERM/SIGINT stop), stop. The top of the tree: it builds the
 * context (context.h) and hands it to the parts; no part includes this. */
#ifndef LVSD_DAEMON_H
#define LVSD_DAEMON_H

#include "context.h"

/* Run until stopped; returns the process exit code. */
int daemon_run(const struct daemon_opts *opts);
/* daemon_run's two halves, for tests and the fuzz target: d zeroed but for
 * d->opts (sync_interval_ms set). Start: 0 or -errno (then still stop);
 * the caller runs d->loop. Stop frees everything d holds. */
int daemon_start(struct daemon *d);
void daemon_stop(struct daemon *d);

#endif
