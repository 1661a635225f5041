/* test_schema.c — the key tables (core/schema.c) drive the model diff:
 * every key of every section, changed on its own in lvsd.ini, shows in the
 * reload's diff under its name, and re-creates the object exactly when the
 * table says so (VRRP: interface, virtual_router_id, version, family; a
 * virtual server: its kernel key; a tracker: all but its weight), and
 * is copied and freed by its type. Also the defaults and inheritance.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "cfgstate.h"
#include "model.h"
#include "model_diff.h"
#include "schema.h"

static struct model *load(const char *text)
{
	struct cfg_errors e = {0};
	struct model *m = NULL;
	int rc = cfg_parse_string("t.ini", text, NULL, &m, &e);

	for (size_t i = 0; i < e.n; i++)
		print_message("%s\n--- in:\n%s\n", e.v[i].msg, text);
	assert_int_equal(rc, 0);
	cfg_errors_free(&e);
	return m;
}

/* The section under test, as "key = value" lines, after some context. */
static const char *const context[SCHEMA_N] = {
	/* what lvs_sync_daemon follows */
	[SCHEMA_GLOBAL] = "[vrrp VI_1]\ninterface = eth0\nvirtual_router_id = 51\n"
			  "virtual_ipaddress = 192.168.0.29\n",
	/* a group; bgp_announce needs [bgp] enabled, bgp_vrrp an instance */
	[SCHEMA_VS] = "[virtual_server_group G]\nfwmark = 3\n"
		      "[bgp]\nenabled = yes\n[vrrp VI_1]\ninterface = eth0\n"
		      "virtual_router_id = 51\nvirtual_ipaddress = 192.168.0.29\n",
	[SCHEMA_RS] = "[virtual_server web]\naddress = 192.168.0.29:80\n",
	[SCHEMA_VRRP] = "[vrrp_script chk]\nscript = /bin/true\n"
			"[vrrp_track_file f]\nfile = /tmp/f\n"
			"[vrrp_track_process p]\nprocess = foo\n",
	[SCHEMA_SYNC] = "[vrrp VI_1]\ninterface = eth0\nvirtual_router_id = 51\n"
			"virtual_ipaddress = 192.168.0.29\n"
			"[vrrp VI_2]\ninterface = eth0\nvirtual_router_id = 52\n"
			"virtual_ipaddress = 192.168.0.30\n",
};
static const char *const header[SCHEMA_N] = {
	[SCHEMA_GLOBAL] = "[global]", [SCHEMA_VS] = "[virtual_server web]",
	[SCHEMA_RS] = "[real_server web 10.0.0.51:80]",
	[SCHEMA_VRRP] = "[vrrp VI_1]", [SCHEMA_SYNC] = "[vrrp_sync_group G]",
	[SCHEMA_BGP] = "[bgp]",
	[SCHEMA_SCRIPT] = "[vrrp_script s]", [SCHEMA_TFILE] = "[vrrp_track_file t]",
	[SCHEMA_TPROC] = "[vrrp_track_process q]",
};
/* Keys every section of the kind has before the one under test. */
static const char *const base[SCHEMA_N] = {
	[SCHEMA_VS] = "address=192.168.0.29:80\n",
	[SCHEMA_RS] = "check=TCP\n",
	[SCHEMA_VRRP] = "interface=eth0\nvirtual_router_id=51\n"
			"virtual_ipaddress=192.168.0.29\n",
	[SCHEMA_SYNC] = "group=VI_1\n",
	[SCHEMA_SCRIPT] = "script=/bin/true\n",
	[SCHEMA_TFILE] = "file=/tmp/f\n",
	[SCHEMA_TPROC] = "process=foo\n",
};

/* Keys whose value (or whose context) the generic rule cannot give. */
#define SYNCD "lvs_sync_daemon=eth0 VI_1\n"
static const struct special {
	enum schema_sect s;
	const char *key, *value;
	const char *both; /* replaces base[s] on both sides */
	const char *drop; /* a key of base the new side goes without */
} specials[] = {
	{SCHEMA_VS, "fwmark", "7", NULL, "address"},
	{SCHEMA_VS, "group", "G", NULL, "address"},
	{SCHEMA_VS, "family", "inet6", "fwmark=7\n", NULL},
	{SCHEMA_VS, "one_packet", "yes", "address=192.168.0.29:53\nprotocol=UDP\n", NULL},
	{SCHEMA_VS, "sched_flags", "flag-1", NULL, NULL},
	{SCHEMA_VS, "persistence_granularity", "24", NULL, NULL},
	{SCHEMA_VS, "sorry_server", "10.9.9.9:81", NULL, NULL},
	{SCHEMA_VRRP, "auth_pass", "bbb",
	 "interface=eth0\nvirtual_router_id=51\nvirtual_ipaddress=192.168.0.29\n"
	 "auth_type=PASS\nauth_pass=aaa\n", NULL},
	{SCHEMA_VRRP, "track_script", "chk", NULL, NULL},
	{SCHEMA_VRRP, "track_file", "f", NULL, NULL},
	{SCHEMA_VRRP, "track_process", "p", NULL, NULL},
	{SCHEMA_TPROC, "quorum_max", "5", NULL, NULL},
	{SCHEMA_VS, "bgp_vrrp", "VI_1", "address=192.168.0.29:80\nbgp_announce=yes\n", NULL},
	/* the daemon's parameters need the daemon (cfgcheck.c) */
	{SCHEMA_GLOBAL, "lvs_sync_daemon_id", "7", SYNCD, NULL},
	{SCHEMA_GLOBAL, "lvs_sync_daemon_group", "224.0.0.82", SYNCD, NULL},
	{SCHEMA_GLOBAL, "lvs_sync_daemon_port", "9000", SYNCD, NULL},
	{SCHEMA_GLOBAL, "lvs_sync_daemon_ttl", "5", SYNCD, NULL},
	{SCHEMA_GLOBAL, "lvs_sync_daemon_maxlen", "1400", SYNCD, NULL},
	{SCHEMA_GLOBAL, "lvs_sync_daemon_both", "yes", SYNCD, NULL},
};

static const char *sample_by_parse(enum schema_parse p)
{
	switch (p) {
	case SP_SYSGROUP: return "root";
	case SP_SYSUSER: return "root";
	case SP_EMAIL: return "a@b.example";
	case SP_ARGV: return "/bin/false";
	case SP_WORDS: return "bar";
	case SP_IFLIST: return "eth9";
	case SP_LOGLEVEL: return "debug";
	case SP_SMTP: return "10.9.9.9";
	case SP_METRICS: return "127.0.0.1:9620";
	case SP_VSADDR: return "10.9.9.9:81";
	case SP_SCHEDULER: return "rr";
	case SP_CHECKER: return "HTTP_GET";
	case SP_STATE: return "MASTER";
	case SP_ADVERT: return "2";
	case SP_VIP: return "10.9.9.9";
	case SP_PEER: return "10.9.9.8";
	case SP_GROUP: return "VI_2";
	case SP_DELAY: return "5";
	case SP_SYNCD: return "eth1 VI_1";
	case SP_MCAST: return "239.1.2.3";
	default: return NULL;
	}
}

/* A value of k that is not its default (nor base's). */
static const char *sample(const struct schema_key *k, char *buf, size_t len)
{
	uint32_t v = k->min != k->def ? k->min : k->max;
	const char *s = k->parse != SP_TYPE ? sample_by_parse(k->parse) : NULL;

	if (s)
		return s;
	switch (k->type) {
	case ST_U32: case ST_U16: case ST_U8: case ST_INT: case ST_I32:
		snprintf(buf, len, "%u", v);
		return buf;
	case ST_MS:
		snprintf(buf, len, "%ums", v);
		return buf;
	case ST_BOOL:
		return k->def ? "no" : "yes";
	case ST_STR: return "/tmp/x";
	case ST_NAME: return "x1";
	case ST_IFNAME: return "eth9";
	case ST_ADDR: return "10.9.9.9";
	case ST_METHOD: return "DR";
	case ST_PROTO: return "UDP";
	default: return NULL;
	}
}

/* The name the diff shows a change of t[i] under. */
static const char *shown_as(const struct schema_key *t, size_t i)
{
	if (t[i].flags & SK_SERVICE)
		return "service ";
	if (t[i].type == ST_TRACK)
		return "tracking ";
	for (size_t j = 0; j < i; j++)
		if (!t[j].canon && t[j].type == t[i].type && t[j].off == t[i].off)
			return t[j].key;
	return t[i].key;
}

static char *config(enum schema_sect s, const char *keys, const char *key,
		    const char *value)
{
	char *out;

	assert_true(asprintf(&out, "%s%s\n%s%s%s%s%s", context[s] ? context[s] : "",
			     header[s], keys, key ? key : "", key ? " = " : "",
			     key ? value : "", key ? "\n" : "") > 0);
	return out;
}

static void line(void *arg, const char *l)
{
	char **acc = arg;
	char *n;

	assert_true(asprintf(&n, "%s%s\n", *acc ? *acc : "", l) > 0);
	free(*acc);
	*acc = n;
}

/* Change key i of s's table on its own: the diff must say so. */
/* The object of section s last in m (the section under test is the last
 * of its kind). */
static const void *last_obj(const struct model *m, enum schema_sect s)
{
	switch (s) {
	case SCHEMA_GLOBAL: return &m->global;
	case SCHEMA_VS: return m->n_vs ? &m->vs[m->n_vs - 1] : NULL;
	case SCHEMA_RS: return m->n_rs ? &m->rs[m->n_rs - 1] : NULL;
	case SCHEMA_VRRP: return m->n_vrrp ? &m->vrrp[m->n_vrrp - 1] : NULL;
	case SCHEMA_SYNC: return m->n_sync ? &m->sync[m->n_sync - 1] : NULL;
	case SCHEMA_BGP: return &m->bgp;
	default:
		for (size_t i = m->n_trackers; i-- > 0;)
			if (schema_tracker_sect(m->trackers[i].kind) == s)
				return &m->trackers[i];
		return NULL;
	}
}

/* schema_copy duplicates every field by its type: the copy equals o key
 * by key, owns its own strings and lists (freeing both is no double free
 * under ASan), and schema_clear frees it all (no leak). */
static void copies(enum schema_sect s, const void *o)
{
	union {
		struct model_global g;
		struct model_vs vs;
		struct model_rs rs;
		struct model_vrrp v;
		struct model_sync_group sg;
		struct model_bgp b;
		struct model_tracker t;
	} c;
	size_t n;
	const struct schema_key *t = schema_keys(s, &n);

	assert_non_null(o);
	assert_int_equal(schema_copy(s, &c, o), 0);
	for (size_t i = 0; i < n; i++) {
		const void *x = (const char *)&c + t[i].off,
			   *y = (const char *)o + t[i].off;

		if (schema_differs(&t[i], &c, o))
			fail_msg("[%s] %s: the copy differs", schema_sect_name(s),
				 t[i].key);
		if ((t[i].type == ST_STR || t[i].type == ST_STRV ||
		     t[i].type >= ST_VIPS) && *(void *const *)y &&
		    *(void *const *)x == *(void *const *)y)
			fail_msg("[%s] %s: the copy shares the original's memory",
				 schema_sect_name(s), t[i].key);
	}
	schema_clear(s, &c);
}

static void one_key(enum schema_sect s, const struct schema_key *t, size_t i)
{
	const struct schema_key *k = &t[i];
	const char *keys = base[s] ? base[s] : "", *value, *drop = k->key;
	bool replaces = false;
	char buf[32], *a, *b, *said = NULL, *rest;
	struct model *mo, *mn;
	struct model_diff d;
	bool restart = false;

	value = sample(k, buf, sizeof(buf));
	for (size_t j = 0; j < sizeof(specials) / sizeof(specials[0]); j++)
		if (specials[j].s == s && strcmp(specials[j].key, k->key) == 0) {
			value = specials[j].value;
			if (specials[j].both)
				keys = specials[j].both;
			if (specials[j].drop)
				drop = specials[j].drop;
		}
	if (!value)
		fail_msg("[%s] %s: no sample value for its type; add one to specials",
			 schema_sect_name(s), k->key);
	/* a key of base given again replaces base's line */
	rest = strdup(keys);
	assert_non_null(rest);
	{
		char pat[80];
		char *at;

		snprintf(pat, sizeof(pat), "%s=", drop);
		at = strstr(rest, pat);
		if (at && (at == rest || at[-1] == '\n')) {
			char *eol = strchr(at, '\n');

			memmove(at, eol + 1, strlen(eol + 1) + 1);
			replaces = true;
		}
	}
	a = config(s, keys, NULL, NULL);
	if (k->flags & SK_AGENT) { /* shown with an agent check only */
		char *both;

		assert_true(asprintf(&both, "%sagent_port=1\n", rest) > 0);
		free(rest);
		rest = both;
		free(a);
		a = config(s, rest, NULL, NULL);
	}
	b = config(s, rest, k->key, value);
	mo = load(a);
	mn = load(b);
	copies(s, last_obj(mn, s));
	if (s >= SCHEMA_SCRIPT) {
		assert_int_equal(model_diff_trackers(mo, mn, line, &said), 1);
		/* a tracker starts again (vtrack.c) exactly when the table
		 * says so, and that is for every key but its weight */
		restart = !schema_same(s, last_obj(mo, s), last_obj(mn, s),
				       SK_RESTART);
		if (restart != !!strcmp(k->key, "weight"))
			fail_msg("[%s] %s: restarts %d, only weight may not",
				 schema_sect_name(s), k->key, restart);
		if (restart != !!(k->flags & SK_RESTART))
			fail_msg("[%s] %s: restarts %d, the table says %d",
				 schema_sect_name(s), k->key, restart,
				 !!(k->flags & SK_RESTART));
	} else {
		assert_int_equal(model_diff(mo, mn, &d), 0);
		for (size_t j = 0; j < d.n; j++) {
			const struct model_diff_entry *e = &d.v[j];

			if (e->change != MODEL_CHANGED)
				continue;
			line(&said, e->what);
			if ((s == SCHEMA_VS && e->kind == MODEL_KIND_VS) ||
			    (s == SCHEMA_VRRP && e->kind == MODEL_KIND_VRRP))
				restart = e->key_changed;
		}
		model_diff_free(&d);
	}
	if (!said || !strstr(said, shown_as(t, i)))
		fail_msg("[%s] %s = %s%s: the diff does not show it (said: %s)",
			 schema_sect_name(s), k->key, value,
			 replaces ? " (replacing base's)" : "", said ? said : "nothing");
	if ((s == SCHEMA_VS || s == SCHEMA_VRRP) &&
	    restart != !!(k->flags & SK_RESTART))
		fail_msg("[%s] %s: re-created %d, the table says %d",
			 schema_sect_name(s), k->key, restart,
			 !!(k->flags & SK_RESTART));
	free(said);
	free(rest);
	free(a);
	free(b);
	schema_free_model(mo);
	schema_free_model(mn);
}

static void test_every_key_diffs(void **state)
{
	size_t tested = 0;

	(void)state;
	for (int s = 0; s < SCHEMA_N; s++) {
		size_t n;
		const struct schema_key *t = schema_keys(s, &n);

		assert_true(n <= CFG_MAX_KEYS);
		for (size_t i = 0; i < n; i++) {
			if (t[i].canon || t[i].type == ST_NONE ||
			    (t[i].flags & SK_DERIVED))
				continue;
			one_key(s, t, i);
			tested++;
		}
	}
	assert_true(tested > 100);
}

/* The derived family restarts too (version 3, IPv6 addresses). */
static void test_vrrp_restart_keys(void **state)
{
	const char *a = "[vrrp V]\ninterface = eth0\nvirtual_router_id = 51\n"
			"virtual_ipaddress = 192.168.0.29\n";
	const char *b = "[vrrp V]\ninterface = eth0\nvirtual_router_id = 51\n"
			"virtual_ipaddress = 2001:db8::29\n";
	struct model *mo = load(a), *mn = load(b);
	struct model_diff d;

	(void)state;
	assert_int_equal(model_diff(mo, mn, &d), 0);
	assert_int_equal(d.n, 1);
	assert_true(d.v[0].key_changed);
	assert_non_null(strstr(d.v[0].what, "family inet -> inet6"));
	assert_non_null(strstr(d.v[0].what, "version 2 -> 3"));
	model_diff_free(&d);
	schema_free_model(mo);
	schema_free_model(mn);
}

/* Defaults come from the tables; inheritance global -> VS -> RS. */
static void test_defaults_and_inheritance(void **state)
{
	struct model *m = load("[global]\ndelay_loop = 7\n"
			       "[virtual_server web]\naddress = 192.168.0.29:80\n"
			       "method = DR\nretry = 4\nagent_port = 9000\n"
			       "[real_server web 10.0.0.51:80]\ncheck = TCP\nrise = 3\n"
			       "[real_server web 10.0.0.52:80]\nmethod = TUN\n"
			       "agent_port = 9001\nagent_interval = 2\n"
			       "[vrrp V]\ninterface = eth0\nvirtual_router_id = 1\n"
			       "virtual_ipaddress = 192.168.0.29\n");
	const struct model_rs *r1 = &m->rs[0], *r2 = &m->rs[1];

	(void)state;
	assert_string_equal(m->global.plugin_dir, MODEL_DEFAULT_PLUGIN_DIR);
	assert_int_equal(m->global.smtp_port, MODEL_DEFAULT_SMTP_PORT);
	assert_int_equal(m->global.vrrp_rt_priority, 1);
	assert_string_equal(m->vs[0].scheduler, "wlc");
	assert_int_equal(m->vs[0].quorum, 1);
	assert_int_equal(m->vs[0].check.delay_loop_ms, 7000);
	assert_int_equal(m->vs[0].check.retry, 4);
	assert_int_equal(r1->weight, 1);
	assert_int_equal(r1->method, MODEL_METHOD_DR);
	assert_int_equal(r1->check.delay_loop_ms, 7000);
	assert_int_equal(r1->check.retry, 4);
	assert_int_equal(r1->check.rise, 3);
	assert_int_equal(r1->agent_port, 9000);
	assert_int_equal(r1->agent_interval_ms, 7000); /* its delay_loop */
	assert_int_equal(r1->agent_timeout_ms, MODEL_DEFAULT_CONNECT_TIMEOUT_MS);
	assert_int_equal(r2->method, MODEL_METHOD_TUN);
	assert_int_equal(r2->agent_port, 9001);
	assert_int_equal(r2->agent_interval_ms, 2000);
	assert_int_equal(m->vrrp[0].priority, 100);
	assert_true(m->vrrp[0].preempt);
	assert_int_equal(m->vrrp[0].advert_int_cs, 100);
	assert_int_equal(m->vrrp[0].garp_master_delay_ms, 5000);
	schema_free_model(m);
}

/* ------------------------------------------------ lvsd.ini(5) and the keys */

#define MAN "man/lvsd.ini.5" /* tests/run.sh runs us at the top of the tree */
#define CHECK_SECT SCHEMA_N  /* "CHECK PARAMETERS": of global, VS and RS */

struct doc {
	int sect[512];
	char key[512][64];
	size_t n;
	char *text;
};

static int man_sect(const char *title)
{
	if (strstr(title, "\"CHECK PARAMETERS\""))
		return CHECK_SECT;
	for (int s = 0; s < SCHEMA_N; s++) {
		const char *name = schema_sect_name(s);
		size_t l = strlen(name);

		if (strncmp(title, ".SH \"[", 6) == 0 &&
		    strncmp(title + 6, name, l) == 0 &&
		    (title[6 + l] == ' ' || title[6 + l] == ']'))
			return s;
	}
	return -1;
}

/* The items (.TP/.TQ then .B, .BI or .BR KEY) of each key section. */
static void read_doc(struct doc *d)
{
	FILE *f = fopen(MAN, "r");
	char line[1024];
	size_t cap = 0, len = 0;
	int sect = -1;
	bool item = false;

	if (!f)
		fail_msg("cannot open %s (run from the top of the tree)", MAN);
	memset(d, 0, sizeof(*d));
	while (fgets(line, sizeof(line), f)) {
		size_t l = strlen(line);
		char *w;

		if (len + l + 1 > cap) {
			cap = (len + l + 1) * 2;
			d->text = realloc(d->text, cap);
			assert_non_null(d->text);
		}
		memcpy(d->text + len, line, l + 1);
		len += l;
		if (strncmp(line, ".SH", 3) == 0) {
			sect = man_sect(line);
			continue;
		}
		if (strncmp(line, ".TP", 3) == 0 || strncmp(line, ".TQ", 3) == 0) {
			item = true;
			continue;
		}
		if (!item)
			continue;
		item = false;
		if (sect < 0 || (strncmp(line, ".B ", 3) && strncmp(line, ".BI ", 4) &&
				 strncmp(line, ".BR ", 4)))
			continue;
		w = strchr(line, ' ') + 1;
		w[strcspn(w, " \n\"")] = '\0';
		assert_true(d->n < 512);
		d->sect[d->n] = sect;
		snprintf(d->key[d->n++], sizeof(d->key[0]), "%s", w);
	}
	fclose(f);
}

static bool documented(const struct doc *d, int sect, const char *key)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->sect[i] == sect && strcmp(d->key[i], key) == 0)
			return true;
	return false;
}

/* Every key of the tables has its item in lvsd.ini(5), under its section
 * (the check parameters under CHECK PARAMETERS); every item there is a
 * key; every alias is named in the page. */
static void test_keys_documented(void **state)
{
	struct doc d;
	int bad = 0;

	(void)state;
	read_doc(&d);
	for (int s = 0; s < SCHEMA_N; s++) {
		size_t n;
		const struct schema_key *t = schema_keys(s, &n);

		for (size_t i = 0; i < n; i++) {
			char word[80];

			if (t[i].flags & SK_DERIVED)
				continue;
			if (t[i].canon) {
				snprintf(word, sizeof(word), "%s", t[i].key);
				if (!strstr(d.text, word)) {
					print_message("alias %s of [%s] %s: not in %s\n",
						      t[i].key, schema_sect_name(s),
						      t[i].canon, MAN);
					bad++;
				}
				continue;
			}
			if (documented(&d, s, t[i].key) ||
			    (s <= SCHEMA_RS && documented(&d, CHECK_SECT, t[i].key) &&
			     schema_find(SCHEMA_GLOBAL, t[i].key, false) >= 0 &&
			     schema_find(SCHEMA_RS, t[i].key, false) >= 0))
				continue;
			print_message("[%s] %s: not documented in %s\n",
				      schema_sect_name(s), t[i].key, MAN);
			bad++;
		}
	}
	for (size_t i = 0; i < d.n; i++) {
		int s = d.sect[i] == CHECK_SECT ? SCHEMA_RS : d.sect[i];

		if (schema_find(s, d.key[i], false) >= 0)
			continue;
		print_message("%s documents '%s' in [%s], which has no such key\n",
			      MAN, d.key[i], schema_sect_name(s));
		bad++;
	}
	free(d.text);
	assert_true(d.n > 100);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_key_diffs),
		cmocka_unit_test(test_vrrp_restart_keys),
		cmocka_unit_test(test_defaults_and_inheritance),
		cmocka_unit_test(test_keys_documented),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
