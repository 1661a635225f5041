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

static void put(struct hidx_slot *s, size_t cap, uint64_t hash, uint32_t pos1)
{
	size_t i = (size_t)hash & (cap - 1);

	while (s[i].pos1)
		i = (i + 1) & (cap - 1);
	s[i].hash = (uint32_t)hash;
	s[i].pos1 = pos1;
}

int hidx_reserve(struct hidx *h, size_t n)
{
	size_t cap = h->cap ? h->cap : 64;
	struct hidx_slot *s;

	if (n >= UINT32_MAX / 2) /* positions + 1 and slots fit 32 bits */
		return -ENOMEM;
	while (2 * n > cap) /* keep it at most half full */
		cap *= 2;
	if (cap == h->cap)
		return 0;
	s = calloc(cap, sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < h->cap; i++)
		if (h->slot[i].pos1)
			put(s, cap, h->slot[i].hash, h->slot[i].pos1);
	free(h->slot);
	h->slot = s;
	h->cap = cap;
	return 0;
}

int hidx_add(struct hidx *h, uint64_t hash, size_t pos)
{
	if (pos >= UINT32_MAX - 1 || (2 * (h->n + 1) > h->cap &&
	    hidx_reserve(h, h->cap ? h->cap : 32) < 0)) /* double it */
		return -ENOMEM;
	put(h->slot, h->cap, hash, (uint32_t)(pos + 1));
	h->n++;
	return 0;
}

/* The slot holding pos (added with hash), or SIZE_MAX. */
static size_t slot_of(const struct hidx *h, uint64_t hash, size_t pos)
{
	if (!h->cap)
		return SIZE_MAX;
	for (size_t i = (size_t)hash & (h->cap - 1); h->slot[i].pos1;
	     i = (i + 1) & (h->cap - 1))
		if (h->slot[i].pos1 == pos + 1)
			return i;
	return SIZE_MAX;
}

void hidx_del(struct hidx *h, uint64_t hash, size_t pos)
{
	size_t mask = h->cap - 1, i = slot_of(h, hash, pos), j;

	if (i == SIZE_MAX)
		return;
	/* Backward shift: pull up each later slot of the run whose home is
	 * not between the hole and it, so that no probe stops early. */
	for (j = (i + 1) & mask; h->slot[j].pos1; j = (j + 1) & mask) {
		size_t home = (size_t)h->slot[j].hash & mask;

		if (((j - home) & mask) >= ((j - i) & mask)) {
			h->slot[i] = h->slot[j];
			i = j;
		}
	}
	h->slot[i].pos1 = 0;
	h->slot[i].hash = 0;
	h->n--;
}

void hidx_move(struct hidx *h, uint64_t hash, size_t from, size_t to)
{
	size_t i = slot_of(h, hash, from);

	if (i != SIZE_MAX)
		h->slot[i].pos1 = (uint32_t)(to + 1);
}

size_t hidx_find(const struct hidx *h, uint64_t hash,
		 int (*eq)(const void *arg, size_t pos), const void *arg)
{
	if (!h->cap)
		return SIZE_MAX;
	for (size_t i = (size_t)hash & (h->cap - 1); h->slot[i].pos1;
	     i = (i + 1) & (h->cap - 1))
		if (h->slot[i].hash == (uint32_t)hash && eq(arg, h->slot[i].pos1 - 1))
			return h->slot[i].pos1 - 1;
	return SIZE_MAX;
}
