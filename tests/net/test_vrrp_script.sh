#!/usr/bin/env bash
# test_vrrp_script.sh — [vrrp_script] and track_script with keepalived's
# semantics, two lvsd directors on one bridge (VRRPv2, advert 1 s, d1
# priority 150, d2 100, preempt). The scripts run without a shell:
# /usr/bin/test -e FILE, so the test moves them by creating and removing
# FILE.
#  1. weight -60 on d1: failing → 90 < 100, d2 takes the VIP; OK again →
#     d1 (150) preempts back. Priorities show in lvsctl status.
#  2. weight -20 on d1: failing → 130 > 100, the VIP stays on d1.
#  3. no weight (0) on d1: failing → d1 FAULT, d2 takes over; OK → d1
#     BACKUP, then MASTER by preemption.
#  4. weight +60 on d2 (track_script ... weight 60 overrides the
#     script's): OK → 160 > 150, d2 takes the VIP.
#  5. a script that outlives its timeout is failing (killed with its
#     process group): weight 0 → FAULT, "timed out" in the log.
#  6. the first result counts at once (keepalived does so): failing from
#     the start with fall = 3 is a FAULT after one run.
#  7. a reload (SIGHUP) keeps a failing script's state: no flap.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -e "${B:-build}/plugins/vrrp_vrrp.so" ] || { echo "no VRRP plugin built"; exit 77; }
ns_init
vrrp_topo 2
T=$NS_TMP
MDI=4500 # 3 x 1 s + skew, and a margin for a loaded machine

# conf NODE PRIO SCRIPT_LINES... TRACK_LINE
conf() {
	local n=$1 prio=$2 track=$3; shift 3
	{
		for l in "$@"; do echo "$l"; done
		echo
	} >"$T/$n.head"
	vrrp_ini "$T/$n.body" "$prio" "$track"
	cat "$T/$n.head" "$T/$n.body" >"$T/$n.ini"
}
restart() { # NODE
	local p
	p=$(lv_pid "$1")
	[ -n "$p" ] && kill "$p" 2>/dev/null && wait_ms 5000 sh -c "! kill -0 $p" >/dev/null
	lv_start "$1" "$T/$1.ini"
}
both_start() {
	restart d1
	restart d2
	wait_ms $((MDI + 3000)) is_state d1 MASTER >/dev/null || vrrp_fail "d1 is $(lv_state d1)"
	wait_ms 3000 is_state d2 BACKUP >/dev/null || vrrp_fail "d2 is $(lv_state d2)"
}
prio_of() { lv_ctl "$1" status | grep -o 'vrid [0-9]* priority [0-9]*\( (effective [0-9]*)\)\?'; }

# ---- 1. weight -60
touch "$T/d1.up"
conf d1 150 "track_script = chk" "[vrrp_script chk]" "script = /usr/bin/test -e $T/d1.up" \
	"interval = 0.2" "timeout = 3" "fall = 2" "rise = 2" "weight = -60"
conf d2 100 ""
both_start
has_vip d1 10.9.0.50 || vrrp_fail "d1 lacks the VIP"
rm "$T/d1.up"
t=$(wait_ms $((MDI + 2000)) is_state d2 MASTER) || vrrp_fail "weight -60: d2 did not take over (d1 $(lv_state d1), $(prio_of d1))"
wait_ms 2000 is_state d1 BACKUP >/dev/null || vrrp_fail "d1 is $(lv_state d1)"
lv_ctl d1 status | grep -q "priority 150 (effective 90)" || vrrp_fail "effective priority not 90: $(lv_ctl d1 status | head -1)"
grep -q "vrrp_script chk: failing after 2 failures" "$T/d1.log" || vrrp_fail "the script's failure is not logged"
has_vip d2 10.9.0.50 && ! has_vip d1 10.9.0.50 || vrrp_fail "the VIP did not move to d2"
ok "weight -60: d1 failing → priority 90, d2 MASTER in ${t} ms"
touch "$T/d1.up"
t=$(wait_ms $((MDI + 2000)) is_state d1 MASTER) || vrrp_fail "d1 did not preempt back ($(prio_of d1))"
wait_ms 2000 is_state d2 BACKUP >/dev/null || vrrp_fail "d2 is $(lv_state d2)"
ok "weight -60: d1 OK again → 150, MASTER again in ${t} ms"

# ---- 2. weight -20: not enough to move the VIP
conf d1 150 "track_script = chk weight -20" "[vrrp_script chk]" "script = /usr/bin/test -e $T/d1.up" \
	"interval = 0.2" "timeout = 3" "weight = -60"
both_start
rm "$T/d1.up"
wait_ms 3000 sh -c "${B:-build}/lvsctl -s $T/d1.sock status | grep -q 'priority 150 (effective 130)'" >/dev/null ||
	vrrp_fail "d1's priority did not drop to 130: $(lv_ctl d1 status | head -1)"
sleep 4.5
is_state d1 MASTER && is_state d2 BACKUP || vrrp_fail "weight -20 moved the VIP: d1 $(lv_state d1), d2 $(lv_state d2)"
ok "weight -20 (track_script's weight overrides the script's): 130 > 100, the VIP stays"

# ---- 3. weight 0: FAULT
touch "$T/d1.up"
conf d1 150 "track_script = chk" "[vrrp_script chk]" "script = /usr/bin/test -e $T/d1.up" \
	"interval = 0.2" "timeout = 3"
both_start
rm "$T/d1.up"
t=$(wait_ms 3000 is_state d1 FAULT) || vrrp_fail "weight 0: d1 is $(lv_state d1), not FAULT"
wait_ms 3000 is_state d2 MASTER >/dev/null || vrrp_fail "d2 did not take over: $(lv_state d2)"
grep -q "VI_1: MASTER -> FAULT: vrrp_script chk failing (exit status 1)" "$T/d1.log" ||
	vrrp_fail "the FAULT's reason is not logged"
! has_vip d1 10.9.0.50 || vrrp_fail "d1 kept the VIP in FAULT"
ok "weight 0: script failing → d1 FAULT in ${t} ms, d2 MASTER"
touch "$T/d1.up"
wait_ms 3000 sh -c "grep -q 'VI_1: FAULT -> BACKUP' $T/d1.log" >/dev/null || vrrp_fail "d1 did not leave FAULT"
t=$(wait_ms $((MDI + 2000)) is_state d1 MASTER) || vrrp_fail "d1 did not preempt after the FAULT"
ok "weight 0: script OK → d1 BACKUP, then MASTER in ${t} ms"

# ---- 4. positive weight on the backup
rm -f "$T/d2.up"
conf d1 150 ""
conf d2 100 "track_script = up weight 60" "[vrrp_script up]" "script = /usr/bin/test -e $T/d2.up" \
	"interval = 0.2" "timeout = 3"
both_start
touch "$T/d2.up"
t=$(wait_ms $((MDI + 2000)) is_state d2 MASTER) || vrrp_fail "weight +60: d2 did not take over ($(prio_of d2))"
wait_ms 2000 is_state d1 BACKUP >/dev/null || vrrp_fail "d1 is $(lv_state d1)"
lv_ctl d2 status | grep -q "priority 100 (effective 160)" || vrrp_fail "d2's priority is not 160"
ok "weight +60: d2's script OK → 160 > 150, d2 MASTER in ${t} ms"
rm "$T/d2.up"
t=$(wait_ms $((MDI + 2000)) is_state d1 MASTER) || vrrp_fail "d1 did not take back"
ok "weight +60: d2's script failing → 100, d1 MASTER again in ${t} ms"

# ---- 5. timeout
conf d1 150 "track_script = slow" "[vrrp_script slow]" "script = /bin/sleep 30" \
	"interval = 1" "timeout = 0.3"
conf d2 100 ""
restart d2
restart d1
t=$(wait_ms 5000 is_state d1 FAULT) || vrrp_fail "timeout: d1 is $(lv_state d1), not FAULT"
grep -q "vrrp_script slow failing (timed out after 300 ms)" "$T/d1.log" || vrrp_fail "the timeout is not the reason"
sleep 1
n=$(ps -o pid= --ppid "$(lv_pid d1)" | wc -l)
[ "$n" -le 1 ] || vrrp_fail "$n scripts of d1 still run: the timeout did not kill them"
ok "a script past its timeout is killed and failing: FAULT"

# ---- 6. the first result counts at once (keepalived), rise/fall after
rm -f "$T/d1.up"
conf d1 150 "track_script = chk" "[vrrp_script chk]" "script = /usr/bin/test -e $T/d1.up" \
	"interval = 1" "timeout = 3" "fall = 3" "rise = 2"
restart d1
t=$(wait_ms 2500 is_state d1 FAULT) || vrrp_fail "fall 3, failing from the start: d1 is $(lv_state d1), not FAULT at once"
grep -q "vrrp_script chk: failing (exit status 1)" "$T/d1.log" || vrrp_fail "the first result is not logged"
ok "a script failing from the start: FAULT after its first run (${t} ms), not after fall = 3"

# ---- 7. a reload keeps a script's state: no flap back to the full priority
touch "$T/d1.up"
conf d1 150 "track_script = chk" "[vrrp_script chk]" "script = /usr/bin/test -e $T/d1.up" \
	"interval = 0.5" "timeout = 3" "weight = -60"
both_start
rm "$T/d1.up"
wait_ms $((MDI + 2000)) is_state d2 MASTER >/dev/null || vrrp_fail "d2 did not take over"
n=$(grep -c "priority 90 -> 150\|BACKUP -> MASTER" "$T/d1.log")
echo "; reloaded" >>"$T/d1.ini"
kill -HUP "$(lv_pid d1)"
wait_ms 5000 sh -c "grep -q 'reload' $T/d1.log" >/dev/null || vrrp_fail "d1 did not reload"
sleep 4.5
is_state d2 MASTER && is_state d1 BACKUP || vrrp_fail "after the reload: d1 $(lv_state d1), d2 $(lv_state d2)"
[ "$(grep -c "priority 90 -> 150\|BACKUP -> MASTER" "$T/d1.log")" = "$n" ] ||
	vrrp_fail "the reload reset the script's state: $(grep 'priority\|MASTER' "$T/d1.log" | tail -3)"
ok "a reload keeps the failing script's state: d1 stays at 90, d2 MASTER"

# ---- 8. (fix11 7) output and leftovers: a script writing 5 MB and leaving
# a background child. Its output went into lvsd's stderr (the journal) and
# the child lived on after each run. Now: the output is drained and
# capped, its first line is the detail, the process group dies with it.
conf d1 150 "track_script = noisy" "[vrrp_script noisy]" \
	"script = /bin/sh -c \"echo first-line-of-noisy; head -c 5000000 /dev/zero | tr '\\\\0' x; (sleep 1001.25 &); exit 1\"" \
	"interval = 0.5" "timeout = 3"
restart d1
wait_ms 5000 is_state d1 FAULT >/dev/null || vrrp_fail "noisy: d1 is $(lv_state d1), not FAULT"
sleep 2
sz=$(stat -c %s "$T/d1.log")
[ "$sz" -lt 200000 ] || vrrp_fail "the script's output went into lvsd's log ($sz bytes)"
st=$(lv_ctl d1 status)
[[ "$st" == *"track vrrp_script noisy: failing (exit status 1: first-line-of-noisy)"* ]] ||
	vrrp_fail "no first line in the status: $(lv_ctl d1 status | grep noisy)"
n=$(ps -eo args= | grep -c "^sleep 1001.25")
[ "$n" = 0 ] || vrrp_fail "$n background children of the script outlived it"
ok "a script's output is drained and capped (first line in the status), its leftovers killed"
