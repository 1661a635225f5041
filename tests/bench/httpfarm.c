/* httpfarm.c — a tiny HTTP responder for benchmarks: one process, one
 * epoll, listening on N consecutive ports of one address, answering every
 * request "200 ok" and closing. SIGUSR1 closes the listeners of the first
 * K ports (those backends "die": connection refused); SIGUSR2 prints the
 * number of requests answered so far on stdout.
 *
 * usage: httpfarm ADDR FIRST_PORT N K */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define TAG_LISTEN 0x100000000ull
#define TAG_SIG 0x200000000ull

static const char answer[] =
	"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n";

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int ep, sfd, n, k, first, *lfd, one = 1;
	unsigned long long served = 0;
	struct epoll_event ev, evs[256];
	sigset_t set;

	if (argc != 5 || inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
		fprintf(stderr, "usage: httpfarm ADDR FIRST_PORT N K\n");
		return 2;
	}
	first = atoi(argv[2]);
	n = atoi(argv[3]);
	k = atoi(argv[4]);
	lfd = calloc((size_t)n, sizeof(*lfd));
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (!lfd || ep < 0)
		return 1;
	for (int i = 0; i < n; i++) {
		lfd[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		setsockopt(lfd[i], SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		sa.sin_port = htons((uint16_t)(first + i));
		if (lfd[i] < 0 || bind(lfd[i], (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
		    listen(lfd[i], 64) < 0) {
			fprintf(stderr, "httpfarm: port %d: %s\n", first + i, strerror(errno));
			return 1;
		}
		ev.events = EPOLLIN;
		ev.data.u64 = TAG_LISTEN | (unsigned)i;
		epoll_ctl(ep, EPOLL_CTL_ADD, lfd[i], &ev);
	}
	signal(SIGPIPE, SIG_IGN); /* a check that gave up before the answer */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	ev.events = EPOLLIN;
	ev.data.u64 = TAG_SIG;
	epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready %d ports\n", n);
	for (;;) {
		int m = epoll_wait(ep, evs, 256, -1);

		for (int e = 0; e < m; e++) {
			unsigned long long t = evs[e].data.u64;

			if (t == TAG_SIG) {
				struct signalfd_siginfo si;

				while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
					if (si.ssi_signo == SIGUSR2) {
						printf("served %llu\n", served);
					} else {
						for (int i = 0; i < k && i < n; i++)
							if (lfd[i] >= 0) {
								close(lfd[i]);
								lfd[i] = -1;
							}
						printf("closed %d ports\n", k);
					}
				}
			} else if (t & TAG_LISTEN) {
				int i = (int)(t & 0xffffffffu), c;

				if (lfd[i] < 0)
					continue;
				while ((c = accept4(lfd[i], NULL, NULL,
						    SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
					ev.events = EPOLLIN | EPOLLRDHUP;
					ev.data.u64 = (unsigned)c;
					epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
				}
			} else {
				int c = (int)t;
				char buf[4096];
				ssize_t r = read(c, buf, sizeof(buf));

				if (r > 0) {
					/* A check's request fits in one read. */
					if (write(c, answer, sizeof(answer) - 1) > 0)
						served++;
				} else if (r < 0 && errno == EAGAIN) {
					continue;
				}
				close(c); /* closing removes it from epoll */
			}
		}
	}
}
