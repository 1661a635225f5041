/* control_json.h — `lvsctl status --json` and `lvsctl counters --json`:
 * one JSON document each, in the versioned schemas "lvsd-status/1" and
 * "lvsd-counters/1" that lvsctl(8) documents field by field (units in the
 * names: _s seconds, _ms milliseconds, _percent 0..100; counters are
 * counts since the start). A field is only ever added within a version;
 * one renamed, removed or retyped makes a new version. Strings are
 * ASCII: other bytes come as \u00XX (a byte each). */
#ifndef LVSD_CONTROL_JSON_H
#define LVSD_CONTROL_JSON_H

#include "context.h"
#include "ctl.h"

#define CONTROL_JSON_STATUS "lvsd-status/1"
#define CONTROL_JSON_COUNTERS "lvsd-counters/1"

/* The document (and a newline) into r; the kernel's counters read first
 * when older than SRV_KERNEL_MAX_AGE_US (as the text status does). */
void control_json_status(struct daemon *d, struct ctl_reply *r);
void control_json_counters(struct daemon *d, struct ctl_reply *r);

/* The sorry server of vs in its service c (model_vs_svc): *port its
 * destination port there (0 in an fwmark service, else sorry_port or the
 * service's); the kernel's destination as of the last read, or NULL (not
 * in the kernel, or no sorry_server). */
struct srv;

const struct ipvs_dest *control_sorry_dest(struct daemon *d,
					   const struct model_vs *vs, size_t c,
					   uint16_t *port);

/* Why s's weight is what it is (status's Result column, JSON's
 * result): weight_why_str's, or "replaced (sorry server)" while its
 * virtual server's quorum is lost and the sorry server stands in (the
 * kernel then holds the sorry server, not s). Static storage. */
const char *control_rs_result(struct daemon *d, const struct srv *s);

#endif
