/* model_diff.h — the diff between two models (model_diff.c): what a reload
 * adds, removes and changes, and the log lines that say so.
 */
#ifndef LVSD_MODEL_DIFF_H
#define LVSD_MODEL_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

enum model_kind {
	MODEL_KIND_GLOBAL = 0,
	MODEL_KIND_VS = 1,
	MODEL_KIND_RS = 2,
	MODEL_KIND_VRRP = 3,
	MODEL_KIND_SYNC_GROUP = 4,
};

enum model_change {
	MODEL_ADDED = 1,
	MODEL_REMOVED = 2,
	MODEL_CHANGED = 3,
};

struct model_diff_entry {
	enum model_kind kind;
	enum model_change change;
	/* Identity: "web", "web 10.0.0.51:80", "VI_1". */
	char id[MODEL_NAME_MAX + 64];
	size_t old_idx;  /* index in old's array, SIZE_MAX if added */
	size_t new_idx;  /* index in new's array, SIZE_MAX if removed */
	/* MODEL_CHANGED: the kernel identity changed too (a virtual server's
	 * address/protocol/fwmark/family, a VRRP instance's interface, VRID
	 * or family): delete and re-create rather than edit. */
	bool key_changed;
	/* MODEL_CHANGED: what changed, "weight 1 -> 3; method NAT -> DR". */
	char *what;
};

struct model_diff {
	struct model_diff_entry *v;
	size_t n;
	bool global_changed; /* also listed as a MODEL_KIND_GLOBAL entry */
};

/* Compare two models (either may be NULL: empty). Entries come in order:
 * global, virtual servers, real servers, VRRP instances, sync groups;
 * removed before changed before added. *out must be freed with
 * model_diff_free() on success. 0 or -ENOMEM. */
int model_diff(const struct model *old, const struct model *new,
	       struct model_diff *out);
/* The diff of n pairs of real servers with the same identity only,
 * old->rs[old_idx[i]] against new->rs[new_idx[i]] (a fast reload,
 * cfgfast.h): a MODEL_CHANGED entry for each pair that differs, as
 * model_diff gives it. 0 or -ENOMEM. */
int model_diff_rs(const struct model *old, const size_t *old_idx,
		  const struct model *new, const size_t *new_idx, size_t n,
		  struct model_diff *out);
void model_diff_free(struct model_diff *d);
/* One line per entry, e.g. "real server web 10.0.0.51:80 changed: weight
 * 1 -> 3", handed to emit(arg, line). Nothing for an empty diff. */
void model_diff_emit(const struct model_diff *d,
		     void (*emit)(void *arg, const char *line), void *arg);
/* The [vrrp_script] / [vrrp_track_file] / [vrrp_track_process] sections
 * added, removed or changed ("[vrrp_script chk] changed: script ... ->
 * ..."), one line each to emit; how many. */
size_t model_diff_trackers(const struct model *old, const struct model *new,
			   void (*emit)(void *arg, const char *line), void *arg);
const char *model_kind_str(enum model_kind k);     /* "virtual server" */
const char *model_change_str(enum model_change c); /* "added" */

#endif
