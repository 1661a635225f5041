/* loop.h — the event loop: epoll for file descriptors, a min-heap of
 * one-shot timers on the monotonic clock, and a queue other threads may
 * post work to. Single-threaded except loop_post(). */
#ifndef LVSD_LOOP_H
#define LVSD_LOOP_H

#include <stddef.h>
#include <stdint.h>

struct loop;
struct loop_io;
struct loop_timer;

typedef void (*loop_io_fn)(void *arg, int fd, uint32_t events);
typedef void (*loop_fn)(void *arg);

int loop_new(struct loop **out);
/* Frees every remaining io and timer (without calling them). */
void loop_free(struct loop *l);

/* events: EPOLLIN/EPOLLOUT, EPOLLET. The io does not own fd. NULL on error. */
struct loop_io *loop_io_add(struct loop *l, int fd, uint32_t events,
			    loop_io_fn fn, void *arg);
int loop_io_mod(struct loop *l, struct loop_io *io, uint32_t events);
/* Safe from inside any callback, including the io's own. */
void loop_io_del(struct loop *l, struct loop_io *io);
/* loop_io_del and close(fd) in one syscall (the kernel drops a closed
 * file from the epoll set): for an fd nothing else holds a duplicate of.
 * Same safety as loop_io_del. */
void loop_io_close(struct loop *l, struct loop_io *io);

/* A one-shot timer in `ms` milliseconds (or `us` microseconds). The
 * handle is freed by the loop right after fn runs: do not delete it then. */
struct loop_timer *loop_timer_add(struct loop *l, uint64_t ms, loop_fn fn,
				  void *arg);
struct loop_timer *loop_timer_add_us(struct loop *l, uint64_t us, loop_fn fn,
				     void *arg);
/* The same at an absolute time: due_us on loop_now_us()'s clock
 * (CLOCK_MONOTONIC, microseconds); a time already past fires in the next
 * round. Timers due at the same microsecond fire in one wake-up, in the
 * order they were added. */
struct loop_timer *loop_timer_at(struct loop *l, uint64_t due_us, loop_fn fn,
				 void *arg);
void loop_timer_del(struct loop *l, struct loop_timer *t);
size_t loop_timer_count(const struct loop *l);

/* Run fn(arg) on the loop thread soon. Any thread. 0 or -errno. */
int loop_post(struct loop *l, loop_fn fn, void *arg);

/* Dispatch until loop_stop(). Returns 0, or -errno if epoll fails. */
int loop_run(struct loop *l);
/* One round: wait at most max_wait_ms (-1: until something happens). */
int loop_run_once(struct loop *l, int max_wait_ms);
void loop_stop(struct loop *l);

/* Called once per round before waiting (the watchdog, SNMP's fd sync). */
void loop_set_idle(struct loop *l, loop_fn fn, void *arg);

/* CLOCK_MONOTONIC in microseconds. */
uint64_t loop_now_us(void);

#endif
