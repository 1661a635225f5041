#!/usr/bin/env bash
# bench_vrrp.sh — `make bench-vrrp`: VRRP failover time, lvsd against
# keepalived 2.2.7 in the same topology and run (two namespaces on a
# bridge, VRRPv3, backup priority 100, master 150), for advert_int 1 s and
# 0.1 s:
#  - kill -9 of the master: expected Master_Down_Interval
#    = 3 x advert_int + Skew_Time, Skew_Time = (256 - 100) / 256 x advert_int
#  - graceful stop (SIGTERM): expected Skew_Time (priority 0 advert)
# Each run starts right after an advert of the master was seen on the wire
# (tests/bench/vrrp_watch.py, in the backup's namespace, sends the signal
# and times the VIP's arrival through rtnetlink), so runs are comparable.
# "lvsd+load": the same lvsd pair while each daemon's main loop runs
# VRRP_LOAD_RS (5000) TCP checks (delay_loop 1 s, connect_timeout 1 s) to an
# address that never answers, so they are all in flight (--no-ipvs).
# Env: VRRP_REPS (10; 20 takes ~15 min), VRRP_INTS ("1 0.1"),
# VRRP_IMPLS ("lvsd keepalived lvsd+load"), VRRP_LOAD_RS.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
B=${B:-build}
REPS=${VRRP_REPS:-10}
INTS=${VRRP_INTS:-1 0.1}
IMPLS=${VRRP_IMPLS:-lvsd keepalived lvsd+load}
LOAD_RS=${VRRP_LOAD_RS:-5000}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
[ -e "$B/plugins/vrrp_vrrp.so" ] || { echo "SKIP: no VRRP plugin built"; exit 77; }
KA=$(command -v keepalived) || { echo "SKIP: keepalived is not installed"; exit 77; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
ns_init
vrrp_topo 2
VIP=10.9.0.50
T=$NS_TMP
RES=$T/results
: >"$RES"

forget() { # PID: it is gone; do not kill it (or a PID reusing it) at exit
	local p keep=()
	for p in "${NS_PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
	NS_PIDS=("${keep[@]}")
}
gone() { ! kill -0 "$1" 2>/dev/null; }

conf() { # IMPL ADV PRIO STATE FILE
	local impl=$1 adv=$2 prio=$3 state=$4 f=$5
	if [ "$impl" = keepalived ]; then
		cat >"$f" <<EOT
global_defs { router_id ka_$prio }
vrrp_instance VI_1 {
  state $state
  interface eth0
  virtual_router_id 51
  priority $prio
  advert_int $adv
  version 3
  virtual_ipaddress { $VIP/32 dev eth0 }
}
EOT
		return
	fi
	VRRP_VERSION=3 VRRP_ADVERT=$adv VRRP_STATE=$state vrrp_ini "$f" "$prio"
	[ "$impl" = lvsd+load ] || return 0
	python3 - "$LOAD_RS" >>"$f" <<'PY'
import sys
n = int(sys.argv[1])
print("\n[virtual_server load]\naddress = 10.9.0.60:80\nprotocol = TCP\n"
      "scheduler = rr\nmethod = NAT\ndelay_loop = 1\n")
for i in range(n):
    print("[real_server load 10.9.0.201:%d]\ncheck = TCP\nconnect_timeout = 1\n"
          % (10000 + i))
PY
}

# start IMPL NS CONF: sets PID (the process to signal for SIGTERM) and
# KPID (for SIGKILL: keepalived's VRRP child; lvsd itself).
start() {
	local impl=$1 n=$2 f=$3
	if [ "$impl" = keepalived ]; then
		rm -f "$T/$n.pid" "$T/$n.vrrp.pid"
		NS_LOG=$T/ka.$n.log ns_bg "$n" "$KA" -n -l -R -f "$f" --vrrp \
			-p "$T/$n.pid" -r "$T/$n.vrrp.pid"
		PID=$NS_LAST_PID
		wait_for 10 test -s "$T/$n.vrrp.pid" || vrrp_fail "keepalived did not start"
		KPID=$(cat "$T/$n.vrrp.pid")
	else
		local extra=()
		[ "$impl" = lvsd+load ] && extra=(--no-ipvs)
		NS_LOG=$T/$n.log ns_bg "$n" "$B/lvsd" -n -P "$B/plugins" -c "$f" \
			-S "$T/$n.sock" --state-file "$T/$n.state" "${extra[@]}"
		PID=$NS_LAST_PID
		KPID=$PID
		wait_for 20 lv_ctl "$n" status || vrrp_fail "lvsd did not start in $n"
	fi
}
stop_all() { # PID...
	local p
	for p in "$@"; do
		[ -n "$p" ] || continue
		ns_stop "$p"
		wait "$p" 2>/dev/null
		forget "$p"
	done
}
x_master() { has_vip d1 $VIP && ! has_vip d2 $VIP; }

for impl in $IMPLS; do
	for adv in $INTS; do
		conf "$impl" "$adv" 100 BACKUP "$T/y.conf"
		conf "$impl" "$adv" 150 MASTER "$T/x.conf"
		start "$impl" d2 "$T/y.conf"
		YPID=$PID
		for mode in kill term; do
			sig=9; [ $mode = term ] && sig=15
			for r in $(seq "$REPS"); do
				start "$impl" d1 "$T/x.conf"
				XPID=$PID XK=$KPID
				wait_ms 15000 x_master >/dev/null ||
					vrrp_fail "$impl $adv: the master did not take over"
				sleep 0.3
				target=$XK; [ $mode = term ] && target=$XPID
				ms=$(ns_exec d2 python3 tests/bench/vrrp_watch.py --dev eth0 \
					--master 10.9.0.11 --vip $VIP --pid "$target" --sig $sig)
				echo "$impl $adv $mode $ms" >>"$RES"
				printf '  %-10s adv %-4s %-4s #%-2s %8s ms\n' "$impl" "$adv" $mode "$r" "$ms"
				wait_for 10 gone "$target" || kill -9 "$target" 2>/dev/null
				stop_all "$XPID"
				ip -n "$(ns d1)" addr del $VIP/32 dev eth0 2>/dev/null
			done
		done
		stop_all "$YPID"
		ip -n "$(ns d2)" addr del $VIP/32 dev eth0 2>/dev/null
	done
done

python3 - "$RES" "$REPS" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
data = {}
for impl, adv, mode, ms in rows:
    data.setdefault((impl, adv, mode), []).append(float(ms) if ms != "timeout" else None)
def pct(v, p):
    v = sorted(v); k = max(0, min(len(v) - 1, int(round(p / 100 * len(v) + 0.5)) - 1))
    return v[k]
print("\nVRRP failover, ms (%s runs each; VRRPv3, backup priority 100)" % sys.argv[2])
print("%-12s %5s %-5s %4s %8s %8s %8s %8s %9s %7s" % ("daemon", "adv", "stop", "n",
      "min", "median", "p95", "max", "expected", "med/exp"))
med = {}
for (impl, adv, mode), v in sorted(data.items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][0])):
    ok = [x for x in v if x is not None]
    a = float(adv) * 1000
    exp = (3 * a + 156 / 256 * a) if mode == "kill" else 156 / 256 * a
    if not ok:
        print("%-12s %5s %-5s %4d   all timed out" % (impl, adv, mode, len(v)))
        continue
    m = statistics.median(ok)
    med[(impl, adv, mode)] = m
    print("%-12s %5s %-5s %4d %8.1f %8.1f %8.1f %8.1f %9.1f %6.1f%%%s" % (
        impl, adv, mode, len(ok), min(ok), m, pct(ok, 95), max(ok), exp,
        100 * m / exp, "" if len(ok) == len(v) else "  (%d timeouts)" % (len(v) - len(ok))))
print()
for (impl, adv, mode), m in sorted(med.items()):
    k = med.get(("keepalived", adv, mode))
    if impl != "keepalived" and k:
        print("%-10s / keepalived, adv %s, %-4s: median %.1f / %.1f ms = %.3f" % (
            impl, adv, mode, m, k, m / k))
PY
