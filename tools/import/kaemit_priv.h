/* kaemit_priv.h — what kaemit.c (global and VRRP blocks) and kalvs.c
 * (virtual servers, real servers, checkers) share; not a public face.
 */
#ifndef LVSD_KAEMIT_PRIV_H
#define LVSD_KAEMIT_PRIV_H

#include <string.h>

#include "inidoc.h"
#include "kaparse.h"

struct ka_emit {
	const struct ka_tree *t;
	struct ini_doc *d;
	struct ka_report *r;
	struct ini_sect *global;
	const struct ka_node *ssl;	/* the top-level SSL { } block */
	char **names;			/* section names handed out */
	size_t n_names;
	unsigned programs;		/* commands converted (ke_command) */
};

static inline int ke_is(const struct ka_node *n, const char *kw)
{
	return !strcmp(n->argv[0], kw);
}

/* Reports N's keyword as left out, with a reason (printf format). */
void ke_left(struct ka_emit *e, const struct ka_node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* 1 when N has between min and max arguments (max 0: any) and a block
 * exactly when want_block; otherwise reports it and returns 0. */
int ke_shape(struct ka_emit *e, const struct ka_node *n, size_t min,
	     size_t max, int want_block);
/* N's arguments from index FROM joined by SEP; malloc'd, NULL on OOM. */
char *ke_join(struct ka_emit *e, const struct ka_node *n, size_t from,
	      const char *sep);
/* A keepalived script (argv[1], then [username [groupname]]) as lvsd's
 * command value under KEY in S; 0 or reported. */
int ke_command(struct ka_emit *e, const struct ka_node *n,
	       struct ini_sect *s, const char *key);
/* "yes"/"no" from keepalived's optional <BOOL> (a bare keyword is yes);
 * NULL (reported) for anything else. */
const char *ke_bool(struct ka_emit *e, const struct ka_node *n);
/* A section name made from WANT (letters, digits, _ . - kept, others
 * become _), unique among those handed out; owned by E. */
const char *ke_name(struct ka_emit *e, const char *want);
/* IP and PORT as lvsd's ADDR:PORT ([v6]:port); malloc'd. */
char *ke_hostport(const char *ip, const char *port);
/* A key whose value is its single argument, copied. */
void ke_copy1(struct ka_emit *e, const struct ka_node *n, struct ini_sect *s,
	      const char *key);

/* A real server's FILE_CHECK names a track_file block: its path or NULL. */
const char *ke_track_file_path(struct ka_emit *e, const char *name);

/* kalvs.c */
void kalvs_virtual_server(struct ka_emit *e, const struct ka_node *n);
void kalvs_group(struct ka_emit *e, const struct ka_node *n);

#endif
