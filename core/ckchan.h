/* ckchan.h — one end of the check process's socketpair (SOCK_SEQPACKET):
 * records (ckmsg.h) are appended to a datagram that is sent once per loop
 * round (results and runs batch), or when full; a datagram the peer cannot
 * take now waits in a queue (EPOLLOUT). Used by both ends. */
#ifndef LVSD_CKCHAN_H
#define LVSD_CKCHAN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ckmsg.h"
#include "loop.h"

/* More than this many bytes waiting for the peer: it is stuck. */
#define CKCHAN_QUEUE_MAX (64u << 20)
/* ckchan_later's bound: a record waits at most this long (microseconds;
 * lvsd's checks start in bursts this far apart, health.c HEALTH_GRID_US). */
#define CKCHAN_LATER_US 10000u

struct ckq;

struct ckchan {
	struct loop *loop;
	int fd;
	struct loop_io *io;
	loop_io_fn on_in;         /* readable, or the peer gone */
	void *arg;
	struct ckbuf *out;        /* the datagram being filled */
	struct ckq *q_head, *q_tail;
	size_t q_bytes;
	struct loop_timer *soon;  /* the flush at the end of this round */
	struct loop_timer *later; /* the flush CKCHAN_LATER_US after a record */
	uint64_t sent_us;         /* the last datagram sent (loop_now_us) */
	int broken;               /* -errno of a failed send, 0 */
};

/* Watch fd (non-blocking, owned from now on: ckchan_close closes it).
 * 0 or -errno. */
int ckchan_open(struct ckchan *c, struct loop *loop, int fd, loop_io_fn on_in,
		void *arg);
void ckchan_close(struct ckchan *c);
/* Send what is buffered now: 0 or -errno (c->broken set). */
int ckchan_flush(struct ckchan *c);
/* Send it at the end of this loop round. */
void ckchan_soon(struct ckchan *c);
/* For news that can wait up to 10 ms, so that one datagram (one wake-up
 * of the peer) carries many: if a datagram went in the last
 * CKCHAN_LATER_US, send it CKCHAN_LATER_US from now (or sooner: with a
 * record that goes sooner, or at ckchan_soon, e.g. when the peer's next
 * datagram has woken this process anyway), else at the end of this round
 * (a quiet channel: nothing to gather, and no wake-up of its own). */
void ckchan_later(struct ckchan *c);
/* One datagram into buf (cap bytes): its real length (more than cap: it
 * was cut, i.e. oversized), 0 at EOF, -EAGAIN when none waits, -errno. */
ssize_t ckchan_recv(struct ckchan *c, uint8_t *buf, size_t cap);

/* Append a record with a ckmsg_put_* call on (ch)->out; a full datagram
 * is sent first. Evaluates to 0 or -errno. The record goes at the end of
 * this round (CKCHAN_PUT) or with ckchan_later (CKCHAN_PUT_LATER). */
#define CKCHAN_PUT_WHEN(ch, call, when)                           \
	({                                                        \
		int r_ = (ch)->fd < 0 ? -ENOTCONN : (call);       \
		if (r_ == -ENOSPC && ckchan_flush(ch) == 0)       \
			r_ = (call);                              \
		if (r_ == 0)                                      \
			when(ch);                                 \
		r_;                                               \
	})
#define CKCHAN_PUT(ch, call) CKCHAN_PUT_WHEN(ch, call, ckchan_soon)
#define CKCHAN_PUT_LATER(ch, call) CKCHAN_PUT_WHEN(ch, call, ckchan_later)

#endif
