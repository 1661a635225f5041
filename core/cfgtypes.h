/* cfgtypes.h — the types the configuration parser shares with its users
 * and with its own parts (cfgstate.h): the error list and the hooks through
 * which it asks the daemon about plugin names and options. No functions.
 */
#ifndef LVSD_CFGTYPES_H
#define LVSD_CFGTYPES_H

#include <stddef.h>
#include <stdint.h>

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

/* How the parser asks the daemon about plugin names and options. Each
 * returns 0, -ENOENT (unknown) or -EINVAL (bad value, message without
 * file:line in err). A NULL table or NULL member means: any scheduler and
 * checker name is accepted, sched flag names and scheduler and checker
 * options are taken as they are (flag bits stay 0: only a scheduler
 * plugin knows its flags), and so are commands. program is asked about the
 * value of every key that holds a command (notify_up, notify_master,
 * quorum_up, ...), as written: can it be run (progcheck.h)? */
/* A part of a file's text read as if the file held only the parts given
 * (cfg_parse_spans): len bytes at off, whose first line is line (from
 * 1). Each part but the first starts with a section header and ends
 * after a newline or at the end of the text. */
struct cfg_span {
	size_t off;
	size_t len;
	unsigned line;
};

struct cfg_hooks {
	void *arg;
	/* -ENOENT: err lists the schedulers that are ("loaded: dh, rr"). */
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
	/* A key of a [virtual_server] that is no virtual_server key: an
	 * option of scheduler sched? */
	int (*sched_option)(void *arg, const char *sched, const char *key,
			    const char *value, char *err, size_t errlen);
};

#endif
