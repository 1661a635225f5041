#!/usr/bin/env bash
# fuzz_smoke.sh — every fuzz target builds and survives a short run on its
# corpus (FUZZ_SECONDS each, default 5). Long runs: see tests/fuzz/*.c.
set -euo pipefail
B=${B:-build}
make -s --no-print-directory B="$B" fuzz
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
for f in "$B"/fuzz/fuzz_*; do
	name=$(basename "$f"); name=${name#fuzz_}
	mkdir -p "$t/$name"
	[ -d "tests/fuzz/corpus/$name" ] && cp -r "tests/fuzz/corpus/$name/." "$t/$name/"
	"$f" -max_total_time="${FUZZ_SECONDS:-5}" -max_len=4096 "$t/$name" >"$t/$name.log" 2>&1 ||
		{ tail -40 "$t/$name.log"; echo "FAIL: $f"; exit 1; }
	echo "ok: $(basename "$f"): $(grep -o 'Done [0-9]* runs' "$t/$name.log")"
done
