/* fuzz_vrrpnl.c — libFuzzer target for the VRRP engine's reading of its
 * rtnetlink socket (vrrp_nl_classify): arbitrary bytes as one batch of
 * messages. It must stay inside the buffer (ASan) and, for a non-empty
 * result, have seen at least one whole message header. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../plugins/vrrp/vrrp/vrrppkt.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the socket's buffer is aligned; so is this copy (exact size:
	 * ASan sees any read past it) */
	void *b = malloc(size ? size : 1);
	unsigned what;

	if (!b)
		return 0;
	memcpy(b, data, size);
	what = vrrp_nl_classify(b, size);
	if (what && size < sizeof(struct nlmsghdr))
		__builtin_trap();
	if ((what & VRRP_NL_DELADDR) && !(what & VRRP_NL_LINK))
		__builtin_trap();
	free(b);
	return 0;
}
