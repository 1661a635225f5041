/* smtpreply.c — one SMTP reply, read in pieces (see smtpreply.h). */
#include <string.h>

#include "smtpreply.h"

void smtp_reply_init(struct smtp_reply *r)
{
	memset(r, 0, sizeof(*r));
}

/* One whole line (without its LF, CR stripped). 1: the last line of the
 * reply, 0: more lines follow, -1: bad. */
static int take_line(struct smtp_reply *r)
{
	const char *l = r->line;
	size_t n = r->n;
	int code;

	if (n && l[n - 1] == '\r')
		n--;
	if (n < 3 || l[0] < '2' || l[0] > '5' || l[1] < '0' || l[1] > '9' ||
	    l[2] < '0' || l[2] > '9') {
		r->why = "not an SMTP reply";
		return -1;
	}
	if (n > 3 && l[3] != ' ' && l[3] != '-') {
		r->why = "not an SMTP reply";
		return -1;
	}
	code = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
	if (r->lines && code != r->code) {
		r->why = "the lines of a reply differ in their code";
		return -1;
	}
	if (!r->lines) {
		size_t k = 0;

		r->code = code;
		for (size_t i = 4; i < n && k + 1 < sizeof(r->text); i++)
			r->text[k++] = (l[i] >= ' ' && l[i] < 0x7f) ? l[i] : '?';
		r->text[k] = '\0';
	}
	r->lines++;
	return n > 3 && l[3] == '-' ? 0 : 1;
}

enum smtp_rc smtp_reply_feed(struct smtp_reply *r, const char *buf, size_t len,
			     size_t *used)
{
	size_t i;

	*used = 0;
	if (r->why)
		return SMTP_BAD;
	for (i = 0; i < len; i++) {
		char c = buf[i];
		int last;

		if (++r->total > SMTP_REPLY_MAX) {
			r->why = "oversized SMTP reply";
			*used = i + 1;
			return SMTP_BAD;
		}
		if (c != '\n') {
			if (r->n == sizeof(r->line)) {
				r->why = "SMTP reply line too long";
				*used = i + 1;
				return SMTP_BAD;
			}
			r->line[r->n++] = c;
			continue;
		}
		last = take_line(r);
		r->n = 0;
		*used = i + 1;
		if (last < 0)
			return SMTP_BAD;
		if (last)
			return SMTP_DONE;
	}
	*used = len;
	return SMTP_MORE;
}
