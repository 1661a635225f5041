/* file.c — the file checker (keepalived's FILE_CHECK, its track_file
 * semantics applied to a real server): the health, and with `dynamic` the
 * weight, come from a number in a local file. A run reads the file and
 * reports at once if it changed since the last report (or the last report
 * was not OK); otherwise it waits on inotify, up to connect_timeout, for a
 * change, and reports then. So a write to the file moves the real server
 * at once while a run waits, and at the next run otherwise.
 * Options: file (required), file_weight (N [reverse], default 1),
 * dynamic (yes|no). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <lvsd/plugin.h>

#include "../common/connect.h"
#include "../common/optval.h"
#include "fileval.h"

struct file_check {
	const struct lvsd_host_api *host;
	struct lvsd_check *check;
	char *path;
	const char *base;          /* inside path */
	long long weight;          /* file_weight, sign applied (reverse) */
	int dynamic;
	uint32_t hold_ms;
	int ifd;                   /* inotify, -1: none */
	struct lvsd_io *io;
	struct lvsd_timer *timer;
	int changed;               /* an event since the last report */
	int running;
	int last_ok;
	int reported;
	uint64_t start_us;
	char detail[128];
};

/* "N" or "N reverse", N in -2147483647..2147483647 */
static int parse_weight(const char *v, long long *out)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (end == v || errno || n < -2147483647ll || n > 2147483647ll)
		return -EINVAL;
	while (*end == ' ' || *end == '\t')
		end++;
	if (!strcmp(end, "reverse"))
		n = -n;
	else if (*end)
		return -EINVAL;
	*out = n;
	return 0;
}

static int file_check_option(void *plugin, const char *key, const char *value,
			     char *err, size_t errlen)
{
	long long w;
	int b;
	struct stat st;

	(void)plugin;
	if (!strcmp(key, "file") || !strcmp(key, "track_file")) {
		if (value[0] != '/') {
			snprintf(err, errlen, "an absolute path");
			return -EINVAL;
		}
		if (strlen(value) >= PATH_MAX || value[strlen(value) - 1] == '/') {
			snprintf(err, errlen, "a file's absolute path");
			return -EINVAL;
		}
		/* a file that does not exist yet is fine (it is watched for);
		 * a directory can never hold the value */
		if (stat(value, &st) == 0 && S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "%s is a directory, not a file", value);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "file_weight")) {
		if (parse_weight(value, &w) < 0) {
			snprintf(err, errlen, "an integer -2147483647..2147483647, optionally followed by 'reverse'");
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "dynamic")) {
		if (check_parse_bool(value, &b) < 0) {
			snprintf(err, errlen, "yes or no");
			return -EINVAL;
		}
		return 0;
	}
	snprintf(err, errlen, "FILE_CHECK has no option '%s' (file, file_weight, dynamic)", key);
	return -ENOENT;
}

static void file_on_event(void *arg, int fd, uint32_t events);

static void file_unwait(struct file_check *c)
{
	if (c->timer)
		c->host->timer_del(c->host->host, c->timer);
	c->timer = NULL;
}

static int file_create(void *plugin, struct lvsd_check *check,
		       const struct lvsd_check_target *target,
		       const struct lvsd_kv *opts, size_t n_opts, void **state)
{
	struct conn_plugin *p = plugin;
	struct file_check *c = calloc(1, sizeof(*c));
	char *dir, *slash;

	if (!c)
		return -ENOMEM;
	c->host = p->host;
	c->check = check;
	c->weight = 1;
	c->ifd = -1;
	c->hold_ms = target->connect_timeout_ms;
	for (size_t i = 0; i < n_opts; i++) {
		const char *k = opts[i].key, *v = opts[i].value;

		if (!strcmp(k, "file") || !strcmp(k, "track_file")) {
			free(c->path);
			if (!(c->path = strdup(v)))
				goto nomem;
		} else if (!strcmp(k, "file_weight")) {
			if (parse_weight(v, &c->weight) < 0)
				goto inval;
		} else if (!strcmp(k, "dynamic")) {
			if (check_parse_bool(v, &c->dynamic) < 0)
				goto inval;
		} else {
			goto inval;
		}
	}
	if (!c->path) {
		p->host->log(p->host->host, LVSD_LOG_ERR,
			     "file is required (the file to read)");
		goto inval;
	}
	c->base = strrchr(c->path, '/') + 1;
	/* Watch the directory: a file replaced by rename, created or removed
	 * is seen too. Written in place, it is read when closed (not on each
	 * write: `echo 3 >file` truncates first). No watch (too many, no directory): runs still read. */
	if (!(dir = strdup(c->path)))
		goto nomem;
	slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	c->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (c->ifd < 0)
		p->host->log(p->host->host, LVSD_LOG_WARNING,
			     "cannot watch %s (inotify: %s, see fs.inotify.max_user_instances): read at each run only",
			     c->path, strerror(errno));
	if (c->ifd >= 0 &&
	    inotify_add_watch(c->ifd, dir, IN_CLOSE_WRITE | IN_MOVED_TO |
			      IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB) < 0) {
		p->host->log(p->host->host, LVSD_LOG_WARNING,
			     "cannot watch %s (%s): %s is read at each run only",
			     dir, strerror(errno), c->path);
		close(c->ifd);
		c->ifd = -1;
	}
	free(dir);
	if (c->ifd >= 0 &&
	    !(c->io = p->host->io_add(p->host->host, c->ifd, LVSD_IO_IN,
				      file_on_event, c))) {
		close(c->ifd);
		c->ifd = -1;
	}
	c->changed = 1;
	*state = c;
	return 0;
nomem:
	free(c->path);
	free(c);
	return -ENOMEM;
inval:
	free(c->path);
	free(c);
	return -EINVAL;
}

/* Read the file and report. */
static void file_report(struct file_check *c)
{
	struct lvsd_check_result r = { .size = sizeof(r) };
	char buf[FILEVAL_MAX + 1];
	ssize_t n = -1;
	long long v = 0, w = 0;
	int pr = 0;
	int fd = open(c->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	file_unwait(c);
	c->running = 0;
	c->changed = 0;
	r.latency_us = (uint32_t)(c->host->now_us(c->host->host) - c->start_us);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf)); /* one byte more: too long */
		if (n < 0)
			snprintf(c->detail, sizeof(c->detail), "cannot read %s: %s",
				 c->path, strerror(errno));
		close(fd);
	} else {
		snprintf(c->detail, sizeof(c->detail), "cannot read %s: %s",
			 c->path, strerror(errno));
	}
	r.outcome = LVSD_CHECK_BAD_RESPONSE;
	if (n >= 0 && (pr = fileval_parse(buf, (size_t)n, &v)) == -ERANGE) {
		const char *d = buf;
		size_t dl;

		buf[n] = '\0'; /* n <= FILEVAL_MAX here */
		while (*d == ' ' || *d == '\t' || *d == '\r' || *d == '\n')
			d++;
		dl = strcspn(d, " \t\r\n");
		snprintf(c->detail, sizeof(c->detail),
			 "value %.*s%s out of range (-2147483647..2147483647)",
			 (int)(dl > 24 ? 24 : dl), d, dl > 24 ? "..." : "");
	} else if (n >= 0 && pr < 0) {
		snprintf(c->detail, sizeof(c->detail), "%s: not a number", c->path);
	} else if (n >= 0 && c->weight == 0) { /* keepalived: 0 OK, else down */
		snprintf(c->detail, sizeof(c->detail), "value %lld", v);
		r.outcome = v == 0 ? LVSD_CHECK_OK : LVSD_CHECK_BAD_STATUS;
	} else if (n >= 0) {
		if (!fileval_verdict(v, c->weight, &w)) {
			snprintf(c->detail, sizeof(c->detail),
				 "value %lld: weight %lld below 0", v, w);
			r.outcome = LVSD_CHECK_BAD_STATUS;
		} else if (c->dynamic) {
			r.outcome = LVSD_CHECK_OK;
			r.has_weight = 1;
			r.weight = (uint32_t)w;
			snprintf(c->detail, sizeof(c->detail), "value %lld: weight %lld",
				 v, w);
		} else {
			r.outcome = LVSD_CHECK_OK;
			snprintf(c->detail, sizeof(c->detail), "value %lld", v);
		}
	}
	r.detail = c->detail;
	c->last_ok = r.outcome == LVSD_CHECK_OK;
	c->reported = 1;
	c->host->check_done(c->host->host, c->check, &r);
}

static void file_on_event(void *arg, int fd, uint32_t events)
{
	struct file_check *c = arg;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	(void)events;
	for (int i = 0; i < 16; i++) { /* bounded; the rest comes next time */
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *e = (const struct inotify_event *)p;

			if (e->mask & IN_Q_OVERFLOW)
				c->changed = 1;
			else if (e->len && strcmp(e->name, c->base) == 0)
				c->changed = 1;
			p += sizeof(*e) + e->len;
		}
	}
	if (c->changed && c->running)
		file_report(c);
}

static void file_on_hold(void *arg)
{
	struct file_check *c = arg;

	c->timer = NULL; /* the loop frees it */
	file_report(c);
}

static int file_run(void *state)
{
	struct file_check *c = state;

	file_unwait(c);
	c->running = 1;
	c->start_us = c->host->now_us(c->host->host);
	if (c->changed || !c->last_ok || c->ifd < 0) {
		file_report(c);
		return 0;
	}
	c->timer = c->host->timer_add(c->host->host, c->hold_ms, file_on_hold, c);
	if (!c->timer)
		file_report(c);
	return 0;
}

static void file_cancel(void *state)
{
	struct file_check *c = state;

	file_unwait(c);
	c->running = 0;
}

static void file_destroy(void *state)
{
	struct file_check *c = state;

	file_cancel(c);
	if (c->io)
		c->host->io_del(c->host->host, c->io);
	if (c->ifd >= 0)
		close(c->ifd);
	free(c->path);
	free(c);
}

static const struct lvsd_checker_ops file_ops = {
	.size = sizeof(struct lvsd_checker_ops),
	.check_option = file_check_option,
	.create = file_create,
	.run = file_run,
	.cancel = file_cancel,
	.destroy = file_destroy,
};

CONN_CHECKER_PLUGIN("FILE_CHECK",
		    "health and weight from a file (keepalived's FILE_CHECK)",
		    file_ops)
