#!/usr/bin/env bash
# tests/net/test_check_file.sh — the FILE_CHECK checker: health and weight
# from a number in a file (keepalived's track_file rules for a real
# server), re-read when the file changes (inotify): written in place,
# replaced by rename, removed, garbage, file_weight 0 (non-zero is down),
# "N reverse", dynamic weights. lvsd runs in a namespace (--no-ipvs).
# Asserts health, weight, the detail in `lvsctl status` and the log, and
# that a change is seen well before the next forced read (connect_timeout
# 20 s: only inotify can be that quick).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/checktest.sh
ck_begin plugins/check_file.so
F=$T/files
mkdir -p "$F"
echo 1 >"$F/a"
echo 7 >"$F/dyn"
echo 0 >"$F/zero"
echo -3 >"$F/rev"
echo abc >"$F/junk"

cat >"$T/lvsd.ini" <<EOF2
[global]
plugin_dir = $B/plugins
log_level = info

[virtual_server web]
address = 192.168.78.1:80
scheduler = rr
delay_loop = 0.1
retry = 0
connect_timeout = 20

[real_server web $BE:81]
check = FILE_CHECK
file = $F/a

[real_server web $BE:82]
check = FILE_CHECK
file = $F/missing

[real_server web $BE:83]
weight = 50
check = FILE_CHECK
file = $F/dyn
dynamic = yes

[real_server web $BE:84]
check = FILE_CHECK
file = $F/zero
file_weight = 0

[real_server web $BE:85]
check = FILE_CHECK
track_file = $F/rev
file_weight = 2 reverse
dynamic = yes

[real_server web $BE:86]
check = FILE_CHECK
file = $F/junk
EOF2

sed "s|^file = $F/a\$|file = relative/a|; s|^file_weight = 0\$|file_weight = 2 backwards|" "$T/lvsd.ini" >"$T/bad.ini"
! "$B/lvsd" -t -c "$T/bad.ini" >"$T/bad.out" 2>&1 || { cat "$T/bad.out"; fail "lvsd -t took bad FILE_CHECK options"; }
grep -q "bad.ini:14: file: an absolute path" "$T/bad.out" || { cat "$T/bad.out"; fail "no 'absolute path' error"; }
grep -q "bad.ini:29: file_weight: an integer" "$T/bad.out" || { cat "$T/bad.out"; fail "no file_weight error"; }
printf '[global]\nplugin_dir = %s\n[virtual_server v]\naddress = 192.168.78.9:80\n[real_server v %s:81]\ncheck = FILE_CHECK\ndynamic = yes\n' \
	"$B/plugins" "$BE" >"$T/nofile.ini"
! "$B/lvsd" -t -c "$T/nofile.ini" >"$T/nofile.out" 2>&1 || { cat "$T/nofile.out"; fail "lvsd -t took FILE_CHECK without file"; }
grep -q "file is required" "$T/nofile.out" && grep -q "nofile.ini:5: real server $BE:81 (v): FILE_CHECK: file is required" "$T/nofile.out" ||
	{ cat "$T/nofile.out"; fail "no 'file is required' at -t"; }
ok "lvsd -t refuses a relative file, a bad file_weight, no file"

ck_start
weight() { ck_status | awk -v rs="$1" -v vs="($2)" '/^[A-Z]/ { cur = $NF } $2 == rs && cur == vs { print $4 }'; }
weight_is() { [ "$(weight "$1" web)" = "$2" ]; } # polled by wait_for
wait_weight() { # RS WANT
	wait_for 3 weight_is "$1" "$2" || { ck_status; fail "$1: weight $(weight "$1" web), want $2"; }
}

ck_expect "$BE:81" web up "value 1"
ck_expect "$BE:82" web down "cannot read $F/missing: No such file or directory"
ck_expect "$BE:83" web up "value 7: weight 7"
wait_weight "$BE:83" 7
ck_expect "$BE:84" web up "value 0"
ck_expect "$BE:85" web up "value -3: weight 6"
wait_weight "$BE:85" 6
ck_expect "$BE:86" web down "$F/junk: not a number"
ok "first reads: 1 up, missing down, dynamic 7 -> weight 7, weight 0 with 0 up, -3 x (2 reverse) -> 6, junk down"

# Changes are seen within 3 s although a quiet file is re-read only every
# connect_timeout (20 s): inotify.
echo 3 >"$F/dyn"
ck_expect "$BE:83" web up "value 3: weight 3" 3
wait_weight "$BE:83" 3
grep -q "real server $BE:83 (web): weight 3 from its check (value 3: weight 3)" "$LOG" || { cat "$LOG"; fail "no weight log line"; }
echo -1 >"$F/dyn"
ck_expect "$BE:83" web down "value -1: weight -1 below 0" 3
echo 0 >"$F/dyn"
ck_expect "$BE:83" web up "value 0: weight 0" 3
ck_status | grep -q "$BE:83 .*drain (weight 0)" || { ck_status; fail "weight 0 is not a drain"; }
echo 9 >"$F/dyn.new" && mv "$F/dyn.new" "$F/dyn"
_is9() { ck_detail "$BE:83" web | grep -q "^value 9: weight 9"; }
wait_for 3 _is9 || { ck_status; fail "the renamed file was not read"; }
wait_weight "$BE:83" 9
rm "$F/dyn"
ck_expect "$BE:83" web down "cannot read $F/dyn: No such file or directory" 3
echo 5 >"$F/zero"
ck_expect "$BE:84" web down "value 5" 3
echo 2 >"$F/missing"
ck_expect "$BE:82" web up "value 2" 3
ok "changes seen at once: 3, -1 (down), 0 (drain), 9 by rename, removed (down), weight-0 file non-zero (down), created (up)"

ck_finish test_check_file
