/* install.h — putting a new model in force while running: the end of a
 * reload (reload.c) and of a runtime change (lvsctl add-rs...,
 * runtime.c). */
#ifndef LVSD_INSTALL_H
#define LVSD_INSTALL_H

#include "context.h"

/* Put m in force (the daemon takes it; freed on an error): the diff
 * logged with why ("lvsctl add-rs"; NULL: "reload"), the [global] keys
 * read only at start named when changed, then the real servers, VRRP,
 * operator layer, SNMP tables, checks and agents follow, IPVS opened if
 * needed. The kernel is not touched (the caller applies). 0 or -ENOMEM
 * (the running model stays). */
int install_model(struct daemon *d, struct model *m, const char *why);

/* The same for a fast reload's model (cfgfast_commit): d->model is the
 * shell that shares m's objects (freed here, cfgfast_free_shell), diff
 * the changes (of real servers only, logged). What follows from
 * unchanged objects is skipped (the diff of the whole model, the server
 * table's re-indexing, the schedulers' attach pass). Cannot fail. */
struct model_diff;
void install_model_fast(struct daemon *d, struct model *m,
			const struct model_diff *diff);

#endif
