/* fuzz_smtp.c — libFuzzer target for the SMTP reply parser of mail alerts. */
#include <stddef.h>
#include <stdint.h>

#include "smtp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	size_t used;
	int code;

	/* Walk replies the way the client does. */
	while (size > 0 && smtp_reply_parse(p, size, &code, &used) == 0) {
		if (used == 0 || used > size || code < 200 || code > 599)
			__builtin_trap();
		p += used;
		size -= used;
	}
	return 0;
}
