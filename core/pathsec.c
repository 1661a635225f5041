/* pathsec.c — ownership and mode checks of a file lvsd loads or runs, and
 * of every directory on the way to it (see pathsec.h). The walk resolves
 * the path itself, one component at a time with openat(), so that every
 * directory it steps through is judged, the targets of links included.
 */
#include "pathsec.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATHSEC_MAX_LINKS 40

static bool trusted_owner(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

/* "uid 1000 (alice)" */
static void owner_str(uid_t uid, char *buf, size_t len)
{
	struct passwd pw, *res = NULL;
	char tmp[1024];

	if (getpwuid_r(uid, &pw, tmp, sizeof(tmp), &res) == 0 && res)
		snprintf(buf, len, "uid %u (%s)", (unsigned)uid, res->pw_name);
	else
		snprintf(buf, len, "uid %u", (unsigned)uid);
}

static const char *writers(mode_t m)
{
	if ((m & S_IWGRP) && (m & S_IWOTH))
		return "group and others";
	return m & S_IWGRP ? "its group" : "others";
}

/* Judge what lives at shown (a directory on the way, or the file at the
 * end). *sticky_dir: set when it is a directory that others may write
 * but whose sticky bit protects entries owned by root. */
static int judge(const char *shown, const struct stat *st, bool last,
		 bool *sticky_dir, char *err, size_t errlen)
{
	const char *what = last ? "file" : "directory";
	char own[300];

	*sticky_dir = false;
	if (!trusted_owner(st->st_uid)) {
		owner_str(st->st_uid, own, sizeof(own));
		snprintf(err, errlen,
			 "%s %s is owned by %s, not root; fix: chown root %s",
			 what, shown, own, shown);
		return -EPERM;
	}
	if (last && !S_ISREG(st->st_mode)) {
		snprintf(err, errlen, "%s is not a regular file", shown);
		return -EPERM;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		if (!last && (st->st_mode & S_ISVTX)) {
			*sticky_dir = true;
			return 0;
		}
		snprintf(err, errlen,
			 "%s %s is writable by %s (mode %04o); fix: chmod go-w %s",
			 what, shown, writers(st->st_mode),
			 (unsigned)(st->st_mode & 07777), shown);
		return -EPERM;
	}
	return 0;
}

/* shown = shown + "/" + name (or "/name" at the root). */
static void push(char *shown, size_t len, const char *name)
{
	size_t n = strlen(shown);

	if (n > 1 || shown[0] != '/')
		snprintf(shown + n, len - n, "/%s", name);
	else
		snprintf(shown + n, len - n, "%s", name);
}

static void pop(char *shown)
{
	char *s = strrchr(shown, '/');

	if (s && s != shown)
		*s = '\0';
	else
		strcpy(shown, "/");
}

static int cannot(const char *shown, int e, char *err, size_t errlen)
{
	if (e == ENOENT)
		snprintf(err, errlen, "%s does not exist", shown);
	else if (e == ENOTDIR)
		snprintf(err, errlen, "%s is not a directory", shown);
	else
		snprintf(err, errlen, "cannot look at %s: %s", shown, strerror(e));
	return -e;
}

static int walk(const char *path, bool want_dir, char *err, size_t errlen)
{
	char rest[2 * PATH_MAX], shown[PATH_MAX], link[PATH_MAX];
	int dirfd, links = 0, r = 0;
	bool sticky;
	struct stat st;
	char *p;

	if (!path || !*path) {
		snprintf(err, errlen, "empty path");
		return -EINVAL;
	}
	if (path[0] != '/') { /* as open() finds it: from the working directory */
		if (!getcwd(rest, sizeof(rest) - 1)) {
			snprintf(err, errlen, "%s: cannot find the working directory: %s",
				 path, strerror(errno));
			return -errno;
		}
		if (strlen(rest) + strlen(path) + 2 > sizeof(rest)) {
			snprintf(err, errlen, "path too long");
			return -ENAMETOOLONG;
		}
		strcat(rest, "/");
		strcat(rest, path);
	} else if (strlen(path) >= sizeof(rest)) {
		snprintf(err, errlen, "path too long");
		return -ENAMETOOLONG;
	} else {
		strcpy(rest, path);
	}
	strcpy(shown, "/");
	dirfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0 || fstat(dirfd, &st) < 0) {
		r = cannot("/", errno, err, errlen);
		goto out;
	}
	if ((r = judge("/", &st, false, &sticky, err, errlen)) < 0)
		goto out;
	p = rest;
	for (;;) {
		char *name, *next;
		bool last;
		int fd;

		while (*p == '/')
			p++;
		if (!*p) { /* the path ended on a directory ("/usr/lib/") */
			if (want_dir)
				goto out;
			snprintf(err, errlen, "%s is a directory", shown);
			r = -EPERM;
			goto out;
		}
		name = p;
		next = strchr(p, '/');
		if (next)
			*next++ = '\0';
		else
			next = p + strlen(p);
		while (*next == '/')
			next++;
		last = !*next;
		p = next;
		if (!strcmp(name, ".")) {
			if (last && !want_dir) {
				snprintf(err, errlen, "%s is a directory", shown);
				r = -EPERM;
				goto out;
			}
			continue;
		}
		if (!strcmp(name, "..")) {
			fd = openat(dirfd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (fd < 0 || fstat(fd, &st) < 0) {
				r = cannot(shown, errno, err, errlen);
				if (fd >= 0)
					close(fd);
				goto out;
			}
			close(dirfd);
			dirfd = fd;
			pop(shown);
			if ((r = judge(shown, &st, false, &sticky, err, errlen)) < 0)
				goto out;
			if (last && want_dir)
				goto out;
			if (last) {
				snprintf(err, errlen, "%s is a directory", shown);
				r = -EPERM;
				goto out;
			}
			continue;
		}
		push(shown, sizeof(shown), name);
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			r = cannot(shown, errno, err, errlen);
			goto out;
		}
		if (sticky && !trusted_owner(st.st_uid)) {
			struct stat dst;
			char own[300];

			owner_str(st.st_uid, own, sizeof(own));
			if (fstat(dirfd, &dst) < 0)
				dst.st_mode = 0;
			snprintf(err, errlen,
				 "%s is owned by %s in a directory others may write (sticky, mode %04o); fix: chown root %s, or move it to a directory only root may write",
				 shown, own, (unsigned)(dst.st_mode & 07777), shown);
			r = -EPERM;
			goto out;
		}
		if (S_ISLNK(st.st_mode)) {
			ssize_t n;

			if (++links > PATHSEC_MAX_LINKS) {
				snprintf(err, errlen, "%s: too many symbolic links", path);
				r = -ELOOP;
				goto out;
			}
			n = readlinkat(dirfd, name, link, sizeof(link) - 1);
			if (n < 0) {
				r = cannot(shown, errno, err, errlen);
				goto out;
			}
			link[n] = '\0';
			pop(shown);
			if ((size_t)n + strlen(p) + 2 >= sizeof(rest)) {
				snprintf(err, errlen, "%s: path too long", path);
				r = -ENAMETOOLONG;
				goto out;
			}
			/* rest = link "/" what is left (p points into rest) */
			if (*p) {
				memmove(rest + n + 1, p, strlen(p) + 1);
				rest[n] = '/';
			} else {
				rest[n] = '\0';
			}
			memcpy(rest, link, (size_t)n);
			p = rest;
			if (link[0] == '/') {
				close(dirfd);
				strcpy(shown, "/");
				dirfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
				if (dirfd < 0 || fstat(dirfd, &st) < 0) {
					r = cannot("/", errno, err, errlen);
					goto out;
				}
				if ((r = judge("/", &st, false, &sticky, err, errlen)) < 0)
					goto out;
			}
			continue;
		}
		if (last && !want_dir) {
			r = judge(shown, &st, true, &sticky, err, errlen);
			goto out;
		}
		fd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0) {
			r = cannot(shown, errno, err, errlen);
			if (fd >= 0)
				close(fd);
			goto out;
		}
		close(dirfd);
		dirfd = fd;
		if ((r = judge(shown, &st, false, &sticky, err, errlen)) < 0)
			goto out;
		if (last)
			goto out;
	}
out:
	if (dirfd >= 0)
		close(dirfd);
	return r;
}

int pathsec_check(const char *path, char *err, size_t errlen)
{
	return walk(path, false, err, errlen);
}

int pathsec_check_dir(const char *path, char *err, size_t errlen)
{
	return walk(path, true, err, errlen);
}
