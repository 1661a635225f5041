#!/usr/bin/env bash
# tests/net/test_metrics.sh — the OpenMetrics endpoint (metrics_listen):
# lvsd in a namespace with a virtual server of two real HTTP backends and
# a VRRP instance; its page passes `promtool check metrics` (the
# Prometheus text format, linted) and Debian's prometheus scrapes it over
# loopback (it asks for OpenMetrics first: its parser validates that
# format and its # EOF); the values, read through prometheus' query API,
# agree with `lvsctl status`: weights (configured, operator, effective),
# health after a backend is killed, check latency histogram, VRRP state
# and counters, reloads. Bad requests get 400/404/405 and a close, a head
# longer than 4 KiB 400, a scrape is served beside 20 idle connections
# (the oldest idle ones make room) and an idle one is closed within 5 s; lvsd answers on after all that.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
B=${B:-build}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
for c in curl python3 promtool; do
	command -v $c >/dev/null || { echo "SKIP: no $c (tools/deps.sh installs it)"; exit 77; }
done
for f in "$B/lvsd" "$B/lvsctl" "$B/plugins/check_tcp.so" "$B/plugins/vrrp_vrrp.so"; do
	[ -e "$f" ] || { echo "SKIP: $f not built"; exit 77; }
done

ns_init
T=$NS_TMP
ns_add lb
ns_add be
ns_link lb eth0 10.79.0.1/24 be eth0 10.79.0.2/24
BE=10.79.0.2
MPORT=$((20000 + RANDOM % 10000))
PPORT=$((MPORT + 1))
URL=http://127.0.0.1:$MPORT/metrics
for p in 8001 8002; do
	NS_LOG=$T/httpd-$p.out ns_bg be "${HTTPD[@]}" --bind $BE --port $p --name b$p
	eval "PID_$p=$NS_LAST_PID"
done
for p in 8001 8002; do
	wait_for 10 ns_exec be python3 -c "import socket; socket.create_connection(('$BE', $p), 1)" ||
		fail "backend $p did not start"
done
ns_exec lb ip link set lo up

cat >"$T/lvsd.ini" <<EOF
[global]
metrics_listen = 127.0.0.1:$MPORT
log_level = info

[virtual_server web]
address = 192.168.79.1:80
scheduler = wlc
delay_loop = 0.5
retry = 0
connect_timeout = 1

[real_server web $BE:8001]
weight = 3
check = TCP

[real_server web $BE:8002]
weight = 2
check = TCP

[vrrp VI_1]
state = BACKUP
interface = eth0
virtual_router_id = 79
priority = 100
advert_int = 0.5
version = 3
virtual_ipaddress = 10.79.0.100/24 dev eth0
EOF
"$B/lvsd" -t -P "$B/plugins" -c "$T/lvsd.ini" >/dev/null || fail "lvsd -t refused the config"
LSOCK=$T/lvsd.sock
NS_LOG=$T/lvsd.log ns_bg lb "$B/lvsd" -n -v --no-ipvs -P "$B/plugins" -c "$T/lvsd.ini" \
	-S "$LSOCK" --state-file "$T/state"
LVSD=$NS_LAST_PID
wait_for 10 test -S "$LSOCK" || { cat "$T/lvsd.log"; fail "lvsd did not start"; }
lvsctl() { "$B/lvsctl" -s "$LSOCK" "$@"; }
scrape() { ns_exec lb curl -s --max-time 5 "$@" "$URL"; }
wait_for 10 sh -c "'$B/lvsctl' -s '$LSOCK' status | grep -q 'vrrp VI_1: MASTER'" ||
	{ lvsctl status; fail "VI_1 did not become MASTER"; }
wait_for 10 sh -c "[ \"\$('$B/lvsctl' -s '$LSOCK' status | grep -c ' up ')\" = 2 ]" ||
	{ lvsctl status; fail "real servers not both up"; }
grep -q "metrics: serving http://127.0.0.1:$MPORT/metrics" "$T/lvsd.log" || fail "no 'serving' line in the log"

# --- the page: Prometheus text format 0.0.4, linted
scrape -D "$T/h1" -o "$T/page.txt" || fail "no answer on $URL"
grep -qi '^content-type: text/plain; version=0.0.4' "$T/h1" || { cat "$T/h1"; fail "content type"; }
out=$(promtool check metrics <"$T/page.txt" 2>&1) || { echo "$out"; fail "promtool check metrics refused the page"; }
[ -z "$out" ] || { echo "$out"; fail "promtool check metrics: lint problems"; }
ns_exec lb curl -s --max-time 5 -D "$T/h2" -o "$T/page.om" \
	-H 'Accept: application/openmetrics-text; version=1.0.0' "$URL"
grep -qi '^content-type: application/openmetrics-text' "$T/h2" || fail "OpenMetrics content type"
[ "$(tail -n 1 "$T/page.om")" = "# EOF" ] || fail "OpenMetrics page does not end with # EOF"
ok "GET /metrics: promtool check metrics clean; OpenMetrics on Accept, ends with # EOF"

# --- Debian's prometheus scrapes it (loopback of the namespace) and its
# query API gives the values
mkdir -p "$T/prom"
cat >"$T/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: lvsd
    static_configs:
      - targets: ['127.0.0.1:$MPORT']
EOF
NS_LOG=$T/prometheus.log ns_bg lb prometheus --config.file="$T/prometheus.yml" \
	--storage.tsdb.path="$T/prom" --web.listen-address=127.0.0.1:$PPORT
# expect SECONDS 'PROMQL=WANT'...: poll prometheus' query API (one process,
# in the namespace) until every query has exactly one series of that value
expect() {
	ns_exec lb python3 - "$PPORT" "$@" <<'PY'
import json, sys, time, urllib.parse, urllib.request
port, limit, checks = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
def q(expr):
    u = "http://127.0.0.1:%s/api/v1/query?%s" % (port, urllib.parse.urlencode({"query": expr}))
    try:
        r = json.load(urllib.request.urlopen(u, timeout=3))["data"]["result"]
    except Exception as e:
        return "error: %s" % e
    return r[0]["value"][1] if len(r) == 1 else "%d series" % len(r)
deadline = time.monotonic() + limit
for c in checks:
    expr, want = c.rsplit("=", 1)
    while True:
        v = q(expr)
        if v == want:
            break
        if time.monotonic() > deadline:
            sys.exit("%s = %s, expected %s" % (expr, v, want))
        time.sleep(0.25)
PY
}
expect 30 'up{job="lvsd"}=1' || { tail -5 "$T/prometheus.log"; fail "prometheus did not scrape lvsd"; }
fmt=$(ns_exec lb curl -s --max-time 3 "http://127.0.0.1:$PPORT/api/v1/targets" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["activeTargets"][0].get("lastError",""))')
[ -z "$fmt" ] || fail "prometheus' scrape error: $fmt"
rs1="vs=\"web\",rs=\"$BE:8001\"" rs2="vs=\"web\",rs=\"$BE:8002\""
status_w() { lvsctl status | awk -v rs="$1" '$2 == rs {print $4}'; }
expect 10 "lvsd_real_server_effective_weight{$rs1}=$(status_w $BE:8001)" \
	"lvsd_real_server_weight{$rs1,input=\"configured\"}=3" \
	"lvsd_real_server_up{$rs2}=1" \
	'lvsd_vrrp_state{vrrp_instance="VI_1",state="master"}=1' \
	'lvsd_vrrp_state{vrrp_instance="VI_1",state="backup"}=0' \
	'lvsd_vrrp_became_master_total{vrrp_instance="VI_1"}=1' \
	"lvsd_real_server_check_latency_seconds_count{$rs1} > bool 0=1" || fail "values differ"
python3 - "$T/page.txt" <<'EOF' || fail "histogram buckets are not cumulative or +Inf differs from _count"
import re, sys
b, c = {}, {}
for line in open(sys.argv[1]):
    m = re.match(r'lvsd_real_server_check_latency_seconds_(bucket|count)\{(.*?)(?:,le="([^"]+)")?\} (\S+)$', line)
    if not m:
        continue
    kind, labels, le, v = m.groups()
    if kind == "bucket":
        b.setdefault(labels, []).append(float(v))
    else:
        c[labels] = float(v)
assert b and all(l == sorted(l) for l in b.values())
assert all(b[k][-1] == c[k] for k in c)
EOF
ok "prometheus scrapes it; weights, health, VRRP state, latency histogram as lvsctl says"

# --- operator weight, a dead backend, a reload
lvsctl weight web $BE:8001 7 >/dev/null || fail "lvsctl weight"
expect 10 "lvsd_real_server_weight{$rs1,input=\"operator\"}=7" \
	"lvsd_real_server_effective_weight{$rs1}=7" || fail "operator weight"
kill "$PID_8002"
wait_for 10 sh -c "'$B/lvsctl' -s '$LSOCK' status | grep '$BE:8002' | grep -q ' down '" ||
	{ lvsctl status; fail "8002 not down in lvsctl status"; }
lvsctl reload >/dev/null || fail "reload refused"
expect 10 "lvsd_real_server_up{$rs2}=0" \
	"lvsd_real_server_effective_weight{$rs2}=$(status_w $BE:8002)" \
	"lvsd_real_server_transitions_total{$rs2}=1" \
	'lvsd_reloads_total{result="ok"}=1' || fail "a killed backend, a reload"
ok "operator weight, a killed backend (down, weight $(status_w $BE:8002)) and a reload show up"

# --- bad requests: 400/404/405 and a close; bounds
raw() { # BYTES: send, print the status line, check the server closed
	ns_exec lb python3 - "$MPORT" "$1" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2)
s.settimeout(8)
s.sendall(sys.argv[2].encode().decode("unicode_escape").encode("latin-1"))
data = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    data += d
print(data.split(b"\r\n", 1)[0].decode() if data else "closed")
EOF
}
[ "$(raw 'POST /metrics HTTP/1.1\r\nHost: x\r\n\r\n')" = "HTTP/1.1 405 Method Not Allowed" ] || fail "POST not 405"
[ "$(raw 'GET /nope HTTP/1.1\r\n\r\n')" = "HTTP/1.1 404 Not Found" ] || fail "/nope not 404"
[ "$(raw 'GET /metrics HTTP/2.0\r\n\r\n')" = "HTTP/1.1 400 Bad Request" ] || fail "HTTP/2.0 not 400"
[ "$(raw 'GET /metrics HTTP/1.1\r\nno colon here\r\n\r\n')" = "HTTP/1.1 400 Bad Request" ] || fail "bad header not 400"
[ "$(raw 'GET /metrics HTTP/1.1\r\nX: a\x00b\r\n\r\n')" = "HTTP/1.1 400 Bad Request" ] || fail "NUL not 400"
[ "$(raw "GET /metrics HTTP/1.1\\r\\nX: $(head -c 5000 /dev/zero | tr '\0' a)\\r\\n\\r\\n")" = "HTTP/1.1 400 Bad Request" ] ||
	fail "a 5000-byte head not 400"
[ "$(raw 'GET /metrics?x=1 HTTP/1.0\r\n\r\n')" = "HTTP/1.1 200 OK" ] || fail "a query string, HTTP/1.0: not 200"
ns_exec lb python3 - "$MPORT" <<'EOF' || fail "connection bounds"
import socket, sys, time
port = int(sys.argv[1])
# 20 idle connections (more than the 8 served at once) do not keep a
# scrape out: the oldest idle ones are closed to make room (F14).
idle = []
for _ in range(20):
    idle.append(socket.create_connection(("127.0.0.1", port), 2))
    time.sleep(0.02)
time.sleep(0.3)
t0 = time.monotonic()
scrape = socket.create_connection(("127.0.0.1", port), 2)
scrape.sendall(b"GET /metrics HTTP/1.0\r\n\r\n")
scrape.settimeout(4)
head = scrape.recv(64)
assert head.startswith(b"HTTP/1.1 200 "), "a scrape beside 20 idle connections: %r after %.1f s" % (head, time.monotonic() - t0)
assert idle[0].recv(1) == b"", "the oldest idle connection was kept"
t0 = time.monotonic()
for s in idle:
    s.settimeout(10)
    try:
        assert s.recv(1) == b"", "an idle connection got data"
    except ConnectionResetError:
        pass
took = time.monotonic() - t0
assert took < 9, "idle connections held %.1f s" % took
EOF
scrape -o /dev/null -w '%{http_code}' | grep -q 200 || fail "no answer after the bad requests"
kill -0 "$LVSD" || fail "lvsd died"
ok "bad requests: 405, 404, 400 (version, header, NUL, > 4 KiB); a scrape served beside 20 idle connections, idle ones closed within 5 s"
