/* dump.h — the daemon's state as text lines: versions, counters, plugins,
 * every virtual and real server with its weights, VRRP, the state file. */
#ifndef LVSD_DUMP_H
#define LVSD_DUMP_H

#include "context.h"

/* emit(arg, line) once per line; line is valid during the call only. */
void dump_state(struct daemon *d, void (*emit)(void *arg, const char *line),
		void *arg);

#endif
