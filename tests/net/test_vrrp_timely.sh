#!/usr/bin/env bash
# test_vrrp_timely.sh — issue 11, the master's advert gap under stress.
# 1. The VRRP engine's once-a-second link poll dumped every address of the
# host (getifaddrs: RTM_GETADDR, a netlink dump that waits for the
# kernel's global RTNL lock, which a process tearing down a network
# namespace anywhere on the host holds for up to seconds) on the thread
# that sends the adverts, so a master's adverts could stop for as long.
# Now the source address is picked again only after an rtnetlink address
# or link event. Checked with strace attached to a running master: no
# RTM_GETADDR for 4 s on a quiet link (one a second before); then the
# master's address is replaced and its adverts follow it to the new one
# (the event path still works); lvsctl status shows adverts_late and
# advert_late_max_ms.
# 2. Where lvsd may use two CPUs, the backstop thread (lvsd-vrrp-bs) runs
# beside the engine's (lvsd-vrrp) with the same scheduling (SCHED_RR 1 as
# root): a backstop that did not inherit it would be as late as the
# engine it stands in for.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -e "${B:-build}/plugins/vrrp_vrrp.so" ] || { echo "no VRRP plugin built"; exit 77; }
command -v strace >/dev/null || { echo "SKIP: no strace (make deps)"; exit 77; }
ns_init
vrrp_topo 1
T=$NS_TMP
VRRP_STATE=MASTER vrrp_ini "$T/d1.ini" 150
lv_start d1 "$T/d1.ini" --no-ipvs
wait_ms 10000 is_state d1 MASTER >/dev/null || vrrp_fail "d1 did not become MASTER"
sleep 1.5 # the events of its own VIP are read by now

# strace from outside the namespace: it attaches to every thread of the
# running daemon and detaches when timeout stops it.
timeout -s INT 4 strace -f -qq -e trace=sendto,sendmsg -o "$T/st" -p "$(lv_pid d1)" 2>"$T/st.err"
[ -s "$T/st" ] || vrrp_fail "strace saw nothing: $(cat "$T/st.err")"
grep -q "sendmsg(" "$T/st" || vrrp_fail "strace did not see the adverts being sent"
# RTM_GETADDR is type 22: strace names it only where it can see the
# socket's protocol (not across namespaces).
dumps() { grep -E "nlmsg_type=(RTM_GETADDR|0x16 )" "$T/st"; }
n=$(dumps | grep -c .)
[ "$n" = 0 ] || vrrp_fail "the daemon dumped the addresses $n times in 4 s with nothing changing: $(dumps | head -n 2)"
ok "a MASTER on a quiet link: no address dump in 4 s (the engine keeps its source)"

# The event path: its address goes, another comes: adverts follow.
NS_LOG=$T/cap.out ns_bg c chrt -r 1 python3 tests/lib/vrrpcap.py --dev eth0 --out "$T/cap" --duration 30
sleep 0.5
ip -n "$(ns d1)" addr add 10.9.2.11/24 dev eth0 || fail "cannot add 10.9.2.11"
ip -n "$(ns d1)" addr del 10.9.0.11/24 dev eth0 || fail "cannot delete 10.9.0.11"
from_new() { awk '$2 == "10.9.2.11" && $3 == 51 && $4 == 150 { f = 1 } END { exit !f }' "$T/cap"; }
t=$(wait_ms 5000 from_new) || vrrp_fail "no advert from the new address 10.9.2.11 after ${t} ms: $(tail -n 3 "$T/cap")"
is_state d1 MASTER || vrrp_fail "d1 is $(lv_state d1)"
ok "its address replaced: adverts from the new one after ${t} ms"

late=$(lv_counter d1 adverts_late)
max=$(lv_counter d1 advert_late_max_ms)
[[ "$late" =~ ^[0-9]+$ && "$max" =~ ^[0-9]+\.[0-9]$ ]] ||
	vrrp_fail "lvsctl status: adverts_late '$late' advert_late_max_ms '$max'"
ok "lvsctl status: adverts_late $late advert_late_max_ms $max"

[ "$(nproc)" -ge 2 ] || { ok "one CPU: no backstop thread expected"; exit 0; }
ps -L -o cls=,rtprio=,comm= -p "$(lv_pid d1)" >"$T/threads"
eng=$(awk '$3 == "lvsd-vrrp" { print $1, $2 }' "$T/threads")
bs=$(awk '$3 == "lvsd-vrrp-bs" { print $1, $2 }' "$T/threads")
[ -n "$eng" ] || vrrp_fail "no lvsd-vrrp thread: $(cat "$T/threads")"
[ "$bs" = "$eng" ] || vrrp_fail "the backstop thread runs '$bs', want '$eng': $(cat "$T/threads")"
ok "the backstop thread runs beside the engine's, both $eng"
