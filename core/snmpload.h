/* snmpload.h — the SNMP subagent as lvsd calls it: the module
 * lvsd-snmp.so (snmp.h's functions, built from core/snmp*.c with
 * Net-SNMP) is loaded at the first snmpload_start whose model says
 * snmp = yes, and never otherwise (issue 14 goal 5: Net-SNMP maps about
 * 3 MB). The module is looked for beside the lvsd executable (a build
 * tree), then in LVSD_MODDIR (make install: $(LIBDIR)/lvsd). */
#ifndef LVSD_SNMPLOAD_H
#define LVSD_SNMPLOAD_H

#include <stdbool.h>
#include <stddef.h>

struct daemon;
struct srv;
struct model_vs;
struct snmp;

/* snmp_start through the module: *out = NULL and 0 without snmp = yes
 * (nothing loaded); -ENOENT (the module cannot be loaded: logged),
 * -ENOEXEC (not this build's module: logged) or snmp_start's result. */
int snmpload_start(struct daemon *d, struct snmp **out);
/* Would snmpload_start find a module it may load (lvsd -t)? 0, else
 * -errno with why (len bytes) naming the module, the reason and the fix:
 * -EPERM (others may write it or a directory above it; 0 when insecure,
 * i.e. plugin_insecure = yes), -ENOENT (not there) and pathsec_check's
 * others. Looks at the file system only; loads nothing. */
int snmpload_check(bool insecure, char *why, size_t len);
/* snmp.h's, through the module; each does nothing when s is NULL. */
void snmpload_stop(struct snmp *s);
void snmpload_reloaded(struct snmp *s);
void snmpload_notify_rs(struct snmp *s, const struct srv *srv);
void snmpload_notify_quorum(struct snmp *s, const struct model_vs *vs, bool lost);
void snmpload_notify_vrrp(struct snmp *s);

#endif
