#!/usr/bin/env bash
# test_sdk_latency.sh (VM) — a third party's plugin end to end: `make
# install` into a staging root, the example scheduler built from a copy
# outside the tree with nothing but cc and pkg-config, installed into the
# pkg-config plugindir, loaded by the installed lvsd; with HTTP_GET checks
# every second, the kernel weights (`ipvsadm -Ln`) follow the backends'
# latencies (httpd.py --delay), and follow them back when they swap.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/topo.sh
ns_init
root=$NS_TMP/root
make -s --no-print-directory install B="${B:-build}" DESTDIR="$root" >"$NS_TMP/install.log" 2>&1 ||
	{ tail -20 "$NS_TMP/install.log"; fail "make install"; }
mkdir "$NS_TMP/src"
cp plugins/examples/latency/latency.c "$NS_TMP/src/"
pc=$(find "$root" -name lvsd-plugin.pc)
export PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_LIBDIR=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$root
(cd "$NS_TMP/src" && cc $(pkg-config --cflags --libs lvsd-plugin) -o latency.so latency.c) ||
	fail "the example does not build with pkg-config"
[ "$(nm -D --defined-only "$NS_TMP/src/latency.so" | awk '$2 ~ /[TDBRW]/ { print $3 }')" = lvsd_plugin_entry_v1 ] ||
	fail "latency.so exports more than its entry point"
plugindir=$(pkg-config --variable=plugindir lvsd-plugin)
install -m 755 "$NS_TMP/src/latency.so" "$plugindir/"
# lvsd_start runs $B/lvsd -P $B/plugins: point B at the installed tree.
mkdir "$NS_TMP/inst"
ln -s "$(find "$root" -type f -name lvsd -perm -u+x | head -1)" "$NS_TMP/inst/lvsd"
ln -s "$(find "$root" -type f -name lvsctl | head -1)" "$NS_TMP/inst/lvsctl"
ln -s "$plugindir" "$NS_TMP/inst/plugins"
ok "example built out of tree with pkg-config only, installed into $plugindir"

topo_nat
# Backends with latencies: 01 fast, 02 slow.
backends() { # delay1 delay2
	ns_stop "$TOPO_HTTPD1"; ns_stop "$TOPO_HTTPD2"
	NS_LOG=$NS_TMP/h1.$RANDOM ns_bg backend01 "${HTTPD[@]}" --port 80 --name Backend01 --delay "$1"
	TOPO_HTTPD1=$NS_LAST_PID
	NS_LOG=$NS_TMP/h2.$RANDOM ns_bg backend02 "${HTTPD[@]}" --port 80 --name Backend02 --delay "$2"
	TOPO_HTTPD2=$NS_LAST_PID
}
backends 0 1.5
cfg=$NS_TMP/lvsd.ini
cat >"$cfg" <<'EOF2'
[virtual_server web]
address = 192.168.0.30:80
scheduler = latency
delay_loop = 1
connect_timeout = 4
retry = 2
[real_server web 10.0.0.51:80]
weight = 100
check = HTTP_GET
path = /
[real_server web 10.0.0.52:80]
weight = 100
check = HTTP_GET
path = /
EOF2
B=$NS_TMP/inst lvsd_start "$cfg"
grep -q "scheduler 'latency' 1.1 loaded" "$LVSD_LOG" || fail "latency.so not loaded from $plugindir"
ipvsadm -Ln | grep -q "192.168.0.30:80 wlc" || { ipvsadm -Ln; fail "the kernel does not run wlc"; }
weight_of() { ipvsadm -Ln | awk -v rs="$1" '$2 == rs { print $4 }'; }
# RS-fast RS-slow: both measured (the slow one below 100) and the fast one
# has at least 3x the weight, twice 1.5 s apart (a TCG VM is slow: python
# answers in ~250 ms, so the delays differ by 1.5 s).
faster1() {
	local a b
	a=$(weight_of "$1"); b=$(weight_of "$2")
	[ -n "$a" ] && [ -n "$b" ] && [ "$b" -lt 100 ] && [ "$a" -ge $((3 * b)) ]
}
faster() { faster1 "$@" && sleep 1.5 && faster1 "$@"; }
wait_for 30 faster 10.0.0.51:80 10.0.0.52:80 ||
	{ ipvsadm -Ln; B=$NS_TMP/inst lvsctl status; fail "weights do not follow latency (02 slower)"; }
ok "02 slower: weights 01=$(weight_of 10.0.0.51:80) 02=$(weight_of 10.0.0.52:80) (ipvsadm -Ln)"
B=$NS_TMP/inst lvsctl status | grep -E '10.0.0.5[12]'

backends 1.5 0
wait_for 30 faster 10.0.0.52:80 10.0.0.51:80 ||
	{ ipvsadm -Ln; B=$NS_TMP/inst lvsctl status; fail "weights do not follow latency after the swap"; }
ok "swapped, 01 slower: weights 01=$(weight_of 10.0.0.51:80) 02=$(weight_of 10.0.0.52:80)"
