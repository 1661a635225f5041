#!/usr/bin/env bash
# bench_state.sh — `make bench-state`: the cost of the operator state file,
# on the host with the real lvsd --no-ipvs (no kernel work, no peer to
# compare with: keepalived keeps no operator state; lvsd's figures only,
# against issue 14 goal 6: start-up <= 1 s, one change <= 5 ms).
#  - start-up: 10,000 real servers configured, the state file holding
#    100,000 entries of servers no longer configured (kept for
#    operator_grace): from exec to the first answer on the control socket,
#    against the same start with an empty state file;
#  - one `lvsctl weight` with 10,000 real servers and 6,800 operator
#    overrides: the median and max of STATE_CHANGES (20) changes, each one
#    a journal line appended to the state file (fdatasync'd) and a
#    reconcile; beside it the median of a no-op `lvsctl counters` taken
#    just before each (the cost of running lvsctl), and the difference;
#    then the daemon's own cost without starting a process: the same
#    requests sent on the control socket from one python3 process,
#    timed from connect to the reply's end (median of 200 each).
# Env: STATE_RS (10000), STATE_STALE (100000), STATE_OVERRIDES (6800),
# STATE_CHANGES (20).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build}
NRS=${STATE_RS:-10000} NSTALE=${STATE_STALE:-100000}
NOVR=${STATE_OVERRIDES:-6800} NCH=${STATE_CHANGES:-20}
for f in "$B/lvsd" "$B/lvsctl"; do
	[ -x "$f" ] || { echo "SKIP: $f not built"; exit 77; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/lvsd-bench-state.XXXXXX")
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# 100 real servers per virtual server; the stale entries name a virtual
# server "gone" that the configuration does not have.
python3 - "$NRS" "$NSTALE" "$NOVR" "$T" <<'EOF'
import sys
nrs, nstale, novr, t = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def rs(i):
    return "10.%d.%d.%d" % (i // 62500, (i // 250) % 250, 1 + i % 250)
with open(t + "/lvsd.ini", "w") as c:
    c.write("[global]\nlog_level = notice\n\n")
    for v in range((nrs + 99) // 100):
        c.write("[virtual_server vs%d]\naddress = 192.168.%d.%d:80\nscheduler = wlc\n\n"
                % (v, v // 250, 1 + v % 250))
    for i in range(nrs):
        c.write("[real_server vs%d %s:80]\nweight = 1\n" % (i // 100, rs(i)))
with open(t + "/stale", "w") as s:
    for i in range(nstale):
        s.write("rs gone %s:8080 cfgweight=1 admin=drain\n" % rs(i))
with open(t + "/overrides", "w") as s:
    for i in range(novr):
        s.write("rs vs%d %s:80 cfgweight=1 weight=2\n" % (i // 100, rs(i)))
EOF

now() { date +%s%N; }
ms() { echo "scale=1; ($2 - $1) / 1000000" | bc; }
ctl() { "$B/lvsctl" -s "$T/sock" "$@"; }

start() { # STATE-FILE -> PID, MS: the ms until the socket answers
	local t0 t1 i
	t0=$(now)
	"$B/lvsd" -n --no-ipvs -c "$T/lvsd.ini" -P "$B/plugins" -S "$T/sock" \
		--state-file "$1" >>"$T/lvsd.log" 2>&1 &
	PID=$!
	for i in $(seq 30000); do # 600 s at most
		ctl counters >/dev/null 2>&1 && break
		kill -0 "$PID" 2>/dev/null || { tail "$T/lvsd.log"; echo "FAIL: lvsd died"; exit 1; }
		sleep 0.02
	done
	t1=$(now)
	ctl counters >/dev/null || { echo "FAIL: lvsd did not answer"; exit 1; }
	MS=$(ms "$t0" "$t1")
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; rm -f "$T/sock"; }

: >"$T/empty"
start "$T/empty"; base=$MS; stop
cp "$T/stale" "$T/state"
start "$T/state"; with=$MS; stop
echo "keepalived keeps no operator state: lvsd's figures only"
echo "start-up, $NRS real servers: ${base} ms with an empty state file," \
	"${with} ms with $NSTALE stale entries (goal <= 1000 ms)"

cp "$T/overrides" "$T/state"
start "$T/state"
t0=$(now); ctl counters >/dev/null; t1=$(now)
rtt=$(ms "$t0" "$t1")
times=() noops=()
for i in $(seq "$NCH"); do
	t0=$(now)
	ctl counters >/dev/null
	t1=$(now)
	ctl weight vs1 10.0.0.$((101 + i % 100)):80 $((3 + i % 5)) >/dev/null
	t2=$(now)
	noops+=("$(ms "$t0" "$t1")")
	times+=("$(ms "$t1" "$t2")")
done
# The same, on the socket (no lvsctl process): the request's round trip.
sock_rtt=$(python3 - "$T/sock" <<'PY'
import socket, statistics, sys, time
def rtt(line):
    t0 = time.perf_counter()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    s.sendall(b"v1 " + line.encode() + b"\n")
    reply = b""
    while True:
        b = s.recv(65536)
        if not b:
            break
        reply += b
    s.close()
    ms = (time.perf_counter() - t0) * 1000
    if reply.startswith(b"error") or b"usage" in reply[:64]:
        sys.exit("request %r failed: %r" % (line, reply[:200]))
    return ms
noop = [rtt("counters") for _ in range(200)]
chg = [rtt("weight vs1 10.0.0.%d:80 %d" % (101 + i % 100, 3 + i % 5)) for i in range(200)]
print("%.2f %.2f %.2f" % (statistics.median(noop), statistics.median(chg), max(chg)))
PY
)
stop
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
max() { printf '%s\n' "$@" | sort -n | tail -1; }
med=$(median "${times[@]}") noop=$(median "${noops[@]}")
echo "one lvsctl weight, $NRS real servers, $NOVR overrides:" \
	"median $med ms, max $(max "${times[@]}") ms ($NCH changes; first lvsctl counters: $rtt ms)"
echo "  a no-op lvsctl counters before each: median $noop ms; the change beyond it:" \
	"$(echo "scale=1; $med - $noop" | bc) ms"
read -r s_noop s_chg s_max <<<"$sock_rtt"
echo "one weight change on the control socket (no process start), 200 changes:" \
	"median $s_chg ms, max $s_max ms; a no-op counters: median $s_noop ms (goal <= 5 ms)"
