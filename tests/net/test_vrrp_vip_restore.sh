#!/usr/bin/env bash
# test_vrrp_vip_restore.sh — issue 11 fault 5: a VIP deleted by hand on
# the master. It used to stay gone while lvsctl status still said MASTER.
# Now the engine's rtnetlink watch puts it back at once, announces it,
# counts it (vips_restored, also in SNMP) and logs it; the state does not
# change. A backup does not add it.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -e "${B:-build}/plugins/vrrp_vrrp.so" ] || { echo "no VRRP plugin built"; exit 77; }
ns_init
vrrp_topo 2
T=$NS_TMP
vrrp_ini "$T/d1.ini" 150 "virtual_ipaddress = 10.9.0.51/24 dev eth0"
vrrp_ini "$T/d2.ini" 100 "virtual_ipaddress = 10.9.0.51/24 dev eth0"
lv_start d1 "$T/d1.ini" --no-ipvs
lv_start d2 "$T/d2.ini" --no-ipvs
wait_ms 10000 is_state d1 MASTER >/dev/null || vrrp_fail "d1 not elected"
wait_for 10 is_state d2 BACKUP || vrrp_fail "d2 is $(lv_state d2)"
tr=$(lv_counter d1 transitions)
ip -n "$(ns d1)" addr del 10.9.0.50/32 dev eth0 || fail "cannot delete the VIP by hand"
t=$(wait_ms 5000 has_vip d1 10.9.0.50) || vrrp_fail "10.9.0.50 was not restored (${t} ms)"
ok "10.9.0.50 deleted by hand on the master: back after ${t} ms"
ip -n "$(ns d1)" addr del 10.9.0.51/24 dev eth0 || fail "cannot delete the second VIP"
t=$(wait_ms 5000 has_vip d1 10.9.0.51) || vrrp_fail "10.9.0.51 was not restored (${t} ms)"
# Captured first: "ip | grep -q" under pipefail fails when grep exits
# before ip has written everything (ip dies of SIGPIPE): the flaky
# "came back without its /24" with the address listed.
addrs=$(ip -n "$(ns d1)" -o addr show dev eth0)
[[ "$addrs" == *" 10.9.0.51/24 "* ]] ||
	vrrp_fail "10.9.0.51 came back without its /24: $addrs"
restored2() { [ "$(lv_counter d1 vips_restored)" = 2 ]; }
wait_for 5 restored2 ||
	vrrp_fail "vips_restored is '$(lv_counter d1 vips_restored)', want 2"
grep -q "notice: vrrp: \[vrrp VI_1\]: 10.9.0.50/32 was removed from eth0 while MASTER: restored" "$T/d1.log" ||
	vrrp_fail "the restore is not logged"
[ "$(lv_counter d1 transitions)" = "$tr" ] && is_state d1 MASTER || vrrp_fail "d1 changed state"
has_vip d2 10.9.0.50 && vrrp_fail "the backup added the VIP"
[ "$(lv_counter d2 vips_restored)" = 0 ] || vrrp_fail "the backup restored something"
ok "restored with its prefix, counted (vips_restored 2), logged; no state change; the backup untouched"
