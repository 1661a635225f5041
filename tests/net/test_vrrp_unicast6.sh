#!/usr/bin/env bash
# test_vrrp_unicast6.sh — issue 11 fault 2: VRRPv3 over IPv6 with unicast
# peers given as global addresses and no unicast_src_ip. The adverts used
# to leave from the link-local address; each peer dropped them (not a
# configured peer) without a counter or a log, and both held the VIP for
# ever. Now the engine sends from the interface's global address, so
# exactly one node is MASTER, the backup counts received adverts, and
# kill -9 moves the VIP. The kind (a drop is counted and logged) is in
# test_vrrp_unicast.sh; here also a peer list that names nobody who
# speaks: drop_not_peer counts and the notice names the reason.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -e "${B:-build}/plugins/vrrp_vrrp.so" ] || { echo "no VRRP plugin built"; exit 77; }
ns_init
vrrp_topo 2
VIP=2001:db8:9::50
for i in 1 2; do
	ip -n "$(ns d$i)" addr add 2001:db8:9::1$i/64 dev eth0 nodad
done
conf() { # FILE PRIO PEER
	VRRP_VERSION=3 VRRP_ADVERT=0.1 VRRP_VIP=$VIP/64 vrrp_ini "$1" "$2" "unicast_peer = $3"
}
conf "$NS_TMP/d1.ini" 150 2001:db8:9::12
conf "$NS_TMP/d2.ini" 100 2001:db8:9::11
lv_start d1 "$NS_TMP/d1.ini" --no-ipvs
lv_start d2 "$NS_TMP/d2.ini" --no-ipvs
wait_ms 10000 is_state d1 MASTER >/dev/null || vrrp_fail "d1 not elected"
sleep 1.5
is_state d2 BACKUP || vrrp_fail "split brain: d1 $(lv_state d1), d2 $(lv_state d2) (adverts not accepted)"
has_vip d1 $VIP && ! has_vip d2 $VIP || vrrp_fail "the VIP is not on d1 alone"
r=$(lv_counter d2 adverts_rcvd)
[ "${r:-0}" -ge 5 ] || vrrp_fail "d2 accepted $r adverts"
n=$(lv_counter d2 drop_not_peer)
[ "${n:-0}" = 0 ] || vrrp_fail "d2 dropped $n adverts as not from a peer"
ok "IPv6 unicast to global peers without unicast_src_ip: one master, adverts accepted"

{ kill -9 "$(lv_pid d1)"; wait "$(lv_pid d1)"; } 2>/dev/null
wait_ms 10000 is_state d2 MASTER >/dev/null || vrrp_fail "d2 did not take over"
ip -n "$(ns d1)" addr del $VIP/64 dev eth0 2>/dev/null
ok "kill -9: d2 took over"

# d1 again, but its peer list names an address nobody speaks from: d2's
# adverts are dropped, counted and logged (with the reason), not ignored.
conf "$NS_TMP/d1b.ini" 50 2001:db8:9::99
lv_start d1 "$NS_TMP/d1b.ini" --no-ipvs
dropped() { [ "$(lv_counter d1 drop_not_peer)" -ge 3 ] 2>/dev/null; }
wait_for 10 dropped || vrrp_fail "d1: drop_not_peer is '$(lv_counter d1 drop_not_peer)'"
wait_for 5 grep -q "dropped an advert from 2001:db8:9::12: 2001:db8:9::12 is not a unicast_peer" "$NS_TMP/d1.log" ||
	vrrp_fail "d1: no notice naming the reason of the drop"
ok "adverts from a non-peer are counted (drop_not_peer) and logged"
