/* spawn.c — run notify programs with a timeout (see spawn.h): fork and
 * execvp. The child gets default signal dispositions, an empty signal mask
 * (the daemon blocks the ones its signalfd reads) and its own process
 * group, so that the timeout kills what it started too; an exec failure
 * comes back to the caller through a close-on-exec pipe. */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"

#define SPAWN_KILL_GRACE_MS 2000u

struct child {
	struct spawner *sp;
	pid_t pid;
	char name[64];
	struct loop_timer *timer;
	int termed;            /* SIGTERM sent; SIGKILL next */
	struct child *next;
};

struct spawner {
	struct loop *loop;
	struct child *kids;
	size_t n;
};

int spawner_new(struct loop *loop, struct spawner **out)
{
	struct spawner *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->loop = loop;
	*out = s;
	return 0;
}

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
	free(s);
}

static void on_timeout(void *arg)
{
	struct child *c = arg;

	c->timer = NULL; /* the loop frees it */
	if (!c->termed) {
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

/* In the child: never returns. Only async-signal-safe calls. */
static void child_exec(const char *const *argv, int errfd)
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
	execvp(argv[0], (char *const *)argv);
	e = errno;
	if (write(errfd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

int spawn_run(struct spawner *s, const char *const *argv, uint32_t timeout_ms)
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
		child_exec(argv, pfd[1]);
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
		if (!c)
			continue; /* not one of ours (a plugin's own child) */
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

size_t spawn_running(const struct spawner *s)
{
	return s ? s->n : 0;
}
