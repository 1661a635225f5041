#!/usr/bin/env bash
# bench_ipvs.sh (VM) — `make bench-ipvs`: a cold apply of 1,000 virtual
# servers x 10 real servers by lvsd (start to table complete) against
# `ipvsadm -R` of the same table, in the same VM run; then a reload that
# changes one real server among the 10,000 (operations and time).
# Each side runs in a fresh network namespace: the kernel keeps removed
# destinations around for a while, which would slow the second run.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
ns_init
B=${B:-build}
NVS=${NVS:-1000} NRS=${NRS:-10}
cfg=$NS_TMP/bench.ini rules=$NS_TMP/rules
python3 - "$NVS" "$NRS" "$cfg" "$rules" <<'EOF'
import sys
nvs, nrs, cfg, rules = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(cfg, "w") as c, open(rules, "w") as r:
    for v in range(nvs):
        vip = "10.%d.%d.1" % (100 + v // 250, v % 250)
        c.write("[virtual_server vs%d]\naddress = %s:80\nscheduler = wlc\n" % (v, vip))
        r.write("-A -t %s:80 -s wlc\n" % vip)
        for i in range(nrs):
            rip = "10.%d.%d.%d" % (v // 250, v % 250, 10 + i)
            c.write("[real_server vs%d %s:80]\nweight = 1\n" % (v, rip))
            r.write("-a -t %s:80 -r %s:80 -m -w 1\n" % (vip, rip))
EOF
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
t0=$(now)
kill -HUP "$pid"
ops_now() { "$B/lvsctl" -s "$sock" counters | awk '$1 == "kernel_ops" {print $2}'; }
for i in $(seq 600); do [ "$(ops_now)" != "$before" ] && break; sleep 0.05; done
t1=$(now)
ns_exec lvsd ipvsadm -Ln >"$NS_TMP/table" # (not piped into grep -q: SIGPIPE)
grep -qE "Masq +7 " "$NS_TMP/table" || fail "reload not applied"
reload_ms=$(ms "$t0" "$t1")
after=$("$B/lvsctl" -s "$sock" counters | awk '$1 == "kernel_ops" {print $2}')

grep -E "IPVS: [0-9]+ operations" "$NS_TMP/lvsd.log" | sed "s/^/  lvsd log: /" || true
echo
echo "bench-ipvs: $NVS virtual servers x $NRS real servers ($((NVS * NRS + NVS)) kernel objects), one VM run (TCG: compare ratios)"
printf '  %-44s %8s ms\n' "ipvsadm -R (from a rules file)" "$ipvsadm_ms"
printf '  %-44s %8s ms  (%s kernel operations)\n' "lvsd cold start (parse, plugins, apply)" "$lvsd_ms" "$ops"
printf '  %-44s %8s\n' "ratio lvsd / ipvsadm -R" "$(python3 -c "print('%.2f' % ($lvsd_ms / $ipvsadm_ms))")"
apply_ms=$(grep -oE '[0-9]+ ms to dump, plan and send' "$NS_TMP/lvsd.log" | head -1 | cut -d' ' -f1)
printf '  %-44s %8s ms  (ratio %s)\n' "  of which the apply (dump, plan, send)" "$apply_ms" \
	"$(python3 -c "print('%.2f' % ($apply_ms / $ipvsadm_ms))")"
printf '  %-44s %8s ms  (%s kernel operation(s))\n' "lvsd reload changing 1 of $((NVS * NRS))" "$reload_ms" "$((after - before))"
[ $((after - before)) -eq 1 ] || fail "the reload cost $((after - before)) operations"
