/* vrrppkt.c — VRRPv2/v3 advert build/parse/check, GARP and unsolicited NA
 * frames, and the reading of rtnetlink batches (see vrrppkt.h). No sockets,
 * no clocks, no allocation. */
#include "vrrppkt.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

const char *vrrp_pkt_err_str(enum vrrp_pkt_err e)
{
	switch (e) {
	case VRRP_PKT_OK: return "ok";
	case VRRP_PKT_BAD_LENGTH: return "bad length";
	case VRRP_PKT_BAD_TTL: return "TTL is not 255";
	case VRRP_PKT_BAD_VERSION: return "bad version";
	case VRRP_PKT_BAD_CHECKSUM: return "bad checksum";
	case VRRP_PKT_BAD_VRID: return "another VRID";
	case VRRP_PKT_BAD_AUTH: return "authentication failed";
	case VRRP_PKT_BAD_INTERVAL: return "advert interval differs";
	case VRRP_PKT_BAD_ADDR_LIST: return "address list differs";
	case VRRP_PKT_BAD_TYPE: return "not an advertisement (type is not 1)";
	}
	return "?";
}

static uint32_t sum16(const uint8_t *b, size_t len, uint32_t s)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		s += (uint32_t)b[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

uint16_t vrrp_csum(const void *data, size_t len, uint32_t init)
{
	return (uint16_t)~sum16(data, len, init);
}

static size_t alen(int family)
{
	return family == AF_INET6 ? 16 : family == AF_INET ? 4 : 0;
}

static const uint8_t *abytes(const struct lvsd_addr *a)
{
	return a->family == AF_INET6 ? a->u.v6.s6_addr
				     : (const uint8_t *)&a->u.v4.s_addr;
}

uint32_t vrrp_pseudo_sum(const struct lvsd_addr *src,
			 const struct lvsd_addr *dst, size_t len, int proto)
{
	uint32_t s = 0;

	s = sum16(abytes(src), alen(src->family), s);
	s = sum16(abytes(dst), alen(dst->family), s);
	s += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff) + (uint32_t)proto;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

int vrrp_pkt_build(uint8_t *buf, size_t cap, const struct vrrp_advert *a,
		   const struct lvsd_addr *src, const struct lvsd_addr *dst)
{
	size_t al = alen(a->family), len, off = VRRP_HDR_LEN;
	uint16_t c;

	if (!al || (a->version != 2 && a->version != 3) ||
	    (a->version == 2 && a->family != AF_INET) ||
	    a->naddr > VRRP_MAX_ADDRS)
		return -EINVAL;
	len = VRRP_HDR_LEN + a->naddr * al + (a->version == 2 ? VRRP_AUTH_LEN : 0);
	if (len > cap)
		return -ENOSPC;
	memset(buf, 0, len);
	buf[0] = (uint8_t)(a->version << 4 | VRRP_TYPE_ADVERT);
	buf[1] = a->vrid;
	buf[2] = a->priority;
	buf[3] = (uint8_t)a->naddr;
	if (a->version == 3) {
		uint16_t iv = a->adver_int_cs > 0x0fff ? 0x0fff : a->adver_int_cs;

		buf[4] = (uint8_t)(iv >> 8);
		buf[5] = (uint8_t)iv;
	} else {
		unsigned s = a->adver_int_cs / 100;

		buf[4] = a->auth_pass && a->auth_pass[0] ? VRRP_AUTH_PASS
							 : VRRP_AUTH_NONE;
		buf[5] = (uint8_t)(s < 1 ? 1 : s > 255 ? 255 : s);
	}
	for (size_t i = 0; i < a->naddr; i++, off += al) {
		if (a->addrs[i].family != a->family)
			return -EINVAL;
		memcpy(buf + off, abytes(&a->addrs[i]), al);
	}
	if (a->version == 2) {
		if (buf[4] == VRRP_AUTH_PASS)
			memcpy(buf + off, a->auth_pass,
			       strnlen(a->auth_pass, VRRP_AUTH_LEN));
		c = vrrp_csum(buf, len, 0);
	} else {
		if (!src || !dst || src->family != a->family ||
		    dst->family != a->family)
			return -EINVAL;
		c = vrrp_csum(buf, len, vrrp_pseudo_sum(src, dst, len, VRRP_PROTO));
	}
	buf[6] = (uint8_t)(c >> 8);
	buf[7] = (uint8_t)c;
	return (int)len;
}

int vrrp_ipv4_hdr(const uint8_t *buf, size_t len, struct lvsd_addr *src,
		  struct lvsd_addr *dst, int *ttl, size_t *off)
{
	size_t ihl, tot;

	if (len < 20 || buf[0] >> 4 != 4)
		return -EINVAL;
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	tot = (size_t)buf[2] << 8 | buf[3];
	/* A raw socket hands the datagram as it is; the kernel has already
	 * checked the header checksum and trimmed link padding. */
	if (ihl < 20 || ihl > len || tot < ihl || tot > len ||
	    buf[9] != VRRP_PROTO)
		return -EINVAL;
	memset(src, 0, sizeof(*src));
	memset(dst, 0, sizeof(*dst));
	src->family = dst->family = AF_INET;
	memcpy(&src->u.v4.s_addr, buf + 12, 4);
	memcpy(&dst->u.v4.s_addr, buf + 16, 4);
	*ttl = buf[8];
	*off = ihl;
	return (int)(tot - ihl);
}

enum vrrp_pkt_err vrrp_pkt_parse(const uint8_t *buf, size_t len, int family,
				 int version, const struct lvsd_addr *src,
				 const struct lvsd_addr *dst, int ttl,
				 struct vrrp_pkt *out)
{
	size_t al = alen(family), need;
	uint32_t init = 0;

	memset(out, 0, sizeof(*out));
	if (ttl != VRRP_TTL)
		return VRRP_PKT_BAD_TTL;
	if (len < VRRP_HDR_LEN || !al)
		return VRRP_PKT_BAD_LENGTH;
	out->family = family;
	out->version = buf[0] >> 4;
	out->type = buf[0] & 0x0f;
	if (out->version != version || (version == 2 && family != AF_INET) ||
	    (version != 2 && version != 3))
		return VRRP_PKT_BAD_VERSION;
	if (out->type != VRRP_TYPE_ADVERT)
		return VRRP_PKT_BAD_TYPE;
	out->vrid = buf[1];
	out->priority = buf[2];
	out->naddr = buf[3];
	need = VRRP_HDR_LEN + out->naddr * al +
	       (version == 2 ? VRRP_AUTH_LEN : 0);
	if (len < need)
		return VRRP_PKT_BAD_LENGTH;
	if (version == 3) {
		if (!src || !dst || src->family != family ||
		    dst->family != family)
			return VRRP_PKT_BAD_LENGTH;
		init = vrrp_pseudo_sum(src, dst, len, VRRP_PROTO);
	}
	if (vrrp_csum(buf, len, init) != 0)
		return VRRP_PKT_BAD_CHECKSUM;
	out->addrs = buf + VRRP_HDR_LEN;
	if (version == 3) {
		out->adver_int_cs = (uint16_t)((buf[4] & 0x0f) << 8 | buf[5]);
	} else {
		size_t a = VRRP_HDR_LEN + out->naddr * al;

		out->auth_type = buf[4];
		out->adver_int_cs = (uint16_t)(buf[5] * 100);
		memcpy(out->auth, buf + a, VRRP_AUTH_LEN);
		out->auth[VRRP_AUTH_LEN] = '\0';
	}
	return VRRP_PKT_OK;
}

static int addr_listed(const struct vrrp_pkt *p, const struct lvsd_vip *v)
{
	size_t al = alen(p->family);

	if (v->addr.family != p->family)
		return 0;
	for (size_t i = 0; i < p->naddr; i++)
		if (memcmp(p->addrs + i * al, abytes(&v->addr), al) == 0)
			return 1;
	return 0;
}

enum vrrp_pkt_err vrrp_pkt_check(const struct vrrp_pkt *p,
				 const struct vrrp_expect *e,
				 int *addr_mismatch)
{
	int same = 1;

	*addr_mismatch = 0;
	if (p->vrid != e->vrid)
		return VRRP_PKT_BAD_VRID;
	if (p->version == 2) {
		int want_pass = e->auth_pass && e->auth_pass[0];

		if (want_pass) {
			char pw[VRRP_AUTH_LEN] = { 0 };
			size_t n = strnlen(e->auth_pass, VRRP_AUTH_LEN);

			memcpy(pw, e->auth_pass, n);
			if (p->auth_type != VRRP_AUTH_PASS ||
			    memcmp(pw, p->auth, VRRP_AUTH_LEN) != 0)
				return VRRP_PKT_BAD_AUTH;
		} else if (p->auth_type != VRRP_AUTH_NONE) {
			return VRRP_PKT_BAD_AUTH;
		}
		if (p->adver_int_cs != (e->adver_int_cs / 100) * 100)
			return VRRP_PKT_BAD_INTERVAL;
	} else if (p->adver_int_cs == 0) {
		return VRRP_PKT_BAD_INTERVAL;
	}
	/* The same set: as many addresses, each of ours listed (the config
	 * parser refuses duplicates). */
	if (p->naddr != e->n_vips)
		same = 0;
	for (size_t i = 0; same && i < e->n_vips; i++)
		same = addr_listed(p, &e->vips[i]);
	if (!same) {
		if (p->version == 2 && p->priority != 255)
			return VRRP_PKT_BAD_ADDR_LIST;
		*addr_mismatch = 1;
	}
	return VRRP_PKT_OK;
}

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

int vrrp_garp_build(uint8_t *buf, size_t cap, const uint8_t mac[6],
		    const struct in_addr *addr)
{
	if (cap < 42)
		return -ENOSPC;
	memset(buf, 0, 42);
	memcpy(buf, bcast, 6);
	memcpy(buf + 6, mac, 6);
	buf[12] = 0x08, buf[13] = 0x06;         /* ARP */
	buf[14] = 0x00, buf[15] = 0x01;         /* Ethernet */
	buf[16] = 0x08, buf[17] = 0x00;         /* IPv4 */
	buf[18] = 6, buf[19] = 4;
	buf[20] = 0x00, buf[21] = 0x01;         /* request */
	memcpy(buf + 22, mac, 6);
	memcpy(buf + 28, &addr->s_addr, 4);
	/* target hardware address stays zero */
	memcpy(buf + 38, &addr->s_addr, 4);
	return 42;
}

int vrrp_una_build(uint8_t *buf, size_t cap, const uint8_t mac[6],
		   const struct in6_addr *addr)
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 0x01 };
	uint8_t *ip = buf + 14, *icmp = buf + 54;
	struct lvsd_addr s = { .family = AF_INET6 }, d = { .family = AF_INET6 };
	uint16_t c;

	if (cap < 86)
		return -ENOSPC;
	memset(buf, 0, 86);
	buf[0] = 0x33, buf[1] = 0x33, buf[5] = 0x01; /* 33:33:00:00:00:01 */
	memcpy(buf + 6, mac, 6);
	buf[12] = 0x86, buf[13] = 0xdd;
	ip[0] = 0x60;
	ip[5] = 32;                 /* payload length */
	ip[6] = 58;                 /* ICMPv6 */
	ip[7] = 255;                /* hop limit */
	memcpy(ip + 8, addr->s6_addr, 16);
	memcpy(ip + 24, all_nodes, 16);
	icmp[0] = 136;              /* neighbour advertisement */
	icmp[4] = 0xa0;             /* Router and Override (RFC 5798 7.2) */
	memcpy(icmp + 8, addr->s6_addr, 16);
	icmp[24] = 2;               /* target link-layer address */
	icmp[25] = 1;
	memcpy(icmp + 26, mac, 6);
	s.u.v6 = *addr;
	memcpy(d.u.v6.s6_addr, all_nodes, 16);
	c = vrrp_csum(icmp, 32, vrrp_pseudo_sum(&s, &d, 32, 58));
	icmp[2] = (uint8_t)(c >> 8);
	icmp[3] = (uint8_t)c;
	return 86;
}

unsigned vrrp_nl_classify(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	unsigned what = 0;

	/* Not NLMSG_NEXT: with an unaligned nlmsg_len near the end it steps
	 * past the buffer and the remaining length wraps around. */
	while (len >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)(const void *)p;
		size_t l = h->nlmsg_len, step = NLMSG_ALIGN(l);

		if (l < sizeof(*h) || l > len)
			break;
		what |= VRRP_NL_LINK;
		if (h->nlmsg_type == RTM_DELADDR)
			what |= VRRP_NL_DELADDR;
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return what;
}
