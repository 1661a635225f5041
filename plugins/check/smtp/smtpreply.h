/* smtpreply.h — the SMTP_CHECK checker's reply reader: one SMTP reply
 * (RFC 5321 §4.2), single or multi-line ("250-first", "250 last"), fed in
 * pieces as it comes off the socket. Pure: no I/O, no allocation; lines
 * and the whole reply have limits. */
#ifndef LVSD_CHECK_SMTPREPLY_H
#define LVSD_CHECK_SMTPREPLY_H

#include <stddef.h>

#define SMTP_LINE_MAX 1024    /* RFC 5321 says 512; be lenient */
#define SMTP_REPLY_MAX 16384  /* all lines of one reply */

enum smtp_rc {
	SMTP_MORE = 0,  /* feed more */
	SMTP_DONE = 1,  /* a whole reply: code and text are set */
	SMTP_BAD = -1,  /* why says what */
};

struct smtp_reply {
	int code;        /* 200..599, set when DONE */
	char text[64];   /* the first line's text, cut, printable */
	const char *why; /* SMTP_BAD: static text */
	size_t total;    /* bytes of this reply so far */
	int lines;
	size_t n;        /* bytes of the current line */
	char line[SMTP_LINE_MAX];
};

void smtp_reply_init(struct smtp_reply *r);
/* Feed len bytes; *used says how many were taken (less than len only
 * when a reply is complete: the rest belongs to the next one). */
enum smtp_rc smtp_reply_feed(struct smtp_reply *r, const char *buf, size_t len,
			     size_t *used);

#endif
