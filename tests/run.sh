#!/usr/bin/env bash
# tests/run.sh — runs the test tiers named on the command line (unit, net,
# vm) and ends with one line "N passed, N failed, N skipped".
# unit: every $B/tests/test_* binary and tests/unit/*.sh;
# net:  every tests/net/test_*.sh on the host (namespaces, real servers);
# vm:   every tests/vm/test_*.sh, each in its own VM boot (tools/vm/run),
#       and tests/vm/host_*.sh on the host (they boot VMs themselves).
# A test exits 0 (pass), 77 (skip) or anything else (fail). Its output goes
# to $B/test-logs/NAME.log and is shown when it fails.
set -uo pipefail
cd "$(dirname "$0")/.."
B=${B:-build}
export B
logs=$B/test-logs
mkdir -p "$logs"
pass=0 fail=0 skip=0 failed=()

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
		for t in tests/vm/host_*.sh; do
			[ -e "$t" ] && run_one "vm/$(basename "$t" .sh)" \
				timeout -k 10 900 bash "$t"
		done
		for t in tests/vm/test_*.sh; do
			[ -e "$t" ] && run_one "vm/$(basename "$t" .sh)" \
				tools/vm/run --timeout 900 --env B -- bash "$t"
		done ;;
	*) echo "unknown tier: $tier" >&2; exit 2 ;;
	esac
done

[ ${#failed[@]} -eq 0 ] || echo "failed: ${failed[*]}"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
