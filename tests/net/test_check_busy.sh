#!/usr/bin/env bash
# tests/net/test_check_busy.sh — a busy check process is not a hung one
# (core/checkchild.c beat_if_due). 24 ROGUE checks with `send = slow`
# (tests/net/plugins/check_rogue.c: each run keeps the process busy for
# 300 ms), all due at the same time (warmup 0): one loop round of the
# check process takes about 7 s, more than the 5 s of silence after which
# lvsd restarts it as hung. As a saturated emulated CPU with thousands of
# checks due at once (or resumed after a restart) would: before the fix
# lvsd killed it every round, each restart resumed every run at once, and
# real servers' results froze. Asserts over three rounds: no "hung" in the
# log, the same check process (0 restarts), every real server checked.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/checktest.sh
ck_begin tests/netplugins/check_rogue.so
id lvsd >/dev/null 2>&1 || { echo "SKIP: no user lvsd (tools/deps.sh creates it)"; exit 77; }
mkdir -p "$T/plugins"
cp "$B"/plugins/*.so "$B/tests/netplugins/check_rogue.so" "$T/plugins/"
{
	printf '[global]\nplugin_dir = %s\nlog_level = info\n\n' "$T/plugins"
	printf '[virtual_server busy]\naddress = 10.78.0.100:80\ndelay_loop = 2\nwarmup = 0\n'
	for i in $(seq 24); do
		printf '\n[real_server busy %s:%d]\ncheck = ROGUE\nsend = slow\n' "$BE" $((9000 + i))
	done
} >"$T/lvsd.ini"
ck_start

cpid() { ck_status | sed -nE 's/^check process: pid ([0-9]+), .* up;.*/\1/p'; }
wait_for 15 test -n "$(cpid)" || { ck_status; cat "$LOG"; fail "no check process"; }
C1=$(cpid)
# every real server's first result (the first round: about 7 s)
checked() { [ "$(ck_status | grep -c 'rogue ok')" -ge 24 ]; }
wait_for 30 checked || { ck_status; cat "$LOG"; fail "not every real server was checked"; }
sleep 16 # two more rounds
! grep -q "hung" "$LOG" || { grep "check process" "$LOG"; fail "the busy check process was taken for hung"; }
[ "$(cpid)" = "$C1" ] || { grep "check process" "$LOG"; fail "the check process was restarted ($C1 -> $(cpid))"; }
"$B/lvsctl" -s "$SOCK" status --json | python3 -c '
import json, sys
c = json.load(sys.stdin)["check_process"]
assert c["restarts"] == 0 and c["hangs"] == 0, c' || fail "restarts or hangs counted"
ok "24 slow checks due together (a 7 s round): no hang, no restart, all checked"
ck_finish test_check_busy
