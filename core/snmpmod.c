/* snmpmod.c — the SNMP module's entry (lvsd-snmp.so only; see
 * snmpmod.h): lvsd's functions arrive as a table. */
#include "snmpmod.h"

#include <string.h>

__attribute__((visibility("hidden"))) struct snmp_core snmp_core;

__attribute__((visibility("default")))
int snmp_module_init(const struct snmp_core *c, size_t size, const char *version)
{
	if (size != sizeof(snmp_core) || strcmp(version, LVSD_VERSION) != 0)
		return -1;
	snmp_core = *c;
	return 0;
}
