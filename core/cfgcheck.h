/* cfgcheck.h — checks of a whole section of lvsd.ini when it ends, and the
 * final pass over the file (references, inheritance, duplicates).
 * Internal to the cfg module.
 */
#ifndef LVSD_CFGCHECK_H
#define LVSD_CFGCHECK_H

#include <stdint.h>

#include "cfgstate.h"

/* Check the section just read and move its object into the model (or
 * report why not). */
void cfg_finish_vs(struct parser *p);
void cfg_finish_rs(struct parser *p);
void cfg_finish_vrrp(struct parser *p);
void cfg_finish_sync(struct parser *p);
void cfg_finish_tracker(struct parser *p);
void cfg_finish_vsg(struct parser *p);
/* After the last section: real servers to their virtual servers, sync
 * groups to their instances, inheritance, duplicate real servers. */
void cfg_link(struct parser *p);

#endif
