#!/usr/bin/env bash
# abi.sh — the plugin ABI's version rules, checked:
#  1. plugins built against the frozen released headers
#     (tests/abi/plugin-1.0.h, plugin-1.1.h) still load in today's core and
#     are used (weight hook, a 1.1 plugin's own flag name);
#  2. abidiff(1) compares the public types (tests/abi/probe.c, built with
#     -g against the header under test) with each committed baseline
#     tests/abi/baseline-MAJOR.MINOR.abi of the same major: a removed,
#     moved or retyped field, or a changed callback, fails unless
#     LVSD_ABI_MAJOR was bumped; fields appended at the end of a struct
#     pass (tests/abi/classify.awk reads the leaf changes), but only with
#     a minor bump.
# LVSD_ABI_INCLUDE=DIR checks another copy of the headers (DIR/lvsd/).
# --record writes the baseline of the current header's version.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build}
inc=${LVSD_ABI_INCLUDE:-core/include}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ver() { awk -v k="LVSD_ABI_$2" '$1 == "#define" && $2 == k { print $3 }' "$1"; }
major=$(ver "$inc/lvsd/plugin.h" MAJOR)
minor=$(ver "$inc/lvsd/plugin.h" MINOR)
[ -n "$major" ] && [ -n "$minor" ] || fail "no LVSD_ABI_MAJOR/MINOR in $inc/lvsd/plugin.h"
command -v abidw >/dev/null && command -v abidiff >/dev/null ||
	{ echo "abigail-tools missing (make deps)"; exit 77; }

probe() { # include-dir out.abi
	mkdir -p "$t/probe"
	cp tests/abi/probe.c "$t/probe/probe.c" # the same path for every build
	(cd "$t/probe" && cc -g -O0 -std=gnu11 -shared -fPIC -fvisibility=hidden \
		-I"$1" -o probe.so probe.c) || fail "the ABI probe does not build against $1"
	abidw --no-corpus-path --no-comp-dir-path --no-show-locs "$t/probe/probe.so" >"$2"
}

if [ "${1:-}" = --record ]; then
	out=tests/abi/baseline-$major.$minor.abi
	[ -e "$out" ] && fail "$out exists; a released baseline is never rewritten"
	probe "$(realpath "$inc")" "$out"
	echo "recorded $out"
	exit 0
fi

# --- 1. 1.0 and 1.1 plugins in today's core ------------------------------
mkdir -p "$t/plugins"
for v in 0 1; do
	grep -q "^#define LVSD_ABI_MINOR $v\$" tests/abi/plugin-1.$v.h || fail "plugin-1.$v.h is not the 1.$v header"
	cc -std=gnu11 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden -Wl,-z,defs \
		-Itests/abi -o "$t/plugins/abi1$v.so" tests/abi/plugin_v1_$v.c ||
		fail "the 1.$v fixture does not build against plugin-1.$v.h"
done
cp "$B"/plugins/check_tcp.so "$t/plugins/"
cat >"$t/lvsd.ini" <<'INI'
[virtual_server web]
address = 192.168.0.30:80
scheduler = abi10
[real_server web 10.0.0.51:80]
weight = 10
[virtual_server web11]
address = 192.168.0.31:80
scheduler = abi11
sched_flags = first
[real_server web11 10.0.0.61:80]
weight = 10
INI
"$B/lvsd" -t -v -P "$t/plugins" -c "$t/lvsd.ini" >"$t/t.log" 2>&1 ||
	{ cat "$t/t.log"; fail "today's core refuses a plugin built against ABI 1.0 or 1.1"; }
grep -q "configuration OK" "$t/t.log" || { cat "$t/t.log"; fail "no 'configuration OK'"; }
# Run them: their init sees the host API, and their weight hooks make
# weight 10 into 5 (1.0) and 3 (1.1).
"$B/lvsd" -n -v --no-ipvs -P "$t/plugins" -c "$t/lvsd.ini" -S "$t/sock" \
	--state-file "$t/state" >"$t/d.log" 2>&1 &
pid=$!
ok=0
for _ in $(seq 50); do
	if "$B/lvsctl" -s "$t/sock" status >"$t/st" 2>/dev/null &&
		awk '$2 == "10.0.0.51:80" && $4 == 5 { f++ } $2 == "10.0.0.61:80" && $4 == 3 { f++ }
			END { exit f != 2 }' "$t/st"; then
		ok=1; break
	fi
	sleep 0.1
done
kill "$pid"; wait "$pid" || true
[ $ok = 1 ] || { cat "$t/d.log" "$t/st"; fail "the 1.0/1.1 plugins' weight hooks were not used (want weights 5 and 3)"; }
for p in abi10 abi11; do
	grep -q "$p: host API 1\.$(ver core/include/lvsd/plugin.h MINOR)" "$t/d.log" ||
		{ cat "$t/d.log"; fail "the $p plugin's init did not run"; }
done
echo "ok: plugins built against the ABI 1.0 and 1.1 headers load and run (weight 10 x 0.5 = 5, 10 x 0.3 = 3)"

# --- 2. abidiff against the baselines -----------------------------------
probe "$(realpath "$inc")" "$t/now.abi"
n=0
for base in tests/abi/baseline-*.abi; do
	v=${base#tests/abi/baseline-}; v=${v%.abi}
	bmajor=${v%%.*} bminor=${v#*.}
	if [ "$bmajor" != "$major" ]; then
		echo "note: $base is of ABI $bmajor, the header is $major.$minor: not compared"
		continue
	fi
	n=$((n + 1))
	abidiff --leaf-changes-only --impacted-interfaces "$base" "$t/now.abi" >"$t/diff" 2>&1 && continue_ok=1 || continue_ok=0
	if ! awk -f tests/abi/classify.awk "$t/diff" >"$t/bad"; then
		cat "$t/diff" "$t/bad"
		fail "the public ABI changed incompatibly since $v (above) without a new LVSD_ABI_MAJOR: a minor version may only append fields at the end of a sized struct, append enumerators, add types"
	fi
	if [ "$bminor" = "$minor" ] && [ $continue_ok = 0 ]; then
		cat "$t/diff"
		fail "the public ABI grew since $v (above) but LVSD_ABI_MINOR is still $minor: bump it and run tests/unit/abi.sh --record"
	fi
	echo "ok: ABI $major.$minor is compatible with baseline $v"
done
[ $n -gt 0 ] || echo "note: no baseline of ABI $major yet (a new major): tests/unit/abi.sh --record"
if [ ! -e "tests/abi/baseline-$major.$minor.abi" ]; then
	[ -z "${LVSD_ABI_INCLUDE:-}" ] ||
		{ echo "note: no baseline of ABI $major.$minor (a scratch header)"; exit 0; }
	fail "no baseline of the current ABI $major.$minor: run tests/unit/abi.sh --record and commit it"
fi
