/* cfgstate.c — where the errors of a parse of lvsd.ini go: each one as
 * "FILE:LINE: message", sorted by line, control bytes made visible.
 */
#include "cfgstate.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cfg_err(struct parser *p, unsigned line, const char *fmt, ...)
{
	struct cfg_errors *e = p->errs;
	char msg[2048], safe[2048 * 4];
	char *full;
	va_list ap;
	size_t o = 0;
	int n;

	p->n_err++;
	if (e->n >= CFG_MAX_ERRORS) {
		e->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* The one place config errors are formatted: whatever of the file
	 * they quote (keys, values, section titles) reaches a terminal or
	 * the log with its control bytes as \xNN, never raw (ESC sequences). */
	for (const unsigned char *c = (const unsigned char *)msg; *c; c++) {
		if (*c < 0x20 || *c == 0x7f)
			o += (size_t)snprintf(safe + o, sizeof(safe) - o, "\\x%02x", *c);
		else
			safe[o++] = (char)*c;
	}
	safe[o] = '\0';
	if (line)
		n = asprintf(&full, "%s:%u: %s", p->file, line, safe);
	else
		n = asprintf(&full, "%s: %s", p->file, safe);
	if (n < 0) {
		p->oom = 1;
		return;
	}
	if (e->n == e->cap) {
		size_t ncap = e->cap ? e->cap * 2 : 16;
		struct cfg_error *nv = realloc(e->v, ncap * sizeof(*nv));

		if (!nv) {
			free(full);
			p->oom = 1;
			return;
		}
		e->v = nv;
		e->cap = ncap;
	}
	/* keep the list sorted by line; equal lines stay in order */
	size_t i = e->n;
	while (i > p->errs_base && e->v[i - 1].line > line) {
		e->v[i] = e->v[i - 1];
		i--;
	}
	e->v[i].line = line;
	e->v[i].msg = full;
	e->n++;
}

/* "KEY: expected WHAT, got 'VALUE'" */
int cfg_bad(struct parser *p, const struct entry *e, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	cfg_err(p, e->line, "%s: expected %s, got '%s'", e->key, what,
		e->value);
	return -EINVAL;
}

int cfg_nomem(struct parser *p)
{
	p->oom = 1;
	return -ENOMEM;
}

