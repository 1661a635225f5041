#!/usr/bin/env bash
# tests/net/test_check_stop.sh — lvsd and its check process get SIGTERM
# together (what `timeout`, or systemd's KillMode=control-group, does): lvsd
# stops cleanly, with no "check process ... ended ... restart" error and
# no restart planned while it stops. Which of the two runs first is up to
# the scheduler: round 1 as it comes; rounds 2 and 3 hold lvsd (SIGSTOP)
# until the check process has handled its signal, as a loaded machine
# may (lvsd then finds SIGTERM, SIGCHLD and the closed socket at once).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/checktest.sh
ck_begin plugins/check_tcp.so
cat >"$T/lvsd.ini" <<EOF2
[global]
log_level = info
plugin_dir = $B/plugins

[virtual_server web]
address = 10.78.0.100:80
delay_loop = 0.5

[real_server web $BE:8001]
check = TCP
EOF2
cpid() { ck_status | sed -nE 's/^check process: pid ([0-9]+), .* up;.*/\1/p'; }
has_cpid() { [ -n "$(cpid)" ]; }
for round in 1 2 3; do
	rm -f "$SOCK"
	ck_start
	wait_for 15 has_cpid || { cat "$LOG"; fail "no check process in lvsctl status"; }
	C=$(cpid)
	if [ "$round" = 1 ]; then
		kill -TERM "$LVSD" "$C"
	else
		kill -STOP "$LVSD"
		kill -TERM "$C"
		# the check process handles it (or not) while lvsd cannot run
		for _ in $(seq 20); do
			[ "$(awk '{print $3}' "/proc/$C/stat" 2>/dev/null)" = Z ] && break
			sleep 0.1
		done
		kill -TERM "$LVSD"
		kill -CONT "$LVSD"
	fi
	for _ in $(seq 100); do kill -0 "$LVSD" 2>/dev/null || break; sleep 0.1; done
	! kill -0 "$LVSD" 2>/dev/null || { cat "$LOG"; fail "lvsd still runs 10 s after SIGTERM"; }
	wait "$LVSD" 2>/dev/null || true
	grep -q "signal 15: stopping" "$LOG" || { cat "$LOG"; fail "round $round: lvsd did not log the stop"; }
	if grep -E "lvsd error|restart #" "$LOG"; then
		cat "$LOG"; fail "round $round: an error or a check process restart while lvsd stops"
	fi
	kill -0 "$C" 2>/dev/null && fail "round $round: the check process $C outlived lvsd"
	mv "$LOG" "$T/lvsd-$round.log"
done
ok "3 rounds: SIGTERM to lvsd and its check process together: a clean stop, no error, no restart"
echo "PASS: check_stop"
