/* fuzz_cfgfast.c — libFuzzer target for a reload's fast path
 * (core/cfgfast.c), differential: the input is a running file and a new
 * one, split at the first "\n%%\n" (an odd size: with the running
 * text's sections kept, cfgfast_remember). When the running file parses, the new
 * one goes to cfgfast_prepare_text() against it; whenever the fast path
 * is taken, its model must be the full parse's (model_diff empty, the
 * real servers' lines the same) and its errors the full parse's; the
 * process aborts otherwise. Built and run by `make fuzz` and
 * tests/unit/fuzz_smoke.sh; a long run:
 *   mkdir -p /tmp/c && cp -r tests/fuzz/corpus/cfgfast/. /tmp/c/ &&
 *   build/fuzz/fuzz_cfgfast -max_total_time=300 -max_len=4096 /tmp/c
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "cfgfast.h"
#include "model.h"
#include "model_diff.h"
#include "schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct lines {
	char *v[64];
	size_t n;
};

static void collect(void *arg, const char *line)
{
	struct lines *l = arg;

	if (l->n < 64)
		l->v[l->n++] = strdup(line);
}

static char *dup_n(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep = memmem(data, size, "\n%%\n", 4);
	struct cfg_errors e = { 0 }, fe = { 0 };
	struct model *old = NULL, *full = NULL, *m;
	struct cfgfast fp;
	struct lines l = { 0 };
	size_t no, nn;
	char why[300], *nt;
	int r;

	if (!sep)
		return 0;
	no = (size_t)(sep - data) + 1; /* the old file keeps its last newline */
	nn = size - no - 3;
	if (cfg_parse_buffer("f", (const char *)data, no, NULL, &old, &e) != 0) {
		cfg_errors_free(&e);
		return 0;
	}
	if (!(old->text = dup_n(data, no)))
		abort();
	old->text_len = no;
	if (!(nt = dup_n(sep + 4, nn)))
		abort();
	cfgfast_remember(size % 2 ? old : NULL); /* the sections kept, or not */
	r = cfgfast_prepare_text(NULL, "f", nt, nn, old, 0, &fp, why,
				 sizeof(why), collect, &l);
	if (r != 0) /* the full parse to compare with */
		(void)cfg_parse_buffer("f", (const char *)sep + 4, nn, NULL,
				       &full, &fe);
	if (r == 1) {
		struct model_diff d;

		if (!full || fe.n)
			abort(); /* the fast path took what a full parse refuses */
		m = cfgfast_commit(old, &fp);
		if (model_diff(m, full, &d) < 0)
			abort();
		if (d.n || m->n_rs != full->n_rs)
			abort(); /* not the full parse's model */
		for (size_t i = 0; i < m->n_rs; i++)
			if (m->rs[i].line != full->rs[i].line ||
			    m->rs[i].n_opts != full->rs[i].n_opts)
				abort();
		model_diff_free(&d);
		cfgfast_free_shell(old);
		old = m;
	} else if (r == -EINVAL) {
		/* the same lines as a full parse (cfg's own; fe keeps at most
		 * CFG_MAX_ERRORS, l 64) */
		if (fe.n < l.n || (l.n < 64 && fe.n != l.n))
			abort();
		for (size_t i = 0; i < l.n; i++)
			if (strcmp(l.v[i], fe.v[i].msg))
				abort();
	} else if (r != 0 && r != -ENOMEM) {
		abort();
	}
	for (size_t i = 0; i < l.n; i++)
		free(l.v[i]);
	cfgfast_remember(NULL);
	cfgfast_free(&fp);
	schema_free_model(old);
	schema_free_model(full);
	cfg_errors_free(&e);
	cfg_errors_free(&fe);
	return 0;
}
