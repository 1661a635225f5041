/* vrrpnet.c — raw VRRP sockets, source address choice, GARP / NA sending
 * (see vrrpnet.h). Called on the engine's thread only. */
#include "vrrpnet.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vrrppkt.h"

void vrrpnet_group(int family, struct lvsd_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = family;
	if (family == AF_INET)
		out->u.v4.s_addr = htonl(0xe0000012u); /* 224.0.0.18 */
	else
		inet_pton(AF_INET6, "ff02::12", &out->u.v6);
}

static int setopt(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof(value)) < 0 ? -errno : 0;
}

static int open4(struct vrrpnet *n)
{
	struct ip_mreqn mr = { .imr_ifindex = (int)n->ifindex };
	int fd = n->fd, r;

	if ((r = setopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, VRRP_TTL)) ||
	    (r = setopt(fd, IPPROTO_IP, IP_TTL, VRRP_TTL)) ||
	    (r = setopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0)) ||
	    (r = setopt(fd, IPPROTO_IP, IP_RECVTTL, 1)))
		return r;
	if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0)
		return -errno;
	mr.imr_multiaddr.s_addr = htonl(0xe0000012u);
	if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
		return -errno;
	return 0;
}

static int open6(struct vrrpnet *n)
{
	struct ipv6_mreq mr = { .ipv6mr_interface = n->ifindex };
	int fd = n->fd, r, ifx = (int)n->ifindex;

	if ((r = setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, VRRP_TTL)) ||
	    (r = setopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, VRRP_TTL)) ||
	    (r = setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0)) ||
	    (r = setopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)) ||
	    (r = setopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)) ||
	    (r = setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifx)))
		return r;
	inet_pton(AF_INET6, "ff02::12", &mr.ipv6mr_multiaddr);
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof(mr)) < 0)
		return -errno;
	return 0;
}

int vrrpnet_open(struct vrrpnet *n, int family, const char *ifname)
{
	int r;

	n->fd = -1;
	n->family = family;
	snprintf(n->ifname, sizeof(n->ifname), "%s", ifname);
	n->ifindex = if_nametoindex(ifname);
	if (!n->ifindex)
		return -ENODEV;
	n->fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       VRRP_PROTO);
	if (n->fd < 0)
		return -errno;
	if (setsockopt(n->fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
		       (socklen_t)strlen(ifname)) < 0)
		r = -errno;
	else
		r = family == AF_INET ? open4(n) : open6(n);
	if (r < 0)
		vrrpnet_close(n);
	return r;
}

void vrrpnet_close(struct vrrpnet *n)
{
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
}

static int is_vip(const struct sockaddr *sa, const struct lvsd_vip *vips,
		  size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (vips[i].addr.family != sa->sa_family)
			continue;
		if (sa->sa_family == AF_INET &&
		    ((const struct sockaddr_in *)sa)->sin_addr.s_addr ==
			    vips[i].addr.u.v4.s_addr)
			return 1;
		if (sa->sa_family == AF_INET6 &&
		    memcmp(&((const struct sockaddr_in6 *)sa)->sin6_addr,
			   &vips[i].addr.u.v6, 16) == 0)
			return 1;
	}
	return 0;
}

int vrrpnet_peers_global(const struct lvsd_addr *peers, size_t n_peers)
{
	for (size_t k = 0; k < n_peers; k++)
		if (peers[k].family == AF_INET6 &&
		    !IN6_IS_ADDR_LINKLOCAL(&peers[k].u.v6))
			return 1;
	return 0;
}

static unsigned common_prefix(const struct in6_addr *a, const struct in6_addr *b)
{
	unsigned n = 0;

	for (int k = 0; k < 16; k++) {
		uint8_t x = a->s6_addr[k] ^ b->s6_addr[k];

		if (!x) {
			n += 8;
			continue;
		}
		while (!(x & 0x80)) {
			x <<= 1;
			n++;
		}
		break;
	}
	return n;
}

int vrrpnet_pick_src(struct vrrpnet *n, const struct lvsd_addr *fixed,
		     const struct lvsd_vip *vips, size_t n_vips,
		     const struct lvsd_addr *peers, size_t n_peers)
{
	const struct in6_addr *peer = NULL;
	struct ifaddrs *ifa, *i;
	int found = 0, global = 0;
	unsigned best = 0;

	if (fixed && fixed->family) {
		/* unicast_src_ip must be an address of this host (it may
		 * come later: the caller asks again). */
		int r = vrrpnet_probe(n, fixed, NULL);

		if (r < 0) {
			memset(&n->src, 0, sizeof(n->src));
			return r;
		}
		n->src = *fixed;
		return 0;
	}
	if (n->family == AF_INET6 && vrrpnet_peers_global(peers, n_peers)) {
		global = 1;
		for (size_t k = 0; k < n_peers && !peer; k++)
			if (!IN6_IS_ADDR_LINKLOCAL(&peers[k].u.v6))
				peer = &peers[k].u.v6;
	}
	if (getifaddrs(&ifa) < 0)
		return -errno;
	for (i = ifa; i && !(found && !global); i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != n->family ||
		    strcmp(i->ifa_name, n->ifname) != 0 ||
		    is_vip(i->ifa_addr, vips, n_vips))
			continue;
		if (n->family == AF_INET) {
			memset(&n->src, 0, sizeof(n->src));
			n->src.family = AF_INET;
			n->src.u.v4 = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
			found = 1;
		} else {
			struct in6_addr *a =
				&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
			unsigned cp;

			if (!global) {
				if (!IN6_IS_ADDR_LINKLOCAL(a))
					continue;
			} else if (IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_LOOPBACK(a) ||
				   IN6_IS_ADDR_MULTICAST(a)) {
				continue;
			} else if (found && (cp = common_prefix(a, peer)) <= best) {
				continue;
			}
			if (global)
				best = common_prefix(a, peer);
			memset(&n->src, 0, sizeof(n->src));
			n->src.family = AF_INET6;
			n->src.u.v6 = *a;
			found = 1;
		}
	}
	freeifaddrs(ifa);
	if (!found) {
		memset(&n->src, 0, sizeof(n->src));
		return -EADDRNOTAVAIL;
	}
	return 0;
}

int vrrpnet_probe(const struct vrrpnet *n, const struct lvsd_addr *src,
		  const struct lvsd_addr *dst)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in s4 = { .sin_family = AF_INET };
	struct sockaddr *sa;
	socklen_t sl;
	int fd, r = 0;

	fd = socket(src->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (src->family == AF_INET) {
		s4.sin_addr = src->u.v4;
		sa = (struct sockaddr *)&s4;
		sl = sizeof(s4);
	} else {
		s6.sin6_addr = src->u.v6;
		if (IN6_IS_ADDR_LINKLOCAL(&src->u.v6))
			s6.sin6_scope_id = n->ifindex;
		sa = (struct sockaddr *)&s6;
		sl = sizeof(s6);
	}
	/* Routed as the adverts are: through the instance's interface. */
	if (dst && n->ifname[0])
		(void)setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, n->ifname,
				 (socklen_t)strlen(n->ifname));
	if (bind(fd, sa, sl) < 0) {
		r = -errno;
	} else if (dst) {
		memset(&s4, 0, sizeof(s4));
		memset(&s6, 0, sizeof(s6));
		s4.sin_family = AF_INET;
		s6.sin6_family = AF_INET6;
		s4.sin_port = s6.sin6_port = htons(9);
		if (dst->family == AF_INET) {
			s4.sin_addr = dst->u.v4;
		} else {
			s6.sin6_addr = dst->u.v6;
			if (IN6_IS_ADDR_LINKLOCAL(&dst->u.v6) ||
			    IN6_IS_ADDR_MC_LINKLOCAL(&dst->u.v6))
				s6.sin6_scope_id = n->ifindex;
			sa = (struct sockaddr *)&s6;
		}
		if (dst->family == AF_INET)
			sa = (struct sockaddr *)&s4;
		if (connect(fd, sa, sl) < 0)
			r = -errno;
	}
	close(fd);
	return r;
}

int vrrpnet_send(struct vrrpnet *n, const uint8_t *buf, size_t len,
		 const struct lvsd_addr *dst)
{
	union {
		char b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cb;
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in s4 = { .sin_family = AF_INET };
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cb.b };
	struct cmsghdr *c;

	if (n->fd < 0)
		return -EBADF;
	memset(&cb, 0, sizeof(cb));
	c = (struct cmsghdr *)cb.b;
	if (n->family == AF_INET) {
		struct in_pktinfo pi = { .ipi_ifindex = 0,
					 .ipi_spec_dst = n->src.u.v4 };

		s4.sin_addr = dst->u.v4;
		mh.msg_name = &s4;
		mh.msg_namelen = sizeof(s4);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
	} else {
		struct in6_pktinfo pi = { .ipi6_addr = n->src.u.v6,
					  .ipi6_ifindex = n->ifindex };

		s6.sin6_addr = dst->u.v6;
		if (IN6_IS_ADDR_LINKLOCAL(&dst->u.v6) ||
		    IN6_IS_ADDR_MC_LINKLOCAL(&dst->u.v6))
			s6.sin6_scope_id = n->ifindex;
		mh.msg_name = &s6;
		mh.msg_namelen = sizeof(s6);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
	}
	if (sendmsg(n->fd, &mh, MSG_DONTWAIT) < 0)
		return -errno;
	return 0;
}

ssize_t vrrpnet_recv(struct vrrpnet *n, uint8_t *buf, size_t cap,
		     const uint8_t **payload, struct lvsd_addr *src,
		     struct lvsd_addr *dst, int *ttl)
{
	union {
		char b[256];
		struct cmsghdr align;
	} cb;
	struct sockaddr_in6 from;
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from),
			     .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cb.b, .msg_controllen = sizeof(cb) };
	ssize_t len;
	size_t off;
	int r;

	len = recvmsg(n->fd, &mh, MSG_DONTWAIT);
	if (len < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (mh.msg_flags & MSG_TRUNC)
		return -EBADMSG;
	if (n->family == AF_INET) {
		/* The IPv4 header comes with the datagram: TTL and addresses
		 * are read from it (IP_RECVTTL would say the same). */
		r = vrrp_ipv4_hdr(buf, (size_t)len, src, dst, ttl, &off);
		if (r < 0)
			return -EBADMSG;
		*payload = buf + off;
		return r;
	}
	memset(src, 0, sizeof(*src));
	memset(dst, 0, sizeof(*dst));
	src->family = dst->family = AF_INET6;
	src->u.v6 = from.sin6_addr;
	*ttl = -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_HOPLIMIT &&
		    c->cmsg_len >= CMSG_LEN(sizeof(int)))
			memcpy(ttl, CMSG_DATA(c), sizeof(int));
		else if (c->cmsg_type == IPV6_PKTINFO &&
			 c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			dst->u.v6 = pi.ipi6_addr;
		}
	}
	*payload = buf;
	return len;
}

int vrrpnet_announce(const struct lvsd_vip *vip)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_halen = 6 };
	uint8_t frame[128], mac[6];
	struct ifreq ifr;
	int fd, len, r = 0;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", vip->ifname);
	sll.sll_ifindex = (int)if_nametoindex(vip->ifname);
	if (!sll.sll_ifindex)
		return -ENODEV;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		r = -errno;
		goto out;
	}
	if (ifr.ifr_hwaddr.sa_family != 1 /* ARPHRD_ETHER */) {
		r = -EOPNOTSUPP; /* no link layer to announce on */
		goto out;
	}
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	if (vip->addr.family == AF_INET) {
		len = vrrp_garp_build(frame, sizeof(frame), mac, &vip->addr.u.v4);
		sll.sll_protocol = htons(ETH_P_ARP);
	} else {
		len = vrrp_una_build(frame, sizeof(frame), mac, &vip->addr.u.v6);
		sll.sll_protocol = htons(ETH_P_IPV6);
	}
	memcpy(sll.sll_addr, frame, 6);
	if (len < 0)
		r = len;
	else if (sendto(fd, frame, (size_t)len, 0, (struct sockaddr *)&sll,
			sizeof(sll)) < 0)
		r = -errno;
out:
	close(fd);
	return r;
}
