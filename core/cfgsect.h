/* cfgsect.h — the sections of lvsd.ini: a header starts one, its end gives
 * its entries to the key tables (cfgkeys.h) and its object to the checks
 * (cfgcheck.h). Internal to the cfg module.
 */
#ifndef LVSD_CFGSECT_H
#define LVSD_CFGSECT_H

#include <stddef.h>

#include "cfgstate.h"

/* A "[...]" line (s points at '['): ends the current section, starts the
 * next one. */
void cfg_section_header(struct parser *p, char *s);
void cfg_section_lost(struct parser *p, const char *s, size_t n);
/* Check the current section and put its object into the model. */
void cfg_section_finish(struct parser *p);
/* Free what the parser holds (not the model). */
void cfg_parser_free(struct parser *p);

#endif
