/* fuzz_ipvs.c — libFuzzer target for the parsers of the kernel's IPVS
 * netlink replies: bytes become a netlink message and, nested, the
 * service and destination attributes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/netlink.h>

#include "ipvs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipvs_service svc;
	struct ipvs_dest dest;
	struct ipvs_stats st;
	uint32_t v, n;
	struct ipvs_timeouts tmo;
	/* Aligned copies: netlink parsers assume 4-byte alignment. */
	void *buf = calloc(1, size + 16);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (size >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr *h = buf;

		if (h->nlmsg_len <= size) {
			(void)ipvs_parse_service_msg(h, &svc);
			(void)ipvs_parse_dest_msg(h, AF_INET, &dest);
			(void)ipvs_parse_info_msg(h, &v, &n);
			(void)ipvs_parse_config_msg(h, &tmo);
		}
	}
	if (size >= sizeof(struct nlattr)) {
		struct nlattr *a = buf;

		if (a->nla_len <= size && a->nla_len >= sizeof(*a)) {
			(void)ipvs_parse_service(a, &svc);
			(void)ipvs_parse_dest(a, AF_INET6, &dest);
			(void)ipvs_parse_stats(a, 1, &st);
		}
	}
	free(buf);
	return 0;
}
