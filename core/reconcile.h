/* reconcile.h — the reconciler: compares the desired virtual servers with
 * the kernel's and plans the fewest IPVS operations that make them equal;
 * rec_apply() dumps, plans and sends in one call. */
#ifndef LVSD_RECONCILE_H
#define LVSD_RECONCILE_H

#include <stddef.h>
#include "ipvs.h"

/* A virtual server with its real servers (desired, or dumped). */
struct rec_service {
	struct ipvs_service svc;
	struct ipvs_dest *dests; /* n_dests of them, any order */
	size_t n_dests;
};

/* What a plan holds (rec_plan) or what an apply did (rec_apply). */
struct rec_stats {
	size_t svc_add, svc_edit, svc_del;
	size_t dest_add, dest_edit, dest_del;
	size_t ops;       /* the sum of the six above */
	size_t unowned;   /* kernel virtual servers left alone: not ours */
	size_t skipped;   /* desired ones that cannot be planned (a key or a
			   * real server twice): reported, left alone */
	size_t failed;    /* rec_apply: ops the kernel refused */
};

/* Key order of virtual servers: (af, fwmark) when fwmark != 0, else
 * (af, protocol, addr, port). <0, 0, >0 like strcmp. */
int rec_service_cmp(const struct ipvs_service *a, const struct ipvs_service *b);
/* Key order of real servers: (af, addr, port). */
int rec_dest_cmp(const struct ipvs_dest *a, const struct ipvs_dest *b);
/* Does a real server the kernel holds (have) need an edit to be want
 * (method, weight, thresholds, tunnel)? 1 or 0. */
int rec_dest_differs(const struct ipvs_dest *want, const struct ipvs_dest *have);

/* Told of each op the kernel refused: what ("add real server 10.0.0.51:80
 * to TCP 192.168.0.30:80") and -errno; or of a virtual server that cannot
 * be planned. */
typedef void (*rec_error_fn)(void *arg, const char *what, int err);

/* Plan. desired: what the kernel must hold for us. kernel: what it holds
 * (rec_dump). owned: keys of virtual servers lvsd programmed before (the
 * desired ones are ours anyway); a kernel virtual server neither desired
 * nor owned belongs to someone else and is never touched, while every
 * real server of a virtual server we own is ours. Appends to *out, in
 * order: deletions of virtual servers, then per desired virtual server
 * (in key order) its add or edit, then its real servers' deletions, edits
 * and additions. Pure: no I/O. stats may be NULL. A desired virtual
 * server that cannot be planned (its key given twice, or one of its real
 * servers) is skipped: no op for it (nor its deletion), counted in
 * stats->skipped and told to on_bad(arg, what, -EINVAL) (may be NULL);
 * it never blocks the others. 0 or -ENOMEM. */
int rec_plan(const struct rec_service *desired, size_t n_desired,
	     const struct rec_service *kernel, size_t n_kernel,
	     const struct ipvs_service *owned, size_t n_owned,
	     struct ipvs_batch *out, struct rec_stats *stats,
	     rec_error_fn on_bad, void *arg);

/* Dump the kernel's virtual servers, and the real servers of those that
 * match a key in want[] (of all when want is NULL). Free the result with
 * rec_services_free(). */
int rec_dump(struct ipvs *ipvs, const struct rec_service *want, size_t n_want,
	     struct rec_service **out, size_t *n);
void rec_services_free(struct rec_service *svcs, size_t n);

/* Dump, plan, send; failed ops (and virtual servers that cannot be
 * planned, see rec_plan) are reported through on_error (may be NULL) and
 * the others still go; the returned count includes the skipped ones. If acks were lost (-ENOBUFS) it dumps and
 * plans again, once. Returns the number of failed ops (>= 0) or -errno
 * when the kernel could not be read or written. stats may be NULL (they
 * are those of the last plan). desired may be NULL with n_desired 0: every
 * owned virtual server is removed. After a return of 0 the kernel holds
 * exactly the desired virtual servers of ours: the new owned set is their
 * keys; after failures keep the old owned keys too. */
int rec_apply(struct ipvs *ipvs, const struct rec_service *desired,
	      size_t n_desired, const struct ipvs_service *owned,
	      size_t n_owned, rec_error_fn on_error, void *arg,
	      struct rec_stats *stats);

/* rec_apply without the dump: plan against known, what the kernel held
 * after the last apply that succeeded (its desired state then), and send.
 * O(changes) kernel work: a reload or an operator change that moves one
 * real server is one operation, not a dump of every virtual server.
 * Drift (a change made by hand) is not seen: an op the kernel refuses is
 * reported like rec_apply's, and the caller repairs with rec_apply. */
int rec_apply_known(struct ipvs *ipvs, const struct rec_service *desired,
		    size_t n_desired, const struct rec_service *known,
		    size_t n_known, const struct ipvs_service *owned,
		    size_t n_owned, rec_error_fn on_error, void *arg,
		    struct rec_stats *stats);

#endif
