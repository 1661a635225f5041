/* check.h — the per-check state and its life cycle that the connecting
 * checkers (TCP, AGENT, HTTP_GET, SSL_GET, SMTP_CHECK, DNS_CHECK,
 * UDP_CHECK) share: a socket, its io watch and one timer, the start
 * time; open, close, report once, cancel, destroy (the plugin
 * descriptor of every checker: CONN_CHECKER_PLUGIN in connect.h). A checker's state struct has a struct conn_check as its
 * FIRST member, so that conn_check_cancel/destroy can be its ops.
 * Header-only (static inline): each plugin is built from its own
 * directory against the public ABI alone. */
#ifndef LVSD_CHECK_CHECK_H
#define LVSD_CHECK_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lvsd/plugin.h>

#include "connect.h"

struct conn_check {
	const struct lvsd_host_api *host;
	struct lvsd_check *check;
	struct lvsd_check_target t; /* the core's, cut or padded to ours */
	int fd;                     /* -1: none */
	struct lvsd_io *io;
	struct lvsd_timer *timer;
	uint64_t start_us; /* of this run, for the latency */
};

static inline void conn_check_init(struct conn_check *b,
				   const struct lvsd_host_api *host,
				   struct lvsd_check *check,
				   const struct lvsd_check_target *target)
{
	b->host = host;
	b->check = check;
	memcpy(&b->t, target, target->size < sizeof(b->t) ? target->size
							 : sizeof(b->t));
	b->t.size = sizeof(b->t);
	b->fd = -1;
}

/* Drop the io watch, the timer and the socket (each if any); the watch
 * and the socket with one close (host io_close, ABI 1.2) when the core
 * has it. */
static inline void conn_check_close(struct conn_check *b)
{
	if (b->io && b->fd >= 0 &&
	    LVSD_HAS_FIELD(b->host->size, struct lvsd_host_api, io_close)) {
		b->host->io_close(b->host->host, b->io);
		b->io = NULL;
		b->fd = -1;
	}
	if (b->io)
		b->host->io_del(b->host->host, b->io);
	if (b->timer)
		b->host->timer_del(b->host->host, b->timer);
	if (b->fd >= 0)
		close(b->fd);
	b->io = NULL;
	b->timer = NULL;
	b->fd = -1;
}

/* End the run: the latency into *r, close, hand *r to the core. */
static inline void conn_check_finish(struct conn_check *b,
				     struct lvsd_check_result *r)
{
	r->latency_us = (uint32_t)(b->host->now_us(b->host->host) - b->start_us);
	conn_check_close(b);
	b->host->check_done(b->host->host, b->check, r);
}

static inline void conn_check_report(struct conn_check *b,
				     enum lvsd_check_outcome o,
				     const char *detail)
{
	struct lvsd_check_result r = {
		.size = sizeof(r), .outcome = o, .detail = detail,
	};

	conn_check_finish(b, &r);
}

/* Start a run: close what the last one left, note the start time, open a
 * socket of type (SOCK_STREAM, SOCK_DGRAM) to the target. The fd (also in
 * b->fd) or -errno; *where names the step that failed. */
static inline int conn_check_open(struct conn_check *b, int type,
				  const char **where)
{
	int fd;

	conn_check_close(b);
	b->start_us = b->host->now_us(b->host->host);
	fd = conn_start_type(&b->t, type, where);
	if (fd >= 0)
		b->fd = fd;
	return fd;
}

/* The detail and outcome of a failed socket call. TCP: refused is its
 * own outcome. UDP: the errors a connected socket gets are ICMP's. */
static inline enum lvsd_check_outcome
conn_tcp_errno(const char *where, int err, char *detail, size_t len)
{
	if (err == ECONNREFUSED) {
		snprintf(detail, len, "connection refused");
		return LVSD_CHECK_CONNECT_REFUSED;
	}
	snprintf(detail, len, "%s: %s", where, strerror(err));
	return LVSD_CHECK_NETWORK;
}

static inline enum lvsd_check_outcome
conn_udp_errno(const char *where, int err, char *detail, size_t len)
{
	if (err == ECONNREFUSED) {
		snprintf(detail, len, "port unreachable (ICMP)");
		return LVSD_CHECK_CONNECT_REFUSED;
	}
	if (err == EHOSTUNREACH || err == ENETUNREACH)
		snprintf(detail, len, "%s (ICMP)", strerror(err));
	else
		snprintf(detail, len, "%s: %s", where, strerror(err));
	return LVSD_CHECK_NETWORK;
}

/* Checker ops for a state whose first member is its struct conn_check and
 * that owns nothing else on the heap. */
static inline void conn_check_cancel(void *state)
{
	conn_check_close(state);
}

static inline void conn_check_destroy(void *state)
{
	conn_check_close(state);
	free(state);
}

#endif
