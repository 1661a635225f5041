/* smtp.h — email alerts like keepalived's: one message per state change
 * (real server up/down, quorum, VRRP transition) to the notification_email
 * list through smtp_server, sent one at a time from the event loop; a
 * server that is slow or gone never blocks anything. */
#ifndef LVSD_SMTP_H
#define LVSD_SMTP_H

#include <stddef.h>

#include "model.h"

struct loop;
struct smtp;

#define SMTP_QUEUE_MAX 64 /* messages waiting; more are dropped (logged) */

int smtp_new(struct loop *loop, struct smtp **out);
/* Drops what is still queued. */
void smtp_free(struct smtp *s);

/* Queue an alert with the settings of g (copied): nothing happens when g
 * has no smtp_server or no notification_email. 0, or -ENOBUFS (queue
 * full) / -ENOMEM. */
int smtp_alert(struct smtp *s, const struct model_global *g,
	       const char *subject, const char *body);
/* Messages handed to the server with a 250 after DATA (for tests). */
size_t smtp_sent(const struct smtp *s);

/* One SMTP reply out of buf[0..len): its code (e.g. 250), and *used, the
 * bytes of the whole reply, continuation lines ("250-...") included.
 * 0 if complete, -EAGAIN if more bytes are needed, -EPROTO if it is not
 * SMTP. Outside input: fuzzed (tests/fuzz/fuzz_smtp.c). */
int smtp_reply_parse(const char *buf, size_t len, int *code, size_t *used);

#endif
