#!/usr/bin/env bash
# test_check_paths.sh (VM) — checks that move real servers in the kernel's
# table, and the paths checks take:
#  - fwmark: a backend reachable only through routing table 100, which
#    `ip rule fwmark 99` selects: the check with fwmark = 99 (SO_MARK)
#    reaches it and its real server is in IPVS; the same check without the
#    mark finds no route and its real server is not;
#  - bind_to: the backend sees the check's connection from the bind_to
#    address (a second address of the director), not the primary one; a
#    bind_to that is no local address is down with the reason;
#  - MISC_CHECK and FILE_CHECK each take a real server out of `ipvsadm -Ln`
#    and put it back, FILE_CHECK's dynamic weight reaching the kernel.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/topo.sh
[ -r /proc/net/ip_vs ] || { echo "SKIP: no IPVS (run through tools/vm/run)"; exit 77; }
B=${B:-build}
ns_init
topo_nat
T=$NS_TMP
ip addr add 10.0.0.31/24 dev eth1 # the bind_to source

# A TCP server that logs each peer's address, in namespace $1 on $2:$3.
peerlog() { # NS ADDR PORT LOG
	NS_LOG=$T/peerlog-$1.out ns_bg "$1" python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(64)
while True:
    c, a = s.accept()
    with open(sys.argv[3], "a") as f: f.write(a[0] + "\n")
    c.close()' "$2" "$3" "$4"
}
# "far": 172.16.9.9 behind a veth whose route is only in table 100
ns_add far
ns_link far eth0 10.9.0.2/30 - far0 10.9.0.1/30
ip -n "$(ns far)" addr add 172.16.9.9/32 dev lo
ns_exec far ip route add default via 10.9.0.1
ip route add 172.16.9.9/32 via 10.9.0.2 dev far0 table 100
ip rule add fwmark 99 table 100 priority 100
trap 'ip rule del fwmark 99 table 100 priority 100 2>/dev/null || true; ns_cleanup' EXIT
peerlog far 172.16.9.9 80 "$T/far.peers"
peerlog backend01 10.0.0.51 81 "$T/b1.peers"
wait_for 30 ns_exec far bash -c ". tests/lib/ns.sh; tcp_open 172.16.9.9 80" || fail "far server did not start"
wait_for 30 ns_exec backend01 bash -c ". tests/lib/ns.sh; tcp_open 10.0.0.51 81" || fail "peer logger did not start"
: >"$T/b1.peers" # the readiness probe's own connection
! ip route get 172.16.9.9 >/dev/null 2>&1 || [ "$(ip route get 172.16.9.9 | grep -c far0)" = 0 ] ||
	fail "172.16.9.9 is reachable without the mark: the test proves nothing"

echo 1 >"$T/misc.flag"
echo 7 >"$T/weight"
cat >"$T/lvsd.ini" <<EOF2
[global]
delay_loop = 0.5
retry = 0
connect_timeout = 2

[virtual_server marked]
address = 192.168.0.40:80
scheduler = rr
method = DR
[real_server marked 172.16.9.9:80]
check = TCP
fwmark = 99

[virtual_server unmarked]
address = 192.168.0.41:80
scheduler = rr
method = DR
[real_server unmarked 172.16.9.9:80]
check = TCP

[virtual_server bound]
address = 192.168.0.42:80
scheduler = rr
[real_server bound 10.0.0.51:80]
check = TCP
connect_port = 81
bind_to = 10.0.0.31
[real_server bound 10.0.0.52:80]
check = TCP
bind_to = 10.0.0.99

[virtual_server web]
address = 192.168.0.30:80
scheduler = rr
[real_server web 10.0.0.51:80]
check = MISC_CHECK
misc_path = /usr/bin/test -s $T/misc.flag
[real_server web 10.0.0.52:80]
weight = 1
check = FILE_CHECK
file = $T/weight
dynamic = yes
EOF2
lvsd_start "$T/lvsd.ini"

svc_has() { ipvsadm -Ln -t "$1" 2>/dev/null | grep -q -- "-> $2 "; }
svc_weight() { ipvsadm -Ln -t "$1" | awk -v d="$2" '$2 == d { print $4 }'; }
# Polled: wait_for runs it again each time (a "$(svc_weight ...)" in
# wait_for's arguments would be read once, before the wait).
weight_is() { [ "$(svc_weight "$1" "$2")" = "$3" ]; }

# fwmark: only the marked check finds the route
wait_for 20 svc_has 192.168.0.40:80 172.16.9.9:80 || { ipvsadm -Ln; cat "$LVSD_LOG"; fail "marked check: 172.16.9.9 not in IPVS"; }
wait_for 20 grep -q "real server 172.16.9.9:80 (unmarked) down: connect: Network is unreachable" "$LVSD_LOG" ||
	{ cat "$LVSD_LOG"; fail "the unmarked check was not down for lack of a route"; }
! svc_has 192.168.0.41:80 172.16.9.9:80 || { ipvsadm -Ln; fail "unmarked: 172.16.9.9 in IPVS"; }
grep -qx 10.9.0.1 "$T/far.peers" || fail "the far server saw no check from 10.9.0.1"
ok "fwmark 99: the check takes table 100 (ip rule fwmark) and its real server is in IPVS; unmarked: no route, not in IPVS"

# bind_to: the backend sees 10.0.0.31, never 10.0.0.30
wait_for 20 test -s "$T/b1.peers" || fail "no check reached the peer logger"
sleep 1.5
sort -u "$T/b1.peers" | grep -qx 10.0.0.31 || { cat "$T/b1.peers"; fail "the check did not come from 10.0.0.31"; }
[ "$(sort -u "$T/b1.peers")" = 10.0.0.31 ] || { sort -u "$T/b1.peers"; fail "a check came from another address"; }
svc_has 192.168.0.42:80 10.0.0.51:80 || { ipvsadm -Ln; fail "bound real server not in IPVS"; }
wait_for 20 grep -q "real server 10.0.0.52:80 (bound) down: bind: Cannot assign requested address" "$LVSD_LOG" ||
	{ cat "$LVSD_LOG"; fail "bind_to a foreign address: no 'Cannot assign' reason"; }
! svc_has 192.168.0.42:80 10.0.0.52:80 || fail "bind_to a foreign address: in IPVS"
ok "bind_to 10.0.0.31: the backend sees the check from 10.0.0.31 ($(wc -l <"$T/b1.peers") checks); a foreign bind_to is down"

# MISC_CHECK and FILE_CHECK move real servers in the kernel
wait_for 20 svc_has 192.168.0.30:80 10.0.0.51:80 || { ipvsadm -Ln; fail "MISC_CHECK: .51 not in IPVS"; }
wait_for 20 weight_is 192.168.0.30:80 10.0.0.52:80 7 || { ipvsadm -Ln; fail "FILE_CHECK: .52 not at weight 7"; }
: >"$T/misc.flag"
wait_for 20 bash -c "! ipvsadm -Ln -t 192.168.0.30:80 | grep -q -- '-> 10.0.0.51:80 '" || { ipvsadm -Ln; fail "MISC_CHECK: .51 still in IPVS"; }
echo 3 >"$T/weight"
wait_for 20 weight_is 192.168.0.30:80 10.0.0.52:80 3 || { ipvsadm -Ln; fail "FILE_CHECK: .52 not at weight 3"; }
echo -1 >"$T/weight"
wait_for 20 bash -c "! ipvsadm -Ln -t 192.168.0.30:80 | grep -q -- '-> 10.0.0.52:80 '" || { ipvsadm -Ln; fail "FILE_CHECK: .52 still in IPVS"; }
echo 1 >"$T/misc.flag"
echo 5 >"$T/weight"
wait_for 20 svc_has 192.168.0.30:80 10.0.0.51:80 || { ipvsadm -Ln; fail "MISC_CHECK: .51 not back"; }
wait_for 20 weight_is 192.168.0.30:80 10.0.0.52:80 5 || { ipvsadm -Ln; fail "FILE_CHECK: .52 not back at 5"; }
grep -q "real server 10.0.0.51:80 (web) down: exit status 1" "$LVSD_LOG" || { cat "$LVSD_LOG"; fail "no MISC_CHECK down line"; }
grep -q "real server 10.0.0.52:80 (web) down: value -1: weight -1 below 0" "$LVSD_LOG" || { cat "$LVSD_LOG"; fail "no FILE_CHECK down line"; }
ok "MISC_CHECK takes .51 out of IPVS and back; FILE_CHECK sets .52's kernel weight 7 -> 3, out, back at 5"

ns_stop "$LVSD_PID"
grep -q "AddressSanitizer\|runtime error" "$LVSD_LOG" && { cat "$LVSD_LOG"; fail "sanitizer report"; }
echo "PASS: test_check_paths"
