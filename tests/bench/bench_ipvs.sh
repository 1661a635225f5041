#!/usr/bin/env bash
# bench_ipvs.sh (VM) — `make bench-ipvs`: a cold apply of 1,000 virtual
# servers x 50 real servers by lvsd (start to table complete) against
# `ipvsadm -R` of the same table, in the same VM run; then a reload that
# changes one real server among the 50,000 (operations, dumps, time, and
# its ratio to lvsd's own cold start: issue 14 goal 4, <= 5 %), beside
# keepalived's reload of the same change (KA=0 skips keepalived).
# Each side runs in a fresh network namespace: the kernel keeps removed
# destinations around for a while, which would slow the second run.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
ns_init
B=${B:-build}
NVS=${NVS:-1000} NRS=${NRS:-50} KA=${KA:-1}
cfg=$NS_TMP/bench.ini rules=$NS_TMP/rules kcfg=$NS_TMP/keepalived.conf
python3 - "$NVS" "$NRS" "$cfg" "$rules" "$kcfg" <<'EOF'
import sys
nvs, nrs, cfg, rules, kcfg = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
with open(cfg, "w") as c, open(rules, "w") as r, open(kcfg, "w") as k:
    k.write("global_defs {\n    router_id bench\n}\n")
    for v in range(nvs):
        vip = "10.%d.%d.1" % (100 + v // 250, v % 250)
        c.write("[virtual_server vs%d]\naddress = %s:80\nscheduler = wlc\n" % (v, vip))
        r.write("-A -t %s:80 -s wlc\n" % vip)
        k.write("virtual_server %s 80 {\n    lb_algo wlc\n    lb_kind NAT\n    protocol TCP\n" % vip)
        for i in range(nrs):
            rip = "10.%d.%d.%d" % (v // 250, v % 250, 10 + i)
            c.write("[real_server vs%d %s:80]\nweight = 1\n" % (v, rip))
            r.write("-a -t %s:80 -r %s:80 -m -w 1\n" % (vip, rip))
            k.write("    real_server %s 80 {\n        weight 1\n    }\n" % rip)
        k.write("}\n")
EOF
# The real server the reload changes (the first one) and its service.
VIP1=10.100.0.1:80 RS1=10.0.0.10:80
# weight7 NS: wait (at most 120 s) until RS1 has weight 7 in NS's table;
# only that service is listed (a full listing of 50,000 takes long).
weight7() {
	local i
	for i in $(seq 2400); do
		ns_exec "$1" ipvsadm -Ln -t "$VIP1" >"$NS_TMP/one" 2>/dev/null || true
		awk -v rs="$RS1" '$2 == rs && $4 == 7 { f = 1 } END { exit !f }' "$NS_TMP/one" && return 0
		sleep 0.05
	done
	return 1
}
now() { date +%s.%N; }
ms() { python3 -c "print(round(($2 - $1) * 1000))"; }
count() { ipvsadm -Ln | grep -c -- '->' | awk '{print $1 - 1}'; } # minus the header

ns_add ipvsadm
t0=$(now); ns_exec ipvsadm ipvsadm -R <"$rules"; t1=$(now)
n=$(ns_exec ipvsadm ipvsadm -Ln | grep -c -- '-> [0-9]')
[ "$n" -eq $((NVS * NRS)) ] || fail "ipvsadm -R made $n real servers"
ipvsadm_ms=$(ms "$t0" "$t1")

ns_add lvsd
ns_exec lvsd ip link set lo up
sock=$NS_TMP/sock
t0=$(now)
NS_LOG=$NS_TMP/lvsd.log ns_bg lvsd "$B/lvsd" -n -v -P "$B/plugins" -c "$cfg" -S "$sock" \
	--state-file "$NS_TMP/state" --sync-interval 600000
pid=$NS_LAST_PID
wait_for 120 "$B/lvsctl" -s "$sock" counters || { cat "$NS_TMP/lvsd.log"; fail "lvsd did not start"; }
t1=$(now)
n=$(ns_exec lvsd ipvsadm -Ln | grep -c -- '-> [0-9]')
[ "$n" -eq $((NVS * NRS)) ] || fail "lvsd made $n real servers"
lvsd_ms=$(ms "$t0" "$t1")
ops=$("$B/lvsctl" -s "$sock" counters | awk '$1 == "kernel_ops" {print $2}')

# One real server changes among all of them.
sed -i '0,/^weight = 1$/s//weight = 7/' "$cfg"
grep -q 'weight = 7' "$cfg"
before=$ops
dumps_before=$("$B/lvsctl" -s "$sock" counters | awk '$1 == "kernel_dumps" {print $2}')
t0=$(now)
kill -HUP "$pid"
weight7 lvsd || fail "reload not applied"
t1=$(now)
reload_ms=$(ms "$t0" "$t1")
sleep 0.5
after=$("$B/lvsctl" -s "$sock" counters | awk '$1 == "kernel_ops" {print $2}')
dumps=$(($("$B/lvsctl" -s "$sock" counters | awk '$1 == "kernel_dumps" {print $2}') - dumps_before))
ns_stop "$pid"

# keepalived: the same table, the same change, in its own namespace.
ka_cold= ka_reload=
if [ "$KA" = 1 ] && command -v keepalived >/dev/null; then
	ns_add ka
	nska=$(ns ka)
	t0=$(now)
	NS_LOG=$NS_TMP/ka.log ns_bg ka keepalived -n -l -D -f "$kcfg" \
		-p "$NS_TMP/ka.pid" -c "$NS_TMP/ka.cpid" -r "$NS_TMP/ka.vpid"
	kpid=$NS_LAST_PID
	wait_for 900 sh -c "[ \$(ip netns exec $nska ipvsadm -Ln | grep -c -- '-> [0-9]') -ge $((NVS * NRS)) ]" ||
		{ tail "$NS_TMP/ka.log"; fail "keepalived did not program $((NVS * NRS)) real servers"; }
	t1=$(now)
	ka_cold=$(ms "$t0" "$t1")
	python3 - "$kcfg" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read()
open(p, "w").write(s.replace("weight 1", "weight 7", 1))
EOF
	t0=$(now)
	kill -HUP "$(cat "$NS_TMP/ka.pid")"
	weight7 ka || { tail "$NS_TMP/ka.log"; fail "keepalived's reload not applied"; }
	t1=$(now)
	ka_reload=$(ms "$t0" "$t1")
	ns_stop "$kpid"
fi

grep -E "IPVS: [0-9]+ operations" "$NS_TMP/lvsd.log" | sed "s/^/  lvsd log: /" || true
echo
echo "bench-ipvs: $NVS virtual servers x $NRS real servers ($((NVS * NRS + NVS)) kernel objects), one VM run (TCG: compare ratios)"
printf '  %-44s %8s ms\n' "ipvsadm -R (from a rules file)" "$ipvsadm_ms"
printf '  %-44s %8s ms  (%s kernel operations)\n' "lvsd cold start (parse, plugins, apply)" "$lvsd_ms" "$ops"
printf '  %-44s %8s\n' "ratio lvsd / ipvsadm -R" "$(python3 -c "print('%.2f' % ($lvsd_ms / $ipvsadm_ms))")"
apply_ms=$(grep -oE '[0-9]+ ms to dump, plan and send' "$NS_TMP/lvsd.log" | head -1 | cut -d' ' -f1)
printf '  %-44s %8s ms  (ratio %s)\n' "  of which the apply (dump, plan, send)" "$apply_ms" \
	"$(python3 -c "print('%.2f' % ($apply_ms / $ipvsadm_ms))")"
printf '  %-44s %8s ms  (%s kernel operation(s), %s dump(s); %s of the cold start, goal <= 5 %%)\n' \
	"lvsd reload changing 1 of $((NVS * NRS))" "$reload_ms" "$((after - before))" "$dumps" \
	"$(python3 -c "print('%.1f %%' % (100.0 * $reload_ms / $lvsd_ms))")"
# The same from lvsd's own log ("reloading" to the IPVS line after it),
# without the polling's granularity (an ipvsadm run per 50 ms).
log_ms=$(python3 - "$NS_TMP/lvsd.log" <<'EOF'
import re, sys
def t(line):
    m = re.match(r"(\d+):(\d+):(\d+)\.(\d+) ", line)
    return ((int(m[1]) * 60 + int(m[2])) * 60 + int(m[3])) * 1000 + int(m[4]) if m else None
t0 = None
for line in open(sys.argv[1]):
    if " reloading " in line:
        t0 = t(line)
    elif t0 is not None and re.search(r"IPVS: \d+ operations?", line):
        print(t(line) - t0)
        break
EOF
)
[ -z "$log_ms" ] || printf '  %-44s %8s ms  (%s of the cold start)\n' \
	"  the same from lvsd's log (SIGHUP read to sent)" "$log_ms" \
	"$(python3 -c "print('%.1f %%' % (100.0 * $log_ms / $lvsd_ms))")"
if [ -n "$ka_reload" ]; then
	printf '  %-44s %8s ms\n' "keepalived cold start (to table complete)" "$ka_cold"
	printf '  %-44s %8s ms  (%s of its cold start; lvsd/keepalived %s)\n' \
		"keepalived reload, the same change" "$ka_reload" \
		"$(python3 -c "print('%.1f %%' % (100.0 * $ka_reload / $ka_cold))")" \
		"$(python3 -c "print('%.2f' % ($reload_ms / $ka_reload))")"
else
	echo "  keepalived: not run (KA=0 or not installed)"
fi
[ $((after - before)) -eq 1 ] || fail "the reload cost $((after - before)) operations"
[ "$dumps" -eq 0 ] || fail "the reload dumped the kernel $dumps time(s)"
