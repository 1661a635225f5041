#!/usr/bin/env bash
# test_vrrp_garp.sh — keepalived's garp_master_* on the wire: a director
# becomes master of an IPv4 and an IPv6 instance; tcpdump on the client
# sees, per address, garp_master_repeat announcements (gratuitous ARP /
# unsolicited NA) spaced garp_interval at once, the same again after
# garp_master_delay, and garp_master_refresh_repeat every
# garp_master_refresh while master. Timing is checked loosely (±0.6 s).
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -e "${B:-build}/plugins/vrrp_vrrp.so" ] || { echo "no VRRP plugin built"; exit 77; }
command -v tcpdump >/dev/null || { echo "no tcpdump"; exit 77; }
ns_init
vrrp_topo 1
T=$NS_TMP
garp=(
	"garp_master_repeat = 3"
	"garp_interval = 0.05"
	"garp_master_delay = 2"
	"garp_master_refresh = 3"
	"garp_master_refresh_repeat = 2"
)
VRRP_STATE=MASTER vrrp_ini "$T/v4" 150 "${garp[@]}"
VRRP_STATE=MASTER VRRP_VERSION=3 VRRP_VRID=52 VRRP_VIP=fd00:9::50/64 vrrp_ini "$T/v6" 150 "${garp[@]}"
sed 's/^\[vrrp VI_1\]/[vrrp VI_6]/' "$T/v6" | cat "$T/v4" - >"$T/d1.ini"
# fix11: [global] vrrp_rt_priority sets the engine thread's SCHED_RR
# priority (checked below with ps)
printf '[global]\nvrrp_rt_priority = 7\n\n' | cat - "$T/d1.ini" >"$T/d1.tmp" && mv "$T/d1.tmp" "$T/d1.ini"

NS_LOG=$T/cap.txt ns_bg c tcpdump -l -n -tt -i eth0 'arp or (icmp6 and ip6[40] == 136)'
sleep 1.5 # tcpdump is listening
lv_start d1 "$T/d1.ini"
wait_ms 5000 is_state d1 MASTER >/dev/null || vrrp_fail "d1 is $(lv_state d1)"
wait_ms 5000 is_state d1 MASTER VI_6 >/dev/null || vrrp_fail "VI_6 of d1 is $(lv_state d1 VI_6)"
ps -L -o cls=,rtprio= -p "$(lv_pid d1)" | grep -q "RR *7" ||
	vrrp_fail "no thread of lvsd runs SCHED_RR 7: $(ps -L -o cls=,rtprio= -p "$(lv_pid d1)" | sort | uniq -c)"
ok "vrrp_rt_priority = 7: the VRRP engine runs SCHED_RR at 7"
sleep 8

# check WHAT PATTERN: the times of matching packets, relative to the first
check() {
	local what=$1 pat=$2 times
	times=$(grep -E "$pat" "$T/cap.txt" | awk 'NR == 1 {t0 = $1} {printf "%.2f\n", $1 - t0}')
	echo "$what announcements at: $(echo $times)"
	awk -v what="$what" '
		{ t[NR] = $1 }
		function n(a, b,   k, c) { c = 0; for (k in t) if (t[k] >= a && t[k] < b) c++; return c }
		END {
			bad = ""
			if (n(0, 0.8) != 3) bad = bad " first set: " n(0, 0.8) " (want 3 within garp_interval)"
			if (n(1.4, 2.6) != 3) bad = bad " second set at 2 s: " n(1.4, 2.6) " (want 3)"
			if (n(2.6, 3.8) != 2) bad = bad " refresh at 3 s: " n(2.6, 3.8) " (want 2)"
			if (n(3.8, 5.4) != 0) bad = bad " between: " n(3.8, 5.4) " (want 0)"
			if (n(5.4, 6.8) != 2) bad = bad " refresh at 6 s: " n(5.4, 6.8) " (want 2)"
			if (bad != "") { print what ":" bad; exit 1 }
		}' <<<"$times"
}
check IPv4 "ARP, (Request who-has 10\.9\.0\.50 tell 10\.9\.0\.50|Reply 10\.9\.0\.50 is-at)" ||
	vrrp_fail "gratuitous ARPs not as configured"
ok "IPv4: garp_master_repeat 3, again after garp_master_delay 2 s, 2 every garp_master_refresh 3 s"
check IPv6 "neighbor advertisement, tgt is fd00:9::50" || vrrp_fail "unsolicited NAs not as configured"
ok "IPv6: the same with unsolicited neighbour advertisements"

# Issue 11 (fix11) 1: garp_master_refresh removed by a reload on the
# MASTER cancels the refresh timer; it used to fire on every loop pass (a
# flood of tens of thousands of ARPs a second).
sed -i '/garp_master_refresh/d' "$T/d1.ini"
lv_ctl d1 reload >/dev/null || vrrp_fail "reload refused"
n0=$(wc -l <"$T/cap.txt")
sleep 3
n1=$(wc -l <"$T/cap.txt")
[ $((n1 - n0)) -le 12 ] || vrrp_fail "$((n1 - n0)) announcements in 3 s after garp_master_refresh was removed"
ok "garp_master_refresh removed in place: no more refreshes ($((n1 - n0)) packets in 3 s)"

# fix11 8: under version 2 a changed advert_int makes the backups drop
# the adverts (RFC 3768 7.1): the reload says so.
sed -i '0,/^advert_int = 1$/s//advert_int = 2/' "$T/d1.ini"
lv_ctl d1 reload >/dev/null || vrrp_fail "reload refused"
wait_ms 5000 grep -q "vrrp VI_1: version 2: backups drop adverts whose virtual addresses or advert_int differ" "$T/d1.log" >/dev/null ||
	vrrp_fail "no warning for a version 2 advert_int changed in place"
grep -q "vrrp VI_6: version 2" "$T/d1.log" && vrrp_fail "a version 3 instance warned"
ok "version 2 advert_int changed in place: warned"
