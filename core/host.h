/* host.h — the host-API table the core hands to each plugin: the core's
 * services (loop, logging, check results, VIPs, VRRP state, programs)
 * behind the stable function pointers of <lvsd/plugin.h>. */
#ifndef LVSD_HOST_H
#define LVSD_HOST_H

#include <lvsd/plugin.h>

struct loop;
struct plugin;

/* Daemon-wide services the table dispatches to. Unset hooks answer
 * -ENOTSUP (or do nothing), so a test can fill only what it needs. */
struct host {
	struct loop *loop;
	void *arg;
	void (*check_done)(void *arg, struct lvsd_check *check,
			   const struct lvsd_check_result *res);
	int (*vip_add)(void *arg, const struct lvsd_vip *vip);
	int (*vip_del)(void *arg, const struct lvsd_vip *vip);
	/* Called on the loop thread (host.c posts it there). */
	void (*vrrp_state)(void *arg, struct lvsd_vrrp_instance *inst,
			   enum lvsd_vrrp_state state, const char *why);
	int (*link_up)(void *arg, const char *ifname);
	int (*spawn)(void *arg, const char *const *argv, uint32_t timeout_ms);
	/* prog_run / prog_cancel / prog_check (spawn.h), loop thread */
	struct lvsd_prog *(*prog_run)(void *arg, const struct lvsd_prog_spec *spec,
				      lvsd_prog_fn fn, void *fn_arg, int *err);
	void (*prog_cancel)(void *arg, struct lvsd_prog *p);
	/* a scheduler's weigh_soon (ABI 1.2), loop thread */
	void (*weigh_soon)(void *arg);
	/* (prog_check needs no daemon: spawn.c answers it directly, also
	 * for lvsd -t) */
};

/* What a plugin's `struct lvsd_host *` points to: the core's services
 * and which plugin is calling (for log prefixes). */
struct lvsd_host {
	struct host *core;
	const char *name; /* the plugin's name, or its file before that */
};

/* Fill the table a plugin receives; `self` must outlive the plugin. */
void host_api_fill(struct lvsd_host_api *api, struct lvsd_host *self);

/* From now on (this thread), a plugin's warning- or error-level log line
 * is not logged but kept in buf (len bytes, NUL-terminated, the last one
 * wins, a leading "refused option: " dropped), so that the core can
 * attach it to its own message (a check's create() says why it refused
 * only through the log). buf is emptied; host_capture(NULL, 0) stops. */
void host_capture(char *buf, size_t len);

#endif
