/* schedrs.h — the scheduler plugins at run time and at configuration
 * time: flag names and options checked by the plugin that owns them,
 * each real server attached to its scheduler (rs_attach/rs_detach), and
 * the weight hooks asked with one lvsd_rs_info per real server. */
#ifndef LVSD_SCHEDRS_H
#define LVSD_SCHEDRS_H

#include <stddef.h>
#include <stdint.h>

#include "plugin.h"
#include "servers.h"

/* The bits of sched_flags name `flag` for scheduler plugin p: one of p's
 * flags, or flag-1/flag-2/flag-3 (any scheduler). 0 and *bit set;
 * -ENOENT unknown (message in err); -EINVAL a plugin flag with bits
 * outside LVSD_SCHED_FLAG_MASK (message in err). p may be NULL (only the
 * generic names then). */
int schedrs_flag(const struct plugin *p, const char *sched, const char *flag,
		 uint32_t *bit, char *err, size_t errlen);
/* An option of scheduler p: its option op's answer (0, -ENOENT, -EINVAL
 * with err), -ENOENT without the op. */
int schedrs_option(const struct plugin *p, const char *key, const char *value,
		   char *err, size_t errlen);

/* Attach every real server of t to the scheduler plugin of its virtual
 * server (ps), detaching it first from the one it had if the scheduler or
 * its options changed (after srv_sync, at start and reload). A refused
 * attach is logged. */
void schedrs_sync(struct srv_table *t, const struct plugin_set *ps);
/* A real server leaves (srv_sync's gone, lvsd stopping): rs_detach. */
void schedrs_gone(struct srv *s);
void schedrs_detach_all(struct srv_table *t);
/* Ask every weight hook about its real servers (has_factor/factor). */
void schedrs_weigh(struct srv_table *t, const struct plugin_set *ps);
/* Are the weight hooks running now (weigh_soon is ignored from them)? */
int schedrs_in_hook(void);

#endif
