/* opstore.c — the running daemon's operator layer against its state file
 * (see opstore.h): the hold on a file that could not be read, the damaged
 * file kept aside, and the grace period of removed real servers. */
#include "opstore.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "opfile.h"

/* --------------------------------------------------------------- files */

int opstore_load(struct daemon *d)
{
	char err[128];
	unsigned damaged;
	int r;

	r = opfile_load(d->state_file, &d->ops, &damaged, &d->ops_bytes, err,
			sizeof(err));
	d->ops_base = d->ops_bytes;
	if (r < 0) {
		snprintf(d->ops_hold, sizeof(d->ops_hold),
			 "%s could not be read at start (%s); lvsd does not write "
			 "over it: move it away to have changes saved again",
			 d->state_file, err);
		log_err("operator state %s: %s: starting without it; operator changes "
			"apply but are not saved until it is moved away",
			d->state_file, err);
		return r;
	}
	if (damaged) {
		d->ops_damaged = damaged;
		log_warnx("operator state %s: %u damaged line%s ignored, the rest "
			  "applies; the file is kept as %s.bad-TIME before it is "
			  "next written", d->state_file, damaged,
			  damaged == 1 ? "" : "s", d->state_file);
	}
	return 0;
}

/* A hard link "PATH.bad-20261130T001500Z" (-2, -3... if taken) to the
 * damaged file: its bytes stay for the operator, and the path is never
 * missing. 0, -ENOENT (the operator moved it meanwhile) or -errno. */
static int keep_aside(struct daemon *d)
{
	char ts[32], name[4200];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y%m%dT%H%M%SZ", &tm);
	for (int i = 1; i <= 20; i++) {
		if (i == 1)
			snprintf(name, sizeof(name), "%s.bad-%s", d->state_file, ts);
		else
			snprintf(name, sizeof(name), "%s.bad-%s-%d", d->state_file,
				 ts, i);
		if (link(d->state_file, name) == 0) {
			log_notice("operator state %s had %u damaged line%s: kept as %s",
				   d->state_file, d->ops_damaged,
				   d->ops_damaged == 1 ? "" : "s", name);
			return 0;
		}
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

int opstore_write(struct daemon *d, const struct opstate *s)
{
	struct stat st;
	int r;

	if (d->ops_hold[0]) {
		if (lstat(d->state_file, &st) == 0 || errno != ENOENT) {
			log_warnx("operator state not saved: %s", d->ops_hold);
			return -EROFS;
		}
		log_notice("operator state %s was moved away: saving again",
			   d->state_file);
		d->ops_hold[0] = '\0';
		d->ops_damaged = 0;
	}
	if (d->ops_damaged) {
		r = keep_aside(d);
		if (r < 0 && r != -ENOENT) {
			snprintf(d->ops_hold, sizeof(d->ops_hold),
				 "%s has damaged lines and could not be kept aside "
				 "(%s); lvsd does not write over it: move it away to "
				 "have changes saved again", d->state_file,
				 strerror(-r));
			log_err("operator state not saved: %s", d->ops_hold);
			return -EROFS;
		}
		d->ops_damaged = 0;
	}
	d->ops_bytes = SIZE_MAX; /* unknown, unless written */
	r = opfile_save(d->state_file, s, &d->ops_bytes);
	d->ops_base = d->ops_bytes;
	return r;
}

/* A journal line may go at the end of the file: lvsd knows its size, it
 * is neither held nor damaged, and the journal is still shorter than the
 * snapshot (4 KiB at least): beyond that the file is written whole, so
 * a load reads at most about twice the entries and each change costs
 * O(1) amortised. */
static bool can_append(const struct daemon *d, size_t len)
{
	size_t room = d->ops_base > 4096 ? d->ops_base : 4096;

	return d->ops_bytes != SIZE_MAX && d->ops_base != SIZE_MAX &&
	       !d->ops_hold[0] && !d->ops_damaged &&
	       d->ops_bytes - d->ops_base + len <= room;
}

int opstore_set(struct daemon *d, const struct opstate_rs *r)
{
	struct opstate_rs *o = opstate_find_rs(&d->ops, r->vs, &r->addr, r->port);
	struct opstate_rs old = { 0 };
	int had = o != NULL, del = !r->has_weight && r->admin == ADMIN_NONE;
	char line[OPSTATE_LINE_MAX];
	size_t len;
	int e;

	if (had)
		old = *o;
	else if (del)
		return 0; /* nothing to remove */
	/* In memory first (O(1)); put back if it cannot be saved. */
	if (del) {
		opstate_del_rs(&d->ops, o);
	} else {
		if (!o && !(o = opstate_get_rs(&d->ops, r->vs, &r->addr, r->port)))
			return -ENOMEM;
		*o = *r;
	}
	len = opstate_format_rs(r, del ? "del" : "set", line);
	e = -ESTALE;
	if (can_append(d, len)) {
		e = opfile_append(d->state_file, d->ops_bytes, line, len);
		if (e == 0)
			d->ops_bytes += len;
		else if (e != -ESTALE)
			log_warnx("operator state %s: cannot append to it (%s): "
				  "writing it whole", d->state_file, strerror(-e));
	}
	if (e < 0) /* not appended: the whole file, which decides anew */
		e = opstore_write(d, &d->ops);
	if (e < 0 && e != -EROFS) { /* not saved: not changed */
		o = opstate_find_rs(&d->ops, r->vs, &r->addr, r->port);
		if (had && !o)
			o = opstate_get_rs(&d->ops, old.vs, &old.addr, old.port);
		if (had && o) /* room for it is there: its slot was freed */
			*o = old;
		else if (!had && o)
			opstate_del_rs(&d->ops, o);
	}
	return e;
}

int opstore_set_rt(struct daemon *d, struct opstate_rt *v, size_t n,
		   const struct opstate_rt *ch, const int *del, size_t n_ch)
{
	struct opstate_rt *old = d->ops.rt;
	size_t old_n = d->ops.n_rt, old_cap = d->ops.cap_rt, len = 0;
	char *lines = NULL;
	int e = -ESTALE;

	for (size_t i = 0; i < n_ch; i++) {
		char *l = opstate_format_rt(&ch[i], del[i]);
		char *b = l ? realloc(lines, len + strlen(l) + 1) : NULL;

		if (!b) {
			free(l);
			free(lines);
			return -ENOMEM;
		}
		lines = b;
		memcpy(lines + len, l, strlen(l) + 1);
		len += strlen(l);
		free(l);
	}
	d->ops.rt = v;
	d->ops.n_rt = d->ops.cap_rt = n;
	if (n_ch && can_append(d, len)) {
		e = opfile_append(d->state_file, d->ops_bytes, lines, len);
		if (e == 0)
			d->ops_bytes += len;
		else if (e != -ESTALE)
			log_warnx("operator state %s: cannot append to it (%s): "
				  "writing it whole", d->state_file, strerror(-e));
	}
	free(lines);
	if (e < 0)
		e = opstore_write(d, &d->ops);
	if (e < 0) { /* held (-EROFS) too: runtime objects are saved or refused */
		if (e != -EROFS)
			log_err("cannot write the operator state %s: %s",
				d->state_file, strerror(-e));
		d->ops.rt = old;
		d->ops.n_rt = old_n;
		d->ops.cap_rt = old_cap;
		return e;
	}
	return 0;
}

int opstore_save(struct daemon *d)
{
	int r = opstore_write(d, &d->ops);

	if (r < 0 && r != -EROFS)
		log_err("cannot write the operator state %s: %s", d->state_file,
			strerror(-r));
	return r;
}

const char *opstore_unsaved(const struct daemon *d)
{
	return d->ops_hold[0] ? d->ops_hold : NULL;
}

void opstore_report(const struct daemon *d,
		    void (*emit)(void *arg, const char *line), void *arg)
{
	char line[512];
	size_t gone = 0;

	for (size_t i = 0; i < d->ops.n_rs; i++)
		gone += d->ops.rs[i].gone != 0;
	snprintf(line, sizeof(line),
		 "operator state %s: %zu overrides (%zu of removed real servers, "
		 "kept for operator_grace %us), %zu runtime objects, %s%s",
		 d->state_file, d->ops.n_rs, gone,
		 d->model->global.operator_grace_ms / 1000, d->ops.n_rt,
		 d->ops_hold[0] ? "not saved: " : "saved",
		 d->ops_hold[0] ? d->ops_hold : "");
	emit(arg, line);
}

/* ------------------------------------------------- applying, the grace */

/* Ten lines of a kind, then a count: 100,000 stale entries must not
 * flood the log. */
#define NOTE_MAX 10

struct note {
	unsigned n;
};

static void note(struct note *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void note(struct note *c, const char *fmt, ...)
{
	va_list ap;

	if (c->n++ >= NOTE_MAX)
		return;
	va_start(ap, fmt);
	log_vmsg(LOG_NOTICE, NULL, fmt, ap);
	va_end(ap);
}

static void note_end(const struct note *c, const char *what)
{
	if (c->n > NOTE_MAX)
		log_notice("... and %u more operator overrides %s", c->n - NOTE_MAX,
			   what);
}

struct pass {
	struct daemon *d;
	int64_t now;       /* wall clock, s */
	int64_t grace;     /* s, rounded up; 0: no grace */
	int dirty;
	struct note dropped, kept, back, expired;
};

static const char *what_str(const struct opstate_rs *o, char *buf, size_t len)
{
	char w[24] = "";

	if (o->has_weight)
		snprintf(w, sizeof(w), "weight %u", o->weight);
	snprintf(buf, len, "%s%s%s", w, o->has_weight && o->admin ? ", " : "",
		 o->admin ? admin_state_str(o->admin) : "");
	return buf;
}

static int keep_entry(void *arg, struct opstate_rs *o)
{
	struct pass *p = arg;
	struct srv *s = srv_find(&p->d->servers, o->vs, &o->addr, o->port);
	char ap[80] = "", what[48] = "";

	/* the strings of 100,000 entries made only for the ten logged */
#define SAY(counter, ...) do { \
	if ((counter)->n < NOTE_MAX) { \
		model_addrport_str(&o->addr, o->port, ap, sizeof(ap)); \
		what_str(o, what, sizeof(what)); \
	} \
	note(counter, __VA_ARGS__); \
} while (0)
	if (s && s->cfg->weight != o->cfg_weight) {
		SAY(&p->dropped, "operator override of %s %s (%s) dropped: config "
		    "weight changed %u -> %u", o->vs, ap, what, o->cfg_weight,
		    s->cfg->weight);
		p->dirty = 1;
		return 0;
	}
	if (s) {
		if (o->gone) {
			SAY(&p->back, "operator override of %s %s (%s) applies "
			    "again: configured again", o->vs, ap, what);
			o->gone = 0;
			p->dirty = 1;
		}
		return 1;
	}
	if (!p->grace) {
		SAY(&p->dropped, "operator override of %s %s (%s) dropped: no "
		    "longer configured (operator_grace 0)", o->vs, ap, what);
		p->dirty = 1;
		return 0;
	}
	if (!o->gone) {
		SAY(&p->kept, "operator override of %s %s (%s) kept for "
		    "operator_grace (%llds): no longer configured", o->vs, ap,
		    what, (long long)p->grace);
		o->gone = p->now;
		p->dirty = 1;
		return 1;
	}
	if (p->now - o->gone > p->grace) {
		SAY(&p->expired, "operator override of %s %s (%s) dropped: not "
		    "configured again within operator_grace (%llds)", o->vs, ap,
		    what, (long long)p->grace);
		p->dirty = 1;
		return 0;
	}
	return 1;
#undef SAY
}

static void on_expire(void *arg)
{
	struct daemon *d = arg;

	d->ops_expire = NULL;
	opstore_apply(d);
}

/* The timer of the next expiry: gone + grace, then the next second (an
 * entry expires once more than grace has passed). */
static void arm_expiry(struct daemon *d, const struct pass *p)
{
	int64_t next = INT64_MAX;
	struct timespec ts;
	int64_t now_ms, at_ms;

	if (d->ops_expire) {
		loop_timer_del(d->loop, d->ops_expire);
		d->ops_expire = NULL;
	}
	for (size_t i = 0; p->grace && i < d->ops.n_rs; i++)
		if (d->ops.rs[i].gone && d->ops.rs[i].gone < next)
			next = d->ops.rs[i].gone;
	if (next == INT64_MAX || !d->loop)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	at_ms = (next + p->grace + 1) * 1000;
	d->ops_expire = loop_timer_add(d->loop,
				       at_ms > now_ms ? (uint64_t)(at_ms - now_ms) : 0,
				       on_expire, d);
}

struct rename {
	const char *from;
	struct opstate_rs *moved;
	size_t n, cap;
	int oom;
};

/* opstate_retain: take the entries of the renamed VS out, copied. */
static int take_renamed(void *arg, struct opstate_rs *o)
{
	struct rename *r = arg;

	if (strcmp(o->vs, r->from) != 0)
		return 1;
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		struct opstate_rs *v = realloc(r->moved, cap * sizeof(*v));

		if (!v) {
			r->oom = 1;
			return 1; /* kept under the old name: the grace applies */
		}
		r->moved = v;
		r->cap = cap;
	}
	r->moved[r->n++] = *o;
	return 0;
}

static bool same_service(const struct model_vs *a, const struct model_vs *b)
{
	if (a->af != b->af || a->fwmark != b->fwmark)
		return false;
	if (a->fwmark)
		return true;
	return a->protocol == b->protocol && a->port == b->port &&
	       model_addr_eq(&a->addr, &b->addr);
}

void opstore_renamed(struct daemon *d, const struct model *old,
		     const struct model *m)
{
	int moved = 0;

	for (size_t i = 0; i < old->n_vs; i++) {
		const struct model_vs *ov = &old->vs[i];
		const struct model_vs *nv = NULL;
		struct rename r = { .from = ov->name };

		if (model_find_vs(m, ov->name))
			continue;
		for (size_t j = 0; j < m->n_vs && !nv; j++)
			if (!model_find_vs(old, m->vs[j].name) &&
			    same_service(ov, &m->vs[j]))
				nv = &m->vs[j];
		if (!nv)
			continue;
		opstate_retain(&d->ops, take_renamed, &r);
		for (size_t k = 0; k < r.n; k++) {
			struct opstate_rs *o = opstate_get_rs(&d->ops, nv->name,
							      &r.moved[k].addr,
							      r.moved[k].port);

			if (!o) {
				r.oom = 1;
				continue;
			}
			*o = r.moved[k];
			snprintf(o->vs, sizeof(o->vs), "%s", nv->name);
		}
		if (r.n)
			log_notice("virtual server '%s' renamed '%s' (the same "
				   "service): %zu operator override%s follow%s it",
				   ov->name, nv->name, r.n, r.n == 1 ? "" : "s",
				   r.n == 1 ? "s" : "");
		if (r.oom)
			log_err("virtual server '%s' renamed '%s': out of memory; "
				"some operator overrides stay under the old name",
				ov->name, nv->name);
		moved += r.n != 0;
		free(r.moved);
	}
	if (moved)
		opstore_save(d);
}

void opstore_apply(struct daemon *d)
{
	uint32_t g = d->model->global.operator_grace_ms;
	struct pass p = {
		.d = d, .now = (int64_t)time(NULL),
		.grace = g / 1000 + (g % 1000 != 0),
	};

	opstate_retain(&d->ops, keep_entry, &p);
	note_end(&p.dropped, "dropped");
	note_end(&p.kept, "of removed real servers kept for operator_grace");
	note_end(&p.back, "apply again");
	note_end(&p.expired, "dropped: operator_grace over");
	for (size_t i = 0; i < d->servers.n; i++) {
		struct srv *s = d->servers.v[i];
		struct opstate_rs *o = opstate_find_rs(&d->ops, s->vs_name,
						       &s->addr, s->port);

		s->has_op_weight = o && o->has_weight;
		s->op_weight = o ? o->weight : 0;
		s->admin = o ? o->admin : ADMIN_NONE;
	}
	arm_expiry(d, &p);
	if (!p.dirty && d->ops_hold[0] && access(d->state_file, F_OK) < 0 &&
	    errno == ENOENT)
		p.dirty = 1; /* a held path moved away: a reload saves too */
	if (p.dirty)
		opstore_save(d);
}
