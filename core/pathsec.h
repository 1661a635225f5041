/* pathsec.h — may lvsd trust this file? A plugin it dlopen()s or a
 * program it runs must be owned by root and writable by nobody else, and
 * so must every directory on the way to it from / (each symbolic link
 * followed): anyone who can replace one of them runs code as lvsd.
 * Pure C, no logging; reads the file system only.
 */
#ifndef LVSD_PATHSEC_H
#define LVSD_PATHSEC_H

#include <stddef.h>

/* Check path (a relative one from the working directory) and every directory from / down to it, following
 * symbolic links as the kernel would (at most 40): each must be owned by
 * root (or by the user lvsd runs as, when that is not root) and not
 * writable by group or others. A directory writable by others that has
 * the sticky bit (/tmp) is accepted when the entry lvsd goes through in
 * it is owned as above (nobody else may rename or remove it there).
 * The last component must be a regular file.
 * Returns 0; -EPERM (unsafe: err names the file or directory, its owner
 * or mode, and the fix); -ENOENT, -ENOTDIR, -ELOOP, -EINVAL (empty),
 * -EACCES (cannot look: lvsd -t run by a user) with err
 * saying so. err is never prefixed with the key or FILE:LINE. */
int pathsec_check(const char *path, char *err, size_t errlen);
/* The same for a directory (the plugin directory): it and its parents. */
int pathsec_check_dir(const char *path, char *err, size_t errlen);

#endif
