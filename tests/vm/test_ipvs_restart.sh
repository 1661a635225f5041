#!/usr/bin/env bash
# test_ipvs_restart.sh (VM) — lvsd never flushes: a kill -9 and restart keeps
# an established connection and never takes the service out of the kernel;
# a hand-deleted entry comes back; a reload that changes one real server
# costs exactly one kernel operation; operator changes persist.
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
