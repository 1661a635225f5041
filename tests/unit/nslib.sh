#!/usr/bin/env bash
# nslib.sh — tests/lib/ns.sh's cleanup is quiet: a process that ignores
# TERM is killed and reaped without bash's "Killed" job notice on stderr
# (seen at the end of net tests). Needs no namespaces: ns_bg "-" runs
# in the current one.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(bash -c '
	set -euo pipefail
	. tests/lib/ns.sh
	ns_init
	ns_bg - bash -c "trap \"\" TERM; sleep 30"
	sleep 0.3
	echo body' 2>&1)
case $out in
*Killed*|*Terminated*) echo "FAIL: ns_cleanup was not quiet: $out"; exit 1 ;;
esac
[ "$out" = body ] || { echo "FAIL: unexpected output: $out"; exit 1; }
echo "ok: ns_cleanup kills and reaps quietly"
