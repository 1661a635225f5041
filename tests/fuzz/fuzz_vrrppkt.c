/* fuzz_vrrppkt.c — libFuzzer target for the VRRP engine's packet reader:
 * an IPv4 datagram as a raw socket returns it, or an IPv6 payload, parsed
 * and checked as each of the instance kinds would (v2 PASS, v3 IPv4/IPv6). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../plugins/vrrp/vrrp/vrrppkt.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lvsd_vip vips[2];
	struct lvsd_addr src, dst;
	struct vrrp_expect ex = { .vrid = 51, .adver_int_cs = 100,
				  .vips = vips, .n_vips = 2 };
	struct vrrp_pkt p;
	const uint8_t *pl = data + 1;
	size_t len, off;
	int ttl = 255, mm, mode, family;

	if (size < 1)
		return 0;
	mode = data[0] % 3; /* 0: v2 IPv4, 1: v3 IPv4, 2: v3 IPv6 */
	family = mode == 2 ? AF_INET6 : AF_INET;
	memset(vips, 0, sizeof(vips));
	vips[0].addr.family = vips[1].addr.family = family;
	memset(&vips[1].addr.u, 0x29, sizeof(vips[1].addr.u));
	ex.version = mode == 0 ? 2 : 3;
	ex.auth_pass = mode == 0 && (data[0] & 0x80) ? "password" : NULL;
	len = size - 1;
	memset(&src, 0, sizeof(src));
	memset(&dst, 0, sizeof(dst));
	if (family == AF_INET) {
		int r = vrrp_ipv4_hdr(pl, len, &src, &dst, &ttl, &off);

		if (r < 0)
			return 0;
		if (off + (size_t)r > len)
			__builtin_trap();
		pl += off;
		len = (size_t)r;
	} else {
		src.family = dst.family = AF_INET6;
		src.u.v6.s6_addr[0] = 0xfe;
		dst.u.v6.s6_addr[0] = 0xff;
		ttl = (data[0] & 0x40) ? 255 : 64;
	}
	if (vrrp_pkt_parse(pl, len, family, ex.version, &src, &dst, ttl, &p) ==
	    VRRP_PKT_OK) {
		size_t al = family == AF_INET6 ? 16 : 4;

		/* what the parser promises: the addresses are inside */
		if (p.addrs < pl || p.addrs + p.naddr * al > pl + len)
			__builtin_trap();
		(void)vrrp_pkt_check(&p, &ex, &mm);
	}
	return 0;
}
