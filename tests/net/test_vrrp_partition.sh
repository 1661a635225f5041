#!/usr/bin/env bash
# test_vrrp_partition.sh — split brain and heal. d1 (150) is master; its
# bridge port stops forwarding (no carrier change: a real partition) and
# d2 (100) becomes master too, the client follows d2 (its GARP). The port
# forwards again: within one advert interval exactly one master is left
# (d1, preempt) and d1's gratuitous ARP for the VIP is seen from the
# client's namespace (tcpdump), which reaches d1 again.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -e "${B:-build}/plugins/vrrp_vrrp.so" ] || { echo "no VRRP plugin built"; exit 77; }
command -v tcpdump >/dev/null || { echo "no tcpdump (tools/deps.sh installs it)"; exit 77; }
ns_init
vrrp_topo 2
VIP=10.9.0.50
MARGIN=1000
for i in 1 2; do vrrp_ini "$NS_TMP/d$i.ini" $((200 - 50 * i)); done
vrrp_httpd 2
lv_start d1 "$NS_TMP/d1.ini"
lv_start d2 "$NS_TMP/d2.ini"
wait_ms $((3414 + MARGIN + 1000)) is_state d1 MASTER >/dev/null || vrrp_fail "d1 not elected"
wait_ms 3000 client_reaches $VIP d1 >/dev/null || vrrp_fail "the client does not reach d1"
port=$(vrrp_port 1)
[ -n "$port" ] || fail "cannot find d1's bridge port"
mac1=$(ip -n "$(ns d1)" -o link show eth0 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')

# Partition: d1's port stops forwarding, its link stays up.
bridge -n "$(ns sw)" link set dev "$port" state 0 || fail "cannot block the bridge port"
t=$(wait_ms $((3609 + MARGIN + 1000)) is_state d2 MASTER) || vrrp_fail "d2 did not become master (${t} ms)"
is_state d1 MASTER || vrrp_fail "d1 is $(lv_state d1) (its link should look fine)"
has_vip d1 $VIP && has_vip d2 $VIP || { ip -n "$(ns d1)" -o addr; ip -n "$(ns d2)" -o addr; vrrp_fail "not a split brain"; }
wait_ms 3000 client_reaches $VIP d2 >/dev/null || vrrp_fail "the client does not follow d2"
ok "partition: two masters, the client follows d2"

NS_LOG=$NS_TMP/arp.txt ns_bg c tcpdump -i eth0 -n -l -e arp
cap=$NS_LAST_PID
sleep 1
# Heal: one advert interval later there is one master again.
bridge -n "$(ns sw)" link set dev "$port" state 3
only_d1() { has_vip d1 $VIP && ! has_vip d2 $VIP; }
t=$(wait_ms $((1000 + MARGIN)) only_d1) ||
	vrrp_fail "no single master ${t} ms after the heal: d1 $(lv_state d1), d2 $(lv_state d2)"
ok "heal: d1 alone is master ${t} ms after"
wait_ms 3000 client_reaches $VIP d1 >/dev/null || vrrp_fail "the client does not reach d1 after the heal"
sleep 0.5
kill "$cap"; wait "$cap" 2>/dev/null
grep -i "$mac1" "$NS_TMP/arp.txt" | grep -q "Request who-has $VIP tell $VIP" ||
	{ cat "$NS_TMP/arp.txt"; vrrp_fail "no gratuitous ARP from d1 ($mac1) after the heal"; }
ok "d1's gratuitous ARP seen: $(grep -ci "$mac1.*who-has $VIP tell $VIP" "$NS_TMP/arp.txt") frames"
sleep 2
is_state d1 MASTER && is_state d2 BACKUP || vrrp_fail "not stable: d1 $(lv_state d1), d2 $(lv_state d2)"
