/* kaemit.c — keepalived.conf's global_defs, vrrp_script, track_file,
 * vrrp_track_process, vrrp_instance and vrrp_sync_group blocks as lvsd.ini
 * sections (kaemit.h); virtual servers are kalvs.c's. Shared helpers too.
 */
#include "kaemit.h"

#include "kaemit_priv.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

void ke_left(struct ka_emit *e, const struct ka_node *n, const char *fmt, ...)
{
	char *why = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&why, fmt, ap) < 0)
		why = NULL;
	va_end(ap);
	ka_leftout(e->r, n->file, n->line, n->argv[0], "%s",
		   why ? why : "not translated");
	free(why);
}

/* What a refused N takes with it: the words after its MAX values and the
 * keywords of an unwanted block, as " (lost with it: ...)"; "" when
 * nothing (a whole block on one line with several keywords reads as one
 * keyword with many values: each one lost is named). malloc'd or NULL. */
static char *lost_with(const struct ka_node *n, size_t max, int block)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int any = 0;

	if (!f)
		return NULL;
	fputs(" (lost with it:", f);
	for (size_t i = max + 1; max && i < n->argc; i++, any = 1)
		fprintf(f, " %s", n->argv[i]);
	if (block && n->has_block) {
		fputs(" {", f);
		for (const struct ka_node *c = n->child; c; c = c->next, any = 1) {
			for (size_t i = 0; i < c->argc; i++)
				fprintf(f, " %s", c->argv[i]);
			if (c->has_block)
				fputs(" {...}", f);
		}
		fputs(" }", f);
	}
	fputs("; keepalived reads one keyword per line)", f);
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	if (!any)
		out[0] = '\0';
	return out;
}

int ke_shape(struct ka_emit *e, const struct ka_node *n, size_t min,
	     size_t max, int want_block)
{
	size_t got = n->argc - 1;
	char *lost;

	if (want_block && !n->has_block) {
		ke_left(e, n, "expects a { } block");
		return 0;
	}
	if (!want_block && n->has_block) {
		lost = lost_with(n, got > max ? max : 0, 1);
		ke_left(e, n, "takes no { } block%s", lost ? lost : "");
		free(lost);
		return 0;
	}
	if (got < min || (max && got > max)) {
		lost = got > max && max ? lost_with(n, max, 0) : NULL;
		if (min == max)
			ke_left(e, n, "expects %zu value%s, not %zu%s", min,
				min == 1 ? "" : "s", got, lost ? lost : "");
		else
			ke_left(e, n, "expects %zu to %zu values, not %zu%s",
				min, max, got, lost ? lost : "");
		free(lost);
		return 0;
	}
	return 1;
}

char *ke_join(struct ka_emit *e, const struct ka_node *n, size_t from,
	      const char *sep)
{
	size_t len = 1, sl = strlen(sep);
	char *s;

	for (size_t i = from; i < n->argc; i++)
		len += strlen(n->argv[i]) + sl;
	if (!(s = malloc(len))) {
		e->d->oom = 1;
		return NULL;
	}
	s[0] = '\0';
	for (size_t i = from; i < n->argc; i++) {
		if (i > from)
			strcat(s, sep);
		strcat(s, n->argv[i]);
	}
	return s;
}

/* Shell syntax outside quotes, which lvsd refuses in a command (it runs
 * no shell): the character, or 0. */
static char shell_char(const char *s)
{
	int q = 0; /* inside '...': keepalived's only quotes in a script */

	for (; *s; s++) {
		if (*s == '\'')
			q = !q;
		else if (q)
			continue;
		else if (*s == '\\' && s[1])
			s++;
		else if (strchr("|&;<>`$", *s))
			return *s;
	}
	return 0;
}

int ke_command(struct ka_emit *e, const struct ka_node *n,
	       struct ini_sect *s, const char *key)
{
	const char *cmd;
	char bad;

	if (!ke_shape(e, n, 1, 3, 0))
		return -EINVAL;
	cmd = n->argv[1];
	if (!*cmd) {
		ke_left(e, n, "empty command");
		return -EINVAL;
	}
	if ((bad = shell_char(cmd))) {
		ke_left(e, n,
			"'%c' in \"%s\" is shell syntax: lvsd runs commands without a shell and refuses it; write /bin/sh -c '...' if a shell is meant",
			bad, cmd);
		return -EINVAL;
	}
	/* keepalived splits a script at blanks outside '...' only: a double
	 * quote left in it (written \" in the file) is a literal character,
	 * which lvsd's splitting needs escaped */
	if (strchr(cmd, '"')) {
		char *esc = malloc(2 * strlen(cmd) + 1), *o = esc, q = 0;

		if (!esc) {
			e->d->oom = 1;
			return -ENOMEM;
		}
		for (const char *p = cmd; *p; p++) {
			if (*p == '\'')
				q = !q;
			if (*p == '"' && !q)
				*o++ = '\\';
			*o++ = *p;
		}
		*o = '\0';
		ini_set(e->d, s, key, "%s", esc);
		free(esc);
	} else {
		ini_set(e->d, s, key, "%s", cmd);
	}
	e->programs++;
	if (n->argc > 2)
		ke_left(e, n,
			"runs as user %s%s%s in keepalived: lvsd runs every script as [global] script_user",
			n->argv[2], n->argc > 3 ? " group " : "",
			n->argc > 3 ? n->argv[3] : "");
	return 0;
}

const char *ke_bool(struct ka_emit *e, const struct ka_node *n)
{
	static const char *const yes[] = {"on", "true", "yes", "1"};
	static const char *const no[] = {"off", "false", "no", "0"};

	if (n->has_block) {
		ke_left(e, n, "takes no { } block");
		return NULL;
	}
	if (n->argc == 1)
		return "yes";
	if (n->argc == 2) {
		for (size_t i = 0; i < 4; i++) {
			if (!strcasecmp(n->argv[1], yes[i]))
				return "yes";
			if (!strcasecmp(n->argv[1], no[i]))
				return "no";
		}
	}
	ke_left(e, n, "expects nothing or one of on|off|true|false|yes|no");
	return NULL;
}

const char *ke_name(struct ka_emit *e, const char *want)
{
	char base[64], cand[80];
	size_t i, len = 0;
	char **nn;

	for (i = 0; want[i] && len < 55; i++) {
		unsigned char c = (unsigned char)want[i];

		base[len++] = (isalnum(c) || c == '_' || c == '.' || c == '-')
				      ? (char)c
				      : '_';
	}
	if (!len)
		base[len++] = '_';
	base[len] = '\0';
	snprintf(cand, sizeof(cand), "%s", base);
	for (unsigned k = 2;; k++) {
		int used = 0;

		for (i = 0; i < e->n_names && !used; i++)
			used = !strcmp(e->names[i], cand);
		if (!used)
			break;
		snprintf(cand, sizeof(cand), "%s_%u", base, k);
	}
	nn = realloc(e->names, (e->n_names + 1) * sizeof(*nn));
	if (!nn || !(nn[e->n_names] = strdup(cand))) {
		if (nn)
			e->names = nn;
		e->d->oom = 1;
		return "_";
	}
	e->names = nn;
	return e->names[e->n_names++];
}

char *ke_hostport(const char *ip, const char *port)
{
	char *s = NULL;

	if (asprintf(&s, strchr(ip, ':') ? "[%s]:%s" : "%s:%s", ip, port) < 0)
		return NULL;
	return s;
}

void ke_copy1(struct ka_emit *e, const struct ka_node *n, struct ini_sect *s,
	      const char *key)
{
	if (ke_shape(e, n, 1, 1, 0))
		ini_set(e->d, s, key, "%s", n->argv[1]);
}


static int is_track_file_block(const struct ka_node *n)
{
	return (ke_is(n, "track_file") || ke_is(n, "vrrp_track_file")) &&
	       n->has_block && n->argc == 2;
}

const char *ke_track_file_path(struct ka_emit *e, const char *name)
{
	for (const struct ka_node *n = e->t->root; n; n = n->next) {
		if (!is_track_file_block(n) || strcmp(n->argv[1], name))
			continue;
		for (const struct ka_node *c = n->child; c; c = c->next)
			if (ke_is(c, "file") && c->argc == 2)
				return c->argv[1];
	}
	return NULL;
}

/* ------------------------------------------------------------ global_defs */

/* What global_defs sets for every vrrp_instance that does not. */
struct vrrp_defaults {
	const struct ka_node *version, *garp_delay, *garp_repeat,
		*garp_refresh, *garp_refresh_repeat, *garp_interval;
};

static void global_defs(struct ka_emit *e, const struct ka_node *blk,
			struct vrrp_defaults *vd)
{
	struct ini_sect *g = e->global;

	for (const struct ka_node *n = blk->child; n; n = n->next) {
		if (ke_is(n, "router_id")) {
			ke_copy1(e, n, g, "router_id");
		} else if (ke_is(n, "notification_email")) {
			if (!ke_shape(e, n, 0, 0, 1))
				continue;
			for (const struct ka_node *c = n->child; c;
			     c = c->next)
				for (size_t i = 0; i < c->argc; i++)
					ini_add(e->d, g, "notification_email",
						"%s", c->argv[i]);
		} else if (ke_is(n, "notification_email_from")) {
			ke_copy1(e, n, g, "notification_email_from");
		} else if (ke_is(n, "smtp_server")) {
			char *hp;

			if (!ke_shape(e, n, 1, 2, 0))
				continue;
			if (n->argc == 2) {
				ini_set(e->d, g, "smtp_server", "%s",
					n->argv[1]);
				continue;
			}
			if (!(hp = ke_hostport(n->argv[1], n->argv[2]))) {
				e->d->oom = 1;
				continue;
			}
			ini_set(e->d, g, "smtp_server", "%s", hp);
			free(hp);
		} else if (ke_is(n, "smtp_connect_timeout")) {
			ke_copy1(e, n, g, "smtp_connect_timeout");
		} else if (ke_is(n, "vrrp_version")) {
			if (ke_shape(e, n, 1, 1, 0))
				vd->version = n;
		} else if (ke_is(n, "vrrp_garp_master_delay")) {
			if (ke_shape(e, n, 1, 1, 0))
				vd->garp_delay = n;
		} else if (ke_is(n, "vrrp_garp_master_repeat")) {
			if (ke_shape(e, n, 1, 1, 0))
				vd->garp_repeat = n;
		} else if (ke_is(n, "vrrp_garp_master_refresh")) {
			if (ke_shape(e, n, 1, 1, 0))
				vd->garp_refresh = n;
		} else if (ke_is(n, "vrrp_garp_master_refresh_repeat")) {
			if (ke_shape(e, n, 1, 1, 0))
				vd->garp_refresh_repeat = n;
		} else if (ke_is(n, "vrrp_garp_interval")) {
			if (ke_shape(e, n, 1, 1, 0))
				vd->garp_interval = n;
		} else if (ke_is(n, "vrrp_rt_priority")) {
			ke_copy1(e, n, g, "vrrp_rt_priority");
		} else if (ke_is(n, "script_user")) {
			if (!ke_shape(e, n, 1, 2, 0))
				continue;
			ini_set(e->d, g, "script_user", "%s", n->argv[1]);
			if (n->argc == 3)
				ke_left(e, n,
					"group %s: lvsd runs scripts with script_user's own group",
					n->argv[2]);
		} else if (ke_is(n, "enable_script_security")) {
			if (ke_shape(e, n, 0, 0, 0))
				ini_comment(e->d, g,
					    "enable_script_security: lvsd always checks who owns each script");
		} else if (ke_is(n, "lvs_timeouts")) {
			static const char *const kw[] = {"tcp", "tcpfin",
							 "udp"};
			size_t i;

			if (!ke_shape(e, n, 2, 6, 0))
				continue;
			for (i = 1; i + 1 < n->argc; i += 2) {
				size_t k;

				for (k = 0; k < 3; k++)
					if (!strcmp(n->argv[i], kw[k]))
						break;
				if (k == 3)
					break;
				ini_set(e->d, g,
					k == 0	 ? "timeout_tcp"
					: k == 1 ? "timeout_tcpfin"
						 : "timeout_udp",
					"%s", n->argv[i + 1]);
			}
			if (i < n->argc)
				ke_left(e, n, "'%s': expects tcp|tcpfin|udp SECS",
					n->argv[i]);
		} else if (ke_is(n, "lvs_sync_daemon")) {
			size_t i = 2;

			if (!ke_shape(e, n, 1, 0, 0))
				continue;
			if (i < n->argc && !strcmp(n->argv[i], "inst"))
				i++;
			if (i >= n->argc ||
			    !strcmp(n->argv[i], "id") ||
			    !strcmp(n->argv[i], "maxlen") ||
			    !strcmp(n->argv[i], "port") ||
			    !strcmp(n->argv[i], "ttl") ||
			    !strcmp(n->argv[i], "group")) {
				ke_left(e, n,
					"no VRRP instance named: lvsd ties the sync daemon to one (lvs_sync_daemon = IFACE INSTANCE)");
				continue;
			}
			ini_set(e->d, g, "lvs_sync_daemon", "%s %s",
				n->argv[1], n->argv[i]);
			for (i++; i < n->argc; i += 2) {
				const char *k = n->argv[i];

				if (i + 1 >= n->argc ||
				    (strcmp(k, "id") && strcmp(k, "maxlen") &&
				     strcmp(k, "port") && strcmp(k, "ttl") &&
				     strcmp(k, "group"))) {
					ke_left(e, n, "'%s': not an option of lvs_sync_daemon",
						k);
					break;
				}
				{
					char key[32];

					snprintf(key, sizeof(key),
						 "lvs_sync_daemon_%s", k);
					ini_set(e->d, g, key, "%s",
						n->argv[i + 1]);
				}
			}
		} else if (ke_is(n, "smtp_alert") || ke_is(n, "smtp_alert_vrrp") ||
			   ke_is(n, "smtp_alert_checker")) {
			if (ke_bool(e, n))
				ini_comment(e->d, g,
					    "%s: lvsd mails every state change when notification_email is set",
					    n->argv[0]);
		} else {
			ke_left(e, n, "not supported by lvsd");
		}
	}
}

/* ------------------------------------------------------------ VRRP */

static void vrrp_script(struct ka_emit *e, const struct ka_node *blk)
{
	struct ini_sect *s;
	char origin[512];

	if (!ke_shape(e, blk, 1, 1, 1))
		return;
	snprintf(origin, sizeof(origin), "%s:%u: vrrp_script %s", blk->file,
		 blk->line, blk->argv[1]);
	s = ini_sect_add(e->d, origin, "vrrp_script %s",
			 ke_name(e, blk->argv[1]));
	for (const struct ka_node *n = blk->child; n; n = n->next) {
		if (ke_is(n, "script")) {
			ke_command(e, n, s, "script");
		} else if (ke_is(n, "interval") || ke_is(n, "timeout") ||
			   ke_is(n, "rise") || ke_is(n, "fall")) {
			ke_copy1(e, n, s, n->argv[0]);
		} else if (ke_is(n, "weight")) {
			if (!ke_shape(e, n, 1, 2, 0))
				continue;
			ini_set(e->d, s, "weight", "%s", n->argv[1]);
			if (n->argc == 3)
				ke_left(e, n, "%s: lvsd has no reverse weights",
					n->argv[2]);
		} else if (ke_is(n, "init_fail")) {
			if (ke_shape(e, n, 0, 0, 0))
				ini_set(e->d, s, "init_fail", "yes");
		} else if (ke_is(n, "user")) {
			ke_left(e, n,
				"lvsd runs every script as [global] script_user");
		} else {
			ke_left(e, n, "not supported by lvsd in vrrp_script");
		}
	}
}

static void track_file(struct ka_emit *e, const struct ka_node *blk)
{
	struct ini_sect *s;
	char origin[512];

	if (!ke_shape(e, blk, 1, 1, 1))
		return;
	snprintf(origin, sizeof(origin), "%s:%u: %s %s", blk->file, blk->line,
		 blk->argv[0], blk->argv[1]);
	s = ini_sect_add(e->d, origin, "vrrp_track_file %s",
			 ke_name(e, blk->argv[1]));
	for (const struct ka_node *n = blk->child; n; n = n->next) {
		if (ke_is(n, "file")) {
			ke_copy1(e, n, s, "file");
		} else if (ke_is(n, "weight")) {
			if (!ke_shape(e, n, 1, 2, 0))
				continue;
			ini_set(e->d, s, "weight", "%s", n->argv[1]);
			if (n->argc == 3)
				ke_left(e, n, "%s: lvsd has no reverse weights",
					n->argv[2]);
		} else if (ke_is(n, "init_file")) {
			ke_left(e, n,
				"lvsd does not create track files: create it before starting lvsd");
		} else {
			ke_left(e, n, "not supported by lvsd in track_file");
		}
	}
}

static void track_process(struct ka_emit *e, const struct ka_node *blk)
{
	struct ini_sect *s;
	char origin[512];

	if (!ke_shape(e, blk, 1, 1, 1))
		return;
	snprintf(origin, sizeof(origin), "%s:%u: vrrp_track_process %s",
		 blk->file, blk->line, blk->argv[1]);
	s = ini_sect_add(e->d, origin, "vrrp_track_process %s",
			 ke_name(e, blk->argv[1]));
	for (const struct ka_node *n = blk->child; n; n = n->next) {
		if (ke_is(n, "process")) {
			char *v;

			if (!ke_shape(e, n, 1, 0, 0))
				continue;
			if ((v = ke_join(e, n, 1, " "))) {
				ini_set(e->d, s, "process", "%s", v);
				free(v);
			}
		} else if (ke_is(n, "weight")) {
			if (!ke_shape(e, n, 1, 2, 0))
				continue;
			ini_set(e->d, s, "weight", "%s", n->argv[1]);
			if (n->argc == 3)
				ke_left(e, n, "%s: lvsd has no reverse weights",
					n->argv[2]);
		} else if (ke_is(n, "quorum") || ke_is(n, "quorum_max") ||
			   ke_is(n, "delay") || ke_is(n, "fork_delay") ||
			   ke_is(n, "terminate_delay")) {
			ke_copy1(e, n, s, n->argv[0]);
		} else if (ke_is(n, "full_command")) {
			if (ke_shape(e, n, 0, 0, 0))
				ini_set(e->d, s, "full_command", "yes");
		} else {
			ke_left(e, n,
				"not supported by lvsd in vrrp_track_process");
		}
	}
}

/* The weight line of the top-level tracker block (vrrp_script,
 * vrrp_track_file or track_file, vrrp_track_process) named NAME, or NULL. */
static const char *tracker_weight(struct ka_emit *e, const char *key,
				  const char *name)
{
	for (const struct ka_node *b = e->t->root; b; b = b->next) {
		int kind = !strcmp(key, "track_script")
				   ? ke_is(b, "vrrp_script")
			   : !strcmp(key, "track_file")
				   ? ke_is(b, "vrrp_track_file") ||
					     ke_is(b, "track_file")
				   : ke_is(b, "vrrp_track_process");

		if (!kind || b->argc != 2 || strcmp(b->argv[1], name))
			continue;
		for (const struct ka_node *c = b->child; c; c = c->next)
			if (ke_is(c, "weight") && c->argc >= 2 && !c->has_block)
				return c->argv[1];
	}
	return NULL;
}

static int weight_zero(const char *w)
{
	return !w || strtol(w, NULL, 10) == 0;
}

/* track_script { NAME [weight W [reverse]] } and the like. FIXED (the
 * instance is in a vrrp_sync_group or has priority 255, WHY says which):
 * keepalived ignores the tracking weights (it warns and uses 0), lvsd
 * refuses them, so the line is written with weight 0 and reported. */
static void track_list(struct ka_emit *e, const struct ka_node *n,
		       struct ini_sect *s, const char *key, const char *fixed)
{
	if (!ke_shape(e, n, 0, 0, 1))
		return;
	for (const struct ka_node *c = n->child; c; c = c->next) {
		const char *w = NULL;

		if (!c->has_block && c->argc == 1)
			w = tracker_weight(e, key, c->argv[0]);
		else if (!c->has_block && c->argc >= 3 &&
			 !strcmp(c->argv[1], "weight"))
			w = c->argv[2];
		if (fixed && !c->has_block && (c->argc == 1 || c->argc == 3 ||
					       c->argc == 4) &&
		    !weight_zero(w)) {
			ini_add(e->d, s, key, "%s weight 0", c->argv[0]);
			ka_leftout(e->r, c->file, c->line, "weight",
				   "%s %s has weight %s, but the instance %s: keepalived ignores the weight (uses 0), lvsd requires weight 0 (FAULT while failing)",
				   key, c->argv[0], w, fixed);
			if (c->argc == 4)
				ke_left(e, c, "reverse: lvsd has no reverse weights");
			continue;
		}
		if (c->has_block) {
			ke_left(e, c, "takes no { } block");
		} else if (c->argc == 1) {
			ini_add(e->d, s, key, "%s", c->argv[0]);
		} else if (c->argc == 3 && !strcmp(c->argv[1], "weight")) {
			ini_add(e->d, s, key, "%s weight %s", c->argv[0],
				c->argv[2]);
		} else if (c->argc == 4 && !strcmp(c->argv[1], "weight") &&
			   !strcmp(c->argv[3], "reverse")) {
			ini_add(e->d, s, key, "%s weight %s", c->argv[0],
				c->argv[2]);
			ke_left(e, c, "reverse: lvsd has no reverse weights");
		} else {
			ke_left(e, c, "expects NAME [weight W] in %s", key);
		}
	}
}

/* virtual_ipaddress lines: ADDR[/P] [dev IFACE]; other options reported */
static void vips(struct ka_emit *e, const struct ka_node *n,
		 struct ini_sect *s)
{
	if (!ke_shape(e, n, 0, 0, 1))
		return;
	for (const struct ka_node *c = n->child; c; c = c->next) {
		const char *dev = NULL;
		size_t i;

		if (c->has_block) {
			ke_left(e, c, "takes no { } block");
			continue;
		}
		for (i = 1; i < c->argc; i++) {
			const char *o = c->argv[i];

			if (!strcmp(o, "dev") && i + 1 < c->argc) {
				dev = c->argv[++i];
			} else if (!strcmp(o, "scope") && i + 1 < c->argc &&
				   !strcmp(c->argv[i + 1], "global")) {
				i++; /* the default scope: nothing lost */
			} else if ((!strcmp(o, "label") ||
				    !strcmp(o, "scope") ||
				    !strcmp(o, "brd") || !strcmp(o, "peer") ||
				    !strcmp(o, "preferred_lft")) &&
				   i + 1 < c->argc) {
				ka_leftout(e->r, c->file, c->line, o,
					   "%s %s of %s: lvsd adds the address without it",
					   o, c->argv[i + 1], c->argv[0]);
				i++;
			} else {
				ka_leftout(e->r, c->file, c->line, o,
					   "option of %s not supported by lvsd",
					   c->argv[0]);
			}
		}
		if (dev)
			ini_add(e->d, s, "virtual_ipaddress", "%s dev %s",
				c->argv[0], dev);
		else
			ini_add(e->d, s, "virtual_ipaddress", "%s",
				c->argv[0]);
	}
}

static void vrrp_instance(struct ka_emit *e, const struct ka_node *blk,
			  const struct vrrp_defaults *vd)
{
	const struct ka_node *auth = NULL, *version = vd->version;
	const struct ka_node *native6 = NULL;
	struct ini_sect *s;
	char origin[512];
	const char *name, *fixed = NULL;
	int v6 = 0;

	if (!ke_shape(e, blk, 1, 1, 1))
		return;
	snprintf(origin, sizeof(origin), "%s:%u: vrrp_instance %s",
		 blk->file, blk->line, blk->argv[1]);
	name = ke_name(e, blk->argv[1]);
	if (!(s = ini_sect_add(e->d, origin, "vrrp %s", name)))
		return;
	/* keepalived uses weight 0 for what an instance in a sync group or
	 * with priority 255 tracks (sync_group_tracking_weight, which lvsd
	 * does not have, aside) */
	for (const struct ka_node *n = blk->child; n && !fixed; n = n->next)
		if (ke_is(n, "priority") && n->argc == 2 &&
		    !strcmp(n->argv[1], "255"))
			fixed = "has priority 255 (the address owner)";
	for (const struct ka_node *g = e->t->root; g && !fixed; g = g->next) {
		if (!ke_is(g, "vrrp_sync_group"))
			continue;
		for (const struct ka_node *n = g->child; n; n = n->next) {
			if (!ke_is(n, "group"))
				continue;
			for (const struct ka_node *c = n->child; c; c = c->next)
				for (size_t i = 0; i < c->argc; i++)
					if (!strcmp(c->argv[i], blk->argv[1]))
						fixed = "is in a vrrp_sync_group";
		}
	}
	for (const struct ka_node *n = blk->child; n; n = n->next) {
		if (ke_is(n, "state") || ke_is(n, "interface") ||
		    ke_is(n, "virtual_router_id") || ke_is(n, "priority") ||
		    ke_is(n, "advert_int") || ke_is(n, "preempt_delay") ||
		    ke_is(n, "unicast_src_ip") || ke_is(n, "garp_master_delay") ||
		    ke_is(n, "garp_master_repeat") || ke_is(n, "garp_interval") ||
		    ke_is(n, "garp_master_refresh") ||
		    ke_is(n, "garp_master_refresh_repeat")) {
			ke_copy1(e, n, s, n->argv[0]);
		} else if (ke_is(n, "version")) {
			if (ke_shape(e, n, 1, 1, 0))
				version = n;
		} else if (ke_is(n, "nopreempt")) {
			if (ke_shape(e, n, 0, 0, 0))
				ini_set(e->d, s, "nopreempt", "yes");
		} else if (ke_is(n, "preempt")) {
			if (ke_shape(e, n, 0, 0, 0))
				ini_set(e->d, s, "preempt", "yes");
		} else if (ke_is(n, "native_ipv6")) {
			if (ke_shape(e, n, 0, 0, 0))
				native6 = n;
		} else if (ke_is(n, "authentication")) {
			if (ke_shape(e, n, 0, 0, 1))
				auth = n;
		} else if (ke_is(n, "virtual_ipaddress")) {
			vips(e, n, s);
		} else if (ke_is(n, "track_interface")) {
			if (!ke_shape(e, n, 0, 0, 1))
				continue;
			for (const struct ka_node *c = n->child; c;
			     c = c->next) {
				if (c->argc == 1 && !c->has_block)
					ini_add(e->d, s, "track_interface",
						"%s", c->argv[0]);
				else if (c->argc == 3 &&
					 !strcmp(c->argv[1], "weight")) {
					ini_add(e->d, s, "track_interface",
						"%s", c->argv[0]);
					ke_left(e, c,
						"weight %s: lvsd puts the instance in FAULT while the interface is down",
						c->argv[2]);
				} else {
					ke_left(e, c,
						"expects IFACE in track_interface");
				}
			}
		} else if (ke_is(n, "track_script")) {
			track_list(e, n, s, "track_script", fixed);
		} else if (ke_is(n, "track_file")) {
			track_list(e, n, s, "track_file", fixed);
		} else if (ke_is(n, "track_process")) {
			track_list(e, n, s, "track_process", fixed);
		} else if (ke_is(n, "unicast_peer")) {
			if (!ke_shape(e, n, 0, 0, 1))
				continue;
			for (const struct ka_node *c = n->child; c;
			     c = c->next) {
				if (c->has_block) {
					ke_left(e, c, "takes no { } block");
					continue;
				}
				ini_add(e->d, s, "unicast_peer", "%s",
					c->argv[0]);
				if (c->argc > 1)
					ka_leftout(e->r, c->file, c->line,
						   c->argv[1],
						   "option of unicast_peer %s not supported by lvsd",
						   c->argv[0]);
			}
		} else if (ke_is(n, "notify_master") || ke_is(n, "notify_backup") ||
			   ke_is(n, "notify_fault") || ke_is(n, "notify_stop") ||
			   ke_is(n, "notify")) {
			ke_command(e, n, s, n->argv[0]);
		} else if (ke_is(n, "smtp_alert")) {
			if (ke_bool(e, n))
				ini_comment(e->d, s,
					    "smtp_alert: lvsd mails every state change when notification_email is set");
		} else if (ke_is(n, "lvs_sync_daemon_interface")) {
			if (ke_shape(e, n, 1, 1, 0))
				ini_set(e->d, e->global, "lvs_sync_daemon",
					"%s %s", n->argv[1], name);
		} else {
			ke_left(e, n, "not supported by lvsd in vrrp_instance");
		}
	}
	for (size_t i = 0; i < s->n_lines && !v6; i++)
		v6 = s->lines[i].key &&
		     !strcmp(s->lines[i].key, "virtual_ipaddress") &&
		     strchr(s->lines[i].value, ':');
	/* lvsd's instance family is that of its virtual addresses */
	if (native6 && v6)
		ini_comment(e->d, s,
			    "native_ipv6: the family follows the virtual addresses (IPv6)");
	else if (native6)
		ke_left(e, native6,
			"keepalived ignores the IPv4 virtual addresses of an IPv6 instance; lvsd's instance family follows its virtual addresses (IPv4 here), as written");
	if (version && !v6)
		ini_set(e->d, s, "version", "%s", version->argv[1]);
	else if (version && strcmp(version->argv[1], "3"))
		ini_comment(e->d, s,
			    "version %s: IPv6 instances run version 3 (as in keepalived)",
			    version->argv[1]);
	if (auth) {
		int v3 = v6 || (version && !strcmp(version->argv[1], "3"));

		for (const struct ka_node *c = auth->child; c; c = c->next) {
			if (v3 && (ke_is(c, "auth_type") || ke_is(c, "auth_pass"))) {
				ke_left(e, c,
					"version 3 has no authentication (keepalived ignores it too)");
			} else if (ke_is(c, "auth_type")) {
				if (!ke_shape(e, c, 1, 1, 0))
					continue;
				if (strcasecmp(c->argv[1], "PASS"))
					ke_left(e, c,
						"%s: lvsd supports PASS only",
						c->argv[1]);
				else
					ini_set(e->d, s, "auth_type", "PASS");
			} else if (ke_is(c, "auth_pass")) {
				ke_copy1(e, c, s, "auth_pass");
			} else {
				ke_left(e, c, "not supported by lvsd in authentication");
			}
		}
	}
	if (vd->garp_delay && !ini_get(s, "garp_master_delay"))
		ini_set(e->d, s, "garp_master_delay", "%s",
			vd->garp_delay->argv[1]);
	if (vd->garp_repeat && !ini_get(s, "garp_master_repeat"))
		ini_set(e->d, s, "garp_master_repeat", "%s",
			vd->garp_repeat->argv[1]);
	if (vd->garp_interval && !ini_get(s, "garp_interval"))
		ini_set(e->d, s, "garp_interval", "%s",
			vd->garp_interval->argv[1]);
	if (vd->garp_refresh && !ini_get(s, "garp_master_refresh"))
		ini_set(e->d, s, "garp_master_refresh", "%s",
			vd->garp_refresh->argv[1]);
	if (vd->garp_refresh_repeat &&
	    !ini_get(s, "garp_master_refresh_repeat"))
		ini_set(e->d, s, "garp_master_refresh_repeat", "%s",
			vd->garp_refresh_repeat->argv[1]);
}

static void sync_group(struct ka_emit *e, const struct ka_node *blk)
{
	struct ini_sect *s;
	char origin[512];

	if (!ke_shape(e, blk, 1, 1, 1))
		return;
	snprintf(origin, sizeof(origin), "%s:%u: vrrp_sync_group %s",
		 blk->file, blk->line, blk->argv[1]);
	s = ini_sect_add(e->d, origin, "vrrp_sync_group %s",
			 ke_name(e, blk->argv[1]));
	for (const struct ka_node *n = blk->child; n; n = n->next) {
		if (ke_is(n, "group")) {
			if (!ke_shape(e, n, 0, 0, 1))
				continue;
			for (const struct ka_node *c = n->child; c;
			     c = c->next) {
				char *v = ke_join(e, c, 0, " ");

				if (v)
					ini_add(e->d, s, "group", "%s", v);
				free(v);
			}
		} else if (ke_is(n, "notify_master") || ke_is(n, "notify_backup") ||
			   ke_is(n, "notify_fault") || ke_is(n, "notify")) {
			ke_command(e, n, s, n->argv[0]);
		} else if (ke_is(n, "smtp_alert")) {
			if (ke_bool(e, n))
				ini_comment(e->d, s,
					    "smtp_alert: lvsd mails every state change when notification_email is set");
		} else {
			ke_left(e, n,
				"not supported by lvsd in vrrp_sync_group");
		}
	}
}

/* ------------------------------------------------------------ top level */

/* SSL { }: lvsd takes certificate, key and password per SSL_GET real
 * server (kalvs.c copies them); ca would make lvsd verify, which
 * keepalived never does. */
static void ssl_block(struct ka_emit *e, const struct ka_node *blk)
{
	e->ssl = blk;
	for (const struct ka_node *n = blk->child; n; n = n->next) {
		if (ke_is(n, "certificate") || ke_is(n, "key") || ke_is(n, "password"))
			ke_shape(e, n, 1, 1, 0);
		else if (ke_is(n, "ca"))
			ke_left(e, n,
				"keepalived does not verify the server's certificate with it; lvsd would: add ca = %s to the SSL_GET real servers by hand to verify",
				n->argc > 1 ? n->argv[1] : "FILE");
		else
			ke_left(e, n, "not supported by lvsd in SSL");
	}
}

int ka_emit(const struct ka_tree *t, struct ini_doc *d, struct ka_report *r)
{
	struct ka_emit e = {.t = t, .d = d, .r = r};
	struct vrrp_defaults vd = {0};

	e.global = ini_sect_add(d, NULL, "global");
	/* global_defs and SSL first: they apply to what follows them too */
	for (const struct ka_node *n = t->root; n; n = n->next) {
		if (ke_is(n, "global_defs") && ke_shape(&e, n, 0, 0, 1))
			global_defs(&e, n, &vd);
		else if (ke_is(n, "SSL") && ke_shape(&e, n, 0, 0, 1))
			ssl_block(&e, n);
	}
	for (const struct ka_node *n = t->root; n; n = n->next) {
		if (ke_is(n, "global_defs") || ke_is(n, "SSL"))
			continue;
		if (ke_is(n, "vrrp_script"))
			vrrp_script(&e, n);
		else if (ke_is(n, "track_file") || ke_is(n, "vrrp_track_file"))
			track_file(&e, n);
		else if (ke_is(n, "vrrp_track_process"))
			track_process(&e, n);
		else if (ke_is(n, "vrrp_instance"))
			vrrp_instance(&e, n, &vd);
		else if (ke_is(n, "vrrp_sync_group"))
			sync_group(&e, n);
		else if (ke_is(n, "virtual_server_group"))
			kalvs_group(&e, n);
		else if (ke_is(n, "virtual_server"))
			kalvs_virtual_server(&e, n);
		else if (n->argv[0][0] == '@' || n->argv[0][0] == '$' ||
			 n->argv[0][0] == '~')
			ke_left(&e, n,
				"conditional configuration and parameters are not supported: expand them first (keepalived -t -d shows the result)");
		else
			ke_left(&e, n, "not supported by lvsd");
	}
	/* keepalived runs programs as keepalived_script if that user
	 * exists, else as root; lvsd as script_user, by default its own
	 * unprivileged user: say root, as keepalived mostly did */
	if (e.programs && e.global && !ini_get(e.global, "script_user")) {
		ini_comment(d, e.global,
			    "keepalived ran the programs below as root (or as keepalived_script");
		ini_comment(d, e.global,
			    "if that user exists): lvsd runs them as script_user. Choose a less");
		ini_comment(d, e.global,
			    "privileged user if they do not need root.");
		ini_set(d, e.global, "script_user", "root");
	}
	for (size_t i = 0; i < e.n_names; i++)
		free(e.names[i]);
	free(e.names);
	return d->oom ? -ENOMEM : 0;
}
