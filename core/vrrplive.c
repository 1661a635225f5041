/* vrrplive.c — a [vrrp] section copied for the engine, and its ABI view
 * (see vrrplive.h). */
#include "vrrplive.h"

#include "schema.h"

#include <stdlib.h>
#include <string.h>

int vrrplive_copy(struct model_vrrp *d, const struct model_vrrp *s)
{
	return schema_copy(SCHEMA_VRRP, d, s);
}

static void fill_config(struct vrrp_live *l, int32_t rt_priority)
{
	const struct model_vrrp *v = &l->cfg;
	struct lvsd_vrrp_config *c = &l->pc;

	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->name = v->name;
	c->ifname = v->interface;
	c->sync_group = v->sync_group[0] ? v->sync_group : NULL;
	c->version = v->version;
	c->family = v->family;
	c->vrid = v->vrid;
	c->priority = v->priority;
	c->initial_state = v->state;
	c->preempt = v->preempt;
	c->preempt_delay_ms = v->preempt_delay_ms;
	c->advert_int_cs = v->advert_int_cs;
	c->auth_pass = v->auth_pass[0] ? v->auth_pass : NULL;
	c->vips = v->vips;
	c->n_vips = v->n_vips;
	c->track_ifaces = (const char *const *)v->track_interface.v;
	c->n_track_ifaces = v->track_interface.n;
	c->unicast_src = v->unicast_src;
	c->unicast_peers = v->unicast_peers;
	c->n_unicast_peers = v->n_unicast_peers;
	c->garp_count = v->garp_master_repeat;
	c->garp_interval_ms = v->garp_interval_ms;
	c->notify_master = model_strv_argv(&v->notify_master);
	c->notify_backup = model_strv_argv(&v->notify_backup);
	c->notify_fault = model_strv_argv(&v->notify_fault);
	c->garp_master_delay_ms = v->garp_master_delay_ms;
	c->garp_refresh_ms = v->garp_master_refresh_ms;
	c->garp_refresh_repeat = v->garp_master_refresh_repeat;
	c->rt_priority = rt_priority;
}

void vrrplive_free(struct vrrp_live *l)
{
	if (!l)
		return;
	schema_clear(SCHEMA_VRRP, &l->cfg);
	free(l);
}

struct vrrp_live *vrrplive_new(const struct model_vrrp *v, int32_t rt_priority)
{
	struct vrrp_live *l = calloc(1, sizeof(*l));

	if (!l || vrrplive_copy(&l->cfg, v) < 0) {
		free(l);
		return NULL;
	}
	fill_config(l, rt_priority);
	return l;
}
