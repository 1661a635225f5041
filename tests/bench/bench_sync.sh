#!/usr/bin/env bash
# bench_sync.sh (VM) — `make bench-sync`: connection synchronisation, lvsd
# against keepalived 2.2.7's lvs_sync_daemon in the same topology and run
# (tests/lib/synctopo.sh: two NAT directors, VRRP holding the VIP and the
# backends' gateway, ping-pong connections every 200 ms through the VIP).
# For each advert_int (SYNC_INTS, default "1 0.01"; VRRPv3) and daemon
# (SYNC_IMPLS, default "lvsd keepalived"): both directors start, the
# client opens its connections (SYNC_BENCH_CONNS, 100, at advert_int >=
# 1; SYNC_BENCH_CONNS_FAST, 20, below), the backup's table is waited for,
# then the master is killed (-9, links down) and, once the backup holds
# the VIP, every connection must carry data again. Printed: connections
# kept of N, the longest gap a connection saw (from just before the kill
# to its first round trip after it: it includes the 200 ms between two
# pings and the client's TCP retransmission back-off, the same for both
# daemons), and lvsd / keepalived ratios.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
. tests/lib/synctopo.sh
B=${B:-build}
INTS=${SYNC_INTS:-1 0.01}
IMPLS=${SYNC_IMPLS:-lvsd keepalived}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
[ -e "$B/plugins/vrrp_vrrp.so" ] || { echo "SKIP: no VRRP plugin built"; exit 77; }
KA=$(command -v keepalived) || KA=
case " $IMPLS " in *" keepalived "*) [ -n "$KA" ] || { echo "SKIP: keepalived is not installed"; exit 77; } ;; esac
[ -e /proc/net/ip_vs ] || { echo "SKIP: no IPVS (run it in the VM: make bench-sync)"; exit 77; }
ns_init
sync_topo
T=$NS_TMP
RES=$T/results
: >"$RES"
run=0

conf() { # IMPL ADV PRIO FILE
	local impl=$1 adv=$2 prio=$3 f=$4
	if [ "$impl" = keepalived ]; then
		cat >"$f" <<EOT
global_defs {
  router_id ka_$prio
  lvs_sync_daemon eth1 VI_1
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority $prio
  advert_int $adv
  version 3
  virtual_ipaddress {
    $SYNC_VIP/24 dev eth0
    10.0.0.29/24 dev eth1
  }
}
virtual_server $SYNC_VIP 7 {
  lb_algo rr
  lb_kind NAT
  protocol TCP
  real_server 10.0.0.51 7 { weight 1 }
  real_server 10.0.0.52 7 { weight 1 }
}
EOT
	else
		cat >"$f" <<EOT
[global]
lvs_sync_daemon = eth1 VI_1
[vrrp VI_1]
state = BACKUP
interface = eth0
virtual_router_id = 51
priority = $prio
advert_int = $adv
version = 3
virtual_ipaddress = $SYNC_VIP/24 dev eth0
virtual_ipaddress = 10.0.0.29/24 dev eth1
[virtual_server echo]
address = $SYNC_VIP:7
scheduler = rr
method = NAT
[real_server echo 10.0.0.51:7]
[real_server echo 10.0.0.52:7]
EOT
	fi
}

# start IMPL NS CONF: PIDS gets every process to kill -9 for a crash
start() {
	local impl=$1 n=$2 f=$3 p
	if [ "$impl" = keepalived ]; then
		rm -f "$T/$n.pid" "$T/$n.vrrp.pid" "$T/$n.check.pid"
		NS_LOG=$T/ka.$n.log ns_bg "$n" "$KA" -n -l -f "$f" \
			-p "$T/$n.pid" -r "$T/$n.vrrp.pid" -c "$T/$n.check.pid"
		PIDS=$NS_LAST_PID
		wait_for 20 test -s "$T/$n.vrrp.pid" || { cat "$T/ka.$n.log"; fail "keepalived did not start in $n"; }
		wait_for 20 test -s "$T/$n.check.pid" || true
		for p in "$T/$n.vrrp.pid" "$T/$n.check.pid"; do
			[ -s "$p" ] && PIDS="$PIDS $(cat "$p")"
		done
	else
		NS_LOG=$T/$n.log ns_bg "$n" "$B/lvsd" -n -P "$B/plugins" -c "$f" \
			-S "$T/$n.sock" --state-file "$T/$n.state"
		PIDS=$NS_LAST_PID
		wait_ms 20000 lv_ctl "$n" -T 1 status >/dev/null || { cat "$T/$n.log"; fail "lvsd did not start in $n"; }
	fi
}

step() { echo "  [${SECONDS}s] $*" >&2; }
one() { # IMPL ADV
	local impl=$1 adv=$2 p s pp sp t line kept lost gap synced=yes
	run=$((run + 1))
	step "$impl at advert_int $adv: directors" 
	p=p$run s=s$run
	SYNC_N=${SYNC_BENCH_CONNS:-100}
	awk -v a="$adv" 'BEGIN { exit !(a < 1) }' && SYNC_N=${SYNC_BENCH_CONNS_FAST:-20}
	sync_director $p 1
	sync_director $s 2
	conf "$impl" "$adv" 150 "$T/$p.conf"
	conf "$impl" "$adv" 100 "$T/$s.conf"
	start "$impl" $p "$T/$p.conf"; pp=$PIDS
	t=$(wait_ms 20000 sync_master $p) || fail "$impl: $p did not become master (${t} ms)"
	start "$impl" $s "$T/$s.conf"; sp=$PIDS
	sleep 2
	step "clients"
	sync_clients_start
	step "the backup's table"
	wait_for 60 sync_has_conns $s || synced="no ($(sync_conns $s) of $SYNC_N)"
	step "the crash"
	sync_mark
	# shellcheck disable=SC2086 # PIDs
	sync_crash $p $pp
	t=$(wait_ms 30000 sync_master $s) || fail "$impl: $s did not take over (${t} ms)"
	sync_since
	line=$(sync_settle 40)
	kept=$(sync_field since); lost=$(sync_field dead); gap=$(sync_field gap_ms)
	printf '%-11s advert_int %-5s kept %3s of %-3s lost %-3s longest gap %6s ms  (backup table full before the kill: %s)\n' \
		"$impl" "$adv" "$kept" "$SYNC_N" "$lost" "$gap" "$synced"
	echo "$impl $adv $kept $SYNC_N $lost $gap" >>"$RES"
	[ "$impl" = lvsd ] && lv_ctl $s -T 2 status | grep -E '^vrrp|transitions' | sed 's/^/    backup after: /'
	sync_clients_stop
	# shellcheck disable=SC2086
	sync_reap TERM $sp
	ip netns del "$(ns $p)"
	ip netns del "$(ns $s)"
}

for adv in $INTS; do
	for impl in $IMPLS; do one "$impl" "$adv"; done
done

echo
echo "advert_int  lvsd kept  keepalived kept  lvsd gap ms  keepalived gap ms  gap lvsd/keepalived (goal <= 1)"
for adv in $INTS; do
	l=$(awk -v a="$adv" '$1 == "lvsd" && $2 == a' "$RES")
	k=$(awk -v a="$adv" '$1 == "keepalived" && $2 == a' "$RES")
	set -- $l; lk="${3:-?}/${4:-?}"; lg=${6:-}
	set -- $k; kk="${3:-?}/${4:-?}"; kg=${6:-}
	r=$(awk -v l="$lg" -v k="$kg" 'BEGIN { if (l != "" && k > 0) printf "%.2f", l / k; else print "-" }')
	printf '%-11s %-10s %-16s %-12s %-18s %s\n' "$adv" "$lk" "$kk" "${lg:--}" "${kg:--}" "$r"
done
