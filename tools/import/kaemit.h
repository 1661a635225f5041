/* kaemit.h — the translation of a parsed keepalived.conf (kaparse.h) into
 * an lvsd.ini document (inidoc.h). Every keyword that lvsd cannot express
 * is reported as FILE:LINE: keyword: why (ka_leftout); nothing is dropped
 * silently.
 */
#ifndef LVSD_KAEMIT_H
#define LVSD_KAEMIT_H

#include "inidoc.h"
#include "kaparse.h"

/* Fills D (initialised by the caller) from T. Returns 0, or -ENOMEM
 * (the document is then incomplete). r->left_out counts what was left out. */
int ka_emit(const struct ka_tree *t, struct ini_doc *d, struct ka_report *r);

#endif
