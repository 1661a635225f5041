/* servers.h — the real servers at run time: for each one of the model,
 * the inputs each writer owns (health, operator, plugin), what the
 * kernel last reported, and the effective weight computed from them.
 * Carried across reloads by identity (virtual server name, address, port).
 * Also the one reader of the kernel's counters (srv_kernel_read), which
 * SNMP and lvsctl status share: one dump, joined through hashes. */
#ifndef LVSD_SERVERS_H
#define LVSD_SERVERS_H

#include <stddef.h>
#include <stdint.h>

#include <lvsd/plugin.h>

#include "hidx.h"
#include "ipvs.h"
#include "model.h"

struct plugin;
struct rec_service;
#include "weight.h"

/* The buckets of the check latency histogram: upper bounds in
 * microseconds (0.5 ms .. 1 s), then +Inf. */
#define SRV_LAT_BUCKETS 12
static const uint32_t srv_lat_bounds_us[SRV_LAT_BUCKETS - 1] = {
	500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
	1000000,
};

struct srv {
	/* identity; vs_name is the model's (cfg->vs_name, refreshed with cfg
	 * by srv_sync: the model a srv was made from lives until srv_sync
	 * has moved it to the next one) */
	const char *vs_name;
	struct lvsd_addr addr;
	uint16_t port;
	/* the model's entry, refreshed by srv_sync (valid until the next) */
	const struct model_rs *cfg;
	const struct model_vs *vs;
	/* health (written by the checks) */
	int up;
	uint64_t ready_us;        /* last down->up or disabled->enabled */
	enum lvsd_check_outcome last_outcome;
	char last_detail[80];
	uint64_t last_check_us;   /* monotonic, 0: never */
	uint32_t last_latency_us;
	uint64_t latency_at_us;   /* when last_latency_us was measured, 0 */
	/* every successful check's latency (metrics.c's histogram): counts
	 * per bucket (SRV_LAT_BOUNDS_US, then +Inf), their sum and number */
	uint64_t lat_bucket[SRV_LAT_BUCKETS];
	uint64_t lat_sum_us;
	uint64_t lat_count;
	uint32_t fails;           /* in a row */
	uint32_t oks;             /* successful checks in a row (rise) */
	int has_check_weight;     /* the check's own weight (misc_dynamic) */
	uint32_t check_weight;
	uint64_t transitions;
	/* operator (lvsctl, SNMP): copied from the operator state */
	int has_op_weight;
	uint32_t op_weight;
	enum admin_state admin;
	/* plugin: the scheduler's weight hook and its per-real-server state
	 * from rs_attach (schedrs.c) */
	int has_factor;
	double factor;
	const struct plugin *sched; /* attached to; NULL: not attached */
	void *sched_state;
	uint64_t sched_key;         /* scheduler + options attached with */
	/* plugin: the agent check (agent.c); never health, never operator */
	enum lvsd_agent_hint agent;
	int agent_has_factor;
	double agent_factor;
	void *agent_check;        /* agent.c's handle */
	/* result */
	struct weight_out eff;
	/* what the kernel reported at the last srv_kernel_read (only that
	 * writes these) */
	int in_kernel;
	uint32_t activeconns, inactconns, persistconns;
	struct ipvs_stats stats;
	/* the health module's handle */
	void *check;
};

/* What the kernel reported of a virtual server (or of one service of a
 * group) at the last read. dests: that service's real servers as the
 * kernel reported them (per service only; NULL in srv_table.vsk), valid
 * until the next read or sync. */
struct srv_vs_kernel {
	int in_kernel;
	struct ipvs_stats stats;
	const struct ipvs_dest *dests;
	size_t n_dests;
};

/* Each srv is allocated on its own: a pointer stays valid across reloads
 * for as long as the real server stays in the configuration. */
struct srv_table {
	struct srv **v;
	size_t n;
	struct hidx idx; /* by identity */
	/* the kernel's counters (srv_kernel_read) */
	struct srv_vs_kernel *vsk; /* parallel to the model's vs[], n_vsk; a
				    * group's: the sum of its members' */
	size_t n_vsk;
	/* Per IPVS service (a group has one per member): svck[svc_first[i]
	 * + c] is member c of the model's vs[i]; set by srv_kernel_read. */
	struct srv_vs_kernel *svck;
	size_t n_svck;
	size_t *svc_first;         /* n_vsk + 1 of them */
	struct rec_service *dump;  /* the last read's, kept for svck's dests */
	size_t n_dump;
	uint64_t kernel_us;        /* monotonic time of the last read, 0: never */
	uint64_t kernel_reads;     /* dumps so far (lvsctl status shows it) */
};

void srv_table_free(struct srv_table *t);
/* Rebuild t for model m: a server still in m keeps its run-time state;
 * a new one starts up, or down if it has a check and its virtual server
 * says alpha. Removed ones are handed to gone(arg, srv) (the health
 * module frees its check there), then freed. 0 or -ENOMEM (t unchanged). */
int srv_sync(struct srv_table *t, const struct model *m,
	     void (*gone)(void *arg, struct srv *s), void *arg);
struct srv *srv_find(const struct srv_table *t, const char *vs,
		     const struct lvsd_addr *addr, uint16_t port);
/* Recompute every effective weight at time now. Returns how many changed. */
size_t srv_compute(struct srv_table *t, uint64_t now_us);
void srv_weight_input(const struct srv *s, uint64_t now_us,
		      struct weight_in *in);
/* The port s has as a destination of the service (fwmark, svc_port): a
 * DR or TUN destination has the service's port (0 for a firewall mark;
 * IPVS forwards those unchanged, ipvsadm and keepalived program them so);
 * a NAT one its own port, or without one the service's. */
uint16_t srv_dest_port(const struct srv *s, uint32_t fwmark,
		       uint16_t svc_port);
/* Add what the kernel reports of the real servers of virtual server vs
 * (connections, counters; in_kernel set) to theirs: a group's real server
 * sums its members' (a kernel port missing from the table is looked up as
 * port 0, the member's, then as the port srv_dest_port gives a server
 * of vs in service ks: a DR/TUN one holds the service's). Servers it
 * lacks are left. */
void srv_kernel_dests(struct srv_table *t, const char *vs,
		      const struct ipvs_service *ks,
		      const struct ipvs_dest *dests, size_t n);

/* The one reader of the kernel's counters: one dump of the model m's
 * virtual servers and their real servers, joined to the table through
 * hashes (O(services + real servers)); every server's and virtual
 * server's kernel fields are set (zero and in_kernel 0 where the kernel
 * lacks it). t must have been synced to m. Callers decide when (SNMP:
 * outside its requests, at most once per walk; lvsctl status: when older
 * than its limit). 0 or -errno (then the old values stay). */
#define SRV_KERNEL_MAX_AGE_US 1000000u /* readers read again when older */
int srv_kernel_read(struct srv_table *t, const struct model *m,
		    struct ipvs *ipvs, uint64_t now_us);
/* A successful check took us microseconds: into s's histogram (no
 * allocation, a few compares). */
static inline void srv_latency_observe(struct srv *s, uint32_t us)
{
	size_t b = 0;

	while (b < SRV_LAT_BUCKETS - 1 && us > srv_lat_bounds_us[b])
		b++;
	s->lat_bucket[b]++;
	s->lat_sum_us += us;
	s->lat_count++;
}
/* How old the counters are at now_us (UINT64_MAX: never read). */
uint64_t srv_kernel_age(const struct srv_table *t, uint64_t now_us);
/* A virtual server's kernel counters (zeros before the first read); vs
 * is one of m's, the model t was synced to. */
const struct srv_vs_kernel *srv_vs_kernel(const struct srv_table *t,
					  const struct model *m,
					  const struct model_vs *vs);
/* The kernel counters of service c of vs (model_vs_svc; c 0 for a
 * virtual server without a group): zeros before the first read. */
const struct srv_vs_kernel *srv_svc_kernel(const struct srv_table *t,
					   const struct model *m,
					   const struct model_vs *vs, size_t c);
/* a += b, counters and rates */
void srv_stats_add(struct ipvs_stats *a, const struct ipvs_stats *b);

#endif
