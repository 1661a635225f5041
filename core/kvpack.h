/* kvpack.h — one allocation for an object and its copy of a plugin's
 * key/value options: the options and their strings packed behind the
 * object, so that 10,000 checks do not cost 10,000 × (1 + 2n) mallocs. */
#ifndef LVSD_KVPACK_H
#define LVSD_KVPACK_H

#include <stddef.h>

#include <lvsd/plugin.h>

/* A zeroed block of `head` bytes (the caller's struct) followed by a copy
 * of opts[0..n) and of every key and value string; *out points at that
 * copy (NULL when n is 0). The whole is freed with one free() of the
 * block, which owns the copy. NULL when out of memory (or on overflow). */
void *kvpack_alloc(size_t head, const struct lvsd_kv *opts, size_t n,
		   struct lvsd_kv **out);
/* The same from a model's options (model.h: a real server's opts). */
struct model_kv;
void *kvpack_alloc_model(size_t head, const struct model_kv *opts, size_t n,
			 struct lvsd_kv **out);

#endif
