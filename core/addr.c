/* addr.c — vip_add / vip_del / link_up with libnl-route-3 (see addr.h). */
#include "addr.h"

#include <errno.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/rtnl.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

struct addrctl {
	pthread_mutex_t mu;
	struct nl_sock *sk;
};

/* libnl's error codes back to errno values. */
static int nl2errno(int e)
{
	switch (e < 0 ? -e : e) {
	case 0: return 0;
	case NLE_EXIST: return -EEXIST;
	case NLE_NOADDR: return -EADDRNOTAVAIL;
	case NLE_OBJ_NOTFOUND: return -ENOENT;
	case NLE_NODEV: return -ENODEV;
	case NLE_PERM: return -EPERM;
	case NLE_NOMEM: return -ENOMEM;
	case NLE_INVAL: return -EINVAL;
	case NLE_BUSY: return -EBUSY;
	case NLE_AF_NOSUPPORT: return -EAFNOSUPPORT;
	default: return -EIO;
	}
}

int addrctl_open(struct addrctl **out)
{
	struct addrctl *a = calloc(1, sizeof(*a));
	int r;

	if (!a)
		return -ENOMEM;
	a->sk = nl_socket_alloc();
	if (!a->sk) {
		free(a);
		return -ENOMEM;
	}
	if ((r = nl_connect(a->sk, NETLINK_ROUTE)) < 0) {
		nl_socket_free(a->sk);
		free(a);
		return nl2errno(r);
	}
	pthread_mutex_init(&a->mu, NULL);
	*out = a;
	return 0;
}

void addrctl_close(struct addrctl *a)
{
	if (!a)
		return;
	nl_socket_free(a->sk);
	pthread_mutex_destroy(&a->mu);
	free(a);
}

static int build(const struct lvsd_vip *vip, struct rtnl_addr **out)
{
	unsigned ifindex = if_nametoindex(vip->ifname);
	struct rtnl_addr *ra;
	struct nl_addr *na;
	int v6 = vip->addr.family == AF_INET6;
	unsigned maxp = v6 ? 128 : 32;

	if (!ifindex)
		return -ENODEV;
	if ((vip->addr.family != AF_INET && !v6) || vip->prefix > maxp)
		return -EINVAL;
	na = nl_addr_build(vip->addr.family, &vip->addr.u,
			   v6 ? sizeof(struct in6_addr) : sizeof(struct in_addr));
	ra = rtnl_addr_alloc();
	if (!na || !ra) {
		nl_addr_put(na);
		rtnl_addr_put(ra);
		return -ENOMEM;
	}
	nl_addr_set_prefixlen(na, vip->prefix ? vip->prefix : (int)maxp);
	rtnl_addr_set_ifindex(ra, (int)ifindex);
	rtnl_addr_set_family(ra, vip->addr.family);
	rtnl_addr_set_local(ra, na);
	rtnl_addr_set_prefixlen(ra, vip->prefix ? vip->prefix : (int)maxp);
	if (v6) /* usable at once: the VRRP master owns it, DAD would delay */
		rtnl_addr_set_flags(ra, IFA_F_NODAD);
	nl_addr_put(na);
	*out = ra;
	return 0;
}

int addrctl_add(struct addrctl *a, const struct lvsd_vip *vip)
{
	struct rtnl_addr *ra;
	int r = build(vip, &ra);

	if (r < 0)
		return r;
	pthread_mutex_lock(&a->mu);
	r = nl2errno(rtnl_addr_add(a->sk, ra, NLM_F_EXCL));
	pthread_mutex_unlock(&a->mu);
	rtnl_addr_put(ra);
	return r;
}

int addrctl_del(struct addrctl *a, const struct lvsd_vip *vip)
{
	struct rtnl_addr *ra;
	int r = build(vip, &ra);

	if (r < 0)
		return r;
	pthread_mutex_lock(&a->mu);
	r = nl2errno(rtnl_addr_delete(a->sk, ra, 0));
	pthread_mutex_unlock(&a->mu);
	rtnl_addr_put(ra);
	return r;
}

int addrctl_link_up(struct addrctl *a, const char *ifname)
{
	struct rtnl_link *link = NULL;
	unsigned flags;
	int r;

	pthread_mutex_lock(&a->mu);
	r = rtnl_link_get_kernel(a->sk, 0, ifname, &link);
	pthread_mutex_unlock(&a->mu);
	if (r < 0)
		return r == -NLE_OBJ_NOTFOUND || r == -NLE_NODEV ? -ENODEV
								 : nl2errno(r);
	flags = rtnl_link_get_flags(link);
	rtnl_link_put(link);
	return (flags & IFF_UP) && (flags & IFF_RUNNING) ? 1 : 0;
}

int addrctl_list(struct addrctl *a, const char *ifname, struct lvsd_vip **out,
		 size_t *n)
{
	unsigned ifindex = if_nametoindex(ifname);
	struct nl_cache *cache = NULL;
	struct lvsd_vip *v = NULL;
	size_t k = 0;
	int r;

	*out = NULL;
	*n = 0;
	if (!ifindex)
		return -ENODEV;
	pthread_mutex_lock(&a->mu);
	r = rtnl_addr_alloc_cache(a->sk, &cache);
	pthread_mutex_unlock(&a->mu);
	if (r < 0)
		return nl2errno(r);
	for (struct nl_object *o = nl_cache_get_first(cache); o;
	     o = nl_cache_get_next(o)) {
		struct rtnl_addr *ra = (struct rtnl_addr *)o;
		struct nl_addr *na = rtnl_addr_get_local(ra);
		int fam = rtnl_addr_get_family(ra);
		size_t len = fam == AF_INET6 ? sizeof(struct in6_addr)
					     : sizeof(struct in_addr);
		struct lvsd_vip *grown;

		if (rtnl_addr_get_ifindex(ra) != (int)ifindex || !na ||
		    (fam != AF_INET && fam != AF_INET6) ||
		    rtnl_addr_get_scope(ra) != RT_SCOPE_UNIVERSE ||
		    nl_addr_get_len(na) != len)
			continue;
		grown = realloc(v, (k + 1) * sizeof(*v));
		if (!grown) {
			free(v);
			nl_cache_free(cache);
			return -ENOMEM;
		}
		v = grown;
		memset(&v[k], 0, sizeof(v[k]));
		v[k].addr.family = fam;
		memcpy(&v[k].addr.u, nl_addr_get_binary_addr(na), len);
		v[k].prefix = rtnl_addr_get_prefixlen(ra);
		snprintf(v[k].ifname, sizeof(v[k].ifname), "%s", ifname);
		k++;
	}
	nl_cache_free(cache);
	*out = v;
	*n = k;
	return 0;
}
