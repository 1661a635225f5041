#!/usr/bin/env bash
# test_sync.sh (VM) — connection synchronisation tied to VRRP, with real
# IPVS: two directors (NAT, VRRP holds the VIP 192.168.0.29 and the
# backends' gateway 10.0.0.29), a client with SYNC_CONNS (100) long-lived
# ping-pong TCP connections through the VIP to two backends.
#   A. sync off: kill -9 the master, the VIP moves: most connections die
#      (so the test proves the feature);
#   B. lvs_sync_daemon on: kill -9 the master: 0 lost;
#   C. the primary comes back (a fresh namespace: a reboot) and preempts
#      once resynced: 0 lost;
#   D. the primary stops gracefully (priority 0): 0 lost; its sync
#      daemons are stopped.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
ns_init
N=${SYNC_CONNS:-100}
VIP=192.168.0.29
PP=(python3 tests/lib/pingpong.py)
say() { printf '\n== %s\n' "$*"; }

say "hosts: client 192.168.0.10 -- directors .31/.32 (VIP $VIP, gateway 10.0.0.29) -- backends 10.0.0.51/.52 (echo on port 7)"
ns_add sw
ns_bridge br0 sw
ns_bridge br1 sw
ns_add c
ns_port c eth0 192.168.0.10/24 br0 sw
for i in 1 2; do
	ns_add b$i
	ns_port b$i eth0 10.0.0.5$i/24 br1 sw
	ns_exec b$i ip route add default via 10.0.0.29 # held by the master
	NS_LOG=$NS_TMP/echo$i.log ns_bg b$i "${PP[@]}" server 7
done
for i in 1 2; do
	wait_for 30 ns_exec b$i bash -c ". tests/lib/ns.sh; tcp_open 10.0.0.5$i 7" ||
		fail "the echo server of backend $i did not start"
done

# director NAME IDX: a director namespace, .3IDX on both sides.
director() {
	ns_add "$1"
	ns_port "$1" eth0 192.168.0.3$2/24 br0 sw
	ns_port "$1" eth1 10.0.0.3$2/24 br1 sw
	ns_exec "$1" sysctl -qw net.ipv4.ip_forward=1
	# resync a connection every 10 packets (default 50): a returning
	# primary is resynced before its preempt_delay ends
	ns_exec "$1" sysctl -qw net.ipv4.vs.sync_threshold="3 10"
}
# conf FILE PRIORITY SYNC(0/1)
conf() {
	{
		echo "[global]"
		[ "$3" = 1 ] && echo "lvs_sync_daemon = eth1 VI_1"
		cat <<EOC
[vrrp VI_1]
state = BACKUP
interface = eth0
virtual_router_id = 51
priority = $2
advert_int = 1
preempt_delay = 10
virtual_ipaddress = $VIP/24 dev eth0
virtual_ipaddress = 10.0.0.29/24 dev eth1
[virtual_server echo]
address = $VIP:7
scheduler = rr
method = NAT
[real_server echo 10.0.0.51:7]
[real_server echo 10.0.0.52:7]
EOC
	} >"$1"
}
for s in 0 1; do
	conf "$NS_TMP/p$s.ini" 150 $s
	conf "$NS_TMP/s$s.ini" 100 $s
	"${B:-build}/lvsd" -t -P "${B:-build}/plugins" -c "$NS_TMP/p$s.ini" >/dev/null
done
master_of() { has_vip "$1" $VIP eth0 && has_vip "$1" 10.0.0.29 eth1; }
# conns NAME: the ESTABLISHED connections to the VIP in NAME's IPVS table
conns() { ns_exec "$1" ipvsadm -Lnc | grep -c "ESTABLISHED.*$VIP:7 " || true; }
has_conns() { [ "$(conns "$1")" -ge "$N" ]; }
crash() { # kill -9 and the links down: the machine is gone
	kill -9 "$(lv_pid "$1")"
	wait "$(lv_pid "$1")" 2>/dev/null || true
	ip -n "$(ns "$1")" link set eth0 down
	ip -n "$(ns "$1")" link set eth1 down
}

ST=$NS_TMP/pp.status
MARK=$NS_TMP/pp.mark
EPOCH=0
field() { sed -n "s/.*\b$1=\([0-9]*\).*/\1/p" "$ST" 2>/dev/null; }
clients_start() {
	EPOCH=0
	echo 0 >"$MARK"
	rm -f "$ST"
	NS_LOG=$NS_TMP/client.log ns_bg c "${PP[@]}" client $VIP 7 "$N" 200 "$ST" "$MARK" 20
	CLIENT=$NS_LAST_PID
	wait_for 60 all_flowing ||
		{ cat "$ST" "$NS_TMP/client.log" 2>/dev/null; fail "$N connections did not all carry data"; }
}
all_flowing() { [ "$(field up)" = "$N" ] && [ "$(field rounds)" -ge 3 ]; }
clients_stop() { echo stop >"$MARK"; wait "$CLIENT" 2>/dev/null || true; }
mark() { EPOCH=$((EPOCH + 1)); echo "$EPOCH" >"$MARK"; wait_for 5 grep -q "epoch=$EPOCH " "$ST"; }
# settled: every connection did a round trip since the mark, or died
settled() {
	grep -q "epoch=$EPOCH " "$ST" 2>/dev/null &&
		[ $(($(field since) + $(field dead))) -ge "$N" ]
}
# settle SECONDS: wait for settled; prints the status line
settle() { wait_for "$1" settled || true; cat "$ST"; }

say "A. sync off: the master crashes, the connections die with it"
director a1 1
director a2 2
lv_start a1 "$NS_TMP/p0.ini"
lv_start a2 "$NS_TMP/s0.ini"
t=$(wait_ms 15000 master_of a1) || vrrp_fail "a1 did not become master (${t} ms)"
clients_start
ok "$N connections carry data through a1"
sleep 3 # what B waits for its sync, to be fair
crash a1
t=$(wait_ms 15000 master_of a2) || vrrp_fail "a2 did not take over (${t} ms)"
mark
line=$(settle 30)
echo "   $line"
dead=$(field dead)
[ "${dead:-0}" -ge $((N * 9 / 10)) ] || fail "without sync only ${dead:-0} of $N connections died: the test cannot show what sync does"
ok "without sync $dead of $N connections died when a2 took over"
clients_stop
ns_stop "$(lv_pid a2)"
ip netns del "$(ns a1)"
ip netns del "$(ns a2)"

say "B. lvs_sync_daemon = eth1 VI_1: the master crashes, 0 connections lost"
director d1 1
director d2 2
lv_start d1 "$NS_TMP/p1.ini"
lv_start d2 "$NS_TMP/s1.ini"
t=$(wait_ms 15000 master_of d1) || vrrp_fail "d1 did not become master (${t} ms)"
wait_for 10 sh -c "ip netns exec $(ns d1) ipvsadm -L --daemon | grep -q '^master sync daemon'" ||
	fail "d1 (MASTER) runs no master sync daemon: $(ns_exec d1 ipvsadm -L --daemon)"
wait_for 10 sh -c "ip netns exec $(ns d2) ipvsadm -L --daemon | grep -q '^backup sync daemon'" ||
	fail "d2 (BACKUP) runs no backup sync daemon: $(ns_exec d2 ipvsadm -L --daemon)"
ns_exec d1 ipvsadm -L --daemon | sed 's/^/   d1: /'
ns_exec d2 ipvsadm -L --daemon | sed 's/^/   d2: /'
[ "$(ns_exec d1 ipvsadm -L --daemon | grep -c 'sync daemon')" = 1 ] || fail "d1 runs both daemons without lvs_sync_daemon_both"
lv_ctl d1 status | grep -A2 '^Sync daemon' | sed 's/^/   d1 status: /'
lv_ctl d1 status | grep -q '^  master running' || fail "lvsctl status of d1 does not show the master daemon running"
clients_start
t=$(wait_ms 30000 has_conns d2) || fail "d2 holds $(conns d2) of $N connections after ${t} ms of sync"
ok "$N connections carry data through d1; d2's table has them all ${t} ms later"
crash d1
t=$(wait_ms 15000 master_of d2) || vrrp_fail "d2 did not take over (${t} ms)"
mark
line=$(settle 40)
echo "   $line"
[ "$(field dead)" = 0 ] && [ "$(field since)" = "$N" ] ||
	fail "with sync, connections were lost when d2 took over: $line"
ok "with sync 0 of $N connections lost; the longest gap a connection saw: $(field gap_ms) ms"
wait_for 10 sh -c "ip netns exec $(ns d2) ipvsadm -L --daemon | grep -q '^master sync daemon'" ||
	fail "d2 (now MASTER) runs no master sync daemon"
ok "d2 switched to the master sync daemon"

say "C. the primary returns (a fresh namespace: rebooted) and preempts after its preempt_delay: 0 lost"
ip netns del "$(ns d1)"
director r1 1
lv_start r1 "$NS_TMP/p1.ini"
t=$(wait_ms 30000 has_conns r1) || fail "r1 holds $(conns r1) of $N connections after ${t} ms"
ok "r1 (BACKUP) got all $N connections from d2's master daemon in ${t} ms"
t=$(wait_ms 30000 master_of r1) || vrrp_fail "r1 did not preempt (${t} ms)"
mark
line=$(settle 40)
echo "   $line"
[ "$(field dead)" = 0 ] && [ "$(field since)" = "$N" ] ||
	fail "connections were lost when r1 preempted: $line"
ok "r1 preempted: 0 of $N connections lost, the longest gap $(field gap_ms) ms"

say "D. the primary stops gracefully: 0 lost"
t=$(wait_ms 30000 has_conns d2) || fail "d2 holds $(conns d2) of $N connections"
ns_stop "$(lv_pid r1)"
t=$(wait_ms 15000 master_of d2) || vrrp_fail "d2 did not take over (${t} ms)"
mark
line=$(settle 40)
echo "   $line"
[ "$(field dead)" = 0 ] && [ "$(field since)" = "$N" ] ||
	fail "connections were lost at the graceful stop: $line"
ok "r1 stopped: 0 of $N connections lost, the longest gap $(field gap_ms) ms"
[ -z "$(ns_exec r1 ipvsadm -L --daemon)" ] || fail "r1's sync daemons still run after lvsd stopped: $(ns_exec r1 ipvsadm -L --daemon)"
ok "r1's lvsd stopped its sync daemons on exit"
clients_stop
echo "PASS: test_sync"
