/* agentparse.h — the AGENT checker's reply parser (HAProxy's agent-check
 * protocol): one line of words such as "75%", "weight:20", "drain", "up",
 * "down", "ready", with an optional "#text". Pure: no I/O, no host API,
 * so it is unit-tested and fuzzed on its own. */
#ifndef LVSD_AGENTPARSE_H
#define LVSD_AGENTPARSE_H

#include <stddef.h>
#include <stdint.h>

#include <lvsd/plugin.h>

#define AGENT_LINE_MAX 512 /* with its newline; longer is oversized */

/* Collects the reply up to its first newline. */
struct agent_line {
	char buf[AGENT_LINE_MAX + 1];
	size_t n;
};

enum agent_feed_rc {
	AGENT_MORE = 0,     /* no newline yet */
	AGENT_LINE = 1,     /* a whole line is in buf (without "\n", "\r\n") */
	AGENT_TOO_LONG = 2, /* AGENT_LINE_MAX bytes without a newline */
};

void agent_line_init(struct agent_line *l);
/* Feed bytes as they arrive; the bytes after the newline are ignored. */
enum agent_feed_rc agent_line_feed(struct agent_line *l, const void *data,
				   size_t len);
/* The peer closed: what was collected is the line (AGENT_LINE), unless
 * nothing came (AGENT_MORE: no answer). */
enum agent_feed_rc agent_line_eof(struct agent_line *l);

/* What one reply says. Words it lacks leave the matching field unset. */
struct agent_reply {
	int has_factor;              /* "N%" or "weight:N" was given */
	double factor;               /* in [0,1] (capped: 150% counts as 1) */
	enum lvsd_agent_hint hint;   /* the last state word, NONE if none */
	char text[64];               /* after '#', trimmed; "" if none */
};

/* Parse one line (no newline) of len bytes. config_weight turns
 * "weight:N" into N / config_weight. Returns 0, or -EINVAL with the
 * reason in err (an empty reply, an unknown word, a bad number, a control
 * character). Words are separated by blanks or commas, case does not
 * matter; of several state words or factors the last counts. */
int agent_parse(const char *line, size_t len, uint32_t config_weight,
		struct agent_reply *out, char *err, size_t errlen);

#endif
