#!/usr/bin/env bash
# test_seed_failover.sh (VM) — the seed's 11.4.2 end to end with real IPVS:
# two directors run etc/lvsd-failover.ini as written (the second with its
# priority changed, as the tutorial says), VRRP holds 192.168.0.29 (eth0)
# and 10.0.0.29/24 (eth1, the backends' gateway), IPVS NATs to Backend01/02,
# HTTP_GET checks pull a dead backend out. The master director crashes: the
# other takes over and the client keeps being served. `make demo` runs it.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
ns_init
SEED=etc/lvsd-failover.ini
say() { printf '\n== %s\n' "$*"; }

say "The tutorial's 11.4.2 hosts: client, directors lvs1 and lvs2, Backend01, Backend02"
ns_add sw
ns_bridge br0 sw
ns_bridge br1 sw
ns_add c
ns_port c eth0 192.168.0.10/24 br0 sw
for i in 1 2; do
	ns_add d$i
	ns_port d$i eth0 192.168.0.3$i/24 br0 sw
	ns_port d$i eth1 10.0.0.3$i/24 br1 sw
	ns_exec d$i sysctl -qw net.ipv4.ip_forward=1
	ns_add b$i
	ns_port b$i eth0 10.0.0.5$i/24 br1 sw
	ns_exec b$i ip route add default via 10.0.0.29 # the floating gateway
	NS_LOG=$NS_TMP/httpd$i.out ns_bg b$i "${HTTPD[@]}" --port 80 --name Backend0$i
	eval "HTTPD$i=$NS_LAST_PID"
done
for i in 1 2; do
	wait_for 10 ns_exec d1 curl -s --max-time 1 "http://10.0.0.5$i/" || fail "Backend0$i did not start"
done
echo "   client 192.168.0.10 -- [lvs1 .31 | lvs2 .32] (VIP 192.168.0.29, 10.0.0.29) -- Backend01 10.0.0.51, Backend02 10.0.0.52"

sed 's/^priority = 100$/priority = 90/' "$SEED" >"$NS_TMP/lvs2.ini"
"${B:-build}/lvsd" -t -P "${B:-build}/plugins" -c "$SEED"
lv_start d1 "$SEED"
sleep 1
lv_start d2 "$NS_TMP/lvs2.ini"
both() { has_vip "$1" 192.168.0.29 eth0 && has_vip "$1" 10.0.0.29 eth1; }
t=$(wait_ms 8000 both d1) || vrrp_fail "lvs1 did not become master (${t} ms)"
ok "lvs1 (priority 100) is MASTER with both virtual addresses after ${t} ms; lvs2 (90) is BACKUP"
echo "   lvs1's kernel table (ipvsadm -Ln in its namespace):"
ns_exec d1 ipvsadm -Ln | sed 's/^/     /'

get() { ns_exec c curl -s --max-time 2 http://192.168.0.29/ || echo "(none)"; }
requests() {
	local i all=()
	for i in $(seq "$1"); do all+=("$(get)"); done
	echo "   requests: ${all[*]}"
	LAST="${all[*]}"
}
wait_for 10 sh -c "[ \"\$(ip netns exec $(ns c) curl -s --max-time 1 http://192.168.0.29/)\" != '' ]" ||
	vrrp_fail "the client gets no answer through 192.168.0.29"
requests 6
case $LAST in *Backend01*Backend02*|*Backend02*Backend01*) ;; *) vrrp_fail "rr did not alternate: $LAST" ;; esac
ok "the client reaches both backends through the VIP (rr, NAT)"

say "lvs1 crashes (kill -9, links down): lvs2 takes over"
kill -9 "$(lv_pid d1)"
wait "$(lv_pid d1)" 2>/dev/null || true # (and no "Killed" line)
ip -n "$(ns d1)" link set eth0 down
ip -n "$(ns d1)" link set eth1 down
t=$(wait_ms 8000 both d2) || vrrp_fail "lvs2 did not take the addresses (${t} ms)"
ok "lvs2 is MASTER with both virtual addresses ${t} ms after the crash (at most 3 x advert_int + skew = 3.6 s after the last advert)"
wait_for 10 sh -c "[ \"\$(ip netns exec $(ns c) curl -s --max-time 1 http://192.168.0.29/)\" != '' ]" ||
	vrrp_fail "the client gets no answer after the failover"
requests 6
case $LAST in *"(none)"*) vrrp_fail "requests failed after the failover: $LAST" ;; esac
ok "the client is served by lvs2"

say "Backend01's web server stops: the HTTP_GET check takes it out (delay_loop 3, retry 1)"
ns_stop "$HTTPD1"
t=$(wait_ms 20000 sh -c "! ip netns exec $(ns d2) ipvsadm -Ln | grep -q 10.0.0.51:80") ||
	vrrp_fail "Backend01 still in lvs2's table after ${t} ms"
ok "Backend01 left the kernel table ${t} ms after it stopped"
grep -m1 'real server 10.0.0.51:80 (web) down' "$NS_TMP/d2.log" | sed 's/^/   lvs2: /'
requests 4
case $LAST in *Backend01*|*"(none)"*) vrrp_fail "requests still go to the dead backend: $LAST" ;; esac
ok "every request is served by Backend02"

say "Backend01 comes back"
NS_LOG=$NS_TMP/httpd1b.out ns_bg b1 "${HTTPD[@]}" --port 80 --name Backend01
t=$(wait_ms 20000 sh -c "ip netns exec $(ns d2) ipvsadm -Ln | grep -q 10.0.0.51:80") ||
	vrrp_fail "Backend01 did not come back (${t} ms)"
ok "Backend01 is back in lvs2's table after ${t} ms"
lv_ctl d2 status | sed 's/^/   /'
