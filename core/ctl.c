/* ctl.c — the control socket server (see ctl.h). Each connection is a small
 * state machine on the loop: read (non-blocking, into a capped buffer) until
 * the newline, dispatch once, then write the buffered reply as the socket
 * takes it (EPOLLOUT). One timer per connection is its deadline. */
#include "ctl.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS 59
#endif

struct ctl_conn {
	struct ctl *c;
	int fd;
	struct loop_io *io;
	struct loop_timer *deadline;
	struct ctl_peer peer;
	int writing;            /* the request is answered; out is the reply */
	size_t in_len;
	char *out;
	size_t out_len, out_off;
	size_t progress;        /* out_off - unread in the kernel, at arming */
	struct ctl_conn *prev, *next;
	char in[CTL_MAX_LINE + 1];
};

struct ctl_group {
	gid_t gid;
	int set;
	char name[64];
};

struct ctl {
	struct loop *loop;
	int fd;
	struct loop_io *io;
	char *path;
	struct ctl_group rw, ro;
	ctl_handler_fn fn;
	void *arg;
	struct ctl_conn *conns;
	size_t n_conns;
	size_t pending;          /* reply bytes not yet written, all conns */
	dev_t dev;               /* the socket file bound (ctl_close) */
	ino_t ino;
	int bound;
};

void ctl_printf(struct ctl_reply *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(r->buf ? r->buf + r->len : NULL,
			      r->buf ? r->cap - r->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			r->oom = 1;
			return;
		}
		if (r->buf && r->len + (size_t)n < r->cap) {
			r->len += (size_t)n;
			return;
		}
		size_t cap = r->cap ? r->cap * 2 : 4096;

		while (cap < r->len + (size_t)n + 1)
			cap *= 2;
		char *b = realloc(r->buf, cap);

		if (!b) {
			r->oom = 1;
			return;
		}
		r->buf = b;
		r->cap = cap;
	}
}

int ctl_parse_line(char *line, size_t len, char **argv, int max, char *err,
		   size_t errlen)
{
	char *save = NULL, *tok;
	int argc = 0;

	/* Every byte up to len, so a NUL cannot hide the rest of the line. */
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)line[i] < 0x20 && line[i] != '\t') {
			snprintf(err, errlen, "control character 0x%02x in request "
				 "(byte %zu)", (unsigned char)line[i], i + 1);
			return -EINVAL;
		}
		if ((unsigned char)line[i] == 0x7f) {
			snprintf(err, errlen, "control character 0x7f in request "
				 "(byte %zu)", i + 1);
			return -EINVAL;
		}
	}
	line[len] = '\0';
	tok = strtok_r(line, " \t", &save);
	if (!tok || strcmp(tok, CTL_PROTO) != 0) {
		snprintf(err, errlen, "protocol %s expected (lvsctl and lvsd differ?)",
			 CTL_PROTO);
		return -EPROTO;
	}
	while ((tok = strtok_r(NULL, " \t", &save))) {
		if (argc == max) {
			snprintf(err, errlen, "too many words (at most %d)", max);
			return -E2BIG;
		}
		argv[argc++] = tok;
	}
	if (argc == 0) {
		snprintf(err, errlen, "empty request");
		return -EINVAL;
	}
	return argc;
}

/* ---------------------------------------------------------- peer check */

static int gid_in(gid_t g, const gid_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == g)
			return 1;
	return 0;
}

/* The peer's groups: SO_PEERGROUPS (Linux 4.13, what it had at connect),
 * else /proc/PID/status, else the user database. *out malloc'd. */
static int peer_groups(int fd, const struct ucred *cr, gid_t **out, size_t *n)
{
	socklen_t len = 64 * sizeof(gid_t);
	gid_t *v = malloc(len);
	char path[64], line[4096];
	FILE *f;

	*out = NULL;
	*n = 0;
	if (!v)
		return -ENOMEM;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, v, &len) == 0)
		goto done;
	if (errno == ERANGE) { /* len now says how much it needs */
		gid_t *w = realloc(v, len ? len : 1);

		if (!w) {
			free(v);
			return -ENOMEM;
		}
		v = w;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, v, &len) == 0)
			goto done;
	}
	free(v);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)cr->pid);
	if ((f = fopen(path, "re"))) {
		while (fgets(line, sizeof(line), f)) {
			char *p = line + 7, *end;
			size_t cap = 0;

			if (strncmp(line, "Groups:", 7) != 0)
				continue;
			for (;;) {
				unsigned long g = strtoul(p, &end, 10);

				if (end == p)
					break;
				if (*n == cap) {
					gid_t *w = realloc(*out, (cap = cap ? cap * 2 : 16) *
							   sizeof(gid_t));

					if (!w)
						break;
					*out = w;
				}
				(*out)[(*n)++] = (gid_t)g;
				p = end;
			}
			fclose(f);
			return 0;
		}
		fclose(f);
	}
	{
		struct passwd *pw = getpwuid(cr->uid);
		int ng = 64;

		if (!pw)
			return -ENOENT;
		for (int tries = 0; tries < 4; tries++) {
			gid_t *w = realloc(*out, (size_t)ng * sizeof(gid_t));

			if (!w)
				return -ENOMEM;
			*out = w;
			if (getgrouplist(pw->pw_name, cr->gid, w, &ng) >= 0) {
				*n = (size_t)ng;
				return 0;
			}
		}
	}
	return -ENOENT;
done:
	*out = v;
	*n = len / sizeof(gid_t);
	return 0;
}

int ctl_peer_check(const struct ctl *c, int fd, struct ctl_peer *p, char *why,
		   size_t whylen)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);
	gid_t *groups = NULL;
	size_t n = 0;

	memset(p, 0, sizeof(*p));
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0) {
		snprintf(why, whylen, "permission denied: peer credentials: %s",
			 strerror(errno));
		return -errno;
	}
	p->uid = cr.uid;
	p->gid = cr.gid;
	p->pid = cr.pid;
	if (cr.uid == 0) {
		p->access = CTL_WRITE;
		return 0;
	}
	if (c->rw.set || c->ro.set)
		peer_groups(fd, &cr, &groups, &n);
	if (c->rw.set && (cr.gid == c->rw.gid || gid_in(c->rw.gid, groups, n)))
		p->access = CTL_WRITE;
	else if (c->ro.set && (cr.gid == c->ro.gid || gid_in(c->ro.gid, groups, n)))
		p->access = CTL_READ;
	free(groups);
	if (p->access != CTL_DENIED)
		return 0;
	if (!c->rw.set && !c->ro.set)
		snprintf(why, whylen, "permission denied: uid %u is not root "
			 "(no control_group is configured)", (unsigned)cr.uid);
	else
		snprintf(why, whylen, "permission denied: uid %u is not root and "
			 "not in %s%s%s%s%s", (unsigned)cr.uid,
			 c->rw.set ? "control_group " : "", c->rw.set ? c->rw.name : "",
			 c->rw.set && c->ro.set ? " or " : "",
			 c->ro.set ? "control_group_ro " : "", c->ro.set ? c->ro.name : "");
	return 0;
}

static int group_lookup(struct ctl_group *g, const char *key, const char *name)
{
	struct group *gr;

	memset(g, 0, sizeof(*g));
	if (!name)
		return 0;
	gr = getgrnam(name);
	if (!gr) {
		log_warnx("%s %s: no such group; left out", key, name);
		return -ENOENT;
	}
	g->gid = gr->gr_gid;
	g->set = 1;
	snprintf(g->name, sizeof(g->name), "%s", name);
	return 0;
}

int ctl_set_groups(struct ctl *c, const char *group, const char *group_ro)
{
	mode_t mode = 0600;
	gid_t gid = 0;

	group_lookup(&c->rw, "control_group", group);
	group_lookup(&c->ro, "control_group_ro", group_ro);
	if (c->rw.set && c->ro.set) {
		mode = 0666; /* two groups: the peer check alone decides */
	} else if (c->rw.set || c->ro.set) {
		mode = 0660;
		gid = c->rw.set ? c->rw.gid : c->ro.gid;
	}
	if (chown(c->path, (uid_t)-1, gid) < 0 && errno != EPERM)
		return -errno;
	if (chmod(c->path, mode) < 0)
		return -errno;
	return 0;
}

/* --------------------------------------------------------- connections */

static void conn_free(struct ctl_conn *k)
{
	struct ctl *c = k->c;

	if (k->deadline)
		loop_timer_del(c->loop, k->deadline);
	if (k->io)
		loop_io_del(c->loop, k->io);
	close(k->fd);
	c->pending -= k->out_len - k->out_off;
	free(k->out);
	if (k->prev)
		k->prev->next = k->next;
	else
		c->conns = k->next;
	if (k->next)
		k->next->prev = k->prev;
	c->n_conns--;
	free(k);
}

static void on_deadline(void *arg);

static void arm_deadline(struct ctl_conn *k, uint64_t ms)
{
	if (k->deadline)
		loop_timer_del(k->c->loop, k->deadline);
	k->deadline = loop_timer_add(k->c->loop, ms, on_deadline, k);
}

/* Write what the socket takes; done: close. Progress restarts the
 * deadline: a client reading slowly (a pipe into a slow reader) keeps its
 * reply, one reading nothing for CTL_WRITE_TIMEOUT_MS is dropped. */
static void flush(struct ctl_conn *k)
{
	size_t off0 = k->out_off;

	while (k->out_off < k->out_len) {
		ssize_t w = send(k->fd, k->out + k->out_off, k->out_len - k->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (k->out_off != off0)
				arm_deadline(k, CTL_WRITE_TIMEOUT_MS);
			return; /* EPOLLOUT brings us back */
		}
		if (w <= 0) {
			conn_free(k); /* the client went away */
			return;
		}
		k->out_off += (size_t)w;
		k->c->pending -= (size_t)w;
	}
	conn_free(k);
}

/* Answer once: the body, then "ok" or "error: why" (a failed reload's
 * FILE:LINE messages are its body); then write it out. */
static void answer(struct ctl_conn *k, struct ctl_reply *r, int rc,
		   const char *err)
{
	struct ctl_reply out = { 0 };

	if (!r->oom) {
		out = *r;
		*r = (struct ctl_reply){ 0 };
		if (out.len && out.buf[out.len - 1] != '\n')
			ctl_printf(&out, "\n");
	} else {
		free(r->buf);
		*r = (struct ctl_reply){ 0 };
	}
	if (rc == 0 && !out.oom && !r->oom)
		ctl_printf(&out, "ok\n");
	else
		ctl_printf(&out, "error: %s\n", rc == 0 ? "out of memory" :
			   err && err[0] ? err : strerror(-rc));
	if (out.oom) {
		static const char msg[] = "error: out of memory\n";

		free(out.buf);
		out.buf = strdup(msg);
		out.len = out.buf ? sizeof(msg) - 1 : 0;
	}
	k->writing = 1;
	k->out = out.buf;
	k->out_len = out.len;
	k->out_off = 0;
	k->progress = 0;
	k->c->pending += out.len;
	arm_deadline(k, CTL_WRITE_TIMEOUT_MS);
	if (k->io)
		loop_io_mod(k->c->loop, k->io, EPOLLOUT);
	flush(k);
}

static void answer_error(struct ctl_conn *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void answer_error(struct ctl_conn *k, const char *fmt, ...)
{
	struct ctl_reply r = { 0 };
	char err[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, sizeof(err), fmt, ap);
	va_end(ap);
	answer(k, &r, -EINVAL, err);
}

/* Reply bytes the client has read so far: what we wrote less what still
 * waits in the socket (SIOCOUTQ; without it, what we wrote). */
static size_t read_by_client(const struct ctl_conn *k)
{
	int q = 0;

	if (ioctl(k->fd, SIOCOUTQ, &q) < 0 || q < 0 || (size_t)q > k->out_off)
		q = 0;
	return k->out_off - (size_t)q;
}

static void on_deadline(void *arg)
{
	struct ctl_conn *k = arg;
	size_t now;

	k->deadline = NULL; /* the loop frees the handle */
	if (k->writing && (now = read_by_client(k)) > k->progress) {
		/* it reads, slowly (the socket may not have woken us) */
		k->progress = now;
		arm_deadline(k, CTL_WRITE_TIMEOUT_MS);
		if (k->deadline)
			return;
	}
	if (k->writing) {
		log_info("control socket: uid %u did not read its reply within %d s; "
			 "dropped", (unsigned)k->peer.uid, CTL_WRITE_TIMEOUT_MS / 1000);
		conn_free(k);
		return;
	}
	answer_error(k, "timed out waiting for the request line (%d s)",
		     CTL_READ_TIMEOUT_MS / 1000);
}

/* Connections of uid open now, and their reply bytes not yet read. */
static size_t uid_conns(const struct ctl *c, uid_t uid, size_t *pending)
{
	size_t n = 0;

	if (pending)
		*pending = 0;
	for (const struct ctl_conn *k = c->conns; k; k = k->next) {
		if (k->peer.uid != uid)
			continue;
		n++;
		if (pending)
			*pending += k->out_len - k->out_off;
	}
	return n;
}

static void dispatch(struct ctl_conn *k, size_t len)
{
	struct ctl *c = k->c;
	char err[512] = "", *argv[CTL_MAX_ARGS];
	struct ctl_reply r = { 0 };
	size_t lim = CTL_MAX_PENDING, mine;
	int argc, rc;

	/* Before anything is built: a client that does not read cannot make
	 * the loop build big replies again and again, nor use the budget of
	 * the others (ctl.h). */
	if (k->peer.uid != 0)
		lim -= CTL_RESERVE_PENDING_ROOT;
	if (k->peer.access < CTL_WRITE)
		lim -= CTL_RESERVE_PENDING_WRITE;
	uid_conns(c, k->peer.uid, &mine);
	if (mine >= CTL_MAX_PENDING_UID) {
		answer_error(k, "busy: %zu reply bytes are waiting for the other "
			     "clients of uid %u (at most %u); read them or close "
			     "those connections", mine, (unsigned)k->peer.uid,
			     CTL_MAX_PENDING_UID);
		return;
	}
	if (c->pending >= lim) {
		answer_error(k, "busy: %zu reply bytes are waiting for slow "
			     "clients; try again", c->pending);
		return;
	}
	argc = ctl_parse_line(k->in, len, argv, CTL_MAX_ARGS, err, sizeof(err));
	if (argc < 0) {
		answer(k, &r, argc, err);
		return;
	}
	rc = c->fn(c->arg, &k->peer, argc, argv, &r, err, sizeof(err));
	answer(k, &r, rc, err);
}

static void on_readable(struct ctl_conn *k)
{
	for (;;) {
		ssize_t n;
		char *nl;

		if (k->in_len == CTL_MAX_LINE) {
			answer_error(k, "request too long (at most %d bytes)",
				     CTL_MAX_LINE);
			return;
		}
		n = recv(k->fd, k->in + k->in_len, CTL_MAX_LINE - k->in_len,
			 MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			conn_free(k);
			return;
		}
		if (n == 0) {
			answer_error(k, k->in_len ? "incomplete request (no newline)"
						  : "empty request");
			return;
		}
		nl = memchr(k->in + k->in_len, '\n', (size_t)n);
		k->in_len += (size_t)n;
		if (nl) {
			dispatch(k, (size_t)(nl - k->in));
			return;
		}
	}
}

static void on_conn(void *arg, int fd, uint32_t events)
{
	struct ctl_conn *k = arg;

	(void)fd;
	if (k->writing)
		flush(k);
	else if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		on_readable(k);
}

int ctl_adopt(struct ctl *c, int fd, const struct ctl_peer *peer)
{
	struct ctl_conn *k;
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    !(k = calloc(1, sizeof(*k)))) {
		close(fd);
		return fl < 0 ? -EBADF : -ENOMEM;
	}
	k->c = c;
	k->fd = fd;
	k->peer = *peer;
	k->next = c->conns;
	if (c->conns)
		c->conns->prev = k;
	c->conns = k;
	c->n_conns++;
	k->io = loop_io_add(c->loop, fd, EPOLLIN, on_conn, k);
	arm_deadline(k, CTL_READ_TIMEOUT_MS);
	if (!k->io || !k->deadline) {
		conn_free(k);
		return -ENOMEM;
	}
	return 0;
}

size_t ctl_conn_count(const struct ctl *c) { return c->n_conns; }

/* A refusal at the door: one line the socket takes at once, then close. */
static void refuse(int fd, const char *why)
{
	char line[400];
	int n = snprintf(line, sizeof(line), "error: %s\n", why);

	if (send(fd, line, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		(void)0; /* nothing more to say to it */
	close(fd);
}

/* Room for peer? Decided at the door, where its access is known: the
 * last slots are kept for the operators and root (ctl.h). */
static int admit(const struct ctl *c, const struct ctl_peer *p, char *why,
		 size_t len)
{
	size_t lim = CTL_MAX_CONNS, n;

	if (p->uid != 0)
		lim -= CTL_RESERVE_ROOT;
	if (p->access < CTL_WRITE)
		lim -= CTL_RESERVE_WRITE;
	if (c->n_conns >= lim) {
		snprintf(why, len, "busy: %zu control connections are open; "
			 "try again", c->n_conns);
		return 0;
	}
	if (p->uid != 0 &&
	    (n = uid_conns(c, p->uid, NULL)) >= CTL_MAX_CONNS_UID) {
		snprintf(why, len, "busy: uid %u has %zu control connections "
			 "open (at most %d); try again", (unsigned)p->uid, n,
			 CTL_MAX_CONNS_UID);
		return 0;
	}
	return 1;
}

static void on_accept(void *arg, int lfd, uint32_t events)
{
	struct ctl *c = arg;

	(void)events;
	for (int i = 0; i < CTL_MAX_CONNS; i++) {
		struct ctl_peer peer;
		char why[300] = "";
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

		if (fd < 0)
			return;
		if (ctl_peer_check(c, fd, &peer, why, sizeof(why)) < 0 ||
		    peer.access == CTL_DENIED) {
			log_info("control socket: %s", why);
			refuse(fd, why);
			continue;
		}
		if (!admit(c, &peer, why, sizeof(why))) {
			refuse(fd, why);
			continue;
		}
		if (ctl_adopt(c, fd, &peer) < 0)
			log_warnx("control socket: out of memory");
	}
}

/* What is at path before we bind: nothing, or a socket nobody answers
 * (an earlier run's; removed): 0. A socket that answers: -EADDRINUSE.
 * Anything else (a file, the config...): -ENOTSOCK, left alone. */
static int clear_stale(const char *path, const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, r;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	r = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	if (r == 0 || errno == EAGAIN || errno == EINPROGRESS) {
		close(fd); /* answered (EAGAIN: its backlog is full) */
		return -EADDRINUSE;
	}
	r = errno;
	close(fd);
	if (r != ECONNREFUSED)
		return -r;
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int ctl_open(struct ctl **out, struct loop *loop, const char *path,
	     ctl_handler_fn fn, void *arg)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	struct ctl *c;
	int e;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	c = calloc(1, sizeof(*c));
	if (!c || !(c->path = strdup(path))) {
		free(c);
		return -ENOMEM;
	}
	c->loop = loop;
	c->fn = fn;
	c->arg = arg;
	strcpy(sa.sun_path, path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->fd < 0)
		goto fail;
	if ((e = clear_stale(path, &sa)) < 0) {
		errno = -e;
		goto fail;
	}
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto fail;
	if (lstat(path, &st) == 0) {
		c->dev = st.st_dev;
		c->ino = st.st_ino;
		c->bound = 1;
	}
	if (chmod(path, 0600) < 0 || listen(c->fd, 64) < 0)
		goto fail;
	c->io = loop_io_add(loop, c->fd, EPOLLIN, on_accept, c);
	if (!c->io)
		goto fail;
	*out = c;
	return 0;
fail:
	e = -errno;
	ctl_close(c);
	return e;
}

void ctl_close(struct ctl *c)
{
	if (!c)
		return;
	while (c->conns)
		conn_free(c->conns);
	if (c->io)
		loop_io_del(c->loop, c->io);
	if (c->fd >= 0)
		close(c->fd);
	if (c->bound) { /* only if still ours: another may have replaced it */
		struct stat st;

		if (lstat(c->path, &st) == 0 && st.st_dev == c->dev &&
		    st.st_ino == c->ino)
			unlink(c->path);
	}
	free(c->path);
	free(c);
}
