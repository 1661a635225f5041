/* opfile.c — the operator state file on disk (see opfile.h): read whole
 * without following links or blocking on a FIFO, replaced atomically,
 * appended to as a journal. The text itself: opstate.c. */
#include "opfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

#define STATE_MAX_BYTES (256u << 20)

/* ------------------------------------------------------------ loading */

static void load_warn(void *arg, unsigned line, const char *why)
{
	log_warnx("%s:%u: %s (line ignored)", (const char *)arg, line, why);
}

static const char *file_kind(mode_t m)
{
	return S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device"
	       : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket"
	       : "not a file";
}

/* The whole file into *text (NUL-terminated, *len bytes before it): one
 * allocation of its size (st_size), grown only if it grew meanwhile. */
static int read_all(int fd, size_t hint, char **text, size_t *len, char *err,
		    size_t errlen)
{
	size_t cap = hint + 1 > 65536 ? hint + 1 : 65536, n = 0;
	char *buf = malloc(cap);

	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (;;) {
		ssize_t k;

		if (n + 1 == cap) {
			char *b;

			if (cap > STATE_MAX_BYTES) {
				free(buf);
				snprintf(err, errlen, "larger than %u MiB",
					 STATE_MAX_BYTES >> 20);
				return -EFBIG;
			}
			cap *= 2;
			b = realloc(buf, cap);
			if (!b) {
				free(buf);
				snprintf(err, errlen, "out of memory");
				return -ENOMEM;
			}
			buf = b;
		}
		k = read(fd, buf + n, cap - 1 - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = errno;

			free(buf);
			snprintf(err, errlen, "read: %s", strerror(e));
			return -e;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

int opfile_load(const char *path, struct opstate *out, unsigned *damaged,
		size_t *bytes, char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0;
	struct stat st;
	int fd, r, ends_nl;

	memset(out, 0, sizeof(*out));
	*damaged = 0;
	*bytes = SIZE_MAX;
	snprintf(err, errlen, "ok");
	/* O_NONBLOCK: a FIFO planted at the path must not hang the start. */
	/* O_NOFOLLOW: a symbolic link is neither followed nor, later,
	 * replaced by the save's rename: held, like a directory. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		r = -errno;
		if (r == -ENOENT)
			return 0;
		if (r == -ELOOP)
			snprintf(err, errlen, "a symbolic link, not a regular file "
				 "(lvsd neither follows nor replaces one: set "
				 "state_file to the file itself)");
		else
			snprintf(err, errlen, "%s", strerror(-r));
		return r;
	}
	if (fstat(fd, &st) < 0) {
		r = -errno;
		snprintf(err, errlen, "%s", strerror(-r));
	} else if (S_ISDIR(st.st_mode)) {
		r = -EISDIR;
		snprintf(err, errlen, "%s", strerror(EISDIR));
	} else if (!S_ISREG(st.st_mode)) {
		r = -EINVAL;
		snprintf(err, errlen, "%s, not a regular file", file_kind(st.st_mode));
	} else {
		r = read_all(fd, st.st_size > STATE_MAX_BYTES ? STATE_MAX_BYTES
						 : (size_t)st.st_size,
			     &text, &len, err, errlen);
	}
	close(fd);
	if (r < 0)
		return r;
	ends_nl = len == 0 || text[len - 1] == '\n';
	/* frees text */
	r = opstate_parse_take(text, len, out, load_warn, (void *)path);
	if (r == 0 && ends_nl)
		*bytes = len; /* a journal line may follow */
	if (r < 0) {
		snprintf(err, errlen, "out of memory");
		return r;
	}
	if (r > 0 && out->n_rs == 0 && out->n_owned == 0 && out->n_rt == 0) {
		/* not one record: another file (the config?) given as the
		 * state file; never written over */
		opstate_free(out);
		memset(out, 0, sizeof(*out));
		snprintf(err, errlen, "none of its lines is a state record (%d "
			 "damaged): not a state file?", r);
		return -EINVAL;
	}
	*damaged = (unsigned)r;
	return 0;
}
/* The directory holding path, fsync'd so that the rename is on disk. */
static int sync_dir(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	int fd, e = 0;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		e = -errno;
	close(fd);
	return e;
}

int opfile_save(const char *path, const struct opstate *s, size_t *bytes)
{
	char tmp[4200];
	FILE *f;
	int fd, e = 0;
	long size = -1;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	/* mkostemp: a random name, O_CREAT|O_EXCL (never an existing file or
	 * a symlink), mode 0600; O_NOFOLLOW said once more. */
	fd = mkostemp(tmp, O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		e = -errno;
		close(fd);
		unlink(tmp);
		return e;
	}
	e = opstate_format(s, f);
	if (!e && (fflush(f) != 0 || fsync(fd) != 0))
		e = -errno;
	if (!e)
		size = ftell(f);
	if (fclose(f) != 0 && !e)
		e = -errno;
	/* a symbolic link planted at the path after the start: neither
	 * replaced nor written through */
	if (!e) {
		struct stat st;

		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			e = -ELOOP;
	}
	if (!e && rename(tmp, path) < 0)
		e = -errno;
	if (e) {
		unlink(tmp);
		return e;
	}
	/* The new file is in place; a failed directory sync only means the
	 * rename might not survive a power loss: said, not undone. */
	if ((e = sync_dir(path)) < 0)
		log_warnx("operator state %s: fsync of its directory: %s", path,
			  strerror(-e));
	if (bytes)
		*bytes = size < 0 ? SIZE_MAX : (size_t)size;
	return 0;
}

int opfile_append(const char *path, size_t at, const char *text, size_t len)
{
	struct stat st;
	size_t done = 0;
	int fd, e = 0;

	fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
		  O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		e = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode) || (uintmax_t)st.st_size != (uintmax_t)at) {
		e = -ESTALE; /* not the file lvsd wrote: rewritten whole */
		goto out;
	}
	while (done < len) {
		ssize_t k = write(fd, text + done, len - done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			e = k < 0 ? -errno : -EIO;
			break;
		}
		done += (size_t)k;
	}
	if (!e && fdatasync(fd) < 0)
		e = -errno;
	if (e && done && ftruncate(fd, (off_t)at) < 0)
		e = -ESTALE; /* a piece of the line stays: rewritten whole */
out:
	close(fd);
	return e;
}
