/* ipvssync.c — the kernel's IPVS sync daemons following a VRRP
 * instance (ipvssync.h): what is wanted from [global] and the state,
 * read back with GET_DAEMON, started and stopped over its own "IPVS"
 * genl socket. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>

#include "ipvs.h"
#include "ipvssync.h"
#include "log.h"

struct ipvssync {
	int dry;
	struct ipvs *ipvs;               /* opened at the first need */
	int on;                          /* configured */
	/* lvsd runs the kernel's sync daemons: from the first
	 * lvs_sync_daemon on (daemons found running then are taken over:
	 * kept if they match, replaced if not), until the ones running when
	 * the key was removed are stopped. Never set without the key: then
	 * the kernel's daemons are left alone. */
	int owned;
	int fresh;                       /* configured, not yet read back */
	char instance[MODEL_NAME_MAX];
	enum lvsd_vrrp_state st;
	int both;
	struct ipvssync_daemon want;     /* state unused: set per daemon */
	int restart;                     /* parameters changed: restart */
	int run[2];                      /* [0] master, [1] backup, read back */
	struct ipvssync_daemon k[2];
	uint64_t changes;
	/* The last failure of each daemon ([0] master, [1] backup) and of
	 * what both need ([2]: reaching IPVS, reading back): -errno and a
	 * sentence, 0 and "" when none. A daemon's status line shows its
	 * own and [2] only. */
	int err[3];
	char why[3][160];
	/* Without the key and not owned: run[] and k[] are the kernel's
	 * daemons lvsd does not own (a kill -9 of an lvsd that had the key,
	 * then a start without it; or started by hand), read back every sync
	 * interval to be reported, never stopped. */
	int foreign;
};

#define WHY_BOTH 2

/* Past the kernel's IPVS_SYNC_FLUSH_TIME (2 s) plus its master thread's
 * IPVS_SYNC_CHECK_PERIOD (1 s) between looks at the part-filled message
 * (ip_vs_sync.c), ms. */
#define SYNC_FLUSH_WAIT_MS 3200

static const uint32_t states[2] = { IP_VS_STATE_MASTER, IP_VS_STATE_BACKUP };

int ipvssync_new(int dry, struct ipvssync **out)
{
	struct ipvssync *s = calloc(1, sizeof(*s));

	*out = s;
	if (!s)
		return -ENOMEM;
	s->dry = dry;
	return 0;
}

const char *ipvssync_instance(const struct ipvssync *s)
{
	return s && s->on ? s->instance : "";
}

void ipvssync_configure(struct ipvssync *s, const struct model *m)
{
	const struct model_global *g = &m->global;
	struct ipvssync_daemon w;
	const struct model_vrrp *v;

	if (!s)
		return;
	memset(&w, 0, sizeof(w)); /* padding too: compared with memcmp */
	if (g->lvs_sync_daemon.n != 2) {
		if (s->on)
			log_notice("sync daemon: lvs_sync_daemon removed: stopping the kernel's sync daemons (lvsd ran them, taken over ones included)");
		s->on = 0;
		s->fresh = 0;
		s->instance[0] = '\0';
		return;
	}
	v = model_find_vrrp(m, g->lvs_sync_daemon.v[1]);
	snprintf(w.ifname, sizeof(w.ifname), "%s", g->lvs_sync_daemon.v[0]);
	w.syncid = g->lvs_sync_id <= 255 ? g->lvs_sync_id : v ? v->vrid : 0;
	w.maxlen = g->lvs_sync_maxlen;
	w.group = g->lvs_sync_group;
	w.port = g->lvs_sync_port;
	w.ttl = g->lvs_sync_ttl;
	if (s->on && memcmp(&w, &s->want, sizeof(w)) != 0) {
		log_notice("sync daemon: parameters changed: restarting the sync daemons");
		s->restart = 1;
	}
	if (!s->on || strcmp(s->instance, g->lvs_sync_daemon.v[1]) != 0)
		s->st = LVSD_VRRP_INIT;
	if (!s->on && !s->owned)
		s->fresh = 1;
	snprintf(s->instance, sizeof(s->instance), "%s", g->lvs_sync_daemon.v[1]);
	s->want = w;
	s->both = g->lvs_sync_both;
	s->on = 1;
	s->owned = !s->dry;
}

void ipvssync_set_state(struct ipvssync *s, enum lvsd_vrrp_state st)
{
	if (s)
		s->st = st;
}

/* Is the daemon of states[i] wanted now? */
static int wanted(const struct ipvssync *s, int i)
{
	int master = s->st == LVSD_VRRP_MASTER;

	if (!s->on)
		return 0;
	return s->both || (i == 0 ? master : !master);
}

/* Failure err of slot (0 master, 1 backup, WHY_BOTH): logged once until
 * it changes, kept for the status. */
static void fail(struct ipvssync *s, int slot, int err, const char *fmt,
		 const char *arg)
{
	char why[sizeof(s->why[0])];

	snprintf(why, sizeof(why), fmt, arg, ipvs_strerror(err));
	if (err != s->err[slot] || strcmp(why, s->why[slot]) != 0)
		log_err("sync daemon: %s", why);
	s->err[slot] = err;
	snprintf(s->why[slot], sizeof(s->why[slot]), "%s", why);
}

static void clear(struct ipvssync *s, int slot)
{
	s->err[slot] = 0;
	s->why[slot][0] = '\0';
}

static int on_daemon(struct nlmsghdr *nlh, void *arg)
{
	struct ipvssync *s = arg;
	struct ipvssync_daemon d;
	int rc = ipvssync_parse_msg(nlh, &d);

	if (rc < 0)
		return rc;
	if (d.state == IP_VS_STATE_MASTER || d.state == IP_VS_STATE_BACKUP) {
		int i = d.state == IP_VS_STATE_MASTER ? 0 : 1;

		s->run[i] = 1;
		s->k[i] = d;
	}
	return 0;
}

static int read_back(struct ipvssync *s)
{
	struct nl_msg *msg;
	int rc = 0;

	for (int tries = 0; tries < 3; tries++) {
		rc = ipvssync_msg_get(ipvs_family(s->ipvs), 0, &msg);
		if (rc < 0)
			return rc;
		s->run[0] = s->run[1] = 0;
		rc = ipvs_request(s->ipvs, msg, on_daemon, s);
		nlmsg_free(msg);
		if (rc != -EAGAIN)
			break;
	}
	return rc;
}

static int send_one(struct ipvssync *s, int start, int i)
{
	struct ipvssync_daemon d = s->want;
	struct nl_msg *msg;
	int rc;

	d.state = states[i];
	rc = start ? ipvssync_msg_new(ipvs_family(s->ipvs), 0, &d, &msg)
		   : ipvssync_msg_del(ipvs_family(s->ipvs), 0, states[i], &msg);
	if (rc < 0)
		return rc;
	rc = ipvs_request(s->ipvs, msg, NULL, NULL);
	nlmsg_free(msg);
	return rc;
}

static const char *group_str(const struct ipvssync_daemon *d, char *buf,
			     size_t len)
{
	char a[INET6_ADDRSTRLEN] = IPVSSYNC_DEFAULT_GROUP;

	if (d->group.family)
		inet_ntop(d->group.family, &d->group.u, a, sizeof(a));
	snprintf(buf, len, d->group.family == AF_INET6 ? "[%s]:%u" : "%s:%u", a,
		 d->port ? d->port : IPVSSYNC_DEFAULT_PORT);
	return buf;
}

/* Not lvsd's to run: the kernel's daemons read back to be reported
 * (logged when they appear or change), left alone. Never loads ip_vs,
 * never fails. 0. */
static int look(struct ipvssync *s)
{
	int was[2] = { s->foreign && s->run[0], s->foreign && s->run[1] };
	struct ipvssync_daemon old[2] = { s->k[0], s->k[1] };
	char gb[80];

	s->foreign = 1;
	if (!s->ipvs && (!ipvs_loaded() || ipvs_open(&s->ipvs) < 0)) {
		s->ipvs = NULL;
		s->run[0] = s->run[1] = 0;
		return 0;
	}
	if (read_back(s) < 0)
		s->run[0] = s->run[1] = 0;
	for (int i = 0; i < 2; i++)
		if (s->run[i] && (!was[i] || !ipvssync_same(&old[i], &s->k[i])))
			log_notice("sync daemon: the kernel runs a %s daemon on %s, syncid %u, group %s, that is not lvsd's (no lvs_sync_daemon): left alone",
				   ipvssync_state_str(states[i]), s->k[i].ifname,
				   s->k[i].syncid, group_str(&s->k[i], gb, sizeof(gb)));
	return 0;
}

int ipvssync_apply(struct ipvssync *s)
{
	int rc, first = 0, changed = 0;

	if (!s || s->dry)
		return 0;
	if (!s->on && !s->owned)
		return look(s);
	s->foreign = 0;
	if (!s->ipvs) {
		rc = ipvs_open(&s->ipvs);
		if (rc < 0) {
			fail(s, WHY_BOTH, rc, "%scannot reach IPVS: %s", "");
			return rc;
		}
	}
	rc = read_back(s);
	if (rc < 0) {
		fail(s, WHY_BOTH, rc, "%sreading the kernel's sync daemons: %s", "");
		return rc;
	}
	clear(s, WHY_BOTH);
	for (int i = 0; i < 2; i++) {
		int want = wanted(s, i);
		struct ipvssync_daemon d = s->want;
		int same;
		char gb[80];

		d.state = states[i];
		same = s->run[i] && ipvssync_same(&d, &s->k[i]);
		if (s->fresh && s->run[i] && want && same && !s->restart)
			log_notice("sync daemon: %s found running with these parameters: taken over",
				   ipvssync_state_str(states[i]));
		else if (s->fresh && s->run[i])
			log_notice("sync daemon: %s found running: lvsd runs the sync daemons now",
				   ipvssync_state_str(states[i]));
		if (s->run[i] && (!want || !same || s->restart)) {
			rc = send_one(s, 0, i);
			if (rc < 0 && rc != -ESRCH) {
				fail(s, i, rc, "stopping the %s daemon: %s",
				     ipvssync_state_str(states[i]));
				first = first ? first : rc;
				continue;
			}
			log_notice("sync daemon: %s stopped (%s)",
				   ipvssync_state_str(states[i]),
				   !s->on ? "lvs_sync_daemon removed"
				   : !want ? "not wanted in this state"
				   : !same ? "differs from the configuration"
				   : "parameters changed");
			s->run[i] = 0;
			s->changes++;
			changed = 1;
		}
		if (want && !s->run[i]) {
			rc = send_one(s, 1, i);
			if (rc < 0) {
				char what[64];

				snprintf(what, sizeof(what), "%s daemon on %s",
					 ipvssync_state_str(states[i]), d.ifname);
				fail(s, i, rc, rc == -ENODEV
				     ? "starting the %s: %s (no such interface here; retried every sync interval)"
				     : "starting the %s: %s", what);
				first = first ? first : rc;
				continue;
			}
			log_notice("sync daemon: %s started on %s, syncid %u, group %s",
				   ipvssync_state_str(states[i]), d.ifname,
				   d.syncid, group_str(&d, gb, sizeof(gb)));
			s->changes++;
			changed = 1;
		}
		clear(s, i); /* this daemon is as wanted now */
	}
	s->fresh = 0;
	if (!first)
		s->restart = 0;
	if (!s->on && !first)
		s->owned = 0;
	/* what runs now, for the status */
	if ((changed || first) && read_back(s) < 0)
		s->run[0] = s->run[1] = 0;
	return first;
}

int ipvssync_iface_check(const struct model *m, char *why, size_t len)
{
	const struct model_strv *sd = &m->global.lvs_sync_daemon;

	if (sd->n != 2 || if_nametoindex(sd->v[0]) != 0)
		return 0;
	snprintf(why, len,
		 "lvs_sync_daemon: interface '%s' does not exist here (now): the sync daemons cannot run on it until it does",
		 sd->v[0]);
	return -ENODEV;
}

int ipvssync_reload_check(const struct model *old, const struct model *m,
			  int forced, char *line, size_t len)
{
	const struct model_strv *o = &old->global.lvs_sync_daemon;
	char why[200];

	if (ipvssync_iface_check(m, why, sizeof(why)) == 0 ||
	    (o->n == 2 && strcmp(o->v[0], m->global.lvs_sync_daemon.v[0]) == 0))
		return 0;
	if (forced)
		snprintf(line, len,
			 "reload forced: lvs_sync_daemon: interface '%s' does not exist here (now); applied anyway (--force): the sync daemons lvsd ran are stopped, and start on %s once it exists (tried every sync interval)",
			 m->global.lvs_sync_daemon.v[0],
			 m->global.lvs_sync_daemon.v[0]);
	else
		snprintf(line, len,
			 "reload refused: %s; the running sync daemons and configuration stay. Create the interface first, or apply it anyway: lvsctl reload --force",
			 why);
	return 1;
}

void ipvssync_free(struct ipvssync *s)
{
	if (!s)
		return;
	if ((s->on || s->owned) && !s->dry) {
		/* The kernel's master daemon sends a part-filled message
		 * only when it is IPVS_SYNC_FLUSH_TIME (2 s) old, and drops
		 * it when stopped (ip_vs_sync.c, sync_thread_master): the
		 * connections of the last seconds would not reach the backup
		 * that takes over. lvsd stops after its priority-0 advert,
		 * so it waits SYNC_FLUSH_WAIT_MS before stopping a master
		 * daemon. (A connection that has not yet passed
		 * sync_threshold's packet is not in any message.) */
		if (s->run[0]) {
			struct timespec ts = { SYNC_FLUSH_WAIT_MS / 1000,
					       (SYNC_FLUSH_WAIT_MS % 1000) * 1000000L };

			log_notice("sync daemon: waiting %d ms for the master daemon to send the connections it holds",
				   SYNC_FLUSH_WAIT_MS);
			while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
				;
		}
		s->on = 0;
		ipvssync_apply(s);
	}
	ipvs_close(s->ipvs);
	free(s);
}

void ipvssync_view(const struct ipvssync *s, struct ipvssync_view *out)
{
	memset(out, 0, sizeof(*out));
	if (!s)
		return;
	out->on = s->on;
	snprintf(out->instance, sizeof(out->instance), "%s", s->instance);
	out->st = s->st;
	out->both = s->both;
	out->want = s->want;
	out->want_master = wanted(s, 0);
	out->want_backup = wanted(s, 1);
	out->run_master = s->run[0];
	out->run_backup = s->run[1];
	out->kmaster = s->k[0];
	out->kbackup = s->k[1];
	out->changes = s->changes;
	for (int i = 0; i < 2; i++) {
		int j = s->err[i] ? i : WHY_BOTH;

		out->err[i] = s->err[j];
		snprintf(out->why[i], sizeof(out->why[i]), "%s", s->why[j]);
	}
}

static const char *st_str(enum lvsd_vrrp_state st)
{
	switch (st) {
	case LVSD_VRRP_MASTER: return "MASTER";
	case LVSD_VRRP_BACKUP: return "BACKUP";
	case LVSD_VRRP_FAULT: return "FAULT";
	case LVSD_VRRP_INIT: break;
	}
	return "INIT";
}

/* Daemon i's own last failure, else one of both's, else "". */
static const char *why_of(const struct ipvssync *s, int i)
{
	return s->why[i][0] ? s->why[i] : s->why[WHY_BOTH];
}

void ipvssync_report(const struct ipvssync *s,
		     void (*emit)(void *arg, const char *line), void *arg)
{
	char line[512], gb[80];

	if (s && !s->on && !s->owned && s->foreign && (s->run[0] || s->run[1])) {
		emit(arg, "Sync daemon: not configured (no lvs_sync_daemon); the kernel runs sync daemons that are not lvsd's: left alone (ipvsadm --stop-daemon STATE stops them)");
		for (int i = 0; i < 2; i++) {
			if (s->run[i])
				snprintf(line, sizeof(line),
					 "  %-6s running (not lvsd's) iface %s, syncid %u, group %s",
					 ipvssync_state_str(states[i]), s->k[i].ifname,
					 s->k[i].syncid, group_str(&s->k[i], gb, sizeof(gb)));
			else
				snprintf(line, sizeof(line), "  %-6s stopped",
					 ipvssync_state_str(states[i]));
			emit(arg, line);
		}
		return;
	}
	if (!s || (!s->on && !s->owned))
		return;
	if (!s->on) { /* removed, the stop failed: retried every interval */
		snprintf(line, sizeof(line),
			 "Sync daemon: lvs_sync_daemon removed; stopping the daemons lvsd ran");
		emit(arg, line);
		for (int i = 0; i < 2; i++) {
			snprintf(line, sizeof(line), "  %-6s %-7s (wanted: no)%s%s",
				 ipvssync_state_str(states[i]),
				 s->run[i] ? "running" : "stopped",
				 why_of(s, i)[0] ? "  last error: " : "", why_of(s, i));
			emit(arg, line);
		}
		return;
	}
	snprintf(line, sizeof(line),
		 "Sync daemon: follows vrrp %s (%s), iface %s, syncid %u, group %s, ttl %u, maxlen %u%s",
		 s->instance, st_str(s->st), s->want.ifname, s->want.syncid,
		 group_str(&s->want, gb, sizeof(gb)),
		 s->want.ttl ? s->want.ttl : IPVSSYNC_DEFAULT_TTL,
		 s->run[0] ? s->k[0].maxlen : s->run[1] ? s->k[1].maxlen
			   : s->want.maxlen,
		 s->both ? ", both" : "");
	emit(arg, line);
	for (int i = 0; i < 2; i++) {
		snprintf(line, sizeof(line), "  %-6s %-7s (wanted: %s)%s%s",
			 ipvssync_state_str(states[i]),
			 s->dry ? "-" : s->run[i] ? "running" : "stopped",
			 wanted(s, i) ? "yes" : "no",
			 why_of(s, i)[0] ? "  last error: " : "", why_of(s, i));
		emit(arg, line);
	}
}
