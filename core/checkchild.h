/* checkchild.h — the check process's own side (checkchild.c): what lvsd
 * hands it at the fork, and its life, which never returns (see
 * checkproc.h for lvsd's side, which includes this and lvsd(8) PROCESSES). */
#ifndef LVSD_CHECKCHILD_H
#define LVSD_CHECKCHILD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct plugin_set;
struct host;

/* The child's socket is this fd in the child (a test plugin that plays
 * a compromised check process writes to it). */
#define CHECKPROC_CHILD_FD 3

/* What the check process may do, from the checks configured. */
struct checkproc_needs {
	bool net_admin; /* a check with fwmark (SO_MARK) */
	bool net_raw;   /* a raw-socket check (none today) */
	bool setid;     /* a check runs programs as another user */
	bool programs;  /* a check runs programs: no NO_NEW_PRIVS */
	/* (setid and programs stay false today: MISC_CHECK, the one checker
	 * that runs programs, runs in lvsd; see checkproc.c in_parent) */
};

/* The child's life (checkchild.c): never returns. */
struct checkchild_cfg {
	const struct plugin_set *plugins;
	struct host *host;
	int fd;
	pid_t parent;
	char user[64];
	uid_t uid;
	gid_t gid;
	gid_t groups[64];  /* its supplementary groups (found before the fork) */
	int n_groups;
	bool drop;        /* setuid to uid (lvsd runs as root) */
	struct checkproc_needs needs;
	uint32_t max_scripts;
	char script_user[64]; /* MISC_CHECK's programs ("": the default) */
};
void checkchild_main(const struct checkchild_cfg *cfg) __attribute__((noreturn));

#endif
