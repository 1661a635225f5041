#!/usr/bin/env bash
# test_vrrp_failover.sh — three lvsd directors, VRRPv2 with PASS, advert 1 s,
# priorities 150/100/50 with preempt: the highest is elected; kill -9 of the
# master → the next takes the VIP within Master_Down_Interval (3 s + skew)
# and the client reaches it; the old master comes back and preempts;
# SIGTERM of the master → takeover after about Skew_Time (priority 0).
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -x "${B:-build}/plugins/vrrp_vrrp.so" ] || [ -e "${B:-build}/plugins/vrrp_vrrp.so" ] ||
	{ echo "no VRRP plugin built"; exit 77; }
ns_init
vrrp_topo 3
VIP=10.9.0.50
MARGIN=1000 # ms, for a loaded 2-core machine
for i in 1 2 3; do vrrp_ini "$NS_TMP/d$i.ini" $((200 - 50 * i)); done
vrrp_httpd 3

for i in 1 2 3; do lv_start d$i "$NS_TMP/d$i.ini"; done
# Election: d1 (150) becomes master after its Master_Down_Interval
# (3 + 106/256 s) at the latest, the others stay backup.
t=$(wait_ms $((3414 + MARGIN + 1000)) is_state d1 MASTER) || vrrp_fail "d1 not elected (${t} ms)"
ok "d1 (priority 150) elected in ${t} ms"
sleep 1.5
is_state d2 BACKUP && is_state d3 BACKUP || vrrp_fail "d2/d3 not BACKUP: $(lv_state d2) $(lv_state d3)"
[ "$(masters $VIP 3)" = 1 ] && has_vip d1 $VIP || vrrp_fail "the VIP is not on d1 alone"
wait_ms 3000 client_reaches $VIP d1 >/dev/null || vrrp_fail "the client cannot reach $VIP on d1"
rcvd=$(lv_counter d2 adverts_rcvd)
[ "${rcvd:-0}" -ge 1 ] || vrrp_fail "d2 received no adverts"
ok "one master, client reaches the VIP, backups hear adverts ($rcvd)"

# kill -9 of the master: d2 (100) takes over after 3 x 1 s + 156/256 s.
kill -9 "$(lv_pid d1)"; wait "$(lv_pid d1)" 2>/dev/null
t=$(wait_ms $((3609 + MARGIN)) has_vip d2 $VIP) || vrrp_fail "d2 did not take the VIP in time (${t} ms)"
ok "kill -9: d2 took the VIP in ${t} ms (Master_Down_Interval 3609 ms)"
[ "$t" -ge 2500 ] || vrrp_fail "d2 took over too early (${t} ms): did it wait for the master down timer?"
t=$(wait_ms 2000 client_reaches $VIP d2) || vrrp_fail "the client does not reach d2 on $VIP after the failover"
is_state d3 BACKUP || vrrp_fail "d3 is $(lv_state d3), not BACKUP"
has_vip d3 $VIP && vrrp_fail "d3 holds $VIP too"
ip -n "$(ns d1)" addr del $VIP/32 dev eth0 # what kill -9 left behind

# d1 comes back (preempt): it takes the master role back, d2 steps down.
lv_start d1 "$NS_TMP/d1.ini"
t=$(wait_ms $((3414 + MARGIN + 1000)) is_state d1 MASTER) || vrrp_fail "d1 did not preempt (${t} ms)"
wait_ms 2000 is_state d2 BACKUP >/dev/null || vrrp_fail "d2 did not step down"
sleep 0.5
[ "$(masters $VIP 3)" = 1 ] && has_vip d1 $VIP || vrrp_fail "after preemption the VIP is not on d1 alone"
ok "d1 preempted d2 in ${t} ms"
wait_ms 2000 client_reaches $VIP d1 >/dev/null || vrrp_fail "the client does not reach d1 after preemption"

# Graceful stop: d1 sends priority 0, d2 takes over after Skew_Time
# (156/256 s = 609 ms) instead of the Master_Down_Interval.
kill -TERM "$(lv_pid d1)"
t=$(wait_ms $((609 + MARGIN)) has_vip d2 $VIP) || vrrp_fail "graceful stop: d2 took ${t} ms"
ok "SIGTERM: d2 took the VIP in ${t} ms (Skew_Time 609 ms)"
wait_ms 3000 sh -c "! kill -0 $(lv_pid d1) 2>/dev/null" >/dev/null || vrrp_fail "d1 did not exit"
has_vip d1 $VIP && vrrp_fail "d1 left the VIP behind after a graceful stop"
[ "$(lv_counter d2 prio0_rcvd)" -ge 1 ] || vrrp_fail "d2 counted no priority 0 advert"
grep -q "vrrp VI_1: MASTER -> BACKUP\|BACKUP -> MASTER" "$NS_TMP/d2.log" || vrrp_fail "no state change logged"
wait_ms 2000 client_reaches $VIP d2 >/dev/null || vrrp_fail "the client does not reach d2 after the graceful stop"
ok "graceful stop: the VIP moved and d1 removed it"
