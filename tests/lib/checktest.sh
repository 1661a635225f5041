# checktest.sh — what the net tests of one checker share: an "lb" and a
# "be" namespace on one link (lb 10.78.0.1, be $BE), lvsd started in lb
# with a config, and questions about one real server: its health and its
# last check's detail (`lvsctl status`), and its log line.
# Source after ns.sh; then ck_begin (or ck_setup), write $T/lvsd.ini,
# ck_start.

# ck_begin FILE... [-- COMMAND...]: skip the test (exit 77) unless it runs
# as root, lvsd, lvsctl and each FILE (a path under $B) are built and each
# COMMAND is on PATH; then $B absolute (default build) and ck_setup.
ck_begin() {
	local f c
	B=${B:-build}
	[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
	for f in lvsd lvsctl "$@"; do
		[ "$f" = -- ] && break
		[ -e "$B/$f" ] || { echo "SKIP: $B/$f not built"; exit 77; }
	done
	while [ $# -gt 0 ] && [ "$1" != -- ]; do shift; done
	[ $# -gt 0 ] && shift
	for c in "$@"; do
		command -v "$c" >/dev/null || { echo "SKIP: no $c"; exit 77; }
	done
	B=$(cd "$B" && pwd)
	ck_setup
}

ck_setup() {
	ns_init
	ns_add lb
	ns_add be
	ns_link lb eth0 10.78.0.1/24 be eth0 10.78.0.2/24
	T=$NS_TMP
	BE=10.78.0.2
	SOCK=$T/lvsd.sock
	LOG=$T/lvsd.log
}

ck_start() {
	"$B/lvsd" -t -c "$T/lvsd.ini" >"$T/t.out" 2>&1 || { cat "$T/t.out"; fail "lvsd -t refused the config"; }
	NS_LOG=$LOG ns_bg lb "$B/lvsd" -n -v --no-ipvs -c "$T/lvsd.ini" -S "$SOCK" \
		--state-file "$T/state"
	LVSD=$NS_LAST_PID
	wait_for 10 test -S "$SOCK" || { cat "$LOG"; fail "lvsd did not start"; }
}

# ck_field RS VS N: column N of RS's line under virtual server VS.
ck_status() { "$B/lvsctl" -s "$SOCK" status; }
ck_health() { # RS VS -> up/down
	ck_status | awk -v rs="$1" -v vs="($2)" '
		/^[A-Z]/ { cur = $NF } $2 == rs && cur == vs { print $7 }'
}
ck_detail() { # RS VS -> the Check column (the last one, may have blanks)
	ck_status | awk -v rs="$1" -v vs="($2)" '
		/^[A-Z]/ { cur = $NF } $2 == rs && cur == vs {
			for (i = 14; i <= NF; i++) printf "%s%s", $i, (i < NF ? " " : "")
			print "" }' |
		sed -E 's/^(active|disabled|drain \((weight 0|agent)\)|drain|down \((removed|inhibited, weight 0)\)) //'
}

# ck_expect RS VS up|down DETAIL-REGEX [SECONDS]: the real server reaches
# that health with that detail in `lvsctl status`, and the log has the
# transition line with the same detail.
ck_expect() {
	local rs=$1 vs=$2 want=$3 re=$4 t=${5:-10}
	_ck_is() { [ "$(ck_health "$rs" "$vs")" = "$want" ] && ck_detail "$rs" "$vs" | grep -Eq "^($re)"; }
	if ! wait_for "$t" _ck_is; then
		cat "$LOG"; ck_status
		fail "$rs ($vs): not $want with '$re' (health $(ck_health "$rs" "$vs"), detail '$(ck_detail "$rs" "$vs")')"
	fi
	if [ "$want" = down ]; then
		grep -Eq "real server $rs \($vs\) down: ($re)" "$LOG" ||
			{ cat "$LOG"; fail "$rs ($vs): no log line 'down: $re'"; }
	else
		# up from the start is not a transition: only "up:" lines after a down.
		! grep -q "real server $rs ($vs) down" "$LOG" ||
			grep -Eq "real server $rs \($vs\) up: ($re)" "$LOG" ||
			{ cat "$LOG"; fail "$rs ($vs): no log line 'up: $re'"; }
	fi
}

ck_finish() { # NAME
	ns_stop "$LVSD"
	grep -q "AddressSanitizer\|LeakSanitizer\|runtime error" "$LOG" && { cat "$LOG"; fail "sanitizer report"; }
	echo "PASS: $1"
}

# SNMP (optional): ck_snmp starts a private snmpd whose AgentX socket lvsd
# joins when the [global] section has $(ck_snmp_global); ck_snmp_expect
# REGEX waits until some real server's lvsdRsLastCheckResult matches.
ck_snmp() {
	command -v snmpd >/dev/null && command -v snmpwalk >/dev/null || return 1
	SNMP_PORT=$((20000 + RANDOM % 10000))
	mkdir -p "$T/agentx"
	printf 'master agentx\nagentXSocket %s\nagentXPerms 0600 0700\nrocommunity lvsdro 127.0.0.1\n' \
		"$T/agentx/master" >"$T/snmpd.conf"
	NS_LOG=$T/snmpd.log ns_bg - snmpd -f -Lo -C -c "$T/snmpd.conf" -p "$T/snmpd.pid" \
		udp:127.0.0.1:$SNMP_PORT
	wait_for 10 test -S "$T/agentx/master" || { cat "$T/snmpd.log"; fail "snmpd did not start"; }
}
ck_snmp_global() {
	[ -n "${SNMP_PORT:-}" ] && printf 'snmp = yes\nsnmp_socket = %s\n' "$T/agentx/master"
	return 0
}
_ck_snmp_has() {
	MIBS= MIBDIRS="$PWD/mibs" SNMPCONFPATH="$T" snmpwalk -v2c -c lvsdro -t 2 -r 1 -OQ \
		-M "$PWD/mibs" -m ALL 127.0.0.1:$SNMP_PORT LVSD-MIB::lvsdRsLastCheckResult 2>/dev/null |
		grep -Eq "= \"?($1)"
}
ck_snmp_expect() {
	[ -n "${SNMP_PORT:-}" ] || return 0
	wait_for 15 _ck_snmp_has "$1" || { cat "$T/snmpd.log"; fail "SNMP: no lvsdRsLastCheckResult matching '$1'"; }
}
