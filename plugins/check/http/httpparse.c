/* httpparse.c — incremental HTTP/1.x response parser (see httpparse.h). */
#include "httpparse.h"

#include <stddef.h>
#include <string.h>

static enum httpparse_rc fail(struct httpparse *p, enum httpparse_err e,
			      const char *why)
{
	p->state = HP_ERROR;
	p->err = e;
	p->why = why;
	return HTTPPARSE_FAIL;
}

void httpparse_init(struct httpparse *p, size_t max, int want_digest)
{
	/* Everything but the line buffer. */
	memset(p, 0, offsetof(struct httpparse, line));
	p->max = max;
	p->want_digest = want_digest;
	p->content_length = -1;
	if (want_digest)
		md5_init(&p->md5);
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int hexval(int c)
{
	if (is_digit(c))
		return c - '0';
	c = lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Case-insensitive: does the line start with the header name `h` and a
 * colon? Returns the value with leading blanks skipped, or NULL. */
static const char *header_value(const char *line, size_t len, const char *h,
				size_t *vlen)
{
	size_t n = strlen(h), i;

	if (len <= n || line[n] != ':')
		return NULL;
	for (i = 0; i < n; i++)
		if (lower((unsigned char)line[i]) != h[i])
			return NULL;
	for (i = n + 1; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	*vlen = len - i;
	while (*vlen && (line[i + *vlen - 1] == ' ' || line[i + *vlen - 1] == '\t'))
		(*vlen)--;
	return line + i;
}

/* "HTTP/1.1 200 OK", "HTTP/1.0 503" */
static enum httpparse_rc status_line(struct httpparse *p, const char *l,
				     size_t len)
{
	if (len < 12 || memcmp(l, "HTTP/", 5) != 0)
		return fail(p, HTTPPARSE_BAD, "not an HTTP answer");
	if (!is_digit(l[5]) || l[6] != '.' || !is_digit(l[7]) || l[8] != ' ' ||
	    !is_digit(l[9]) || !is_digit(l[10]) || !is_digit(l[11]) ||
	    (len > 12 && l[12] != ' '))
		return fail(p, HTTPPARSE_BAD, "bad status line");
	p->major = l[5] - '0';
	p->minor = l[7] - '0';
	if (p->major != 1)
		return fail(p, HTTPPARSE_BAD, "not HTTP/1.x");
	p->status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
	if (p->status < 100)
		return fail(p, HTTPPARSE_BAD, "bad status code");
	p->chunked = 0;
	p->te = 0;
	p->content_length = -1;
	p->state = HP_HEADER;
	return HTTPPARSE_MORE;
}

static enum httpparse_rc header_line(struct httpparse *p, const char *l,
				     size_t len, int cut)
{
	const char *v;
	size_t vlen;

	if (len == 0) { /* end of the headers */
		if (p->status < 200) { /* interim (100 Continue): next one */
			p->state = HP_STATUS;
			return HTTPPARSE_MORE;
		}
		p->head_done = 1;
		if (p->status == 204 || p->status == 304) {
			p->state = HP_DONE;
		} else if (p->chunked) {
			p->state = HP_CHUNK_SIZE;
		} else if (p->content_length >= 0 && !p->te) {
			p->remain = (uint64_t)p->content_length;
			p->state = p->remain ? HP_BODY_LEN : HP_DONE;
		} else {
			p->state = HP_BODY_EOF;
		}
		return p->state == HP_DONE ? HTTPPARSE_COMPLETE : HTTPPARSE_MORE;
	}
	if (l[0] == ' ' || l[0] == '\t') /* obsolete line folding: ignore */
		return HTTPPARSE_MORE;
	if ((v = header_value(l, len, "content-length", &vlen))) {
		uint64_t n = 0;

		if (cut)
			return fail(p, HTTPPARSE_BAD, "Content-Length line too long");
		if (!vlen)
			return fail(p, HTTPPARSE_BAD, "bad Content-Length");
		for (size_t i = 0; i < vlen; i++) {
			if (!is_digit(v[i]))
				return fail(p, HTTPPARSE_BAD, "bad Content-Length");
			n = n * 10 + (uint64_t)(v[i] - '0');
			if (n > p->max)
				return fail(p, HTTPPARSE_TOO_BIG, "oversized answer");
		}
		if (p->content_length >= 0 && (uint64_t)p->content_length != n)
			return fail(p, HTTPPARSE_BAD, "conflicting Content-Length");
		p->content_length = (int64_t)n;
	} else if ((v = header_value(l, len, "transfer-encoding", &vlen))) {
		/* chunked must be the last coding; any other coding runs
		 * to the close, whatever Content-Length says (RFC 9112 6.3). */
		static const char ch[] = "chunked";

		if (cut)
			return fail(p, HTTPPARSE_BAD, "Transfer-Encoding line too long");
		p->chunked = vlen >= 7;
		for (size_t i = 0; p->chunked && i < 7; i++)
			if (lower((unsigned char)v[vlen - 7 + i]) != ch[i])
				p->chunked = 0;
		if (p->chunked && vlen > 7 && v[vlen - 8] != ' ' &&
		    v[vlen - 8] != ',' && v[vlen - 8] != '\t')
			p->chunked = 0;
		p->te = 1;
	}
	return HTTPPARSE_MORE;
}

static enum httpparse_rc chunk_size_line(struct httpparse *p, const char *l,
					 size_t len)
{
	uint64_t n = 0;
	size_t i;
	int d;

	for (i = 0; i < len && (d = hexval((unsigned char)l[i])) >= 0; i++) {
		n = n * 16 + (uint64_t)d;
		if (n > p->max)
			return fail(p, HTTPPARSE_TOO_BIG, "oversized answer");
	}
	if (i == 0)
		return fail(p, HTTPPARSE_BAD, "bad chunk size");
	while (i < len && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if (i < len && l[i] != ';')
		return fail(p, HTTPPARSE_BAD, "bad chunk size");
	p->remain = n;
	p->state = n ? HP_CHUNK_DATA : HP_TRAILER;
	return HTTPPARSE_MORE;
}

/* A complete line (without its CR LF) in the current state: its first
 * len bytes; cut: it was longer. */
static enum httpparse_rc line_done(struct httpparse *p, const char *l,
				   size_t len, int cut)
{
	switch (p->state) {
	case HP_STATUS:
		return status_line(p, l, len);
	case HP_HEADER:
		return header_line(p, l, len, cut);
	case HP_CHUNK_SIZE:
		return chunk_size_line(p, l, len);
	case HP_CHUNK_END:
		if (len)
			return fail(p, HTTPPARSE_BAD, "bad chunk end");
		p->state = HP_CHUNK_SIZE;
		return HTTPPARSE_MORE;
	case HP_TRAILER:
		if (len)
			return HTTPPARSE_MORE;
		p->state = HP_DONE;
		return HTTPPARSE_COMPLETE;
	default:
		return fail(p, HTTPPARSE_BAD, "internal parser state");
	}
}

static void body(struct httpparse *p, const char *b, size_t n)
{
	if (p->want_digest)
		md5_update(&p->md5, b, n);
	p->body_len += n;
}

enum httpparse_rc httpparse_feed(struct httpparse *p, const void *buf,
				 size_t len)
{
	const char *b = buf;
	enum httpparse_rc rc = HTTPPARSE_MORE;

	if (p->state == HP_DONE)
		return HTTPPARSE_COMPLETE;
	if (p->state == HP_ERROR)
		return HTTPPARSE_FAIL;
	if (len > p->max - p->total) {
		/* Parse what fits (it may complete the answer) and refuse the
		 * rest only if the answer goes on. */
		rc = httpparse_feed(p, b, p->max - p->total);
		if (rc != HTTPPARSE_MORE)
			return rc;
		return fail(p, HTTPPARSE_TOO_BIG, "oversized answer");
	}
	p->total += len;
	while (len && rc == HTTPPARSE_MORE) {
		size_t n;

		switch (p->state) {
		case HP_BODY_EOF:
			body(p, b, len);
			return HTTPPARSE_MORE;
		case HP_BODY_LEN:
		case HP_CHUNK_DATA:
			n = p->remain < len ? (size_t)p->remain : len;
			body(p, b, n);
			b += n;
			len -= n;
			p->remain -= n;
			if (!p->remain) {
				if (p->state == HP_BODY_LEN) {
					p->state = HP_DONE;
					return HTTPPARSE_COMPLETE;
				}
				p->state = HP_CHUNK_END;
			}
			continue;
		default:
			break;
		}
		/* Line states: collect up to LF. */
		const char *nl = memchr(b, '\n', len);

		n = nl ? (size_t)(nl - b) : len;
		if (p->line_full + n > HTTPPARSE_LINE_MAX)
			return fail(p, HTTPPARSE_BAD, "line too long");
		if (n) {
			size_t keep = sizeof(p->line) - p->line_len;

			keep = n < keep ? n : keep;
			memcpy(p->line + p->line_len, b, keep);
			p->line_len += keep;
			p->line_full += n;
			p->line_last = b[n - 1];
			if (memchr(b, '\0', n)) /* failed once the line is whole */
				p->line_nul = 1;
		}
		if (!nl)
			return HTTPPARSE_MORE;
		b += n + 1;
		len -= n + 1;
		{
			size_t full = p->line_full, kept = p->line_len;
			int nul = p->line_nul;

			p->line_len = p->line_full = 0;
			p->line_nul = 0;
			if (full && p->line_last == '\r') {
				full--;
				if (kept > full)
					kept = full;
			}
			if (nul)
				return fail(p, HTTPPARSE_BAD, "NUL in a header line");
			rc = line_done(p, p->line, kept, full > kept);
		}
	}
	return rc;
}

enum httpparse_rc httpparse_eof(struct httpparse *p)
{
	switch (p->state) {
	case HP_DONE:
		return HTTPPARSE_COMPLETE;
	case HP_ERROR:
		return HTTPPARSE_FAIL;
	case HP_BODY_EOF:
		p->state = HP_DONE;
		return HTTPPARSE_COMPLETE;
	case HP_STATUS:
		if (p->total == 0)
			return fail(p, HTTPPARSE_TRUNCATED, "closed without an answer");
		return fail(p, HTTPPARSE_TRUNCATED, "closed in the status line");
	case HP_HEADER:
		return fail(p, HTTPPARSE_TRUNCATED, "closed in the headers");
	default:
		return fail(p, HTTPPARSE_TRUNCATED, "closed in the body");
	}
}

void httpparse_digest(struct httpparse *p, uint8_t out[16])
{
	struct md5 m = p->md5;

	md5_final(&m, out);
}
