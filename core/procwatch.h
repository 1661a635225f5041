/* procwatch.h — the processes on this machine as track_process sees them:
 * one pass over /proc (each process's comm, its cmdline read only when a
 * spec needs it), whether a process matches a [vrrp_track_process] spec,
 * and the kernel's process connector (netlink CN_PROC), which says that a
 * process forked, exec'd, exited or was renamed. No state of its own. */
#ifndef LVSD_PROCWATCH_H
#define LVSD_PROCWATCH_H

#include "model.h"

#define PROCWATCH_ARGV_MAX 64

/* One process during procwatch_scan (valid in the callback only). */
struct procwatch_proc {
	const char *pid;                /* "1234" */
	char comm[32];                  /* /proc/PID/comm, no newline */
	int cmd_read;                   /* cmdline read (or tried) */
	int argc;                       /* -1: unreadable */
	const char *argv[PROCWATCH_ARGV_MAX]; /* into cmd */
	char cmd[4096];
};

/* Call each(arg, p) for every process whose comm could be read. */
void procwatch_scan(void (*each)(void *arg, struct procwatch_proc *p),
		    void *arg);

/* Does p match spec c (c->process: the name, then the arguments if any;
 * c->full_command: the name is argv[0], else the 15-byte comm)? Reads
 * p's cmdline once if the spec needs it. 1 or 0. */
int procwatch_matches(const struct model_tracker *c, struct procwatch_proc *p);

/* A non-blocking socket subscribed to the process connector (needs
 * CAP_NET_ADMIN in the initial network namespace): the fd (caller
 * closes) or -errno. */
int procwatch_cn_open(void);
/* Read every pending event: 1 if any came (or some were lost: ENOBUFS),
 * else 0. */
int procwatch_cn_drain(int fd);

#endif
