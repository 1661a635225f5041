#!/bin/bash
# tests/vm/host_vm_smoke.sh (run on the host): tools/vm/run gives a VM with real IPVS (every
# scheduler the kernel has), network namespaces, a results share that reaches
# the host, and passes exit codes and timeouts back.  Three boots, ~10 s.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
run=$top/tools/vm/run
results=$(mktemp -d /var/tmp/lvsd-vm-smoke.XXXXXX)
trap 'rm -rf "$results"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

guest=$(cat <<'GUEST'
set -euo pipefail
ok() { echo "ok - $*"; }
[ -r /proc/net/ip_vs ] && grep -q '^ip_vs ' /proc/modules
ok "ip_vs loaded, kernel $(uname -r)"
ipvsadm -A -t 10.1.1.1:80 -s wlc
ipvsadm -a -t 10.1.1.1:80 -r 10.2.2.2:80 -m
ipvsadm -Ln | grep -q '^TCP  10.1.1.1:80 wlc'
ipvsadm -Ln | grep -q '10.2.2.2:80 *Masq'
ok "ipvsadm adds a virtual server and a real server"
i=1
for s in rr wrr lc wlc lblc lblcr dh sh sed nq mh fo ovf twos; do
	i=$((i + 1))
	if ! grep -q "/ip_vs_$s\.ko" "/lib/modules/$(uname -r)/modules.dep"; then
		ok "# SKIP scheduler $s: no ip_vs_$s module in this kernel"
		continue
	fi
	ipvsadm -A -t "10.1.1.$i:80" -s "$s"
	ipvsadm -Ln | grep -q "^TCP  10.1.1.$i:80 $s"
	ok "scheduler $s"
done
ip netns add x
ip link add v0 type veth peer name v1 netns x
ip link add br0 type bridge
ip link set v0 master br0
ip -n x addr add 10.9.9.2/24 dev v1
ip -n x link set v1 up
ok "network namespace, veth, bridge"
echo written-in-vm >"$LVSD_VM_RESULTS/smoke.txt"
echo leak >/etc/lvsd-vm-smoke
GUEST
)

"$run" --timeout 300 --results "$results" -- bash -c "$guest" ||
	fail "the checks in the VM failed (exit $?)"
[ "$(cat "$results/smoke.txt" 2>/dev/null)" = written-in-vm ] ||
	fail "the results share did not bring smoke.txt back"
echo "ok - results share"
[ ! -e /etc/lvsd-vm-smoke ] || fail "a write in the VM reached the host's /etc"
echo "ok - the host's root stays untouched"

rc=0
"$run" -- false || rc=$?
[ "$rc" = 1 ] || fail "tools/vm/run -- false exited $rc, not 1"
echo "ok - exit status propagates"
rc=0
"$run" --timeout 1 -- sleep 60 2>/dev/null || rc=$?
[ "$rc" = 124 ] || fail "a timeout exited $rc, not 124"
echo "ok - timeout"
echo "PASS: vm smoke"
