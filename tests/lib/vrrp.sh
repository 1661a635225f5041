# vrrp.sh — VRRP test hosts out of namespaces (source after ns.sh; call
# ns_init first). vrrp_topo N builds, on bridge br0 in namespace "sw":
#   d1 .. dN  eth0 10.9.0.1<i>/24 (directors; each runs an lvsd or keepalived)
#   c         eth0 10.9.0.100/24  (a client)
# VRRP_ETH1=1 adds a second bridge br1 with eth1 10.9.1.1<i>/24 on each
# director and 10.9.1.100/24 on the client's eth1. Each director also gets
# an IPv6 link-local address (for v3 over IPv6).

vrrp_topo() {
	local n=$1 i
	ns_add sw
	ns_bridge br0 sw
	[ "${VRRP_ETH1:-0}" = 1 ] && ns_bridge br1 sw
	ns_add c
	ns_port c eth0 10.9.0.100/24 br0 sw
	[ "${VRRP_ETH1:-0}" = 1 ] && ns_port c eth1 10.9.1.100/24 br1 sw
	for i in $(seq "$n"); do
		ns_add d$i
		ns_port d$i eth0 10.9.0.1$i/24 br0 sw
		[ "${VRRP_ETH1:-0}" = 1 ] && ns_port d$i eth1 10.9.1.1$i/24 br1 sw
	done
	# link-local IPv6 addresses come up after DAD: wait for them
	for i in $(seq "$n"); do
		wait_for 10 ll_ready d$i || fail "d$i: no usable link-local address"
	done
}

# ll_ready NAME: eth0 of NAME has a link-local address that passed DAD.
ll_ready() {
	local a
	a=$(ip -n "$(ns "$1")" -6 -o addr show dev eth0 scope link 2>/dev/null)
	[[ "$a" == *fe80::* && "$a" != *tentative* ]]
}

# The bridge port (in "sw") of director i's eth0 (for partitions).
vrrp_port() {
	local idx
	idx=$(ip -n "$(ns d$1)" -o link show eth0 | sed -n 's/.*eth0@if\([0-9]*\).*/\1/p')
	ip -n "$(ns sw)" -o link show | awk -F': ' -v i="$idx" '$1 == i {print $2}' | cut -d@ -f1
}

# lv_start NAME CONFIG [ARGS...]: lvsd in namespace NAME; PID in LV_<NAME>.
lv_start() {
	local n=$1 cfg=$2; shift 2
	NS_LOG=$NS_TMP/$n.log ns_bg "$n" "${B:-build}/lvsd" -n -v -P "${B:-build}/plugins" \
		-c "$cfg" -S "$NS_TMP/$n.sock" --state-file "$NS_TMP/$n.state" "$@"
	eval "LV_$n=$NS_LAST_PID"
	wait_for 10 lv_ctl "$n" status || vrrp_fail "lvsd in $n did not start"
}
lv_pid() { eval "echo \${LV_$1:-}"; }
lv_ctl() { local n=$1; shift; "${B:-build}/lvsctl" -s "$NS_TMP/$n.sock" "$@"; }

# lv_state NAME [INSTANCE]: MASTER, BACKUP, FAULT, INIT, or "down".
lv_state() {
	lv_ctl "$1" status 2>/dev/null |
		awk -v i="${2:-VI_1}" '$1 == "vrrp" && $2 == i":" {print $3; f=1} END {if (!f) print "down"}'
}
# lv_counter NAME COUNTER [INSTANCE]: a counter of the status output.
lv_counter() {
	lv_ctl "$1" status 2>/dev/null | awk -v i="${3:-VI_1}" -v k="$2" '
		$1 == "vrrp" {cur = ($2 == i":")}
		cur && $1 == "transitions" {for (j = 1; j < NF; j++) if ($j == k) print $(j + 1)}'
}
is_state() { [ "$(lv_state "$1" "${3:-VI_1}")" = "$2" ]; }

# has_vip NAME ADDR [DEV]: does namespace NAME hold ADDR?
has_vip() {
	local a
	a=$(ip -n "$(ns "$1")" -o addr show dev "${3:-eth0}" 2>/dev/null) || return 1
	[[ "$a" == *" $2/"* ]]
}

# masters ADDR N: how many of d1..dN hold ADDR.
masters() {
	local k=0 i
	for i in $(seq "$2"); do has_vip d$i "$1" && k=$((k + 1)); done
	echo $k
}

# now_ms: a monotonic clock in milliseconds.
now_ms() { awk '{printf "%d\n", $1 * 1000}' /proc/uptime; }
now_us() { python3 -c 'import time; print(int(time.monotonic() * 1e6))'; }

# wait_ms MS CMD...: poll CMD every 20 ms for at most MS; prints the time it
# took in ms, returns 1 on timeout.
wait_ms() {
	local limit=$1 t0 t; shift
	t0=$(date +%s%N)
	while :; do
		"$@" >/dev/null 2>&1 && { echo $((($(date +%s%N) - t0) / 1000000)); return 0; }
		t=$((($(date +%s%N) - t0) / 1000000))
		[ "$t" -ge "$limit" ] && { echo "$t"; return 1; }
		sleep 0.02
	done
}

# vrrp_httpd: an HTTP server on port 8080 in each director d1..dN that
# answers with the director's name (tests/lib/httpd.py).
vrrp_httpd() {
	local i
	for i in $(seq "$1"); do
		NS_LOG=$NS_TMP/httpd$i.out ns_bg d$i "${HTTPD[@]}" \
			--port 8080 --name d$i
	done
	for i in $(seq "$1"); do
		wait_for 10 ns_exec c curl -s --max-time 1 "http://10.9.0.1$i:8080/" ||
			fail "httpd in d$i did not start"
	done
}
# client_get ADDR: which director answers the client on ADDR:8080.
client_get() { ns_exec c curl -s --max-time 1 "http://$1:8080/" 2>/dev/null; }
# client_reaches ADDR [DIRECTOR]: the client gets an answer (from DIRECTOR).
client_reaches() {
	local r
	r=$(client_get "$1") || return 1
	[ -z "${2:-}" ] || [ "$r" = "$2" ]
}

vrrp_fail() {
	local f
	for f in "$NS_TMP"/*.log; do
		[ -e "$f" ] || continue
		echo "--- $(basename "$f")" >&2
		grep -v "plugin .* loaded" "$f" | tail -n 25 >&2
	done
	fail "$@"
}

# vrrp_ini FILE PRIO [KEY=VALUE lines...]: a [vrrp VI_1] on eth0, VRID 51,
# VIP 10.9.0.50, advert 1 s, v2 PASS, preempt; extra lines are appended
# (a later key overrides nothing: the parser refuses duplicates, so tests
# pass what they change through VRRP_* variables).
vrrp_ini() {
	local f=$1 prio=$2; shift 2
	{
		echo "[vrrp VI_1]"
		echo "state = ${VRRP_STATE:-BACKUP}"
		echo "interface = eth0"
		echo "virtual_router_id = ${VRRP_VRID:-51}"
		echo "priority = $prio"
		echo "advert_int = ${VRRP_ADVERT:-1}"
		echo "version = ${VRRP_VERSION:-2}"
		if [ "${VRRP_VERSION:-2}" = 2 ] && [ -n "${VRRP_PASS-password}" ]; then
			echo "auth_type = PASS"
			echo "auth_pass = ${VRRP_PASS-password}"
		fi
		echo "virtual_ipaddress = ${VRRP_VIP:-10.9.0.50} dev eth0"
		for l in "$@"; do echo "$l"; done
	} >"$f"
}
