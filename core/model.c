/* model.c — the configuration model: lifetime, finders, the
 * real server index and the helpers that name things. The defaults of new
 * objects and freeing them are the key tables' (schema.c), the diff
 * between two models in model_diff.c.
 */
#include "model.h"

#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ------------------------------------------------------------ lifetime */

const char *model_track_kind_str(enum model_track_kind k)
{
	return k == MODEL_TRACK_SCRIPT ? "vrrp_script"
	     : k == MODEL_TRACK_FILE ? "vrrp_track_file" : "vrrp_track_process";
}

int model_strv_push(struct model_strv *sv, const char *s)
{
	char **nv;
	char *c = strdup(s);

	if (!c)
		return -ENOMEM;
	nv = realloc(sv->v, (sv->n + 2) * sizeof(*nv));
	if (!nv) {
		free(c);
		return -ENOMEM;
	}
	nv[sv->n++] = c;
	nv[sv->n] = NULL;
	sv->v = nv;
	return 0;
}

void model_strv_free(struct model_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

int model_strv_copy(struct model_strv *d, const struct model_strv *s)
{
	memset(d, 0, sizeof(*d));
	for (size_t i = 0; i < s->n; i++)
		if (model_strv_push(d, s->v[i]) < 0) {
			model_strv_free(d);
			return -ENOMEM;
		}
	return 0;
}

const char *const *model_strv_argv(const struct model_strv *sv)
{
	return sv->n ? (const char *const *)sv->v : NULL;
}

bool model_strv_eq(const struct model_strv *a, const struct model_strv *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

struct model *model_new(const char *file)
{
	struct model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->file = strdup(file ? file : "");
	if (!m->file) {
		free(m->file);
		free(m);
		return NULL;
	}
	return m;
}

/* Append a copy of `obj` (size `sz`) to the array *arr of *n elements.
 * The arrays grow by doubling: 10,000 real servers cost 14 copies, not
 * 10,000 (quadratic where realloc cannot grow in place, as under ASan).
 * Their room is what the allocator says it is, so that model_index can
 * cut them to their length. */
static int append(void **arr, size_t *n, const void *obj, size_t sz)
{
	char *na = *arr;

	if ((*n + 1) * sz > (na ? malloc_usable_size(na) : 0)) {
		na = realloc(*arr, (*n ? 2 * *n : 1) * sz);
		if (!na)
			return -ENOMEM;
		*arr = na;
	}
	memcpy(na + *n * sz, obj, sz);
	(*n)++;
	return 0;
}

static uint64_t vs_name_hash(const char *name)
{
	return hidx_hash(name, strlen(name), HIDX_SEED);
}

static uint64_t vs_key_hash(const struct model_vs *vs)
{
	uint64_t h = hidx_hash(&vs->af, sizeof(vs->af), HIDX_SEED);

	h = hidx_hash(&vs->fwmark, sizeof(vs->fwmark), h);
	if (vs->fwmark)
		return h;
	h = hidx_hash(&vs->protocol, sizeof(vs->protocol), h);
	h = hidx_hash(&vs->port, sizeof(vs->port), h);
	return vs->addr.family == AF_INET6
		       ? hidx_hash(&vs->addr.u.v6, sizeof(vs->addr.u.v6), h)
		       : hidx_hash(&vs->addr.u.v4, sizeof(vs->addr.u.v4), h);
}

/* Index vs[i]; a failure leaves the indexes short (lookups linear). */
static void index_vs(struct model *m, size_t i)
{
	if (m->vs_idx.n == i && m->vsk_idx.n == i &&
	    hidx_add(&m->vs_idx, vs_name_hash(m->vs[i].name), i) == 0 &&
	    hidx_add(&m->vsk_idx, vs_key_hash(&m->vs[i]), i) < 0)
		m->vs_idx.n = 0; /* out of step: never used */
}

int model_add_vs(struct model *m, const struct model_vs *vs)
{
	int r = append((void **)&m->vs, &m->n_vs, vs, sizeof(*vs));

	if (r == 0) /* 5,000 virtual servers: no scan per name (was n^2) */
		index_vs(m, m->n_vs - 1);
	return r;
}

int model_add_rs(struct model *m, const struct model_rs *rs)
{
	return append((void **)&m->rs, &m->n_rs, rs, sizeof(*rs));
}

int model_add_vrrp(struct model *m, const struct model_vrrp *v)
{
	return append((void **)&m->vrrp, &m->n_vrrp, v, sizeof(*v));
}

int model_add_sync_group(struct model *m, const struct model_sync_group *g)
{
	return append((void **)&m->sync, &m->n_sync, g, sizeof(*g));
}

int model_add_tracker(struct model *m, const struct model_tracker *t)
{
	return append((void **)&m->trackers, &m->n_trackers, t, sizeof(*t));
}

int model_add_vsg(struct model *m, const struct model_vsg *g)
{
	return append((void **)&m->vsg, &m->n_vsg, g, sizeof(*g));
}

struct model_vsg *model_find_vsg(const struct model *m, const char *name)
{
	for (size_t i = 0; m && i < m->n_vsg; i++)
		if (strcmp(m->vsg[i].name, name) == 0)
			return &m->vsg[i];
	return NULL;
}

struct model_tracker *model_find_tracker(const struct model *m,
					 enum model_track_kind kind,
					 const char *name)
{
	for (size_t i = 0; m && i < m->n_trackers; i++)
		if (m->trackers[i].kind == kind &&
		    strcmp(m->trackers[i].name, name) == 0)
			return &m->trackers[i];
	return NULL;
}

/* ------------------------------------------------------------- finders */

bool model_addr_eq(const struct lvsd_addr *a, const struct lvsd_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->u.v4.s_addr == b->u.v4.s_addr;
	if (a->family == AF_INET6)
		return memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6)) == 0;
	return true;
}

struct vs_name_key {
	const struct model *m;
	const char *name;
};

static int vs_name_eq(const void *arg, size_t pos)
{
	const struct vs_name_key *k = arg;

	return strcmp(k->m->vs[pos].name, k->name) == 0;
}

struct vs_key_key {
	const struct model *m;
	const struct model_vs *vs;
};

static int vs_key_eq(const void *arg, size_t pos)
{
	const struct vs_key_key *k = arg;

	return model_vs_key_eq(&k->m->vs[pos], k->vs);
}

static bool vs_indexed(const struct model *m)
{
	return m && m->n_vs && m->vs_idx.n == m->n_vs && m->vsk_idx.n == m->n_vs;
}

struct model_vs *model_find_vs_key(const struct model *m,
				   const struct model_vs *vs)
{
	if (vs_indexed(m)) {
		struct vs_key_key k = { m, vs };
		size_t pos = hidx_find(&m->vsk_idx, vs_key_hash(vs), vs_key_eq, &k);

		return pos == SIZE_MAX ? NULL : &m->vs[pos];
	}
	for (size_t i = 0; m && i < m->n_vs; i++)
		if (model_vs_key_eq(&m->vs[i], vs))
			return &m->vs[i];
	return NULL;
}

struct model_vs *model_find_vs(const struct model *m, const char *name)
{
	if (vs_indexed(m)) {
		struct vs_name_key k = { m, name };
		size_t pos = hidx_find(&m->vs_idx, vs_name_hash(name), vs_name_eq, &k);

		return pos == SIZE_MAX ? NULL : &m->vs[pos];
	}
	for (size_t i = 0; m && i < m->n_vs; i++)
		if (strcmp(m->vs[i].name, name) == 0)
			return &m->vs[i];
	return NULL;
}

uint64_t model_rs_key_hash(const char *vs_name, const struct lvsd_addr *addr,
			   uint16_t port)
{
	uint64_t h = hidx_hash(vs_name, strlen(vs_name), HIDX_SEED);

	h = hidx_hash(&port, sizeof(port), h);
	return addr->family == AF_INET6
		       ? hidx_hash(&addr->u.v6, sizeof(addr->u.v6), h)
		       : hidx_hash(&addr->u.v4, sizeof(addr->u.v4), h);
}

struct rs_key {
	const struct model *m;
	const char *vs_name;
	const struct lvsd_addr *addr;
	uint16_t port;
};

static int rs_key_eq(const void *arg, size_t pos)
{
	const struct rs_key *k = arg;
	const struct model_rs *rs = &k->m->rs[pos];

	return rs->port == k->port && model_addr_eq(&rs->addr, k->addr) &&
	       strcmp(rs->vs_name, k->vs_name) == 0;
}

/* Cut an array grown by append() to its length (up to half of it was
 * room: 2 MB of 10,000 real servers). */
static void fit(void **arr, size_t n, size_t sz)
{
	void *na;

	if (n && (na = realloc(*arr, n * sz)))
		*arr = na;
}

int model_index(struct model *m)
{
	fit((void **)&m->vs, m->n_vs, sizeof(*m->vs));
	fit((void **)&m->rs, m->n_rs, sizeof(*m->rs));
	hidx_clear(&m->vs_idx);
	hidx_clear(&m->vsk_idx);
	for (size_t i = 0; i < m->n_vs; i++)
		index_vs(m, i);
	hidx_clear(&m->rs_idx);
	for (size_t i = 0; i < m->n_rs; i++) {
		const struct model_rs *rs = &m->rs[i];

		if (hidx_add(&m->rs_idx, model_rs_key_hash(rs->vs_name, &rs->addr,
							   rs->port), i) < 0) {
			hidx_free(&m->rs_idx);
			return -ENOMEM;
		}
	}
	return 0;
}

struct model_rs *model_find_rs(const struct model *m, const char *vs_name,
			       const struct lvsd_addr *addr, uint16_t port)
{
	if (m && m->n_rs && m->rs_idx.n == m->n_rs) {
		struct rs_key k = { m, vs_name, addr, port };
		size_t pos = hidx_find(&m->rs_idx,
				       model_rs_key_hash(vs_name, addr, port),
				       rs_key_eq, &k);

		return pos == SIZE_MAX ? NULL : &m->rs[pos];
	}
	for (size_t i = 0; m && i < m->n_rs; i++) {
		struct model_rs *rs = &m->rs[i];

		if (rs->port == port && model_addr_eq(&rs->addr, addr) &&
		    strcmp(rs->vs_name, vs_name) == 0)
			return rs;
	}
	return NULL;
}

struct model_vrrp *model_find_vrrp(const struct model *m, const char *name)
{
	for (size_t i = 0; m && i < m->n_vrrp; i++)
		if (strcmp(m->vrrp[i].name, name) == 0)
			return &m->vrrp[i];
	return NULL;
}

struct model_sync_group *model_find_sync_group(const struct model *m,
					       const char *name)
{
	for (size_t i = 0; m && i < m->n_sync; i++)
		if (strcmp(m->sync[i].name, name) == 0)
			return &m->sync[i];
	return NULL;
}

/* ------------------------------------------------------------- helpers */

const char *model_addr_str(const struct lvsd_addr *a, char *buf, size_t len)
{
	if (!len)
		return buf;
	if (a->family != AF_INET && a->family != AF_INET6) {
		snprintf(buf, len, "-");
		return buf;
	}
	if (!inet_ntop(a->family, &a->u, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

const char *model_addrport_str(const struct lvsd_addr *a, uint16_t port,
			       char *buf, size_t len)
{
	char ab[INET6_ADDRSTRLEN];

	model_addr_str(a, ab, sizeof(ab));
	if (a->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", ab, (unsigned)port);
	else
		snprintf(buf, len, "%s:%u", ab, (unsigned)port);
	return buf;
}

const char *model_method_str(enum model_method m)
{
	switch (m) {
	case MODEL_METHOD_NAT:
		return "NAT";
	case MODEL_METHOD_DR:
		return "DR";
	case MODEL_METHOD_TUN:
		return "TUN";
	}
	return "?";
}

const char *model_protocol_str(uint16_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "TCP";
	case IPPROTO_UDP:
		return "UDP";
	case IPPROTO_SCTP:
		return "SCTP";
	}
	return "?";
}

const char *model_af_str(int af)
{
	return af == AF_INET6 ? "inet6" : af == AF_INET ? "inet" : "?";
}

const char *model_vs_key_str(const struct model_vs *vs, char *buf,
			     size_t len)
{
	char ap[INET6_ADDRSTRLEN + 16];

	if (vs->group[0])
		snprintf(buf, len, "group %s %s %s", vs->group,
			 model_protocol_str(vs->protocol), model_af_str(vs->af));
	else if (vs->fwmark)
		snprintf(buf, len, "FWM %u %s", vs->fwmark, model_af_str(vs->af));
	else
		snprintf(buf, len, "%s %s", model_protocol_str(vs->protocol),
			 model_addrport_str(&vs->addr, vs->port, ap,
					    sizeof(ap)));
	return buf;
}

bool model_vs_key_eq(const struct model_vs *a, const struct model_vs *b)
{
	/* a group's: its name (the members are compared on their own) */
	if (a->group[0] || b->group[0])
		return a->af == b->af && a->protocol == b->protocol &&
		       strcmp(a->group, b->group) == 0;
	if (a->af != b->af || a->fwmark != b->fwmark)
		return false;
	if (a->fwmark)
		return true;
	return a->protocol == b->protocol && a->port == b->port &&
	       model_addr_eq(&a->addr, &b->addr);
}

size_t model_vs_n_svc(const struct model_vs *vs)
{
	return vs->group[0] ? vs->n_members : 1;
}

void model_vs_svc(const struct model_vs *vs, size_t i, struct model_vs *out)
{
	*out = *vs;
	if (!vs->group[0] || i >= vs->n_members)
		return;
	out->group[0] = '\0';
	out->members = NULL;
	out->n_members = 0;
	out->fwmark = vs->members[i].fwmark;
	out->addr = vs->members[i].addr;
	out->port = vs->members[i].port;
}

const char *model_member_str(const struct model_member *mb, char *buf,
			     size_t len)
{
	if (mb->fwmark)
		snprintf(buf, len, "fwmark %u", mb->fwmark);
	else
		model_addrport_str(&mb->addr, mb->port, buf, len);
	return buf;
}

const char *model_vs_svc_name(const struct model_vs *vs, size_t i, char *buf,
			      size_t len)
{
	char mb[INET6_ADDRSTRLEN + 16];

	if (!vs->group[0] || i >= vs->n_members)
		snprintf(buf, len, "%s", vs->name);
	else
		snprintf(buf, len, "%s[%s]", vs->name,
			 model_member_str(&vs->members[i], mb, sizeof(mb)));
	return buf;
}
