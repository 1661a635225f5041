/* udpmatch.c — keepalived's hex strings and the reply test of UDP_CHECK
 * (see udpmatch.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "udpmatch.h"

static int nibble(char c, int wild, uint8_t *v, uint8_t *m)
{
	*m = 0xf;
	if (c >= '0' && c <= '9')
		*v = (uint8_t)(c - '0');
	else if (c >= 'a' && c <= 'f')
		*v = (uint8_t)(c - 'a' + 10);
	else if (c >= 'A' && c <= 'F')
		*v = (uint8_t)(c - 'A' + 10);
	else if (wild && (c == 'x' || c == 'X'))
		*v = *m = 0;
	else
		return -1;
	return 0;
}

int udp_hex_parse(const char *s, int wild, struct udp_hex *out, char *err,
		  size_t len)
{
	const char *p = s;

	out->n = 0;
	while (*p) {
		uint8_t hi, lo, mh, ml;

		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		if (nibble(*p, wild, &hi, &mh) < 0)
			goto bad;
		if (out->n == UDP_HEX_MAX) {
			snprintf(err, len, "more than %d bytes", UDP_HEX_MAX);
			return -EINVAL;
		}
		if (p[1] && p[1] != ' ' && p[1] != '\t') {
			p++;
			if (nibble(*p, wild, &lo, &ml) < 0)
				goto bad;
			out->b[out->n] = (uint8_t)(hi << 4 | lo);
			out->mask[out->n] = (uint8_t)(mh << 4 | ml);
		} else { /* a lone digit at the end of a word: 0X */
			out->b[out->n] = hi;
			out->mask[out->n] = (uint8_t)(0xf0 | mh);
		}
		out->n++;
		p++;
	}
	if (out->n)
		return 0;
	snprintf(err, len, "no hex digits");
	return -EINVAL;
bad:
	snprintf(err, len, "'%c' is not a hex digit%s", *p, wild ? " or x" : "");
	return -EINVAL;
}

int udp_reply_check(const uint8_t *reply, size_t len, size_t min, size_t max,
		    const struct udp_hex *pat, char *why, size_t whylen)
{
	size_t n;

	if (len < min || len > max) {
		snprintf(why, whylen, "reply of %zu bytes (want %zu..%zu)", len, min, max);
		return -1;
	}
	if (!pat)
		return 0;
	n = len < pat->n ? len : pat->n;
	for (size_t i = 0; i < n; i++)
		if ((reply[i] & pat->mask[i]) != (pat->b[i] & pat->mask[i])) {
			snprintf(why, whylen, "reply differs at byte %zu (0x%02x)", i,
				 reply[i]);
			return -1;
		}
	return 0;
}
