#!/usr/bin/env bash
# test_vrrp_trackfile.sh — track_file and track_process with keepalived's
# semantics, two lvsd directors on one bridge (VRRPv2, advert 1 s, d1
# priority 150, d2 100, preempt).
#  track_file (weight 1): the number is added: -60 → 90, d2 takes the VIP;
#    10 (written through a rename) → 160, d1 takes it back; a number
#    times the weight below -253 is a FAULT; weight 0: any number but 0 is
#    a FAULT; a file of text counts as 0.
#  track_process (weight -60, by name and arguments, terminate_delay):
#    not running → 90, d2 MASTER; the same name with other arguments does
#    not count; running → 150, d1 MASTER; killed and restarted within the
#    delay → nothing moves; killed → 90 after the delay, d2 MASTER.
#    Weight 0: not running is a FAULT.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -e "${B:-build}/plugins/vrrp_vrrp.so" ] || { echo "no VRRP plugin built"; exit 77; }
ns_init
vrrp_topo 2
T=$NS_TMP
MDI=4500

conf() { # NODE PRIO TRACK-LINE SECTION-LINES...
	local n=$1 prio=$2 track=$3; shift 3
	{ for l in "$@"; do echo "$l"; done; echo; } >"$T/$n.head"
	vrrp_ini "$T/$n.body" "$prio" "$track"
	cat "$T/$n.head" "$T/$n.body" >"$T/$n.ini"
}
restart() {
	local p
	p=$(lv_pid "$1")
	[ -n "$p" ] && kill "$p" 2>/dev/null && wait_ms 5000 sh -c "! kill -0 $p" >/dev/null
	lv_start "$1" "$T/$1.ini"
}
vip_on() { # NODE: NODE MASTER with the VIP, the other without it
	local o=d2; [ "$1" = d2 ] && o=d1
	is_state "$1" MASTER && has_vip "$1" 10.9.0.50 && ! has_vip $o 10.9.0.50
}
effective() { lv_ctl "$1" status | grep -q "priority $2"; }
master_is() { # NODE: NODE MASTER, the other BACKUP, the VIP on NODE only
	local o=d2; [ "$1" = d2 ] && o=d1
	is_state "$1" MASTER && is_state $o BACKUP && has_vip "$1" 10.9.0.50 && ! has_vip $o 10.9.0.50
}

# ------------------------------------------------------------ track_file
if [ -z "${ONLY_PROCESS:-}" ]; then
echo 0 >"$T/prio"
conf d1 150 "track_file = f" "[vrrp_track_file f]" "file = $T/prio"
conf d2 100 ""
restart d1
restart d2
wait_ms $((MDI + 3000)) master_is d1 >/dev/null || vrrp_fail "d1 is $(lv_state d1), d2 $(lv_state d2)"
echo -60 >"$T/prio"
t=$(wait_ms $((MDI + 2000)) master_is d2) || vrrp_fail "file -60: d2 did not take over"
effective d1 "150 (effective 90)" || vrrp_fail "d1's priority is not 90: $(lv_ctl d1 status | head -1)"
grep -q "vrrp_track_file f: $T/prio: value -60" "$T/d1.log" || vrrp_fail "the new value is not logged"
ok "track_file -60: priority 90, d2 MASTER in ${t} ms"
echo 10 >"$T/prio.new" && mv "$T/prio.new" "$T/prio"
t=$(wait_ms $((MDI + 2000)) master_is d1) || vrrp_fail "file 10 (renamed over): d1 did not take back"
effective d1 "150 (effective 160)" || vrrp_fail "d1's priority is not 160"
ok "track_file 10 through a rename: priority 160, d1 MASTER in ${t} ms"
echo "ten" >"$T/prio"
wait_ms 3000 effective d1 "150 version" >/dev/null || vrrp_fail "text did not count as 0"
lv_ctl d1 status | grep -q "track vrrp_track_file f: $T/prio (not a number: 0)" || vrrp_fail "status does not say why 0"
ok "track_file with text: counts as 0 (and lvsctl status says so)"

# A number times the weight below -253: FAULT. Weight 0: non-zero is FAULT.
echo 0 >"$T/prio"
echo 0 >"$T/flag"
conf d1 150 "track_file = f weight 10" "[vrrp_track_file f]" "file = $T/prio" "" \
	"[vrrp_track_file flag]" "file = $T/flag" "weight = 0"
vrrp_ini "$T/d1.body" 150 "track_file = f weight 10" "track_file = flag"
cat "$T/d1.head" "$T/d1.body" >"$T/d1.ini"
restart d1
wait_ms $((MDI + 3000)) master_is d1 >/dev/null || vrrp_fail "d1 is $(lv_state d1), d2 $(lv_state d2)"
echo -26 >"$T/prio"
t=$(wait_ms 3000 is_state d1 FAULT) || vrrp_fail "-26 x 10 < -253: d1 is $(lv_state d1), not FAULT"
grep -q "VI_1: MASTER -> FAULT: vrrp_track_file f: value -26" "$T/d1.log" || vrrp_fail "the FAULT's reason is not logged"
wait_ms 3000 vip_on d2 >/dev/null || vrrp_fail "d2 did not take over"
ok "track_file -26 x weight 10 = -260 < -253: FAULT in ${t} ms"
echo -25 >"$T/prio"
t=$(wait_ms $((MDI + 3000)) master_is d2) || vrrp_fail "d2 lost the VIP"
wait_ms 3000 is_state d1 BACKUP >/dev/null || vrrp_fail "-25 x 10 = -250: d1 did not leave FAULT"
effective d1 "150 (effective 1)" || vrrp_fail "d1's priority is not 1 (150 - 250, at least 1)"
echo 0 >"$T/prio"
wait_ms $((MDI + 2000)) master_is d1 >/dev/null || vrrp_fail "d1 did not take back at 0"
echo 3 >"$T/flag"
t=$(wait_ms 3000 is_state d1 FAULT) || vrrp_fail "weight 0, value 3: d1 is $(lv_state d1), not FAULT"
wait_ms 3000 vip_on d2 >/dev/null || vrrp_fail "d2 did not take over"
echo 0 >"$T/flag"
wait_ms $((MDI + 3000)) master_is d1 >/dev/null || vrrp_fail "weight 0, value 0: d1 did not come back"
ok "track_file weight 0: 3 is a FAULT in ${t} ms, 0 is OK again"

fi
# --------------------------------------------------------- track_process
[ -n "${ONLY_PROCESS:-}" ] && { conf d2 100 ""; restart d2; }
cp /bin/sleep "$T/lvtrkproc"
# prog ARG: start "lvtrkproc ARG" (our child, killed at cleanup); PID in P
prog() { "$T/lvtrkproc" "$1" </dev/null >/dev/null 2>&1 & P=$!; NS_PIDS+=("$P"); }
conf d1 150 "track_process = p" "[vrrp_track_process p]" "process = lvtrkproc 1000" \
	"weight = -60" "terminate_delay = 1.5"
restart d1
wait_ms $((MDI + 3000)) master_is d2 >/dev/null || vrrp_fail "not running at start: d2 should be MASTER: d1 $(lv_state d1), d2 $(lv_state d2)"
effective d1 "150 (effective 90)" || vrrp_fail "d1's priority is not 90"
prog 999; other=$P
sleep 2.5
effective d1 "150 (effective 90)" || vrrp_fail "lvtrkproc 999 counted for 'lvtrkproc 1000'"
prog 1000; p1=$P
t=$(wait_ms $((MDI + 3000)) master_is d1) || vrrp_fail "process running: d1 did not take over ($(lv_ctl d1 status | grep track))"
ok "track_process: other arguments do not count; running → 150, d1 MASTER in ${t} ms"
kill "$p1"; wait "$p1" 2>/dev/null
sleep 0.3
prog 1000; p1=$P
sleep 3
master_is d1 || vrrp_fail "a restart within terminate_delay moved the VIP"
grep -q "vrrp_track_process p: failing" "$T/d1.log" && vrrp_fail "a restart within terminate_delay counted as failing"
ok "track_process: killed and restarted within terminate_delay: nothing moves"
kill "$p1"; wait "$p1" 2>/dev/null
t=$(wait_ms $((MDI + 4000)) master_is d2) || vrrp_fail "process gone: d2 did not take over"
grep -q "vrrp_track_process p: failing: 0 running" "$T/d1.log" || vrrp_fail "not logged"
ok "track_process: gone → after terminate_delay 90, d2 MASTER in ${t} ms"
kill "$other"

conf d1 150 "track_process = q" "[vrrp_track_process q]" "process = lvtrkproc" "weight = 0"
restart d1
wait_ms 4000 is_state d1 FAULT >/dev/null || vrrp_fail "weight 0, not running: d1 is $(lv_state d1), not FAULT"
prog 1000; p1=$P
t=$(wait_ms $((MDI + 4000)) master_is d1) || vrrp_fail "weight 0, running: d1 did not become MASTER"
kill "$p1"
wait_ms 4000 is_state d1 FAULT >/dev/null || vrrp_fail "weight 0, gone: d1 is $(lv_state d1), not FAULT"
ok "track_process weight 0: FAULT while not running, MASTER while running"

# fix11 5: a track file whose directory is missing at start, or removed
# and made again, is followed once it is there (it stayed at "cannot
# read it" for ever, even across reloads).
rm -rf "$T/tfd"
conf d1 150 "track_file = g" "[vrrp_track_file g]" "file = $T/tfd/sub/prio"
restart d1
mkdir -p "$T/tfd/sub" && echo -254 >"$T/tfd/sub/prio"
wait_ms 5000 is_state d1 FAULT >/dev/null || vrrp_fail "directory made after the start: d1 is $(lv_state d1), not FAULT"
rm -rf "$T/tfd"
wait_ms 5000 sh -c "! ${B:-build}/lvsctl -s $T/d1.sock status | grep -q 'VI_1: FAULT'" >/dev/null ||
	vrrp_fail "directory removed: d1 still FAULT"
mkdir -p "$T/tfd/sub" && echo -254 >"$T/tfd/sub/prio"
wait_ms 5000 is_state d1 FAULT >/dev/null || vrrp_fail "directory made again: d1 is $(lv_state d1), not FAULT"
# fix11 6: a reload that changes only a tracking section says what
sed -i 's|^file = .*tfd/sub/prio$|&\nweight = 2|' "$T/d1.ini"
lv_ctl d1 reload >/dev/null || vrrp_fail "reload refused"
wait_ms 5000 grep -q "\[vrrp_track_file g\] changed: weight 1 -> 2" "$T/d1.log" >/dev/null ||
	vrrp_fail "the reload did not log the tracking section's change: $(grep reload "$T/d1.log" | tail -2)"
grep -q "reload: no changes" "$T/d1.log" && vrrp_fail "the reload said 'no changes'"
ok "track_file in a directory that comes later, goes and comes again: followed"
