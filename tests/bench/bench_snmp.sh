#!/usr/bin/env bash
# bench_snmp.sh (VM) — `make bench-snmp`: bulk walks of lvsd's real server
# table (LVSD-MIB::lvsdRsTable) at 1,000 and 10,000 rows against
# keepalived's realServerTable (KEEPALIVED-MIB, `keepalived --snmp`) of the
# same size, both behind the same snmpd over AgentX, in the same VM run:
# the weight column at every size, the whole table up to SNMP_FULL_MAX rows
# (default 1,000: the VM emulates its CPU, a whole 10,000-row table takes
# most of an hour there); then snmpset → kernel: a SET's round trip (the
# kernel has the weight when it returns) against a GET's, for both.
# Goals (issue 14): lvsd's weight column walk at 10,000 rows <= 0.5x
# keepalived's, 10x the rows <= 11x the time (whole-table walks too); an
# lvsd SET <= 1.2x an lvsd GET. Small sizes to try it: SNMP_SIZES="200 2000".
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
ns_init
B=${B:-build}
SIZES=${SNMP_SIZES:-"1000 10000"}
KA_TIMEOUT=${KA_TIMEOUT:-900} # a keepalived walk longer than this is cut
FULL_MAX=${SNMP_FULL_MAX:-1000}
T=$NS_TMP
export SNMP_PERSISTENT_DIR=$T/persist MIBS= MIBDIRS=$T/nomibs SNMPCONFPATH=$T
mkdir -p "$T/persist" "$T/agentx" "$T/nomibs"
PORT=$((20000 + RANDOM % 10000))
AGENT=127.0.0.1:$PORT
cat >"$T/snmpd.conf" <<EOF
master agentx
agentXSocket $T/agentx/master
agentXTimeout 10
rocommunity bench 127.0.0.1
rwcommunity benchrw 127.0.0.1
EOF
NS_LOG=$T/snmpd.log ns_bg - snmpd -f -Lo -C -c "$T/snmpd.conf" -p "$T/snmpd.pid" udp:$AGENT
wait_for 10 test -S "$T/agentx/master" || { cat "$T/snmpd.log"; fail "snmpd did not start"; }

LVSD_RS=.1.3.6.1.4.1.8072.9999.9999.5873.1.4
KA_RS=.1.3.6.1.4.1.9586.100.5.3.4
now() { date +%s.%N; }
ms() { python3 -c "print(round(($2 - $1) * 1000))"; }
count() { ip netns exec "$1" ipvsadm -Ln | grep -c -- '->' | awk '{print $1 - 1}'; }
walk() { # OID -> "ms varbinds" (or "timeout N")
	local t0 t1 n
	t0=$(now)
	if ! n=$(timeout "${2:-3000}" snmpbulkwalk -v2c -c bench -Cr50 -t 30 -r 0 -m '' -On \
		"$AGENT" "$1" | wc -l); then
		echo "timeout $n"
		return
	fi
	t1=$(now)
	echo "$(ms "$t0" "$t1") $n"
}

# Where a walk's time goes: CPU of the daemon's processes, of snmpd and
# of the client over one weight-column walk, then (first size only) the
# daemon's system calls per varbind over another walk under strace -c -f
# (strace slows it: no time is taken from that one). Both daemons serve
# through Net-SNMP's AgentX subagent code, and snmpd's master turns a
# GETBULK into one AgentX GetNext per varbind for them alike.
ticks() { local t=0 p; for p in "$@"; do [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat))); done; echo $t; }
split() { # who OID rows pid...
	local who=$1 oid=$2 rows=$3 spid d0 s0 d1 s1 t0 t1 c n sc
	shift 3
	spid=$(cat "$T/snmpd.pid")
	d0=$(ticks "$@") s0=$(ticks "$spid") t0=$(now)
	c=$( { /usr/bin/time -f '%U %S' snmpbulkwalk -v2c -c bench -Cr50 -t 30 -r 0 -m '' -On \
		"$AGENT" "$oid" >/dev/null; } 2>&1 | tail -n 1)
	t1=$(now) d1=$(ticks "$@") s1=$(ticks "$spid")
	c=$(python3 -c "a, b = '$c'.split(); print(round((float(a) + float(b)) * 1000))")
	printf '%-10s %s rows: weight column walk %s ms: CPU %s %s ms, snmpd %s ms, client %s ms\n' \
		"$who" "$rows" "$(ms "$t0" "$t1")" "$who" "$(((d1 - d0) * 10))" "$(((s1 - s0) * 10))" "$c"
	CPU[$who.$rows]="$(ms "$t0" "$t1") $(((d1 - d0) * 10)) $(((s1 - s0) * 10)) $c"
	[ "$rows" = "${SIZES%% *}" ] || return 0
	sc=$T/strace-$who.txt
	local args=() p
	for p in "$@"; do args+=(-p "$p"); done
	strace -c -f -o "$sc" "${args[@]}" 2>/dev/null &
	local stp=$!
	sleep 1
	n=$(snmpbulkwalk -v2c -c bench -Cr50 -t 60 -r 0 -m '' -On "$AGENT" "$oid" | wc -l)
	kill -INT "$stp" 2>/dev/null || true
	wait "$stp" 2>/dev/null || true
	SYSC[$who]=$(awk -v n="$n" '/^-/ { sep++; next } sep == 1 && NF >= 5 { calls += $4 } END { printf "%.1f", calls / n }' "$sc")
	SYSN[$who]=$(awk -v n="$n" '/^-/ { sep++; next } sep == 1 && NF >= 5 { printf "%s %.1f, ", $NF, $4 / n }' "$sc")
	echo "$who       $rows rows: system calls per varbind $(printf %s "${SYSC[$who]}") (${SYSN[$who]%, })"
}

gen() { # N-rows lvsd.ini keepalived.conf
	python3 - "$1" "$2" "$3" "$T/agentx/master" <<'EOF'
import sys
n, lcfg, kcfg, sock = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
nvs = n // 10
with open(lcfg, "w") as c, open(kcfg, "w") as k:
    c.write("[global]\nsnmp = yes\nsnmp_socket = %s\n\n" % sock)
    k.write("global_defs {\n    router_id bench\n}\n")
    for v in range(nvs):
        vip = "10.%d.%d.1" % (100 + v // 250, v % 250)
        c.write("[virtual_server vs%d]\naddress = %s:80\nscheduler = wlc\n" % (v, vip))
        k.write("virtual_server %s 80 {\n    lb_algo wlc\n    lb_kind NAT\n    protocol TCP\n" % vip)
        for i in range(10):
            rip = "10.%d.%d.%d" % (v // 250, v % 250, 10 + i)
            c.write("[real_server vs%d %s:80]\nweight = 1\n" % (v, rip))
            k.write("    real_server %s 80 {\n        weight 1\n    }\n" % rip)
        k.write("}\n")
EOF
}

declare -A LV KA LVC KAC SET KSET CPU SYSC SYSN
for n in $SIZES; do
	gen "$n" "$T/lvsd-$n.ini" "$T/ka-$n.conf"
	# --- lvsd, in its own namespace (its own IPVS table)
	nsl=$(ns l$n); ns_add l$n
	NS_LOG=$T/lvsd-$n.log ns_bg l$n "$B/lvsd" -n -v -P "$B/plugins" -c "$T/lvsd-$n.ini" \
		-S "$T/lvsd-$n.sock" --state-file "$T/lvsd-$n.state"
	lpid=$NS_LAST_PID
	wait_for 300 sh -c "[ \$(ip netns exec $nsl ipvsadm -Ln | grep -c -- '->') -gt $n ]" ||
		{ tail "$T/lvsd-$n.log"; fail "lvsd did not program $n real servers"; }
	wait_for 60 sh -c "snmpget -v2c -c bench -m '' -Oqv $AGENT .1.3.6.1.4.1.8072.9999.9999.5873.1.1.12.0 | grep -qx $n" ||
		{ tail "$T/lvsd-$n.log"; fail "lvsd's subagent does not answer"; }
	walk $LVSD_RS.1.4 >/dev/null # warm-up: rows built (no kernel read: no counter)
	r=$(walk $LVSD_RS.1.9); read -r lms lvb <<<"$r"
	[ "$lvb" = "$n" ] || fail "lvsd column walk returned $lvb varbinds for $n rows"
	LVC[$n]="$lms $lvb"
	echo "lvsd       $n rows: walk of lvsdRsWeight $lms ms ($lvb varbinds)"
	split lvsd $LVSD_RS.1.9 "$n" "$lpid"
	if [ "$n" -le "$FULL_MAX" ]; then
		r=$(walk $LVSD_RS); read -r lms lvb <<<"$r"
		[ "$lvb" -ge $((n * 28)) ] ||
			{ tail -20 "$T/lvsd-$n.log" "$T/snmpd.log"; fail "lvsd walk returned $lvb varbinds for $n rows"; }
		LV[$n]="$lms $lvb"
		echo "lvsd       $n rows: walk of lvsdRsTable $lms ms ($lvb varbinds)"
	fi

	# snmpset -> kernel at this size: a SET's round trip vs a GET's
	first=1.4.10.100.0.1.80.6.0.1.4.10.0.0.10.80 # vs0's first real server
	opw=$LVSD_RS.1.7.$first
	sets="" gets=""
	for w in 7 3 12 5 9; do
		t0=$(now)
		snmpset -v2c -c benchrw -m '' -t 30 -r 0 "$AGENT" "$opw" i $w >/dev/null || fail "snmpset refused"
		t1=$(now)
		ip netns exec "$nsl" ipvsadm -Ln -t 10.100.0.1:80 | grep -q "10.0.0.10:80 .* $w " ||
			fail "weight $w not in the kernel when snmpset returned"
		snmpget -v2c -c bench -m '' -t 30 -r 0 "$AGENT" "$opw" >/dev/null
		t2=$(now)
		sets="$sets $(ms "$t0" "$t1")" gets="$gets $(ms "$t1" "$t2")"
	done
	echo "lvsd       $n rows: snmpset round trips (ms):$sets; snmpget:$gets"
	med() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
	SET[$n]="$(echo "$sets" | med) $(echo "$gets" | med)"
	ns_stop "$lpid"

	# --- keepalived, same table, same snmpd
	nsk=$(ns k$n); ns_add k$n
	NS_LOG=$T/ka-$n.log ns_bg k$n keepalived -n -l -D --snmp -A "$T/agentx/master" \
		-f "$T/ka-$n.conf" -p "$T/ka-$n.pid" -c "$T/ka-$n.cpid" -r "$T/ka-$n.vpid"
	kpid=$NS_LAST_PID
	wait_for 300 sh -c "[ \$(ip netns exec $nsk ipvsadm -Ln | grep -c -- '->') -gt $n ]" ||
		{ tail "$T/ka-$n.log"; fail "keepalived did not program $n real servers"; }
	wait_for 60 sh -c "snmpgetnext -v2c -c bench -m '' -On $AGENT $KA_RS | grep -q '^$KA_RS'" ||
		{ tail "$T/ka-$n.log"; fail "keepalived's subagent does not answer"; }
	# keepalived's realServerWeight of its first real server, the same way
	kw=$KA_RS.1.7.1.1 ksets="" kgets=""
	for w in 7 3 12 5 9; do
		t0=$(now)
		snmpset -v2c -c benchrw -m '' -t 30 -r 0 "$AGENT" "$kw" i $w >/dev/null 2>&1 || { ksets=""; break; }
		t1=$(now)
		snmpget -v2c -c bench -m '' -t 30 -r 0 "$AGENT" "$kw" >/dev/null
		t2=$(now)
		ksets="$ksets $(ms "$t0" "$t1")" kgets="$kgets $(ms "$t1" "$t2")"
	done
	if [ -n "$ksets" ]; then
		echo "keepalived $n rows: snmpset round trips (ms):$ksets; snmpget:$kgets"
		KSET[$n]="$(echo "$ksets" | med) $(echo "$kgets" | med)"
	else
		echo "keepalived $n rows: snmpset of realServerWeight refused"
		KSET[$n]="- -"
	fi
	r=$(walk $KA_RS.1.7 "$KA_TIMEOUT"); read -r kms kvb <<<"$r"
	KAC[$n]="$kms $kvb"
	echo "keepalived $n rows: walk of realServerWeight $kms ms ($kvb varbinds)"
	split keepalived $KA_RS.1.7 "$n" "$kpid" $(cat "$T/ka-$n.cpid" "$T/ka-$n.vpid" 2>/dev/null)
	if [ "$n" -le "$FULL_MAX" ]; then
		r=$(walk $KA_RS "$KA_TIMEOUT"); read -r kms kvb <<<"$r"
		KA[$n]="$kms $kvb"
		echo "keepalived $n rows: walk of realServerTable $kms ms ($kvb varbinds)"
	fi
	ns_stop "$kpid"
done 2>&1

row() { # what rows "lms lvb" "kms kvb"
	local lms lvb kms kvb ratio
	read -r lms lvb <<<"$3"
	read -r kms kvb <<<"$4"
	if [ "$kms" = timeout ]; then
		ratio="< $(python3 -c "print(round($lms / ($KA_TIMEOUT * 1000), 4))") (keepalived cut at ${KA_TIMEOUT} s)"
	else
		ratio=$(python3 -c "print('%.3f (per varbind %.3f)' % ($lms / $kms, ($lms / $lvb) / ($kms / max($kvb, 1))))")
	fi
	printf '%-13s %-7s %-20s %-24s %s\n' "$1" "$2" "$lms ($lvb)" "$kms ($kvb)" "$ratio"
}
echo
echo "bench-snmp: snmpbulkwalk -Cr50 of the real server table through snmpd over AgentX"
printf '%-13s %-7s %-20s %-24s %s\n' walk rows "lvsd ms (varbinds)" "keepalived ms (varbinds)" "lvsd/keepalived"
for n in $SIZES; do
	row "weight column" "$n" "${LVC[$n]}" "${KAC[$n]}"
	[ -n "${LV[$n]:-}" ] && row "whole table" "$n" "${LV[$n]}" "${KA[$n]}"
done
# Growth: the time for 10x the rows over the time for the rows (goal <= 11).
growth() { # what "ms vb" per size, as an associative array name
	local -n a=$2
	local n m
	for n in $SIZES; do
		m=$((n * 10))
		[ -n "${a[$n]:-}" ] && [ -n "${a[$m]:-}" ] || continue
		python3 - "$1" "$n" "$m" "${a[$n]}" "${a[$m]}" <<'PY'
import sys
what, n, m, x, y = sys.argv[1:]
x, y = x.split()[0], y.split()[0]
if x == "timeout" or y == "timeout":
    print("%-34s %s -> %s rows: cut (timeout)" % (what, n, m))
else:
    print("%-34s %s -> %s rows: time x%.2f (goal <= 11)" % (what, n, m, float(y) / max(float(x), 1)))
PY
	done
}
echo
growth "lvsd weight column" LVC
growth "keepalived weight column" KAC
growth "lvsd whole table" LV
growth "keepalived whole table" KA
echo
printf '%-7s %-26s %-26s %s\n' rows "lvsd SET/GET ms (SET/GET)" "keepalived SET/GET ms" "lvsd SET/keepalived SET"
for n in $SIZES; do
	read -r s g <<<"${SET[$n]}"
	read -r ks kg <<<"${KSET[$n]}"
	lr=$(python3 -c "print('%.2f' % ($s / max($g, 1)))")
	if [ "$ks" = - ]; then
		kr=- kk=-
	else
		kr=$(python3 -c "print('%.2f' % ($ks / max($kg, 1)))")
		kk=$(python3 -c "print('%.2f' % ($s / max($ks, 1)))")
	fi
	printf '%-7s %-26s %-26s %s\n' "$n" "$s/$g ($lr, goal <= 1.2)" "$ks/$kg ($kr)" "$kk"
done
echo "(SET: weight in the kernel on return, checked for lvsd; medians of 5, client start-up included)"
echo
echo "where a weight-column walk's time goes (CPU ms of the daemon's processes, snmpd, the client)"
printf '%-7s %-36s %-36s\n' rows "lvsd wall / lvsd / snmpd / client" "keepalived wall / ka / snmpd / client"
for n in $SIZES; do
	printf '%-7s %-36s %-36s\n' "$n" "${CPU[lvsd.$n]:-- - - -}" "${CPU[keepalived.$n]:-- - - -}"
done
echo "system calls per varbind in the daemon (strace -c -f, ${SIZES%% *} rows): lvsd ${SYSC[lvsd]:--}, keepalived ${SYSC[keepalived]:--}"
echo "(snmpd sends one AgentX GetNext per varbind of a GETBULK to either subagent: what both share bounds the ratio)"
