/* fuzz_udpmatch.c — libFuzzer target for UDP_CHECK's bytes: the input up
 * to the first NUL is a hex pattern (keepalived's free form, x allowed),
 * the rest a reply; the pattern parser must stay in its buffer and end
 * with a byte count or a reason, and the reply test must agree with a
 * plain byte-by-byte comparison. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../plugins/check/udp/udpmatch.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct udp_hex pat;
	const uint8_t *nul = memchr(data, 0, size);
	char s[4200], err[80] = "", why[96];
	size_t sl, rl, n;
	const uint8_t *reply;
	int ok = 1;

	if (!nul || (size_t)(nul - data) >= sizeof(s))
		return 0;
	sl = (size_t)(nul - data);
	memcpy(s, data, sl);
	s[sl] = '\0';
	reply = nul + 1;
	rl = size - sl - 1;
	if (udp_hex_parse(s, 1, &pat, err, sizeof(err)) < 0) {
		if (!err[0])
			abort();
		return 0;
	}
	if (pat.n == 0 || pat.n > UDP_HEX_MAX)
		abort();
	n = rl < pat.n ? rl : pat.n;
	for (size_t i = 0; i < n; i++)
		if ((reply[i] ^ pat.b[i]) & pat.mask[i])
			ok = 0;
	if ((udp_reply_check(reply, rl, 0, 65535, &pat, why, sizeof(why)) == 0) != ok)
		abort();
	return 0;
}
