#!/usr/bin/env bash
# test_import_compare.sh (VM) — keepalived and lvsd do the same job from
# the same file: for each tests/import/vm/*.conf, keepalived (Debian's
# 2.2.7) runs the original, then lvsd runs what lvsd-import made of it,
# each in turn on the same host; `ipvsadm -Ln` (each real server line
# with its service, sorted) must be equal, and where there is a
# vrrp_instance both become MASTER, add the virtual address and run the
# notify_master program. fwmark-group.conf holds a firewall mark with
# persistence and a group mixing addresses, a range and a mark (DR: the
# mark's destinations hold port 0 in both, lvsd.ini(5)).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/topo.sh
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
KA=$(command -v keepalived) || { echo "no keepalived (tools/deps.sh installs it)"; exit 77; }
ns_init
B=${B:-build}
MARK=/run/lvsd-import-cmp.master
# the interfaces the files name (a veth pair, as on the seed's directors)
ip link add eth0 type veth peer name eth1
NS_LINKS+=(eth0)
ip link set eth0 up
ip link set eth1 up

# ipvsadm -Ln as "SERVICE | DESTINATION" lines, sorted, without the
# connection counters (a service without destinations keeps its line)
table() {
	ipvsadm -Ln | awk '
		/^(TCP|UDP|SCTP|FWM) / { if (svc != "" && !n) print svc; svc = $0; n = 0; next }
		/->/ && svc != "" && $2 != "RemoteAddress:Port" {
			print svc " | " $2 " " $3 " " $4; n++; next }
		END { if (svc != "" && !n) print svc }' | sed 's/  */ /g' | sort
}
# waits until the table is the same twice 0.5 s apart (both daemons add
# the services one by one), at most 30 s
settle() {
	local a b i
	a=$(table)
	for i in $(seq 60); do
		sleep 0.5
		b=$(table)
		[ -n "$b" ] && [ "$a" = "$b" ] && return 0
		a=$b
	done
	return 1
}
vip_up() { ip -4 addr show dev eth0 | grep -q " $1/"; }
# eth0 keeps one address of its own: VRRP sends its adverts from it
clean() {
	ipvsadm -C
	ip addr flush dev eth0
	ip addr add 10.77.0.2/24 dev eth0
	rm -f "$MARK"
}

n=0
for conf in tests/import/vm/*.conf; do
	name=$(basename "$conf" .conf)
	ini=$NS_TMP/$name.ini
	rc=0
	"$B/lvsd-import" -o "$ini" "$conf" 2>"$NS_TMP/$name.err" || rc=$?
	[ $rc = 0 ] || { cat "$NS_TMP/$name.err"; fail "$name: lvsd-import exit $rc"; }
	if ! "$B/lvsd" -t -P "$B/plugins" -c "$ini" >"$NS_TMP/$name.t" 2>&1; then
		cat "$NS_TMP/$name.t"
		fail "$name: lvsd -t refuses the conversion"
	fi
	vip=$(sed -n 's/^virtual_ipaddress = \([0-9.]*\).*/\1/p' "$ini" | head -1)

	# keepalived on the original
	clean
	NS_LOG=$NS_TMP/ka.$name.log ns_bg - "$KA" -n -l -D -f "$PWD/$conf" \
		-p "$NS_TMP/ka.pid" -c "$NS_TMP/ka_chk.pid" -r "$NS_TMP/ka_vrrp.pid"
	ka=$NS_LAST_PID
	settle || { cat "$NS_TMP/ka.$name.log"; fail "$name: keepalived's table did not settle"; }
	if [ -n "$vip" ]; then
		wait_for 20 vip_up "$vip" || { cat "$NS_TMP/ka.$name.log"; fail "$name: keepalived never added $vip (not MASTER)"; }
		wait_for 10 test -e "$MARK" || fail "$name: keepalived ran no notify_master"
	fi
	table >"$NS_TMP/$name.ka"
	ns_stop "$ka"

	# lvsd on the conversion
	clean
	LVSD_LOG=$NS_TMP/lvsd.$name.log
	LVSD_STATE=$NS_TMP/lvsd.$name.state
	lvsd_start "$ini"
	settle || { cat "$LVSD_LOG"; fail "$name: lvsd's table did not settle"; }
	if [ -n "$vip" ]; then
		wait_for 20 vip_up "$vip" || { cat "$LVSD_LOG"; fail "$name: lvsd never added $vip (not MASTER)"; }
		wait_for 10 test -e "$MARK" || fail "$name: lvsd ran no notify_master"
		lvsctl status | grep -q 'MASTER' || fail "$name: lvsctl status shows no MASTER"
	fi
	table >"$NS_TMP/$name.lvsd"
	ns_stop "$LVSD_PID"
	clean

	diff -u "$NS_TMP/$name.ka" "$NS_TMP/$name.lvsd" ||
		fail "$name: ipvsadm -Ln differs (- keepalived, + lvsd)"
	[ -s "$NS_TMP/$name.ka" ] || fail "$name: an empty table compared"
	ok "$name: $(wc -l <"$NS_TMP/$name.ka") destinations the same${vip:+, both MASTER with $vip and notify_master}"
	n=$((n + 1))
done
[ $n -ge 2 ] || fail "only $n files compared"
echo "($n files compared in $SECONDS s)"
