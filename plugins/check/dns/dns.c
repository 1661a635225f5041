/* dns.c — the DNS_CHECK checker (keepalived's): one query over UDP to the
 * real server, sent again if no answer came after a third of
 * connect_timeout (three sends in all); healthy if the answer is NOERROR
 * with at least one record of the asked type. Datagrams that are not the
 * answer to our query (another ID, no QR bit, another question) are
 * ignored. dnsparse.c builds the query and reads the answer.
 *
 * Options: type = SOA (A, AAAA, NS, MX, TXT, CNAME, PTR, SRV, ...),
 * name = . (the name to ask for). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <lvsd/plugin.h>

#include "../common/check.h"
#include "dnsparse.h"

#define DNS_SENDS 3

struct dns_check {
	struct conn_check b; /* first: the ops cancel/destroy take it */
	uint16_t type;
	char name[DNS_NAME_MAX + 2];
	uint8_t qname[DNS_NAME_MAX];
	size_t qlen;
	uint8_t query[DNS_QUERY_MAX];
	size_t query_len;
	uint16_t id;
	int sends;
	char detail[96];
};

static int dns_check_option(void *plugin, const char *key, const char *value,
			    char *err, size_t len)
{
	uint8_t w[DNS_NAME_MAX];

	(void)plugin;
	if (!strcmp(key, "type")) {
		if (dns_type_parse(value) > 0)
			return 0;
		snprintf(err, len, "bad type '%s' (A, AAAA, NS, MX, SOA, TXT, CNAME, PTR, "
			 "SRV, CAA, ... or TYPEn)", value);
		return -EINVAL;
	}
	if (!strcmp(key, "name")) {
		if (dns_name_wire(value, w) > 0)
			return 0;
		snprintf(err, len, "bad name '%s' (a domain name: labels of 1..63 bytes, "
			 "255 in all, no blanks)", value);
		return -EINVAL;
	}
	snprintf(err, len, "DNS_CHECK has no option '%s' (type, name)", key);
	return -ENOENT;
}

static int dns_create(void *plugin, struct lvsd_check *check,
		      const struct lvsd_check_target *target,
		      const struct lvsd_kv *opts, size_t n_opts, void **state)
{
	struct conn_plugin *p = plugin;
	struct dns_check *c = calloc(1, sizeof(*c));
	const char *name = ".";
	char err[160];
	int r;

	if (!c)
		return -ENOMEM;
	conn_check_init(&c->b, p->host, check, target);
	c->type = 6; /* SOA, keepalived's default */
	for (size_t i = 0; i < n_opts; i++) {
		const char *k = opts[i].key, *v = opts[i].value;

		if (dns_check_option(plugin, k, v, err, sizeof(err)) < 0) {
			p->host->log(p->host->host, LVSD_LOG_ERR, "refused option: %s", err);
			free(c);
			return -EINVAL;
		}
		if (!strcmp(k, "type"))
			c->type = (uint16_t)dns_type_parse(v);
		else if (!strcmp(k, "name"))
			name = v;
	}
	snprintf(c->name, sizeof(c->name), "%s", name);
	r = dns_name_wire(name, c->qname);
	c->qlen = (size_t)r;
	*state = c;
	return 0;
}

static void dns_report(struct dns_check *c, enum lvsd_check_outcome o)
{
	conn_check_report(&c->b, o, c->detail);
}

static void dns_fail_errno(struct dns_check *c, const char *where, int err)
{
	dns_report(c, conn_udp_errno(where, err, c->detail, sizeof(c->detail)));
}

static void dns_on_timeout(void *arg);

/* Send the query (again) and wait a third of connect_timeout. */
static void dns_send(struct dns_check *c)
{
	uint32_t wait = c->b.t.connect_timeout_ms / DNS_SENDS;

	if (send(c->b.fd, c->query, c->query_len, 0) < 0 && errno != EAGAIN) {
		dns_fail_errno(c, "send", errno);
		return;
	}
	c->sends++;
	if (c->sends == DNS_SENDS) /* the rest of the time, rounding included */
		wait = c->b.t.connect_timeout_ms - wait * (DNS_SENDS - 1);
	c->b.timer = c->b.host->timer_add(c->b.host->host, wait ? wait : 1,
				      dns_on_timeout, c);
	if (!c->b.timer) {
		snprintf(c->detail, sizeof(c->detail), "out of event-loop resources");
		dns_report(c, LVSD_CHECK_INTERNAL);
	}
}

static void dns_on_timeout(void *arg)
{
	struct dns_check *c = arg;
	char d[32];

	c->b.timer = NULL; /* the loop frees it */
	if (c->sends < DNS_SENDS) {
		dns_send(c);
		return;
	}
	snprintf(c->detail, sizeof(c->detail), "no DNS answer after %s (%d queries)",
		 conn_dur(c->b.t.connect_timeout_ms, d, sizeof(d)), DNS_SENDS);
	dns_report(c, LVSD_CHECK_READ_TIMEOUT);
}

static void dns_on_io(void *arg, int fd, uint32_t events)
{
	struct dns_check *c = arg;
	struct dns_answer a;
	uint8_t buf[65536];
	char t[16], rc[16];

	(void)events;
	for (int i = 0; i < 16; i++) { /* a few stray datagrams, then wait */
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				dns_fail_errno(c, "recv", errno);
			return;
		}
		switch (dns_answer_parse(buf, (size_t)n, c->id, c->qname, c->qlen,
					 c->type, &a)) {
		case DNS_NOT_OURS:
			continue;
		case DNS_BAD:
			snprintf(c->detail, sizeof(c->detail), "bad DNS answer: %s", a.why);
			dns_report(c, LVSD_CHECK_BAD_RESPONSE);
			return;
		case DNS_ANSWER:
			break;
		}
		if (a.rcode != 0) {
			snprintf(c->detail, sizeof(c->detail), "DNS %s",
				 dns_rcode_str(a.rcode, rc, sizeof(rc)));
			dns_report(c, LVSD_CHECK_BAD_STATUS);
		} else if (!a.matches) {
			snprintf(c->detail, sizeof(c->detail), "%sno %s record for %.50s",
				 a.tc ? "truncated answer, " : "",
				 dns_type_str(c->type, t, sizeof(t)), c->name);
			dns_report(c, LVSD_CHECK_BAD_RESPONSE);
		} else {
			snprintf(c->detail, sizeof(c->detail), "DNS NOERROR, %u %s record%s",
				 a.matches, dns_type_str(c->type, t, sizeof(t)),
				 a.matches == 1 ? "" : "s");
			dns_report(c, LVSD_CHECK_OK);
		}
		return;
	}
}

static int dns_run(void *state)
{
	struct dns_check *c = state;
	const char *where;
	int fd;

	c->sends = 0;
	fd = conn_check_open(&c->b, SOCK_DGRAM, &where);
	if (fd < 0) {
		dns_fail_errno(c, where, -fd);
		return 0;
	}
	if (getrandom(&c->id, sizeof(c->id), GRND_NONBLOCK) != (ssize_t)sizeof(c->id))
		c->id = (uint16_t)(c->id * 31421u + 6927u + (uint16_t)c->b.start_us);
	c->query_len = dns_query_build(c->query, c->id, c->qname, c->qlen, c->type);
	c->b.io = c->b.host->io_add(c->b.host->host, fd, LVSD_IO_IN, dns_on_io, c);
	if (!c->b.io) {
		snprintf(c->detail, sizeof(c->detail), "out of event-loop resources");
		dns_report(c, LVSD_CHECK_INTERNAL);
		return 0;
	}
	dns_send(c);
	return 0;
}

static const struct lvsd_checker_ops dns_ops = {
	.size = sizeof(struct lvsd_checker_ops),
	.check_option = dns_check_option,
	.create = dns_create,
	.run = dns_run,
	.cancel = conn_check_cancel,
	.destroy = conn_check_destroy,
};

CONN_CHECKER_PLUGIN("DNS_CHECK",
		    "DNS check: one query over UDP, NOERROR with a record of its type (keepalived's DNS_CHECK)",
		    dns_ops)
