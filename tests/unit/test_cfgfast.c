/* test_cfgfast.c — a reload's fast path (cfgfast.h): a file changed only
 * inside [real_server] sections gives the model and the errors that a full
 * parse of it gives; anything else falls back to the full path.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "cfgfast.h"
#include "model.h"
#include "model_diff.h"
#include "schema.h"

static char path[64];

static void write_file(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static struct model *full_parse(const char *text, struct cfg_errors *e)
{
	struct model *m = NULL;

	write_file(text);
	(void)cfg_parse_file_partial(path, NULL, &m, e);
	return m;
}

static const char base[] =
	"; a comment before the first section\n"
	"[global]\n"
	"delay_loop = 5s\n"
	"\n"
	"[virtual_server web]\n"
	"address = 10.0.0.1:80\n"
	"scheduler = wrr\n"
	"connect_timeout = 3s\n"
	"virtualhost = www.example.com\n"
	"\n"
	"[real_server web 10.0.1.1:80]\n"
	"weight = 1\n"
	"check = HTTP_GET\n"
	"url = /health\n"
	"\n"
	"[real_server web 10.0.1.2:80]\n"
	"weight = 1\n"
	"check = HTTP_GET\n"
	"url = /health\n"
	"\n"
	"[virtual_server db]\n"
	"address = 10.0.0.2:5432\n"
	"\n"
	"[real_server db 10.0.2.1]\n"
	"weight = 2\n"
	"check = TCP\n"
	"\n"
	"[real_server db 10.0.2.2]\n"
	"weight = 2\n";

/* base with the n-th occurrence of from replaced by to */
static char *edit(const char *text, const char *from, int n, const char *to)
{
	const char *at = text;
	char *out;

	for (int i = 0; at && i <= n; i++)
		at = strstr(i ? at + 1 : at, from);
	assert_non_null(at);
	out = malloc(strlen(text) + strlen(to) + 1);
	assert_non_null(out);
	sprintf(out, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	return out;
}

struct lines {
	char *v[32];
	size_t n;
};

static void collect(void *arg, const char *line)
{
	struct lines *l = arg;

	if (l->n < 32)
		l->v[l->n++] = strdup(line);
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	l->n = 0;
}

/* Prepare text as a reload of old; the result of cfgfast_prepare. */
static int prepare(const struct model *old, const char *text,
		   struct cfgfast *fp, char *why, struct lines *l)
{
	write_file(text);
	return cfgfast_prepare(NULL, path, old, 0, fp, why, 300, collect, l);
}

/* Every real server's fields the diff leaves out: the lines. */
static void same_lines(const struct model *a, const struct model *b)
{
	assert_int_equal(a->n_rs, b->n_rs);
	for (size_t i = 0; i < a->n_rs; i++) {
		assert_int_equal(a->rs[i].line, b->rs[i].line);
		assert_int_equal(a->rs[i].vs, b->rs[i].vs);
		assert_int_equal(a->rs[i].n_opts, b->rs[i].n_opts);
		for (size_t j = 0; j < a->rs[i].n_opts; j++)
			assert_int_equal(a->rs[i].opts[j].line,
					 b->rs[i].opts[j].line);
	}
}

/* Changes inside real servers' sections: the fast path's model is the
 * full parse's, and its diff names just them. */
static void test_same_model_as_full(void **state)
{
	struct cfg_errors e = { 0 };
	struct model *old = full_parse(base, &e), *full, *m;
	char *t1 = edit(base, "weight = 1", 1, "weight = 7");
	char *t2 = edit(t1, "url = /health", 0, "url = /ready ");
	char *t3 = edit(t2, "weight = 2", 1, "weight = 9");
	struct cfgfast fp;
	struct model_diff d;
	struct lines l = { 0 };
	char why[300] = "";

	(void)state;
	assert_non_null(old);
	assert_int_equal(e.n, 0);
	assert_int_equal(prepare(old, t3, &fp, why, &l), 1);
	assert_int_equal(l.n, 0);
	assert_int_equal(fp.n_sections, 7);
	assert_int_equal(fp.n_changed, 3);
	assert_int_equal(fp.n_parsed, 3 + 3); /* the changed ones, the rest */
	assert_int_equal(fp.diff.n, 3);
	assert_string_equal(fp.diff.v[0].id, "web 10.0.1.1:80");
	assert_non_null(strstr(fp.diff.v[0].what, "/ready"));
	assert_string_equal(fp.diff.v[1].id, "web 10.0.1.2:80");
	assert_string_equal(fp.diff.v[1].what, "weight 1 -> 7");
	assert_string_equal(fp.diff.v[2].id, "db 10.0.2.2:5432");
	assert_int_equal(fp.diff.v[2].new_idx, 3);

	m = cfgfast_commit(old, &fp);
	full = full_parse(t3, &e);
	assert_non_null(full);
	assert_int_equal(e.n, 0);
	assert_int_equal(model_diff(m, full, &d), 0);
	for (size_t i = 0; i < d.n; i++)
		print_message("differs: %s %s\n", d.v[i].id, d.v[i].what);
	assert_int_equal(d.n, 0);
	model_diff_free(&d);
	same_lines(m, full);
	assert_int_equal(m->text_len, strlen(t3));
	assert_memory_equal(m->text, t3, m->text_len);
	/* the old model is a shell of the same objects */
	assert_ptr_equal(old->rs, m->rs);
	assert_ptr_equal(old->vs, m->vs);
	assert_int_equal(m->rs[1].weight, 7);
	/* the replaced real servers are the part's now */
	assert_int_equal(fp.part->rs[1].weight, 1);
	/* the new model is an ordinary one: indexed, freed as one */
	assert_non_null(model_find_rs(m, "web", &m->rs[1].addr, 80));
	cfgfast_free_shell(old);
	cfgfast_free(&fp);
	schema_free_model(m);
	schema_free_model(full);
	free(t1);
	free(t2);
	free(t3);
}

/* A real server of the second virtual server: only [global], its virtual
 * server and it are read; its index is the running one's. */
static void test_reads_its_virtual_server_only(void **state)
{
	struct cfg_errors e = { 0 };
	struct model *old = full_parse(base, &e), *full, *m;
	char *t = edit(base, "weight = 2", 1, "weight = 4");
	struct cfgfast fp;
	struct model_diff d;
	struct lines l = { 0 };
	char why[300] = "";

	(void)state;
	assert_int_equal(prepare(old, t, &fp, why, &l), 1);
	assert_int_equal(fp.n_parsed, 3);
	assert_int_equal(fp.part->n_vs, 1);
	assert_string_equal(fp.part->vs[0].name, "db");
	m = cfgfast_commit(old, &fp);
	assert_int_equal(m->rs[3].vs, 1);
	assert_int_equal(m->rs[3].weight, 4);
	assert_int_equal(m->rs[3].port, 5432); /* the virtual server's */
	full = full_parse(t, &e);
	assert_int_equal(model_diff(m, full, &d), 0);
	assert_int_equal(d.n, 0);
	model_diff_free(&d);
	same_lines(m, full);
	cfgfast_free_shell(old);
	cfgfast_free(&fp);
	schema_free_model(m);
	schema_free_model(full);
	free(t);
}

/* A bad value in a changed real server: the errors of a full parse, the
 * running model unchanged. */
static void test_errors_as_full(void **state)
{
	struct cfg_errors e = { 0 }, fe = { 0 };
	struct model *old = full_parse(base, &e), *full;
	char *t1 = edit(base, "weight = 1", 1, "weight = lots");
	char *t2 = edit(base, "weight = 2", 0, "weight = 2\nuthreshold = 5");
	char *t3 = edit(t1, "weight = 2", 1, "weight = 2\ndelay_loop = 2s");
	struct cfgfast fp;
	struct lines l = { 0 };
	char why[300] = "";

	(void)state;
	assert_non_null(old);
	/* 1: the same lines as a full parse */
	assert_int_equal(prepare(old, t1, &fp, why, &l), -EINVAL);
	full = full_parse(t1, &fe);
	assert_true(fe.n >= 1);
	assert_int_equal(l.n, fe.n);
	for (size_t i = 0; i < l.n; i++)
		assert_string_equal(l.v[i], fe.v[i].msg);
	assert_non_null(strstr(l.v[0], ":17: weight"));
	assert_null(fp.part);
	assert_int_equal(old->rs[1].weight, 1);
	schema_free_model(full);
	cfg_errors_free(&fe);
	lines_free(&l);
	/* 2: a section that grew a line moves the ones after it: the
	 * full path */
	assert_int_equal(prepare(old, t2, &fp, why, &l), 0);
	assert_non_null(strstr(why, "lines moved ([real_server db 10.0.2.2] now at line 29, was 28)"));
	assert_int_equal(l.n, 0);
	/* 3: the last section grew (no other moved), with a check parameter
	 * but no check; another error before it: both, in the order and
	 * words of a full parse */
	assert_int_equal(prepare(old, t3, &fp, why, &l), -EINVAL);
	full = full_parse(t3, &fe);
	assert_int_equal(l.n, fe.n);
	assert_int_equal(l.n, 2);
	for (size_t i = 0; i < l.n; i++)
		assert_string_equal(l.v[i], fe.v[i].msg);
	assert_non_null(strstr(l.v[1], "delay_loop does nothing"));
	schema_free_model(full);
	cfg_errors_free(&fe);
	lines_free(&l);
	schema_free_model(old);
	free(t1);
	free(t2);
	free(t3);
}

/* What is not a change inside [real_server] sections: the full path. */
static void test_falls_back(void **state)
{
	struct cfg_errors e = { 0 };
	struct model *old = full_parse(base, &e);
	struct cfgfast fp;
	struct lines l = { 0 };
	char why[300] = "";
	struct {
		const char *from, *to, *why;
	} c[] = {
		{ "scheduler = wrr", "scheduler = rr ", "[virtual_server web] section changed" },
		{ "delay_loop = 5s", "delay_loop = 6s", "[global] section changed" },
		{ "; a comment", "; A comment", "the start of the file changed" },
		{ "[real_server db 10.0.2.2]", "[real_server db 10.0.2.3]", "[real_server db 10.0.2.3] section changed" },
		{ "[real_server db 10.0.2.2]", "[real_server db 10.0.2.2]\n[real_server db 10.0.2.4]", "[real_server db 10.0.2.4] section changed" },
		{ "[real_server web 10.0.1.2:80]\nweight = 1\ncheck = HTTP_GET\nurl = /health\n\n", "", "sections added or removed (7 -> 6)" },
		{ "\n[virtual_server db]", "\n[real_server web 10.0.1.3:80]\n[virtual_server db]", "sections added or removed (7 -> 8)" },
		{ "weight = 1\ncheck", "weight = 1\n\ncheck", "lines moved" },
	};

	(void)state;
	assert_non_null(old);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char *t = edit(base, c[i].from, 0, c[i].to);

		assert_int_equal(prepare(old, t, &fp, why, &l), 0);
		if (!strstr(why, c[i].why))
			print_message("%zu: %s\n", i, why);
		assert_non_null(strstr(why, c[i].why));
		assert_null(fp.part);
		assert_null(fp.text);
		free(t);
	}
	/* runtime objects in force */
	write_file(base);
	assert_int_equal(cfgfast_prepare(NULL, path, old, 1, &fp, why, sizeof(why),
					 collect, &l), 0);
	assert_non_null(strstr(why, "runtime"));
	/* a file that cannot be read: the full path says why */
	assert_int_equal(cfgfast_prepare(NULL, "/nonexistent/lvsd.ini", old, 0,
					 &fp, why, sizeof(why), collect, &l), 0);
	assert_int_equal(l.n, 0);
	/* the same file: the fast path, no changes */
	assert_int_equal(prepare(old, base, &fp, why, &l), 1);
	assert_int_equal(fp.n_changed, 0);
	assert_int_equal(fp.diff.n, 0);
	cfgfast_free(&fp);
	schema_free_model(old);
}

/* Random edits of base: whatever the fast path takes gives a full
 * parse's model or a full parse's errors; the running model stays as it
 * was otherwise. */
static void test_random_edits(void **state)
{
	static const char *snip[] = {
		"weight = 3\n", "\n", "[real_server web 10.0.1.9:80]\n", "x",
		"", "uthreshold = 4\n", "[", "]", "weight = 2\n", " ", "\n[",
		"lthreshold = 9\n", "delay_loop = 2s\n", "url = /x\n", ";c\n",
		"  continued\n", "weight", "= 5", "[real_server db 10.0.2.2]",
	};
	struct cfg_errors e = { 0 };
	unsigned seed = 14, fast = 0, bad = 0;

	(void)state;
	for (int it = 0; it < 600; it++) {
		struct model *old = full_parse(base, &e), *full, *m;
		size_t len = strlen(base), at, cut;
		const char *sn;
		char *t;
		struct cfgfast fp;
		struct lines l = { 0 };
		char why[300] = "";
		int r;

		assert_non_null(old);
		seed = seed * 1103515245u + 12345u;
		at = (seed >> 8) % len;
		seed = seed * 1103515245u + 12345u;
		cut = (seed >> 8) % 4;
		seed = seed * 1103515245u + 12345u;
		sn = snip[(seed >> 8) % (sizeof(snip) / sizeof(snip[0]))];
		if (at + cut > len)
			cut = len - at;
		t = malloc(len + strlen(sn) + 1);
		assert_non_null(t);
		sprintf(t, "%.*s%s%s", (int)at, base, sn, base + at + cut);
		/* every other one with the running text's sections kept */
		cfgfast_remember(it % 2 ? old : NULL);
		r = prepare(old, t, &fp, why, &l);
		full = full_parse(t, &e);
		if (r == 1) {
			struct model_diff d;

			fast++;
			assert_int_equal(e.n, 0);
			assert_non_null(full);
			m = cfgfast_commit(old, &fp);
			assert_int_equal(model_diff(m, full, &d), 0);
			for (size_t i = 0; i < d.n; i++)
				print_message("%d: differs: %s %s\n", it, d.v[i].id,
					      d.v[i].what);
			assert_int_equal(d.n, 0);
			model_diff_free(&d);
			same_lines(m, full);
			cfgfast_free_shell(old);
			schema_free_model(m);
		} else if (r == -EINVAL) {
			bad++;
			if (l.n != e.n)
				print_message("%d: %zu errors, a full parse %zu\n",
					      it, l.n, e.n);
			assert_int_equal(l.n, e.n);
			for (size_t i = 0; i < l.n; i++)
				assert_string_equal(l.v[i], e.v[i].msg);
			schema_free_model(old);
		} else {
			assert_int_equal(r, 0);
			assert_int_equal(l.n, 0);
			schema_free_model(old);
		}
		cfgfast_free(&fp);
		lines_free(&l);
		schema_free_model(full);
		cfg_errors_free(&e);
		free(t);
	}
	cfgfast_remember(NULL);
	print_message("fast path %u, refused %u of 600\n", fast, bad);
	assert_true(fast > 20 && bad > 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_model_as_full),
		cmocka_unit_test(test_reads_its_virtual_server_only),
		cmocka_unit_test(test_errors_as_full),
		cmocka_unit_test(test_falls_back),
		cmocka_unit_test(test_random_edits),
	};
	int fd, r;

	snprintf(path, sizeof(path), "/tmp/test_cfgfast.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return 1;
	close(fd);
	r = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(path);
	return r;
}
