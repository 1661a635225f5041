#!/usr/bin/env bash
# tests/vm/test_servers_kernel.sh — servers.c's reader of the kernel's
# counters (tests/unit/test_servers_kernel.c) against the VM's real IPVS.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build}
T=$B/tests/test_servers_kernel
if [ -z "${LVSD_VM:-}" ]; then
	echo "skipped: runs in the lvsd VM only (tools/vm/run -- $0): it flushes IPVS"
	exit 77
fi
[ -x "$T" ] || { echo "missing $T: make $T" >&2; exit 1; }
trap 'ipvsadm -C 2>/dev/null || true' EXIT
"$T"
echo "ok: one dump joined by kernel key; absent servers and services reset; others' services left out"
