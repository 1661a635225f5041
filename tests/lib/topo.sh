# topo.sh — the seed tutorial's LVS-NAT hosts out of namespaces (source
# after ns.sh, call ns_init first). The current namespace is the director:
#   client 192.168.0.10/24 --eth0-- director eth0 192.168.0.30/24
#   director eth1 (a bridge) 10.0.0.30/24 --- backend01 10.0.0.51/24
#                                         \-- backend02 10.0.0.52/24
# Backends route through the director ("change the default gateway of the
# backends to the LVS's internal address") and run tests/lib/httpd.py
# answering with their name. TOPO_BACKENDS (default 2) adds more: .53, ...
topo_nat() {
	local n=${TOPO_BACKENDS:-2} b
	sysctl -qw net.ipv4.ip_forward=1
	ns_add client
	ns_link client eth0 192.168.0.10/24 - eth0 192.168.0.30/24
	ns_bridge eth1
	ip addr add 10.0.0.30/24 dev eth1
	for b in $(seq "$n"); do
		ns_add backend0$b
		ns_port backend0$b eth0 10.0.0.5$b/24 eth1
		ns_exec backend0$b ip route add default via 10.0.0.30
		NS_LOG=$NS_TMP/httpd$b.log ns_bg backend0$b "${HTTPD[@]}" \
			--port 80 --name Backend0$b
		eval "TOPO_HTTPD$b=$NS_LAST_PID"
	done
	for b in $(seq "$n"); do
		wait_for 30 ns_exec backend0$b bash -c ". tests/lib/ns.sh; tcp_open 10.0.0.5$b 80" ||
			fail "backend0$b's HTTP server did not start"
	done
}

# One request from the client to the VIP; prints the body or "(none)".
topo_get() {
	ns_exec client curl -s --max-time "${2:-3}" "http://${1:-192.168.0.30}/" || echo "(none)"
}

# lvsd_start CONFIG [ARGS...]: run build/lvsd in the foreground with a
# private socket and state file under $NS_TMP; sets LVSD_PID, LVSD_SOCK,
# LVSD_LOG; waits until it answers on its socket.
lvsd_start() {
	local cfg=$1; shift
	LVSD_SOCK=${LVSD_SOCK:-$NS_TMP/lvsd.sock}
	LVSD_STATE=${LVSD_STATE:-$NS_TMP/lvsd.state}
	LVSD_LOG=${LVSD_LOG:-$NS_TMP/lvsd.log}
	NS_LOG=$LVSD_LOG.tmp ns_bg - sh -c 'exec "$@" >>"$0" 2>&1' "$LVSD_LOG" \
		"${B:-build}/lvsd" -n -v -P "${B:-build}/plugins" -c "$cfg" \
		-S "$LVSD_SOCK" --state-file "$LVSD_STATE" "$@"
	LVSD_PID=$NS_LAST_PID
	wait_for 15 lvsctl status || { cat "$LVSD_LOG"; fail "lvsd did not start"; }
}
lvsctl() { "${B:-build}/lvsctl" -s "$LVSD_SOCK" "$@"; }
