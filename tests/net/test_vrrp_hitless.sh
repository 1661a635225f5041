#!/usr/bin/env bash
# test_vrrp_hitless.sh — issue 11 fault 4: a reload that changes what does
# not alter the protocol identity (notify programs, VIPs added and removed,
# priority, advert_int, preempt, garp, track_interface) is applied in place
# on the master: no priority-0 advert, no state change on either node, the
# added VIP arrives, the removed one goes, the new priority is on the wire.
# Before the fix any change restarted the instance (priority 0, the backup
# master for a moment, then preempted back). Changing the VRID restarts
# (test_vrrp_reload.sh).
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -e "${B:-build}/plugins/vrrp_vrrp.so" ] || { echo "no VRRP plugin built"; exit 77; }
ns_init
vrrp_topo 2
T=$NS_TMP
VRRP_VERSION=3 VRRP_ADVERT=0.1 VRRP_STATE=MASTER vrrp_ini "$T/d1.ini" 150 \
	"virtual_ipaddress = 10.9.0.51 dev eth0"
VRRP_VERSION=3 VRRP_ADVERT=0.1 vrrp_ini "$T/d2.ini" 100 \
	"virtual_ipaddress = 10.9.0.51 dev eth0"
lv_start d2 "$T/d2.ini"
lv_start d1 "$T/d1.ini"
wait_ms 10000 is_state d1 MASTER >/dev/null || vrrp_fail "d1 not elected"
wait_for 10 is_state d2 BACKUP || vrrp_fail "d2 is $(lv_state d2)"
sleep 0.5
tr1=$(lv_counter d1 transitions) tr2=$(lv_counter d2 transitions)
z1=$(lv_counter d1 prio0_sent) z2=$(lv_counter d2 prio0_rcvd)

# notify_master, a VIP added (10.9.0.52) and one removed (10.9.0.51),
# priority 150 -> 140 (still above d2), advert_int 0.1 -> 0.2,
# garp_master_repeat, preempt_delay, track_interface.
NS_LOG=$T/cap.out ns_bg c chrt -r 1 python3 tests/lib/vrrpcap.py --dev eth0 --out "$T/cap" --duration 60
VRRP_VERSION=3 VRRP_ADVERT=0.2 VRRP_STATE=MASTER vrrp_ini "$T/d1.ini" 140 \
	"virtual_ipaddress = 10.9.0.52 dev eth0" \
	"notify_master = /bin/true" "garp_master_repeat = 2" "preempt_delay = 1" \
	"track_interface = lo"
t0=$(date +%s%3N)
lv_ctl d1 reload >/dev/null || vrrp_fail "reload refused"
wait_for 10 has_vip d1 10.9.0.52 || vrrp_fail "the added VIP 10.9.0.52 did not arrive on d1"
wait_for 10 sh -c "! ip -n '$(ns d1)' -o addr show dev eth0 | grep -q ' 10.9.0.51/'" ||
	vrrp_fail "the removed VIP 10.9.0.51 stayed on d1"
has_vip d1 10.9.0.50 || vrrp_fail "d1 lost the unchanged VIP 10.9.0.50"
sleep 1.5
[ "$(lv_counter d1 prio0_sent)" = "$z1" ] || vrrp_fail "d1 sent a priority-0 advert"
[ "$(lv_counter d2 prio0_rcvd)" = "$z2" ] || vrrp_fail "d2 received a priority-0 advert"
[ "$(lv_counter d1 transitions)" = "$tr1" ] || vrrp_fail "d1 changed state ($tr1 -> $(lv_counter d1 transitions))"
[ "$(lv_counter d2 transitions)" = "$tr2" ] || vrrp_fail "d2 changed state ($tr2 -> $(lv_counter d2 transitions))"
is_state d1 MASTER && is_state d2 BACKUP || vrrp_fail "d1 $(lv_state d1), d2 $(lv_state d2)"
! has_vip d2 10.9.0.50 || vrrp_fail "d2 took the VIP"
lv_ctl d1 status | grep -q "^vrrp VI_1: MASTER .* priority 140 .* advert 0.20s" ||
	vrrp_fail "d1 does not report priority 140, advert 0.20 s: $(lv_ctl d1 status | grep '^vrrp')"
grep -q "vrrp VI_1: changed in place (" "$T/d1.log" || vrrp_fail "the in-place change is not logged"
grep -q "vrrp VI_1: changed, stopping it" "$T/d1.log" && vrrp_fail "d1 restarted the instance"
# on the wire: priority 140 after the reload
wait_for 10 awk -v a="$t0" '$1 > a && $2 == "10.9.0.11" && $4 == 140 { f = 1 } END { exit !f }' "$T/cap" ||
	vrrp_fail "no advert with priority 140 from d1 after the reload"
ok "notify, VIPs, priority, advert_int, garp, preempt_delay, track_interface changed in place: no priority 0, no state change"

# A lower priority than the backup's takes the normal advert path: d2
# (preempt) takes over once, d1 becomes BACKUP without a priority-0 advert.
VRRP_VERSION=3 VRRP_ADVERT=0.2 VRRP_STATE=MASTER vrrp_ini "$T/d1.ini" 90 \
	"virtual_ipaddress = 10.9.0.52 dev eth0"
lv_ctl d1 reload >/dev/null || vrrp_fail "reload refused"
wait_for 10 is_state d2 MASTER || vrrp_fail "d2 did not preempt d1 at priority 90"
wait_for 10 is_state d1 BACKUP || vrrp_fail "d1 is $(lv_state d1)"
[ "$(lv_counter d1 prio0_sent)" = "$z1" ] || vrrp_fail "d1 sent a priority-0 advert"
ok "priority below the backup's: d2 preempted through the adverts"
