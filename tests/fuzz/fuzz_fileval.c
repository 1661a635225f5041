/* fuzz_fileval.c — libFuzzer target for FILE_CHECK's reading of a file's
 * contents (plugins/check/file/fileval.c): any bytes parse to a number
 * within +-FILEVAL_LIMIT or are refused; a number parsed prints back to
 * itself; the verdict's product stays within the limit and agrees with
 * the sign rule for a weight taken from the first bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../plugins/check/file/fileval.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long long v, v2, p, w = 0;
	char buf[32];
	int ok;

	if (size >= 4) { /* a weight from the first bytes */
		int32_t x;

		memcpy(&x, data, sizeof(x));
		w = x == INT32_MIN ? -FILEVAL_LIMIT : x;
	}
	if (fileval_parse((const char *)data, size, &v) < 0)
		return 0;
	if (size > FILEVAL_MAX || v > FILEVAL_LIMIT || v < -FILEVAL_LIMIT)
		abort();
	snprintf(buf, sizeof(buf), "%lld", v);
	if (fileval_parse(buf, strlen(buf), &v2) < 0 || v2 != v)
		abort();
	ok = fileval_verdict(v, w, &p);
	if (p > FILEVAL_LIMIT || p < -FILEVAL_LIMIT)
		abort();
	if (w == 0 ? (ok != (v == 0) || p != 0) : (ok != (p >= 0)))
		abort();
	return 0;
}
