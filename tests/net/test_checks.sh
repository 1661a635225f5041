#!/usr/bin/env bash
# tests/net/test_checks.sh — HTTP_GET and TCP checks against real servers
# (tests/lib/httpd.py) in a namespace, seen by the real lvsd (--no-ipvs:
# the host kernel has no IPVS). Backends answer 200, 500, close early,
# never answer, trickle, have the wrong body, refuse, or are not there at
# all; the test asserts the log lines (with their reasons and retry
# counts), `lvsctl status`, detection times, notify programs, virtualhost,
# one shared check for two virtual servers, and that a reload keeps state.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
B=${B:-build}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
for f in "$B/lvsd" "$B/lvsctl" "$B/plugins/check_http.so" "$B/plugins/check_tcp.so"; do
	[ -e "$f" ] || { echo "SKIP: $f not built"; exit 77; }
done
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
B=$(cd "$B" && pwd) # absolute: the config names $B/plugins

ns_init
ns_add lb
ns_add be
ns_link lb eth0 10.77.0.1/24 be eth0 10.77.0.2/24
T=$NS_TMP
BE=10.77.0.2

httpd() { # PORT ARGS...
	local port=$1; shift
	NS_LOG=$T/httpd-$port.out ns_bg be "${HTTPD[@]}" --bind $BE \
		--port "$port" --log "$T/req-$port.log" "$@"
	eval "PID_$port=$NS_LAST_PID"
}
httpd 8001 --name a1
httpd 8002 --name a2 --status 500
httpd 8003 --name a3 --mode close
httpd 8004 --name a4 --mode hang
httpd 8005 --name a5 --mode slow
httpd 8006 --name a6
httpd 8008 --name a8
httpd 8010 --name a10
for p in 8001 8002 8003 8004 8005 8006 8008 8010; do
	wait_for 10 ns_exec be python3 -c "import socket; socket.create_connection(('$BE', $p), 1)" ||
		fail "backend $p did not start"
done
good_md5=$(printf 'a8\n' | md5sum | cut -d' ' -f1)

cat >"$T/lvsd.ini" <<EOF2
[global]
plugin_dir = $B/plugins
log_level = info

[virtual_server web]
address = 192.168.77.1:80
scheduler = rr
delay_loop = 1
retry = 1
delay_before_retry = 0.5
connect_timeout = 1
virtualhost = www.example.test

[real_server web $BE:8001]
check = HTTP_GET
path = /health

[real_server web $BE:8002]
check = HTTP_GET
notify_down = /usr/bin/touch $T/notified-down-8002

[real_server web $BE:8003]
check = HTTP_GET

[real_server web $BE:8004]
check = HTTP_GET

[real_server web $BE:8005]
check = HTTP_GET
read_timeout = 1.5

[real_server web $BE:8006]
check = HTTP_GET
digest = 0123456789abcdef0123456789abcdef

[real_server web $BE:8007]
check = HTTP_GET

[real_server web $BE:8008]
check = HTTP_GET
url = / status=200 digest=$good_md5
url = /two status=200-299,301
http_protocol = 1.1

[real_server web 10.77.0.99:80]
check = TCP

[real_server web $BE:8010]
check = HTTP_GET
notify_up = /usr/bin/touch $T/notified-up-8010

[virtual_server tcp]
address = 192.168.77.2:80
scheduler = rr
delay_loop = 1
retry = 0
connect_timeout = 1

[real_server tcp $BE:8001]
check = TCP

[real_server tcp $BE:8007]
check = TCP

[real_server tcp $BE:8008]
check = HTTP_GET

[virtual_server web2]
address = 192.168.77.3:80
scheduler = rr
delay_loop = 1
retry = 1
delay_before_retry = 0.5
connect_timeout = 1
virtualhost = www.example.test

[real_server web2 $BE:8001]
check = HTTP_GET
path = /health
EOF2

# lvsd -t validates every checker option, with file:line.
cat >"$T/bad.ini" <<EOF2
[global]
plugin_dir = $B/plugins
[virtual_server v]
address = 192.168.77.1:80
[real_server v $BE:80]
check = HTTP_GET
status_code = 99
digest = xyz
path = nope
url = /a status=200 color=blue
http_protocol = 2
colour = red
[real_server v $BE:81]
check = TCP
path = /
EOF2
out=$("$B/lvsd" -t -c "$T/bad.ini" 2>&1) && fail "lvsd -t accepted bad checker options"
for want in "bad.ini:7:.*status code" "bad.ini:8:.*digest" "bad.ini:9:.*path" \
	"bad.ini:10:.*color=blue" "bad.ini:11:.*http_protocol" "bad.ini:12:.*colour" \
	"bad.ini:15:.*path"; do
	grep -q "$want" <<<"$out" || { echo "$out"; fail "lvsd -t: no error matching '$want'"; }
done
"$B/lvsd" -t -c "$T/lvsd.ini" >/dev/null 2>&1 || fail "lvsd -t refused the good file"
ok "lvsd -t checks every checker option, with file:line"

SOCK=$T/lvsd.sock
LOG=$T/lvsd.log
NS_LOG=$LOG ns_bg lb "$B/lvsd" -n -v --no-ipvs -c "$T/lvsd.ini" -S "$SOCK" \
	--state-file "$T/state"
LVSD=$NS_LAST_PID
t_start=$(date +%s.%N)
wait_for 10 test -S "$SOCK" || { cat "$LOG"; fail "lvsd did not start"; }

health() { # RS (addr:port) VS -> up/down
	"$B/lvsctl" -s "$SOCK" status | awk -v rs="$1" -v vs="($2)" '
		/^[A-Z]/ { cur = $NF } $2 == rs && cur == vs { print $7 }'
}
expect_down() { # port reason-regex
	grep -Eq "real server $BE:$1 \(web\) down: $2" "$LOG" ||
		{ cat "$LOG"; fail "no 'down: $2' for $1"; }
}
is_down() { [ "$(health "$1" "$2")" = down ]; }
down_count() { grep -c "real server $1 ($2) down" "$LOG" || true; }

# Every bad backend is down within connect_timeout x (retry+1) +
# delay_before_retry x retry + read timeouts + margin.
all_down() {
	for p in 8002 8003 8004 8005 8006 8007; do
		[ "$(health $BE:$p web)" = down ] || return 1
	done
	[ "$(health 10.77.0.99:80 web)" = down ] && [ "$(health $BE:8007 tcp)" = down ]
}
wait_for 8 all_down || { cat "$LOG"; "$B/lvsctl" -s "$SOCK" status; fail "bad backends not all down"; }
t_down=$(date +%s.%N)
ok "all bad backends down after $(echo "$t_down - $t_start" | bc) s"

expect_down 8002 "HTTP 500 after 1 retry"
expect_down 8003 "closed without an answer after 1 retry"
expect_down 8004 "no answer after 1.0 s after 1 retry"
expect_down 8005 "incomplete answer after 1.5 s after 1 retry"
expect_down 8006 "digest mismatch \(body MD5 $(printf 'a6\n' | md5sum | cut -d' ' -f1)\) after 1 retry"
expect_down 8007 "connection refused after 1 retry"
grep -q "real server 10.77.0.99:80 (web) down: connect timeout after 1.0 s after 1 retry" "$LOG" ||
	{ cat "$LOG"; fail "no connect timeout for 10.77.0.99"; }
grep -q "real server $BE:8007 (tcp) down: connection refused$" "$LOG" ||
	{ cat "$LOG"; fail "TCP check of a closed port: no 'connection refused' (retry 0)"; }
ok "each failure is logged once with its reason and retry count"

for rs in "$BE:8001 web" "$BE:8001 web2" "$BE:8008 web" "$BE:8010 web" "$BE:8001 tcp"; do
	set -- $rs
	[ "$(health "$1" "$2")" = up ] || { cat "$LOG"; fail "$1 ($2) is not up"; }
	[ "$(down_count "$1" "$2")" = 0 ] || fail "$1 ($2) went down"
done
ok "good backends up (status codes, digest, two URLs over HTTP/1.1, TCP)"

[ -e "$T/notified-down-8002" ] || fail "notify_down did not run"
ok "notify_down ran (no shell)"

grep -q "^/health www.example.test$" "$T/req-8001.log" || fail "virtualhost not sent as Host"
grep -q "^/two www.example.test$" "$T/req-8008.log" || fail "virtualhost not sent for a second URL"
grep -q "^/ 10.77.0.2:8008$" "$T/req-8008.log" || fail "no Host: ADDR:PORT without virtualhost"
ok "Host header: the virtual server's virtualhost, else the target address"

# One shared check for 8001 under "web" and "web2": about one request per
# delay_loop, not two.
n0=$(wc -l <"$T/req-8001.log"); sleep 4; n1=$(wc -l <"$T/req-8001.log")
[ $((n1 - n0)) -ge 3 ] && [ $((n1 - n0)) -le 5 ] ||
	fail "8001 got $((n1 - n0)) checks in 4 s (a shared check should make 4)"
ok "one check for a real server shared by two virtual servers ($((n1 - n0)) in 4 s)"

# 8010 goes bad: down within delay_loop + delay_before_retry x retry +
# margin, and not before a retry (>= delay_before_retry).
kill -USR1 "$PID_8010"
t0=$(date +%s%N)
wait_for 6 is_down $BE:8010 web ||
	{ cat "$LOG"; fail "8010 not detected down"; }
dt=$((($(date +%s%N) - t0) / 1000000))
[ "$dt" -ge 400 ] && [ "$dt" -le 3500 ] || fail "8010 down after $dt ms (expected 500..3000 ms)"
expect_down 8010 "HTTP 500 after 1 retry"
ok "a backend going bad is down after $dt ms (delay_loop 1 s, 1 retry 0.5 s apart)"
kill -USR1 "$PID_8010"
t0=$(date +%s%N)
wait_for 4 grep -q "real server $BE:8010 (web) up: HTTP 200" "$LOG" || fail "8010 did not come back"
dt=$((($(date +%s%N) - t0) / 1000000))
[ "$dt" -le 1500 ] || fail "8010 up after $dt ms (one success, within delay_loop)"
wait_for 5 test -e "$T/notified-up-8010" || fail "notify_up did not run (5 s after the up line)"
ok "back up after one success, $dt ms"

# A reload with the same file keeps every check and its state: no new
# transitions, no second "down" for 8002.
kill -HUP "$LVSD"
wait_for 5 grep -q "reload: no changes" "$LOG" || fail "reload not done"
sleep 2.5
[ "$(down_count "$BE:8002" web)" = 1 ] || { cat "$LOG"; fail "8002 went down again after a reload"; }
[ "$(health $BE:8002 web)" = down ] || fail "8002 came up after a reload"
[ "$(health $BE:8001 web)" = up ] || fail "8001 went down after a reload"
ok "reload keeps the checks and their state"

# A state change is logged once: 8002 fails every second, one line.
[ "$(down_count "$BE:8002" web)" = 1 ] || fail "8002's down logged more than once"
ns_stop "$LVSD"
grep -q "notify program .*exited\|killed" "$LOG" && { cat "$LOG"; fail "a notify program failed"; }
# Under SAN=address,undefined: nothing reported at exit either.
grep -q "AddressSanitizer\|LeakSanitizer\|runtime error" "$LOG" && { cat "$LOG"; fail "sanitizer report"; }
echo "PASS: checks"
