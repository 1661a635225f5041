/* kalvs.c — keepalived.conf's virtual_server_group, virtual_server and
 * real_server blocks with their checkers, as lvsd.ini's
 * [virtual_server_group], [virtual_server] and [real_server] sections.
 */
#include "kaemit_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


static const struct ka_node *kl_find(const struct ka_node *blk, const char *kw)
{
	const struct ka_node *found = NULL;

	if (!blk)
		return NULL;
	for (const struct ka_node *n = blk->child; n; n = n->next)
		if (ke_is(n, kw))
			found = n; /* the last wins, as in keepalived */
	return found;
}

static void origin(char *buf, size_t len, const struct ka_node *n)
{
	size_t o = (size_t)snprintf(buf, len, "%s:%u:", n->file, n->line);

	for (size_t i = 0; i < n->argc && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, " %s", n->argv[i]);
}

/* ------------------------------------------------------------ groups */

void kalvs_group(struct ka_emit *e, const struct ka_node *blk)
{
	struct ini_sect *s;
	char org[512];

	if (!ke_shape(e, blk, 1, 1, 1))
		return;
	origin(org, sizeof(org), blk);
	s = ini_sect_add(e->d, org, "virtual_server_group %s",
			 ke_name(e, blk->argv[1]));
	for (const struct ka_node *n = blk->child; n; n = n->next) {
		char *hp;

		if (n->has_block) {
			ke_left(e, n, "takes no { } block");
		} else if (ke_is(n, "fwmark")) {
			if (!ke_shape(e, n, 1, 2, 0))
				continue;
			ini_add(e->d, s, "fwmark", "%s", n->argv[1]);
			if (n->argc == 3 && strcmp(n->argv[2], "inet"))
				ke_left(e, n,
					"%s: a group's fwmarks take the family of its [virtual_server] (family = ...)",
					n->argv[2]);
		} else if (n->argc == 2) {
			/* IP PORT, or a range IP-LAST PORT */
			if (!(hp = ke_hostport(n->argv[0], n->argv[1]))) {
				e->d->oom = 1;
				continue;
			}
			ini_add(e->d, s, "address", "%s", hp);
			free(hp);
		} else {
			ke_left(e, n,
				"expects IP PORT, IP-LAST PORT or fwmark N in virtual_server_group");
		}
	}
}

/* ------------------------------------------------------------ checkers */

struct rs_ctx {
	const struct ka_node *vs, *rs, *chk;
	struct ini_sect *s;
	const char *check;	/* lvsd's checker name */
};

/* The nearest of checker, real server, virtual server that sets KW. */
static const struct ka_node *inherited(const struct rs_ctx *c, const char *kw)
{
	const struct ka_node *n = kl_find(c->chk, kw);

	if (!n)
		n = kl_find(c->rs, kw);
	if (!n)
		n = kl_find(c->vs, kw);
	return n;
}

static void url_block(struct ka_emit *e, const struct ka_node *u,
		      struct rs_ctx *c, int several)
{
	const char *path = "/", *digest = NULL;
	char *codes = NULL;

	for (const struct ka_node *n = u->child; n; n = n->next) {
		if (ke_is(n, "path")) {
			if (ke_shape(e, n, 1, 1, 0))
				path = n->argv[1];
		} else if (ke_is(n, "digest")) {
			if (ke_shape(e, n, 1, 1, 0))
				digest = n->argv[1];
		} else if (ke_is(n, "status_code")) {
			if (!ke_shape(e, n, 1, 0, 0))
				continue;
			free(codes);
			codes = ke_join(e, n, 1, ",");
		} else if (ke_is(n, "virtualhost")) {
			if (!ke_shape(e, n, 1, 1, 0))
				continue;
			if (several)
				ke_left(e, n,
					"lvsd has one virtualhost per real server, not one per url");
			else
				ini_set(e->d, c->s, "virtualhost", "%s",
					n->argv[1]);
		} else {
			ke_left(e, n, "not supported by lvsd in url");
		}
	}
	if (!several) {
		ini_set(e->d, c->s, "path", "%s", path);
		if (codes)
			ini_set(e->d, c->s, "status_code", "%s", codes);
		if (digest)
			ini_set(e->d, c->s, "digest", "%s", digest);
	} else {
		ini_add(e->d, c->s, "url", "%s%s%s%s%s", path,
			codes ? " status=" : "", codes ? codes : "",
			digest ? " digest=" : "", digest ? digest : "");
	}
	free(codes);
}

/* The keys every keepalived checker has (connection, timing); 1 if N
 * was one of them. */
static int common_key(struct ka_emit *e, const struct ka_node *n,
		      struct rs_ctx *c)
{
	if (ke_is(n, "connect_ip") || ke_is(n, "connect_port") || ke_is(n, "fwmark") ||
	    ke_is(n, "connect_timeout") || ke_is(n, "retry") ||
	    ke_is(n, "delay_before_retry") || ke_is(n, "warmup") ||
	    ke_is(n, "delay_loop")) {
		ke_copy1(e, n, c->s, n->argv[0]);
	} else if (ke_is(n, "nb_get_retry")) {
		ke_copy1(e, n, c->s, "retry");
	} else if (ke_is(n, "bindto")) {
		ke_copy1(e, n, c->s, "bind_to");
	} else if (ke_is(n, "bind_port") || ke_is(n, "bind_if")) {
		ke_left(e, n, "lvsd's checks choose their own source port "
			      "and route");
	} else if (ke_is(n, "alpha")) {
		ke_left(e, n, "lvsd has alpha per virtual server: set it "
			      "there");
	} else if (ke_is(n, "log_all_failures")) {
		ke_left(e, n, "lvsd logs each state change once, with its "
			      "reason");
	} else {
		return 0;
	}
	return 1;
}

static void http_check(struct ka_emit *e, struct rs_ctx *c, int ssl)
{
	size_t urls = 0;

	for (const struct ka_node *n = c->chk->child; n; n = n->next)
		urls += ke_is(n, "url");
	for (const struct ka_node *n = c->chk->child; n; n = n->next) {
		if (common_key(e, n, c))
			continue;
		if (ke_is(n, "url")) {
			if (ke_shape(e, n, 0, 0, 1))
				url_block(e, n, c, urls > 1);
		} else if (ke_is(n, "virtualhost") || ke_is(n, "http_protocol")) {
			ke_copy1(e, n, c->s, n->argv[0]);
		} else if (ssl && ke_is(n, "enable_sni")) {
			const char *b = ke_bool(e, n);

			if (b)
				ini_set(e->d, c->s, "enable_sni", "%s", b);
		} else if (ke_is(n, "fast_recovery")) {
			ke_left(e, n, "lvsd checks the urls of a check in one "
				      "run (no delay between them)");
		} else {
			ke_left(e, n, "not supported by lvsd in %s",
				c->chk->argv[0]);
		}
	}
	if (ssl && !ini_get(c->s, "enable_sni")) {
		ini_comment(e->d, c->s,
			    "keepalived sends no SNI without enable_sni");
		ini_set(e->d, c->s, "enable_sni", "no");
	}
	if (ssl && e->ssl) {
		for (const struct ka_node *n = e->ssl->child; n; n = n->next)
			if (n->argc == 2 && !n->has_block &&
			    (ke_is(n, "certificate") || ke_is(n, "key") ||
			     ke_is(n, "password")))
				ini_set(e->d, c->s, n->argv[0], "%s",
					n->argv[1]);
	}
}

static void misc_check(struct ka_emit *e, struct rs_ctx *c)
{
	const struct ka_node *dl;

	for (const struct ka_node *n = c->chk->child; n; n = n->next) {
		if (common_key(e, n, c))
			continue;
		if (ke_is(n, "misc_path")) {
			ke_command(e, n, c->s, "misc_path");
		} else if (ke_is(n, "misc_timeout")) {
			ke_copy1(e, n, c->s, "misc_timeout");
		} else if (ke_is(n, "misc_dynamic")) {
			const char *b = ke_bool(e, n);

			if (b)
				ini_set(e->d, c->s, "misc_dynamic", "%s", b);
		} else if (ke_is(n, "user")) {
			if (!ke_shape(e, n, 1, 2, 0))
				continue;
			ini_set(e->d, c->s, "user", "%s", n->argv[1]);
			if (n->argc == 3)
				ini_set(e->d, c->s, "group", "%s", n->argv[2]);
		} else {
			ke_left(e, n, "not supported by lvsd in MISC_CHECK");
		}
	}
	/* keepalived's defaults where lvsd's differ */
	if (!inherited(c, "retry") && !inherited(c, "nb_get_retry")) {
		ini_comment(e->d, c->s, "keepalived's MISC_CHECK default");
		ini_set(e->d, c->s, "retry", "0");
	}
	if (!ini_get(c->s, "misc_timeout")) {
		dl = inherited(c, "delay_loop");
		ini_comment(e->d, c->s,
			    "keepalived's default misc_timeout: the delay_loop");
		ini_set(e->d, c->s, "misc_timeout", "%s",
			dl && dl->argc == 2 ? dl->argv[1] : "60");
	}
}

static void simple_check(struct ka_emit *e, struct rs_ctx *c)
{
	const char *kw = c->chk->argv[0];

	for (const struct ka_node *n = c->chk->child; n; n = n->next) {
		if (common_key(e, n, c))
			continue;
		if (!strcmp(kw, "DNS_CHECK") && (ke_is(n, "type") || ke_is(n, "name"))) {
			ke_copy1(e, n, c->s, n->argv[0]);
		} else if (!strcmp(kw, "SMTP_CHECK") && ke_is(n, "helo_name")) {
			ke_copy1(e, n, c->s, "helo_name");
		} else if (!strcmp(kw, "SMTP_CHECK") && ke_is(n, "host")) {
			if (!ke_shape(e, n, 0, 0, 1))
				continue;
			if (kl_find(c->chk, "host") != n) {
				ke_left(e, n, "lvsd checks one host per real "
					      "server (the last is used)");
				continue;
			}
			for (const struct ka_node *h = n->child; h; h = h->next)
				if (!common_key(e, h, c))
					ke_left(e, h, "not supported by lvsd "
						      "in host");
		} else if (!strcmp(kw, "UDP_CHECK") && ke_is(n, "payload")) {
			char *v;

			if (!ke_shape(e, n, 1, 0, 0))
				continue;
			if ((v = ke_join(e, n, 1, " ")))
				ini_set(e->d, c->s, "payload", "%s", v);
			free(v);
		} else if (!strcmp(kw, "UDP_CHECK") && ke_is(n, "require_reply")) {
			char *v;

			if (n->has_block) {
				ke_left(e, n, "takes no { } block");
				continue;
			}
			if (n->argc == 1) {
				ini_set(e->d, c->s, "require_reply", "yes");
				continue;
			}
			if ((v = ke_join(e, n, 1, " ")))
				ini_set(e->d, c->s, "require_reply", "%s", v);
			free(v);
		} else if (!strcmp(kw, "UDP_CHECK") &&
			   (ke_is(n, "min_reply_length") ||
			    ke_is(n, "max_reply_length"))) {
			ke_copy1(e, n, c->s, n->argv[0]);
		} else {
			ke_left(e, n, "not supported by lvsd in %s", kw);
		}
	}
	if (!strcmp(kw, "DNS_CHECK") && !inherited(c, "retry") &&
	    !inherited(c, "nb_get_retry")) {
		ini_comment(e->d, c->s, "keepalived's DNS_CHECK default");
		ini_set(e->d, c->s, "retry", "3");
	}
}

static void file_check(struct ka_emit *e, struct rs_ctx *c)
{
	for (const struct ka_node *n = c->chk->child; n; n = n->next) {
		if (ke_is(n, "track_file")) {
			const char *p;

			if (!ke_shape(e, n, 1, 1, 0))
				continue;
			if ((p = ke_track_file_path(e, n->argv[1])))
				ini_set(e->d, c->s, "file", "%s", p);
			else
				ke_left(e, n, "%s: no track_file block of that "
					      "name with a file",
					n->argv[1]);
		} else if (ke_is(n, "dynamic")) {
			if (ke_shape(e, n, 0, 0, 0))
				ini_set(e->d, c->s, "dynamic", "yes");
		} else if (ke_is(n, "weight")) {
			char *v;

			if (!ke_shape(e, n, 1, 2, 0))
				continue;
			if ((v = ke_join(e, n, 1, " ")))
				ini_set(e->d, c->s, "file_weight", "%s", v);
			free(v);
		} else {
			ke_left(e, n, "not supported by lvsd in FILE_CHECK");
		}
	}
	if (!ini_get(c->s, "file_weight")) {
		/* keepalived's default: the track_file block's weight */
		const struct ka_node *tf = kl_find(c->chk, "track_file");

		for (const struct ka_node *t = e->t->root; tf && t;
		     t = t->next) {
			const struct ka_node *w;

			if ((!ke_is(t, "track_file") && !ke_is(t, "vrrp_track_file")) ||
			    t->argc != 2 || tf->argc != 2 ||
			    strcmp(t->argv[1], tf->argv[1]))
				continue;
			w = kl_find(t, "weight");
			if (w && w->argc >= 2) {
				char *v = ke_join(e, w, 1, " ");

				if (v)
					ini_set(e->d, c->s, "file_weight",
						"%s", v);
				free(v);
			}
		}
	}
}

static const char *checker_name(const char *kw)
{
	static const char *const map[][2] = {
		{"HTTP_GET", "HTTP_GET"},     {"SSL_GET", "SSL_GET"},
		{"TCP_CHECK", "TCP"},	      {"UDP_CHECK", "UDP_CHECK"},
		{"DNS_CHECK", "DNS_CHECK"},   {"SMTP_CHECK", "SMTP_CHECK"},
		{"MISC_CHECK", "MISC_CHECK"}, {"FILE_CHECK", "FILE_CHECK"},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(kw, map[i][0]))
			return map[i][1];
	return NULL;
}

static int is_checker(const struct ka_node *n)
{
	return checker_name(n->argv[0]) || ke_is(n, "PING_CHECK") ||
	       ke_is(n, "BFD_CHECK");
}

/* ------------------------------------------------------------ servers */

static int check_param(const struct ka_node *n)
{
	return ke_is(n, "connect_timeout") || ke_is(n, "retry") ||
	       ke_is(n, "nb_get_retry") || ke_is(n, "delay_before_retry") ||
	       ke_is(n, "warmup") || ke_is(n, "delay_loop");
}

static void real_server(struct ka_emit *e, const struct ka_node *vs,
			const struct ka_node *rs, const char *vsname)
{
	struct rs_ctx c = {.vs = vs, .rs = rs};
	char org[512], *hp = NULL;
	int fwm;

	if (!ke_shape(e, rs, 1, 2, 1))
		return;
	origin(org, sizeof(org), rs);
	/* keepalived clears the port of a fwmark service's real server */
	fwm = !strcmp(vs->argv[1], "fwmark");
	if (rs->argc == 3 && strcmp(rs->argv[2], "0") && !fwm) {
		if (!(hp = ke_hostport(rs->argv[1], rs->argv[2]))) {
			e->d->oom = 1;
			return;
		}
		c.s = ini_sect_add(e->d, org, "real_server %s %s", vsname, hp);
	} else if (strchr(rs->argv[1], ':')) {
		c.s = ini_sect_add(e->d, org, "real_server %s [%s]", vsname,
				   rs->argv[1]);
	} else {
		c.s = ini_sect_add(e->d, org, "real_server %s %s", vsname,
				   rs->argv[1]);
	}
	free(hp);
	if (!c.s)
		return;
	if (fwm && rs->argc == 3 && strcmp(rs->argv[2], "0"))
		ini_comment(e->d, c.s,
			    "port %s left out, as keepalived ignores the port of a fwmark service's real server",
			    rs->argv[2]);
	/* the first checker is lvsd's check; keepalived may have several */
	for (const struct ka_node *n = rs->child; n; n = n->next) {
		if (!is_checker(n))
			continue;
		if (!checker_name(n->argv[0])) {
			ke_left(e, n, "lvsd has no such checker");
		} else if (c.chk) {
			ke_left(e, n, "lvsd runs one check per real server "
				      "(the first, %s, is kept)",
				c.chk->argv[0]);
		} else if (ke_shape(e, n, 0, 0, 1)) {
			c.chk = n;
			c.check = checker_name(n->argv[0]);
		}
	}
	for (const struct ka_node *n = rs->child; n; n = n->next) {
		if (is_checker(n)) {
			continue;
		} else if (ke_is(n, "weight") || ke_is(n, "uthreshold") ||
			   ke_is(n, "lthreshold")) {
			ke_copy1(e, n, c.s, n->argv[0]);
		} else if (ke_is(n, "lvs_method") || ke_is(n, "lb_kind")) {
			if (!ke_shape(e, n, 1, 0, 0))
				continue;
			ini_set(e->d, c.s, "method", "%s", n->argv[1]);
			if (n->argc > 2)
				ke_left(e, n, "%s: lvsd's tunnels are IP-in-IP "
					      "only",
					n->argv[2]);
		} else if (ke_is(n, "inhibit_on_failure")) {
			const char *b = ke_bool(e, n);

			if (b)
				ini_set(e->d, c.s, "inhibit_on_failure", "%s",
					b);
		} else if (ke_is(n, "notify_up") || ke_is(n, "notify_down")) {
			ke_command(e, n, c.s, n->argv[0]);
		} else if (ke_is(n, "smtp_alert")) {
			if (ke_bool(e, n))
				ini_comment(e->d, c.s,
					    "smtp_alert: lvsd mails every state change when notification_email is set");
		} else if (check_param(n)) {
			if (!c.chk) {
				if (ke_shape(e, n, 1, 1, 0))
					ini_comment(e->d, c.s,
						    "%s %s: no check here, so it does nothing",
						    n->argv[0], n->argv[1]);
			} else {
				ke_copy1(e, n, c.s,
					 ke_is(n, "nb_get_retry") ? "retry"
							       : n->argv[0]);
			}
		} else if (ke_is(n, "virtualhost")) {
			if (!ke_shape(e, n, 1, 1, 0))
				continue;
			if (c.check && strstr(c.check, "_GET"))
				ini_set(e->d, c.s, "virtualhost", "%s",
					n->argv[1]);
			else
				ini_comment(e->d, c.s,
					    "virtualhost %s: no HTTP check here, so it does nothing",
					    n->argv[1]);
		} else if (ke_is(n, "alpha")) {
			ke_left(e, n, "lvsd has alpha per virtual server: set "
				      "it there");
		} else {
			ke_left(e, n, "not supported by lvsd in real_server");
		}
	}
	if (!c.chk)
		return;
	ini_set(e->d, c.s, "check", "%s", c.check);
	if (!strcmp(c.check, "HTTP_GET") || !strcmp(c.check, "SSL_GET"))
		http_check(e, &c, !strcmp(c.check, "SSL_GET"));
	else if (!strcmp(c.check, "MISC_CHECK"))
		misc_check(e, &c);
	else if (!strcmp(c.check, "FILE_CHECK"))
		file_check(e, &c);
	else
		simple_check(e, &c);
}

/* The section name of a virtual server: snmp_name if given, else made
 * from its address, fwmark or group, with the protocol when not TCP. */
static const char *vs_name(struct ka_emit *e, const struct ka_node *blk)
{
	const struct ka_node *sn = kl_find(blk, "snmp_name");
	const struct ka_node *proto = kl_find(blk, "protocol");
	const struct ka_node *fam = kl_find(blk, "ip_family");
	char want[160];
	const char *p = "";

	if (sn && sn->argc == 2)
		return ke_name(e, sn->argv[1]);
	if (proto && proto->argc == 2 && strcasecmp(proto->argv[1], "TCP"))
		p = strcasecmp(proto->argv[1], "UDP") ? "_sctp" : "_udp";
	if (!strcmp(blk->argv[1], "fwmark"))
		snprintf(want, sizeof(want), "fwmark_%s%s", blk->argv[2],
			 fam && fam->argc == 2 &&
				 !strcmp(fam->argv[1], "inet6")
			 ? "_v6"
			 : "");
	else if (!strcmp(blk->argv[1], "group"))
		snprintf(want, sizeof(want), "group_%s%s", blk->argv[2], p);
	else if (blk->argc == 3)
		snprintf(want, sizeof(want), "vs_%s_%s%s", blk->argv[1],
			 blk->argv[2], p);
	else
		snprintf(want, sizeof(want), "vs_%s%s", blk->argv[1], p);
	return ke_name(e, want);
}

/* keepalived lowers a quorum above the total weight of the real servers
 * to that total (else the sorry server would take every connection even
 * with every real server healthy): the same here, reported. */
static void quorum_clamp(struct ka_emit *e, const struct ka_node *blk,
			 struct ini_sect *s)
{
	const struct ka_node *q = kl_find(blk, "quorum");
	unsigned long long total = 0, want;
	char *end;

	if (!q || q->argc != 2 || q->has_block)
		return;
	errno = 0;
	want = strtoull(q->argv[1], &end, 10);
	if (errno || *end || end == q->argv[1])
		return;
	for (const struct ka_node *n = blk->child; n; n = n->next) {
		const struct ka_node *w;

		if (!ke_is(n, "real_server"))
			continue;
		w = kl_find(n, "weight");
		if (w && w->argc == 2)
			total += strtoull(w->argv[1], NULL, 10);
		else
			total += 1; /* keepalived's default weight */
	}
	if (!total || want <= total)
		return;
	ini_set(e->d, s, "quorum", "%llu", total);
	ka_leftout(e->r, q->file, q->line, "quorum",
		   "%llu exceeds the total weight of the real servers: keepalived lowers it to %llu, so does lvsd-import",
		   want, total);
}

void kalvs_virtual_server(struct ka_emit *e, const struct ka_node *blk)
{
	struct ini_sect *s;
	char org[512], flags[256] = "";
	const char *name;
	char *hp;

	if (!ke_shape(e, blk, 1, 2, 1))
		return;
	if ((!strcmp(blk->argv[1], "fwmark") ||
	     !strcmp(blk->argv[1], "group")) &&
	    blk->argc != 3) {
		ke_left(e, blk, "expects %s and one value", blk->argv[1]);
		return;
	}
	origin(org, sizeof(org), blk);
	name = vs_name(e, blk);
	if (!(s = ini_sect_add(e->d, org, "virtual_server %s", name)))
		return;
	if (!strcmp(blk->argv[1], "fwmark")) {
		ini_set(e->d, s, "fwmark", "%s", blk->argv[2]);
	} else if (!strcmp(blk->argv[1], "group")) {
		ini_set(e->d, s, "group", "%s", blk->argv[2]);
	} else if (blk->argc == 3) {
		if (!(hp = ke_hostport(blk->argv[1], blk->argv[2]))) {
			e->d->oom = 1;
			return;
		}
		ini_set(e->d, s, "address", "%s", hp);
		free(hp);
	} else {
		ke_left(e, blk, "%s: lvsd needs a port (ADDR:PORT), or fwmark",
			blk->argv[1]);
	}
	for (const struct ka_node *n = blk->child; n; n = n->next) {
		if (ke_is(n, "real_server")) {
			continue;
		} else if (ke_is(n, "delay_loop") || ke_is(n, "retry") ||
			   ke_is(n, "delay_before_retry") ||
			   ke_is(n, "connect_timeout") || ke_is(n, "warmup") ||
			   ke_is(n, "persistence_granularity") ||
			   ke_is(n, "quorum") || ke_is(n, "hysteresis") ||
			   ke_is(n, "virtualhost")) {
			ke_copy1(e, n, s, n->argv[0]);
		} else if (ke_is(n, "protocol")) {
			ke_copy1(e, n, s, "protocol");
		} else if (ke_is(n, "nb_get_retry")) {
			ke_copy1(e, n, s, "retry");
		} else if (ke_is(n, "lvs_sched") || ke_is(n, "lb_algo")) {
			ke_copy1(e, n, s, "scheduler");
		} else if (ke_is(n, "lvs_method") || ke_is(n, "lb_kind")) {
			if (!ke_shape(e, n, 1, 0, 0))
				continue;
			ini_set(e->d, s, "method", "%s", n->argv[1]);
			if (n->argc > 2)
				ke_left(e, n, "%s: lvsd's tunnels are IP-in-IP "
					      "only",
					n->argv[2]);
		} else if (ke_is(n, "ip_family")) {
			ke_copy1(e, n, s, "family");
		} else if (ke_is(n, "persistence_timeout")) {
			if (!ke_shape(e, n, 0, 1, 0))
				continue;
			/* a bare persistence_timeout is keepalived's 6 min */
			if (n->argc == 1)
				ini_comment(e->d, s,
					    "persistence_timeout without a value: keepalived's 6 minutes");
			ini_set(e->d, s, "persistence_timeout", "%s",
				n->argc == 2 ? n->argv[1] : "360");
		} else if (ke_is(n, "ops")) {
			const struct ka_node *pr = kl_find(blk, "protocol");

			if (!ke_shape(e, n, 0, 0, 0))
				continue;
			/* keepalived resets it unless the protocol is UDP */
			if (pr && pr->argc == 2 && !strcasecmp(pr->argv[1], "UDP"))
				ini_set(e->d, s, "one_packet", "yes");
			else
				ke_left(e, n,
					"one-packet scheduling needs protocol UDP: keepalived resets it, lvsd refuses it");
		} else if (ke_is(n, "flag-1") || ke_is(n, "flag-2") ||
			   ke_is(n, "flag-3") || ke_is(n, "sh-port") ||
			   ke_is(n, "sh-fallback") || ke_is(n, "mh-port") ||
			   ke_is(n, "mh-fallback")) {
			if (!ke_shape(e, n, 0, 0, 0))
				continue;
			if (!strstr(flags, n->argv[0]) &&
			    strlen(flags) + strlen(n->argv[0]) + 3 <
				    sizeof(flags)) {
				if (*flags)
					strcat(flags, ", ");
				strcat(flags, n->argv[0]);
			}
		} else if (ke_is(n, "alpha") || ke_is(n, "omega") ||
			   ke_is(n, "inhibit_on_failure") ||
			   ke_is(n, "sorry_server_inhibit")) {
			const char *b = ke_bool(e, n);

			if (b)
				ini_set(e->d, s, n->argv[0], "%s", b);
		} else if (ke_is(n, "quorum_up") || ke_is(n, "quorum_down")) {
			ke_command(e, n, s, n->argv[0]);
		} else if (ke_is(n, "sorry_server")) {
			if (!ke_shape(e, n, 1, 2, 0))
				continue;
			if (n->argc == 2) {
				ini_set(e->d, s, "sorry_server", "%s",
					n->argv[1]);
			} else if ((hp = ke_hostport(n->argv[1], n->argv[2]))) {
				ini_set(e->d, s, "sorry_server", "%s", hp);
				free(hp);
			} else {
				e->d->oom = 1;
			}
		} else if (ke_is(n, "smtp_alert")) {
			if (ke_bool(e, n))
				ini_comment(e->d, s,
					    "smtp_alert: lvsd mails every state change when notification_email is set");
		} else if (ke_is(n, "snmp_name")) {
			if (ke_shape(e, n, 1, 1, 0))
				ini_comment(e->d, s,
					    "snmp_name %s: the section's name, as lvsctl and SNMP show it",
					    n->argv[1]);
		} else if (ke_is(n, "sorry_server_lvs_method")) {
			ke_left(e, n, "lvsd's sorry server uses the virtual "
				      "server's method");
		} else if (ke_is(n, "persistence_engine")) {
			ke_left(e, n, "lvsd has no persistence engines (sip)");
		} else if (ke_is(n, "ha_suspend")) {
			ke_left(e, n, "lvsd keeps its virtual servers whatever "
				      "the VRRP state");
		} else {
			ke_left(e, n, "not supported by lvsd in virtual_server");
		}
	}
	if (*flags)
		ini_set(e->d, s, "sched_flags", "%s", flags);
	quorum_clamp(e, blk, s);
	for (const struct ka_node *n = blk->child; n; n = n->next)
		if (ke_is(n, "real_server"))
			real_server(e, blk, n, name);
}
