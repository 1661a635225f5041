#!/usr/bin/env bash
# tests/vm/test_ipvs_kernel.sh — core/ipvs + core/reconcile against the real
# IPVS kernel, with ipvsadm as the independent oracle, and a cold apply of
# 1,000 x 10 timed against `ipvsadm -R`. Runs inside the VM:
#   tools/vm/run -- tests/vm/test_ipvs_kernel.sh      (B=build by default)
set -euo pipefail

B=${B:-build}
T=$B/tests/test_ipvs_kernel
if [ -z "${LVSD_VM:-}" ]; then
	echo "skipped: runs in the lvsd VM only (tools/vm/run -- $0): it flushes IPVS"
	exit 77
fi
[ -x "$T" ] || { echo "missing $T: make $T" >&2; exit 1; }
command -v ipvsadm >/dev/null || { echo "skipped: no ipvsadm"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; ipvsadm -C 2>/dev/null || true' EXIT
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# The kernel's table as ipvsadm shows it, in the normal form that
# `test_ipvs_kernel expect` prints (see print_norm there):
#   S <svc> <sched> <flags|-> <persist-timeout|-> <mask|->
#   D <svc> <dest> <Masq|Route|Tunnel> <weight> <uthreshold> <lthreshold> <tun|->
# Three listings, joined per real server: plain, --thresholds, --tun-info.
oracle() {
	{
		ipvsadm -Ln | sed 's/^/L /'
		ipvsadm -Ln --thresholds | sed 's/^/T /'
		ipvsadm -Ln --tun-info | sed 's/^/U /'
	} | awk '
	function svcid(   id) {
		if ($2 == "FWM") {
			id = "FWM_" $3
			if ($4 == "IPv6") { id = id "_IPv6"; first = 5 } else first = 4
		} else { id = $2 "_" $3; first = 4 }
		return id
	}
	$2 == "IP" || $2 == "Prot" || ($2 == "->" && $3 == "RemoteAddress:Port") { next }
	$2 != "->" {
		svc = svcid()
		if ($1 != "L") next
		sched = $first; flags = ""; pt = "-"; mask = "-"; sh = ""
		for (i = first + 1; i <= NF; i++) {
			if ($i == "persistent") pt = $(++i)
			else if ($i == "mask") mask = $(++i)
			else if ($i == "ops") flags = flags ",ops"
			else if ($i ~ /^\(.*\)$/) sh = sh "," substr($i, 2, length($i) - 2)
			else flags = flags "," $i
		}
		flags = flags sh
		order[++ns] = svc
		line[svc] = "S " svc " " sched " " (flags == "" ? "-" : substr(flags, 2)) " " pt " " mask
		next
	}
	{
		k = svc SUBSEP $3
		if ($1 == "L") { dests[svc] = dests[svc] " " $3; fwd[k] = $4; w[k] = $5 }
		else if ($1 == "T") { u[k] = $4; l[k] = $5 }
		else {
			t = $5
			if (t == "n/a") t = "-"
			else { n = split(t, p, ":"); t = p[1] ":" (p[1] == "gue" ? p[2] : 0) }
			tun[k] = t
		}
	}
	END {
		for (s = 1; s <= ns; s++) {
			svc = order[s]; print line[svc]
			n = split(dests[svc], d, " ")
			for (i = 1; i <= n; i++) {
				k = svc SUBSEP d[i]
				print "D " svc " " d[i] " " fwd[k] " " w[k] " " u[k] " " l[k] " " tun[k]
			}
		}
	}'
}

compare() { # what
	# (no process substitution: the VM has no /dev/fd)
	"$T" expect basic | sort >"$tmp/want"
	oracle | sort >"$tmp/have"
	if diff "$tmp/want" "$tmp/have" >"$tmp/diff"; then
		ok "$1: ipvsadm shows the desired state"
	else
		bad "$1: ipvsadm differs from the desired state (< desired, > kernel):"
		cat "$tmp/diff" >&2
	fi
}

# Run a command in a new network namespace (own IPVS tables). lo must be up:
# without a local routing table the kernel calls every IPv4 real server
# "not unicast" and refuses it.
fresh_ns() { unshare -n bash -c 'ip link set lo up && exec "$@"' fresh_ns "$@"; }

apply() { # state expected-ops what
	if "$T" apply "$1" "$2"; then ok "$3: $2 op(s)"; else bad "$3: not $2 op(s)"; fi
}

ipvsadm -C

echo "== the cmocka suite against the kernel (in its own network namespace)"
if fresh_ns "$T"; then ok "cmocka suite"; else bad "cmocka suite"; fi

echo "== basic state: TCP/UDP/SCTP/v6/fwmark, sh flags, persistence, NAT/DR/TUN"
ipvsadm -C
apply basic 19 "cold apply of basic"
compare "after the cold apply"
apply basic 0 "re-apply, nothing changed"

ipvsadm -d -t 192.168.0.30:443 -r 10.0.0.53:443
apply basic 1 "real server deleted by hand, re-apply"
compare "after restoring the real server"

ipvsadm -e -t 192.168.0.30:80 -r 10.0.0.52:80 -m -w 7 -x 100 -y 10
apply basic 1 "real server re-weighted by hand, re-apply"
compare "after restoring the weight"

ipvsadm -E -f 42 -s rr
apply basic 1 "scheduler changed by hand, re-apply"

ipvsadm -A -t 192.168.0.99:25 -s rr
ipvsadm -a -t 192.168.0.99:25 -r 10.0.0.99:25 -m
apply basic 0 "someone else's virtual server present"
if ipvsadm -Ln | grep -q '192.168.0.99:25'; then
	ok "someone else's virtual server left alone"
else
	bad "someone else's virtual server was removed"
fi
ipvsadm -D -t 192.168.0.99:25

ipvsadm -C
"$T" rules basic >"$tmp/basic.rules"
ipvsadm -R <"$tmp/basic.rules"
apply basic 0 "adopting the same table made by ipvsadm -R"

echo "== cold apply of 1,000 virtual servers x 10 real servers"
# Each run in a fresh network namespace: IPVS state is per namespace, and
# a flush leaves the old real servers in the kernel's dest trash for two
# minutes, where every later add searches them (it would skew the timing).
# Times are whole processes, start to exit, for both tools.
"$T" rules big >"$tmp/big.rules"
cat >"$tmp/bench.sh" <<'EOS'
#!/bin/bash
# bench.sh OUT CMD...: time CMD in this (fresh) namespace, save the table
set -euo pipefail
out=$1; shift
t0=$(date +%s%N)
"$@"
t1=$(date +%s%N)
echo $(((t1 - t0) / 1000000)) >"$out.ms"
ipvsadm -Sn | sort >"$out.save"
EOS
chmod +x "$tmp/bench.sh"
cat >"$tmp/restore.sh" <<EOS
#!/bin/sh
exec ipvsadm -R <"$tmp/big.rules"
EOS
chmod +x "$tmp/restore.sh"
# LVSD_BENCH_ROUNDS rounds (1 in make check: it proves the big tables are
# the same; make bench-ipvs has the figures), each tool in a fresh
# namespace; the medians are reported. (Under qemu without KVM both run
# emulated: compare the ratio, not the ms.)
rounds=${LVSD_BENCH_ROUNDS:-1}
for round in $(seq "$rounds"); do
	fresh_ns "$tmp/bench.sh" "$tmp/lvsd$round" "$T" apply big 11000 ||
		bad "lvsd cold apply of big"
	fresh_ns "$tmp/bench.sh" "$tmp/ipvsadm$round" "$tmp/restore.sh" ||
		bad "ipvsadm -R of big"
done
if cmp -s "$tmp/lvsd1.save" "$tmp/ipvsadm1.save" &&
	[ "$(wc -l <"$tmp/lvsd1.save")" -eq 11000 ]; then
	ok "both made the same 11,000-entry table"
else
	bad "lvsd and ipvsadm -R made different tables"
fi
median() { sort -n "$@" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
lvsd_ms=$(median "$tmp"/lvsd[0-9]*.ms) ipvsadm_ms=$(median "$tmp"/ipvsadm[0-9]*.ms)
ratio=$(awk -v a="$ipvsadm_ms" -v b="$lvsd_ms" 'BEGIN { printf "%.1f", a / (b ? b : 1) }')
result="bench ipvs cold-apply 1000x10 (median of $rounds, whole process): lvsd ${lvsd_ms} ms, ipvsadm -R ${ipvsadm_ms} ms, ratio ipvsadm/lvsd ${ratio}x"
echo "$result"
if [ -n "${LVSD_VM_RESULTS:-}" ] && [ -d "$LVSD_VM_RESULTS" ]; then
	echo "$result" >"$LVSD_VM_RESULTS/ipvs_cold_apply.txt" || true
fi

if [ "$fails" -gt 0 ]; then
	echo "$fails check(s) failed"
	exit 1
fi
echo "all checks passed"
