/* hidx.h — a hash index over an array that stays where it is: maps a key's
 * hash to candidate positions, and the caller's eq() picks the match.
 * Keeps lookups O(1) for 10,000s of real servers (model, run-time table). */
#ifndef LVSD_HIDX_H
#define LVSD_HIDX_H

#include <stddef.h>
#include <stdint.h>

/* 8 bytes a slot (issue 14: the index is memory per real server): the
 * hash's low 32 bits (all a probe needs below 2^32 slots; eq() decides)
 * and the position + 1, so positions are below UINT32_MAX - 1. */
struct hidx_slot {
	uint32_t hash;
	uint32_t pos1; /* position + 1; 0: empty */
};

struct hidx {
	struct hidx_slot *slot;
	size_t cap; /* a power of two, or 0 */
	size_t n;
};

void hidx_free(struct hidx *h);
void hidx_clear(struct hidx *h); /* empty, keeps memory */
int hidx_add(struct hidx *h, uint64_t hash, size_t pos); /* 0 or -ENOMEM */
/* Room for n positions in all, so that the next adds up to n never
 * allocate (nor fail). 0 or -ENOMEM (the index unchanged). */
int hidx_reserve(struct hidx *h, size_t n);
/* Forget position pos (added with this hash); O(1) on average. */
void hidx_del(struct hidx *h, uint64_t hash, size_t pos);
/* The entry at position from moved to position to (swap-remove): O(1). */
void hidx_move(struct hidx *h, uint64_t hash, size_t from, size_t to);
/* The position whose entry has this hash and satisfies eq(arg, pos), or
 * SIZE_MAX. */
size_t hidx_find(const struct hidx *h, uint64_t hash,
		 int (*eq)(const void *arg, size_t pos), const void *arg);

/* FNV-1a, chainable: hidx_hash(b, n, hidx_hash(a, m, HIDX_SEED)). */
#define HIDX_SEED 14695981039346656037ull
uint64_t hidx_hash(const void *data, size_t len, uint64_t h);

#endif
