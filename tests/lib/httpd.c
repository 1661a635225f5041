/* httpd.c — a real HTTP server for tests, the C twin of httpd.py (same
 * options): it starts in milliseconds, where Python takes seconds inside
 * the test VM (imports over 9p). Answers every GET with its name.
 *
 * usage: httpd [--bind ADDR] [--port N] [--name NAME] [--status CODE]
 *              [--delay SEC] [--mode ok|close|hang|slow|garbage]
 *              [--pidfile F] [--log FILE] [--idle SEC]
 * close: read the request, close without answering; hang: never answer;
 * slow: one byte every 0.2 s; garbage: not HTTP. SIGUSR1 toggles the
 * status between CODE and 500. --log appends "PATH HOST" per request.
 * --idle: how long a request may go without a byte before the connection
 * is closed (default 10 s; httpd.py's default: no limit). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct {
	const char *name, *mode, *log;
	int status;
	double delay;
	int idle_s;
} opt = { NULL, "ok", NULL, 200, 0, 10 };
static atomic_int bad; /* toggled by SIGUSR1 */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void on_usr1(int sig)
{
	(void)sig;
	atomic_fetch_xor(&bad, 1);
}

static void pause_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void put(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* The request's path and Host header, for --log. */
static void log_request(const char *req)
{
	char path[256] = "?", host[256] = "-";
	const char *h;
	FILE *f;

	sscanf(req, "%*s %255s", path);
	h = strcasestr(req, "\nHost:");
	if (h)
		sscanf(h + 6, " %255[^\r\n]", host);
	pthread_mutex_lock(&log_lock);
	f = fopen(opt.log, "a");
	if (f) {
		fprintf(f, "%s %s\n", path, host);
		fclose(f);
	}
	pthread_mutex_unlock(&log_lock);
}

static void *serve(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char req[8192], out[512];
	size_t len = 0;
	struct timeval tv = { .tv_sec = opt.idle_s };
	int n;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (len < sizeof(req) - 1) {
		ssize_t r = recv(fd, req + len, sizeof(req) - 1 - len, 0);

		if (r <= 0)
			break;
		len += (size_t)r;
		req[len] = '\0';
		if (strstr(req, "\r\n\r\n") || strstr(req, "\n\n"))
			break;
	}
	req[len] = '\0';
	if (opt.log && len)
		log_request(req);
	if (!strcmp(opt.mode, "hang"))
		pause_s(3600);
	if (!strcmp(opt.mode, "garbage"))
		put(fd, "SSH-2.0-not-http\r\n", 18);
	if (!strcmp(opt.mode, "ok") || !strcmp(opt.mode, "slow")) {
		if (opt.delay > 0)
			pause_s(opt.delay);
		n = snprintf(out, sizeof(out),
			     "HTTP/1.0 %d X\r\nContent-Type: text/plain\r\n"
			     "Content-Length: %zu\r\n\r\n%s\n",
			     atomic_load(&bad) ? 500 : opt.status,
			     strlen(opt.name) + 1, opt.name);
		if (!strcmp(opt.mode, "ok")) {
			put(fd, out, (size_t)n);
		} else {
			for (int i = 0; i < n; i++) {
				put(fd, out + i, 1);
				pause_s(0.2);
			}
		}
	}
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *bind_to = "0.0.0.0", *pidfile = NULL;
	struct sockaddr_storage ss = { 0 };
	char host[256];
	int port = 80, fd, one = 1;
	socklen_t sl;

	for (int i = 1; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];

		if (!strcmp(k, "--bind")) bind_to = v;
		else if (!strcmp(k, "--port")) port = atoi(v);
		else if (!strcmp(k, "--name")) opt.name = v;
		else if (!strcmp(k, "--status")) opt.status = atoi(v);
		else if (!strcmp(k, "--delay")) opt.delay = atof(v);
		else if (!strcmp(k, "--mode")) opt.mode = v;
		else if (!strcmp(k, "--pidfile")) pidfile = v;
		else if (!strcmp(k, "--log")) opt.log = v;
		else if (!strcmp(k, "--idle")) opt.idle_s = atoi(v);
		else {
			fprintf(stderr, "httpd: unknown option %s\n", k);
			return 2;
		}
	}
	if (argc % 2 == 0) {
		fprintf(stderr, "httpd: options take a value\n");
		return 2;
	}
	if (!opt.name) {
		gethostname(host, sizeof(host));
		opt.name = host;
	}
	if (strchr(bind_to, ':')) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, bind_to, &a->sin6_addr) != 1)
			return 2;
		sl = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, bind_to, &a->sin_addr) != 1)
			return 2;
		sl = sizeof(*a);
	}
	signal(SIGUSR1, on_usr1);
	signal(SIGPIPE, SIG_IGN);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 128) < 0) {
		perror("httpd");
		return 1;
	}
	if (pidfile) {
		FILE *f = fopen(pidfile, "w");

		if (f) {
			fprintf(f, "%d\n", (int)getpid());
			fclose(f);
		}
	}
	for (;;) {
		pthread_t t;
		int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

		if (c < 0)
			continue;
		if (pthread_create(&t, NULL, serve, (void *)(intptr_t)c) != 0)
			close(c);
		else
			pthread_detach(t);
	}
}
