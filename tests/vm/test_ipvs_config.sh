#!/usr/bin/env bash
# test_ipvs_config.sh (VM) — lvsd programs what the configuration says, as
# seen by `ipvsadm -Ln` (an independent oracle): every scheduler with its
# flags, through reloads; then persistence, UDP, SCTP, IPv6, fwmark, DR/TUN,
# thresholds in one file.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/topo.sh
ns_init
modprobe ip_vs_sctp 2>/dev/null || true
cfg=$NS_TMP/lvsd.ini

write_cfg() { # scheduler [flags]
	cat >"$cfg" <<-EOF
	[virtual_server web]
	address = 192.168.0.30:80
	scheduler = $1
	${2:+sched_flags = $2}
	[real_server web 10.0.0.51:80]
	weight = 2
	[real_server web 10.0.0.52:80]
	weight = 1
	EOF
}

# The service line of ipvsadm -Ln for 192.168.0.30:80, flags included.
svc_line() { ipvsadm -Ln | grep '^TCP  192.168.0.30:80 '; }

write_cfg wlc
lvsd_start "$cfg"
for s in rr wrr lc wlc lblc lblcr dh sh sed nq mh fo ovf twos; do
	if [ ! -d /sys/module/ip_vs_$s ]; then
		echo "skip: this kernel ($(uname -r)) has no ip_vs_$s"
		continue
	fi
	flags=
	[ "$s" = sh ] && flags="sh-fallback, sh-port"
	[ "$s" = mh ] && flags="mh-fallback, mh-port"
	write_cfg "$s" "$flags"
	kill -HUP "$LVSD_PID"
	want="TCP  192.168.0.30:80 $s"
	[ -n "$flags" ] && want="$want (${flags// /})"
	wait_for 10 sh -c "ipvsadm -Ln | grep -qxF '$want' " ||
		fail "scheduler $s: ipvsadm shows '$(svc_line)', want '$want'"
	ipvsadm -Ln | grep -q -- '-> 10.0.0.51:80 *Masq *2 ' || fail "$s: weight 2 lost"
	ok "scheduler $s${flags:+ ($flags)}"
done

cat >"$cfg" <<'EOF'
[virtual_server web]
address = 192.168.0.30:80
scheduler = wrr
persistence_timeout = 300
persistence_granularity = 255.255.255.0

[real_server web 10.0.0.51:80]
weight = 3
uthreshold = 100
lthreshold = 10
[real_server web 10.0.0.52:8080]
method = DR

[virtual_server dns]
address = 192.168.0.30:53
protocol = UDP
scheduler = rr
[real_server dns 10.0.0.51:53]
method = TUN

[virtual_server sctp]
address = 192.168.0.30:2905
protocol = SCTP
scheduler = lc
[real_server sctp 10.0.0.51:2905]

[virtual_server v6]
address = [2001:db8::30]:443
scheduler = sh
sched_flags = sh-port
[real_server v6 [2001:db8:1::51]:443]
weight = 5

[virtual_server marked]
fwmark = 42
scheduler = wlc
[real_server marked 10.0.0.52]
weight = 7
EOF
kill -HUP "$LVSD_PID"
sleep 1
got=$(ipvsadm -Ln)
echo "$got"
expect() { echo "$got" | grep -qE -- "$1" || fail "ipvsadm -Ln lacks: $1"; }
expect '^TCP  192.168.0.30:80 wrr persistent 300 mask 255.255.255.0$'
expect '^  -> 10.0.0.51:80 +Masq +3 '
# DR: IPVS holds the service's port, as ipvsadm and keepalived do (lvsd.ini(5))
expect '^  -> 10.0.0.52:80 +Route +1 '
expect '^UDP  192.168.0.30:53 rr$'
expect '^  -> 10.0.0.51:53 +Tunnel +1 '
expect '^SCTP 192.168.0.30:2905 lc$'
expect '^TCP  \[2001:db8::30\]:443 sh \(sh-port\)$'
expect '^  -> \[2001:db8:1::51\]:443 +Masq +5 '
expect '^FWM  42 wlc$'
expect '^  -> 10.0.0.52:0 +Masq +7 '
ipvsadm -Ln --thresholds | grep -qE -- '-> 10.0.0.51:80 +100 +10 ' || fail "thresholds"
nsvc() { ipvsadm -Ln | grep -cE '^(TCP|UDP|SCTP|FWM) '; }
[ "$(nsvc)" -eq 5 ] || fail "not exactly 5 virtual servers"
ok "persistence, UDP, SCTP, IPv6, fwmark, DR, TUN, thresholds"

# A virtual server someone else made is never touched.
ipvsadm -A -t 192.168.0.99:81 -s rr
lvsctl reconcile >/dev/null
ipvsadm -Ln | grep -q '192.168.0.99:81' || fail "lvsd removed a service it does not own"
ok "a foreign virtual server is left alone"
ns_stop "$LVSD_PID"
[ "$(nsvc)" -eq 1 ] || fail "on stop lvsd must remove its own, and only its own"
ok "stop removes what lvsd owns"
