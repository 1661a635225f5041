#!/usr/bin/env bash
# test_sync.sh (VM) — connection synchronisation tied to VRRP, with real
# IPVS (tests/lib/synctopo.sh): two directors (NAT; VRRP holds the VIP
# 192.168.0.29 and the backends' gateway 10.0.0.29), a client with
# SYNC_CONNS (100) long-lived ping-pong TCP connections through the VIP to
# two backends.
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
. tests/lib/synctopo.sh
ns_init
SYNC_N=${SYNC_CONNS:-100}
N=$SYNC_N
VIP=$SYNC_VIP
say() { printf '\n== [%ss] %s\n' "$SECONDS" "$*"; }

say "hosts: client 192.168.0.10 -- directors .31/.32 (VIP $VIP, gateway 10.0.0.29) -- backends 10.0.0.51/.52 (echo on port 7)"
sync_topo

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
daemons() { ns_exec "$1" ipvsadm -L --daemon; }
runs() { daemons "$1" | grep -q "^$2 sync daemon"; }
lost_none() {
	[ "$(sync_field dead)" = 0 ] && [ "$(sync_field since)" = "$N" ]
}

say "A. sync off: the master crashes, the connections die with it"
sync_director a1 1
sync_director a2 2
lv_start a1 "$NS_TMP/p0.ini"
lv_start a2 "$NS_TMP/s0.ini"
t=$(wait_ms 20000 sync_master a1) || vrrp_fail "a1 did not become master (${t} ms)"
sync_clients_start
ok "$N connections carry data through a1"
sleep 3 # what B waits for its sync, to be fair
sync_mark
sync_crash a1 "$(lv_pid a1)"
t=$(wait_ms 20000 sync_master a2) || vrrp_fail "a2 did not take over (${t} ms)"
sync_since
line=$(sync_settle 30)
echo "   $line"
dead=$(sync_field dead)
[ "${dead:-0}" -ge $((N * 9 / 10)) ] ||
	fail "without sync only ${dead:-0} of $N connections died: the test cannot show what sync does"
ok "without sync $dead of $N connections died when a2 took over"
sync_clients_stop
ns_stop "$(lv_pid a2)"
ip netns del "$(ns a1)"
ip netns del "$(ns a2)"

say "B. lvs_sync_daemon = eth1 VI_1: the master crashes, 0 connections lost"
sync_director d1 1
sync_director d2 2
lv_start d1 "$NS_TMP/p1.ini"
lv_start d2 "$NS_TMP/s1.ini"
t=$(wait_ms 20000 sync_master d1) || vrrp_fail "d1 did not become master (${t} ms)"
wait_for 10 runs d1 master || fail "d1 (MASTER) runs no master sync daemon: $(daemons d1)"
wait_for 10 runs d2 backup || fail "d2 (BACKUP) runs no backup sync daemon: $(daemons d2)"
daemons d1 | sed 's/^/   d1: /'
daemons d2 | sed 's/^/   d2: /'
! runs d1 backup || fail "d1 runs the backup daemon too, without lvs_sync_daemon_both"
lv_ctl d1 status | grep -A2 '^Sync daemon' | sed 's/^/   d1 status: /'
lv_ctl d1 status | grep -q '^  master running' || fail "lvsctl status of d1 does not show the master daemon running"
sync_clients_start
t=$(wait_ms 30000 sync_has_conns d2) || fail "d2 holds $(sync_conns d2) of $N connections after ${t} ms of sync"
ok "$N connections carry data through d1; d2's table has them all ${t} ms later"
sync_mark
sync_crash d1 "$(lv_pid d1)"
t=$(wait_ms 20000 sync_master d2) || vrrp_fail "d2 did not take over (${t} ms)"
sync_since
line=$(sync_settle 40)
echo "   $line"
lost_none || fail "with sync, connections were lost when d2 took over: $line"
ok "with sync 0 of $N connections lost; the longest gap a connection saw: $(sync_field gap_ms) ms"
wait_for 10 runs d2 master || fail "d2 (now MASTER) runs no master sync daemon: $(daemons d2)"
! runs d2 backup || fail "d2 (MASTER) still runs the backup daemon"
ok "d2 switched to the master sync daemon"

say "C. the primary returns (a fresh namespace: rebooted) and preempts after its preempt_delay: 0 lost"
ip netns del "$(ns d1)"
sync_director r1 1
lv_start r1 "$NS_TMP/p1.ini"
t=$(wait_ms 30000 sync_has_conns r1) || fail "r1 holds $(sync_conns r1) of $N connections after ${t} ms"
ok "r1 (BACKUP) got all $N connections from d2's master daemon in ${t} ms"
sync_mark
t=$(wait_ms 30000 sync_master r1) || vrrp_fail "r1 did not preempt (${t} ms)"
sync_since
line=$(sync_settle 40)
echo "   $line"
lost_none || fail "connections were lost when r1 preempted: $line"
ok "r1 preempted: 0 of $N connections lost, the longest gap $(sync_field gap_ms) ms"

say "D. the primary stops gracefully: 0 lost"
t=$(wait_ms 30000 sync_has_conns d2) || fail "d2 holds $(sync_conns d2) of $N connections"
sync_mark
ns_stop "$(lv_pid r1)"
t=$(wait_ms 20000 sync_master d2) || vrrp_fail "d2 did not take over (${t} ms)"
sync_since
line=$(sync_settle 40)
echo "   $line"
lost_none || fail "connections were lost at the graceful stop: $line"
ok "r1 stopped: 0 of $N connections lost, the longest gap $(sync_field gap_ms) ms"
[ -z "$(daemons r1)" ] || fail "r1's sync daemons still run after lvsd stopped: $(daemons r1)"
ok "r1's lvsd stopped its sync daemons on exit"

say "E. a reload with lvs_sync_daemon_both = yes and another syncid: d2 (MASTER) restarts its daemons, both"
sed -i 's/^lvs_sync_daemon = eth1 VI_1$/&\nlvs_sync_daemon_both = yes\nlvs_sync_daemon_id = 7/' "$NS_TMP/s1.ini"
lv_ctl d2 reload >/dev/null
both7() { [ "$(daemons d2 | grep -c 'syncid=7,')" = 2 ]; }
wait_for 20 both7 || fail "d2 does not run both daemons with syncid 7 after the reload: $(daemons d2)"
daemons d2 | sed 's/^/   d2: /'
ok "the reload restarted d2's sync daemons with the new syncid, master and backup at once"
sync_clients_stop
echo "PASS: test_sync (${SECONDS} s)"
