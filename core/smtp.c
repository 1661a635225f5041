/* smtp.c — non-blocking SMTP client for alerts (see smtp.h). One message,
 * one connection: greeting, HELO, MAIL FROM, RCPT TO each, DATA, QUIT. */
#include "smtp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"

enum step { S_GREET, S_HELO, S_MAIL, S_RCPT, S_DATA, S_BODY, S_QUIT };

struct msg {
	struct msg *next;
	struct lvsd_addr server;
	uint16_t port;
	uint32_t timeout_ms;
	char *helo, *from, *text; /* text: headers and body, dot-stuffed */
	char **rcpt;
	size_t n_rcpt;
};

struct smtp {
	struct loop *loop;
	struct msg *head, *tail;
	size_t queued, sent;
	/* the message in flight */
	int fd;
	struct loop_io *io;
	struct loop_timer *deadline;
	enum step step;
	size_t rcpt_i;
	char in[2048];
	size_t in_len;
	char *out;
	size_t out_len, out_off;
};

int smtp_reply_parse(const char *buf, size_t len, int *code, size_t *used)
{
	size_t off = 0;

	for (;;) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t l;

		if (!nl)
			return len - off > 1000 ? -EPROTO : -EAGAIN;
		l = (size_t)(nl - (buf + off));
		if (l < 3 || buf[off] < '2' || buf[off] > '5' ||
		    buf[off + 1] < '0' || buf[off + 1] > '9' ||
		    buf[off + 2] < '0' || buf[off + 2] > '9' ||
		    (l > 3 && buf[off + 3] != ' ' && buf[off + 3] != '-' &&
		     buf[off + 3] != '\r'))
			return -EPROTO;
		if (l == 3 || buf[off + 3] != '-') { /* the last line */
			*code = (buf[off] - '0') * 100 + (buf[off + 1] - '0') * 10 +
				(buf[off + 2] - '0');
			*used = off + l + 1;
			return 0;
		}
		off += l + 1;
	}
}

static void msg_free(struct msg *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_rcpt; i++)
		free(m->rcpt[i]);
	free(m->rcpt);
	free(m->helo);
	free(m->from);
	free(m->text);
	free(m);
}

static void start_next(struct smtp *s);

static void finish(struct smtp *s, const char *why)
{
	struct msg *m = s->head;

	if (why)
		log_warnx("SMTP alert through %s:%u not sent: %s",
			  model_addr_str(&m->server, (char[64]){ 0 }, 64), m->port, why);
	if (s->io)
		loop_io_del(s->loop, s->io);
	if (s->deadline)
		loop_timer_del(s->loop, s->deadline);
	if (s->fd >= 0)
		close(s->fd);
	s->io = NULL;
	s->deadline = NULL;
	s->fd = -1;
	free(s->out);
	s->out = NULL;
	s->head = m->next;
	if (!s->head)
		s->tail = NULL;
	s->queued--;
	msg_free(m);
	start_next(s);
}

static void on_deadline(void *arg)
{
	struct smtp *s = arg;

	s->deadline = NULL; /* the loop frees a fired timer */
	finish(s, "timed out");
}

static int say(struct smtp *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int say(struct smtp *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	free(s->out);
	va_start(ap, fmt);
	n = vasprintf(&s->out, fmt, ap);
	va_end(ap);
	if (n < 0) {
		s->out = NULL;
		return -ENOMEM;
	}
	s->out_len = (size_t)n;
	s->out_off = 0;
	return loop_io_mod(s->loop, s->io, EPOLLOUT);
}

/* The server answered `code` to the last step: say the next thing. */
static const char *advance(struct smtp *s, int code)
{
	struct msg *m = s->head;
	int ok = code >= 200 && code < 400;

	if (!ok)
		return "refused by the server";
	switch (s->step) {
	case S_GREET:
		s->step = S_HELO;
		return say(s, "HELO %s\r\n", m->helo) < 0 ? "out of memory" : NULL;
	case S_HELO:
		s->step = S_MAIL;
		return say(s, "MAIL FROM:<%s>\r\n", m->from) < 0 ? "out of memory" : NULL;
	case S_MAIL:
	case S_RCPT:
		if (s->step == S_RCPT)
			s->rcpt_i++;
		s->step = S_RCPT;
		if (s->rcpt_i < m->n_rcpt)
			return say(s, "RCPT TO:<%s>\r\n", m->rcpt[s->rcpt_i]) < 0
				       ? "out of memory" : NULL;
		s->step = S_DATA;
		return say(s, "DATA\r\n") < 0 ? "out of memory" : NULL;
	case S_DATA:
		s->step = S_BODY;
		return say(s, "%s\r\n.\r\n", m->text) < 0 ? "out of memory" : NULL;
	case S_BODY:
		s->sent++;
		s->step = S_QUIT;
		return say(s, "QUIT\r\n") < 0 ? "out of memory" : NULL;
	case S_QUIT:
		finish(s, NULL);
		return NULL;
	}
	return "confused";
}

static void on_io(void *arg, int fd, uint32_t events)
{
	struct smtp *s = arg;
	const char *why = NULL;

	if (events & EPOLLOUT) {
		if (s->step == S_GREET && !s->out) { /* connected? */
			int err = 0;
			socklen_t l = sizeof(err);

			getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l);
			if (err) {
				finish(s, strerror(err));
				return;
			}
			loop_io_mod(s->loop, s->io, EPOLLIN);
			return;
		}
		while (s->out && s->out_off < s->out_len) {
			ssize_t n = send(fd, s->out + s->out_off,
					 s->out_len - s->out_off, MSG_NOSIGNAL);

			if (n < 0 && errno == EAGAIN)
				return;
			if (n <= 0) {
				finish(s, strerror(errno));
				return;
			}
			s->out_off += (size_t)n;
		}
		loop_io_mod(s->loop, s->io, EPOLLIN);
		return;
	}
	for (;;) {
		ssize_t n = recv(fd, s->in + s->in_len, sizeof(s->in) - s->in_len, 0);
		int code, r;
		size_t used;

		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			finish(s, n == 0 ? "connection closed" : strerror(errno));
			return;
		}
		s->in_len += (size_t)n;
		r = smtp_reply_parse(s->in, s->in_len, &code, &used);
		if (r == -EAGAIN && s->in_len < sizeof(s->in))
			continue;
		if (r < 0) {
			finish(s, "not an SMTP server");
			return;
		}
		memmove(s->in, s->in + used, s->in_len - used);
		s->in_len -= used;
		{
			struct msg *before = s->head;

			why = advance(s, code);
			if (why) {
				finish(s, why);
				return;
			}
			if (s->head != before)
				return; /* finished: the next message has its own fd */
		}
	}
}

static void start_next(struct smtp *s)
{
	struct msg *m;
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;

	while ((m = s->head)) {
		s->step = S_GREET;
		s->rcpt_i = 0;
		s->in_len = 0;
		if (m->server.family == AF_INET6) {
			struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

			a->sin6_family = AF_INET6;
			a->sin6_addr = m->server.u.v6;
			a->sin6_port = htons(m->port);
			sl = sizeof(*a);
		} else {
			struct sockaddr_in *a = (struct sockaddr_in *)&ss;

			a->sin_family = AF_INET;
			a->sin_addr = m->server.u.v4;
			a->sin_port = htons(m->port);
			sl = sizeof(*a);
		}
		s->fd = socket(m->server.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (s->fd >= 0 && (connect(s->fd, (struct sockaddr *)&ss, sl) == 0 ||
				   errno == EINPROGRESS)) {
			s->io = loop_io_add(s->loop, s->fd, EPOLLOUT, on_io, s);
			s->deadline = loop_timer_add(s->loop, m->timeout_ms, on_deadline, s);
			if (s->io && s->deadline)
				return;
		}
		finish(s, strerror(errno)); /* recurses into the next one */
		return;
	}
}

/* Headers and body, with lines that start with '.' doubled (RFC 5321). */
static char *compose(const struct model_global *g, const char *subject,
		     const char *body)
{
	char date[64], *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	time_t now = time(NULL);
	struct tm tm;

	if (!f)
		return NULL;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	fprintf(f, "From: %s\r\nSubject: [%s] %s\r\nDate: %s\r\nX-Mailer: lvsd\r\n",
		g->notification_email_from, g->router_id ? g->router_id : "lvsd",
		subject, date);
	for (size_t i = 0; i < g->notification_email.n; i++)
		fprintf(f, "%s%s", i ? ", " : "To: ", g->notification_email.v[i]);
	fputs("\r\n\r\n", f);
	for (const char *p = body; *p; p++) {
		if ((p == body || p[-1] == '\n') && *p == '.')
			fputc('.', f);
		if (*p == '\n' && (p == body || p[-1] != '\r'))
			fputc('\r', f);
		fputc(*p, f);
	}
	fclose(f);
	return text;
}

int smtp_alert(struct smtp *s, const struct model_global *g,
	       const char *subject, const char *body)
{
	struct msg *m;

	if (!s || !g->smtp_server.family || !g->notification_email.n ||
	    !g->notification_email_from)
		return 0;
	if (s->queued >= SMTP_QUEUE_MAX) {
		log_warnx("SMTP alert '%s' dropped: %d alerts are waiting already",
			  subject, SMTP_QUEUE_MAX);
		return -ENOBUFS;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->server = g->smtp_server;
	m->port = g->smtp_port;
	m->timeout_ms = g->smtp_connect_timeout_ms;
	m->helo = strdup(g->router_id ? g->router_id : "lvsd");
	m->from = strdup(g->notification_email_from);
	m->text = compose(g, subject, body);
	m->rcpt = calloc(g->notification_email.n, sizeof(*m->rcpt));
	if (!m->helo || !m->from || !m->text || !m->rcpt) {
		msg_free(m);
		return -ENOMEM;
	}
	for (size_t i = 0; i < g->notification_email.n; i++) {
		if (!(m->rcpt[i] = strdup(g->notification_email.v[i]))) {
			m->n_rcpt = i;
			msg_free(m);
			return -ENOMEM;
		}
	}
	m->n_rcpt = g->notification_email.n;
	if (s->tail)
		s->tail->next = m;
	else
		s->head = m;
	s->tail = m;
	s->queued++;
	if (s->head == m)
		start_next(s);
	return 0;
}

size_t smtp_sent(const struct smtp *s) { return s->sent; }

int smtp_new(struct loop *loop, struct smtp **out)
{
	struct smtp *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->loop = loop;
	s->fd = -1;
	*out = s;
	return 0;
}

void smtp_free(struct smtp *s)
{
	if (!s)
		return;
	if (s->io)
		loop_io_del(s->loop, s->io);
	if (s->deadline)
		loop_timer_del(s->loop, s->deadline);
	if (s->fd >= 0)
		close(s->fd);
	free(s->out);
	while (s->head) {
		struct msg *m = s->head;

		s->head = m->next;
		msg_free(m);
	}
	free(s);
}
