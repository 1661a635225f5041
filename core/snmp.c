/* snmp.c — the AgentX subagent in lvsd's event loop (see snmp.h). The
 * reading path: snmp_start (Net-SNMP set up as a subagent, LVSD-MIB and
 * VRRPV3-MIB registered) → idle() after every round in which Net-SNMP ran: its fds
 * and next timeout mirrored into the loop → on_read (snmp_read2) /
 * on_timer (snmp_timeout, run_alarms: pings, reconnects). */
#include "snmp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/select.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include "context.h"
#include "log.h"
#include "loop.h"
#include "snmpmib.h"
#include "snmpvrrp3.h"
#include "vrrpmgr.h"

/* Net-SNMP's AgentX session to the master (libnetsnmpagent). */
extern netsnmp_session *main_session;

#define PING_INTERVAL_S 2      /* ping the master; reconnect attempts */
#define MASTER_TIMEOUT_US 200000 /* a request to a connected master */
#define MAX_FDS 16

struct seen {                  /* VRRP transitions already notified */
	char name[MODEL_NAME_MAX];
	uint64_t transitions;
};

struct snmp {
	struct daemon *d;
	struct snmpmib *mib;
	struct snmpvrrp3 *vrrp3;        /* VRRPV3-MIB */
	int fds[MAX_FDS];
	struct loop_io *ios[MAX_FDS];
	size_t n_fds;
	struct loop_timer *timer;
	int touched;               /* Net-SNMP ran: mirror its fds again */
	int reconnected;           /* a new AgentX session: fds anew */
	netsnmp_session *session;  /* the master session we last saw */
	struct seen *seen;
	size_t n_seen;
	uint64_t traps_sent;
};

static struct snmp *the_agent; /* Net-SNMP is process-wide */

static void saw_log(const char *line)
{
	/* Net-SNMP says so on every (re)connection; a closed and reopened
	 * descriptor may have the same number, so the watch is redone. */
	if (the_agent && strstr(line, "AgentX subagent connected"))
		the_agent->reconnected = 1;
}

static int log_cb(int major, int minor, void *server, void *client)
{
	const struct snmp_log_message *m = server;
	char line[512];
	size_t n;
	int prio;

	(void)major;
	(void)minor;
	(void)client;
	if (!m || !m->msg)
		return 0;
	snprintf(line, sizeof(line), "%s", m->msg);
	n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (!n)
		return 0;
	saw_log(line);
	/* Net-SNMP's notices are details of ours: one level down */
	prio = m->priority < LOG_WARNING ? m->priority : m->priority + 1;
	if (prio > LOG_DEBUG)
		prio = LOG_DEBUG;
	log_msg(prio, "snmp: %s", line);
	return 0;
}

/* ---------------------------------------------------------------- loop */

static void idle(void *arg);

static void read_fd(int fd)
{
	netsnmp_large_fd_set set;

	netsnmp_large_fd_set_init(&set, fd + 1 > FD_SETSIZE ? fd + 1 : FD_SETSIZE);
	netsnmp_large_fd_setfd(fd, &set);
	snmp_read2(&set);
	netsnmp_large_fd_set_cleanup(&set);
	netsnmp_check_outstanding_agent_requests();
}

/* A request from the master goes through Net-SNMP's internal callback
 * pipe twice before the answer leaves: what became readable meanwhile is
 * read at once (poll with no wait, a few rounds at most) rather than one
 * loop round each. */
static void on_read(void *arg, int fd, uint32_t events)
{
	struct snmp *s = arg;

	(void)events;
	read_fd(fd);
	for (int round = 0; round < 4; round++) {
		struct pollfd p[MAX_FDS];
		size_t n = s->n_fds;
		int any = 0;

		for (size_t i = 0; i < n; i++)
			p[i] = (struct pollfd){ .fd = s->fds[i], .events = POLLIN };
		if (poll(p, n, 0) <= 0)
			break;
		for (size_t i = 0; i < n; i++)
			if (p[i].revents & (POLLIN | POLLHUP | POLLERR)) {
				read_fd(p[i].fd);
				any = 1;
				break; /* the fd list may have changed */
			}
		if (!any)
			break;
	}
	s->touched = 1;
}

static void on_timer(void *arg)
{
	struct snmp *s = arg;

	s->timer = NULL;
	snmp_timeout();
	run_alarms();
	netsnmp_check_outstanding_agent_requests();
	s->touched = 1;
}

static void drop_fds(struct snmp *s)
{
	for (size_t i = 0; i < s->n_fds; i++)
		loop_io_del(s->d->loop, s->ios[i]);
	s->n_fds = 0;
}

/* The master session came or went: say so once, and keep a connected
 * master's requests short (Net-SNMP's AgentX requests are synchronous). */
static void watch_session(struct snmp *s)
{
	const char *sock = s->d->model->global.snmp_socket;

	if (main_session == s->session)
		return;
	if (main_session) {
		main_session->timeout = MASTER_TIMEOUT_US;
		main_session->retries = 0;
		log_notice("snmp: AgentX subagent connected to %s", sock);
	} else {
		log_warnx("snmp: AgentX master %s gone; retrying every %d s", sock,
			  PING_INTERVAL_S);
	}
	s->session = main_session;
}

static int same_fds(const struct snmp *s, netsnmp_large_fd_set *set, int maxfd)
{
	size_t n = 0;

	for (int fd = 0; fd < maxfd; fd++) {
		if (!netsnmp_large_fd_is_set(fd, set))
			continue;
		if (n >= s->n_fds || s->fds[n] != fd)
			return 0;
		n++;
	}
	return n == s->n_fds;
}

/* Mirror Net-SNMP's fds and next timeout into the loop. The fds are
 * watched afresh when the set changed or the session was reopened: a
 * descriptor number Net-SNMP closed and reopened must not stay silently
 * out of epoll. */
static void sync_fds(struct snmp *s)
{
	netsnmp_large_fd_set set;
	struct timeval tv = { 0, 0 }, alarm = { 0, 0 };
	int maxfd = 0, block = 1;

	netsnmp_large_fd_set_init(&set, FD_SETSIZE);
	snmp_select_info2(&maxfd, &set, &tv, &block);
	if (!s->reconnected && same_fds(s, &set, maxfd))
		goto timer;
	s->reconnected = 0;
	drop_fds(s);
	for (int fd = 0; fd < maxfd && s->n_fds < MAX_FDS; fd++) {
		struct loop_io *io;

		if (!netsnmp_large_fd_is_set(fd, &set))
			continue;
		io = loop_io_add(s->d->loop, fd, LVSD_IO_IN, on_read, s);
		if (!io) {
			log_warn("snmp: cannot watch fd %d", fd);
			continue;
		}
		s->fds[s->n_fds] = fd;
		s->ios[s->n_fds++] = io;
	}
timer:
	netsnmp_large_fd_set_cleanup(&set);
	if (s->timer) {
		loop_timer_del(s->d->loop, s->timer);
		s->timer = NULL;
	}
	/* Net-SNMP's alarms (pings, reconnects) too, whether or not
	 * snmp_select_info2 counted them. */
	if (get_next_alarm_delay_time(&alarm) &&
	    (block || timercmp(&alarm, &tv, <))) {
		tv = alarm;
		block = 0;
	}
	if (!block)
		s->timer = loop_timer_add_us(s->d->loop,
					     (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec,
					     on_timer, s);
}

static void idle(void *arg)
{
	struct snmp *s = arg;

	if (!s->touched)
		return;
	s->touched = 0;
	watch_session(s);
	sync_fds(s);
}

/* --------------------------------------------------------------- start */

int snmp_start(struct daemon *d, struct snmp **out)
{
	const struct model_global *g = &d->model->global;
	struct snmp *s;
	int r;

	*out = NULL;
	if (!g->snmp)
		return 0;
	if (the_agent)
		return -EBUSY;
	if (!(s = calloc(1, sizeof(*s))))
		return -ENOMEM;
	s->d = d;
	setenv("MIBS", "", 1); /* no MIB files: numeric OIDs only */
	snmp_disable_log();
	netsnmp_register_loghandler(NETSNMP_LOGHANDLER_CALLBACK, LOG_DEBUG);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
			       log_cb, NULL);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	/* alarms through snmp_select_info2's timeout, never SIGALRM */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_TIMEOUT, 1);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_RETRIES, 0);
	netsnmp_enable_subagent();
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET,
			      g->snmp_socket);
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
			   NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, PING_INTERVAL_S);
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
			       NETSNMP_DS_AGENT_NO_CONNECTION_WARNINGS, 1);
	if (init_agent("lvsd") != 0) {
		free(s);
		return -EIO;
	}
	if ((r = snmpmib_register(d, &s->mib)) < 0 ||
	    (r = snmpvrrp3_register(d, &s->vrrp3)) < 0) {
		snmpvrrp3_free(s->vrrp3);
		snmpmib_free(s->mib);
		snmp_shutdown("lvsd");
		free(s);
		return r;
	}
	/* init_agent and init_snmp set their defaults (15 s): ours after */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
			   NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, PING_INTERVAL_S);
	init_snmp("lvsd"); /* connects, or arms the reconnect alarm */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
			   NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, PING_INTERVAL_S);
	the_agent = s;
	s->touched = 1;
	if (!main_session)
		log_warnx("snmp: AgentX master %s not there yet; retrying every %d s",
			  g->snmp_socket, PING_INTERVAL_S);
	s->session = (netsnmp_session *)-1; /* log the first state */
	if (!main_session)
		s->session = NULL;
	loop_set_idle(d->loop, idle, s);
	*out = s;
	return 0;
}

void snmp_stop(struct snmp *s)
{
	if (!s)
		return;
	loop_set_idle(s->d->loop, NULL, NULL);
	snmpvrrp3_free(s->vrrp3);
	snmpmib_free(s->mib);
	snmp_shutdown("lvsd");
	drop_fds(s);
	if (s->timer)
		loop_timer_del(s->d->loop, s->timer);
	free(s->seen);
	free(s);
	the_agent = NULL;
}

void snmp_reloaded(struct snmp *s)
{
	const struct model_global *g;

	if (!s)
		return;
	g = &s->d->model->global;
	snmpmib_invalidate(s->mib);
	snmpvrrp3_invalidate(s->vrrp3);
	if (!g->snmp)
		log_warnx("reload: snmp = no takes effect at the next restart");
	s->touched = 1;
}

/* ------------------------------------------------------- notifications */

static void trap_send(struct snmp *s, netsnmp_variable_list *vars)
{
	if (!vars) {
		log_warnx("snmp: notification dropped: out of memory");
		return;
	}
	if (s->d->model->global.snmp_traps && main_session) {
		send_v2trap(vars);
		s->traps_sent++;
		s->touched = 1;
	}
	snmp_free_varbind(vars);
}

void snmp_notify_rs(struct snmp *s, const struct srv *srv)
{
	if (s && s->d->model->global.snmp_traps)
		trap_send(s, snmpmib_trap_rs(s->mib, srv));
}

void snmp_notify_quorum(struct snmp *s, const struct model_vs *vs, bool lost)
{
	if (s && s->d->model->global.snmp_traps)
		trap_send(s, snmpmib_trap_quorum(s->mib, vs, lost));
}

void snmp_notify_vrrp(struct snmp *s)
{
	struct vrrpmgr *m;
	size_t n;

	if (!s)
		return;
	m = s->d->vrrp;
	n = vrrpmgr_count(m);
	for (size_t i = 0; i < n; i++) {
		const struct vrrp_rt *rt = vrrpmgr_at(m, i);
		struct seen *e = NULL;

		for (size_t j = 0; j < s->n_seen; j++)
			if (strcmp(s->seen[j].name, rt->cfg.name) == 0)
				e = &s->seen[j];
		if (!e) {
			struct seen *v = realloc(s->seen, (s->n_seen + 1) * sizeof(*v));

			if (!v)
				continue;
			s->seen = v;
			e = &v[s->n_seen++];
			snprintf(e->name, sizeof(e->name), "%s", rt->cfg.name);
			e->transitions = 0;
		}
		if (e->transitions == rt->transitions)
			continue;
		e->transitions = rt->transitions;
		if (s->d->model->global.snmp_traps)
			trap_send(s, snmpmib_trap_vrrp(s->mib, rt));
	}
}
