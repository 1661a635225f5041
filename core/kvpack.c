/* kvpack.c — an object and its options' copy in one allocation (see
 * kvpack.h). */
#include "kvpack.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

#define AT(i, o) (*(const char *const *)((const char *)base + (i) * stride + (o)))
#define KEY(i) AT(i, ko)
#define VAL(i) AT(i, vo)

/* The pairs at base, stride bytes apart, each a key and a value pointer
 * at offsets ko and vo. */
static void *pack(size_t head, const void *base, size_t stride, size_t ko,
		  size_t vo, size_t n, struct lvsd_kv **out)
{
	const size_t align = _Alignof(max_align_t);
	size_t at = (head + align - 1) / align * align, size, strs = 0;
	struct lvsd_kv *kv;
	char *s, *block;

	*out = NULL;
	if (n > (SIZE_MAX - at) / 2 / sizeof(*kv))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(KEY(i)) + 1, v = strlen(VAL(i)) + 1;

		if (k + v > SIZE_MAX / 2 - strs)
			return NULL;
		strs += k + v;
	}
	size = at + n * sizeof(*kv);
	if (strs > SIZE_MAX - size)
		return NULL;
	if (!(block = calloc(1, size + strs)))
		return NULL;
	if (!n)
		return block;
	kv = (struct lvsd_kv *)(block + at);
	s = block + size;
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(KEY(i)) + 1, v = strlen(VAL(i)) + 1;

		memcpy(s, KEY(i), k);
		kv[i].key = s;
		s += k;
		memcpy(s, VAL(i), v);
		kv[i].value = s;
		s += v;
	}
	*out = kv;
	return block;
}

void *kvpack_alloc(size_t head, const struct lvsd_kv *opts, size_t n,
		   struct lvsd_kv **out)
{
	return pack(head, opts, sizeof(*opts), offsetof(struct lvsd_kv, key),
		    offsetof(struct lvsd_kv, value), n, out);
}

void *kvpack_alloc_model(size_t head, const struct model_kv *opts, size_t n,
			 struct lvsd_kv **out)
{
	return pack(head, opts, sizeof(*opts), offsetof(struct model_kv, key),
		    offsetof(struct model_kv, value), n, out);
}
