/* ckmsg.c — encoder and decoder of the check process's messages (the
 * format is in ckmsg.h). One decoder walks a record; ckmsg_check runs it
 * over a whole datagram without keeping anything, ckmsg_next keeps. */
#include "ckmsg.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ------------------------------------------------------------ encoder */

static int is_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' || *s == '-'))
			return 0;
	return 1;
}

static void put8(uint8_t *p, uint8_t v) { p[0] = v; }

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Room for a record of payload plen: its payload's start, after writing
 * the header; NULL with *err. */
static uint8_t *rec_open(struct ckbuf *b, enum ckmsg_type type, uint32_t id,
			 size_t plen, int *err)
{
	uint8_t *p;

	if (plen > CKMSG_DGRAM_MAX - CKMSG_HDR) {
		*err = -EMSGSIZE;
		return NULL;
	}
	if (b->len + CKMSG_HDR + plen > sizeof(b->buf)) {
		*err = -ENOSPC;
		return NULL;
	}
	p = b->buf + b->len;
	put8(p, CKMSG_VERSION);
	put8(p + 1, (uint8_t)type);
	put16(p + 2, 0);
	put32(p + 4, (uint32_t)(CKMSG_HDR + plen));
	put32(p + 8, id);
	b->len += CKMSG_HDR + plen;
	b->n++;
	return p + CKMSG_HDR;
}

/* A text as it goes out: cut to max, control characters as '?'. */
static size_t text_len(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	return n > max ? max : n;
}

static uint8_t *put_text(uint8_t *p, const char *s, size_t n)
{
	put16(p, (uint16_t)n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		p[2 + i] = (c < 0x20 && c != '\t') || c == 0x7f ? '?' : c;
	}
	return p + 2 + n;
}

int ckmsg_put_empty(struct ckbuf *b, enum ckmsg_type type, uint32_t id)
{
	int err = 0;

	return rec_open(b, type, id, 0, &err) ? 0 : err;
}

int ckmsg_put_hello(struct ckbuf *b, uint32_t pid, uint32_t uid, uint32_t gid,
		    uint64_t capeff)
{
	int err = 0;
	uint8_t *p = rec_open(b, CKMSG_HELLO, 0, 20, &err);

	if (!p)
		return err;
	put32(p, pid);
	put32(p + 4, uid);
	put32(p + 8, gid);
	put64(p + 12, capeff);
	return 0;
}

int ckmsg_put_log(struct ckbuf *b, int level, const char *line)
{
	size_t n = text_len(line, CKMSG_LOG_MAX);
	int err = 0;
	uint8_t *p;

	if (level < 0 || level > 7)
		return -EINVAL;
	if (!(p = rec_open(b, CKMSG_LOG, 0, 3 + n, &err)))
		return err;
	put8(p, (uint8_t)level);
	put_text(p + 1, line, n);
	return 0;
}

int ckmsg_put_result(struct ckbuf *b, uint32_t id,
		     const struct lvsd_check_result *res)
{
	const char *d = res->detail;
	size_t n = text_len(d, CKMSG_DETAIL_MAX);
	int has_w = LVSD_HAS_FIELD(res->size, struct lvsd_check_result, weight) &&
		    res->has_weight;
	double f = res->has_factor ? res->factor : 0;
	uint64_t fb;
	int err = 0;
	uint8_t *p;

	if ((unsigned)res->outcome > LVSD_CHECK_INTERNAL ||
	    (unsigned)res->hint > LVSD_AGENT_DRAIN)
		return -EINVAL;
	if (!(f >= 0 && f <= 1)) /* NaN too */
		return -EINVAL;
	if (!(p = rec_open(b, CKMSG_RESULT, id, 24 + 2 + n, &err)))
		return err;
	memcpy(&fb, &f, sizeof(fb));
	put8(p, (uint8_t)res->outcome);
	put8(p + 1, (uint8_t)res->hint);
	put8(p + 2, res->has_factor ? 1 : 0);
	put8(p + 3, has_w ? 1 : 0);
	put32(p + 4, res->latency_us);
	put32(p + 8, (uint32_t)(res->http_status < 0 || res->http_status > 999
				? 0 : res->http_status));
	put32(p + 12, has_w ? (res->weight > 2147483647u ? 2147483647u : res->weight) : 0);
	put64(p + 16, fb);
	put_text(p + 24, d, n);
	return 0;
}

int ckmsg_put_refused(struct ckbuf *b, uint32_t id, int err_no, const char *why)
{
	size_t n = text_len(why, CKMSG_DETAIL_MAX);
	int err = 0;
	uint8_t *p;

	if (err_no >= 0 || err_no < -4095)
		return -EINVAL;
	if (!(p = rec_open(b, CKMSG_REFUSED, id, 4 + 2 + n, &err)))
		return err;
	put32(p, (uint32_t)err_no);
	put_text(p + 4, why, n);
	return 0;
}

static size_t addr_put(uint8_t *p, const struct lvsd_addr *a)
{
	put8(p, (uint8_t)a->family);
	memset(p + 1, 0, 16);
	if (a->family == AF_INET)
		memcpy(p + 1, &a->u.v4, 4);
	else if (a->family == AF_INET6)
		memcpy(p + 1, &a->u.v6, 16);
	return 17;
}

int ckmsg_put_create(struct ckbuf *b, uint32_t id, const char *checker,
		     const struct lvsd_check_target *t,
		     const struct lvsd_kv *opts, size_t n_opts)
{
	size_t clen = strlen(checker), plen, i;
	int err = 0;
	uint8_t *p;

	if (!clen || clen > CKMSG_NAME_MAX || !is_name(checker) || n_opts > 0xffff)
		return -EINVAL;
	plen = 2 + clen + 17 + 2 + 17 + 4 + 4 + 2;
	for (i = 0; i < n_opts; i++) {
		size_t k = strlen(opts[i].key), v = strlen(opts[i].value);

		if (k > 0xffff || v > 0xffff)
			return -EMSGSIZE;
		plen += 4 + k + v;
		if (plen > CKMSG_DGRAM_MAX)
			return -EMSGSIZE;
	}
	if (!(p = rec_open(b, CKMSG_CREATE, id, plen, &err)))
		return err;
	put16(p, (uint16_t)clen);
	memcpy(p + 2, checker, clen);
	p += 2 + clen;
	p += addr_put(p, &t->addr);
	put16(p, t->port);
	p += 2;
	p += addr_put(p, &t->bind_addr);
	put32(p, t->connect_timeout_ms);
	put32(p + 4, t->fwmark);
	put16(p + 8, (uint16_t)n_opts);
	p += 10;
	for (i = 0; i < n_opts; i++) {
		size_t k = strlen(opts[i].key), v = strlen(opts[i].value);

		put16(p, (uint16_t)k);
		memcpy(p + 2, opts[i].key, k);
		p += 2 + k;
		put16(p, (uint16_t)v);
		memcpy(p + 2, opts[i].value, v);
		p += 2 + v;
	}
	return 0;
}

/* ------------------------------------------------------------ decoder */

struct rd {
	const uint8_t *p;
	size_t left;
	char *why;
	size_t wlen;
	int bad;
};

static int bad(struct rd *r, const char *fmt, ...)
{
	va_list ap;

	if (!r->bad && r->why && r->wlen) {
		va_start(ap, fmt);
		vsnprintf(r->why, r->wlen, fmt, ap);
		va_end(ap);
	}
	r->bad = 1;
	return -EBADMSG;
}

static int get(struct rd *r, void *out, size_t n, const char *what)
{
	if (r->left < n)
		return bad(r, "%s: %zu bytes, %zu left", what, n, r->left);
	if (out)
		memcpy(out, r->p, n);
	r->p += n;
	r->left -= n;
	return 0;
}

static uint32_t le(const uint8_t *p, int n)
{
	uint32_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static int get8(struct rd *r, uint8_t *v, const char *what)
{
	return get(r, v, 1, what);
}

static int get16(struct rd *r, uint16_t *v, const char *what)
{
	uint8_t b[2];

	if (get(r, b, 2, what))
		return -EBADMSG;
	*v = (uint16_t)le(b, 2);
	return 0;
}

static int get32(struct rd *r, uint32_t *v, const char *what)
{
	uint8_t b[4];

	if (get(r, b, 4, what))
		return -EBADMSG;
	*v = le(b, 4);
	return 0;
}

static int get64(struct rd *r, uint64_t *v, const char *what)
{
	uint8_t b[8];

	if (get(r, b, 8, what))
		return -EBADMSG;
	*v = (uint64_t)le(b + 4, 4) << 32 | le(b, 4);
	return 0;
}

/* A string of at most max bytes, into out (max + 1) or allocated (*dup)
 * or nowhere. printable: no control characters at all; else no NUL. */
static int get_str(struct rd *r, char *out, char **dup, size_t min,
		   size_t max, int printable, const char *what)
{
	uint16_t n = 0;
	const uint8_t *s;

	if (get16(r, &n, what))
		return -EBADMSG;
	if (n > max || n < min)
		return bad(r, "%s: %u bytes, %zu..%zu", what, n, min, max);
	s = r->p;
	if (get(r, NULL, n, what))
		return -EBADMSG;
	for (size_t i = 0; i < n; i++)
		if (!s[i] || (printable && ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)))
			return bad(r, "%s: byte %zu is 0x%02x", what, i, s[i]);
	if (out) {
		memcpy(out, s, n);
		out[n] = '\0';
	}
	if (dup) {
		if (!(*dup = malloc((size_t)n + 1)))
			return -ENOMEM;
		memcpy(*dup, s, n);
		(*dup)[n] = '\0';
	}
	return 0;
}

static int get_addr(struct rd *r, struct lvsd_addr *a, int may_be_none,
		    const char *what)
{
	uint8_t fam = 0, raw[16];

	if (get8(r, &fam, what) || get(r, raw, 16, what))
		return -EBADMSG;
	memset(a, 0, sizeof(*a));
	if (fam == AF_INET)
		memcpy(&a->u.v4, raw, 4);
	else if (fam == AF_INET6)
		memcpy(&a->u.v6, raw, 16);
	else if (fam != 0 || !may_be_none)
		return bad(r, "%s: address family %u", what, fam);
	a->family = fam;
	return 0;
}

static int dec_create(struct rd *r, struct ckmsg *m)
{
	char name[CKMSG_NAME_MAX + 1];
	struct lvsd_check_target t = { .size = sizeof(t) };
	uint16_t n = 0;
	int e;

	if (get_str(r, name, NULL, 1, CKMSG_NAME_MAX, 1, "checker"))
		return -EBADMSG;
	if (!is_name(name))
		return bad(r, "checker: '%s' is no name", name);
	if (get_addr(r, &t.addr, 0, "address") || get16(r, &t.port, "port") ||
	    get_addr(r, &t.bind_addr, 1, "bind address") ||
	    get32(r, &t.connect_timeout_ms, "connect_timeout") ||
	    get32(r, &t.fwmark, "fwmark") || get16(r, &n, "n_opts"))
		return -EBADMSG;
	if (m) {
		snprintf(m->checker, sizeof(m->checker), "%s", name);
		m->target = t;
		if (n && !(m->opts = calloc(n, sizeof(*m->opts))))
			return -ENOMEM;
	}
	for (uint16_t i = 0; i < n; i++) {
		char *k = NULL, *v = NULL;

		e = get_str(r, NULL, m ? &k : NULL, 1, 0xffff, 1, "option key");
		if (!e)
			e = get_str(r, NULL, m ? &v : NULL, 0, 0xffff, 0, "option value");
		if (e) {
			free(k);
			return e;
		}
		if (m) {
			m->opts[m->n_opts].key = k;
			m->opts[m->n_opts].value = v;
			m->n_opts++;
		}
	}
	return 0;
}

static int dec_result(struct rd *r, struct ckmsg *m)
{
	uint8_t outcome = 0, hint = 0, has_f = 0, has_w = 0;
	uint32_t lat = 0, status = 0, weight = 0;
	uint64_t fb = 0;
	double f;
	char *text = m ? m->text : NULL;

	if (get8(r, &outcome, "outcome") || get8(r, &hint, "hint") ||
	    get8(r, &has_f, "has_factor") || get8(r, &has_w, "has_weight") ||
	    get32(r, &lat, "latency") || get32(r, &status, "http_status") ||
	    get32(r, &weight, "weight") || get64(r, &fb, "factor"))
		return -EBADMSG;
	if (outcome > LVSD_CHECK_INTERNAL)
		return bad(r, "outcome %u unknown", outcome);
	if (hint > LVSD_AGENT_DRAIN)
		return bad(r, "hint %u unknown", hint);
	if (has_f > 1 || has_w > 1)
		return bad(r, "has_factor %u / has_weight %u not 0 or 1", has_f, has_w);
	if (status > 999)
		return bad(r, "http_status %u", status);
	if (weight > 2147483647u || (!has_w && weight))
		return bad(r, "weight %u", weight);
	memcpy(&f, &fb, sizeof(f));
	if (!(f >= 0 && f <= 1) || (!has_f && fb))
		return bad(r, "factor not in [0,1]");
	if (get_str(r, text, NULL, 0, CKMSG_DETAIL_MAX, 1, "detail"))
		return -EBADMSG;
	if (m) {
		m->res.size = sizeof(m->res);
		m->res.outcome = (enum lvsd_check_outcome)outcome;
		m->res.hint = (enum lvsd_agent_hint)hint;
		m->res.has_factor = has_f;
		m->res.factor = f;
		m->res.has_weight = has_w;
		m->res.weight = weight;
		m->res.latency_us = lat;
		m->res.http_status = (int)status;
		m->res.detail = m->text[0] ? m->text : NULL;
	}
	return 0;
}

/* One record at r (the header read already told type and the payload's
 * length, r->left is exactly that). */
static int dec_payload(struct rd *r, uint8_t type, enum ckmsg_dir dir,
		       struct ckmsg *m)
{
	int to_child = type >= CKMSG_CREATE;
	uint32_t v32 = 0;
	uint8_t v8 = 0;
	int e = 0;

	switch (type) {
	case CKMSG_HELLO: case CKMSG_HEARTBEAT: case CKMSG_LOG:
	case CKMSG_RESULT: case CKMSG_REFUSED: case CKMSG_CREATE:
	case CKMSG_RUN: case CKMSG_CANCEL: case CKMSG_DESTROY:
		break;
	default:
		return bad(r, "type %u unknown", type);
	}
	if (to_child != (dir == CKMSG_TO_CHILD))
		return bad(r, "type %s goes the other way", ckmsg_type_str(type));
	switch (type) {
	case CKMSG_HELLO: {
		uint32_t pid = 0, uid = 0, gid = 0;
		uint64_t cap = 0;

		if (get32(r, &pid, "pid") || get32(r, &uid, "uid") ||
		    get32(r, &gid, "gid") || get64(r, &cap, "capeff"))
			return -EBADMSG;
		if (m) {
			m->pid = pid;
			m->uid = uid;
			m->gid = gid;
			m->capeff = cap;
		}
		break;
	}
	case CKMSG_LOG:
		if (get8(r, &v8, "level"))
			return -EBADMSG;
		if (v8 > 7)
			return bad(r, "log level %u", v8);
		if (get_str(r, m ? m->text : NULL, NULL, 0, CKMSG_LOG_MAX, 1, "line"))
			return -EBADMSG;
		if (m)
			m->level = v8;
		break;
	case CKMSG_RESULT:
		e = dec_result(r, m);
		break;
	case CKMSG_REFUSED:
		if (get32(r, &v32, "err"))
			return -EBADMSG;
		if ((int32_t)v32 >= 0 || (int32_t)v32 < -4095)
			return bad(r, "err %d", (int32_t)v32);
		if (get_str(r, m ? m->text : NULL, NULL, 0, CKMSG_DETAIL_MAX, 1, "why"))
			return -EBADMSG;
		if (m)
			m->err = (int32_t)v32;
		break;
	case CKMSG_CREATE:
		e = dec_create(r, m);
		break;
	default: /* HEARTBEAT, RUN, CANCEL, DESTROY: no payload */
		break;
	}
	if (e)
		return e;
	if (r->left)
		return bad(r, "%zu bytes after the payload", r->left);
	return 0;
}

static int dec_record(const uint8_t *buf, size_t len, size_t *off,
		      enum ckmsg_dir dir, struct ckmsg *m, char *why, size_t wlen)
{
	struct rd r = { buf + *off, len - *off, why, wlen, 0 };
	struct rd pr;
	uint8_t ver = 0, type = 0;
	uint16_t flags = 0;
	uint32_t rlen = 0, id = 0;
	int e;

	if (get8(&r, &ver, "header") || get8(&r, &type, "header") ||
	    get16(&r, &flags, "header") || get32(&r, &rlen, "header") ||
	    get32(&r, &id, "header"))
		return -EBADMSG;
	if (ver != CKMSG_VERSION)
		return bad(&r, "version %u, this lvsd speaks %u", ver, CKMSG_VERSION);
	if (flags)
		return bad(&r, "flags 0x%x", flags);
	if (rlen < CKMSG_HDR || rlen > len - *off)
		return bad(&r, "length %u, the datagram has %zu bytes left", rlen,
			   len - *off);
	pr = r;
	pr.left = rlen - CKMSG_HDR;
	if ((type == CKMSG_HELLO || type == CKMSG_HEARTBEAT || type == CKMSG_LOG) && id)
		return bad(&r, "%s with id %u", ckmsg_type_str(type), id);
	if (m) {
		m->type = type;
		m->id = id;
	}
	e = dec_payload(&pr, type, dir, m);
	if (e)
		return e;
	*off += rlen;
	return 0;
}

int ckmsg_check(const uint8_t *buf, size_t len, enum ckmsg_dir dir,
		char *why, size_t wlen)
{
	size_t off = 0, n = 0;
	char w[200] = "";

	if (why && wlen)
		why[0] = '\0';
	if (!len) {
		snprintf(why, wlen, "empty datagram");
		return -EBADMSG;
	}
	if (len > CKMSG_DGRAM_MAX) {
		snprintf(why, wlen, "datagram of %zu bytes, at most %u", len,
			 CKMSG_DGRAM_MAX);
		return -EBADMSG;
	}
	while (off < len) {
		size_t at = off;

		if (dec_record(buf, len, &off, dir, NULL, w, sizeof(w)) < 0) {
			snprintf(why, wlen, "record %zu (byte %zu): %s", n + 1, at, w);
			return -EBADMSG;
		}
		n++;
	}
	return 0;
}

int ckmsg_next(const uint8_t *buf, size_t len, size_t *off,
	       enum ckmsg_dir dir, struct ckmsg *m)
{
	int e;

	memset(m, 0, sizeof(*m));
	if (*off >= len)
		return 0;
	e = dec_record(buf, len, off, dir, m, NULL, 0);
	if (e < 0) {
		ckmsg_clear(m);
		return e;
	}
	return 1;
}

void ckmsg_clear(struct ckmsg *m)
{
	for (size_t i = 0; i < m->n_opts; i++) {
		free((char *)m->opts[i].key);
		free((char *)m->opts[i].value);
	}
	free(m->opts);
	m->opts = NULL;
	m->n_opts = 0;
}

const char *ckmsg_type_str(int type)
{
	switch (type) {
	case CKMSG_HELLO: return "HELLO";
	case CKMSG_HEARTBEAT: return "HEARTBEAT";
	case CKMSG_LOG: return "LOG";
	case CKMSG_RESULT: return "RESULT";
	case CKMSG_REFUSED: return "REFUSED";
	case CKMSG_CREATE: return "CREATE";
	case CKMSG_RUN: return "RUN";
	case CKMSG_CANCEL: return "CANCEL";
	case CKMSG_DESTROY: return "DESTROY";
	default: return "unknown";
	}
}
