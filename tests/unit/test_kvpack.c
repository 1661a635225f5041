/* test_kvpack.c — an object and its options in one block (core/kvpack.c):
 * the copy equals the options, lives inside the block after the head
 * (aligned), the head is zeroed, n = 0 gives no copy, and the strings
 * are copies (the originals may go). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvpack.h"

struct head {
	int a;
	char b[13];
};

static void test_copy(void **st)
{
	char k0[] = "path", v0[] = "/index.html", k1[] = "status_code", v1[] = "";
	struct lvsd_kv opts[2] = { { k0, v0 }, { k1, v1 } };
	struct lvsd_kv *kv;
	struct head *h;
	char *end;

	(void)st;
	h = kvpack_alloc(sizeof(*h), opts, 2, &kv);
	assert_non_null(h);
	assert_non_null(kv);
	assert_int_equal(h->a, 0);
	assert_int_equal(h->b[12], 0);
	assert_true((char *)kv >= (char *)(h + 1));
	assert_int_equal((uintptr_t)kv % _Alignof(max_align_t), 0);
	memset(k0, 'x', sizeof(k0) - 1); /* the copy is the block's own */
	memset(v0, 'y', sizeof(v0) - 1);
	assert_string_equal(kv[0].key, "path");
	assert_string_equal(kv[0].value, "/index.html");
	assert_string_equal(kv[1].key, "status_code");
	assert_string_equal(kv[1].value, "");
	/* the strings are packed behind the array, inside the block */
	end = (char *)(kv + 2);
	assert_ptr_equal(kv[0].key, end);
	assert_true(kv[1].value > kv[1].key);
	h->a = 1;
	memset(h->b, 'z', sizeof(h->b)); /* writing the head spares the copy */
	assert_string_equal(kv[0].key, "path");
	free(h);
}

static void test_none(void **st)
{
	struct lvsd_kv *kv = (struct lvsd_kv *)1;
	struct head *h;

	(void)st;
	h = kvpack_alloc(sizeof(*h), NULL, 0, &kv);
	assert_non_null(h);
	assert_null(kv);
	free(h);
}

static void test_overflow(void **st)
{
	struct lvsd_kv opts[1] = { { "k", "v" } };
	struct lvsd_kv *kv = (struct lvsd_kv *)1;

	(void)st;
	assert_null(kvpack_alloc(sizeof(struct head), opts, SIZE_MAX / 4, &kv));
	assert_null(kv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
