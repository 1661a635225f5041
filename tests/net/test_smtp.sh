#!/usr/bin/env bash
# test_smtp.sh — the seed's notification_email / smtp_server: when a real
# server's check fails, an alert reaches a real SMTP server (loopback).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/topo.sh
ns_init
mail=$NS_TMP/mail; mkdir -p "$mail"
port=$((20000 + RANDOM % 20000))
NS_LOG=$NS_TMP/sink.log ns_bg - python3 tests/lib/smtpsink.py "$port" "$mail"
wait_for 10 tcp_open 127.0.0.1 $port ||
	fail "SMTP sink did not start"
hport=$((port + 1))
NS_LOG=$NS_TMP/httpd.log ns_bg - "${HTTPD[@]}" --bind 127.0.0.1 --port "$hport" --name b1
httpd=$NS_LAST_PID
wait_for 10 tcp_open 127.0.0.1 $hport
cat >"$NS_TMP/lvsd.ini" <<EOF
[global]
router_id = LVS_Server
notification_email = root@example.invalid
notification_email = noc@example.invalid
notification_email_from = lvsd@example.invalid
smtp_server = 127.0.0.1:$port
smtp_connect_timeout = 5

[virtual_server web]
address = 192.0.2.1:80
delay_loop = 1
[real_server web 127.0.0.1:$hport]
check = TCP
connect_timeout = 1
retry = 0
EOF
lvsd_start "$NS_TMP/lvsd.ini" --no-ipvs
ns_stop "$httpd"
wait_for 20 sh -c "ls '$mail'/*.eml" || { cat "$LVSD_LOG"; fail "no alert mail"; }
grep -q "^Subject: \[LVS_Server\] real server 127.0.0.1:$hport (web) down" "$mail/1.eml" ||
	fail "wrong subject: $(grep Subject "$mail/1.eml")"
grep -qi 'RCPT TO:<noc@example.invalid>' "$mail/1.env" || fail "a recipient is missing"
grep -q 'MAIL FROM:<lvsd@example.invalid>' "$mail/1.env" || fail "wrong sender"
grep -q "is down" "$mail/1.eml" || fail "no body"
ok "real server down -> mail to both recipients"
