/* schema.h — the keys of lvsd.ini, written once: per section kind a table
 * of its keys, each with the model field it fills (offset, type), its
 * range, default, whether it is inherited from the enclosing level and
 * whether a change re-creates the object. The tables drive the parser
 * (cfgkeys.c), the defaults of new objects (schema_init), inheritance
 * global -> virtual server -> real server (schema_inherit) and the model
 * diff (model_diff.c). A new key is one line here (and its text in
 * lvsd.ini(5): tests/unit/keys_doc.sh checks both ways).
 */
#ifndef LVSD_SCHEMA_H
#define LVSD_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

enum schema_sect {
	SCHEMA_GLOBAL = 0,
	SCHEMA_VS,
	SCHEMA_RS,
	SCHEMA_VRRP,
	SCHEMA_SYNC,
	SCHEMA_BGP,    /* [bgp] */
	SCHEMA_SCRIPT, /* [vrrp_script] */
	SCHEMA_TFILE,  /* [vrrp_track_file] */
	SCHEMA_TPROC,  /* [vrrp_track_process] */
	SCHEMA_N,
};

/* The field a key fills: how it is stored, compared and shown. */
enum schema_type {
	ST_NONE = 0, /* no field of its own (auth_type: only checked) */
	ST_U32,      /* uint32_t */
	ST_U16,      /* uint16_t */
	ST_U8,       /* uint8_t */
	ST_INT,      /* int */
	ST_I32,      /* int32_t, -max..max */
	ST_MS,       /* uint32_t milliseconds */
	ST_CS,       /* uint32_t centiseconds (advert_int) */
	ST_BOOL,     /* bool (the numbers end here: model_diff.c) */
	ST_STR,      /* char *, NULL: none */
	ST_NAME,     /* char[MODEL_NAME_MAX] */
	ST_IFNAME,   /* char[MODEL_IFNAME_MAX] */
	ST_STRV,     /* struct model_strv */
	ST_ADDR,     /* struct lvsd_addr */
	ST_ADDRPORT, /* struct lvsd_addr, and a uint16_t port at off2 */
	ST_METHOD,   /* enum model_method */
	ST_PROTO,    /* uint16_t IPPROTO_* */
	ST_AF,       /* int AF_INET / AF_INET6 */
	ST_STATE,    /* enum lvsd_vrrp_state */
	ST_SECRET,   /* char[MODEL_AUTH_PASS_MAX], never shown */
	ST_VIPS,     /* model_vrrp.vips / n_vips */
	ST_PEERS,    /* model_vrrp.unicast_peers / n_unicast_peers */
	ST_TRACK,    /* model_vrrp.track / n_track */
	ST_MEMBERS,  /* model_vs.members / n_members */
};

/* How the parser reads a value (cfgkeys.c has one setter each). SP_TYPE:
 * the generic reader of the key's type (numbers, durations, booleans,
 * strings, names, addresses, the method). */
enum schema_parse {
	SP_TYPE = 0,
	SP_LATER,     /* read with the whole section (cfgcheck.c) */
	SP_SYSGROUP,  /* a group of the system */
	SP_SYSUSER,   /* a user of the system */
	SP_EMAIL,
	SP_ARGV,      /* a command line: it holds a command */
	SP_WORDS,
	SP_IFLIST,    /* another interface name for a list */
	SP_LOGLEVEL,
	SP_SMTP,
	SP_VSADDR,
	SP_SCHEDULER,
	SP_CHECKER,
	SP_STATE,
	SP_PREEMPT,   /* preempt, or nopreempt (inverted) */
	SP_ADVERT,
	SP_AUTHTYPE,
	SP_AUTHPASS,
	SP_VIP,
	SP_PEER,
	SP_GROUP,
	SP_DELAY,     /* fork_delay and terminate_delay at once */
	SP_TRACK,
	SP_SYNCD,     /* lvs_sync_daemon = IFACE INSTANCE */
	SP_MCAST,     /* a multicast address */
	SP_METRICS,   /* metrics_listen = ADDR:PORT (the port required) */
	SP_N,
};

#define SK_REPEAT 0x01u   /* may be given several times */
#define SK_ABS 0x02u      /* an absolute path */
#define SK_OFF0 0x04u     /* 0 (off) or min..max */
#define SK_RESTART 0x08u  /* a change re-creates the object (kernel or
			   * protocol identity; a tracker starts again)
			   * instead of editing it; [global]: it takes
			   * effect at the next start of the daemon */
#define SK_SERVICE 0x10u  /* part of a virtual server's kernel key:
			   * compared and shown as one "service" */
#define SK_INHERIT 0x20u  /* not given: the enclosing level's value
			   * (global -> virtual_server -> real_server) */
#define SK_DERIVED 0x40u  /* not a key: a field the parser derives
			   * (compared and shown by the diff only) */
#define SK_AGENT 0x80u    /* compared only when there is an agent check */

struct schema_key {
	const char *key;
	const char *canon;     /* an alias of this key */
	enum schema_type type;
	enum schema_parse parse;
	size_t off;            /* of the field in the section's object */
	size_t off2;           /* ST_ADDRPORT: of the port */
	uint32_t min, max;     /* numbers, durations; max length of strings */
	unsigned flags;        /* SK_* */
	size_t set_off;        /* bit != 0: the object's mask of keys given */
	uint32_t bit;
	uint32_t def;          /* default of numbers, booleans, the enums, an
				* ST_ADDRPORT's port */
	const char *defs;      /* default of ST_STR and ST_NAME */
};

/* The table of a section kind and its length. */
const struct schema_key *schema_keys(enum schema_sect s, size_t *n);
/* The section's name in lvsd.ini ("virtual_server"). */
const char *schema_sect_name(enum schema_sect s);
/* Index of key in s's table (with canon: of the key it is an alias of),
 * or -1. Derived fields are not keys. */
int schema_find(enum schema_sect s, const char *key, bool canon);

/* Free what the fields of s's object own, by their types in the table
 * (ST_STR, ST_STRV, the arrays; a real server's checker options), and
 * zero *obj. A tracker's sections free all of a model_tracker. */
void schema_clear(enum schema_sect s, void *obj);
/* *d = a deep copy of *src (strings, lists and arrays duplicated by their
 * types; a plugin's options are not copied: none in d); d's old contents
 * are not freed. 0, or -ENOMEM with d zero. */
int schema_copy(enum schema_sect s, void *d, const void *src);
/* Do a and b agree on every key of s's table with one of flags? */
bool schema_same(enum schema_sect s, const void *a, const void *b,
		 unsigned flags);
/* m and everything it owns (NULL: nothing). */
void schema_free_model(struct model *m);

/* Zero *obj and give it the table's defaults (a model_global, model_vs,
 * model_rs, model_vrrp, model_sync_group or model_tracker). 0 or -ENOMEM
 * (string defaults are copies); on error nothing is left allocated. */
int schema_init(enum schema_sect s, void *obj);
/* The section of a tracker of kind k. */
enum schema_sect schema_tracker_sect(enum model_track_kind k);
/* A tracker of kind k with its section's defaults. */
void schema_tracker_init(struct model_tracker *t, enum model_track_kind k);
/* Every SK_INHERIT key of child's table that child did not give takes
 * the value of the key of the same name in parent's table. */
void schema_inherit(enum schema_sect cs, void *child, enum schema_sect ps,
		    const void *parent);

/* Do the fields of key k differ between objects a and b? */
bool schema_differs(const struct schema_key *k, const void *a,
		    const void *b);

#endif
