/* checkproc.h — the check process: lvsd (the parent, root) forks a child
 * that drops to check_user and runs every checker plugin, so that no
 * backend's answer is parsed by root. The parent keeps the schedule and the
 * health rules (health.c, agent.c); the checks themselves (create, run,
 * cancel, destroy) go through this module: in the child when privilege
 * separation is on, in-process when it is off (check_user = root, or no
 * checkproc at all: tests). Messages: ckmsg.h. The child's side:
 * checkchild.c.
 *
 * The check set travels as diffs: every create/destroy the health manager
 * makes is one CREATE/DESTROY record, each run one RUN; a (re)started
 * child gets every live check again (CREATE) and the runs that were in
 * flight (RUN). While the child is down, runs wait: no verdict comes, so
 * real servers keep their last state (health results freeze). */
#ifndef LVSD_CHECKPROC_H
#define LVSD_CHECKPROC_H

#include "checkchild.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <lvsd/plugin.h>

#include "host.h"
#include "model.h"
#include "plugin.h"

struct loop;
struct checkproc;

/* Hang: no message from the child for this many heartbeats. */
#define CHECKPROC_HANG_BEATS 10u
/* Restart backoff: first delay, cap; reset after this long up. */
#define CHECKPROC_BACKOFF_MIN_MS 100u
#define CHECKPROC_BACKOFF_MAX_MS 30000u
#define CHECKPROC_STABLE_MS 60000u


struct checkproc_status {
	bool on;               /* separation on (a child, or one coming) */
	bool up;               /* the child runs and said hello */
	int pid;               /* 0: none now */
	char user[64];
	uint32_t uid;
	uint64_t capeff;       /* as the child reported it */
	uint64_t restarts;     /* after a crash, hang or refused message */
	uint64_t crashes, hangs;
	uint64_t refused;      /* malformed or oversized datagrams */
	uint64_t unknown;      /* results for no known check (ignored) */
	size_t checks;         /* proxies */
	int64_t frozen_since;  /* wall s (epoch) the child went down and the
				* health results froze; 0: not frozen */
};

/* host: the parent's host table (check_done goes to host->check_done);
 * in the child it is rewired to the child's loop. 0 or -ENOMEM. */
int checkproc_new(struct loop *loop, const struct plugin_set *plugins,
		  struct host *host, struct checkproc **out);
/* fn(arg) runs in the check process right after each fork, before it
 * does anything else: it frees lvsd's memory that the child never uses
 * (the model), so that those pages stay lvsd's alone and are not counted
 * twice. Memory only: no fd, no message, no plugin call. Set it before
 * checkproc_start; fn NULL: none. */
void checkproc_set_forget(struct checkproc *cp, void (*fn)(void *arg), void *arg);
/* Start-up: check_user of m (root: off, logged; a missing user: -ENOENT,
 * logged with the fix), the needs of m's checks, then the child is forked.
 * 0 or -errno (logged). */
int checkproc_start(struct checkproc *cp, const struct model *m,
		    uint32_t max_scripts);
/* Reload: the needs of m's checks; if they changed, the child restarts
 * with the new ones (logged). */
void checkproc_sync(struct checkproc *cp, const struct model *m,
		    uint32_t max_scripts);
/* Kills the child; every check must have been destroyed first. */
void checkproc_free(struct checkproc *cp);
/* SIGCHLD: reap the child (before spawn_reap, which reaps any pid). */
void checkproc_reap(struct checkproc *cp);
void checkproc_status(const struct checkproc *cp, struct checkproc_status *st);
/* One line for lvsctl status and dump: "check process: pid N, user U
 * (uid N), CapEff HEX, up|starting|restarting; restarts N (crashes N,
 * hangs N, refused messages N); unknown results N; checks N", or
 * "check process: none (...)". */
void checkproc_describe(const struct checkproc *cp, char *buf, size_t len);
/* The needs of m's checks (pure; tests). */
void checkproc_needs_of(const struct model *m, struct checkproc_needs *n);

/* The checker ops, through the child or in-process (cp NULL or off). The
 * ABI's contract holds: target and opts are copied when needed; run()
 * reports later through host->check_done with `check`. */
int checkproc_create(struct checkproc *cp, const struct plugin *p,
		     struct lvsd_check *check,
		     const struct lvsd_check_target *target,
		     const struct lvsd_kv *opts, size_t n_opts, void **state);
int checkproc_run(struct checkproc *cp, const struct plugin *p, void *state);
void checkproc_cancel(struct checkproc *cp, const struct plugin *p, void *state);
void checkproc_destroy(struct checkproc *cp, const struct plugin *p, void *state);
/* checkproc_create for a caller that keeps target and opts (and their
 * strings) valid and unchanged until checkproc_destroy(state): the proxy
 * points at them instead of copying (health.c's checks: 10,000 copies
 * less, issue 14 goal 5). A target whose size is not sizeof(*target) is
 * copied all the same. */
int checkproc_create_kept(struct checkproc *cp, const struct plugin *p,
			  struct lvsd_check *check,
			  const struct lvsd_check_target *target,
			  const struct lvsd_kv *opts, size_t n_opts, void **state);


#endif
