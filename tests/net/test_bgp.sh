#!/usr/bin/env bash
# test_bgp.sh (net) — the liveness path of [bgp] on the host, with real
# BIRD 2 and without IPVS (--no-ipvs): a router namespace peers with a
# director namespace whose BIRD runs etc/bird-lvsd.conf as it ships.
# The VIP's route on the router follows lvsd's decision: announced while
# quorum holds, withdrawn on quorum loss, on stop, on kill -9 (the TUN
# device dies with the process), also when the device had been made
# persistent beforehand; a device name taken by another kind of device is
# a reason in the status, nothing announced; a reload that raises
# announce_delay and adds a virtual server keeps the address announced;
# lvsd -t warns of a device name taken by eth1. (tests/vm/test_bgp.sh: ECMP
# and traffic through real IPVS.)
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
ns_init
T0=$(date +%s%N)
ok() { echo "ok: $* (+$((($(date +%s%N) - T0) / 1000000)) ms)"; }
B=${B:-build}
VIP=192.168.100.10
command -v bird >/dev/null || fail "bird (bird2) is not installed (make deps)"
[ -c /dev/net/tun ] || fail "no /dev/net/tun"

ns_add router
ns_add d1
ns_add b1
ns_link router eth0 10.10.0.1/24 d1 eth0 10.10.0.11/24
ns_link d1 eth1 10.20.0.11/24 b1 eth0 10.20.0.21/24
timers="hold time 20; keepalive time 3; connect delay time 1; connect retry time 1; error wait time 1, 2;"
cat >"$NS_TMP/router.conf" <<-EOF
	router id 10.10.0.1;
	protocol device {}
	protocol kernel { ipv4 { import none; export all; }; }
	protocol bgp d1 { local 10.10.0.1 as 65000; neighbor 10.10.0.11 as 65001; passive on; $timers
		ipv4 { import all; export none; }; }
EOF
cat >"$NS_TMP/d1.conf" <<-EOF
	router id 10.10.0.11;
	protocol device {}
	include "$PWD/etc/bird-lvsd.conf";
	protocol bgp uplink { local 10.10.0.11 as 65001; neighbor 10.10.0.1 as 65000; $timers
		ipv4 { import none; export where proto = "lvsd"; }; }
EOF
NS_LOG=$NS_TMP/bird-r.log ns_bg router bird -f -c "$NS_TMP/router.conf" -s "$NS_TMP/r.ctl"
NS_LOG=$NS_TMP/bird-d.log ns_bg d1 bird -f -c "$NS_TMP/d1.conf" -s "$NS_TMP/d.ctl"
NS_LOG=$NS_TMP/chk.log ns_bg b1 "${HTTPD[@]}" --port 8081 --name Backend01
CHK=$NS_LAST_PID
cat >"$NS_TMP/lvsd.ini" <<-EOF
	[bgp]
	enabled = yes
	[virtual_server web]
	address = $VIP:80
	scheduler = mh
	method = DR
	delay_loop = 1
	retry = 0
	connect_timeout = 1
	bgp_announce = yes
	[real_server web 10.20.0.21:80]
	check = TCP
	connect_port = 8081
EOF
start() {
	NS_LOG=$NS_TMP/lvsd.log ns_bg d1 "$B/lvsd" -n --no-ipvs -P "$B/plugins" \
		-c "$NS_TMP/lvsd.ini" -S "$NS_TMP/lvsd.sock" --state-file "$NS_TMP/state" "$@"
	LVSD=$NS_LAST_PID
	wait_for 15 status || fail "lvsd did not start: $(cat "$NS_TMP/lvsd.log")"
}
status() { ns_exec d1 "$B/lvsctl" -s "$NS_TMP/lvsd.sock" status "$@"; }
bgp_line() { status | grep -A1 '^BGP:' | tail -n1; }
routed() { ns_exec router ip route show "$VIP" | grep -q 'via 10.10.0.11'; }
unrouted() { ! routed; }
trap 'rc=$?; [ $rc -eq 0 ] || { ns_exec router ip route; tail -n 20 "$NS_TMP/lvsd.log"; }; ns_cleanup' EXIT

# lvsd -t: a device name taken here by an interface that is not a TUN
# device (eth1, a TAP device) is a warning (a free name or a TUN one: none)
ns_exec d1 ip tuntap add dev tap0 mode tap
ns_exec d1 ip tuntap add dev tun0 mode tun
for dev in eth1 tap0 tun0 lvsd-bgp; do
	sed "s/^\(\s*\)enabled = yes/&\n\1device = $dev/" "$NS_TMP/lvsd.ini" >"$NS_TMP/t.ini"
	out=$(ns_exec d1 "$B/lvsd" -t -P "$B/plugins" -c "$NS_TMP/t.ini" 2>&1) || fail "lvsd -t, device $dev: $out"
	case $dev in
	eth1|tap0) [[ $out == *"warning: [bgp] device: interface '$dev' exists here and is not a TUN device"* ]] ||
		fail "lvsd -t, device $dev: no warning: $out" ;;
	*) [[ $out != *warning* ]] || fail "lvsd -t, device $dev: $out" ;;
	esac
done
ns_exec d1 ip link del tap0
ns_exec d1 ip link del tun0
ok "lvsd -t warns of a device name taken by eth1 or a TAP device"

start
wait_for 25 routed || fail "the router has no route to $VIP via d1"
[[ $(bgp_line) == *"web $VIP: announced (on lvsd-bgp)"* ]] || fail "status: $(bgp_line)"
ok "announced: the router routes $VIP via d1"

# lvsd owns its device: it reads it back (netlink events, every sync
# interval) and repairs what others did to it; the status is what is on it
on_dev() { ns_exec d1 ip -br addr show dev lvsd-bgp | grep -q " $1/"; }
logged() { grep -q "$1" "$NS_TMP/lvsd.log"; }
ns_exec d1 ip addr del $VIP/32 dev lvsd-bgp
wait_for 12 on_dev $VIP || fail "an address deleted by hand: not restored: $(status | grep -A1 '^BGP:')"
wait_for 12 routed || fail "an address deleted by hand: the router has no route again"
logged "$VIP was removed from lvsd-bgp (not by lvsd): adding it again" || fail "the repair is not logged"
ok "an address deleted by hand is added again, the router routes it again"
STRAY=192.168.100.77
ns_exec d1 ip addr add $STRAY/32 dev lvsd-bgp
wait_for 12 eval "! on_dev $STRAY" || fail "a stray address stays on lvsd-bgp"
logged "stray address $STRAY/32 on lvsd-bgp" || fail "the stray address's removal is not logged"
wait_for 12 eval "! ns_exec router ip route show $STRAY | grep -q via" || fail "the router routes the stray $STRAY"
[[ $(status | grep '^BGP:') == *"1 address on it"* ]] || fail "status: $(status | grep '^BGP:')"
ok "a stray address is removed (not announced)"
# the VIP as a /24 instead of lvsd's /32: BIRD would announce the prefix
ns_exec d1 ip addr del $VIP/32 dev lvsd-bgp
ns_exec d1 ip addr add $VIP/24 dev lvsd-bgp
wait_for 12 eval "ns_exec d1 ip -br addr show dev lvsd-bgp | grep -q ' $VIP/32' && ! ns_exec d1 ip -br addr show dev lvsd-bgp | grep -q ' $VIP/24'" ||
	fail "the VIP as a /24: not repaired: $(ns_exec d1 ip -br addr show dev lvsd-bgp)"
logged "$VIP/24 on lvsd-bgp is not a host address" || fail "the /24's removal is not logged"
wait_for 12 routed || fail "the VIP as a /24: the router has no route again"
ns_exec router ip route show 192.168.100.0/24 | grep -q via && fail "the router routes the /24"
ok "the VIP as a /24 is put back as a /32"
ns_exec d1 ip link set lvsd-bgp down
link_up() { ns_exec d1 ip link show lvsd-bgp | grep -q '[<,]UP[,>]'; }
wait_for 12 link_up || fail "lvsd-bgp set down: not set up again"
wait_for 12 routed || fail "lvsd-bgp set down: the router has no route again"
logged "device lvsd-bgp was set down (not by lvsd): set up again" || fail "the repair is not logged"
ok "the device set down is set up again"
ns_exec d1 ip link del lvsd-bgp
wait_for 12 on_dev $VIP || fail "lvsd-bgp deleted: not created again"
wait_for 12 routed || fail "lvsd-bgp deleted: the router has no route again"
logged "device lvsd-bgp deleted or renamed (not by lvsd): creating it again" || fail "the repair is not logged"
[[ $(bgp_line) == *"web $VIP: announced (on lvsd-bgp)"* ]] || fail "status: $(bgp_line)"
ok "the device deleted by hand is created again"
status --json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
g, w = d["bgp"], d["virtual_servers"][0]["bgp"]
assert g["device_up"] and g["addresses"] == [sys.argv[1]] and g["repairs"] >= 4, g
assert w["state"] == "announced" and w["on_device"], w' $VIP || fail "status --json: $(status --json)"
ok "status --json: the read-back device, its addresses and repairs"

ns_stop "$CHK"
wait_for 15 unrouted || fail "quorum lost, still routed"
[[ $(bgp_line) == *"withdrawn: quorum lost"* ]] || fail "status: $(bgp_line)"
ok "quorum lost: withdrawn ($(bgp_line | sed 's/^ *//'))"
NS_LOG=$NS_TMP/chk2.log ns_bg b1 "${HTTPD[@]}" --port 8081 --name Backend01
wait_for 15 routed || fail "quorum back, not announced again"
ok "quorum back: announced again"

t0=$(date +%s%N)
kill -9 "$LVSD"
wait_for 20 unrouted || fail "kill -9: still routed after 20 s (the hold time)"
ok "kill -9: withdrawn after $((($(date +%s%N) - t0) / 1000000)) ms (hold time 20 s)"
ns_exec d1 ip link show lvsd-bgp >/dev/null 2>&1 && fail "the device outlived lvsd"
# withdrawn by an UPDATE, not by the BGP session going down
ns_exec router birdc -s "$NS_TMP/r.ctl" show protocols d1 | grep -q Established ||
	fail "the router's session to d1 went down"

# a device someone made persistent would outlive lvsd: lvsd undoes that;
# and a stop withdraws (the device goes, with nothing left behind); an
# announce_delay's "waiting" in the status counts down
ns_exec d1 ip tuntap add dev lvsd-bgp mode tun
sed -i 's/^\(\s*\)enabled = yes/&\n\1announce_delay = 6s/' "$NS_TMP/lvsd.ini"
start
left() { bgp_line | sed -n 's/.*waiting: announced in \([0-9]*\) ms (announce_delay).*/\1/p'; }
seen=()
for i in $(seq 100); do # until announced (bounded: 100 reads, 0.2 s apart)
	w=$(left)
	[ -n "$w" ] && seen+=("$w")
	[ ${#seen[@]} -gt 0 ] && [ -z "$w" ] && break
	sleep 0.2
done
[ ${#seen[@]} -ge 2 ] && [ "${seen[0]}" -le 6000 ] && [ "${seen[-1]}" -lt "${seen[0]}" ] ||
	fail "waiting does not count down: ${seen[*]:-no waiting seen} (status: $(bgp_line))"
ok "waiting counts down: ${seen[0]} ms ... ${seen[-1]} ms (${#seen[@]} reads)"
wait_for 15 routed || fail "not announced over a formerly persistent device"
# a reload is neither a start nor a loss: an announced address stays when
# announce_delay is raised and when a ready virtual server is added on it
cp "$NS_TMP/lvsd.ini" "$NS_TMP/lvsd.ini.0"
sed -i 's/announce_delay = 6s/announce_delay = 60s/' "$NS_TMP/lvsd.ini"
printf '%s\n' "[virtual_server web443]" "address = $VIP:443" "scheduler = mh" "method = DR" \
	"bgp_announce = yes" "[real_server web443 10.20.0.21:443]" "check = TCP" "connect_port = 8081" \
	>>"$NS_TMP/lvsd.ini"
ns_exec d1 "$B/lvsctl" -s "$NS_TMP/lvsd.sock" reload >/dev/null || fail "reload: $(tail -n 5 "$NS_TMP/lvsd.log")"
for i in $(seq 8); do # the reload applied at once; 1.6 s more, bounded
	on_dev $VIP || fail "a reload withdrew $VIP: $(bgp_line)"
	sleep 0.2
done
st=$(status | grep -A3 '^BGP:')
[[ $st == *"web $VIP: announced (on lvsd-bgp)"* && $st == *"web443 $VIP: announced (on lvsd-bgp)"* ]] ||
	fail "after the reload: $st"
logged "withdrawn (removed from lvsd-bgp)" && fail "withdrawn at the reload: $(grep withdrawn "$NS_TMP/lvsd.log")"
routed || fail "the reload withdrew the route"
ok "a reload raising announce_delay and adding web443 on $VIP: still announced"
cp "$NS_TMP/lvsd.ini.0" "$NS_TMP/lvsd.ini"
ns_stop "$LVSD"
wait_for 15 unrouted || fail "stop: still routed"
ns_exec d1 ip link show lvsd-bgp >/dev/null 2>&1 && fail "the formerly persistent device outlived lvsd"
grep -q "was persistent" "$NS_TMP/lvsd.log" || fail "no warning about the persistent device"
ok "stop: withdrawn; a persistent lvsd-bgp was made not persistent (gone with lvsd)"

# the name taken by another kind of device (a bridge): nothing announced, and why
# (tried again every sync interval, logged once); the name freed: announced
ns_exec d1 ip link add lvsd-bgp type bridge
start --sync-interval 500
[[ $(bgp_line) == *"withdrawn: cannot create TUN device lvsd-bgp"* ]] || fail "status: $(bgp_line)"
routed && fail "announced without a device"
ok "a bridge named lvsd-bgp: $(status | grep '^BGP:')"
sleep 1.5
n=$(grep -c "cannot create TUN device.*nothing is announced" "$NS_TMP/lvsd.log" || true)
[ "$n" -eq 1 ] || fail "the failure to create the device logged $n times: $(grep "cannot create TUN" "$NS_TMP/lvsd.log")"
ns_exec d1 ip link del lvsd-bgp
wait_for 15 routed || fail "the bridge deleted: lvsd did not create its device"
ok "the bridge deleted: lvsd's device created, announced (the failure logged once)"
