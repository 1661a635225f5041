#!/usr/bin/env bash
# test_vrrp_seed.sh — the seed's two directors (11.4.2) run etc/lvsd-failover.ini
# as written (the second with "priority" changed, as the file says), in
# namespaces with eth0 (192.168.0.0/24) and eth1 (10.0.0.0/24); there is no
# IPVS on this kernel, so --no-ipvs. Both start BACKUP with nopreempt: one
# is elected and holds 192.168.0.29 on eth0 and 10.0.0.29/24 on eth1; kill -9
# moves both to the other; the old master comes back and does NOT preempt.
# Deterministic under load: no assertion about how fast anything happens
# (deadlines are generous, the times are only printed); the election, the
# takeover and nopreempt are judged by what the daemons counted and said
# (adverts received, transitions, the logged reason), not by sleeps.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -e "${B:-build}/plugins/vrrp_vrrp.so" ] || { echo "no VRRP plugin built"; exit 77; }
ns_init
DEADLINE=20000 # ms: for a loaded machine; the expected times are ~3.6 s
SEED=etc/lvsd-failover.ini
ns_add sw
ns_bridge br0 sw
ns_bridge br1 sw
ns_add c
ns_port c eth0 192.168.0.10/24 br0 sw
for i in 1 2; do
	ns_add d$i
	ns_port d$i eth0 192.168.0.3$i/24 br0 sw
	ns_port d$i eth1 10.0.0.3$i/24 br1 sw
	NS_LOG=$NS_TMP/httpd$i.out ns_bg d$i "${HTTPD[@]}" --port 8080 --name d$i
done
sed 's/^priority = 100$/priority = 90/' "$SEED" >"$NS_TMP/seed90.ini"
cmp -s "$SEED" "$NS_TMP/seed90.ini" && fail "the seed has no 'priority = 100' line to change"
get() { ns_exec c curl -s --max-time 1 "http://192.168.0.29:8080/" 2>/dev/null; }
reaches() { [ "$(get)" = "$1" ]; }
both() { has_vip "$1" 192.168.0.29 eth0 && has_vip "$1" 10.0.0.29 eth1; }
none() { ! has_vip "$1" 192.168.0.29 eth0 && ! has_vip "$1" 10.0.0.29 eth1; }

"${B:-build}/lvsd" -t -P "${B:-build}/plugins" -c "$SEED" || fail "lvsd -t refuses the seed"
lv_start d1 "$SEED" --no-ipvs
sleep 1
lv_start d2 "$NS_TMP/seed90.ini" --no-ipvs
t=$(wait_ms $DEADLINE both d1) || vrrp_fail "d1 did not become master (${t} ms)"
# d2 has heard d1 for a while (not a sleep: adverts counted by d2)
heard() { [ "$(lv_counter "$1" adverts_rcvd)" -ge "$2" ] 2>/dev/null; }
wait_for 20 heard d2 2 || vrrp_fail "d2 received no adverts from d1"
is_state d1 MASTER && is_state d2 BACKUP || vrrp_fail "states: d1 $(lv_state d1), d2 $(lv_state d2)"
[ "$(lv_counter d2 became_master)" = 0 ] || vrrp_fail "d2 was master meanwhile (a split election)"
none d2 || vrrp_fail "d2 holds a VIP as backup"
# Captured first: "ip | grep -q" under pipefail fails when grep exits
# before ip has written its last line (ip is killed by SIGPIPE).
a=$(ip -n "$(ns d1)" -o addr show dev eth1)
[[ "$a" == *" 10.0.0.29/24 "* ]] || vrrp_fail "10.0.0.29 is not /24 on eth1"
wait_ms 10000 reaches d1 >/dev/null || vrrp_fail "the client does not reach d1 on 192.168.0.29"
ok "seed config: d1 (100) is master with both VIPs, d2 (90) backup"

{ kill -9 "$(lv_pid d1)"; wait "$(lv_pid d1)"; } 2>/dev/null
t=$(wait_ms $DEADLINE both d2) || vrrp_fail "d2 did not take both VIPs (${t} ms)"
grep -q "vrrp VI_1: BACKUP -> MASTER: no advert from 192.168.0.31 for 3.65 s (master down interval)" "$NS_TMP/d2.log" ||
	vrrp_fail "d2 did not take over for the master down interval: $(grep 'BACKUP -> MASTER' "$NS_TMP/d2.log")"
wait_ms 10000 reaches d2 >/dev/null || vrrp_fail "the client does not reach d2 after the failover"
ok "kill -9: d2 took both VIPs after the master down interval (${t} ms; 3648 expected at most, unloaded)"
ip -n "$(ns d1)" addr del 192.168.0.29/32 dev eth0
ip -n "$(ns d1)" addr del 10.0.0.29/24 dev eth1

# nopreempt: d1 (higher priority) returns and stays BACKUP.
lv_start d1 "$SEED" --no-ipvs
# d1 has heard 6 adverts (5+ s, more than its Master_Down_Interval of
# 3.61 s) and stayed BACKUP, never MASTER
wait_for 30 heard d1 6 || vrrp_fail "d1 heard only $(lv_counter d1 adverts_rcvd) adverts"
is_state d1 BACKUP || vrrp_fail "nopreempt: d1 is $(lv_state d1)"
[ "$(lv_counter d1 became_master)" = 0 ] || vrrp_fail "nopreempt: d1 was master meanwhile"
is_state d2 MASTER && both d2 && none d1 || vrrp_fail "nopreempt: d2 lost the master role"
wait_ms 10000 reaches d2 >/dev/null || vrrp_fail "the client does not reach d2"
ok "nopreempt: d1 came back as BACKUP, d2 stays MASTER"
