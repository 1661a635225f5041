/* fuzz_smtpreply.c — libFuzzer target for the SMTP_CHECK checker's reply
 * reader: the input is fed whole and in pieces whose sizes come from the
 * first byte, reply after reply; both must agree on every reply's verdict
 * and code, never take more bytes than given, and a done reply has a
 * code of 200..599 and an ended text. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../plugins/check/smtp/smtpreply.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXR 64

/* Feed everything; record the verdict and code of each reply. */
static int run(const char *d, size_t n, unsigned step, int *rc, int *code)
{
	static struct smtp_reply r;
	size_t off = 0;
	int k = 0;

	smtp_reply_init(&r);
	while (off < n && k < MAXR) {
		size_t len = step ? step : n - off, used;
		enum smtp_rc x;

		if (len > n - off)
			len = n - off;
		x = smtp_reply_feed(&r, d + off, len, &used);
		if (used > len || (x == SMTP_MORE && used != len))
			abort();
		off += used;
		if (x == SMTP_MORE)
			continue;
		if (x == SMTP_DONE && (r.code < 200 || r.code > 599 ||
				       !memchr(r.text, 0, sizeof(r.text))))
			abort();
		rc[k] = x;
		code[k++] = x == SMTP_DONE ? r.code : 0;
		if (x == SMTP_BAD)
			break;
		smtp_reply_init(&r);
	}
	return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int rc1[MAXR], rc2[MAXR], c1[MAXR], c2[MAXR], k1, k2;
	unsigned step;

	if (size < 1)
		return 0;
	step = data[0] % 13;
	k1 = run((const char *)data + 1, size - 1, 0, rc1, c1);
	k2 = run((const char *)data + 1, size - 1, step, rc2, c2);
	if (k1 != k2 || memcmp(rc1, rc2, sizeof(int) * (size_t)k1) ||
	    memcmp(c1, c2, sizeof(int) * (size_t)k1))
		abort();
	return 0;
}
