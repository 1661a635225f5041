/* metrics.c — the OpenMetrics / Prometheus endpoint (see metrics.h). The
 * reading path: on_accept (at most METRICS_CONN_MAX connections, each
 * with a deadline) → on_conn reads the head (METRICS_REQ_MAX bytes) →
 * metrics_parse_request → respond: 200 with metrics_render's page, or
 * 400/404/405 → written as the socket takes it → closed. Nothing is kept
 * between requests; a scrape reads the kernel at most once
 * (srv_kernel_read, when its counters are older than 1 s). */
#include "metrics.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "context.h"
#include "health.h"
#include "log.h"
#include "loop.h"
#include "servers.h"
#include "vrrpmgr.h"

/* ------------------------------------------------------------ parsing */

static bool is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("!#$%&'*+-.^_`|~", c);
}

/* The end of the head: the index just past the blank line, 0 if none. */
static size_t head_end(const char *b, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (b[i] != '\n')
			continue;
		if (b[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && b[i + 1] == '\r' && b[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* Does [p, p+n) contain needle, ASCII case aside? */
static bool has_ci(const char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp(p + i, needle, k) == 0)
			return true;
	return false;
}

int metrics_parse_request(const char *buf, size_t len, struct metrics_req *out)
{
	size_t end = head_end(buf, len), i = 0, tstart, tlen;

	memset(out, 0, sizeof(*out));
	if (!end)
		return len >= METRICS_REQ_MAX ? -EMSGSIZE : -EAGAIN;
	if (end > METRICS_REQ_MAX)
		return -EMSGSIZE;
	/* request line: METHOD SP TARGET SP HTTP/1.x CRLF */
	while (i < end && is_tchar((unsigned char)buf[i]))
		i++;
	if (i == 0 || i >= end || buf[i] != ' ')
		return -EBADMSG;
	out->get = i == 3 && memcmp(buf, "GET", 3) == 0;
	tstart = ++i;
	while (i < end && (unsigned char)buf[i] > ' ' && (unsigned char)buf[i] < 0x7f)
		i++;
	tlen = i - tstart;
	if (!tlen || buf[tstart] != '/' || i >= end || buf[i] != ' ')
		return -EBADMSG;
	i++;
	if (end - i < 9 || memcmp(buf + i, "HTTP/1.", 7) != 0 ||
	    (buf[i + 7] != '0' && buf[i + 7] != '1'))
		return -EBADMSG;
	i += 8;
	if (buf[i] == '\r')
		i++;
	if (i >= end || buf[i] != '\n')
		return -EBADMSG;
	i++;
	for (size_t q = 0; q < tlen; q++)
		if (buf[tstart + q] == '?') {
			tlen = q;
			break;
		}
	out->metrics = tlen == 8 && memcmp(buf + tstart, "/metrics", 8) == 0;
	/* header lines: NAME ":" VALUE, until the blank line */
	while (i < end) {
		size_t ls = i, le, name_end, v;

		while (i < end && buf[i] != '\n')
			i++;
		le = i > ls && buf[i - 1] == '\r' ? i - 1 : i;
		i++; /* the '\n' */
		if (le == ls)
			break; /* the blank line */
		for (size_t q = ls; q < le; q++) {
			unsigned char c = (unsigned char)buf[q];

			if ((c < ' ' && c != '\t') || c == 0x7f)
				return -EBADMSG;
		}
		name_end = ls;
		while (name_end < le && is_tchar((unsigned char)buf[name_end]))
			name_end++;
		if (name_end == ls || name_end >= le || buf[name_end] != ':')
			return -EBADMSG; /* also a folded line (it starts with a space) */
		v = name_end + 1;
		if (name_end - ls == 6 && strncasecmp(buf + ls, "Accept", 6) == 0 &&
		    has_ci(buf + v, le - v, "application/openmetrics-text"))
			out->openmetrics = true;
	}
	return 0;
}

/* ------------------------------------------------------------ the page */

struct sb {
	char *p;
	size_t n, cap;
	bool oom;
	bool om;                 /* OpenMetrics, else Prometheus 0.0.4 */
};

static void sb_add(struct sb *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_add(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (b->oom)
		return;
	for (;;) {
		size_t room = b->cap - b->n;

		va_start(ap, fmt);
		k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? room : 0, fmt, ap);
		va_end(ap);
		if (k < 0) {
			b->oom = true;
			return;
		}
		if (b->p && (size_t)k < room) {
			b->n += (size_t)k;
			return;
		}
		size_t cap = b->cap ? b->cap : 16384;
		while (cap - b->n <= (size_t)k)
			cap *= 2;
		char *np = realloc(b->p, cap);

		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
}

/* A label value, escaped as both formats want (\\, \", \n). */
static void sb_label(struct sb *b, const char *v)
{
	char tmp[2 * 128 + 1];
	size_t k = 0;

	for (; *v && k + 2 < sizeof(tmp); v++) {
		if (*v == '\\' || *v == '"') {
			tmp[k++] = '\\';
			tmp[k++] = *v;
		} else if (*v == '\n') {
			tmp[k++] = '\\';
			tmp[k++] = 'n';
		} else {
			tmp[k++] = *v;
		}
	}
	tmp[k] = '\0';
	sb_add(b, "%s", tmp);
}

enum mtype { M_GAUGE, M_COUNTER, M_HISTOGRAM };

/* A family's HELP and TYPE lines. A counter's samples are NAME_total; its
 * family is NAME in OpenMetrics, NAME_total in the 0.0.4 format. */
static void family(struct sb *b, const char *name, enum mtype t, const char *help)
{
	const char *ty = t == M_COUNTER ? "counter" : t == M_HISTOGRAM ? "histogram" : "gauge";
	const char *suffix = t == M_COUNTER && !b->om ? "_total" : "";

	sb_add(b, "# HELP %s%s %s\n# TYPE %s%s %s\n", name, suffix, help, name,
	       suffix, ty);
}

/* Labels of a real server's / virtual server's samples. */
struct lbl {
	const char *k[3], *v[3];
	size_t n;
};

static void sample_start(struct sb *b, const char *name, const char *suffix,
			 const struct lbl *l, const char *k2, const char *v2)
{
	bool any = false;

	sb_add(b, "%s%s", name, suffix);
	for (size_t i = 0; l && i < l->n; i++) {
		sb_add(b, "%s%s=\"", any ? "," : "{", l->k[i]);
		sb_label(b, l->v[i]);
		sb_add(b, "\"");
		any = true;
	}
	if (k2) {
		sb_add(b, "%s%s=\"", any ? "," : "{", k2);
		sb_label(b, v2);
		sb_add(b, "\"");
		any = true;
	}
	sb_add(b, "%s ", any ? "}" : "");
}

static void s_u64(struct sb *b, const char *name, const char *suffix,
		  const struct lbl *l, const char *k2, const char *v2, uint64_t x)
{
	sample_start(b, name, suffix, l, k2, v2);
	sb_add(b, "%llu\n", (unsigned long long)x);
}

/* ipvs_stats: the totals (counters) and the kernel's rates (gauges). */
struct ipvs_metric {
	const char *name, *help, *dir;
	int counter;
	size_t off;
};
#define SO(f) offsetof(struct ipvs_stats, f)
static const struct ipvs_metric ipvs_metrics[] = {
	{ "connections", "Connections the kernel scheduled", NULL, 1, SO(conns) },
	{ "packets", "Packets, by direction", "in", 1, SO(inpkts) },
	{ "packets", NULL, "out", 1, SO(outpkts) },
	{ "bytes", "Bytes, by direction", "in", 1, SO(inbytes) },
	{ "bytes", NULL, "out", 1, SO(outbytes) },
	{ "connections_per_second", "The kernel's connection rate estimate", NULL, 0, SO(cps) },
	{ "packets_per_second", "The kernel's packet rate estimate, by direction", "in", 0, SO(inpps) },
	{ "packets_per_second", NULL, "out", 0, SO(outpps) },
	{ "bytes_per_second", "The kernel's byte rate estimate, by direction", "in", 0, SO(inbps) },
	{ "bytes_per_second", NULL, "out", 0, SO(outbps) },
};

static uint64_t stat_at(const struct ipvs_stats *s, size_t off)
{
	uint64_t x;

	memcpy(&x, (const char *)s + off, sizeof(x));
	return x;
}

static void service_str(const struct model_vs *vs, char *out, size_t len)
{
	char ab[64];

	if (vs->fwmark)
		snprintf(out, len, "fwmark %u", vs->fwmark);
	else if (vs->addr.family == AF_INET6)
		snprintf(out, len, "%s [%s]:%u", model_protocol_str(vs->protocol),
			 model_addr_str(&vs->addr, ab, sizeof(ab)), vs->port);
	else
		snprintf(out, len, "%s %s:%u", model_protocol_str(vs->protocol),
			 model_addr_str(&vs->addr, ab, sizeof(ab)), vs->port);
}

static void rs_str(const struct srv *s, char *out, size_t len)
{
	char ab[64];

	model_addr_str(&s->addr, ab, sizeof(ab));
	if (s->addr.family == AF_INET6)
		snprintf(out, len, "[%s]:%u", ab, s->port);
	else
		snprintf(out, len, "%s:%u", ab, s->port);
}

static void render_ipvs(struct sb *b, struct daemon *d, const char *prefix,
			bool rs)
{
	char name[96], svc[96], rsa[80];
	const struct model *m = d->model;

	for (size_t k = 0; k < sizeof(ipvs_metrics) / sizeof(ipvs_metrics[0]); k++) {
		const struct ipvs_metric *im = &ipvs_metrics[k];

		snprintf(name, sizeof(name), "%s_%s", prefix, im->name);
		if (im->help)
			family(b, name, im->counter ? M_COUNTER : M_GAUGE, im->help);
		if (!rs) {
			for (size_t i = 0; i < m->n_vs; i++) {
				const struct srv_vs_kernel *vk =
					srv_vs_kernel(&d->servers, m, &m->vs[i]);
				struct lbl l = { { "vs", "service" }, { m->vs[i].name, svc }, 2 };

				service_str(&m->vs[i], svc, sizeof(svc));
				s_u64(b, name, im->counter ? "_total" : "", &l,
				      im->dir ? "direction" : NULL, im->dir,
				      stat_at(&vk->stats, im->off));
			}
			continue;
		}
		for (size_t i = 0; i < d->servers.n; i++) {
			const struct srv *s = d->servers.v[i];
			struct lbl l = { { "vs", "rs" }, { s->vs_name, rsa }, 2 };

			rs_str(s, rsa, sizeof(rsa));
			s_u64(b, name, im->counter ? "_total" : "", &l,
			      im->dir ? "direction" : NULL, im->dir,
			      stat_at(&s->stats, im->off));
		}
	}
}

static void render_rs(struct sb *b, struct daemon *d)
{
	char rsa[80], le[32];

	family(b, "lvsd_real_server_weight", M_GAUGE,
	       "A real server's weight inputs: configured, and the operator's when set");
	for (size_t i = 0; i < d->servers.n; i++) {
		const struct srv *s = d->servers.v[i];
		struct lbl l = { { "vs", "rs" }, { s->vs_name, rsa }, 2 };

		rs_str(s, rsa, sizeof(rsa));
		s_u64(b, "lvsd_real_server_weight", "", &l, "input", "configured",
		      s->cfg->weight);
		if (s->has_op_weight)
			s_u64(b, "lvsd_real_server_weight", "", &l, "input", "operator",
			      s->op_weight);
	}
	family(b, "lvsd_real_server_effective_weight", M_GAUGE,
	       "The weight the kernel gets (0 when not in the kernel)");
	family(b, "lvsd_real_server_up", M_GAUGE, "Health: 1 up, 0 down");
	family(b, "lvsd_real_server_check_failures", M_GAUGE,
	       "Failed checks in a row");
	family(b, "lvsd_real_server_transitions", M_COUNTER,
	       "Health changes (up to down and back)");
	family(b, "lvsd_real_server_active_connections", M_GAUGE,
	       "Active connections the kernel reports");
	family(b, "lvsd_real_server_inactive_connections", M_GAUGE,
	       "Inactive connections the kernel reports");
	for (size_t i = 0; i < d->servers.n; i++) {
		const struct srv *s = d->servers.v[i];
		struct lbl l = { { "vs", "rs" }, { s->vs_name, rsa }, 2 };

		rs_str(s, rsa, sizeof(rsa));
		s_u64(b, "lvsd_real_server_effective_weight", "", &l, NULL, NULL,
		      s->eff.present ? s->eff.weight : 0);
		s_u64(b, "lvsd_real_server_up", "", &l, NULL, NULL, s->up ? 1 : 0);
		s_u64(b, "lvsd_real_server_check_failures", "", &l, NULL, NULL, s->fails);
		s_u64(b, "lvsd_real_server_transitions", "_total", &l, NULL, NULL,
		      s->transitions);
		s_u64(b, "lvsd_real_server_active_connections", "", &l, NULL, NULL,
		      s->activeconns);
		s_u64(b, "lvsd_real_server_inactive_connections", "", &l, NULL, NULL,
		      s->inactconns);
	}
	family(b, "lvsd_real_server_check_latency_seconds", M_HISTOGRAM,
	       "How long the successful health checks took");
	for (size_t i = 0; i < d->servers.n; i++) {
		const struct srv *s = d->servers.v[i];
		struct lbl l = { { "vs", "rs" }, { s->vs_name, rsa }, 2 };
		uint64_t cum = 0;

		rs_str(s, rsa, sizeof(rsa));
		for (size_t k = 0; k < SRV_LAT_BUCKETS; k++) {
			cum += s->lat_bucket[k];
			if (k < SRV_LAT_BUCKETS - 1)
				snprintf(le, sizeof(le), "%g", srv_lat_bounds_us[k] / 1e6);
			else
				snprintf(le, sizeof(le), "+Inf");
			s_u64(b, "lvsd_real_server_check_latency_seconds", "_bucket", &l,
			      "le", le, cum);
		}
		sample_start(b, "lvsd_real_server_check_latency_seconds", "_sum", &l,
			     NULL, NULL);
		sb_add(b, "%.6f\n", s->lat_sum_us / 1e6);
		s_u64(b, "lvsd_real_server_check_latency_seconds", "_count", &l, NULL,
		      NULL, s->lat_count);
	}
	render_ipvs(b, d, "lvsd_real_server", true);
}

static void render_vs(struct sb *b, struct daemon *d)
{
	const struct model *m = d->model;
	char svc[96];

	family(b, "lvsd_virtual_server_quorum_up", M_GAUGE,
	       "1 while the virtual server's quorum holds, 0 when lost");
	for (size_t i = 0; i < m->n_vs; i++) {
		struct lbl l = { { "vs", "service" }, { m->vs[i].name, svc }, 2 };

		service_str(&m->vs[i], svc, sizeof(svc));
		s_u64(b, "lvsd_virtual_server_quorum_up", "", &l, NULL, NULL,
		      health_quorum_lost(d->health, &m->vs[i]) ? 0 : 1);
	}
	render_ipvs(b, d, "lvsd_virtual_server", false);
}

/* The VRRP counters, by name; drops by reason. */
struct vrrp_metric {
	const char *name, *help, *reason;
	size_t off;
};
#define VO(f) offsetof(struct lvsd_vrrp_stats, f)
static const struct vrrp_metric vrrp_metrics[] = {
	{ "lvsd_vrrp_became_master", "Times the instance became MASTER", NULL, VO(master_transitions) },
	{ "lvsd_vrrp_adverts_received", "Valid adverts received", NULL, VO(adverts_rcvd) },
	{ "lvsd_vrrp_adverts_sent", "Adverts sent", NULL, VO(adverts_sent) },
	{ "lvsd_vrrp_priority_zero_received", "Adverts of priority 0 received", NULL, VO(priority_zero_rcvd) },
	{ "lvsd_vrrp_priority_zero_sent", "Adverts of priority 0 sent", NULL, VO(priority_zero_sent) },
	{ "lvsd_vrrp_send_errors", "Adverts that could not be sent", NULL, VO(send_errors) },
	{ "lvsd_vrrp_adverts_dropped", "Adverts dropped, by reason", "checksum", VO(bad_checksum) },
	{ "lvsd_vrrp_adverts_dropped", NULL, "version", VO(bad_version) },
	{ "lvsd_vrrp_adverts_dropped", NULL, "vrid", VO(bad_vrid) },
	{ "lvsd_vrrp_adverts_dropped", NULL, "ttl", VO(bad_ttl) },
	{ "lvsd_vrrp_adverts_dropped", NULL, "auth", VO(bad_auth) },
	{ "lvsd_vrrp_adverts_dropped", NULL, "length", VO(bad_length) },
	{ "lvsd_vrrp_adverts_dropped", NULL, "interval", VO(bad_interval) },
	{ "lvsd_vrrp_adverts_dropped", NULL, "address_list", VO(bad_addr_list) },
	{ "lvsd_vrrp_adverts_dropped", NULL, "type", VO(bad_type) },
	{ "lvsd_vrrp_adverts_dropped", NULL, "not_peer", VO(drop_not_peer) },
	{ "lvsd_vrrp_adverts_dropped", NULL, "in_fault", VO(drop_in_fault) },
	{ "lvsd_vrrp_adverts_dropped", NULL, "other", VO(drop_other) },
};

static void render_vrrp(struct sb *b, struct daemon *d)
{
	static const char *const states[] = { "init", "backup", "master", "fault" };
	size_t n = vrrpmgr_count(d->vrrp);
	struct lvsd_vrrp_stats *st = n ? calloc(n, sizeof(*st)) : NULL;

	if (n && !st) {
		b->oom = true;
		return;
	}
	for (size_t i = 0; i < n; i++)
		vrrpmgr_stats(d->vrrp, vrrpmgr_at(d->vrrp, i), &st[i]);
	family(b, "lvsd_vrrp_state", M_GAUGE,
	       "1 for the state the instance is in (init, backup, master, fault)");
	for (size_t i = 0; i < n; i++) {
		const struct vrrp_rt *rt = vrrpmgr_at(d->vrrp, i);
		struct lbl l = { { "vrrp_instance" }, { rt->cfg.name }, 1 };

		for (size_t k = 0; k < 4; k++)
			s_u64(b, "lvsd_vrrp_state", "", &l, "state", states[k],
			      (size_t)rt->st == k);
	}
	family(b, "lvsd_vrrp_priority", M_GAUGE, "The effective priority (tracking applied)");
	family(b, "lvsd_vrrp_transitions", M_COUNTER, "State changes");
	for (size_t i = 0; i < n; i++) {
		const struct vrrp_rt *rt = vrrpmgr_at(d->vrrp, i);
		struct lbl l = { { "vrrp_instance" }, { rt->cfg.name }, 1 };

		s_u64(b, "lvsd_vrrp_priority", "", &l, NULL, NULL,
		      rt->prio ? rt->prio : rt->cfg.priority);
		s_u64(b, "lvsd_vrrp_transitions", "_total", &l, NULL, NULL, rt->transitions);
	}
	for (size_t k = 0; k < sizeof(vrrp_metrics) / sizeof(vrrp_metrics[0]); k++) {
		const struct vrrp_metric *vm = &vrrp_metrics[k];

		if (vm->help)
			family(b, vm->name, M_COUNTER, vm->help);
		for (size_t i = 0; i < n; i++) {
			const struct vrrp_rt *rt = vrrpmgr_at(d->vrrp, i);
			struct lbl l = { { "vrrp_instance" }, { rt->cfg.name }, 1 };
			uint64_t x;

			memcpy(&x, (const char *)&st[i] + vm->off, sizeof(x));
			s_u64(b, vm->name, "_total", &l, vm->reason ? "reason" : NULL,
			      vm->reason, x);
		}
	}
	free(st);
}

char *metrics_render(struct daemon *d, bool openmetrics, size_t *len)
{
	struct sb b = { .om = openmetrics };
	const struct daemon_counters *c = &d->n;
	uint64_t now = loop_now_us();
	int r;

	if (d->ipvs && srv_kernel_age(&d->servers, now) > SRV_KERNEL_MAX_AGE_US &&
	    (r = srv_kernel_read(&d->servers, d->model, d->ipvs, now)) < 0 &&
	    r != -ENOTCONN)
		log_debug("metrics: cannot read the kernel's counters: %s", strerror(-r));
	family(&b, "lvsd_build_info", M_GAUGE, "lvsd's version, always 1");
	sb_add(&b, "lvsd_build_info{version=\"");
	sb_label(&b, LVSD_VERSION);
	sb_add(&b, "\"} 1\n");
	family(&b, "lvsd_uptime_seconds", M_GAUGE, "Seconds since lvsd started");
	sb_add(&b, "lvsd_uptime_seconds %.3f\n", (now - d->started_us) / 1e6);
	family(&b, "lvsd_reloads", M_COUNTER, "Configuration reloads, by result");
	s_u64(&b, "lvsd_reloads", "_total", NULL, "result", "ok", c->reloads);
	s_u64(&b, "lvsd_reloads", "_total", NULL, "result", "failed", c->reload_failures);
	family(&b, "lvsd_reconciles", M_COUNTER, "Reconciliations of the kernel's IPVS table");
	s_u64(&b, "lvsd_reconciles", "_total", NULL, NULL, NULL, c->reconciles);
	family(&b, "lvsd_reconcile_errors", M_COUNTER,
	       "Reconciliations that failed (kernel unreadable or operations refused)");
	s_u64(&b, "lvsd_reconcile_errors", "_total", NULL, NULL, NULL,
	      c->reconcile_failures);
	family(&b, "lvsd_kernel_operations", M_COUNTER, "IPVS operations sent to the kernel");
	s_u64(&b, "lvsd_kernel_operations", "_total", NULL, NULL, NULL,
	      d->ipvs ? ipvs_ops_sent(d->ipvs) : 0);
	render_vs(&b, d);
	render_rs(&b, d);
	render_vrrp(&b, d);
	if (openmetrics)
		sb_add(&b, "# EOF\n");
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	*len = b.n;
	return b.p;
}

/* ------------------------------------------------------------- server */

struct mconn {
	struct metrics *m;
	int fd;
	struct loop_io *io;
	struct loop_timer *deadline;
	char in[METRICS_REQ_MAX];
	size_t n_in;
	char *out;               /* the whole response */
	size_t n_out, sent;
	int draining;            /* sent: reading to the client's close */
	uint64_t seq;            /* order of accept: the oldest goes first */
};

struct metrics {
	struct daemon *d;
	int fd;
	struct loop_io *io;
	struct mconn *conns[METRICS_CONN_MAX];
	uint64_t refused;        /* connections closed at once: too many */
	uint64_t evicted;        /* older connections closed for a new one */
	uint64_t next_seq;
};

static void conn_close(struct mconn *c)
{
	struct metrics *m = c->m;

	for (size_t i = 0; i < METRICS_CONN_MAX; i++)
		if (m->conns[i] == c)
			m->conns[i] = NULL;
	if (c->deadline)
		loop_timer_del(m->d->loop, c->deadline);
	loop_io_close(m->d->loop, c->io);
	free(c->out);
	free(c);
}

static void on_deadline(void *arg)
{
	struct mconn *c = arg;

	c->deadline = NULL; /* the loop frees it */
	conn_close(c);
}

static void conn_write(struct mconn *c)
{
	while (c->sent < c->n_out) {
		ssize_t k = send(c->fd, c->out + c->sent, c->n_out - c->sent,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (k < 0 && (errno == EAGAIN || errno == EINTR))
			return; /* LVSD_IO_OUT again */
		if (k <= 0) {
			conn_close(c);
			return;
		}
		c->sent += (size_t)k;
	}
	/* A close with unread bytes would reset the connection and could
	 * lose the answer (a 400 for a long head): half-close, then read
	 * and drop what comes until the client closes (or the deadline). */
	c->draining = 1;
	if (shutdown(c->fd, SHUT_WR) < 0 ||
	    loop_io_mod(c->m->d->loop, c->io, LVSD_IO_IN) < 0)
		conn_close(c);
}

static void respond(struct mconn *c, int code, const char *ctype,
		    const char *body, size_t n)
{
	const char *reason = code == 200 ? "OK" : code == 400 ? "Bad Request"
			   : code == 404 ? "Not Found" : code == 405 ? "Method Not Allowed"
			   : "Internal Server Error";
	char head[320];
	int h = snprintf(head, sizeof(head),
			 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			 "%sConnection: close\r\n\r\n", code, reason, ctype, n,
			 code == 405 ? "Allow: GET\r\n" : "");

	if (h < 0 || (size_t)h >= sizeof(head) || !(c->out = malloc((size_t)h + n))) {
		conn_close(c);
		return;
	}
	memcpy(c->out, head, (size_t)h);
	memcpy(c->out + h, body, n);
	c->n_out = (size_t)h + n;
	if (loop_io_mod(c->m->d->loop, c->io, LVSD_IO_OUT) < 0) {
		conn_close(c);
		return;
	}
	conn_write(c);
}

static void error_page(struct mconn *c, int code, const char *msg)
{
	respond(c, code, "text/plain; charset=utf-8", msg, strlen(msg));
}

static void on_conn(void *arg, int fd, uint32_t events)
{
	struct mconn *c = arg;
	struct metrics_req req;
	ssize_t k;
	int r;

	(void)fd;
	if (c->draining) {
		char junk[4096];

		k = recv(c->fd, junk, sizeof(junk), MSG_DONTWAIT);
		if (k == 0 || (k < 0 && errno != EAGAIN && errno != EINTR))
			conn_close(c);
		return;
	}
	if (c->out) {
		conn_write(c);
		return;
	}
	if (!(events & LVSD_IO_IN) && (events & (LVSD_IO_ERR | LVSD_IO_HUP))) {
		conn_close(c);
		return;
	}
	k = recv(c->fd, c->in + c->n_in, sizeof(c->in) - c->n_in, MSG_DONTWAIT);
	if (k < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (k <= 0) {
		conn_close(c);
		return;
	}
	c->n_in += (size_t)k;
	r = metrics_parse_request(c->in, c->n_in, &req);
	if (r == -EAGAIN)
		return;
	if (r < 0) {
		error_page(c, 400, r == -EMSGSIZE ? "request too long\n" : "bad request\n");
		return;
	}
	if (!req.get) {
		error_page(c, 405, "only GET\n");
		return;
	}
	if (!req.metrics) {
		error_page(c, 404, "not found: try /metrics\n");
		return;
	}
	size_t n;
	char *page = metrics_render(c->m->d, req.openmetrics, &n);

	if (!page) {
		error_page(c, 500, "out of memory\n");
		return;
	}
	respond(c, 200, req.openmetrics
		? "application/openmetrics-text; version=1.0.0; charset=utf-8"
		: "text/plain; version=0.0.4; charset=utf-8", page, n);
	free(page);
}

static void on_accept(void *arg, int fd, uint32_t events)
{
	struct metrics *m = arg;

	(void)events;
	for (int round = 0; round < METRICS_CONN_MAX; round++) {
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct mconn *c = NULL;
		size_t slot = METRICS_CONN_MAX;

		if (cfd < 0)
			return;
		for (size_t i = 0; i < METRICS_CONN_MAX; i++)
			if (!m->conns[i]) {
				slot = i;
				break;
			}
		/* Full: the oldest connection not writing an answer makes
		 * room (it is waiting for or reading its request, or
		 * draining after its answer). Idle connections held open by
		 * someone would otherwise keep every scrape out until their
		 * deadline; a scrape sends its request at once and is read
		 * on the loop turn after its accept. */
		if (slot == METRICS_CONN_MAX) {
			struct mconn *old = NULL;

			for (size_t i = 0; i < METRICS_CONN_MAX; i++) {
				struct mconn *o = m->conns[i];

				if ((!o->out || o->draining) &&
				    (!old || o->seq < old->seq)) {
					old = o;
					slot = i;
				}
			}
			if (old) {
				if (m->evicted++ == 0)
					log_warnx("metrics: more than %d connections at once; closing the oldest idle ones",
						  METRICS_CONN_MAX);
				conn_close(old);
			}
		}
		if (slot == METRICS_CONN_MAX || !(c = calloc(1, sizeof(*c)))) {
			if (m->refused++ == 0)
				log_warnx("metrics: more than %d connections at once; closing the others",
					  METRICS_CONN_MAX);
			close(cfd);
			continue;
		}
		c->m = m;
		c->fd = cfd;
		c->seq = m->next_seq++;
		c->io = loop_io_add(m->d->loop, cfd, LVSD_IO_IN, on_conn, c);
		c->deadline = loop_timer_add(m->d->loop, METRICS_CONN_TIMEOUT_MS,
					     on_deadline, c);
		if (!c->io || !c->deadline) {
			if (c->io)
				loop_io_del(m->d->loop, c->io);
			if (c->deadline)
				loop_timer_del(m->d->loop, c->deadline);
			close(cfd);
			free(c);
			continue;
		}
		m->conns[slot] = c;
	}
}

int metrics_start(struct daemon *d, struct metrics **out)
{
	const struct model_global *g = &d->model->global;
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	struct metrics *m;
	int one = 1, r;

	*out = NULL;
	if (!g->metrics_addr.family)
		return 0;
	if (g->metrics_addr.family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = g->metrics_addr.u.v6;
		s6->sin6_port = htons(g->metrics_port);
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_addr = g->metrics_addr.u.v4;
		s4->sin_port = htons(g->metrics_port);
		sl = sizeof(*s4);
	}
	if (!(m = calloc(1, sizeof(*m))))
		return -ENOMEM;
	m->d = d;
	m->fd = socket(g->metrics_addr.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (m->fd < 0)
		goto fail;
	setsockopt(m->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (g->metrics_addr.family == AF_INET6)
		setsockopt(m->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(m->fd, (struct sockaddr *)&ss, sl) < 0 || listen(m->fd, 16) < 0)
		goto fail;
	if (!(m->io = loop_io_add(d->loop, m->fd, LVSD_IO_IN, on_accept, m))) {
		errno = ENOMEM;
		goto fail;
	}
	*out = m;
	return 0;
fail:
	r = -errno;
	if (m->fd >= 0)
		close(m->fd);
	free(m);
	return r;
}

void metrics_stop(struct metrics *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < METRICS_CONN_MAX; i++)
		if (m->conns[i])
			conn_close(m->conns[i]);
	loop_io_close(m->d->loop, m->io);
	free(m);
}
