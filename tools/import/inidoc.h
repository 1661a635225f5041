/* inidoc.h — the lvsd.ini being written by lvsd-import: sections of
 * "key = value" and comment lines, kept in order and printed at the end.
 */
#ifndef LVSD_INIDOC_H
#define LVSD_INIDOC_H

#include <stdio.h>

struct ini_line {
	char *key;	/* NULL: a comment line, text in value */
	char *value;
};

struct ini_sect {
	char *header;	/* "vrrp VI_1" (without brackets) */
	char *origin;	/* "; FILE:LINE keyword ..." above the header, or NULL */
	struct ini_line *lines;
	size_t n_lines;
	struct ini_sect *next;
};

struct ini_doc {
	struct ini_sect *head, **tail;
	int oom;	/* an allocation failed: the document is incomplete */
};

void ini_init(struct ini_doc *d);
void ini_free(struct ini_doc *d);

/* A new section at the end; header and origin are printf formats. Returns
 * NULL only when out of memory (d->oom is set, later calls do nothing). */
struct ini_sect *ini_sect_add(struct ini_doc *d, const char *origin,
			      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The first section with this header, or NULL. */
struct ini_sect *ini_sect_find(struct ini_doc *d, const char *header);

/* Sets KEY (replacing an earlier line of the same key: the last wins, as
 * in keepalived). */
void ini_set(struct ini_doc *d, struct ini_sect *s, const char *key,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Adds one more line of a repeatable KEY. */
void ini_add(struct ini_doc *d, struct ini_sect *s, const char *key,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Adds a "; ..." comment line. */
void ini_comment(struct ini_doc *d, struct ini_sect *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The value of KEY in S, or NULL. */
const char *ini_get(const struct ini_sect *s, const char *key);

/* Writes the document; sections without lines are written too, except
 * an empty [global]. Returns 0 or -EIO. */
int ini_write(const struct ini_doc *d, FILE *f);

#endif
