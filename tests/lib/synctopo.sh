# synctopo.sh — the connection-synchronisation hosts (source after ns.sh
# and vrrp.sh, call ns_init first), shared by tests/vm/test_sync.sh and
# tests/bench/bench_sync.sh. sync_topo builds, on bridges br0/br1 in "sw":
#   c      eth0 192.168.0.10/24                      (the client)
#   b1, b2 eth0 10.0.0.51/.52, default via 10.0.0.29 (echo servers, port 7)
# and sync_director NAME IDX adds a director: eth0 192.168.0.3IDX/24,
# eth1 10.0.0.3IDX/24 (VRRP moves 192.168.0.29 and the backends' gateway
# 10.0.0.29 between directors; NAT replies follow the master).
SYNC_VIP=192.168.0.29
# pingpong.py without the pyenv shim when the system has python3 (the VM
# starts it in a fraction of the time)
if [ -x /usr/bin/python3 ]; then SYNC_PY=/usr/bin/python3; else SYNC_PY=python3; fi
SYNC_PP=("$SYNC_PY" tests/lib/pingpong.py)

sync_topo() {
	local i
	ns_add sw
	ns_bridge br0 sw
	ns_bridge br1 sw
	ns_add c
	ns_port c eth0 192.168.0.10/24 br0 sw
	for i in 1 2; do
		ns_add b$i
		ns_port b$i eth0 10.0.0.5$i/24 br1 sw
		ns_exec b$i ip route add default via 10.0.0.29
		NS_LOG=$NS_TMP/echo$i.log ns_bg b$i "${SYNC_PP[@]}" server 7
	done
	for i in 1 2; do
		wait_for 60 ns_exec b$i bash -c ". tests/lib/ns.sh; tcp_open 10.0.0.5$i 7" ||
			fail "the echo server of backend $i did not start"
	done
}

# sync_director NAME IDX
sync_director() {
	ns_add "$1"
	ns_port "$1" eth0 192.168.0.3$2/24 br0 sw
	ns_port "$1" eth1 10.0.0.3$2/24 br1 sw
	ns_exec "$1" sysctl -qw net.ipv4.ip_forward=1
	# resync a connection every 10 packets (default 50): a returning
	# primary holds every connection before its preempt_delay ends
	ns_exec "$1" sysctl -qw net.ipv4.vs.sync_threshold="3 10"
}

# sync_master NAME: NAME holds both virtual addresses
sync_master() { has_vip "$1" $SYNC_VIP eth0 && has_vip "$1" 10.0.0.29 eth1; }
# sync_conns NAME: ESTABLISHED connections to the VIP in NAME's IPVS table
sync_conns() { ns_exec "$1" ipvsadm -Lnc | grep -c "ESTABLISHED.*$SYNC_VIP:7 " || true; }
sync_has_conns() { [ "$(sync_conns "$1")" -ge "$SYNC_N" ]; }
# sync_alive PID: running (not gone, not a zombie)
sync_alive() {
	local s
	s=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$s" ] && [ "$s" != Z ]
}
# sync_reap SIG PID...: send SIG, then KILL after 5 s; each waited for at
# most 10 s. One that does not end (stuck in the kernel) is reported with
# its kernel stack and left alone (never a wait without a bound).
sync_reap() {
	local sig=$1 p i keep; shift
	for p in "$@"; do kill -"$sig" "$p" 2>/dev/null || true; done
	for p in "$@"; do
		for i in $(seq 50); do sync_alive "$p" || break; sleep 0.1; done
		sync_alive "$p" && kill -9 "$p" 2>/dev/null
		for i in $(seq 50); do sync_alive "$p" || break; sleep 0.1; done
		if sync_alive "$p"; then
			echo "note: PID $p ($(cat "/proc/$p/comm" 2>/dev/null)) did not end, state $(awk '{print $3}' "/proc/$p/stat" 2>/dev/null); kernel stack:" >&2
			sed 's/^/    /' "/proc/$p/stack" >&2 2>/dev/null || true
			keep=()
			for i in "${NS_PIDS[@]}"; do [ "$i" = "$p" ] || keep+=("$i"); done
			NS_PIDS=("${keep[@]}")
		else
			wait "$p" 2>/dev/null || true
		fi
	done
}
# sync_crash NAME PID...: kill -9, then the links down: the machine is gone
sync_crash() {
	local n=$1; shift
	sync_reap 9 "$@"
	ip -n "$(ns "$n")" link set eth0 down
	ip -n "$(ns "$n")" link set eth1 down
}

# The client: SYNC_N connections (set it), a round trip every 200 ms each.
SYNC_ST=
SYNC_EPOCH=0
sync_field() { sed -n "s/.*\b$1=\([0-9]*\).*/\1/p" "$SYNC_ST" 2>/dev/null; }
sync_flowing() { [ "$(sync_field up)" = "$SYNC_N" ] && [ "$(sync_field rounds)" -ge 3 ]; }
sync_clients_start() {
	SYNC_ST=$NS_TMP/pp.status
	SYNC_MARK=$NS_TMP/pp.mark
	SYNC_EPOCH=0
	echo 0 >"$SYNC_MARK"
	rm -f "$SYNC_ST"
	NS_LOG=$NS_TMP/client.log ns_bg c "${SYNC_PP[@]}" client $SYNC_VIP 7 \
		"$SYNC_N" 200 "$SYNC_ST" "$SYNC_MARK" 20
	SYNC_CLIENT=$NS_LAST_PID
	wait_for 90 sync_flowing ||
		{ cat "$SYNC_ST" "$NS_TMP/client.log" 2>/dev/null; fail "$SYNC_N connections did not all carry data"; }
}
sync_clients_stop() {
	echo stop >"$SYNC_MARK"
	local i
	for i in $(seq 50); do sync_alive "$SYNC_CLIENT" || break; sleep 0.1; done
	sync_reap TERM "$SYNC_CLIENT"
}
# sync_mark: just before an event: the longest gap is measured from here
sync_mark() {
	SYNC_EPOCH=$((SYNC_EPOCH + 1))
	echo "$SYNC_EPOCH" >"$SYNC_MARK"
	wait_for 10 grep -q "epoch=$SYNC_EPOCH " "$SYNC_ST"
}
# sync_since: once the VIP moved: count the round trips from now on
sync_since() {
	echo "$SYNC_EPOCH+" >"$SYNC_MARK"
	wait_for 10 grep -q "epoch=$SYNC_EPOCH+ " "$SYNC_ST"
}
sync_settled() {
	grep -q "epoch=$SYNC_EPOCH+ " "$SYNC_ST" 2>/dev/null &&
		[ $(($(sync_field since) + $(sync_field dead))) -ge "$SYNC_N" ]
}
# sync_settle SECONDS: wait until every connection did a round trip since
# sync_since, or died; prints the status line
sync_settle() { wait_for "$1" sync_settled || true; cat "$SYNC_ST"; }
