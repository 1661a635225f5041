#!/usr/bin/env bash
# test_ipvs_reload_one.sh (VM) — issue 14 goal 4: a reload whose model diff
# is one real server costs exactly one kernel operation and no dump of
# the kernel's table (the reconcile plans against what the last good one
# left); so does an operator change. The periodic drift repair (and
# lvsctl reconcile) still dump; an op the kernel refuses because of drift
# is repaired at once by a dump.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/topo.sh
ns_init
cfg=$NS_TMP/lvsd.ini
python3 - "$cfg" <<'PY'
import sys
with open(sys.argv[1], "w") as c:
    for v in range(20):
        c.write("[virtual_server vs%d]\naddress = 192.168.%d.1:80\nscheduler = wlc\n" % (v, v))
        for i in range(10):
            c.write("[real_server vs%d 10.0.%d.%d:80]\nweight = 1\n" % (v, v, 10 + i))
PY
# no periodic repair during the test: only what the test does dumps
lvsd_start "$cfg" --sync-interval 600000
counter() { lvsctl counters | awk -v k="$1" '$1 == k { print $2 }'; }
weight_of() { ipvsadm -Ln | awk -v rs="$1" '$2 == rs { print $4 }'; }
[ "$(ipvsadm -Ln | grep -c -- '-> 10\.')" -eq 200 ] || fail "not 200 real servers after the start"

# step WHAT: run it, then wait for the kernel_ops counter to move; OPS and
# DUMPS are the deltas (the reload applies from a timer).
step() {
	local o0 d0 i
	o0=$(counter kernel_ops) d0=$(counter kernel_dumps)
	"$@"
	for i in $(seq 100); do
		[ "$(counter kernel_ops)" != "$o0" ] && break
		sleep 0.05
	done
	sleep 0.3 # anything more would show
	OPS=$(($(counter kernel_ops) - o0)) DUMPS=$(($(counter kernel_dumps) - d0))
}

sed -i '0,/^weight = 1$/s//weight = 7/' "$cfg"
step kill -HUP "$LVSD_PID"
[ "$(weight_of 10.0.0.10:80)" = 7 ] || fail "reload did not set weight 7"
[ "$OPS" -eq 1 ] && [ "$DUMPS" -eq 0 ] ||
	fail "reload changing one real server: $OPS kernel operations, $DUMPS dumps (want 1, 0)"
grep -q "no dump" "$LVSD_LOG" || fail "the log does not say the apply did not dump"
ok "reload changing one real server of 200: 1 kernel operation, no dump"

printf '[real_server vs3 10.0.3.99:80]\nweight = 2\n' >>"$cfg"
step kill -HUP "$LVSD_PID"
[ "$(weight_of 10.0.3.99:80)" = 2 ] && [ "$OPS" -eq 1 ] && [ "$DUMPS" -eq 0 ] ||
	fail "reload adding one real server: $OPS operations, $DUMPS dumps"
ok "reload adding one real server: 1 kernel operation, no dump"

step lvsctl weight vs5 10.0.5.12:80 9
[ "$(weight_of 10.0.5.12:80)" = 9 ] && [ "$OPS" -eq 1 ] && [ "$DUMPS" -eq 0 ] ||
	fail "lvsctl weight: $OPS operations, $DUMPS dumps (want 1, 0)"
ok "lvsctl weight: 1 kernel operation, no dump"

# Drift: deleted by hand, then an operator change to it: the edit is
# refused, lvsd dumps and puts it back with the new weight.
ipvsadm -d -t 192.168.6.1:80 -r 10.0.6.11:80
step lvsctl weight vs6 10.0.6.11:80 3
[ "$(weight_of 10.0.6.11:80)" = 3 ] || fail "a change to a hand-deleted real server was not repaired"
[ "$DUMPS" -ge 1 ] || fail "no dump after the kernel refused an op"
ok "an op refused because of drift: dumped and repaired at once"

step lvsctl reconcile
[ "$DUMPS" -ge 1 ] || fail "lvsctl reconcile did not dump"
ok "lvsctl reconcile (the drift repair) still dumps"
