#!/usr/bin/env bash
# test_vrrp_track.sh — track_interface, interface faults, sync groups and
# notify programs. Two directors, each with VI_1 on eth0 (tracking a veth
# "trk") and VI_2 on eth1, in one vrrp_sync_group: the tracked link of
# the master goes down → VI_1 FAULT, VI_2 follows (sync group), the other
# director takes both; the link comes back → BACKUP, then preemption; the
# backup's own eth1 goes down → both its instances FAULT, no change of
# master. notify_* programs of instances and of the group run (no shell).
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -e "${B:-build}/plugins/vrrp_vrrp.so" ] || { echo "no VRRP plugin built"; exit 77; }
ns_init
VRRP_ETH1=1 vrrp_topo 2
MARGIN=1000
T=$NS_TMP
for i in 1 2; do
	ip -n "$(ns d$i)" link add trk type veth peer name trkp
	ip -n "$(ns d$i)" link set trkp up
	ip -n "$(ns d$i)" link set trk up
	cat >"$T/d$i.ini" <<EOT
[vrrp VI_1]
interface = eth0
virtual_router_id = 51
priority = $((200 - 50 * i))
advert_int = 1
virtual_ipaddress = 10.9.0.50 dev eth0
track_interface = trk
notify_master = /usr/bin/touch $T/d$i.VI_1.master
notify_backup = /usr/bin/touch $T/d$i.VI_1.backup
notify_fault = /usr/bin/touch $T/d$i.VI_1.fault

[vrrp VI_2]
interface = eth1
virtual_router_id = 52
priority = $((200 - 50 * i))
advert_int = 1
virtual_ipaddress = 10.9.1.50/24 dev eth1

[vrrp_sync_group G]
group = VI_1 VI_2
notify_master = /usr/bin/touch $T/d$i.G.master
notify_fault = /usr/bin/touch $T/d$i.G.fault
EOT
done
st() { echo "$(lv_state "$1" VI_1)/$(lv_state "$1" VI_2)"; }
is2() { [ "$(st "$1")" = "$2" ]; }

lv_start d1 "$T/d1.ini"
lv_start d2 "$T/d2.ini"
t=$(wait_ms $((3414 + MARGIN + 1000)) is2 d1 MASTER/MASTER) || vrrp_fail "d1 is $(st d1)"
wait_ms 2000 is2 d2 BACKUP/BACKUP >/dev/null || vrrp_fail "d2 is $(st d2)"
has_vip d1 10.9.0.50 eth0 && has_vip d1 10.9.1.50 eth1 || vrrp_fail "d1 lacks a VIP"
wait_ms 2000 test -e "$T/d1.VI_1.master" >/dev/null || vrrp_fail "notify_master of VI_1 did not run"
wait_ms 2000 test -e "$T/d1.G.master" >/dev/null || vrrp_fail "the group's notify_master did not run"
grep -q "vrrp sync group G: BACKUP -> MASTER" "$T/d1.log" || vrrp_fail "the group's state change is not logged"
ok "d1 is MASTER of both, notify programs ran"

# The tracked link goes down on the master.
ip -n "$(ns d1)" link set trk down
t=$(wait_ms $((1000 + 609 + MARGIN)) is2 d2 MASTER/MASTER) || vrrp_fail "d2 did not take over: $(st d2)"
is2 d1 FAULT/FAULT || vrrp_fail "d1 is $(st d1), not FAULT/FAULT"
grep -q "VI_1: MASTER -> FAULT: track_interface trk is down" "$T/d1.log" ||
	vrrp_fail "the fault's reason is not logged"
grep -q "VI_2: MASTER -> FAULT: sync group G: VI_1 is FAULT" "$T/d1.log" ||
	vrrp_fail "VI_2 did not follow VI_1 into FAULT"
has_vip d1 10.9.0.50 eth0 || has_vip d1 10.9.1.50 eth1 && vrrp_fail "d1 kept a VIP in FAULT"
has_vip d2 10.9.0.50 eth0 && has_vip d2 10.9.1.50 eth1 || vrrp_fail "d2 lacks a VIP"
wait_ms 2000 test -e "$T/d1.VI_1.fault" >/dev/null || vrrp_fail "notify_fault did not run"
wait_ms 2000 test -e "$T/d1.G.fault" >/dev/null || vrrp_fail "the group's notify_fault did not run"
ok "track_interface down: d1 FAULT/FAULT, d2 took both in ${t} ms"

# It comes back: BACKUP, then d1 (150) preempts.
ip -n "$(ns d1)" link set trk up
wait_ms 3000 sh -c "grep -q 'VI_1: FAULT -> BACKUP' $T/d1.log" >/dev/null ||
	vrrp_fail "d1 did not leave FAULT"
t=$(wait_ms $((3414 + MARGIN + 1000)) is2 d1 MASTER/MASTER) || vrrp_fail "d1 did not preempt: $(st d1)"
wait_ms 2000 is2 d2 BACKUP/BACKUP >/dev/null || vrrp_fail "d2 is $(st d2)"
ok "tracked link up: d1 back to MASTER in ${t} ms"

# The backup's own interface goes down: its instances FAULT, d1 unmoved.
ip -n "$(ns d2)" link set eth1 down
wait_ms 3000 is2 d2 FAULT/FAULT >/dev/null || vrrp_fail "d2 is $(st d2), not FAULT/FAULT"
grep -q "VI_2: BACKUP -> FAULT: interface eth1 is down" "$T/d2.log" || vrrp_fail "reason not logged"
is2 d1 MASTER/MASTER || vrrp_fail "d1 changed: $(st d1)"
ip -n "$(ns d2)" link set eth1 up
wait_ms 3000 is2 d2 BACKUP/BACKUP >/dev/null || vrrp_fail "d2 did not recover: $(st d2)"
sleep 1.5
is2 d1 MASTER/MASTER && is2 d2 BACKUP/BACKUP || vrrp_fail "after recovery: d1 $(st d1), d2 $(st d2)"
ok "interface down on the backup: FAULT and back, the master unmoved"
