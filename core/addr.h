/* addr.h — virtual addresses and link state through rtnetlink (libnl-route):
 * what the host API's vip_add, vip_del and link_up do. Every function may be
 * called from any thread (the VRRP engine runs on its own); one mutex
 * serialises the requests on the single netlink socket. */
#ifndef LVSD_ADDR_H
#define LVSD_ADDR_H

#include <lvsd/plugin.h>

struct addrctl;

/* A netlink request socket. 0 or -errno. */
int addrctl_open(struct addrctl **out);
void addrctl_close(struct addrctl *a);

/* Add vip (address/prefix on vip->ifname; IPv6 without DAD). 0, -EEXIST if
 * it is there already, -ENODEV, or -errno. */
int addrctl_add(struct addrctl *a, const struct lvsd_vip *vip);
/* Remove it. 0, -EADDRNOTAVAIL if it was not there, -ENODEV, or -errno. */
int addrctl_del(struct addrctl *a, const struct lvsd_vip *vip);
/* The addresses of global scope on ifname (link-local and host ones left
 * out), read from the kernel: *out (malloc'd, the caller frees; NULL when
 * *n is 0) holds *n of them with their prefix lengths. 0, -ENODEV, or
 * -errno. */
int addrctl_list(struct addrctl *a, const char *ifname, struct lvsd_vip **out,
		 size_t *n);
/* Is ifname administratively up with its carrier on? 1, 0, -ENODEV,
 * -errno. */
int addrctl_link_up(struct addrctl *a, const char *ifname);

#endif
