/* opstate.h — the operator layer that outlives a reload and a restart:
 * per real server an operator weight and an admin state (set by lvsctl or
 * SNMP), and the virtual services lvsd owns in the kernel. Kept in a text
 * file (global state_file), rewritten atomically on every change. */
#ifndef LVSD_OPSTATE_H
#define LVSD_OPSTATE_H

#include <stddef.h>
#include <stdint.h>

#include <lvsd/plugin.h>

#include "weight.h"

struct opstate_rs {
	char vs[64];
	struct lvsd_addr addr;
	uint16_t port;
	uint32_t cfg_weight;  /* the config weight when the operator acted */
	int has_weight;
	uint32_t weight;
	enum admin_state admin;
};

/* A kernel service key: "TCP 192.168.0.30:80" or "FWM 42 inet". */
struct opstate_owned {
	int af;
	uint16_t protocol;
	struct lvsd_addr addr;
	uint16_t port;
	uint32_t fwmark;
};

struct opstate {
	struct opstate_rs *rs;
	size_t n_rs;
	struct opstate_owned *owned;
	size_t n_owned;
};

void opstate_free(struct opstate *s);
/* A deep copy. 0 or -ENOMEM (dst then empty). */
int opstate_copy(struct opstate *dst, const struct opstate *src);
/* Parse the text of a state file. Lines it cannot read are reported to
 * warn (with their number) and skipped: a damaged file loses those
 * overrides only. 0 or -ENOMEM. Outside input: fuzzed. */
int opstate_parse(const char *text, struct opstate *out,
		  void (*warn)(void *arg, unsigned line, const char *why),
		  void *arg);
/* Read path (a missing file is an empty state). 0 or -errno. */
int opstate_load(const char *path, struct opstate *out);
/* Write to path.tmp, fsync, rename. 0 or -errno. */
int opstate_save(const char *path, const struct opstate *s);

struct opstate_rs *opstate_find_rs(const struct opstate *s, const char *vs,
				   const struct lvsd_addr *addr, uint16_t port);
/* Find or add (zeroed, identity set). NULL if out of memory. */
struct opstate_rs *opstate_get_rs(struct opstate *s, const char *vs,
				  const struct lvsd_addr *addr, uint16_t port);
void opstate_del_rs(struct opstate *s, struct opstate_rs *rs);
/* Replace the owned list. 0 or -ENOMEM. */
int opstate_set_owned(struct opstate *s, const struct opstate_owned *v,
		      size_t n);

/* "10.0.0.51:80", "[2001:db8::1]:80" → addr, port. 0 or -EINVAL. */
int opstate_parse_addrport(const char *s, struct lvsd_addr *addr,
			   uint16_t *port);

#endif
