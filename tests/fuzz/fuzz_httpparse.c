/* fuzz_httpparse.c — libFuzzer target for the HTTP_GET checker's response
 * parser: the input is fed whole and in pieces whose sizes come from the
 * first bytes; both must give the same verdict, status and body MD5, and
 * the parser must never count more than its limit. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../plugins/check/http/httpparse.c"
#include "../../plugins/check/http/md5.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum httpparse_rc run(struct httpparse *p, const uint8_t *d, size_t n,
			     size_t max, unsigned step_seed)
{
	enum httpparse_rc rc = HTTPPARSE_MORE;
	size_t off = 0;

	httpparse_init(p, max, 1);
	while (off < n && rc == HTTPPARSE_MORE) {
		size_t step = step_seed ? 1 + (off * 7 + step_seed) % (step_seed + 1) : n;

		if (step > n - off)
			step = n - off;
		rc = httpparse_feed(p, d + off, step);
		off += step;
		if (p->total > p->max)
			abort();
	}
	if (rc == HTTPPARSE_MORE)
		rc = httpparse_eof(p);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct httpparse a, b;
	enum httpparse_rc ra, rb;
	size_t max;

	if (size < 2)
		return 0;
	/* a small limit half of the time, so that oversize paths run */
	max = data[0] & 1 ? 64 + (size_t)data[1] * 4 : 1u << 20;
	ra = run(&a, data + 2, size - 2, max, 0);
	rb = run(&b, data + 2, size - 2, max, 1 + data[1] % 13);
	if (ra != rb || a.status != b.status || a.err != b.err)
		abort();
	if (ra == HTTPPARSE_COMPLETE) {
		uint8_t da[16], db[16];

		if (!a.head_done || a.status < 200 || a.status > 999)
			abort();
		httpparse_digest(&a, da);
		httpparse_digest(&b, db);
		if (memcmp(da, db, 16) != 0 || a.body_len != b.body_len)
			abort();
	} else if (ra == HTTPPARSE_FAIL) {
		if (!a.why || a.err == HTTPPARSE_OK)
			abort();
	} else {
		abort(); /* after eof it is never MORE */
	}
	return 0;
}
