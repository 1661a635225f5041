#!/usr/bin/env bash
# tools/demo.sh — `make demo`: the seed tutorial end to end, shown to a
# person: 11.4.1 (an LVS-NAT director in front of Backend01 and Backend02)
# done by lvsd instead of ipvsadm, then 11.4.2 (two directors with VRRP and
# HTTP_GET checks) done by lvsd instead of keepalived. The host kernel has no IPVS, so the demo
# runs itself again inside a VM (tools/vm/run) and builds the tutorial's
# hosts there from network namespaces; no traffic leaves the VM.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${B:-build}

if [ "${1:-}" != --inside ]; then
	echo "== lvsd demo: the tutorial's LVS-NAT director, configured from INI"
	echo "   booting Debian's stock kernel under qemu (the build kernel has no IPVS)..."
	exec tools/vm/run --timeout 600 --env B -- bash tools/demo.sh --inside
fi

. tests/lib/ns.sh
. tests/lib/topo.sh
ns_init
say() { printf '\n== %s\n' "$*"; }
show() { printf '  $ %s\n' "$*"; "$@" 2>&1 | sed 's/^/    /'; }

say "1. The tutorial's hosts, as network namespaces"
topo_nat
echo "   client 192.168.0.10 --> [eth0 192.168.0.30  lvsd  eth1 10.0.0.30] --> Backend01 10.0.0.51"
echo "                                                                  --> Backend02 10.0.0.52"

say "2. The configuration: etc/lvsd-nat.ini (ipvsadm -A -t 192.168.0.30:80 -s wlc; -a ... -m)"
grep -v '^[;#]' etc/lvsd-nat.ini | grep -v '^$' | sed 's/^/    /'
show "$B/lvsd" -t -P "$B/plugins" -c etc/lvsd-nat.ini

say "3. Start lvsd; the kernel's table, seen by ipvsadm -Ln, and by lvsctl"
lvsd_start etc/lvsd-nat.ini
wait_for 10 sh -c 'ipvsadm -Ln | grep -q 10.0.0.52:80'
show ipvsadm -Ln
show lvsctl status

requests() { # n: print and collect the answers
	local i ans all=()
	for i in $(seq "$1"); do ans=$(topo_get); all+=("$ans"); done
	printf '    %s\n' "${all[*]}"
	LAST="${all[*]}"
}

say "4. Six requests from the client to http://192.168.0.30/"
requests 6
case $LAST in *Backend01*) ;; *) fail "Backend01 never answered" ;; esac
case $LAST in *Backend02*) ;; *) fail "Backend02 never answered" ;; esac

say "5. Drain Backend01 from the shell: weight 0 at once, no reload"
show lvsctl drain web 10.0.0.51:80
show ipvsadm -Ln
requests 6
case $LAST in *Backend01*) fail "a drained backend still got new requests" ;; esac

say "6. Enable it again (wlc: the least loaded backend gets new work, so Backend01 catches up)"
show lvsctl enable web 10.0.0.51:80
requests 4
case $LAST in *Backend01*) ;; *) fail "Backend01 did not come back" ;; esac

say "7. Stop lvsd: it removes what it programmed"
ns_stop "$LVSD_PID"
show ipvsadm -Ln

echo
echo "== Part 2: the tutorial's 11.4.2, LVS + keepalived, done by lvsd"
echo "   etc/lvsd-failover.ini on two directors: VRRP, IPVS and HTTP_GET checks in one daemon"
bash tests/vm/test_seed_failover.sh
echo
echo "demo OK"
