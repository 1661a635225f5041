/* httpparse.h — a pure, incremental parser of one HTTP/1.x response, as the
 * HTTP_GET checker reads it from the socket: status line, the headers that
 * frame the body (Content-Length, Transfer-Encoding: chunked), the body and
 * its MD5. No I/O, no allocation; bytes go in, a verdict comes out.
 *
 * The digest is over the entity body as the application sent it: chunked
 * framing is removed first (so it is what `curl URL | md5sum` prints, and
 * what keepalived's genhash prints for every non-chunked answer). Interim
 * 1xx answers are skipped. Everything the peer sends counts against `max`
 * bytes; more is an error (HTTPPARSE_TOO_BIG). */
#ifndef LVSD_CHECK_HTTPPARSE_H
#define LVSD_CHECK_HTTPPARSE_H

#include <stddef.h>
#include <stdint.h>

#include "md5.h"

#define HTTPPARSE_LINE_MAX 8192 /* longest status, header or chunk line */
/* The bytes of a line kept for judging it: the status line, a chunk size
 * and Content-Length/Transfer-Encoding are judged from their first
 * HTTPPARSE_LINE_KEEP bytes (a longer one of those two headers is BAD);
 * the rest of a longer line (a big cookie) is counted, not kept. */
#define HTTPPARSE_LINE_KEEP 512

enum httpparse_rc {
	HTTPPARSE_MORE = 0,     /* feed more (or call _eof on close) */
	HTTPPARSE_COMPLETE = 1, /* the whole answer is in */
	HTTPPARSE_FAIL = -1,    /* see .err and .why */
};

enum httpparse_err {
	HTTPPARSE_OK = 0,
	HTTPPARSE_TRUNCATED, /* the peer closed before a full answer */
	HTTPPARSE_BAD,       /* not HTTP, or broken framing */
	HTTPPARSE_TOO_BIG,   /* more than max bytes */
};

enum httpparse_state {
	HP_STATUS = 0, HP_HEADER, HP_BODY_LEN, HP_BODY_EOF, HP_CHUNK_SIZE,
	HP_CHUNK_DATA, HP_CHUNK_END, HP_TRAILER, HP_DONE, HP_ERROR,
};

struct httpparse {
	enum httpparse_state state;
	size_t max;            /* bytes allowed in all */
	size_t total;          /* bytes seen */
	int want_digest;       /* hash the body */
	/* the final answer's status line */
	int major, minor, status;
	int head_done;         /* its headers are complete */
	/* framing */
	int chunked;
	int te;                 /* a Transfer-Encoding header was seen */
	int64_t content_length; /* -1: not given */
	uint64_t remain;        /* of the body or the current chunk */
	uint64_t body_len;      /* entity bytes seen */
	struct md5 md5;
	/* why it failed */
	enum httpparse_err err;
	const char *why;        /* static text: "bad status line" */
	/* the line being assembled: its first bytes, its whole length */
	size_t line_len;       /* kept, <= HTTPPARSE_LINE_KEEP */
	size_t line_full;      /* seen, <= HTTPPARSE_LINE_MAX */
	int line_nul;          /* it has a NUL byte */
	char line_last;        /* its last byte so far */
	char line[HTTPPARSE_LINE_KEEP];
};

/* max: the byte limit (status, headers, body and framing together). */
void httpparse_init(struct httpparse *p, size_t max, int want_digest);
/* Feed the next len bytes. Bytes after a complete answer are ignored. */
enum httpparse_rc httpparse_feed(struct httpparse *p, const void *buf,
				 size_t len);
/* The peer closed: complete if the body ran to the close (no framing) or
 * was already complete, else FAIL with HTTPPARSE_TRUNCATED. */
enum httpparse_rc httpparse_eof(struct httpparse *p);
/* The body's MD5 (want_digest set, answer complete). */
void httpparse_digest(struct httpparse *p, uint8_t out[16]);

#endif
