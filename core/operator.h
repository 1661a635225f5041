/* operator.h — the one writing path of the operator layer (a real
 * server's operator weight and admin state), shared by lvsctl (control.c)
 * and SNMP SETs (snmp.c): check without changing anything, apply (state
 * file first, then the kernel), and read back what undoes a change. */
#ifndef LVSD_OPERATOR_H
#define LVSD_OPERATOR_H

#include <stddef.h>
#include <stdint.h>

#include "context.h"

#define OPERATOR_KEEP (-1)

/* A change: has_weight 1 set weight, 0 clear it, OPERATOR_KEEP leave it;
 * admin an enum admin_state (ADMIN_NONE clears it) or OPERATOR_KEEP;
 * clear: both cleared first. */
struct operator_set {
	int has_weight;
	uint32_t weight;
	int admin;
	int clear;
};

/* The change that puts s's operator layer back as it is now. */
void operator_current(const struct srv *s, struct operator_set *out);
/* Would operator_apply() take this change? Values in range, the state
 * file writable (or held: then the change applies unsaved). Changes
 * nothing. 0, -EINVAL (bad value) or -EACCES (the state file cannot be
 * written), with the reason in err. */
int operator_check(const struct daemon *d, const struct srv *s,
		   const struct operator_set *c, char *err, size_t len);
/* Apply: a copy of the operator state is changed and written first; only
 * once it is on disk does it replace the running one, and the kernel
 * follows at once (d->reconcile_server: that one destination). 0; -EIO:
 * not written, nothing changed; -EREMOTEIO: saved, but the kernel refused (logged). When the
 * state file is held (opstore_unsaved() says why) the change applies
 * without being saved, and this returns 0: the caller tells the user. */
int operator_apply(struct daemon *d, struct srv *s,
		   const struct operator_set *c, char *err, size_t len);

#endif
