/* cfgsect.c — the sections of lvsd.ini: their headers, and the end of a
 * section: its entries to the key tables (cfgkeys.c), then the checks of
 * the section as a whole (cfgcheck.c).
 */
#include "cfgsect.h"
#include "cfgcheck.h"
#include "cfgkeys.h"
#include "cfgstate.h"
#include "cfgval.h"
#include "schema.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------- section headers */

static void section_header(struct parser *p, char *s);

/* A [virtual_server NAME] header that was refused: NAME is remembered so
 * that its real servers' "unknown virtual server" does not follow the
 * error already reported (one error per mistake). */
void cfg_section_header(struct parser *p, char *s)
{
	char copy[512];
	const char *v;

	snprintf(copy, sizeof(copy), "%s", s);
	section_header(p, s);
	if (p->kind != SK_SKIP || !(v = strstr(copy, "virtual_server")))
		return;
	v += strlen("virtual_server");
	if (*v != ' ' && *v != '\t') /* [virtual_server_group ...] */
		return;
	v += strspn(v, " \t");
	if (v[strcspn(v, " \t]")] && strcspn(v, " \t]")) {
		char name[256];

		snprintf(name, sizeof(name), "%.*s", (int)strcspn(v, " \t]"), v);
		if (model_strv_push(&p->bad_vs, name))
			p->oom = 1;
	} else {
		p->vs_header_lost = true;
	}
}

/* A line that cannot be read (a NUL byte, too long) but starts a section:
 * the section before it ends, the keys after it are not taken for that
 * one's, nor reported as outside any section. */
void cfg_section_lost(struct parser *p, const char *s, size_t n)
{
	cfg_section_finish(p);
	p->sect_line = p->lineno;
	p->kind = SK_SKIP;
	if (memmem(s, n, "virtual_server", strlen("virtual_server")))
		p->vs_header_lost = true;
}

static void section_header(struct parser *p, char *s)
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

	if (strcmp(tok[0], "bgp") == 0) {
		if (nt != 1) {
			cfg_err(p, p->lineno, "[bgp] takes no name");
			return;
		}
		if (p->m->bgp.line) {
			cfg_err(p, p->lineno,
				"duplicate section [bgp] (first at line %u)",
				p->m->bgp.line);
			return;
		}
		p->m->bgp.line = p->lineno;
		p->kind = SK_BGP;
		return;
	}

	enum sect_kind kind;
	enum model_track_kind tk = MODEL_TRACK_SCRIPT;
	int want;

	if (strcmp(tok[0], "virtual_server") == 0)
		kind = SK_VS, want = 2;
	else if (strcmp(tok[0], "virtual_server_group") == 0)
		kind = SK_VSG, want = 2;
	else if (strcmp(tok[0], "real_server") == 0)
		kind = SK_RS, want = 3;
	else if (strcmp(tok[0], "vrrp") == 0 ||
		 strcmp(tok[0], "vrrp_instance") == 0)
		kind = SK_VRRP, want = 2;
	else if (strcmp(tok[0], "vrrp_sync_group") == 0)
		kind = SK_SYNC, want = 2;
	else if (strcmp(tok[0], "vrrp_script") == 0)
		kind = SK_SCRIPT, want = 2, tk = MODEL_TRACK_SCRIPT;
	else if (strcmp(tok[0], "vrrp_track_file") == 0)
		kind = SK_TFILE, want = 2, tk = MODEL_TRACK_FILE;
	else if (strcmp(tok[0], "vrrp_track_process") == 0)
		kind = SK_TPROC, want = 2, tk = MODEL_TRACK_PROCESS;
	else {
		cfg_err(p, p->lineno,
			"unknown section [%s] (expected global, bgp, virtual_server, virtual_server_group, real_server, vrrp, vrrp_sync_group, vrrp_script, vrrp_track_file or vrrp_track_process)",
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
		if (schema_init(SCHEMA_VS, &p->vs))
			p->oom = 1;
		snprintf(p->vs.name, sizeof(p->vs.name), "%s", tok[1]);
		p->vs.line = p->lineno;
		p->sched_bad = false;
		break;
	case SK_RS:
		if (schema_init(SCHEMA_RS, &p->rs))
			p->oom = 1;
		snprintf(p->rs.vs_name, sizeof(p->rs.vs_name), "%s", tok[1]);
		p->rs.line = p->lineno;
		p->rs.addr = p->rs_addr;
		p->rs.port = p->rs_port;
		p->checker_bad = false;
		break;
	case SK_VRRP:
		if (schema_init(SCHEMA_VRRP, &p->vrrp))
			p->oom = 1;
		snprintf(p->vrrp.name, sizeof(p->vrrp.name), "%s", tok[1]);
		p->vrrp.line = p->lineno;
		p->advert_ms = 0;
		p->vip_line = 0;
		break;
	case SK_VSG:
		free(p->vsg.members);
		memset(&p->vsg, 0, sizeof(p->vsg));
		snprintf(p->vsg.name, sizeof(p->vsg.name), "%s", tok[1]);
		p->vsg.line = p->lineno;
		break;
	case SK_SYNC:
		memset(&p->sg, 0, sizeof(p->sg));
		snprintf(p->sg.name, sizeof(p->sg.name), "%s", tok[1]);
		p->sg.line = p->lineno;
		break;
	case SK_SCRIPT:
	case SK_TFILE:
	case SK_TPROC:
		schema_tracker_init(&p->trk, tk);
		snprintf(p->trk.name, sizeof(p->trk.name), "%s", tok[1]);
		p->trk.line = p->lineno;
		break;
	default:
		break;
	}
}

void cfg_section_finish(struct parser *p)
{
	void *obj = NULL;

	switch (p->kind) {
	case SK_GLOBAL:
		obj = &p->m->global;
		break;
	case SK_BGP:
		obj = &p->m->bgp;
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
	case SK_SCRIPT:
	case SK_TFILE:
	case SK_TPROC:
		obj = &p->trk;
		break;
	default:
		break;
	}
	cfg_keys_apply(p, obj);
	if (!p->oom) {
		switch (p->kind) {
		case SK_VS:
			cfg_finish_vs(p);
			break;
		case SK_RS:
			cfg_finish_rs(p);
			break;
		case SK_VRRP:
			cfg_finish_vrrp(p);
			break;
		case SK_SYNC:
			cfg_finish_sync(p);
			break;
		case SK_VSG:
			cfg_finish_vsg(p);
			break;
		case SK_SCRIPT:
		case SK_TFILE:
		case SK_TPROC:
			cfg_finish_tracker(p);
			break;
		default:
			break;
		}
	}
	/* on out of memory the objects may still hold allocations */
	schema_clear(SCHEMA_VS, &p->vs);
	schema_clear(SCHEMA_RS, &p->rs);
	schema_clear(SCHEMA_VRRP, &p->vrrp);
	schema_clear(SCHEMA_SYNC, &p->sg);
	schema_clear(SCHEMA_SCRIPT, &p->trk);
	free(p->vsg.members);
	memset(&p->vsg, 0, sizeof(p->vsg));
	for (size_t i = 0; i < p->n_ent; i++) {
		free(p->ent[i].key);
		free(p->ent[i].value);
	}
	p->n_ent = 0;
	p->kind = SK_NONE;
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
	model_strv_free(&p->bad_vs);
}
