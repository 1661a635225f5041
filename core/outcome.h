/* outcome.h — the one to-string of a check outcome, used by logs,
 * lvsctl and SNMP alike. */
#ifndef LVSD_OUTCOME_H
#define LVSD_OUTCOME_H

#include <lvsd/plugin.h>

const char *outcome_str(enum lvsd_check_outcome o);

#endif
