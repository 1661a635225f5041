/* cfg.h — the INI configuration parser: lvsd.ini(5) -> struct model.
 * Every problem is collected as "FILE:LINE: message" and parsing goes on, so
 * one run reports them all; a model is returned only when there were none.
 */
#ifndef LVSD_CFG_H
#define LVSD_CFG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cfgtypes.h"
#include "model.h"

void cfg_errors_free(struct cfg_errors *e);
/* Hand each message to emit(arg, msg); a last line says how many were
 * dropped, if any. */
void cfg_errors_emit(const struct cfg_errors *e,
		     void (*emit)(void *arg, const char *msg), void *arg);
/* Print each message and a newline to f. */
void cfg_errors_print(const struct cfg_errors *e, FILE *f);

/* Parse the file at path. On success (0) *out is a new model to be freed
 * with schema_free_model() (schema.h). Otherwise *out is NULL and the
 * return is -EINVAL (errors in errs), -ENOMEM, or -errno if the file
 * cannot be read (also in errs, as "FILE: cannot read: ..."). errs is
 * appended to. */
int cfg_parse_file(const char *path, const struct cfg_hooks *hooks,
		   struct model **out, struct cfg_errors *errs);
/* As cfg_parse_file, but on -EINVAL *out is set too: the model of what
 * was read right (objects with errors left out), so that later checks
 * (plugins, VRRP engine, programs) can still report their errors in the
 * same run, and plugin_dir can be found. Never run with it. NULL on the
 * other errors. */
int cfg_parse_file_partial(const char *path, const struct cfg_hooks *hooks,
			   struct model **out, struct cfg_errors *errs);
/* The same for a text in memory; name is used in the messages. */
int cfg_parse_string(const char *name, const char *text,
		     const struct cfg_hooks *hooks, struct model **out,
		     struct cfg_errors *errs);
/* The same for len bytes that may hold a NUL (reported as an error). */
int cfg_parse_buffer(const char *name, const char *buf, size_t len,
		     const struct cfg_hooks *hooks, struct model **out,
		     struct cfg_errors *errs);

/* Read the file at path whole (at most 16 MiB, a regular file): *text
 * (NUL-terminated, the caller frees it) and *len. 0 or -errno, also said
 * in errs ("FILE: cannot read: ...") but for -ENOMEM. */
int cfg_read_file(const char *path, char **text, size_t *len,
		  struct cfg_errors *errs);
/* Parse only the parts spans[0..n_spans) of the len bytes of buf, in that
 * order, each at its own line numbers (a reload's fast path: the sections
 * it needs, see cfgfast.h); the errors say name:LINE. As
 * cfg_parse_file_partial: on -EINVAL *out holds what was read right.
 * Nothing is kept of buf. -EINVAL without a model: a part outside buf. */
int cfg_parse_spans(const char *name, const char *buf, size_t len,
		    const struct cfg_span *spans, size_t n_spans,
		    const struct cfg_hooks *hooks, struct model **out,
		    struct cfg_errors *errs);

#endif
