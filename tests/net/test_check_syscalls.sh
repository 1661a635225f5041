#!/usr/bin/env bash
# tests/net/test_check_syscalls.sh — the system calls of health checks on
# their success path (issue 14, goal 1), counted by strace in the check
# process: no getsockopt(SO_ERROR) when the event tells (TCP_CHECK,
# HTTP_GET), no fcntl (SOCK_NONBLOCK|SOCK_CLOEXEC at socket()), no
# shutdown, and one epoll_ctl ADD per socket with no EPOLL_CTL_MOD, also
# when the connection is not up yet when the request is sent: nft in the
# backend's namespace drops the first SYN of each connection to two ports,
# so that connect() there waits for the retransmission and HTTP_GET takes its edge-triggered
# path (LVSD_IO_ET: writable, then readable, one watch), there with an
# answer at once and one 0.3 s later.
# Counts of calls by name only: nothing here is timed.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/checktest.sh
ck_begin plugins/check_http.so plugins/check_tcp.so tests/httpd -- strace nft

httpd() { # PORT ARGS...
	local port=$1; shift
	NS_LOG=$T/httpd-$port.out ns_bg be "$B/tests/httpd" --bind $BE --port "$port" "$@"
}
httpd 8001 --name near
httpd 8002 --name far
httpd 8003 --name late --delay 0.3
for p in 8001 8002 8003; do
	wait_for 10 ns_exec lb bash -c "exec 3<>/dev/tcp/$BE/$p" || fail "httpd $p did not start"
done
# the first SYN of each connection to 8002 and 8003 is dropped: connect()
# there waits ~1 s for the SYN's retransmission (same source port)
ns_exec be nft -f - <<'EOF'
table inet lossy {
	set seen {
		type inet_service; flags dynamic, timeout; timeout 30s;
	}
	chain input {
		type filter hook input priority 0;
		tcp dport { 8002, 8003 } tcp flags & (syn | ack) == syn tcp sport != @seen add @seen { tcp sport } drop
	}
}
EOF

{
	printf '[global]\nplugin_dir = %s/plugins\nlog_level = info\n\n' "$B"
	printf '[virtual_server w]\naddress = 192.168.79.1:80\nscheduler = rr\n'
	printf 'delay_loop = 1\nretry = 0\nconnect_timeout = 5\n\n'
	printf '[real_server w %s:8001]\ncheck = HTTP_GET\npath = /\nstatus_code = 200\n\n' $BE
	printf '[real_server w %s:8002]\ncheck = HTTP_GET\npath = /\nstatus_code = 200\n\n' $BE
	printf '[real_server w %s:8003]\ncheck = HTTP_GET\npath = /\nstatus_code = 200\n\n' $BE
	printf '[virtual_server t]\naddress = 192.168.79.2:80\nscheduler = rr\n'
	printf 'delay_loop = 1\nretry = 0\nconnect_timeout = 5\n\n'
	printf '[real_server t %s:8001]\ncheck = TCP\n\n' $BE
	printf '[real_server t %s:8002]\ncheck = TCP\n' $BE
} >"$T/lvsd.ini"
ck_start
ck_expect $BE:8001 w up "HTTP 200"
ck_expect $BE:8002 w up "HTTP 200"
ck_expect $BE:8003 w up "HTTP 200"
ck_expect $BE:8001 t up "connected"
ck_expect $BE:8002 t up "connected"
ok "HTTP_GET and TCP up: near, behind lost SYNs, with a late answer"

line() { ck_status | grep '^check process:'; }
cpid() { line | sed -nE 's/^check process: pid ([0-9]+), .* up;.*/\1/p'; }
wait_for 10 test -n "$(cpid)" || { ck_status; fail "no check process in lvsctl status"; }
C=$(cpid)
# every call of the check process over 6 s (a few runs of each check)
timeout -s INT 6 strace -f -qq -o "$T/trace" -p "$C" >/dev/null 2>&1 || true
count() { grep -c "$1" "$T/trace" || true; }
conn=$(count ' connect(')
[ "$conn" -ge 10 ] || { cat "$T/trace"; fail "only $conn connect() calls traced in 6 s"; }
grep -q ' = -1 EAGAIN' <(grep -E ' send(to)?\(' "$T/trace") ||
	{ grep -E 'connect\(|send' "$T/trace"; fail "no request was sent before its connection was up: the lost SYNs did not work"; }
for call in getsockopt fcntl shutdown; do
	n=$(count " $call(")
	[ "$n" = 0 ] || { grep " $call(" "$T/trace" | head; fail "$n $call() calls on the success path"; }
done
mods=$(count 'EPOLL_CTL_MOD')
[ "$mods" = 0 ] || { grep -B3 'EPOLL_CTL_MOD' "$T/trace" | head -20; fail "$mods EPOLL_CTL_MOD calls (one ADD per socket wanted)"; }
adds=$(count 'EPOLL_CTL_ADD')
[ "$adds" -le $((conn + 1)) ] || fail "$adds EPOLL_CTL_ADD for $conn connects"
ok "$conn connects: no getsockopt, fcntl, shutdown nor EPOLL_CTL_MOD; $adds epoll_ctl ADD"
# still up after the trace: no run got lost on the edge-triggered path
sleep 3
for rs in "$BE:8001 w" "$BE:8002 w" "$BE:8003 w" "$BE:8002 t"; do
	set -- $rs
	[ "$(ck_health "$1" "$2")" = up ] || { cat "$LOG"; fail "$1 ($2) went down"; }
done
! grep -q "down:" "$LOG" || { cat "$LOG"; fail "a real server went down"; }
ok "every real server stayed up"
ck_finish test_check_syscalls
