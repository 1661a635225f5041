#!/usr/bin/env bash
# test_vrrp_unicast.sh — unicast peers: adverts go from unicast_src_ip to
# each unicast_peer (seen on the wire), adverts from anyone else are
# ignored (a non-peer's valid advert of priority 200 changes nothing), and
# failover works as with multicast.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -e "${B:-build}/plugins/vrrp_vrrp.so" ] || { echo "no VRRP plugin built"; exit 77; }
command -v tcpdump >/dev/null || { echo "no tcpdump"; exit 77; }
ns_init
vrrp_topo 3
MARGIN=1000
VIP=10.9.0.50
vrrp_ini "$NS_TMP/d1.ini" 150 "unicast_src_ip = 10.9.0.11" "unicast_peer = 10.9.0.12"
vrrp_ini "$NS_TMP/d2.ini" 100 "unicast_src_ip = 10.9.0.12" "unicast_peer = 10.9.0.11"
NS_LOG=$NS_TMP/cap.txt ns_bg d2 tcpdump -i eth0 -n -l ip proto 112
cap=$NS_LAST_PID
lv_start d1 "$NS_TMP/d1.ini"
lv_start d2 "$NS_TMP/d2.ini"
wait_ms $((3414 + MARGIN + 1000)) is_state d1 MASTER >/dev/null || vrrp_fail "d1 not elected"
sleep 1.5
is_state d2 BACKUP || vrrp_fail "d2 is $(lv_state d2)"
kill "$cap"; wait "$cap" 2>/dev/null
grep -q "10.9.0.11 > 10.9.0.12: VRRPv2" "$NS_TMP/cap.txt" || { cat "$NS_TMP/cap.txt"; vrrp_fail "no unicast advert to the peer"; }
grep -q "> 224.0.0.18" "$NS_TMP/cap.txt" && vrrp_fail "multicast adverts with unicast peers"
ok "adverts go by unicast to the peer"

# A valid advert from d3, not a peer, with priority 200: ignored.
for d in 11 12; do
	ns_exec d3 python3 tests/lib/vrrpsend.py --dev eth0 --src 10.9.0.13 --dst 10.9.0.$d \
		--pass password --addr $VIP --prio 200 --count 3
done
sleep 1
is_state d1 MASTER && is_state d2 BACKUP || vrrp_fail "a non-peer's advert was taken"
# ...but counted and logged (issue 11 fault 2's kind: no silent drop)
for d in d1 d2; do
	n=$(lv_counter $d drop_not_peer)
	[ "${n:-0}" -ge 3 ] || vrrp_fail "$d: drop_not_peer is '${n}', want >= 3"
	grep -q "notice: vrrp: \[vrrp VI_1\]: dropped an advert from 10.9.0.13: 10.9.0.13 is not a unicast_peer" "$NS_TMP/$d.log" ||
		vrrp_fail "$d: no notice naming the drop's reason"
	[ "$(grep -c "dropped an advert from 10.9.0.13" "$NS_TMP/$d.log")" = 1 ] ||
		vrrp_fail "$d: the drop messages are not rate-limited"
done
ok "a non-peer's advert is ignored, counted (drop_not_peer) and logged once"

kill -9 "$(lv_pid d1)"; wait "$(lv_pid d1)" 2>/dev/null
t=$(wait_ms $((3609 + MARGIN)) has_vip d2 $VIP) || vrrp_fail "d2 did not take over (${t} ms)"
ok "kill -9: d2 took the VIP in ${t} ms"

# fix11 3: an instance that cannot send its adverts is never a MASTER.
# d3's unicast_src_ip is no address of d3: FAULT naming it (it used to be
# a silent MASTER with adverts_sent 0 beside d2: split brain); the address
# added, it leaves FAULT. Then an unreachable peer (a send error, not the
# source): FAULT after a few failed adverts, not MASTER for ever.
vrrp_ini "$NS_TMP/d3.ini" 200 "unicast_src_ip = 10.9.0.99" "unicast_peer = 10.9.0.12"
lv_start d3 "$NS_TMP/d3.ini"
wait_for 10 is_state d3 FAULT || vrrp_fail "d3 is $(lv_state d3) with a unicast_src_ip not on the host"
grep -q "vrrp VI_1: .*FAULT: unicast_src_ip 10.9.0.99 is not an address of this host" "$NS_TMP/d3.log" ||
	vrrp_fail "d3: the fault does not name the missing source address"
sleep 2
is_state d3 FAULT || vrrp_fail "d3 left FAULT without its source address"
st=$(lv_ctl d3 status)
[[ "$st" == *"; master unknown"* ]] ||
	vrrp_fail "no master known, yet status says: $(lv_ctl d3 status | head -1)"
ip -n "$(ns d3)" addr add 10.9.0.99/24 dev eth0
wait_for 10 is_state d3 MASTER || vrrp_fail "d3 is $(lv_state d3) after 10.9.0.99 appeared"
ok "unicast_src_ip not on the host: FAULT naming it, MASTER once it appears"
kill "$(lv_pid d3)"; wait "$(lv_pid d3)" 2>/dev/null
# IPv4 sends through the bound interface whatever the routes say; an
# IPv6 reject route makes every advert fail (ENETUNREACH).
ip -n "$(ns d3)" addr add fd00:77::13/64 dev eth0 nodad
ip -n "$(ns d3)" -6 route add unreachable fd00:78::1
VRRP_VERSION=3 VRRP_VIP=fd00:77::50/64 vrrp_ini "$NS_TMP/d3.ini" 200 "unicast_src_ip = fd00:77::13" "unicast_peer = fd00:78::1"
lv_start d3 "$NS_TMP/d3.ini"
wait_for 15 is_state d3 FAULT || vrrp_fail "d3 is $(lv_state d3) though no advert can reach its peer"
grep -q "FAULT: cannot send adverts from fd00:77::13 on eth0: .* (3 in a row)" "$NS_TMP/d3.log" ||
	vrrp_fail "d3: the fault does not say why"
sleep 4
is_state d3 FAULT || vrrp_fail "d3 is $(lv_state d3) while its adverts still cannot be sent"
n=$(lv_counter d3 send_errors)
[ "${n:-0}" -ge 3 ] || vrrp_fail "send_errors is '$n', want >= 3"
ip -n "$(ns d3)" -6 route del unreachable fd00:78::1
ip -n "$(ns d3)" -6 route add fd00:78::/64 dev eth0
wait_for 15 is_state d3 MASTER || vrrp_fail "d3 is $(lv_state d3) after the route came back"
ok "adverts that cannot be sent: FAULT with the error, held while it lasts"
