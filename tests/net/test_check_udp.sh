#!/usr/bin/env bash
# tests/net/test_check_udp.sh — the UDP_CHECK checker against real UDP
# servers in a namespace (socat: an echo, a fixed answer, one that never
# answers) and a closed port (the kernel's ICMP port unreachable). Asserts
# the health, the detail in `lvsctl status` and the log line of each.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/checktest.sh
ck_begin plugins/check_udp.so -- socat

# The real server answers every closed-port probe: the kernel's ICMP rate
# limit (1/s per peer, lvsd.ini(5) UDP_CHECK) would turn some into silence.
ns_exec be sysctl -qw net.ipv4.icmp_ratelimit=0
# -T: a forked child ends soon after its answer, so a stopped server's
# port is really closed.
echo_server() {
	NS_LOG=$T/echo.log ns_bg be socat -T 0.3 UDP4-RECVFROM:5001,bind=$BE,reuseaddr,fork PIPE
	PID_ECHO=$NS_LAST_PID
}
echo_server
NS_LOG=$T/fixed.log ns_bg be socat -T 0.3 UDP4-RECVFROM:5002,bind=$BE,reuseaddr,fork SYSTEM:"printf xyz"
NS_LOG=$T/silent.log ns_bg be socat -u UDP4-RECV:5003,bind=$BE,reuseaddr OPEN:/dev/null,wronly
udp_up() { ns_exec be ss -Hlun "sport = :$1" | grep -q .; }
for p in 5001 5002 5003; do wait_for 10 udp_up $p || fail "UDP server $p did not start"; done

ck_snmp || echo "note: no snmpd, the SNMP part is skipped"
cat >"$T/lvsd.ini" <<EOF2
[global]
plugin_dir = $B/plugins
log_level = info
$(ck_snmp_global)

[virtual_server u]
address = 192.168.78.1:53
protocol = UDP
scheduler = rr
delay_loop = 1
retry = 0
connect_timeout = 2

[real_server u $BE:5001]
check = UDP_CHECK
payload = 6c7673 64 0a
require_reply = 6C76xx

[real_server u $BE:5002]
check = UDP_CHECK
payload = 01
require_reply = 7879
min_reply_length = 3
max_reply_length = 3

[real_server u $BE:5003]
check = UDP_CHECK
payload = 01

[real_server u $BE:5004]
check = UDP_CHECK

[virtual_server v]
address = 192.168.78.2:53
protocol = UDP
scheduler = rr
delay_loop = 1
retry = 0
connect_timeout = 2

[real_server v $BE:5001]
check = UDP_CHECK
payload = 6c7673640a
require_reply = ffff

[real_server v $BE:5002]
check = UDP_CHECK
require_reply = yes
min_reply_length = 10

[real_server v $BE:5003]
check = UDP_CHECK
require_reply = yes

[real_server v $BE:5004]
check = UDP_CHECK
require_reply = yes
EOF2

cat >"$T/bad.ini" <<EOF2
[global]
plugin_dir = $B/plugins
[virtual_server v]
address = 192.168.78.1:53
protocol = UDP
[real_server v $BE:53]
check = UDP_CHECK
payload = 12zz
require_reply = maybe
min_reply_length = -1
max_reply_length = 70000
path = /
EOF2
out=$("$B/lvsd" -t -c "$T/bad.ini" 2>&1) && fail "lvsd -t accepted bad UDP_CHECK options"
for want in "bad.ini:8:.*payload.*'z' is not a hex digit" "bad.ini:9:.*require_reply" \
	"bad.ini:10:.*min_reply_length" "bad.ini:11:.*max_reply_length" "bad.ini:12:.*unknown key 'path'.*UDP_CHECK"; do
	grep -q "$want" <<<"$out" || { echo "$out"; fail "lvsd -t: no error matching '$want'"; }
done
ok "lvsd -t checks every UDP_CHECK option, with file:line"

ck_start
ck_expect $BE:5001 u up "reply of 5 bytes"
ck_expect $BE:5002 u up "reply of 3 bytes"
ok "a reply matching the pattern (x: any nibble) and the length: up"
ck_expect $BE:5003 u up "no ICMP error in 2.0 s"
ok "no reply required and no ICMP error: up (keepalived's rule)"
ck_expect $BE:5004 u down "port unreachable \(ICMP\)"
ck_expect $BE:5004 v down "port unreachable \(ICMP\)"
ok "closed port: down (ICMP port unreachable), with and without require_reply"
ck_expect $BE:5001 v down "reply differs at byte 0 \(0x6c\)"
ck_expect $BE:5002 v down "reply of 3 bytes \(want 10..255\)"
ck_expect $BE:5003 v down "no reply after 2.0 s"
ok "wrong reply, short reply, no reply: down with the reason"
ck_snmp_expect "port unreachable \\(ICMP\\)"
ck_snmp_expect "reply differs at byte 0"
ok "SNMP: lvsdRsLastCheckResult gives the UDP reasons"

ns_stop "$PID_ECHO"
wait_for 5 bash -c "! ip netns exec $(ns be) ss -Hlun 'sport = :5001' | grep -q ." || fail "echo port still open"
ck_expect $BE:5001 u down "port unreachable \(ICMP\)"
echo_server
ck_expect $BE:5001 u up "reply of 5 bytes"
ok "echo server stopped: down; started again: up"
! grep -q "real server $BE:5004 (u) up" "$LOG" || { cat "$LOG"; fail "the closed port came up"; }
ok "the closed port stayed down every check"
ck_finish udp_check
