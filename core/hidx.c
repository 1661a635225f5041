/* hidx.c — open-addressing hash index of array positions (see hidx.h). */
#include "hidx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

uint64_t hidx_hash(const void *data, size_t len, uint64_t h)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ull;
	}
	return h;
}

void hidx_free(struct hidx *h)
{
	free(h->slot);
	memset(h, 0, sizeof(*h));
}

void hidx_clear(struct hidx *h)
{
	if (h->slot)
		memset(h->slot, 0, h->cap * sizeof(*h->slot));
	h->n = 0;
}

static void put(struct hidx_slot *s, size_t cap, uint64_t hash, size_t pos1)
{
	size_t i = (size_t)hash & (cap - 1);

	while (s[i].pos1)
		i = (i + 1) & (cap - 1);
	s[i].hash = hash;
	s[i].pos1 = pos1;
}

int hidx_add(struct hidx *h, uint64_t hash, size_t pos)
{
	if (2 * (h->n + 1) > h->cap) { /* keep it at most half full */
		size_t cap = h->cap ? 2 * h->cap : 64;
		struct hidx_slot *s = calloc(cap, sizeof(*s));

		if (!s)
			return -ENOMEM;
		for (size_t i = 0; i < h->cap; i++)
			if (h->slot[i].pos1)
				put(s, cap, h->slot[i].hash, h->slot[i].pos1);
		free(h->slot);
		h->slot = s;
		h->cap = cap;
	}
	put(h->slot, h->cap, hash, pos + 1);
	h->n++;
	return 0;
}

size_t hidx_find(const struct hidx *h, uint64_t hash,
		 int (*eq)(const void *arg, size_t pos), const void *arg)
{
	if (!h->cap)
		return SIZE_MAX;
	for (size_t i = (size_t)hash & (h->cap - 1); h->slot[i].pos1;
	     i = (i + 1) & (h->cap - 1))
		if (h->slot[i].hash == hash && eq(arg, h->slot[i].pos1 - 1))
			return h->slot[i].pos1 - 1;
	return SIZE_MAX;
}
