/* vrrpnotify.c — notify_stop, sync group and generic notify programs
 * (see vrrpnotify.h). */
#include "vrrpnotify.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "log.h"
#include "loop.h"

#define NOTIFY_TIMEOUT_MS 30000u

void vrrpnotify_run(const struct vrrpnotify *n, const struct model_strv *prog,
		    const char *who)
{
	int r;

	if (!prog->n || !n->host->spawn)
		return;
	r = n->host->spawn(n->host->arg, model_strv_argv(prog), NOTIFY_TIMEOUT_MS);
	if (r < 0)
		log_err("%s: cannot run %s: %s", who, prog->v[0], strerror(-r));
}

struct notify_job {
	struct host *host;
	char *argv[];                   /* NULL-terminated, each malloc'd */
};

static void notify_job_free(struct notify_job *j, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(j->argv[i]);
	free(j);
}

static void notify_job_run(void *arg)
{
	struct notify_job *j = arg;
	size_t n = 0;
	int r = j->host->spawn ? j->host->spawn(j->host->arg,
						(const char *const *)j->argv,
						NOTIFY_TIMEOUT_MS)
			       : -ENOTSUP;

	if (r < 0)
		log_err("vrrp: cannot run notify program %s: %s", j->argv[0],
			strerror(-r));
	while (j->argv[n])
		n++;
	notify_job_free(j, n);
}

void vrrpnotify_generic(const struct vrrpnotify *nf, const struct model_strv *prog,
			const char *type, const char *name, const char *state,
			unsigned prio, int now)
{
	struct notify_job *j;
	char pb[16];
	const char *extra[4] = {type, name, state, pb};
	size_t n = 0;

	if (!prog->n)
		return;
	snprintf(pb, sizeof(pb), "%u", prio);
	j = calloc(1, sizeof(*j) + (prog->n + 5) * sizeof(char *));
	if (!j)
		goto nomem;
	j->host = nf->host;
	for (size_t i = 0; i < prog->n + 4; i++, n++)
		if (!(j->argv[i] = strdup(i < prog->n ? prog->v[i] : extra[i - prog->n])))
			goto nomem;
	if (now)
		notify_job_run(j);
	else if (loop_post(nf->loop, notify_job_run, j) < 0)
		notify_job_run(j);
	return;
nomem:
	if (j)
		notify_job_free(j, n);
	log_err("vrrp %s: cannot run notify program %s: out of memory", name,
		prog->v[0]);
}
