/* cfgkeys.c — the keys of lvsd.ini: one table per section kind with a
 * setter per key (range, unit, alias, repeatable), and the walk that gives
 * a section's entries to them when it ends.
 */
#include "cfgkeys.h"
#include "cfgval.h"
#include "schema.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

struct parser;
/* Store e->value into obj; report a bad value itself. 0 or -errno. */
typedef int (*set_fn)(struct parser *p, void *obj, const struct schema_key *kd,
		      const struct entry *e);

#define FIELD(obj, kd, type) ((type *)((char *)(obj) + (kd)->off))

/* --------------------------------------------------------- helpers */

static const char *fmt_ms(uint32_t ms, char *buf, size_t len)
{
	if (ms % 1000 == 0)
		snprintf(buf, len, "%us", ms / 1000);
	else
		snprintf(buf, len, "%ums", ms);
	return buf;
}

/* ----------------------------------------------------- generic setters */

static int s_none(struct parser *p, void *obj, const struct schema_key *kd,
		  const struct entry *e)
{
	return 0; /* read when the section ends */
}

/* An integer min..max into a field of the key's type (ST_U32, ST_U16,
 * ST_U8, ST_INT). */
static int s_uint(struct parser *p, void *obj, const struct schema_key *kd,
		  const struct entry *e)
{
	uint32_t v;

	if (cfgval_u32(e->value, kd->min, kd->max, &v))
		return cfg_bad(p, e, "an integer %u..%u", kd->min, kd->max);
	if (kd->type == ST_U16)
		*FIELD(obj, kd, uint16_t) = (uint16_t)v;
	else if (kd->type == ST_U8)
		*FIELD(obj, kd, uint8_t) = (uint8_t)v;
	else if (kd->type == ST_INT)
		*FIELD(obj, kd, int) = (int)v;
	else
		*FIELD(obj, kd, uint32_t) = v;
	return 0;
}

static int s_bool(struct parser *p, void *obj, const struct schema_key *kd,
		  const struct entry *e)
{
	if (cfgval_bool(e->value, FIELD(obj, kd, bool)))
		return cfg_bad(p, e, "yes/no/true/false/on/off/1/0");
	return 0;
}

static int s_ms(struct parser *p, void *obj, const struct schema_key *kd,
		const struct entry *e)
{
	char a[32], b[32];
	uint32_t v;

	if ((kd->flags & SK_OFF0) &&
	    (cfgval_duration_ms(e->value, kd->max, &v) ||
	     (v && v < kd->min)))
		return cfg_bad(p, e,
			   "0 (off) or a duration from %s to %s (seconds: 3, 0.5; or 250ms, 2m)",
			   fmt_ms(kd->min, a, sizeof(a)),
			   fmt_ms(kd->max, b, sizeof(b)));
	if (cfgval_duration_ms(e->value, kd->max, &v) ||
	    (v < kd->min && !((kd->flags & SK_OFF0) && v == 0)))
		return cfg_bad(p, e,
			   "a duration from %s to %s (seconds: 3, 0.5; or 250ms, 2m)",
			   fmt_ms(kd->min, a, sizeof(a)),
			   fmt_ms(kd->max, b, sizeof(b)));
	*FIELD(obj, kd, uint32_t) = v;
	return 0;
}

static int s_str(struct parser *p, void *obj, const struct schema_key *kd,
		 const struct entry *e)
{
	char **dst = FIELD(obj, kd, char *);
	char *c;

	if (!*e->value)
		return cfg_bad(p, e, "a value");
	if ((kd->flags & SK_ABS) && e->value[0] != '/')
		return cfg_bad(p, e, "an absolute path");
	if (kd->max && strlen(e->value) > kd->max)
		return cfg_bad(p, e, "at most %u characters", kd->max);
	c = strdup(e->value);
	if (!c)
		return cfg_nomem(p);
	free(*dst);
	*dst = c;
	return 0;
}

/* A group of the system (control_group, control_group_ro): one that does
 * not exist is an error here, with its line, and not a runtime surprise. */
static int s_sysgroup(struct parser *p, void *obj, const struct schema_key *kd,
		      const struct entry *e)
{
	char buf[4096];
	struct group gr, *res = NULL;
	int rc;

	if (!*e->value)
		return cfg_bad(p, e, "a group name");
	rc = getgrnam_r(e->value, &gr, buf, sizeof(buf), &res);
	if (rc == 0 && !res) {
		cfg_err(p, e->line, "%s: no such group '%s' (see getent group)",
			e->key, e->value);
		return -ENOENT;
	}
	/* a lookup that fails for another reason (NSS down) is not proof
	 * that the group is missing: lvsd logs it when it applies the key */
	return s_str(p, obj, kd, e);
}

static int s_sysuser(struct parser *p, void *obj, const struct schema_key *kd,
		     const struct entry *e)
{
	char buf[4096];
	struct passwd pw, *res = NULL;
	int rc;

	if (!*e->value)
		return cfg_bad(p, e, "a user name");
	rc = getpwnam_r(e->value, &pw, buf, sizeof(buf), &res);
	if (rc == 0 && !res) {
		cfg_err(p, e->line, "%s: no such user '%s' (see getent passwd)",
			e->key, e->value);
		return -ENOENT;
	}
	return s_str(p, obj, kd, e);
}

static int s_name(struct parser *p, void *obj, const struct schema_key *kd,
		  const struct entry *e)
{
	if (cfgval_name(e->value))
		return cfg_bad(p, e, "a name of letters, digits, '_', '.', '-' (at most %d)",
			   MODEL_NAME_MAX - 1);
	snprintf(FIELD(obj, kd, char), MODEL_NAME_MAX, "%s", e->value);
	return 0;
}

static int s_ifname(struct parser *p, void *obj, const struct schema_key *kd,
		    const struct entry *e)
{
	if (cfgval_ifname(e->value))
		return cfg_bad(p, e, "an interface name (1..%d chars)",
			   MODEL_IFNAME_MAX - 1);
	snprintf(FIELD(obj, kd, char), MODEL_IFNAME_MAX, "%s", e->value);
	return 0;
}

static int s_push_ifname(struct parser *p, void *obj,
			 const struct schema_key *kd, const struct entry *e)
{
	struct model_strv *sv = FIELD(obj, kd, struct model_strv);

	if (cfgval_ifname(e->value))
		return cfg_bad(p, e, "an interface name (1..%d chars)",
			   MODEL_IFNAME_MAX - 1);
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], e->value) == 0) {
			cfg_err(p, e->line, "%s: '%s' given twice", e->key,
				e->value);
			return -EINVAL;
		}
	return model_strv_push(sv, e->value) ? cfg_nomem(p) : 0;
}

static int s_email(struct parser *p, void *obj, const struct schema_key *kd,
		   const struct entry *e)
{
	const char *at = strchr(e->value, '@');

	if (!at || at == e->value || !at[1] || strpbrk(e->value, " \t<>,"))
		return cfg_bad(p, e, "a mail address like root@example.com");
	if (kd->flags & SK_REPEAT) {
		struct model_strv *sv = FIELD(obj, kd, struct model_strv);

		return model_strv_push(sv, e->value) ? cfg_nomem(p) : 0;
	}
	return s_str(p, obj, kd, e);
}

static int s_argv(struct parser *p, void *obj, const struct schema_key *kd,
		  const struct entry *e)
{
	struct model_strv *sv = FIELD(obj, kd, struct model_strv);
	char err[1024];
	int rc;

	rc = cfgval_argv(e->value, sv, err, sizeof(err));
	if (rc == -ENOMEM)
		return cfg_nomem(p);
	if (rc) {
		cfg_err(p, e->line, "%s: bad command line: %s", e->key, err);
		return rc;
	}
	/* can it be run? (confload.c: progcheck.c) */
	if (p->hooks->program) {
		err[0] = '\0';
		rc = p->hooks->program(p->hooks->arg, e->value, err, sizeof(err));
		if (rc == -ENOMEM)
			return cfg_nomem(p);
		if (rc) {
			cfg_err(p, e->line, "%s: %s", e->key,
				*err ? err : "cannot be run");
			return rc;
		}
	}
	return 0;
}

/* Words as a command line splits them, but not a command (a process to
 * look for: track_process). */
static int s_words(struct parser *p, void *obj, const struct schema_key *kd,
		   const struct entry *e)
{
	char err[1024];
	int rc = cfgval_argv(e->value, FIELD(obj, kd, struct model_strv), err,
			     sizeof(err));

	if (rc == -ENOMEM)
		return cfg_nomem(p);
	if (rc)
		cfg_err(p, e->line, "%s: %s", e->key, err);
	return rc;
}

static int s_addr(struct parser *p, void *obj, const struct schema_key *kd,
		  const struct entry *e)
{
	if (cfgval_addr(e->value, FIELD(obj, kd, struct lvsd_addr)))
		return cfg_bad(p, e, "an IPv4 or IPv6 address");
	return 0;
}

static int s_mcast(struct parser *p, void *obj, const struct schema_key *kd,
		   const struct entry *e)
{
	struct lvsd_addr *a = FIELD(obj, kd, struct lvsd_addr);
	int mc;

	if (cfgval_addr(e->value, a))
		mc = 0;
	else if (a->family == AF_INET)
		mc = (ntohl(a->u.v4.s_addr) >> 28) == 0xe;
	else
		mc = a->u.v6.s6_addr[0] == 0xff;
	if (!mc) {
		memset(a, 0, sizeof(*a));
		return cfg_bad(p, e, "a multicast address (224.0.0.0/4 or ff00::/8)");
	}
	return 0;
}

/* lvs_sync_daemon = IFACE INSTANCE (keepalived's first two words); the
 * instance is looked up once every section is read (cfg_link). */
static int s_syncd(struct parser *p, void *obj, const struct schema_key *kd,
		   const struct entry *e)
{
	struct model_global *g = obj;
	struct model_strv *sv = FIELD(obj, kd, struct model_strv);
	int rc = s_words(p, obj, kd, e);

	if (rc)
		return rc;
	if (sv->n != 2 || cfgval_ifname(sv->v[0]) || cfgval_name(sv->v[1])) {
		model_strv_free(sv);
		return cfg_bad(p, e, "an interface name and a [vrrp] instance name: IFACE INSTANCE");
	}
	g->lvs_sync_line = e->line;
	return 0;
}

/* --------------------------------------------------- special setters */

static int s_log_level(struct parser *p, void *obj, const struct schema_key *kd,
		       const struct entry *e)
{
	static const struct {
		const char *name;
		int level;
	} lv[] = {
		{"err", LVSD_LOG_ERR},         {"error", LVSD_LOG_ERR},
		{"warning", LVSD_LOG_WARNING}, {"warn", LVSD_LOG_WARNING},
		{"notice", LVSD_LOG_NOTICE},   {"info", LVSD_LOG_INFO},
		{"debug", LVSD_LOG_DEBUG},
	};

	for (size_t i = 0; i < sizeof(lv) / sizeof(lv[0]); i++)
		if (strcasecmp(e->value, lv[i].name) == 0) {
			*FIELD(obj, kd, int) = lv[i].level;
			return 0;
		}
	return cfg_bad(p, e, "err, warning, notice, info or debug");
}

static int s_smtp(struct parser *p, void *obj, const struct schema_key *kd,
		  const struct entry *e)
{
	struct model_global *g = obj;
	bool has_port;
	uint16_t port;

	if (cfgval_addrport(e->value, true, &g->smtp_server, &port,
			    &has_port))
		return cfg_bad(p, e, "ADDR or ADDR:PORT ([IPv6]:PORT)");
	g->smtp_port = has_port ? port : MODEL_DEFAULT_SMTP_PORT;
	return 0;
}

static int s_metrics(struct parser *p, void *obj, const struct schema_key *kd,
		     const struct entry *e)
{
	struct model_global *g = obj;
	bool has_port;
	uint16_t port;

	(void)kd;
	if (cfgval_addrport(e->value, false, &g->metrics_addr, &port, &has_port) ||
	    !has_port || !port)
		return cfg_bad(p, e, "ADDR:PORT ([IPv6]:PORT), a port 1-65535");
	g->metrics_port = port;
	return 0;
}

static int s_vs_address(struct parser *p, void *obj, const struct schema_key *kd,
			const struct entry *e)
{
	struct model_vs *vs = obj;
	bool has_port;

	if (cfgval_addrport(e->value, true, &vs->addr, &vs->port, &has_port))
		return cfg_bad(p, e, "IP:PORT or [IPv6]:PORT");
	if (!has_port) {
		memset(&vs->addr, 0, sizeof(vs->addr));
		cfg_err(p, e->line,
			"%s: missing port in '%s' (write IP:PORT or [IPv6]:PORT)",
			e->key, e->value);
		return -EINVAL;
	}
	return 0;
}

static int s_protocol(struct parser *p, void *obj, const struct schema_key *kd,
		      const struct entry *e)
{
	uint16_t *proto = FIELD(obj, kd, uint16_t);

	if (strcasecmp(e->value, "TCP") == 0)
		*proto = IPPROTO_TCP;
	else if (strcasecmp(e->value, "UDP") == 0)
		*proto = IPPROTO_UDP;
	else if (strcasecmp(e->value, "SCTP") == 0)
		*proto = IPPROTO_SCTP;
	else
		return cfg_bad(p, e, "TCP, UDP or SCTP");
	return 0;
}

static int s_method(struct parser *p, void *obj, const struct schema_key *kd,
		    const struct entry *e)
{
	enum model_method *m = FIELD(obj, kd, enum model_method);

	if (strcasecmp(e->value, "NAT") == 0)
		*m = MODEL_METHOD_NAT;
	else if (strcasecmp(e->value, "DR") == 0)
		*m = MODEL_METHOD_DR;
	else if (strcasecmp(e->value, "TUN") == 0)
		*m = MODEL_METHOD_TUN;
	else
		return cfg_bad(p, e, "NAT, DR or TUN");
	return 0;
}

/* Ask a hook; report its answer. 0, -EINVAL or -ENOENT. */
static int hook_answer(struct parser *p, const struct entry *e, int rc,
		       const char *err, const char *what)
{
	if (rc == 0)
		return 0;
	if (rc == -ENOENT)
		cfg_err(p, e->line, "%s: unknown %s '%s'", e->key, what,
			e->value);
	else
		cfg_err(p, e->line, "%s: %s", e->key,
			*err ? err : "refused");
	return rc == -ENOENT ? -ENOENT : -EINVAL;
}

static int s_scheduler(struct parser *p, void *obj, const struct schema_key *kd,
		       const struct entry *e)
{
	char err[1024] = "";
	int rc;

	if (s_name(p, obj, kd, e))
		return -EINVAL;
	if (!p->hooks->scheduler)
		return 0;
	rc = p->hooks->scheduler(p->hooks->arg, e->value, err, sizeof(err));
	if (rc == -ENOENT) {
		/* err: which ones are loaded */
		cfg_err(p, e->line, "%s: unknown scheduler '%s'%s%s%s", e->key,
			e->value, *err ? " (" : "", err, *err ? ")" : "");
		p->sched_bad = true;
		return -ENOENT;
	}
	return hook_answer(p, e, rc, err, "scheduler");
}

static int s_checker(struct parser *p, void *obj, const struct schema_key *kd,
		     const struct entry *e)
{
	char err[1024] = "";
	int rc = 0;

	p->checker_bad = true;
	if (s_name(p, obj, kd, e))
		return -EINVAL;
	if (p->hooks->checker)
		rc = p->hooks->checker(p->hooks->arg, e->value, err,
				       sizeof(err));
	if (hook_answer(p, e, rc, err, "checker")) {
		FIELD(obj, kd, char)[0] = '\0';
		return -EINVAL;
	}
	p->checker_bad = false;
	return 0;
}

static int s_state(struct parser *p, void *obj, const struct schema_key *kd,
		   const struct entry *e)
{
	struct model_vrrp *v = obj;

	if (strcasecmp(e->value, "MASTER") == 0)
		v->state = LVSD_VRRP_MASTER;
	else if (strcasecmp(e->value, "BACKUP") == 0)
		v->state = LVSD_VRRP_BACKUP;
	else
		return cfg_bad(p, e, "MASTER or BACKUP");
	return 0;
}

static int s_preempt(struct parser *p, void *obj, const struct schema_key *kd,
		     const struct entry *e)
{
	struct model_vrrp *v = obj;
	bool b;

	if (cfgval_bool(e->value, &b))
		return cfg_bad(p, e, "yes/no/true/false/on/off/1/0");
	v->preempt = strcmp(kd->key, "nopreempt") == 0 ? !b : b;
	return 0;
}

static int s_advert(struct parser *p, void *obj, const struct schema_key *kd,
		    const struct entry *e)
{
	if (cfgval_duration_ms(e->value, 40950, &p->advert_ms) ||
	    p->advert_ms < 10 || p->advert_ms % 10) {
		p->advert_ms = 0;
		return cfg_bad(p, e,
			   "seconds with centisecond resolution, 0.01 to 40.95");
	}
	return 0;
}

static int s_auth_type(struct parser *p, void *obj, const struct schema_key *kd,
		       const struct entry *e)
{
	if (strcasecmp(e->value, "PASS") == 0)
		return 0;
	if (strcasecmp(e->value, "AH") == 0) {
		cfg_err(p, e->line,
			"%s: AH is not supported (use PASS, or no authentication)",
			e->key);
		return -EINVAL;
	}
	return cfg_bad(p, e, "PASS");
}

static int s_auth_pass(struct parser *p, void *obj, const struct schema_key *kd,
		       const struct entry *e)
{
	struct model_vrrp *v = obj;
	size_t n = strlen(e->value);

	if (n < 1 || n >= MODEL_AUTH_PASS_MAX) {
		/* a secret: not repeated in the message */
		cfg_err(p, e->line, "%s: expected 1 to %d characters, got %zu",
			e->key, MODEL_AUTH_PASS_MAX - 1, n);
		return -EINVAL;
	}
	memcpy(v->auth_pass, e->value, n + 1);
	return 0;
}

static int s_vip(struct parser *p, void *obj, const struct schema_key *kd,
		 const struct entry *e)
{
	struct model_vrrp *v = obj;
	struct lvsd_vip vip;
	char *copy, *tok, *save = NULL;
	struct lvsd_vip *nv;
	int rc = -EINVAL;

	memset(&vip, 0, sizeof(vip));
	copy = strdup(e->value);
	if (!copy)
		return cfg_nomem(p);
	tok = strtok_r(copy, " \t", &save);
	if (!tok || cfgval_addr_prefix(tok, &vip.addr, &vip.prefix)) {
		cfg_bad(p, e, "ADDR[/PREFIX] [dev IFACE]");
		goto out;
	}
	while ((tok = strtok_r(NULL, " \t", &save))) {
		if (strcmp(tok, "dev") != 0) {
			cfg_err(p, e->line,
				"%s: unknown option '%s' (only 'dev IFACE' is supported)",
				e->key, tok);
			goto out;
		}
		tok = strtok_r(NULL, " \t", &save);
		if (!tok || cfgval_ifname(tok)) {
			cfg_bad(p, e, "an interface name after 'dev'");
			goto out;
		}
		snprintf(vip.ifname, sizeof(vip.ifname), "%s", tok);
	}
	if (vip.addr.family == AF_INET6 &&
	    IN6_IS_ADDR_V4MAPPED(&vip.addr.u.v6)) {
		cfg_err(p, e->line,
			"%s: %s is an IPv4-mapped IPv6 address; give the IPv4 address",
			e->key, copy);
		goto out;
	}
	if (v->n_vips && v->vips[0].addr.family != vip.addr.family) {
		cfg_err(p, e->line,
			"%s: all addresses of an instance must be of one family (the first, line %u, is %s)",
			e->key, p->vip_line,
			v->vips[0].addr.family == AF_INET ? "IPv4" : "IPv6");
		goto out;
	}
	for (size_t i = 0; i < v->n_vips; i++)
		if (model_addr_eq(&v->vips[i].addr, &vip.addr)) {
			cfg_err(p, e->line, "%s: %s given twice", e->key,
				copy);
			goto out;
		}
	nv = realloc(v->vips, (v->n_vips + 1) * sizeof(*nv));
	if (!nv) {
		rc = cfg_nomem(p);
		goto out;
	}
	if (!v->n_vips)
		p->vip_line = e->line;
	nv[v->n_vips++] = vip;
	v->vips = nv;
	rc = 0;
out:
	free(copy);
	return rc;
}

static int s_peer(struct parser *p, void *obj, const struct schema_key *kd,
		  const struct entry *e)
{
	struct model_vrrp *v = obj;
	struct lvsd_addr a, *nv;

	if (cfgval_addr(e->value, &a))
		return cfg_bad(p, e, "an IPv4 or IPv6 address");
	for (size_t i = 0; i < v->n_unicast_peers; i++)
		if (model_addr_eq(&v->unicast_peers[i], &a)) {
			cfg_err(p, e->line, "%s: '%s' given twice", e->key,
				e->value);
			return -EINVAL;
		}
	nv = realloc(v->unicast_peers, (v->n_unicast_peers + 1) * sizeof(*nv));
	if (!nv)
		return cfg_nomem(p);
	nv[v->n_unicast_peers++] = a;
	v->unicast_peers = nv;
	return 0;
}

static int s_group(struct parser *p, void *obj, const struct schema_key *kd,
		   const struct entry *e)
{
	struct model_strv words = {0};
	struct model_sync_group *g = obj;
	int rc = 0;

	if (cfgval_words(e->value, &words) || !words.n) {
		model_strv_free(&words);
		return cfg_bad(p, e, "a list of vrrp instance names");
	}
	for (size_t i = 0; i < words.n && !rc; i++) {
		struct sg_ref *r;

		if (cfgval_name(words.v[i])) {
			cfg_err(p, e->line, "%s: bad vrrp instance name '%s'",
				e->key, words.v[i]);
			continue;
		}
		if (p->n_sgr == p->cap_sgr) {
			size_t ncap = p->cap_sgr ? p->cap_sgr * 2 : 8;
			struct sg_ref *nv = realloc(p->sgr, ncap * sizeof(*nv));

			if (!nv) {
				rc = cfg_nomem(p);
				break;
			}
			p->sgr = nv;
			p->cap_sgr = ncap;
		}
		r = &p->sgr[p->n_sgr++];
		r->sg = p->m->n_sync;
		r->line = e->line;
		snprintf(r->name, sizeof(r->name), "%s", words.v[i]);
		if (model_strv_push(&g->group, words.v[i]))
			rc = cfg_nomem(p);
	}
	model_strv_free(&words);
	return rc;
}

/* An integer -max..max (kd->max) into an int32_t. */
static int parse_weight(const char *s, uint32_t max, int32_t *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < -(long)max || v > (long)max)
		return -EINVAL;
	*out = (int32_t)v;
	return 0;
}

static int s_weight(struct parser *p, void *obj, const struct schema_key *kd,
		    const struct entry *e)
{
	if (parse_weight(e->value, kd->max, FIELD(obj, kd, int32_t)))
		return cfg_bad(p, e, "an integer -%u..%u", kd->max, kd->max);
	return 0;
}

/* delay = fork_delay and terminate_delay at once */
static int s_delay(struct parser *p, void *obj, const struct schema_key *kd,
		   const struct entry *e)
{
	struct model_tracker *t = obj;
	int r = s_ms(p, obj, kd, e);

	if (r == 0)
		t->terminate_delay_ms = t->fork_delay_ms;
	return r;
}

/* track_script / track_file / track_process = NAME [weight N] */
static int s_track(struct parser *p, void *obj, const struct schema_key *kd,
		   const struct entry *e)
{
	struct model_vrrp *v = obj;
	struct model_strv w = {0};
	struct model_track_ref r = {0}, *nv;
	const char *kinds = strchr(kd->key, '_') + 1;
	uint32_t max;

	r.kind = strcmp(kinds, "script") == 0 ? MODEL_TRACK_SCRIPT
	       : strcmp(kinds, "file") == 0 ? MODEL_TRACK_FILE : MODEL_TRACK_PROCESS;
	max = r.kind == MODEL_TRACK_SCRIPT ? 253 : 254;
	r.line = e->line;
	if (cfgval_words(e->value, &w) == -ENOMEM) {
		model_strv_free(&w);
		return cfg_nomem(p);
	}
	if ((w.n != 1 && w.n != 3) || cfgval_name(w.v[0]) ||
	    (w.n == 3 && (strcmp(w.v[1], "weight") != 0 ||
			  parse_weight(w.v[2], max, &r.weight)))) {
		model_strv_free(&w);
		return cfg_bad(p, e, "NAME [weight N] with N in -%u..%u", max, max);
	}
	snprintf(r.name, sizeof(r.name), "%s", w.v[0]);
	r.has_weight = w.n == 3;
	model_strv_free(&w);
	for (size_t i = 0; i < v->n_track; i++)
		if (v->track[i].kind == r.kind && strcmp(v->track[i].name, r.name) == 0) {
			cfg_err(p, e->line, "%s: '%s' given twice (first at line %u)",
				e->key, r.name, v->track[i].line);
			return -EINVAL;
		}
	nv = realloc(v->track, (v->n_track + 1) * sizeof(*nv));
	if (!nv)
		return cfg_nomem(p);
	nv[v->n_track++] = r;
	v->track = nv;
	return 0;
}

/* -------------------------------------------------------- the setters */

static const set_fn setter[SP_N] = {
	[SP_LATER] = s_none,         [SP_SYSGROUP] = s_sysgroup,
	[SP_SYSUSER] = s_sysuser,
	[SP_EMAIL] = s_email,        [SP_ARGV] = s_argv,
	[SP_WORDS] = s_words,        [SP_IFLIST] = s_push_ifname,
	[SP_LOGLEVEL] = s_log_level, [SP_SMTP] = s_smtp,
	[SP_VSADDR] = s_vs_address,  [SP_SCHEDULER] = s_scheduler,
	[SP_CHECKER] = s_checker,    [SP_STATE] = s_state,
	[SP_PREEMPT] = s_preempt,    [SP_ADVERT] = s_advert,
	[SP_AUTHTYPE] = s_auth_type, [SP_AUTHPASS] = s_auth_pass,
	[SP_VIP] = s_vip,            [SP_PEER] = s_peer,
	[SP_GROUP] = s_group,        [SP_DELAY] = s_delay,
	[SP_TRACK] = s_track,        [SP_SYNCD] = s_syncd,
	[SP_MCAST] = s_mcast,        [SP_METRICS] = s_metrics,
};

/* The generic readers, by the field's type (SP_TYPE). */
static const set_fn by_type[] = {
	[ST_U32] = s_uint,  [ST_U16] = s_uint,      [ST_U8] = s_uint,
	[ST_INT] = s_uint,  [ST_I32] = s_weight,    [ST_MS] = s_ms,
	[ST_BOOL] = s_bool, [ST_STR] = s_str,       [ST_NAME] = s_name,
	[ST_IFNAME] = s_ifname, [ST_ADDR] = s_addr, [ST_METHOD] = s_method,
	[ST_PROTO] = s_protocol,
};

static set_fn setter_of(const struct schema_key *k)
{
	if (k->parse != SP_TYPE)
		return setter[k->parse];
	return (size_t)k->type < sizeof(by_type) / sizeof(by_type[0])
		       ? by_type[k->type] : NULL;
}

static enum schema_sect sect_of(enum sect_kind kind)
{
	switch (kind) {
	case SK_GLOBAL: return SCHEMA_GLOBAL;
	case SK_VS: return SCHEMA_VS;
	case SK_RS: return SCHEMA_RS;
	case SK_VRRP: return SCHEMA_VRRP;
	case SK_SYNC: return SCHEMA_SYNC;
	case SK_BGP: return SCHEMA_BGP;
	case SK_SCRIPT: return SCHEMA_SCRIPT;
	case SK_TFILE: return SCHEMA_TFILE;
	case SK_TPROC: return SCHEMA_TPROC;
	default: return SCHEMA_N;
	}
}

static const struct schema_key *table(enum sect_kind kind, size_t *n)
{
	return schema_keys(sect_of(kind), n);
}

/* Index of the key (or of the key it is an alias of), or -1. */
static int key_index(enum sect_kind kind, const char *key, bool canon)
{
	return sect_of(kind) == SCHEMA_N ? -1
					 : schema_find(sect_of(kind), key, canon);
}

bool cfg_key_repeatable(enum sect_kind kind, const char *key)
{
	size_t n;
	const struct schema_key *t = table(kind, &n);
	int i = key_index(kind, key, false);

	if (kind == SK_VSG) /* address and fwmark repeat (cfgcheck.c) */
		return true;

	return i >= 0 && (t[i].flags & SK_REPEAT);
}

bool cfg_key_is_command(enum sect_kind kind, const char *key)
{
	size_t n;
	const struct schema_key *t = table(kind, &n);
	int i = key_index(kind, key, false);

	if (i >= 0)
		return t[i].parse == SP_ARGV;
	/* the command option of the shipped MISC_CHECK */
	return kind == SK_RS && strcmp(key, "misc_path") == 0;
}

/* The line where key (canonical name) was first given, 0 if not. */
unsigned cfg_seen(const struct parser *p, const char *key)
{
	int i = key_index(p->kind, key, false);

	return i >= 0 ? p->seen[i] : 0;
}

/* Was key (canonical name) given with a good value? */
bool cfg_good(const struct parser *p, const char *key)
{
	int i = key_index(p->kind, key, false);

	return i >= 0 && p->seen[i] && !p->failed[i];
}

/* The entry that set key (canonical name), or NULL. */
const struct entry *cfg_entry_of(const struct parser *p, const char *key)
{
	int want = key_index(p->kind, key, false);

	for (size_t i = 0; i < p->n_ent; i++)
		if (p->ent[i].used &&
		    key_index(p->kind, p->ent[i].key, true) == want)
			return &p->ent[i];
	return NULL;
}

/* ------------------------------------------------- a section's entries */

void cfg_keys_apply(struct parser *p, void *obj)
{
	size_t n;
	const struct schema_key *t = table(p->kind, &n);

	memset(p->seen, 0, sizeof(p->seen));
	memset(p->failed, 0, sizeof(p->failed));
	for (size_t i = 0; obj && !p->oom && i < p->n_ent; i++) {
		struct entry *e = &p->ent[i];
		int ki = key_index(p->kind, e->key, false);
		int ci = key_index(p->kind, e->key, true);
		set_fn set;

		if (ki < 0) { /* a [real_server]'s go to its checker, a
			       * [virtual_server]'s to its scheduler */
			if (p->kind != SK_RS && p->kind != SK_VS)
				cfg_err(p, e->line, "unknown key '%s' in [%s]",
					e->key, p->sect_title);
			continue;
		}
		e->used = true;
		if (p->seen[ci] && !(t[ki].flags & SK_REPEAT)) {
			/* one error per mistake: the entry stays "used", so
			 * it is not reported again as an unknown key */
			cfg_err(p, e->line,
				"duplicate key '%s' in [%s] (first at %s:%u)",
				e->key, p->sect_title, p->file, p->seen[ci]);
			continue;
		}
		if (!p->seen[ci])
			p->seen[ci] = e->line;
		set = setter_of(&t[ki]);
		if (set(p, obj, &t[ki], e) != 0)
			p->failed[ci] = true;
		else if (t[ki].bit)
			*(uint32_t *)((char *)obj + t[ki].set_off) |= t[ki].bit;
	}
}
