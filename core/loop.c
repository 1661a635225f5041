/* loop.c — epoll + timer heap + cross-thread post queue (see loop.h).
 * Timers and io watches come from free lists grown in blocks, so that a
 * health check's run (a timer and a watch each time) allocates nothing
 * once the loop has seen as many at once before. */
#include "loop.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

struct loop_io {
	int fd;
	int dead;
	loop_io_fn fn;
	void *arg;
	struct loop_io *next_dead; /* also the free list's link */
};

struct loop_timer {
	uint64_t due_us;
	uint64_t seq; /* ties fire in insertion order */
	size_t slot;  /* index in the heap */
	loop_fn fn;
	void *arg;
	struct loop_timer *next_free;
};

/* Free lists are grown by blocks of this many; the blocks are freed with
 * the loop. */
#define LOOP_BLOCK 64

struct block {
	struct block *next;
	/* LOOP_BLOCK items follow */
};

struct post {
	loop_fn fn;
	void *arg;
	struct post *next;
};

struct loop {
	int epfd;
	int stopping;
	struct loop_io *dead; /* freed after the round that killed them */
	struct loop_timer **heap;
	size_t n_timers, cap_timers;
	uint64_t seq;
	int wakefd;
	struct loop_io *wake_io;
	pthread_mutex_t post_lock;
	struct post *post_head, *post_tail;
	loop_fn idle_fn;
	void *idle_arg;
	struct loop_timer *free_timers;
	struct loop_io *free_ios;
	struct block *blocks;
};

/* A block of n items of `size` bytes, linked into l->blocks; NULL if out
 * of memory. */
static void *block_new(struct loop *l, size_t size)
{
	struct block *b = malloc(sizeof(*b) + size * LOOP_BLOCK);

	if (!b)
		return NULL;
	b->next = l->blocks;
	l->blocks = b;
	return b + 1;
}

static struct loop_timer *timer_get(struct loop *l)
{
	struct loop_timer *t = l->free_timers;

	if (!t) {
		struct loop_timer *v = block_new(l, sizeof(*v));

		if (!v)
			return NULL;
		for (size_t i = 0; i < LOOP_BLOCK; i++) {
			v[i].next_free = l->free_timers;
			l->free_timers = &v[i];
		}
		t = l->free_timers;
	}
	l->free_timers = t->next_free;
	return t;
}

static void timer_put(struct loop *l, struct loop_timer *t)
{
	t->fn = NULL;
	t->next_free = l->free_timers;
	l->free_timers = t;
}

static struct loop_io *io_get(struct loop *l)
{
	struct loop_io *io = l->free_ios;

	if (!io) {
		struct loop_io *v = block_new(l, sizeof(*v));

		if (!v)
			return NULL;
		for (size_t i = 0; i < LOOP_BLOCK; i++) {
			v[i].next_dead = l->free_ios;
			l->free_ios = &v[i];
		}
		io = l->free_ios;
	}
	l->free_ios = io->next_dead;
	memset(io, 0, sizeof(*io));
	return io;
}

uint64_t loop_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ------------------------------------------------------------- timers */

static int timer_before(const struct loop_timer *a, const struct loop_timer *b)
{
	return a->due_us < b->due_us ||
	       (a->due_us == b->due_us && a->seq < b->seq);
}

static void heap_set(struct loop *l, size_t i, struct loop_timer *t)
{
	l->heap[i] = t;
	t->slot = i;
}

static void heap_up(struct loop *l, size_t i)
{
	struct loop_timer *t = l->heap[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (!timer_before(t, l->heap[p]))
			break;
		heap_set(l, i, l->heap[p]);
		i = p;
	}
	heap_set(l, i, t);
}

static void heap_down(struct loop *l, size_t i)
{
	struct loop_timer *t = l->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= l->n_timers)
			break;
		if (c + 1 < l->n_timers && timer_before(l->heap[c + 1], l->heap[c]))
			c++;
		if (!timer_before(l->heap[c], t))
			break;
		heap_set(l, i, l->heap[c]);
		i = c;
	}
	heap_set(l, i, t);
}

static void heap_remove(struct loop *l, size_t i)
{
	struct loop_timer *last = l->heap[--l->n_timers];

	if (i == l->n_timers)
		return;
	heap_set(l, i, last);
	heap_up(l, i);
	heap_down(l, last->slot);
}

struct loop_timer *loop_timer_at(struct loop *l, uint64_t due_us, loop_fn fn,
				 void *arg)
{
	struct loop_timer *t;

	if (l->n_timers == l->cap_timers) {
		size_t cap = l->cap_timers ? l->cap_timers * 2 : 64;
		struct loop_timer **h = realloc(l->heap, cap * sizeof(*h));

		if (!h)
			return NULL;
		l->heap = h;
		l->cap_timers = cap;
	}
	t = timer_get(l);
	if (!t)
		return NULL;
	t->due_us = due_us;
	t->seq = l->seq++;
	t->fn = fn;
	t->arg = arg;
	l->heap[l->n_timers] = t;
	t->slot = l->n_timers++;
	heap_up(l, t->slot);
	return t;
}

struct loop_timer *loop_timer_add_us(struct loop *l, uint64_t us, loop_fn fn,
				     void *arg)
{
	return loop_timer_at(l, loop_now_us() + us, fn, arg);
}

struct loop_timer *loop_timer_add(struct loop *l, uint64_t ms, loop_fn fn,
				  void *arg)
{
	return loop_timer_add_us(l, ms * 1000u, fn, arg);
}

void loop_timer_del(struct loop *l, struct loop_timer *t)
{
	if (!t)
		return;
	heap_remove(l, t->slot);
	timer_put(l, t);
}

size_t loop_timer_count(const struct loop *l) { return l->n_timers; }

static void run_timers(struct loop *l)
{
	uint64_t now = loop_now_us();
	/* Only timers due now: one added by a callback waits a round. */
	size_t budget = l->n_timers;

	while (budget-- > 0 && l->n_timers > 0 && l->heap[0]->due_us <= now) {
		struct loop_timer *t = l->heap[0];

		heap_remove(l, 0);
		t->fn(t->arg);
		timer_put(l, t);
	}
}

static int next_wait_ms(struct loop *l, int max_wait_ms)
{
	uint64_t now, due;
	int ms;

	if (l->n_timers == 0)
		return max_wait_ms;
	now = loop_now_us();
	due = l->heap[0]->due_us;
	if (due <= now)
		return 0;
	/* Round up so a timer never fires early. */
	ms = (int)((due - now + 999) / 1000);
	if (max_wait_ms >= 0 && max_wait_ms < ms)
		return max_wait_ms;
	return ms;
}

/* ----------------------------------------------------------------- io */

struct loop_io *loop_io_add(struct loop *l, int fd, uint32_t events,
			    loop_io_fn fn, void *arg)
{
	struct epoll_event ev = { .events = events };
	struct loop_io *io = io_get(l);

	if (!io)
		return NULL;
	io->fd = fd;
	io->fn = fn;
	io->arg = arg;
	ev.data.ptr = io;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int e = errno;

		io->next_dead = l->free_ios;
		l->free_ios = io;
		errno = e;
		return NULL;
	}
	return io;
}

int loop_io_mod(struct loop *l, struct loop_io *io, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = io };

	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, io->fd, &ev) < 0 ? -errno : 0;
}

static void io_kill(struct loop *l, struct loop_io *io)
{
	io->dead = 1;
	io->next_dead = l->dead;
	l->dead = io;
}

void loop_io_del(struct loop *l, struct loop_io *io)
{
	if (!io || io->dead)
		return;
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, io->fd, NULL);
	io_kill(l, io);
}

void loop_io_close(struct loop *l, struct loop_io *io)
{
	if (!io || io->dead)
		return;
	/* Closing the last descriptor of the file drops it from the epoll
	 * set: no EPOLL_CTL_DEL. An event of this round already fetched for
	 * it is skipped by io->dead. */
	close(io->fd);
	io_kill(l, io);
}

static void reap_dead(struct loop *l)
{
	while (l->dead) {
		struct loop_io *io = l->dead;

		l->dead = io->next_dead;
		io->next_dead = l->free_ios;
		l->free_ios = io;
	}
}

/* -------------------------------------------------------------- posts */

static void run_posts(void *arg, int fd, uint32_t events)
{
	struct loop *l = arg;
	struct post *p;
	uint64_t v;

	(void)events;
	if (read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return;
	pthread_mutex_lock(&l->post_lock);
	p = l->post_head;
	l->post_head = l->post_tail = NULL;
	pthread_mutex_unlock(&l->post_lock);
	while (p) {
		struct post *next = p->next;

		p->fn(p->arg);
		free(p);
		p = next;
	}
}

int loop_post(struct loop *l, loop_fn fn, void *arg)
{
	struct post *p = malloc(sizeof(*p));
	uint64_t one = 1;

	if (!p)
		return -ENOMEM;
	p->fn = fn;
	p->arg = arg;
	p->next = NULL;
	pthread_mutex_lock(&l->post_lock);
	if (l->post_tail)
		l->post_tail->next = p;
	else
		l->post_head = p;
	l->post_tail = p;
	pthread_mutex_unlock(&l->post_lock);
	if (write(l->wakefd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		return -errno;
	return 0;
}

/* --------------------------------------------------------------- loop */

int loop_new(struct loop **out)
{
	struct loop *l = calloc(1, sizeof(*l));

	if (!l)
		return -ENOMEM;
	pthread_mutex_init(&l->post_lock, NULL);
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	l->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (l->epfd < 0 || l->wakefd < 0)
		goto fail;
	l->wake_io = loop_io_add(l, l->wakefd, EPOLLIN, run_posts, l);
	if (!l->wake_io)
		goto fail;
	*out = l;
	return 0;
fail:
	{
		int e = errno ? -errno : -ENOMEM;

		loop_free(l);
		return e;
	}
}

void loop_free(struct loop *l)
{
	struct post *p;

	if (!l)
		return;
	loop_io_del(l, l->wake_io);
	reap_dead(l);
	l->n_timers = 0;
	free(l->heap);
	while (l->blocks) {
		struct block *b = l->blocks;

		l->blocks = b->next;
		free(b);
	}
	for (p = l->post_head; p;) {
		struct post *next = p->next;

		free(p);
		p = next;
	}
	if (l->epfd >= 0)
		close(l->epfd);
	if (l->wakefd >= 0)
		close(l->wakefd);
	pthread_mutex_destroy(&l->post_lock);
	free(l);
}

void loop_set_idle(struct loop *l, loop_fn fn, void *arg)
{
	l->idle_fn = fn;
	l->idle_arg = arg;
}

int loop_run_once(struct loop *l, int max_wait_ms)
{
	struct epoll_event evs[64];
	int n, i;

	if (l->idle_fn)
		l->idle_fn(l->idle_arg);
	n = epoll_wait(l->epfd, evs, 64, next_wait_ms(l, max_wait_ms));
	if (n < 0) {
		if (errno == EINTR)
			return 0;
		return -errno;
	}
	for (i = 0; i < n; i++) {
		struct loop_io *io = evs[i].data.ptr;

		if (!io->dead)
			io->fn(io->arg, io->fd, evs[i].events);
	}
	run_timers(l);
	reap_dead(l);
	return 0;
}

int loop_run(struct loop *l)
{
	l->stopping = 0;
	while (!l->stopping) {
		int r = loop_run_once(l, -1);

		if (r < 0)
			return r;
	}
	return 0;
}

void loop_stop(struct loop *l) { l->stopping = 1; }
