/* metrics.h — the OpenMetrics / Prometheus endpoint ([global]
 * metrics_listen = ADDR:PORT, off by default): a small HTTP/1.1 server,
 * GET only, on the daemon's event loop (no thread), bounded in request
 * size, connections and time. GET /metrics answers the Prometheus text
 * format 0.0.4, or OpenMetrics 1.0.0 (with its # EOF) when the Accept
 * header asks for application/openmetrics-text; anything else gets 400,
 * 404 or 405 and the connection closes. */
#ifndef LVSD_METRICS_H
#define LVSD_METRICS_H

#include <stdbool.h>
#include <stddef.h>

struct daemon;
struct metrics;

#define METRICS_REQ_MAX 4096     /* a request head's bytes, at most */
#define METRICS_CONN_MAX 8       /* connections at once; more are closed */
#define METRICS_CONN_TIMEOUT_MS 5000 /* a connection's whole life, at most */

/* What a request asked, as far as the endpoint cares. */
struct metrics_req {
	bool get;                /* the method is GET */
	bool metrics;            /* the path (query aside) is /metrics */
	bool openmetrics;        /* Accept names application/openmetrics-text */
};

/* Parse the head of an HTTP/1.x request in buf[0..len) (outside input:
 * any bytes). 0: complete, *out set; -EAGAIN: not complete yet (no blank
 * line), read more; -EMSGSIZE: longer than METRICS_REQ_MAX without being
 * complete; -EBADMSG: malformed (bad request line, version, header line,
 * a NUL or other control byte). Never reads past len. */
int metrics_parse_request(const char *buf, size_t len, struct metrics_req *out);

/* Start listening if the model has metrics_listen (else *out = NULL and
 * 0). 0 or -errno (the address cannot be bound: logged by the caller). */
int metrics_start(struct daemon *d, struct metrics **out);
void metrics_stop(struct metrics *m);

/* The whole page for d, as GET /metrics answers it: a malloc'd string
 * (the caller frees it), *len its length; NULL if out of memory. Reads
 * the kernel's counters first when they are older than 1 s (one dump). */
char *metrics_render(struct daemon *d, bool openmetrics, size_t *len);

#endif
