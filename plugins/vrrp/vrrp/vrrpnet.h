/* vrrpnet.h — the VRRP engine's sockets: a raw IP protocol 112 socket per
 * instance (bound to its interface, in the 224.0.0.18 / ff02::12 group,
 * TTL / hop limit 255 both ways), the source address it speaks from, and
 * gratuitous ARP / unsolicited NA frames through a packet socket. */
#ifndef VRRPNET_H
#define VRRPNET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <lvsd/plugin.h>

struct vrrpnet {
	int fd;                 /* -1: closed */
	int family;
	unsigned ifindex;
	char ifname[16];
	struct lvsd_addr src;   /* family 0: none found yet */
};

/* The multicast group of a family (224.0.0.18, ff02::12). */
void vrrpnet_group(int family, struct lvsd_addr *out);

/* Open n->fd for family on ifname. 0 or -errno; n->fd stays -1 on error. */
int vrrpnet_open(struct vrrpnet *n, int family, const char *ifname);
void vrrpnet_close(struct vrrpnet *n);

/* Pick the address adverts are sent from: `fixed` if its family is set
 * (unicast_src_ip), else IPv4: the first address of the interface that is
 * not one of the virtual addresses; IPv6: its link-local address, but when
 * unicast peers are given and one of them is global, a global address of
 * the interface (not a virtual one), the one sharing the longest prefix
 * with the first global peer: a peer that lists our global address drops
 * adverts from our link-local one. 0, or -EADDRNOTAVAIL (also when `fixed`
 * is not an address of this host). */
int vrrpnet_pick_src(struct vrrpnet *n, const struct lvsd_addr *fixed,
		     const struct lvsd_vip *vips, size_t n_vips,
		     const struct lvsd_addr *peers, size_t n_peers);
/* Is one of the IPv6 peers a global (not link-local) address? */
int vrrpnet_peers_global(const struct lvsd_addr *peers, size_t n_peers);

/* Send the VRRP payload buf to dst from n->src. 0 or -errno. */
/* Could datagrams go from src (an address of this host?) to dst (a route?)
 * now: a UDP socket bound and connected, nothing sent. dst NULL: only the
 * source. 0 or -errno (-EADDRNOTAVAIL, -ENETUNREACH, ...). */
int vrrpnet_probe(const struct vrrpnet *n, const struct lvsd_addr *src,
		  const struct lvsd_addr *dst);
int vrrpnet_send(struct vrrpnet *n, const uint8_t *buf, size_t len,
		 const struct lvsd_addr *dst);

/* Receive one packet into buf. Returns the VRRP payload's length and sets
 * *payload, src, dst and *ttl (the TTL of the IPv4 header, or the hop limit
 * from IPV6_HOPLIMIT); -EAGAIN when nothing is left; -EBADMSG for a
 * datagram whose IP header is broken; other -errno. */
ssize_t vrrpnet_recv(struct vrrpnet *n, uint8_t *buf, size_t cap,
		     const uint8_t **payload, struct lvsd_addr *src,
		     struct lvsd_addr *dst, int *ttl);

/* Announce vip on its device: a gratuitous ARP (IPv4) or an unsolicited
 * neighbour advertisement (IPv6). 0 or -errno. */
int vrrpnet_announce(const struct lvsd_vip *vip);

#endif
