#!/usr/bin/env bash
# test_vsgroup.sh (VM) — issue 16: a [virtual_server_group] of two
# addresses and two fwmarks in real IPVS: ipvsadm -Ln shows all four
# services with both real servers (no port of their own: each member's);
# traffic to both addresses; lvsctl status --stats / --rate agree with
# ipvsadm's own numbers for the same service; a dead real server leaves
# all four; a reload removing a member removes just that service (the
# others keep their counters: not re-created). Also the [global]
# timeout_* keys against ipvsadm -L --timeout, a change by hand put back.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/topo.sh
ns_init
topo_nat
ip addr add 192.168.0.31/24 dev eth0 # the second address of the group
cfg=$NS_TMP/lvsd.ini
cat >"$cfg" <<'EOF'
[global]
timeout_tcp = 901
timeout_tcpfin = 61s
timeout_udp = 5m
[virtual_server_group G]
address = 192.168.0.30-31:80
fwmark = 7
fwmark = 8
[virtual_server web]
group = G
scheduler = rr
delay_loop = 0.5
retry = 0
[real_server web 10.0.0.51]
check = TCP
[real_server web 10.0.0.52]
check = TCP
EOF
ipvsadm --set 900 120 300 # the kernel's defaults, whatever ran before
lvsd_start "$cfg"

# has_dests SVC RS...: ipvsadm -Ln lists exactly these real servers under
# the service line SVC ("TCP  192.168.0.30:80", "FWM  7").
dests_of() {
	ipvsadm -Ln | awk -v s="$1" '
		/^(TCP|UDP|SCTP|FWM)/ { cur = $1 "  " $2; next }
		/->/ && cur == s && $2 != "RemoteAddress:Port" { print $2 }' | sort | tr '\n' ' '
}
services() { ipvsadm -Ln | grep -cE '^(TCP|UDP|FWM)'; }
all_four() {
	[ "$(services)" = 4 ] &&
		[ "$(dests_of 'TCP  192.168.0.30:80')" = "$1" ] &&
		[ "$(dests_of 'TCP  192.168.0.31:80')" = "$1" ] &&
		[ "$(dests_of 'FWM  7')" = "$2" ] &&
		[ "$(dests_of 'FWM  8')" = "$2" ]
}
wait_for 20 all_four "10.0.0.51:80 10.0.0.52:80 " "10.0.0.51:0 10.0.0.52:0 " ||
	{ ipvsadm -Ln; fail "not four services with both real servers"; }
ok "group of 2 addresses + 2 fwmarks: four IPVS services, each with both real servers (address: port 80, fwmark: 0)"

st=$(lvsctl status)
for n in 'web[192.168.0.30:80]' 'web[192.168.0.31:80]' 'web[fwmark 7]' 'web[fwmark 8]'; do
	grep -qF "($n)" <<<"$st" || { echo "$st"; fail "lvsctl status lacks $n"; }
done
ok "lvsctl status: one line per member, web[192.168.0.30:80] ... web[fwmark 8]"

# --------------------------------------------------------- timeouts
[ "$(ipvsadm -L --timeout)" = "Timeout (tcp tcpfin udp): 901 61 300" ] ||
	fail "timeouts: $(ipvsadm -L --timeout), want 901 61 300"
grep -q "IPVS timeouts: tcp 901s, tcpfin 61s, udp 300s (configured: tcp 901s, tcpfin 61s, udp 300s)" <<<"$st" ||
	{ echo "$st"; fail "lvsctl status does not show the timeouts"; }
ipvsadm --set 100 100 100
lvsctl reconcile >/dev/null
[ "$(ipvsadm -L --timeout)" = "Timeout (tcp tcpfin udp): 901 61 300" ] ||
	fail "a change by hand was not put back: $(ipvsadm -L --timeout)"
grep -q "IPVS timeouts changed outside lvsd" "$LVSD_LOG" || fail "the drift was not logged"
ok "timeout_tcp/tcpfin/udp: ipvsadm -L --timeout says 901 61 300; a change by hand put back and logged"

# ------------------------------------------------------------ traffic
get() { # N requests to ADDR from the client
	ns_exec client python3 - "$1" "$2" <<-'PY'
	import sys, urllib.request
	for i in range(int(sys.argv[1])):
	    urllib.request.urlopen("http://%s/" % sys.argv[2], timeout=3).read()
	PY
}
get 6 192.168.0.30 || fail "no answer through 192.168.0.30"
get 4 192.168.0.31 || fail "no answer through 192.168.0.31"
ok "traffic through both addresses of the group"

# The same service and real server in lvsctl status --stats/--rate and
# ipvsadm -Ln --stats/--rate --exact: the five numbers equal. Rates move
# (the kernel's estimator, every 2 s): compared until they agree, 10 tries.
row() { # lvsctl|ipvsadm MODE SVC-ADDR [RS]: the five numbers
	local who=$1 mode=$2 svc=$3 rs=${4:-}
	if [ "$who" = ipvsadm ]; then
		ipvsadm -Ln "--$mode" --exact -t "$svc" |
			awk -v rs="$rs" 'rs == "" && $1 == "TCP" { print $3, $4, $5, $6, $7 }
				rs != "" && $1 == "->" && $2 == rs { print $3, $4, $5, $6, $7 }'
	else
		lvsctl status "--$mode" |
			awk -v svc="$svc" -v rs="$rs" '
				$1 == "TCP" { cur = $2 }
				rs == "" && $1 == "TCP" && $2 == svc { print $3, $4, $5, $6, $7 }
				rs != "" && cur == svc && $1 == "->" && $2 == rs { print $3, $4, $5, $6, $7 }'
	fi
}
agree() { # MODE SVC [RS]
	local a b i
	for i in $(seq 10); do
		a=$(row lvsctl "$@") b=$(row ipvsadm "$@")
		[ -n "$a" ] && [ "$a" = "$b" ] && { echo "$a"; return 0; }
		sleep 1.1 # lvsctl reads the kernel again when older than 1 s
	done
	echo "lvsctl '$a' ipvsadm '$b'" >&2
	return 1
}
s=$(agree stats 192.168.0.30:80) || fail "--stats of 192.168.0.30:80 differ from ipvsadm's"
[ "${s%% *}" = 6 ] || fail "--stats: 192.168.0.30:80 had $s, want 6 connections"
agree stats 192.168.0.31:80 10.0.0.52:80 >/dev/null ||
	fail "--stats of 10.0.0.52:80 in 192.168.0.31:80 differ from ipvsadm's"
agree rate 192.168.0.30:80 >/dev/null || fail "--rate of 192.168.0.30:80 differs from ipvsadm's"
agree rate 192.168.0.30:80 10.0.0.51:80 >/dev/null ||
	fail "--rate of 10.0.0.51:80 in 192.168.0.30:80 differs from ipvsadm's"
ok "lvsctl status --stats/--rate = ipvsadm -Ln --stats/--rate --exact (service: $s; each member's own real server rows)"

# ------------------------------------------------- a dead real server
ns_stop "$TOPO_HTTPD2"
wait_for 20 all_four "10.0.0.51:80 " "10.0.0.51:0 " ||
	{ ipvsadm -Ln; fail "10.0.0.52 did not leave all four services"; }
[ "$(grep -c 'real server 10.0.0.52.* down' "$LVSD_LOG")" = 1 ] ||
	fail "not one check for 10.0.0.52 going down (checked once, not per member)"
ok "backend02 dead: it left all four services, one check said so"

# ------------------------------------------- reload removing a member
before=$(row ipvsadm stats 192.168.0.30:80)
o0=$(lvsctl counters | awk '$1 == "kernel_ops" { print $2 }')
sed -i '/^address = 192.168.0.30-31:80$/c\address = 192.168.0.30:80' "$cfg"
kill -HUP "$LVSD_PID"
gone() { [ "$(services)" = 3 ] && ! ipvsadm -Ln | grep -q '192.168.0.31:80'; }
wait_for 20 gone || { ipvsadm -Ln; fail "192.168.0.31:80 not removed by the reload"; }
sleep 0.5
o1=$(lvsctl counters | awk '$1 == "kernel_ops" { print $2 }')
[ $((o1 - o0)) = 1 ] || fail "the reload took $((o1 - o0)) kernel operations, want 1 (delete that service)"
all3() {
	[ "$(dests_of 'TCP  192.168.0.30:80')" = "10.0.0.51:80 " ] &&
		[ "$(dests_of 'FWM  7')" = "10.0.0.51:0 " ] &&
		[ "$(dests_of 'FWM  8')" = "10.0.0.51:0 " ]
}
all3 || { ipvsadm -Ln; fail "the other members changed"; }
[ "$(row ipvsadm stats 192.168.0.30:80 | cut -d' ' -f1)" = "${before%% *}" ] ||
	fail "192.168.0.30:80 was re-created (its counters reset)"
grep -q "members -192.168.0.31:80" "$LVSD_LOG" || fail "the reload did not log the member removed"
ok "reload removing 192.168.0.31:80: one kernel operation; the other three services untouched (counters kept)"
