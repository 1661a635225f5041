/* test_vrrppkt.c — VRRP packets: v2/v3 and IPv4/IPv6 adverts built and
 * parsed back, checksums (RFC 1071 example, pseudo-headers), every way a
 * received packet is refused, the IPv4 header reader, GARP and NA frames.
 * The plugin's pure code is compiled in (plugins never link the core). */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../plugins/vrrp/vrrp/vrrppkt.c"

static struct lvsd_addr A(const char *s)
{
	struct lvsd_addr a;

	memset(&a, 0, sizeof(a));
	a.family = strchr(s, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(a.family, s, &a.u), 1);
	return a;
}

static struct lvsd_vip V(const char *s)
{
	struct lvsd_vip v;

	memset(&v, 0, sizeof(v));
	v.addr = A(s);
	v.prefix = v.addr.family == AF_INET ? 32 : 128;
	snprintf(v.ifname, sizeof(v.ifname), "eth0");
	return v;
}

/* The seed's instance: v2, VRID 51, priority 100, 1 s, PASS "password",
 * two addresses. */
struct fx {
	struct lvsd_addr addrs[2], src, dst;
	struct lvsd_vip vips[2];
	struct vrrp_advert adv;
	struct vrrp_expect ex;
	uint8_t pkt[VRRP_MAX_PKT];
	int len;
};

static void seed_v2(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	f->addrs[0] = A("192.168.0.29");
	f->addrs[1] = A("10.0.0.29");
	f->vips[0] = V("192.168.0.29");
	f->vips[1] = V("10.0.0.29");
	f->src = A("192.168.0.1");
	f->dst = A("224.0.0.18");
	f->adv = (struct vrrp_advert){ .version = 2, .family = AF_INET, .vrid = 51,
				       .priority = 100, .adver_int_cs = 100,
				       .auth_pass = "password", .addrs = f->addrs,
				       .naddr = 2 };
	f->ex = (struct vrrp_expect){ .vrid = 51, .version = 2,
				      .auth_pass = "password",
				      .adver_int_cs = 100, .vips = f->vips,
				      .n_vips = 2 };
	f->len = vrrp_pkt_build(f->pkt, sizeof(f->pkt), &f->adv, &f->src, &f->dst);
}

static void v3(struct fx *f, int family)
{
	seed_v2(f);
	f->adv.version = f->ex.version = 3;
	f->adv.auth_pass = f->ex.auth_pass = NULL;
	f->adv.adver_int_cs = f->ex.adver_int_cs = 10; /* 0.1 s */
	if (family == AF_INET6) {
		f->addrs[0] = A("2001:db8::29");
		f->addrs[1] = A("2001:db8:1::29");
		f->vips[0] = V("2001:db8::29");
		f->vips[1] = V("2001:db8:1::29");
		f->src = A("fe80::1");
		f->dst = A("ff02::12");
		f->adv.family = AF_INET6;
	}
	f->len = vrrp_pkt_build(f->pkt, sizeof(f->pkt), &f->adv, &f->src, &f->dst);
}

static enum vrrp_pkt_err parse_check(struct fx *f, int ttl, struct vrrp_pkt *p,
				     int *mismatch)
{
	enum vrrp_pkt_err e = vrrp_pkt_parse(f->pkt, (size_t)f->len,
					     f->adv.family, f->ex.version, &f->src,
					     &f->dst, ttl, p);

	*mismatch = -1;
	return e != VRRP_PKT_OK ? e : vrrp_pkt_check(p, &f->ex, mismatch);
}

/* Rewrite the checksum after a deliberate change of a field. */
static void resum(struct fx *f)
{
	uint16_t c;

	f->pkt[6] = f->pkt[7] = 0;
	c = f->adv.version == 2 ? vrrp_csum(f->pkt, (size_t)f->len, 0)
		: vrrp_csum(f->pkt, (size_t)f->len,
			    vrrp_pseudo_sum(&f->src, &f->dst, (size_t)f->len, 112));
	f->pkt[6] = (uint8_t)(c >> 8);
	f->pkt[7] = (uint8_t)c;
}

/* ------------------------------------------------------------- tests */

static void rfc1071_example(void **st)
{
	static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	(void)st;
	assert_int_equal(vrrp_csum(b, sizeof(b), 0), (uint16_t)~0xddf2);
	/* an odd length pads with a zero byte */
	assert_int_equal(vrrp_csum(b, 1, 0), (uint16_t)~0x0000);
	assert_int_equal(vrrp_csum(b + 2, 1, 0), (uint16_t)~0xf200);
}

static void v2_seed_roundtrip(void **st)
{
	struct fx f;
	struct vrrp_pkt p;
	int mm;

	(void)st;
	seed_v2(&f);
	assert_int_equal(f.len, 8 + 2 * 4 + 8);
	assert_int_equal(f.pkt[0], 0x21);
	assert_int_equal(f.pkt[4], VRRP_AUTH_PASS);
	assert_int_equal(f.pkt[5], 1);
	assert_memory_equal(f.pkt + 16, "password", 8);
	/* v2's checksum covers the VRRP message only */
	assert_int_equal(vrrp_csum(f.pkt, (size_t)f.len, 0), 0);
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_OK);
	assert_int_equal(mm, 0);
	assert_int_equal(p.version, 2);
	assert_int_equal(p.vrid, 51);
	assert_int_equal(p.priority, 100);
	assert_int_equal(p.naddr, 2);
	assert_int_equal(p.adver_int_cs, 100);
	assert_string_equal(p.auth, "password");
}

static void v2_no_auth_and_short_password(void **st)
{
	struct fx f;
	struct vrrp_pkt p;
	int mm;

	(void)st;
	seed_v2(&f);
	f.adv.auth_pass = f.ex.auth_pass = NULL;
	f.len = vrrp_pkt_build(f.pkt, sizeof(f.pkt), &f.adv, NULL, NULL);
	assert_int_equal(f.pkt[4], VRRP_AUTH_NONE);
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_OK);
	seed_v2(&f);
	f.adv.auth_pass = f.ex.auth_pass = "pw";
	f.len = vrrp_pkt_build(f.pkt, sizeof(f.pkt), &f.adv, NULL, NULL);
	assert_memory_equal(f.pkt + 16, "pw\0\0\0\0\0\0", 8);
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_OK);
}

static void v3_ipv4_roundtrip(void **st)
{
	struct fx f;
	struct vrrp_pkt p;
	int mm;

	(void)st;
	v3(&f, AF_INET);
	assert_int_equal(f.len, 8 + 2 * 4);
	assert_int_equal(f.pkt[0], 0x31);
	assert_int_equal(f.pkt[4] << 8 | f.pkt[5], 10);
	/* v3's checksum includes the IPv4 pseudo-header */
	assert_int_not_equal(vrrp_csum(f.pkt, (size_t)f.len, 0), 0);
	assert_int_equal(vrrp_csum(f.pkt, (size_t)f.len,
				   vrrp_pseudo_sum(&f.src, &f.dst, (size_t)f.len, 112)),
			 0);
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_OK);
	assert_int_equal(p.adver_int_cs, 10);
	assert_int_equal(mm, 0);
}

static void v3_ipv6_roundtrip(void **st)
{
	struct fx f;
	struct vrrp_pkt p;
	int mm;

	(void)st;
	v3(&f, AF_INET6);
	assert_int_equal(f.len, 8 + 2 * 16);
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_OK);
	assert_memory_equal(p.addrs + 16, &f.addrs[1].u.v6, 16);
	/* the same bytes from another source fail: the pseudo-header counts */
	f.src = A("fe80::2");
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_CHECKSUM);
}

static void v3_interval_12_bits(void **st)
{
	struct fx f;
	struct vrrp_pkt p;
	int mm;

	(void)st;
	v3(&f, AF_INET);
	f.adv.adver_int_cs = 4095;
	f.len = vrrp_pkt_build(f.pkt, sizeof(f.pkt), &f.adv, &f.src, &f.dst);
	f.pkt[4] |= 0xf0; /* reserved bits are ignored */
	resum(&f);
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_OK);
	assert_int_equal(p.adver_int_cs, 4095);
	/* zero is not an interval */
	f.pkt[4] = f.pkt[5] = 0;
	resum(&f);
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_INTERVAL);
}

static void every_byte_flip_is_caught(void **st)
{
	int fams[] = { 0, AF_INET, AF_INET6 };

	(void)st;
	for (size_t k = 0; k < 3; k++) {
		struct fx f;
		struct vrrp_pkt p;
		int mm;

		if (fams[k])
			v3(&f, fams[k]);
		else
			seed_v2(&f);
		for (int i = 0; i < f.len; i++) {
			f.pkt[i] ^= 0x40;
			assert_int_not_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_OK);
			f.pkt[i] ^= 0x40;
		}
		assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_OK);
	}
}

static void refused(void **st)
{
	struct fx f;
	struct vrrp_pkt p;
	int mm;

	(void)st;
	seed_v2(&f);
	/* TTL other than 255 */
	assert_int_equal(parse_check(&f, 254, &p, &mm), VRRP_PKT_BAD_TTL);
	assert_int_equal(parse_check(&f, 1, &p, &mm), VRRP_PKT_BAD_TTL);
	/* too short for a header, for its addresses, for its auth data */
	f.len = 7;
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_LENGTH);
	f.len = 0;
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_LENGTH);
	seed_v2(&f);
	f.len -= 1;
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_LENGTH);
	seed_v2(&f);
	f.pkt[3] = 200; /* count of addresses beyond the end */
	resum(&f);
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_LENGTH);
	/* another version: the instance speaks 2, the packet says 3 */
	seed_v2(&f);
	f.pkt[0] = 0x31;
	resum(&f);
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_VERSION);
	/* not an advert (type 2) */
	seed_v2(&f);
	f.pkt[0] = 0x22;
	resum(&f);
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_TYPE);
	/* version 1 and 15 */
	f.pkt[0] = 0x11;
	resum(&f);
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_VERSION);
	f.pkt[0] = 0xf1;
	resum(&f);
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_VERSION);
	/* checksum */
	seed_v2(&f);
	f.pkt[6] ^= 1;
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_CHECKSUM);
	/* VRID */
	seed_v2(&f);
	f.pkt[1] = 52;
	resum(&f);
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_VRID);
	/* a wrong password, no authentication, another auth type */
	seed_v2(&f);
	memcpy(f.pkt + 16, "passwore", 8);
	resum(&f);
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_AUTH);
	f.pkt[4] = VRRP_AUTH_NONE;
	memset(f.pkt + 16, 0, 8);
	resum(&f);
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_AUTH);
	seed_v2(&f);
	f.pkt[4] = 2; /* AH */
	resum(&f);
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_AUTH);
	/* a password where none is expected */
	seed_v2(&f);
	f.ex.auth_pass = NULL;
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_AUTH);
	/* the password is compared in full (8 bytes) */
	seed_v2(&f);
	f.ex.auth_pass = "passwordX";
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_OK);
	f.ex.auth_pass = "passwor";
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_AUTH);
	/* v2: another advert interval */
	seed_v2(&f);
	f.pkt[5] = 2;
	resum(&f);
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_INTERVAL);
}

static void address_lists(void **st)
{
	struct fx f;
	struct vrrp_pkt p;
	int mm;

	(void)st;
	/* v2: another list is dropped... */
	seed_v2(&f);
	f.vips[1] = V("10.0.0.30");
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_ADDR_LIST);
	f.ex.n_vips = 1;
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_BAD_ADDR_LIST);
	/* ...unless the owner (priority 255) sent it */
	seed_v2(&f);
	f.vips[1] = V("10.0.0.30");
	f.pkt[2] = 255;
	resum(&f);
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_OK);
	assert_int_equal(mm, 1);
	/* the order does not matter */
	seed_v2(&f);
	f.vips[0] = V("10.0.0.29");
	f.vips[1] = V("192.168.0.29");
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_OK);
	assert_int_equal(mm, 0);
	/* v3 keeps the packet and says so */
	v3(&f, AF_INET6);
	f.vips[1] = V("2001:db8:2::29");
	assert_int_equal(parse_check(&f, 255, &p, &mm), VRRP_PKT_OK);
	assert_int_equal(mm, 1);
}

static void build_errors(void **st)
{
	struct fx f;
	uint8_t small[10];

	(void)st;
	seed_v2(&f);
	assert_int_equal(vrrp_pkt_build(small, sizeof(small), &f.adv, NULL, NULL),
			 -ENOSPC);
	f.adv.version = 4;
	assert_int_equal(vrrp_pkt_build(f.pkt, sizeof(f.pkt), &f.adv, NULL, NULL),
			 -EINVAL);
	seed_v2(&f);
	f.adv.family = AF_INET6; /* v2 is IPv4 only */
	assert_int_equal(vrrp_pkt_build(f.pkt, sizeof(f.pkt), &f.adv, NULL, NULL),
			 -EINVAL);
	v3(&f, AF_INET);
	assert_int_equal(vrrp_pkt_build(f.pkt, sizeof(f.pkt), &f.adv, NULL, NULL),
			 -EINVAL); /* v3 needs the pseudo-header's addresses */
	f.adv.naddr = 256;
	assert_int_equal(vrrp_pkt_build(f.pkt, sizeof(f.pkt), &f.adv, &f.src,
					&f.dst), -EINVAL);
	v3(&f, AF_INET);
	f.addrs[1] = A("2001:db8::1"); /* mixed families */
	assert_int_equal(vrrp_pkt_build(f.pkt, sizeof(f.pkt), &f.adv, &f.src,
					&f.dst), -EINVAL);
	/* v2 interval: whole seconds, at least 1 */
	seed_v2(&f);
	f.adv.adver_int_cs = 50;
	f.len = vrrp_pkt_build(f.pkt, sizeof(f.pkt), &f.adv, NULL, NULL);
	assert_int_equal(f.pkt[5], 1);
}

static void ipv4_header(void **st)
{
	uint8_t d[64] = { 0x45, 0, 0, 40, 0, 0, 0, 0, 255, 112, 0, 0,
			  192, 168, 0, 1, 224, 0, 0, 18 };
	struct lvsd_addr s, t;
	int ttl;
	size_t off;

	(void)st;
	assert_int_equal(vrrp_ipv4_hdr(d, 40, &s, &t, &ttl, &off), 20);
	assert_int_equal(off, 20);
	assert_int_equal(ttl, 255);
	assert_int_equal(s.u.v4.s_addr, htonl(0xc0a80001));
	assert_int_equal(t.u.v4.s_addr, htonl(0xe0000012));
	/* options: IHL 6 */
	d[0] = 0x46;
	assert_int_equal(vrrp_ipv4_hdr(d, 40, &s, &t, &ttl, &off), 16);
	assert_int_equal(off, 24);
	d[0] = 0x44; /* IHL below 5 */
	assert_int_equal(vrrp_ipv4_hdr(d, 40, &s, &t, &ttl, &off), -EINVAL);
	d[0] = 0x4f; /* IHL 60 beyond the datagram */
	assert_int_equal(vrrp_ipv4_hdr(d, 40, &s, &t, &ttl, &off), -EINVAL);
	d[0] = 0x65; /* not IPv4 */
	assert_int_equal(vrrp_ipv4_hdr(d, 40, &s, &t, &ttl, &off), -EINVAL);
	d[0] = 0x45;
	assert_int_equal(vrrp_ipv4_hdr(d, 19, &s, &t, &ttl, &off), -EINVAL);
	assert_int_equal(vrrp_ipv4_hdr(d, 39, &s, &t, &ttl, &off), -EINVAL);
	d[3] = 10; /* total length below the header */
	assert_int_equal(vrrp_ipv4_hdr(d, 40, &s, &t, &ttl, &off), -EINVAL);
	d[3] = 40;
	d[9] = 17; /* UDP */
	assert_int_equal(vrrp_ipv4_hdr(d, 40, &s, &t, &ttl, &off), -EINVAL);
}

static void garp_and_na(void **st)
{
	static const uint8_t mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct lvsd_addr v4 = A("192.168.0.29"), v6 = A("2001:db8::29");
	struct lvsd_addr all = A("ff02::1");
	uint8_t fr[128];

	(void)st;
	assert_int_equal(vrrp_garp_build(fr, 41, mac, &v4.u.v4), -ENOSPC);
	assert_int_equal(vrrp_garp_build(fr, sizeof(fr), mac, &v4.u.v4), 42);
	assert_memory_equal(fr, "\xff\xff\xff\xff\xff\xff", 6);
	assert_memory_equal(fr + 6, mac, 6);
	assert_int_equal(fr[12] << 8 | fr[13], 0x0806);
	assert_int_equal(fr[20] << 8 | fr[21], 1); /* request */
	assert_memory_equal(fr + 22, mac, 6);
	assert_memory_equal(fr + 28, &v4.u.v4, 4); /* sender = target = VIP */
	assert_memory_equal(fr + 38, &v4.u.v4, 4);

	assert_int_equal(vrrp_una_build(fr, 85, mac, &v6.u.v6), -ENOSPC);
	assert_int_equal(vrrp_una_build(fr, sizeof(fr), mac, &v6.u.v6), 86);
	assert_memory_equal(fr, "\x33\x33\x00\x00\x00\x01", 6);
	assert_int_equal(fr[12] << 8 | fr[13], 0x86dd);
	assert_int_equal(fr[14 + 6], 58);
	assert_int_equal(fr[14 + 7], 255);
	assert_int_equal(fr[54], 136);
	assert_int_equal(fr[58] & 0x20, 0x20);            /* override */
	assert_memory_equal(fr + 62, &v6.u.v6, 16);       /* target */
	assert_memory_equal(fr + 80, mac, 6);             /* its MAC */
	assert_int_equal(vrrp_csum(fr + 54, 32, vrrp_pseudo_sum(&v6, &all, 32, 58)), 0);
}

static void err_strings(void **st)
{
	(void)st;
	for (int e = VRRP_PKT_OK; e <= VRRP_PKT_BAD_TYPE; e++)
		assert_string_not_equal(vrrp_pkt_err_str((enum vrrp_pkt_err)e), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc1071_example),
		cmocka_unit_test(v2_seed_roundtrip),
		cmocka_unit_test(v2_no_auth_and_short_password),
		cmocka_unit_test(v3_ipv4_roundtrip),
		cmocka_unit_test(v3_ipv6_roundtrip),
		cmocka_unit_test(v3_interval_12_bits),
		cmocka_unit_test(every_byte_flip_is_caught),
		cmocka_unit_test(refused),
		cmocka_unit_test(address_lists),
		cmocka_unit_test(build_errors),
		cmocka_unit_test(ipv4_header),
		cmocka_unit_test(garp_and_na),
		cmocka_unit_test(err_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
