/* vrrplive.h — the configuration a VRRP engine runs an instance with: a
 * deep copy of the [vrrp] section and the plugin ABI's view of it
 * (struct lvsd_vrrp_config, whose pointers point into the copy). */
#ifndef LVSD_VRRPLIVE_H
#define LVSD_VRRPLIVE_H

#include <stdint.h>

#include <lvsd/plugin.h>

#include "model.h"

/* Replaced as a whole by an in-place reload; the engine may read it
 * until then. */
struct vrrp_live {
	struct model_vrrp cfg;
	struct lvsd_vrrp_config pc;
};

/* d = a deep copy of s: 0, or -ENOMEM with d cleared. */
int vrrplive_copy(struct model_vrrp *d, const struct model_vrrp *s);

/* A live configuration for v; rt_priority is [global] vrrp_rt_priority
 * (the engine reads it at its start). NULL when out of memory. The
 * tracking fields of pc are 0 / NULL: the caller sets them. */
struct vrrp_live *vrrplive_new(const struct model_vrrp *v, int32_t rt_priority);
void vrrplive_free(struct vrrp_live *l); /* NULL is fine */

#endif
