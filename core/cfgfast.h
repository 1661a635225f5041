/* cfgfast.h — a reload's fast path: a file that differs from the running
 * model's text only inside [real_server] sections is read in the sections
 * it needs, and the new model takes the running one's objects.
 *
 * DESIGN. The running model keeps the text it was read from (model.text),
 * and this module the sections of that text (kept at the start and after
 * each reload, found again by the text's length and hash: cfgfast_remember;
 * a line whose first non-blank is '[' starts a section, what precedes the
 * first header is one too). A reload reads the file and compares it with
 * the running text: the common prefix and suffix (memcmp) bound the part
 * that differs; only that part is split again, in both texts, the other
 * sections are the kept ones (shifted by the change of length). The fast
 * path is taken when the sections there pair up with the same header
 * lines at the same line numbers, the lines after them do not move, and
 * every section that differs is a [real_server] one. Then the parser
 * reads the file's parts that the changed sections' meaning depends on:
 * the changed [real_server] sections, their [virtual_server] sections,
 * and every section that is neither ([global], groups, VRRP, trackers:
 * what any section may refer to; the same text as the running model's),
 * each at its own line numbers (cfg_parse_spans), and the plugins check
 * the result as for a full parse (confload_parse_spans). So a changed
 * section's errors are the lines a full parse gives, and an error changes
 * nothing. The new model is then the running one's objects, moved (a
 * struct copy: the arrays are shared, not copied), with the changed real
 * servers swapped in place (their virtual server index set to the running
 * one's); the diff is that of the changed real servers only
 * (model_diff_rs), the install (install_model_fast) skips what follows
 * from unchanged objects, and each changed real server goes to the kernel
 * on its own (apply_servers). Proportional to the unchanged real servers
 * remain the read, the comparison (memcmp), one copy of the kept
 * sections, and the passes of the parts that follow a new model (checks,
 * operator state).
 *
 * Anything else takes the full path (cfgfast_prepare says why): sections
 * added, removed, reordered or renamed, a section other than a
 * [real_server] changed, line numbers moved, a NUL byte, runtime objects
 * (lvsctl add-vs/add-rs) in force, a file that cannot be read.
 *
 * What the fast path does not redo: the unchanged real servers are not
 * checked again by their plugins (a certificate file or a notify_up
 * program removed since the last reload is not noticed until the next
 * full one; lvsd -t checks everything).
 */
#ifndef LVSD_CFGFAST_H
#define LVSD_CFGFAST_H

#include <stddef.h>
#include <stdint.h>

#include "context.h"
#include "model.h"
#include "model_diff.h"

/* A prepared fast reload (zero-initialise; free with cfgfast_free). */
struct cfgfast {
	struct model *part;    /* the parse of the sections needed; after
				* cfgfast_commit its real servers are the
				* replaced ones */
	char *text;            /* the new file's text, taken by the model */
	size_t len;
	size_t *old_idx;       /* the changed real servers in the running */
	size_t *part_idx;      /* model and in part, n of each */
	size_t n;
	struct model *shell;   /* the new model's struct, allocated ahead */
	struct model_diff diff; /* the changes (of the real servers) */
	size_t n_sections;     /* in the file */
	size_t n_changed;      /* sections that differ */
	size_t n_parsed;       /* sections read (the changed ones and the
				* others that they depend on) */
	void *sect;            /* the file's sections, kept at commit */
	size_t n_sect;
	uint64_t hash;         /* of text */
};

/* Keep the sections of m's text (the running model, after a start or a
 * full reload; NULL: forget them), so that the next reload splits only
 * the part of the file that differs. Optional: without it a reload
 * splits the whole file. Out of memory: nothing kept. */
void cfgfast_remember(const struct model *m);

/* Prepare a fast reload of path against old (the running model), with
 * the plugins of ps (NULL: none asked; unit tests); n_rt: runtime objects
 * in force (any: the full path). 1: ready (fp holds it); 0: the fast
 * path does not apply, why says why ("a [virtual_server web] section
 * changed"), fp is empty; -EINVAL: errors in the changed sections, sent
 * to emit as "FILE:LINE: message" (the lines a full parse gives); other
 * -errno: out of memory. old is not changed. */
int cfgfast_prepare(struct plugin_set *ps, const char *path,
		    const struct model *old, size_t n_rt, struct cfgfast *fp,
		    char *why, size_t whylen,
		    void (*emit)(void *arg, const char *line), void *arg);
/* The same for len bytes of text (malloc'd, NUL-terminated; taken in
 * every case: fp holds it or it is freed), named name in the messages
 * (the fuzz target). */
int cfgfast_prepare_text(struct plugin_set *ps, const char *name, char *text,
			 size_t len, const struct model *old, size_t n_rt,
			 struct cfgfast *fp, char *why, size_t whylen,
			 void (*emit)(void *arg, const char *line), void *arg);
/* The new model: old's objects moved into it (shared, not copied), the
 * changed real servers swapped in (fp->part keeps the replaced ones).
 * old is left a shell that shares the new model's objects: put the new
 * model in force (install_model_fast), then free old with
 * cfgfast_free_shell(), never schema_free_model(). Cannot fail. */
struct model *cfgfast_commit(struct model *old, struct cfgfast *fp);
/* Free a shell left by cfgfast_commit (its text and struct only). */
void cfgfast_free_shell(struct model *old);
void cfgfast_free(struct cfgfast *fp);

#endif
