#!/usr/bin/env bash
# tests/net/test_check_misc.sh — the MISC_CHECK checker with real programs
# (shell scripts the test writes), run by lvsd in a namespace: exit 0, 1,
# misc_dynamic's 2..255 (the weight follows, also back), a program that
# hangs past misc_timeout with a grandchild (the whole group is killed), one
# that exits leaving a grandchild that holds its stdout (the verdict does
# not wait for it, and it is killed), one that prints megabytes (drained,
# capped, counted), max_scripts = 1 (never two at once), user = nobody,
# a program that cannot run, and rise. Asserts the health, the weight, the
# detail in `lvsctl status` and the log line of each.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/checktest.sh
B=${B:-build}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
for f in "$B/lvsd" "$B/lvsctl" "$B/plugins/check_misc.so"; do
	[ -e "$f" ] || { echo "SKIP: $f not built"; exit 77; }
done
B=$(cd "$B" && pwd)
ck_setup
S=$T/scripts
mkdir -p "$S"
# like /tmp: root's scripts safe (sticky), the programs' users (nobody,
# lvsd: script_user) may reach them and write their files
chmod 1777 "$T" "$S"

script() { # NAME BODY
	printf '#!/bin/sh\n%s\n' "$2" >"$S/$1"
	chmod 755 "$S/$1"
}
echo 0 >"$S/dyn.status"
chmod 644 "$S/dyn.status"
script ok 'echo "all good"; exit 0'
script bad 'echo "backend says no" >&2; exit 1'
script dyn 'exit $(cat '"$S"'/dyn.status)'
script hang 'sleep 300 & echo $! >'"$S"'/hang.pids; echo $$ >>'"$S"'/hang.pids; sleep 300'
script leave 'sleep 300 & echo $! >'"$S"'/leave.pid; echo "left one behind"; exit 0'
script chatty 'head -c 5000000 /dev/zero | tr "\0" x; echo; exit 0'
script one 'mkdir '"$S"'/lock 2>/dev/null || echo overlap >>'"$S"'/overlap
sleep 0.2; echo run >>'"$S"'/runs; rmdir '"$S"'/lock; exit 0'
script whoami 'id -un; exit 0'
script flip 'n=$(cat '"$S"'/flip.n 2>/dev/null || echo 0); echo $((n + 1)) >'"$S"'/flip.n; exit 0'
printf 'not a script\n' >"$S/noexec"
printf '#!/nonexistent/interpreter\nexit 0\n' >"$S/badinterp"
chmod 755 "$S/badinterp"

cat >"$T/lvsd.ini" <<EOF2
[global]
plugin_dir = $B/plugins
log_level = info
max_scripts = 1

[virtual_server web]
address = 192.168.78.1:80
scheduler = rr
delay_loop = 0.5
retry = 0
delay_before_retry = 0.2

[real_server web $BE:81]
check = MISC_CHECK
misc_path = $S/ok

[real_server web $BE:82]
check = MISC_CHECK
misc_path = $S/bad

[real_server web $BE:83]
weight = 5
check = MISC_CHECK
misc_path = $S/dyn
misc_dynamic = yes

[real_server web $BE:84]
check = MISC_CHECK
misc_path = $S/hang
misc_timeout = 1

[real_server web $BE:85]
check = MISC_CHECK
misc_path = $S/leave

[real_server web $BE:86]
check = MISC_CHECK
misc_path = $S/chatty
misc_timeout = 10

[real_server web $BE:87]
check = MISC_CHECK
misc_path = $S/one
delay_loop = 0.1

[real_server web $BE:88]
check = MISC_CHECK
misc_path = $S/one x
delay_loop = 0.1

[real_server web $BE:89]
check = MISC_CHECK
misc_path = $S/whoami
user = nobody

[real_server web $BE:92]
check = MISC_CHECK
misc_path = $S/whoami

[real_server web $BE:90]
check = MISC_CHECK
misc_path = $S/flip
rise = 3
delay_before_retry = 0.3

[real_server web $BE:91]
check = MISC_CHECK
misc_path = $S/badinterp

[virtual_server web2]
address = 192.168.78.2:80
scheduler = rr
alpha = yes
delay_loop = 5
delay_before_retry = 0.3

[real_server web2 $BE:90]
check = MISC_CHECK
misc_path = $S/flip
rise = 3

[virtual_server web3]
address = 192.168.78.3:80
scheduler = rr
alpha = yes
delay_loop = 3
delay_before_retry = 3

[real_server web3 $BE:92]
check = MISC_CHECK
misc_path = $S/ok
rise = 3
EOF2

# lvsd -t: a program that is not executable, a whole quoted command and
# shell syntax are refused, each with its line.
sed "s|misc_path = $S/ok\$|misc_path = $S/noexec|; s|misc_path = $S/bad\$|misc_path = \"$S/bad x\"|; s|misc_path = $S/leave\$|misc_path = $S/leave > /tmp/x|" \
	"$T/lvsd.ini" >"$T/bad.ini"
! "$B/lvsd" -t -c "$T/bad.ini" >"$T/bad.out" 2>&1 || { cat "$T/bad.out"; fail "lvsd -t took bad misc_path lines"; }
grep -q "bad.ini:15: misc_path: .*noexec.*not executable" "$T/bad.out" || { cat "$T/bad.out"; fail "no 'not executable' error"; }
grep -q "bad.ini:19: misc_path: .*blank in its name" "$T/bad.out" || { cat "$T/bad.out"; fail "no quoted-command error"; }
grep -q "bad.ini:34: misc_path: '>' is shell syntax" "$T/bad.out" || { cat "$T/bad.out"; fail "no shell-syntax error"; }
printf '[global]\nplugin_dir = %s\n[virtual_server v]\naddress = 192.168.78.9:80\n[real_server v %s:81]\ncheck = MISC_CHECK\nmisc_timeout = 2\n' \
	"$B/plugins" "$BE" >"$T/nopath.ini"
! "$B/lvsd" -t -c "$T/nopath.ini" >"$T/nopath.out" 2>&1 || { cat "$T/nopath.out"; fail "lvsd -t took MISC_CHECK without misc_path"; }
grep -q "misc_path is required" "$T/nopath.out" && grep -q "nopath.ini:5: real server $BE:81 (v): MISC_CHECK: misc_path is required" "$T/nopath.out" ||
	{ cat "$T/nopath.out"; fail "no 'misc_path is required' at -t"; }
ok "lvsd -t refuses a non-executable program, a quoted whole command, shell syntax, no misc_path"

ck_start
# while rising, lvsctl status shows how far (checks 3 s apart)
_rising() { ck_detail "$BE:92" web3 | grep -Eq "\(rising [12]/3\)$"; }
wait_for 15 _rising || { ck_status; fail "no 'rising N/3' in lvsctl status"; }
ck_expect "$BE:92" web3 up "exit status 0" 20
ok "rise = 3: lvsctl status shows 'rising N/3' on the way up"

weight() { # RS VS -> the effective weight column
	ck_status | awk -v rs="$1" -v vs="($2)" '/^[A-Z]/ { cur = $NF } $2 == rs && cur == vs { print $4 }'
}
# Polled: wait_for runs it each time ("$(weight ...)" in its arguments
# would be read once, before the wait).
weight_is() { [ "$(weight "$1" "$2")" = "$3" ]; }

ck_expect "$BE:81" web up "exit status 0: all good"
ck_expect "$BE:82" web down "exit status 1: backend says no"
ok "exit 0 up, exit 1 down, with the program's first line in the detail and the log"

# misc_dynamic: 12 -> up with weight 10; 2 -> weight 0 (up, drained); 1 ->
# down; 0 -> up with the configured weight 5 again.
echo 12 >"$S/dyn.status"
ck_expect "$BE:83" web up "exit status 12: weight 10"
wait_for 5 weight_is "$BE:83" web 10 || { ck_status; fail "weight not 10 after exit 12"; }
grep -q "real server $BE:83 (web): weight 10 from its check (exit status 12: weight 10)" "$LOG" ||
	{ cat "$LOG"; fail "no log line for the dynamic weight"; }
echo 2 >"$S/dyn.status"
ck_expect "$BE:83" web up "exit status 2: weight 0"
wait_for 5 weight_is "$BE:83" web 0 || { ck_status; fail "weight not 0 after exit 2"; }
ck_status | grep -q "$BE:83 .*drain (weight 0)" || { ck_status; fail "exit 2 is not shown as drain (weight 0)"; }
echo 1 >"$S/dyn.status"
ck_expect "$BE:83" web down "exit status 1"
echo 0 >"$S/dyn.status"
ck_expect "$BE:83" web up "exit status 0"
wait_for 5 weight_is "$BE:83" web 5 || { ck_status; fail "weight not back to 5"; }
grep -q "real server $BE:83 (web): weight back to the configured 5" "$LOG" || { cat "$LOG"; fail "no 'weight back' line"; }
ok "misc_dynamic: exit 12 -> weight 10, 2 -> weight 0 (drain), 1 -> down, 0 -> the configured 5"

# hangs past misc_timeout with a grandchild: down, and both are gone
ck_expect "$BE:84" web down "timed out after 1.0 s; killed" 15
# (the pids of one run: the file is rewritten by each later run, whose
# program is alive for its own second)
hung=$(cat "$S/hang.pids")
gone() { for p in $hung; do ! kill -0 "$p" 2>/dev/null || return 1; done; }
wait_for 5 gone || fail "the hung program or its grandchild survived the timeout ($hung)"
ok "a program hanging past misc_timeout is killed with its grandchild (process group)"

# exits 0 leaving a grandchild that holds stdout: up at once, grandchild killed
ck_expect "$BE:85" web up "exit status 0: left one behind"
wait_for 5 test -s "$S/leave.pid" || fail "leave did not run"
wait_for 5 bash -c "! kill -0 $(cat "$S/leave.pid") 2>/dev/null" || fail "the grandchild left behind survived"
ok "what a program leaves in its group is killed when it exits; the verdict does not wait for it"

# 5 MB of output: drained (the program is not blocked), capped, counted
ck_expect "$BE:86" web up "exit status 0: x{32} \(output 5000001 bytes\)" 20
ok "5 MB of output drained and counted, 4096 bytes kept"

# max_scripts = 1: the two checks of "one" never overlap, and both ran
runs_ge() { [ "$(wc -l <"$S/runs" 2>/dev/null || echo 0)" -ge "$1" ]; }
wait_for 10 runs_ge 6 || fail "'one' did not run often enough"
[ ! -e "$S/overlap" ] || fail "two programs ran at once under max_scripts = 1"
ok "max_scripts = 1: $(wc -l <"$S/runs") runs, none at the same time as another"

# user = nobody
ck_expect "$BE:89" web up "exit status 0: nobody"
ok "user = nobody: the program ran as nobody"
# ...and the check process was not given the means to switch users for it
# (with CAP_SETUID it could make itself root; issue 17): MISC_CHECK runs
# in lvsd, the check process has no capability and NO_NEW_PRIVS.
cpid=$(ck_status | sed -n 's/^check process: pid \([0-9]*\),.*/\1/p')
[ -n "$cpid" ] && [ -r "/proc/$cpid/status" ] || { ck_status; fail "no check process pid in lvsctl status"; }
grep -q '^CapEff:[[:space:]]*0000000000000000$' "/proc/$cpid/status" &&
	grep -q '^CapPrm:[[:space:]]*0000000000000000$' "/proc/$cpid/status" &&
	grep -q '^NoNewPrivs:[[:space:]]*1$' "/proc/$cpid/status" ||
	{ grep -E '^(Uid|Cap|NoNew)' "/proc/$cpid/status"; fail "the check process holds capabilities or may gain them (user = nobody)"; }
ok "user = nobody: the check process (pid $cpid) has no capability and NO_NEW_PRIVS"
# without user: script_user, by default lvsd, never root (issue 17)
ck_expect "$BE:92" web up "exit status 0: lvsd"
ok "no user: the program ran as script_user (lvsd)"

# exec fails (the interpreter is missing): down with the reason
ck_expect "$BE:91" web down "cannot run $S/badinterp: No such file or directory"
ok "a program that cannot be executed is down with exec's reason"

# rise 3 under alpha: up after the third success in a row, with the reason
ck_expect "$BE:90" web2 up "exit status 0" 10
grep -q "real server $BE:90 (web2) up: exit status 0, 3 successes in a row (rise 3)" "$LOG" ||
	{ cat "$LOG"; fail "no rise log line"; }
ok "rise = 3: up after three successes in a row"

ck_finish test_check_misc
