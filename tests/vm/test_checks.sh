#!/usr/bin/env bash
# test_checks.sh (VM) — HTTP_GET checks against the seed's NAT topology with
# real IPVS: a stopped backend leaves `ipvsadm -Ln` within connect_timeout x
# (retry+1) + delay_before_retry x retry + delay_loop, clients then see no
# failed request, and it comes back when restarted; with both backends
# down the sorry server answers, and leaves again when they return.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/topo.sh
[ -r /proc/net/ip_vs ] || { echo "SKIP: no IPVS (run through tools/vm/run)"; exit 77; }
ns_init
TOPO_BACKENDS=3 topo_nat # backend03 is the sorry server, never checked
cfg=$NS_TMP/lvsd.ini
cat >"$cfg" <<EOF
[virtual_server web]
address = 192.168.0.30:80
scheduler = rr
delay_loop = 1
retry = 1
delay_before_retry = 0.5
connect_timeout = 1
sorry_server = 10.0.0.53:80
[real_server web 10.0.0.51:80]
check = HTTP_GET
path = /
status_code = 200
[real_server web 10.0.0.52:80]
check = HTTP_GET
path = /
status_code = 200
EOF
# The bound a user would compute, plus a margin for an emulated VM.
LIMIT_MS=$(((1000 * 2 + 500 * 1 + 1000) + 2500))

in_ipvs() { ipvsadm -Ln | grep -q -- "-> $1:80 "; }
not_in_ipvs() { ! in_ipvs "$1"; }
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
# requests N: N requests from the client; prints "ok failed backends..."
requests() {
	ns_exec client python3 - "$1" <<-'PY'
	import sys, urllib.request
	ok = bad = 0; seen = set()
	for i in range(int(sys.argv[1])):
	    try:
	        seen.add(urllib.request.urlopen("http://192.168.0.30/", timeout=2).read().decode().strip())
	        ok += 1
	    except Exception:
	        bad += 1
	print(ok, bad, *sorted(seen))
	PY
}
restart_httpd() { # b
	NS_LOG=$NS_TMP/httpd$1.again.log ns_bg backend0$1 "${HTTPD[@]}" \
		--port 80 --name Backend0$1
	eval "TOPO_HTTPD$1=$NS_LAST_PID"
	wait_for 60 ns_exec backend0$1 bash -c ". tests/lib/ns.sh; tcp_open 10.0.0.5$1 80" ||
		fail "backend0$1's HTTP server did not restart"
}

lvsd_start "$cfg"
wait_for 10 sh -c 'ipvsadm -Ln | grep -q -- "-> 10.0.0.51:80 " && ipvsadm -Ln | grep -q -- "-> 10.0.0.52:80 "' ||
	{ ipvsadm -Ln; cat "$LVSD_LOG"; fail "real servers not programmed"; }
not_in_ipvs 10.0.0.53 || fail "the sorry server is in use with quorum"
ok "both real servers in IPVS, no sorry server"

# Backend02's web server stops.
t0=$(date +%s%N)
ns_stop "$TOPO_HTTPD2"
wait_for 15 not_in_ipvs 10.0.0.52 || { cat "$LVSD_LOG"; fail "10.0.0.52 still in IPVS"; }
dt=$(ms_since "$t0")
[ "$dt" -le "$LIMIT_MS" ] || fail "10.0.0.52 left IPVS after $dt ms (limit $LIMIT_MS)"
grep -q "real server 10.0.0.52:80 (web) down: connection refused after 1 retry" "$LVSD_LOG" ||
	{ cat "$LVSD_LOG"; fail "no down line with its reason"; }
ok "stopped backend left IPVS after $dt ms (limit $LIMIT_MS)"
set -- $(requests 30)
[ "$1" = 30 ] && [ "$2" = 0 ] && [ "$3" = Backend01 ] && [ $# = 3 ] ||
	fail "after detection: $* (want 30 ok, 0 failed, Backend01 only)"
ok "after the detection window: 30 requests, 0 failed"

# It comes back when restarted: one success, within delay_loop (+ margin).
restart_httpd 2
t0=$(date +%s%N)
wait_for 10 in_ipvs 10.0.0.52 || { cat "$LVSD_LOG"; fail "10.0.0.52 did not come back"; }
dt=$(ms_since "$t0")
[ "$dt" -le 3500 ] || fail "10.0.0.52 came back after $dt ms (delay_loop 1 s)"
ok "restarted backend back in IPVS after $dt ms"
set -- $(requests 20)
[ "$*" = "20 0 Backend01 Backend02" ] ||
	fail "after return: $* (want 20 ok, 0 failed, both backends)"
ok "both backends answer again, 0 failed"

# Both stop: quorum (1) lost, the sorry server stands in.
ns_stop "$TOPO_HTTPD1"
ns_stop "$TOPO_HTTPD2"
wait_for 15 sh -c 'ipvsadm -Ln | grep -q -- "-> 10.0.0.53:80 "' ||
	{ ipvsadm -Ln; cat "$LVSD_LOG"; fail "sorry server not added"; }
wait_for 5 sh -c '! ipvsadm -Ln | grep -q -- "-> 10.0.0.5[12]:80 "' || fail "real servers left in"
grep -q "virtual server web: quorum lost.*sorry server 10.0.0.53:80 in use" "$LVSD_LOG" ||
	{ cat "$LVSD_LOG"; fail "quorum loss not logged"; }
set -- $(requests 10)
[ "$*" = "10 0 Backend03" ] || fail "with quorum lost: $* (want the sorry server)"
ok "quorum lost: the sorry server answers"
# lvsctl shows it, with the kernel's counters (read at most 1 s before)
lvsctl status | grep -q "^  sorry server 10.0.0.53:80 in use$" ||
	{ lvsctl status; fail "status: the sorry server in use not shown"; }
sorry_conns() { lvsctl status --stats | awk '$2 == "10.0.0.53:80" && $NF == "server" { print $3 }'; }
c=
for _ in $(seq 1 10); do c=$(sorry_conns); [ "${c:-0}" -ge 10 ] && break; sleep 1; done
[ "${c:-0}" -ge 10 ] || { lvsctl status --stats; ipvsadm -Ln --stats --exact; fail "status --stats: sorry server conns '${c:-}' (want >= 10)"; }
ok "lvsctl status / --stats show the sorry server in use and its kernel counters"
restart_httpd 1
restart_httpd 2
wait_for 15 sh -c 'ipvsadm -Ln | grep -q -- "-> 10.0.0.51:80 " && ! ipvsadm -Ln | grep -q -- "-> 10.0.0.53:80 "' ||
	{ ipvsadm -Ln; cat "$LVSD_LOG"; fail "quorum not regained"; }
grep -q "virtual server web: quorum regained" "$LVSD_LOG" || fail "quorum regain not logged"
ok "quorum regained: the sorry server leaves"
ns_stop "$LVSD_PID"
echo "PASS: checks (VM)"
