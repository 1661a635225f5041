/* desired.h — what the kernel should hold: the model's virtual servers
 * with each real server at its effective weight (or absent), in the
 * reconciler's terms. */
#ifndef LVSD_DESIRED_H
#define LVSD_DESIRED_H

#include <stdbool.h>

#include "model.h"
#include "plugin.h"
#include "reconcile.h"
#include "servers.h"

/* The kernel key and settings of a virtual server. sched is the kernel
 * scheduler's name (the plugin's kernel_name). */
void desired_service(const struct model_vs *vs, const char *sched,
		     struct ipvs_service *out);
uint32_t desired_fwd(enum model_method m);
/* A real server as the kernel should hold it, at its effective weight
 * (s->eff; meaningful when s->eff.present). */
void desired_dest(const struct srv *s, struct ipvs_dest *out);

/* Which virtual servers have lost their quorum (the health manager
 * knows). A virtual server without quorum that has a sorry_server gets
 * the sorry server instead of its real servers (keepalived's rule); with
 * sorry_server_inhibit the sorry server otherwise stays at weight 0. */
struct desired_quorum {
	bool (*lost)(void *arg, const struct model_vs *vs);
	void *arg;
};

/* Build the desired state; q may be NULL (every quorum holds). Free with
 * rec_services_free(). 0 or -errno (-ENOENT: a scheduler plugin
 * vanished, which the config check prevents). */
int desired_build(const struct model *m, const struct srv_table *t,
		  const struct plugin_set *plugins,
		  const struct desired_quorum *q, struct rec_service **out,
		  size_t *n);

#endif
