/* vrrppkt.h — VRRP packets without sockets: build and parse VRRPv2 (RFC
 * 3768, with PASS authentication) and VRRPv3 (RFC 5798, IPv4 and IPv6)
 * adverts, check them against an instance, and build the gratuitous ARP
 * and unsolicited neighbour advertisement frames sent on becoming master.
 * Pure functions on buffers: the unit test and the fuzz target use them. */
#ifndef VRRPPKT_H
#define VRRPPKT_H

#include <stddef.h>
#include <stdint.h>

#include <lvsd/plugin.h>

#define VRRP_PROTO 112          /* IANA protocol number */
#define VRRP_TTL 255            /* TTL / hop limit, sent and required */
#define VRRP_TYPE_ADVERT 1
#define VRRP_HDR_LEN 8
#define VRRP_AUTH_LEN 8         /* v2 authentication data */
#define VRRP_AUTH_NONE 0
#define VRRP_AUTH_PASS 1        /* "simple text password" */
#define VRRP_MAX_ADDRS 255
#define VRRP_MAX_PKT (VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16 + VRRP_AUTH_LEN)

/* Why a received packet was dropped; each maps to one counter. */
enum vrrp_pkt_err {
	VRRP_PKT_OK = 0,
	VRRP_PKT_BAD_LENGTH,   /* too short, count/length mismatch, bad IP header */
	VRRP_PKT_BAD_TTL,      /* TTL / hop limit not 255 */
	VRRP_PKT_BAD_VERSION,  /* not the configured version */
	VRRP_PKT_BAD_CHECKSUM,
	VRRP_PKT_BAD_VRID,     /* another virtual router's */
	VRRP_PKT_BAD_AUTH,     /* v2: auth type or password differ */
	VRRP_PKT_BAD_INTERVAL, /* v2: advert_int differs */
	VRRP_PKT_BAD_ADDR_LIST, /* addresses differ from ours (and not owner) */
	VRRP_PKT_BAD_TYPE,     /* the right version, but not an advert (type 1) */
};
const char *vrrp_pkt_err_str(enum vrrp_pkt_err e);

/* A parsed advert. addrs points into the buffer that was parsed. */
struct vrrp_pkt {
	int version;             /* 2 or 3 */
	int type;
	uint8_t vrid;
	uint8_t priority;
	uint8_t naddr;
	uint16_t adver_int_cs;   /* v3 as sent; v2: seconds x 100 */
	uint8_t auth_type;       /* v2 only */
	char auth[VRRP_AUTH_LEN + 1]; /* v2: the password field, NUL-ended */
	const uint8_t *addrs;    /* naddr addresses of 4 or 16 bytes */
	int family;
};

/* What an advert is built from. */
struct vrrp_advert {
	int version;
	int family;
	uint8_t vrid;
	uint8_t priority;
	uint16_t adver_int_cs;   /* v2: rounded down to whole seconds, min 1 */
	const char *auth_pass;   /* v2: NULL or "" for none */
	const struct lvsd_addr *addrs;
	size_t naddr;
};

/* The RFC 1071 one's complement sum, folded and inverted. */
uint16_t vrrp_csum(const void *data, size_t len, uint32_t init);
/* The partial sum of the pseudo-header of a VRRPv3 packet of `len` bytes. */
uint32_t vrrp_pseudo_sum(const struct lvsd_addr *src,
			 const struct lvsd_addr *dst, size_t len, int proto);

/* Build the VRRP part of an advert into buf (v3's checksum covers the
 * pseudo-header made of src and dst). Returns its length, or -EINVAL /
 * -ENOSPC. */
int vrrp_pkt_build(uint8_t *buf, size_t cap, const struct vrrp_advert *a,
		   const struct lvsd_addr *src, const struct lvsd_addr *dst);

/* An IPv4 datagram as a raw socket returns it: header checked (version,
 * IHL, total length, protocol 112); *off is where VRRP begins. */
int vrrp_ipv4_hdr(const uint8_t *buf, size_t len, struct lvsd_addr *src,
		  struct lvsd_addr *dst, int *ttl, size_t *off);

/* Parse the VRRP part (buf, len) that came from src to dst with the given
 * TTL / hop limit: length, TTL, version and type, and checksum (with the
 * pseudo-header for v3). `version` is what the instance speaks. */
enum vrrp_pkt_err vrrp_pkt_parse(const uint8_t *buf, size_t len, int family,
				 int version, const struct lvsd_addr *src,
				 const struct lvsd_addr *dst, int ttl,
				 struct vrrp_pkt *out);

/* What the instance expects of a parsed advert. */
struct vrrp_expect {
	uint8_t vrid;
	int version;
	const char *auth_pass;   /* v2: NULL/"": none */
	uint16_t adver_int_cs;   /* v2: checked; v3: ignored (learnt) */
	const struct lvsd_vip *vips;
	size_t n_vips;
};
/* RFC 3768/5798 section 7.1 checks after parsing: VRID, authentication,
 * interval (v2), address list (v2 drops a mismatch unless the sender is the
 * owner; v3 keeps the packet: *addr_mismatch tells the caller to count). */
enum vrrp_pkt_err vrrp_pkt_check(const struct vrrp_pkt *p,
				 const struct vrrp_expect *e,
				 int *addr_mismatch);

/* An Ethernet frame with a gratuitous ARP request for addr from mac.
 * Returns its length (42) or -ENOSPC. */
int vrrp_garp_build(uint8_t *buf, size_t cap, const uint8_t mac[6],
		    const struct in_addr *addr);
/* An Ethernet frame with an unsolicited neighbour advertisement of addr
 * (override flag, target link-layer option) to ff02::1. Returns its length
 * (86) or -ENOSPC. */
int vrrp_una_build(uint8_t *buf, size_t cap, const uint8_t mac[6],
		   const struct in6_addr *addr);

/* What a batch of rtnetlink messages read from the engine's socket is
 * about: VRRP_NL_LINK for any message (links, tracked interfaces, source
 * addresses are evaluated again), VRRP_NL_DELADDR if one removed an
 * address (masters check their VIPs). buf: len bytes, 4-byte aligned. */
#define VRRP_NL_LINK 0x1u
#define VRRP_NL_DELADDR 0x2u
unsigned vrrp_nl_classify(const void *buf, size_t len);

#endif
