#!/usr/bin/env bash
# tests/net/test_snmp_module.sh — the SNMP module (core/snmpload.c) is
# trusted as a plugin is: lvsd run from a directory whose lvsd-snmp.so
# others may write (tester6 F3: it was loaded into the root process)
# refuses it, says why and runs without SNMP; plugin_insecure = yes loads
# it with a warning. A reload that turns snmp on says it takes effect at
# the next restart (tester6 F8: it said nothing). lvsd -t warns of a
# module it would refuse (tester6 F4). No snmpd needed: only
# the loading is looked at (/proc/PID/maps and the log).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/checktest.sh
ck_begin lvsd-snmp.so
mkdir -p "$T/bin"
cp "$B/lvsd" "$B/lvsd-snmp.so" "$T/bin/"
chmod 755 "$T/bin"
config() { # SNMP INSECURE
	printf '[global]\nplugin_dir = %s\nsnmp = %s\nsnmp_socket = %s\nplugin_insecure = %s\n\n' \
		"$B/plugins" "$1" "$T/no-master" "$2" >"$T/lvsd.ini"
	printf '[virtual_server web]\naddress = 10.78.0.100:80\n\n[real_server web %s:80]\n' \
		"$BE" >>"$T/lvsd.ini"
}
start() {
	: >"$LOG"
	NS_LOG=$LOG ns_bg lb "$T/bin/lvsd" -n -v --no-ipvs -c "$T/lvsd.ini" -S "$SOCK" \
		--state-file "$T/state"
	LVSD=$NS_LAST_PID
	wait_for 10 test -S "$SOCK" || { cat "$LOG"; fail "lvsd did not start"; }
}
mapped() { grep -q '/lvsd-snmp\.so$' "/proc/$LVSD/maps"; }

# 1. the module writable by others: refused, logged, lvsd runs without it
chown nobody "$T/bin/lvsd-snmp.so"
chmod 666 "$T/bin/lvsd-snmp.so"
config yes no
out=$("$T/bin/lvsd" -t -c "$T/lvsd.ini" 2>&1) || true
grep -q "warning: snmp = yes: SNMP module $T/bin/lvsd-snmp.so refused: file " <<<"$out" ||
	{ echo "$out"; fail "lvsd -t did not warn of the module others may write"; }
start
wait_for 10 grep -q "snmp: module $T/bin/lvsd-snmp.so refused: .*plugin_insecure = yes allows it" "$LOG" ||
	{ cat "$LOG"; fail "a module others may write was not refused"; }
! mapped || fail "the refused module is mapped"
"$B/lvsctl" -s "$SOCK" counters >/dev/null || fail "lvsd does not answer without its SNMP module"
ns_stop "$LVSD"
rm -f "$SOCK"
ok "a module owned by nobody, mode 666: refused with the reason, lvsd runs without SNMP"

# 2. plugin_insecure = yes: loaded, with a warning
config yes yes
start
wait_for 10 mapped || { cat "$LOG"; fail "plugin_insecure = yes: the module is not loaded"; }
grep -q "snmp: module $T/bin/lvsd-snmp.so loaded although" "$LOG" || { cat "$LOG"; fail "no warning"; }
ns_stop "$LVSD"
rm -f "$SOCK"
ok "plugin_insecure = yes: loaded, with a warning"

# 3. root's module: loaded without a word; snmp turned on by a reload: said
chown root "$T/bin/lvsd-snmp.so"
chmod 644 "$T/bin/lvsd-snmp.so"
config yes no
out=$("$T/bin/lvsd" -t -c "$T/lvsd.ini" 2>&1) || true
! grep -q "warning: snmp" <<<"$out" || { echo "$out"; fail "lvsd -t warned of root's module"; }
config no no
start
! mapped || fail "snmp = no: the module is mapped"
config yes no
kill -HUP "$LVSD"
wait_for 10 grep -q "reload: snmp = yes takes effect at the next restart" "$LOG" ||
	{ cat "$LOG"; fail "a reload turning snmp on said nothing"; }
! mapped || fail "the module was mapped by a reload"
! grep -q "snmp: module .* refused\|loaded although" "$LOG" || { cat "$LOG"; fail "root's module refused or warned about"; }
ok "a reload turning snmp on says it takes effect at the next restart"
ck_finish test_snmp_module
