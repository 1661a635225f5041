/* probe.c — references every public type of <lvsd/plugin.h>, each through
 * a pointer parameter of its own exported function, so that abidw(1) can
 * describe the plugin ABI from the debug info of a tiny .so
 * (tests/unit/abi.sh compares it with tests/abi/baseline.abi). Not a
 * plugin: never loaded. A new public type gets a line here. */
#include <lvsd/plugin.h>

#define PROBE(name, type)                                   \
	LVSD_EXPORT void lvsd_abi_probe_##name(type *p);    \
	LVSD_EXPORT void lvsd_abi_probe_##name(type *p) { (void)p; }

PROBE(plugin, struct lvsd_plugin)
PROBE(host_api, struct lvsd_host_api)
PROBE(scheduler_ops, struct lvsd_scheduler_ops)
PROBE(sched_flag, struct lvsd_sched_flag)
PROBE(checker_ops, struct lvsd_checker_ops)
PROBE(check_target, struct lvsd_check_target)
PROBE(check_result, struct lvsd_check_result)
PROBE(rs_info, struct lvsd_rs_info)
PROBE(vrrp_ops, struct lvsd_vrrp_ops)
PROBE(vrrp_config, struct lvsd_vrrp_config)
PROBE(vrrp_stats, struct lvsd_vrrp_stats)
PROBE(vip, struct lvsd_vip)
PROBE(addr, struct lvsd_addr)
PROBE(kv, struct lvsd_kv)
PROBE(plugin_kind, enum lvsd_plugin_kind)
PROBE(log_level, enum lvsd_log_level)
PROBE(check_outcome, enum lvsd_check_outcome)
PROBE(agent_hint, enum lvsd_agent_hint)
PROBE(vrrp_state, enum lvsd_vrrp_state)
PROBE(io_fn, lvsd_io_fn)
PROBE(timer_fn, lvsd_timer_fn)
PROBE(entry_fn, lvsd_plugin_entry_fn)
PROBE(prog_spec, struct lvsd_prog_spec)
PROBE(prog_result, struct lvsd_prog_result)
PROBE(prog_fn, lvsd_prog_fn)
