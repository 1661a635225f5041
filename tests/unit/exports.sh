#!/usr/bin/env bash
# exports.sh — every built plugin exports exactly one symbol, its entry
# point, and needs no symbol of the daemon (built with -z defs, but check
# the result: nm of the .so, and the lvsd binary exports nothing to them).
set -euo pipefail
B=${B:-build}
n=0
for so in "$B"/plugins/*.so; do
	syms=$(nm -D --defined-only "$so" | awk '$2 ~ /[TDBRW]/ { print $3 }')
	[ "$syms" = lvsd_plugin_entry_v1 ] || { echo "FAIL: $so exports: $syms"; exit 1; }
	# Undefined symbols may come from libc/libm/libpthread only, and from
	# OpenSSL for the plugins linked with it (SSL_GET): versioned symbols
	# of a system library, never an unversioned one of the daemon. (A SAN=
	# build routes libc calls through the sanitizer runtime, unversioned:
	# the check is meaningful in the plain build only.)
	# Captured first: "nm | grep -q" under pipefail fails when grep
	# exits before nm has written all (nm dies of SIGPIPE).
	und=$(nm -D --undefined-only "$so")
	[[ "$und" == *__asan_init* ]] && { n=$((n + 1)); continue; }
	bad=$(awk '{ print $2 }' <<<"$und" | grep -vE '@(GLIBC|OPENSSL)_' |
		grep -vE '^(_ITM_|__gmon_start__|__cxa_finalize)' || true)
	[ -z "$bad" ] || { echo "FAIL: $so needs: $bad"; exit 1; }
	n=$((n + 1))
done
[ "$n" -ge 14 ] || { echo "FAIL: only $n plugins built"; exit 1; }
# The daemon must not export its symbols to plugins (no -rdynamic).
dyn=$(nm -D --defined-only "$B/lvsd" | awk '$2 == "T" { print $3 }' | grep -v '^_' || true)
[ -z "$dyn" ] || { echo "FAIL: lvsd exports: $dyn"; exit 1; }
echo "ok: $n plugins export only lvsd_plugin_entry_v1"
