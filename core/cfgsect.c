/* cfgsect.c — the sections of lvsd.ini: one key table per section kind,
 * the checks done when a section ends (required keys, keys that depend on
 * each other, duplicates), and the final pass (references between
 * sections, inheritance global -> virtual server -> real server).
 */
#include "cfgsect.h"
#include "cfgval.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#define K_REPEAT 0x1u /* may be given several times */
#define K_ABS 0x2u    /* an absolute path */

struct key_def;
/* Store e->value into obj; report a bad value itself. 0 or -errno. */
typedef int (*set_fn)(struct parser *p, void *obj, const struct key_def *kd,
		      const struct entry *e);

struct key_def {
	const char *key;
	const char *canon; /* this key is an alias of canon */
	set_fn set;
	size_t off;        /* of the field in obj */
	uint32_t min, max; /* numbers, durations (ms); max length of strings */
	unsigned flags;
	size_t set_off;    /* bit != 0: obj's mask of keys written */
	uint32_t bit;
};

#define FIELD(obj, kd, type) ((type *)((char *)(obj) + (kd)->off))

/* --------------------------------------------------------- helpers */

static int bad(struct parser *p, const struct entry *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "KEY: expected WHAT, got 'VALUE'" */
static int bad(struct parser *p, const struct entry *e, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	cfg_err(p, e->line, "%s: expected %s, got '%s'", e->key, what,
		e->value);
	return -EINVAL;
}

static int nomem(struct parser *p)
{
	p->oom = 1;
	return -ENOMEM;
}

static const char *fmt_ms(uint32_t ms, char *buf, size_t len)
{
	if (ms % 1000 == 0)
		snprintf(buf, len, "%us", ms / 1000);
	else
		snprintf(buf, len, "%ums", ms);
	return buf;
}

/* ----------------------------------------------------- generic setters */

static int s_none(struct parser *p, void *obj, const struct key_def *kd,
		  const struct entry *e)
{
	return 0; /* read when the section ends */
}

static int s_u32(struct parser *p, void *obj, const struct key_def *kd,
		 const struct entry *e)
{
	uint32_t v;

	if (cfgval_u32(e->value, kd->min, kd->max, &v))
		return bad(p, e, "an integer %u..%u", kd->min, kd->max);
	*FIELD(obj, kd, uint32_t) = v;
	return 0;
}

static int s_u16(struct parser *p, void *obj, const struct key_def *kd,
		 const struct entry *e)
{
	uint32_t v;

	if (cfgval_u32(e->value, kd->min, kd->max, &v))
		return bad(p, e, "an integer %u..%u", kd->min, kd->max);
	*FIELD(obj, kd, uint16_t) = (uint16_t)v;
	return 0;
}

static int s_u8(struct parser *p, void *obj, const struct key_def *kd,
		const struct entry *e)
{
	uint32_t v;

	if (cfgval_u32(e->value, kd->min, kd->max, &v))
		return bad(p, e, "an integer %u..%u", kd->min, kd->max);
	*FIELD(obj, kd, uint8_t) = (uint8_t)v;
	return 0;
}

static int s_int(struct parser *p, void *obj, const struct key_def *kd,
		 const struct entry *e)
{
	uint32_t v;

	if (cfgval_u32(e->value, kd->min, kd->max, &v))
		return bad(p, e, "an integer %u..%u", kd->min, kd->max);
	*FIELD(obj, kd, int) = (int)v;
	return 0;
}

static int s_bool(struct parser *p, void *obj, const struct key_def *kd,
		  const struct entry *e)
{
	if (cfgval_bool(e->value, FIELD(obj, kd, bool)))
		return bad(p, e, "yes/no/true/false/on/off/1/0");
	return 0;
}

static int s_ms(struct parser *p, void *obj, const struct key_def *kd,
		const struct entry *e)
{
	char a[32], b[32];
	uint32_t v;

	if (cfgval_duration_ms(e->value, kd->max, &v) || v < kd->min)
		return bad(p, e,
			   "a duration from %s to %s (seconds: 3, 0.5; or 250ms, 2m)",
			   fmt_ms(kd->min, a, sizeof(a)),
			   fmt_ms(kd->max, b, sizeof(b)));
	*FIELD(obj, kd, uint32_t) = v;
	return 0;
}

static int s_str(struct parser *p, void *obj, const struct key_def *kd,
		 const struct entry *e)
{
	char **dst = FIELD(obj, kd, char *);
	char *c;

	if (!*e->value)
		return bad(p, e, "a value");
	if ((kd->flags & K_ABS) && e->value[0] != '/')
		return bad(p, e, "an absolute path");
	if (kd->max && strlen(e->value) > kd->max)
		return bad(p, e, "at most %u characters", kd->max);
	c = strdup(e->value);
	if (!c)
		return nomem(p);
	free(*dst);
	*dst = c;
	return 0;
}

static int s_name(struct parser *p, void *obj, const struct key_def *kd,
		  const struct entry *e)
{
	if (cfgval_name(e->value))
		return bad(p, e, "a name of letters, digits, '_', '.', '-' (at most %d)",
			   MODEL_NAME_MAX - 1);
	snprintf(FIELD(obj, kd, char), MODEL_NAME_MAX, "%s", e->value);
	return 0;
}

static int s_ifname(struct parser *p, void *obj, const struct key_def *kd,
		    const struct entry *e)
{
	if (cfgval_ifname(e->value))
		return bad(p, e, "an interface name (1..%d chars)",
			   MODEL_IFNAME_MAX - 1);
	snprintf(FIELD(obj, kd, char), MODEL_IFNAME_MAX, "%s", e->value);
	return 0;
}

static int s_push_ifname(struct parser *p, void *obj,
			 const struct key_def *kd, const struct entry *e)
{
	struct model_strv *sv = FIELD(obj, kd, struct model_strv);

	if (cfgval_ifname(e->value))
		return bad(p, e, "an interface name (1..%d chars)",
			   MODEL_IFNAME_MAX - 1);
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], e->value) == 0) {
			cfg_err(p, e->line, "%s: '%s' given twice", e->key,
				e->value);
			return -EINVAL;
		}
	return model_strv_push(sv, e->value) ? nomem(p) : 0;
}

static int s_email(struct parser *p, void *obj, const struct key_def *kd,
		   const struct entry *e)
{
	const char *at = strchr(e->value, '@');

	if (!at || at == e->value || !at[1] || strpbrk(e->value, " \t<>,"))
		return bad(p, e, "a mail address like root@example.com");
	if (kd->flags & K_REPEAT) {
		struct model_strv *sv = FIELD(obj, kd, struct model_strv);

		return model_strv_push(sv, e->value) ? nomem(p) : 0;
	}
	return s_str(p, obj, kd, e);
}

static int s_argv(struct parser *p, void *obj, const struct key_def *kd,
		  const struct entry *e)
{
	struct model_strv *sv = FIELD(obj, kd, struct model_strv);
	char err[128];
	int rc;

	rc = cfgval_argv(e->value, sv, err, sizeof(err));
	if (rc == -ENOMEM)
		return nomem(p);
	if (rc) {
		cfg_err(p, e->line, "%s: bad command line: %s", e->key, err);
		return rc;
	}
	return 0;
}

static int s_addr(struct parser *p, void *obj, const struct key_def *kd,
		  const struct entry *e)
{
	if (cfgval_addr(e->value, FIELD(obj, kd, struct lvsd_addr)))
		return bad(p, e, "an IPv4 or IPv6 address");
	return 0;
}

/* --------------------------------------------------- special setters */

static int s_log_level(struct parser *p, void *obj, const struct key_def *kd,
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
	return bad(p, e, "err, warning, notice, info or debug");
}

static int s_smtp(struct parser *p, void *obj, const struct key_def *kd,
		  const struct entry *e)
{
	struct model_global *g = obj;
	bool has_port;
	uint16_t port;

	if (cfgval_addrport(e->value, true, &g->smtp_server, &port,
			    &has_port))
		return bad(p, e, "ADDR or ADDR:PORT ([IPv6]:PORT)");
	g->smtp_port = has_port ? port : MODEL_DEFAULT_SMTP_PORT;
	return 0;
}

static int s_vs_address(struct parser *p, void *obj, const struct key_def *kd,
			const struct entry *e)
{
	struct model_vs *vs = obj;
	bool has_port;

	if (cfgval_addrport(e->value, true, &vs->addr, &vs->port, &has_port))
		return bad(p, e, "IP:PORT or [IPv6]:PORT");
	if (!has_port) {
		memset(&vs->addr, 0, sizeof(vs->addr));
		cfg_err(p, e->line,
			"%s: missing port in '%s' (write IP:PORT or [IPv6]:PORT)",
			e->key, e->value);
		return -EINVAL;
	}
	return 0;
}

static int s_protocol(struct parser *p, void *obj, const struct key_def *kd,
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
		return bad(p, e, "TCP, UDP or SCTP");
	return 0;
}

static int s_method(struct parser *p, void *obj, const struct key_def *kd,
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
		return bad(p, e, "NAT, DR or TUN");
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

static int s_scheduler(struct parser *p, void *obj, const struct key_def *kd,
		       const struct entry *e)
{
	char err[160] = "";
	int rc;

	if (s_name(p, obj, kd, e))
		return -EINVAL;
	if (!p->hooks->scheduler)
		return 0;
	rc = p->hooks->scheduler(p->hooks->arg, e->value, err, sizeof(err));
	return hook_answer(p, e, rc, err, "scheduler");
}

static int s_checker(struct parser *p, void *obj, const struct key_def *kd,
		     const struct entry *e)
{
	char err[160] = "";
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

static int s_state(struct parser *p, void *obj, const struct key_def *kd,
		   const struct entry *e)
{
	struct model_vrrp *v = obj;

	if (strcasecmp(e->value, "MASTER") == 0)
		v->state = LVSD_VRRP_MASTER;
	else if (strcasecmp(e->value, "BACKUP") == 0)
		v->state = LVSD_VRRP_BACKUP;
	else
		return bad(p, e, "MASTER or BACKUP");
	return 0;
}

static int s_preempt(struct parser *p, void *obj, const struct key_def *kd,
		     const struct entry *e)
{
	struct model_vrrp *v = obj;
	bool b;

	if (cfgval_bool(e->value, &b))
		return bad(p, e, "yes/no/true/false/on/off/1/0");
	v->preempt = strcmp(kd->key, "nopreempt") == 0 ? !b : b;
	return 0;
}

static int s_advert(struct parser *p, void *obj, const struct key_def *kd,
		    const struct entry *e)
{
	if (cfgval_duration_ms(e->value, 40950, &p->advert_ms) ||
	    p->advert_ms < 10 || p->advert_ms % 10) {
		p->advert_ms = 0;
		return bad(p, e,
			   "seconds with centisecond resolution, 0.01 to 40.95");
	}
	return 0;
}

static int s_auth_type(struct parser *p, void *obj, const struct key_def *kd,
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
	return bad(p, e, "PASS");
}

static int s_auth_pass(struct parser *p, void *obj, const struct key_def *kd,
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

static int s_vip(struct parser *p, void *obj, const struct key_def *kd,
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
		return nomem(p);
	tok = strtok_r(copy, " \t", &save);
	if (!tok || cfgval_addr_prefix(tok, &vip.addr, &vip.prefix)) {
		bad(p, e, "ADDR[/PREFIX] [dev IFACE]");
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
			bad(p, e, "an interface name after 'dev'");
			goto out;
		}
		snprintf(vip.ifname, sizeof(vip.ifname), "%s", tok);
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
		rc = nomem(p);
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

static int s_peer(struct parser *p, void *obj, const struct key_def *kd,
		  const struct entry *e)
{
	struct model_vrrp *v = obj;
	struct lvsd_addr a, *nv;

	if (cfgval_addr(e->value, &a))
		return bad(p, e, "an IPv4 or IPv6 address");
	for (size_t i = 0; i < v->n_unicast_peers; i++)
		if (model_addr_eq(&v->unicast_peers[i], &a)) {
			cfg_err(p, e->line, "%s: '%s' given twice", e->key,
				e->value);
			return -EINVAL;
		}
	nv = realloc(v->unicast_peers, (v->n_unicast_peers + 1) * sizeof(*nv));
	if (!nv)
		return nomem(p);
	nv[v->n_unicast_peers++] = a;
	v->unicast_peers = nv;
	return 0;
}

static int s_group(struct parser *p, void *obj, const struct key_def *kd,
		   const struct entry *e)
{
	struct model_strv words = {0};
	struct model_sync_group *g = obj;
	int rc = 0;

	if (cfgval_words(e->value, &words) || !words.n) {
		model_strv_free(&words);
		return bad(p, e, "a list of vrrp instance names");
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
				rc = nomem(p);
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
			rc = nomem(p);
	}
	model_strv_free(&words);
	return rc;
}

/* -------------------------------------------------------- key tables */

#define KEY(k, fn, o) {.key = (k), .set = (fn), .off = (o)}
#define KEYR(k, fn, o, lo, hi) \
	{.key = (k), .set = (fn), .off = (o), .min = (lo), .max = (hi)}
#define ALIAS(k, c, fn, o) {.key = (k), .canon = (c), .set = (fn), .off = (o)}
#define CHECK_KEYS(T)                                                       \
	{.key = "delay_loop", .set = s_ms,                                  \
	 .off = offsetof(T, check.delay_loop_ms), .min = 1, .max = 86400000, \
	 .set_off = offsetof(T, check.set), .bit = MODEL_CHK_DELAY_LOOP},    \
	{.key = "retry", .set = s_u32, .off = offsetof(T, check.retry),      \
	 .min = 0, .max = 1000, .set_off = offsetof(T, check.set),           \
	 .bit = MODEL_CHK_RETRY},                                            \
	{.key = "nb_get_retry", .canon = "retry", .set = s_u32,              \
	 .off = offsetof(T, check.retry), .min = 0, .max = 1000,             \
	 .set_off = offsetof(T, check.set), .bit = MODEL_CHK_RETRY},         \
	{.key = "delay_before_retry", .set = s_ms,                          \
	 .off = offsetof(T, check.delay_before_retry_ms), .min = 0,          \
	 .max = 86400000, .set_off = offsetof(T, check.set),                 \
	 .bit = MODEL_CHK_DELAY_BEFORE_RETRY},                               \
	{.key = "connect_timeout", .set = s_ms,                             \
	 .off = offsetof(T, check.connect_timeout_ms), .min = 1,             \
	 .max = 3600000, .set_off = offsetof(T, check.set),                  \
	 .bit = MODEL_CHK_CONNECT_TIMEOUT},                                  \
	{.key = "warmup", .set = s_ms, .off = offsetof(T, check.warmup_ms),  \
	 .min = 0, .max = 86400000, .set_off = offsetof(T, check.set),       \
	 .bit = MODEL_CHK_WARMUP}

#define GO(f) offsetof(struct model_global, f)
static const struct key_def global_keys[] = {
	KEY("router_id", s_str, GO(router_id)),
	{.key = "plugin_dir", .set = s_str, .off = GO(plugin_dir),
	 .flags = K_ABS},
	{.key = "control_socket", .set = s_str, .off = GO(control_socket),
	 .max = 107, .flags = K_ABS},
	KEY("control_group", s_str, GO(control_group)),
	{.key = "state_file", .set = s_str, .off = GO(state_file),
	 .flags = K_ABS},
	KEY("log_level", s_log_level, GO(log_level)),
	KEY("snmp", s_bool, GO(snmp)),
	KEY("snmp_socket", s_str, GO(snmp_socket)),
	KEY("snmp_traps", s_bool, GO(snmp_traps)),
	{.key = "notification_email", .set = s_email,
	 .off = GO(notification_email), .flags = K_REPEAT},
	KEY("notification_email_from", s_email, GO(notification_email_from)),
	KEY("smtp_server", s_smtp, 0),
	KEYR("smtp_connect_timeout", s_ms, GO(smtp_connect_timeout_ms), 1,
	     3600000),
	CHECK_KEYS(struct model_global),
};

#define VO(f) offsetof(struct model_vs, f)
static const struct key_def vs_keys[] = {
	KEY("address", s_vs_address, 0),
	KEYR("fwmark", s_u32, VO(fwmark), 1, UINT32_MAX),
	KEY("family", s_none, 0),
	KEY("protocol", s_protocol, VO(protocol)),
	KEY("scheduler", s_scheduler, VO(scheduler)),
	ALIAS("lvs_sched", "scheduler", s_scheduler, VO(scheduler)),
	ALIAS("lb_algo", "scheduler", s_scheduler, VO(scheduler)),
	KEY("sched_flags", s_none, 0),
	KEY("method", s_method, VO(method)),
	ALIAS("lvs_method", "method", s_method, VO(method)),
	ALIAS("lb_kind", "method", s_method, VO(method)),
	KEYR("persistence_timeout", s_u32, VO(persistence_timeout), 0,
	     31536000),
	KEY("persistence_granularity", s_none, 0),
	KEY("one_packet", s_bool, VO(one_packet)),
	ALIAS("ops", "one_packet", s_bool, VO(one_packet)),
	CHECK_KEYS(struct model_vs),
	KEYR("quorum", s_u32, VO(quorum), 0, UINT32_MAX),
	KEYR("hysteresis", s_u32, VO(hysteresis), 0, UINT32_MAX),
	KEY("quorum_up", s_argv, VO(quorum_up)),
	KEY("quorum_down", s_argv, VO(quorum_down)),
	KEY("sorry_server", s_none, 0),
	KEY("sorry_server_inhibit", s_bool, VO(sorry_server_inhibit)),
	KEY("alpha", s_bool, VO(alpha)),
	KEY("omega", s_bool, VO(omega)),
	KEY("inhibit_on_failure", s_bool, VO(inhibit_on_failure)),
	KEYR("slowstart", s_ms, VO(slowstart_ms), 0, 86400000),
	KEY("virtualhost", s_str, VO(virtualhost)),
};

#define RO(f) offsetof(struct model_rs, f)
static const struct key_def rs_keys[] = {
	KEYR("weight", s_u32, RO(weight), 0, 2147483647),
	{.key = "method", .set = s_method, .off = RO(method),
	 .set_off = RO(set), .bit = MODEL_RS_METHOD},
	KEYR("uthreshold", s_u32, RO(uthreshold), 0, UINT32_MAX),
	KEYR("lthreshold", s_u32, RO(lthreshold), 0, UINT32_MAX),
	{.key = "inhibit_on_failure", .set = s_bool,
	 .off = RO(inhibit_on_failure), .set_off = RO(set),
	 .bit = MODEL_RS_INHIBIT},
	{.key = "slowstart", .set = s_ms, .off = RO(slowstart_ms),
	 .max = 86400000, .set_off = RO(set), .bit = MODEL_RS_SLOWSTART},
	KEY("notify_up", s_argv, RO(notify_up)),
	KEY("notify_down", s_argv, RO(notify_down)),
	KEY("check", s_checker, RO(checker)),
	KEY("connect_ip", s_addr, RO(connect_ip)),
	KEYR("connect_port", s_u16, RO(connect_port), 1, 65535),
	KEY("bind_to", s_addr, RO(bind_to)),
	CHECK_KEYS(struct model_rs),
	KEYR("fwmark", s_u32, RO(check_fwmark), 1, UINT32_MAX),
};

#define IO(f) offsetof(struct model_vrrp, f)
static const struct key_def vrrp_keys[] = {
	KEY("state", s_state, 0),
	KEY("interface", s_ifname, IO(interface)),
	KEYR("virtual_router_id", s_u8, IO(vrid), 1, 255),
	KEYR("priority", s_u8, IO(priority), 1, 255),
	KEY("nopreempt", s_preempt, 0),
	KEY("preempt", s_preempt, 0),
	KEYR("preempt_delay", s_ms, IO(preempt_delay_ms), 0, 1000000),
	KEY("advert_int", s_advert, 0),
	KEYR("version", s_int, IO(version), 2, 3),
	KEY("auth_type", s_auth_type, 0),
	KEY("auth_pass", s_auth_pass, 0),
	{.key = "virtual_ipaddress", .set = s_vip, .flags = K_REPEAT},
	{.key = "track_interface", .set = s_push_ifname,
	 .off = IO(track_interface), .flags = K_REPEAT},
	KEY("unicast_src_ip", s_addr, IO(unicast_src)),
	{.key = "unicast_peer", .set = s_peer, .flags = K_REPEAT},
	KEYR("garp_master_repeat", s_u32, IO(garp_master_repeat), 0, 1000),
	KEYR("garp_interval", s_ms, IO(garp_interval_ms), 0, 60000),
	KEY("notify_master", s_argv, IO(notify_master)),
	KEY("notify_backup", s_argv, IO(notify_backup)),
	KEY("notify_fault", s_argv, IO(notify_fault)),
};

#define SO(f) offsetof(struct model_sync_group, f)
static const struct key_def sync_keys[] = {
	{.key = "group", .set = s_group, .flags = K_REPEAT},
	KEY("notify_master", s_argv, SO(notify_master)),
	KEY("notify_backup", s_argv, SO(notify_backup)),
	KEY("notify_fault", s_argv, SO(notify_fault)),
};

#define NKEYS(t) (sizeof(t) / sizeof((t)[0]))

static const struct key_def *table(enum sect_kind kind, size_t *n)
{
	switch (kind) {
	case SK_GLOBAL:
		*n = NKEYS(global_keys);
		return global_keys;
	case SK_VS:
		*n = NKEYS(vs_keys);
		return vs_keys;
	case SK_RS:
		*n = NKEYS(rs_keys);
		return rs_keys;
	case SK_VRRP:
		*n = NKEYS(vrrp_keys);
		return vrrp_keys;
	case SK_SYNC:
		*n = NKEYS(sync_keys);
		return sync_keys;
	default:
		*n = 0;
		return NULL;
	}
}

/* Index of the key (or of the key it is an alias of), or -1. */
static int key_index(const struct key_def *t, size_t n, const char *key,
		     bool canon)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(t[i].key, key) != 0)
			continue;
		if (canon && t[i].canon)
			return key_index(t, n, t[i].canon, false);
		return (int)i;
	}
	return -1;
}

bool cfg_key_repeatable(enum sect_kind kind, const char *key)
{
	size_t n;
	const struct key_def *t = table(kind, &n);
	int i = t ? key_index(t, n, key, false) : -1;

	return i >= 0 && (t[i].flags & K_REPEAT);
}

/* The line where key (canonical name) was first given, 0 if not. */
static unsigned seen(const struct parser *p, const char *key)
{
	size_t n;
	const struct key_def *t = table(p->kind, &n);
	int i = key_index(t, n, key, false);

	return i >= 0 ? p->seen[i] : 0;
}

/* Was key (canonical name) given with a good value? */
static bool good(const struct parser *p, const char *key)
{
	size_t n;
	const struct key_def *t = table(p->kind, &n);
	int i = key_index(t, n, key, false);

	return i >= 0 && p->seen[i] && !p->failed[i];
}

/* The entry that set key (canonical name), or NULL. */
static const struct entry *entry_of(const struct parser *p, const char *key)
{
	size_t n;
	const struct key_def *t = table(p->kind, &n);
	int want = key_index(t, n, key, false);

	for (size_t i = 0; i < p->n_ent; i++)
		if (p->ent[i].used &&
		    key_index(t, n, p->ent[i].key, true) == want)
			return &p->ent[i];
	return NULL;
}

/* ---------------------------------------------------- section headers */

void cfg_section_header(struct parser *p, char *s)
{
	char *end = NULL, *tok[4], *save = NULL, *t;
	int nt = 0;

	cfg_section_finish(p);
	p->sect_line = p->lineno;
	p->kind = SK_SKIP;
	for (char *c = strchr(s, ']'); c; c = strchr(c + 1, ']')) {
		char *r = c + 1;

		while (isspace((unsigned char)*r))
			r++;
		if (!*r || *r == ';' || *r == '#') {
			end = c;
			break;
		}
	}
	if (!end) {
		cfg_err(p, p->lineno,
			strchr(s, ']') ? "unexpected text after section header: %s"
				       : "section header without closing ']': %s",
			s);
		return;
	}
	*end = '\0';
	for (t = strtok_r(s + 1, " \t", &save); t;
	     t = strtok_r(NULL, " \t", &save))
		if (nt++ < 4)
			tok[nt - 1] = t;
	if (nt == 0) {
		cfg_err(p, p->lineno, "empty section header []");
		return;
	}
	snprintf(p->sect_title, sizeof(p->sect_title), "%s%s%s%s%s", tok[0],
		 nt > 1 ? " " : "", nt > 1 ? tok[1] : "", nt > 2 ? " " : "",
		 nt > 2 ? tok[2] : "");

	if (strcmp(tok[0], "global") == 0) {
		if (nt != 1) {
			cfg_err(p, p->lineno, "[global] takes no name");
			return;
		}
		if (p->global_line) {
			cfg_err(p, p->lineno,
				"duplicate section [global] (first at line %u)",
				p->global_line);
			return;
		}
		p->global_line = p->lineno;
		p->m->global.line = p->lineno;
		p->kind = SK_GLOBAL;
		return;
	}

	enum sect_kind kind;
	int want;

	if (strcmp(tok[0], "virtual_server") == 0)
		kind = SK_VS, want = 2;
	else if (strcmp(tok[0], "real_server") == 0)
		kind = SK_RS, want = 3;
	else if (strcmp(tok[0], "vrrp") == 0 ||
		 strcmp(tok[0], "vrrp_instance") == 0)
		kind = SK_VRRP, want = 2;
	else if (strcmp(tok[0], "vrrp_sync_group") == 0)
		kind = SK_SYNC, want = 2;
	else {
		cfg_err(p, p->lineno,
			"unknown section [%s] (expected global, virtual_server, real_server, vrrp or vrrp_sync_group)",
			tok[0]);
		return;
	}
	if (nt != want) {
		cfg_err(p, p->lineno, "expected [%s %s], got [%s]", tok[0],
			kind == SK_RS ? "VSNAME ADDR[:PORT]" : "NAME",
			p->sect_title);
		return;
	}
	if (cfgval_name(tok[1])) {
		cfg_err(p, p->lineno,
			"bad name '%s' in [%s]: use letters, digits, '_', '.', '-' (at most %d)",
			tok[1], tok[0], MODEL_NAME_MAX - 1);
		return;
	}
	snprintf(p->sect_name, sizeof(p->sect_name), "%s", tok[1]);
	if (kind == SK_RS &&
	    cfgval_addrport(tok[2], true, &p->rs_addr, &p->rs_port,
			    &p->rs_port_given)) {
		cfg_err(p, p->lineno,
			"bad real server address '%s': expected ADDR[:PORT] or [IPv6][:PORT]",
			tok[2]);
		return;
	}
	p->kind = kind;
	switch (kind) {
	case SK_VS:
		model_vs_init(&p->vs, NULL);
		snprintf(p->vs.name, sizeof(p->vs.name), "%s", tok[1]);
		p->vs.line = p->lineno;
		break;
	case SK_RS:
		model_rs_init(&p->rs);
		snprintf(p->rs.vs_name, sizeof(p->rs.vs_name), "%s", tok[1]);
		p->rs.line = p->lineno;
		p->rs.addr = p->rs_addr;
		p->rs.port = p->rs_port;
		p->checker_bad = false;
		break;
	case SK_VRRP:
		model_vrrp_init(&p->vrrp);
		snprintf(p->vrrp.name, sizeof(p->vrrp.name), "%s", tok[1]);
		p->vrrp.line = p->lineno;
		p->advert_ms = 0;
		p->vip_line = 0;
		break;
	case SK_SYNC:
		memset(&p->sg, 0, sizeof(p->sg));
		snprintf(p->sg.name, sizeof(p->sg.name), "%s", tok[1]);
		p->sg.line = p->lineno;
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------ section ends */

static void missing(struct parser *p, const char *key)
{
	cfg_err(p, p->sect_line, "[%s]: missing required key '%s'",
		p->sect_title, key);
}

static void finish_vs(struct parser *p)
{
	struct model_vs *vs = &p->vs;
	unsigned la = seen(p, "address"), lf = seen(p, "fwmark");
	const struct entry *e;
	char kb[INET6_ADDRSTRLEN + 32];
	int fam = 0;

	if (!la && !lf)
		cfg_err(p, p->sect_line,
			"[%s]: missing required key 'address' (or 'fwmark')",
			p->sect_title);
	if (la && lf)
		cfg_err(p, la > lf ? la : lf,
			"'address' and 'fwmark' exclude each other (lines %u and %u)",
			la < lf ? la : lf, la > lf ? la : lf);
	if ((e = entry_of(p, "family"))) {
		if (strcmp(e->value, "inet") == 0 ||
		    strcmp(e->value, "ipv4") == 0)
			fam = AF_INET;
		else if (strcmp(e->value, "inet6") == 0 ||
			 strcmp(e->value, "ipv6") == 0)
			fam = AF_INET6;
		else
			bad(p, e, "inet or inet6");
	}
	if (vs->fwmark) {
		vs->af = fam ? fam : AF_INET;
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
	if ((e = entry_of(p, "persistence_granularity"))) {
		struct lvsd_addr mask;
		uint32_t v;

		if (vs->af == AF_INET6) {
			if (cfgval_u32(e->value, 1, 128, &v))
				bad(p, e, "an IPv6 prefix length 1..128");
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
			bad(p, e, "an IPv4 netmask (255.255.255.0) or prefix length 1..32");
		}
	}
	if ((e = entry_of(p, "sched_flags"))) {
		if (cfgval_words(e->value, &vs->sched_flags))
			bad(p, e, "a list of flags like sh-fallback, sh-port");
		for (size_t i = 0; i < vs->sched_flags.n; i++) {
			const char *f = vs->sched_flags.v[i];
			char err[160] = "";
			uint32_t bit = 0;
			int rc;

			if (p->hooks->sched_flag)
				rc = p->hooks->sched_flag(p->hooks->arg,
							  vs->scheduler, f,
							  &bit, err,
							  sizeof(err));
			else
				rc = cfg_sched_flag_builtin(f, &bit);
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
	if (vs->one_packet && !vs->fwmark && vs->protocol != IPPROTO_UDP)
		cfg_err(p, seen(p, "one_packet"),
			"one_packet: one-packet scheduling is for protocol UDP only");
	if ((e = entry_of(p, "sorry_server"))) {
		bool has_port;

		if (cfgval_addrport(e->value, true, &vs->sorry_server,
				    &vs->sorry_port, &has_port))
			bad(p, e, "IP[:PORT] or [IPv6][:PORT]");
		else if (vs->sorry_server.family != vs->af)
			cfg_err(p, e->line,
				"sorry_server: %s is not of the virtual server's family",
				e->value);
		else if (!has_port)
			vs->sorry_port = vs->port;
	}
	if (vs->virtualhost)
		vs->virtualhost_line = seen(p, "virtualhost");

	for (size_t i = 0; i < p->m->n_vs; i++) {
		const struct model_vs *o = &p->m->vs[i];

		if (strcmp(o->name, vs->name) == 0) {
			cfg_err(p, p->sect_line,
				"duplicate [virtual_server %s] (first at line %u)",
				vs->name, o->line);
			model_vs_clear(vs);
			return;
		}
		if ((vs->fwmark || vs->addr.family) && model_vs_key_eq(o, vs)) {
			cfg_err(p, p->sect_line,
				"[virtual_server %s]: service %s is already [virtual_server %s] at line %u",
				vs->name, model_vs_key_str(vs, kb, sizeof(kb)),
				o->name, o->line);
			model_vs_clear(vs);
			return;
		}
	}
	if (model_add_vs(p->m, vs)) {
		model_vs_clear(vs);
		nomem(p);
	}
	memset(vs, 0, sizeof(*vs));
}

static void finish_rs(struct parser *p)
{
	struct model_rs *rs = &p->rs;

	for (size_t i = 0; i < p->n_ent; i++) {
		const struct entry *e = &p->ent[i];
		char err[160] = "";
		struct model_kv *nv;
		int rc = 0;

		if (e->used)
			continue;
		if (!rs->checker[0]) {
			if (!p->checker_bad)
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
			cfg_err(p, e->line,
				"unknown key '%s' in [%s]: neither a real_server key nor an option of checker %s",
				e->key, p->sect_title, rs->checker);
			continue;
		}
		if (rc) {
			cfg_err(p, e->line, "%s: %s", e->key,
				*err ? err : "refused by the checker");
			continue;
		}
		nv = realloc(rs->opts, (rs->n_opts + 1) * sizeof(*nv));
		if (!nv) {
			nomem(p);
			break;
		}
		rs->opts = nv;
		nv[rs->n_opts].key = strdup(e->key);
		nv[rs->n_opts].value = strdup(e->value);
		nv[rs->n_opts].line = e->line;
		if (!nv[rs->n_opts].key || !nv[rs->n_opts].value) {
			free(nv[rs->n_opts].key);
			free(nv[rs->n_opts].value);
			nomem(p);
			break;
		}
		rs->n_opts++;
	}
	if (rs->uthreshold && rs->lthreshold >= rs->uthreshold)
		cfg_err(p, seen(p, "lthreshold"),
			"lthreshold (%u) must be below uthreshold (%u)",
			rs->lthreshold, rs->uthreshold);
	if (p->m->n_rs == p->cap_rspg) {
		size_t ncap = p->cap_rspg ? p->cap_rspg * 2 : 16;
		bool *nv = realloc(p->rs_port_given_v, ncap * sizeof(*nv));

		if (!nv) {
			model_rs_clear(rs);
			nomem(p);
			return;
		}
		p->rs_port_given_v = nv;
		p->cap_rspg = ncap;
	}
	if (model_add_rs(p->m, rs)) {
		model_rs_clear(rs);
		nomem(p);
		return;
	}
	p->rs_port_given_v[p->m->n_rs - 1] = p->rs_port_given;
	memset(rs, 0, sizeof(*rs));
}

static void finish_vrrp(struct parser *p)
{
	struct model_vrrp *v = &p->vrrp;
	const struct entry *e;
	unsigned l;

	if (!seen(p, "interface"))
		missing(p, "interface");
	if (!seen(p, "virtual_router_id"))
		missing(p, "virtual_router_id");
	if (!v->n_vips && !seen(p, "virtual_ipaddress"))
		missing(p, "virtual_ipaddress");
	if (v->n_vips)
		v->family = v->vips[0].addr.family;
	if ((l = seen(p, "version"))) {
		if (v->version == 2 && v->family == AF_INET6)
			cfg_err(p, l,
				"version: VRRP version 2 is IPv4 only; use version = 3 for IPv6 addresses");
	} else if (v->family == AF_INET6) {
		v->version = 3;
	}
	if ((e = entry_of(p, "advert_int")) && p->advert_ms) {
		if (v->version == 2 &&
		    (p->advert_ms % 1000 || p->advert_ms > 255000))
			cfg_err(p, e->line,
				"advert_int: VRRP version 2 needs whole seconds 1..255, got '%s' (use version = 3 for less)",
				e->value);
		else
			v->advert_int_cs = p->advert_ms / 10;
	}
	if (good(p, "auth_type")) {
		l = seen(p, "auth_type");
		if (v->version == 3)
			cfg_err(p, l,
				"auth_type: authentication is VRRP version 2 only (RFC 5798 removed it)");
		if (!seen(p, "auth_pass"))
			cfg_err(p, l, "auth_type: PASS needs 'auth_pass'");
	} else if (!seen(p, "auth_type") && (l = seen(p, "auth_pass"))) {
		cfg_err(p, l, "auth_pass: needs 'auth_type = PASS'");
	}
	if (v->priority == 255 && v->state != LVSD_VRRP_MASTER)
		cfg_err(p, seen(p, "priority"),
			"priority: 255 is for the address owner, which must have state = MASTER");
	if (seen(p, "preempt") && seen(p, "nopreempt")) {
		unsigned a = seen(p, "preempt"), b = seen(p, "nopreempt");

		cfg_err(p, a > b ? a : b,
			"'preempt' and 'nopreempt' both given (lines %u and %u); use one",
			a < b ? a : b, a > b ? a : b);
	}
	if (!v->preempt && v->state == LVSD_VRRP_MASTER)
		cfg_err(p, seen(p, "nopreempt") ? seen(p, "nopreempt")
						: seen(p, "preempt"),
			"nopreempt needs state = BACKUP (an instance that starts as MASTER preempts)");
	for (size_t i = 0; i < v->n_vips; i++)
		if (!v->vips[i].ifname[0])
			snprintf(v->vips[i].ifname, sizeof(v->vips[i].ifname),
				 "%s", v->interface);
	if (v->unicast_src.family && v->n_vips &&
	    v->unicast_src.family != v->family)
		cfg_err(p, seen(p, "unicast_src_ip"),
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
			model_vrrp_clear(v);
			return;
		}
		if (v->vrid && o->vrid == v->vrid && o->family == v->family &&
		    strcmp(o->interface, v->interface) == 0) {
			cfg_err(p, p->sect_line,
				"[vrrp %s]: virtual_router_id %u on %s (%s) is already used by [vrrp %s] at line %u",
				v->name, v->vrid, v->interface,
				v->family == AF_INET6 ? "IPv6" : "IPv4",
				o->name, o->line);
			model_vrrp_clear(v);
			return;
		}
	}
	if (model_add_vrrp(p->m, v)) {
		model_vrrp_clear(v);
		nomem(p);
	}
	memset(v, 0, sizeof(*v));
}

static void finish_sync(struct parser *p)
{
	struct model_sync_group *g = &p->sg;

	if (!seen(p, "group"))
		missing(p, "group");
	for (size_t i = 0; i < p->m->n_sync; i++)
		if (strcmp(p->m->sync[i].name, g->name) == 0) {
			cfg_err(p, p->sect_line,
				"duplicate [vrrp_sync_group %s] (first at line %u)",
				g->name, p->m->sync[i].line);
			/* its members must not be linked */
			while (p->n_sgr && p->sgr[p->n_sgr - 1].sg == p->m->n_sync)
				p->n_sgr--;
			model_sync_group_clear(g);
			return;
		}
	if (model_add_sync_group(p->m, g)) {
		model_sync_group_clear(g);
		nomem(p);
	}
	memset(g, 0, sizeof(*g));
}

void cfg_section_finish(struct parser *p)
{
	size_t n;
	const struct key_def *t = table(p->kind, &n);
	void *obj = NULL;

	switch (p->kind) {
	case SK_GLOBAL:
		obj = &p->m->global;
		break;
	case SK_VS:
		obj = &p->vs;
		break;
	case SK_RS:
		obj = &p->rs;
		break;
	case SK_VRRP:
		obj = &p->vrrp;
		break;
	case SK_SYNC:
		obj = &p->sg;
		break;
	default:
		break;
	}
	memset(p->seen, 0, sizeof(p->seen));
	memset(p->failed, 0, sizeof(p->failed));
	for (size_t i = 0; obj && !p->oom && i < p->n_ent; i++) {
		struct entry *e = &p->ent[i];
		int ki = key_index(t, n, e->key, false);
		int ci = key_index(t, n, e->key, true);

		if (ki < 0) {
			if (p->kind != SK_RS)
				cfg_err(p, e->line, "unknown key '%s' in [%s]",
					e->key, p->sect_title);
			continue;
		}
		e->used = true;
		if (p->seen[ci] && !(t[ki].flags & K_REPEAT)) {
			cfg_err(p, e->line,
				"'%s' given twice in [%s] (first at line %u)",
				e->key, p->sect_title, p->seen[ci]);
			e->used = false;
			continue;
		}
		if (!p->seen[ci])
			p->seen[ci] = e->line;
		if (t[ki].set(p, obj, &t[ki], e) != 0)
			p->failed[ci] = true;
		else if (t[ki].bit)
			*(uint32_t *)((char *)obj + t[ki].set_off) |= t[ki].bit;
	}
	if (!p->oom) {
		switch (p->kind) {
		case SK_VS:
			finish_vs(p);
			break;
		case SK_RS:
			finish_rs(p);
			break;
		case SK_VRRP:
			finish_vrrp(p);
			break;
		case SK_SYNC:
			finish_sync(p);
			break;
		default:
			break;
		}
	}
	/* on out of memory the objects may still hold allocations */
	model_vs_clear(&p->vs);
	model_rs_clear(&p->rs);
	model_vrrp_clear(&p->vrrp);
	model_sync_group_clear(&p->sg);
	for (size_t i = 0; i < p->n_ent; i++) {
		free(p->ent[i].key);
		free(p->ent[i].value);
	}
	p->n_ent = 0;
	p->kind = SK_NONE;
}

/* ---------------------------------------------------------- the links */

int cfg_sched_flag_builtin(const char *flag, uint32_t *bit)
{
	static const struct {
		const char *name;
		uint32_t bit;
	} f[] = {
		{"flag-1", IP_VS_SVC_F_SCHED1},      {"flag-2", IP_VS_SVC_F_SCHED2},
		{"flag-3", IP_VS_SVC_F_SCHED3},      {"sh-fallback", IP_VS_SVC_F_SCHED1},
		{"sh-port", IP_VS_SVC_F_SCHED2},     {"mh-fallback", IP_VS_SVC_F_SCHED1},
		{"mh-port", IP_VS_SVC_F_SCHED2},
	};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (strcmp(flag, f[i].name) == 0) {
			*bit = f[i].bit;
			return 0;
		}
	return -ENOENT;
}

static void inherit_check(struct model_check_params *dst,
			  const struct model_check_params *src)
{
	if (!(dst->set & MODEL_CHK_DELAY_LOOP))
		dst->delay_loop_ms = src->delay_loop_ms;
	if (!(dst->set & MODEL_CHK_RETRY))
		dst->retry = src->retry;
	if (!(dst->set & MODEL_CHK_DELAY_BEFORE_RETRY))
		dst->delay_before_retry_ms = src->delay_before_retry_ms;
	if (!(dst->set & MODEL_CHK_CONNECT_TIMEOUT))
		dst->connect_timeout_ms = src->connect_timeout_ms;
	if (!(dst->set & MODEL_CHK_WARMUP))
		dst->warmup_ms = src->warmup_ms;
}

/* A virtual server's virtualhost becomes its real servers' checker
 * option, unless they have their own or the checker has no such option. */
static void inherit_virtualhost(struct parser *p, struct model_rs *rs,
				const struct model_vs *vs)
{
	char err[160] = "";
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
		return;
	}
	nv = realloc(rs->opts, (rs->n_opts + 1) * sizeof(*nv));
	if (!nv) {
		nomem(p);
		return;
	}
	rs->opts = nv;
	nv[rs->n_opts].key = strdup("virtualhost");
	nv[rs->n_opts].value = strdup(vs->virtualhost);
	nv[rs->n_opts].line = vs->virtualhost_line;
	if (!nv[rs->n_opts].key || !nv[rs->n_opts].value) {
		free(nv[rs->n_opts].key);
		free(nv[rs->n_opts].value);
		nomem(p);
		return;
	}
	rs->n_opts++;
}

/* "10.0.0.51:80", or "10.0.0.51" if the port was not written (yet). */
static const char *rs_str(const struct parser *p, size_t i, char *buf,
			  size_t len)
{
	const struct model_rs *rs = &p->m->rs[i];

	if (p->rs_port_given_v[i] || rs->port)
		return model_addrport_str(&rs->addr, rs->port, buf, len);
	return model_addr_str(&rs->addr, buf, len);
}

void cfg_link(struct parser *p)
{
	struct model *m = p->m;
	char ab[INET6_ADDRSTRLEN + 16];

	for (size_t i = 0; i < m->n_vs; i++)
		inherit_check(&m->vs[i].check, &m->global.check);

	for (size_t i = 0; i < m->n_rs && !p->oom; i++) {
		struct model_rs *rs = &m->rs[i];
		struct model_vs *vs = model_find_vs(m, rs->vs_name);

		if (!vs) {
			cfg_err(p, rs->line,
				"[real_server %s %s]: unknown virtual server '%s'",
				rs->vs_name, rs_str(p, i, ab, sizeof(ab)),
				rs->vs_name);
			continue;
		}
		rs->vs = (size_t)(vs - m->vs);
		if (!p->rs_port_given_v[i])
			rs->port = vs->fwmark ? 0 : vs->port;
		if (!(rs->set & MODEL_RS_METHOD))
			rs->method = vs->method;
		if (!(rs->set & MODEL_RS_INHIBIT))
			rs->inhibit_on_failure = vs->inhibit_on_failure;
		if (!(rs->set & MODEL_RS_SLOWSTART))
			rs->slowstart_ms = vs->slowstart_ms;
		inherit_check(&rs->check, &vs->check);
		if (rs->addr.family != vs->af && rs->method != MODEL_METHOD_TUN)
			cfg_err(p, rs->line,
				"[real_server %s %s]: an %s real server in an %s virtual server needs method = TUN",
				rs->vs_name,
				model_addrport_str(&rs->addr, rs->port, ab,
						   sizeof(ab)),
				rs->addr.family == AF_INET6 ? "IPv6" : "IPv4",
				vs->af == AF_INET6 ? "IPv6" : "IPv4");
		inherit_virtualhost(p, rs, vs);
		for (size_t j = 0; j < i; j++) {
			const struct model_rs *o = &m->rs[j];

			if (o->port == rs->port &&
			    model_addr_eq(&o->addr, &rs->addr) &&
			    strcmp(o->vs_name, rs->vs_name) == 0) {
				cfg_err(p, rs->line,
					"duplicate real server %s in virtual server %s (first at line %u)",
					model_addrport_str(&rs->addr, rs->port,
							   ab, sizeof(ab)),
					rs->vs_name, o->line);
				break;
			}
		}
	}

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
}

void cfg_parser_free(struct parser *p)
{
	cfg_section_finish(p); /* frees a section left by an error */
	free(p->ent);
	p->ent = NULL;
	p->cap_ent = 0;
	free(p->rs_port_given_v);
	p->rs_port_given_v = NULL;
	free(p->sgr);
	p->sgr = NULL;
}
