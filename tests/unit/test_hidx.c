/* test_hidx.c — the hash index over an array (core/hidx.c): found by hash
 * and eq(), colliding hashes told apart by eq(), growth keeps every entry,
 * clear and free empty it, and the hash is FNV-1a (chainable). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hidx.h"

struct arr {
	const int *v;
	int want;
};

static int eq_int(const void *arg, size_t pos)
{
	const struct arr *a = arg;

	return a->v[pos] == a->want;
}

static size_t find(const struct hidx *h, const int *v, uint64_t hash, int want)
{
	struct arr a = { v, want };

	return hidx_find(h, hash, eq_int, &a);
}

static void test_empty(void **st)
{
	struct hidx h = { 0 };
	int v[1] = { 7 };

	(void)st;
	assert_true(find(&h, v, 1, 7) == SIZE_MAX);
	hidx_clear(&h);
	assert_true(find(&h, v, 1, 7) == SIZE_MAX);
	hidx_free(&h);
}

/* Every key under the same hash: eq() alone tells them apart. */
static void test_collisions(void **st)
{
	struct hidx h = { 0 };
	int v[5] = { 10, 11, 12, 13, 14 };

	(void)st;
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(hidx_add(&h, 42, i), 0);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(find(&h, v, 42, v[i]), i);
	assert_true(find(&h, v, 42, 99) == SIZE_MAX);
	assert_true(find(&h, v, 43, 10) == SIZE_MAX); /* other hash */
	hidx_free(&h);
}

/* 10,000 entries: it grows many times and keeps every one; position 0 is
 * a real position (stored as 1, 0 is empty). */
static void test_growth(void **st)
{
	enum { N = 10000 };
	static int v[N];
	struct hidx h = { 0 };

	(void)st;
	for (int i = 0; i < N; i++) {
		v[i] = i * 7 + 1;
		assert_int_equal(hidx_add(&h, hidx_hash(&v[i], sizeof(v[i]),
							 HIDX_SEED),
					  (size_t)i),
				 0);
	}
	assert_int_equal(h.n, N);
	assert_true(h.cap >= 2 * N);
	for (int i = 0; i < N; i++)
		assert_int_equal(find(&h, v, hidx_hash(&v[i], sizeof(v[i]), HIDX_SEED),
				      v[i]),
				 (size_t)i);
	hidx_clear(&h);
	assert_int_equal(h.n, 0);
	assert_true(find(&h, v, hidx_hash(&v[0], sizeof(v[0]), HIDX_SEED), v[0]) ==
		    SIZE_MAX);
	/* reusable after a clear, with the memory it had */
	assert_int_equal(hidx_add(&h, 5, 3), 0);
	assert_int_equal(find(&h, v, 5, v[3]), 3);
	hidx_free(&h);
	assert_null(h.slot);
	assert_int_equal(h.cap, 0);
}

/* Slots are 8 bytes (a 32-bit hash and position + 1): hashes equal in
 * their low 32 bits are told apart by eq(), and a position that does not
 * fit is refused, the index unchanged. */
static void test_compact(void **st)
{
	int v[2] = { 1, 2 };
	struct hidx h = { 0 };

	(void)st;
	assert_int_equal(sizeof(struct hidx_slot), 8);
	assert_int_equal(hidx_add(&h, 0x100000007ull, 0), 0);
	assert_int_equal(hidx_add(&h, 0x200000007ull, 1), 0);
	assert_int_equal(find(&h, v, 0x100000007ull, 1), 0);
	assert_int_equal(find(&h, v, 0x200000007ull, 2), 1);
	assert_int_equal(hidx_add(&h, 9, (size_t)UINT32_MAX - 1), -ENOMEM);
	assert_int_equal(h.n, 2);
	assert_int_equal(hidx_reserve(&h, (size_t)UINT32_MAX), -ENOMEM);
	hidx_free(&h);
}

/* FNV-1a 64 (published test vectors), and chaining equals one pass. */
static void test_hash(void **st)
{
	(void)st;
	assert_true(hidx_hash("", 0, HIDX_SEED) == 0xcbf29ce484222325ull);
	assert_true(hidx_hash("a", 1, HIDX_SEED) == 0xaf63dc4c8601ec8cull);
	assert_true(hidx_hash("foobar", 6, HIDX_SEED) == 0x85944171f73967e8ull);
	assert_true(hidx_hash("bar", 3, hidx_hash("foo", 3, HIDX_SEED)) ==
		    hidx_hash("foobar", 6, HIDX_SEED));
}

/* Removal by swap (the last entry takes the hole's position, as
 * opstate_del_rs does), with runs of equal and neighbouring hashes that
 * wrap around the end of the table: every remaining entry is found at
 * its (new) position after each removal, the removed one never. */
static void test_del_move(void **st)
{
	enum { N = 40 };
	int v[N];
	uint64_t hv[N];
	struct hidx h = { 0 };
	size_t n = N;

	(void)st;
	assert_int_equal(hidx_reserve(&h, N), 0);
	for (size_t i = 0; i < N; i++) {
		v[i] = (int)i + 100;
		/* homes packed near the end so runs wrap: cap - 3 .. */
		hv[i] = (uint64_t)(h.cap - 3 + i % 5);
		assert_int_equal(hidx_add(&h, hv[i], i), 0);
	}
	for (size_t k = 0; k < N; k++) {
		size_t i = (k * 7) % n, last = n - 1;

		hidx_del(&h, hv[i], i);
		if (i != last) {
			hidx_move(&h, hv[last], last, i);
			v[i] = v[last];
			hv[i] = hv[last];
		}
		n--;
		assert_int_equal(h.n, n);
		for (size_t j = 0; j < n; j++)
			assert_int_equal(find(&h, v, hv[j], v[j]), j);
	}
	hidx_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_collisions),
		cmocka_unit_test(test_del_move),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_compact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
