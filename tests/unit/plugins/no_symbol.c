/* no_symbol.c — a shared object that is not an lvsd plugin. */
#include <lvsd/plugin.h>

LVSD_EXPORT int something_else(void);
LVSD_EXPORT int something_else(void) { return 42; }
