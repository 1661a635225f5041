/* vtrack.h — what VRRP instances track besides their links, as keepalived
 * does: [vrrp_script]s run every interval without a shell (own process
 * group, killed at the timeout; rise/fall), [vrrp_track_file]s (a number,
 * re-read when inotify says the file changed) and [vrrp_track_process]es
 * (matching processes counted from /proc, recounted when the kernel's
 * process connector reports a fork, exec, exit or rename, else polled).
 * From them, each instance gets a priority delta and a FAULT flag;
 * whoever owns the tracker is told when they may have changed. Loop
 * thread only. */
#ifndef LVSD_VTRACK_H
#define LVSD_VTRACK_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct loop;
struct spawner;
struct vtrack;

/* changed(arg) runs (on the loop) after any tracked object changed state. */
int vtrack_new(struct loop *loop, struct spawner *sp,
	       void (*changed)(void *arg), void *arg, struct vtrack **out);
/* Stops every script (killed) and watch. NULL is fine. */
void vtrack_free(struct vtrack *t);

/* Track what model m defines (first start or reload): objects that kept
 * their name and settings keep their state; files and processes are read
 * at once, scripts start now. 0 or -errno (logged). */
int vtrack_apply(struct vtrack *t, const struct model *m);

/* What instance v's tracking says now: the sum of the weights in force
 * (*delta), 1 in *fault if an object of weight 0 fails (or a file's
 * value * weight is below -253), and a short text naming the objects that
 * count (why, always NUL-terminated). A NULL tracker: 0, 0, "". */
void vtrack_eval(const struct vtrack *t, const struct model_vrrp *v,
		 int32_t *delta, int *fault, char *why, size_t len);

/* One line per tracked object for lvsctl status ("track vrrp_script chk:
 * OK ..."). */
void vtrack_report(const struct vtrack *t,
		   void (*emit)(void *arg, const char *line), void *arg);

#endif
