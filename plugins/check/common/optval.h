/* optval.h — option values the checker plugins share (header-only, so each
 * plugin .so stays self-contained and sees only the public ABI). */
#ifndef LVSD_CHECK_OPTVAL_H
#define LVSD_CHECK_OPTVAL_H

#include <errno.h>
#include <string.h>

/* yes/true/on/1 -> 1, no/false/off/0 -> 0 into *out; else -EINVAL and
 * *out unchanged. */
static inline int check_parse_bool(const char *v, int *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on") ||
	    !strcmp(v, "1"))
		*out = 1;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "off") ||
		 !strcmp(v, "0"))
		*out = 0;
	else
		return -EINVAL;
	return 0;
}

#endif
