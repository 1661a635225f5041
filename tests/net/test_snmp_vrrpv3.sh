#!/usr/bin/env bash
# tests/net/test_snmp_vrrpv3.sh — RFC 6527's VRRPV3-MIB through real snmpd
# (one per lvsd, private AgentX sockets, loopback ports) and snmpwalk /
# snmpget with only mibs/: two lvsd in namespaces run VI_1 (v3, VRID 51,
# two VIPs); d2 starts alone (MASTER: the master went silent), d1 with a
# higher priority preempts it. d1 also runs VI_2 (VRID 61, same link) and
# VI_6 (IPv6). Checked against `lvsctl status` and what we know: rows and
# indexes (ifIndex.VRID.type, addresses), status, priority, master and
# primary address, virtual MAC, new-master reason; adverts crafted from d3
# move exactly the counters RFC 6527 names (checksum, version, VRID errors
# router-wide and counted once per datagram with two instances on the
# link; TTL, type, protocol error reason per row); a reload that removes
# an instance keeps the router-wide counts; d1 stopping (priority 0) moves
# d2's RcvdPriZeroPackets and makes it master again.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
B=${B:-build}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
for c in snmpd snmpwalk snmpget python3; do
	command -v $c >/dev/null || { echo "SKIP: no $c (tools/deps.sh installs it)"; exit 77; }
done
[ -e "$B/plugins/vrrp_vrrp.so" ] || { echo "SKIP: no VRRP plugin built"; exit 77; }

ns_init
vrrp_topo 3 # d3 only crafts adverts
T=$NS_TMP
MIBOPT=(-M "$PWD/mibs" -m VRRPV3-MIB -OU) # -OU: no UNITS after values
export MIBS= MIBDIRS="$PWD/mibs" SNMPCONFPATH="$T" # no ~/.snmp, no /etc/snmp
RO=(-v2c -c lvsdro -t 2 -r 1)
BASE=$((20000 + RANDOM % 10000))

snmpd_for() { # NAME PORT: an snmpd whose AgentX socket is $T/NAME.agentx
	cat >"$T/snmpd-$1.conf" <<EOF
master agentx
agentXSocket $T/$1.agentx
agentXPerms 0600 0700
rocommunity lvsdro 127.0.0.1
EOF
	NS_LOG=$T/snmpd-$1.log ns_bg - snmpd -f -Lo -C -c "$T/snmpd-$1.conf" \
		-p "$T/snmpd-$1.pid" udp:127.0.0.1:$2
	wait_for 10 test -S "$T/$1.agentx" || { cat "$T/snmpd-$1.log"; fail "snmpd for $1 did not start"; }
}
snmpd_for d1 $BASE
snmpd_for d2 $((BASE + 1))
agent() { [ "$1" = d1 ] && echo 127.0.0.1:$BASE || echo 127.0.0.1:$((BASE + 1)); }
get() { local a; a=$(agent "$1"); shift; snmpget "${RO[@]}" -Oqv "${MIBOPT[@]}" "$a" "$@"; }
walk() { local a; a=$(agent "$1"); shift; snmpwalk "${RO[@]}" -OQ "${MIBOPT[@]}" "$a" "$@"; }
num() { get "$@" | tr -dc '0-9'; } # a counter or a TimeTicks' ticks, digits only

ini() { # NAME PRIORITY [extra instances...]
	cat <<EOF
[global]
snmp = yes
snmp_socket = $T/$1.agentx
log_level = info

[vrrp VI_1]
state = BACKUP
interface = eth0
virtual_router_id = 51
priority = $2
advert_int = 0.5
version = 3
virtual_ipaddress = 10.9.0.50/24 dev eth0
virtual_ipaddress = 10.9.0.51/24 dev eth0
EOF
	shift 2
	for x in "$@"; do printf '\n%s\n' "$x"; done
}
VI_2='[vrrp VI_2]
state = BACKUP
interface = eth0
virtual_router_id = 61
priority = 100
advert_int = 0.5
version = 3
virtual_ipaddress = 10.9.0.61/24 dev eth0'
VI_6='[vrrp VI_6]
state = BACKUP
interface = eth0
virtual_router_id = 52
priority = 100
advert_int = 0.5
version = 3
virtual_ipaddress = 2001:db8::50/64 dev eth0'
ini d2 100 >"$T/d2.ini"
ini d1 150 "$VI_2" "$VI_6" >"$T/d1.ini"
"$B/lvsd" -t -P "$B/plugins" -c "$T/d1.ini" >/dev/null || fail "lvsd -t refused d1's config"

lv_start d2 "$T/d2.ini"
wait_ms 8000 is_state d2 MASTER VI_1 >/dev/null || vrrp_fail "d2 alone did not become MASTER"
lv_start d1 "$T/d1.ini"
wait_ms 8000 is_state d1 MASTER VI_1 >/dev/null || vrrp_fail "d1 did not preempt"
wait_ms 8000 is_state d2 BACKUP VI_1 >/dev/null || vrrp_fail "d2 did not step back"
wait_ms 8000 is_state d1 MASTER VI_6 >/dev/null || vrrp_fail "d1's VI_6 is $(lv_state d1 VI_6)"
wait_ms 8000 is_state d1 MASTER VI_2 >/dev/null || vrrp_fail "d1's VI_2 is $(lv_state d1 VI_2)"
for n in d1 d2; do
	wait_for 10 sh -c "snmpget ${RO[*]} -Oqv -M '$PWD/mibs' -m VRRPV3-MIB $(agent $n) VRRPV3-MIB::vrrpv3RouterChecksumErrors.0 | grep -q '^[0-9]'" ||
		{ grep -v 'Connection from' "$T/$n.log" "$T/snmpd-$n.log" | tail -20
		  get $n VRRPV3-MIB::vrrpv3RouterChecksumErrors.0 || true
		  fail "no VRRPV3-MIB answer from $n's subagent"; }
done
ok "two lvsd, d1 preempted d2; both subagents answer"

# --- rows and indexes: ifIndex.VRID.addrtype
IF1=$(ns_exec d1 cat /sys/class/net/eth0/ifindex)
IF2=$(ns_exec d2 cat /sys/class/net/eth0/ifindex)
R1=$IF1.51.1 R2=$IF2.51.1 R6=$IF1.52.2
rows=$(walk d1 VRRPV3-MIB::vrrpv3OperationsStatus | grep -c vrrpv3OperationsStatus || true)
[ "$rows" = 3 ] || { walk d1 VRRPV3-MIB::vrrpv3OperationsStatus; fail "d1: $rows operations rows, not 3"; }
[ "$(get d1 VRRPV3-MIB::vrrpv3OperationsStatus.$R1)" = master ] || fail "d1 VI_1 status $(get d1 VRRPV3-MIB::vrrpv3OperationsStatus.$R1)"
[ "$(get d2 VRRPV3-MIB::vrrpv3OperationsStatus.$R2)" = backup ] || fail "d2 VI_1 status"
[ "$(get d1 VRRPV3-MIB::vrrpv3OperationsStatus.$R6)" = master ] || fail "d1 VI_6 (IPv6 row) status"
[ "$(get d1 VRRPV3-MIB::vrrpv3OperationsPriority.$R1)" = 150 ] || fail "d1 priority"
[ "$(get d2 VRRPV3-MIB::vrrpv3OperationsPriority.$R2)" = 100 ] || fail "d2 priority"
[ "$(get d1 VRRPV3-MIB::vrrpv3OperationsAddrCount.$R1)" = 2 ] || fail "d1 address count"
[ "$(get d1 VRRPV3-MIB::vrrpv3OperationsAdvInterval.$R1)" = 50 ] || fail "advert interval $(get d1 VRRPV3-MIB::vrrpv3OperationsAdvInterval.$R1)"
[ "$(get d1 VRRPV3-MIB::vrrpv3OperationsPreemptMode.$R1)" = true ] || fail "preempt mode"
[ "$(get d1 VRRPV3-MIB::vrrpv3OperationsAcceptMode.$R1)" = false ] || fail "accept mode (IPv4: false)"
[ "$(get d1 VRRPV3-MIB::vrrpv3OperationsRowStatus.$R1)" = active ] || fail "row status"
[ "$(get d1 VRRPV3-MIB::vrrpv3OperationsVirtualMacAddr.$R1)" = 0:0:5e:0:1:33 ] ||
	fail "virtual MAC $(get d1 VRRPV3-MIB::vrrpv3OperationsVirtualMacAddr.$R1)"
[ "$(get d1 VRRPV3-MIB::vrrpv3OperationsVirtualMacAddr.$R6)" = 0:0:5e:0:2:34 ] || fail "IPv6 virtual MAC"
hexip() { printf '"%02X %02X %02X %02X "' ${1//./ }; }
[ "$(get d1 VRRPV3-MIB::vrrpv3OperationsPrimaryIpAddr.$R1)" = "$(hexip 10.9.0.11)" ] ||
	fail "d1 primary address $(get d1 VRRPV3-MIB::vrrpv3OperationsPrimaryIpAddr.$R1)"
[ "$(get d1 VRRPV3-MIB::vrrpv3OperationsMasterIpAddr.$R1)" = "$(hexip 10.9.0.11)" ] || fail "d1 (master) names itself"
[ "$(get d2 VRRPV3-MIB::vrrpv3OperationsMasterIpAddr.$R2)" = "$(hexip 10.9.0.11)" ] ||
	fail "d2's master is $(get d2 VRRPV3-MIB::vrrpv3OperationsMasterIpAddr.$R2), not d1"
[ "$(get d2 VRRPV3-MIB::vrrpv3OperationsPrimaryIpAddr.$R2)" = "$(hexip 10.9.0.12)" ] || fail "d2 primary address"
[ "$(num d1 VRRPV3-MIB::vrrpv3OperationsUpTime.$R1)" -gt 0 ] || fail "up time 0"
addrs=$(walk d1 -On VRRPV3-MIB::vrrpv3AssociatedIpAddrRowStatus | grep "\.$R1\." || true)
[ "$(grep -c active <<<"$addrs")" = 2 ] || { echo "$addrs"; fail "d1 VI_1: not 2 associated addresses"; }
get d1 VRRPV3-MIB::vrrpv3AssociatedIpAddrRowStatus.$R1.4.10.9.0.50 | grep -q active || fail "10.9.0.50 row"
get d1 VRRPV3-MIB::vrrpv3AssociatedIpAddrRowStatus.$R1.4.10.9.0.51 | grep -q active || fail "10.9.0.51 row"
v6idx="16.32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.80" # 2001:db8::50
get d1 VRRPV3-MIB::vrrpv3AssociatedIpAddrRowStatus.$R6.$v6idx | grep -q active || fail "IPv6 address row"
ok "operations and address rows match the configuration and the state (IPv4, IPv6)"

# --- statistics: the reasons for becoming master, counters beside lvsctl
[ "$(get d1 VRRPV3-MIB::vrrpv3StatisticsNewMasterReason.$R1)" = preempted ] ||
	fail "d1 reason $(get d1 VRRPV3-MIB::vrrpv3StatisticsNewMasterReason.$R1), not preempted"
[ "$(get d2 VRRPV3-MIB::vrrpv3StatisticsNewMasterReason.$R2)" = masterNoResponse ] ||
	fail "d2 reason $(get d2 VRRPV3-MIB::vrrpv3StatisticsNewMasterReason.$R2)"
[ "$(num d1 VRRPV3-MIB::vrrpv3StatisticsMasterTransitions.$R1)" = "$(lv_counter d1 became_master VI_1)" ] ||
	fail "d1 master transitions differ from lvsctl's became_master"
[ "$(num d2 VRRPV3-MIB::vrrpv3StatisticsMasterTransitions.$R2)" = 1 ] || fail "d2 master transitions"
a=$(num d2 VRRPV3-MIB::vrrpv3StatisticsRcvdAdvertisements.$R2)
b=$(lv_counter d2 adverts_rcvd VI_1)
[ "$a" -gt 0 ] && [ "$b" -ge "$a" ] && [ "$b" -le $((a + 4)) ] || fail "d2 adverts received: SNMP $a, lvsctl $b"
[ "$(get d1 VRRPV3-MIB::vrrpv3StatisticsProtoErrReason.$R1)" = noError ] || fail "a protocol error before any"

# crafted adverts from d3 (priority 200: accepted, they would take over)
send() { ns_exec d3 python3 tests/lib/vrrpsend.py --dev eth0 --src 10.9.0.13 --version 3 \
	--int 50 --addr 10.9.0.50 --addr 10.9.0.51 --prio 200 "$@"; }
until_eq() { # WANT CMD...: poll CMD's output for 3 s
	local want=$1 v=""; shift
	for _ in $(seq 30); do v=$("$@" 2>/dev/null) || true; [ "$v" = "$want" ] && return 0; sleep 0.1; done
	echo "$v"; return 1
}
vrid_sum() { echo $(($(lv_counter d1 bad_vrid VI_1) + $(lv_counter d1 bad_vrid VI_2))); }
send --vrid 99 --count 3
v=$(until_eq 3 num d1 VRRPV3-MIB::vrrpv3RouterVrIdErrors.0) ||
	fail "3 datagrams of an unknown VRID, two instances on the link: vrrpv3RouterVrIdErrors $v"
[ "$(vrid_sum)" = 3 ] || fail "lvsctl's bad_vrid sum is $(vrid_sum), not 3"
send --vrid 51 --bad-checksum --count 3
v=$(until_eq 3 num d1 VRRPV3-MIB::vrrpv3RouterChecksumErrors.0) || fail "checksum errors $v"
[ "$(lv_counter d1 bad_checksum VI_1)" = 3 ] || fail "lvsctl bad_checksum"
[ "$(get d1 VRRPV3-MIB::vrrpv3StatisticsProtoErrReason.$R1)" = checksumError ] || fail "reason not checksumError"
send --vrid 51 --wire-version 2 --count 2
v=$(until_eq 2 num d1 VRRPV3-MIB::vrrpv3RouterVersionErrors.0) || fail "version errors $v"
[ "$(get d1 VRRPV3-MIB::vrrpv3StatisticsProtoErrReason.$R1)" = versionError ] || fail "reason not versionError"
send --vrid 51 --type 2 --count 4
v=$(until_eq 4 num d1 VRRPV3-MIB::vrrpv3StatisticsRcvdInvalidTypePackets.$R1) ||
	fail "4 adverts of type 2: vrrpv3StatisticsRcvdInvalidTypePackets $v"
[ "$(lv_counter d1 bad_type VI_1)" = 4 ] || fail "lvsctl bad_type $(lv_counter d1 bad_type VI_1)"
[ "$(num d1 VRRPV3-MIB::vrrpv3RouterVersionErrors.0)" = 2 ] || fail "a wrong type counted as a version error"
send --vrid 51 --ttl 64 --count 2
v=$(until_eq 2 num d1 VRRPV3-MIB::vrrpv3StatisticsIpTtlErrors.$R1) || fail "TTL errors $v"
[ "$(lv_counter d1 bad_ttl VI_1)" = 2 ] || fail "lvsctl bad_ttl"
[ "$(get d1 VRRPV3-MIB::vrrpv3StatisticsProtoErrReason.$R1)" = ipTtlError ] || fail "reason not ipTtlError"
is_state d1 MASTER VI_1 || vrrp_fail "a crafted advert changed d1's state"
ok "crafted adverts move exactly RFC 6527's counters (VRID errors once per datagram, type apart from version)"

# --- a reload that removes VI_2 keeps the router-wide counts (VI_2, the
# engine's first instance on eth0, is the one that counted the VRID errors)
[ "$(lv_counter d1 bad_vrid VI_2)" = 3 ] || fail "VI_2 did not count the VRID errors: the reload below tests nothing"
ini d1 150 "$VI_6" >"$T/d1.ini"
lv_ctl d1 reload >/dev/null || fail "reload refused"
wait_for 10 sh -c "[ \$(snmpwalk ${RO[*]} -OQ -M '$PWD/mibs' -m VRRPV3-MIB $(agent d1) VRRPV3-MIB::vrrpv3OperationsStatus | grep -c Status) = 2 ]" ||
	fail "VI_2's row is still there after the reload"
[ "$(num d1 VRRPV3-MIB::vrrpv3RouterVrIdErrors.0)" = 3 ] || fail "the reload lost router-wide VRID errors"
[ "$(num d1 VRRPV3-MIB::vrrpv3RouterChecksumErrors.0)" = 3 ] || fail "the reload lost checksum errors"
ok "a reload removing an instance keeps the router-wide counters"

# --- d1 stops: priority 0, d2 is master again
kill -TERM "$(lv_pid d1)"
wait_ms 8000 is_state d2 MASTER VI_1 >/dev/null || vrrp_fail "d2 did not take over"
v=$(until_eq 1 num d2 VRRPV3-MIB::vrrpv3StatisticsRcvdPriZeroPackets.$R2) || fail "d2 priority-0 adverts $v"
[ "$(lv_counter d2 prio0_rcvd VI_1)" = 1 ] || fail "lvsctl prio0_rcvd"
[ "$(get d2 VRRPV3-MIB::vrrpv3OperationsStatus.$R2)" = master ] || fail "d2 status"
[ "$(num d2 VRRPV3-MIB::vrrpv3StatisticsMasterTransitions.$R2)" = 2 ] || fail "d2 master transitions"
[ "$(get d2 VRRPV3-MIB::vrrpv3StatisticsNewMasterReason.$R2)" = masterNoResponse ] || fail "d2 reason"
ok "d1 stopped: d2 counts its priority-0 advert and is master (masterNoResponse)"
