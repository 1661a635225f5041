/* confload.h — reading the configuration against the loaded plugins. */
#ifndef LVSD_CONFLOAD_H
#define LVSD_CONFLOAD_H

#include "context.h"

/* Hand a configuration error line to the log (an emit callback). */
void confload_emit_log(void *arg, const char *line);
/* Parse path, asking the plugins of ps about names and options. Errors go
 * to emit(arg, "FILE:LINE: message"). 0 or -errno (-EINVAL: errors). */
int confload_parse(struct plugin_set *ps, const char *path, struct model **out,
		   void (*emit)(void *, const char *), void *arg);
/* The same for len bytes of text (a configuration with the runtime
 * objects' sections: runtime.c), named name in the messages, which are
 * appended to errs ("NAME:LINE: message", line set). 0 or -errno. */
struct cfg_errors;
int confload_parse_text(struct plugin_set *ps, const char *name,
			const char *text, size_t len, struct model **out,
			struct cfg_errors *errs);
/* The same for the parts spans of len bytes of text (cfg_parse_spans:
 * a reload's fast path, cfgfast.h), named name in the messages. ps NULL:
 * no plugins asked (any scheduler, checker and option taken) and no
 * checks of the whole model by them (unit tests). */
struct cfg_span;
int confload_parse_spans(struct plugin_set *ps, const char *name,
			 const char *text, size_t len,
			 const struct cfg_span *spans, size_t n_spans,
			 struct model **out,
			 void (*emit)(void *, const char *), void *arg);
/* First start: a plugin-less parse finds plugin_dir, the plugins there are
 * loaded into ps, then the file is parsed again with them. */
int confload_file(struct plugin_set *ps, const struct daemon_opts *o,
		  struct model **out, void (*emit)(void *, const char *));
/* lvsd -t: parse and validate (plugins loaded), print errors to stderr,
 * then "configuration OK"; the exit code, 0 or 1. */
int confload_check(const struct daemon_opts *opts);

#endif
