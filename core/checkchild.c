/* checkchild.c — the check process itself (see checkproc.h): after the
 * fork it closes every fd but its socket, drops to check_user with only the
 * capabilities its checks need, and runs the checker plugins on a loop of
 * its own, answering lvsd's CREATE/RUN/CANCEL/DESTROY with RESULT/REFUSED.
 * Its log lines go to lvsd (LOG). It never returns: _exit. */
#include "checkchild.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <grp.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ckchan.h"
#include "host.h"
#include "plugin.h"
#include "ckmsg.h"
#include "hidx.h"
#include "log.h"
#include "loop.h"
#include "spawn.h"

/* One check, as the plugin sees it: its `struct lvsd_check *`. The
 * target and options of its CREATE are not kept: the plugin's create()
 * copies what it keeps (the ABI's rule). */
struct cc {
	uint32_t id;
	int running;
	size_t pos;
	const struct plugin *p;
	void *state;
};

struct child {
	const struct checkchild_cfg *cfg;
	struct loop *loop;
	struct spawner *spawner;
	struct ckchan ch;
	uint8_t rx[CKMSG_DGRAM_MAX];
	struct cc **v;
	size_t n, cap;
	struct hidx idx;
	int sigfd;
	uint64_t beat_us; /* the last heartbeat sent (loop_now_us) */
};

static void die(struct child *c, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));

static void die(struct child *c, const char *fmt, ...)
{
	char line[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (c && c->ch.fd >= 0) {
		CKCHAN_PUT(&c->ch, ckmsg_put_log(c->ch.out, LOG_ERR, line));
		ckchan_flush(&c->ch);
	}
	_exit(1);
}

/* ------------------------------------------------------------ checks */

static uint64_t id_hash(uint32_t id)
{
	return hidx_hash(&id, sizeof(id), HIDX_SEED);
}

struct id_key {
	const struct child *c;
	uint32_t id;
};

static int id_eq(const void *arg, size_t pos)
{
	const struct id_key *k = arg;

	return k->c->v[pos]->id == k->id;
}

static struct cc *cc_find(const struct child *c, uint32_t id)
{
	struct id_key k = { c, id };
	size_t pos = hidx_find(&c->idx, id_hash(id), id_eq, &k);

	return pos == SIZE_MAX ? NULL : c->v[pos];
}

static void cc_free(struct cc *x)
{
	free(x);
}

static void send_result(struct child *c, struct cc *x,
			const struct lvsd_check_result *res)
{
	/* A pass can wait up to 10 ms (until lvsd's next RUNs wake this
	 * process, at most), with the others of that time (one datagram,
	 * one wake-up of lvsd); anything else, which may take a real server
	 * out, goes at the end of this round. */
	int r = res->outcome == LVSD_CHECK_OK
			? CKCHAN_PUT_LATER(&c->ch, ckmsg_put_result(c->ch.out, x->id, res))
			: CKCHAN_PUT(&c->ch, ckmsg_put_result(c->ch.out, x->id, res));

	if (r == -EINVAL) { /* a plugin's value out of range */
		struct lvsd_check_result bad = {
			.size = sizeof(bad), .outcome = LVSD_CHECK_INTERNAL,
			.detail = "the checker reported values out of range",
		};

		CKCHAN_PUT(&c->ch, ckmsg_put_result(c->ch.out, x->id, &bad));
	}
}

/* The host's check_done, in the child. */
static void ch_check_done(void *arg, struct lvsd_check *check,
			  const struct lvsd_check_result *res)
{
	struct child *c = arg;
	struct cc *x = (struct cc *)check;

	if (!x || !x->running)
		return; /* late or duplicate */
	x->running = 0;
	send_result(c, x, res);
}

static void do_create(struct child *c, struct ckmsg *m)
{
	const struct plugin *p = plugin_find(c->cfg->plugins, LVSD_PLUGIN_CHECKER,
					     m->checker);
	char why[CKMSG_DETAIL_MAX + 1] = "";
	struct cc *x;
	int r;

	if (cc_find(c, m->id)) {
		CKCHAN_PUT(&c->ch, ckmsg_put_refused(c->ch.out, m->id, -EEXIST,
						     "a check with this id exists"));
		return;
	}
	if (!p) {
		snprintf(why, sizeof(why), "no checker plugin '%s'", m->checker);
		CKCHAN_PUT(&c->ch, ckmsg_put_refused(c->ch.out, m->id, -ENOENT, why));
		return;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		struct cc **v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			die(c, "check process: out of memory");
		c->v = v;
		c->cap = cap;
	}
	if (!(x = calloc(1, sizeof(*x))) || hidx_reserve(&c->idx, c->n + 1) < 0)
		die(c, "check process: out of memory");
	x->id = m->id;
	x->p = p;
	host_capture(why, sizeof(why));
	r = p->ops.check.create(p->ctx, (struct lvsd_check *)x, &m->target,
				m->opts, m->n_opts, &x->state);
	host_capture(NULL, 0);
	if (r < 0) {
		if (!why[0] || r == -ENOMEM)
			snprintf(why, sizeof(why), "%s", strerror(-r));
		CKCHAN_PUT(&c->ch, ckmsg_put_refused(c->ch.out, m->id,
						     r < -4095 ? -EINVAL : r, why));
		cc_free(x);
		return;
	}
	hidx_add(&c->idx, id_hash(x->id), c->n); /* reserved */
	x->pos = c->n;
	c->v[c->n++] = x;
}

static void do_destroy(struct child *c, struct cc *x)
{
	struct cc *last;

	if (x->running)
		x->p->ops.check.cancel(x->state);
	x->running = 0;
	x->p->ops.check.destroy(x->state);
	hidx_del(&c->idx, id_hash(x->id), x->pos);
	last = c->v[--c->n];
	if (last != x) {
		hidx_move(&c->idx, id_hash(last->id), c->n, x->pos);
		last->pos = x->pos;
		c->v[x->pos] = last;
	}
	cc_free(x);
}

static void do_run(struct child *c, struct cc *x)
{
	int r;

	if (x->running) /* lvsd never asks twice: a late RUN after a restart */
		return;
	x->running = 1;
	r = x->p->ops.check.run(x->state);
	if (r < 0 && x->running) {
		struct lvsd_check_result res = {
			.size = sizeof(res), .outcome = LVSD_CHECK_INTERNAL,
		};
		char d[80];

		snprintf(d, sizeof(d), "the checker could not start: %s", strerror(-r));
		res.detail = d;
		x->running = 0;
		send_result(c, x, &res);
	}
}

/* A heartbeat now if the last one is a heartbeat interval old: a long
 * round (a burst of runs on a saturated CPU, e.g. all checks resumed after
 * a restart, or slow plugins) must not look like a hang to lvsd, which
 * restarts a process that has sent nothing for CHECKPROC_HANG_BEATS
 * intervals. A process stuck inside one run still goes silent. */
static void beat_if_due(struct child *c)
{
	uint64_t now = loop_now_us();

	if (now - c->beat_us < (uint64_t)CKMSG_HEARTBEAT_MS * 1000u)
		return;
	c->beat_us = now;
	if (CKCHAN_PUT(&c->ch, ckmsg_put_empty(c->ch.out, CKMSG_HEARTBEAT, 0)) == 0)
		ckchan_flush(&c->ch); /* with the results so far */
}

static void on_datagram(struct child *c, size_t len)
{
	char why[256];
	size_t off = 0;
	struct ckmsg m;

	if (ckmsg_check(c->rx, len, CKMSG_TO_CHILD, why, sizeof(why)) < 0)
		die(c, "check process: a malformed message from lvsd: %s", why);
	while (ckmsg_next(c->rx, len, &off, CKMSG_TO_CHILD, &m) > 0) {
		struct cc *x = m.type == CKMSG_CREATE ? NULL : cc_find(c, m.id);

		if (m.type == CKMSG_CREATE)
			do_create(c, &m);
		else if (!x)
			; /* crossed a refusal */
		else if (m.type == CKMSG_RUN)
			do_run(c, x);
		else if (m.type == CKMSG_CANCEL && x->running) {
			x->p->ops.check.cancel(x->state);
			x->running = 0;
		} else if (m.type == CKMSG_DESTROY)
			do_destroy(c, x);
		ckmsg_clear(&m);
		beat_if_due(c);
	}
}

static void on_parent_io(void *arg, int fd, uint32_t events)
{
	struct child *c = arg;

	(void)fd;
	(void)events;
	for (int i = 0; i < 64; i++) {
		ssize_t n = ckchan_recv(&c->ch, c->rx, sizeof(c->rx));

		if (n == -EAGAIN)
			return;
		if (n <= 0) /* lvsd is gone: so are we */
			_exit(0);
		if ((size_t)n > sizeof(c->rx))
			die(c, "check process: an oversized message from lvsd (%zd bytes)", n);
		on_datagram(c, (size_t)n);
		/* awake anyway: the passes held back (CKCHAN_PUT_LATER) go
		 * at the end of this round, not by a wake-up of their own */
		if (c->ch.later)
			ckchan_soon(&c->ch);
	}
}

static void on_beat(void *arg)
{
	struct child *c = arg;

	c->beat_us = loop_now_us();
	CKCHAN_PUT(&c->ch, ckmsg_put_empty(c->ch.out, CKMSG_HEARTBEAT, 0));
	if (!loop_timer_add(c->loop, CKMSG_HEARTBEAT_MS, on_beat, c))
		die(c, "check process: cannot arm the heartbeat");
}

static void on_signal(void *arg, int fd, uint32_t events)
{
	struct child *c = arg;
	struct signalfd_siginfo si;

	(void)events;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		/* SIGTERM is read and dropped: lvsd ends this process
		 * (the channel's close, SIGKILL, PDEATHSIG), so a SIGTERM to
		 * the whole group (timeout, systemd) is no crash to restart
		 * before lvsd's own SIGTERM is seen. */
		if (si.ssi_signo == SIGCHLD)
			spawn_reap(c->spawner);
	}
}

/* ------------------------------------------------------- host, log */

static void sink(void *arg, int level, const char *line)
{
	struct child *c = arg;

	if (c->ch.fd >= 0)
		CKCHAN_PUT(&c->ch, ckmsg_put_log(c->ch.out, level & 7, line));
}

static struct lvsd_prog *ch_prog_run(void *arg, const struct lvsd_prog_spec *spec,
				     lvsd_prog_fn fn, void *fn_arg, int *err)
{
	return (struct lvsd_prog *)prog_run(((struct child *)arg)->spawner, spec,
					    fn, fn_arg, err);
}

static void ch_prog_cancel(void *arg, struct lvsd_prog *p)
{
	prog_cancel(((struct child *)arg)->spawner, (struct prog *)p);
}

static void rewire(struct child *c)
{
	struct host *h = c->cfg->host;

	/* The plugins' lvsd_host->core points here: the same address in
	 * this copy of lvsd's memory, now serving the child. */
	memset(h, 0, sizeof(*h));
	h->loop = c->loop;
	h->arg = c;
	h->check_done = ch_check_done;
	h->prog_run = ch_prog_run;
	h->prog_cancel = ch_prog_cancel;
}

/* ------------------------------------------------------- privileges */

static uint64_t cap_mask(const struct checkproc_needs *n)
{
	uint64_t m = 0;

	if (n->net_admin)
		m |= 1ull << CAP_NET_ADMIN;
	if (n->net_raw)
		m |= 1ull << CAP_NET_RAW;
	if (n->setid)
		m |= 1ull << CAP_SETUID | 1ull << CAP_SETGID;
	return m;
}

static int capset3(uint64_t keep)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = (uint32_t)keep;
	d[1].effective = d[1].permitted = (uint32_t)(keep >> 32);
	return (int)syscall(SYS_capset, &hdr, d);
}

static uint64_t capeff_now(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &hdr, d) < 0)
		return ~0ull;
	return (uint64_t)d[1].effective << 32 | d[0].effective;
}

static void drop(struct child *c)
{
	const struct checkchild_cfg *cfg = c->cfg;
	uint64_t keep = cap_mask(&cfg->needs);

	if (cfg->drop) {
		if (keep && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
			die(c, "check process: PR_SET_KEEPCAPS: %s", strerror(errno));
		for (int cap = 0; cap < 64; cap++)
			if (!(keep >> cap & 1) && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0)
				prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
		if (setgroups(cfg->n_groups, cfg->groups) < 0 ||
		    setresgid(cfg->gid, cfg->gid, cfg->gid) < 0 ||
		    setresuid(cfg->uid, cfg->uid, cfg->uid) < 0)
			die(c, "check process: cannot become %s: %s", cfg->user,
			    strerror(errno));
		if (capset3(keep) < 0)
			die(c, "check process: capset: %s", strerror(errno));
		prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
		if (!cfg->needs.setid && setuid(0) == 0)
			die(c, "check process: could become root again: stopped");
	}
	if (!cfg->needs.programs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die(c, "check process: PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
	/* not dumpable: a program of the same uid (script_user = check_user)
	 * cannot ptrace it nor read its /proc files (the MISC_CHECK programs
	 * it execs are dumpable again: that is the kernel's rule) */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		die(c, "check process: PR_SET_DUMPABLE: %s", strerror(errno));
}

/* ------------------------------------------------------------- main */

void checkchild_main(const struct checkchild_cfg *cfg)
{
	static struct child c; /* lives until _exit */
	sigset_t set;

	memset(&c, 0, sizeof(c));
	c.cfg = cfg;
	c.ch.fd = -1;
	c.sigfd = -1;
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() != cfg->parent)
		_exit(0);
	/* Only the socket: netlink, the control socket, the state file,
	 * VRRP's sockets, SNMP, the parent's loop are lvsd's. */
	if (cfg->fd != CHECKPROC_CHILD_FD &&
	    dup3(cfg->fd, CHECKPROC_CHILD_FD, O_CLOEXEC) < 0)
		_exit(1);
	if (syscall(SYS_close_range, CHECKPROC_CHILD_FD + 1, ~0u, 0) < 0)
		for (int fd = CHECKPROC_CHILD_FD + 1; fd < 65536; fd++)
			close(fd);
	/* The parent's loop, spawner and VRRP threads are not ours: a fresh
	 * loop, and lvsd's memory is never freed here (_exit). */
	if (loop_new(&c.loop) < 0 ||
	    ckchan_open(&c.ch, c.loop, CHECKPROC_CHILD_FD, on_parent_io, &c) < 0)
		_exit(1);
	log_set_hook(NULL, NULL);
	log_set_sink(sink, &c);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	c.sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (c.sigfd < 0 || !loop_io_add(c.loop, c.sigfd, LVSD_IO_IN, on_signal, &c))
		die(&c, "check process: signalfd: %s", strerror(errno));
	drop(&c);
	if (spawner_new(c.loop, &c.spawner) < 0)
		die(&c, "check process: out of memory");
	prog_set_max(c.spawner, cfg->max_scripts ? cfg->max_scripts : 1);
	if (cfg->needs.setid) { /* programs as script_user (checked by lvsd) */
		char err[512];

		if (spawner_set_user(c.spawner, cfg->script_user, err, sizeof(err)) < 0)
			log_err("check process: %s; programs run as %s", err, cfg->user);
	}
	rewire(&c);
	if (CKCHAN_PUT(&c.ch, ckmsg_put_hello(c.ch.out, (uint32_t)getpid(),
					      (uint32_t)getuid(), (uint32_t)getgid(),
					      capeff_now())) < 0)
		_exit(1);
	on_beat(&c);
	loop_run(c.loop);
	_exit(0);
}
