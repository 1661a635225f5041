/* fileval.c — FILE_CHECK's number and verdict (see fileval.h). */
#include "fileval.h"

#include <errno.h>

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int fileval_parse(const char *buf, size_t n, long long *out)
{
	size_t i = 0;
	long long v = 0;
	int neg = 0, digits = 0;

	if (n > FILEVAL_MAX)
		return -EINVAL;
	while (i < n && blank(buf[i]))
		i++;
	if (i < n && (buf[i] == '-' || buf[i] == '+'))
		neg = buf[i++] == '-';
	for (; i < n && buf[i] >= '0' && buf[i] <= '9'; i++, digits++)
		if (v <= FILEVAL_LIMIT) /* stays far below overflow */
			v = v * 10 + (buf[i] - '0');
	while (i < n && blank(buf[i]))
		i++;
	if (i != n)
		return -EINVAL;
	if (!digits) {
		/* only blanks: 0; a lone sign is not a number */
		for (size_t j = 0; j < n; j++)
			if (!blank(buf[j]))
				return -EINVAL;
	}
	if (v > FILEVAL_LIMIT)
		return -ERANGE;
	*out = neg ? -v : v;
	return 0;
}

int fileval_verdict(long long v, long long weight, long long *product)
{
	long long p;

	if (weight == 0) {
		*product = 0;
		return v == 0;
	}
	if (v > FILEVAL_LIMIT)
		v = FILEVAL_LIMIT;
	if (v < -FILEVAL_LIMIT)
		v = -FILEVAL_LIMIT;
	if (weight > FILEVAL_LIMIT)
		weight = FILEVAL_LIMIT;
	if (weight < -FILEVAL_LIMIT)
		weight = -FILEVAL_LIMIT;
	p = v * weight; /* |p| < 2^62: no overflow */
	if (p > FILEVAL_LIMIT)
		p = FILEVAL_LIMIT;
	if (p < -FILEVAL_LIMIT)
		p = -FILEVAL_LIMIT;
	*product = p;
	return p >= 0;
}
