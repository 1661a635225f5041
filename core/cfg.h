/* cfg.h — the INI configuration parser: lvsd.ini(5) -> struct model.
 * Every problem is collected as "FILE:LINE: message" and parsing goes on, so
 * one run reports them all; a model is returned only when there were none.
 */
#ifndef LVSD_CFG_H
#define LVSD_CFG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"

/* The longest line, without its newline (Debian's inih: INI_MAX_LINE 200). */
#define CFG_MAX_LINE 199
/* Errors kept; the rest are counted in cfg_errors.dropped. */
#define CFG_MAX_ERRORS 1000

struct cfg_error {
	unsigned line;  /* 0: about the whole file (cannot open...) */
	char *msg;      /* "FILE:LINE: message" */
};

/* Zero-initialise; free with cfg_errors_free(). Sorted by line. */
struct cfg_errors {
	struct cfg_error *v;
	size_t n;
	size_t cap;
	size_t dropped;
};

void cfg_errors_free(struct cfg_errors *e);
/* Hand each message to emit(arg, msg); a last line says how many were
 * dropped, if any. */
void cfg_errors_emit(const struct cfg_errors *e,
		     void (*emit)(void *arg, const char *msg), void *arg);
/* Print each message and a newline to f. */
void cfg_errors_print(const struct cfg_errors *e, FILE *f);

/* How the parser asks the daemon about plugin names and options. Each
 * returns 0, -ENOENT (unknown) or -EINVAL (bad value, message without
 * file:line in err). A NULL table or NULL member means: any scheduler and
 * checker name is accepted, sched flags are the IPVS names flag-1 flag-2
 * flag-3 sh-fallback sh-port mh-fallback mh-port, checker options are
 * taken as they are, and so are commands. program is asked about the
 * value of every key that holds a command (notify_up, notify_master,
 * quorum_up, ...), as written: can it be run (progcheck.h)? */
struct cfg_hooks {
	void *arg;
	int (*scheduler)(void *arg, const char *name, char *err,
			 size_t errlen);
	int (*sched_flag)(void *arg, const char *sched, const char *flag,
			  uint32_t *bit, char *err, size_t errlen);
	int (*checker)(void *arg, const char *name, char *err, size_t errlen);
	int (*check_option)(void *arg, const char *checker, const char *key,
			    const char *value, char *err, size_t errlen);
	int (*program)(void *arg, const char *cmdline, char *err,
		       size_t errlen);
	/* May checker option key be given several times? NULL or 0: no, a
	 * second one is a "duplicate key" error. */
	int (*option_repeatable)(void *arg, const char *checker,
				 const char *key);
};

/* Parse the file at path. On success (0) *out is a new model to be freed
 * with model_free(). Otherwise *out is NULL and the return is -EINVAL
 * (errors in errs), -ENOMEM, or -errno if the file cannot be read (also
 * in errs, as "FILE: cannot read: ..."). errs is appended to. */
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

/* The built-in sched flag names (used when no hook is given):
 * 0 and *bit set, or -ENOENT. */
int cfg_sched_flag_builtin(const char *flag, uint32_t *bit);

#endif
