#!/usr/bin/env bash
# test_bgp.sh (VM) — active-active directors over BGP/ECMP with BIRD 2:
# lvsd decides, BIRD announces (lvsd.ini(5) [bgp], etc/bird-lvsd.conf).
#
#   client 172.16.0.2 -- router 172.16.0.1 (BIRD, AS 65000, ECMP, L4 hash)
#                        router 10.10.0.1 (br0) -- LAN ----- d1 10.10.0.11 (lvsd + BIRD, AS 65001)
#                                                       \-- d2 10.10.0.12 (lvsd + BIRD, AS 65002)
#                                                       \-- b1 10.10.0.21 (the backend, VIP on lo)
# VIP 192.168.100.10:80, mh, DR: replies go from the backend to the router.
# d1 checks the backend on port 8081, d2 on 80, so closing 8081 fails d1's
# checks alone. Shown: the router's multipath route via both directors;
# connections spread over both; d1's quorum lost withdraws its route (and
# regained announces it again); kill -9 of d1's lvsd withdraws it well
# within the BGP hold time; connections held open across all of that
# finish; a graceful stop of d2 withdraws too.
#
# Lean for the emulated VM, where every process started costs: one
# backend, one client process (it holds 8 connections and makes the new
# ones when told through a file), ip -batch, polls every 0.25 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
ns_init
T0=$(date +%s%N)
ok() { echo "ok: $* (+$((($(date +%s%N) - T0) / 1000000)) ms)"; } # the VM may be slow
B=${B:-build}
VIP=192.168.100.10
HOLD=20 # BGP hold time, s: the bound for the kill -9 withdrawal

[ -c /dev/net/tun ] || busybox modprobe tun 2>/dev/null || modprobe tun 2>/dev/null || true
if [ ! -c /dev/net/tun ]; then
	mkdir -p /dev/net && mknod /dev/net/tun c 10 200
fi
command -v bird >/dev/null || fail "bird (bird2) is not installed (make deps)"
# poll T CMD...: like wait_for, every 0.25 s (each poll starts processes)
poll() {
	local t=$1 i; shift
	for ((i = 0; i < t * 4; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
	return 1
}

# --- the hosts: few processes (each costs in the emulated VM): the LAN
# bridge is the router's interface, every link is made by one ip -batch
for n in router client d1 d2 b1; do
	ip netns add "$(ns $n)"
	NS_LIST+=("$(ns $n)")
done
{
	echo "link set lo up"
	echo "link add br0 type bridge"
	echo "link set br0 up"
	echo "addr add 10.10.0.1/24 dev br0"
	echo "link add eth1 type veth peer name eth0 netns $(ns client)"
	echo "link set eth1 up"
	echo "addr add 172.16.0.1/24 dev eth1"
	for h in d1 d2 b1; do
		echo "link add p$h type veth peer name eth0 netns $(ns $h)"
		echo "link set p$h master br0 up"
	done
} | ip -n "$(ns router)" -batch -
ns_exec router sysctl -qw net.ipv4.ip_forward=1 net.ipv4.fib_multipath_hash_policy=1
host() { # NS ADDR/24 GATEWAY [more ip -batch lines]
	local n=$1 a=$2 gw=$3; shift 3
	printf '%s\n' "link set lo up" "link set eth0 up" "addr add $a dev eth0" \
		"route add default via $gw" "$@" | ip -n "$(ns $n)" -batch -
}
host client 172.16.0.2/24 172.16.0.1
host b1 10.10.0.21/24 10.10.0.1 "addr add $VIP/32 dev lo"
ns_exec b1 sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
for port in 80 8081; do
	# --idle 120: the held connections may go quiet while the client makes
	# new ones (seconds each in a VM on a loaded host)
	NS_LOG=$NS_TMP/httpd-$port.log ns_bg b1 "${HTTPD[@]}" --port $port --name Backend01 --idle 120
	eval "HTTPD_$port=$NS_LAST_PID"
done
i=0
for d in d1 d2; do
	i=$((i + 1))
	host $d 10.10.0.1$i/24 10.10.0.1
	# a flow the router moves here mid-way is taken up (mh: same backend)
	ns_exec $d sysctl -qw net.ipv4.vs.sloppy_tcp=1
done
ok "hosts up"

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
	port=$((i == 1 ? 8081 : 80))
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
		connect_port = $port
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
	echo "-- client"; cat "$NS_TMP/client.log" || true
}
trap 'rc=$?; [ $rc -eq 0 ] || show; ns_cleanup' EXIT

# nexthops: the directors the router's route to the VIP goes through (one
# process per poll)
nexthops() {
	local r h=() w
	r=$(ns_exec router ip -o route show "$VIP")
	for w in 11 12; do [[ $r == *"via 10.10.0.$w "* ]] && h+=("d${w#1}"); done
	echo "${h[*]:-}"
}
want_hops() { [ "$(nexthops)" = "$1" ]; }

poll 60 want_hops "d1 d2" || fail "no multipath route via both directors (have: $(nexthops))"
ns_exec router ip route show "$VIP"
ok "the router has a multipath route to $VIP via d1 and d2"
st=$(lvsctl_d d1 status | grep -A1 '^BGP:') && echo "$st"
[[ $st == *"web $VIP: announced (on lvsd-bgp)"* ]] || fail "d1's status does not say announced"

# The client, one bash process with /dev/tcp (no process per connection:
# each costs in the emulated VM; python takes seconds to start): 8
# connections held open across everything below, a header line sent on
# each every 0.5 s (data through the directors all along). Told through a
# file ($cmd/getK holding N) it makes N new connections, one request each
# (each answer must be the backend's name), and answers in $cmd/gotK;
# $cmd/finish ends the held ones, one line each: the backend's name, or
# why it was lost.
cmd=$NS_TMP/cmd
mkdir "$cmd"
mkfifo "$cmd/nap"
cat >"$NS_TMP/client.sh" <<-'EOF'
	vip=$1 cmd=$2
	trap '' PIPE # a lost connection is an error from printf, not death
	exec {nap}<>"$cmd/nap" # read -t on it: a sleep without a process
	body() { # FD: the answer's body in BODY (the server ends the connection)
		local r=
		BODY=
		IFS= read -r -d '' -t 10 r <&"$1" || [ -n "$r" ] || return 1
		r=${r#*$'\r\n\r\n'}
		BODY=${r%$'\n'}
	}
	get() { # N
		local i c
		for ((i = 0; i < $1; i++)); do
			exec {c}<>"/dev/tcp/$vip/80" || { echo "connection $i failed"; return; }
			printf 'GET / HTTP/1.0\r\n\r\n' >&"$c"
			body "$c" || BODY="(no answer)"
			exec {c}>&-
			[ "$BODY" = Backend01 ] || { echo "answer $i: $BODY"; return; }
		done
		echo ok
	}
	fds=() res=()
	for k in 0 1 2 3 4 5 6 7; do
		exec {fd}<>"/dev/tcp/$vip/80" || exit 1
		printf 'GET / HTTP/1.0\r\n' >&"$fd"
		fds[k]=$fd
	done
	echo connected
	t0=$SECONDS n=1
	while [ ! -e "$cmd/finish" ] && [ $((SECONDS - t0)) -lt 600 ]; do
		for k in 0 1 2 3 4 5 6 7; do
			[ -z "${res[k]:-}" ] || continue
			printf 'X-Held: %d\r\n' $((SECONDS - t0)) >&"${fds[k]}" 2>/dev/null ||
				res[k]="(lost after $((SECONDS - t0)) s)"
		done
		if [ -e "$cmd/get$n" ]; then
			read -r N <"$cmd/get$n"
			get "$N" >"$cmd/got$n.tmp"
			mv "$cmd/got$n.tmp" "$cmd/got$n"
			n=$((n + 1))
		fi
		read -r -t 0.5 -u "$nap" _ || true
	done
	for k in 0 1 2 3 4 5 6 7; do
		if [ -z "${res[k]:-}" ]; then
			printf '\r\n' >&"${fds[k]}" 2>/dev/null && body "${fds[k]}" &&
				res[k]=$BODY || res[k]="(lost at the end)"
		fi
		echo "${res[k]:-(lost: empty answer)}"
	done
EOF
poll 30 ns_exec b1 bash -c ". tests/lib/ns.sh; tcp_open 10.10.0.21 80" || fail "the backend's HTTP server did not start"
NS_LOG=$NS_TMP/client.log ns_bg client bash "$NS_TMP/client.sh" $VIP "$cmd"
CLIENT=$NS_LAST_PID
poll 60 grep -q connected "$NS_TMP/client.log" || fail "the held connections did not connect: $(cat "$NS_TMP/client.log")"
GETS=0
get() {
	GETS=$((GETS + 1))
	echo "$1" >"$cmd/get.tmp" && mv "$cmd/get.tmp" "$cmd/get$GETS"
	poll 60 test -e "$cmd/got$GETS" || fail "the client did not make $1 connections"
	local r; r=$(cat "$cmd/got$GETS")
	[ "$r" = ok ] || fail "requests through the VIP: $r"
}

# spread: 24 new connections, counted by each director's IPVS
conns() { ns_exec $1 ipvsadm -Ln --stats -t $VIP:80 | awk '$1 == "TCP" { print $3 }'; }
c1=$(conns d1) c2=$(conns d2)
get 24
# (the kernel folds its per-CPU counters into what ipvsadm reads every 2 s)
spread() { [ $(($(conns d1) - c1 + $(conns d2) - c2)) -ge 24 ]; }
poll 15 spread || true
n1=$(($(conns d1) - c1)) n2=$(($(conns d2) - c2))
echo "connections: d1 $n1, d2 $n2 (of 24, plus 8 held: d1 $c1, d2 $c2)"
[ $((n1 + n2)) -ge 24 ] && [ "$n1" -gt 0 ] && [ "$n2" -gt 0 ] ||
	fail "connections not spread over both directors: d1 $n1, d2 $n2"
ok "24 connections spread: d1 $n1, d2 $n2"

# d1's checks fail (its check port closed): quorum lost
kill "$HTTPD_8081"
poll 30 want_hops "d2" || fail "d1's route not withdrawn on quorum loss (have: $(nexthops))"
st=$(lvsctl_d d1 status | grep -A1 '^BGP:') && echo "$st"
[[ $st == *"web $VIP: withdrawn: quorum lost"* ]] || fail "d1's status does not say withdrawn: quorum lost"
ok "d1's quorum lost: the router's route goes via d2 only"
NS_LOG=$NS_TMP/httpd-8081b.log ns_bg b1 "${HTTPD[@]}" --port 8081 --name Backend01
poll 30 want_hops "d1 d2" || fail "d1's route not announced again (have: $(nexthops))"
ok "d1's quorum back: announced again"

# kill -9 of d1's lvsd: the device goes with the process, BIRD withdraws
t0=$(date +%s%N)
kill -9 "$LVSD_d1"
wait "$LVSD_d1" 2>/dev/null || true # (no "Killed" notice from bash)
poll $HOLD want_hops "d2" || fail "kill -9: d1's route still there after ${HOLD} s (have: $(nexthops))"
ms=$((($(date +%s%N) - t0) / 1000000))
ns_exec d1 ip link show lvsd-bgp >/dev/null 2>&1 && fail "d1's lvsd-bgp device outlived lvsd"
# withdrawn by an UPDATE from d1's BIRD, not by the session going down
birdc_r show protocols d1 | grep -q Established || fail "the router's session to d1 is down: $(birdc_r show protocols d1)"
ok "kill -9 of d1's lvsd: withdrawn after $ms ms (BGP hold time ${HOLD} s), the BGP session up"

# new connections all go to d2 and work
c2=$(conns d2)
get 10
took() { [ $(($(conns d2) - c2)) -ge 10 ]; }
poll 15 took || fail "d2 did not take the new connections ($(($(conns d2) - c2)) of 10)"
ok "10 new connections through d2"

# the held connections finish (those of d1 moved to d2: mh + sloppy_tcp)
touch "$cmd/finish"
wait "$CLIENT" 2>/dev/null || true
sed 1d "$NS_TMP/client.log"
good=$(grep -c '^Backend01$' "$NS_TMP/client.log" || true)
[ "$good" -eq 8 ] || fail "$((8 - good)) of 8 held connections lost"
ok "8 of 8 connections held open across all of it finished"

# graceful stop of d2: withdrawn too
kill "$LVSD_d2"
poll 15 want_hops "" || fail "d2's route not withdrawn on stop (have: $(nexthops))"
ok "stopping d2's lvsd withdraws its route"
