/* test_httpparse.c — the HTTP_GET checker's response parser and MD5:
 * status lines, framing (Content-Length, chunked, to the close), interim
 * answers, truncation, oversize and garbage, fed whole and byte by byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../plugins/check/http/httpparse.h"
#include "../../plugins/check/http/md5.h"

static void hex_of(const void *data, size_t len, char out[33])
{
	struct md5 m;
	uint8_t d[16];

	md5_init(&m);
	md5_update(&m, data, len);
	md5_final(&m, d);
	md5_hex(d, out);
}

static void test_md5_vectors(void **st)
{
	char h[33];
	char *a = malloc(1000000);
	struct md5 m;
	uint8_t d[16];

	(void)st;
	hex_of("", 0, h);
	assert_string_equal(h, "d41d8cd98f00b204e9800998ecf8427e");
	hex_of("abc", 3, h);
	assert_string_equal(h, "900150983cd24fb0d6963f7d28e17f72");
	hex_of("The quick brown fox jumps over the lazy dog", 43, h);
	assert_string_equal(h, "9e107d9d372bb6826bd81d3542a419d6");
	hex_of("12345678901234567890123456789012345678901234567890123456789012345678901234567890",
	       80, h);
	assert_string_equal(h, "57edf4a22be3c955ac49da2e2107b67a");
	/* a million 'a', in uneven pieces */
	assert_non_null(a);
	memset(a, 'a', 1000000);
	md5_init(&m);
	for (size_t off = 0, step = 1; off < 1000000; off += step, step = step * 3 % 997 + 1)
		md5_update(&m, a + off, off + step > 1000000 ? 1000000 - off : step);
	md5_final(&m, d);
	md5_hex(d, h);
	assert_string_equal(h, "7707d6ae4e027c70eea2a935c2296f21");
	free(a);
}

/* Parse text whole, then byte by byte; both must agree. Returns the
 * final rc (after eof if the answer was not complete and eof is set). */
static enum httpparse_rc parse2(const char *text, size_t len, size_t max,
				int eof, struct httpparse *out)
{
	static struct httpparse a, b;
	enum httpparse_rc ra, rb = HTTPPARSE_MORE;

	httpparse_init(&a, max, 1);
	ra = httpparse_feed(&a, text, len);
	if (ra == HTTPPARSE_MORE && eof)
		ra = httpparse_eof(&a);
	httpparse_init(&b, max, 1);
	for (size_t i = 0; i < len && rb == HTTPPARSE_MORE; i++)
		rb = httpparse_feed(&b, text + i, 1);
	if (rb == HTTPPARSE_MORE && eof)
		rb = httpparse_eof(&b);
	assert_int_equal(ra, rb);
	assert_int_equal(a.status, b.status);
	assert_int_equal(a.err, b.err);
	if (ra == HTTPPARSE_COMPLETE) {
		uint8_t da[16], db[16];

		httpparse_digest(&a, da);
		httpparse_digest(&b, db);
		assert_memory_equal(da, db, 16);
	}
	*out = a;
	return ra;
}

#define P(text, max, eof, out) parse2(text, sizeof(text) - 1, max, eof, out)

static void body_md5(struct httpparse *p, char h[33])
{
	uint8_t d[16];

	httpparse_digest(p, d);
	md5_hex(d, h);
}

static void test_content_length(void **st)
{
	struct httpparse p;
	char h[33];

	(void)st;
	assert_int_equal(P("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
			   "Content-Length: 3\r\n\r\nabc", 1 << 20, 0, &p),
			 HTTPPARSE_COMPLETE);
	assert_int_equal(p.status, 200);
	assert_int_equal(p.major, 1);
	assert_int_equal(p.minor, 0);
	body_md5(&p, h);
	assert_string_equal(h, "900150983cd24fb0d6963f7d28e17f72");
	/* bytes after the body are ignored */
	assert_int_equal(P("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcJUNK",
			   1 << 20, 0, &p), HTTPPARSE_COMPLETE);
	body_md5(&p, h);
	assert_string_equal(h, "900150983cd24fb0d6963f7d28e17f72");
	/* case-insensitive names, blanks around the value, bare LF */
	assert_int_equal(P("HTTP/1.1 503 Service Unavailable\ncontent-LENGTH:\t 0 \n\n",
			   1 << 20, 0, &p), HTTPPARSE_COMPLETE);
	assert_int_equal(p.status, 503);
	/* no reason phrase */
	assert_int_equal(P("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n", 1 << 20, 0, &p),
			 HTTPPARSE_COMPLETE);
	assert_int_equal(p.status, 404);
}

static void test_to_close(void **st)
{
	struct httpparse p;
	char h[33];

	(void)st;
	assert_int_equal(P("HTTP/1.0 200 OK\r\n\r\nabc", 1 << 20, 0, &p), HTTPPARSE_MORE);
	assert_true(p.head_done);
	assert_int_equal(P("HTTP/1.0 200 OK\r\n\r\nabc", 1 << 20, 1, &p),
			 HTTPPARSE_COMPLETE);
	body_md5(&p, h);
	assert_string_equal(h, "900150983cd24fb0d6963f7d28e17f72");
	/* a coding other than chunked runs to the close, CL or not */
	assert_int_equal(P("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n"
			   "Content-Length: 1\r\n\r\nabc", 1 << 20, 1, &p),
			 HTTPPARSE_COMPLETE);
	assert_int_equal(p.body_len, 3);
}

static void test_chunked(void **st)
{
	struct httpparse p;
	char h[33];

	(void)st;
	assert_int_equal(P("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
			   "1\r\na\r\n2;ext=1\r\nbc\r\n0\r\nX-Trailer: y\r\n\r\n",
			   1 << 20, 0, &p), HTTPPARSE_COMPLETE);
	body_md5(&p, h);
	assert_string_equal(h, "900150983cd24fb0d6963f7d28e17f72");
	/* chunked wins over Content-Length; "gzip, chunked" is chunked */
	assert_int_equal(P("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n"
			   "Transfer-Encoding: gzip, Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
			   1 << 20, 0, &p), HTTPPARSE_COMPLETE);
	assert_int_equal(p.body_len, 3);
	assert_int_equal(P("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
			   "zz\r\n", 1 << 20, 0, &p), HTTPPARSE_FAIL);
	assert_int_equal(p.err, HTTPPARSE_BAD);
	assert_int_equal(P("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
			   "3\r\nabcX\r\n", 1 << 20, 0, &p), HTTPPARSE_FAIL);
	assert_int_equal(p.err, HTTPPARSE_BAD);
	assert_int_equal(P("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
			   "3\r\nab", 1 << 20, 1, &p), HTTPPARSE_FAIL);
	assert_int_equal(p.err, HTTPPARSE_TRUNCATED);
}

static void test_interim_and_no_body(void **st)
{
	struct httpparse p;

	(void)st;
	assert_int_equal(P("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n"
			   "Content-Length: 2\r\n\r\nok", 1 << 20, 0, &p),
			 HTTPPARSE_COMPLETE);
	assert_int_equal(p.status, 201);
	assert_int_equal(P("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
			   1 << 20, 0, &p), HTTPPARSE_COMPLETE);
	assert_int_equal(P("HTTP/1.1 304 Not Modified\r\n\r\n", 1 << 20, 0, &p),
			 HTTPPARSE_COMPLETE);
}

static void test_truncated(void **st)
{
	struct httpparse p;

	(void)st;
	httpparse_init(&p, 100, 0);
	assert_int_equal(httpparse_eof(&p), HTTPPARSE_FAIL);
	assert_int_equal(p.err, HTTPPARSE_TRUNCATED);
	assert_string_equal(p.why, "closed without an answer");
	assert_int_equal(P("HTTP/1.1 20", 1 << 20, 1, &p), HTTPPARSE_FAIL);
	assert_int_equal(p.err, HTTPPARSE_TRUNCATED);
	assert_int_equal(P("HTTP/1.1 200 OK\r\nContent-Le", 1 << 20, 1, &p),
			 HTTPPARSE_FAIL);
	assert_int_equal(p.err, HTTPPARSE_TRUNCATED);
	assert_string_equal(p.why, "closed in the headers");
	assert_int_equal(P("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
			   1 << 20, 1, &p), HTTPPARSE_FAIL);
	assert_int_equal(p.err, HTTPPARSE_TRUNCATED);
	assert_string_equal(p.why, "closed in the body");
}

static void test_garbage(void **st)
{
	static const char *bad[] = {
		"SSH-2.0-OpenSSH_9.2\r\n",
		"HTTP/1.1 2x0 OK\r\n",
		"HTTP/1.1 200OK\r\n",
		"HTTP/2.0 200 OK\r\n",
		"HTTP/1.1 099 Low\r\n",
		"HTTP/1.1\r\n",
		"\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
	};
	struct httpparse p;

	(void)st;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse2(bad[i], strlen(bad[i]), 1 << 20, 1, &p),
				 HTTPPARSE_FAIL);
		assert_int_equal(p.err, HTTPPARSE_BAD);
		assert_non_null(p.why);
	}
	/* a NUL inside a header line */
	assert_int_equal(parse2("HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n", 26, 1 << 20, 1, &p),
			 HTTPPARSE_FAIL);
	assert_int_equal(p.err, HTTPPARSE_BAD);
	/* feeding after a failure keeps failing */
	assert_int_equal(httpparse_feed(&p, "HTTP/1.1 200 OK\r\n", 17), HTTPPARSE_FAIL);
}

static void test_oversized(void **st)
{
	struct httpparse p;
	char *big;
	size_t n = 20000;

	(void)st;
	/* Content-Length beyond the limit fails at once */
	assert_int_equal(P("HTTP/1.1 200 OK\r\nContent-Length: 2000000\r\n\r\n",
			   1 << 20, 0, &p), HTTPPARSE_FAIL);
	assert_int_equal(p.err, HTTPPARSE_TOO_BIG);
	/* a body to the close that grows past the limit */
	big = malloc(n);
	assert_non_null(big);
	memcpy(big, "HTTP/1.0 200 OK\r\n\r\n", 19);
	memset(big + 19, 'x', n - 19);
	assert_int_equal(parse2(big, n, 10000, 1, &p), HTTPPARSE_FAIL);
	assert_int_equal(p.err, HTTPPARSE_TOO_BIG);
	/* a header line longer than a line may be */
	memcpy(big, "HTTP/1.0 200 OK\r\nX: ", 20);
	memset(big + 20, 'y', n - 20);
	assert_int_equal(parse2(big, n, 1 << 20, 1, &p), HTTPPARSE_FAIL);
	assert_int_equal(p.err, HTTPPARSE_BAD);
	assert_string_equal(p.why, "line too long");
	free(big);
	/* exactly at the limit is fine, and junk after a complete answer
	 * does not count */
	assert_int_equal(P("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nokMORE", 40,
			   0, &p), HTTPPARSE_COMPLETE);
}

/* A line longer than the kept HTTPPARSE_LINE_KEEP bytes: an unknown
 * header (a big cookie) is fine, its length still counts against
 * HTTPPARSE_LINE_MAX; a NUL past the kept part still fails; a long
 * status line is judged from its start; Content-Length or
 * Transfer-Encoding longer than the kept part is BAD (not judged from a
 * cut value); a CR right past the kept part is no part of the line. */
static void test_long_lines(void **st)
{
	char *t = malloc(16384);
	struct httpparse p;
	size_t n;

	(void)st;
	assert_non_null(t);
	/* a 6000-byte cookie, then a Content-Length that frames the body */
	n = (size_t)sprintf(t, "HTTP/1.1 200 OK\r\nSet-Cookie: ");
	memset(t + n, 'c', 6000);
	n += 6000;
	n += (size_t)sprintf(t + n, "\r\nContent-Length: 2\r\n\r\nok");
	assert_int_equal(parse2(t, n, 1 << 20, 0, &p), HTTPPARSE_COMPLETE);
	assert_int_equal(p.status, 200);
	/* a NUL at byte 3000 of that cookie */
	t[40 + 3000] = '\0';
	assert_int_equal(parse2(t, n, 1 << 20, 0, &p), HTTPPARSE_FAIL);
	assert_int_equal(p.err, HTTPPARSE_BAD);
	assert_string_equal(p.why, "NUL in a header line");
	/* a status line with a long reason phrase */
	n = (size_t)sprintf(t, "HTTP/1.1 503 ");
	memset(t + n, 'r', 2000);
	n += 2000;
	n += (size_t)sprintf(t + n, "\r\nContent-Length: 0\r\n\r\n");
	assert_int_equal(parse2(t, n, 1 << 20, 0, &p), HTTPPARSE_COMPLETE);
	assert_int_equal(p.status, 503);
	/* Content-Length and Transfer-Encoding padded past the kept part */
	for (int te = 0; te < 2; te++) {
		n = (size_t)sprintf(t, "HTTP/1.1 200 OK\r\n%s:",
				    te ? "Transfer-Encoding" : "Content-Length");
		memset(t + n, ' ', 1000);
		n += 1000;
		n += (size_t)sprintf(t + n, "%s\r\n\r\n", te ? "chunked" : "2");
		assert_int_equal(parse2(t, n, 1 << 20, 0, &p), HTTPPARSE_FAIL);
		assert_int_equal(p.err, HTTPPARSE_BAD);
	}
	/* a header of exactly HTTPPARSE_LINE_KEEP bytes, its CR the next */
	n = (size_t)sprintf(t, "HTTP/1.1 200 OK\r\nContent-Length:");
	memset(t + n, ' ', HTTPPARSE_LINE_KEEP - 15);
	n += HTTPPARSE_LINE_KEEP - 15;
	t[n - 1] = '2';
	n += (size_t)sprintf(t + n, "\r\n\r\nok");
	assert_int_equal(parse2(t, n, 1 << 20, 0, &p), HTTPPARSE_COMPLETE);
	assert_int_equal(p.content_length, 2);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_md5_vectors),
		cmocka_unit_test(test_content_length),
		cmocka_unit_test(test_to_close),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_interim_and_no_body),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_long_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
