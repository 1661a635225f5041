/* test_fileval.c — FILE_CHECK's reading of a file: the numbers it takes
 * (blanks, signs, empty), those it refuses (out of range too), and the verdict
 * rules (file_weight 0, a product below 0, reverse, clamping). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "../../plugins/check/file/fileval.h"

static void test_parse(void **st)
{
	static const struct { const char *in; int rc; long long v; } rows[] = {
		{ "7", 0, 7 }, { "7\n", 0, 7 }, { "  -3 \r\n", 0, -3 },
		{ "+12", 0, 12 }, { "", 0, 0 }, { " \n", 0, 0 }, { "0", 0, 0 },
		{ "2147483647", 0, 2147483647 }, { "-2147483647", 0, -2147483647 },
		{ "99999999999", -ERANGE, 0 }, { "2147483648", -ERANGE, 0 },
		{ "-99999999999999999999", -ERANGE, 0 },
		{ "abc", -EINVAL, 0 }, { "7x", -EINVAL, 0 }, { "1 2", -EINVAL, 0 },
		{ "-", -EINVAL, 0 }, { "+", -EINVAL, 0 }, { "0x10", -EINVAL, 0 },
		{ "--1", -EINVAL, 0 }, { "1.5", -EINVAL, 0 },
	};
	long long v;

	(void)st;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		v = 4242;
		assert_int_equal(fileval_parse(rows[i].in, strlen(rows[i].in), &v), rows[i].rc);
		if (rows[i].rc == 0)
			assert_true(v == rows[i].v);
	}
	/* NUL inside, and a file longer than FILEVAL_MAX, are refused */
	assert_int_equal(fileval_parse("1\0", 2, &v), -EINVAL);
	{
		char big[FILEVAL_MAX + 1];

		memset(big, ' ', sizeof(big));
		big[0] = '1';
		assert_int_equal(fileval_parse(big, sizeof(big), &v), -EINVAL);
		assert_int_equal(fileval_parse(big, FILEVAL_MAX, &v), 0);
		assert_true(v == 1);
	}
}

static void test_verdict(void **st)
{
	long long p = 99;

	(void)st;
	assert_int_equal(fileval_verdict(0, 0, &p), 1); /* weight 0: 0 OK */
	assert_true(p == 0);
	assert_int_equal(fileval_verdict(5, 0, &p), 0); /* non-zero: down */
	assert_int_equal(fileval_verdict(-5, 0, &p), 0);
	assert_int_equal(fileval_verdict(7, 1, &p), 1);
	assert_true(p == 7);
	assert_int_equal(fileval_verdict(-1, 1, &p), 0);
	assert_true(p == -1);
	assert_int_equal(fileval_verdict(-3, -2, &p), 1); /* "2 reverse" */
	assert_true(p == 6);
	assert_int_equal(fileval_verdict(0, 5, &p), 1); /* 0: up, weight 0 */
	assert_true(p == 0);
	assert_int_equal(fileval_verdict(2147483647, 2147483647, &p), 1);
	assert_true(p == 2147483647);
	assert_int_equal(fileval_verdict(-2147483647, 2147483647, &p), 0);
	assert_true(p == -2147483647);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_verdict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
