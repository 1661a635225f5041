/* kaparse.c — keepalived.conf read into a tree (kaparse.h): a lexer that
 * turns each file into words, braces and line ends (splicing the files an
 * `include` names in place), then a parser that builds the statements.
 */
#include "kaparse.h"

#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum tok_type { T_WORD, T_LBRACE, T_RBRACE, T_EOL };

struct tok {
	enum tok_type type;
	int quoted;
	char *text;	/* T_WORD only */
	unsigned file;	/* index in the tree's file list */
	unsigned line;
};

struct lexer {
	struct tok *v;
	size_t n, cap;
	struct ka_tree *t;
	struct ka_report *r;
	int follow_includes;
};

void ka_leftout(struct ka_report *r, const char *file, unsigned line,
		const char *keyword, const char *fmt, ...)
{
	struct ka_msg *nm;
	char *why = NULL, *text = NULL;
	va_list ap;

	r->left_out++;
	if (!r->err)
		return;
	va_start(ap, fmt);
	if (vasprintf(&why, fmt, ap) < 0)
		why = NULL;
	va_end(ap);
	if (asprintf(&text, "%s:%u: %s: %s", file, line, keyword,
		     why ? why : "?") < 0)
		text = NULL;
	free(why);
	nm = realloc(r->msgs, (r->n_msgs + 1) * sizeof(*nm));
	if (!text || !nm || !(nm[r->n_msgs].file = strdup(file))) {
		/* out of memory: say it at once rather than lose it */
		if (nm)
			r->msgs = nm;
		fprintf(r->err, "%s\n", text ? text : keyword);
		free(text);
		return;
	}
	r->msgs = nm;
	nm[r->n_msgs].line = line;
	nm[r->n_msgs].text = text;
	r->n_msgs++;
}

static size_t file_rank(char *const *files, size_t n_files, const char *f)
{
	for (size_t i = 0; i < n_files; i++)
		if (!strcmp(files[i], f))
			return i;
	return n_files;
}

void ka_report_flush(struct ka_report *r, char *const *files,
		     size_t n_files)
{
	struct ka_msg *m = r->msgs;
	size_t n = r->n_msgs;

	/* insertion sort: stable (same line: the order they came in), and
	 * there are few messages */
	for (size_t i = 1; i < n; i++) {
		struct ka_msg tmp = m[i];
		size_t rt = file_rank(files, n_files, tmp.file), j = i;

		while (j > 0) {
			size_t rp = file_rank(files, n_files, m[j - 1].file);

			if (rp < rt || (rp == rt && m[j - 1].line <= tmp.line))
				break;
			m[j] = m[j - 1];
			j--;
		}
		m[j] = tmp;
	}
	for (size_t i = 0; i < n; i++) {
		if (r->err)
			fprintf(r->err, "%s\n", m[i].text);
		free(m[i].text);
		free(m[i].file);
	}
	free(m);
	r->msgs = NULL;
	r->n_msgs = 0;
}

static void fatal(struct ka_report *r, const char *file, unsigned line,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void fatal(struct ka_report *r, const char *file, unsigned line,
		  const char *fmt, ...)
{
	va_list ap;

	if (!r->err)
		return;
	if (line)
		fprintf(r->err, "%s:%u: ", file, line);
	else
		fprintf(r->err, "%s: ", file);
	va_start(ap, fmt);
	vfprintf(r->err, fmt, ap);
	va_end(ap);
	fputc('\n', r->err);
}

static int add_file(struct ka_tree *t, const char *name, unsigned *idx)
{
	char **nf;

	if (t->n_files >= KA_MAX_FILES)
		return -E2BIG;
	nf = realloc(t->files, (t->n_files + 1) * sizeof(*nf));
	if (!nf)
		return -ENOMEM;
	t->files = nf;
	if (!(nf[t->n_files] = strdup(name)))
		return -ENOMEM;
	*idx = (unsigned)t->n_files++;
	return 0;
}

static int push(struct lexer *lx, enum tok_type type, const char *s,
		size_t len, int quoted, unsigned file, unsigned line)
{
	struct tok *tk;

	if (lx->n == lx->cap) {
		size_t cap = lx->cap ? lx->cap * 2 : 256;
		struct tok *nv = realloc(lx->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		lx->v = nv;
		lx->cap = cap;
	}
	tk = &lx->v[lx->n];
	memset(tk, 0, sizeof(*tk));
	tk->type = type;
	tk->quoted = quoted;
	tk->file = file;
	tk->line = line;
	if (type == T_WORD) {
		if (!(tk->text = strndup(s, len)))
			return -ENOMEM;
	}
	lx->n++;
	return 0;
}

static int lex_buf(struct lexer *lx, unsigned file, const char *buf,
		   size_t len, int depth);

/* Reads one file whole; a NUL byte in it is a syntax error. */
static int lex_path(struct lexer *lx, const char *path, const char *from,
		    unsigned from_line, int depth)
{
	struct stat st;
	FILE *f;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	unsigned idx;
	int rc;

	if (depth > KA_MAX_INCLUDE_DEPTH) {
		fatal(lx->r, from, from_line,
		      "include: %s: more than %d levels of include (a loop?)",
		      path, KA_MAX_INCLUDE_DEPTH);
		return -ELOOP;
	}
	f = fopen(path, "r");
	if (!f || fstat(fileno(f), &st) < 0) {
		rc = -errno;
		if (f)
			fclose(f);
		if (from)
			fatal(lx->r, from, from_line, "include: %s: %s", path,
			      strerror(-rc));
		else
			fatal(lx->r, path, 0, "%s", strerror(-rc));
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		fclose(f);
		fatal(lx->r, path, 0, "not a regular file");
		return -EINVAL;
	}
	for (;;) {
		size_t got;

		if (cap - n < 4096) {
			char *nb;

			cap = cap ? cap * 2 : 8192;
			if (cap > (64u << 20) || !(nb = realloc(buf, cap))) {
				free(buf);
				fclose(f);
				fatal(lx->r, path, 0, "too large");
				return -EFBIG;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		rc = -EIO;
		free(buf);
		fclose(f);
		fatal(lx->r, path, 0, "read error");
		return rc;
	}
	fclose(f);
	rc = add_file(lx->t, path, &idx);
	if (rc == 0)
		rc = lex_buf(lx, idx, buf, n, depth);
	free(buf);
	return rc;
}

/* glob(3)'s error callback: a directory of the pattern that does not
 * exist matches nothing (keepalived warns and goes on); any other error
 * (a directory that cannot be read) stops the glob. */
static int glob_err(const char *path, int err)
{
	(void)path;
	return err != ENOENT && err != ENOTDIR;
}

/* `include PATTERN`: the files it matches, in glob(3)'s sorted order,
 * relative to the directory of the including file. */
static int lex_include(struct lexer *lx, unsigned file, unsigned line,
		       const char *pattern, int depth)
{
	const char *from = lx->t->files[file];
	char *full = NULL;
	glob_t g;
	int rc, grc;

	if (!lx->follow_includes) {
		ka_leftout(lx->r, from, line, "include",
			   "%s: not followed here", pattern);
		return 0;
	}
	if (pattern[0] == '/') {
		full = strdup(pattern);
	} else if (!strrchr(from, '/')) {
		full = strdup(pattern);
	} else {
		int dl = (int)(strrchr(from, '/') - from);

		if (asprintf(&full, "%.*s/%s", dl, from, pattern) < 0)
			full = NULL;
	}
	if (!full)
		return -ENOMEM;
	grc = glob(full, GLOB_BRACE, glob_err, &g);
	if (grc == GLOB_NOMATCH) {
		if (!strpbrk(pattern, "*?[")) {
			fatal(lx->r, from, line, "include: %s: %s", full,
			      strerror(ENOENT));
			free(full);
			return -ENOENT;
		}
		ka_leftout(lx->r, from, line, "include",
			   "%s matches no file", full);
		free(full);
		return 0;
	}
	if (grc != 0) {
		fatal(lx->r, from, line, "include: %s: cannot read", full);
		free(full);
		return -EIO;
	}
	rc = 0;
	for (size_t i = 0; i < g.gl_pathc && rc == 0; i++)
		rc = lex_path(lx, g.gl_pathv[i], from, line, depth + 1);
	globfree(&g);
	free(full);
	return rc;
}

/* A byte lvsd refuses in a value: below 0x20 but a tab, or 0x7f. */
static int ctl(char c)
{
	return ((unsigned char)c < 0x20 && c != '\t') || c == 0x7f;
}

/* One word: up to a blank, a brace or a comment outside quotes; "..." and
 * '...' quote (and may join with what touches them, as in keepalived),
 * with the shell's backslash escapes inside them. */
static int lex_word(struct lexer *lx, unsigned file, unsigned line,
		    const char *s, size_t len, size_t *ip)
{
	size_t i = *ip, n = 0;
	char *w = malloc(len - i + 1), q = 0, bad;
	int quoted = 0, rc;

	if (!w)
		return -ENOMEM;
	for (; i < len; i++) {
		char c = s[i];

		if (q) {
			if (c == q) {
				q = 0;
				continue;
			}
			if (c == '\\' && i + 1 < len) {
				c = s[++i];
				switch (c) {
				case 'n': c = '\n'; break;
				case 't': c = '\t'; break;
				case 'r': c = '\r'; break;
				default: break;
				}
			}
			if (ctl(c)) {
				bad = c;
				goto control;
			}
			w[n++] = c;
			continue;
		}
		if (strchr(" \t\r\f\v{}#!", c))
			break;
		if (c == '"' || c == '\'') {
			q = c;
			quoted = 1;
			continue;
		}
		if (ctl(c)) {
			bad = c;
			goto control;
		}
		w[n++] = c;
	}
	if (q) {
		free(w);
		fatal(lx->r, lx->t->files[file], line,
		      "unterminated quoted string");
		return -EINVAL;
	}
	*ip = i;
	rc = push(lx, T_WORD, w, n, quoted, file, line);
	free(w);
	return rc;
control:
	free(w);
	fatal(lx->r, lx->t->files[file], line,
	      "control character \\x%02x in a word (an lvsd value is one line of text)",
	      (unsigned char)bad);
	return -EINVAL;
}

/* include, and keepalived's variants with stricter checks */
static int is_include(const char *w)
{
	return !strcmp(w, "include") ||
	       (!strncmp(w, "include", 7) && strlen(w) == 8 &&
		strchr("rmwba", w[7]));
}

/* An unquoted `include PATTERN` line: PATTERN is the word after the
 * keyword with its braces ({a,b} is a brace expression, as in keepalived,
 * not a block). 1 and the pattern (malloc'd) in *out, 0 when the line is
 * not one (a quoted pattern, more words: lex_line's words then). */
static int include_line(const char *s, size_t len, char **out)
{
	size_t i = 0, kw, p, pe;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	kw = i;
	while (i < len && s[i] >= 'a' && s[i] <= 'z')
		i++;
	if (i - kw < 7 || i - kw > 8 || i == len ||
	    (s[i] != ' ' && s[i] != '\t'))
		return 0;
	{
		char w[9];

		memcpy(w, s + kw, i - kw);
		w[i - kw] = '\0';
		if (!is_include(w))
			return 0;
	}
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	p = i;
	while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
	       s[i] != '#' && s[i] != '!' && s[i] != '"' && s[i] != '\'' &&
	       s[i] != '\\' && !ctl(s[i]))
		i++;
	pe = i;
	if (pe == p || !memchr(s + p, '{', pe - p))
		return 0; /* no brace: the words as usual */
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
		i++;
	if (i < len && s[i] != '#' && s[i] != '!')
		return 0;
	if (!(*out = strndup(s + p, pe - p)))
		return -ENOMEM;
	return 1;
}

static int lex_line(struct lexer *lx, unsigned file, unsigned line,
		    const char *s, size_t len, int depth)
{
	size_t first = lx->n, i = 0;
	char *pat = NULL;
	int rc;

	if ((rc = include_line(s, len, &pat)) < 0)
		return rc;
	if (rc == 1) {
		rc = lex_include(lx, file, line, pat, depth);
		free(pat);
		return rc;
	}

	while (i < len) {
		char c = s[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
		    c == '\v') {
			i++;
		} else if (c == '#' || c == '!') {
			break; /* a comment to the end of the line */
		} else if (c == '{' || c == '}') {
			rc = push(lx, c == '{' ? T_LBRACE : T_RBRACE, NULL, 0,
				  0, file, line);
			if (rc)
				return rc;
			i++;
		} else {
			rc = lex_word(lx, file, line, s, len, &i);
			if (rc)
				return rc;
		}
	}
	/* `include PATTERN` alone on its line: the files replace it */
	if (lx->n == first + 2 && lx->v[first].type == T_WORD &&
	    !lx->v[first].quoted && is_include(lx->v[first].text) &&
	    lx->v[first + 1].type == T_WORD) {
		char *pattern = lx->v[first + 1].text;

		free(lx->v[first].text);
		lx->n = first;
		rc = lex_include(lx, file, line, pattern, depth);
		free(pattern);
		return rc;
	}
	if (lx->n > first)
		return push(lx, T_EOL, NULL, 0, 0, file, line);
	return 0;
}

static int lex_buf(struct lexer *lx, unsigned file, const char *buf,
		   size_t len, int depth)
{
	const char *name = lx->t->files[file];
	unsigned line = 0;
	size_t pos = 0;
	int rc = 0;

	if (memchr(buf, '\0', len)) {
		const char *z = memchr(buf, '\0', len);
		unsigned zl = 1;

		for (const char *p = buf; p < z; p++)
			zl += *p == '\n';
		fatal(lx->r, name, zl, "NUL byte (not a text file)");
		return -EINVAL;
	}
	/* line by line; a trailing backslash does not continue a line in
	 * keepalived (only in its $PARAMETER definitions, not supported) */
	while (pos < len && rc == 0) {
		const char *s = buf + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - s) : len - pos;

		pos += l + (nl ? 1 : 0);
		line++;
		rc = lex_line(lx, file, line, s, l, depth);
	}
	return rc;
}

static void node_free(struct ka_node *n)
{
	while (n) {
		struct ka_node *next = n->next;

		node_free(n->child);
		for (size_t i = 0; i < n->argc; i++)
			free(n->argv[i]);
		free(n->argv);
		free(n->quoted);
		free(n);
		n = next;
	}
}

/* Builds the statements of one level, from *pos up to its closing brace
 * (level > 0) or the end. */
static int parse_level(struct lexer *lx, size_t *pos, int level,
		       const struct tok *open, struct ka_node **out)
{
	struct ka_node *head = NULL, **tail = &head, *last = NULL;
	int rc = 0;

	while (*pos < lx->n) {
		const struct tok *tk = &lx->v[*pos];
		size_t start = *pos, nw = 0;

		if (tk->type == T_EOL) {
			(*pos)++;
			continue;
		}
		if (tk->type == T_RBRACE) {
			(*pos)++;
			if (level == 0) {
				fatal(lx->r, lx->t->files[tk->file], tk->line,
				      "'}' without its '{'");
				rc = -EINVAL;
				goto fail;
			}
			*out = head;
			return 0;
		}
		while (*pos < lx->n && lx->v[*pos].type == T_WORD) {
			(*pos)++;
			nw++;
		}
		if (nw) {
			struct ka_node *n = calloc(1, sizeof(*n));

			if (!n || !(n->argv = calloc(nw, sizeof(char *))) ||
			    !(n->quoted = calloc(nw, 1))) {
				if (n)
					free(n->argv);
				free(n);
				rc = -ENOMEM;
				goto fail;
			}
			n->file = lx->t->files[tk->file];
			n->line = tk->line;
			n->argc = nw;
			for (size_t i = 0; i < nw; i++) {
				n->argv[i] = lx->v[start + i].text;
				lx->v[start + i].text = NULL;
				n->quoted[i] = (unsigned char)lx->v[start + i]
						       .quoted;
			}
			*tail = n;
			tail = &n->next;
			last = n;
		}
		if (*pos < lx->n && lx->v[*pos].type == T_LBRACE) {
			const struct tok *lb = &lx->v[*pos];

			/* a '{' alone on its line opens the block of the
			 * statement before it */
			if (!nw && (!last || last->has_block)) {
				fatal(lx->r, lx->t->files[lb->file], lb->line,
				      "'{' without a keyword before it");
				rc = -EINVAL;
				goto fail;
			}
			if (level >= 64) {
				fatal(lx->r, lx->t->files[lb->file], lb->line,
				      "blocks nested too deep");
				rc = -EINVAL;
				goto fail;
			}
			(*pos)++;
			last->has_block = 1;
			last->block_line = lb->line;
			rc = parse_level(lx, pos, level + 1, lb, &last->child);
			if (rc)
				goto fail;
		} else if (nw && *pos < lx->n && lx->v[*pos].type == T_EOL) {
			(*pos)++;
		}
	}
	if (level > 0) {
		fatal(lx->r, lx->t->files[open->file], open->line,
		      "'{' is never closed");
		rc = -EINVAL;
		goto fail;
	}
	*out = head;
	return 0;
fail:
	node_free(head);
	return rc;
}

static int finish(struct lexer *lx, int rc, struct ka_tree *t)
{
	size_t pos = 0;

	if (rc == 0)
		rc = parse_level(lx, &pos, 0, NULL, &t->root);
	for (size_t i = 0; i < lx->n; i++)
		free(lx->v[i].text);
	free(lx->v);
	if (rc)
		ka_tree_free(t);
	return rc;
}

int ka_parse_file(const char *path, struct ka_tree *t, struct ka_report *r)
{
	struct lexer lx = {.t = t, .r = r, .follow_includes = 1};

	memset(t, 0, sizeof(*t));
	return finish(&lx, lex_path(&lx, path, NULL, 0, 0), t);
}

int ka_parse_mem(const char *name, const char *buf, size_t len,
		 int follow_includes, struct ka_tree *t, struct ka_report *r)
{
	struct lexer lx = {.t = t, .r = r, .follow_includes = follow_includes};
	unsigned idx;
	int rc;

	memset(t, 0, sizeof(*t));
	rc = add_file(t, name, &idx);
	if (rc == 0)
		rc = lex_buf(&lx, idx, buf, len, 0);
	return finish(&lx, rc, t);
}

void ka_tree_free(struct ka_tree *t)
{
	node_free(t->root);
	for (size_t i = 0; i < t->n_files; i++)
		free(t->files[i]);
	free(t->files);
	memset(t, 0, sizeof(*t));
}
