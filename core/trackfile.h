/* trackfile.h — the number in a [vrrp_track_file]'s file, as keepalived
 * reads it: at most TRACKFILE_MAX_READ bytes, one decimal integer. Pure
 * but for the read; vtrack.c watches the file and applies the number. */
#ifndef LVSD_TRACKFILE_H
#define LVSD_TRACKFILE_H

#include <stddef.h>
#include <stdint.h>

#define TRACKFILE_MAX_READ 64

/* Optional blanks, a decimal integer (sign allowed), optional
 * blanks/newline; beyond the int64 range it saturates (-INT64_MAX ..
 * INT64_MAX). 0 and *out, or -EINVAL (*out = 0). The unit test and the
 * fuzz target call it too. */
int trackfile_parse_number(const char *buf, size_t len, int64_t *out);

/* The number in the file at path into *out, and what was read into
 * detail ("value 5"; always NUL-terminated). A missing, empty,
 * unreadable, not regular or over-long file, or one of something else,
 * counts as 0 and detail says why ("empty: 0"). */
void trackfile_read(const char *path, int64_t *out, char *detail, size_t len);

#endif
