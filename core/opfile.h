/* opfile.h — the operator state file on disk (global state_file): read
 * whole, replaced atomically, appended to as a journal. What the file
 * says and the table it fills: opstate.h. */
#ifndef LVSD_OPFILE_H
#define LVSD_OPFILE_H

#include <stddef.h>

#include "opstate.h"

/* Read path; each damaged line is logged as "PATH:LINE: why" and counted
 * in *damaged. 0: read (a missing file is an empty state); -errno: the
 * path exists but is not a state file that can be read (-EISDIR, -EINVAL:
 * not a regular file, -EFBIG: over 256 MiB, an open or read error); out is
 * then empty and err says why ("Is a directory", "a FIFO, not a regular
 * file"). Never blocks on a FIFO or device. *bytes: the file's size when
 * it was read without damage and ends with a newline (opfile_append may
 * follow), else SIZE_MAX (a missing file too). out is the caller's (free
 * with opstate_free). */
int opfile_load(const char *path, struct opstate *out, unsigned *damaged,
		size_t *bytes, char *err, size_t errlen);
/* Replace path atomically: a new file "PATH.XXXXXX" created exclusively
 * (O_EXCL|O_NOFOLLOW, mode 0600) in the same directory, written,
 * fsync'd, renamed over path, then the directory fsync'd. Nothing planted
 * at a predictable name is followed. *bytes (may be NULL): the size
 * written. 0 or -errno (path unchanged). */
int opfile_save(const char *path, const struct opstate *s, size_t *bytes);
/* Append len bytes of journal lines (opstate_format_rs "set"/"del") to
 * path, which must be a regular file of at bytes (the one lvsd wrote or
 * read: else -ESTALE, nothing written), and fdatasync it. On a failure the
 * file is cut back to at bytes (-ESTALE if even that failed: write it
 * whole next). 0 or -errno. A line cut short by a crash is damaged, never
 * read (opstate_parse). */
int opfile_append(const char *path, size_t at, const char *text, size_t len);

#endif
