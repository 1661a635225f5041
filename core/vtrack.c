/* vtrack.c — vrrp_script, track_file and track_process (see vtrack.h).
 * Scripts go through spawn.c (no shell, own process group, killed at the
 * timeout); files through one inotify descriptor watching their
 * directories (a file replaced by rename is seen too; its number read by
 * trackfile.c); processes through
 * a scan of /proc (procwatch.c), repeated soon after the process
 * connector (netlink CN_PROC, root in the initial network namespace)
 * reports an event, and every second when it is not available. */
#include "vtrack.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "procwatch.h"
#include "schema.h"
#include "spawn.h"
#include "trackfile.h"

#define PROC_POLL_MS 1000u      /* without the process connector */
#define PROC_SAFETY_MS 5000u    /* with it: a scan now and then anyway */
#define PROC_SETTLE_MS 50u      /* events come in bursts: one scan after */

struct tobj {
	struct model_tracker cfg;       /* deep copy */
	struct vtrack *t;
	int ok;                         /* 1 OK, 0 failing; scripts: -1 not
					 * known until the first result */
	int64_t value;                  /* files: the number read */
	char detail[192];               /* for the report */
	/* scripts */
	struct prog *prog;              /* running (or queued), NULL: not */
	uint32_t good, bad;             /* consecutive results */
	struct loop_timer *timer;       /* the next run; processes: delay */
	/* files */
	int wd;
	/* processes */
	uint32_t count;
	struct tobj *next;
};

struct vtrack {
	struct loop *loop;
	struct spawner *sp;
	void (*changed)(void *arg);
	void *arg;
	struct tobj *objs;
	int ino;                        /* inotify, -1: none yet */
	struct loop_io *ino_io;
	int cn;                         /* process connector, -1: none */
	struct loop_io *cn_io;
	struct loop_timer *scan_timer;
	int scan_soon;                  /* scan_timer is the short one */
	int has_procs;
};

static const char *kind_str(enum model_track_kind k)
{
	return model_track_kind_str(k);
}

static void tell(struct vtrack *t)
{
	if (t->changed)
		t->changed(t->arg);
}

/* ---------------------------------------------------------- copies */

/* The same object, but for its weight (which only the evaluation reads):
 * every other key restarts it (SK_RESTART in its table). */
static int same_object(const struct model_tracker *a, const struct model_tracker *b)
{
	return a->kind == b->kind && strcmp(a->name, b->name) == 0 &&
	       schema_same(schema_tracker_sect(a->kind), a, b, SK_RESTART);
}

/* ---------------------------------------------------------- scripts */

static void script_arm(struct tobj *o, uint64_t ms);

static void script_result(struct tobj *o, int success, const char *what)
{
	const struct model_tracker *c = &o->cfg;

	snprintf(o->detail, sizeof(o->detail), "%s", what);
	if (o->ok < 0) {
		/* The first result decides at once (as keepalived's). */
		o->ok = success;
		o->good = success;
		o->bad = !success;
		if (success)
			log_info("vrrp_script %s: OK", c->name);
		else
			log_notice("vrrp_script %s: failing (%s)", c->name, what);
		tell(o->t);
		return;
	}
	if (success) {
		o->bad = 0;
		if (o->good < UINT32_MAX)
			o->good++;
		if (!o->ok && o->good >= c->rise) {
			o->ok = 1;
			log_notice("vrrp_script %s: OK after %u success%s", c->name,
				   o->good, o->good == 1 ? "" : "es");
			tell(o->t);
		}
	} else {
		o->good = 0;
		if (o->bad < UINT32_MAX)
			o->bad++;
		if (o->ok && o->bad >= c->fall) {
			o->ok = 0;
			log_notice("vrrp_script %s: failing after %u failure%s (%s)",
				   c->name, o->bad, o->bad == 1 ? "" : "s", what);
			tell(o->t);
		}
	}
}

/* The first line of a script's output, for the status detail. */
static void first_line(const char *out, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	while (out && (*out == ' ' || *out == '\t' || *out == '\n' || *out == '\r'))
		out++;
	if (!out || !*out)
		return;
	while (out[n] && out[n] != '\n' && out[n] != '\r' && n + 1 < len - 3)
		n++;
	snprintf(buf, len, ": %.*s", (int)n, out);
	for (char *c = buf; *c; c++)
		if ((unsigned char)*c < ' ' || *c == 0x7f)
			*c = '?';
}

static void script_done(void *arg, const struct lvsd_prog_result *res)
{
	struct tobj *o = arg;
	char what[160], line[80];

	o->prog = NULL;
	first_line(res->output, line, sizeof(line));
	if (res->start_error) {
		snprintf(what, sizeof(what), "cannot run %s: %s",
			 o->cfg.script.v[0], strerror(res->start_error));
		if (o->bad == 0)
			log_err("vrrp_script %s: %s", o->cfg.name, what);
	} else if (res->timed_out) {
		snprintf(what, sizeof(what), "timed out after %u ms%s",
			 o->cfg.timeout_ms, line);
	} else if (res->exited) {
		snprintf(what, sizeof(what), "exit status %d%s", res->status, line);
	} else {
		snprintf(what, sizeof(what), "killed by signal %d%s", res->signal,
			 line);
	}
	script_result(o, !res->start_error && !res->timed_out && res->exited &&
			      res->status == 0, what);
}

/* The script's output is drained and capped (the first bytes kept for
 * the detail), never lvsd's stderr; what it leaves in its process group
 * is killed when it ends (spawn.c prog_run, as MISC_CHECK's). */
#define SCRIPT_OUTPUT_MAX 512u

static void script_run(void *arg)
{
	struct tobj *o = arg;
	struct lvsd_prog_spec spec = {
		.size = sizeof(spec),
		.argv = (const char *const *)o->cfg.script.v,
		.timeout_ms = o->cfg.timeout_ms,
		.output_max = SCRIPT_OUTPUT_MAX,
	};
	int r;

	o->timer = NULL;
	script_arm(o, o->cfg.interval_ms);
	if (o->prog)
		return; /* the last run is still going (its timeout ends it) */
	o->prog = prog_run(o->t->sp, &spec, script_done, o, &r);
	if (!o->prog) {
		char what[96];

		snprintf(what, sizeof(what), "cannot run %s: %s",
			 o->cfg.script.v[0], strerror(-r));
		if (o->bad == 0)
			log_err("vrrp_script %s: %s", o->cfg.name, what);
		script_result(o, 0, what);
	}
}

static void script_arm(struct tobj *o, uint64_t ms)
{
	o->timer = loop_timer_add(o->t->loop, ms, script_run, o);
	if (!o->timer)
		log_err("vrrp_script %s: cannot arm its timer", o->cfg.name);
}

/* ------------------------------------------------------------ files */

/* Read the number again; say a change (log, owner). */
static void file_read(struct tobj *o, int report)
{
	int64_t old = o->value;

	trackfile_read(o->cfg.file, &o->value, o->detail, sizeof(o->detail));
	if (report && o->value != old) {
		log_notice("vrrp_track_file %s: %s: %s", o->cfg.name, o->cfg.file,
			   o->detail);
		tell(o->t);
	}
}

static int file_watch(struct tobj *o);

/* The directory of a track file is missing (at start, or removed since):
 * try to watch it again once a second, and read the file when it comes. */
#define FILE_RETRY_MS 1000u

static void file_retry(void *arg)
{
	struct tobj *o = arg;

	o->timer = NULL;
	if (o->wd < 0 && file_watch(o) == 0)
		file_read(o, 1);
	if (o->wd < 0)
		o->timer = loop_timer_add(o->t->loop, FILE_RETRY_MS, file_retry, o);
}

static void file_lost(struct tobj *o)
{
	o->wd = -1;
	file_read(o, 1);
	if (!o->timer)
		o->timer = loop_timer_add(o->t->loop, FILE_RETRY_MS, file_retry, o);
}

static void on_inotify(void *arg, int fd, uint32_t events)
{
	struct vtrack *t = arg;
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	(void)events;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;

			for (struct tobj *o = t->objs; o; o = o->next) {
				const char *base;

				if (o->cfg.kind != MODEL_TRACK_FILE || o->wd != ev->wd)
					continue;
				if (ev->mask & IN_IGNORED) {
					/* its directory went: watch for its return */
					file_lost(o);
					continue;
				}
				base = strrchr(o->cfg.file, '/') + 1;
				if ((ev->mask & IN_Q_OVERFLOW) ||
				    (ev->len && strcmp(ev->name, base) == 0))
					file_read(o, 1);
			}
			p += sizeof(*ev) + ev->len;
		}
	}
}

static int file_watch(struct tobj *o)
{
	struct vtrack *t = o->t;
	char dir[PATH_MAX];
	const char *slash = strrchr(o->cfg.file, '/');

	if (t->ino < 0) {
		t->ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (t->ino < 0)
			return -errno;
		t->ino_io = loop_io_add(t->loop, t->ino, EPOLLIN, on_inotify, t);
		if (!t->ino_io) {
			close(t->ino);
			t->ino = -1;
			return -ENOMEM;
		}
	}
	snprintf(dir, sizeof(dir), "%.*s", slash == o->cfg.file ? 1 : (int)(slash - o->cfg.file),
		 o->cfg.file);
	/* Whole writes (close), renames over it, removal; not each write. */
	o->wd = inotify_add_watch(t->ino, dir,
				  IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
				  IN_DELETE | IN_ATTRIB);
	return o->wd < 0 ? -errno : 0;
}

/* -------------------------------------------------------- processes */

static void proc_settle(void *arg);

static void proc_apply(struct tobj *o)
{
	const struct model_tracker *c = &o->cfg;
	int raw = o->count >= c->quorum && o->count <= c->quorum_max;
	uint32_t delay = raw ? c->fork_delay_ms : c->terminate_delay_ms;

	snprintf(o->detail, sizeof(o->detail), "%u running (quorum %u", o->count,
		 c->quorum);
	if (c->quorum_max != UINT32_MAX)
		snprintf(o->detail + strlen(o->detail),
			 sizeof(o->detail) - strlen(o->detail), "..%u", c->quorum_max);
	snprintf(o->detail + strlen(o->detail), sizeof(o->detail) - strlen(o->detail),
		 ")");
	if (raw == o->ok) {
		if (o->timer) {
			loop_timer_del(o->t->loop, o->timer);
			o->timer = NULL;
		}
		return;
	}
	if (delay && !o->timer) {
		o->timer = loop_timer_add(o->t->loop, delay, proc_settle, o);
		if (o->timer)
			return;
	} else if (delay) {
		return; /* already waiting */
	}
	o->ok = raw;
	log_notice("vrrp_track_process %s: %s: %s", c->name, raw ? "OK" : "failing",
		   o->detail);
	tell(o->t);
}

/* The delay is over: the state still differs, so it changes. */
static void proc_settle(void *arg)
{
	struct tobj *o = arg;
	const struct model_tracker *c = &o->cfg;
	int raw = o->count >= c->quorum && o->count <= c->quorum_max;

	o->timer = NULL;
	if (raw == o->ok)
		return;
	o->ok = raw;
	log_notice("vrrp_track_process %s: %s: %s", c->name, raw ? "OK" : "failing",
		   o->detail);
	tell(o->t);
}

static void proc_count(void *arg, struct procwatch_proc *p)
{
	struct vtrack *t = arg;

	for (struct tobj *o = t->objs; o; o = o->next)
		if (o->cfg.kind == MODEL_TRACK_PROCESS &&
		    procwatch_matches(&o->cfg, p))
			o->count++;
}

/* Count every process object's matches in one pass over /proc. */
static void proc_scan(struct vtrack *t, int apply)
{
	for (struct tobj *o = t->objs; o; o = o->next)
		o->count = 0;
	procwatch_scan(proc_count, t);
	for (struct tobj *o = t->objs; apply && o; o = o->next)
		if (o->cfg.kind == MODEL_TRACK_PROCESS)
			proc_apply(o);
}

static void scan_due(void *arg)
{
	struct vtrack *t = arg;

	t->scan_timer = NULL;
	t->scan_soon = 0;
	if (!t->has_procs)
		return;
	proc_scan(t, 1);
	t->scan_timer = loop_timer_add(t->loop, t->cn >= 0 ? PROC_SAFETY_MS
							  : PROC_POLL_MS,
				       scan_due, t);
}

/* Any fork, exec, exit or rename: scan PROC_SETTLE_MS later (once for a
 * burst; on a busy machine events never stop, so the timer is not moved). */
static void on_cn(void *arg, int fd, uint32_t events)
{
	struct vtrack *t = arg;

	(void)events;
	if (!procwatch_cn_drain(fd) || !t->has_procs || t->scan_soon)
		return; /* a scan is due within PROC_SETTLE_MS anyway */
	if (t->scan_timer)
		loop_timer_del(t->loop, t->scan_timer);
	t->scan_timer = loop_timer_add(t->loop, PROC_SETTLE_MS, scan_due, t);
	t->scan_soon = t->scan_timer != NULL;
}

/* The process connector, or -errno when not available (the scan then
 * polls). */
static int cn_open(struct vtrack *t)
{
	int fd = procwatch_cn_open();

	if (fd < 0)
		return fd;
	t->cn_io = loop_io_add(t->loop, fd, EPOLLIN, on_cn, t);
	if (!t->cn_io) {
		close(fd);
		return -ENOMEM;
	}
	t->cn = fd;
	return 0;
}

/* --------------------------------------------------------- objects */

static void obj_free(struct tobj *o)
{
	if (o->timer)
		loop_timer_del(o->t->loop, o->timer);
	if (o->prog)
		prog_cancel(o->t->sp, o->prog);
	if (o->wd >= 0 && o->t->ino >= 0) {
		int shared = 0;

		for (struct tobj *x = o->t->objs; x; x = x->next)
			if (x != o && x->wd == o->wd && x->cfg.kind == MODEL_TRACK_FILE)
				shared = 1;
		if (!shared)
			inotify_rm_watch(o->t->ino, o->wd);
	}
	schema_clear(SCHEMA_SCRIPT, &o->cfg);
	free(o);
}

static int obj_start(struct vtrack *t, struct tobj *o)
{
	int r;

	switch (o->cfg.kind) {
	case MODEL_TRACK_SCRIPT:
		o->ok = o->cfg.init_fail ? 0 : -1;
		snprintf(o->detail, sizeof(o->detail), "not run yet");
		script_arm(o, 0);
		break;
	case MODEL_TRACK_FILE:
		if ((r = file_watch(o)) < 0) {
			log_warnx("vrrp_track_file %s: cannot watch %s: %s (tried again every second)",
				  o->cfg.name, o->cfg.file, strerror(-r));
			o->timer = loop_timer_add(t->loop, FILE_RETRY_MS, file_retry, o);
		}
		file_read(o, 0);
		log_info("vrrp_track_file %s: %s: %s", o->cfg.name, o->cfg.file,
			 o->detail);
		break;
	case MODEL_TRACK_PROCESS:
		t->has_procs = 1;
		break;
	}
	return 0;
}

int vtrack_new(struct loop *loop, struct spawner *sp,
	       void (*changed)(void *arg), void *arg, struct vtrack **out)
{
	struct vtrack *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->loop = loop;
	t->sp = sp;
	t->changed = changed;
	t->arg = arg;
	t->ino = t->cn = -1;
	*out = t;
	return 0;
}

void vtrack_free(struct vtrack *t)
{
	if (!t)
		return;
	while (t->objs) {
		struct tobj *o = t->objs;

		t->objs = o->next;
		obj_free(o);
	}
	if (t->scan_timer)
		loop_timer_del(t->loop, t->scan_timer);
	if (t->ino_io)
		loop_io_del(t->loop, t->ino_io);
	if (t->ino >= 0)
		close(t->ino);
	if (t->cn_io)
		loop_io_del(t->loop, t->cn_io);
	if (t->cn >= 0)
		close(t->cn);
	free(t);
}

/* Does an instance track it? keepalived runs no unused script either. */
static int referenced(const struct model *m, const struct model_tracker *c)
{
	for (size_t i = 0; i < m->n_vrrp; i++)
		for (size_t k = 0; k < m->vrrp[i].n_track; k++)
			if (m->vrrp[i].track[k].kind == c->kind &&
			    strcmp(m->vrrp[i].track[k].name, c->name) == 0)
				return 1;
	return 0;
}

int vtrack_apply(struct vtrack *t, const struct model *m)
{
	struct tobj *old = t->objs, *list = NULL, **tail = &list;
	int rc = 0, had_procs = t->has_procs, fresh_procs = 0;

	t->objs = NULL;
	t->has_procs = 0;
	for (size_t i = 0; i < m->n_trackers; i++) {
		const struct model_tracker *c = &m->trackers[i];
		struct tobj **pp, *o = NULL;

		if (!referenced(m, c)) {
			log_info("[%s %s]: not tracked by any [vrrp]: not run",
				 kind_str(c->kind), c->name);
			continue;
		}

		for (pp = &old; *pp; pp = &(*pp)->next)
			if (same_object(&(*pp)->cfg, c)) {
				o = *pp;
				*pp = o->next;
				break;
			}
		if (o) {
			o->cfg.weight = c->weight;
			o->cfg.line = c->line;
			/* A reload reads track files again (an event may have
			 * been missed), and watches a directory that came. */
			if (c->kind == MODEL_TRACK_FILE) {
				if (o->wd < 0 && file_watch(o) < 0 && !o->timer)
					o->timer = loop_timer_add(t->loop, FILE_RETRY_MS,
								  file_retry, o);
				file_read(o, 1);
			}
			if (c->kind == MODEL_TRACK_PROCESS)
				t->has_procs = 1;
		} else {
			o = calloc(1, sizeof(*o));
			if (!o || schema_copy(SCHEMA_SCRIPT, &o->cfg, c) < 0) {
				free(o);
				rc = -ENOMEM;
				continue;
			}
			o->t = t;
			o->wd = -1;
			if (c->kind == MODEL_TRACK_PROCESS)
				fresh_procs = 1;
			obj_start(t, o);
		}
		o->next = NULL;
		*tail = o;
		tail = &o->next;
	}
	/* The old ones go (their watches checked against the new list). */
	t->objs = list;
	while (old) {
		struct tobj *o = old;

		old = o->next;
		obj_free(o);
	}
	if (t->has_procs && t->cn < 0 && !had_procs) {
		int r = cn_open(t);

		if (r < 0)
			log_info("vrrp_track_process: no process connector (%s); polling /proc every %u ms",
				 strerror(-r), PROC_POLL_MS);
		else
			log_debug("vrrp_track_process: listening to the process connector");
	}
	if (t->has_procs) {
		/* Fresh ones start from what runs now, without a delay. */
		proc_scan(t, 0);
		for (struct tobj *o = t->objs; fresh_procs && o; o = o->next)
			if (o->cfg.kind == MODEL_TRACK_PROCESS && !o->detail[0]) {
				o->ok = o->count >= o->cfg.quorum &&
					o->count <= o->cfg.quorum_max;
				proc_apply(o);
			}
		for (struct tobj *o = t->objs; o; o = o->next)
			if (o->cfg.kind == MODEL_TRACK_PROCESS)
				proc_apply(o);
		if (!t->scan_timer)
			t->scan_timer = loop_timer_add(t->loop, t->cn >= 0 ? PROC_SAFETY_MS
									   : PROC_POLL_MS,
						       scan_due, t);
	}
	return rc;
}

/* ------------------------------------------------------- evaluation */

static const struct tobj *find(const struct vtrack *t, enum model_track_kind k,
			       const char *name)
{
	for (const struct tobj *o = t ? t->objs : NULL; o; o = o->next)
		if (o->cfg.kind == k && strcmp(o->cfg.name, name) == 0)
			return o;
	return NULL;
}

static void add_why(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add_why(char *why, size_t len, const char *fmt, ...)
{
	size_t n = strlen(why);
	va_list ap;

	if (n && n + 2 < len) {
		memcpy(why + n, ", ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(why + n, len - n, fmt, ap);
	va_end(ap);
}

void vtrack_eval(const struct vtrack *t, const struct model_vrrp *v,
		 int32_t *delta, int *fault, char *why, size_t len)
{
	int64_t sum = 0;
	char fwhy[300] = "";

	*delta = 0;
	*fault = 0;
	if (len)
		why[0] = '\0';
	for (size_t i = 0; t && i < v->n_track; i++) {
		const struct model_track_ref *r = &v->track[i];
		const struct tobj *o = find(t, r->kind, r->name);
		int32_t w;

		if (!o)
			continue;
		w = r->has_weight ? r->weight : o->cfg.weight;
		if (r->kind == MODEL_TRACK_FILE) {
			/* |value| clamped first: the product cannot overflow */
			int64_t val = o->value > 1000000000 ? 1000000000
				    : o->value < -1000000000 ? -1000000000
							     : o->value;
			int64_t x = val * (int64_t)w;

			if ((w == 0 && val != 0) || x < -253) {
				if (!*fault)
					snprintf(fwhy, sizeof(fwhy), "%s %s: %s",
						 kind_str(r->kind), r->name, o->detail);
				*fault = 1;
			} else if (x) {
				if (x > 254)
					x = 254;
				sum += x;
				add_why(why, len, "%s %s %+lld", kind_str(r->kind),
					r->name, (long long)x);
			}
			continue;
		}
		if (o->ok < 0)
			continue; /* a script not run yet counts neither way */
		if (w == 0 && !o->ok) {
			if (!*fault)
				snprintf(fwhy, sizeof(fwhy), "%s %s failing (%s)",
					 kind_str(r->kind), r->name, o->detail);
			*fault = 1;
		} else if ((w > 0 && o->ok) || (w < 0 && !o->ok)) {
			sum += w;
			add_why(why, len, "%s %s %s %+d", kind_str(r->kind), r->name,
				o->ok ? "OK" : "failing", (int)w);
		}
	}
	if (*fault && len)
		snprintf(why, len, "%s", fwhy);
	*delta = (int32_t)(sum < -254 ? -254 : sum > 254 ? 254 : sum);
}

void vtrack_report(const struct vtrack *t,
		   void (*emit)(void *arg, const char *line), void *arg)
{
	char line[512];

	for (const struct tobj *o = t ? t->objs : NULL; o; o = o->next) {
		if (o->cfg.kind == MODEL_TRACK_FILE)
			snprintf(line, sizeof(line), "track %s %s: %s (%s)",
				 kind_str(o->cfg.kind), o->cfg.name, o->cfg.file,
				 o->detail);
		else
			snprintf(line, sizeof(line), "track %s %s: %s (%s)",
				 kind_str(o->cfg.kind), o->cfg.name,
				 o->ok < 0 ? "unknown" : o->ok ? "OK" : "failing",
				 o->detail);
		emit(arg, line);
	}
}
