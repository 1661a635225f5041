/* fuzz_ipvssync.c — libFuzzer target for the parser of the kernel's
 * GET_DAEMON replies (the IPVS sync daemons): bytes become a netlink
 * message and, alone, the nested daemon attribute. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/netlink.h>

#include "ipvssync_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipvssync_daemon d;
	/* Aligned copies: netlink parsers assume 4-byte alignment. */
	void *buf = calloc(1, size + 16);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (size >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr *h = buf;

		if (h->nlmsg_len <= size && h->nlmsg_len >= sizeof(*h))
			(void)ipvssync_parse_msg(h, &d);
	}
	if (size >= sizeof(struct nlattr)) {
		struct nlattr *a = buf;

		if (a->nla_len <= size && a->nla_len >= sizeof(*a))
			(void)ipvssync_parse_daemon(a, &d);
	}
	free(buf);
	return 0;
}
