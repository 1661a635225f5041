/* cfgstate.h — the state of one parse of lvsd.ini, shared by cfg.c
 * (reading lines), cfgsect.c (section headers), cfgkeys.c (key tables) and
 * cfgcheck.c (checks of a whole section, the final pass), and where its
 * errors go (cfg_err). The bottom of the cfg module: it calls none of them.
 * Internal to the cfg module.
 */
#ifndef LVSD_CFGSTATE_H
#define LVSD_CFGSTATE_H

#include <stdbool.h>
#include <stddef.h>

#include "cfgtypes.h"
#include "model.h"

enum sect_kind {
	SK_NONE = 0, /* before the first section */
	SK_SKIP,     /* a bad or unknown section: its keys are ignored */
	SK_GLOBAL,
	SK_VS,
	SK_RS,
	SK_VRRP,
	SK_SYNC,
	SK_BGP,      /* [bgp] */
	SK_SCRIPT,   /* [vrrp_script] */
	SK_TFILE,    /* [vrrp_track_file] */
	SK_TPROC,    /* [vrrp_track_process] */
	SK_VSG,      /* [virtual_server_group] (no key table: cfgcheck.c) */
};

/* One "key = value" of the current section. */
struct entry {
	char *key;
	char *value;
	unsigned line;
	bool used;   /* taken by a key of the table */
};

/* A vrrp name in a sync group, checked at the end. */
struct sg_ref {
	size_t sg;
	unsigned line;
	char name[MODEL_NAME_MAX];
};

#define CFG_MAX_KEYS 64 /* keys of the largest section table */

struct parser {
	const char *file;
	const char *buf;
	size_t len;
	size_t pos;
	unsigned lineno;
	/* cfg_parse_spans: only these parts of buf are read (NULL: all) */
	const struct cfg_span *spans;
	size_t n_spans;
	size_t span_next; /* the next part to read */
	size_t span_end;  /* where the current part ends in buf */
	bool have_key; /* a key line went to inih since the last header */
	bool swallow;  /* drop continuation lines (after a bad line) */
	bool cont;     /* the line being handled is a continuation */
	const struct cfg_hooks *hooks;
	struct cfg_errors *errs;
	size_t errs_base;
	size_t n_err;
	int oom;
	struct model *m;
	unsigned global_line;

	/* the current section */
	enum sect_kind kind;
	unsigned sect_line;
	char sect_title[MODEL_NAME_MAX * 2 + 64];
	char sect_name[MODEL_NAME_MAX];
	struct lvsd_addr rs_addr;
	uint16_t rs_port;
	bool rs_port_given;
	struct entry *ent;
	size_t n_ent;
	size_t cap_ent;
	unsigned seen[CFG_MAX_KEYS]; /* line of each key of the table */
	bool failed[CFG_MAX_KEYS];   /* its value was refused */

	/* objects being built */
	struct model_vs vs;
	struct model_rs rs;
	struct model_vrrp vrrp;
	struct model_sync_group sg;
	struct model_tracker trk;
	struct model_vsg vsg;
	bool checker_bad;     /* check = ... was refused */
	bool sched_bad;       /* scheduler = ... was refused: its flags and
			       * options are not checked (no noise) */
	/* Virtual servers already reported as wrong (a bad header, a
	 * duplicate service): their real servers say nothing more. */
	struct model_strv bad_vs;
	bool vs_header_lost;  /* a [virtual_server] header could not be read */
	uint32_t advert_ms;
	unsigned vip_line;    /* the first virtual_ipaddress */

	/* for the final pass */
	bool *rs_port_given_v;
	size_t cap_rspg;
	struct sg_ref *sgr;
	size_t n_sgr;
	size_t cap_sgr;
};

/* Add "FILE:LINE: message" to the parse's errors (line 0: "FILE: ..."),
 * kept sorted by line; control bytes of the file are shown as \xNN. */
void cfg_err(struct parser *p, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Report "KEY: expected WHAT, got 'VALUE'" at the entry's line; -EINVAL. */
int cfg_bad(struct parser *p, const struct entry *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Note that memory ran out; -ENOMEM. */
int cfg_nomem(struct parser *p);

#endif
