#!/usr/bin/env bash
# test_vrrp_reload.sh — reload keeps unchanged VRRP instances running,
# stops removed ones gracefully (the backup takes over after Skew_Time),
# starts added ones and restarts those whose VRID changed; [vrrp] sections without a
# VRRP engine loaded are a configuration error.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -e "${B:-build}/plugins/vrrp_vrrp.so" ] || { echo "no VRRP plugin built"; exit 77; }
ns_init
vrrp_topo 2
MARGIN=1000
inst() { # NAME VRID PRIO VIP
	printf '[vrrp %s]\ninterface = eth0\nvirtual_router_id = %s\npriority = %s\nadvert_int = 1\nvirtual_ipaddress = %s dev eth0\n\n' "$@"
}
{ inst VI_1 51 150 10.9.0.50; inst VI_2 52 150 10.9.0.51; } >"$NS_TMP/d1.ini"
{ inst VI_1 51 100 10.9.0.50; inst VI_2 52 100 10.9.0.51; inst VI_3 53 100 10.9.0.52; } >"$NS_TMP/d2.ini"

# No engine: a configuration error that names the section.
mkdir "$NS_TMP/noplugins"
out=$("${B:-build}/lvsd" -t -P "$NS_TMP/noplugins" -c "$NS_TMP/d1.ini" 2>&1) &&
	fail "lvsd -t accepted [vrrp] without a VRRP engine"
echo "$out" | grep -q "d1.ini:1: \[vrrp VI_1\]: no VRRP engine plugin is loaded" ||
	fail "unexpected message: $out"
ok "[vrrp] without a VRRP engine: $out"

lv_start d1 "$NS_TMP/d1.ini"
lv_start d2 "$NS_TMP/d2.ini"
m2() { is_state d1 MASTER VI_1 && is_state d1 MASTER VI_2; }
wait_ms $((3414 + MARGIN + 1000)) m2 >/dev/null || vrrp_fail "d1 is not master of VI_1 and VI_2"
wait_ms $((3609 + MARGIN + 1000)) is_state d2 MASTER VI_3 >/dev/null || vrrp_fail "d2 is not master of VI_3"
tr1=$(lv_counter d1 transitions VI_1)

# Reload: VI_1 unchanged, VI_2 removed, VI_3 added (priority 150).
{ inst VI_1 51 150 10.9.0.50; inst VI_3 53 150 10.9.0.52; } >"$NS_TMP/d1.ini"
lv_ctl d1 reload >/dev/null || vrrp_fail "reload refused"
t=$(wait_ms $((609 + MARGIN)) has_vip d2 10.9.0.51) || vrrp_fail "VI_2 removed: d2 took ${t} ms"
ok "VI_2 removed: priority 0 sent, d2 took its VIP in ${t} ms"
has_vip d1 10.9.0.51 && vrrp_fail "d1 kept the VIP of the removed VI_2"
[ "$(lv_state d1 VI_2)" = down ] || vrrp_fail "VI_2 still listed on d1"
t=$(wait_ms $((3414 + MARGIN + 1000)) is_state d1 MASTER VI_3) || vrrp_fail "the added VI_3 did not preempt (${t} ms)"
wait_ms 2000 is_state d2 BACKUP VI_3 >/dev/null || vrrp_fail "d2 kept VI_3"
is_state d1 MASTER VI_1 && [ "$(lv_counter d1 transitions VI_1)" = "$tr1" ] ||
	vrrp_fail "the unchanged VI_1 was disturbed: $(lv_state d1 VI_1), transitions $(lv_counter d1 transitions VI_1) (was $tr1)"
is_state d2 BACKUP VI_1 || vrrp_fail "d2 took VI_1 during the reload"
ok "unchanged VI_1 kept running; added VI_3 started and preempted"

# A change of the protocol identity (here the VRID) restarts the instance:
# stopped gracefully (d2 takes over after Skew_Time), started again. Other
# changes are applied in place: test_vrrp_hitless.sh.
{ inst VI_1 61 150 10.9.0.50; inst VI_3 53 150 10.9.0.52; } >"$NS_TMP/d1.ini"
lv_ctl d1 reload >/dev/null || vrrp_fail "reload refused"
# (below d2's Master_Down_Interval of 3.61 s: the priority-0 advert counts)
t=$(wait_ms 3000 has_vip d2 10.9.0.50) || vrrp_fail "changed VI_1: d2 did not take over (${t} ms)"
grep -q "vrrp VI_1: changed, stopping it" "$NS_TMP/d1.log" || vrrp_fail "the restart is not logged"
lv_ctl d1 status | grep -q "^vrrp VI_1: .* vrid 61 " || vrrp_fail "VI_1 does not run with VRID 61"
ok "VI_1 with a new VRID restarted (priority 0 sent, d2 took over in ${t} ms)"
