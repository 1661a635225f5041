/* test_smtpreply.c — the SMTP_CHECK checker's reply reader: single and
 * multi-line replies, CRLF or LF, in pieces, a second reply after the
 * first in one read, and every refusal (not SMTP, mixed codes, a line or
 * a reply too long). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../plugins/check/smtp/smtpreply.h"

static enum smtp_rc feed_all(struct smtp_reply *r, const char *s, size_t *used)
{
	smtp_reply_init(r);
	return smtp_reply_feed(r, s, strlen(s), used);
}

static void test_single(void **state)
{
	struct smtp_reply r;
	size_t used;

	(void)state;
	assert_int_equal(feed_all(&r, "220 mail.example.test ESMTP\r\n", &used), SMTP_DONE);
	assert_int_equal(r.code, 220);
	assert_string_equal(r.text, "mail.example.test ESMTP");
	assert_int_equal(used, 29);
	assert_int_equal(feed_all(&r, "221\n", &used), SMTP_DONE); /* bare code, LF */
	assert_int_equal(r.code, 221);
	assert_string_equal(r.text, "");
}

static void test_multi_pieces(void **state)
{
	const char *s = "250-mx.example.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n221 bye\r\n";
	struct smtp_reply r;
	size_t used, off = 0;
	enum smtp_rc rc = SMTP_MORE;

	(void)state;
	smtp_reply_init(&r);
	while (rc == SMTP_MORE) { /* a byte at a time */
		rc = smtp_reply_feed(&r, s + off, 1, &used);
		assert_int_equal(used, 1);
		off++;
	}
	assert_int_equal(rc, SMTP_DONE);
	assert_int_equal(r.code, 250);
	assert_int_equal(r.lines, 3);
	assert_string_equal(r.text, "mx.example.test");
	/* the rest of one read is the next reply */
	smtp_reply_init(&r);
	assert_int_equal(smtp_reply_feed(&r, s, strlen(s), &used), SMTP_DONE);
	assert_int_equal(used, off);
	smtp_reply_init(&r);
	assert_int_equal(smtp_reply_feed(&r, s + used, strlen(s) - used, &used), SMTP_DONE);
	assert_int_equal(r.code, 221);
	/* incomplete */
	smtp_reply_init(&r);
	assert_int_equal(smtp_reply_feed(&r, "250-a\r\n250", 10, &used), SMTP_MORE);
	assert_int_equal(used, 10);
}

static void test_bad(void **state)
{
	static char big[SMTP_REPLY_MAX + 10];
	struct smtp_reply r;
	size_t used;

	(void)state;
	assert_int_equal(feed_all(&r, "HTTP/1.0 400 Bad\r\n", &used), SMTP_BAD);
	assert_string_equal(r.why, "not an SMTP reply");
	assert_int_equal(feed_all(&r, "22\r\n", &used), SMTP_BAD);
	assert_int_equal(feed_all(&r, "120 wait\r\n", &used), SMTP_BAD); /* 1xx: not SMTP */
	assert_int_equal(feed_all(&r, "220x\r\n", &used), SMTP_BAD);
	assert_int_equal(feed_all(&r, "250-a\r\n251 b\r\n", &used), SMTP_BAD);
	assert_string_equal(r.why, "the lines of a reply differ in their code");
	/* after BAD, more input stays BAD */
	assert_int_equal(smtp_reply_feed(&r, "250 ok\r\n", 8, &used), SMTP_BAD);
	memset(big, 'a', SMTP_LINE_MAX + 5);
	big[SMTP_LINE_MAX + 5] = '\0';
	assert_int_equal(feed_all(&r, big, &used), SMTP_BAD);
	assert_string_equal(r.why, "SMTP reply line too long");
	/* many short continuation lines: the reply limit */
	for (size_t i = 0; i + 7 < sizeof(big); i += 7)
		memcpy(big + i, "250-a\r\n", 7);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(feed_all(&r, big, &used), SMTP_BAD);
	assert_string_equal(r.why, "oversized SMTP reply");
	/* control bytes are not shown as they are */
	assert_int_equal(feed_all(&r, "554 no\033[31m\r\n", &used), SMTP_DONE);
	assert_string_equal(r.text, "no?[31m");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single),
		cmocka_unit_test(test_multi_pieces),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
