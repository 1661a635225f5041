#!/usr/bin/env bash
# tests/net/test_privsep.sh — the check process (core/checkproc.c): lvsd in
# a namespace with HTTP checks, a VRRP instance and four ROGUE checks (a
# test plugin, tests/net/plugins/check_rogue.c, that writes crafted bytes
# on the check process's socket when told to by a file: what code that
# took over the unprivileged process could send). Asserts:
#  - the check process runs as user lvsd: /proc/PID/status Uid all lvsd's,
#    CapEff 0, NoNewPrivs 1, none of lvsd's files open; with a fwmark check
#    (after a reload) CapEff is CAP_NET_ADMIN alone;
#  - kill -9 of it is survived: a new one, results resume (a backend that
#    comes up meanwhile goes up), VRRP stays MASTER without a transition,
#    the live real server never flaps;
#  - a malformed and an oversized message are refused (logged with the
#    reason, counted, the process restarted); a result for an unknown
#    check is ignored and counted (no restart); a hung process (no
#    heartbeat) is restarted;
#  - check_user naming no user: lvsd does not start and says how to fix it;
#    check_user = root: no check process (said in lvsctl status).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/checktest.sh
ck_begin tests/netplugins/check_rogue.so plugins/check_http.so tests/httpd
id lvsd >/dev/null 2>&1 || { echo "SKIP: no user lvsd (tools/deps.sh creates it)"; exit 77; }
LUID=$(id -u lvsd)
mkdir -p "$T/plugins" "$T/trig"
cp "$B"/plugins/*.so "$B/tests/netplugins/check_rogue.so" "$T/plugins/"
chown lvsd "$T/trig" # the rogue check removes its trigger as lvsd

httpd() { # PORT
	NS_LOG=$T/httpd-$1.out ns_bg be "$B/tests/httpd" --bind "$BE" --port "$1" \
		--log "$T/req-$1.log"
}
httpd 8001

config() { # EXTRA-LINES-FOR-8001
	cat >"$T/lvsd.ini" <<EOF
[global]
plugin_dir = $T/plugins
log_level = info

[vrrp VI_1]
state = MASTER
interface = eth0
virtual_router_id = 51
priority = 150
version = 3
advert_int = 0.2
virtual_ipaddress = 10.78.0.50 dev eth0

[virtual_server web]
address = 10.78.0.100:80
delay_loop = 0.3
retry = 1
delay_before_retry = 0.2

[real_server web $BE:8001]
check = HTTP_GET
path = /
$1

[real_server web $BE:8002]
check = HTTP_GET
path = /
EOF
	local s port=9100
	for s in malformed oversized unknown hang; do
		port=$((port + 1))
		printf '\n[real_server web %s:%s]\ncheck = ROGUE\ntrigger = %s\nsend = %s\n' \
			"$BE" "$port" "$T/trig/$s" "$s"
	done >>"$T/lvsd.ini"
}
config ""
ck_start

st() { ck_status; }
line() { st | grep '^check process:'; }
cpid() { line | sed -nE 's/^check process: pid ([0-9]+), .* up;.*/\1/p'; }
counter() { line | sed -nE "s/.*[ (]$1 ([0-9]+).*/\1/p"; }
vstate() { st | awk '$1 == "vrrp" && $2 == "VI_1:" {print $3}'; }
vtrans() { st | awk '$1 == "vrrp" {c = ($2 == "VI_1:")} c && $1 == "transitions" {print $2}'; }
up_is() { [ "$(ck_health "$BE:$1" web)" = "$2" ]; }
newpid() { local p; p=$(cpid); [ -n "$p" ] && [ "$p" != "$1" ]; }
is_vstate() { [ "$(vstate)" = "$1" ]; }
is_counter() { [ "$(counter "$1")" = "$2" ]; }
procfield() { awk -v k="$2:" '$1 == k {$1 = ""; print substr($0, 2)}' "/proc/$1/status"; }

wait_for 15 newpid "" || { st; cat "$LOG"; fail "no check process in lvsctl status"; }
C1=$(cpid)
[ "$(procfield "$C1" PPid)" = "$LVSD" ] || fail "check process $C1 is not lvsd's child"
[ "$(procfield "$C1" Uid | tr -s '\t ' ' ')" = "$LUID $LUID $LUID $LUID" ] ||
	fail "check process Uid: $(procfield "$C1" Uid), wanted lvsd's ($LUID)"
[ "$(procfield "$C1" CapEff)" = 0000000000000000 ] || fail "CapEff $(procfield "$C1" CapEff)"
[ "$(procfield "$C1" CapPrm)" = 0000000000000000 ] || fail "CapPrm $(procfield "$C1" CapPrm)"
[ "$(procfield "$C1" NoNewPrivs)" = 1 ] || fail "NoNewPrivs not set"
if ls -l "/proc/$C1/fd" | grep -Eq "$T/(state|lvsd.sock|lvsd.ini)"; then
	ls -l "/proc/$C1/fd"; fail "the check process holds one of lvsd's files"
fi
ok "check process $C1 runs as lvsd (uid $LUID), CapEff 0, NoNewPrivs, none of lvsd's files"
[ "$(stat -c %u "/proc/$C1/environ")" = 0 ] ||
	fail "the check process is dumpable (/proc/$C1/environ owned by $(stat -c %U "/proc/$C1/environ")): same-uid programs can ptrace it"
ok "check process not dumpable (its /proc files are root's)"

wait_for 15 up_is 8001 up || { st; fail "$BE:8001 not up"; }
wait_for 10 up_is 8002 down || { st; fail "$BE:8002 not down"; }
wait_for 10 is_vstate MASTER || { st; fail "VRRP VI_1 not MASTER"; }
T0=$(vtrans)
ok "checks report through it: 8001 up, 8002 down; VRRP MASTER"

# kill -9: a new process, results resume, nothing else moves
kill -9 "$C1"
wait_for 15 newpid "$C1" || { st; fail "no new check process after kill -9"; }
C2=$(cpid)
grep -q "check process $C1: .*killed by signal 9.*health results frozen" "$LOG" || fail "the crash is not logged"
httpd 8002
wait_for 15 up_is 8002 up || { st; fail "results did not resume: 8002 not up"; }
[ "$(vstate)" = MASTER ] && [ "$(vtrans)" = "$T0" ] || fail "VRRP moved: $(vstate), transitions $(vtrans) (was $T0)"
ok "kill -9 survived: new process $C2, 8002 came up, VRRP MASTER with no transition"

# a malformed and an oversized message: refused, counted, restarted
touch "$T/trig/malformed"
wait_for 15 grep -q "check process $C2: malformed message: record 1 (byte 0): length 200" "$LOG" ||
	{ grep "check process" "$LOG"; fail "the malformed message is not refused"; }
wait_for 15 newpid "$C2" || fail "not restarted after the malformed message"
C3=$(cpid)
[ "$(counter 'refused messages')" = 1 ] || fail "refused messages: $(line)"
touch "$T/trig/oversized"
wait_for 15 grep -q "check process $C3: oversized message: 70000 bytes, at most 65536" "$LOG" ||
	{ grep "check process" "$LOG"; fail "the oversized message is not refused"; }
wait_for 15 newpid "$C3" || fail "not restarted after the oversized message"
C4=$(cpid)
[ "$(counter 'refused messages')" = 2 ] || fail "refused messages: $(line)"
ok "malformed and oversized messages refused with their reason, counted, process restarted"

touch "$T/trig/unknown"
wait_for 10 is_counter 'unknown results' 1 || fail "unknown result not counted: $(line)"
grep -q "check process $C4: RESULT for check id 2147483632, which lvsd does not know: ignored" "$LOG" ||
	fail "the unknown result is not logged"
[ "$(cpid)" = "$C4" ] || fail "restarted for an unknown id"
ok "a result for an unknown check: ignored, counted, logged, no restart"

touch "$T/trig/hang"
wait_for 25 grep -q "check process $C4: hung: no heartbeat for" "$LOG" || fail "the hang is not detected"
wait_for 15 newpid "$C4" || { grep "check process" "$LOG"; line; fail "not restarted after the hang"; }
C5=$(cpid)
ok "a hung process (no heartbeat) is restarted"

# fwmark check: after a reload, CAP_NET_ADMIN alone
config "fwmark = 7"
"$B/lvsctl" -s "$SOCK" reload >/dev/null
wait_for 15 newpid "$C5" || fail "not restarted for the fwmark check"
C6=$(cpid)
[ "$(procfield "$C6" CapEff)" = 0000000000001000 ] || fail "with fwmark: CapEff $(procfield "$C6" CapEff), wanted CAP_NET_ADMIN (1000)"
[ "$(procfield "$C6" Uid | tr -s '\t ' ' ')" = "$LUID $LUID $LUID $LUID" ] || fail "with fwmark: Uid $(procfield "$C6" Uid)"
wait_for 15 up_is 8001 up || fail "8001 not up with its fwmark check"
ok "with a fwmark check: CapEff 0000000000001000 (CAP_NET_ADMIN only)"

! grep -q "real server $BE:8001 (web) down" "$LOG" || { grep "real server" "$LOG"; fail "8001 flapped"; }
[ "$(vstate)" = MASTER ] && [ "$(vtrans)" = "$T0" ] || fail "VRRP moved: $(vstate), transitions $(vtrans) (was $T0)"
[ "$(counter restarts)" = 4 ] || fail "restarts: $(line)"
ok "through it all 8001 never went down, VRRP stayed MASTER; restarts 4 (the reload's is no restart after a fault)"

# while it is down the status says the results are frozen: kill it until
# the restart backoff (doubling) leaves a window the polls see
frozen_json() { "$B/lvsctl" -s "$SOCK" status --json | "${PY:-python3}" -c '
import json, sys
c = json.load(sys.stdin)["check_process"]
sys.exit(0 if c["frozen_since"] and c["state"] in ("restarting", "starting") and c["restarts"] >= 4 else 1)'; }
frozen_text() { st | grep -q "^health results frozen since .* UTC" && st | grep -q "^  -> .*:8001 .*\[frozen\]$"; }
seen=""
for i in 1 2 3 4 5 6; do
	wait_for 40 newpid "" || fail "no check process to kill"
	p=$(cpid); [ -n "$p" ] && kill -9 "$p"
	if wait_for 3 frozen_json && frozen_text; then seen=1; break; fi
done
[ -n "$seen" ] || { st; "$B/lvsctl" -s "$SOCK" status --json; fail "status does not say the results are frozen while the check process is down"; }
wait_for 60 newpid "" || fail "no check process after the kills"
wait_for 10 sh -c "! '$B/lvsctl' -s '$SOCK' status | grep -q 'frozen'" || { st; fail "still frozen after the restart"; }
ok "check process down: 'health results frozen since', [frozen] per checked server, check_process.frozen_since in --json"

# check_user naming nobody: no start, with the fix; root: no process
sed -i "s/^log_level = info/log_level = info\ncheck_user = nosuchuser-$$/" "$T/lvsd.ini"
if timeout 20 "$B/lvsd" -n --no-ipvs -c "$T/lvsd.ini" -S "$T/x.sock" --state-file "$T/x.state" \
	>"$T/x.out" 2>&1; then fail "lvsd started with a missing check_user"; fi
grep -q "check_user nosuchuser-$$: no such user; create it (useradd --system" "$T/x.out" ||
	{ cat "$T/x.out"; fail "no clear error for a missing check_user"; }
"$B/lvsd" -t -c "$T/lvsd.ini" >"$T/t.out" 2>&1 && { cat "$T/t.out"; fail "lvsd -t passed a missing check_user"; }
grep -q "$T/lvsd.ini: check_user 'nosuchuser-$$': no such user (create it: useradd" "$T/t.out" ||
	{ cat "$T/t.out"; fail "lvsd -t: no clear error for a missing check_user"; }
sed -i "s/^check_user = .*/check_user = 0/" "$T/lvsd.ini"
"$B/lvsd" -t -c "$T/lvsd.ini" >"$T/t.out" 2>&1 && { cat "$T/t.out"; fail "lvsd -t passed check_user = 0"; }
grep -q "check_user '0': a user name is needed, not a number" "$T/t.out" && ! grep -q "useradd.* 0" "$T/t.out" ||
	{ cat "$T/t.out"; fail "lvsd -t: check_user = 0 not explained (or a useradd ... 0 hint)"; }
ok "lvsd -t: a missing check_user and a numeric one are errors with the fix"
sed -i "s/^check_user = .*/check_user = root/" "$T/lvsd.ini"
NS_LOG=$T/root.log ns_bg lb "$B/lvsd" -n --no-ipvs -c "$T/lvsd.ini" -S "$T/r.sock" --state-file "$T/r.state"
wait_for 10 test -S "$T/r.sock" || { cat "$T/root.log"; fail "lvsd with check_user = root did not start"; }
wait_for 10 sh -c "'$B/lvsctl' -s '$T/r.sock' status | grep -q '^check process: none (check_user root'" ||
	fail "check_user = root: status does not say so"
grep -q "check_user = root: health checks run inside lvsd as root" "$T/root.log" || fail "check_user = root not logged"
ok "check_user missing: refused with the useradd line; root: no check process, logged"
echo "PASS: privsep"
