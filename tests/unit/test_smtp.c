/* test_smtp.c — SMTP reply parsing (the client's outside input). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "smtp.h"

static int parse(const char *s, int *code, size_t *used)
{
	return smtp_reply_parse(s, strlen(s), code, used);
}

static void replies(void **state)
{
	int code = 0;
	size_t used = 0;

	(void)state;
	assert_int_equal(parse("220 mx ESMTP\r\n", &code, &used), 0);
	assert_int_equal(code, 220);
	assert_int_equal(used, 14);
	assert_int_equal(parse("250-mx\r\n250-SIZE 1\r\n250 OK\r\nnext", &code, &used), 0);
	assert_int_equal(code, 250);
	assert_int_equal(used, 28);
	assert_int_equal(parse("354\r\n", &code, &used), 0);
	assert_int_equal(code, 354);
	assert_int_equal(parse("550 no such user\n", &code, &used), 0);
	assert_int_equal(code, 550);
}

static void incomplete_and_garbage(void **state)
{
	int code;
	size_t used;
	char big[1100];

	(void)state;
	assert_int_equal(parse("250-mx\r\n250 O", &code, &used), -EAGAIN);
	assert_int_equal(parse("", &code, &used), -EAGAIN);
	assert_int_equal(parse("SSH-2.0-OpenSSH\r\n", &code, &used), -EPROTO);
	assert_int_equal(parse("25\r\n", &code, &used), -EPROTO);
	assert_int_equal(parse("250xok\r\n", &code, &used), -EPROTO);
	assert_int_equal(parse("650 what\r\n", &code, &used), -EPROTO);
	memset(big, '2', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(parse(big, &code, &used), -EPROTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replies),
		cmocka_unit_test(incomplete_and_garbage),
	};

	return cmocka_run_group_tests_name("smtp", tests, NULL, NULL);
}
