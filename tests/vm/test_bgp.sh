#!/usr/bin/env bash
# test_bgp.sh (VM) — active-active directors over BGP/ECMP with BIRD 2:
# lvsd decides, BIRD announces (lvsd.ini(5) [bgp], etc/bird-lvsd.conf).
#
#   client 172.16.0.2 -- router 172.16.0.1 (BIRD, AS 65000, ECMP, L4 hash)
#                        router 10.10.0.1 --- LAN bridge --- d1 10.10.0.11 (lvsd + BIRD, AS 65001)
#                                                       \-- d2 10.10.0.12 (lvsd + BIRD, AS 65002)
#                                                       \-- b1 10.10.0.21, b2 10.10.0.22 (VIP on lo)
# VIP 192.168.100.10:80, mh, DR: replies go from the backends to the router.
# Each director checks the backends on its own port (d1: 8081, d2: 8082),
# so closing 8081 fails d1's checks alone. Shown: the router's multipath
# route via both directors; connections spread over both; d1's quorum
# lost withdraws its route (and regained announces it again); kill -9 of
# d1's lvsd withdraws it well within the BGP hold time; connections held
# open across all of that finish; a graceful stop of d2 withdraws too.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
ns_init
T0=$(date +%s%N)
ok() { echo "ok: $* (+$((($(date +%s%N) - T0) / 1000000)) ms)"; } # the VM may be slow
B=${B:-build}
# python without the pyenv shim when the system has one (the VM starts it
# in a fraction of the time)
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi
VIP=192.168.100.10
HOLD=20 # BGP hold time, s: the bound for the kill -9 withdrawal

[ -c /dev/net/tun ] || busybox modprobe tun 2>/dev/null || modprobe tun 2>/dev/null || true
if [ ! -c /dev/net/tun ]; then
	mkdir -p /dev/net && mknod /dev/net/tun c 10 200
fi
command -v bird >/dev/null || fail "bird (bird2) is not installed (make deps)"

# --- the hosts
for n in router client d1 d2 b1 b2; do ns_add $n; done
br=${NS_PFX}br
ns_bridge "$br"
ns_link client eth0 172.16.0.2/24 router eth1 172.16.0.1/24
ns_exec client ip route add default via 172.16.0.1
ns_port router eth0 10.10.0.1/24 "$br"
ns_exec router sysctl -qw net.ipv4.ip_forward=1 net.ipv4.fib_multipath_hash_policy=1
i=0
for d in d1 d2; do
	i=$((i + 1))
	ns_port $d eth0 10.10.0.1$i/24 "$br"
	ns_exec $d ip route add default via 10.10.0.1
	# a flow the router moves here mid-way is taken up (mh: same backend)
	ns_exec $d sysctl -qw net.ipv4.vs.sloppy_tcp=1
done
for b in 1 2; do
	ns_port b$b eth0 10.10.0.2$b/24 "$br"
	ns_exec b$b ip route add default via 10.10.0.1
	ns_exec b$b ip addr add $VIP/32 dev lo
	ns_exec b$b sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
	for port in 80 8081 8082; do
		NS_LOG=$NS_TMP/httpd$b-$port.log ns_bg b$b "${HTTPD[@]}" --port $port --name Backend0$b
		eval "HTTPD_${b}_$port=$NS_LAST_PID"
	done
done
for b in 1 2; do
	for port in 80 8081 8082; do
		wait_for 30 ns_exec b$b bash -c ". tests/lib/ns.sh; tcp_open 10.10.0.2$b $port" ||
			fail "b$b's HTTP server on $port did not start"
	done
done

ok "hosts and backends up"

# --- BIRD: the router, then each director with etc/bird-lvsd.conf as it ships
bgp_timers="hold time $HOLD; keepalive time 3; connect delay time 1; connect retry time 2; error wait time 1, 4;"
cat >"$NS_TMP/router.conf" <<-EOF
	router id 10.10.0.1;
	protocol device {}
	protocol kernel { ipv4 { import none; export all; }; merge paths on; }
	template bgp dir { local 10.10.0.1 as 65000; $bgp_timers ipv4 { import all; export none; }; }
	protocol bgp d1 from dir { neighbor 10.10.0.11 as 65001; }
	protocol bgp d2 from dir { neighbor 10.10.0.12 as 65002; }
EOF
birdc_r() { ns_exec router birdc -s "$NS_TMP/router.ctl" "$@"; }
NS_LOG=$NS_TMP/bird-router.log ns_bg router bird -f -c "$NS_TMP/router.conf" -s "$NS_TMP/router.ctl"
i=0
for d in d1 d2; do
	i=$((i + 1))
	cat >"$NS_TMP/bird-$d.conf" <<-EOF
		router id 10.10.0.1$i;
		protocol device {}
		include "$PWD/etc/bird-lvsd.conf";
		protocol bgp uplink {
			local 10.10.0.1$i as 6500$i; neighbor 10.10.0.1 as 65000; $bgp_timers
			ipv4 { import none; export where proto = "lvsd"; };
		}
	EOF
	NS_LOG=$NS_TMP/bird-$d.log ns_bg $d bird -f -c "$NS_TMP/bird-$d.conf" -s "$NS_TMP/bird-$d.ctl"
	cat >"$NS_TMP/lvsd-$d.ini" <<-EOF
		[global]
		control_socket = $NS_TMP/lvsd-$d.sock
		state_file = $NS_TMP/lvsd-$d.state
		[bgp]
		enabled = yes
		[virtual_server web]
		address = $VIP:80
		scheduler = mh
		method = DR
		delay_loop = 1
		retry = 0
		connect_timeout = 1
		bgp_announce = yes
		[real_server web 10.10.0.21:80]
		check = TCP
		connect_port = 808$i
		[real_server web 10.10.0.22:80]
		check = TCP
		connect_port = 808$i
	EOF
	NS_LOG=$NS_TMP/lvsd-$d.log ns_bg $d "$B/lvsd" -n -P "$B/plugins" -c "$NS_TMP/lvsd-$d.ini"
	eval "LVSD_$d=$NS_LAST_PID"
done
lvsctl_d() { local d=$1; shift; ns_exec $d "$B/lvsctl" -s "$NS_TMP/lvsd-$d.sock" "$@"; }
show() {
	echo "--- router: ip route / birdc show route; lvsd logs"
	ns_exec router ip route || true
	birdc_r show route all || true
	birdc_r show protocols || true
	for d in d1 d2; do echo "-- $d"; tail -n 20 "$NS_TMP/lvsd-$d.log" || true; done
}
trap 'rc=$?; [ $rc -eq 0 ] || show; ns_cleanup' EXIT

# nexthops: the directors the router's route to the VIP goes through
nexthops() {
	ns_exec router ip route show "$VIP" | grep -o 'via 10\.10\.0\.1[0-9]' | sort | tr '\n' ' '
}
want_hops() { [ "$(nexthops)" = "$1" ]; }

wait_for 40 want_hops "via 10.10.0.11 via 10.10.0.12 " || fail "no multipath route via both directors (have: $(nexthops))"
ns_exec router ip route show "$VIP"
birdc_r show route "$VIP/32" | sed 1d
ok "the router has a multipath route to $VIP via d1 and d2"
st=$(lvsctl_d d1 status | grep -A1 '^BGP:') && echo "$st"
[[ $st == *"web $VIP: announced"* ]] || fail "d1's status does not say announced"

# 8 connections held open across everything below by one process (python
# starts slowly in the VM), a header line sent on each every 0.5 s: data
# through the directors all along. The flag file ends them; the process
# prints one line per connection: the backend's name, or why it was lost.
flag=$NS_TMP/finish
cat >"$NS_TMP/hold.py" <<-'EOF'
	import os, socket, sys, time
	conns, res = [], {}
	for k in range(8):
	    conns.append(socket.create_connection((sys.argv[1], 80), 10))
	    conns[-1].sendall(b"GET / HTTP/1.0\r\n")
	print("connected", flush=True)
	t0 = time.time()
	while not os.path.exists(sys.argv[2]) and time.time() - t0 < 600:
	    for k, s in enumerate(conns):
	        if k in res:
	            continue
	        try:
	            s.sendall(b"X-Held: %d\r\n" % int(time.time() - t0))
	        except OSError as e:
	            res[k] = "(lost after %.1f s: %s)" % (time.time() - t0, e)
	    time.sleep(0.5)
	for k, s in enumerate(conns):
	    if k in res:
	        continue
	    try:
	        s.sendall(b"\r\n")
	        s.settimeout(10)
	        data = b""
	        while True:
	            d = s.recv(4096)
	            if not d:
	                break
	            data += d
	        res[k] = data.split(b"\r\n\r\n", 1)[-1].decode().strip() or "(lost: empty answer)"
	    except OSError as e:
	        res[k] = "(lost: %s)" % e
	for k in range(8):
	    print(res[k], flush=True)
EOF
NS_LOG=$NS_TMP/hold.log ns_bg client $PY "$NS_TMP/hold.py" $VIP "$flag"
HOLD_PID=$NS_LAST_PID
wait_for 60 grep -q connected "$NS_TMP/hold.log" || fail "the held connections did not connect: $(cat "$NS_TMP/hold.log")"

# N requests, one connection each (new source ports), in one process with
# sockets only (urllib's imports take seconds in the VM); each answer must
# be a backend's name
cat >"$NS_TMP/get.py" <<-'EOF'
	import socket, sys
	for i in range(int(sys.argv[2])):
	    s = socket.create_connection((sys.argv[1], 80), 10)
	    s.settimeout(10)
	    s.sendall(b"GET / HTTP/1.0\r\n\r\n")
	    data = b""
	    while True:
	        d = s.recv(4096)
	        if not d:
	            break
	        data += d
	    s.close()
	    body = data.split(b"\r\n\r\n", 1)[-1].decode().strip()
	    assert body in ("Backend01", "Backend02"), body
EOF
get() { ns_exec client $PY "$NS_TMP/get.py" $VIP "$1"; }

# spread: 24 new connections, counted by each director's IPVS
conns() { ns_exec $1 ipvsadm -Ln --stats -t $VIP:80 | awk '$1 == "TCP" { print $3 }'; }
c1=$(conns d1) c2=$(conns d2)
get 24 || fail "requests through the VIP failed"
spread() { [ $(($(conns d1) - c1 + $(conns d2) - c2)) -ge 24 ]; }
wait_for 15 spread || true # the kernel's counters lag up to 2 s
n1=$(($(conns d1) - c1)) n2=$(($(conns d2) - c2))
echo "connections: d1 $n1, d2 $n2 (of 24, plus 8 held: d1 $c1, d2 $c2)"
[ $((n1 + n2)) -ge 24 ] && [ "$n1" -gt 0 ] && [ "$n2" -gt 0 ] ||
	fail "connections not spread over both directors: d1 $n1, d2 $n2"
ok "24 connections spread: d1 $n1, d2 $n2"

# d1's checks fail (its check port closed on both backends): quorum lost
kill "$HTTPD_1_8081" "$HTTPD_2_8081"
wait_for 30 want_hops "via 10.10.0.12 " || fail "d1's route not withdrawn on quorum loss (have: $(nexthops))"
st=$(lvsctl_d d1 status | grep -A1 '^BGP:') && echo "$st"
[[ $st == *"web $VIP: withdrawn: quorum lost"* ]] || fail "d1's status does not say withdrawn: quorum lost"
ok "d1's quorum lost: the router's route goes via d2 only"
for b in 1 2; do
	NS_LOG=$NS_TMP/httpd$b-8081b.log ns_bg b$b "${HTTPD[@]}" --port 8081 --name Backend0$b
done
wait_for 30 want_hops "via 10.10.0.11 via 10.10.0.12 " || fail "d1's route not announced again (have: $(nexthops))"
ok "d1's quorum back: announced again"

# kill -9 of d1's lvsd: the device goes with the process, BIRD withdraws
t0=$(date +%s%N)
kill -9 "$LVSD_d1"
wait_for $HOLD want_hops "via 10.10.0.12 " || fail "kill -9: d1's route still there after ${HOLD} s (have: $(nexthops))"
ms=$((($(date +%s%N) - t0) / 1000000))
ns_exec d1 ip link show lvsd-bgp >/dev/null 2>&1 && fail "d1's lvsd-bgp device outlived lvsd"
# withdrawn by an UPDATE from d1's BIRD, not by the session going down
birdc_r show protocols d1 | grep -q Established || fail "the router's session to d1 is down: $(birdc_r show protocols d1)"
ok "kill -9 of d1's lvsd: withdrawn after $ms ms (BGP hold time ${HOLD} s), the BGP session up"

# new connections all go to d2 and work
c2=$(conns d2)
get 10 || fail "requests after d1's death failed"
# (the kernel folds its per-CPU counters into what ipvsadm reads every
# 2 s: wait for them)
took() { [ $(($(conns d2) - c2)) -ge 10 ]; }
wait_for 15 took || fail "d2 did not take the new connections ($(($(conns d2) - c2)) of 10)"
ok "10 new connections through d2"

# the held connections finish (those of d1 moved to d2: mh + sloppy_tcp)
touch "$flag"
wait "$HOLD_PID" 2>/dev/null || true
sed 1d "$NS_TMP/hold.log"
good=$(grep -c '^Backend0[12]$' "$NS_TMP/hold.log" || true)
[ "$good" -eq 8 ] || fail "$((8 - good)) of 8 held connections lost"
ok "8 of 8 connections held open across all of it finished"

# graceful stop of d2: withdrawn too
kill "$LVSD_d2"
wait_for 15 want_hops "" || fail "d2's route not withdrawn on stop (have: $(nexthops))"
ok "stopping d2's lvsd withdraws its route"
