/* model.h — the configuration model of lvsd: flat structs for the global
 * settings, virtual servers, real servers, VRRP instances and sync groups,
 * as cfg.c builds them from the INI file; finders. The diff between two
 * models that a reload uses is model_diff.h.
 *
 * Ownership: a struct model owns every string and array reachable from it;
 * schema_free_model() (schema.h) releases all of it. Durations are in milliseconds (VRRP's
 * advert_int in centiseconds), ports in host byte order.
 */
#ifndef LVSD_MODEL_H
#define LVSD_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lvsd/plugin.h>

#include "hidx.h"

#define MODEL_NAME_MAX 64   /* object, plugin and sync group names, with NUL */
#define MODEL_IFNAME_MAX 16 /* IFNAMSIZ */
#define MODEL_AUTH_PASS_MAX 9 /* 8 chars + NUL */

/* Compile-time defaults (documented in lvsd.ini(5)). */
#define MODEL_DEFAULT_CONTROL_SOCKET "/run/lvsd/lvsd.sock"
#define MODEL_DEFAULT_STATE_FILE "/var/lib/lvsd/state"
#define MODEL_DEFAULT_CHECK_USER "lvsd"
#define MODEL_DEFAULT_SNMP_SOCKET "/var/agentx/master"
#ifdef LVSD_PLUGINDIR
#define MODEL_DEFAULT_PLUGIN_DIR LVSD_PLUGINDIR
#else
#define MODEL_DEFAULT_PLUGIN_DIR "/usr/local/lib/lvsd/plugins"
#endif
#define MODEL_DEFAULT_SCHEDULER "wlc"
#define MODEL_DEFAULT_DELAY_LOOP_MS 60000u
#define MODEL_DEFAULT_RETRY 1u
#define MODEL_DEFAULT_DELAY_BEFORE_RETRY_MS 1000u
#define MODEL_DEFAULT_CONNECT_TIMEOUT_MS 5000u
#define MODEL_DEFAULT_WARMUP_MS 0u
#define MODEL_DEFAULT_RISE 1u
#define MODEL_DEFAULT_MAX_SCRIPTS 32u
#define MODEL_DEFAULT_SMTP_PORT 25
#define MODEL_DEFAULT_SMTP_CONNECT_TIMEOUT_MS 30000u
#define MODEL_DEFAULT_OPERATOR_GRACE_MS 3600000u /* 1 h */
#define MODEL_MAX_OPERATOR_GRACE_MS 2592000000u /* 30 days */
#define MODEL_MAX_IPVS_TIMEOUT_MS 2592000000u /* 30 days */

/* A list of strings; v is NULL or NULL-terminated (v[n] == NULL), so an
 * argv can be handed to lvsd_host_api.spawn() as it is. */
struct model_strv {
	char **v;
	size_t n;
};

/* A checker-specific option of a real server, in file order. */
struct model_kv {
	char *key;
	char *value;
	unsigned line; /* where it was written (a [virtual_server]'s line for
			* an inherited virtualhost) */
};

enum model_method { /* IPVS forwarding method */
	MODEL_METHOD_NAT = 0, /* masquerading, ipvsadm -m */
	MODEL_METHOD_DR = 1,  /* direct routing (gatewaying), ipvsadm -g */
	MODEL_METHOD_TUN = 2, /* IP-in-IP tunnelling, ipvsadm -i */
};

/* The check parameters inherited global -> virtual server -> real server.
 * Every level holds the effective values; `set` says which were written at
 * that level (MODEL_CHK_* bits). */
struct model_check_params {
	uint32_t delay_loop_ms;
	uint32_t retry;
	uint32_t delay_before_retry_ms;
	uint32_t connect_timeout_ms;
	uint32_t warmup_ms;
	uint32_t rise;                /* successes in a row to come up, >= 1 */
	uint32_t set;
};
#define MODEL_CHK_DELAY_LOOP 0x01u
#define MODEL_CHK_RETRY 0x02u
#define MODEL_CHK_DELAY_BEFORE_RETRY 0x04u
#define MODEL_CHK_CONNECT_TIMEOUT 0x08u
#define MODEL_CHK_WARMUP 0x10u
#define MODEL_CHK_RISE 0x20u

#define MODEL_SYNC_ID_VRID 256u /* lvs_sync_daemon_id not given */
/* model_global.lvs_sync_set: which lvs_sync_daemon_* keys were given (an
 * error without lvs_sync_daemon). */
#define MODEL_SYNC_SET_ID 0x01u
#define MODEL_SYNC_SET_GROUP 0x02u
#define MODEL_SYNC_SET_PORT 0x04u
#define MODEL_SYNC_SET_TTL 0x08u
#define MODEL_SYNC_SET_MAXLEN 0x10u
#define MODEL_SYNC_SET_BOTH 0x20u

struct model_global {
	unsigned line;          /* of [global], 0 if absent */
	char *router_id;        /* NULL: the host name, found at run time */
	char *plugin_dir;
	char *control_socket;
	char *control_group;    /* NULL: none; read and change */
	char *control_group_ro; /* NULL: none; status, counters, dump */
	char *state_file;
	/* How long operator overrides of real servers that left the
	 * configuration are kept (a restored file finds them again), ms;
	 * 0: dropped at once. */
	uint32_t operator_grace_ms;
	int log_level;          /* enum lvsd_log_level; default INFO */
	bool snmp;
	char *snmp_socket;
	bool snmp_traps;        /* default yes */
	/* metrics_listen = ADDR:PORT: the OpenMetrics endpoint (metrics.c);
	 * family 0: off (the default) */
	struct lvsd_addr metrics_addr;
	uint16_t metrics_port;
	struct model_strv notification_email;
	char *notification_email_from; /* NULL: none */
	struct lvsd_addr smtp_server;  /* family 0: none */
	uint16_t smtp_port;
	uint32_t smtp_connect_timeout_ms;
	uint32_t max_scripts;   /* check programs at once (MISC_CHECK), 1..1024 */
	uint32_t vrrp_rt_priority; /* VRRP engine SCHED_RR priority 1..99, 0: none */
	/* The kernel's IPVS sync daemon (ipvssync.c): lvs_sync_daemon =
	 * IFACE INSTANCE, two words (n == 0: off; lvsd leaves the kernel's
	 * sync daemons alone), and its parameters. */
	struct model_strv lvs_sync_daemon;
	unsigned lvs_sync_line;          /* of lvs_sync_daemon, 0: absent */
	uint32_t lvs_sync_id;            /* 0..255; MODEL_SYNC_ID_VRID: the
					    instance's virtual_router_id */
	struct lvsd_addr lvs_sync_group; /* multicast; family 0: 224.0.0.81 */
	uint16_t lvs_sync_port;          /* UDP, default 8848 */
	uint8_t lvs_sync_ttl;            /* 1..255, default 1 */
	uint16_t lvs_sync_maxlen;        /* UDP payload bytes, 0: from the MTU */
	bool lvs_sync_both;              /* both daemons at once, always */
	uint32_t lvs_sync_set;           /* MODEL_SYNC_SET_*: the
					    lvs_sync_daemon_* keys given */
	/* Who programs run as (notify lines, vrrp_script, MISC_CHECK):
	 * NULL: check_user's (model_script_user); "root". */
	char *script_user;
	bool plugin_insecure;   /* load plugins others may write (logged) */
	/* IPVS connection timeouts (ipvsadm --set), ms, whole seconds in the
	 * kernel (rounded up); 0: the kernel's own is left */
	uint32_t timeout_tcp_ms;
	uint32_t timeout_tcpfin_ms;
	uint32_t timeout_udp_ms;
	char *check_user;       /* the check process's user; "root": in-process */
	struct model_check_params check;
};

/* One service of a [virtual_server_group]: an address and port, or a
 * firewall mark (fwmark != 0); the family and protocol are the virtual
 * server's. */
struct model_member {
	uint32_t fwmark;        /* != 0: a firewall-mark service */
	struct lvsd_addr addr;  /* when fwmark == 0 */
	uint16_t port;          /* when fwmark == 0 */
	unsigned line;          /* where the group wrote it */
};

#define MODEL_GROUP_RANGE_MAX 256u  /* addresses in one IP-LAST range */
#define MODEL_GROUP_MAX 4096u       /* services in one group */

/* [virtual_server_group NAME]: the services that virtual servers with
 * "group = NAME" stand for, in file order. */
struct model_vsg {
	char name[MODEL_NAME_MAX];
	unsigned line;
	struct model_member *members;
	size_t n_members;
};

/* [bgp]: the device whose addresses BIRD announces (bgp.c). */
#define MODEL_DEFAULT_BGP_DEVICE "lvsd-bgp"
struct model_bgp {
	unsigned line;                /* of [bgp], 0 if absent */
	bool enabled;
	char device[MODEL_IFNAME_MAX];
	uint32_t announce_delay_ms;   /* quorum held this long: announced */
};

/* Who programs run as: script_user, else check_user (lvsd). */
static inline const char *model_script_user(const struct model_global *g)
{
	if (g->script_user && *g->script_user)
		return g->script_user;
	return g->check_user && *g->check_user ? g->check_user
					       : MODEL_DEFAULT_CHECK_USER;
}

struct model_vs {
	char name[MODEL_NAME_MAX];
	unsigned line;
	/* group[0] != 0: the virtual server is the services of this
	 * [virtual_server_group] (members, a copy resolved by cfg; af and
	 * protocol apply to each), not of addr/port/fwmark below. */
	char group[MODEL_NAME_MAX];
	unsigned group_line;            /* of "group =" (0: none) */
	struct model_member *members;
	size_t n_members;
	/* The kernel's key: (af, protocol, addr, port) or (af, fwmark). */
	int af;                 /* AF_INET or AF_INET6 */
	uint16_t protocol;      /* IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP */
	uint32_t fwmark;        /* != 0: a firewall-mark service */
	struct lvsd_addr addr;  /* when fwmark == 0 */
	uint16_t port;          /* when fwmark == 0 */
	char scheduler[MODEL_NAME_MAX];
	struct model_strv sched_flags; /* names as written */
	uint32_t sched_flag_bits;       /* IP_VS_SVC_F_SCHED* */
	struct model_kv *sched_opts;    /* the scheduler plugin's options */
	size_t n_sched_opts;
	enum model_method method;
	uint32_t persistence_timeout;     /* seconds, 0: off */
	/* IPv4: netmask in network byte order; IPv6: prefix length (as
	 * IPVS_SVC_ATTR_NETMASK wants it). Default /32 or /128. */
	uint32_t persistence_granularity;
	bool one_packet;
	struct model_check_params check;
	uint32_t quorum;
	uint32_t hysteresis;
	struct model_strv quorum_up;    /* argv, n == 0: none */
	struct model_strv quorum_down;
	struct lvsd_addr sorry_server;  /* family 0: none */
	uint16_t sorry_port;
	unsigned sorry_line;            /* of sorry_server (0: none) */
	bool sorry_server_inhibit;
	bool alpha;
	bool omega;
	bool inhibit_on_failure;
	uint32_t slowstart_ms;
	uint16_t agent_port;            /* 0: no agent check */
	uint32_t agent_interval_ms;     /* 0: the real server's delay_loop */
	uint32_t agent_timeout_ms;      /* 0: its connect_timeout */
	char *virtualhost;              /* NULL: none */
	unsigned virtualhost_line;
	bool runtime;                   /* added by lvsctl add-vs (runtime.c) */
	bool bgp_announce;              /* its address announced by BIRD (bgp.c) */
	char bgp_vrrp[MODEL_NAME_MAX];  /* "": none; else only while MASTER */
	unsigned bgp_line;              /* of bgp_announce or bgp_vrrp, 0: none */
};

/* Bits of model_rs.set: what the [real_server] section wrote itself
 * (the rest is inherited from the virtual server). */
#define MODEL_RS_METHOD 0x01u
#define MODEL_RS_INHIBIT 0x02u
#define MODEL_RS_SLOWSTART 0x04u
#define MODEL_RS_AGENT_PORT 0x08u
#define MODEL_RS_AGENT_INTERVAL 0x10u
#define MODEL_RS_AGENT_TIMEOUT 0x20u

struct model_rs {
	char vs_name[MODEL_NAME_MAX];
	size_t vs;              /* index into model.vs */
	unsigned line;
	struct lvsd_addr addr;
	uint16_t port;          /* resolved: the VS's if omitted, 0 for fwmark */
	uint32_t weight;
	enum model_method method;
	uint32_t uthreshold;    /* 0: none */
	uint32_t lthreshold;
	bool inhibit_on_failure;
	uint32_t slowstart_ms;
	/* The agent check (core/agent.c); after the final pass, inherited
	 * from the virtual server and defaulted: interval = delay_loop,
	 * timeout = connect_timeout. agent_port 0: none. */
	uint16_t agent_port;
	uint32_t agent_interval_ms;
	uint32_t agent_timeout_ms;
	struct model_strv notify_up;
	struct model_strv notify_down;
	char checker[MODEL_NAME_MAX]; /* "": no check, always up */
	struct lvsd_addr connect_ip;  /* family 0: the real server's */
	uint16_t connect_port;        /* 0: the real server's */
	struct lvsd_addr bind_to;     /* family 0: none */
	uint32_t check_fwmark;        /* SO_MARK of check sockets, 0: none */
	struct model_check_params check;
	struct model_kv *opts;        /* checker-specific options */
	size_t n_opts;
	unsigned opts_bad;            /* options the parser refused (an error
				       * each; not in opts) */
	uint32_t set;                 /* MODEL_RS_* */
	bool runtime;                 /* added by lvsctl add-rs (runtime.c) */
};

/* What a [vrrp] instance tracks besides interfaces: a [vrrp_script], a
 * [vrrp_track_file] or a [vrrp_track_process] (struct model_tracker). */
enum model_track_kind {
	MODEL_TRACK_SCRIPT = 0,
	MODEL_TRACK_FILE = 1,
	MODEL_TRACK_PROCESS = 2,
};

/* "track_script = NAME [weight N]" (likewise track_file, track_process). */
struct model_track_ref {
	enum model_track_kind kind;
	char name[MODEL_NAME_MAX];
	bool has_weight;              /* weight given: overrides the object's */
	int32_t weight;
	unsigned line;
};

/* One tracked object. Weights: a script or process adds weight (> 0) to
 * the priority while OK, or subtracts -weight (< 0) while failing; 0: the
 * instance is FAULT while failing. A file's number is multiplied by the
 * weight and added; weight 0: a non-zero number is a FAULT. */
struct model_tracker {
	enum model_track_kind kind;
	char name[MODEL_NAME_MAX];
	unsigned line;
	int32_t weight;               /* scripts: -253..253; others -254..254 */
	/* [vrrp_script] */
	struct model_strv script;     /* argv, run without a shell */
	uint32_t interval_ms;         /* between the starts of two runs */
	uint32_t timeout_ms;          /* 0: the interval */
	uint32_t rise, fall;          /* consecutive results to change */
	bool init_fail;               /* failing until it first succeeds */
	/* [vrrp_track_file] */
	char *file;                   /* absolute path */
	/* [vrrp_track_process] */
	struct model_strv process;    /* the name, then the arguments, if any */
	bool full_command;            /* match argv[0] as given, not the name */
	uint32_t quorum, quorum_max;  /* OK while quorum <= count <= max */
	uint32_t fork_delay_ms;       /* quorum gained: OK after this */
	uint32_t terminate_delay_ms;  /* quorum lost: failing after this */
};

struct model_vrrp {
	char name[MODEL_NAME_MAX];
	unsigned line;
	enum lvsd_vrrp_state state;   /* LVSD_VRRP_BACKUP or _MASTER */
	char interface[MODEL_IFNAME_MAX];
	uint8_t vrid;
	uint8_t priority;
	bool preempt;
	uint32_t preempt_delay_ms;
	uint32_t advert_int_cs;
	int version;                  /* 2 or 3 */
	int family;                   /* AF_INET or AF_INET6, from the VIPs */
	char auth_pass[MODEL_AUTH_PASS_MAX]; /* "": no authentication */
	struct lvsd_vip *vips;
	size_t n_vips;
	struct model_strv track_interface;
	struct lvsd_addr unicast_src; /* family 0: none */
	struct lvsd_addr *unicast_peers;
	size_t n_unicast_peers;
	uint32_t garp_master_repeat;
	uint32_t garp_interval_ms;
	uint32_t garp_master_delay_ms;   /* second set after MASTER; 0: none */
	uint32_t garp_master_refresh_ms; /* while MASTER; 0: none */
	uint32_t garp_master_refresh_repeat;
	struct model_strv notify_master;
	struct model_strv notify_backup;
	struct model_strv notify_fault;
	struct model_strv notify;        /* + INSTANCE NAME STATE PRIORITY */
	struct model_strv notify_stop;
	struct model_track_ref *track;   /* track_script/_file/_process */
	size_t n_track;
	char sync_group[MODEL_NAME_MAX]; /* "": none */
};

struct model_sync_group {
	char name[MODEL_NAME_MAX];
	unsigned line;
	struct model_strv group;      /* vrrp instance names */
	struct model_strv notify_master;
	struct model_strv notify_backup;
	struct model_strv notify_fault;
	struct model_strv notify;     /* + GROUP NAME STATE PRIORITY */
};

struct model {
	char *file;
	/* The configuration's text it was read from (runtime objects'
	 * sections not included; runtime.c parses it again with them), NULL
	 * for a model made otherwise. */
	char *text;
	size_t text_len;
	struct hidx rs_idx; /* over rs[] by identity; built by model_index() */
	/* over vs[] by name and by service key: kept by model_add_vs,
	 * rebuilt by model_index() */
	struct hidx vs_idx, vsk_idx;
	struct model_global global;
	struct model_bgp bgp;
	struct model_vs *vs;
	size_t n_vs;
	struct model_rs *rs;
	size_t n_rs;
	struct model_vrrp *vrrp;
	size_t n_vrrp;
	struct model_sync_group *sync;
	size_t n_sync;
	struct model_tracker *trackers;
	size_t n_trackers;
	struct model_vsg *vsg;
	size_t n_vsg;
};

/* ------------------------------------------------------------ lifetime */

/* A new empty model, its global settings zero (schema_init() gives them
 * their defaults); NULL if out of memory. */
struct model *model_new(const char *file);
/* Freed by schema_free_model(), its objects by schema_clear() (schema.h:
 * by the types of the key tables' fields). */

/* Appending: the model takes a shallow copy of *obj (and so ownership of
 * its strings); on error nothing is taken. Return 0 or -ENOMEM. */
int model_add_vs(struct model *m, const struct model_vs *vs);
int model_add_rs(struct model *m, const struct model_rs *rs);
int model_add_vrrp(struct model *m, const struct model_vrrp *v);
int model_add_sync_group(struct model *m, const struct model_sync_group *g);
int model_add_tracker(struct model *m, const struct model_tracker *t);
int model_add_vsg(struct model *m, const struct model_vsg *g);

/* strv helpers: push a copy of s (0 or -ENOMEM); free; d = a deep copy
 * of s (d's old contents are not freed; 0, or -ENOMEM with d empty);
 * the strings as an argv (NULL-terminated; NULL when there are none);
 * the same strings in the same order. */
int model_strv_push(struct model_strv *sv, const char *s);
void model_strv_free(struct model_strv *sv);
int model_strv_copy(struct model_strv *d, const struct model_strv *s);
const char *const *model_strv_argv(const struct model_strv *sv);
bool model_strv_eq(const struct model_strv *a, const struct model_strv *b);

/* ------------------------------------------------------------- finders */

/* O(1) for a model built with model_add_vs (or indexed), O(n) else. */
struct model_vs *model_find_vs(const struct model *m, const char *name);
/* The virtual server with vs's service key (model_vs_key_eq), or NULL;
 * O(1) like model_find_vs. */
struct model_vs *model_find_vs_key(const struct model *m,
				   const struct model_vs *vs);
/* O(1) once model_index() ran over the whole model, O(n) before. */
struct model_rs *model_find_rs(const struct model *m, const char *vs_name,
			       const struct lvsd_addr *addr, uint16_t port);
/* Index the real servers by identity, the virtual servers by name and
 * key (cfg does it on a finished model). 0 or -ENOMEM (lookups then stay
 * linear). */
int model_index(struct model *m);
/* The hash of a real server's identity, as the indexes use it. */
uint64_t model_rs_key_hash(const char *vs_name, const struct lvsd_addr *addr,
			   uint16_t port);
struct model_vrrp *model_find_vrrp(const struct model *m, const char *name);
struct model_tracker *model_find_tracker(const struct model *m,
					 enum model_track_kind kind,
					 const char *name);
const char *model_track_kind_str(enum model_track_kind k); /* "vrrp_script" */
struct model_sync_group *model_find_sync_group(const struct model *m,
					       const char *name);
struct model_vsg *model_find_vsg(const struct model *m, const char *name);

/* ------------------------------------------------------------- helpers */

bool model_addr_eq(const struct lvsd_addr *a, const struct lvsd_addr *b);
/* "10.0.0.51", "2001:db8::5"; "-" for family 0. Returns buf. */
const char *model_addr_str(const struct lvsd_addr *a, char *buf, size_t len);
/* "10.0.0.51:80", "[2001:db8::5]:80". Returns buf. */
const char *model_addrport_str(const struct lvsd_addr *a, uint16_t port,
			       char *buf, size_t len);
const char *model_method_str(enum model_method m);   /* "NAT" */
const char *model_protocol_str(uint16_t proto);      /* "TCP" */
/* The kernel key of a virtual server: "TCP 192.168.0.29:80",
 * "FWM 1 inet6". Returns buf. */
const char *model_vs_key_str(const struct model_vs *vs, char *buf,
			     size_t len);
/* Do two virtual servers have the same kernel key? */
bool model_vs_key_eq(const struct model_vs *a, const struct model_vs *b);

/* The IPVS services of a virtual server: 1 without a group, else its
 * members (0 for an empty group, which cfg refuses). model_vs_svc gives
 * the i-th one as a standalone key (a copy of vs with its member's
 * fwmark/addr/port and no group), e.g. for model_vs_key_str. */
size_t model_vs_n_svc(const struct model_vs *vs);
void model_vs_svc(const struct model_vs *vs, size_t i, struct model_vs *out);
/* "web" or, for a group's member, "web[10.0.0.1:80]" / "web[fwmark 7]". */
const char *model_vs_svc_name(const struct model_vs *vs, size_t i, char *buf,
			      size_t len);
/* A member as written: "10.0.0.1:80", "fwmark 7". Returns buf. */
const char *model_member_str(const struct model_member *mb, char *buf,
			     size_t len);
const char *model_af_str(int af);                    /* "inet", "inet6" */

#endif
