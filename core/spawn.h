/* spawn.h — notify programs: run an argv without a shell, in its own
 * process group, with a timeout after which it is killed; reap children
 * when the daemon's signalfd reports SIGCHLD. Non-blocking throughout. */
#ifndef LVSD_SPAWN_H
#define LVSD_SPAWN_H

#include <stddef.h>
#include <stdint.h>

struct loop;
struct spawner;

int spawner_new(struct loop *loop, struct spawner **out);
/* Forget the children still running (they are not killed: at shutdown,
 * omega's notify programs must be left to finish). */
void spawner_free(struct spawner *s);

/* Start argv[0] (found on PATH) with argv; stdin is /dev/null, stdout and
 * stderr are the daemon's. timeout_ms 0: none. Returns 0 once it runs, or
 * -errno (including exec failures such as -ENOENT). */
int spawn_run(struct spawner *s, const char *const *argv, uint32_t timeout_ms);
/* Collect every child that ended (call on SIGCHLD); logs abnormal exits. */
void spawn_reap(struct spawner *s);
/* Children started and not yet reaped. */
size_t spawn_running(const struct spawner *s);

#endif
