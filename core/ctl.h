/* ctl.h — the control socket: a UNIX stream socket that takes one request
 * line ("v1 status", "v1 weight web 10.0.0.51:80 3") and answers with lines
 * ending in "ok" or "error: <why>". Only root or the configured group can
 * connect (file mode 0660 and a peer-credential check). */
#ifndef LVSD_CTL_H
#define LVSD_CTL_H

#include <stddef.h>
#include <sys/types.h>

struct loop;
struct ctl;

#define CTL_PROTO "v1"
#define CTL_MAX_LINE 4096
#define CTL_MAX_ARGS 16

/* A growing reply. */
struct ctl_reply {
	char *buf;
	size_t len, cap;
	int oom;
};
void ctl_printf(struct ctl_reply *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Handle argv[0..argc-1] (without the protocol word); write the body into
 * r and return 0, or return -errno with the reason in err. */
typedef int (*ctl_handler_fn)(void *arg, int argc, char **argv,
			      struct ctl_reply *r, char *err, size_t errlen);

/* Listen on path (replacing a stale socket); gid (gid_t)-1: root only. */
int ctl_open(struct ctl **out, struct loop *loop, const char *path, gid_t gid,
	     ctl_handler_fn fn, void *arg);
void ctl_close(struct ctl *c);

/* Split a request line in place: checks the protocol word, then words
 * separated by blanks. Returns argc (>= 1), or -EINVAL / -EPROTO / -E2BIG
 * with the reason in err. Outside input: fuzzed (tests/fuzz/fuzz_ctl.c). */
int ctl_parse_line(char *line, char **argv, int max, char *err, size_t errlen);

#endif
