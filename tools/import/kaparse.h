/* kaparse.h — keepalived.conf's block syntax read into a small tree of
 * statements (keyword, arguments, optional { block }), following its
 * `include` globs; no meaning is given to any keyword here (kaemit does).
 */
#ifndef LVSD_KAPARSE_H
#define LVSD_KAPARSE_H

#include <stddef.h>
#include <stdio.h>

struct ka_msg {
	char *file;
	unsigned line;
	char *text;	/* "FILE:LINE: keyword: why" */
};

/* Where messages go and what was left out of the translation. Left-out
 * keywords are collected and written by ka_report_flush in file order
 * (fatal errors are written at once). */
struct ka_report {
	FILE *err;	/* NULL: messages are counted only */
	unsigned left_out;	/* keywords not translated (exit status 1) */
	struct ka_msg *msgs;
	size_t n_msgs;
};

/* Reports FILE:LINE: KEYWORD: WHY and counts it as left out. */
void ka_leftout(struct ka_report *r, const char *file, unsigned line,
		const char *keyword, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Writes the collected messages to r->err, sorted by file (in the order
 * of FILES, as read; others last) then line, and frees them. */
void ka_report_flush(struct ka_report *r, char *const *files,
		     size_t n_files);

/* One statement: argv[0] is the keyword, argv[1..] its arguments.
 * quoted[i] says argv[i] was written in "double quotes". */
struct ka_node {
	const char *file;	/* owned by the tree's file list */
	unsigned line;
	size_t argc;
	char **argv;
	unsigned char *quoted;
	int has_block;		/* a { } followed (maybe empty) */
	unsigned block_line;	/* line of its '{' */
	struct ka_node *child;	/* first statement of the block */
	struct ka_node *next;	/* next statement at this level */
};

/* A parsed configuration: the statements and the names of the files read. */
struct ka_tree {
	struct ka_node *root;
	char **files;
	size_t n_files;
};

#define KA_MAX_INCLUDE_DEPTH 16
#define KA_MAX_FILES 1024

/* Reads PATH and every file its `include` lines name (glob patterns,
 * relative to the including file's directory, as keepalived does).
 * Returns 0, or -errno after writing FILE:LINE: message to r->err (a file
 * that cannot be read, an unbalanced brace, an unterminated quote).
 * On success *t holds the tree; free it with ka_tree_free. */
int ka_parse_file(const char *path, struct ka_tree *t, struct ka_report *r);

/* The same from memory, as the file NAME; an `include` is reported as left
 * out instead of being followed when follow_includes is 0 (the fuzz
 * target). */
int ka_parse_mem(const char *name, const char *buf, size_t len,
		 int follow_includes, struct ka_tree *t, struct ka_report *r);

void ka_tree_free(struct ka_tree *t);

#endif
