/* cfg.c — reads lvsd.ini into a struct model. inih (ini_parse_stream) does
 * the key = value splitting; our own line reader in front of it counts the
 * lines, reports long lines and section headers (which inih cannot take:
 * "[real_server web [2001:db8::5]:80]"), and the handler collects a
 * section's entries, which are checked together when the section ends.
 * The key tables are in cfgsect.c, the checks of whole sections in
 * cfgcheck.c.
 */
#include "cfg.h"
#include "cfgcheck.h"
#include "cfgkeys.h"
#include "cfgsect.h"
#include "cfgstate.h"
#include "cfgval.h"
#include "schema.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* inih's own limits (Debian's build): a key is cut to MAX_NAME - 1. */
#define INIH_MAX_NAME 50
/* The largest file we read. */
#define CFG_MAX_FILE (16u << 20)
/* From this size on, the read buffer's pages are faulted in at once. */
#define CFG_POPULATE_MIN (256u << 10)
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif

/* -------------------------------------------------------------- errors */

void cfg_errors_free(struct cfg_errors *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i].msg);
	free(e->v);
	memset(e, 0, sizeof(*e));
}

void cfg_errors_emit(const struct cfg_errors *e,
		     void (*emit)(void *arg, const char *msg), void *arg)
{
	char more[64];

	for (size_t i = 0; i < e->n; i++)
		emit(arg, e->v[i].msg);
	if (e->dropped) {
		snprintf(more, sizeof(more), "... and %zu more errors",
			 e->dropped);
		emit(arg, more);
	}
}

static void print_one(void *arg, const char *msg)
{
	fprintf((FILE *)arg, "%s\n", msg);
}

void cfg_errors_print(const struct cfg_errors *e, FILE *f)
{
	cfg_errors_emit(e, print_one, f);
}

/* ---------------------------------------------------------- the reader */

static char *lskip(char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return s;
}

/* The first non-blank of s[0..n), or s + n. */
static const char *lskip_c(const char *s, size_t n)
{
	static const char none[] = "";
	size_t i = 0;

	while (i < n && isspace((unsigned char)s[i]))
		i++;
	return i < n ? s + i : none;
}

static void rstrip(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

/* Where inih ends a key: at '=' or ':', unless an inline comment (';'
 * after a blank) comes first. Returns the '=' / ':' or NULL. */
static char *key_end(char *s)
{
	bool was_space = false;

	for (; *s; s++) {
		if (*s == '=' || *s == ':')
			return s;
		if (*s == ';' && was_space)
			return NULL;
		was_space = isspace((unsigned char)*s);
	}
	return NULL;
}

/* Cut an inline comment (';' after a blank), as inih does for values. */
static void cut_comment(char *s)
{
	bool was_space = false;

	for (; *s; s++) {
		if (*s == ';' && was_space) {
			*s = '\0';
			return;
		}
		was_space = isspace((unsigned char)*s);
	}
}

/* "name =" at the start of an indented line: a key, not a continuation. */
static bool looks_like_key(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	while (isalnum((unsigned char)*s) || *s == '_')
		s++;
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '=';
}

/* Classify one line (already in str) and rewrite it for inih:
 * - blank and comment lines pass;
 * - a section header is handled here and passed as "[s]" so that inih
 *   forgets the previous key;
 * - a continuation passes (with its inline comment cut);
 * - a key line passes unindented; a bad one becomes "" after an error. */
static void classify(struct parser *p, char *str)
{
	char *s = lskip(str);
	char *e;
	size_t klen;

	if (!*s || *s == ';' || *s == '#')
		return;
	if (*s == '[') {
		cfg_section_header(p, s);
		strcpy(str, "[s]");
		p->have_key = false;
		p->swallow = false;
		return;
	}
	if (s > str && p->have_key && !looks_like_key(s)) {
		if (p->swallow) {
			str[0] = '\0';
			return;
		}
		cut_comment(s);
		rstrip(s);
		if (!*s) {
			str[0] = '\0';
			return;
		}
		p->cont = true;
		return;
	}
	e = key_end(s);
	if (!e) {
		char *w = s;

		cut_comment(w);
		rstrip(w);
		if (!strpbrk(w, " \t"))
			cfg_err(p, p->lineno,
				"expected 'key = value', got '%s' (a flag needs a value: '%s = yes')",
				w, w);
		else
			cfg_err(p, p->lineno, "expected 'key = value', got '%s'",
				w);
		str[0] = '\0';
		p->swallow = true;
		return;
	}
	klen = (size_t)(e - s);
	while (klen && isspace((unsigned char)s[klen - 1]))
		klen--;
	if (!klen || klen >= INIH_MAX_NAME) {
		if (!klen)
			cfg_err(p, p->lineno, "missing key name before '%c'", *e);
		else
			cfg_err(p, p->lineno, "key too long (%zu chars, at most %d)",
				klen, INIH_MAX_NAME - 1);
		str[0] = '\0';
		p->swallow = true;
		return;
	}
	p->have_key = true;
	p->swallow = false;
	/* A key holding a command: " ;" there is keepalived's "cmd1 ; cmd2"
	 * far more likely than a comment, and inih would cut it silently.
	 * Inline comments are not allowed on command keys: an error with a
	 * hint (the value, cut, still goes on: no follow-on errors). */
	if (klen < 64) {
		char key[64];
		const char *c = strchr(e + 1, ';');

		memcpy(key, s, klen);
		key[klen] = '\0';
		while (c && !(c > e + 1 && isspace((unsigned char)c[-1])))
			c = strchr(c + 1, ';');
		if (c && cfg_key_is_command(p->kind, key))
			cfg_err(p, p->lineno,
				"%s: ' ;' is shell syntax (a command list) and a command key takes no inline comment: lvsd runs commands without a shell (argv, execvp); write one program and its arguments, ask for a shell explicitly (/bin/sh -c 'cmd1; cmd2'), and put comments on their own line",
				key);
	}
	if (s > str)
		memmove(str, s, strlen(s) + 1);
}

static char *reader(char *str, int num, void *stream)
{
	struct parser *p = stream;
	const char *s, *nl;
	size_t n, end;

	while (p->spans && p->pos >= p->span_end) { /* the next part */
		const struct cfg_span *sp;

		if (p->span_next == p->n_spans)
			return NULL;
		sp = &p->spans[p->span_next++];
		p->pos = sp->off;
		p->span_end = sp->off + sp->len;
		p->lineno = sp->line - 1;
	}
	end = p->spans ? p->span_end : p->len;
	if (p->pos >= end || p->oom)
		return NULL;
	s = p->buf + p->pos;
	nl = memchr(s, '\n', end - p->pos);
	n = nl ? (size_t)(nl - s) : end - p->pos;
	p->pos += n + (nl ? 1 : 0);
	p->lineno++;
	p->cont = false;
	str[0] = '\0';
	if (p->lineno == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3; /* UTF-8 byte order mark */
		n -= 3;
	}
	if (n && s[n - 1] == '\r')
		n--;
	if (memchr(s, '\0', n)) {
		cfg_err(p, p->lineno, "NUL byte in line");
		p->swallow = true;
		if (*lskip_c(s, n) == '[')
			cfg_section_lost(p, s, n);
		return str;
	}
	if (n > CFG_MAX_LINE || n >= (size_t)num) {
		cfg_err(p, p->lineno, "line too long (%zu chars, at most %d)", n,
			CFG_MAX_LINE);
		p->swallow = true;
		if (*lskip_c(s, n) == '[')
			cfg_section_lost(p, s, n);
		return str;
	}
	memcpy(str, s, n);
	str[n] = '\0';
	classify(p, str);
	return str;
}

/* --------------------------------------------------------- the handler */

static int push_entry(struct parser *p, const char *key, const char *value,
		      unsigned line)
{
	struct entry *e;

	if (p->n_ent == p->cap_ent) {
		size_t ncap = p->cap_ent ? p->cap_ent * 2 : 16;
		struct entry *nv = realloc(p->ent, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		p->ent = nv;
		p->cap_ent = ncap;
	}
	e = &p->ent[p->n_ent];
	e->key = strdup(key);
	e->value = strdup(value);
	e->line = line;
	e->used = false;
	if (!e->key || !e->value) {
		free(e->key);
		free(e->value);
		return -ENOMEM;
	}
	p->n_ent++;
	return 0;
}

/* A continuation line: another value of a repeatable key, otherwise more
 * of the previous value (joined with a blank). */
static int continuation(struct parser *p, const char *name, const char *value)
{
	struct entry *e = p->n_ent ? &p->ent[p->n_ent - 1] : NULL;
	char *nv;

	if (!e || strcmp(e->key, name) != 0)
		return push_entry(p, name, value, p->lineno);
	if (cfg_key_repeatable(p->kind, name)) {
		if (*e->value)
			return push_entry(p, name, value, p->lineno);
		nv = strdup(value);
		if (!nv)
			return -ENOMEM;
		free(e->value);
		e->value = nv;
		e->line = p->lineno;
		return 0;
	}
	if (asprintf(&nv, "%s%s%s", e->value, *e->value ? " " : "", value) < 0)
		return -ENOMEM;
	free(e->value);
	e->value = nv;
	return 0;
}

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	struct parser *p = user;
	int rc;

	(void)section;
	if (p->oom || p->kind == SK_SKIP)
		return 1;
	if (p->kind == SK_NONE) {
		if (!p->cont)
			cfg_err(p, p->lineno,
				"'%s' outside of any section (put [global] or another section header above it)",
				name);
		return 1;
	}
	/* control characters (a tab aside) have no place in a value: an
	 * error with the line, the entry left out */
	for (const unsigned char *c = (const unsigned char *)value; *c; c++)
		if ((*c < 0x20 && *c != '\t') || *c == 0x7f) {
			cfg_err(p, p->lineno,
				"%s: control character \\x%02x in the value (write it without; a tab is the one allowed)",
				name, *c);
			if (!p->cont)
				p->swallow = true;
			return 1;
		}
	if (p->cont)
		rc = continuation(p, name, value);
	else
		rc = push_entry(p, name, value, p->lineno);
	if (rc)
		p->oom = 1;
	return 1;
}

/* ----------------------------------------------------------- the driver */

/* keep: hand out the model also when there were errors (-EINVAL). */
static int parse_buffer(const char *name, const char *buf, size_t len,
			const struct cfg_span *spans, size_t n_spans,
			const struct cfg_hooks *hooks, struct model **out,
			struct cfg_errors *errs, bool keep)
{
	static const struct cfg_hooks no_hooks;
	struct parser p;
	int rc;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.file = name ? name : "(string)";
	p.buf = buf;
	p.len = len;
	p.spans = spans;
	p.n_spans = n_spans;
	for (size_t i = 0; i < n_spans; i++)
		if (spans[i].off > len || spans[i].len > len - spans[i].off ||
		    !spans[i].line)
			return -EINVAL;
	p.hooks = hooks ? hooks : &no_hooks;
	p.errs = errs;
	p.errs_base = errs->n;
	p.m = model_new(p.file);
	if (!p.m)
		return -ENOMEM;
	if (schema_init(SCHEMA_GLOBAL, &p.m->global) ||
	    schema_init(SCHEMA_BGP, &p.m->bgp)) {
		schema_free_model(p.m);
		return -ENOMEM;
	}
	rc = ini_parse_stream(reader, &p, handler, &p);
	if (rc == -2)
		p.oom = 1;
	cfg_section_finish(&p);
	if (!p.oom)
		cfg_link(&p);
	cfg_parser_free(&p);
	if (p.oom) {
		schema_free_model(p.m);
		return -ENOMEM;
	}
	if (p.n_err && !keep) {
		schema_free_model(p.m);
		return -EINVAL;
	}
	if (model_index(p.m) < 0) {
		schema_free_model(p.m);
		return -ENOMEM;
	}
	*out = p.m;
	return p.n_err ? -EINVAL : 0;
}

int cfg_parse_buffer(const char *name, const char *buf, size_t len,
		     const struct cfg_hooks *hooks, struct model **out,
		     struct cfg_errors *errs)
{
	return parse_buffer(name, buf, len, NULL, 0, hooks, out, errs, false);
}

int cfg_parse_string(const char *name, const char *text,
		     const struct cfg_hooks *hooks, struct model **out,
		     struct cfg_errors *errs)
{
	return cfg_parse_buffer(name, text, strlen(text), hooks, out, errs);
}

/* Report a file-level problem (no line) in errs. */
static int file_error(const char *path, struct cfg_errors *errs, int rc,
		      const char *what)
{
	struct parser p;

	memset(&p, 0, sizeof(p));
	p.file = path;
	p.errs = errs;
	p.errs_base = errs->n;
	cfg_err(&p, 0, "%s: %s", what, strerror(-rc));
	return p.oom ? -ENOMEM : rc;
}

static const char *file_kind(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return "a directory";
	case S_IFIFO: return "a FIFO";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFSOCK: return "a socket";
	}
	return "not a regular file";
}

int cfg_read_file(const char *path, char **text, size_t *len,
		  struct cfg_errors *errs)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0;
	int fd, rc;

	*text = NULL;
	*len = 0;
	/* O_NONBLOCK: a FIFO (or a device) at the path must not hang -t or a
	 * reload; it is refused below, before anything is read. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 && errno == ENXIO && stat(path, &st) == 0 &&
	    !S_ISREG(st.st_mode)) {
		/* a UNIX socket (or a device without its driver) cannot be
		 * opened at all: said as what it is, as for a FIFO */
		struct parser p;

		memset(&p, 0, sizeof(p));
		p.file = path;
		p.errs = errs;
		p.errs_base = errs->n;
		cfg_err(&p, 0, "is %s, not a regular file; give the path of the configuration file",
			file_kind(st.st_mode));
		return p.oom ? -ENOMEM : -EINVAL;
	}
	if (fd < 0)
		return file_error(path, errs, -errno, "cannot open");
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		close(fd);
		return file_error(path, errs, rc, "cannot read");
	}
	if (!S_ISREG(st.st_mode)) {
		struct parser p;

		close(fd);
		memset(&p, 0, sizeof(p));
		p.file = path;
		p.errs = errs;
		p.errs_base = errs->n;
		cfg_err(&p, 0, "is %s, not a regular file; give the path of the configuration file",
			file_kind(st.st_mode));
		return p.oom ? -ENOMEM : -EINVAL;
	}
	if (st.st_size > (off_t)CFG_MAX_FILE) {
		close(fd);
		return file_error(path, errs, -EFBIG, "cannot read");
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	if (st.st_size >= (off_t)CFG_POPULATE_MIN) {
		/* fault the pages in with one call, not one fault per page as
		 * the read fills them (a reload of a large file, cfgfast.c);
		 * a kernel without it (< 5.14) faults as before */
		uintptr_t a = ((uintptr_t)buf + 4095) & ~(uintptr_t)4095;
		uintptr_t z = ((uintptr_t)buf + (size_t)st.st_size) & ~(uintptr_t)4095;

		if (z > a)
			(void)madvise((void *)a, z - a, MADV_POPULATE_WRITE);
	}
	while (n < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			free(buf);
			close(fd);
			return file_error(path, errs, rc, "cannot read");
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

static int parse_file(const char *path, const struct cfg_hooks *hooks,
		      struct model **out, struct cfg_errors *errs, bool keep)
{
	char *buf;
	size_t len;
	int rc;

	*out = NULL;
	rc = cfg_read_file(path, &buf, &len, errs);
	if (rc < 0)
		return rc;
	rc = parse_buffer(path, buf, len, NULL, 0, hooks, out, errs, keep);
	if (*out) { /* the text stays with the model (runtime.c) */
		(*out)->text = buf;
		(*out)->text_len = len;
	} else {
		free(buf);
	}
	return rc;
}

int cfg_parse_spans(const char *name, const char *buf, size_t len,
		    const struct cfg_span *spans, size_t n_spans,
		    const struct cfg_hooks *hooks, struct model **out,
		    struct cfg_errors *errs)
{
	if (!n_spans) {
		*out = NULL;
		return -EINVAL;
	}
	return parse_buffer(name, buf, len, spans, n_spans, hooks, out, errs,
			    true);
}

int cfg_parse_file(const char *path, const struct cfg_hooks *hooks,
		   struct model **out, struct cfg_errors *errs)
{
	return parse_file(path, hooks, out, errs, false);
}

int cfg_parse_file_partial(const char *path, const struct cfg_hooks *hooks,
			   struct model **out, struct cfg_errors *errs)
{
	return parse_file(path, hooks, out, errs, true);
}
