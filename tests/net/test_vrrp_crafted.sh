#!/usr/bin/env bash
# test_vrrp_crafted.sh — adverts a router must drop are dropped and
# counted. d1 runs VI_1 (v2, PASS, VRID 51, IPv4) and VI_6 (v3, VRID 52,
# IPv6) as MASTER with priority 100; a sender namespace crafts adverts
# with priority 200 — each would make d1 step down if it were accepted —
# with a wrong password, VRID, TTL, checksum, version; each is counted
# under its reason in `lvsctl status` and d1 stays MASTER. Then a good
# advert of priority 200 does make it step down (the sender works).
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -e "${B:-build}/plugins/vrrp_vrrp.so" ] || { echo "no VRRP plugin built"; exit 77; }
ns_init
vrrp_topo 2 # d2 is only the sender
LL=$(ip -n "$(ns d2)" -6 -o addr show dev eth0 scope link | awk '{print $4}' | cut -d/ -f1)
[ -n "$LL" ] || fail "d2 has no link-local address"
VRRP_STATE=MASTER vrrp_ini "$NS_TMP/d1.ini" 100
cat >>"$NS_TMP/d1.ini" <<EOT

[vrrp VI_6]
state = MASTER
interface = eth0
virtual_router_id = 52
priority = 100
advert_int = 0.5
virtual_ipaddress = 2001:db8::50/64 dev eth0
EOT
lv_start d1 "$NS_TMP/d1.ini"
both_master() { is_state d1 MASTER VI_1 && is_state d1 MASTER VI_6; }
wait_ms 4000 both_master >/dev/null || vrrp_fail "d1 is not MASTER: $(lv_state d1 VI_1) $(lv_state d1 VI_6)"
send4() { ns_exec d2 python3 tests/lib/vrrpsend.py --dev eth0 --src 10.9.0.12 \
	--addr 10.9.0.50 --prio 200 --count 3 "$@"; }
send6() { ns_exec d2 python3 tests/lib/vrrpsend.py --dev eth0 --src "$LL" --version 3 \
	--vrid 52 --int 50 --addr 2001:db8::50 --prio 200 --count 3 "$@"; }
expect() { # INSTANCE COUNTER MIN
	local v
	for _ in $(seq 20); do
		v=$(lv_counter d1 "$2" "$1")
		[ "${v:-0}" -ge "$3" ] && return 0
		sleep 0.1
	done
	vrrp_fail "$1: $2 is ${v:-?}, expected at least $3"
}

send4 --pass wrongpw;             expect VI_1 bad_auth 3
send4;                            expect VI_1 bad_auth 6 # no password at all
send4 --pass password --vrid 77;  expect VI_1 bad_vrid 3
send4 --pass password --ttl 254;  expect VI_1 bad_ttl 3
send4 --pass password --bad-checksum; expect VI_1 bad_checksum 3
send4 --pass password --wire-version 3; expect VI_1 bad_version 3
send4 --pass password --int 200;  expect VI_1 bad_interval 3
send6 --ttl 64;                   expect VI_6 bad_ttl 3
send6 --bad-checksum;             expect VI_6 bad_checksum 3
send6 --wire-version 2;           expect VI_6 bad_version 3
send6 --vrid 78;                  expect VI_6 bad_vrid 3
sleep 0.5
both_master || vrrp_fail "a dropped advert changed the state: $(lv_state d1 VI_1) $(lv_state d1 VI_6)"
[ "$(lv_counter d1 adverts_rcvd VI_1)" = 0 ] && [ "$(lv_counter d1 adverts_rcvd VI_6)" = 0 ] ||
	vrrp_fail "a bad advert was counted as received"
lv_ctl d1 status | sed -n '/^vrrp/,$p'
ok "wrong password, VRID, TTL, checksum, version, interval: dropped and counted"

# The same sender with everything right: d1 yields to priority 200.
send4 --pass password
wait_ms 2000 is_state d1 BACKUP VI_1 >/dev/null || vrrp_fail "a good advert was not taken: $(lv_state d1)"
send6
wait_ms 2000 is_state d1 BACKUP VI_6 >/dev/null || vrrp_fail "a good v3 IPv6 advert was not taken"
grep -q "VI_6: MASTER -> BACKUP: advert from $LL with a higher priority 200" "$NS_TMP/d1.log" ||
	vrrp_fail "the reason is not logged"
ok "good adverts of priority 200 (v2 and v3/IPv6) make d1 step down"
# ...and it takes over again when they stop (v3 learnt 0.5 s from them:
# 3 x 0.5 + 156/256 x 0.5 s).
t=$(wait_ms $((1805 + 1000)) is_state d1 MASTER VI_6) || vrrp_fail "VI_6 did not take over again (${t} ms)"
ok "VI_6 master again ${t} ms after the last advert"
