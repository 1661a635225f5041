/* opstate.c — the operator-layer state in memory and as text (see
 * opstate.h; the file itself: opfile.c). Format, one
 * record per line:
 *   rs VS ADDR:PORT cfgweight=N [weight=N] [admin=enabled|disabled|drain]
 *      [gone=EPOCH]
 *   owned TCP|UDP|SCTP ADDR:PORT
 *   owned FWM MARK inet|inet6
 *   runtime-vs 1 NAME [KEY=VALUE...]
 *   runtime-rs 1 VS ADDR:PORT [KEY=VALUE...]
 *   runtime-del 1 vs NAME | runtime-del 1 rs VS ADDR:PORT
 */
#include "opstate.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* Words of a line: 8 for the operator records, more for runtime ones
 * (a key=value each). */
#define OPSTATE_WORDS_MAX 72

void opstate_free(struct opstate *s)
{
	free(s->rs);
	free(s->owned);
	free(s->rt);
	hidx_free(&s->idx);
	memset(s, 0, sizeof(*s));
}

int opstate_copy(struct opstate *dst, const struct opstate *src)
{
	memset(dst, 0, sizeof(*dst));
	if (src->n_rs) {
		dst->rs = malloc(src->n_rs * sizeof(*dst->rs));
		dst->idx.slot = malloc(src->idx.cap * sizeof(*dst->idx.slot));
		if (!dst->rs || !dst->idx.slot) {
			opstate_free(dst);
			return -ENOMEM;
		}
		memcpy(dst->rs, src->rs, src->n_rs * sizeof(*dst->rs));
		memcpy(dst->idx.slot, src->idx.slot,
		       src->idx.cap * sizeof(*dst->idx.slot));
		dst->idx.cap = src->idx.cap;
		dst->idx.n = src->idx.n;
		dst->n_rs = dst->cap_rs = src->n_rs;
	}
	if (opstate_set_owned(dst, src->owned, src->n_owned) < 0) {
		opstate_free(dst);
		return -ENOMEM;
	}
	for (size_t i = 0; i < src->n_rt; i++)
		if (opstate_put_rt(dst, &src->rt[i]) < 0) {
			opstate_free(dst);
			return -ENOMEM;
		}
	return 0;
}

int opstate_parse_addrport(const char *s, struct lvsd_addr *addr,
			   uint16_t *port)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon, *h = s;
	size_t hl;
	char *end;
	unsigned long p;

	memset(addr, 0, sizeof(*addr));
	if (s[0] == '[') {
		const char *rb = strchr(s, ']');

		if (!rb || rb[1] != ':')
			return -EINVAL;
		h = s + 1;
		hl = (size_t)(rb - h);
		colon = rb + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return -EINVAL;
		hl = (size_t)(colon - s);
	}
	if (hl == 0 || hl >= sizeof(host))
		return -EINVAL;
	memcpy(host, h, hl);
	host[hl] = '\0';
	errno = 0;
	p = strtoul(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || p > 65535)
		return -EINVAL;
	if (inet_pton(AF_INET, host, &addr->u.v4) == 1 && s[0] != '[')
		addr->family = AF_INET;
	else if (inet_pton(AF_INET6, host, &addr->u.v6) == 1 && s[0] == '[')
		addr->family = AF_INET6;
	else
		return -EINVAL;
	*port = (uint16_t)p;
	return 0;
}

static void addrport_str(const struct lvsd_addr *a, uint16_t port, char *buf,
			 size_t len)
{
	char h[INET6_ADDRSTRLEN];

	inet_ntop(a->family, &a->u, h, sizeof(h));
	snprintf(buf, len, a->family == AF_INET6 ? "[%s]:%u" : "%s:%u", h, port);
}

static int addr_eq(const struct lvsd_addr *a, const struct lvsd_addr *b)
{
	if (a->family != b->family)
		return 0;
	return a->family == AF_INET ? a->u.v4.s_addr == b->u.v4.s_addr
				    : !memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6));
}

/* --------------------------------------------------------- the index */

struct key {
	const struct opstate *s;
	const char *vs;
	const struct lvsd_addr *addr;
	uint16_t port;
};

static int key_eq(const void *arg, size_t pos)
{
	const struct key *k = arg;
	const struct opstate_rs *r = &k->s->rs[pos];

	return r->port == k->port && addr_eq(&r->addr, k->addr) &&
	       !strcmp(r->vs, k->vs);
}

static uint64_t rs_hash(const struct opstate_rs *r)
{
	return model_rs_key_hash(r->vs, &r->addr, r->port);
}

/* After entries moved: the index has room for them all already (it only
 * grows), so re-adding never allocates and cannot fail. */
static void reindex(struct opstate *s)
{
	hidx_clear(&s->idx);
	for (size_t i = 0; i < s->n_rs; i++)
		(void)hidx_add(&s->idx, rs_hash(&s->rs[i]), i);
}

struct opstate_rs *opstate_find_rs(const struct opstate *s, const char *vs,
				   const struct lvsd_addr *addr, uint16_t port)
{
	struct key k = { s, vs, addr, port };
	size_t pos = hidx_find(&s->idx, model_rs_key_hash(vs, addr, port),
			       key_eq, &k);

	return pos == SIZE_MAX ? NULL : &s->rs[pos];
}

struct opstate_rs *opstate_get_rs(struct opstate *s, const char *vs,
				  const struct lvsd_addr *addr, uint16_t port)
{
	struct opstate_rs *r = opstate_find_rs(s, vs, addr, port), *v;

	if (r)
		return r;
	if (strlen(vs) >= sizeof(r->vs))
		return NULL;
	if (s->n_rs == s->cap_rs) {
		size_t cap = s->cap_rs ? 2 * s->cap_rs : 16;

		v = realloc(s->rs, cap * sizeof(*v));
		if (!v)
			return NULL;
		s->rs = v;
		s->cap_rs = cap;
	}
	r = &s->rs[s->n_rs];
	memset(r, 0, sizeof(*r));
	strcpy(r->vs, vs);
	r->addr = *addr;
	r->port = port;
	if (hidx_add(&s->idx, rs_hash(r), s->n_rs) < 0)
		return NULL;
	s->n_rs++;
	return r;
}

void opstate_del_rs(struct opstate *s, struct opstate_rs *rs)
{
	size_t i = (size_t)(rs - s->rs), last = s->n_rs - 1;

	hidx_del(&s->idx, rs_hash(rs), i);
	if (i != last) { /* the last entry takes its place */
		hidx_move(&s->idx, rs_hash(&s->rs[last]), last, i);
		s->rs[i] = s->rs[last];
	}
	s->n_rs--;
}

int opstate_reserve(struct opstate *s, size_t n)
{
	if (n > s->cap_rs) {
		struct opstate_rs *v = realloc(s->rs, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->rs = v;
		s->cap_rs = n;
	}
	return hidx_reserve(&s->idx, n);
}

size_t opstate_retain(struct opstate *s,
		      int (*keep)(void *arg, struct opstate_rs *rs), void *arg)
{
	size_t j = 0, n = s->n_rs;

	for (size_t i = 0; i < n; i++) {
		if (!keep(arg, &s->rs[i]))
			continue;
		if (j != i)
			s->rs[j] = s->rs[i];
		j++;
	}
	s->n_rs = j;
	if (j != n)
		reindex(s);
	return n - j;
}

int opstate_set_owned(struct opstate *s, const struct opstate_owned *v,
		      size_t n)
{
	struct opstate_owned *c = NULL;

	if (n) {
		c = malloc(n * sizeof(*c));
		if (!c)
			return -ENOMEM;
		memcpy(c, v, n * sizeof(*c));
	}
	free(s->owned);
	s->owned = c;
	s->n_owned = s->cap_owned = n;
	return 0;
}

/* ---------------------------------------------------- runtime objects */

struct opstate_rt *opstate_find_rt(const struct opstate *s,
				   enum opstate_rt_kind kind, const char *vs,
				   const struct lvsd_addr *addr, uint16_t port)
{
	for (size_t i = 0; i < s->n_rt; i++) {
		struct opstate_rt *r = &s->rt[i];

		if (r->kind != kind || strcmp(r->vs, vs))
			continue;
		if (kind == OPSTATE_RT_VS ||
		    (r->port == port && addr_eq(&r->addr, addr)))
			return r;
	}
	return NULL;
}

int opstate_put_rt(struct opstate *s, const struct opstate_rt *r)
{
	struct opstate_rt *o = opstate_find_rt(s, r->kind, r->vs, &r->addr,
					       r->port);

	if (o) {
		*o = *r;
		return 0;
	}
	if (s->n_rt == s->cap_rt) {
		size_t cap = s->cap_rt ? 2 * s->cap_rt : 8;
		struct opstate_rt *v = realloc(s->rt, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->rt = v;
		s->cap_rt = cap;
	}
	s->rt[s->n_rt++] = *r;
	return 0;
}

int opstate_del_rt(struct opstate *s, const struct opstate_rt *r)
{
	struct opstate_rt *o = opstate_find_rt(s, r->kind, r->vs, &r->addr,
					       r->port);
	size_t i;

	if (!o)
		return 0;
	i = (size_t)(o - s->rt);
	memmove(o, o + 1, (s->n_rt - i - 1) * sizeof(*o));
	s->n_rt--;
	return 1;
}

/* A name as lvsd.ini takes it: [A-Za-z0-9_.-], 1..63 bytes. */
static int rt_name_ok(const char *n)
{
	size_t i;

	for (i = 0; n[i]; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') || (n[i] >= 'A' && n[i] <= 'Z') ||
		      (n[i] >= '0' && n[i] <= '9') || n[i] == '_' || n[i] == '.' ||
		      n[i] == '-'))
			return 0;
	return i > 0 && i < MODEL_NAME_MAX;
}

/* "key=value": key [a-z0-9_]+, value 1.. printable bytes, no blank. */
static int rt_word_ok(const char *w)
{
	const char *eq = strchr(w, '=');

	if (!eq || eq == w || !eq[1])
		return 0;
	for (const char *c = w; c < eq; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		      *c == '_'))
			return 0;
	for (const unsigned char *c = (const unsigned char *)eq + 1; *c; c++)
		if (*c <= 0x20 || *c == 0x7f)
			return 0;
	return 1;
}

const char *opstate_rt_check(const struct opstate_rt *r)
{
	char w[OPSTATE_RT_KV_MAX];
	const char *p = r->kv;

	if (r->kind != OPSTATE_RT_VS && r->kind != OPSTATE_RT_RS)
		return "unknown kind";
	if (!memchr(r->vs, '\0', sizeof(r->vs)) || !rt_name_ok(r->vs))
		return "bad name (letters, digits, '_', '.', '-'; at most 63)";
	if (r->kind == OPSTATE_RT_RS && r->addr.family != AF_INET &&
	    r->addr.family != AF_INET6)
		return "bad address";
	if (!memchr(r->kv, '\0', sizeof(r->kv)))
		return "keys too long";
	while (*p) {
		size_t n = strcspn(p, " ");

		memcpy(w, p, n);
		w[n] = '\0';
		if (!rt_word_ok(w))
			return "KEY=VALUE expected (key: a-z, 0-9, '_'; a value "
			       "without blanks)";
		p += n;
		if (*p == ' ' && !*++p)
			return "KEY=VALUE expected (key: a-z, 0-9, '_'; a value "
			       "without blanks)";
	}
	return NULL;
}

/* ------------------------------------------------------------ parsing */

static int parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > WEIGHT_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int parse_epoch(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (*s < '1' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v <= 0)
		return -EINVAL;
	*out = v;
	return 0;
}

/* "WHAT 'VALUE'" in buf: the value with bytes outside printable ASCII as
 * \xNN and cut after 40 characters, so that a damaged line is said with
 * what is wrong in it and nothing of it reaches a terminal raw. */
static const char *bad(char *buf, size_t len, const char *what,
		       const char *v)
{
	char q[200];
	size_t o = 0, i;

	for (i = 0; v[i] && i < 40 && o + 5 < sizeof(q); i++) {
		unsigned char c = (unsigned char)v[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			q[o++] = (char)c;
		else
			o += (size_t)snprintf(q + o, sizeof(q) - o, "\\x%02x", c);
	}
	q[o] = '\0';
	snprintf(buf, len, "%s '%s%s'", what, q, v[i] ? "..." : "");
	return buf;
}

/* The words after the record's name: VS ADDR:PORT [KEY=VALUE...] into r.
 * NULL: fine; else why the line is damaged (maybe in buf). */
static const char *parse_rs_words(char **w, int n, struct opstate_rs *r,
				  char *buf, size_t len)
{
	memset(r, 0, sizeof(*r));
	if (strlen(w[1]) >= sizeof(r->vs))
		return bad(buf, len, "rs: name too long", w[1]);
	if (opstate_parse_addrport(w[2], &r->addr, &r->port) < 0)
		return bad(buf, len, "rs: bad ADDR:PORT", w[2]);
	for (int i = 3; i < n; i++) {
		char *eq = strchr(w[i], '=');

		if (!eq)
			return bad(buf, len, "rs: KEY=VALUE expected, got", w[i]);
		*eq++ = '\0';
		if (!strcmp(w[i], "cfgweight")) {
			if (parse_u32(eq, &r->cfg_weight) < 0)
				return bad(buf, len, "rs: bad cfgweight", eq);
		} else if (!strcmp(w[i], "weight")) {
			if (parse_u32(eq, &r->weight) < 0)
				return bad(buf, len, "rs: bad weight", eq);
			r->has_weight = 1;
		} else if (!strcmp(w[i], "admin")) {
			if (admin_state_parse(eq, &r->admin) < 0)
				return bad(buf, len, "rs: bad admin state", eq);
		} else if (!strcmp(w[i], "gone")) {
			if (parse_epoch(eq, &r->gone) < 0)
				return bad(buf, len, "rs: bad gone time", eq);
		} else {
			return bad(buf, len, "rs: unknown key", w[i]);
		}
	}
	strcpy(r->vs, w[1]);
	return NULL;
}

/* NULL: out of memory; "": fine; else why the line is damaged (maybe in
 * buf). "rs" (the snapshot: a key once), "set" (a journal line: the entry
 * replaced or added), "del" (a journal line: the entry removed). A journal
 * line counts only whole: with its newline (a write cut short by a crash
 * is damaged, never read as a shorter value). */
static const char *parse_rs(char **w, int n, struct opstate *s, int whole,
			    char *buf, size_t len)
{
	struct opstate_rs r, *slot;
	const char *why;
	size_t before = s->n_rs;
	int journal = w[0][0] != 'r';

	if (journal && !whole)
		return bad(buf, len, "journal record cut short (no newline)", w[0]);
	if (w[0][0] == 'd') {
		if (n != 3)
			return "del: VS ADDR:PORT expected";
		if (strlen(w[1]) >= sizeof(r.vs))
			return bad(buf, len, "del: name too long", w[1]);
		if (opstate_parse_addrport(w[2], &r.addr, &r.port) < 0)
			return bad(buf, len, "del: bad ADDR:PORT", w[2]);
		slot = opstate_find_rs(s, w[1], &r.addr, r.port);
		if (slot)
			opstate_del_rs(s, slot);
		return "";
	}
	if (n < 4)
		return journal ? "set: too few words" : "rs: too few words";
	if ((why = parse_rs_words(w, n, &r, buf, len)))
		return why;
	slot = opstate_get_rs(s, r.vs, &r.addr, r.port);
	if (!slot)
		return NULL;
	if (!journal && s->n_rs == before)
		return "rs: duplicate";
	*slot = r;
	return "";
}

/* runtime-vs / runtime-rs / runtime-del (see the top). NULL: out of
 * memory; "": fine; else why the line is damaged (maybe in buf). */
static const char *parse_rt(char **w, int n, struct opstate *s, int whole,
			    char *buf, size_t len)
{
	struct opstate_rt r;
	int del = !strcmp(w[0], "runtime-del"), i = 3;
	const char *why;
	size_t o = 0;

	memset(&r, 0, sizeof(r));
	if (!whole)
		return bad(buf, len, "runtime record cut short (no newline)", w[0]);
	if (n < 3)
		return "runtime: too few words";
	if (strcmp(w[1], "1"))
		return bad(buf, len, "runtime: unknown record version (a newer "
			   "lvsd wrote it?)", w[1]);
	if (del) {
		if (!strcmp(w[2], "vs") && n == 4) {
			r.kind = OPSTATE_RT_VS;
		} else if (!strcmp(w[2], "rs") && n == 5) {
			r.kind = OPSTATE_RT_RS;
		} else {
			return "runtime-del: 'vs NAME' or 'rs VS ADDR:PORT' expected";
		}
		w++;
		n--;
	} else {
		r.kind = !strcmp(w[0], "runtime-vs") ? OPSTATE_RT_VS : OPSTATE_RT_RS;
	}
	if (strlen(w[2]) >= sizeof(r.vs))
		return bad(buf, len, "runtime: name too long", w[2]);
	strcpy(r.vs, w[2]);
	if (r.kind == OPSTATE_RT_RS) {
		if (n < 4 || opstate_parse_addrport(w[3], &r.addr, &r.port) < 0)
			return bad(buf, len, "runtime: bad ADDR:PORT", n < 4 ? "" : w[3]);
		i = 4;
	}
	if (del) {
		if (opstate_rt_check(&r))
			return bad(buf, len, "runtime-del: bad name", r.vs);
		opstate_del_rt(s, &r);
		return "";
	}
	for (; i < n; i++) {
		size_t k = strlen(w[i]);

		if (o + k + 2 > sizeof(r.kv))
			return "runtime: keys too long";
		if (o)
			r.kv[o++] = ' ';
		memcpy(r.kv + o, w[i], k + 1);
		o += k;
	}
	if ((why = opstate_rt_check(&r)))
		return bad(buf, len, why, r.vs);
	return opstate_put_rt(s, &r) < 0 ? NULL : "";
}

static const char *parse_owned(char **w, int n, struct opstate *s, char *buf,
			       size_t len)
{
	struct opstate_owned o = { 0 }, *v;

	if (n != 3 && n != 4)
		return "owned: wrong number of words";
	if (!strcmp(w[1], "FWM")) {
		uint32_t mark;

		if (n != 4 || parse_u32(w[2], &mark) < 0 || mark == 0)
			return bad(buf, len, "owned: bad fwmark", w[2]);
		o.fwmark = mark;
		if (!strcmp(w[3], "inet"))
			o.af = AF_INET;
		else if (!strcmp(w[3], "inet6"))
			o.af = AF_INET6;
		else
			return bad(buf, len, "owned: bad family", w[3]);
	} else {
		if (n != 3)
			return "owned: wrong number of words";
		if (!strcmp(w[1], "TCP"))
			o.protocol = IPPROTO_TCP;
		else if (!strcmp(w[1], "UDP"))
			o.protocol = IPPROTO_UDP;
		else if (!strcmp(w[1], "SCTP"))
			o.protocol = IPPROTO_SCTP;
		else
			return bad(buf, len, "owned: bad protocol", w[1]);
		if (opstate_parse_addrport(w[2], &o.addr, &o.port) < 0)
			return bad(buf, len, "owned: bad ADDR:PORT", w[2]);
		o.af = o.addr.family;
	}
	if (s->n_owned == s->cap_owned) {
		size_t cap = s->cap_owned ? 2 * s->cap_owned : 4;

		v = realloc(s->owned, cap * sizeof(*v));
		if (!v)
			return NULL;
		s->owned = v;
		s->cap_owned = cap;
	}
	s->owned[s->n_owned++] = o;
	return "";
}

int opstate_parse_take(char *copy, size_t len, struct opstate *out,
		       void (*warn)(void *, unsigned, const char *), void *arg)
{
	char *line, *next;
	unsigned no = 0;
	int damaged = 0;
	size_t recs = 1;

	memset(out, 0, sizeof(*out));
	/* Room for every line that may be a record at once: 100,000 entries
	 * without a realloc or a rehash on the way. */
	for (const char *c = copy; (c = memchr(c, '\n', (size_t)(copy + len - c)));)
		recs += *++c == 'r' || *c == 's';
	/* (a record takes 19 bytes at least: a file of "r" lines reserves
	 * nothing absurd) */
	if (recs > len / 19 + 1)
		recs = len / 19 + 1;
	if (opstate_reserve(out, recs) < 0) {
		free(copy);
		opstate_free(out);
		return -ENOMEM;
	}
	/* strtok_r would merge empty lines: walk by hand to count them. */
	for (line = copy; line < copy + len; line = next) {
		char *nl = memchr(line, '\n', (size_t)(copy + len - line));
		char *w[OPSTATE_WORDS_MAX], *tok, *ws = NULL;
		const char *why;
		char buf[300];
		int n = 0, whole = nl != NULL;

		if (!nl)
			nl = copy + len;
		next = nl + 1;
		*nl = '\0';
		no++;
		if (strlen(line) != (size_t)(nl - line)) {
			why = "NUL byte";
			goto damaged;
		}
		for (tok = strtok_r(line, " \t\r", &ws); tok && n < 8;
		     tok = strtok_r(NULL, " \t\r", &ws))
			w[n++] = tok;
		if (tok && n == 8 && !strncmp(w[0], "runtime-", 8))
			for (; tok && n < OPSTATE_WORDS_MAX;
			     tok = strtok_r(NULL, " \t\r", &ws))
				w[n++] = tok;
		if (n == 0 || w[0][0] == '#')
			continue;
		if (tok)
			why = "too many words";
		else if (!strcmp(w[0], "rs") || !strcmp(w[0], "set") ||
			 !strcmp(w[0], "del"))
			why = parse_rs(w, n, out, whole, buf, sizeof(buf));
		else if (!strcmp(w[0], "owned"))
			why = parse_owned(w, n, out, buf, sizeof(buf));
		else if (!strcmp(w[0], "runtime-vs") || !strcmp(w[0], "runtime-rs") ||
			 !strcmp(w[0], "runtime-del"))
			why = parse_rt(w, n, out, whole, buf, sizeof(buf));
		else
			why = bad(buf, sizeof(buf), "unknown record", w[0]);
		if (!why) {
			free(copy);
			opstate_free(out);
			return -ENOMEM;
		}
		if (!*why)
			continue;
	damaged:
		damaged++;
		if (warn)
			warn(arg, no, why);
	}
	free(copy);
	return damaged;
}

int opstate_parse(const char *text, size_t len, struct opstate *out,
		  void (*warn)(void *, unsigned, const char *), void *arg)
{
	char *copy = malloc(len + 1);

	memset(out, 0, sizeof(*out));
	if (!copy)
		return -ENOMEM;
	memcpy(copy, text, len);
	copy[len] = '\0';
	return opstate_parse_take(copy, len, out, warn, arg);
}


/* ------------------------------------------------------------- saving */

static const char *proto_str(uint16_t p)
{
	return p == IPPROTO_UDP ? "UDP" : p == IPPROTO_SCTP ? "SCTP" : "TCP";
}

/* Decimal digits of v at p; returns the end. */
static char *put_u64(char *p, uint64_t v)
{
	char d[20];
	int n = 0;

	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (n)
		*p++ = d[--n];
	return p;
}

static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

size_t opstate_format_rs(const struct opstate_rs *r, const char *record,
			 char *buf)
{
	char *p = buf;

	p = put_str(p, record);
	*p++ = ' ';
	p = put_str(p, r->vs);
	*p++ = ' ';
	if (r->addr.family == AF_INET6)
		*p++ = '[';
	inet_ntop(r->addr.family, &r->addr.u, p, INET6_ADDRSTRLEN);
	p += strlen(p);
	if (r->addr.family == AF_INET6)
		*p++ = ']';
	*p++ = ':';
	p = put_u64(p, r->port);
	if (!strcmp(record, "del")) {
		*p++ = '\n';
		return (size_t)(p - buf);
	}
	p = put_str(p, " cfgweight=");
	p = put_u64(p, r->cfg_weight);
	if (r->has_weight) {
		p = put_str(p, " weight=");
		p = put_u64(p, r->weight);
	}
	if (r->admin != ADMIN_NONE) {
		p = put_str(p, " admin=");
		p = put_str(p, admin_state_str(r->admin));
	}
	if (r->gone > 0) {
		p = put_str(p, " gone=");
		p = put_u64(p, (uint64_t)r->gone);
	}
	*p++ = '\n';
	return (size_t)(p - buf);
}

char *opstate_format_rt(const struct opstate_rt *r, int del)
{
	char ap[INET6_ADDRSTRLEN + 10] = "";
	size_t len = strlen(r->kv) + sizeof(ap) + sizeof(r->vs) + 40;
	char *line = malloc(len);

	if (!line)
		return NULL;
	if (r->kind == OPSTATE_RT_RS)
		addrport_str(&r->addr, r->port, ap, sizeof(ap));
	if (del)
		snprintf(line, len, "runtime-del %d %s %s%s%s\n", OPSTATE_RT_VERSION,
			 r->kind == OPSTATE_RT_VS ? "vs" : "rs", r->vs,
			 *ap ? " " : "", ap);
	else
		snprintf(line, len, "runtime-%s %d %s%s%s%s%s\n",
			 r->kind == OPSTATE_RT_VS ? "vs" : "rs", OPSTATE_RT_VERSION,
			 r->vs, *ap ? " " : "", ap, *r->kv ? " " : "", r->kv);
	return line;
}

int opstate_format(const struct opstate *s, FILE *f)
{
	char ap[INET6_ADDRSTRLEN + 10], line[OPSTATE_LINE_MAX];

	fprintf(f, "# lvsd operator state: written by lvsd, changed with lvsctl or SNMP\n");
	for (size_t i = 0; i < s->n_rs; i++)
		fwrite(line, 1, opstate_format_rs(&s->rs[i], "rs", line), f);
	for (size_t i = 0; i < s->n_owned; i++) {
		const struct opstate_owned *o = &s->owned[i];

		if (o->fwmark) {
			fprintf(f, "owned FWM %u %s\n", o->fwmark,
				o->af == AF_INET6 ? "inet6" : "inet");
		} else {
			addrport_str(&o->addr, o->port, ap, sizeof(ap));
			fprintf(f, "owned %s %s\n", proto_str(o->protocol), ap);
		}
	}
	for (size_t i = 0; i < s->n_rt; i++) {
		char *l = opstate_format_rt(&s->rt[i], 0);

		if (!l)
			return -ENOMEM;
		fputs(l, f);
		free(l);
	}
	return ferror(f) ? -EIO : 0;
}
