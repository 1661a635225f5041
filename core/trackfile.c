/* trackfile.c — the number in a [vrrp_track_file]'s file (see
 * trackfile.h). */
#include "trackfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int trackfile_parse_number(const char *buf, size_t len, int64_t *out)
{
	size_t i = 0;
	int neg = 0, digits = 0;
	int64_t v = 0;

	*out = 0;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
		i++;
	if (i < len && (buf[i] == '-' || buf[i] == '+'))
		neg = buf[i++] == '-';
	/* Out of range saturates (as strtoll): a huge negative number is
	 * still a FAULT, a huge positive one the highest priority. */
	for (; i < len && buf[i] >= '0' && buf[i] <= '9'; i++, digits++) {
		if (v > (INT64_MAX - (buf[i] - '0')) / 10)
			v = INT64_MAX;
		else
			v = v * 10 + (buf[i] - '0');
	}
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' ||
			   buf[i] == '\r'))
		i++;
	if (!digits || i != len)
		return -EINVAL;
	*out = neg ? -v : v;
	return 0;
}

void trackfile_read(const char *path, int64_t *out, char *detail, size_t len)
{
	char buf[TRACKFILE_MAX_READ + 2];
	int64_t v = 0;
	ssize_t n = -1;
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		n = read(fd, buf, TRACKFILE_MAX_READ + 1);
	else if (fd >= 0)
		errno = EINVAL;
	if (n < 0)
		snprintf(detail, len, "cannot read it (%s): 0",
			 errno == EINVAL ? "not a regular file" : strerror(errno));
	else if (n == 0)
		snprintf(detail, len, "empty: 0");
	else if (n > TRACKFILE_MAX_READ)
		snprintf(detail, len, "longer than %d bytes: 0",
			 TRACKFILE_MAX_READ);
	else if (trackfile_parse_number(buf, (size_t)n, &v) < 0)
		snprintf(detail, len, "not a number: 0");
	else
		snprintf(detail, len, "value %lld", (long long)v);
	if (fd >= 0)
		close(fd);
	*out = v;
}
