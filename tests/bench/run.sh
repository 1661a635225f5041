#!/usr/bin/env bash
# tests/bench/run.sh — runs the benchmarks named (default: all); VM ones
# through tools/vm/run. Prints figures and ratios against keepalived and
# ipvsadm; exits non-zero only if a benchmark could not run.
set -euo pipefail
cd "$(dirname "$0")/../.."
export B=${B:-build}
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(ipvs check vrrp snmp state sync)
rc=0
for n in "${names[@]}"; do
	f=tests/bench/bench_$n.sh
	[ -e "$f" ] || { echo "bench-$n: not there yet"; continue; }
	echo "== bench-$n"
	if head -5 "$f" | grep -q '(VM)'; then
		tools/vm/run --timeout 3000 --env B --env NVS --env NRS --env SNMP_SIZES --env SNMP_FULL_MAX --env KA_TIMEOUT \
			--env SYNC_INTS --env SYNC_IMPLS --env SYNC_BENCH_CONNS --env SYNC_BENCH_CONNS_FAST -- bash "$f" || rc=1
	else
		bash "$f" || rc=1
	fi
done
exit $rc
