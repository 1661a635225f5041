/* lvsd/plugin.h — the public plugin ABI of lvsd, version 1.
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
 *    returns, unless stated otherwise; copy what you keep.
 *  - Handles the core gives a plugin: struct lvsd_check * (from create()
 *    until destroy() has returned), struct lvsd_vrrp_instance * (from
 *    instance_add() until instance_del() has returned), struct lvsd_io *
 *    (until io_del), struct lvsd_prog * (until its fn ran or prog_cancel),
 *    struct lvsd_timer * (until its fn is called: the core frees a timer
 *    right after its fn returns, so never timer_del a timer that fired,
 *    not even from inside its own fn; clear your copy there instead).
 *    A scheduler gets no handle of a real server: it is named by
 *    lvsd_rs_info (vs_name, addr, port), and its own per-real-server state
 *    lives from rs_attach() until rs_detach() has returned.
 *  - State a plugin hands the core (*state of create, instance_add,
 *    rs_attach; *plugin of init) is the plugin's; the core passes it back
 *    and never frees it: destroy, instance_del, rs_detach and fini do.
 *  - Strings in the descriptor and in ops tables (kernel_name, flag names)
 *    must live as long as the plugin is loaded (string literals).
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
#define LVSD_ABI_MINOR 2

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
/* Edge-triggered (EPOLLET), for io_add/io_mod: fn is called when the
 * state changes (new data, connected), not while it lasts; read to EAGAIN
 * or EOF. One watch for LVSD_IO_IN | LVSD_IO_OUT | LVSD_IO_ET needs no
 * io_mod between connecting and reading. Every 1.x core passes it to
 * epoll. */
#define LVSD_IO_ET 0x80000000u

typedef void (*lvsd_io_fn)(void *arg, int fd, uint32_t events);
typedef void (*lvsd_timer_fn)(void *arg);

/* ------------------------------------------------------- real servers */

/* What a scheduler sees of a real server (rs_attach, weight, rs_detach is
 * given only the state); owned by the core, valid during the call. */
struct lvsd_rs_info {
	uint32_t size;
	const char *vs_name;     /* the [virtual_server NAME] */
	struct lvsd_addr addr;
	uint16_t port;           /* host order; 0 for fwmark services */
	uint32_t config_weight;  /* weight = ... in the configuration */
	int up;                  /* 1 healthy, 0 down */
	uint32_t last_latency_us; /* of the last successful check, 0 if none */
	/* ABI 1.2: when last_latency_us was measured, on the now_us() clock
	 * (monotonic, microseconds); 0 if none. The weight hook runs far more
	 * often than checks report: a call with the same latency_sample_us as
	 * an earlier one brings no new sample (a smoothing plugin counts each
	 * sample once). */
	uint64_t latency_sample_us;
	/* ABI 1.2: what rs_attach stored in *state for this real server;
	 * NULL without rs_attach. */
	void *state;
	/* ABI 1.2: the scheduler options of its [virtual_server] (keys of
	 * the section lvsd does not know itself, each accepted by the
	 * scheduler's option op), in file order; n_opts 0: none. */
	const struct lvsd_kv *opts;
	size_t n_opts;
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
	/* ABI 1.2: a health check's own weight for its real servers
	 * (keepalived's misc_dynamic, FILE_CHECK's dynamic): with has_weight
	 * 1 it replaces the configured weight (not the operator's) from this
	 * result on, until an OK result without it; 0..2147483647 (0: up, no
	 * new connections). Read only on an OK outcome. has_weight is 64
	 * bits wide so that it starts past the 1.1 struct's tail padding. */
	uint64_t has_weight;
	uint32_t weight;
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
	/* ABI 1.2, optional: may option `key` be given more than once in one
	 * real server (HTTP_GET's url)? 1: yes, 0: no. Without this op every
	 * option may be given once: a second one is a configuration error
	 * (the core says so, naming the first line). */
	int (*option_repeatable)(void *plugin, const char *key);
};

/* ---------------------------------------------------------- schedulers */

/* ABI 1.2: the scheduler flag bits of IPVS (IP_VS_SVC_F_SCHED1/2/3 of
 * <linux/ip_vs.h>; what "ipvsadm -b flag-1" sets). What each means is the
 * kernel scheduler's: sh and mh read FLAG_1 as "fallback" and FLAG_2 as
 * "port". A flag's bit is one or more of these and nothing else
 * (LVSD_SCHED_FLAG_MASK). The core checks the flag table at load and
 * refuses the plugin if a bit is 0 or outside the mask, a name is empty,
 * has ',' or whitespace, is given twice, or is flag-1/flag-2/flag-3; it
 * never sets another service flag (persistence, one-packet) from a
 * scheduler. */
#define LVSD_SCHED_FLAG_1 0x0008u
#define LVSD_SCHED_FLAG_2 0x0010u
#define LVSD_SCHED_FLAG_3 0x0020u
#define LVSD_SCHED_FLAG_MASK \
	(LVSD_SCHED_FLAG_1 | LVSD_SCHED_FLAG_2 | LVSD_SCHED_FLAG_3)

/* A name for sched_flags = ... and its bits. Besides a scheduler's own,
 * the core accepts flag-1, flag-2 and flag-3 (as ipvsadm does) for every
 * scheduler. */
struct lvsd_sched_flag {
	const char *name; /* "fallback", as written in sched_flags (case-sensitive) */
	uint32_t bit;     /* LVSD_SCHED_FLAG_*, within LVSD_SCHED_FLAG_MASK */
};

/* A scheduler picks the IPVS kernel scheduler of the virtual servers that
 * name it (scheduler = NAME) and may scale the weight of each real server.
 * Host functions a scheduler may call (loop thread only unless marked
 * "any thread"): log, now_us, io_add/io_mod/io_del, timer_add/timer_del,
 * weigh_soon, spawn, prog_run/prog_cancel/prog_check, link_up. The others
 * (check_done, vip_add/vip_del, vrrp_state) belong to checkers and the
 * VRRP engine. Every op runs on the loop thread. */
struct lvsd_scheduler_ops {
	uint32_t size;
	/* The IPVS kernel scheduler to program ("wlc"). Mandatory. */
	const char *kernel_name;
	/* The flags it accepts, ended by {NULL, 0}; may be NULL. Only the
	 * scheduler checks these names (lvsd.ini's sched_flags). */
	const struct lvsd_sched_flag *flags;
	/* Optional weight hook: write a factor in [0,1] into *factor and
	 * return 0; a negative return, no hook, or a factor out of range
	 * (NaN) counts as factor 1. The core multiplies it into the weight
	 * (with the operator's and the slow-start ramp; see lvsd-plugin(7)).
	 * WHEN IT RUNS: at every reconcile, for every real server of every
	 * virtual server using this scheduler (attached ones only, when the
	 * scheduler has rs_attach), down ones included: after checks report
	 * (batched, at most one reconcile per 200 ms), after weigh_soon, at
	 * each slow-start step (every second while a server ramps up), at
	 * the drift repair ([global] sync_interval, 5 s by default), after a
	 * reload and after operator changes. A call is therefore not a new
	 * sample: see lvsd_rs_info.latency_sample_us. It must be cheap and
	 * must not call weigh_soon (ignored there). */
	int (*weight)(void *plugin, const struct lvsd_rs_info *rs,
		      double *factor);
	/* ABI 1.2, optional: is `key` an option of this scheduler, and is
	 * `value` right for it? A key in a [virtual_server] that is no
	 * virtual_server key of lvsd is offered to the section's scheduler,
	 * as a [real_server]'s are to its checker. Called at configuration
	 * time (also by "lvsd -t" and before a reload is applied). Return 0
	 * if fine, -ENOENT for an unknown key, -EINVAL for a bad value with a
	 * message (no file:line, the core adds it) in err. Without this op a
	 * scheduler has no options. Each option is given at most once. The
	 * accepted options reach the plugin in lvsd_rs_info.opts. */
	int (*option)(void *plugin, const char *key, const char *value,
		      char *err, size_t errlen);
	/* ABI 1.2, optional: a real server starts being scheduled by this
	 * plugin: at the start, or at a reload that adds it, moves its
	 * virtual server to this scheduler or changes its virtual server's
	 * options (then it is first detached with the old ones: state starts
	 * anew). rs has no check result yet (or the last one kept across the
	 * reload); rs->state is NULL. Set *state to the plugin's own state
	 * (NULL is fine) and return 0; a negative return is logged and the
	 * real server runs without the weight hook (factor 1) and without
	 * rs_detach until the next reload re-attaches it. */
	int (*rs_attach)(void *plugin, const struct lvsd_rs_info *rs,
			 void **state);
	/* ABI 1.2, optional (with rs_attach): that real server is no longer
	 * scheduled by it (a reload removed or moved it, or lvsd stops; the
	 * plugin's fini comes after every rs_detach). Free the state. */
	void (*rs_detach)(void *plugin, void *state);
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
	/* ABI 1.2 (keepalived's garp_master_*): after the garp_count
	 * announcements of becoming MASTER, a second set of garp_count after
	 * garp_master_delay_ms (0: none); while MASTER, garp_refresh_repeat
	 * announcements every garp_refresh_ms (0: none). Announcements of one
	 * set are garp_interval_ms apart. */
	uint32_t garp_master_delay_ms;
	uint32_t garp_refresh_ms;
	uint32_t garp_refresh_repeat;
	/* ABI 1.2: the tracking input at instance_add (set_tracking later). */
	int32_t track_priority_delta;
	int32_t track_fault;      /* 1: start in FAULT */
	const char *track_why;    /* why (for the FAULT), or NULL */
	/* ABI 1.2: [global] vrrp_rt_priority, the same in every instance: the
	 * engine thread's SCHED_RR priority 1..99, 0 normal scheduling. The
	 * engine applies it at its start. */
	int32_t rt_priority;
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
	/* ABI 1.2: adverts dropped for reasons RFC 6527 has no counter
	 * for (each drop of any reason is also logged at notice,
	 * rate-limited, naming the reason), and repairs. */
	uint64_t drop_not_peer;   /* unicast: the source is no unicast_peer */
	uint64_t drop_in_fault;   /* received while FAULT */
	uint64_t drop_other;      /* unreadable datagram, other family... */
	uint64_t vips_restored;   /* VIPs put back after an outside removal */
	uint64_t send_errors;     /* ABI 1.2: adverts that could not be sent */
	/* ABI 1.2: a master's own adverts that went out later than half an
	 * Advertisement_Interval after they were due (the engine's thread
	 * got no CPU in time), and the most any advert of this instance was
	 * late, in microseconds (0..UINT64_MAX, never reset). */
	uint64_t adverts_late;
	uint64_t advert_late_max_us;
	/* ABI 1.2: what RFC 6527's VRRPV3-MIB asks that the above lacks.
	 * bad_type: adverts of the right version whose type is not 1
	 * (ADVERTISEMENT), counted apart from bad_version. new_master_reason:
	 * why it last became MASTER, 0 never, 1 priority (the address owner,
	 * or state = MASTER with no better master heard), 2 preempted a
	 * lower-priority master, 3 the master went silent or sent priority 0
	 * (RFC 6527's vrrpv3StatisticsNewMasterReason). proto_err_reason:
	 * the last of these errors, 0 none yet, 1 TTL, 2 version, 3
	 * checksum, 4 VRID (vrrpv3StatisticsProtoErrReason). bad_vrid counts
	 * a datagram of a VRID no instance here runs once per interface and
	 * family (on the first instance there), not once per instance.
	 * src_addr: the address adverts are sent from (family 0: none yet). */
	uint64_t bad_type;
	uint32_t new_master_reason;
	uint32_t proto_err_reason;
	struct lvsd_addr src_addr;
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
	/* ABI 1.2, optional: apply a changed configuration to a running
	 * instance in place (a reload), keeping its state: a MASTER stays
	 * MASTER and sends no priority-0 advert (a lower priority acts
	 * through the normal advert path). The core calls it only when the
	 * protocol identity (name, ifname, vrid, version, family) is the
	 * same. cfg replaces the one given before, with the same ownership
	 * (valid until the next instance_update or instance_del returns;
	 * the old one stays valid until this returns). Returns 0 when
	 * applied, -EOPNOTSUPP when this change needs a restart (the core
	 * then deletes and re-adds the instance; nothing was changed), other
	 * -errno: refused, nothing changed. Without the op, any change
	 * restarts the instance. */
	int (*instance_update)(void *state, const struct lvsd_vrrp_config *cfg);
	/* ABI 1.2, optional: what tracking (vrrp_script, track_file,
	 * track_process) says now. The effective priority is the configured
	 * one plus priority_delta, kept within 1..254 (255, the address owner,
	 * never moves), and is sent from the next advert on; fault 1 puts the
	 * instance in FAULT (why says which tracked object failed), 0 lets it
	 * leave FAULT if nothing else holds it there. Loop thread; why is
	 * copied. */
	void (*set_tracking)(void *state, int32_t priority_delta, int fault,
			     const char *why);
};

/* ------------------------------------------------------------ programs */

/* ABI 1.2: a program to run with prog_run(); copied, the caller keeps it. */
struct lvsd_prog_spec {
	uint32_t size;
	const char *const *argv;  /* NULL-terminated, argv[0] found on PATH;
				   * or NULL: use command */
	const char *command;      /* split like a notify command */
	uint32_t timeout_ms;      /* 0: none */
	uint32_t output_max;      /* output bytes kept for the result, 0..65536 */
	uint32_t has_ids;         /* 1: run as uid:gid (no supplementary groups) */
	uint32_t uid;
	uint32_t gid;
};

/* ABI 1.2: how it ended; valid during the callback only. */
struct lvsd_prog_result {
	uint32_t size;
	int start_error;          /* 0, or the errno that kept it from running
				   * (exec, setuid...); then nothing else is set */
	int exited;               /* 1: exited (status); 0: killed (signal) */
	int status;               /* 0..255 */
	int signal;               /* the signal that ended it */
	int timed_out;            /* 1: killed at the timeout */
	uint64_t runtime_us;      /* start to end */
	uint64_t output_bytes;    /* all it wrote to stdout and stderr */
	const char *output;       /* the first output_max bytes, NUL-ended */
};

struct lvsd_prog; /* a program prog_run() started or queued, core handle */
typedef void (*lvsd_prog_fn)(void *arg, const struct lvsd_prog_result *res);

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
	/* A one-shot timer after `ms` milliseconds; NULL if out of memory.
	 * The handle is freed by the core right after fn returns (see
	 * LIFETIME): timer_del only a timer that has not fired. */
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
	/* ABI 1.2: run a program and hear how it ended (MISC_CHECK). The
	 * program starts without a shell (argv, or `command` split like a
	 * notify command), in its own process group, stdin /dev/null, stdout
	 * and stderr into a pipe the core drains (output_max bytes kept),
	 * as spec->uid/gid if has_ids. At most [global] max_programs run at
	 * once; later ones wait, in order. At the timeout the process group
	 * is killed (SIGKILL); when the program ends, whatever it left in its
	 * group is killed too. fn(arg, result) is called once, from a later
	 * loop callback, never from inside prog_run. Loop thread only.
	 * Returns a handle, valid until fn ran or prog_cancel, or NULL with
	 * *err = -EINVAL (bad spec), -ENOMEM, -ENOTSUP (the core cannot run
	 * programs). */
	struct lvsd_prog *(*prog_run)(struct lvsd_host *h,
				      const struct lvsd_prog_spec *spec,
				      lvsd_prog_fn fn, void *arg, int *err);
	/* ABI 1.2: stop waiting for it: its process group is killed (if it
	 * started) and fn is never called. Loop thread only. */
	void (*prog_cancel)(struct lvsd_host *h, struct lvsd_prog *p);
	/* ABI 1.2: is `command` a program prog_run can run? Split like a
	 * notify command (quotes, no shell), then the checks lvsd -t makes
	 * of notify programs. 0, or -EINVAL/-ENOENT/-EACCES with the reason
	 * in err. Loop thread (or configuration time). */
	int (*prog_check)(struct lvsd_host *h, const char *command, char *err,
			  size_t errlen);
	/* ABI 1.2: io_del and close(2) of the watched fd in one system call
	 * (the kernel drops a closed file from the epoll set by itself): for
	 * an fd the plugin opened and never duplicated (a check's socket).
	 * Same rules as io_del; the fd is closed when it returns. Loop
	 * thread only. A plugin checks LVSD_HAS_FIELD(host->size,
	 * struct lvsd_host_api, io_close) and else calls io_del and close. */
	void (*io_close)(struct lvsd_host *h, struct lvsd_io *io);
	/* ABI 1.2, schedulers: ask for the weight hooks to run again soon
	 * (within 200 ms; many calls make one reconcile), for a plugin whose
	 * inputs change on its own timer or socket rather than with a check.
	 * Loop thread only; ignored from inside the weight hook. */
	void (*weigh_soon)(struct lvsd_host *h);
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
	/* Optional: called once after load (also by "lvsd -t"); set *plugin
	 * to the plugin's own context (NULL is fine), passed to every op.
	 * A negative return refuses the plugin (no fini then). */
	int (*init)(const struct lvsd_host_api *host, void **plugin);
	/* Optional: called once before unload if init returned 0 or there is
	 * none, whatever *plugin was (NULL too), after every rs_detach. */
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
