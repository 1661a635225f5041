/* control.h — the control socket's commands (lvsctl): status, operator
 * weight and admin state, reload, reconcile, counters, dump. ctl.c reads
 * and answers the socket; this says what each command does. */
#ifndef LVSD_CONTROL_H
#define LVSD_CONTROL_H

#include <stddef.h>

#include "context.h"
#include "ctl.h"

/* A ctl_handler_fn, arg the daemon: run argv[0] for peer (whose access
 * it checks), answer into r. 0, or -errno with the message in err. */
int control_handle(void *arg, const struct ctl_peer *peer, int argc,
		   char **argv, struct ctl_reply *r, char *err, size_t errlen);

#endif
