#!/usr/bin/env bash
# test_vrrp_keepalived.sh — interoperability with keepalived (Debian's
# 2.2.7) in the same virtual router, VRRPv2 (PASS) and VRRPv3, in both
# roles: keepalived master / lvsd backup (lvsd accepts its adverts: no
# error counted), kill -9 of keepalived's VRRP process → lvsd takes the VIP
# in time; then lvsd master / keepalived backup (keepalived stays backup),
# kill -9 of lvsd → keepalived takes the VIP.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -e "${B:-build}/plugins/vrrp_vrrp.so" ] || { echo "no VRRP plugin built"; exit 77; }
KA=$(command -v keepalived) || { echo "no keepalived (tools/deps.sh installs it)"; exit 77; }
ns_init
vrrp_topo 2
VIP=10.9.0.50
MARGIN=1000

ka_conf() { # FILE VERSION PRIO
	{
		echo "global_defs { router_id ka_$3 }"
		echo "vrrp_instance VI_1 {"
		echo "  state BACKUP"
		echo "  interface eth0"
		echo "  virtual_router_id 51"
		echo "  priority $3"
		echo "  advert_int 1"
		echo "  version $2"
		[ "$2" = 2 ] && echo "  authentication { auth_type PASS; auth_pass password }" |
			tr ';' '\n'
		echo "  virtual_ipaddress { $VIP/32 dev eth0 }"
		echo "}"
	} >"$1"
}
# ka_start NS CONF: keepalived (VRRP only, not respawning its child).
ka_start() {
	rm -f "$NS_TMP/ka.pid" "$NS_TMP/ka_vrrp.pid"
	NS_LOG=$NS_TMP/keepalived.$1.log ns_bg "$1" "$KA" -n -l -D -R -f "$2" --vrrp \
		-p "$NS_TMP/ka.pid" -r "$NS_TMP/ka_vrrp.pid"
	KA_PID=$NS_LAST_PID
	wait_for 10 test -s "$NS_TMP/ka_vrrp.pid" || vrrp_fail "keepalived did not start"
	KA_VRRP=$(cat "$NS_TMP/ka_vrrp.pid")
}
ka_stop() {
	kill -9 "$KA_VRRP" 2>/dev/null
	ns_stop "$KA_PID"
}
no_errors() { # NAME: lvsd counted no bad advert
	local c
	for c in bad_checksum bad_version bad_vrid bad_ttl bad_auth bad_length \
		bad_interval bad_addr_list; do
		[ "$(lv_counter "$1" $c)" = 0 ] || { echo "$c = $(lv_counter "$1" $c)"; return 1; }
	done
}
clear_vip() { ip -n "$(ns "$1")" addr del $VIP/32 dev eth0 2>/dev/null || true; }

for v in 2 3; do
	# keepalived master (150), lvsd backup (100)
	ka_conf "$NS_TMP/ka.conf" $v 150
	VRRP_VERSION=$v vrrp_ini "$NS_TMP/lv.ini" 100
	ka_start d1 "$NS_TMP/ka.conf"
	lv_start d2 "$NS_TMP/lv.ini"
	wait_ms $((3414 + MARGIN + 2000)) has_vip d1 $VIP >/dev/null || vrrp_fail "v$v: keepalived not master"
	sleep 2.5
	is_state d2 BACKUP || vrrp_fail "v$v: lvsd is $(lv_state d2) next to a keepalived master"
	has_vip d2 $VIP && vrrp_fail "v$v: lvsd holds the VIP as backup"
	[ "$(lv_counter d2 adverts_rcvd)" -ge 2 ] || vrrp_fail "v$v: lvsd received no adverts from keepalived"
	e=$(no_errors d2) || vrrp_fail "v$v: lvsd refused keepalived's adverts: $e"
	ok "v$v: keepalived MASTER, lvsd BACKUP accepting its adverts"
	kill -9 "$KA_VRRP"
	t=$(wait_ms $((3609 + MARGIN)) has_vip d2 $VIP) || vrrp_fail "v$v: lvsd did not take over (${t} ms)"
	ok "v$v: kill -9 keepalived → lvsd took the VIP in ${t} ms"
	ka_stop
	ns_stop "$(lv_pid d2)"
	clear_vip d1
	clear_vip d2

	# lvsd master (150), keepalived backup (100)
	ka_conf "$NS_TMP/ka.conf" $v 100
	VRRP_VERSION=$v vrrp_ini "$NS_TMP/lv.ini" 150
	lv_start d1 "$NS_TMP/lv.ini"
	ka_start d2 "$NS_TMP/ka.conf"
	wait_ms $((3414 + MARGIN + 2000)) is_state d1 MASTER >/dev/null || vrrp_fail "v$v: lvsd not master"
	sleep 4 # more than keepalived's Master_Down_Interval
	has_vip d2 $VIP && vrrp_fail "v$v: keepalived took the VIP from an lvsd master"
	has_vip d1 $VIP && is_state d1 MASTER || vrrp_fail "v$v: lvsd lost the master role: $(lv_state d1)"
	e=$(no_errors d1) || vrrp_fail "v$v: lvsd refused keepalived's adverts: $e"
	ok "v$v: lvsd MASTER, keepalived stays BACKUP"
	kill -9 "$(lv_pid d1)"; wait "$(lv_pid d1)" 2>/dev/null
	t=$(wait_ms $((3609 + MARGIN)) has_vip d2 $VIP) || vrrp_fail "v$v: keepalived did not take over (${t} ms)"
	ok "v$v: kill -9 lvsd → keepalived took the VIP in ${t} ms"
	ka_stop
	clear_vip d1
	clear_vip d2
done
