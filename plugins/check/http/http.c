/* http.c — the HTTP_GET checker: for each configured URL, connect, send a
 * GET, read the answer through httpparse.c and judge its status code and
 * (optionally) the MD5 of its body, keepalived-style. All I/O is
 * non-blocking through the host's event loop; one run checks every URL in
 * turn (one connection each) and fails on the first URL that fails.
 *
 * Options (check_option validates each; lvsd.ini(5) documents them):
 *   path = /            status_code = 200-299,301     digest = <md5 hex>
 *   url = PATH [status=CODES] [digest=HEX]     (repeatable)
 *   virtualhost = NAME  http_protocol = 1.0|1.0C|1.1  read_timeout = 3
 *   max_response = 1048576
 *
 * Built a second time with -DHTTP_TLS as the SSL_GET checker
 * (check_ssl.so): then the connection is wrapped in TLS by ../ssl/tls.c
 * (a non-blocking handshake between the connect and the request) and the
 * TLS options (ca, certificate, key, password, enable_sni, min_protocol)
 * are accepted too. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lvsd/plugin.h>

#include "../common/check.h"
#include "httpparse.h"
#include "md5.h"
#ifdef HTTP_TLS
#include "../ssl/tls.h"
#define HTTP_NAME "SSL_GET"
#else
#define HTTP_NAME "HTTP_GET"
#endif

#define HTTP_DEFAULT_MAX (1u << 20)
#ifdef HTTP_TLS
#define IS_TLS(c) ((c)->tls != NULL)
#else
#define IS_TLS(c) 0
#endif
#define HTTP_MAX_RANGES 32

struct range {
	int lo, hi;
};

struct codes {
	struct range r[HTTP_MAX_RANGES];
	size_t n;
};

struct url {
	char *path;
	const struct range *codes; /* n_codes of them: http_200s or owned */
	size_t n_codes;
	int has_digest;
	uint8_t digest[16];
	char *req;      /* the whole request, built once */
	size_t req_len;
};

enum phase { IDLE, CONNECTING, HANDSHAKE, SENDING, READING };

struct http_check {
	struct conn_check b; /* first: the socket, io watch, timer, start */
	struct url *urls;
	size_t n_urls;
	uint32_t read_timeout_ms;
	size_t max;
	/* the run in flight */
	enum phase phase;
	int et;                 /* the watch is edge-triggered (IN|OUT) */
	size_t cur;
	size_t sent;
	uint64_t timer_due_us;  /* when the timer fires */
	uint64_t read_due_us;   /* the read deadline, 0 before connecting */
	struct httpparse *hp;   /* from the pool while a run is in flight */
#ifdef HTTP_TLS
	struct tls_conf *tls;
	struct tls_conn *tc;
#endif
};

/* ------------------------------------------------------------ options */

/* "200", "200-299,301", "200-299 400-499 503" */
static int parse_codes(const char *s, struct codes *c, char *err, size_t len)
{
	const char *p = s;

	c->n = 0;
	while (*p) {
		long lo, hi;
		char *end;

		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (*p < '0' || *p > '9')
			goto bad;
		lo = strtol(p, &end, 10);
		hi = lo;
		p = end;
		if (*p == '-') {
			p++;
			if (*p < '0' || *p > '9')
				goto bad;
			hi = strtol(p, &end, 10);
			p = end;
		}
		if (*p && *p != ' ' && *p != ',' && *p != '\t')
			goto bad;
		if (lo < 100 || hi > 599 || lo > hi) {
			snprintf(err, len, "status code range %ld-%ld: codes are 100..599, low to high",
				 lo, hi);
			return -EINVAL;
		}
		if (c->n == HTTP_MAX_RANGES) {
			snprintf(err, len, "more than %d status code ranges", HTTP_MAX_RANGES);
			return -EINVAL;
		}
		c->r[c->n].lo = (int)lo;
		c->r[c->n].hi = (int)hi;
		c->n++;
	}
	if (c->n)
		return 0;
bad:
	snprintf(err, len, "bad status codes '%s' (e.g. 200, 200-299,301)", s);
	return -EINVAL;
}

static int codes_match(const struct url *u, int status)
{
	for (size_t i = 0; i < u->n_codes; i++)
		if (status >= u->codes[i].lo && status <= u->codes[i].hi)
			return 1;
	return 0;
}

/* The default status codes, shared by every URL that has them. */
static const struct range http_200s[] = { { 200, 299 } };

/* u's codes: the shared default, else an exact copy of c. 0 or -ENOMEM. */
static int set_codes(struct url *u, const struct codes *c)
{
	struct range *r;

	if (u->codes != http_200s)
		free((void *)u->codes);
	u->codes = NULL;
	u->n_codes = 0;
	if (c->n == 1 && c->r[0].lo == 200 && c->r[0].hi == 299) {
		u->codes = http_200s;
		u->n_codes = 1;
		return 0;
	}
	if (!(r = malloc(c->n * sizeof(*r))))
		return -ENOMEM;
	memcpy(r, c->r, c->n * sizeof(*r));
	u->codes = r;
	u->n_codes = c->n;
	return 0;
}

static int parse_digest(const char *s, uint8_t out[16], char *err, size_t len)
{
	for (int i = 0; i < 32; i++) {
		int c = s[i], v;

		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			goto bad;
		if (i & 1)
			out[i / 2] |= (uint8_t)v;
		else
			out[i / 2] = (uint8_t)(v << 4);
	}
	if (s[32] == '\0')
		return 0;
bad:
	snprintf(err, len, "bad digest '%s' (32 hex digits, as genhash or md5sum print)", s);
	return -EINVAL;
}

/* A path or a host name: printable, no blanks. */
static int token_ok(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return 0;
	return 1;
}

static int parse_path(const char *s, size_t n, char *err, size_t len)
{
	if (n && s[0] == '/' && token_ok(s, n))
		return 0;
	snprintf(err, len, "bad path '%.*s' (it starts with '/' and has no blanks)",
		 (int)n, s);
	return -EINVAL;
}

/* "url = PATH [status=CODES] [digest=HEX]"; u may be NULL (validation). */
static int parse_url(const char *v, struct url *u, char *err, size_t len)
{
	char tok[1024];
	const char *p = v;
	size_t n;
	int first = 1, r;

	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		for (n = 0; p[n] && p[n] != ' ' && p[n] != '\t'; n++)
			;
		if (n >= sizeof(tok)) {
			snprintf(err, len, "a word longer than %zu bytes", sizeof(tok) - 1);
			return -EINVAL;
		}
		memcpy(tok, p, n);
		tok[n] = '\0';
		p += n;
		if (first) {
			if ((r = parse_path(tok, n, err, len)) < 0)
				return r;
			if (u && !(u->path = strdup(tok)))
				return -ENOMEM;
			first = 0;
		} else if (strncmp(tok, "status=", 7) == 0) {
			struct codes c;

			if ((r = parse_codes(tok + 7, &c, err, len)) < 0)
				return r;
			if (u && set_codes(u, &c) < 0)
				return -ENOMEM;
		} else if (strncmp(tok, "digest=", 7) == 0) {
			uint8_t d[16];

			if ((r = parse_digest(tok + 7, d, err, len)) < 0)
				return r;
			if (u) {
				memcpy(u->digest, d, 16);
				u->has_digest = 1;
			}
		} else {
			snprintf(err, len, "unknown word '%s' (PATH [status=CODES] [digest=HEX])",
				 tok);
			return -EINVAL;
		}
	}
	if (first) {
		snprintf(err, len, "a path is needed (PATH [status=CODES] [digest=HEX])");
		return -EINVAL;
	}
	return 0;
}

static int parse_proto(const char *v)
{
	if (strcmp(v, "1.0") == 0)
		return 10;
	if (strcmp(v, "1.0C") == 0 || strcmp(v, "1.0c") == 0)
		return 9; /* 1.0 with Connection: close */
	if (strcmp(v, "1.1") == 0)
		return 11;
	return -1;
}

static int http_check_option(void *plugin, const char *key, const char *value,
			     char *err, size_t len)
{
	struct codes c;
	uint8_t d[16];
	uint32_t ms;

	(void)plugin;
#ifdef HTTP_TLS
	int r = tls_option(key, value, err, len);

	if (r != -ENOENT)
		return r;
#endif
	if (strcmp(key, "path") == 0)
		return parse_path(value, strlen(value), err, len);
	if (strcmp(key, "status_code") == 0)
		return parse_codes(value, &c, err, len);
	if (strcmp(key, "digest") == 0)
		return parse_digest(value, d, err, len);
	if (strcmp(key, "url") == 0)
		return parse_url(value, NULL, err, len);
	if (strcmp(key, "virtualhost") == 0) {
		if (token_ok(value, strlen(value)) && strlen(value) < 256)
			return 0;
		snprintf(err, len, "bad virtualhost '%s' (a host name, no blanks)", value);
		return -EINVAL;
	}
	if (strcmp(key, "http_protocol") == 0) {
		if (parse_proto(value) > 0)
			return 0;
		snprintf(err, len, "bad http_protocol '%s' (1.0, 1.0C or 1.1)", value);
		return -EINVAL;
	}
	if (strcmp(key, "read_timeout") == 0) {
		if (conn_parse_ms(value, &ms) == 0)
			return 0;
		snprintf(err, len, "bad read_timeout '%s' (seconds, e.g. 3, 1.5, 500ms)", value);
		return -EINVAL;
	}
	if (strcmp(key, "max_response") == 0) {
		char *end;
		unsigned long long v = strtoull(value, &end, 10);

		if (value[0] >= '0' && value[0] <= '9' && !*end && v >= 1024 &&
		    v <= 64ull << 20)
			return 0;
		snprintf(err, len, "bad max_response '%s' (bytes, 1024..67108864)", value);
		return -EINVAL;
	}
	snprintf(err, len, HTTP_NAME " has no option '%s' (path, status_code, digest, "
		 "url, virtualhost, http_protocol, read_timeout, max_response%s)", key,
#ifdef HTTP_TLS
		 ", ca, certificate, key, password, enable_sni, min_protocol"
#else
		 ""
#endif
		 );
	return -ENOENT;
}

/* ------------------------------------------------------------- create */

static void free_urls(struct http_check *c)
{
	for (size_t i = 0; i < c->n_urls; i++) {
		free(c->urls[i].path);
		free(c->urls[i].req);
		if (c->urls[i].codes != http_200s)
			free((void *)c->urls[i].codes);
	}
	free(c->urls);
	c->urls = NULL;
	c->n_urls = 0;
}

static int build_request(struct url *u, int proto, const char *host)
{
	const char *ver = proto == 11 ? "1.1" : "1.0";
	const char *conn = proto == 10 ? "" : "Connection: close\r\n";
	int n = snprintf(NULL, 0, "GET %s HTTP/%s\r\nUser-Agent: lvsd-check\r\n"
			 "Host: %s\r\n%s\r\n", u->path, ver, host, conn);

	if (n < 0 || !(u->req = malloc((size_t)n + 1)))
		return -ENOMEM;
	snprintf(u->req, (size_t)n + 1, "GET %s HTTP/%s\r\nUser-Agent: lvsd-check\r\n"
		 "Host: %s\r\n%s\r\n", u->path, ver, host, conn);
	u->req_len = (size_t)n;
	return 0;
}

/* The Host header: virtualhost as written (add ":PORT" to it if the
 * server wants one), else the target's address with its port unless 80. */
static void host_header(const struct lvsd_check_target *t, const char *vhost,
			char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "";

	if (vhost) {
		snprintf(buf, len, "%s", vhost);
		return;
	}
	if (t->addr.family == AF_INET6) {
		inet_ntop(AF_INET6, &t->addr.u.v6, a, sizeof(a));
		snprintf(buf, len, "[%s]", a);
	} else {
		inet_ntop(AF_INET, &t->addr.u.v4, a, sizeof(a));
		snprintf(buf, len, "%s", a);
	}
	if (t->port != 80) {
		size_t l = strlen(buf);

		snprintf(buf + l, len - l, ":%u", t->port);
	}
}

static int http_create(void *plugin, struct lvsd_check *check,
		       const struct lvsd_check_target *target,
		       const struct lvsd_kv *opts, size_t n_opts, void **state)
{
	struct conn_plugin *p = plugin;
	struct http_check *c = calloc(1, sizeof(*c));
	const char *path = NULL, *vhost = NULL;
	struct codes defcodes = { .r = { { 200, 299 } }, .n = 1 };
	uint8_t digest[16];
	int has_digest = 0, proto = 10, r = -ENOMEM;
	size_t n_url_opts = 0, k;
	char err[256], host[300];

	if (!c)
		return -ENOMEM;
	conn_check_init(&c->b, p->host, check, target);
	c->read_timeout_ms = c->b.t.connect_timeout_ms;
	c->max = HTTP_DEFAULT_MAX;
	for (size_t i = 0; i < n_opts; i++) {
		const char *key = opts[i].key, *v = opts[i].value;

		r = -EINVAL;
		if (http_check_option(plugin, key, v, err, sizeof(err)) < 0)
			goto fail;
		if (strcmp(key, "path") == 0)
			path = v;
		else if (strcmp(key, "status_code") == 0)
			parse_codes(v, &defcodes, err, sizeof(err));
		else if (strcmp(key, "digest") == 0)
			has_digest = parse_digest(v, digest, err, sizeof(err)) == 0;
		else if (strcmp(key, "url") == 0)
			n_url_opts++;
		else if (strcmp(key, "virtualhost") == 0)
			vhost = v;
		else if (strcmp(key, "http_protocol") == 0)
			proto = parse_proto(v);
		else if (strcmp(key, "read_timeout") == 0)
			conn_parse_ms(v, &c->read_timeout_ms);
		else if (strcmp(key, "max_response") == 0)
			c->max = (size_t)strtoull(v, NULL, 10);
	}
	/* The plain path/digest URL: when written, or when no url = is. */
	r = -ENOMEM;
	c->n_urls = n_url_opts + ((path || has_digest || !n_url_opts) ? 1 : 0);
	if (!(c->urls = calloc(c->n_urls, sizeof(*c->urls))))
		goto fail;
	k = 0;
	if (path || has_digest || !n_url_opts) {
		struct url *u = &c->urls[k++];

		if (!(u->path = strdup(path ? path : "/")))
			goto fail;
		if (set_codes(u, &defcodes) < 0)
			goto fail;
		u->has_digest = has_digest;
		if (has_digest)
			memcpy(u->digest, digest, 16);
	}
	for (size_t i = 0; i < n_opts; i++) {
		if (strcmp(opts[i].key, "url") != 0)
			continue;
		r = set_codes(&c->urls[k], &defcodes);
		if (r < 0)
			goto fail;
		r = parse_url(opts[i].value, &c->urls[k++], err, sizeof(err));
		if (r < 0)
			goto fail;
	}
	host_header(&c->b.t, vhost, host, sizeof(host));
#ifdef HTTP_TLS
	r = tls_conf_new(opts, n_opts, vhost, &c->b.t, &c->tls, err, sizeof(err));
	if (r < 0)
		goto fail;
#endif
	r = -ENOMEM;
	for (k = 0; k < c->n_urls; k++)
		if (build_request(&c->urls[k], proto, host) < 0)
			goto fail;
	*state = c;
	return 0;
fail:
	if (r == -EINVAL)
		p->host->log(p->host->host, LVSD_LOG_ERR, "refused option: %s", err);
	free_urls(c);
#ifdef HTTP_TLS
	tls_conf_free(c->tls);
#endif
	free(c);
	return r;
}

/* ---------------------------------------------------------------- run */

/* The parser state of a run (8 KiB for its line buffer) is lent from a
 * pool for the run's time only: a check between runs holds none, and
 * once the pool has as many as run at once, a run allocates nothing.
 * Up to HTTP_POOL_KEEP idle ones are kept. Loop thread only. */
#define HTTP_POOL_KEEP 16
static struct httpparse *hp_pool[HTTP_POOL_KEEP];
static size_t hp_pooled;

static struct httpparse *hp_get(void)
{
	return hp_pooled ? hp_pool[--hp_pooled] : malloc(sizeof(struct httpparse));
}

static void hp_put(struct httpparse *hp)
{
	if (!hp)
		return;
	if (hp_pooled < HTTP_POOL_KEEP)
		hp_pool[hp_pooled++] = hp;
	else
		free(hp);
}

__attribute__((destructor)) static void hp_pool_free(void)
{
	while (hp_pooled)
		free(hp_pool[--hp_pooled]);
}

/* The detail of the report being made: written just before http_report,
 * which hands it to the core (that copies it) at once. */
static char http_detail[256];

/* Drop the TLS session (SSL_GET) ahead of the socket under it. */
static void http_idle(struct http_check *c)
{
#ifdef HTTP_TLS
	tls_conn_free(c->tc);
	c->tc = NULL;
#endif
	c->phase = IDLE;
	c->et = 0;
}

static void http_close(struct http_check *c)
{
	hp_put(c->hp);
	c->hp = NULL;
	http_idle(c);
	conn_check_close(&c->b);
}

static void http_report(struct http_check *c, enum lvsd_check_outcome o)
{
	struct lvsd_check_result r = {
		.size = sizeof(r), .outcome = o, .detail = http_detail,
		.http_status = c->hp ? c->hp->status : 0,
	};

	hp_put(c->hp);
	c->hp = NULL;
	http_idle(c);
	conn_check_finish(&c->b, &r);
}

/* " for /health" when there is more than one URL to tell apart. */
static const char *which(const struct http_check *c, char *buf, size_t len)
{
	if (c->n_urls < 2)
		return "";
	snprintf(buf, len, " for %.100s", c->urls[c->cur].path);
	return buf;
}

static void fail_errno(struct http_check *c, const char *where, int err)
{
	char w[128];

#ifdef HTTP_TLS
	if (err == EPROTO && c->tc) { /* an alert, a bad record... */
		snprintf(http_detail, sizeof(http_detail), "TLS error: %s%s",
			 tls_why(c->tc), which(c, w, sizeof(w)));
		http_report(c, LVSD_CHECK_BAD_RESPONSE);
		return;
	}
#endif
	if (err == ECONNREFUSED) {
		snprintf(http_detail, sizeof(http_detail), "connection refused%s",
			 which(c, w, sizeof(w)));
		http_report(c, LVSD_CHECK_CONNECT_REFUSED);
	} else if (err == ECONNRESET || err == EPIPE) {
		snprintf(http_detail, sizeof(http_detail), "connection reset%s",
			 which(c, w, sizeof(w)));
		http_report(c, LVSD_CHECK_CLOSED);
	} else {
		snprintf(http_detail, sizeof(http_detail), "%s: %s%s", where,
			 strerror(err), which(c, w, sizeof(w)));
		http_report(c, LVSD_CHECK_NETWORK);
	}
}

static void on_timeout(void *arg);

/* One timer per URL: armed for the connect timeout; once connected it is
 * moved to the read deadline only if that comes earlier, else it is left
 * alone and re-armed for the rest when it fires (saving a timer_del and a
 * timer_add per check). */
static void arm(struct http_check *c, uint64_t due_us)
{
	uint64_t now = c->b.host->now_us(c->b.host->host);

	c->timer_due_us = due_us;
	c->b.timer = c->b.host->timer_add(c->b.host->host,
				      due_us > now ? (due_us - now + 999) / 1000 : 0,
				      on_timeout, c);
}

static void connected(struct http_check *c)
{
	c->read_due_us = c->b.host->now_us(c->b.host->host) +
			 (uint64_t)c->read_timeout_ms * 1000u;
	if (c->read_due_us < c->timer_due_us) {
		c->b.host->timer_del(c->b.host->host, c->b.timer);
		arm(c, c->read_due_us);
	}
}

static void on_timeout(void *arg)
{
	struct http_check *c = arg;
	char d[32], w[128];

	c->b.timer = NULL; /* the loop frees it */
	if (c->phase == CONNECTING) {
		snprintf(http_detail, sizeof(http_detail), "connect timeout after %s%s",
			 conn_dur(c->b.t.connect_timeout_ms, d, sizeof(d)),
			 which(c, w, sizeof(w)));
		http_report(c, LVSD_CHECK_CONNECT_TIMEOUT);
		return;
	}
	if (c->b.host->now_us(c->b.host->host) + 1000 < c->read_due_us) {
		arm(c, c->read_due_us);
		return;
	}
	if (c->phase == HANDSHAKE) {
		snprintf(http_detail, sizeof(http_detail), "no TLS handshake after %s%s",
			 conn_dur(c->read_timeout_ms, d, sizeof(d)),
			 which(c, w, sizeof(w)));
		http_report(c, LVSD_CHECK_READ_TIMEOUT);
		return;
	}
	snprintf(http_detail, sizeof(http_detail), "%s after %s%s",
		 c->hp->total ? "incomplete answer" : "no answer",
		 conn_dur(c->read_timeout_ms, d, sizeof(d)),
		 which(c, w, sizeof(w)));
	http_report(c, LVSD_CHECK_READ_TIMEOUT);
}

static void on_io(void *arg, int fd, uint32_t events);

/* send(2) or read(2), on the TLS session if there is one. */
static ssize_t xsend(struct http_check *c, const void *buf, size_t len)
{
#ifdef HTTP_TLS
	uint32_t want;

	if (c->tc)
		return tls_write(c->tc, buf, len, &want);
#endif
	return send(c->b.fd, buf, len, MSG_NOSIGNAL);
}

static ssize_t xread(struct http_check *c, void *buf, size_t len)
{
#ifdef HTTP_TLS
	uint32_t want;

	if (c->tc)
		return tls_read(c->tc, buf, len, &want);
#endif
	return read(c->b.fd, buf, len);
}

/* Send what is left of the request. 1: all sent, 0: the socket is full
 * or not connected yet (wait for LVSD_IO_OUT), -1: reported. */
static int send_more(struct http_check *c)
{
	const struct url *u = &c->urls[c->cur];

	while (c->sent < u->req_len) {
		ssize_t n = xsend(c, u->req + c->sent, u->req_len - c->sent);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == ENOTCONN)
				return 0;
			fail_errno(c, c->phase == CONNECTING ? "connect" : "send", errno);
			return -1;
		}
		if (c->phase == CONNECTING) {
			c->phase = SENDING;
			connected(c);
		}
		c->sent += (size_t)n;
	}
	if (c->phase == CONNECTING)
		connected(c);
	c->phase = READING;
	return 1;
}

static void start_url(struct http_check *c)
{
	const struct url *u = &c->urls[c->cur];
	const char *where;
	int fd, r;

	if (!c->hp && !(c->hp = hp_get())) {
		snprintf(http_detail, sizeof(http_detail), "out of memory");
		http_report(c, LVSD_CHECK_INTERNAL);
		return;
	}
	httpparse_init(c->hp, c->max, u->has_digest);
	c->sent = 0;
	fd = conn_start(&c->b.t, &where);
	if (fd < 0) {
		fail_errno(c, where, -fd);
		return;
	}
	c->b.fd = fd;
	c->phase = CONNECTING;
	c->read_due_us = 0;
	arm(c, c->b.host->now_us(c->b.host->host) +
		       (uint64_t)c->b.t.connect_timeout_ms * 1000u);
	if (!c->b.timer)
		goto nores;
	if (IS_TLS(c)) { /* the handshake starts once connected */
		c->b.io = c->b.host->io_add(c->b.host->host, fd, LVSD_IO_OUT, on_io, c);
		if (c->b.io)
			return;
		goto nores;
	}
	/* On a near peer (loopback, the same LAN) the connection is often
	 * up already: send at once, and wait only for the answer. Else one
	 * edge-triggered watch for both: writable (connected, send), then
	 * readable (the answer), with no io_mod in between. */
	r = send_more(c);
	if (r < 0)
		return;
	c->et = !r;
	c->b.io = c->b.host->io_add(c->b.host->host, fd,
				r ? LVSD_IO_IN : LVSD_IO_IN | LVSD_IO_OUT | LVSD_IO_ET,
				on_io, c);
	if (c->b.io)
		return;
nores:
	snprintf(http_detail, sizeof(http_detail), "out of event-loop resources");
	http_report(c, LVSD_CHECK_INTERNAL);
}

/* The answer to the current URL is in (or enough of it): judge it, then
 * go on with the next URL or report. */
static void judge(struct http_check *c)
{
	const struct url *u = &c->urls[c->cur];
	char w[128];

	if (!codes_match(u, c->hp->status)) {
		snprintf(http_detail, sizeof(http_detail), "HTTP %d%s", c->hp->status,
			 which(c, w, sizeof(w)));
		http_report(c, LVSD_CHECK_BAD_STATUS);
		return;
	}
	if (u->has_digest) {
		uint8_t d[16];
		char hex[33];

		httpparse_digest(c->hp, d);
		if (memcmp(d, u->digest, 16) != 0) {
			md5_hex(d, hex);
			snprintf(http_detail, sizeof(http_detail),
				 "digest mismatch%s (body MD5 %s)",
				 which(c, w, sizeof(w)), hex);
			http_report(c, LVSD_CHECK_BAD_DIGEST);
			return;
		}
	}
	if (++c->cur < c->n_urls) {
		http_close(c);
		start_url(c);
		return;
	}
	c->cur--;
	/* "HTTP %d" without printf: the success path formats nothing */
	memcpy(http_detail, "HTTP 000", 9);
	http_detail[5] = (char)('0' + c->hp->status / 100 % 10);
	http_detail[6] = (char)('0' + c->hp->status / 10 % 10);
	http_detail[7] = (char)('0' + c->hp->status % 10);
	http_report(c, LVSD_CHECK_OK);
}

static void after_parse(struct http_check *c, enum httpparse_rc rc)
{
	char w[128];

	if (rc == HTTPPARSE_FAIL) {
		snprintf(http_detail, sizeof(http_detail), "%s%s", c->hp->why,
			 which(c, w, sizeof(w)));
		http_report(c, c->hp->err == HTTPPARSE_TRUNCATED ? LVSD_CHECK_CLOSED
								: LVSD_CHECK_BAD_RESPONSE);
	} else if (rc == HTTPPARSE_COMPLETE ||
		   (c->hp->head_done && !c->urls[c->cur].has_digest)) {
		judge(c);
	}
}

static void do_read(struct http_check *c)
{
	char buf[16384];

	for (;;) {
		ssize_t n = xread(c, buf, sizeof(buf));
		enum httpparse_rc rc;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				fail_errno(c, "read", errno);
			return;
		}
		rc = n ? httpparse_feed(c->hp, buf, (size_t)n) : httpparse_eof(c->hp);
		if (rc != HTTPPARSE_MORE || n == 0 || c->hp->head_done) {
			size_t cur = c->cur;

			after_parse(c, rc);
			/* Reported, or moved to the next URL: stop reading. */
			if (c->phase != READING || c->cur != cur)
				return;
		}
		/* Drained; epoll says when there is more (a TLS session may
		 * hold more than a short read suggests, and an edge-triggered
		 * watch gets no new edge for an EOF already in: read to
		 * EAGAIN). */
		if ((size_t)n < sizeof(buf) && !IS_TLS(c) && !c->et)
			return;
	}
}

#ifdef HTTP_TLS
/* Set the events to wait for; 0, or -1 when reported. */
static int want(struct http_check *c, uint32_t ev)
{
	if (c->b.host->io_mod(c->b.host->host, c->b.io, ev) == 0)
		return 0;
	fail_errno(c, "epoll", errno ? errno : EIO);
	return -1;
}

/* One more step of the TLS handshake; then the request goes out. */
static void handshake(struct http_check *c)
{
	enum lvsd_check_outcome o;
	int r;

	switch (tls_handshake(c->tc, &o, http_detail, sizeof(http_detail))) {
	case TLS_WANT_IN:
		want(c, LVSD_IO_IN);
		return;
	case TLS_WANT_OUT:
		want(c, LVSD_IO_OUT);
		return;
	case TLS_FAIL:
		if (c->n_urls > 1) {
			size_t l = strlen(http_detail);
			char w[128];

			snprintf(http_detail + l, sizeof(http_detail) - l, "%s",
				 which(c, w, sizeof(w)));
		}
		http_report(c, o);
		return;
	case TLS_OK:
		break;
	}
	c->phase = SENDING;
	r = send_more(c);
	if (r >= 0)
		want(c, r ? LVSD_IO_IN : LVSD_IO_OUT);
}

/* The TCP connection is up (or failed): start the handshake. */
static void tls_connected(struct http_check *c, uint32_t events)
{
	int r = conn_result_ev(c->b.fd, events);

	if (r < 0) {
		fail_errno(c, "connect", -r);
		return;
	}
	connected(c);
	c->tc = tls_conn_new(c->tls, c->b.fd);
	if (!c->tc) {
		snprintf(http_detail, sizeof(http_detail), "out of memory for TLS");
		http_report(c, LVSD_CHECK_INTERNAL);
		return;
	}
	c->phase = HANDSHAKE;
	handshake(c);
}
#endif

static void on_io(void *arg, int fd, uint32_t events)
{
	struct http_check *c = arg;
	int r;

	(void)fd;
	switch (c->phase) {
#ifdef HTTP_TLS
	case HANDSHAKE:
		handshake(c);
		break;
#else
	case HANDSHAKE:
		break;
#endif
	case CONNECTING: /* send() tells whether the connection worked */
#ifdef HTTP_TLS
		if (!c->tc) {
			tls_connected(c, events);
			break;
		}
#endif
		/* fall through */
	case SENDING:
		r = send_more(c);
		if (r > 0 && !c->et &&
		    c->b.host->io_mod(c->b.host->host, c->b.io, LVSD_IO_IN) < 0)
			fail_errno(c, "epoll", errno ? errno : EIO);
		/* edge-triggered: an answer already in comes with no new
		 * edge, so it is read now */
		else if (r > 0 && (events & (LVSD_IO_IN | LVSD_IO_ERR | LVSD_IO_HUP)))
			do_read(c);
		break;
	case READING:
		/* edge-triggered, only writable: nothing to read */
		if (!c->et || (events & (LVSD_IO_IN | LVSD_IO_ERR | LVSD_IO_HUP)))
			do_read(c);
		break;
	case IDLE:
		break;
	}
}

static int http_run(void *state)
{
	struct http_check *c = state;

	http_close(c);
	c->cur = 0;
	c->b.start_us = c->b.host->now_us(c->b.host->host);
	start_url(c);
	return 0;
}

static void http_cancel(void *state)
{
	http_close(state);
}

static void http_destroy(void *state)
{
	struct http_check *c = state;

	http_close(c);
	free_urls(c);
#ifdef HTTP_TLS
	tls_conf_free(c->tls);
#endif
	free(c);
}

/* url = is the one option that may be given several times. */
static int http_option_repeatable(void *plugin, const char *key)
{
	(void)plugin;
	return strcmp(key, "url") == 0;
}

static const struct lvsd_checker_ops http_ops = {
	.size = sizeof(struct lvsd_checker_ops),
	.check_option = http_check_option,
	.create = http_create,
	.run = http_run,
	.cancel = http_cancel,
	.destroy = http_destroy,
	.option_repeatable = http_option_repeatable,
};

#ifdef HTTP_TLS
CONN_CHECKER_PLUGIN("SSL_GET",
		    "HTTPS GET check: TLS, status codes and body MD5 (keepalived's SSL_GET)",
		    http_ops)
#else
CONN_CHECKER_PLUGIN("HTTP_GET",
		    "HTTP GET check: status codes and body MD5 (keepalived's HTTP_GET)",
		    http_ops)
#endif
