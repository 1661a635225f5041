/* ctl.h — the control socket: a UNIX stream socket that takes one request
 * line ("v1 status", "v1 weight web 10.0.0.51:80 3") and answers with lines
 * ending in "ok" or "error: <why>". Root, control_group (read and change)
 * and control_group_ro (read only) may use it, supplementary groups
 * included (peer credentials, SO_PEERGROUPS). Every connection is
 * non-blocking and served by the loop: no client can hold up another one
 * or a health check. */
#ifndef LVSD_CTL_H
#define LVSD_CTL_H

#include <stddef.h>
#include <sys/types.h>

struct loop;
struct ctl;

#define CTL_PROTO "v1"
#define CTL_MAX_LINE 4096          /* bytes of a request, newline included */
#define CTL_MAX_ARGS 40
/* Connections: at most CTL_MAX_CONNS open; a uid other than root at most
 * CTL_MAX_CONNS_UID of them; read-only peers (control_group_ro) never take
 * the last CTL_RESERVE_WRITE slots, no peer but root the last
 * CTL_RESERVE_ROOT. More: "error: busy: ..." at the door. */
#define CTL_MAX_CONNS 64
#define CTL_MAX_CONNS_UID 8
#define CTL_RESERVE_WRITE 16
#define CTL_RESERVE_ROOT 4
/* Reply bytes not yet read by their clients, checked before a request is
 * served (so a big status is built again only as the old ones are read):
 * at most CTL_MAX_PENDING_UID per uid (root included), at most
 * CTL_MAX_PENDING in all, of which read-only peers never use the last
 * CTL_RESERVE_PENDING_WRITE and no peer but root the last
 * CTL_RESERVE_PENDING_ROOT. */
#define CTL_MAX_PENDING (64u << 20)
#define CTL_MAX_PENDING_UID (4u << 20)
#define CTL_RESERVE_PENDING_WRITE (32u << 20)
#define CTL_RESERVE_PENDING_ROOT (16u << 20)
#define CTL_READ_TIMEOUT_MS 2000   /* to send the request line */
#define CTL_WRITE_TIMEOUT_MS 30000 /* without reading any of the reply */

/* A growing reply. */
struct ctl_reply {
	char *buf;
	size_t len, cap;
	int oom;
};
void ctl_printf(struct ctl_reply *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

enum ctl_access {
	CTL_DENIED = 0,
	CTL_READ,  /* control_group_ro: status, counters, dump */
	CTL_WRITE, /* root or control_group: everything */
};

/* Who sent a request (SO_PEERCRED), and what they may do. */
struct ctl_peer {
	uid_t uid;
	gid_t gid;
	pid_t pid;
	enum ctl_access access;
};

/* Handle argv[0..argc-1] (without the protocol word) for peer; write the
 * body into r and return 0, or return -errno with the reason in err. The
 * handler refuses what peer->access does not allow (-EACCES). */
typedef int (*ctl_handler_fn)(void *arg, const struct ctl_peer *peer,
			      int argc, char **argv, struct ctl_reply *r,
			      char *err, size_t errlen);

/* Listen on path, root only until ctl_set_groups(). A socket there that
 * nobody answers (ECONNREFUSED) is stale and replaced; -EADDRINUSE if a
 * server answers on it (another lvsd), -ENOTSOCK if path is something
 * else (never removed). 0 or -errno. */
int ctl_open(struct ctl **out, struct loop *loop, const char *path,
	     ctl_handler_fn fn, void *arg);
/* Closes every connection (replies not yet read are dropped) and removes
 * the socket if it is still the one bound (same device and inode). */
void ctl_close(struct ctl *c);

/* Who besides root may connect: group (read and change) and group_ro
 * (read only), by name; NULL: none. Sets the socket's mode and group
 * (0600; 0660 with one group; 0666 with both, the peer check deciding).
 * An unknown group is logged and left out. 0 or -errno (chmod/chown). */
int ctl_set_groups(struct ctl *c, const char *group, const char *group_ro);

/* The access of a connected peer: root and group members (primary or
 * supplementary) CTL_WRITE, group_ro members CTL_READ, else CTL_DENIED
 * with the reason in why. 0, or -errno if the credentials are unreadable. */
int ctl_peer_check(const struct ctl *c, int fd, struct ctl_peer *p, char *why,
		   size_t whylen);

/* Serve an already connected socket as if accepted, with peer's rights
 * (tests and the fuzz target; accept does the same). Takes fd (closed on
 * error too). 0 or -errno. */
int ctl_adopt(struct ctl *c, int fd, const struct ctl_peer *peer);
/* Connections open now. */
size_t ctl_conn_count(const struct ctl *c);

/* Split a request line of len bytes (no newline) in place: checks for
 * control characters (NUL included), the protocol word, then words
 * separated by blanks. Returns argc (>= 1), or -EINVAL / -EPROTO / -E2BIG
 * with the reason in err. line must have room for len + 1 bytes. Outside
 * input: fuzzed (tests/fuzz/fuzz_ctl.c, with the whole connection path). */
int ctl_parse_line(char *line, size_t len, char **argv, int max, char *err,
		   size_t errlen);

#endif
