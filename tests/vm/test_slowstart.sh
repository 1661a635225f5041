#!/usr/bin/env bash
# test_slowstart.sh (VM) — slow start seen in the kernel: with slowstart =
# 10s and weight 100, `ipvsadm -Ln` sampled every 0.25 s shows the weight
# climb in steps from 1 to 100 after disabled->enabled and after down->up,
# never at lvsd's start, never for a weight-0 real server, and at most one
# kernel operation per real server per second (lvsctl counters).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/topo.sh
ns_init
topo_nat
cfg=$NS_TMP/lvsd.ini
cat >"$cfg" <<'EOF2'
[virtual_server web]
address = 192.168.0.30:80
scheduler = wrr
slowstart = 10s
delay_loop = 1
retry = 0
connect_timeout = 1
[real_server web 10.0.0.51:80]
weight = 100
check = TCP
[real_server web 10.0.0.52:80]
weight = 0
EOF2
lvsd_start "$cfg"
counter() { lvsctl counters | awk -v k="$1" '$1 == k { print $2 }'; }
weight_of() { ipvsadm -Ln | awk -v rs="$1" '$2 == rs { print $4 }'; }
ramp_of() { lvsctl status | awk -v rs="$1" '$2 == rs { print $13 }'; } # Ramp

# --- no ramp at daemon start ---------------------------------------------
wait_for 5 sh -c "ipvsadm -Ln | grep -q 10.0.0.51:80" || fail "real server not programmed"
[ "$(weight_of 10.0.0.51:80)" = 100 ] || fail "ramp at daemon start: weight $(weight_of 10.0.0.51:80)"
ok "no slow start at lvsd's start (weight 100 at once)"

# sample RS SECONDS: the weights seen every 0.25 s, one per line
sample() {
	local i
	for i in $(seq $(($2 * 4))); do weight_of "$1"; sleep 0.25; done
}
# check_ramp FILE WHAT: from small to 100, never down, >= 8 distinct steps
check_ramp() {
	local steps first last
	first=$(head -1 "$1"); last=$(tail -1 "$1")
	steps=$(uniq "$1" | tr '\n' ' ')
	echo "$2: weights seen: $steps"
	[ "$first" -le 20 ] || fail "$2: the ramp starts at $first"
	[ "$last" = 100 ] || fail "$2: the ramp ends at $last, want 100"
	sort -n -c "$1" || fail "$2: the weight went down during the ramp: $steps"
	[ "$(uniq "$1" | wc -l)" -ge 8 ] || fail "$2: only $(uniq "$1" | wc -l) steps: $steps"
	[ "$(uniq "$1" | sort -n | uniq -d | wc -l)" = 0 ] || fail "$2: not strictly increasing"
}

# --- disabled -> enabled --------------------------------------------------
lvsctl disable web 10.0.0.51:80
[ "$(weight_of 10.0.0.51:80)" = 0 ] || fail "disable did not set weight 0"
before=$(counter kernel_ops)
lvsctl enable web 10.0.0.51:80
sample 10.0.0.51:80 12 >"$NS_TMP/ramp1"
after=$(counter kernel_ops)
check_ramp "$NS_TMP/ramp1" "disabled->enabled"
ops=$((after - before))
echo "kernel operations during the 12 s ramp: $ops"
[ "$ops" -le 12 ] || fail "$ops kernel operations for one real server in 12 s (want <= 1 a second)"
[ "$(ramp_of 10.0.0.51:80)" = - ] || fail "lvsctl status still shows a ramp: $(ramp_of 10.0.0.51:80)"
ok "disabled->enabled ramps 1..100 in 10 s, $ops kernel operations"

# --- down -> up ------------------------------------------------------------
kill "$TOPO_HTTPD1"
wait_for 8 sh -c "! ipvsadm -Ln | grep -q 10.0.0.51:80" || fail "real server not removed when down"
NS_LOG=$NS_TMP/httpd1b.log ns_bg backend01 "${HTTPD[@]}" --port 80 --name Backend01
wait_for 8 sh -c "ipvsadm -Ln | grep -q 10.0.0.51:80" || fail "real server not back"
sample 10.0.0.51:80 12 >"$NS_TMP/ramp2"
check_ramp "$NS_TMP/ramp2" "down->up"
grep -q "real server 10.0.0.51:80 (web) up" "$LVSD_LOG" || fail "no 'up' logged"
ok "down->up ramps 1..100 in 10 s"

# --- weight 0 never ramps ---------------------------------------------------
lvsctl disable web 10.0.0.52:80
lvsctl enable web 10.0.0.52:80
for _ in 1 2 3; do
	[ "$(weight_of 10.0.0.52:80)" = 0 ] || fail "a weight-0 real server got weight $(weight_of 10.0.0.52:80)"
	[ "$(ramp_of 10.0.0.52:80)" = - ] || fail "a weight-0 real server shows a ramp"
	sleep 0.5
done
ok "a weight-0 real server never ramps"
