/* runtime.h — runtime objects: virtual and real servers added without a
 * reload (lvsctl add-vs, add-rs; removed with del-vs, del-rs). Each is
 * kept in the operator layer (d->ops.rt, the state file's runtime-*
 * records) as the keys of its lvsd.ini section, and is validated by the
 * configuration parser itself: the model in force is always the parse of
 * the configuration's text followed by the runtime objects' sections, so
 * the same ranges, names and errors apply. The configuration wins: an
 * object it defines (the same virtual server name, the same real server)
 * replaces the runtime one, which is dropped from the state (logged). */
#ifndef LVSD_RUNTIME_H
#define LVSD_RUNTIME_H

#include <stddef.h>

#include "context.h"

/* At start and at each reload, *m the configuration's model (with its
 * text): runtime objects the configuration now defines are dropped, the
 * rest parsed with it into a new *m (the old one freed); an object that
 * no longer parses (its virtual server gone, a key no longer valid) is
 * dropped, with the parser's reason logged. The state is saved when
 * anything was dropped. Nothing to do (and nothing parsed again) without
 * runtime objects. 0 or -ENOMEM (*m then NULL, freed). */
int runtime_merge(struct daemon *d, struct model **m);

/* The commands (control.c), argv as received: argv[0] "add-vs",
 * "add-rs", "del-vs" or "del-rs". The change is validated (nothing
 * changes on an error), saved (a journal line; a state file that cannot
 * be written: refused), then in force at once: the new model installed
 * and the kernel programmed (one operation for one real server or an
 * empty service; a new check starts). 0, or -errno with the reason in err
 * (-EINVAL usage or invalid, -ENOENT unknown object, -EEXIST duplicate,
 * -EPERM an object of the configuration, -EIO not saved). */
/* A real server argument of virtual server vs in model m: "ADDR:PORT"
 * ("[ADDR]:PORT" for IPv6), or "ADDR" without a port, as in the file:
 * the virtual server's port, 0 for an fwmark one (or a group's). *given
 * says whether a port was written. 0 or -EINVAL (-ENOENT: no vs). */
int runtime_rs_arg(const struct model *m, const char *vs, const char *s,
		   struct lvsd_addr *addr, uint16_t *port, bool *given);

int runtime_command(struct daemon *d, int argc, char **argv,
		    struct ctl_reply *r, char *err, size_t len);

#endif
