/* desired.h — what the kernel should hold: the model's virtual servers
 * with each real server at its effective weight (or absent), in the
 * reconciler's terms. */
#ifndef LVSD_DESIRED_H
#define LVSD_DESIRED_H

#include "model.h"
#include "plugin.h"
#include "reconcile.h"
#include "servers.h"

/* The kernel key and settings of a virtual server. sched is the kernel
 * scheduler's name (the plugin's kernel_name). */
void desired_service(const struct model_vs *vs, const char *sched,
		     struct ipvs_service *out);
uint32_t desired_fwd(enum model_method m);

/* Build the desired state. Free with rec_services_free(). 0 or -errno
 * (-ENOENT: a scheduler plugin vanished, which the config check prevents). */
int desired_build(const struct model *m, const struct srv_table *t,
		  const struct plugin_set *plugins, struct rec_service **out,
		  size_t *n);

#endif
