/* snmpmod.h — what the SNMP module (lvsd-snmp.so, core/snmp*.c) calls
 * of lvsd: a table of function pointers lvsd hands it when it loads it
 * (core/snmpload.c), so that lvsd exports no symbol (plugins must not
 * bind to lvsd's names) and the module needs none of lvsd's (linked with
 * -z defs: a new call of lvsd from snmp*.c that is not listed here fails
 * the module's link). Built into the module, every snmp*.c source gets
 * this header first (-include): its calls go through the table. */
#ifndef LVSD_SNMPMOD_H
#define LVSD_SNMPMOD_H

#include <stddef.h>

#include "bgp.h"
#include "health.h"
#include "ipvs.h"
#include "ipvssync.h"
#include "log.h"
#include "loop.h"
#include "model.h"
#include "operator.h"
#include "outcome.h"
#include "servers.h"
#include "vrrpmgr.h"
#include "weight.h"

#define SNMP_CORE_FNS(X) \
	X(admin_state_str) X(bgp_entry_text) X(bgp_find) X(health_quorum_lost) \
	X(ipvs_ops_sent) X(ipvssync_view) X(log_msg) X(log_warn) X(loop_io_add) \
	X(loop_io_del) X(loop_now_us) X(loop_set_idle) X(loop_timer_add) \
	X(loop_timer_add_us) X(loop_timer_del) X(model_addr_eq) \
	X(model_addrport_str) X(model_vs_svc) X(operator_apply) \
	X(operator_check) X(operator_current) X(outcome_str) X(srv_kernel_age) \
	X(srv_kernel_read) X(srv_vs_kernel) X(vrrpmgr_at) X(vrrpmgr_count) \
	X(vrrpmgr_router_stats) X(vrrpmgr_stats)

struct snmp_core {
#define SNMP_CORE_MEMBER(f) __typeof__(&f) f;
	SNMP_CORE_FNS(SNMP_CORE_MEMBER)
#undef SNMP_CORE_MEMBER
};

/* The module's entry (dlsym "snmp_module_init"): 0, or -1 when size or
 * version are not the module's own (a module of another build). */
typedef int (*snmp_module_init_fn)(const struct snmp_core *c, size_t size,
				   const char *version);

/* The module's copy of the table (snmpmod.c), and its entry: takes a copy
 * of *c; 0, or -1 when size or version are not the module's own. */
extern struct snmp_core snmp_core;
int snmp_module_init(const struct snmp_core *c, size_t size, const char *version);

#ifdef LVSD_SNMP_MODULE
#define admin_state_str(...) (snmp_core.admin_state_str)(__VA_ARGS__)
#define bgp_entry_text(...) (snmp_core.bgp_entry_text)(__VA_ARGS__)
#define bgp_find(...) (snmp_core.bgp_find)(__VA_ARGS__)
#define health_quorum_lost(...) (snmp_core.health_quorum_lost)(__VA_ARGS__)
#define ipvs_ops_sent(...) (snmp_core.ipvs_ops_sent)(__VA_ARGS__)
#define ipvssync_view(...) (snmp_core.ipvssync_view)(__VA_ARGS__)
#define log_msg(...) (snmp_core.log_msg)(__VA_ARGS__)
#define log_warn(...) (snmp_core.log_warn)(__VA_ARGS__)
#define loop_io_add(...) (snmp_core.loop_io_add)(__VA_ARGS__)
#define loop_io_del(...) (snmp_core.loop_io_del)(__VA_ARGS__)
#define loop_now_us(...) (snmp_core.loop_now_us)(__VA_ARGS__)
#define loop_set_idle(...) (snmp_core.loop_set_idle)(__VA_ARGS__)
#define loop_timer_add(...) (snmp_core.loop_timer_add)(__VA_ARGS__)
#define loop_timer_add_us(...) (snmp_core.loop_timer_add_us)(__VA_ARGS__)
#define loop_timer_del(...) (snmp_core.loop_timer_del)(__VA_ARGS__)
#define model_addr_eq(...) (snmp_core.model_addr_eq)(__VA_ARGS__)
#define model_addrport_str(...) (snmp_core.model_addrport_str)(__VA_ARGS__)
#define model_vs_svc(...) (snmp_core.model_vs_svc)(__VA_ARGS__)
#define operator_apply(...) (snmp_core.operator_apply)(__VA_ARGS__)
#define operator_check(...) (snmp_core.operator_check)(__VA_ARGS__)
#define operator_current(...) (snmp_core.operator_current)(__VA_ARGS__)
#define outcome_str(...) (snmp_core.outcome_str)(__VA_ARGS__)
#define srv_kernel_age(...) (snmp_core.srv_kernel_age)(__VA_ARGS__)
#define srv_kernel_read(...) (snmp_core.srv_kernel_read)(__VA_ARGS__)
#define srv_vs_kernel(...) (snmp_core.srv_vs_kernel)(__VA_ARGS__)
#define vrrpmgr_at(...) (snmp_core.vrrpmgr_at)(__VA_ARGS__)
#define vrrpmgr_count(...) (snmp_core.vrrpmgr_count)(__VA_ARGS__)
#define vrrpmgr_router_stats(...) (snmp_core.vrrpmgr_router_stats)(__VA_ARGS__)
#define vrrpmgr_stats(...) (snmp_core.vrrpmgr_stats)(__VA_ARGS__)
#endif

#endif
