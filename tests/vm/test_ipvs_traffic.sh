#!/usr/bin/env bash
# test_ipvs_traffic.sh (VM) — real HTTP requests through the VIP follow the
# scheduler lvsd programmed: rr splits equally (±1), wrr 3:1 (within 5 %).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/topo.sh
ns_init
topo_nat
cfg=$NS_TMP/lvsd.ini

write_cfg() { # scheduler w1 w2
	cat >"$cfg" <<-EOF
	[virtual_server web]
	address = 192.168.0.30:80
	scheduler = $1
	[real_server web 10.0.0.51:80]
	weight = $2
	[real_server web 10.0.0.52:80]
	weight = $3
	EOF
}

# count N: N requests from the client (in one process, for speed), then
# "a b" = answers from Backend01 and Backend02; anything else fails.
count() {
	ns_exec client python3 - "$1" <<-'EOF'
	import sys, urllib.request
	c = {"Backend01": 0, "Backend02": 0}
	for i in range(int(sys.argv[1])):
	    body = urllib.request.urlopen("http://192.168.0.30/", timeout=3).read().decode().strip()
	    c[body] += 1
	print(c["Backend01"], c["Backend02"])
	EOF
}

write_cfg rr 1 1
lvsd_start "$cfg"
set -- $(count 40); a=$1 b=$2
echo "rr: Backend01 $a, Backend02 $b"
[ $((a + b)) -eq 40 ] && [ $((a - b)) -le 1 ] && [ $((b - a)) -le 1 ] ||
	fail "rr split $a/$b, want 20/20 ±1"
ok "rr: $a/$b of 40"

write_cfg wrr 3 1
kill -HUP "$LVSD_PID"
wait_for 5 sh -c "ipvsadm -Ln | grep -q '^TCP  192.168.0.30:80 wrr'" || fail "wrr not programmed"
ipvsadm -Z
set -- $(count 200); a=$1 b=$2
echo "wrr 3:1: Backend01 $a, Backend02 $b"
# 3:1 of 200 is 150/50; within 5 % of the total: 140..160.
[ $((a + b)) -eq 200 ] && [ "$a" -ge 140 ] && [ "$a" -le 160 ] ||
	fail "wrr split $a/$b, want 150/50 within 5 %"
ok "wrr 3:1: $a/$b of 200"
