/* spawn.h — notify programs: run an argv without a shell, in its own
 * process group, with a timeout after which it is killed; reap children
 * when the daemon's signalfd reports SIGCHLD. Non-blocking throughout.
 * Also programs whose end matters (the host API's prog_run, MISC_CHECK):
 * output drained and capped, run as another user, at most `max` at once
 * (a FIFO queue for the others), how they ended reported by callback. */
#ifndef LVSD_SPAWN_H
#define LVSD_SPAWN_H

#include <stddef.h>
#include <stdint.h>

#include <lvsd/plugin.h>

struct loop;
struct spawner;

int spawner_new(struct loop *loop, struct spawner **out);
/* [global] script_user: the user every program runs as (notify lines,
 * vrrp_script, MISC_CHECK without its own user/group), with its groups.
 * user NULL or "": SPAWN_DEFAULT_USER. "root": as root. When this
 * process may not change users (neither root nor CAP_SETUID+CAP_SETGID
 * kept, as the check process does when it needs to), or is that user
 * already, nothing is switched. 0, or
 * -ENOENT (no such user) / -errno with err saying so and how to fix it;
 * the previous user stays then. */
#define SPAWN_DEFAULT_USER "lvsd"
int spawner_set_user(struct spawner *s, const char *user, char *err,
		     size_t errlen);
/* "lvsd (uid 999)" or "uid 0 (lvsd's own)": who programs run as. */
const char *spawner_user(const struct spawner *s, char *buf, size_t len);
/* Forget the children still running (they are not killed: at shutdown,
 * omega's notify programs must be left to finish). */
void spawner_free(struct spawner *s);

/* Start argv[0] (found on PATH) with argv; stdin is /dev/null, stdout and
 * stderr are the daemon's. timeout_ms 0: none. Returns 0 once it runs, or
 * -errno (including exec failures such as -ENOENT). */
int spawn_run(struct spawner *s, const char *const *argv, uint32_t timeout_ms);
/* A program whose end matters (a vrrp_script): like spawn_run, but
 * done(arg, wstatus, timed_out) is called once when it ended (wstatus as
 * waitpid gives it; timed_out 1 if the timeout killed it), and nothing is
 * logged about its exit. *pid (may be NULL) names it for spawn_forget. */
typedef void (*spawn_done_fn)(void *arg, int wstatus, int timed_out);
int spawn_run_cb(struct spawner *s, const char *const *argv,
		 uint32_t timeout_ms, spawn_done_fn done, void *arg, int *pid);
/* The caller of spawn_run_cb no longer cares: done is not called, and the
 * program's process group is killed (SIGKILL). */
void spawn_forget(struct spawner *s, int pid);
/* Collect every child that ended (call on SIGCHLD); logs abnormal exits. */
void spawn_reap(struct spawner *s);
/* Children started and not yet reaped. */
size_t spawn_running(const struct spawner *s);

/* ---- programs with a result (see lvsd_host_api.prog_run) ---- */

#define PROG_MAX_DEFAULT 32u   /* [global] max_scripts */
#define PROG_OUTPUT_MAX 65536u /* the largest output_max */

struct prog;

/* How many prog_run programs may run at once, 1..1024; more wait. */
void prog_set_max(struct spawner *s, uint32_t max);
/* Start (or queue) spec; fn(arg, res) later, once, from a loop callback.
 * NULL with *err -EINVAL/-ENOMEM. */
struct prog *prog_run(struct spawner *s, const struct lvsd_prog_spec *spec,
		      lvsd_prog_fn fn, void *arg, int *err);
/* Kill its process group (if it runs) and forget fn. */
void prog_cancel(struct spawner *s, struct prog *p);
/* The checks lvsd -t makes of notify commands (progcheck_line, all of
 * them): 0 or -errno, err says why. */
int prog_check(const char *command, char *err, size_t errlen);
/* Programs running / waiting (tests, status). */
size_t prog_running(const struct spawner *s);
size_t prog_waiting(const struct spawner *s);

#endif
