#!/usr/bin/env bash
# tests/run.sh — runs the test tiers named on the command line (unit, net,
# vm) and ends with one line "N passed, N failed, N skipped".
# unit: every $B/tests/test_* binary and tests/unit/*.sh;
# net:  every tests/net/test_*.sh on the host (namespaces, real servers);
# vm:   every tests/vm/test_*.sh, each in its own VM boot (tools/vm/run),
#       and tests/vm/host_*.sh on the host (they boot VMs themselves).
# A test exits 0 (pass), 77 (skip) or anything else (fail). Its output goes
# to $B/test-logs/NAME.log and is shown when it fails.
# LANES=N (make check: 2): when vm is named with other tiers, the vm tier
# runs in N-1 lanes beside them (the guest waits on its own clock most of
# the time, the host tiers on theirs), each lane taking every (N-1)th test
# file; the lanes' lines are printed after the host tiers', and the
# summary counts every lane. LANES=1 runs the tiers one after the other.
set -uo pipefail
cd "$(dirname "$0")/.."
B=${B:-build}
export B
logs=$B/test-logs
mkdir -p "$logs"
pass=0 fail=0 skip=0 failed=()

# The vm tier in its own lane (see the head of this file).
lane_pid=() lane_out=
tiers=()
if [ "${LANES:-1}" -gt 1 ] && [ $# -gt 1 ]; then
	for tier in "$@"; do
		if [ "$tier" = vm ] && [ -z "$lane_out" ]; then
			# LANES=N: N-1 vm lanes, each taking every (N-1)th test file.
			nv=$((LANES - 1)) lane_out=() lane_pid=()
			for k in $(seq 0 $((nv - 1))); do
				lane_out+=("$logs/lane-vm$k.out")
				LANES=1 VM_SHARE=$k/$nv "$0" vm >"${lane_out[$k]}" 2>&1 &
				lane_pid+=($!)
			done
			trap 'kill "${lane_pid[@]}" 2>/dev/null; exit 130' INT TERM
		else
			tiers+=("$tier")
		fi
	done
	[ -n "$lane_out" ] && echo "== vm tests run in ${#lane_pid[@]} lane(s) beside the others (pids ${lane_pid[*]}), shown at the end"
	set -- "${tiers[@]}"
fi

run_one() { # name, command...
	local name=$1 rc start end
	shift
	mkdir -p "$(dirname "$logs/$name.log")"
	start=$(date +%s)
	"$@" >"$logs/$name.log" 2>&1
	rc=$?
	end=$(date +%s)
	case $rc in
	0) pass=$((pass + 1)); printf '  PASS  %-40s %4ss\n' "$name" $((end - start)) ;;
	77) skip=$((skip + 1)); printf '  SKIP  %-40s %s\n' "$name" \
		"$(tail -n 1 "$logs/$name.log")" ;;
	*) fail=$((fail + 1)); failed+=("$name")
	   printf '  FAIL  %-40s %4ss (exit %d)\n' "$name" $((end - start)) "$rc"
	   sed 's/^/        | /' "$logs/$name.log" | tail -n 60 ;;
	esac
}

for tier in "$@"; do
	echo "== $tier tests"
	case $tier in
	unit)
		for t in "$B"/tests/test_*; do
			case $t in *.o|*.d) continue ;; esac
			[ -x "$t" ] && run_one "unit/$(basename "$t")" "$t"
		done
		for t in tests/unit/*.sh; do
			[ -e "$t" ] && run_one "unit/$(basename "$t" .sh)" bash "$t"
		done ;;
	net)
		for t in tests/net/test_*.sh; do
			[ -e "$t" ] && run_one "net/$(basename "$t" .sh)" \
				timeout -k 10 600 bash "$t"
		done ;;
	vm)
		# host_*.sh drive tools/vm/run themselves (the runner's own test).
		# VM_SHARE=K/N (set for vm lanes): only every Nth file from the Kth.
		share=${VM_SHARE:-0/1} idx=0
		for t in tests/vm/host_*.sh tests/vm/test_*.sh; do
			[ -e "$t" ] || continue
			idx=$((idx + 1))
			[ $(((idx - 1) % ${share#*/})) -eq "${share%/*}" ] || continue
			case $t in
			*/host_*) run_one "vm/$(basename "$t" .sh)" \
				timeout -k 10 900 bash "$t" ;;
			*) run_one "vm/$(basename "$t" .sh)" \
				tools/vm/run --timeout 900 --env B -- bash "$t" ;;
			esac
		done ;;
	*) echo "unknown tier: $tier" >&2; exit 2 ;;
	esac
done

for k in "${!lane_pid[@]}"; do
	wait "${lane_pid[$k]}"
	out=${lane_out[$k]}
	# The lane's own summary lines become part of this one.
	grep -v -E '^(failed: |[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$)' "$out"
	lp= lf= ls=
	read -r lp lf ls < <(sed -n -E \
		's/^([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/\1 \2 \3/p' "$out")
	if [ -z "${lp:-}" ]; then
		echo "  FAIL  vm lane $k: no summary line (see $out)"
		lp=0 lf=1 ls=0
		failed+=("vm-lane$k")
	fi
	pass=$((pass + lp)) fail=$((fail + lf)) skip=$((skip + ls))
	lfailed=$(sed -n 's/^failed: //p' "$out")
	[ -n "$lfailed" ] && failed+=($lfailed)
done
[ ${#failed[@]} -eq 0 ] || echo "failed: ${failed[*]}"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
