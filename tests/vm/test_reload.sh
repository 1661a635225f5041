#!/usr/bin/env bash
# test_reload.sh (VM) — SIGHUP with a broken file: lvsd keeps running with
# the old configuration (the SIGUSR1 dump and the kernel show it); SIGHUP
# with a valid file: the new one is in force and the diff is logged.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/topo.sh
ns_init
cfg=$NS_TMP/lvsd.ini
cat >"$cfg" <<'EOF'
[virtual_server web]
address = 192.168.0.30:80
scheduler = wlc
[real_server web 10.0.0.51:80]
weight = 1
[real_server web 10.0.0.52:80]
weight = 1
EOF
lvsd_start "$cfg"
dump() { # the lines of the next SIGUSR1 dump
	local n; n=$(grep -c 'dump: lvsd ' "$LVSD_LOG" || true)
	kill -USR1 "$LVSD_PID"
	wait_for 5 sh -c "[ \$(grep -c 'dump: lvsd ' '$LVSD_LOG') -gt $n ]" || fail "no dump"
	sleep 0.2
	awk -v n="$n" '/dump: lvsd / { k++ } k > n && /dump:/' "$LVSD_LOG"
}
dump | grep -q 'virtual_server web: TCP 192.168.0.30:80 scheduler wlc' || fail "dump lacks the config"

# A broken file: a bad value on line 5 and an unknown key on line 8.
cp "$cfg" "$NS_TMP/good.ini"
cat >"$cfg" <<'EOF'
[virtual_server web]
address = 192.168.0.30:80
scheduler = rr
[real_server web 10.0.0.51:80]
weight = lots
[real_server web 10.0.0.52:80]
weight = 1
colour = blue
EOF
kill -HUP "$LVSD_PID"
wait_for 5 grep -q 'reload failed' "$LVSD_LOG" || fail "no reload failure logged"
grep -q "$cfg:5: weight" "$LVSD_LOG" || fail "no FILE:5: error logged"
grep -q "$cfg:8: .*colour" "$LVSD_LOG" || fail "no FILE:8: error logged"
kill -0 "$LVSD_PID" || fail "lvsd died on a broken file"
dump | grep -q 'scheduler wlc' || fail "the old configuration is not in force"
ipvsadm -Ln | grep -q '^TCP  192.168.0.30:80 wlc' || fail "the kernel changed"
lvsctl counters | grep -qx 'reload_failures 1' || fail "reload failure not counted"
ok "broken file refused with FILE:LINE errors; old configuration in force"

# A valid file: new scheduler, one real server weighted, one added.
cat >"$cfg" <<'EOF'
[virtual_server web]
address = 192.168.0.30:80
scheduler = rr
[real_server web 10.0.0.51:80]
weight = 2
[real_server web 10.0.0.52:80]
weight = 1
[real_server web 10.0.0.53:80]
weight = 1
EOF
kill -HUP "$LVSD_PID"
wait_for 5 sh -c "ipvsadm -Ln | grep -q '^TCP  192.168.0.30:80 rr'" || fail "new scheduler not applied"
wait_for 5 sh -c "ipvsadm -Ln | grep -q '10.0.0.53:80'" || fail "new real server not applied"
grep -q 'reload: virtual server web changed: scheduler wlc -> rr' "$LVSD_LOG" || fail "VS diff not logged"
grep -q 'reload: real server web 10.0.0.51:80 changed: weight 1 -> 2' "$LVSD_LOG" || fail "RS diff not logged"
grep -q 'reload: real server web 10.0.0.53:80 added' "$LVSD_LOG" || fail "added RS not logged"
dump | grep -q 'scheduler rr' || fail "dump does not show the new configuration"
lvsctl counters | grep -qx 'reloads 1' || fail "reload not counted"
ok "valid file applied, diff logged"
grep 'reload' "$LVSD_LOG"
