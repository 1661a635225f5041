/* udpmatch.h — the UDP_CHECK checker's bytes: keepalived's free-form hex
 * strings ("Ab12f 3 456": pairs of digits per word, a lone last digit is
 * a byte of its own, x/X a nibble that matches anything in a reply
 * pattern) and the test of a reply against its length limits and that
 * pattern. Pure: no I/O, no allocation. */
#ifndef LVSD_CHECK_UDPMATCH_H
#define LVSD_CHECK_UDPMATCH_H

#include <stddef.h>
#include <stdint.h>

#define UDP_HEX_MAX 1024 /* bytes of a payload or a reply pattern */

struct udp_hex {
	uint8_t b[UDP_HEX_MAX];
	uint8_t mask[UDP_HEX_MAX]; /* 0xff: compare all, 0x0f, 0xf0, 0 */
	size_t n;
};

/* Parse s; wild: x/X allowed. 0, or -EINVAL with a message in err. */
int udp_hex_parse(const char *s, int wild, struct udp_hex *out, char *err,
		  size_t len);

/* Does a reply of len bytes pass? It must be min..max bytes long and
 * match pat (if any) on the first min(len, pat->n) bytes. 0, or -1 with
 * the reason in why ("reply of 3 bytes (want 4..255)", "reply differs at
 * byte 2"). */
int udp_reply_check(const uint8_t *reply, size_t len, size_t min, size_t max,
		    const struct udp_hex *pat, char *why, size_t whylen);

#endif
