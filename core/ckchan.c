/* ckchan.c — one end of the check process's socketpair (see ckchan.h). */
#include "ckchan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct ckq {
	struct ckq *next;
	size_t len;
	uint8_t data[];
};

static void on_io(void *arg, int fd, uint32_t events)
{
	struct ckchan *c = arg;

	if (events & LVSD_IO_OUT) {
		while (c->q_head) {
			struct ckq *q = c->q_head;
			ssize_t n = send(fd, q->data, q->len, MSG_DONTWAIT | MSG_NOSIGNAL);

			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				break;
			if (n < 0)
				c->broken = -errno;
			c->q_head = q->next;
			if (!c->q_head)
				c->q_tail = NULL;
			c->q_bytes -= q->len;
			free(q);
		}
		if (!c->q_head && c->io)
			loop_io_mod(c->loop, c->io, LVSD_IO_IN);
	}
	if ((events & ~(uint32_t)LVSD_IO_OUT) && c->on_in)
		c->on_in(c->arg, fd, events);
}

int ckchan_open(struct ckchan *c, struct loop *loop, int fd, loop_io_fn on_in,
		void *arg)
{
	int fl = fcntl(fd, F_GETFL);

	memset(c, 0, sizeof(*c));
	c->loop = loop;
	c->fd = fd;
	c->on_in = on_in;
	c->arg = arg;
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	if (!(c->out = calloc(1, sizeof(*c->out))))
		return -ENOMEM;
	if (!(c->io = loop_io_add(loop, fd, LVSD_IO_IN, on_io, c)))
		return errno ? -errno : -ENOMEM;
	return 0;
}

void ckchan_close(struct ckchan *c)
{
	if (c->soon)
		loop_timer_del(c->loop, c->soon);
	c->soon = NULL;
	if (c->later)
		loop_timer_del(c->loop, c->later);
	c->later = NULL;
	if (c->io)
		loop_io_del(c->loop, c->io);
	c->io = NULL;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	while (c->q_head) {
		struct ckq *q = c->q_head;

		c->q_head = q->next;
		free(q);
	}
	c->q_tail = NULL;
	c->q_bytes = 0;
	free(c->out);
	c->out = NULL;
}

static int enqueue(struct ckchan *c)
{
	struct ckq *q;

	if (c->q_bytes + c->out->len > CKCHAN_QUEUE_MAX)
		return c->broken = -ENOBUFS;
	if (!(q = malloc(sizeof(*q) + c->out->len)))
		return c->broken = -ENOMEM;
	q->next = NULL;
	q->len = c->out->len;
	memcpy(q->data, c->out->buf, q->len);
	if (c->q_tail)
		c->q_tail->next = q;
	else
		c->q_head = q;
	c->q_tail = q;
	c->q_bytes += q->len;
	loop_io_mod(c->loop, c->io, LVSD_IO_IN | LVSD_IO_OUT);
	return 0;
}

int ckchan_flush(struct ckchan *c)
{
	int r = 0;

	if (c->fd < 0 || !c->out)
		return -ENOTCONN;
	if (!c->out->len)
		return c->broken;
	if (c->later) { /* it goes now */
		loop_timer_del(c->loop, c->later);
		c->later = NULL;
	}
	c->sent_us = loop_now_us();
	if (c->q_head) {
		r = enqueue(c);
	} else if (send(c->fd, c->out->buf, c->out->len,
			MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		if (errno == EAGAIN || errno == EINTR)
			r = enqueue(c);
		else
			r = c->broken = -errno;
	}
	c->out->len = 0;
	c->out->n = 0;
	return r;
}

static void on_soon(void *arg)
{
	struct ckchan *c = arg;

	c->soon = NULL; /* the loop frees it */
	ckchan_flush(c);
}

static void on_later(void *arg)
{
	struct ckchan *c = arg;

	c->later = NULL; /* the loop frees it */
	ckchan_flush(c);
}

void ckchan_later(struct ckchan *c)
{
	uint64_t now;

	if (c->soon || c->later || c->fd < 0)
		return; /* it goes with those */
	now = loop_now_us();
	if (now - c->sent_us >= CKCHAN_LATER_US) { /* quiet: at once */
		ckchan_soon(c);
		return;
	}
	c->later = loop_timer_at(c->loop, now + CKCHAN_LATER_US, on_later, c);
	if (!c->later) /* no timer: this round */
		ckchan_soon(c);
}

void ckchan_soon(struct ckchan *c)
{
	if (!c->soon && c->fd >= 0)
		c->soon = loop_timer_add(c->loop, 0, on_soon, c);
	if (!c->soon) /* no timer: at once */
		ckchan_flush(c);
}

ssize_t ckchan_recv(struct ckchan *c, uint8_t *buf, size_t cap)
{
	ssize_t n = recv(c->fd, buf, cap, MSG_DONTWAIT | MSG_TRUNC);

	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return n;
}
