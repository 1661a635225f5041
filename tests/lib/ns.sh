# ns.sh — helpers for tests that build hosts out of network namespaces.
# Source it; call ns_init first. Every namespace, link and process made
# through these helpers is removed by ns_cleanup (run on EXIT), processes
# killed by the PIDs we started — never by name.
# Names get a per-run prefix, so parallel runs do not collide.

# The test HTTP server: the C one if it is built (it starts in
# milliseconds; Python needs seconds in the VM), else tests/lib/httpd.py.
if [ -x "${B:-build}/tests/httpd" ]; then
	HTTPD=("${B:-build}/tests/httpd")
else
	HTTPD=(python3 tests/lib/httpd.py)
fi

ns_init() {
	NS_PFX=${NS_PFX:-lt$$}
	NS_LIST=()
	NS_PIDS=()
	NS_LINKS=()
	NS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/lvsd-test.XXXXXX")
	# Like /tmp (sticky, root's): lvsd runs programs as script_user
	# (lvsd), which writes its files here, while the scripts a test
	# writes here stay root's and safe (lvsd refuses a program that
	# anyone but root may replace).
	chmod 1777 "$NS_TMP"
	trap ns_cleanup EXIT
	trap 'exit 130' INT TERM
}

ns_cleanup() {
	local rc=$? p n l
	set +e # a cleanup step that fails must not cut the others short
	for p in "${NS_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	sleep 0.2
	# reaped here, so that bash prints no "Killed" notice for them
	for p in "${NS_PIDS[@]}"; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	for l in "${NS_LINKS[@]}"; do ip link del "$l" 2>/dev/null; done
	for n in "${NS_LIST[@]}"; do ip netns del "$n" 2>/dev/null; done
	[ -n "${NS_TMP:-}" ] && rm -rf "$NS_TMP"
	return $rc
}

# ns_add NAME: a namespace with lo up; prints nothing. Use "$(ns NAME)".
ns() { echo "${NS_PFX}-$1"; }
ns_add() {
	local n; n=$(ns "$1")
	ip netns add "$n"
	NS_LIST+=("$n")
	ip -n "$n" link set lo up
}
ns_exec() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }

# ns_bridge NAME [NS]: a bridge in namespace NS (default: the current one).
ns_bridge() {
	if [ -n "${2:-}" ]; then
		ip -n "$(ns "$2")" link add "$1" type bridge
		ip -n "$(ns "$2")" link set "$1" up
	else
		ip link add "$1" type bridge
		NS_LINKS+=("$1")
		ip link set "$1" up
	fi
}

# ns_link NS1 IF1 ADDR1 NS2 IF2 [ADDR2]: a veth pair; NS "-" = current ns.
# ADDR "-" = none; IF2 on a bridge: ns_link a eth0 10.0.0.1/24 - br0 is
# not it — use ns_port for that.
ns_link() {
	local n1=$1 i1=$2 a1=$3 n2=$4 i2=$5 a2=${6:--} tmp1 tmp2
	tmp1=v$RANDOM$RANDOM; tmp2=v$RANDOM$RANDOM
	ip link add "$tmp1" type veth peer name "$tmp2"
	_ns_place "$tmp1" "$n1" "$i1" "$a1"
	_ns_place "$tmp2" "$n2" "$i2" "$a2"
}

# ns_port NS IF ADDR BRIDGE [BRNS]: NS's interface IF with ADDR, plugged into
# BRIDGE (in namespace BRNS, default the current one).
ns_port() {
	local n=$1 i=$2 a=$3 br=$4 brns=${5:--} tmp1 tmp2
	tmp1=v$RANDOM$RANDOM; tmp2=p$RANDOM$RANDOM
	ip link add "$tmp1" type veth peer name "$tmp2"
	_ns_place "$tmp1" "$n" "$i" "$a"
	if [ "$brns" = - ]; then
		NS_LINKS+=("$tmp2")
		ip link set "$tmp2" master "$br" up
	else
		ip link set "$tmp2" netns "$(ns "$brns")"
		ip -n "$(ns "$brns")" link set "$tmp2" master "$br" up
	fi
}

_ns_place() { # dev ns name addr
	local dev=$1 n=$2 name=$3 addr=$4
	if [ "$n" = - ]; then
		ip link set "$dev" name "$name"
		NS_LINKS+=("$name")
		[ "$addr" = - ] || ip addr add "$addr" dev "$name"
		ip link set "$name" up
	else
		ip link set "$dev" netns "$(ns "$n")"
		ip -n "$(ns "$n")" link set "$dev" name "$name"
		[ "$addr" = - ] || ip -n "$(ns "$n")" addr add "$addr" dev "$name"
		ip -n "$(ns "$n")" link set "$name" up
	fi
}

# ns_bg NS CMD...: start CMD in NS (or "-") in the background, remember its
# PID in NS_LAST_PID and for cleanup. Output goes to $NS_TMP/NAME.log
# where NAME is basename of CMD, or set NS_LOG.
ns_bg() {
	local n=$1; shift
	local log=${NS_LOG:-$NS_TMP/$(basename "$1").$RANDOM.log}
	if [ "$n" = - ]; then
		"$@" >"$log" 2>&1 &
	else
		ip netns exec "$(ns "$n")" "$@" >"$log" 2>&1 &
	fi
	NS_LAST_PID=$!
	NS_PIDS+=("$NS_LAST_PID")
}

# ns_stop PID: stop one process we started (TERM, then KILL after 8 s: a
# graceful stop of lvsd may wait 2.2 s for a sync daemon).
ns_stop() {
	local p=$1 i
	kill "$p" 2>/dev/null || return 0
	for i in $(seq 80); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
	kill -9 "$p" 2>/dev/null
	wait "$p" 2>/dev/null || true
}

# tcp_open ADDR PORT: something listens there (bash's /dev/tcp: no process
# to start, which matters in the emulated VM).
tcp_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
	local t=$1 i; shift
	for i in $(seq $((t * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
	return 1
}

# The minimal test vocabulary: fail MSG exits 1; ok MSG prints progress.
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
