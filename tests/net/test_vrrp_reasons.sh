#!/usr/bin/env bash
# test_vrrp_reasons.sh — issue 11 fault 6: transition reasons must be true.
# 1. Adverts that arrive but are dropped (here: the backup has another
#    auth_pass) are not "no advert": the backup says it got no *valid*
#    advert, how many it dropped and the last reason.
# 2. A tracked interface coming back is named ("track_interface eth1 is up
#    again"), not the VRRP interface ("eth0: links up again").
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -e "${B:-build}/plugins/vrrp_vrrp.so" ] || { echo "no VRRP plugin built"; exit 77; }
ns_init
VRRP_ETH1=1 vrrp_topo 2
T=$NS_TMP
vrrp_ini "$T/d1.ini" 150 "track_interface = eth1"
VRRP_PASS=other vrrp_ini "$T/d2.ini" 100
lv_start d1 "$T/d1.ini" --no-ipvs
wait_ms 10000 is_state d1 MASTER >/dev/null || vrrp_fail "d1 not elected"
lv_start d2 "$T/d2.ini" --no-ipvs
wait_ms 10000 is_state d2 MASTER >/dev/null || vrrp_fail "d2 (another password) did not become master"
line=$(grep "vrrp VI_1: BACKUP -> MASTER" "$T/d2.log" | tail -n 1)
case "$line" in
*"no valid advert for "*" dropped meanwhile (last: authentication failed from 10.9.0.11)"*) ;;
*) vrrp_fail "d2's reason does not say the adverts were dropped: $line" ;;
esac
[ "$(lv_counter d2 bad_auth)" -ge 1 ] || vrrp_fail "no bad_auth counted"
ok "dropped adverts: ${line#*: }"

ip -n "$(ns d1)" link set eth1 down
wait_for 10 is_state d1 FAULT || vrrp_fail "d1 did not go FAULT with eth1 down"
grep -q "vrrp VI_1: MASTER -> FAULT: track_interface eth1 is down" "$T/d1.log" || vrrp_fail "the fault's reason"
ip -n "$(ns d1)" link set eth1 up
leftfault() { grep -q "vrrp VI_1: FAULT -> " "$T/d1.log"; }
wait_for 10 leftfault || vrrp_fail "d1 did not leave FAULT"
line=$(grep "vrrp VI_1: FAULT -> " "$T/d1.log" | tail -n 1)
case "$line" in
*": track_interface eth1 is up again") ;;
*) vrrp_fail "the recovery does not name eth1: $line" ;;
esac
ok "tracked interface back: ${line#*: }"
