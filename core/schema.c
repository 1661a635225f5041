/* schema.c — the key tables of lvsd.ini (schema.h): one line per key,
 * and what the tables drive outside the parser: the defaults of a new
 * object, inheritance, and whether a field differs between two objects.
 */
#include "schema.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define K(k, t, o, ...) {.key = (k), .type = (t), .off = (o), __VA_ARGS__}
#define A(k, c, t, o, ...) \
	{.key = (k), .canon = (c), .type = (t), .off = (o), __VA_ARGS__}
#define CHECK_KEYS(T, inh)                                                   \
	K("delay_loop", ST_MS, offsetof(T, check.delay_loop_ms), .min = 1,   \
	  .max = 86400000, .def = MODEL_DEFAULT_DELAY_LOOP_MS, .flags = inh, \
	  .set_off = offsetof(T, check.set), .bit = MODEL_CHK_DELAY_LOOP),   \
	K("retry", ST_U32, offsetof(T, check.retry), .max = 1000,            \
	  .def = MODEL_DEFAULT_RETRY, .flags = inh,                          \
	  .set_off = offsetof(T, check.set), .bit = MODEL_CHK_RETRY),        \
	A("nb_get_retry", "retry", ST_U32, offsetof(T, check.retry),         \
	  .max = 1000, .set_off = offsetof(T, check.set),                    \
	  .bit = MODEL_CHK_RETRY),                                           \
	K("delay_before_retry", ST_MS,                                       \
	  offsetof(T, check.delay_before_retry_ms), .max = 86400000,         \
	  .def = MODEL_DEFAULT_DELAY_BEFORE_RETRY_MS, .flags = inh,          \
	  .set_off = offsetof(T, check.set),                                 \
	  .bit = MODEL_CHK_DELAY_BEFORE_RETRY),                              \
	K("connect_timeout", ST_MS, offsetof(T, check.connect_timeout_ms),   \
	  .min = 1, .max = 3600000, .def = MODEL_DEFAULT_CONNECT_TIMEOUT_MS, \
	  .flags = inh, .set_off = offsetof(T, check.set),                   \
	  .bit = MODEL_CHK_CONNECT_TIMEOUT),                                 \
	K("warmup", ST_MS, offsetof(T, check.warmup_ms), .max = 86400000,    \
	  .def = MODEL_DEFAULT_WARMUP_MS, .flags = inh,                      \
	  .set_off = offsetof(T, check.set), .bit = MODEL_CHK_WARMUP),       \
	K("rise", ST_U32, offsetof(T, check.rise), .min = 1, .max = 1000,    \
	  .def = MODEL_DEFAULT_RISE, .flags = inh,                           \
	  .set_off = offsetof(T, check.set), .bit = MODEL_CHK_RISE)

#define GO(f) offsetof(struct model_global, f)
#define SYNC_SET(b) .set_off = GO(lvs_sync_set), .bit = (b)
static const struct schema_key global_keys[] = {
	K("router_id", ST_STR, GO(router_id)),
	/* SK_RESTART here: read at start only (reload.c warns) */
	K("plugin_dir", ST_STR, GO(plugin_dir), .flags = SK_ABS | SK_RESTART,
	  .defs = MODEL_DEFAULT_PLUGIN_DIR),
	K("control_socket", ST_STR, GO(control_socket), .max = 107,
	  .flags = SK_ABS | SK_RESTART, .defs = MODEL_DEFAULT_CONTROL_SOCKET),
	K("control_group", ST_STR, GO(control_group), .parse = SP_SYSGROUP),
	K("control_group_ro", ST_STR, GO(control_group_ro),
	  .parse = SP_SYSGROUP),
	K("state_file", ST_STR, GO(state_file), .flags = SK_ABS | SK_RESTART,
	  .defs = MODEL_DEFAULT_STATE_FILE),
	K("operator_grace", ST_MS, GO(operator_grace_ms),
	  .max = MODEL_MAX_OPERATOR_GRACE_MS,
	  .def = MODEL_DEFAULT_OPERATOR_GRACE_MS),
	K("log_level", ST_INT, GO(log_level), .parse = SP_LOGLEVEL,
	  .def = LVSD_LOG_INFO),
	K("snmp", ST_BOOL, GO(snmp)),
	K("snmp_socket", ST_STR, GO(snmp_socket),
	  .defs = MODEL_DEFAULT_SNMP_SOCKET),
	K("snmp_traps", ST_BOOL, GO(snmp_traps), .def = 1),
	K("metrics_listen", ST_ADDRPORT, GO(metrics_addr), .off2 = GO(metrics_port),
	  .parse = SP_METRICS, .flags = SK_RESTART),
	K("notification_email", ST_STRV, GO(notification_email),
	  .parse = SP_EMAIL, .flags = SK_REPEAT),
	K("notification_email_from", ST_STR, GO(notification_email_from),
	  .parse = SP_EMAIL),
	K("smtp_server", ST_ADDRPORT, GO(smtp_server), .off2 = GO(smtp_port),
	  .parse = SP_SMTP, .def = MODEL_DEFAULT_SMTP_PORT),
	K("smtp_connect_timeout", ST_MS, GO(smtp_connect_timeout_ms), .min = 1,
	  .max = 3600000, .def = MODEL_DEFAULT_SMTP_CONNECT_TIMEOUT_MS),
	K("max_scripts", ST_U32, GO(max_scripts), .min = 1, .max = 1024,
	  .def = MODEL_DEFAULT_MAX_SCRIPTS),
	K("vrrp_rt_priority", ST_U32, GO(vrrp_rt_priority), .max = 99,
	  .def = 1),
	K("lvs_sync_daemon", ST_STRV, GO(lvs_sync_daemon), .parse = SP_SYNCD),
	K("lvs_sync_daemon_id", ST_U32, GO(lvs_sync_id), .max = 255,
	  .def = MODEL_SYNC_ID_VRID, SYNC_SET(MODEL_SYNC_SET_ID)),
	K("lvs_sync_daemon_group", ST_ADDR, GO(lvs_sync_group),
	  .parse = SP_MCAST, SYNC_SET(MODEL_SYNC_SET_GROUP)),
	K("lvs_sync_daemon_port", ST_U16, GO(lvs_sync_port), .min = 1,
	  .max = 65535, .def = 8848, SYNC_SET(MODEL_SYNC_SET_PORT)),
	K("lvs_sync_daemon_ttl", ST_U8, GO(lvs_sync_ttl), .min = 1, .max = 255,
	  .def = 1, SYNC_SET(MODEL_SYNC_SET_TTL)),
	K("lvs_sync_daemon_maxlen", ST_U16, GO(lvs_sync_maxlen), .min = 256,
	  .max = 65507, .flags = SK_OFF0, SYNC_SET(MODEL_SYNC_SET_MAXLEN)),
	K("lvs_sync_daemon_both", ST_BOOL, GO(lvs_sync_both),
	  SYNC_SET(MODEL_SYNC_SET_BOTH)),
	K("script_user", ST_STR, GO(script_user), .parse = SP_SYSUSER),
	K("plugin_insecure", ST_BOOL, GO(plugin_insecure), .flags = SK_RESTART),
	/* IPVS connection timeouts, 0: the kernel's (apply.c) */
	K("timeout_tcp", ST_MS, GO(timeout_tcp_ms), .max = MODEL_MAX_IPVS_TIMEOUT_MS),
	K("timeout_tcpfin", ST_MS, GO(timeout_tcpfin_ms),
	  .max = MODEL_MAX_IPVS_TIMEOUT_MS),
	K("timeout_udp", ST_MS, GO(timeout_udp_ms), .max = MODEL_MAX_IPVS_TIMEOUT_MS),
	/* read at start only: the way checks run cannot change under them */
	K("check_user", ST_STR, GO(check_user), .flags = SK_RESTART,
	  .defs = MODEL_DEFAULT_CHECK_USER),
	CHECK_KEYS(struct model_global, 0),
};

#define VO(f) offsetof(struct model_vs, f)
#define SVC (SK_SERVICE | SK_RESTART)
static const struct schema_key vs_keys[] = {
	K("address", ST_ADDRPORT, VO(addr), .off2 = VO(port),
	  .parse = SP_VSADDR, .flags = SVC),
	K("fwmark", ST_U32, VO(fwmark), .min = 1, .max = UINT32_MAX,
	  .flags = SVC),
	/* a [virtual_server_group]: resolved into members (cfgcheck.c) */
	K("group", ST_NAME, VO(group), .flags = SVC),
	K("members", ST_MEMBERS, VO(members), .flags = SK_DERIVED),
	K("family", ST_AF, VO(af), .parse = SP_LATER, .flags = SVC,
	  .def = AF_INET),
	K("protocol", ST_PROTO, VO(protocol), .flags = SVC,
	  .def = IPPROTO_TCP),
	K("scheduler", ST_NAME, VO(scheduler), .parse = SP_SCHEDULER,
	  .defs = MODEL_DEFAULT_SCHEDULER),
	A("lvs_sched", "scheduler", ST_NAME, VO(scheduler),
	  .parse = SP_SCHEDULER),
	A("lb_algo", "scheduler", ST_NAME, VO(scheduler),
	  .parse = SP_SCHEDULER),
	K("sched_flags", ST_STRV, VO(sched_flags), .parse = SP_LATER),
	K("method", ST_METHOD, VO(method), .def = MODEL_METHOD_NAT),
	A("lvs_method", "method", ST_METHOD, VO(method)),
	A("lb_kind", "method", ST_METHOD, VO(method)),
	K("persistence_timeout", ST_U32, VO(persistence_timeout),
	  .max = 31536000),
	K("persistence_granularity", ST_U32, VO(persistence_granularity),
	  .parse = SP_LATER, .def = 0xffffffffu),
	K("one_packet", ST_BOOL, VO(one_packet)),
	A("ops", "one_packet", ST_BOOL, VO(one_packet)),
	CHECK_KEYS(struct model_vs, SK_INHERIT),
	K("quorum", ST_U32, VO(quorum), .max = UINT32_MAX, .def = 1),
	K("hysteresis", ST_U32, VO(hysteresis), .max = UINT32_MAX),
	K("quorum_up", ST_STRV, VO(quorum_up), .parse = SP_ARGV),
	K("quorum_down", ST_STRV, VO(quorum_down), .parse = SP_ARGV),
	K("sorry_server", ST_ADDRPORT, VO(sorry_server), .off2 = VO(sorry_port),
	  .parse = SP_LATER),
	K("sorry_server_inhibit", ST_BOOL, VO(sorry_server_inhibit)),
	K("alpha", ST_BOOL, VO(alpha)),
	K("omega", ST_BOOL, VO(omega)),
	K("inhibit_on_failure", ST_BOOL, VO(inhibit_on_failure)),
	K("slowstart", ST_MS, VO(slowstart_ms), .max = 86400000),
	K("agent_port", ST_U16, VO(agent_port), .min = 1, .max = 65535),
	K("agent_interval", ST_MS, VO(agent_interval_ms), .min = 1,
	  .max = 86400000),
	K("agent_timeout", ST_MS, VO(agent_timeout_ms), .min = 1,
	  .max = 3600000),
	K("virtualhost", ST_STR, VO(virtualhost)),
	K("bgp_announce", ST_BOOL, VO(bgp_announce)),
	K("bgp_vrrp", ST_NAME, VO(bgp_vrrp)),
};

#define RO(f) offsetof(struct model_rs, f)
#define RS_INH(b) .flags = SK_INHERIT, .set_off = RO(set), .bit = (b)
static const struct schema_key rs_keys[] = {
	K("weight", ST_U32, RO(weight), .max = 2147483647, .def = 1),
	K("method", ST_METHOD, RO(method), RS_INH(MODEL_RS_METHOD)),
	K("uthreshold", ST_U32, RO(uthreshold), .max = UINT32_MAX),
	K("lthreshold", ST_U32, RO(lthreshold), .max = UINT32_MAX),
	K("inhibit_on_failure", ST_BOOL, RO(inhibit_on_failure),
	  RS_INH(MODEL_RS_INHIBIT)),
	K("slowstart", ST_MS, RO(slowstart_ms), .max = 86400000,
	  RS_INH(MODEL_RS_SLOWSTART)),
	K("agent_port", ST_U16, RO(agent_port), .min = 1, .max = 65535,
	  RS_INH(MODEL_RS_AGENT_PORT)),
	/* not inherited either: the real server's delay_loop and
	 * connect_timeout (cfgcheck.c) */
	K("agent_interval", ST_MS, RO(agent_interval_ms), .min = 1,
	  .max = 86400000, .flags = SK_INHERIT | SK_AGENT, .set_off = RO(set),
	  .bit = MODEL_RS_AGENT_INTERVAL),
	K("agent_timeout", ST_MS, RO(agent_timeout_ms), .min = 1,
	  .max = 3600000, .flags = SK_INHERIT | SK_AGENT, .set_off = RO(set),
	  .bit = MODEL_RS_AGENT_TIMEOUT),
	K("notify_up", ST_STRV, RO(notify_up), .parse = SP_ARGV),
	K("notify_down", ST_STRV, RO(notify_down), .parse = SP_ARGV),
	K("check", ST_NAME, RO(checker), .parse = SP_CHECKER),
	K("connect_ip", ST_ADDR, RO(connect_ip)),
	K("connect_port", ST_U16, RO(connect_port), .min = 1, .max = 65535),
	K("bind_to", ST_ADDR, RO(bind_to)),
	A("bindto", "bind_to", ST_ADDR, RO(bind_to)), /* keepalived's */
	K("fwmark", ST_U32, RO(check_fwmark), .min = 1, .max = UINT32_MAX),
	CHECK_KEYS(struct model_rs, SK_INHERIT),
};

#define IO(f) offsetof(struct model_vrrp, f)
static const struct schema_key vrrp_keys[] = {
	K("state", ST_STATE, IO(state), .parse = SP_STATE,
	  .def = LVSD_VRRP_BACKUP),
	K("interface", ST_IFNAME, IO(interface), .flags = SK_RESTART),
	K("virtual_router_id", ST_U8, IO(vrid), .min = 1, .max = 255,
	  .flags = SK_RESTART),
	K("priority", ST_U8, IO(priority), .min = 1, .max = 255, .def = 100),
	K("preempt", ST_BOOL, IO(preempt), .parse = SP_PREEMPT, .def = 1),
	K("nopreempt", ST_BOOL, IO(preempt), .parse = SP_PREEMPT),
	K("preempt_delay", ST_MS, IO(preempt_delay_ms), .max = 1000000),
	K("advert_int", ST_CS, IO(advert_int_cs), .parse = SP_ADVERT,
	  .def = 100),
	K("version", ST_INT, IO(version), .min = 2, .max = 3,
	  .flags = SK_RESTART, .def = 2),
	/* from the virtual addresses */
	K("family", ST_AF, IO(family), .flags = SK_DERIVED | SK_RESTART,
	  .def = AF_INET),
	K("auth_type", ST_NONE, 0, .parse = SP_AUTHTYPE),
	K("auth_pass", ST_SECRET, IO(auth_pass), .parse = SP_AUTHPASS),
	K("virtual_ipaddress", ST_VIPS, IO(vips), .parse = SP_VIP,
	  .flags = SK_REPEAT),
	K("track_interface", ST_STRV, IO(track_interface), .parse = SP_IFLIST,
	  .flags = SK_REPEAT),
	K("unicast_src_ip", ST_ADDR, IO(unicast_src)),
	K("unicast_peer", ST_PEERS, IO(unicast_peers), .parse = SP_PEER,
	  .flags = SK_REPEAT),
	/* Bounded so that no setting floods the segment: at most 255
	 * announcements a set, sets at least a second apart. */
	K("garp_master_repeat", ST_U32, IO(garp_master_repeat), .max = 255,
	  .def = 5),
	K("garp_interval", ST_MS, IO(garp_interval_ms), .max = 60000),
	K("garp_master_delay", ST_MS, IO(garp_master_delay_ms), .min = 1000,
	  .max = 86400000, .flags = SK_OFF0, .def = 5000),
	K("garp_master_refresh", ST_MS, IO(garp_master_refresh_ms),
	  .min = 1000, .max = 86400000, .flags = SK_OFF0),
	K("garp_master_refresh_repeat", ST_U32,
	  IO(garp_master_refresh_repeat), .min = 1, .max = 255, .def = 1),
	K("notify_master", ST_STRV, IO(notify_master), .parse = SP_ARGV),
	K("notify_backup", ST_STRV, IO(notify_backup), .parse = SP_ARGV),
	K("notify_fault", ST_STRV, IO(notify_fault), .parse = SP_ARGV),
	K("notify", ST_STRV, IO(notify), .parse = SP_ARGV),
	K("notify_stop", ST_STRV, IO(notify_stop), .parse = SP_ARGV),
	K("track_script", ST_TRACK, IO(track), .parse = SP_TRACK,
	  .flags = SK_REPEAT),
	K("track_file", ST_TRACK, IO(track), .parse = SP_TRACK,
	  .flags = SK_REPEAT),
	K("track_process", ST_TRACK, IO(track), .parse = SP_TRACK,
	  .flags = SK_REPEAT),
	/* from [vrrp_sync_group] */
	K("sync_group", ST_NAME, IO(sync_group), .flags = SK_DERIVED),
};

/* A tracker's keys but its weight (which only the evaluation reads)
 * start it again when they change (vtrack.c). */
#define TO(f) offsetof(struct model_tracker, f)
#define RS SK_RESTART
static const struct schema_key script_keys[] = {
	K("weight", ST_I32, TO(weight), .max = 253),
	K("script", ST_STRV, TO(script), .parse = SP_ARGV, .flags = RS),
	K("interval", ST_MS, TO(interval_ms), .min = 10, .max = 86400000,
	  .def = 1000, .flags = RS),
	K("timeout", ST_MS, TO(timeout_ms), .min = 10, .max = 86400000,
	  .flags = RS),
	K("rise", ST_U32, TO(rise), .min = 1, .max = 1000, .def = 1,
	  .flags = RS),
	K("fall", ST_U32, TO(fall), .min = 1, .max = 1000, .def = 1,
	  .flags = RS),
	K("init_fail", ST_BOOL, TO(init_fail), .flags = RS),
};

static const struct schema_key tfile_keys[] = {
	K("weight", ST_I32, TO(weight), .max = 254, .def = 1),
	K("file", ST_STR, TO(file), .max = 4095, .flags = SK_ABS | RS),
};

static const struct schema_key tproc_keys[] = {
	K("weight", ST_I32, TO(weight), .max = 254, .def = 1),
	K("process", ST_STRV, TO(process), .parse = SP_WORDS, .flags = RS),
	K("full_command", ST_BOOL, TO(full_command), .flags = RS),
	K("quorum", ST_U32, TO(quorum), .max = 65535, .def = 1, .flags = RS),
	K("quorum_max", ST_U32, TO(quorum_max), .max = 65535,
	  .def = UINT32_MAX, .flags = RS),
	K("fork_delay", ST_MS, TO(fork_delay_ms), .max = 3600000,
	  .flags = RS),
	K("terminate_delay", ST_MS, TO(terminate_delay_ms), .max = 3600000,
	  .flags = RS),
	K("delay", ST_MS, TO(fork_delay_ms), .max = 3600000,
	  .parse = SP_DELAY, .flags = RS),
};
#undef RS

#define SO(f) offsetof(struct model_sync_group, f)
static const struct schema_key sync_keys[] = {
	K("group", ST_STRV, SO(group), .parse = SP_GROUP, .flags = SK_REPEAT),
	K("notify_master", ST_STRV, SO(notify_master), .parse = SP_ARGV),
	K("notify_backup", ST_STRV, SO(notify_backup), .parse = SP_ARGV),
	K("notify_fault", ST_STRV, SO(notify_fault), .parse = SP_ARGV),
	K("notify", ST_STRV, SO(notify), .parse = SP_ARGV),
};

#define BO(f) offsetof(struct model_bgp, f)
static const struct schema_key bgp_keys[] = {
	K("enabled", ST_BOOL, BO(enabled)),
	/* the device is created again (its addresses withdrawn meanwhile) */
	K("device", ST_IFNAME, BO(device), .flags = SK_RESTART,
	  .defs = MODEL_DEFAULT_BGP_DEVICE),
	K("announce_delay", ST_MS, BO(announce_delay_ms), .max = 3600000),
};

#define T(t) {t, sizeof(t) / sizeof((t)[0])}
static const struct {
	const struct schema_key *v;
	size_t n;
} tables[SCHEMA_N] = {
	[SCHEMA_GLOBAL] = T(global_keys), [SCHEMA_VS] = T(vs_keys),
	[SCHEMA_RS] = T(rs_keys),         [SCHEMA_VRRP] = T(vrrp_keys),
	[SCHEMA_SYNC] = T(sync_keys),     [SCHEMA_BGP] = T(bgp_keys),
	[SCHEMA_SCRIPT] = T(script_keys),
	[SCHEMA_TFILE] = T(tfile_keys),   [SCHEMA_TPROC] = T(tproc_keys),
};

const struct schema_key *schema_keys(enum schema_sect s, size_t *n)
{
	if ((unsigned)s >= SCHEMA_N) {
		*n = 0;
		return NULL;
	}
	*n = tables[s].n;
	return tables[s].v;
}

const char *schema_sect_name(enum schema_sect s)
{
	static const char *const name[SCHEMA_N] = {
		"global", "virtual_server", "real_server", "vrrp",
		"vrrp_sync_group", "bgp", "vrrp_script", "vrrp_track_file",
		"vrrp_track_process",
	};

	return (unsigned)s < SCHEMA_N ? name[s] : "?";
}

int schema_find(enum schema_sect s, const char *key, bool canon)
{
	size_t n;
	const struct schema_key *t = schema_keys(s, &n);

	for (size_t i = 0; i < n; i++) {
		if (strcmp(t[i].key, key) != 0 || (t[i].flags & SK_DERIVED))
			continue;
		if (canon && t[i].canon)
			return schema_find(s, t[i].canon, false);
		return (int)i;
	}
	return -1;
}

/* ------------------------------------------------ lifetime, defaults */

#define AT(obj, k, type) ((type *)((char *)(obj) + (k)->off))

_Static_assert(sizeof(int) == 4 && sizeof(enum model_method) == 4 &&
		       sizeof(enum lvsd_vrrp_state) == 4 && sizeof(bool) == 1,
	       "schema_init writes these fields as 4 (bool: 1) bytes");

static size_t scalar_size(enum schema_type t)
{
	switch (t) {
	case ST_U32: case ST_MS: case ST_CS: case ST_I32:
		return sizeof(uint32_t);
	case ST_U16: case ST_PROTO:
		return sizeof(uint16_t);
	case ST_U8:
		return sizeof(uint8_t);
	case ST_INT: case ST_AF:
		return sizeof(int);
	case ST_BOOL:
		return sizeof(bool);
	case ST_METHOD:
		return sizeof(enum model_method);
	case ST_STATE:
		return sizeof(enum lvsd_vrrp_state);
	default:
		return 0;
	}
}

static size_t obj_size(enum schema_sect s)
{
	switch (s) {
	case SCHEMA_GLOBAL: return sizeof(struct model_global);
	case SCHEMA_VS: return sizeof(struct model_vs);
	case SCHEMA_RS: return sizeof(struct model_rs);
	case SCHEMA_VRRP: return sizeof(struct model_vrrp);
	case SCHEMA_SYNC: return sizeof(struct model_sync_group);
	case SCHEMA_BGP: return sizeof(struct model_bgp);
	default: return sizeof(struct model_tracker);
	}
}

/* The tables describing s's object: a tracker's struct is one for all
 * three tracker sections. */
static size_t sects_of(enum schema_sect s, enum schema_sect out[3])
{
	if (s == SCHEMA_SCRIPT || s == SCHEMA_TFILE || s == SCHEMA_TPROC) {
		out[0] = SCHEMA_SCRIPT;
		out[1] = SCHEMA_TFILE;
		out[2] = SCHEMA_TPROC;
		return 3;
	}
	out[0] = s;
	return 1;
}

/* An array field of a model_vrrp (ST_VIPS, ST_PEERS, ST_TRACK) or a
 * model_vs (ST_MEMBERS): its count
 * and element size; 0 for any other field. */
static size_t array_of(const struct schema_key *k, void *obj, size_t **n)
{
	struct model_vrrp *v = obj;
	struct model_vs *vs = obj;

	switch (k->type) {
	case ST_MEMBERS:
		*n = &vs->n_members;
		return sizeof(*vs->members);
	case ST_VIPS: *n = &v->n_vips; return sizeof(*v->vips);
	case ST_PEERS:
		*n = &v->n_unicast_peers;
		return sizeof(*v->unicast_peers);
	case ST_TRACK: *n = &v->n_track; return sizeof(*v->track);
	default: return 0;
	}
}

/* Free (or only forget) the memory key k's field of obj owns. */
static void drop(const struct schema_key *k, void *obj, bool free_it)
{
	size_t *n;

	if (k->canon)
		return;
	if (k->type == ST_STR) {
		if (free_it)
			free(*AT(obj, k, char *));
		*AT(obj, k, char *) = NULL;
	} else if (k->type == ST_STRV) {
		if (free_it)
			model_strv_free(AT(obj, k, struct model_strv));
		memset(AT(obj, k, char), 0, sizeof(struct model_strv));
	} else if (array_of(k, obj, &n)) {
		if (free_it)
			free(*AT(obj, k, void *));
		*AT(obj, k, void *) = NULL;
		*n = 0;
	}
}

/* The options of a plugin (checker, scheduler) an object holds: its
 * keys, not the table's. NULL: none. */
static struct model_kv **plugin_opts(enum schema_sect s, void *obj,
				     size_t **n)
{
	struct model_rs *rs = obj;
	struct model_vs *vs = obj;

	*n = s == SCHEMA_RS ? &rs->n_opts : &vs->n_sched_opts;
	return s == SCHEMA_RS ? &rs->opts : s == SCHEMA_VS ? &vs->sched_opts : NULL;
}

static void drop_all(enum schema_sect s, void *obj, bool free_it)
{
	enum schema_sect ss[3];
	size_t ns = sects_of(s, ss), n;

	for (size_t j = 0; j < ns; j++) {
		const struct schema_key *t = schema_keys(ss[j], &n);

		for (size_t i = 0; i < n; i++)
			drop(&t[i], obj, free_it);
	}
}

void schema_clear(enum schema_sect s, void *obj)
{
	size_t *n;
	struct model_kv **kv = plugin_opts(s, obj, &n);

	drop_all(s, obj, true);
	for (size_t i = 0; kv && i < *n; i++) {
		free((*kv)[i].key);
		free((*kv)[i].value);
	}
	if (kv)
		free(*kv);
	memset(obj, 0, obj_size(s));
}

static int dup_field(const struct schema_key *k, void *d, const void *src)
{
	size_t *dn, *sn, sz;

	if (k->canon)
		return 0;
	if (k->type == ST_STR) {
		const char *f = *AT(src, k, char *);

		return f && !(*AT(d, k, char *) = strdup(f)) ? -ENOMEM : 0;
	}
	if (k->type == ST_STRV)
		return model_strv_copy(AT(d, k, struct model_strv),
				       AT(src, k, struct model_strv));
	sz = array_of(k, d, &dn);
	if (!sz || *AT(d, k, void *)) /* no array, or a shared field done */
		return 0;
	array_of(k, (void *)src, &sn);
	if (!*sn)
		return 0;
	if (!(*AT(d, k, void *) = malloc(*sn * sz)))
		return -ENOMEM;
	memcpy(*AT(d, k, void *), *AT(src, k, void *), *sn * sz);
	*dn = *sn;
	return 0;
}

int schema_copy(enum schema_sect s, void *d, const void *src)
{
	enum schema_sect ss[3];
	size_t ns = sects_of(s, ss), n, *nkv;
	struct model_kv **kv;
	int r = 0;

	memcpy(d, src, obj_size(s));
	drop_all(s, d, false); /* nothing of src's is left in d */
	if ((kv = plugin_opts(s, d, &nkv))) { /* not copied */
		*kv = NULL;
		*nkv = 0;
	}
	for (size_t j = 0; !r && j < ns; j++) {
		const struct schema_key *t = schema_keys(ss[j], &n);

		for (size_t i = 0; !r && i < n; i++)
			r = dup_field(&t[i], d, src);
	}
	if (r)
		schema_clear(s, d);
	return r;
}

bool schema_same(enum schema_sect s, const void *a, const void *b,
		 unsigned flags)
{
	size_t n;
	const struct schema_key *t = schema_keys(s, &n);

	for (size_t i = 0; i < n; i++)
		if ((t[i].flags & flags) && !t[i].canon &&
		    schema_differs(&t[i], a, b))
			return false;
	return true;
}

void schema_free_model(struct model *m)
{
	if (!m)
		return;
	schema_clear(SCHEMA_GLOBAL, &m->global);
	schema_clear(SCHEMA_BGP, &m->bgp);
	for (size_t i = 0; i < m->n_vs; i++)
		schema_clear(SCHEMA_VS, &m->vs[i]);
	for (size_t i = 0; i < m->n_rs; i++)
		schema_clear(SCHEMA_RS, &m->rs[i]);
	for (size_t i = 0; i < m->n_vrrp; i++)
		schema_clear(SCHEMA_VRRP, &m->vrrp[i]);
	for (size_t i = 0; i < m->n_sync; i++)
		schema_clear(SCHEMA_SYNC, &m->sync[i]);
	for (size_t i = 0; i < m->n_trackers; i++)
		schema_clear(SCHEMA_SCRIPT, &m->trackers[i]);
	for (size_t i = 0; i < m->n_vsg; i++)
		free(m->vsg[i].members);
	free(m->vsg);
	free(m->vs);
	free(m->rs);
	free(m->vrrp);
	free(m->sync);
	free(m->trackers);
	free(m->file);
	free(m->text);
	hidx_free(&m->rs_idx);
	hidx_free(&m->vs_idx);
	hidx_free(&m->vsk_idx);
	free(m);
}

int schema_init(enum schema_sect s, void *obj)
{
	size_t n;
	const struct schema_key *t = schema_keys(s, &n);

	memset(obj, 0, obj_size(s));
	for (size_t i = 0; i < n; i++) {
		const struct schema_key *k = &t[i];
		uint32_t d = k->def;

		if (k->canon)
			continue;
		switch (k->type) {
		case ST_STR:
			if (k->defs && !(*AT(obj, k, char *) = strdup(k->defs))) {
				schema_clear(s, obj);
				return -ENOMEM;
			}
			break;
		case ST_NAME:
		case ST_IFNAME:
			if (k->defs)
				snprintf(AT(obj, k, char), k->type == ST_NAME
					 ? MODEL_NAME_MAX : MODEL_IFNAME_MAX,
					 "%s", k->defs);
			break;
		case ST_ADDRPORT:
			*(uint16_t *)((char *)obj + k->off2) = (uint16_t)d;
			break;
		default:
			if (!d) /* zero already; also keeps nopreempt's field */
				break;
			/* the 4-byte fields (ints, enums) take d as it is */
			switch (scalar_size(k->type)) {
			case 4: memcpy(AT(obj, k, char), &d, 4); break;
			case 2: *AT(obj, k, uint16_t) = (uint16_t)d; break;
			case 1: *AT(obj, k, uint8_t) = (uint8_t)d; break;
			}
			break;
		}
	}
	return 0;
}

enum schema_sect schema_tracker_sect(enum model_track_kind k)
{
	return k == MODEL_TRACK_SCRIPT ? SCHEMA_SCRIPT
	     : k == MODEL_TRACK_FILE ? SCHEMA_TFILE : SCHEMA_TPROC;
}

void schema_tracker_init(struct model_tracker *t, enum model_track_kind k)
{
	schema_init(schema_tracker_sect(k), t); /* no string defaults */
	t->kind = k;
}

/* ------------------------------------------------------- inheritance */

void schema_inherit(enum schema_sect cs, void *child, enum schema_sect ps,
		    const void *parent)
{
	size_t n;
	const struct schema_key *t = schema_keys(cs, &n), *pt;

	pt = schema_keys(ps, &(size_t){0});
	for (size_t i = 0; i < n; i++) {
		const struct schema_key *k = &t[i];
		int pi;

		if (!(k->flags & SK_INHERIT) || k->canon ||
		    (*(const uint32_t *)((const char *)child + k->set_off) & k->bit))
			continue;
		pi = schema_find(ps, k->key, false);
		if (pi < 0 || pt[pi].type != k->type)
			continue;
		memcpy(AT(child, k, char), (const char *)parent + pt[pi].off,
		       scalar_size(k->type));
	}
}

/* -------------------------------------------------------- comparing */

bool schema_differs(const struct schema_key *k, const void *a, const void *b)
{
	const struct model_vrrp *va = a, *vb = b;
	size_t sz = scalar_size(k->type);

	if (sz)
		return memcmp(AT(a, k, char), AT(b, k, char), sz) != 0;
	switch (k->type) {
	case ST_STR: {
		const char *x = *AT(a, k, char *), *y = *AT(b, k, char *);

		return x && y ? strcmp(x, y) != 0 : x != y;
	}
	case ST_NAME:
	case ST_IFNAME:
	case ST_SECRET:
		return strcmp(AT(a, k, char), AT(b, k, char)) != 0;
	case ST_STRV:
		return !model_strv_eq(AT(a, k, struct model_strv),
				AT(b, k, struct model_strv));
	case ST_ADDR:
		return !model_addr_eq(AT(a, k, struct lvsd_addr),
				      AT(b, k, struct lvsd_addr));
	case ST_ADDRPORT:
		return !model_addr_eq(AT(a, k, struct lvsd_addr),
				      AT(b, k, struct lvsd_addr)) ||
		       *(const uint16_t *)((const char *)a + k->off2) !=
			       *(const uint16_t *)((const char *)b + k->off2);
	case ST_VIPS:
		if (va->n_vips != vb->n_vips)
			return true;
		for (size_t i = 0; i < va->n_vips; i++)
			if (!model_addr_eq(&va->vips[i].addr, &vb->vips[i].addr) ||
			    va->vips[i].prefix != vb->vips[i].prefix ||
			    strcmp(va->vips[i].ifname, vb->vips[i].ifname))
				return true;
		return false;
	case ST_PEERS:
		if (va->n_unicast_peers != vb->n_unicast_peers)
			return true;
		for (size_t i = 0; i < va->n_unicast_peers; i++)
			if (!model_addr_eq(&va->unicast_peers[i], &vb->unicast_peers[i]))
				return true;
		return false;
	case ST_MEMBERS: {
		const struct model_vs *x = a, *y = b;

		if (x->n_members != y->n_members)
			return true;
		for (size_t i = 0; i < x->n_members; i++)
			if (x->members[i].fwmark != y->members[i].fwmark ||
			    x->members[i].port != y->members[i].port ||
			    !model_addr_eq(&x->members[i].addr, &y->members[i].addr))
				return true;
		return false;
	}
	case ST_TRACK:
		if (va->n_track != vb->n_track)
			return true;
		for (size_t i = 0; i < va->n_track; i++) {
			const struct model_track_ref *x = &va->track[i],
						     *y = &vb->track[i];

			if (x->kind != y->kind || strcmp(x->name, y->name) ||
			    x->has_weight != y->has_weight || x->weight != y->weight)
				return true;
		}
		return false;
	default:
		return false;
	}
}
