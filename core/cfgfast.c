/* cfgfast.c — a reload's fast path (see cfgfast.h): the file split into
 * sections and compared with the running model's text; only the sections
 * needed are parsed; the new model takes the running one's objects. */
#include "cfgfast.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "confload.h"
#include "schema.h"

/* More changed real servers than this: all virtual servers are read
 * (finding each one's would cost more). */
#define CFGFAST_ALL_VS 16

/* One section of a text: len bytes at off (its header line first, but
 * for the part before the first header). Its line is counted when needed
 * (struct lines_at). */
struct sect {
	size_t off;
	size_t len;
	bool rs;      /* a [real_server ...] */
	bool vs;      /* a [virtual_server ...] */
	bool changed; /* differs from the running text's */
	bool needed;  /* read by the parser */
};

/* Is the header at s ('[') a [KW ...] one? (end: the text's end) */
static bool header_is(const char *s, const char *end, const char *kw)
{
	size_t n = strlen(kw);

	for (s++; s < end && (*s == ' ' || *s == '\t'); s++)
		;
	return (size_t)(end - s) > n && memcmp(s, kw, n) == 0 &&
	       (s[n] == ' ' || s[n] == '\t');
}

/* The first word after the kind in the header at s ('['): the virtual
 * server's name of a [virtual_server NAME] or [real_server NAME ADDR];
 * its length, *w where it starts. */
static size_t header_name(const char *s, const char *end, const char **w)
{
	for (s++; s < end && (*s == ' ' || *s == '\t'); s++)
		;
	while (s < end && !strchr(" \t]\r\n", *s))
		s++;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	*w = s;
	while (s < end && !strchr(" \t]\r\n", *s))
		s++;
	return (size_t)(s - *w);
}

/* How many '\n' in s[0..n): 8 bytes at a time (exact: a byte that is
 * '\n' gives 0x80 in t, no other does, and nothing carries). */
static unsigned count_nl(const char *s, size_t n)
{
	const uint64_t lo7 = 0x7f7f7f7f7f7f7f7full, nl = 0x0a0a0a0a0a0a0a0aull;
	unsigned k = 0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w, x, t;

		memcpy(&w, s + i, 8);
		x = w ^ nl;
		t = ~(((x & lo7) + lo7) | x | lo7);
		k += (unsigned)(((t >> 7) * 0x0101010101010101ull) >> 56);
	}
	for (; i < n; i++)
		k += s[i] == '\n';
	return k;
}

/* Line numbers of offsets of a text, counted forward from the last one
 * asked (from the start again for an earlier offset). */
struct lines_at {
	const char *t;
	size_t pos;
	unsigned line;
};

static unsigned line_at(struct lines_at *c, size_t off)
{
	if (off < c->pos) {
		c->pos = 0;
		c->line = 1;
	}
	c->line += count_nl(c->t + c->pos, off - c->pos);
	c->pos = off;
	return c->line;
}

/* Split text into sections as the parser's reader sees them: a line whose
 * first non-blank is '[' starts one. v[0] is what precedes the first
 * header (maybe empty). 0 or -ENOMEM. */
static int split(const char *text, size_t len, struct sect **out, size_t *n)
{
	size_t cap = 256, cnt = 1;
	struct sect *v = malloc(cap * sizeof(*v));
	const char *c = text, *end = text + len;

	if (!v)
		return -ENOMEM;
	v[0] = (struct sect){ 0 };
	/* each '[' that only blanks precede on its line starts a section */
	for (; (c = memchr(c, '[', (size_t)(end - c))); c++) {
		const char *ls = c;

		while (ls > text && ls[-1] != '\n' &&
		       isspace((unsigned char)ls[-1]))
			ls--;
		if (ls > text && ls[-1] != '\n')
			continue;
		if (cnt == cap) {
			struct sect *nv = realloc(v, 2 * cap * sizeof(*nv));

			if (!nv) {
				free(v);
				return -ENOMEM;
			}
			v = nv;
			cap *= 2;
		}
		v[cnt++] = (struct sect){ .off = (size_t)(ls - text),
					  .rs = header_is(c, end, "real_server"),
					  .vs = header_is(c, end, "virtual_server") };
	}
	for (size_t i = 0; i < cnt; i++)
		v[i].len = (i + 1 < cnt ? v[i + 1].off : len) - v[i].off;
	*out = v;
	*n = cnt;
	return 0;
}

/* A hash of a text (8 bytes at a time): how the kept sections find their
 * text again. */
static uint64_t text_hash(const char *t, size_t n)
{
	uint64_t h = n * 0x9e3779b97f4a7c15ull;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, t + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ (unsigned char)t[i]) * 0x100000001b3ull;
	return h;
}

/* The sections of the running model's text, kept from its parse
 * (cfgfast_remember) or its fast reload (cfgfast_commit): a reload then
 * splits only the part of the file that differs. Found again by the
 * text's length and hash, never by its address (a later text may get
 * the same one). */
static struct {
	uint64_t hash;
	size_t len;
	struct sect *v;
	size_t n;
} kept;

static void keep(struct sect *v, size_t n, size_t len, uint64_t hash)
{
	free(kept.v);
	for (size_t i = 0; i < n; i++)
		v[i].changed = v[i].needed = false;
	kept.v = v;
	kept.n = n;
	kept.len = len;
	kept.hash = hash;
}

void cfgfast_remember(const struct model *m)
{
	struct sect *v;
	size_t n;

	keep(NULL, 0, 0, 0);
	if (m && m->text && split(m->text, m->text_len, &v, &n) == 0)
		keep(v, n, m->text_len, text_hash(m->text, m->text_len));
}

/* The header line of section i ("[virtual_server web]", at most 80
 * bytes; "" for the part before the first header). */
static void header_str(const char *text, const struct sect *v, size_t i,
		       char *buf, size_t len)
{
	size_t n = i ? strcspn(text + v[i].off, "\r\n") : 0;

	if (n > 80)
		n = 80;
	snprintf(buf, len, "%.*s", (int)n, text + v[i].off);
}

void cfgfast_free(struct cfgfast *fp)
{
	schema_free_model(fp->part);
	free(fp->sect);
	free(fp->text);
	free(fp->old_idx);
	free(fp->part_idx);
	free(fp->shell);
	model_diff_free(&fp->diff);
	memset(fp, 0, sizeof(*fp));
}

/* The length of the common prefix of a and b (n bytes each). */
static size_t common_prefix(const char *a, const char *b, size_t n)
{
	size_t i = 0;

	while (i + 4096 <= n && memcmp(a + i, b + i, 4096) == 0)
		i += 4096;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/* The length of the common suffix of a[0..na) and b[0..nb), at most max. */
static size_t common_suffix(const char *a, size_t na, const char *b, size_t nb,
			    size_t max)
{
	size_t i = 0;

	while (i + 4096 <= max &&
	       memcmp(a + na - i - 4096, b + nb - i - 4096, 4096) == 0)
		i += 4096;
	while (i < max && a[na - i - 1] == b[nb - i - 1])
		i++;
	return i;
}

/* The section of v[0..n) that holds offset x (the last one starting at
 * or before it). */
static size_t section_at(const struct sect *v, size_t n, size_t x)
{
	size_t lo = 0, hi = n; /* v[lo].off <= x < v[hi].off */

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].off <= x)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The new text's sections from the kept ones of the running text o:
 * the same before and after the part that differs (shifted by the
 * change of length), that part split again. 1 done (*out, *n), 0 not
 * possible (split the whole text), -ENOMEM. */
static int from_kept(const char *o, size_t lo, const char *t, size_t ln,
		     struct sect **out, size_t *n)
{
	size_t p = common_prefix(o, t, lo < ln ? lo : ln);
	size_t sfx = common_suffix(o, lo, t, ln, (lo < ln ? lo : ln) - p);
	size_t a, b, start, end_o, end_n, rn, k = 0;
	struct sect *rv, *v;

	a = section_at(kept.v, kept.n, p);
	b = section_at(kept.v, kept.n, lo - sfx > p ? lo - sfx - 1 : p);
	if (a == 0)
		return 0;
	start = kept.v[a].off;
	end_o = kept.v[b].off + kept.v[b].len;
	end_n = end_o - lo + ln; /* >= ln - sfx >= p >= start */
	if (end_n < ln && t[end_n - 1] != '\n')
		return 0;
	if (split(t + start, end_n - start, &rv, &rn) < 0)
		return -ENOMEM;
	if (rv[0].len) { /* the new text has no header where it starts */
		free(rv);
		return 0;
	}
	if (!(v = malloc((a + rn - 1 + kept.n - b - 1) * sizeof(*v)))) {
		free(rv);
		return -ENOMEM;
	}
	memcpy(v, kept.v, a * sizeof(*v));
	k = a;
	for (size_t i = 1; i < rn; i++) {
		v[k] = rv[i];
		v[k++].off += start;
	}
	for (size_t j = b + 1; j < kept.n; j++) {
		v[k] = kept.v[j];
		v[k++].off = kept.v[j].off - lo + ln;
	}
	free(rv);
	*out = v;
	*n = k;
	return 1;
}

/* Compare the new text's sections nv[0..nn) with the running text o
 * without splitting all of it: only the part between the common prefix
 * and suffix differs; its sections, split in both, must pair up (the
 * same header lines at the same lines), and the lines after it must not
 * move. Marks the changed sections; counts them in *n_changed. 1 fast
 * path, 0 not (why), -ENOMEM. */
static int compare(const char *o, size_t lo, const char *t, size_t ln,
		   struct sect *nv, size_t nn, size_t *n_changed, char *why,
		   size_t whylen)
{
	size_t p = common_prefix(o, t, lo < ln ? lo : ln);
	size_t sfx = common_suffix(o, lo, t, ln, (lo < ln ? lo : ln) - p);
	size_t a, b, end_n, end_o, no = 0;
	struct sect *ov = NULL;
	struct lines_at nc = { t, 0, 1 }, oc;
	char hb[96];
	int r = 1;

	*n_changed = 0;
	if (p == lo && p == ln)
		return 1; /* the same text */
	a = section_at(nv, nn, p);
	b = section_at(nv, nn, ln - sfx > p ? ln - sfx - 1 : p);
	end_n = nv[b].off + nv[b].len;
	end_o = end_n + lo - ln; /* after it, the texts are the same */
	if (a == 0 || (end_o < lo && o[end_o - 1] != '\n')) {
		header_str(t, nv, a, hb, sizeof(hb));
		snprintf(why, whylen, "%s%s changed", *hb ? hb : "the start",
			 *hb ? " section" : " of the file");
		return 0;
	}
	/* the running text's sections there (the first starts where the
	 * new one's does, at the same line: the texts are the same before) */
	if (split(o + nv[a].off, end_o - nv[a].off, &ov, &no) < 0)
		return -ENOMEM;
	if (ov[0].len) { /* no header there in the running text */
		free(ov);
		header_str(t, nv, a, hb, sizeof(hb));
		snprintf(why, whylen, "%s section changed", hb);
		return 0;
	}
	memmove(ov, ov + 1, --no * sizeof(*ov)); /* its empty start */
	oc = (struct lines_at){ o, nv[a].off, line_at(&nc, nv[a].off) };
	if (no != b - a + 1) {
		snprintf(why, whylen, "sections added or removed (%zu -> %zu)",
			 nn - 1 - (b - a + 1) + no, nn - 1);
		r = 0;
	}
	for (size_t i = 0; r == 1 && i < no; i++) {
		const struct sect *os = &ov[i];
		struct sect *ns = &nv[a + i];
		const char *ot = o + nv[a].off + os->off, *nt = t + ns->off;
		size_t ho = strcspn(ot, "\n"), hn = strcspn(nt, "\n");
		unsigned ln_n = line_at(&nc, ns->off);
		unsigned ln_o = line_at(&oc, nv[a].off + os->off);

		if (ln_o != ln_n) {
			header_str(t, nv, a + i, hb, sizeof(hb));
			snprintf(why, whylen, "lines moved (%s now at line %u, was %u)",
				 hb, ln_n, ln_o);
			r = 0;
			break;
		}
		if (os->len == ns->len && memcmp(ot, nt, ns->len) == 0)
			continue;
		ns->changed = true;
		(*n_changed)++;
		/* the header line of the running one: a header there too */
		if (!ns->rs || ho != hn || memcmp(ot, nt, hn)) {
			header_str(t, nv, a + i, hb, sizeof(hb));
			snprintf(why, whylen, "%s section changed", hb);
			r = 0;
		}
	}
	if (r == 1 && b + 1 < nn) { /* the lines after it must not move */
		unsigned ln_n = line_at(&nc, end_n), ln_o = line_at(&oc, end_o);

		if (ln_n != ln_o) {
			header_str(t, nv, b + 1, hb, sizeof(hb));
			snprintf(why, whylen, "lines moved (%s now at line %u, was %u)",
				 hb, ln_n, ln_o);
			r = 0;
		}
	}
	free(ov);
	return r;
}

/* Mark the sections the parser needs: every one that is not a
 * [real_server] or a [virtual_server] ([global], groups, VRRP: what
 * anything may refer to), the changed real servers, and their virtual
 * servers (all of them when many changed). How many. */
static size_t mark_needed(const char *t, size_t ln, struct sect *nv, size_t nn,
			  size_t n_changed)
{
	const char *end = t + ln;
	size_t k = 0;

	for (size_t i = 0; i < nn; i++) {
		struct sect *s = &nv[i];

		s->needed = s->rs ? s->changed
			  : !s->vs || n_changed > CFGFAST_ALL_VS;
		if (!s->rs || !s->changed || n_changed > CFGFAST_ALL_VS)
			continue;
		/* its virtual server: "[real_server NAME ..." */
		{
			const char *w, *x;
			size_t n = header_name(t + s->off + strspn(t + s->off, " \t\r\f\v"),
					       end, &w);

			for (size_t j = 0; j < nn; j++)
				if (nv[j].vs && !nv[j].needed &&
				    header_name(t + nv[j].off +
						strspn(t + nv[j].off, " \t\r\f\v"),
						end, &x) == n &&
				    memcmp(w, x, n) == 0)
					nv[j].needed = true;
		}
	}
	for (size_t i = 0; i < nn; i++)
		k += nv[i].needed;
	return k;
}

/* Not the fast path: why says why; 0. */
static int no(struct cfgfast *fp, char *why, size_t whylen, const char *fmt,
	      const char *arg)
{
	cfgfast_free(fp);
	snprintf(why, whylen, fmt, arg);
	return 0;
}

/* Is part (the parse of the sections needed) the running model's objects
 * but for the changed real servers? Fills fp's index pairs. 1 yes, 0 no,
 * -ENOMEM. */
static int match(const struct model *old, struct cfgfast *fp)
{
	const struct model *p = fp->part;

	if (p->n_vs > old->n_vs || p->n_vrrp != old->n_vrrp ||
	    p->n_sync != old->n_sync || p->n_trackers != old->n_trackers ||
	    p->n_vsg != old->n_vsg || p->n_rs > old->n_rs)
		return 0;
	fp->n = p->n_rs;
	if (p->n_rs && (!(fp->old_idx = calloc(p->n_rs, sizeof(size_t))) ||
			!(fp->part_idx = calloc(p->n_rs, sizeof(size_t)))))
		return -ENOMEM;
	for (size_t k = 0; k < p->n_rs; k++) {
		const struct model_rs *rs = &p->rs[k];
		const struct model_rs *o = model_find_rs(old, rs->vs_name,
							 &rs->addr, rs->port);
		const struct model_vs *ovs = model_find_vs(old, rs->vs_name);

		/* part holds only the virtual servers needed: its indexes are
		 * not the running model's (cfgfast_commit puts those back) */
		if (!o || !ovs || o->vs != (size_t)(ovs - old->vs) || o->runtime ||
		    rs->vs >= p->n_vs || strcmp(p->vs[rs->vs].name, ovs->name))
			return 0;
		fp->old_idx[k] = (size_t)(o - old->rs);
		fp->part_idx[k] = k;
	}
	return 1;
}

int cfgfast_prepare(struct plugin_set *ps, const char *path,
		    const struct model *old, size_t n_rt, struct cfgfast *fp,
		    char *why, size_t whylen,
		    void (*emit)(void *arg, const char *line), void *arg)
{
	struct cfg_errors errs = { 0 };
	char *text;
	size_t len;
	int r;

	memset(fp, 0, sizeof(*fp));
	if (n_rt)
		return no(fp, why, whylen, "%s", "runtime objects are in force");
	if (!old || !old->text)
		return no(fp, why, whylen, "%s", "the running configuration's text is not kept");
	r = cfg_read_file(path, &text, &len, &errs);
	cfg_errors_free(&errs);
	if (r == -ENOMEM)
		return r;
	if (r < 0) /* the full path says it */
		return no(fp, why, whylen, "%s", "the file cannot be read");
	return cfgfast_prepare_text(ps, path, text, len, old, n_rt, fp, why,
				    whylen, emit, arg);
}

int cfgfast_prepare_text(struct plugin_set *ps, const char *name, char *text,
			 size_t len, const struct model *old, size_t n_rt,
			 struct cfgfast *fp, char *why, size_t whylen,
			 void (*emit)(void *arg, const char *line), void *arg)
{
	struct sect *nv = NULL;
	struct cfg_span *spans = NULL;
	struct lines_at lc = { text, 0, 1 };
	size_t nn = 0, n_spans = 0;
	int r;

	memset(fp, 0, sizeof(*fp));
	fp->text = text;
	fp->len = len;
	if (n_rt)
		return no(fp, why, whylen, "%s", "runtime objects are in force");
	if (!old || !old->text)
		return no(fp, why, whylen, "%s", "the running configuration's text is not kept");
	if (memchr(fp->text, '\0', fp->len))
		return no(fp, why, whylen, "%s", "a NUL byte in the file");
	r = 0;
	if (kept.v && kept.len == old->text_len &&
	    kept.hash == text_hash(old->text, old->text_len))
		r = from_kept(old->text, old->text_len, fp->text, fp->len, &nv, &nn);
	if (r < 0 || (r == 0 && split(fp->text, fp->len, &nv, &nn) < 0)) {
		cfgfast_free(fp);
		return -ENOMEM;
	}
	fp->n_sections = nn - 1;
	r = compare(old->text, old->text_len, fp->text, fp->len, nv, nn,
		    &fp->n_changed, why, whylen);
	if (r == 1 && !(spans = calloc(mark_needed(fp->text, fp->len, nv, nn,
						   fp->n_changed), sizeof(*spans))))
		r = -ENOMEM;
	for (size_t i = 0; r == 1 && i < nn; i++)
		if (nv[i].needed)
			spans[n_spans++] = (struct cfg_span){
				nv[i].off, nv[i].len, line_at(&lc, nv[i].off) };
	if (r == 1) { /* kept for the next reload once in force */
		fp->sect = nv;
		fp->n_sect = nn;
		fp->hash = text_hash(fp->text, fp->len);
	} else {
		free(nv);
	}
	if (r <= 0) {
		free(spans);
		if (r == 0) {
			char keep[256];

			snprintf(keep, sizeof(keep), "%s", why);
			return no(fp, why, whylen, "%s", keep);
		}
		cfgfast_free(fp);
		return r;
	}
	fp->n_parsed = n_spans - 1; /* spans[0]: before the first header */
	r = confload_parse_spans(ps, name, fp->text, fp->len, spans, n_spans,
				 &fp->part, emit, arg);
	free(spans);
	if (r < 0) {
		cfgfast_free(fp);
		return r;
	}
	r = match(old, fp);
	if (r <= 0) {
		if (r < 0) {
			cfgfast_free(fp);
			return r;
		}
		return no(fp, why, whylen, "%s", "the sections read do not match the running objects");
	}
	if (!(fp->shell = calloc(1, sizeof(*fp->shell))) ||
	    model_diff_rs(old, fp->old_idx, fp->part, fp->part_idx, fp->n,
			  &fp->diff) < 0) {
		cfgfast_free(fp);
		return -ENOMEM;
	}
	/* in the new model each changed one takes its running place */
	for (size_t i = 0; i < fp->diff.n; i++)
		fp->diff.v[i].new_idx = fp->diff.v[i].old_idx;
	return 1;
}

struct model *cfgfast_commit(struct model *old, struct cfgfast *fp)
{
	struct model *m = fp->shell;

	*m = *old;
	m->text = fp->text;
	m->text_len = fp->len;
	keep(fp->sect, fp->n_sect, fp->len, fp->hash);
	fp->sect = NULL;
	fp->text = NULL;
	fp->len = 0;
	fp->shell = NULL;
	for (size_t k = 0; k < fp->n; k++) {
		struct model_rs t = old->rs[fp->old_idx[k]];

		old->rs[fp->old_idx[k]] = fp->part->rs[fp->part_idx[k]];
		old->rs[fp->old_idx[k]].vs = t.vs; /* the running index */
		fp->part->rs[fp->part_idx[k]] = t;
	}
	return m;
}

void cfgfast_free_shell(struct model *old)
{
	if (!old)
		return;
	free(old->text);
	free(old);
}
