#!/usr/bin/env bash
# test_vrrp_vip_dup.sh — issue 11 fault 3: the same virtual address in two
# instances on one interface. It used to be accepted, and when one left
# MASTER it removed the address the other, still MASTER, held. Now lvsd -t
# refuses it naming both sections, lvsd does not start with it, and a
# reload to it is refused while the running instances keep their address.
# (The engine also never removes an address another MASTER instance holds.)
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -e "${B:-build}/plugins/vrrp_vrrp.so" ] || { echo "no VRRP plugin built"; exit 77; }
ns_init
vrrp_topo 1
T=$NS_TMP
inst() { # NAME VRID PRIO VIP...
	local n=$1 id=$2 pr=$3 a; shift 3
	printf '[vrrp %s]\ninterface = eth0\nvirtual_router_id = %s\npriority = %s\nadvert_int = 1\nversion = 3\n' "$n" "$id" "$pr"
	for a in "$@"; do echo "virtual_ipaddress = $a dev eth0"; done
	echo
}
{ inst VI_1 51 150 10.9.0.50; inst VI_2 52 100 10.9.0.51 10.9.0.50; } >"$T/dup.ini"
out=$("${B:-build}/lvsd" -t -P "${B:-build}/plugins" -c "$T/dup.ini" 2>&1) &&
	fail "lvsd -t accepted 10.9.0.50 in two instances: $out"
echo "$out" | grep -q "dup.ini:1[0-9]: virtual_ipaddress: 10.9.0.50 on eth0 is already in \[vrrp VI_1\] at line 1" ||
	fail "unexpected message: $out"
ok "lvsd -t: $out"
NS_LOG=$T/start.log ns_bg d1 "${B:-build}/lvsd" -n -P "${B:-build}/plugins" -c "$T/dup.ini" \
	-S "$T/x.sock" --state-file "$T/x.state" --no-ipvs
p=$NS_LAST_PID
wait_for 10 sh -c "! kill -0 $p 2>/dev/null" || fail "lvsd started with the duplicate address"
has_vip d1 10.9.0.50 && fail "lvsd added 10.9.0.50 although it refused the file"
ok "lvsd does not start with it"

# A different address on another interface name is fine; so is the same
# address in one instance only. Run, then try to reload into the duplicate.
{ inst VI_1 51 150 10.9.0.50; inst VI_2 52 150 10.9.0.51; } >"$T/d1.ini"
lv_start d1 "$T/d1.ini" --no-ipvs
wait_for 10 is_state d1 MASTER VI_1 && wait_for 10 is_state d1 MASTER VI_2 || vrrp_fail "not master of both"
cp "$T/dup.ini" "$T/d1.ini"
lv_ctl d1 reload >/dev/null 2>&1 && vrrp_fail "the reload into the duplicate was accepted"
sleep 1
has_vip d1 10.9.0.50 && has_vip d1 10.9.0.51 || vrrp_fail "a refused reload changed the addresses"
is_state d1 MASTER VI_1 && is_state d1 MASTER VI_2 || vrrp_fail "a refused reload changed the states"
ok "a reload into it is refused and changes nothing"
