/* spawn.c — run notify programs with a timeout (see spawn.h): fork and
 * execvp. The child gets default signal dispositions, an empty signal mask
 * (the daemon blocks the ones its signalfd reads) and its own process
 * group, so that the timeout kills what it started too; an exec failure
 * comes back to the caller through a close-on-exec pipe. */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/close_range.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cfgval.h"
#include "log.h"
#include "loop.h"
#include "model.h"
#include "progcheck.h"

#define SPAWN_KILL_GRACE_MS 2000u
#define SPAWN_MAX_GROUPS 64

struct child {
	struct spawner *sp;
	pid_t pid;
	char name[64];
	struct loop_timer *timer;
	int termed;            /* SIGTERM sent; SIGKILL next */
	spawn_done_fn done;    /* spawn_run_cb's, or NULL */
	void *done_arg;
	struct child *next;
};

/* A program run for its result (prog_run). */
struct prog {
	struct spawner *sp;
	struct prog *next;         /* in waiting or running */
	char **argv;               /* owned */
	uint32_t timeout_ms, output_max, has_ids, uid, gid;
	int script_user;           /* has_ids from spawner_set_user: its groups */
	lvsd_prog_fn fn;           /* NULL: cancelled, reaped quietly */
	void *arg;
	pid_t pid;                 /* 0: not started */
	int outfd;
	int errfd;                 /* the exec error pipe, read at the reap */
	struct loop_io *io;
	struct loop_timer *timer;  /* the timeout, or the start-error report */
	char *buf;                 /* output_max + 1 */
	size_t blen;
	uint64_t total;
	uint64_t start_us;
	int timed_out;
	int start_error;
};

struct spawner {
	struct loop *loop;
	struct child *kids;
	size_t n;
	/* prog_run */
	struct prog *waiting, **waiting_tail;
	struct prog *running;
	size_t n_running, n_waiting;
	uint32_t max;
	/* script_user (spawner_set_user): every program runs as it unless
	 * the caller names its own ids; has_user 0: as lvsd itself */
	int has_user;
	uid_t uid;
	gid_t gid;
	gid_t groups[SPAWN_MAX_GROUPS];
	int n_groups;
	char user[64];
};

int spawner_new(struct loop *loop, struct spawner **out)
{
	struct spawner *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->loop = loop;
	s->waiting_tail = &s->waiting;
	s->max = PROG_MAX_DEFAULT;
	*out = s;
	return 0;
}

/* May this process change its user? Root, or a process (the check
 * process) that kept CAP_SETUID and CAP_SETGID. */
static int can_setid(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	uint32_t need = 1u << CAP_SETUID | 1u << CAP_SETGID;

	if (geteuid() == 0)
		return 1;
	if (syscall(SYS_capget, &hdr, d) < 0)
		return 0;
	return (d[0].effective & need) == need;
}

int spawner_set_user(struct spawner *s, const char *user, char *err,
		     size_t errlen)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	int n = SPAWN_MAX_GROUPS, rc;

	if (!user || !*user)
		user = SPAWN_DEFAULT_USER;
	if (!can_setid()) { /* nobody to switch to: as ourselves */
		s->has_user = 0;
		return 0;
	}
	rc = getpwnam_r(user, &pw, buf, sizeof(buf), &res);
	if (rc || !res) {
		if (rc)
			snprintf(err, errlen, "script_user '%s': cannot look it up: %s",
				 user, strerror(rc));
		else if (user[strspn(user, "0123456789")] == '\0')
			snprintf(err, errlen,
				 "script_user '%s': a user name is needed, not a number (set script_user to the name of a user, or to root to run scripts as root)",
				 user);
		else
			snprintf(err, errlen,
				 "script_user '%s': no such user (create it: useradd --system --no-create-home --shell /usr/sbin/nologin %s; or set script_user to another user, or to root to run scripts as root)",
				 user, user);
		return rc ? -rc : -ENOENT;
	}
	s->uid = res->pw_uid;
	s->gid = res->pw_gid;
	if (getgrouplist(res->pw_name, res->pw_gid, s->groups, &n) < 0)
		n = SPAWN_MAX_GROUPS; /* more than we keep: the first ones */
	s->n_groups = n;
	snprintf(s->user, sizeof(s->user), "%s", res->pw_name);
	/* root, or lvsd's own user (a check process): nothing to switch */
	s->has_user = !(s->uid == geteuid() && s->gid == getegid());
	return 0;
}

const char *spawner_user(const struct spawner *s, char *buf, size_t len)
{
	if (s && s->has_user)
		snprintf(buf, len, "%s (uid %u)", s->user, (unsigned)s->uid);
	else
		snprintf(buf, len, "uid %u (lvsd's own)", (unsigned)geteuid());
	return buf;
}

static void prog_free(struct prog *p);

static void child_free(struct child *c)
{
	if (c->timer)
		loop_timer_del(c->sp->loop, c->timer);
	free(c);
}

void spawner_free(struct spawner *s)
{
	if (!s)
		return;
	while (s->kids) {
		struct child *c = s->kids;

		s->kids = c->next;
		child_free(c);
	}
	while (s->running) { /* checks' programs do not outlive the daemon */
		struct prog *p = s->running;

		s->running = p->next;
		kill(-p->pid, SIGKILL);
		prog_free(p);
	}
	while (s->waiting) {
		struct prog *p = s->waiting;

		s->waiting = p->next;
		prog_free(p);
	}
	free(s);
}

static void on_timeout(void *arg)
{
	struct child *c = arg;

	c->timer = NULL; /* the loop frees it */
	if (!c->termed && c->done) {
		int st;

		/* It may have ended in this same loop round, before its
		 * SIGCHLD was read: then that is its result. */
		if (waitpid(c->pid, &st, WNOHANG) == c->pid) {
			struct child **pp;

			for (pp = &c->sp->kids; *pp != c; pp = &(*pp)->next)
				;
			*pp = c->next;
			c->sp->n--;
			c->done(c->done_arg, st, 0);
			child_free(c);
			return;
		}
		/* a tracking script: its time is up, and its group's */
		kill(-c->pid, SIGKILL);
		c->termed = 1;
	} else if (!c->termed) {
		log_warnx("notify program %s (pid %d) timed out; terminating it",
			  c->name, (int)c->pid);
		kill(-c->pid, SIGTERM);
		c->termed = 1;
		c->timer = loop_timer_add(c->sp->loop, SPAWN_KILL_GRACE_MS,
					  on_timeout, c);
	} else {
		log_warnx("notify program %s (pid %d) ignored SIGTERM; killing it",
			  c->name, (int)c->pid);
		kill(-c->pid, SIGKILL);
	}
}

/* In a child: become the spawner's script_user (groups first, the user
 * last, so that nothing of root's is left). 0 or -1 with errno. */
static int become_user(const struct spawner *s)
{
	if (!s->has_user)
		return 0;
	if (setgroups((size_t)s->n_groups, s->groups) < 0 ||
	    setgid(s->gid) < 0 || setuid(s->uid) < 0)
		return -1;
	return 0;
}

/* In the child: every fd above 2 close-on-exec (or closed), so that a
 * program gets 0, 1, 2 and nothing lvsd inherited or opened; keep (the
 * close-on-exec error pipe) stays open until the exec. */
static void close_stray_fds(int keep)
{
	if (syscall(SYS_close_range, 3u, ~0u, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	if (keep > 3)
		syscall(SYS_close_range, 3u, (unsigned)keep - 1, 0u);
	if (syscall(SYS_close_range, (unsigned)keep + 1, ~0u, 0u) == 0)
		return;
	for (int fd = keep + 1; fd < 65536; fd++) /* kernels before 5.9 */
		close(fd);
}

/* In the child: never returns. Only async-signal-safe calls. */
static void child_exec(const struct spawner *s, const char *const *argv,
		       int errfd)
{
	sigset_t none;
	int e, fd;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	setpgid(0, 0);
	fd = open("/dev/null", O_RDONLY);
	if (fd > 0) {
		dup2(fd, 0);
		close(fd);
	}
	close_stray_fds(errfd);
	if (become_user(s) == 0)
		execvp(argv[0], (char *const *)argv);
	e = errno;
	if (write(errfd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

int spawn_run(struct spawner *s, const char *const *argv, uint32_t timeout_ms)
{
	return spawn_run_cb(s, argv, timeout_ms, NULL, NULL, NULL);
}

int spawn_run_cb(struct spawner *s, const char *const *argv,
		 uint32_t timeout_ms, spawn_done_fn done, void *arg, int *pidp)
{
	struct child *c;
	int pfd[2], e = 0;
	ssize_t n;
	pid_t pid;

	if (!argv || !argv[0])
		return -EINVAL;
	if (!(c = calloc(1, sizeof(*c))))
		return -ENOMEM;
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		e = errno;
		free(c);
		return -e;
	}
	pid = fork();
	if (pid < 0) {
		e = errno;
		close(pfd[0]);
		close(pfd[1]);
		free(c);
		return -e;
	}
	if (pid == 0)
		child_exec(s, argv, pfd[1]);
	close(pfd[1]);
	/* EOF when exec worked (close-on-exec), errno when it did not. */
	do
		n = read(pfd[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(pfd[0]);
	setpgid(pid, pid); /* also here, so that kill(-pid) cannot race */
	if (n == (ssize_t)sizeof(e)) {
		waitpid(pid, NULL, 0);
		free(c);
		return -e;
	}
	c->sp = s;
	c->pid = pid;
	c->done = done;
	c->done_arg = arg;
	if (pidp)
		*pidp = (int)pid;
	{
		const char *b = strrchr(argv[0], '/');

		strncpy(c->name, b ? b + 1 : argv[0], sizeof(c->name) - 1);
	}
	if (timeout_ms)
		c->timer = loop_timer_add(s->loop, timeout_ms, on_timeout, c);
	c->next = s->kids;
	s->kids = c;
	s->n++;
	log_debug("notify program %s started (pid %d)", c->name, (int)pid);
	return 0;
}

static void prog_reaped(struct spawner *s, pid_t pid, int st);

void spawn_reap(struct spawner *s)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		struct child **pp, *c = NULL;

		for (pp = &s->kids; *pp; pp = &(*pp)->next)
			if ((*pp)->pid == pid) {
				c = *pp;
				*pp = c->next;
				s->n--;
				break;
			}
		if (!c) {
			prog_reaped(s, pid, st);
			continue;
		}
		if (c->done) {
			c->done(c->done_arg, st, c->termed);
			child_free(c);
			continue;
		}
		if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
			log_warnx("notify program %s (pid %d) exited with status %d",
				  c->name, (int)pid, WEXITSTATUS(st));
		else if (WIFSIGNALED(st))
			log_warnx("notify program %s (pid %d) killed by signal %d",
				  c->name, (int)pid, WTERMSIG(st));
		else
			log_debug("notify program %s (pid %d) done", c->name, (int)pid);
		child_free(c);
	}
}

void spawn_forget(struct spawner *s, int pid)
{
	for (struct child *c = s ? s->kids : NULL; c; c = c->next)
		if (c->pid == pid && c->done) {
			c->done = NULL;
			c->termed = 1;
			kill(-c->pid, SIGKILL);
			if (c->timer) {
				loop_timer_del(s->loop, c->timer);
				c->timer = NULL;
			}
			return;
		}
}

size_t spawn_running(const struct spawner *s)
{
	return s ? s->n : 0;
}

/* ------------------------------------------------ programs with a result */

static void prog_free(struct prog *p)
{
	if (p->io)
		loop_io_del(p->sp->loop, p->io);
	if (p->timer)
		loop_timer_del(p->sp->loop, p->timer);
	if (p->outfd >= 0)
		close(p->outfd);
	if (p->errfd >= 0)
		close(p->errfd);
	for (size_t i = 0; p->argv && p->argv[i]; i++)
		free(p->argv[i]);
	free(p->argv);
	free(p->buf);
	free(p);
}

void prog_set_max(struct spawner *s, uint32_t max)
{
	s->max = max < 1 ? 1 : max > 1024 ? 1024 : max;
}

size_t prog_running(const struct spawner *s)
{
	return s ? s->n_running : 0;
}

size_t prog_waiting(const struct spawner *s)
{
	return s ? s->n_waiting : 0;
}

/* Read what is there; past output_max it is counted and dropped. Returns
 * 1 at EOF or error, else 0. */
static int prog_drain(struct prog *p)
{
	char tmp[4096];

	for (int i = 0; i < 64; i++) { /* bounded: at most 256 KiB a call */
		ssize_t n = read(p->outfd, tmp, sizeof(tmp));

		if (n == 0)
			return 1;
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : 1;
		p->total += (uint64_t)n;
		if (p->blen < p->output_max) {
			size_t k = (size_t)n < p->output_max - p->blen
					   ? (size_t)n : p->output_max - p->blen;

			memcpy(p->buf + p->blen, tmp, k);
			p->blen += k;
		}
	}
	return 0;
}

static void prog_close_out(struct prog *p)
{
	if (p->io)
		loop_io_del(p->sp->loop, p->io);
	p->io = NULL;
	if (p->outfd >= 0)
		close(p->outfd);
	p->outfd = -1;
}

static void prog_on_out(void *arg, int fd, uint32_t events)
{
	struct prog *p = arg;

	(void)fd;
	(void)events;
	if (prog_drain(p))
		prog_close_out(p); /* EOF; the end comes from SIGCHLD */
}

static void prog_on_timeout(void *arg)
{
	struct prog *p = arg;

	p->timer = NULL; /* the loop frees it */
	p->timed_out = 1;
	kill(-p->pid, SIGKILL);
}

static void prog_report(struct prog *p, int st)
{
	struct lvsd_prog_result r = { .size = sizeof(r) };

	r.start_error = p->start_error;
	if (!p->start_error) {
		r.exited = WIFEXITED(st);
		r.status = r.exited ? WEXITSTATUS(st) : 0;
		r.signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
		r.timed_out = p->timed_out;
		r.runtime_us = loop_now_us() - p->start_us;
		r.output_bytes = p->total;
	}
	p->buf[p->blen] = '\0';
	r.output = p->buf;
	if (p->fn)
		p->fn(p->arg, &r);
}

static void prog_start_next(struct spawner *s);

static void prog_on_start_error(void *arg)
{
	struct prog *p = arg;

	p->timer = NULL;
	prog_report(p, 0);
	prog_free(p);
}

/* In the child: never returns. Only async-signal-safe calls. */
static void prog_exec(const struct prog *p, int outfd, int errfd)
{
	sigset_t none;
	int e, fd;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	setpgid(0, 0);
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0 && fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
	dup2(outfd, 1);
	dup2(outfd, 2);
	if (outfd > 2)
		close(outfd);
	close_stray_fds(errfd);
	if (p->script_user) {
		if (become_user(p->sp) < 0)
			goto fail;
	} else if (p->has_ids) {
		gid_t g = (gid_t)p->gid;

		if (setgroups(1, &g) < 0 || setgid(g) < 0 ||
		    setuid((uid_t)p->uid) < 0)
			goto fail;
	}
	execvp(p->argv[0], p->argv);
fail:
	e = errno;
	if (write(errfd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

/* Start p without copying lvsd: posix_spawn (glibc: a CLONE_VM|CLONE_VFORK
 * child that only sets up and execs) in its own process group, every
 * signal at its default, stdin /dev/null, stdout and stderr into outfd.
 * A fork() of the daemon costs a copy of its page tables and then a
 * copy-on-write fault for every page the daemon writes while the child
 * lives: with hundreds of MISC_CHECKs a second that was most of lvsd's
 * CPU. glibc reports a failed exec as the return value. 0 or -errno. */
static int prog_spawn(const struct prog *p, int outfd, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t all, none;
	int e;

	if ((e = posix_spawn_file_actions_init(&fa)))
		return -e;
	if ((e = posix_spawnattr_init(&at))) {
		posix_spawn_file_actions_destroy(&fa);
		return -e;
	}
	sigfillset(&all);
	sigemptyset(&none);
	if (!(e = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0)) &&
	    !(e = posix_spawn_file_actions_adddup2(&fa, outfd, 1)) &&
	    !(e = posix_spawn_file_actions_adddup2(&fa, outfd, 2)) &&
	    !(e = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
					   POSIX_SPAWN_SETSIGMASK |
					   POSIX_SPAWN_SETSIGDEF)) &&
	    !(e = posix_spawnattr_setpgroup(&at, 0)) &&
	    !(e = posix_spawnattr_setsigmask(&at, &none)))
		e = posix_spawnattr_setsigdefault(&at, &all);
	if (!e)
		e = posix_spawnp(pid, p->argv[0], &fa, &at, p->argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return -e;
}

/* Start p; 0 or -errno. Without user/group to switch to, posix_spawn
 * (above). With them, fork and exec: whether exec worked is not waited
 * for (under load that wait is the loop's bottleneck): the child writes
 * its errno into a pipe read when it is reaped. */
static int prog_start(struct spawner *s, struct prog *p)
{
	int opfd[2], epfd[2] = { -1, -1 }, e = 0;
	pid_t pid;

	if (pipe2(opfd, O_CLOEXEC) < 0)
		return -errno;
	if (!p->has_ids) {
		if ((e = -prog_spawn(p, opfd[1], &pid)))
			goto close_o;
		goto started;
	}
	if (pipe2(epfd, O_CLOEXEC) < 0) {
		e = errno;
		goto close_o;
	}
	pid = fork();
	if (pid < 0) {
		e = errno;
		close(epfd[0]);
		close(epfd[1]);
		goto close_o;
	}
	if (pid == 0)
		prog_exec(p, opfd[1], epfd[1]);
	close(epfd[1]);
	setpgid(pid, pid);
	p->errfd = epfd[0];
	fcntl(p->errfd, F_SETFL, fcntl(p->errfd, F_GETFL) | O_NONBLOCK);
started:
	close(opfd[1]);
	p->pid = pid;
	p->outfd = opfd[0];
	p->start_us = loop_now_us();
	fcntl(p->outfd, F_SETFL, fcntl(p->outfd, F_GETFL) | O_NONBLOCK);
	p->io = loop_io_add(s->loop, p->outfd, LVSD_IO_IN, prog_on_out, p);
	if (p->timeout_ms)
		p->timer = loop_timer_add(s->loop, p->timeout_ms, prog_on_timeout, p);
	if (!p->io || (p->timeout_ms && !p->timer)) {
		/* cannot watch it: kill it; the reap reports it as killed */
		kill(-pid, SIGKILL);
		log_err("program %s: out of event-loop resources; killed", p->argv[0]);
	}
	return 0;
close_o:
	close(opfd[0]);
	close(opfd[1]);
	return -e;
}

/* Start what waits while there is room. A start that fails reports from
 * a timer (never from inside prog_run). */
static void prog_start_next(struct spawner *s)
{
	while (s->waiting && s->n_running < s->max) {
		struct prog *p = s->waiting;
		int r;

		s->waiting = p->next;
		if (!s->waiting)
			s->waiting_tail = &s->waiting;
		s->n_waiting--;
		p->next = NULL;
		r = prog_start(s, p);
		if (r < 0) {
			p->start_error = -r;
			p->timer = loop_timer_add(s->loop, 0, prog_on_start_error, p);
			if (!p->timer) {
				log_err("program %s: cannot start (%s) nor report it",
					p->argv[0], strerror(-r));
				prog_free(p);
			}
			continue;
		}
		p->next = s->running;
		s->running = p;
		s->n_running++;
	}
}

static void prog_reaped(struct spawner *s, pid_t pid, int st)
{
	struct prog **pp, *p = NULL;

	for (pp = &s->running; *pp; pp = &(*pp)->next)
		if ((*pp)->pid == pid) {
			p = *pp;
			*pp = p->next;
			s->n_running--;
			break;
		}
	if (!p)
		return; /* not one of ours (a plugin's own child) */
	/* What it left in its group goes too (the group outlives its
	 * leader only while members live, so the id is still theirs). */
	kill(-pid, SIGKILL);
	if (p->errfd >= 0) { /* the child wrote it before _exit: no wait */
		int e = 0;

		if (read(p->errfd, &e, sizeof(e)) == (ssize_t)sizeof(e) && e > 0)
			p->start_error = e;
	}
	if (p->outfd >= 0)
		prog_drain(p);
	prog_close_out(p);
	prog_report(p, st);
	prog_free(p);
	prog_start_next(s);
}

struct prog *prog_run(struct spawner *s, const struct lvsd_prog_spec *spec,
		      lvsd_prog_fn fn, void *arg, int *err)
{
	struct model_strv sv = { 0 };
	struct prog *p;
	size_t n = 0;
	char e[128];

	*err = -EINVAL;
	if (!s || !spec || !fn || spec->size < sizeof(uint32_t) * 2 ||
	    !LVSD_HAS_FIELD(spec->size, struct lvsd_prog_spec, gid) ||
	    spec->output_max > PROG_OUTPUT_MAX)
		return NULL;
	if (!spec->argv) {
		if (!spec->command)
			return NULL;
		if (cfgval_argv(spec->command, &sv, e, sizeof(e)) < 0) {
			model_strv_free(&sv);
			return NULL;
		}
	}
	*err = -ENOMEM;
	if (!(p = calloc(1, sizeof(*p))))
		goto out;
	p->sp = s;
	p->outfd = -1;
	p->errfd = -1;
	p->fn = fn;
	p->arg = arg;
	p->timeout_ms = spec->timeout_ms;
	p->output_max = spec->output_max;
	p->has_ids = spec->has_ids;
	p->uid = spec->uid;
	p->gid = spec->gid;
	if (!p->has_ids && s->has_user) /* script_user, never root unasked */
		p->has_ids = p->script_user = 1;
	if (spec->argv) {
		while (spec->argv[n])
			n++;
	} else {
		n = sv.n;
	}
	if (!n) {
		*err = -EINVAL;
		goto fail;
	}
	if (!(p->buf = malloc((size_t)p->output_max + 1)) ||
	    !(p->argv = calloc(n + 1, sizeof(char *))))
		goto fail;
	for (size_t i = 0; i < n; i++)
		if (!(p->argv[i] = strdup(spec->argv ? spec->argv[i] : sv.v[i])))
			goto fail;
	*s->waiting_tail = p;
	s->waiting_tail = &p->next;
	s->n_waiting++;
	prog_start_next(s);
	*err = 0;
	model_strv_free(&sv);
	return p;
fail:
	prog_free(p);
out:
	model_strv_free(&sv);
	return NULL;
}

void prog_cancel(struct spawner *s, struct prog *c)
{
	struct prog **pp;

	if (!s || !c)
		return;
	for (pp = &s->waiting; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			if (s->waiting_tail == &c->next)
				s->waiting_tail = pp;
			s->n_waiting--;
			prog_free(c);
			return;
		}
	for (pp = &s->running; *pp; pp = &(*pp)->next)
		if (*pp == c) { /* reaped later, quietly; its slot stays taken */
			c->fn = NULL;
			kill(-c->pid, SIGKILL);
			prog_close_out(c);
			if (c->timer)
				loop_timer_del(s->loop, c->timer);
			c->timer = NULL;
			return;
		}
	/* a start error waiting to be reported: just drop it */
	c->fn = NULL;
}

int prog_check(const char *command, char *err, size_t errlen)
{
	return progcheck_line(command, PROGCHECK_ALL, err, errlen);
}
