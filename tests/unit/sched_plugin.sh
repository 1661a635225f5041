#!/usr/bin/env bash
# sched_plugin.sh — the scheduler ABI 1.2 as the daemon uses it, with
# tests/abi/sched_probe.c and sched_flagtab.c: a flag table with a bit
# outside LVSD_SCHED_FLAG_MASK (or none), a name twice, a name with ',' or
# blanks or shadowing flag-N refuses the plugin at load; fini is called
# when init left *plugin NULL; bad scheduler options are FILE:LINE errors
# at -t; rs_attach per real server,
# rs_detach when a reload removes one or changes the options (which are
# applied then) and at stop, before fini; weigh_soon from the plugin's own
# timer re-weighs without a check or the drift repair; latency_sample_us
# tells each check's sample apart.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build}
t=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$t"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; for f in "$t"/*.log; do echo "== $f"; cat "$f"; done >&2; exit 1; }

mkdir -p "$t/plugins"
cc -std=gnu11 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden -Wl,-z,defs \
	-Icore/include -o "$t/plugins/probe.so" tests/abi/sched_probe.c ||
	fail "sched_probe.c does not build"
cp "$B"/plugins/check_tcp.so "$t/plugins/"

vs() { printf '[virtual_server web]\naddress = 192.168.0.30:80\nscheduler = probe\n%s' "$1"; }

# --- load: a bad flag table refuses the plugin, naming it and the fault;
# fini is called although init left *plugin NULL -----------------------
mkdir -p "$t/ft"
cp "$B"/plugins/check_tcp.so "$t/ft/"
ftab() { # N: build sched_flagtab.c with TABLE=N into $t/ft/flagtab.so
	cc -std=gnu11 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden -Wl,-z,defs \
		-Icore/include -DTABLE="$1" -o "$t/ft/flagtab.so" tests/abi/sched_flagtab.c ||
		fail "sched_flagtab.c does not build (TABLE=$1)"
}
printf '[virtual_server web]\naddress = 192.168.0.30:80\nscheduler = flagtab\nsched_flags = fallback\n[real_server web 10.0.0.51:80]\n' >"$t/ft.ini"
ftab 0
"$B/lvsd" -t -v -P "$t/ft" -c "$t/ft.ini" >"$t/ft.log" 2>&1 || fail "a good flag table refused"
grep -q "flagtab: fini plugin=NULL" "$t/ft.log" || fail "no fini when init set *plugin = NULL"
printf '[virtual_server web]\naddress = 192.168.0.30:80\nscheduler = rr\n[real_server web 10.0.0.51:80]\n' >"$t/ft2.ini"
cp "$B"/plugins/sched_rr.so "$t/ft/"
for n in 1 2 3 4 5 6 7; do
	ftab "$n"
	case $n in
	1) want="flag 'mixed': bits 0x4 (of 0xc) are outside LVSD_SCHED_FLAG_MASK 0x38" ;;
	2) want="flag 'none': sets no bit" ;;
	3) want="flag 'fallback': named twice in the flag table" ;;
	4) want="flag 'a,b': a flag name is not empty and has no ',' or whitespace" ;;
	5) want="flag 'a b': a flag name is not empty and has no ',' or whitespace" ;;
	6) want="flag 'flag-2': shadows the core's generic flag name" ;;
	7) want="flag '': a flag name is not empty" ;;
	esac
	# refused at load, even where no configuration uses the plugin
	if "$B/lvsd" -t -v -P "$t/ft" -c "$t/ft2.ini" >"$t/ft.log" 2>&1; then
		fail "flag table $n accepted at -t"
	fi
	grep -qF "flagtab.so: refused: scheduler 'flagtab': $want" "$t/ft.log" ||
		fail "flag table $n: no '$want'"
	! grep -q "flagtab: init" "$t/ft.log" || fail "flag table $n: init ran for a refused plugin"
done
rm -rf "$t/ft" "$t"/ft*.ini "$t"/*.log

vs $'factor = 2\nfactr = 1\n[real_server web 10.0.0.51:80]\n' >"$t/opt.ini"
if "$B/lvsd" -t -P "$t/plugins" -c "$t/opt.ini" >"$t/opt.log" 2>&1; then
	fail "bad scheduler options accepted"
fi
grep -q "opt.ini:4: factor: expected 0..1, got '2'" "$t/opt.log" || fail "factor = 2 not refused at its line"
grep -q "opt.ini:5: unknown key 'factr' in \[virtual_server web\]: neither a virtual_server key nor an option of scheduler probe" "$t/opt.log" ||
	fail "factr not refused at its line"
# an unknown scheduler: one error listing the loaded ones, no noise about
# that section's flags and options
printf '[virtual_server web]\naddress = 192.168.0.30:80\nscheduler = prob\nsched_flags = fallback\nfactor = 1\n[real_server web 10.0.0.51:80]\n' >"$t/unk.ini"
if "$B/lvsd" -t -P "$t/plugins" -c "$t/unk.ini" >"$t/unk.log" 2>&1; then
	fail "an unknown scheduler accepted"
fi
grep -q "unk.ini:3: scheduler: unknown scheduler 'prob' (loaded: probe)$" "$t/unk.log" ||
	fail "unknown scheduler: the loaded ones not listed"
[ "$(grep -c 'unk.ini:' "$t/unk.log")" = 1 ] || fail "noise after an unknown scheduler"
# a scheduler option in a [real_server] (with and without a check): where
# it belongs, not the checker hint
vs $'[real_server web 10.0.0.51:80]
factor = 0.5
[real_server web 10.0.0.52:80]
check = TCP
factor = 0.5
' >"$t/rs.ini"
if "$B/lvsd" -t -P "$t/plugins" -c "$t/rs.ini" >"$t/rs.log" 2>&1; then
	fail "a scheduler option in a [real_server] accepted"
fi
for l in 5 8; do
	grep -q "rs.ini:$l: unknown key 'factor' in \[real_server web 10.0.0.5[12]:80\]: an option of scheduler probe, which belongs in \[virtual_server web\]" "$t/rs.log" ||
		fail "no hint for the scheduler option at line $l"
done
! grep -q "checker options need\|option of checker" "$t/rs.log" || fail "the checker hint for a scheduler option"
# configuration OK: to stdout (errors to stderr)
vs $'[real_server web 10.0.0.51:80]
' >"$t/ok.ini"
"$B/lvsd" -t -P "$t/plugins" -c "$t/ok.ini" >"$t/ok.log" 2>"$t/ok.err" || fail "ok.ini refused"
grep -q "configuration OK" "$t/ok.log" || fail "configuration OK is not on stdout"
rm "$t"/*.log

# --- run: attach, weigh_soon, detach at reload, options at reload -------
conf() { # factor, number of real servers
	vs "factor = $1"$'\n'
	for i in $(seq "$2"); do printf '[real_server web 10.0.0.5%d:80]\nweight = 10\n' "$i"; done
}
conf 0.5 2 >"$t/lvsd.ini"
# --sync-interval 60000: no drift repair re-weighs during the test
"$B/lvsd" -n -v --no-ipvs --sync-interval 60000 -P "$t/plugins" -c "$t/lvsd.ini" \
	-S "$t/sock" --state-file "$t/state" >"$t/d.log" 2>&1 &
pid=$!
pids+=("$pid")
weights() { # the weights of 10.0.0.51..5N, blank-separated
	{ "$B/lvsctl" -s "$t/sock" status 2>/dev/null || true; } |
		awk '$2 ~ /^10\.0\.0\.5[0-9]:80$/ { printf "%s%s", s, $4; s = " " }'
}
wait_w() { # want, what
	for _ in $(seq 100); do
		[ "$(weights)" = "$1" ] && return 0
		sleep 0.1
	done
	fail "$2: weights '$(weights)', want '$1'"
}
wait_log() { # regex, what
	for _ in $(seq 100); do
		grep -q "$1" "$t/d.log" && return 0
		sleep 0.1
	done
	fail "$2: no '$1' in the log"
}
wait_log "probe: attach web port 80 factor 0.5 live=2" "rs_attach per real server"
# No check reports and no drift repair: only weigh_soon brings 10 x 0.5.
wait_log "probe: tick, weigh_soon" "the plugin's timer"
wait_w "5 5" "weigh_soon"
conf 0.5 1 >"$t/lvsd.ini"
"$B/lvsctl" -s "$t/sock" reload >/dev/null
wait_log "probe: detach live=1" "rs_detach of a removed real server"
conf 0.3 1 >"$t/lvsd.ini"
"$B/lvsctl" -s "$t/sock" reload >/dev/null
wait_log "probe: attach web port 80 factor 0.3 live=1" "options applied at reload (re-attach)"
wait_w "3" "the new options' weight"
# a bad file: lvsctl reload fails, and the log says so once
conf 2 1 >"$t/lvsd.ini"
! "$B/lvsctl" -s "$t/sock" reload >/dev/null 2>&1 || fail "a reload with factor = 2 succeeded"
wait_log "reload failed: " "a failed reload"
sleep 0.3
[ "$(grep -c 'reload failed: ' "$t/d.log")" = 1 ] || fail "a failed lvsctl reload logged more than once"
kill "$pid"
wait "$pid" || true
grep -q "probe: detach live=0" "$t/d.log" || fail "no rs_detach at stop"
awk '/probe: detach live=0/ { d = NR } /probe: fini/ { f = NR } END { exit !(d && f && d < f) }' "$t/d.log" ||
	fail "fini before the last rs_detach"
grep -q "probe: fini live=0" "$t/d.log" || fail "state left at fini"
! grep -q "Sanitizer" "$t/d.log" || fail "a sanitizer report (an ASan build: B=build-san)"
echo "ok: flags masked, options checked and applied at reload, rs_attach/rs_detach, weigh_soon"

# --- lvsctl status: the Flags column (configured names, persistence) ---
cp "$B"/plugins/sched_mh.so "$t/plugins/"
cat >"$t/lvsd.ini" <<'INI'
[virtual_server m]
address = 192.168.0.31:80
scheduler = mh
sched_flags = mh-fallback mh-port
persistence_timeout = 300
[real_server m 10.0.0.61:80]
[virtual_server p]
address = 192.168.0.32:80
scheduler = probe
sched_flags = fallback flag-2
one_packet = yes
protocol = UDP
[real_server p 10.0.0.62:80]
[virtual_server plain]
address = 192.168.0.33:80
scheduler = mh
[real_server plain 10.0.0.63:80]
INI
: >"$t/d.log"
"$B/lvsd" -n --no-ipvs -P "$t/plugins" -c "$t/lvsd.ini" \
	-S "$t/sock" --state-file "$t/state" >"$t/d.log" 2>&1 &
pid=$!
pids+=("$pid")
for _ in $(seq 100); do
	"$B/lvsctl" -s "$t/sock" status >"$t/status.log" 2>/dev/null && break
	sleep 0.1
done
grep -q "192.168.0.31:80 *mh mh-fallback,mh-port persistent 300 (m)$" "$t/status.log" ||
	fail "status: no mh flags or persistence timeout"
grep -q "192.168.0.32:80 *probe fallback,flag-2 ops (p)$" "$t/status.log" ||
	fail "status: no plugin scheduler flags"
grep -q "192.168.0.33:80 *mh (plain)$" "$t/status.log" || fail "status: flags where none are set"
kill "$pid"
wait "$pid" || true
echo "ok: lvsctl status shows scheduler flags by name, persistence timeout, ops"

# --- latency samples: one per check, however often the hook runs --------
python3 - "$t/port" <<'PY' &
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
s.settimeout(1.0); end = time.time() + 60
while time.time() < end:
    try:
        c, _ = s.accept(); c.close()
    except socket.timeout:
        pass
PY
pids+=($!)
for _ in $(seq 50); do [ -s "$t/port" ] && break; sleep 0.1; done
port=$(cat "$t/port")
{ vs $'factor = 1\n'; printf '[real_server web 127.0.0.1:%s]\ncheck = TCP\ndelay_loop = 1\n' "$port"; } >"$t/lvsd.ini"
: >"$t/d.log"
"$B/lvsd" -n -v --no-ipvs -P "$t/plugins" -c "$t/lvsd.ini" \
	-S "$t/sock" --state-file "$t/state" >"$t/d.log" 2>&1 &
pid=$!
pids+=("$pid")
for _ in $(seq 100); do
	[ "$(grep -c 'probe: sample ' "$t/d.log")" -ge 3 ] && break
	sleep 0.1
done
kill "$pid"
wait "$pid" || true
n=$(grep -c 'probe: sample ' "$t/d.log" || true)
! grep -q "Sanitizer" "$t/d.log" || fail "a sanitizer report (an ASan build: B=build-san)"
[ "$n" -ge 3 ] || fail "want 3 latency samples, got $n"
# each sample seen once, later ones later, ~delay_loop apart
awk '/probe: sample / { for (i = 1; i < NF; i++) if ($i == "sample") v = $(i + 1);
	if (p && v - p < 500000) exit 1; p = v }' "$t/d.log" ||
	fail "a sample seen twice or samples less than 0.5 s apart"
echo "ok: latency_sample_us: $n samples, each once"
