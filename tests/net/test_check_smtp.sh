#!/usr/bin/env bash
# tests/net/test_check_smtp.sh — the SMTP_CHECK checker against real SMTP
# servers in a namespace: the test SMTP server (tests/lib/smtpsink.py:
# multi-line EHLO answer, 221 to QUIT), and scripted peers behind socat
# for what a real MTA does when it refuses: a 554 banner, EHLO refused
# then HELO accepted, both refused, a QUIT without 221, a peer that never
# greets, one that is not SMTP, and a closed port. Asserts the health, the
# detail in `lvsctl status`, the log line of each, and the greeting sent.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/checktest.sh
ck_begin plugins/check_smtp.so tests/httpd -- socat python3

mkdir -p "$T/mail"
sink() {
	NS_LOG=$T/sink.log ns_bg be python3 tests/lib/smtpsink.py 2501 "$T/mail" $BE
	PID_SINK=$NS_LAST_PID
}
sink
scripted() { # PORT SHELL-SCRIPT (stdin: what the checker sends)
	printf '%s\n' "$2" >"$T/peer-$1.sh"
	NS_LOG=$T/peer-$1.log ns_bg be socat TCP-LISTEN:$1,bind=$BE,reuseaddr,fork EXEC:"/bin/sh $T/peer-$1.sh"
}
scripted 2502 "printf '554 5.3.2 no service here\r\n'; sleep 2"
scripted 2503 "printf '220 old ESMTP\r\n'; read l; printf '502 5.5.1 what\r\n'; read l; printf '250 hello\r\n'; read l; printf '221 bye\r\n'"
scripted 2504 "printf '220 picky\r\n'; read l; printf '550 no\r\n'; read l; printf '550 5.7.1 not you\r\n'; sleep 2"
scripted 2505 "printf '220-multi\r\n220 line banner\r\n'; read l; printf '250 ok\r\n'; read l"
scripted 2506 "sleep 5"
scripted 2507 "printf 'HTTP/1.0 400 Bad Request\r\n\r\n'; sleep 2"
for p in 2501 2502 2503 2504 2505 2506 2507; do
	wait_for 10 ns_exec lb bash -c "exec 3<>/dev/tcp/$BE/$p" || fail "server $p did not start"
done
sleep 0.5; rm -f "$T/mail/greetings" # the probes above

ck_snmp || echo "note: no snmpd, the SNMP part is skipped"
{
	printf '[global]\nplugin_dir = %s/plugins\nlog_level = info\n' "$B"
	ck_snmp_global
	echo
	printf '[virtual_server m]\naddress = 192.168.78.1:25\nscheduler = rr\n'
	printf 'delay_loop = 1\nretry = 0\nconnect_timeout = 2\n\n'
	printf '[real_server m %s:2501]\ncheck = SMTP_CHECK\nhelo_name = lb.example.test\n\n' $BE
	for p in 2502 2503 2504 2505 2506 2507 2508; do
		printf '[real_server m %s:%s]\ncheck = SMTP_CHECK\n\n' $BE $p
	done
} >"$T/lvsd.ini"

cat >"$T/bad.ini" <<EOF2
[global]
plugin_dir = $B/plugins
[virtual_server v]
address = 192.168.78.1:25
[real_server v $BE:25]
check = SMTP_CHECK
helo_name = two words
path = /
EOF2
out=$("$B/lvsd" -t -c "$T/bad.ini" 2>&1) && fail "lvsd -t accepted bad SMTP_CHECK options"
for want in "bad.ini:7:.*bad helo_name 'two words'" "bad.ini:8:.*unknown key 'path'"; do
	grep -q "$want" <<<"$out" || { echo "$out"; fail "lvsd -t: no error matching '$want'"; }
done
ok "lvsd -t checks every SMTP_CHECK option, with file:line"

ck_start
ck_expect $BE:2501 m up "SMTP 221 to QUIT"
wait_for 5 grep -q "^EHLO lb.example.test$" "$T/mail/greetings" ||
	fail "the SMTP server was not greeted with EHLO helo_name: $(cat "$T/mail/greetings")"
ok "banner, EHLO helo_name (multi-line answer), QUIT 221: up"
ck_expect $BE:2502 m down "SMTP 554 at the banner: 5.3.2 no service here"
ck_expect $BE:2503 m up "SMTP 221 to QUIT"
ok "a 554 banner: down; EHLO refused, HELO accepted: up"
ck_snmp_expect "SMTP 554 at the banner"
ck_snmp_expect "SMTP 221 to QUIT"
ok "SNMP: lvsdRsLastCheckResult gives the SMTP replies"
ck_expect $BE:2504 m down "SMTP 550 at HELO: 5.7.1 not you"
ck_expect $BE:2505 m down "closed before the answer to QUIT"
ok "EHLO and HELO refused: down; no clean QUIT: down"
ck_expect $BE:2506 m down "no SMTP banner after 2.0 s"
ck_expect $BE:2507 m down "not an SMTP reply at the banner"
ck_expect $BE:2508 m down "connection refused"
ok "no banner, not SMTP, closed port: down with the reason"

ns_stop "$PID_SINK"
# A check under way when the server dies sees it close or reset first (the
# down line gives that reason); the checks after it find the port closed.
ck_expect $BE:2501 m down "connection refused|closed before .*|connection reset at .*"
refused() { ck_detail $BE:2501 m | grep -q '^connection refused'; }
wait_for 10 refused || fail "$BE:2501: detail '$(ck_detail $BE:2501 m)', not 'connection refused'"
sink
ck_expect $BE:2501 m up "SMTP 221 to QUIT"
ok "SMTP server stopped: down; started again: up"
ck_finish smtp_check
