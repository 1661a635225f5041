#!/usr/bin/env bash
# test_runtime.sh — lvsctl add-vs / add-rs / del-vs / del-rs on the real
# lvsd (--no-ipvs, on the host, loopback only; the kernel side is
# tests/vm/test_runtime.sh): each bad input is refused with the parser's
# message and changes nothing (status and state file the same); a new
# real server's check starts at once; the objects are shown as runtime,
# kept across a reload and a restart; the configuration wins when it
# defines the same object (logged once, dropped from the state); objects
# of the configuration cannot be deleted; a state file that cannot be
# written refuses the change.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
B=${B:-build}
for f in "$B/lvsd" "$B/lvsctl" "$B/plugins/check_tcp.so" "$B/plugins/sched_rr.so"; do
	[ -e "$f" ] || { echo "SKIP: $f not built"; exit 77; }
done
PY=$(command -v /usr/bin/python3 || command -v python3) || { echo "SKIP: no python3"; exit 77; }
B=$(cd "$B" && pwd)
ns_init
T=$NS_TMP
SOCK=$T/lvsd.sock
PORT=$((20000 + $$ % 20000))
lvsctl() { "$B/lvsctl" -S "$SOCK" -T 60 "$@"; }
NS_LOG=$T/listen.out ns_bg - "$PY" tests/lib/ctlslow.py - listen "$PORT" "$T/checks"
wait_for 5 tcp_open 127.0.0.1 "$PORT" || fail "listener did not start"
: >"$T/checks"
mkdir "$T/st"
cat >"$T/lvsd.ini" <<EOF2
[global]
plugin_dir = $B/plugins
control_socket = $SOCK
state_file = $T/st/state
log_level = info

[virtual_server web]
address = 192.168.77.1:80
scheduler = rr
; a check every 60 s: the first one of a new real server comes at once
delay_loop = 60
connect_timeout = 1

[real_server web 10.0.0.51:80]
EOF2
start() {
	NS_LOG=$T/lvsd.log ns_bg - "$B/lvsd" -n --no-ipvs -c "$T/lvsd.ini"
	LVSD=$NS_LAST_PID
	wait_for 10 lvsctl counters || { cat "$T/lvsd.log"; fail "lvsd did not start"; }
}
start
snap() { lvsctl status | sed 1d | sed 's/ *$//' | grep -v '^  -> 127.0.0.1:'"$PORT"; cat "$T/st/state" 2>/dev/null || true; }

# --- 1. bad input: refused with the configuration's own message, nothing changed
lvsctl add-rs web "127.0.0.1:$PORT" weight 2 check TCP connect_timeout=2 >/dev/null || fail "add-rs"
before=$(snap)
refuse() { # MESSAGE-PART ARGS...
	local want=$1 out; shift
	if out=$(lvsctl "$@" 2>&1); then fail "accepted: $*"; fi
	[[ "$out" == *"$want"* ]] || fail "lvsctl $*: '$out' does not say '$want'"
	[ "$(snap)" = "$before" ] || fail "lvsctl $* changed something"
}
refuse "no virtual server 'nope'" add-rs nope 10.0.0.60:80
refuse "real server 10.0.0.51:80 of 'web' exists (in the configuration" add-rs web 10.0.0.51:80
refuse "exists (added at runtime)" add-rs web "127.0.0.1:$PORT"
refuse "bad real server '10.0.0.300:80'" add-rs web 10.0.0.300:80
refuse "weight: expected an integer 0..2147483647" add-rs web 10.0.0.60:80 weight 2147483648
refuse "check: unknown checker 'NOPE'" add-rs web 10.0.0.60:80 check NOPE
refuse "unknown key 'bogus'" add-rs web 10.0.0.60:80 check TCP bogus=1
refuse "connect_timeout" add-rs web 10.0.0.60:80 check TCP connect_timeout=-1
refuse "neither KEY=VALUE" add-rs web 10.0.0.60:80 weight 1 junk
refuse "virtual server 'web' exists" add-vs web 192.168.77.9:80
refuse "service TCP 192.168.77.1:80 is already [virtual_server web]" add-vs api 192.168.77.1:80
refuse "unknown scheduler 'nope'" add-vs api 192.168.77.2:80 scheduler nope
refuse "address" add-vs api 192.168.77.300:80
refuse "method" add-vs api 192.168.77.2:80 method XYZ
refuse "bad name" add-vs 'a/b' 192.168.77.2:80
refuse "is defined in the configuration" del-rs web 10.0.0.51:80
refuse "is defined in the configuration" del-vs web
refuse "no real server 10.0.0.99:80 in 'web'" del-rs web 10.0.0.99:80
ok "18 bad requests refused with the parser's messages; status and state file unchanged"

# --- 2. applied at once: the new check ran at once, shown as runtime
wait_for 10 test -s "$T/checks" || fail "the new real server's check did not start at once"
lvsctl add-vs api 192.168.77.2:443 scheduler rr protocol TCP persistence_timeout=30 >/dev/null || fail "add-vs"
lvsctl add-rs api 10.0.0.70:443 weight 4 >/dev/null || fail "add-rs to a runtime virtual server"
lvsctl add-vs mark fwmark 9 scheduler rr >/dev/null || fail "add-vs fwmark"
# a real server without a port, as in the file: the service's port, 0 of an fwmark one
lvsctl add-rs mark 10.0.0.90 weight 1 >/dev/null || fail "add-rs ADDR to an fwmark virtual server"
lvsctl add-rs api 10.0.0.72 >/dev/null || fail "add-rs ADDR to an address virtual server"
lvsctl status >"$T/s1"
grep -q "^  -> 10.0.0.90:0 .* \[runtime\]$" "$T/s1" || fail "port-less rs of mark: $(cat "$T/s1")"
grep -q "^  -> 10.0.0.72:443 .* \[runtime\]$" "$T/s1" || fail "port-less rs of api: $(cat "$T/s1")"
lvsctl weight api 10.0.0.72 3 >/dev/null || fail "weight VS ADDR without a port"
lvsctl weight api 10.0.0.72 clear >/dev/null || fail "weight clear VS ADDR"
grep -q "^TCP 192.168.77.2:443 *rr persistent 30 (api) runtime$" "$T/s1" || fail "api: $(cat "$T/s1")"
grep -q "^FWM 9 inet *rr (mark) runtime$" "$T/s1" || fail "mark: $(cat "$T/s1")"
grep -q "^  -> 127.0.0.1:$PORT .* \[runtime\]$" "$T/s1" || fail "rs: $(cat "$T/s1")"
grep -q "^  -> 10.0.0.70:443 *Masq *4 .* \[runtime\]$" "$T/s1" || fail "api rs: $(cat "$T/s1")"
grep -q "^  -> 10.0.0.51:80 .*[^]]$" "$T/s1" || fail "config rs marked: $(cat "$T/s1")"
grep -q "^runtime-rs 1 web 127.0.0.1:$PORT weight=2 check=TCP connect_timeout=2$" "$T/st/state" || fail "state: $(cat "$T/st/state")"
lvsctl status --json | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
o = {v["name"]: v["origin"] for v in d["virtual_servers"]}
assert o == {"web": "config", "api": "runtime", "mark": "runtime"}, o
' || fail "status --json origins"
ok "add-vs, add-rs: in force at once (the check ran), shown as runtime, saved"

# --- 3. a reload and a restart keep them
lvsctl reload >/dev/null || fail "reload"
lvsctl status | sed 1d >"$T/s2"
diff <(sed 1d "$T/s1" | cut -c1-60) <(cut -c1-60 "$T/s2") || fail "a reload changed the runtime objects"
kill "$LVSD"; wait "$LVSD" 2>/dev/null || true
start
lvsctl status | sed 1d >"$T/s3"
diff <(sed 1d "$T/s1" | grep -v "^check process: pid" | cut -c1-60) <(grep -v "^check process: pid" "$T/s3" | cut -c1-60) || fail "a restart changed the runtime objects"
ok "a reload and a restart keep them"

# --- 4. the configuration wins, logged once
cat >>"$T/lvsd.ini" <<EOF2

[real_server web 127.0.0.1:$PORT]
weight = 7

[virtual_server mark]
fwmark = 9
scheduler = wrr
EOF2
lvsctl reload >/dev/null || fail "reload with the same objects in the file"
lvsctl reload >/dev/null || fail "reload again"
n=$(grep -c "runtime real server 127.0.0.1:$PORT of 'web' dropped: the configuration defines it now" "$T/lvsd.log" || true)
[ "$n" = 1 ] || fail "config wins logged $n times: $(grep -i runtime "$T/lvsd.log")"
grep -q "runtime virtual server 'mark' dropped: the configuration defines it now" "$T/lvsd.log" || fail "mark not logged"
# mark's runtime real server goes with it, never to the file's service
n=$(grep -c "runtime real server 10.0.0.90:0 of 'mark' dropped: its runtime virtual server is dropped" "$T/lvsd.log" || true)
[ "$n" = 1 ] || fail "mark's real server: logged $n times: $(grep -i runtime "$T/lvsd.log")"
grep -q "runtime-rs 1 mark" "$T/st/state" && fail "mark's real server still in the state: $(cat "$T/st/state")"
lvsctl status | grep -q "10.0.0.90" && fail "mark's runtime real server adopted by the file's mark: $(lvsctl status)"
grep -q "runtime-rs 1 web 127.0.0.1:$PORT\|runtime-vs 1 mark" "$T/st/state" && fail "dropped objects still in the state: $(cat "$T/st/state")"
lvsctl status >"$T/s4"
grep -q "^  -> 127.0.0.1:$PORT *Masq *7 .*[^]]$" "$T/s4" || fail "the configuration's real server: $(cat "$T/s4")"
grep -q "^FWM 9 inet *wrr (mark)$" "$T/s4" || fail "the configuration's mark: $(cat "$T/s4")"
grep -q "(api) runtime$" "$T/s4" || fail "api lost"
ok "the configuration wins (logged once, dropped from the state, a dropped virtual server's real servers with it); the other runtime objects stay"

# --- 5. del-rs, del-vs
lvsctl del-rs api 10.0.0.70:443 >/dev/null || fail "del-rs"
lvsctl status | grep -q "10.0.0.70:443" && fail "del-rs: still shown"
lvsctl add-rs api 10.0.0.71:443 >/dev/null || fail "add-rs"
out=$(lvsctl del-vs api) || fail "del-vs"
[[ "$out" == *"2 real servers of 'api' removed with it"* ]] || fail "del-vs said: $out"
grep -q "runtime-" "$T/st/state" && fail "state after del-vs: $(cat "$T/st/state")"
lvsctl status | grep -q "(api)" && fail "del-vs: still shown"
kill "$LVSD"; wait "$LVSD" 2>/dev/null || true
start
lvsctl status | grep -q "(api)\|10.0.0.7" && fail "deleted objects back after a restart"
ok "del-rs, del-vs: removed, and stay removed after a restart"

# --- 6. the state file cannot be written: refused, nothing changed
before=$(lvsctl status | sed 1d)
rm -rf "$T/st"
if out=$(lvsctl add-rs web 10.0.0.80:80 2>&1); then fail "add-rs accepted without a state file"; fi
[[ "$out" == *"cannot write $T/st/state"*"nothing changed"* ]] || fail "said: $out"
[ "$(lvsctl status | sed 1d)" = "$before" ] || fail "a refused add-rs changed the status"
mkdir "$T/st"
lvsctl add-rs web 10.0.0.80:80 >/dev/null || fail "add-rs once the directory is back"
grep -q "runtime-rs 1 web 10.0.0.80:80" "$T/st/state" || fail "not saved"
ok "a state file that cannot be written: refused, nothing changed"
kill -0 "$LVSD" || fail "lvsd died"
