/* checkproc.c — the check process, lvsd's side (see checkproc.h): the
 * proxies that stand for checks in the child, the child's start, its
 * crash, hang or misbehaviour, and its restart with backoff. */
#include "checkproc.h"

#include <errno.h>
#include <grp.h>
#include <malloc.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ckchan.h"
#include "ckmsg.h"
#include "hidx.h"
#include "kvpack.h"
#include "log.h"
#include "loop.h"
#include "spawn.h"

/* One check run in the child; health.c and agent.c hold it as *state.
 * target and opts are the owner's (checkproc_create_kept: health.c's
 * check keeps them as long as the proxy) or copies in the same block
 * (kvpack.h: struct ckproxy_copy, then the options). */
struct ckproxy {
	uint32_t id;
	uint32_t n_opts;
	size_t pos;                  /* in cp->v */
	struct lvsd_check *check;    /* the owner's handle */
	const struct plugin *p;
	const struct lvsd_check_target *target;
	const struct lvsd_kv *opts;
	char *why;                   /* refused: why (owned), else NULL */
	uint8_t in_flight;           /* a run asked for and not reported */
	uint8_t refused;             /* the child's create() said no */
};

struct ckproxy_copy {
	struct ckproxy x;
	struct lvsd_check_target target;
};

struct checkproc {
	struct loop *loop;
	const struct plugin_set *plugins;
	struct host *host;
	bool on;
	char user[64];
	uid_t uid;
	gid_t gid;
	struct checkproc_needs needs;
	uint32_t max_scripts;
	char script_user[64];        /* "" : the default */
	time_t frozen_since;         /* wall s the child went down; 0: up */
	/* the child */
	pid_t pid;
	bool up;                     /* said hello */
	bool reaped;                 /* checkproc_reap waited for it */
	int reaped_st;
	struct ckchan ch;
	uint8_t rx[CKMSG_DGRAM_MAX];
	uint64_t started_us, last_rx_us;
	uint32_t hello_uid;
	uint64_t capeff;
	struct loop_timer *watch;    /* hang detection */
	struct loop_timer *restart;
	uint32_t backoff_ms;
	/* proxies */
	struct ckproxy **v;
	size_t n, cap;
	struct hidx idx;             /* id -> position */
	uint32_t next_id;
	/* counters */
	uint64_t restarts, crashes, hangs, refused, unknown;
	/* run in the child after the fork (checkproc_set_forget) */
	void (*forget)(void *arg);
	void *forget_arg;
};

static void child_down(struct checkproc *cp, const char *why, bool crash);
static int child_start(struct checkproc *cp);

/* ------------------------------------------------------------ proxies */

static uint64_t id_hash(uint32_t id)
{
	return hidx_hash(&id, sizeof(id), HIDX_SEED);
}

struct id_key {
	const struct checkproc *cp;
	uint32_t id;
};

static int id_eq(const void *arg, size_t pos)
{
	const struct id_key *k = arg;

	return k->cp->v[pos]->id == k->id;
}

static struct ckproxy *proxy_find(const struct checkproc *cp, uint32_t id)
{
	struct id_key k = { cp, id };
	size_t pos = hidx_find(&cp->idx, id_hash(id), id_eq, &k);

	return pos == SIZE_MAX ? NULL : cp->v[pos];
}

static void proxy_free(struct ckproxy *x)
{
	free(x->why);
	free(x);
}

/* x is refused, why (at most CKMSG_DETAIL_MAX bytes of it) is the reason. */
static void proxy_refuse(struct ckproxy *x, const char *why)
{
	char b[CKMSG_DETAIL_MAX + 1], *w;

	snprintf(b, sizeof(b), "%.*s", (int)CKMSG_DETAIL_MAX, why);
	w = strdup(b);
	x->refused = 1;
	free(x->why);
	x->why = w; /* NULL (out of memory): said as such */
}

static int send_create(struct checkproc *cp, struct ckproxy *x)
{
	int r = CKCHAN_PUT(&cp->ch, ckmsg_put_create(cp->ch.out, x->id,
						       x->p->desc.name, x->target,
						       x->opts, x->n_opts));

	if (r == -EMSGSIZE || r == -EINVAL)
		proxy_refuse(x, "its options do not fit a message to the check process");
	return r;
}

static int inproc(const struct checkproc *cp)
{
	return !cp || !cp->on;
}

/* MISC_CHECK runs programs (as script_user or its own user) and reads
 * only how they ended and their output: it runs in lvsd, whose spawner
 * switches users, so that the check process never holds CAP_SETUID/SETGID
 * (with them it could make itself root). */
static int in_parent(const struct checkproc *cp, const struct plugin *p)
{
	return inproc(cp) || strcmp(p->desc.name, "MISC_CHECK") == 0;
}

static int create(struct checkproc *cp, const struct plugin *p,
		  struct lvsd_check *check, const struct lvsd_check_target *target,
		  const struct lvsd_kv *opts, size_t n_opts, bool kept, void **state)
{
	struct ckproxy *x;
	struct lvsd_kv *x_opts;

	if (in_parent(cp, p))
		return p->ops.check.create(p->ctx, check, target, opts, n_opts, state);
	if (cp->n == cp->cap) {
		size_t cap = cp->cap ? 2 * cp->cap : 16;
		struct ckproxy **v = realloc(cp->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		cp->v = v;
		cp->cap = cap;
	}
	if (n_opts > UINT32_MAX)
		return -ENOMEM;
	if (kept && target->size == sizeof(*target)) {
		if (!(x = calloc(1, sizeof(*x))))
			return -ENOMEM;
		x->target = target;
		x->opts = opts;
	} else {
		struct ckproxy_copy *xc = kvpack_alloc(sizeof(*xc), opts, n_opts, &x_opts);

		if (!xc)
			return -ENOMEM;
		xc->target = *target;
		xc->target.size = sizeof(xc->target);
		x = &xc->x;
		x->target = &xc->target;
		x->opts = x_opts;
	}
	x->n_opts = (uint32_t)n_opts;
	x->check = check;
	x->p = p;
	do
		x->id = ++cp->next_id;
	while (!x->id || proxy_find(cp, x->id));
	if (hidx_add(&cp->idx, id_hash(x->id), cp->n) < 0)
		goto oom;
	x->pos = cp->n;
	cp->v[cp->n++] = x;
	if (cp->up)
		send_create(cp, x);
	*state = x;
	return 0;
oom:
	proxy_free(x);
	return -ENOMEM;
}

int checkproc_create(struct checkproc *cp, const struct plugin *p,
		     struct lvsd_check *check,
		     const struct lvsd_check_target *target,
		     const struct lvsd_kv *opts, size_t n_opts, void **state)
{
	return create(cp, p, check, target, opts, n_opts, false, state);
}

int checkproc_create_kept(struct checkproc *cp, const struct plugin *p,
			  struct lvsd_check *check,
			  const struct lvsd_check_target *target,
			  const struct lvsd_kv *opts, size_t n_opts, void **state)
{
	return create(cp, p, check, target, opts, n_opts, true, state);
}

int checkproc_run(struct checkproc *cp, const struct plugin *p, void *state)
{
	struct ckproxy *x = state;

	if (in_parent(cp, p))
		return p->ops.check.run(state);
	if (x->refused) { /* report at once, as a plugin may */
		char d[CKMSG_DETAIL_MAX + 32];
		struct lvsd_check_result res = {
			.size = sizeof(res), .outcome = LVSD_CHECK_INTERNAL,
		};

		snprintf(d, sizeof(d), "check not started: %s",
			 x->why ? x->why : "out of memory");
		res.detail = d;
		if (cp->host->check_done)
			cp->host->check_done(cp->host->arg, x->check, &res);
		return 0;
	}
	x->in_flight = 1;
	if (cp->up)
		CKCHAN_PUT(&cp->ch, ckmsg_put_empty(cp->ch.out, CKMSG_RUN, x->id));
	/* else: sent when the child is back (child_hello) */
	return 0;
}

void checkproc_cancel(struct checkproc *cp, const struct plugin *p, void *state)
{
	struct ckproxy *x = state;

	if (in_parent(cp, p)) {
		p->ops.check.cancel(state);
		return;
	}
	if (x->in_flight && cp->up)
		CKCHAN_PUT(&cp->ch, ckmsg_put_empty(cp->ch.out, CKMSG_CANCEL, x->id));
	x->in_flight = 0;
}

void checkproc_destroy(struct checkproc *cp, const struct plugin *p, void *state)
{
	struct ckproxy *x = state, *last;

	if (in_parent(cp, p)) {
		p->ops.check.destroy(state);
		return;
	}
	if (cp->up && !x->refused)
		CKCHAN_PUT(&cp->ch, ckmsg_put_empty(cp->ch.out, CKMSG_DESTROY, x->id));
	hidx_del(&cp->idx, id_hash(x->id), x->pos);
	last = cp->v[--cp->n];
	if (last != x) {
		hidx_move(&cp->idx, id_hash(last->id), cp->n, x->pos);
		last->pos = x->pos;
		cp->v[x->pos] = last;
	}
	proxy_free(x);
}

/* --------------------------------------------------------- the child */

static const char *capstr(uint64_t cap, char *buf, size_t len)
{
	snprintf(buf, len, "%016llx", (unsigned long long)cap);
	return buf;
}

static void on_result(struct checkproc *cp, const struct ckmsg *m)
{
	struct ckproxy *x = proxy_find(cp, m->id);

	if (!x) {
		if (!cp->unknown++ || cp->unknown % 1000 == 0)
			log_warnx("check process %d: %s for check id %u, which lvsd does not know: ignored (%llu so far)",
				  (int)cp->pid, ckmsg_type_str(m->type), m->id,
				  (unsigned long long)cp->unknown);
		return;
	}
	if (m->type == CKMSG_REFUSED) {
		proxy_refuse(x, m->text[0] ? m->text : strerror(-m->err));
		log_err("%s check of port %u: the check process refused it: %s",
			x->p->desc.name, x->target->port, x->why ? x->why : "out of memory");
		if (x->in_flight) {
			x->in_flight = 0;
			checkproc_run(cp, x->p, x); /* reports the refusal */
		}
		return;
	}
	if (!x->in_flight)
		return; /* crossed a cancel */
	x->in_flight = 0;
	if (cp->host->check_done)
		cp->host->check_done(cp->host->arg, x->check, &m->res);
}

static void child_hello(struct checkproc *cp, const struct ckmsg *m)
{
	char cap[20];
	size_t runs = 0;

	if (cp->up || m->pid != (uint32_t)cp->pid) {
		char why[80];

		snprintf(why, sizeof(why), "HELLO from pid %u%s", m->pid,
			 cp->up ? " again" : ", not the child's");
		cp->refused++;
		child_down(cp, why, true);
		return;
	}
	cp->up = true;
	cp->frozen_since = 0; /* results flow again */
	cp->hello_uid = m->uid;
	cp->capeff = m->capeff;
	for (size_t i = 0; i < cp->n; i++)
		send_create(cp, cp->v[i]);
	for (size_t i = 0; i < cp->n; i++)
		if (cp->v[i]->in_flight && !cp->v[i]->refused) {
			CKCHAN_PUT(&cp->ch, ckmsg_put_empty(cp->ch.out, CKMSG_RUN,
							    cp->v[i]->id));
			runs++;
		}
	log_notice("check process %d runs as %s (uid %u, CapEff %s): %zu check%s, %zu run%s resumed",
		   (int)cp->pid, cp->user, m->uid, capstr(m->capeff, cap, sizeof(cap)),
		   cp->n, cp->n == 1 ? "" : "s", runs, runs == 1 ? "" : "s");
}

/* A datagram from the child: checked whole first, then acted on. */
static int on_datagram(struct checkproc *cp, size_t len)
{
	char why[256];
	size_t off = 0;
	struct ckmsg m;
	int r;

	if (ckmsg_check(cp->rx, len, CKMSG_TO_PARENT, why, sizeof(why)) < 0) {
		char w[300];

		snprintf(w, sizeof(w), "malformed message: %s", why);
		cp->refused++;
		child_down(cp, w, true);
		return -EBADMSG;
	}
	while ((r = ckmsg_next(cp->rx, len, &off, CKMSG_TO_PARENT, &m)) > 0) {
		if (!cp->up && m.type != CKMSG_HELLO && m.type != CKMSG_LOG) {
			cp->refused++;
			child_down(cp, "a message before HELLO", true);
			return -EBADMSG;
		}
		switch (m.type) {
		case CKMSG_HELLO:
			child_hello(cp, &m);
			break;
		case CKMSG_LOG:
			log_msg(m.level, "%s", m.text); /* as if logged here */
			break;
		case CKMSG_RESULT:
		case CKMSG_REFUSED:
			on_result(cp, &m);
			break;
		default: /* HEARTBEAT: last_rx_us is enough */
			break;
		}
		ckmsg_clear(&m);
		if (!cp->pid) /* a callback brought it down */
			return -ECHILD;
	}
	return 0;
}

static void on_child_io(void *arg, int fd, uint32_t events)
{
	struct checkproc *cp = arg;

	(void)fd;
	(void)events;
	for (int i = 0; i < 64 && cp->pid; i++) {
		ssize_t n = ckchan_recv(&cp->ch, cp->rx, sizeof(cp->rx));
		char why[120];

		if (n == -EAGAIN)
			return;
		if (n <= 0) {
			snprintf(why, sizeof(why), "%s", n == 0 ? "its socket closed"
				 : strerror((int)-n));
			child_down(cp, why, true);
			return;
		}
		cp->last_rx_us = loop_now_us();
		if ((size_t)n > sizeof(cp->rx)) {
			snprintf(why, sizeof(why), "oversized message: %zd bytes, at most %u",
				 n, CKMSG_DGRAM_MAX);
			cp->refused++;
			child_down(cp, why, true);
			return;
		}
		if (on_datagram(cp, (size_t)n) < 0)
			return;
	}
}

static void on_restart(void *arg)
{
	struct checkproc *cp = arg;

	cp->restart = NULL; /* the loop frees it */
	if (child_start(cp) < 0)
		child_down(cp, "it could not be started", true);
}

static void on_watch(void *arg)
{
	struct checkproc *cp = arg;
	uint64_t now;

	cp->watch = NULL;
	/* what waits on the socket first: lvsd itself may have been busy
	 * (a large reload) while the child's heartbeats queued up */
	if (cp->pid && cp->ch.fd >= 0)
		on_child_io(cp, cp->ch.fd, LVSD_IO_IN);
	now = loop_now_us();
	if (cp->pid && now - cp->last_rx_us >
		       (uint64_t)CHECKPROC_HANG_BEATS * CKMSG_HEARTBEAT_MS * 1000u) {
		char why[120];

		snprintf(why, sizeof(why), "hung: no heartbeat for %llu ms",
			 (unsigned long long)((now - cp->last_rx_us) / 1000u));
		cp->hangs++;
		child_down(cp, why, true);
	}
	if (cp->pid && now - cp->started_us > CHECKPROC_STABLE_MS * 1000ull)
		cp->backoff_ms = 0;
	if (cp->pid)
		cp->watch = loop_timer_add(cp->loop, CKMSG_HEARTBEAT_MS, on_watch, cp);
}

static void describe_exit(int st, char *buf, size_t len)
{
	if (WIFSIGNALED(st))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(st),
			 strsignal(WTERMSIG(st)));
	else if (WIFEXITED(st))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(st));
	else
		snprintf(buf, len, "ended");
}

/* The child is gone or must go: kill, reap, freeze (runs wait), and a
 * restart after the backoff (crash) or at once (ours). */
static void child_down(struct checkproc *cp, const char *why, bool crash)
{
	pid_t pid = cp->pid;
	char how[80] = "";
	int st;

	if (!pid)
		return;
	if (cp->reaped) {
		describe_exit(cp->reaped_st, how, sizeof(how));
	} else {
		kill(pid, SIGKILL);
		if (waitpid(pid, &st, 0) == pid)
			describe_exit(st, how, sizeof(how));
	}
	cp->reaped = false;
	ckchan_close(&cp->ch);
	if (cp->watch)
		loop_timer_del(cp->loop, cp->watch);
	cp->watch = NULL;
	cp->pid = 0;
	cp->up = false;
	if (!cp->frozen_since)
		cp->frozen_since = time(NULL);
	if (!crash) {
		log_notice("check process %d stopped (%s)", (int)pid, why);
		return;
	}
	cp->restarts++;
	if (strstr(why, "socket closed"))
		cp->crashes++;
	cp->backoff_ms = !cp->backoff_ms ? CHECKPROC_BACKOFF_MIN_MS
			 : cp->backoff_ms >= CHECKPROC_BACKOFF_MAX_MS / 2
			 ? CHECKPROC_BACKOFF_MAX_MS : 2 * cp->backoff_ms;
	log_err("check process %d: %s%s%s; health results frozen (real servers keep their state), restart #%llu in %u ms",
		(int)pid, why, how[0] ? "; " : "", how,
		(unsigned long long)cp->restarts, cp->backoff_ms);
	if (!cp->restart)
		cp->restart = loop_timer_add(cp->loop, cp->backoff_ms, on_restart, cp);
}

void checkproc_reap(struct checkproc *cp)
{
	/* Mostly child_down reaps the child (after its socket closed); this
	 * is for SIGCHLD coming first. */
	int st;

	if (cp && cp->pid > 0 && !cp->reaped &&
	    waitpid(cp->pid, &st, WNOHANG) == cp->pid) {
		cp->reaped = true;
		cp->reaped_st = st;
		cp->crashes++;
		child_down(cp, "it ended", true);
	}
}

/* In the child, just forked: lvsd's memory it never uses (the proxies,
 * the owner's model) is freed and given back (malloc_trim), so that its
 * RSS is its own checks' and not a copy of lvsd's (issue 14 goal 5).
 * cp is not used after this. */
static void child_forget(struct checkproc *cp)
{
	for (size_t i = 0; i < cp->n; i++)
		proxy_free(cp->v[i]);
	free(cp->v);
	cp->v = NULL;
	cp->n = cp->cap = 0;
	hidx_free(&cp->idx);
	if (cp->forget)
		cp->forget(cp->forget_arg);
	malloc_trim(0);
}

static int child_start(struct checkproc *cp)
{
	struct checkchild_cfg cfg;
	int sv[2];
	pid_t pid;
	int r;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	{
		int sz = 4 << 20;

		setsockopt(sv[0], SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz));
		setsockopt(sv[0], SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
		setsockopt(sv[1], SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz));
		setsockopt(sv[1], SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.plugins = cp->plugins;
	cfg.host = cp->host;
	cfg.fd = sv[1];
	cfg.parent = getpid();
	snprintf(cfg.user, sizeof(cfg.user), "%s", cp->user);
	cfg.uid = cp->uid;
	cfg.gid = cp->gid;
	cfg.n_groups = (int)(sizeof(cfg.groups) / sizeof(cfg.groups[0]));
	if (getgrouplist(cp->user, cp->gid, cfg.groups, &cfg.n_groups) < 0) {
		cfg.groups[0] = cp->gid;
		cfg.n_groups = 1;
	}
	cfg.drop = geteuid() == 0;
	cfg.needs = cp->needs;
	cfg.max_scripts = cp->max_scripts;
	snprintf(cfg.script_user, sizeof(cfg.script_user), "%s", cp->script_user);
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(sv[0]);
		close(sv[1]);
		return r;
	}
	if (pid == 0) {
		child_forget(cp);
		checkchild_main(&cfg); /* never returns */
	}
	close(sv[1]);
	cp->pid = pid;
	cp->up = false;
	cp->started_us = cp->last_rx_us = loop_now_us();
	if ((r = ckchan_open(&cp->ch, cp->loop, sv[0], on_child_io, cp)) < 0) {
		child_down(cp, "its socket cannot be watched", true);
		return r;
	}
	cp->watch = loop_timer_add(cp->loop, CKMSG_HEARTBEAT_MS, on_watch, cp);
	log_info("check process %d started (user %s)", (int)pid, cp->user);
	return 0;
}

/* --------------------------------------------------------------- life */

int checkproc_new(struct loop *loop, const struct plugin_set *plugins,
		  struct host *host, struct checkproc **out)
{
	struct checkproc *cp = calloc(1, sizeof(*cp));

	if (!cp)
		return -ENOMEM;
	cp->loop = loop;
	cp->plugins = plugins;
	cp->host = host;
	cp->ch.fd = -1;
	*out = cp;
	return 0;
}

void checkproc_needs_of(const struct model *m, struct checkproc_needs *n)
{
	memset(n, 0, sizeof(*n));
	for (size_t i = 0; i < m->n_rs; i++) {
		const struct model_rs *rs = &m->rs[i];

		if (!rs->checker[0])
			continue;
		if (rs->check_fwmark)
			n->net_admin = true;
		/* MISC_CHECK runs in lvsd (in_parent): its programs never
		 * need the check process to switch users or skip
		 * NO_NEW_PRIVS. */
	}
}

int checkproc_start(struct checkproc *cp, const struct model *m,
		    uint32_t max_scripts)
{
	const char *user = m->global.check_user ? m->global.check_user
						: MODEL_DEFAULT_CHECK_USER;
	char buf[4096];
	struct passwd pw, *res = NULL;
	int r;

	snprintf(cp->user, sizeof(cp->user), "%s", user);
	cp->max_scripts = max_scripts;
	snprintf(cp->script_user, sizeof(cp->script_user), "%s",
		 model_script_user(&m->global));
	if (strcmp(user, "root") == 0) {
		log_warnx("check_user = root: health checks run inside lvsd as root (no privilege separation)");
		cp->on = false;
		return 0;
	}
	r = getpwnam_r(user, &pw, buf, sizeof(buf), &res);
	if (!res && user[strspn(user, "0123456789")] == '\0') {
		log_err("check_user %s: a user name is needed, not a number; set check_user to the name of an unprivileged user (e.g. lvsd)",
			user);
		return -ENOENT;
	}
	if (!res) {
		log_err("check_user %s: %s; create it (useradd --system --no-create-home --shell /usr/sbin/nologin %s), or set check_user = root in [global] to run checks as root without privilege separation",
			user, r ? strerror(r) : "no such user", user);
		return -ENOENT;
	}
	cp->uid = pw.pw_uid;
	cp->gid = pw.pw_gid;
	if (cp->uid == 0) {
		log_warnx("check_user %s has uid 0: health checks run inside lvsd as root (no privilege separation)", user);
		cp->on = false;
		return 0;
	}
	checkproc_needs_of(m, &cp->needs);
	cp->on = true;
	if ((r = child_start(cp)) < 0) {
		log_err("check process: cannot start: %s", strerror(-r));
		return r;
	}
	return 0;
}

void checkproc_set_forget(struct checkproc *cp, void (*fn)(void *arg), void *arg)
{
	cp->forget = fn;
	cp->forget_arg = arg;
}

void checkproc_sync(struct checkproc *cp, const struct model *m,
		   uint32_t max_scripts)
{
	struct checkproc_needs n;

	if (!cp || !cp->on)
		return;
	checkproc_needs_of(m, &n);
	if (memcmp(&n, &cp->needs, sizeof(n)) == 0 && max_scripts == cp->max_scripts &&
	    strcmp(cp->script_user, model_script_user(&m->global)) == 0)
		return;
	snprintf(cp->script_user, sizeof(cp->script_user), "%s",
		 model_script_user(&m->global));
	cp->needs = n;
	cp->max_scripts = max_scripts;
	if (cp->restart) /* one is coming: it takes the new needs */
		return;
	child_down(cp, "the checks now need other privileges or limits", false);
	if (child_start(cp) < 0)
		child_down(cp, "it could not be started", true);
	else
		log_notice("check process restarted for the new configuration (CAP_NET_ADMIN %s, CAP_SETUID/SETGID %s, programs %s)",
			   n.net_admin ? "kept" : "dropped", n.setid ? "kept" : "dropped",
			   n.programs ? "yes" : "no");
}

void checkproc_free(struct checkproc *cp)
{
	if (!cp)
		return;
	if (cp->pid)
		child_down(cp, "lvsd stops", false);
	if (cp->restart)
		loop_timer_del(cp->loop, cp->restart);
	for (size_t i = 0; i < cp->n; i++)
		proxy_free(cp->v[i]);
	free(cp->v);
	hidx_free(&cp->idx);
	free(cp);
}

void checkproc_status(const struct checkproc *cp, struct checkproc_status *st)
{
	memset(st, 0, sizeof(*st));
	if (!cp)
		return;
	st->on = cp->on;
	st->up = cp->up;
	st->pid = cp->pid;
	snprintf(st->user, sizeof(st->user), "%s", cp->user);
	st->uid = cp->hello_uid;
	st->capeff = cp->capeff;
	st->restarts = cp->restarts;
	st->crashes = cp->crashes;
	st->hangs = cp->hangs;
	st->refused = cp->refused;
	st->unknown = cp->unknown;
	st->checks = cp->n;
	st->frozen_since = cp->on && !cp->up ? (int64_t)cp->frozen_since : 0;
}

void checkproc_describe(const struct checkproc *cp, char *buf, size_t len)
{
	struct checkproc_status st;
	char cap[20];

	checkproc_status(cp, &st);
	if (!st.on) {
		snprintf(buf, len, "check process: none (check_user %s: checks run inside lvsd)",
			 cp && cp->user[0] ? cp->user : "root");
		return;
	}
	snprintf(buf, len, "check process: pid %d, user %s (uid %u), CapEff %s, %s; "
		 "restarts %llu (crashes %llu, hangs %llu, refused messages %llu); "
		 "unknown results %llu; checks %zu",
		 st.pid, st.user, st.uid, capstr(st.capeff, cap, sizeof(cap)),
		 st.up ? "up" : st.pid ? "starting" : "restarting",
		 (unsigned long long)st.restarts, (unsigned long long)st.crashes,
		 (unsigned long long)st.hangs, (unsigned long long)st.refused,
		 (unsigned long long)st.unknown, st.checks);
}
