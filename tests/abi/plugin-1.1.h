/* plugin-1.1.h — FROZEN copy of the released ABI 1.1 header (tests/unit/abi.sh builds tests/abi/plugin_v1_1.c against it). Never edit.
 * lvsd/plugin.h — the public plugin ABI of lvsd, version 1.
 * The only header a plugin includes. It never includes a core header.
 *
 * VERSION RULES (see also lvsd-plugin(7))
 *  - A plugin exports exactly one symbol: lvsd_plugin_entry_v<MAJOR>, which
 *    returns a descriptor (struct lvsd_plugin). Nothing else is exported and
 *    nothing of the daemon is linked: everything the core offers arrives in
 *    struct lvsd_host_api.
 *  - Every struct that crosses the boundary starts with its own size. A minor
 *    version only appends fields at the end of such a struct (past its old
 *    size: a field that fits into the old tail padding would be "covered"
 *    by an old plugin's size without ever being set — add a wider one or
 *    pad explicitly), appends functions at the end of the host table or an
 *    ops table, appends a value to an enum, or adds types. The reader of a
 *    struct uses a field only if the size that came with the struct covers
 *    it (LVSD_HAS_FIELD). Anything else — removing, renaming or reordering
 *    a field, changing a type or a callback's signature, growing a struct
 *    without a size (lvsd_addr, lvsd_kv, lvsd_vip, lvsd_sched_flag),
 *    changing what a value means, a unit or who owns what — needs a new
 *    major, and a new entry point name (lvsd_plugin_entry_v2).
 *  - Checked by `make check` (tests/unit/abi.sh): a plugin built against
 *    the frozen 1.0 header (tests/abi/plugin-1.0.h) must load, and
 *    abidiff(1) compares these types with tests/abi/baseline-*.abi; a
 *    minor bump records its baseline (tests/unit/abi.sh --record).
 *  - The core refuses a plugin whose major differs, whose minor is newer
 *    than the core's, whose descriptor or ops table is smaller than the
 *    first released size of that struct, or that lacks a mandatory op.
 *
 * THREADING
 *  - Every callback runs on the core's event-loop thread, one at a time,
 *    and must not block (use io_add/timer_add); a plugin may
 *    call the host API only from that thread, except functions marked
 *    "any thread" below. A plugin that wants its own thread (the VRRP engine
 *    does, so that adverts stay on time under load) talks to the loop only
 *    through those.
 *
 * LIFETIME
 *  - Pointers the core passes to a callback are valid until that callback
 *    returns, unless stated otherwise; copy what you keep. Objects the core
 *    hands out as handles (struct lvsd_rs *, struct lvsd_check *, ...) stay
 *    valid until the matching detach/destroy callback has returned.
 *  - Strings in the descriptor must live as long as the plugin is loaded
 *    (string literals).
 */
#ifndef LVSD_PLUGIN_H
#define LVSD_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LVSD_ABI_MAJOR 1
#define LVSD_ABI_MINOR 1

/* Does a struct that arrived with size `sz` contain `field`? */
#define LVSD_HAS_FIELD(sz, type, field) \
	((sz) >= offsetof(type, field) + sizeof(((type *)0)->field))

#if defined(__GNUC__)
#define LVSD_EXPORT __attribute__((visibility("default")))
#define LVSD_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define LVSD_EXPORT
#define LVSD_PRINTF(a, b)
#endif

/* ---------------------------------------------------------------- basics */

enum lvsd_plugin_kind {
	LVSD_PLUGIN_SCHEDULER = 1, /* picks the kernel scheduler, may weigh */
	LVSD_PLUGIN_CHECKER = 2,   /* health checks (HTTP_GET, TCP, ...) */
	LVSD_PLUGIN_VRRP = 3,      /* the VRRP failover engine */
};

enum lvsd_log_level { /* syslog's numbers */
	LVSD_LOG_ERR = 3,
	LVSD_LOG_WARNING = 4,
	LVSD_LOG_NOTICE = 5,
	LVSD_LOG_INFO = 6,
	LVSD_LOG_DEBUG = 7,
};

/* An IPv4 or IPv6 address. family is AF_INET or AF_INET6. */
struct lvsd_addr {
	int family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

/* One "key = value" line of the configuration, handed to a plugin. */
struct lvsd_kv {
	const char *key;
	const char *value;
};

/* Event-loop handles, owned by the core. */
struct lvsd_io;
struct lvsd_timer;

/* Events for io_add/io_mod: the EPOLLIN/EPOLLOUT values. */
#define LVSD_IO_IN 0x001u
#define LVSD_IO_OUT 0x004u
#define LVSD_IO_ERR 0x008u
#define LVSD_IO_HUP 0x010u

typedef void (*lvsd_io_fn)(void *arg, int fd, uint32_t events);
typedef void (*lvsd_timer_fn)(void *arg);

/* ------------------------------------------------------- real servers */

/* What a scheduler or checker sees of a real server; owned by the core. */
struct lvsd_rs_info {
	uint32_t size;
	const char *vs_name;     /* the [virtual_server NAME] */
	struct lvsd_addr addr;
	uint16_t port;           /* host order; 0 for fwmark services */
	uint32_t config_weight;  /* weight = ... in the configuration */
	int up;                  /* 1 healthy, 0 down */
	uint32_t last_latency_us; /* of the last successful check, 0 if none */
};

/* ------------------------------------------------------------ checkers */

/* Why a check ended as it did: one enum, one to-string in the core
 * (lvsd_host_api.outcome_str), shared by logs, lvsctl and SNMP. */
enum lvsd_check_outcome {
	LVSD_CHECK_OK = 0,
	LVSD_CHECK_CONNECT_REFUSED = 1,
	LVSD_CHECK_CONNECT_TIMEOUT = 2,
	LVSD_CHECK_READ_TIMEOUT = 3,
	LVSD_CHECK_CLOSED = 4,       /* peer closed before a full answer */
	LVSD_CHECK_BAD_STATUS = 5,   /* HTTP status not accepted */
	LVSD_CHECK_BAD_DIGEST = 6,
	LVSD_CHECK_BAD_RESPONSE = 7, /* unparsable or oversized */
	LVSD_CHECK_NETWORK = 8,      /* other socket error (errno in detail) */
	LVSD_CHECK_INTERNAL = 9,     /* out of memory, no socket... */
};

/* Where a check connects; owned by the core, valid until destroy. */
struct lvsd_check_target {
	uint32_t size;
	struct lvsd_addr addr;      /* connect_ip, else the real server's */
	uint16_t port;              /* connect_port, else the real server's */
	struct lvsd_addr bind_addr; /* family 0: none */
	uint32_t connect_timeout_ms;
	uint32_t fwmark;            /* SO_MARK for the socket, 0: none */
};

/* What an agent-style check (HAProxy's agent-check) asks for. It goes to
 * the real server's plugin input only, never to the operator's. */
enum lvsd_agent_hint {
	LVSD_AGENT_NONE = 0,
	LVSD_AGENT_UP = 1,
	LVSD_AGENT_DOWN = 2,
	LVSD_AGENT_DRAIN = 3,
};

/* The result of one check run, reported with check_done(). */
struct lvsd_check_result {
	uint32_t size;
	enum lvsd_check_outcome outcome;
	uint32_t latency_us;  /* connect to verdict */
	int http_status;      /* 0 if not HTTP */
	const char *detail;   /* short text for logs ("HTTP 503"), or NULL */
	int has_factor;       /* 1: factor is set */
	double factor;        /* weight factor in [0,1] */
	enum lvsd_agent_hint hint;
};

struct lvsd_check; /* one configured check of one target, core handle */

struct lvsd_checker_ops {
	uint32_t size;
	/* Is `key` an option of this checker, and is `value` right for it?
	 * Called at configuration time, also by "lvsd -t". Return 0 if fine,
	 * -ENOENT for an unknown key, -EINVAL for a bad value with a message
	 * (no file:line, the core adds it) in err. Mandatory. */
	int (*check_option)(void *plugin, const char *key, const char *value,
			    char *err, size_t errlen);
	/* Make a check of `target` with the given options (all accepted by
	 * check_option). *state is the plugin's own. Mandatory. */
	int (*create)(void *plugin, struct lvsd_check *check,
		      const struct lvsd_check_target *target,
		      const struct lvsd_kv *opts, size_t n_opts, void **state);
	/* Start one run; it must not block. Report exactly once with
	 * host->check_done(check, result), from a later loop callback or from
	 * inside run() itself. Mandatory. */
	int (*run)(void *state);
	/* Abandon a run in flight (no check_done follows). Mandatory. */
	void (*cancel)(void *state);
	/* Free the check; a run in flight was cancelled first. Mandatory. */
	void (*destroy)(void *state);
};

/* ---------------------------------------------------------- schedulers */

struct lvsd_sched_flag {
	const char *name; /* as in ipvsadm -b: "sh-fallback" */
	uint32_t bit;     /* IP_VS_SVC_F_SCHED1/2/3 */
};

struct lvsd_scheduler_ops {
	uint32_t size;
	/* The IPVS kernel scheduler to program ("wlc"). Mandatory. */
	const char *kernel_name;
	/* The flags it accepts, ended by {NULL, 0}; may be NULL. */
	const struct lvsd_sched_flag *flags;
	/* Optional weight hook, called on the loop thread whenever a real
	 * server's check reports, and after attach. Write a factor in [0,1]
	 * into *factor and return 0; a negative return, or no hook, counts as
	 * factor 1. The core combines it with the other inputs. */
	int (*weight)(void *plugin, const struct lvsd_rs_info *rs,
		      double *factor);
};

/* ----------------------------------------------------------------- VRRP */

enum lvsd_vrrp_state {
	LVSD_VRRP_INIT = 0,
	LVSD_VRRP_BACKUP = 1,
	LVSD_VRRP_MASTER = 2,
	LVSD_VRRP_FAULT = 3,
};

/* A virtual address of an instance. */
struct lvsd_vip {
	struct lvsd_addr addr;
	uint8_t prefix;
	char ifname[16];
};

/* One VRRP instance as configured; owned by the core, valid until
 * instance_del() returns. Lists are arrays with their lengths. */
struct lvsd_vrrp_config {
	uint32_t size;
	const char *name;
	const char *ifname;
	const char *sync_group;  /* NULL: none */
	int version;             /* 2 or 3 */
	int family;              /* AF_INET or AF_INET6 */
	uint8_t vrid;
	uint8_t priority;
	enum lvsd_vrrp_state initial_state; /* BACKUP or MASTER */
	int preempt;
	uint32_t preempt_delay_ms;
	uint32_t advert_int_cs;  /* centiseconds */
	const char *auth_pass;   /* v2 PASS auth; NULL: none */
	const struct lvsd_vip *vips;
	size_t n_vips;
	const char *const *track_ifaces;
	size_t n_track_ifaces;
	struct lvsd_addr unicast_src; /* family 0: none */
	const struct lvsd_addr *unicast_peers;
	size_t n_unicast_peers;
	uint32_t garp_count;      /* gratuitous ARPs / NAs sent on master */
	uint32_t garp_interval_ms;
	const char *const *notify_master; /* argv, NULL-terminated, or NULL */
	const char *const *notify_backup;
	const char *const *notify_fault;
};

/* Counters of an instance (RFC 6527's statistics). */
struct lvsd_vrrp_stats {
	uint32_t size;
	uint64_t master_transitions;
	uint64_t adverts_rcvd;
	uint64_t adverts_sent;
	uint64_t bad_checksum;
	uint64_t bad_version;
	uint64_t bad_vrid;
	uint64_t bad_ttl;
	uint64_t bad_auth;
	uint64_t bad_length;
	uint64_t bad_interval;
	uint64_t bad_addr_list;
	uint64_t priority_zero_rcvd;
	uint64_t priority_zero_sent;
	/* ABI 1.1: who is master (ourselves when MASTER), as last heard;
	 * family 0 when unknown. */
	struct lvsd_addr master_addr;
	uint32_t master_priority;
	uint32_t master_adver_int_cs; /* Master_Adver_Interval in use */
};

struct lvsd_vrrp_instance; /* core handle of an instance */

struct lvsd_vrrp_ops {
	uint32_t size;
	/* Start running an instance. *state is the plugin's. Mandatory. */
	int (*instance_add)(void *plugin, struct lvsd_vrrp_instance *inst,
			    const struct lvsd_vrrp_config *cfg, void **state);
	/* Stop it (graceful: advertise priority 0 if master, drop the
	 * VIPs). Mandatory. */
	void (*instance_del)(void *state);
	/* Copy the counters into *out (out->size says how much). Optional. */
	void (*stats)(void *state, struct lvsd_vrrp_stats *out);
};

/* ------------------------------------------------------- the host table */

struct lvsd_host;

struct lvsd_host_api {
	uint32_t size;
	uint16_t abi_major;
	uint16_t abi_minor;
	struct lvsd_host *host; /* pass back as the first argument */

	/* Logging; the core prefixes the plugin's name. Any thread. */
	void (*log)(struct lvsd_host *h, enum lvsd_log_level level,
		    const char *fmt, ...) LVSD_PRINTF(3, 4);

	/* Event loop (loop thread only). */
	struct lvsd_io *(*io_add)(struct lvsd_host *h, int fd, uint32_t events,
				  lvsd_io_fn fn, void *arg);
	int (*io_mod)(struct lvsd_host *h, struct lvsd_io *io, uint32_t events);
	void (*io_del)(struct lvsd_host *h, struct lvsd_io *io);
	/* A one-shot timer after `ms` milliseconds. */
	struct lvsd_timer *(*timer_add)(struct lvsd_host *h, uint64_t ms,
					lvsd_timer_fn fn, void *arg);
	void (*timer_del)(struct lvsd_host *h, struct lvsd_timer *t);
	/* Monotonic clock, microseconds. Any thread. */
	uint64_t (*now_us)(struct lvsd_host *h);

	/* Checkers: the verdict of the run started by run(). */
	void (*check_done)(struct lvsd_host *h, struct lvsd_check *check,
			   const struct lvsd_check_result *res);
	const char *(*outcome_str)(enum lvsd_check_outcome o);

	/* VRRP engine. Any thread: the core queues them to its loop, except
	 * vip_add/vip_del, which act at once and return 0 or -errno. */
	int (*vip_add)(struct lvsd_host *h, const struct lvsd_vip *vip);
	int (*vip_del)(struct lvsd_host *h, const struct lvsd_vip *vip);
	void (*vrrp_state)(struct lvsd_host *h, struct lvsd_vrrp_instance *inst,
			   enum lvsd_vrrp_state state, const char *why);
	/* Is the link of an interface up? 1 yes, 0 no, -errno. Any thread. */
	int (*link_up)(struct lvsd_host *h, const char *ifname);
	/* Run a notify program (no shell) with a timeout; returns at once.
	 * Any thread: argv is copied and the program started from the loop
	 * (a failure to start is logged there); 0 or -errno (-ENOTSUP: the
	 * core cannot run programs). */
	int (*spawn)(struct lvsd_host *h, const char *const *argv,
		     uint32_t timeout_ms);
};

/* ------------------------------------------------------- the descriptor */

struct lvsd_plugin {
	uint16_t abi_major;  /* LVSD_ABI_MAJOR the plugin was built with */
	uint16_t abi_minor;  /* LVSD_ABI_MINOR the plugin was built with */
	uint32_t struct_size; /* sizeof(struct lvsd_plugin) */
	enum lvsd_plugin_kind kind;
	const char *name;     /* "rr", "HTTP_GET", "vrrp": unique per kind */
	const char *version;  /* the plugin's own version */
	const char *description;
	/* The per-kind ops table (struct lvsd_*_ops) and its size. */
	const void *ops;
	uint32_t ops_size;
	/* Optional: called once after load with the plugin's own context. */
	int (*init)(const struct lvsd_host_api *host, void **plugin);
	/* Optional: called once before unload. */
	void (*fini)(void *plugin);
};

/* Fill the common head of a descriptor. */
#define LVSD_PLUGIN_HEAD(kind_, name_, version_, desc_) \
	.abi_major = LVSD_ABI_MAJOR, .abi_minor = LVSD_ABI_MINOR, \
	.struct_size = sizeof(struct lvsd_plugin), .kind = (kind_), \
	.name = (name_), .version = (version_), .description = (desc_)

/* The one exported symbol. `host` stays valid while the plugin is loaded.
 * Return NULL to refuse loading. */
#define LVSD_PLUGIN_ENTRY lvsd_plugin_entry_v1
typedef const struct lvsd_plugin *(*lvsd_plugin_entry_fn)(
	const struct lvsd_host_api *host);
LVSD_EXPORT const struct lvsd_plugin *
lvsd_plugin_entry_v1(const struct lvsd_host_api *host);

#ifdef __cplusplus
}
#endif
#endif
