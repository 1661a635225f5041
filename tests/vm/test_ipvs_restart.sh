#!/usr/bin/env bash
# test_ipvs_restart.sh (VM) — lvsd never flushes: a kill -9 and restart keeps
# an established connection and never takes the service out of the kernel;
# a hand-deleted entry comes back; a reload that changes one real server
# costs exactly one kernel operation; operator changes persist. The
# kernel's sync daemons (lvs_sync_daemon, own namespace): a reload to a
# missing interface is refused and changes nothing (lvsd -t warns); a
# kill -9 leaves them, the restart takes them over, and a reload without
# the key stops them.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/topo.sh
ns_init
topo_nat
cfg=$NS_TMP/lvsd.ini
cat >"$cfg" <<'EOF'
[virtual_server web]
address = 192.168.0.30:80
scheduler = rr
[real_server web 10.0.0.51:80]
weight = 1
[real_server web 10.0.0.52:80]
weight = 1
EOF
lvsd_start "$cfg" --sync-interval 1000
counter() { lvsctl counters | awk -v k="$1" '$1 == k { print $2 }'; }
weight_of() { ipvsadm -Ln | awk -v rs="$1" '$2 == rs { print $4 }'; }

# --- kill -9 and restart under an established connection -------------
flag=$NS_TMP/finish
NS_LOG=$NS_TMP/hold.log ns_bg client python3 tests/lib/holdconn.py 192.168.0.30 80 "$flag"
hold=$NS_LAST_PID
wait_for 10 grep -q connected "$NS_TMP/hold.log" || fail "no connection through the VIP"
ipvsadm -Lnc | grep -q ESTABLISHED || fail "no established IPVS connection"
# Watch the kernel's table every 20 ms while lvsd restarts (bounded).
(
	for i in $(seq 1500); do
		[ -e "$NS_TMP/stopwatch" ] && exit 0
		ipvsadm -Ln | grep -q '^TCP  192.168.0.30:80' || echo "missing at $i"
		sleep 0.02
	done
) >"$NS_TMP/watch.log" 2>&1 &
watch=$!
NS_PIDS+=("$watch")
kill -9 "$LVSD_PID"
sleep 0.5
lvsd_start "$cfg" --sync-interval 1000
[ "$(counter kernel_ops)" = 0 ] || fail "restart sent $(counter kernel_ops) kernel operations, want 0 (adopt, no flush)"
sleep 1
touch "$NS_TMP/stopwatch" "$flag"
wait "$watch" || true
wait "$hold" || true
[ ! -s "$NS_TMP/watch.log" ] || fail "the service disappeared during the restart: $(head -3 "$NS_TMP/watch.log")"
grep -qx 'Backend0[12]' "$NS_TMP/hold.log" || fail "the held connection was dropped: $(cat "$NS_TMP/hold.log")"
ok "kill -9 + restart: 0 kernel operations, service always present, connection survived ($(tail -1 "$NS_TMP/hold.log"))"

# --- drift: an entry deleted by hand comes back ------------------------
ipvsadm -d -t 192.168.0.30:80 -r 10.0.0.52:80
wait_for 5 sh -c "ipvsadm -Ln | grep -q '10.0.0.52:80'" || fail "hand-deleted real server not restored"
ipvsadm -D -t 192.168.0.30:80
wait_for 5 sh -c "ipvsadm -Ln | grep -q '10.0.0.51:80'" || fail "hand-deleted virtual server not restored"
ok "drift repaired: hand-deleted real and virtual server restored"

# --- a reload that changes one real server: exactly one operation ------
lvsctl reconcile >/dev/null
before=$(counter kernel_ops)
sed -i '/10.0.0.52:80/{n;s/weight = 1/weight = 4/}' "$cfg"
kill -HUP "$LVSD_PID"
wait_for 5 sh -c "[ \"\$(ipvsadm -Ln | awk '\$2 == \"10.0.0.52:80\" {print \$4}')\" = 4 ]" ||
	fail "reload did not set weight 4"
sleep 0.5
after=$(counter kernel_ops)
[ $((after - before)) -eq 1 ] || fail "reload of one weight cost $((after - before)) kernel operations, want 1"
grep -q 'real server web 10.0.0.52:80 changed: weight 1 -> 4' "$LVSD_LOG" || fail "the diff was not logged"
ok "reload changing one real server: exactly 1 kernel operation, diff logged"

# --- operator changes: at once, persisted across reload and restart ------
lvsctl weight web 10.0.0.51:80 5
[ "$(weight_of 10.0.0.51:80)" = 5 ] || fail "lvsctl weight not applied at once"
kill -HUP "$LVSD_PID"; sleep 1
[ "$(weight_of 10.0.0.51:80)" = 5 ] || fail "operator weight lost on reload"
lvsctl drain web 10.0.0.52:80
kill "$LVSD_PID"; wait_for 5 sh -c "! kill -0 $LVSD_PID" || true
lvsd_start "$cfg" --sync-interval 1000
[ "$(weight_of 10.0.0.51:80)" = 5 ] || fail "operator weight lost on restart"
[ "$(weight_of 10.0.0.52:80)" = 0 ] || fail "drain lost on restart"
lvsctl status | grep -E '10.0.0.52:80 .* drain' >/dev/null || fail "status does not show the drain"
ok "operator weight and drain survive reload and restart"

if lvsctl weight web 10.0.0.51:80 abc 2>"$NS_TMP/err"; then fail "bad weight accepted"; fi
grep -q "bad weight 'abc'" "$NS_TMP/err" || fail "no clear error: $(cat "$NS_TMP/err")"
if lvsctl drain web 10.9.9.9:80 2>/dev/null; then fail "unknown real server accepted"; fi
if lvsctl frobnicate 2>/dev/null; then fail "unknown command accepted"; fi
[ "$(weight_of 10.0.0.51:80)" = 5 ] || fail "a refused command changed something"
ok "bad commands refused, nothing changed"

# The config wins when its weight changes after the operator acted.
sed -i '/10.0.0.51:80/{n;s/weight = 1/weight = 2/}' "$cfg"
kill -HUP "$LVSD_PID"
wait_for 5 sh -c "[ \"\$(ipvsadm -Ln | awk '\$2 == \"10.0.0.51:80\" {print \$4}')\" = 2 ]" ||
	fail "operator override kept after the config weight changed"
grep -q 'operator override of web 10.0.0.51:80 (weight 5) dropped: config weight changed 1 -> 2' "$LVSD_LOG" ||
	fail "dropping the override was not logged"
lvsctl clear web 10.0.0.52:80
[ "$(weight_of 10.0.0.52:80)" = 4 ] || fail "clear did not restore the config weight"
ok "config weight change drops the override; clear restores"

# --keep-ipvs: a stop leaves the table as it is.
kill "$LVSD_PID"; wait_for 5 sh -c "! kill -0 $LVSD_PID" || true
ipvsadm -Ln | grep -q '^TCP  192.168.0.30:80' && fail "a plain stop left the service"
lvsd_start "$cfg" --keep-ipvs
kill "$LVSD_PID"; wait_for 5 sh -c "! kill -0 $LVSD_PID" || true
ipvsadm -Ln | grep -q '10.0.0.52:80' || fail "--keep-ipvs removed the service"
ok "a stop removes lvsd's services; --keep-ipvs keeps them"

# --- sync daemons: refused reload; kill -9, takeover, removal ----------
. tests/lib/vrrp.sh
ns_add sy
ip -n "$(ns sy)" link add eth1 type dummy
ip -n "$(ns sy)" addr add 10.9.0.1/24 dev eth1
ip -n "$(ns sy)" link set eth1 up
sync_cfg() { # IFACE
	cat <<EOF
[global]
lvs_sync_daemon = $1 VI_1
lvs_sync_daemon_both = yes
[vrrp VI_1]
state = BACKUP
interface = eth1
virtual_router_id = 61
priority = 100
virtual_ipaddress = 10.9.0.9/24 dev eth1
EOF
}
sync_cfg eth1 >"$NS_TMP/sy.ini"
daemons() { ns_exec sy ipvsadm -L --daemon; }
both_eth1() { [ "$(daemons | grep -c 'mcast=eth1,')" = 2 ]; }
lv_start sy "$NS_TMP/sy.ini"
wait_for 10 both_eth1 || fail "lvs_sync_daemon_both: not both daemons on eth1: $(daemons)"
sync_cfg nosuch0 >"$NS_TMP/sy.ini"
ns_exec sy "${B:-build}/lvsd" -t -P "${B:-build}/plugins" -c "$NS_TMP/sy.ini" >"$NS_TMP/t.out" 2>&1 ||
	{ cat "$NS_TMP/t.out"; fail "lvsd -t refused a missing sync interface (a warning is enough)"; }
grep -q "sy.ini:2: warning: lvs_sync_daemon: interface 'nosuch0' does not exist" "$NS_TMP/t.out" ||
	{ cat "$NS_TMP/t.out"; fail "lvsd -t: no warning for the missing interface nosuch0"; }
if lv_ctl sy reload >"$NS_TMP/r.out" 2>&1; then fail "a reload to nosuch0 was accepted: $(cat "$NS_TMP/r.out")"; fi
grep -q "reload refused: lvs_sync_daemon: interface 'nosuch0' does not exist" "$NS_TMP/r.out" ||
	{ cat "$NS_TMP/r.out"; fail "the refused reload does not say why"; }
sleep 1
both_eth1 || fail "the refused reload changed the sync daemons: $(daemons)"
lv_ctl sy status | grep -q '^Sync daemon: .*iface eth1,' ||
	fail "the refused reload changed the status: $(lv_ctl sy status | grep -A2 '^Sync')"
ok "reload to a missing sync interface: refused with the reason, daemons and status unchanged; lvsd -t warns"
sync_cfg eth1 >"$NS_TMP/sy.ini"
kill -9 "$(lv_pid sy)"; wait "$(lv_pid sy)" 2>/dev/null || true
both_eth1 || fail "kill -9 of lvsd did not leave the sync daemons: $(daemons)"
lv_start sy "$NS_TMP/sy.ini"
wait_for 10 grep -q "sync daemon: backup found running with these parameters: taken over" "$NS_TMP/sy.log" ||
	{ cat "$NS_TMP/sy.log"; fail "the restart does not log the takeover of the running daemons"; }
sed -i '/^lvs_sync_daemon/d' "$NS_TMP/sy.ini"
lv_ctl sy reload >/dev/null
no_daemons() { [ -z "$(daemons)" ]; }
wait_for 10 no_daemons || fail "taken-over sync daemons still run after a reload without lvs_sync_daemon: $(daemons)"
grep -q "sync daemon: master stopped (lvs_sync_daemon removed)" "$NS_TMP/sy.log" ||
	{ grep sync "$NS_TMP/sy.log"; fail "the stop is not logged"; }
! lv_ctl sy status | grep -q '^Sync daemon' || fail "the status still has a Sync block: $(lv_ctl sy status | grep -A2 '^Sync')"
ok "kill -9 left the sync daemons, the restart took them over, a reload without lvs_sync_daemon stopped them"
# kill -9 of an lvsd with the key, restart without it: the kernel's daemons
# are not lvsd's: shown as such and left alone (tester15b, the sync doc gap)
sync_cfg eth1 >"$NS_TMP/sy.ini"
lv_ctl sy reload >/dev/null
wait_for 10 both_eth1 || fail "the key given again: not both daemons on eth1: $(daemons)"
kill -9 "$(lv_pid sy)"; wait "$(lv_pid sy)" 2>/dev/null || true
sed -i '/^lvs_sync_daemon/d' "$NS_TMP/sy.ini"
lv_start sy "$NS_TMP/sy.ini"
foreign_shown() { lv_ctl sy status | grep -q "^  backup running (not lvsd's) iface eth1, syncid 61"; }
wait_for 10 foreign_shown || fail "the kernel's daemons are not shown as not lvsd's: $(lv_ctl sy status | grep -A2 '^Sync')"
lv_ctl sy status | grep -q "^Sync daemon: not configured (no lvs_sync_daemon)" ||
	fail "no 'not configured' Sync line: $(lv_ctl sy status | grep -A2 '^Sync')"
grep -q "sync daemon: the kernel runs a master daemon on eth1, syncid 61, .*that is not lvsd's" "$NS_TMP/sy.log" ||
	{ grep sync "$NS_TMP/sy.log"; fail "the daemons that are not lvsd's are not logged"; }
sleep 2
both_eth1 || fail "lvsd without the key touched the kernel's sync daemons: $(daemons)"
ok "kill -9, restart without lvs_sync_daemon: the left daemons shown as not lvsd's, left alone"
