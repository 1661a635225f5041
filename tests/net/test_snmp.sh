#!/usr/bin/env bash
# tests/net/test_snmp.sh — lvsd's AgentX subagent through a real snmpd
# (private AgentX socket, a loopback port) and a real snmptrapd: every
# table walked and compared with `lvsctl status`; snmpset of a real
# server's weight and admin state reaches lvsctl and the state file; the
# read-only community, out-of-range values, wrong types, unknown rows and
# read-only columns are refused and change nothing; traps on a real server
# failing (a real HTTP backend that stops), a quorum lost and regained, and
# a VRRP transition; a reload adds a row without moving the others; a
# real server added with lvsctl add-rs is lvsdRsOrigin runtime; snmpd
# restarted → the subagent is back within 5 s. lvsd runs with --no-ipvs.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/opstate.sh
B=${B:-build}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
for c in snmpd snmptrapd snmpwalk snmpset snmpget python3; do
	command -v $c >/dev/null || { echo "SKIP: no $c (tools/deps.sh installs it)"; exit 77; }
done
for f in "$B/lvsd" "$B/lvsctl" "$B/plugins/check_tcp.so"; do
	[ -e "$f" ] || { echo "SKIP: $f not built"; exit 77; }
done
PLUGDIR=$(cd "$B/plugins" && pwd)
VRRP=0
[ -e "$B/plugins/vrrp_vrrp.so" ] && VRRP=1

ns_init
T=$NS_TMP
ns_add lb
ns_add be
ns_link lb eth0 10.78.0.1/24 be eth0 10.78.0.2/24
BE=10.78.0.2
PORT=$((20000 + RANDOM % 10000))
TPORT=$((PORT + 1))
AGENT=127.0.0.1:$PORT
SOCK_X=$T/agentx/master
mkdir -p "$T/agentx"
MIBOPT=(-M "$PWD/mibs" -m ALL)
export MIBS= MIBDIRS="$PWD/mibs" SNMPCONFPATH="$T" # no ~/.snmp, no /etc/snmp
RO=(-v2c -c lvsdro -t 2 -r 1)
RW=(-v2c -c lvsdrw -t 2 -r 1)

for p in 8001 8002 8003; do
	NS_LOG=$T/httpd-$p.out ns_bg be "${HTTPD[@]}" --bind $BE --port $p --name b$p
	eval "PID_$p=$NS_LAST_PID"
done
for p in 8001 8002 8003; do
	wait_for 10 ns_exec be python3 -c "import socket; socket.create_connection(('$BE', $p), 1)" ||
		fail "backend $p did not start"
done

# --- snmpd and snmptrapd, ours only
cat >"$T/snmpd.conf" <<EOF
master agentx
agentXSocket $SOCK_X
agentXPerms 0600 0700
rocommunity lvsdro 127.0.0.1
rwcommunity lvsdrw 127.0.0.1
trap2sink 127.0.0.1:$TPORT lvsdtrap
EOF
cat >"$T/snmptrapd.conf" <<EOF
disableAuthorization yes
EOF
start_snmpd() {
	NS_LOG=$T/snmpd.log ns_bg - snmpd -f -Lo -C -c "$T/snmpd.conf" -p "$T/snmpd.pid" \
		udp:$AGENT
	SNMPD=$NS_LAST_PID
	wait_for 10 test -S "$SOCK_X" || { cat "$T/snmpd.log"; fail "snmpd did not start"; }
}
start_snmpd
NS_LOG=$T/traps.log ns_bg - snmptrapd -f -Lo -C -c "$T/snmptrapd.conf" "${MIBOPT[@]}" \
	-p "$T/snmptrapd.pid" udp:127.0.0.1:$TPORT
wait_for 10 grep -q "NET-SNMP version" "$T/traps.log" || { cat "$T/traps.log"; fail "snmptrapd did not start"; }

vrrp_section=""
sync_line=""
if [ $VRRP = 1 ]; then
	sync_line="lvs_sync_daemon = eth0 VI_9" # lvsdSync (dry: --no-ipvs)
	vrrp_section="[vrrp VI_9]
state = BACKUP
interface = eth0
virtual_router_id = 77
priority = 150
advert_int = 1
virtual_ipaddress = 10.78.0.100/24"
fi
config() { # extra lines for the tcp virtual server
	cat <<EOF
[global]
plugin_dir = $PLUGDIR
snmp = yes
snmp_socket = $SOCK_X
log_level = info
$sync_line

[virtual_server web]
address = 192.168.78.1:80
scheduler = wlc
delay_loop = 1
retry = 0
connect_timeout = 1
quorum = 2

[real_server web $BE:8001]
weight = 1
check = TCP

[real_server web $BE:8002]
weight = 1
check = TCP

[virtual_server mark]
fwmark = 7
scheduler = rr

[real_server mark $BE]
weight = 4

[virtual_server six]
address = [2001:db8::1]:443
scheduler = rr
$1

[real_server six [2001:db8::10]:443]
weight = 2

$vrrp_section
EOF
}
config "" >"$T/lvsd.ini"
"$B/lvsd" -t -c "$T/lvsd.ini" || fail "lvsd -t refused the test config"
LSOCK=$T/lvsd.sock
LOG=$T/lvsd.log
NS_LOG=$LOG ns_bg lb "$B/lvsd" -n -v --no-ipvs -c "$T/lvsd.ini" -S "$LSOCK" \
	--state-file "$T/state"
LVSD=$NS_LAST_PID
wait_for 10 test -S "$LSOCK" || { cat "$LOG"; fail "lvsd did not start"; }
lvsctl() { "$B/lvsctl" -s "$LSOCK" "$@"; }
# Net-SNMP is lvsd-snmp.so's (core/snmpload.c), mapped with snmp = yes
# only: lvsd itself is not linked with it (issue 14 goal 5: memory)
if ldd "$B/lvsd" | grep -q libnetsnmp; then fail "lvsd is linked with Net-SNMP"; fi
wait_for 10 grep -q '/lvsd-snmp\.so$' "/proc/$LVSD/maps" || fail "snmp = yes: lvsd did not load lvsd-snmp.so"
ok "Net-SNMP only in lvsd-snmp.so, loaded for snmp = yes"

get() { snmpget "${RO[@]}" -Oqv "${MIBOPT[@]}" "$AGENT" "$@"; }
walk() { snmpwalk "${RO[@]}" -OQ "${MIBOPT[@]}" "$AGENT" "$@"; }
wait_for 10 sh -c "snmpget ${RO[*]} -Oqv -M '$PWD/mibs' -m ALL $AGENT LVSD-MIB::lvsdVersion.0 | grep -q '$(cat VERSION)'" ||
	{ cat "$LOG" "$T/snmpd.log"; fail "no answer from the subagent"; }
[ "$(get LVSD-MIB::lvsdVersion.0 | tr -d \")" = "$(cat VERSION)" ] || fail "lvsdVersion is $(get LVSD-MIB::lvsdVersion.0)"
ok "the subagent answers through snmpd"

# --- every table, compared with lvsctl status
# The index of a real server: VS (type.len.addr.port.proto.fwmark) + RS.
ip4() { echo "1.4.${1//./.}"; }
VS_WEB="$(ip4 192.168.78.1).80.6.0"
VS_MARK="1.4.0.0.0.0.0.0.7"
RS1="$VS_WEB.$(ip4 $BE).8001"
RS2="$VS_WEB.$(ip4 $BE).8002"
RSM="$VS_MARK.$(ip4 $BE).0"
wait_for 8 sh -c "[ \"\$(\"$B/lvsctl\" -s \"$LSOCK\" status | grep -c ' up ')\" = 4 ]" ||
	{ lvsctl status; fail "real servers not all up"; }
status_field() { # RS-addr:port VS-name column-number
	lvsctl status | awk -v rs="$1" -v vs="($2)" '
		/^[A-Z]/ { cur = $NF } $2 == rs && cur == vs { print $'"$3"' }'
}
check_rs() { # index addr:port vs
	local idx=$1 rs=$2 vs=$3 w h a cw
	w=$(get LVSD-MIB::lvsdRsWeight.$idx) h=$(get LVSD-MIB::lvsdRsHealth.$idx)
	a=$(get LVSD-MIB::lvsdRsAdminState.$idx) cw=$(get LVSD-MIB::lvsdRsConfigWeight.$idx)
	[ "$w" = "$(status_field "$rs" "$vs" 4)" ] || fail "$rs: lvsdRsWeight $w, status $(status_field "$rs" "$vs" 4)"
	[ "$h" = "$(status_field "$rs" "$vs" 7)" ] || fail "$rs: lvsdRsHealth $h, status $(status_field "$rs" "$vs" 7)"
	local sa; sa=$(status_field "$rs" "$vs" 8); [ "$sa" = - ] && sa=none
	[ "$a" = "$sa" ] || fail "$rs: lvsdRsAdminState $a, status $sa"
	[ "$cw" = "$(status_field "$rs" "$vs" 9)" ] || fail "$rs: lvsdRsConfigWeight $cw"
}
check_rs "$RS1" $BE:8001 web
check_rs "$RS2" $BE:8002 web
check_rs "$RSM" $BE:0 mark
n_status=$(lvsctl status | grep -c -- '^  -> [0-9[]' || true)
n_walk=$(walk LVSD-MIB::lvsdRsVsName | grep -c lvsdRsVsName)
[ "$n_walk" = "$n_status" ] || fail "lvsdRsTable has $n_walk rows, lvsctl status $n_status"
[ "$(walk LVSD-MIB::lvsdVsName | grep -c lvsdVsName)" = 3 ] || { walk LVSD-MIB::lvsdVsName; fail "lvsdVsTable: not 3 rows"; }
walk LVSD-MIB::lvsdVsName | grep -q 'lvsdVsName.ipv6."20:01:0d:b8:00:00:00:00:00:00:00:00:00:00:00:01".443.tcp.0 = "six"' ||
	grep -q 'six' <(walk LVSD-MIB::lvsdVsName) || fail "IPv6 virtual server missing"
[ "$(get LVSD-MIB::lvsdVsName.$VS_MARK | tr -d \")" = mark ] || fail "fwmark virtual server index: $(get LVSD-MIB::lvsdVsName.$VS_MARK)"
[ "$(get LVSD-MIB::lvsdVsRealServersUp.$VS_WEB)" = 2 ] || fail "lvsdVsRealServersUp"
[ "$(get LVSD-MIB::lvsdVsQuorumState.$VS_WEB)" = held ] || fail "quorum state"
[ "$(get LVSD-MIB::lvsdRealServerCount.0)" = 4 ] || fail "lvsdRealServerCount"
n_plug=$(ls "$B"/plugins/*.so | wc -l)
[ "$(walk LVSD-MIB::lvsdPluginPath | grep -c '\.so')" = "$n_plug" ] || fail "lvsdPluginTable: not $n_plug rows"
[ "$(get LVSD-MIB::lvsdPluginVersion.1.2.114.114 | tr -d \")" = 1.0 ] || fail "plugin rr by kind and name"
[ "$(get LVSD-MIB::lvsdRsLastCheckResult.$RS1)" = '"OK"' ] ||
	[ -n "$(get LVSD-MIB::lvsdRsLastCheckResult.$RS1)" ] || fail "no last check result"
[ "$(get LVSD-MIB::lvsdRsLastCheckTime.$RS1 | tr -dc 0-9)" -gt 0 ] || fail "lvsdRsLastCheckTime 0"
ok "tables match lvsctl status (3 virtual, $n_walk real servers, $n_plug plugins; IPv4, IPv6, fwmark)"

# --- SETs: weight and admin state reach lvsctl and the state file
set_rw() { snmpset "${RW[@]}" -Ir "${MIBOPT[@]}" "$AGENT" "$@"; }
set_rw LVSD-MIB::lvsdRsOperWeight.$RS1 i 5 >/dev/null || fail "snmpset weight refused"
[ "$(status_field $BE:8001 web 10)" = 5 ] || { lvsctl status; fail "lvsctl does not show operator weight 5"; }
[ "$(status_field $BE:8001 web 4)" = 5 ] || fail "effective weight is not 5"
grep -q "^rs web $BE:8001 .*weight=5" <<<"$(state_now "$T/state")" || { cat "$T/state"; fail "state file has no weight=5"; }
set_rw LVSD-MIB::lvsdRsAdminState.$RS2 i 3 >/dev/null || fail "snmpset admin disabled refused"
[ "$(status_field $BE:8002 web 8)" = disabled ] || fail "lvsctl does not show disabled"
[ "$(status_field $BE:8002 web 4)" = 0 ] || fail "disabled: weight not 0"
grep -q "^rs web $BE:8002 .*admin=disabled" <<<"$(state_now "$T/state")" || fail "state file has no admin=disabled"
[ "$(get LVSD-MIB::lvsdRsWeightReason.$RS2)" = disabled ] || fail "lvsdRsWeightReason not disabled"
set_rw LVSD-MIB::lvsdRsAdminState.$RS2 i 4 LVSD-MIB::lvsdRsOperWeight.$RS2 i 9 >/dev/null ||
	fail "two varbinds in one SET refused"
[ "$(status_field $BE:8002 web 8)" = drain ] && [ "$(status_field $BE:8002 web 10)" = 9 ] ||
	fail "drain + weight 9 not both applied"
lvsctl weight web $BE:8002 11 >/dev/null
[ "$(get LVSD-MIB::lvsdRsOperWeight.$RS2)" = 11 ] || fail "lvsctl's weight not seen over SNMP"
# the drained server re-enabled: enabled(2) — explicit, so an agent's
# drain could not override it — back in the kernel's rotation at 11
[ "$(status_field $BE:8002 web 4)" = 0 ] || fail "drained: weight not 0"
set_rw LVSD-MIB::lvsdRsAdminState.$RS2 i 2 >/dev/null || fail "snmpset admin enabled refused"
[ "$(status_field $BE:8002 web 8)" = enabled ] || { lvsctl status; fail "lvsctl does not show enabled"; }
[ "$(status_field $BE:8002 web 4)" = 11 ] || { lvsctl status; fail "enabled: effective weight not 11"; }
[ "$(get LVSD-MIB::lvsdRsAdminState.$RS2)" = enabled ] || fail "lvsdRsAdminState does not read enabled"
[ "$(get LVSD-MIB::lvsdRsWeightReason.$RS2)" = active ] || fail "lvsdRsWeightReason not active after enabled"
grep -q "^rs web $BE:8002 .*admin=enabled" <<<"$(state_now "$T/state")" || { cat "$T/state"; fail "state file has no admin=enabled"; }
ok "snmpset weight/admin (disabled, drain, enabled) → lvsctl status and the state file; lvsctl → SNMP"

# --- refusals change nothing
servers() { lvsctl status | grep -E '^(TCP|UDP|SCTP|FWM) |^  -> [0-9[]'; }
before_state=$(cat "$T/state") before_status=$(servers)
refused() { # expected-error snmpset-args...
	local want=$1 out; shift
	if out=$(snmpset "$@" 2>&1); then fail "accepted: $* ($out)"; fi
	grep -qi "$want" <<<"$out" || fail "expected $want for $*, got: $out"
}
refused 'noAccess\|notWritable\|authorization' -v2c -c lvsdro -t 2 -r 0 "${MIBOPT[@]}" "$AGENT" \
	LVSD-MIB::lvsdRsOperWeight.$RS1 i 3
refused wrongValue "${RW[@]}" -Ir "${MIBOPT[@]}" "$AGENT" LVSD-MIB::lvsdRsOperWeight.$RS1 i 2147483648
refused wrongValue "${RW[@]}" -Ir "${MIBOPT[@]}" "$AGENT" LVSD-MIB::lvsdRsOperWeight.$RS1 i -2
refused wrongValue "${RW[@]}" -Ir "${MIBOPT[@]}" "$AGENT" LVSD-MIB::lvsdRsAdminState.$RS1 i 7
refused wrongType "${RW[@]}" -m '' "$AGENT" \
	.1.3.6.1.4.1.8072.9999.9999.5873.1.4.1.7.$RS1 s 5
refused wrongType "${RW[@]}" -m '' "$AGENT" \
	.1.3.6.1.4.1.8072.9999.9999.5873.1.4.1.7.$RS1 u 5
refused noCreation "${RW[@]}" -Ir "${MIBOPT[@]}" "$AGENT" \
	LVSD-MIB::lvsdRsOperWeight.$VS_WEB.$(ip4 $BE).9999 i 3
refused notWritable "${RW[@]}" -Ir "${MIBOPT[@]}" "$AGENT" LVSD-MIB::lvsdRsConfigWeight.$RS1 u 3
refused 'notWritable\|noAccess\|noCreation' "${RW[@]}" -Ir "${MIBOPT[@]}" "$AGENT" LVSD-MIB::lvsdVsQuorum.$VS_WEB u 3
# one good and one bad varbind: neither is applied
refused wrongValue "${RW[@]}" -Ir "${MIBOPT[@]}" "$AGENT" LVSD-MIB::lvsdRsOperWeight.$RS1 i 77 \
	LVSD-MIB::lvsdRsAdminState.$RS1 i 9
[ "$(cat "$T/state")" = "$before_state" ] || { cat "$T/state"; fail "a refused SET changed the state file"; }
[ "$(servers)" = "$before_status" ] || { diff <(echo "$before_status") <(servers); fail "a refused SET changed lvsctl status"; }
ok "read-only community, out of range, wrong type, no such row, read-only column, half-bad PDU: refused, nothing changed"

# clearing through SNMP: -1 and none(1)
set_rw LVSD-MIB::lvsdRsOperWeight.$RS2 i -1 LVSD-MIB::lvsdRsAdminState.$RS2 i 1 >/dev/null || fail "clear refused"
set_rw LVSD-MIB::lvsdRsOperWeight.$RS1 i -1 >/dev/null || fail "clear refused"
! grep -q "^rs web $BE:800[12]" <<<"$(state_now "$T/state")" || { cat "$T/state"; fail "cleared overrides still in the state file"; }
[ "$(status_field $BE:8002 web 4)" = 1 ] || fail "cleared: weight not back to 1"
ok "weight -1 and admin none(1) clear the operator layer"

# --- traps: a backend stops → real server down, quorum lost; back → up, regained
kill "$PID_8001"
wait_for 8 grep -q "lvsdRealServerDown" "$T/traps.log" || { cat "$T/traps.log" "$LOG"; fail "no lvsdRealServerDown trap"; }
grep -A8 lvsdRealServerDown "$T/traps.log" | grep -q "lvsdRsHealth.*8001.*down\|8001 = INTEGER: down" ||
	grep -A8 lvsdRealServerDown "$T/traps.log" | grep -q "down" || { cat "$T/traps.log"; fail "down trap without the real server's health"; }
wait_for 5 grep -q "lvsdVsQuorumLost" "$T/traps.log" || { cat "$T/traps.log"; fail "no lvsdVsQuorumLost trap"; }
[ "$(get LVSD-MIB::lvsdVsQuorumState.$VS_WEB)" = lost ] || fail "quorum state not lost"
[ "$(get LVSD-MIB::lvsdRsHealth.$RS1)" = down ] || fail "lvsdRsHealth not down"
NS_LOG=$T/httpd-8001b.out ns_bg be "${HTTPD[@]}" --bind $BE --port 8001 --name b8001
wait_for 8 grep -q "lvsdRealServerUp" "$T/traps.log" || { cat "$T/traps.log"; fail "no lvsdRealServerUp trap"; }
wait_for 5 grep -q "lvsdVsQuorumRegained" "$T/traps.log" || { cat "$T/traps.log"; fail "no lvsdVsQuorumRegained trap"; }
ok "traps: real server down/up, quorum lost/regained (a real backend stopped and restarted)"

if [ $VRRP = 1 ]; then
	wait_for 8 grep -q "lvsdVrrpStateChange" "$T/traps.log" || { cat "$T/traps.log" "$LOG"; fail "no VRRP trap"; }
	wait_for 8 sh -c "grep -A8 lvsdVrrpStateChange '$T/traps.log' | grep -q master" ||
		{ cat "$T/traps.log"; fail "no VRRP trap saying master"; }
	[ "$(get LVSD-MIB::lvsdVrrpState.4.86.73.95.57)" = master ] || fail "lvsdVrrpState.\"VI_9\" not master"
	[ "$(get LVSD-MIB::lvsdVrrpVrid.4.86.73.95.57)" = 77 ] || fail "lvsdVrrpVrid"
	[ "$(get LVSD-MIB::lvsdVrrpAdvertsSent.4.86.73.95.57)" -gt 0 ] || fail "no adverts sent counted"
	[ "$(get LVSD-MIB::lvsdVrrpDropNotPeer.4.86.73.95.57)" = 0 ] || fail "lvsdVrrpDropNotPeer"
	# a VIP deleted by hand is put back and counted (issue 11 fault 5)
	ip -n "$(ns lb)" addr del 10.78.0.100/24 dev eth0
	restored() { [ "$(get LVSD-MIB::lvsdVrrpVipsRestored.4.86.73.95.57)" = 1 ]; }
	wait_for 10 restored || fail "lvsdVrrpVipsRestored is '$(get LVSD-MIB::lvsdVrrpVipsRestored.4.86.73.95.57)', want 1"
	ok "VRRP: state change trap and the instance's row (drops, restored VIPs)"
	[ "$(get LVSD-MIB::lvsdSyncConfigured.0)" = true ] || fail "lvsdSyncConfigured is $(get LVSD-MIB::lvsdSyncConfigured.0)"
	[ "$(get LVSD-MIB::lvsdSyncInstance.0 | tr -d \")" = VI_9 ] || fail "lvsdSyncInstance"
	[ "$(get LVSD-MIB::lvsdSyncInterface.0 | tr -d \")" = eth0 ] || fail "lvsdSyncInterface"
	[ "$(get LVSD-MIB::lvsdSyncId.0)" = 77 ] || fail "lvsdSyncId is $(get LVSD-MIB::lvsdSyncId.0), want the VRID 77"
	[ "$(get LVSD-MIB::lvsdSyncPort.0)" = 8848 ] || fail "lvsdSyncPort"
	[ "$(get LVSD-MIB::lvsdSyncMasterState.0)" = stopped ] || fail "lvsdSyncMasterState (--no-ipvs)"
	ok "lvsdSync: the sync daemon's configuration (following VI_9, syncid = its VRID)"
else
	echo "note: no VRRP plugin built, VRRP trap not tested"
fi

# --- a reload adds a real server; the others keep their index
idx_before=$(walk LVSD-MIB::lvsdRsVsName | grep -v 8003)
config "" | sed "s/^\[real_server mark \$BE\]/&/" >"$T/lvsd.ini"
printf '\n[real_server web %s:8003]\nweight = 1\ncheck = TCP\n' $BE >>"$T/lvsd.ini"
lvsctl reload >/dev/null || fail "reload failed"
wait_for 3 sh -c "snmpget ${RO[*]} -Oqv -M '$PWD/mibs' -m ALL $AGENT LVSD-MIB::lvsdRsVsName.$VS_WEB.$(ip4 $BE).8003 | grep -q web" ||
	fail "the new real server is not in lvsdRsTable after a reload"
[ "$(walk LVSD-MIB::lvsdRsVsName | grep -v 8003)" = "$idx_before" ] || fail "indexes moved after a reload"
[ "$(get LVSD-MIB::lvsdReloads.0)" = 1 ] && [ "$(get LVSD-MIB::lvsdLastReloadResult.0)" = ok ] ||
	fail "reload counters"
ok "reload: new row, the others keep their indexes"

# --- a runtime real server (lvsctl add-rs): its row says so
lvsctl add-rs web $BE:8004 weight 1 >/dev/null || fail "add-rs"
wait_for 3 sh -c "snmpget ${RO[*]} -Oqv -M '$PWD/mibs' -m ALL $AGENT LVSD-MIB::lvsdRsOrigin.$VS_WEB.$(ip4 $BE).8004 | grep -qx runtime" ||
	fail "lvsdRsOrigin of an added real server: $(get LVSD-MIB::lvsdRsOrigin.$VS_WEB.$(ip4 $BE).8004)"
[ "$(get LVSD-MIB::lvsdRsOrigin.$RS1)" = config ] || fail "lvsdRsOrigin of a configured one: $(get LVSD-MIB::lvsdRsOrigin.$RS1)"
[ "$(get LVSD-MIB::lvsdVsOrigin.$VS_WEB)" = config ] || fail "lvsdVsOrigin: $(get LVSD-MIB::lvsdVsOrigin.$VS_WEB)"
lvsctl del-rs web $BE:8004 >/dev/null || fail "del-rs"
ok "lvsdRsOrigin/lvsdVsOrigin: runtime for lvsctl add-rs, config otherwise"

# --- snmpd restarts: the subagent is back within 5 s
ns_stop "$SNMPD"
rm -f "$SOCK_X"
start_snmpd
t0=$(date +%s%N)
answers() { get LVSD-MIB::lvsdVersion.0 | grep -q "$(cat VERSION)"; }
wait_for 5 answers || { cat "$LOG"; fail "no answer within 5 s of snmpd's restart"; }
ms=$((($(date +%s%N) - t0) / 1000000))
n=$(walk LVSD-MIB::lvsdRsVsName | grep -c lvsdRsVsName || true)
[ "$n" = 5 ] || { walk LVSD-MIB::lvsdRsVsName; tail "$LOG"; fail "walk after the restart: $n rows"; }
ok "snmpd restarted: the subagent answered again after $ms ms"

kill -0 "$LVSD" || fail "lvsd died"
ns_stop "$LVSD"
grep -qi "AddressSanitizer\|runtime error" "$LOG" && { cat "$LOG"; fail "sanitizer report"; }
ok "lvsd stopped cleanly"
