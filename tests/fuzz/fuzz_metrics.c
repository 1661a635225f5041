/* fuzz_metrics.c — libFuzzer target for the metrics endpoint's request
 * parser (metrics_parse_request, outside input from any local client):
 * any bytes give one of its four answers, never read past the length
 * (the input is copied to a buffer of exactly its size), the same answer
 * twice, and a prefix that is complete gives what the whole input gives
 * (the bytes after the blank line change nothing). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/metrics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	struct metrics_req a, b;
	int r, r2;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	r = metrics_parse_request(buf, size, &a);
	if (r != 0 && r != -EAGAIN && r != -EMSGSIZE && r != -EBADMSG)
		abort();
	r2 = metrics_parse_request(buf, size, &b);
	if (r2 != r || (r == 0 && memcmp(&a, &b, sizeof(a)) != 0))
		abort();
	/* the bytes after a complete head change nothing: a prefix that
	 * is complete says what the whole says */
	for (size_t k = size > 64 ? size - 64 : 0; k < size; k++) {
		char *p = malloc(k ? k : 1);
		int rp;

		if (!p)
			break;
		memcpy(p, buf, k);
		rp = metrics_parse_request(p, k, &b);
		free(p);
		if (rp == 0 && (r != 0 || memcmp(&a, &b, sizeof(a)) != 0))
			abort();
	}
	free(buf);
	return 0;
}
