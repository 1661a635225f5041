/* fuzz_state.c — libFuzzer target for the operator state file reader
 * (opstate_parse, NUL bytes included) and what lvsd does with its result:
 * every entry read is found through the hash index; written back
 * (opstate_format) and read again it gives the same entries and no
 * damaged line; its entries as journal lines ("set", then "del") give
 * the same entries, then none; a copy and a partial removal
 * (opstate_retain, opstate_del_rs) keep the index right; runtime objects
 * (runtime-vs/-rs/-del) pass opstate_rt_check, are written back and read
 * the same, and their runtime-del lines remove them all. Long run: make fuzz && build/fuzz/fuzz_state
 * tests/fuzz/corpus/state */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opstate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned warned;

static void warn(void *arg, unsigned line, const char *why)
{
	(void)arg;
	if (line == 0 || !why || !*why)
		abort();
	warned++;
}

static void all_found(const struct opstate *s)
{
	for (size_t i = 0; i < s->n_rs; i++) {
		const struct opstate_rs *r = &s->rs[i];

		if (opstate_find_rs(s, r->vs, &r->addr, r->port) != r)
			abort();
	}
}

static int same_rs(const struct opstate_rs *a, const struct opstate_rs *b)
{
	return !strcmp(a->vs, b->vs) && a->port == b->port &&
	       a->addr.family == b->addr.family &&
	       !memcmp(&a->addr.u, &b->addr.u,
		       a->addr.family == AF_INET6 ? 16 : 4) &&
	       a->cfg_weight == b->cfg_weight && a->has_weight == b->has_weight &&
	       a->weight == b->weight && a->admin == b->admin &&
	       a->gone == b->gone;
}

static int odd(void *arg, struct opstate_rs *r)
{
	size_t *i = arg;

	(void)r;
	return (*i)++ % 2;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct opstate s, back, copy;
	char *text = NULL;
	size_t len = 0, i = 0;
	FILE *f;
	int damaged;

	warned = 0;
	damaged = opstate_parse((const char *)data, size, &s, warn, NULL);
	if (damaged < 0)
		return 0; /* out of memory */
	if ((unsigned)damaged != warned)
		abort();
	all_found(&s);
	/* Written and read back: the same, and nothing damaged. */
	f = open_memstream(&text, &len);
	if (!f)
		abort();
	if (opstate_format(&s, f) != 0)
		abort();
	fclose(f);
	if (opstate_parse(text, len, &back, warn, NULL) != 0 ||
	    back.n_rs != s.n_rs || back.n_owned != s.n_owned)
		abort();
	for (size_t k = 0; k < s.n_rs; k++)
		if (!same_rs(&s.rs[k], &back.rs[k]))
			abort();
	if (s.n_owned && memcmp(s.owned, back.owned, s.n_owned * sizeof(*s.owned)))
		abort();
	if (back.n_rt != s.n_rt)
		abort();
	for (size_t k = 0; k < s.n_rt; k++)
		if (opstate_rt_check(&s.rt[k]) || back.rt[k].kind != s.rt[k].kind ||
		    strcmp(back.rt[k].vs, s.rt[k].vs) ||
		    strcmp(back.rt[k].kv, s.rt[k].kv) ||
		    back.rt[k].port != s.rt[k].port ||
		    memcmp(&back.rt[k].addr, &s.rt[k].addr, sizeof(s.rt[k].addr)))
			abort();
	free(text);
	/* Each runtime object's runtime-del line removes it. */
	for (size_t k = 0; k < s.n_rt; k++) {
		char *l = opstate_format_rt(&s.rt[k], 1);
		struct opstate one = { 0 };

		if (!l)
			abort();
		if (opstate_parse(l, strlen(l), &one, warn, NULL) != 0)
			abort();
		opstate_free(&one);
		if (opstate_put_rt(&one, &back.rt[k]) < 0)
			abort();
		if (opstate_del_rt(&one, &s.rt[k]) != 1 || one.n_rt != 0)
			abort();
		opstate_free(&one);
		free(l);
	}
	opstate_free(&back);
	/* As journal lines: "set" each, then "del" each. */
	text = malloc((2 * s.n_rs + 1) * OPSTATE_LINE_MAX);
	if (!text)
		return 0;
	len = 0;
	for (size_t k = 0; k < s.n_rs; k++)
		len += opstate_format_rs(&s.rs[k], "set", text + len);
	if (opstate_parse(text, len, &back, warn, NULL) != 0 || back.n_rs != s.n_rs)
		abort();
	for (size_t k = 0; k < s.n_rs; k++)
		if (!same_rs(&s.rs[k], &back.rs[k]))
			abort();
	opstate_free(&back);
	for (size_t k = 0; k < s.n_rs; k++)
		len += opstate_format_rs(&s.rs[k], "del", text + len);
	if (opstate_parse(text, len, &back, warn, NULL) != 0 || back.n_rs != 0)
		abort();
	opstate_free(&back);
	free(text);
	/* A copy, then every other entry removed: the index follows. */
	if (opstate_copy(&copy, &s) == 0) {
		all_found(&copy);
		opstate_retain(&copy, odd, &i);
		if (copy.n_rs != s.n_rs / 2)
			abort();
		all_found(&copy);
		if (copy.n_rs)
			opstate_del_rs(&copy, &copy.rs[0]);
		all_found(&copy);
		opstate_free(&copy);
	}
	opstate_free(&s);
	return 0;
}
