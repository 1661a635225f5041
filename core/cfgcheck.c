/* cfgcheck.c — what is checked when a section of lvsd.ini ends (required
 * keys, keys that depend on each other, duplicates), and the final pass
 * over the whole file (references between sections, inheritance global ->
 * virtual server -> real server).
 */
#include "cfgcheck.h"
#include "cfgkeys.h"
#include "cfgval.h"
#include "schema.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Why a bgp_announce address cannot be a unicast host route on the
 * [bgp] device (BIRD would export it, or the kernel does not keep it);
 * NULL: it can. */
static const char *not_announceable(const struct lvsd_addr *a)
{
	if (a->family == AF_INET) {
		uint32_t v = ntohl(a->u.v4.s_addr);

		if (v == 0)
			return "the unspecified address";
		if (v == 0xffffffffu)
			return "the broadcast address";
		if ((v >> 24) == 127)
			return "a loopback address (127.0.0.0/8)";
		if ((v >> 28) == 0xe)
			return "a multicast address (224.0.0.0/4)";
		if ((v >> 16) == 0xa9fe)
			return "a link-local address (169.254.0.0/16)";
	} else if (a->family == AF_INET6) {
		const struct in6_addr *v = &a->u.v6;

		if (IN6_IS_ADDR_UNSPECIFIED(v))
			return "the unspecified address";
		if (IN6_IS_ADDR_LOOPBACK(v))
			return "the loopback address";
		if (IN6_IS_ADDR_MULTICAST(v))
			return "a multicast address (ff00::/8)";
		if (IN6_IS_ADDR_LINKLOCAL(v))
			return "a link-local address (fe80::/10)";
	}
	return NULL;
}

/* ------------------------------------------------------ section ends */

static void missing(struct parser *p, const char *key)
{
	cfg_err(p, p->sect_line, "[%s]: missing required key '%s'",
		p->sect_title, key);
}

/* The keys of a [virtual_server] that are none of lvsd's go to its
 * scheduler, as a [real_server]'s go to its checker (cfg_finish_rs); taken
 * as written without the hook. */
static void sched_options(struct parser *p, struct model_vs *vs)
{
	for (size_t i = 0; i < p->n_ent; i++) {
		const struct entry *e = &p->ent[i];
		char err[1024] = "";
		struct model_kv *nv;
		size_t j;
		int rc = 0;

		if (e->used)
			continue;
		if (p->hooks->sched_option)
			rc = p->hooks->sched_option(p->hooks->arg, vs->scheduler,
						    e->key, e->value, err,
						    sizeof(err));
		if (rc == -ENOENT) {
			cfg_err(p, e->line,
				"unknown key '%s' in [%s]: neither a virtual_server key nor an option of scheduler %s",
				e->key, p->sect_title, vs->scheduler);
			continue;
		}
		for (j = 0; j < i; j++)
			if (!p->ent[j].used && strcmp(p->ent[j].key, e->key) == 0)
				break;
		if (j < i) {
			cfg_err(p, e->line,
				"duplicate key '%s' in [%s] (first at %s:%u)",
				e->key, p->sect_title, p->file, p->ent[j].line);
			continue;
		}
		if (rc) {
			cfg_err(p, e->line, "%s: %s", e->key,
				*err ? err : "refused by the scheduler");
			continue;
		}
		nv = realloc(vs->sched_opts, (vs->n_sched_opts + 1) * sizeof(*nv));
		if (!nv) {
			cfg_nomem(p);
			return;
		}
		vs->sched_opts = nv;
		nv[vs->n_sched_opts].key = strdup(e->key);
		nv[vs->n_sched_opts].value = strdup(e->value);
		nv[vs->n_sched_opts].line = e->line;
		if (!nv[vs->n_sched_opts].key || !nv[vs->n_sched_opts].value) {
			free(nv[vs->n_sched_opts].key);
			free(nv[vs->n_sched_opts].value);
			cfg_nomem(p);
			return;
		}
		vs->n_sched_opts++;
	}
}

void cfg_finish_vs(struct parser *p)
{
	struct model_vs *vs = &p->vs;
	unsigned la = cfg_seen(p, "address"), lf = cfg_seen(p, "fwmark");
	unsigned lg = cfg_seen(p, "group");
	const struct entry *e;
	char kb[INET6_ADDRSTRLEN + 32];
	int fam = 0;

	if (!la && !lf && !lg)
		cfg_err(p, p->sect_line,
			"[%s]: missing required key 'address' (or 'fwmark', or 'group')",
			p->sect_title);
	if (lg && (la || lf)) {
		unsigned lo = la ? la : lf;

		cfg_err(p, lg > lo ? lg : lo,
			"'group' and '%s' exclude each other (lines %u and %u): the group's members are the services",
			la ? "address" : "fwmark", lg < lo ? lg : lo,
			lg > lo ? lg : lo);
		vs->group[0] = '\0';
	}
	vs->group_line = vs->group[0] ? lg : 0;
	if (la && lf)
		cfg_err(p, la > lf ? la : lf,
			"'address' and 'fwmark' exclude each other (lines %u and %u)",
			la < lf ? la : lf, la > lf ? la : lf);
	if ((e = cfg_entry_of(p, "family"))) {
		if (strcmp(e->value, "inet") == 0 ||
		    strcmp(e->value, "ipv4") == 0)
			fam = AF_INET;
		else if (strcmp(e->value, "inet6") == 0 ||
			 strcmp(e->value, "ipv6") == 0)
			fam = AF_INET6;
		else
			cfg_bad(p, e, "inet or inet6");
	}
	if (vs->fwmark || vs->group[0]) {
		/* a group's: its members' (cfg_link) unless given */
		vs->af = fam ? fam : vs->group[0] ? 0 : AF_INET;
		memset(&vs->addr, 0, sizeof(vs->addr));
		vs->port = 0;
	} else if (vs->addr.family) {
		vs->af = vs->addr.family;
		if (fam && fam != vs->af)
			cfg_err(p, e->line,
				"family: %s does not match the address (line %u)",
				e->value, la);
	}
	if (vs->af == AF_INET6)
		vs->persistence_granularity = 128;
	if ((e = cfg_entry_of(p, "persistence_granularity"))) {
		struct lvsd_addr mask;
		uint32_t v;

		if (vs->af == AF_INET6) {
			if (cfgval_u32(e->value, 1, 128, &v))
				cfg_bad(p, e, "an IPv6 prefix length 1..128");
			else
				vs->persistence_granularity = v;
		} else if (cfgval_u32(e->value, 1, 32, &v) == 0) {
			vs->persistence_granularity =
				htonl(0xffffffffu << (32 - v));
		} else if (cfgval_addr(e->value, &mask) == 0 &&
			   mask.family == AF_INET &&
			   (~ntohl(mask.u.v4.s_addr) &
			    (~ntohl(mask.u.v4.s_addr) + 1)) == 0 &&
			   mask.u.v4.s_addr) {
			vs->persistence_granularity = mask.u.v4.s_addr;
		} else {
			cfg_bad(p, e, "an IPv4 netmask (255.255.255.0) or prefix length 1..32");
		}
	}
	if ((e = cfg_entry_of(p, "sched_flags"))) {
		if (cfgval_words(e->value, &vs->sched_flags))
			cfg_bad(p, e, "a list of flags like sh-fallback, sh-port");
		/* an unknown scheduler is the one error: its flags are
		 * not checked */
		for (size_t i = 0; !p->sched_bad && i < vs->sched_flags.n; i++) {
			const char *f = vs->sched_flags.v[i];
			char err[1024] = "";
			uint32_t bit = 0;
			int rc = 0;

			/* only the scheduler knows its names: without
			 * the hook they are taken as written (no bits) */
			if (p->hooks->sched_flag)
				rc = p->hooks->sched_flag(p->hooks->arg,
							  vs->scheduler, f,
							  &bit, err,
							  sizeof(err));
			if (rc == -ENOENT)
				cfg_err(p, e->line,
					"sched_flags: unknown flag '%s' for scheduler %s",
					f, vs->scheduler);
			else if (rc)
				cfg_err(p, e->line, "sched_flags: %s", err);
			else
				vs->sched_flag_bits |= bit;
		}
	}
	if (!p->sched_bad) /* nor are its options */
		sched_options(p, vs);
	if (vs->one_packet && !vs->fwmark && !vs->group[0] &&
	    vs->protocol != IPPROTO_UDP)
		cfg_err(p, cfg_seen(p, "one_packet"),
			"one_packet: one-packet scheduling is for protocol UDP only");
	if ((e = cfg_entry_of(p, "sorry_server"))) {
		bool has_port;

		if (cfgval_addrport(e->value, true, &vs->sorry_server,
				    &vs->sorry_port, &has_port)) {
			cfg_bad(p, e, "IP[:PORT] or [IPv6][:PORT]");
			/* no half-read sorry server for later checks (a clash
			 * with a real server) to report again */
			memset(&vs->sorry_server, 0, sizeof(vs->sorry_server));
			vs->sorry_port = 0;
		} else if (vs->af && vs->sorry_server.family != vs->af) {
			/* a group's family is known at cfg_link */
			cfg_err(p, e->line,
				"sorry_server: %s is not of the virtual server's family",
				e->value);
			memset(&vs->sorry_server, 0, sizeof(vs->sorry_server));
		} else if (!has_port)
			vs->sorry_port = vs->port;
		vs->sorry_line = e->line;
	}
	if (vs->virtualhost)
		vs->virtualhost_line = cfg_seen(p, "virtualhost");
	if (vs->bgp_announce || vs->bgp_vrrp[0]) {
		unsigned lb = cfg_seen(p, "bgp_announce"), lv = cfg_seen(p, "bgp_vrrp");

		vs->bgp_line = lb ? lb : lv;
		if (vs->bgp_vrrp[0] && !vs->bgp_announce)
			cfg_err(p, lv, "bgp_vrrp: the virtual server's address is not announced (bgp_announce = yes missing)");
		else if (vs->bgp_announce && vs->fwmark)
			cfg_err(p, lb, "bgp_announce: a fwmark virtual server has no address to announce");
		else if (vs->bgp_announce && vs->group[0])
			cfg_err(p, lb, "bgp_announce: a virtual server of a group has no address of its own to announce");
	}

	{
		/* Hashed (the first of the two, as a scan in file order
		 * would say it): 5,000 virtual servers were 12.5e6 compares. */
		const struct model_vs *dup = model_find_vs(p->m, vs->name);
		const struct model_vs *o = vs->fwmark || vs->addr.family
						   ? model_find_vs_key(p->m, vs)
						   : NULL;

		if (dup && (!o || dup <= o)) {
			cfg_err(p, p->sect_line,
				"duplicate [virtual_server %s] (first at line %u)",
				vs->name, dup->line);
			schema_clear(SCHEMA_VS, vs);
			return;
		}
		if (o) {
			cfg_err(p, p->sect_line,
				"[virtual_server %s]: service %s is already [virtual_server %s] at line %u",
				vs->name, model_vs_key_str(vs, kb, sizeof(kb)),
				o->name, o->line);
			if (model_strv_push(&p->bad_vs, vs->name))
				cfg_nomem(p);
			schema_clear(SCHEMA_VS, vs);
			return;
		}
	}
	if (model_add_vs(p->m, vs)) {
		schema_clear(SCHEMA_VS, vs);
		cfg_nomem(p);
	}
	memset(vs, 0, sizeof(*vs));
}

/* "IP:PORT", "IP-LAST:PORT" (IPv4: the last octet), "[IPv6]:PORT" or
 * "[IPv6-LAST]:PORT" (the last group, hex) into members appended to g. */
static int vsg_address(struct parser *p, struct model_vsg *g,
		       const struct entry *e)
{
	char base[256], *dash, *end;
	const char *v = e->value;
	struct lvsd_addr a;
	uint16_t port;
	bool has_port;
	unsigned long last = 0;
	unsigned first;
	size_t n = 1, cap;
	bool v6 = v[0] == '[';

	if (strlen(v) >= sizeof(base))
		return cfg_bad(p, e, "IP:PORT, IP-LAST:PORT or [IPv6]:PORT");
	snprintf(base, sizeof(base), "%s", v);
	dash = strchr(base, '-');
	if (dash) { /* cut "-LAST" out: base is the first address */
		const char *num = dash + 1;

		errno = 0;
		last = strtoul(num, &end, v6 ? 16 : 10);
		if (end == num || errno || (v6 ? *end != ']' : *end != ':') ||
		    *num == '-' || *num == '+' || *num == ' ')
			return cfg_bad(p, e, "a range IP-LAST:PORT (IPv4: the last octet, 10.0.0.1-10:80; IPv6: the last group in hex, [2001:db8::1-a]:80)");
		memmove(dash, end, strlen(end) + 1);
	}
	if (cfgval_addrport(base, true, &a, &port, &has_port) || !has_port ||
	    (dash && (a.family == AF_INET6) != v6))
		return cfg_bad(p, e, "IP:PORT, IP-LAST:PORT or [IPv6]:PORT");
	if (dash) {
		first = a.family == AF_INET ? ntohl(a.u.v4.s_addr) & 0xffu
					    : ((unsigned)a.u.v6.s6_addr[14] << 8) |
						      a.u.v6.s6_addr[15];
		if (last > (a.family == AF_INET ? 255ul : 0xfffful) || last < first) {
			cfg_err(p, e->line,
				"address: bad range in '%s': the last %s must be from %u to %u",
				e->value, a.family == AF_INET ? "octet" : "group",
				first, a.family == AF_INET ? 255 : 0xffff);
			return -EINVAL;
		}
		n = last - first + 1;
		if (n > MODEL_GROUP_RANGE_MAX) {
			cfg_err(p, e->line,
				"address: range '%s' is %zu addresses, more than %u",
				e->value, n, MODEL_GROUP_RANGE_MAX);
			return -EINVAL;
		}
	}
	if (g->n_members + n > MODEL_GROUP_MAX) {
		cfg_err(p, e->line,
			"[virtual_server_group %s]: more than %u services",
			g->name, MODEL_GROUP_MAX);
		return -EINVAL;
	}
	cap = g->n_members + n;
	{
		struct model_member *nv = realloc(g->members, cap * sizeof(*nv));

		if (!nv)
			return cfg_nomem(p);
		g->members = nv;
	}
	for (size_t i = 0; i < n; i++) {
		struct model_member *mb = &g->members[g->n_members++];

		memset(mb, 0, sizeof(*mb));
		mb->addr = a;
		mb->port = port;
		mb->line = e->line;
		if (a.family == AF_INET) {
			a.u.v4.s_addr = htonl(ntohl(a.u.v4.s_addr) + 1);
		} else {
			unsigned x = (((unsigned)a.u.v6.s6_addr[14] << 8) |
				      a.u.v6.s6_addr[15]) + 1;

			a.u.v6.s6_addr[14] = (uint8_t)(x >> 8);
			a.u.v6.s6_addr[15] = (uint8_t)x;
		}
	}
	return 0;
}

static bool member_eq(const struct model_member *a, const struct model_member *b)
{
	return a->fwmark == b->fwmark && a->port == b->port &&
	       model_addr_eq(&a->addr, &b->addr);
}

void cfg_finish_vsg(struct parser *p)
{
	struct model_vsg *g = &p->vsg;
	const struct model_vsg *dup = model_find_vsg(p->m, g->name);
	char mb[INET6_ADDRSTRLEN + 16];
	size_t before, err0 = p->n_err;

	for (size_t i = 0; i < p->n_ent && !p->oom; i++) {
		const struct entry *e = &p->ent[i];

		before = g->n_members;
		if (strcmp(e->key, "address") == 0) {
			if (vsg_address(p, g, e))
				continue;
		} else if (strcmp(e->key, "fwmark") == 0) {
			uint32_t v;
			struct model_member *nv;

			if (cfgval_u32(e->value, 1, UINT32_MAX, &v)) {
				cfg_bad(p, e, "an integer 1..4294967295");
				continue;
			}
			if (g->n_members + 1 > MODEL_GROUP_MAX) {
				cfg_err(p, e->line,
					"[virtual_server_group %s]: more than %u services",
					g->name, MODEL_GROUP_MAX);
				continue;
			}
			nv = realloc(g->members, (g->n_members + 1) * sizeof(*nv));
			if (!nv) {
				cfg_nomem(p);
				break;
			}
			g->members = nv;
			memset(&nv[g->n_members], 0, sizeof(*nv));
			nv[g->n_members].fwmark = v;
			nv[g->n_members++].line = e->line;
		} else {
			cfg_err(p, e->line,
				"unknown key '%s' in [%s] (expected address or fwmark)",
				e->key, p->sect_title);
			continue;
		}
		/* the same service twice in the group */
		for (size_t k = before; k < g->n_members; k++)
			for (size_t j = 0; j < k; j++)
				if (member_eq(&g->members[j], &g->members[k])) {
					cfg_err(p, e->line,
						"[%s]: %s given twice (first at line %u)",
						p->sect_title,
						model_member_str(&g->members[k], mb,
								 sizeof(mb)),
						g->members[j].line);
					g->members[k--] = g->members[--g->n_members];
					break;
				}
	}
	if (dup) {
		cfg_err(p, p->sect_line,
			"duplicate [virtual_server_group %s] (first at line %u)",
			g->name, dup->line);
		return;
	}
	if (!g->n_members && p->n_err == err0)
		cfg_err(p, p->sect_line,
			"[%s] is empty: give it 'address = IP:PORT' or 'fwmark = N' lines",
			p->sect_title);
	if (model_add_vsg(p->m, g)) {
		cfg_nomem(p);
		return;
	}
	memset(g, 0, sizeof(*g));
}

/* An unknown key of a [real_server] that is an option of its virtual
 * server's scheduler (given there, it would be taken): the hint says
 * where it belongs. 1 if reported. */
static int sched_option_misplaced(struct parser *p, const struct model_rs *rs,
				  const struct entry *e)
{
	const struct model_vs *vs = model_find_vs(p->m, rs->vs_name);
	char err[1024] = "";

	if (!vs || !p->hooks->sched_option ||
	    p->hooks->sched_option(p->hooks->arg, vs->scheduler, e->key,
				   e->value, err, sizeof(err)) == -ENOENT)
		return 0;
	cfg_err(p, e->line,
		"unknown key '%s' in [%s]: an option of scheduler %s, which belongs in [virtual_server %s]",
		e->key, p->sect_title, vs->scheduler, vs->name);
	return 1;
}

void cfg_finish_rs(struct parser *p)
{
	struct model_rs *rs = &p->rs;
	const struct schema_key *t = schema_keys(SCHEMA_RS, &(size_t){0});

	/* A check parameter (a key of model_check_params) set in a
	 * [real_server] that has no check does nothing (inherited ones from
	 * [global]/[virtual_server] are fine). */
	for (size_t i = 0; !rs->checker[0] && !p->checker_bad && i < p->n_ent; i++) {
		int k = schema_find(SCHEMA_RS, p->ent[i].key, true);

		if (p->ent[i].used && k >= 0 &&
		    t[k].set_off == offsetof(struct model_rs, check.set) &&
		    t[k].bit)
			cfg_err(p, p->ent[i].line,
				"%s does nothing in [%s]: it has no 'check = NAME'",
				p->ent[i].key, p->sect_title);
	}
	for (size_t i = 0; i < p->n_ent; i++) {
		const struct entry *e = &p->ent[i];
		char err[1024] = "";
		struct model_kv *nv;
		int rc = 0;

		if (e->used)
			continue;
		if (!rs->checker[0]) {
			if (!p->checker_bad && !sched_option_misplaced(p, rs, e))
				cfg_err(p, e->line,
					"unknown key '%s' in [%s] (checker options need 'check = NAME')",
					e->key, p->sect_title);
			continue;
		}
		if (p->hooks->check_option)
			rc = p->hooks->check_option(p->hooks->arg, rs->checker,
						    e->key, e->value, err,
						    sizeof(err));
		if (rc == -ENOENT) {
			if (!sched_option_misplaced(p, rs, e))
				cfg_err(p, e->line,
					"unknown key '%s' in [%s]: neither a real_server key nor an option of checker %s",
					e->key, p->sect_title, rs->checker);
			rs->opts_bad++;
			continue;
		}
		/* an option given twice: an error, as for every key, unless
		 * the checker says it repeats (HTTP_GET's url) */
		if (!(p->hooks->option_repeatable &&
		      p->hooks->option_repeatable(p->hooks->arg, rs->checker,
						  e->key))) {
			size_t j;

			for (j = 0; j < i; j++)
				if (!p->ent[j].used &&
				    strcmp(p->ent[j].key, e->key) == 0)
					break;
			if (j < i) {
				cfg_err(p, e->line,
					"duplicate key '%s' in [%s] (first at %s:%u)",
					e->key, p->sect_title, p->file,
					p->ent[j].line);
				rs->opts_bad++;
				continue;
			}
		}
		if (rc) {
			cfg_err(p, e->line, "%s: %s", e->key,
				*err ? err : "refused by the checker");
			rs->opts_bad++;
			continue;
		}
		nv = realloc(rs->opts, (rs->n_opts + 1) * sizeof(*nv));
		if (!nv) {
			cfg_nomem(p);
			break;
		}
		rs->opts = nv;
		nv[rs->n_opts].key = strdup(e->key);
		nv[rs->n_opts].value = strdup(e->value);
		nv[rs->n_opts].line = e->line;
		if (!nv[rs->n_opts].key || !nv[rs->n_opts].value) {
			free(nv[rs->n_opts].key);
			free(nv[rs->n_opts].value);
			cfg_nomem(p);
			break;
		}
		rs->n_opts++;
	}
	if (rs->uthreshold && rs->lthreshold >= rs->uthreshold)
		cfg_err(p, cfg_seen(p, "lthreshold"),
			"lthreshold (%u) must be below uthreshold (%u)",
			rs->lthreshold, rs->uthreshold);
	if (p->m->n_rs == p->cap_rspg) {
		size_t ncap = p->cap_rspg ? p->cap_rspg * 2 : 16;
		bool *nv = realloc(p->rs_port_given_v, ncap * sizeof(*nv));

		if (!nv) {
			schema_clear(SCHEMA_RS, rs);
			cfg_nomem(p);
			return;
		}
		p->rs_port_given_v = nv;
		p->cap_rspg = ncap;
	}
	if (model_add_rs(p->m, rs)) {
		schema_clear(SCHEMA_RS, rs);
		cfg_nomem(p);
		return;
	}
	p->rs_port_given_v[p->m->n_rs - 1] = p->rs_port_given;
	memset(rs, 0, sizeof(*rs));
}

void cfg_finish_vrrp(struct parser *p)
{
	struct model_vrrp *v = &p->vrrp;
	const struct entry *e;
	unsigned l;

	if (!cfg_seen(p, "interface"))
		missing(p, "interface");
	if (!cfg_seen(p, "virtual_router_id"))
		missing(p, "virtual_router_id");
	if (!v->n_vips && !cfg_seen(p, "virtual_ipaddress"))
		missing(p, "virtual_ipaddress");
	if (v->n_vips)
		v->family = v->vips[0].addr.family;
	if ((l = cfg_seen(p, "version"))) {
		if (v->version == 2 && v->family == AF_INET6)
			cfg_err(p, l,
				"version: VRRP version 2 is IPv4 only; use version = 3 for IPv6 addresses");
	} else if (v->family == AF_INET6) {
		v->version = 3;
	}
	if ((e = cfg_entry_of(p, "advert_int")) && p->advert_ms) {
		if (v->version == 2 &&
		    (p->advert_ms % 1000 || p->advert_ms > 255000))
			cfg_err(p, e->line,
				"advert_int: VRRP version 2 needs whole seconds 1..255, got '%s' (use version = 3 for less)",
				e->value);
		else
			v->advert_int_cs = p->advert_ms / 10;
	}
	if (cfg_good(p, "auth_type")) {
		l = cfg_seen(p, "auth_type");
		if (v->version == 3)
			cfg_err(p, l,
				"auth_type: authentication is VRRP version 2 only (RFC 5798 removed it)");
		if (!cfg_seen(p, "auth_pass"))
			cfg_err(p, l, "auth_type: PASS needs 'auth_pass'");
	} else if (!cfg_seen(p, "auth_type") && (l = cfg_seen(p, "auth_pass"))) {
		cfg_err(p, l, "auth_pass: needs 'auth_type = PASS'");
	}
	if (v->priority == 255 && v->state != LVSD_VRRP_MASTER)
		cfg_err(p, cfg_seen(p, "priority"),
			"priority: 255 is for the address owner, which must have state = MASTER");
	if (cfg_seen(p, "preempt") && cfg_seen(p, "nopreempt")) {
		unsigned a = cfg_seen(p, "preempt"), b = cfg_seen(p, "nopreempt");

		cfg_err(p, a > b ? a : b,
			"'preempt' and 'nopreempt' both given (lines %u and %u); use one",
			a < b ? a : b, a > b ? a : b);
	}
	if (!v->preempt && v->state == LVSD_VRRP_MASTER)
		cfg_err(p, cfg_seen(p, "nopreempt") ? cfg_seen(p, "nopreempt")
						: cfg_seen(p, "preempt"),
			"nopreempt needs state = BACKUP (an instance that starts as MASTER preempts)");
	for (size_t i = 0; i < v->n_vips; i++)
		if (!v->vips[i].ifname[0])
			snprintf(v->vips[i].ifname, sizeof(v->vips[i].ifname),
				 "%s", v->interface);
	if (v->unicast_src.family && v->n_vips &&
	    v->unicast_src.family != v->family)
		cfg_err(p, cfg_seen(p, "unicast_src_ip"),
			"unicast_src_ip: not of the family of the virtual addresses");
	for (size_t i = 0; i < p->n_ent; i++) {
		struct lvsd_addr a;

		if (p->ent[i].used && strcmp(p->ent[i].key, "unicast_peer") == 0 &&
		    v->n_vips && cfgval_addr(p->ent[i].value, &a) == 0 &&
		    a.family != v->family)
			cfg_err(p, p->ent[i].line,
				"unicast_peer: %s is not of the family of the virtual addresses",
				p->ent[i].value);
	}

	for (size_t i = 0; i < p->m->n_vrrp; i++) {
		const struct model_vrrp *o = &p->m->vrrp[i];

		if (strcmp(o->name, v->name) == 0) {
			cfg_err(p, p->sect_line,
				"duplicate [vrrp %s] (first at line %u)",
				v->name, o->line);
			schema_clear(SCHEMA_VRRP, v);
			return;
		}
		if (v->vrid && o->vrid == v->vrid && o->family == v->family &&
		    strcmp(o->interface, v->interface) == 0) {
			cfg_err(p, p->sect_line,
				"[vrrp %s]: virtual_router_id %u on %s (%s) is already used by [vrrp %s] at line %u",
				v->name, v->vrid, v->interface,
				v->family == AF_INET6 ? "IPv6" : "IPv4",
				o->name, o->line);
			schema_clear(SCHEMA_VRRP, v);
			return;
		}
		/* One address in two instances: the one leaving MASTER would
		 * remove what the other, still MASTER, holds. */
		for (size_t a = 0; a < v->n_vips; a++)
			for (size_t b = 0; b < o->n_vips; b++) {
				char x[INET6_ADDRSTRLEN];

				if (!model_addr_eq(&v->vips[a].addr, &o->vips[b].addr) ||
				    strcmp(v->vips[a].ifname, o->vips[b].ifname) != 0)
					continue;
				cfg_err(p, cfg_seen(p, "virtual_ipaddress"),
					"virtual_ipaddress: %s on %s is already in [vrrp %s] at line %u (an address belongs to one instance: the one leaving MASTER would remove it from under the other)",
					model_addr_str(&v->vips[a].addr, x, sizeof(x)),
					v->vips[a].ifname, o->name, o->line);
				schema_clear(SCHEMA_VRRP, v);
				return;
			}
	}
	if (model_add_vrrp(p->m, v)) {
		schema_clear(SCHEMA_VRRP, v);
		cfg_nomem(p);
	}
	memset(v, 0, sizeof(*v));
}

void cfg_finish_sync(struct parser *p)
{
	struct model_sync_group *g = &p->sg;

	if (!cfg_seen(p, "group"))
		missing(p, "group");
	for (size_t i = 0; i < p->m->n_sync; i++)
		if (strcmp(p->m->sync[i].name, g->name) == 0) {
			cfg_err(p, p->sect_line,
				"duplicate [vrrp_sync_group %s] (first at line %u)",
				g->name, p->m->sync[i].line);
			/* its members must not be linked */
			while (p->n_sgr && p->sgr[p->n_sgr - 1].sg == p->m->n_sync)
				p->n_sgr--;
			schema_clear(SCHEMA_SYNC, g);
			return;
		}
	if (model_add_sync_group(p->m, g)) {
		schema_clear(SCHEMA_SYNC, g);
		cfg_nomem(p);
	}
	memset(g, 0, sizeof(*g));
}

void cfg_finish_tracker(struct parser *p)
{
	struct model_tracker *t = &p->trk;
	unsigned l;

	switch (t->kind) {
	case MODEL_TRACK_SCRIPT:
		/* that it can be run: s_argv (progcheck.c) */
		if (!cfg_seen(p, "script"))
			missing(p, "script");
		if (!t->timeout_ms)
			t->timeout_ms = t->interval_ms;
		break;
	case MODEL_TRACK_FILE:
		if (!cfg_seen(p, "file"))
			missing(p, "file");
		break;
	case MODEL_TRACK_PROCESS:
		if (!cfg_seen(p, "process"))
			missing(p, "process");
		else if (!t->full_command && t->process.n &&
			 strchr(t->process.v[0], '/'))
			/* compared with /proc/PID/comm, which has no '/' */
			cfg_err(p, cfg_seen(p, "process"),
				"process: '%s' is a path but the name is matched (/proc/PID/comm: '%s'); give the name or set full_command = yes",
				t->process.v[0], strrchr(t->process.v[0], '/') + 1);
		if (t->quorum > t->quorum_max && (l = cfg_seen(p, "quorum_max")))
			cfg_err(p, l, "quorum_max: %u is below quorum (%u)",
				t->quorum_max, t->quorum);
		if (cfg_seen(p, "delay") &&
		    (cfg_seen(p, "fork_delay") || cfg_seen(p, "terminate_delay")))
			cfg_err(p, cfg_seen(p, "delay"),
				"delay: sets fork_delay and terminate_delay; give either it or them");
		break;
	}
	if (model_find_tracker(p->m, t->kind, t->name)) {
		cfg_err(p, p->sect_line, "duplicate [%s %s] (first at line %u)",
			model_track_kind_str(t->kind), t->name,
			model_find_tracker(p->m, t->kind, t->name)->line);
		return;
	}
	if (model_add_tracker(p->m, t)) {
		cfg_nomem(p);
		return;
	}
	memset(t, 0, sizeof(*t));
}


struct svc_seen {
	struct model_vs key;  /* one service (model_vs_svc) */
	size_t vs;
};

struct svc_seen_key {
	const struct svc_seen *v;
	const struct model_vs *key;
};

static int svc_seen_eq(const void *arg, size_t pos)
{
	const struct svc_seen_key *k = arg;

	return model_vs_key_eq(&k->v[pos].key, k->key);
}

static uint64_t svc_hash(const struct model_vs *s)
{
	uint64_t h = hidx_hash(&s->af, sizeof(s->af), HIDX_SEED);

	if (s->fwmark)
		return hidx_hash(&s->fwmark, sizeof(s->fwmark), h);
	h = hidx_hash(&s->protocol, sizeof(s->protocol), h);
	h = hidx_hash(&s->port, sizeof(s->port), h);
	return hidx_hash(&s->addr.u, s->addr.family == AF_INET ? 4 : 16, h);
}

/* Each "group = NAME" to its [virtual_server_group]'s members (a copy),
 * the family from them; then no service of one virtual server may be
 * another's (O(services) through a hash). */
static void link_groups(struct parser *p)
{
	struct model *m = p->m;
	struct svc_seen *seen = NULL;
	struct hidx idx = { 0 };
	size_t n_seen = 0, cap = 0;
	char kb[INET6_ADDRSTRLEN + 32], mb[INET6_ADDRSTRLEN + 16];

	for (size_t i = 0; i < m->n_vs && !p->oom; i++) {
		struct model_vs *vs = &m->vs[i];
		const struct model_vsg *g;
		int fam = 0, given;

		if (!vs->group[0])
			continue;
		given = vs->af;
		if (!vs->af)
			vs->af = AF_INET;
		if (!(g = model_find_vsg(m, vs->group))) {
			cfg_err(p, vs->group_line,
				"[virtual_server %s]: group: unknown [virtual_server_group %s]",
				vs->name, vs->group);
			continue;
		}
		if (!g->n_members)
			continue; /* reported at the group */
		for (size_t k = 0; k < g->n_members; k++) {
			const struct model_member *x = &g->members[k];

			if (x->fwmark)
				continue;
			if (!fam)
				fam = x->addr.family;
			if (x->addr.family != fam) {
				cfg_err(p, x->line,
					"[virtual_server_group %s]: %s is not of the family of the addresses before it (one family per group)",
					g->name, model_member_str(x, mb, sizeof(mb)));
				fam = -1;
				break;
			}
		}
		if (fam < 0)
			continue;
		if (fam && given && fam != given) {
			cfg_err(p, vs->group_line,
				"[virtual_server %s]: family %s does not match the addresses of [virtual_server_group %s]",
				vs->name, model_af_str(vs->af), g->name);
			continue;
		}
		if (fam)
			vs->af = fam;
		if (vs->sorry_server.family && vs->sorry_server.family != vs->af) {
			char sb[INET6_ADDRSTRLEN];

			cfg_err(p, vs->sorry_line,
				"sorry_server: %s is not of the virtual server's family",
				model_addr_str(&vs->sorry_server, sb, sizeof(sb)));
			memset(&vs->sorry_server, 0, sizeof(vs->sorry_server));
		}
		if (vs->af == AF_INET6 && vs->persistence_granularity == 0xffffffffu)
			vs->persistence_granularity = 128;
		if (!(vs->members = malloc(g->n_members * sizeof(*vs->members)))) {
			cfg_nomem(p);
			break;
		}
		memcpy(vs->members, g->members, g->n_members * sizeof(*vs->members));
		vs->n_members = g->n_members;
	}
	/* overlapping services across virtual servers */
	for (size_t i = 0; i < m->n_vs && !p->oom; i++) {
		const struct model_vs *vs = &m->vs[i];
		size_t ns = vs->group[0] ? vs->n_members : 0;

		if (!vs->group[0])
			continue; /* two plain ones were compared at their end */
		for (size_t k = 0; k < ns; k++) {
			struct model_vs key;
			struct svc_seen_key sk = { NULL, &key };
			uint64_t h;
			size_t j;

			model_vs_svc(vs, k, &key);
			h = svc_hash(&key);
			sk.v = seen;
			j = seen ? hidx_find(&idx, h, svc_seen_eq, &sk) : SIZE_MAX;
			if (j == SIZE_MAX) {
				const struct model_vs *o = model_find_vs_key(m, &key);

				if (o && !o->group[0]) {
					cfg_err(p, vs->group_line,
						"[virtual_server %s]: service %s of [virtual_server_group %s] (line %u) is already [virtual_server %s] at line %u",
						vs->name, model_vs_key_str(&key, kb, sizeof(kb)),
						vs->group, vs->members[k].line, o->name, o->line);
					break;
				}
			} else {
				const struct model_vs *o = &m->vs[seen[j].vs];

				cfg_err(p, vs->group_line,
					"[virtual_server %s]: service %s of [virtual_server_group %s] (line %u) is already one of [virtual_server %s] (line %u)",
					vs->name, model_vs_key_str(&key, kb, sizeof(kb)),
					vs->group, vs->members[k].line, o->name,
					o->group_line);
				break;
			}
			if (n_seen == cap) {
				size_t nc = cap ? cap * 2 : 64;
				struct svc_seen *nv = realloc(seen, nc * sizeof(*nv));

				if (!nv) {
					cfg_nomem(p);
					break;
				}
				seen = nv;
				cap = nc;
			}
			seen[n_seen].key = key;
			seen[n_seen].vs = i;
			if (hidx_add(&idx, h, n_seen++) < 0) {
				cfg_nomem(p);
				break;
			}
		}
	}
	free(seen);
	hidx_free(&idx);
}

/* A virtual server's virtualhost becomes its real servers' checker
 * option, unless they have their own or the checker has no such option. */
static void inherit_virtualhost(struct parser *p, struct model_rs *rs,
				const struct model_vs *vs)
{
	char err[1024] = "";
	struct model_kv *nv;
	int rc = 0;

	if (!rs->checker[0] || !vs->virtualhost)
		return;
	for (size_t i = 0; i < rs->n_opts; i++)
		if (strcmp(rs->opts[i].key, "virtualhost") == 0)
			return;
	if (p->hooks->check_option)
		rc = p->hooks->check_option(p->hooks->arg, rs->checker,
					    "virtualhost", vs->virtualhost, err,
					    sizeof(err));
	if (rc == -ENOENT)
		return;
	if (rc) {
		cfg_err(p, vs->virtualhost_line, "virtualhost: %s (checker %s)",
			*err ? err : "refused by the checker", rs->checker);
		rs->opts_bad++;
		return;
	}
	nv = realloc(rs->opts, (rs->n_opts + 1) * sizeof(*nv));
	if (!nv) {
		cfg_nomem(p);
		return;
	}
	rs->opts = nv;
	nv[rs->n_opts].key = strdup("virtualhost");
	nv[rs->n_opts].value = strdup(vs->virtualhost);
	nv[rs->n_opts].line = vs->virtualhost_line;
	if (!nv[rs->n_opts].key || !nv[rs->n_opts].value) {
		free(nv[rs->n_opts].key);
		free(nv[rs->n_opts].value);
		cfg_nomem(p);
		return;
	}
	rs->n_opts++;
}

/* ---------------------------------------------------------- the links */

/* "10.0.0.51:80", or "10.0.0.51" if the port was not written (yet). */
static const char *rs_str(const struct parser *p, size_t i, char *buf,
			  size_t len)
{
	const struct model_rs *rs = &p->m->rs[i];

	if (p->rs_port_given_v[i] || rs->port)
		return model_addrport_str(&rs->addr, rs->port, buf, len);
	return model_addr_str(&rs->addr, buf, len);
}

struct rs_seen {
	const struct model *m;
	const struct model_rs *rs;
};

static int rs_seen_eq(const void *arg, size_t pos)
{
	const struct rs_seen *k = arg;
	const struct model_rs *o = &k->m->rs[pos];

	return o->port == k->rs->port && model_addr_eq(&o->addr, &k->rs->addr) &&
	       strcmp(o->vs_name, k->rs->vs_name) == 0;
}

void cfg_link(struct parser *p)
{
	struct model *m = p->m;
	char ab[INET6_ADDRSTRLEN + 16];
	struct hidx seen = { 0 };

	for (size_t i = 0; i < m->n_vs; i++)
		schema_inherit(SCHEMA_VS, &m->vs[i], SCHEMA_GLOBAL, &m->global);
	link_groups(p);

	for (size_t i = 0; i < m->n_rs && !p->oom; i++) {
		struct model_rs *rs = &m->rs[i];
		struct model_vs *vs = model_find_vs(m, rs->vs_name);

		if (!vs) {
			bool known_bad = p->vs_header_lost;

			for (size_t j = 0; j < p->bad_vs.n && !known_bad; j++)
				known_bad = strcmp(p->bad_vs.v[j], rs->vs_name) == 0;
			if (known_bad)
				continue; /* follows from an error said already */
			cfg_err(p, rs->line,
				"[real_server %s %s]: unknown virtual server '%s'",
				rs->vs_name, rs_str(p, i, ab, sizeof(ab)),
				rs->vs_name);
			continue;
		}
		rs->vs = (size_t)(vs - m->vs);
		if (!p->rs_port_given_v[i])
			rs->port = vs->fwmark ? 0 : vs->port;
		/* a group's real server without a port: each member's in
		 * IPVS; its one check goes to the first address member's */
		for (size_t k = 0; !p->rs_port_given_v[i] && !rs->connect_port &&
				   k < vs->n_members; k++)
			if (!vs->members[k].fwmark) {
				rs->connect_port = vs->members[k].port;
				break;
			}
		schema_inherit(SCHEMA_RS, rs, SCHEMA_VS, vs);
		/* The agent check's timings, neither given nor inherited:
		 * the real server's check timings (agent.c). */
		if (!rs->agent_interval_ms)
			rs->agent_interval_ms = rs->check.delay_loop_ms;
		if (!rs->agent_timeout_ms)
			rs->agent_timeout_ms = rs->check.connect_timeout_ms;
		if (rs->addr.family != vs->af && rs->method != MODEL_METHOD_TUN)
			cfg_err(p, rs->line,
				"[real_server %s %s]: an %s real server in an %s virtual server needs method = TUN",
				rs->vs_name,
				model_addrport_str(&rs->addr, rs->port, ab,
						   sizeof(ab)),
				rs->addr.family == AF_INET6 ? "IPv6" : "IPv4",
				vs->af == AF_INET6 ? "IPv6" : "IPv4");
		inherit_virtualhost(p, rs, vs);
		/* A parked sorry server (sorry_server_inhibit) sits in IPVS
		 * next to the real servers: it must not be one of them, or
		 * the virtual server cannot be programmed (desired.c). */
		if (vs->sorry_server.family && vs->sorry_server_inhibit &&
		    model_addr_eq(&vs->sorry_server, &rs->addr) &&
		    (vs->fwmark ? 0 : vs->sorry_port ? vs->sorry_port : vs->port) ==
			    rs->port)
			cfg_err(p, rs->line,
				"[real_server %s %s]: also the sorry_server of [virtual_server %s] (line %u), which sorry_server_inhibit keeps in IPVS next to the real servers: IPVS cannot hold one real server twice; give the sorry server another address or port",
				rs->vs_name,
				model_addrport_str(&rs->addr, rs->port, ab,
						   sizeof(ab)),
				vs->name, vs->sorry_line);
		/* Duplicates, through an index of the ones before (O(n)). */
		{
			uint64_t h = model_rs_key_hash(rs->vs_name, &rs->addr,
						       rs->port);
			struct rs_seen k = { m, rs };
			size_t j = hidx_find(&seen, h, rs_seen_eq, &k);

			if (j != SIZE_MAX)
				cfg_err(p, rs->line,
					"duplicate real server %s in virtual server %s (first at line %u)",
					model_addrport_str(&rs->addr, rs->port,
							   ab, sizeof(ab)),
					rs->vs_name, m->rs[j].line);
			else if (hidx_add(&seen, h, i) < 0)
				p->oom = 1;
		}
	}
	hidx_free(&seen);

	for (size_t i = 0; i < p->n_sgr; i++) {
		const struct sg_ref *r = &p->sgr[i];
		struct model_vrrp *v = model_find_vrrp(m, r->name);
		const char *gname = m->sync[r->sg].name;

		if (!v) {
			cfg_err(p, r->line,
				"group: unknown vrrp instance '%s' in [vrrp_sync_group %s]",
				r->name, gname);
			continue;
		}
		if (v->sync_group[0]) {
			unsigned first = 0;

			for (size_t j = 0; j < i; j++)
				if (strcmp(p->sgr[j].name, r->name) == 0) {
					first = p->sgr[j].line;
					break;
				}
			cfg_err(p, r->line,
				"group: vrrp instance '%s' is already in [vrrp_sync_group %s] (line %u)",
				r->name, v->sync_group, first);
			continue;
		}
		snprintf(v->sync_group, sizeof(v->sync_group), "%s", gname);
	}

	/* What BGP announces (bgp.c). */
	for (size_t i = 0; i < m->n_vs; i++) {
		const struct model_vs *vs = &m->vs[i];
		const char *no;

		if (!vs->bgp_announce)
			continue;
		if ((no = not_announceable(&vs->addr))) {
			char as[INET6_ADDRSTRLEN];

			cfg_err(p, vs->bgp_line,
				"[virtual_server %s]: bgp_announce: %s is %s: not a unicast address to announce as a host route (give the virtual server a unicast address, or bgp_announce = no)",
				vs->name, model_addr_str(&vs->addr, as, sizeof(as)), no);
		}
		if (!m->bgp.line) /* enabled = no: withdrawn, and said so */
			cfg_err(p, vs->bgp_line,
				"[virtual_server %s]: bgp_announce = yes needs a [bgp] section",
				vs->name);
		if (vs->bgp_vrrp[0] && !model_find_vrrp(m, vs->bgp_vrrp))
			cfg_err(p, vs->bgp_line,
				"[virtual_server %s]: bgp_vrrp: unknown vrrp instance '%s'",
				vs->name, vs->bgp_vrrp);
	}

	/* What the instances track. */
	for (size_t i = 0; i < m->n_vrrp; i++) {
		const struct model_vrrp *v = &m->vrrp[i];

		for (size_t k = 0; k < v->n_track; k++) {
			const struct model_track_ref *r = &v->track[k];
			const struct model_tracker *t =
				model_find_tracker(m, r->kind, r->name);
			const char *kind = model_track_kind_str(r->kind);
			const char *key = r->kind == MODEL_TRACK_SCRIPT ? "track_script"
					  : kind + 5; /* track_file, track_process */
			int32_t w;

			if (!t) {
				cfg_err(p, r->line, "%s: unknown [%s %s]", key,
					kind, r->name);
				continue;
			}
			w = r->has_weight ? r->weight : t->weight;
			if (w && v->priority == 255)
				cfg_err(p, r->line,
					"[vrrp %s]: %s %s has weight %d, but priority 255 (the address owner) cannot change; use weight 0 (FAULT while failing)",
					v->name, key, r->name, (int)w);
			else if (w && v->sync_group[0])
				cfg_err(p, r->line,
					"[vrrp %s]: %s %s has weight %d, but the instance is in [vrrp_sync_group %s], whose members move together; use weight 0 (FAULT while failing)",
					v->name, key, r->name, (int)w, v->sync_group);
		}
	}

	/* The sync daemon follows one instance's state (ipvssync.c). */
	if (m->global.lvs_sync_daemon.n == 2 &&
	    !model_find_vrrp(m, m->global.lvs_sync_daemon.v[1]))
		cfg_err(p, m->global.lvs_sync_line,
			"lvs_sync_daemon: unknown vrrp instance '%s' (the sync daemon follows its state)",
			m->global.lvs_sync_daemon.v[1]);
	/* Its parameters alone would be dropped without a word: a typo'd
	 * or commented-out lvs_sync_daemon. */
	if (m->global.lvs_sync_daemon.n != 2 && m->global.lvs_sync_set) {
		static const struct { uint32_t bit; const char *key; } k[] = {
			{ MODEL_SYNC_SET_ID, "lvs_sync_daemon_id" },
			{ MODEL_SYNC_SET_GROUP, "lvs_sync_daemon_group" },
			{ MODEL_SYNC_SET_PORT, "lvs_sync_daemon_port" },
			{ MODEL_SYNC_SET_TTL, "lvs_sync_daemon_ttl" },
			{ MODEL_SYNC_SET_MAXLEN, "lvs_sync_daemon_maxlen" },
			{ MODEL_SYNC_SET_BOTH, "lvs_sync_daemon_both" },
		};
		char keys[200] = "";
		size_t len = 0;

		for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
			if ((m->global.lvs_sync_set & k[i].bit) && len < sizeof(keys))
				len += (size_t)snprintf(keys + len, sizeof(keys) - len,
							"%s%s", len ? ", " : "",
							k[i].key);
		cfg_err(p, m->global.line,
			"[global]: %s given without lvs_sync_daemon = IFACE INSTANCE: they set the sync daemons' parameters (add lvs_sync_daemon, or remove them)",
			keys);
	}
}
