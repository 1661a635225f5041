/* progcheck.c — checks of a configured command before lvsd has to run it
 * (see progcheck.h): shell syntax outside quotes, keepalived's quoted
 * whole command, and the program itself as execvp() would find it.
 */
#include "progcheck.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cfgval.h"
#include "model.h"
#include "pathsec.h"

/* execvp()'s search path when PATH is not set (glibc's, without ".") */
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* The shell syntax at s (outside quotes), as it would be written in a
 * message, or NULL. */
static const char *shell_syntax(const char *s, char *buf, size_t len)
{
	switch (*s) {
	case '|': return s[1] == '|' ? "||" : "|";
	case '&': return s[1] == '&' ? "&&" : "&";
	case ';': return ";";
	case '<': return "<";
	case '>': return s[1] == '>' ? ">>" : ">";
	case '`': return "`";
	case '$':
		if (s[1] == '(' || s[1] == '{') {
			snprintf(buf, len, "$%c", s[1]);
			return buf;
		}
		if (isdigit((unsigned char)s[1]) || (s[1] && strchr("@*#?$!-", s[1]))) {
			/* $1, $@, $?, ...: the shell's parameters */
			snprintf(buf, len, "$%c", s[1]);
			return buf;
		}
		if (isalpha((unsigned char)s[1]) || s[1] == '_') {
			size_t n = 1;

			while (isalnum((unsigned char)s[n]) || s[n] == '_')
				n++;
			snprintf(buf, len, "%.*s", (int)(n > 40 ? 40 : n), s);
			return buf;
		}
		return NULL;
	}
	return NULL;
}

/* Walk the line with cfgval_argv()'s quoting; the first unquoted shell
 * syntax, or NULL. Unterminated quotes are left to cfgval_argv(). */
static const char *find_syntax(const char *s, char *buf, size_t len)
{
	while (*s) {
		const char *what;

		if (*s == '\'' || *s == '"') {
			char q = *s++;

			while (*s && *s != q) {
				if (q == '"' && *s == '\\' &&
				    (s[1] == '"' || s[1] == '\\'))
					s++;
				s++;
			}
			if (*s)
				s++;
			continue;
		}
		if (*s == '\\' && s[1]) {
			s += 2;
			continue;
		}
		if ((what = shell_syntax(s, buf, len)))
			return what;
		s++;
	}
	return NULL;
}

/* Is path a regular file with an x bit? 0, -ENOENT, -EACCES (not
 * executable), -EISDIR, -ENODEV (a FIFO, device or socket), or 1:
 * cannot tell (no permission to look, as for
 * lvsd -t run by a user on root's scripts): accepted. */
static int file_runnable(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return errno == EACCES ? 1 : -ENOENT;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -ENODEV; /* x bit or not: nothing to execute */
	if (!(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
		return -EACCES;
	return 0;
}

/* Find prog (no '/') in PATH as execvp() does: 0 when found there (its
 * path in found, "" when it could not be looked at), else -ENOENT (or
 * -EACCES: found, not executable). */
static int search_path(const char *prog, char *found, size_t flen)
{
	const char *path = getenv("PATH");
	int best = -ENOENT;

	if (!path || !*path)
		path = DEFAULT_PATH;
	while (*path) {
		size_t n = strcspn(path, ":");
		char full[4096];
		int r;

		if (n && n + strlen(prog) + 2 <= sizeof(full)) {
			snprintf(full, sizeof(full), "%.*s/%s", (int)n, path, prog);
			r = file_runnable(full);
			if (r == 0 || r == 1) {
				snprintf(found, flen, "%s", r == 0 ? full : "");
				return 0;
			}
			if (r == -EACCES)
				best = -EACCES;
		}
		path += n;
		if (*path == ':')
			path++;
	}
	return best;
}

/* The program and every directory above it root's and writable by
 * nobody else (pathsec.h): -EPERM with the fix in err. A path lvsd
 * cannot look at (lvsd -t run by a user) is accepted, as above. */
static int owner_ok(const char *path, char *err, size_t errlen)
{
	char why[1024];
	int r = pathsec_check(path, why, sizeof(why));

	if (r == -EACCES)
		return 0;
	if (r < 0) {
		snprintf(err, errlen,
			 "program %s refused: %s (a program lvsd runs must be root's and writable by root alone, like the directories above it)",
			 path, why);
		return r == -EPERM ? -EPERM : r;
	}
	return 0;
}

static bool has_blank(const char *s)
{
	for (; *s; s++)
		if (isspace((unsigned char)*s))
			return true;
	return false;
}

int progcheck_argv(const char *const *argv, size_t argc, unsigned flags,
		   char *err, size_t errlen)
{
	const char *prog = argc ? argv[0] : NULL;
	int r;

	if (!prog || !*prog) {
		snprintf(err, errlen, "empty command");
		return -EINVAL;
	}
	if (has_blank(prog) &&
	    (!(flags & PROGCHECK_FILE) || file_runnable(prog) < 0)) {
		snprintf(err, errlen,
			 "program '%s' has a blank in its name: a command quoted as a whole (keepalived's \"/path/x.sh arg\") is one word here, as lvsd runs no shell; write it without the outer quotes: %s",
			 prog, prog);
		return -EINVAL;
	}
	if (!(flags & PROGCHECK_FILE))
		return 0;
	if (!strchr(prog, '/')) {
		char found[4096];

		r = search_path(prog, found, sizeof(found));
		if (r == 0 && *found && (flags & PROGCHECK_OWNER))
			return owner_ok(found, err, errlen);
		if (r == -EACCES)
			snprintf(err, errlen,
				 "program '%s' in PATH is not executable (chmod +x it)",
				 prog);
		else if (r < 0)
			snprintf(err, errlen,
				 "program '%s' not found in PATH; give its absolute path",
				 prog);
		return r;
	}
	if (prog[0] != '/') {
		snprintf(err, errlen,
			 "program '%s' is a relative path, which depends on the daemon's working directory; give its absolute path",
			 prog);
		return -EINVAL;
	}
	r = file_runnable(prog);
	if (r == -ENOENT)
		snprintf(err, errlen, "program '%s' does not exist", prog);
	else if (r == -EISDIR)
		snprintf(err, errlen, "program '%s' is a directory", prog);
	else if (r == -ENODEV)
		snprintf(err, errlen,
			 "program '%s' is a FIFO, device or socket, not a regular file",
			 prog);
	else if (r == -EACCES)
		snprintf(err, errlen,
			 "program '%s' is not executable (chmod +x it, or name its interpreter first: /bin/sh %s)",
			 prog, prog);
	if (r == -EISDIR || r == -ENODEV)
		r = -EACCES;
	if (r == 0 && (flags & PROGCHECK_OWNER))
		return owner_ok(prog, err, errlen);
	return r < 0 ? r : 0;
}

int progcheck_line(const char *line, unsigned flags, char *err,
		   size_t errlen)
{
	struct model_strv sv = { 0 };
	char buf[64];
	const char *what;
	int r;

	if (flags & PROGCHECK_SYNTAX) {
		what = find_syntax(line, buf, sizeof(buf));
		if (what) {
			snprintf(err, errlen,
				 "'%s' is shell syntax, but lvsd runs commands without a shell (argv, execvp); write the program and its arguments only, quote a literal '%s', or ask for a shell explicitly: /bin/sh -c '...'",
				 what, what);
			return -EINVAL;
		}
	}
	r = cfgval_argv(line, &sv, err, errlen);
	if (r == 0)
		r = progcheck_argv((const char *const *)sv.v, sv.n, flags, err,
				   errlen);
	model_strv_free(&sv);
	return r;
}
