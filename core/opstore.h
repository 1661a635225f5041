/* opstore.h — the running daemon's operator layer (d->ops) against its
 * file (d->state_file): read at start, applied to the real servers after
 * every configuration change, written after every change. A file that
 * could not be read is never written over; one with damaged lines is kept
 * aside before it is rewritten; overrides of real servers that left the
 * configuration are kept for [global] operator_grace. */
#ifndef LVSD_OPSTORE_H
#define LVSD_OPSTORE_H

#include "context.h"

/* Start: read the state file into d->ops (logged). 0, or -errno when it
 * exists but cannot be read: d->ops is then empty and the file held (no
 * write goes over it until it is moved away). */
int opstore_load(struct daemon *d);
/* Match d->ops with the configured real servers and set their operator
 * weight and admin state: overrides of servers that left the configuration
 * are marked gone (kept for operator_grace, 0: dropped at once), expired
 * ones dropped, ones whose config weight changed dropped (the config
 * wins); each logged. Saves if anything changed and arms the timer of the
 * next expiry. O(real servers + entries). */
void opstore_apply(struct daemon *d);
/* A reload from old to m: a virtual server whose name changed while its
 * service (af + protocol, address, port; or af + fwmark) stayed the same
 * keeps its real servers' operator overrides: they are moved to the new
 * name, logged, and saved. Call before opstore_apply(). */
void opstore_renamed(struct daemon *d, const struct model *old,
		     const struct model *m);
/* Write s as the state file. 0; -EROFS: held (the file found at start
 * could not be read, or its damaged copy could not be kept aside): not
 * written, logged; else -errno from opfile_save (logged by the caller). */
int opstore_write(struct daemon *d, const struct opstate *s);
/* One entry of d->ops set to r (its key: vs, addr, port), or removed when
 * r has neither a weight nor an admin state, and made durable: a journal
 * line appended to the state file and fdatasync'd, or the file written
 * whole (when lvsd does not know its size, it is damaged or held, or the
 * journal has grown as long as the rest). O(1) amortised. 0; -EROFS:
 * held, applied unsaved (logged); else -errno: not saved and d->ops
 * unchanged (the caller logs). */
int opstore_set(struct daemon *d, const struct opstate_rs *r);
/* The runtime objects (lvsctl add-vs...) replaced by v[0..n) (malloc'd;
 * taken on success) and made durable: the n_ch changes ch[] (del[i]:
 * removed, else added or replaced) as journal lines, or the file written
 * whole (n_ch 0 forces it). 0; else -errno (-EROFS: held): not saved,
 * d->ops unchanged, v still the caller's. */
int opstore_set_rt(struct daemon *d, struct opstate_rt *v, size_t n,
		   const struct opstate_rt *ch, const int *del, size_t n_ch);
/* opstore_write(d, &d->ops), with the failure logged. */
int opstore_save(struct daemon *d);
/* Why operator changes are not saved, or NULL when they are. */
const char *opstore_unsaved(const struct daemon *d);
/* One line for the dump: the file, its entries, saved or why not. */
void opstore_report(const struct daemon *d,
		    void (*emit)(void *arg, const char *line), void *arg);

#endif
