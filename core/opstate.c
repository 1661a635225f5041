/* opstate.c — the operator-layer state file (see opstate.h). Format, one
 * record per line:
 *   rs VS ADDR:PORT cfgweight=N [weight=N] [admin=enabled|disabled|drain]
 *   owned TCP|UDP|SCTP ADDR:PORT
 *   owned FWM MARK inet|inet6
 */
#include "opstate.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

void opstate_free(struct opstate *s)
{
	free(s->rs);
	free(s->owned);
	memset(s, 0, sizeof(*s));
}

int opstate_copy(struct opstate *dst, const struct opstate *src)
{
	memset(dst, 0, sizeof(*dst));
	if (src->n_rs) {
		dst->rs = malloc(src->n_rs * sizeof(*dst->rs));
		if (!dst->rs)
			return -ENOMEM;
		memcpy(dst->rs, src->rs, src->n_rs * sizeof(*dst->rs));
		dst->n_rs = src->n_rs;
	}
	if (opstate_set_owned(dst, src->owned, src->n_owned) < 0) {
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

struct opstate_rs *opstate_find_rs(const struct opstate *s, const char *vs,
				   const struct lvsd_addr *addr, uint16_t port)
{
	for (size_t i = 0; i < s->n_rs; i++)
		if (s->rs[i].port == port && !strcmp(s->rs[i].vs, vs) &&
		    addr_eq(&s->rs[i].addr, addr))
			return &s->rs[i];
	return NULL;
}

struct opstate_rs *opstate_get_rs(struct opstate *s, const char *vs,
				  const struct lvsd_addr *addr, uint16_t port)
{
	struct opstate_rs *r = opstate_find_rs(s, vs, addr, port), *v;

	if (r)
		return r;
	if (strlen(vs) >= sizeof(r->vs))
		return NULL;
	v = realloc(s->rs, (s->n_rs + 1) * sizeof(*v));
	if (!v)
		return NULL;
	s->rs = v;
	r = &s->rs[s->n_rs++];
	memset(r, 0, sizeof(*r));
	strcpy(r->vs, vs);
	r->addr = *addr;
	r->port = port;
	return r;
}

void opstate_del_rs(struct opstate *s, struct opstate_rs *rs)
{
	size_t i = (size_t)(rs - s->rs);

	memmove(&s->rs[i], &s->rs[i + 1], (s->n_rs - i - 1) * sizeof(*rs));
	s->n_rs--;
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
	s->n_owned = n;
	return 0;
}

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

static const char *parse_rs(char **w, int n, struct opstate *s)
{
	struct opstate_rs r = { 0 }, *slot;

	if (n < 4)
		return "rs: too few words";
	if (strlen(w[1]) >= sizeof(r.vs))
		return "rs: name too long";
	if (opstate_parse_addrport(w[2], &r.addr, &r.port) < 0)
		return "rs: bad ADDR:PORT";
	for (int i = 3; i < n; i++) {
		char *eq = strchr(w[i], '=');

		if (!eq)
			return "rs: KEY=VALUE expected";
		*eq++ = '\0';
		if (!strcmp(w[i], "cfgweight")) {
			if (parse_u32(eq, &r.cfg_weight) < 0)
				return "rs: bad cfgweight";
		} else if (!strcmp(w[i], "weight")) {
			if (parse_u32(eq, &r.weight) < 0)
				return "rs: bad weight";
			r.has_weight = 1;
		} else if (!strcmp(w[i], "admin")) {
			if (admin_state_parse(eq, &r.admin) < 0)
				return "rs: bad admin state";
		} else {
			return "rs: unknown key";
		}
	}
	if (opstate_find_rs(s, w[1], &r.addr, r.port))
		return "rs: duplicate";
	slot = opstate_get_rs(s, w[1], &r.addr, r.port);
	if (!slot)
		return NULL; /* out of memory: caller checks */
	*slot = r;
	strcpy(slot->vs, w[1]);
	return "";
}

static const char *parse_owned(char **w, int n, struct opstate *s)
{
	struct opstate_owned o = { 0 };

	if (n != 3 && n != 4)
		return "owned: wrong number of words";
	if (!strcmp(w[1], "FWM")) {
		uint32_t mark;

		if (n != 4 || parse_u32(w[2], &mark) < 0 || mark == 0)
			return "owned: bad fwmark";
		o.fwmark = mark;
		if (!strcmp(w[3], "inet"))
			o.af = AF_INET;
		else if (!strcmp(w[3], "inet6"))
			o.af = AF_INET6;
		else
			return "owned: bad family";
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
			return "owned: bad protocol";
		if (opstate_parse_addrport(w[2], &o.addr, &o.port) < 0)
			return "owned: bad ADDR:PORT";
		o.af = o.addr.family;
	}
	{
		struct opstate_owned *v =
			realloc(s->owned, (s->n_owned + 1) * sizeof(*v));

		if (!v)
			return NULL;
		s->owned = v;
		s->owned[s->n_owned++] = o;
	}
	return "";
}

int opstate_parse(const char *text, struct opstate *out,
		  void (*warn)(void *, unsigned, const char *), void *arg)
{
	char *copy = strdup(text), *line, *save = NULL;
	unsigned no = 0;

	memset(out, 0, sizeof(*out));
	if (!copy)
		return -ENOMEM;
	/* strtok_r would merge empty lines: walk by hand to count them. */
	for (line = copy; line; line = save) {
		char *w[8], *tok, *ws = NULL;
		const char *why;
		int n = 0;

		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		no++;
		for (tok = strtok_r(line, " \t\r", &ws); tok && n < 8;
		     tok = strtok_r(NULL, " \t\r", &ws))
			w[n++] = tok;
		if (n == 0 || w[0][0] == '#')
			continue;
		if (tok) {
			why = "too many words";
		} else if (!strcmp(w[0], "rs")) {
			why = parse_rs(w, n, out);
		} else if (!strcmp(w[0], "owned")) {
			why = parse_owned(w, n, out);
		} else {
			why = "unknown record";
		}
		if (!why) {
			free(copy);
			opstate_free(out);
			return -ENOMEM;
		}
		if (*why && warn)
			warn(arg, no, why);
	}
	free(copy);
	return 0;
}

static void load_warn(void *arg, unsigned line, const char *why)
{
	log_warnx("%s:%u: %s (line ignored)", (const char *)arg, line, why);
}

int opstate_load(const char *path, struct opstate *out)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;
	int r;

	memset(out, 0, sizeof(*out));
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	{
		FILE *m = open_memstream(&text, &len);
		char buf[4096];
		size_t n;

		if (!m) {
			fclose(f);
			return -ENOMEM;
		}
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, m);
		fclose(m);
	}
	fclose(f);
	r = opstate_parse(text ? text : "", out, load_warn, (void *)path);
	free(text);
	return r;
}

static const char *proto_str(uint16_t p)
{
	return p == IPPROTO_UDP ? "UDP" : p == IPPROTO_SCTP ? "SCTP" : "TCP";
}

int opstate_save(const char *path, const struct opstate *s)
{
	char tmp[4200], ap[INET6_ADDRSTRLEN + 10];
	FILE *f;
	int fd, e = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		e = -errno;
		close(fd);
		unlink(tmp);
		return e;
	}
	fprintf(f, "# lvsd operator state: written by lvsd, changed with lvsctl or SNMP\n");
	for (size_t i = 0; i < s->n_rs; i++) {
		const struct opstate_rs *r = &s->rs[i];

		addrport_str(&r->addr, r->port, ap, sizeof(ap));
		fprintf(f, "rs %s %s cfgweight=%u", r->vs, ap, r->cfg_weight);
		if (r->has_weight)
			fprintf(f, " weight=%u", r->weight);
		if (r->admin != ADMIN_NONE)
			fprintf(f, " admin=%s", admin_state_str(r->admin));
		fputc('\n', f);
	}
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
	if (fflush(f) != 0 || fsync(fd) != 0)
		e = -errno;
	if (fclose(f) != 0 && !e)
		e = -errno;
	if (!e && rename(tmp, path) < 0)
		e = -errno;
	if (e)
		unlink(tmp);
	return e;
}
