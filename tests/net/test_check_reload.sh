#!/usr/bin/env bash
# tests/net/test_check_reload.sh — a reload that brings in a real server
# whose check the checker refuses (MISC_CHECK without misc_path, SSL_GET's
# certificate without key) is refused as a whole: `lvsctl reload` fails
# (FILE:LINE and the checker's reason in the log), the running configuration
# stays (the new real server is not in service, unchecked), and nothing
# says "out of memory".
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/checktest.sh
ck_begin plugins/check_misc.so plugins/check_ssl.so
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/k.pem" -out "$T/c.pem" -days 1 -subj /CN=x 2>/dev/null

base() {
	cat <<EOF2
[global]
plugin_dir = $B/plugins
log_level = info

[virtual_server v]
address = 192.168.78.1:80
scheduler = rr
delay_loop = 0.5

[real_server v 127.0.0.1:2]
check = TCP
EOF2
}
base >"$T/lvsd.ini"
ck_start

for extra in "check = MISC_CHECK|misc_timeout = 2|MISC_CHECK: misc_path is required" \
	"check = SSL_GET|certificate = $T/c.pem|SSL_GET: certificate and key go together"; do
	IFS='|' read -r k1 k2 want <<<"$extra"
	{ base; printf '\n[real_server v %s:81]\n%s\n%s\n' "$BE" "$k1" "$k2"; } >"$T/lvsd.ini"
	if "$B/lvsctl" -s "$SOCK" reload >"$T/reload.out" 2>&1; then
		cat "$T/reload.out"; cat "$LOG"; fail "reload with a refused check succeeded"
	fi
	grep -q "lvsd.ini:13: real server $BE:81 (v): $want" "$LOG" ||
		{ cat "$T/reload.out" "$LOG"; fail "reload: no FILE:LINE '$want'"; }
	! ck_status | grep -q "$BE:81" || { ck_status; fail "the refused real server is in service"; }
	ok "reload refused: $want"
done
! grep -q "out of memory\|refused the check\|not checked" "$LOG" || { cat "$LOG"; fail "misleading log line"; }
# the same file is also refused by -t, with the same line
! "$B/lvsd" -t -c "$T/lvsd.ini" >"$T/t.out" 2>&1 || fail "lvsd -t took it"
grep -q "lvsd.ini:13: real server $BE:81 (v): SSL_GET: certificate and key go together" "$T/t.out" ||
	{ cat "$T/t.out"; fail "lvsd -t: no FILE:LINE"; }
ck_finish test_check_reload
